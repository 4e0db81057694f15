package vi

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With no Lipschitz constant anywhere (the operator is a funcOp around the
// affine one) extragradient with backtracking converges on every problem
// of the conformance set, its counts are 2 + (backtracks) per iteration,
// and every accepted step is at least min(γ₀, τν/L) for the true L
// (ALGORITHMS.md §2.9(a)).
func TestExtragradientLineSearchWithoutL(t *testing.T) {
	for _, name := range []string{"bilinear-230", "bilinear-47", "quadratic-bilinear", "box-affine", "rps"} {
		for _, cfg := range []struct {
			label string
			m     func() *ExtragradientLineSearch
		}{
			{"default", func() *ExtragradientLineSearch { return &ExtragradientLineSearch{} }},
			{"large first step", func() *ExtragradientLineSearch { return &ExtragradientLineSearch{Step0: 100} }},
			{"growing", func() *ExtragradientLineSearch { return &ExtragradientLineSearch{MaxStep: 10, Nu: 0.95, Tau: 0.7} }},
		} {
			t.Run(name+"/"+cfg.label, func(t *testing.T) {
				tp := fomProblem(t, name)
				l := tp.p.F.(*affineOp).l
				p := fomNoL(tp.p)
				m := cfg.m()
				res, err := Solve(context.Background(), p, m, &Settings{Tol: 1e-8, MaxIterations: 400000})
				require.NoError(t, err)
				require.Equal(t, Converged, res.Status)
				assert.LessOrEqual(t, Distance(res.Z, tp.solution), fomDistanceTol[name])
				n := 1 + 2*res.Iterations + m.Backtracks()
				assert.Equal(t, n, res.Evaluations)
				if p.C != nil {
					assert.Equal(t, n, res.Projections)
				}

				require.NoError(t, m.Init(p))
				g0, nu, tau := m.gamma, m.nu, m.tau
				bound := min(g0, tau*nu/l)
				smallest := math.Inf(1)
				for range 300 {
					require.NoError(t, m.Iterate())
					smallest = min(smallest, m.AcceptedStep())
				}
				assert.GreaterOrEqual(t, smallest, bound)
				if cfg.label == "large first step" {
					assert.Positive(t, m.Backtracks(), "a first step of 100 must be cut")
				}
				t.Logf("%d iterations, %d backtracks, smallest step %.3g ≥ %.3g", res.Iterations, m.Backtracks(), smallest, bound)
			})
		}
	}
}

// A first step that is always accepted (η ≤ ν/L) and no growth make it
// extragradient with step η, bit for bit.
func TestExtragradientLineSearchIsExtragradient(t *testing.T) {
	for _, tp := range []testProblem{randomBilinear(20, 5), boxAffine(), rps()} {
		t.Run(tp.name, func(t *testing.T) {
			eta := 0.5 / tp.p.F.(*affineOp).l
			eg := &Extragradient{Step: eta}
			ls := &ExtragradientLineSearch{Step0: eta}
			require.NoError(t, eg.Init(tp.p))
			require.NoError(t, ls.Init(tp.p))
			for k := range 200 {
				require.NoError(t, eg.Iterate())
				require.NoError(t, ls.Iterate())
				require.Equal(t, eg.Current(), ls.Current(), "iteration %d", k)
			}
			assert.Zero(t, ls.Backtracks())
			assert.InDeltaSlice(t, eg.Average(), ls.Average(), 1e-12, "equal steps make the weighted average the plain one")
		})
	}
}

// An operator that is finite only at the start never lets a step be
// accepted: after MaxBacktracks the run ends with Failure and an error,
// the iterate unchanged.
func TestExtragradientLineSearchGivesUp(t *testing.T) {
	z0 := []float64{1, 2}
	p := &Problem{F: funcOp{n: 2, f: func(dst, z []float64) {
		if z[0] == z0[0] && z[1] == z0[1] {
			dst[0], dst[1] = 1, 1
			return
		}
		dst[0], dst[1] = math.NaN(), math.NaN()
	}}, Z0: z0}
	res, err := Solve(context.Background(), p, &ExtragradientLineSearch{MaxBacktracks: 5}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxBacktracks = 5")
	assert.Equal(t, Failure, res.Status)
	assert.Equal(t, z0, res.Z)
	assert.Equal(t, 1+6, res.Evaluations, "F(z_0), then the first trial and 5 backtracks")
}
