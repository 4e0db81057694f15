package registry

import (
	"context"
	"fmt"
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

// TestAdaptiveGoldenRatioDefaultPhi backs the choice of aGRAAL's default
// φ = 1.6 over the author's 1.5 (vi.AdaptiveGoldenRatio's doc comment): on
// 30 monotone instances the default needs fewer evaluations in geometric
// mean, and fewer on most of them.
func TestAdaptiveGoldenRatioDefaultPhi(t *testing.T) {
	var specs []string
	for s := 1; s <= 5; s++ {
		specs = append(specs, fmt.Sprintf("bilinear:n=10,seed=%d", s), fmt.Sprintf("bilinear:n=50,seed=%d", s),
			fmt.Sprintf("random-game:m=10,n=10,seed=%d", s), fmt.Sprintf("random-game:m=30,n=20,seed=%d", s))
	}
	for _, abc := range []string{"a=1,b=3,c=1", "a=1,b=1,c=1", "a=1,b=10,c=1", "a=0.1,b=1,c=0.1", "a=2,b=-1,c=2", "a=1,b=0.3,c=1", "a=0,b=1,c=1"} {
		specs = append(specs, "quadratic-bilinear:"+abc)
	}
	specs = append(specs, "rps", "matching-pennies", "biased-rps")
	var logDefault, logAuthor float64
	fewer := 0
	for _, spec := range specs {
		in, err := Problem(spec)
		require.NoError(t, err)
		p := &vi.Problem{F: opaque{in.Problem.F}, C: in.Problem.C, Z0: in.Problem.Z0}
		evals := func(m vi.Method) int {
			res, err := vi.Solve(context.Background(), p, m, &vi.Settings{MaxIterations: 1_000_000})
			require.NoError(t, err)
			require.Equal(t, vi.Converged, res.Status, spec)
			return res.Evaluations
		}
		d, a := evals(&vi.AdaptiveGoldenRatio{}), evals(&vi.AdaptiveGoldenRatio{Phi: 1.5})
		logDefault += math.Log(float64(d))
		logAuthor += math.Log(float64(a))
		if d < a {
			fewer++
		}
	}
	n := float64(len(specs))
	gd, ga := math.Exp(logDefault/n), math.Exp(logAuthor/n)
	t.Logf("%d instances: geometric mean %.1f evaluations with the default φ, %.1f with φ = 1.5; fewer on %d", len(specs), gd, ga, fewer)
	assert.Len(t, specs, 30)
	assert.Less(t, gd, 0.97*ga)
	assert.Greater(t, fewer, len(specs)/2)
}
