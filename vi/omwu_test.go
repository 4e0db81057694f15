package vi

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
)

// Wei, Lee, Zhang and Luo (ICLR 2021): with a unique equilibrium OMWU's
// last iterate converges linearly. On three games with a unique fully
// mixed equilibrium, with the default step 1/(8L₂), the log of the
// duality gap of z_t is fitted against t over a window after the
// transient and before round-off; the measured slopes are −8.7e-4 (rps),
// −2.0e-3 (matching pennies) and −1.9e-4 (biased rps, whose equilibrium
// (1, 10, 5)/16 is closer to the boundary and whose L₂ ≈ 56 makes the
// step small), with R² 0.998, 0.9996 and 0.980, and gaps 2.3e-10,
// 5.5e-10 and 2.1e-9 at the windows' ends.
func TestOMWULinearLastIterate(t *testing.T) {
	cases := []struct {
		tp       testProblem
		from, to int     // fit window
		slope    float64 // the fitted slope must be at most this
		end      float64 // and the gap at the window's end below this
	}{
		{rps(), 5000, 25000, -6e-4, 1e-9},
		{mirrorproxMatchingPennies(), 2500, 11000, -1.5e-3, 1e-9},
		{mirrorproxBiasedRPS(), 35000, 125000, -1.5e-4, 1e-8},
	}
	for _, c := range cases {
		t.Run(c.tp.name, func(t *testing.T) {
			a := mirrorproxPayoffs(c.tp)
			m := &OptimisticMultiplicativeWeights{}
			require.NoError(t, m.Init(c.tp.p))
			var ts, gaps, logs []float64
			for T := 1; T <= c.to; T++ {
				require.NoError(t, m.Iterate())
				if T >= c.from && T%50 == 0 {
					g := restartDualityGap(a, m.Current())
					ts, gaps, logs = append(ts, float64(T)), append(gaps, g), append(logs, math.Log(g))
				}
			}
			s := semilogSlope(t, ts, gaps)
			alpha, beta := stat.LinearRegression(ts, logs, nil, false)
			r2 := stat.RSquared(ts, logs, nil, alpha, beta)
			end := gaps[len(gaps)-1]
			t.Logf("η = %.4g: slope %.3g per iteration, R² = %.4f, gap %.3g at T = %d", m.eta, s, r2, end, c.to)
			assert.Less(t, s, c.slope)
			assert.Greater(t, r2, 0.95, "the gap falls along a line in log scale")
			assert.Less(t, end, c.end)
			assert.InDeltaSlice(t, c.tp.solution, m.Current(), 1e-6, "the last iterate is the equilibrium")
		})
	}
}

// Plain multiplicative weights, the same entropic step without the
// optimistic correction (z_{t+1} = MS(z_t, F(z_t))), spirals out toward
// the boundary on rock-paper-scissors: from the same start and with the
// same step, its duality gap never drops below 1 after 1000 iterations
// (measured minimum 1.03 over T ∈ [1000, 5000], up from 0.5 at the start),
// while OMWU's is 0.011 at T = 5000 and falling.
func TestOMWUPlainMultiplicativeWeightsDoesNotConverge(t *testing.T) {
	tp := rps()
	a := mirrorproxPayoffs(tp)
	om := &OptimisticMultiplicativeWeights{}
	require.NoError(t, om.Init(tp.p))
	eta := om.eta
	require.InDelta(t, 1/(8*math.Sqrt(3)), eta, 1e-15, "default 1/(8L₂), ‖A‖₂ = √3")
	c := tp.p.C.(Product)
	z := append([]float64(nil), tp.p.Z0...)
	f := make([]float64, len(z))
	lowest := math.Inf(1)
	for T := 1; T <= 5000; T++ {
		tp.p.F.Apply(f, z)
		c.MirrorStep(z, z, f, eta)
		require.NoError(t, om.Iterate())
		if T >= 1000 {
			lowest = min(lowest, restartDualityGap(a, z))
		}
	}
	omwu := restartDualityGap(a, om.Current())
	t.Logf("plain MWU: min gap over T ∈ [1000, 5000] %.3g; OMWU gap at T = 5000: %.3g", lowest, omwu)
	assert.Greater(t, lowest, 1.0, "plain multiplicative weights does not converge in last iterate")
	assert.Less(t, omwu, 0.02)
}

