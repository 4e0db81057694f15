package registry

import (
	"context"
	"math"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// opaque hides every optional capability of an operator, its Lipschitz
// constant included, so that a method must find its step on its own.
type opaque struct{ f vi.Operator }

func (o opaque) Dim() int               { return o.f.Dim() }
func (o opaque) Apply(dst, z []float64) { o.f.Apply(dst, z) }

// bestExtragradient returns the fewest evaluations extragradient needs to
// reach the default tolerance with a constant step η = s/L over
// s ∈ {0.1, …, 0.9}, and that s.
func bestExtragradient(t *testing.T, p *vi.Problem) (evals int, s float64) {
	t.Helper()
	l, ok := p.F.(vi.Lipschitzer)
	require.True(t, ok, "the operator must report L")
	evals = math.MaxInt
	for k := 1; k <= 9; k++ {
		eta := float64(k) / 10 / l.Lipschitz()
		res, err := vi.Solve(context.Background(), p, &vi.Extragradient{Step: eta}, &vi.Settings{MaxIterations: 1_000_000})
		require.NoError(t, err)
		if res.Status == vi.Converged && res.Evaluations < evals {
			evals, s = res.Evaluations, float64(k)/10
		}
	}
	require.Less(t, evals, math.MaxInt, "extragradient did not converge with any step")
	return evals, s
}

// TestAdaptiveGoldenRatioAgainstExtragradient: on every monotone problem of
// the conformance set, aGRAAL with its defaults and without L reaches the
// solution with at most three times the evaluations extragradient needs
// with its best constant step.
func TestAdaptiveGoldenRatioAgainstExtragradient(t *testing.T) {
	n := 0
	for _, spec := range conformanceProblems {
		in := conformanceInstance(t, spec)
		if !in.Monotone {
			continue
		}
		n++
		t.Run(spec, func(t *testing.T) {
			egEvals, s := bestExtragradient(t, in.Problem)
			p := &vi.Problem{F: opaque{in.Problem.F}, C: in.Problem.C, Z0: in.Problem.Z0}
			m, _, err := Method("agraal", Options{})
			require.NoError(t, err)
			res, err := vi.Solve(context.Background(), p, m, &vi.Settings{MaxIterations: 1_000_000})
			require.NoError(t, err)
			require.Equal(t, vi.Converged, res.Status)
			if in.Solution != nil {
				assert.Less(t, vi.Distance(res.Z, in.Solution), 1e-6)
			}
			ratio := float64(res.Evaluations) / float64(egEvals)
			assert.LessOrEqual(t, ratio, 3.0)
			t.Logf("agraal %d evaluations, extragradient %d at ηL = %.1f: ratio %.2f", res.Evaluations, egEvals, s, ratio)
		})
	}
	assert.GreaterOrEqual(t, n, 6, "monotone conformance problems")
}