// The single-sequence rule equals optimistic online mirror descent in its
// two-sequence form (ALGORITHMS.md §2.8): ẑ_{t+1} = MS(ẑ_t, F(z_t)),
// z_{t+1} = MS(ẑ_{t+1}, F(z_t)), started with ẑ_0 = MS(z_0, −F(z_0)) so
// that z_0 = MS(ẑ_0, F(z_{−1})) with F(z_{−1}) = F(z_0). The first step
// is then a plain multiplicative-weights step from z_0.
func TestOMWUTwoSequenceForm(t *testing.T) {
	for _, tp := range []testProblem{rps(), mirrorproxMatchingPennies(), mirrorproxBiasedRPS()} {
		t.Run(tp.name, func(t *testing.T) {
			m := &OptimisticMultiplicativeWeights{}
			require.NoError(t, m.Init(tp.p))
			eta := m.eta
			c := tp.p.C.(Product)
			n := len(tp.p.Z0)
			z, hat, f, neg := append([]float64(nil), tp.p.Z0...), make([]float64, n), make([]float64, n), make([]float64, n)
			tp.p.F.Apply(f, z)
			for i, v := range f {
				neg[i] = -v
			}
			c.MirrorStep(hat, z, neg, eta)

			first := make([]float64, n)
			c.MirrorStep(first, z, f, eta)
			require.NoError(t, m.Iterate())
			assert.InDeltaSlice(t, first, m.Current(), 1e-15, "z_1 = MS(z_0, F(z_0))")
			require.NoError(t, m.Init(tp.p))

			for T := 1; T <= 300; T++ {
				tp.p.F.Apply(f, z)
				c.MirrorStep(hat, hat, f, eta)
				c.MirrorStep(z, hat, f, eta)
				require.NoError(t, m.Iterate())
				require.InDeltaSlice(t, z, m.Current(), 1e-12, "T = %d", T)
			}
			fz, ok := m.CurrentValue()
			require.True(t, ok)
			tp.p.F.Apply(f, m.Current())
			assert.Equal(t, f, fz, "F(z_t) is known")
		})
	}
}

func TestOMWUContract(t *testing.T) {
	mirrorproxContract(t, mirrorproxMethod{name: "OptimisticMultiplicativeWeights",
		make:  func(step, l float64) Method { return &OptimisticMultiplicativeWeights{Step: step, L: l} },
		evals: 1, projs: 1})
}

// On simplices of scale s the default step is 1/(8·s·L₂), s the largest
// scale.
func TestOMWUScaledStep(t *testing.T) {
	_, random := restartRandomGame(5, 7, 1)
	p := &Problem{F: random.p.F, C: Product{Blocks: []Set{Simplex{Scale: 3}, Simplex{Scale: 0.5}}, Dims: []int{5, 7}}}
	m := &OptimisticMultiplicativeWeights{}
	require.NoError(t, m.Init(p))
	assert.InDelta(t, 1/(8*3*p.F.(*affineOp).l), m.eta, 1e-15)
	m.L = 2
	require.NoError(t, m.Init(p))
	assert.InDelta(t, 1.0/(8*3*2), m.eta, 1e-15, "an explicit L replaces the operator's")
	m.Step = 0.3
	require.NoError(t, m.Init(p))
	assert.Equal(t, 0.3, m.eta, "an explicit Step is used as given")
}

func BenchmarkOMWU(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("game=%dx%d", n, n), func(b *testing.B) {
			_, tp := restartRandomGame(n, n, 1)
			m := &OptimisticMultiplicativeWeights{}
			if err := m.Init(tp.p); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Iterate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
