package vi

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOptAMSGradReducesToOptimisticGradient checks the last bullet of
// ALGORITHMS.md Part III §2.7: with β1 = 0, v̂ ≡ 1 and the last-gradient
// predictor, OPT-AMSGrad is the two-step optimistic gradient method
//
//	w_{t+½} = Π(w_{t−½} − η g_t),  w_{t+1} = Π(w_{t+½} − η g_t),  g_t = F(w_t).
//
// v̂ ≡ 1 is obtained without touching the method: Eps = 1 sets
// v_0 = v̂_0 = 1, and as long as every |g_t[i]| ≤ 1, v_t ≤ 1 so
// v̂_t = max(v̂_{t−1}, v_t) stays exactly 1. The test checks that premise
// at every step.
func TestOptAMSGradReducesToOptimisticGradient(t *testing.T) {
	bil := randomBilinear(2, 1)
	near := append([]float64(nil), bil.solution...)
	for i := range near {
		near[i] += 0.2 * float64(1-2*(i%2))
	}
	cases := []struct {
		name string
		p    *Problem
	}{
		{"xy", &Problem{F: xyGame().p.F, Z0: []float64{0.6, -0.3}}},
		{"xy-box", &Problem{F: xyGame().p.F, C: Box{Lo: []float64{0.1, -1}, Hi: []float64{1, 1}}, Z0: []float64{0.6, -0.3}}},
		{"bilinear", &Problem{F: bil.p.F, Z0: near}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const eta = 0.1
			m := &OptAMSGrad{Step: eta, NoMomentum: true, Eps: 1}
			require.NoError(t, m.Init(c.p))
			n := c.p.F.Dim()
			w := append([]float64(nil), m.Current()...) // Π(Z0)
			half := append([]float64(nil), w...)        // w_{½} = w_1
			g := make([]float64, n)
			for k := 1; k <= 200; k++ {
				c.p.F.Apply(g, w)
				for i, gi := range g {
					require.LessOrEqual(t, math.Abs(gi), 1.0, "premise |g| ≤ 1 at step %d", k)
					half[i] -= eta * gi
				}
				project(c.p.C, half, half)
				for i, gi := range g {
					w[i] = half[i] - eta*gi
				}
				project(c.p.C, w, w)

				require.NoError(t, m.Iterate())
				require.InDeltaSlice(t, w, m.Current(), 1e-14, "iteration %d", k)
				for i, v := range m.vhat {
					require.Equal(t, 1.0, v, "v̂[%d] at step %d", i, k)
				}
			}
		})
	}
}

// TestOptAMSGradPaperMomentumSpiralsOut documents why the game tests run
// OPT-AMSGrad with β1 = 0: with the paper's β1 = 0.9, the momentum
// h_{t+1} = β1θ_{t−1} + (1 − β1)m_{t+1} makes it spiral away from the
// solution of f(x, y) = xy, while β1 = 0 converges at the same step.
func TestOptAMSGradPaperMomentumSpiralsOut(t *testing.T) {
	tp := xyGame()
	d0 := distance(tp.p.Z0, tp.solution)
	const iters = 20000
	far, _ := adamTrace(t, tp.p, &OptAMSGrad{Step: 0.01}, tp.solution, iters)
	near, _ := adamTrace(t, tp.p, &OptAMSGrad{Step: 0.01, NoMomentum: true}, tp.solution, iters)
	assert.Greater(t, far, d0, "β1 = 0.9 ends farther than the start")
	assert.Less(t, near, 1e-6, "β1 = 0 converges")
	t.Logf("start %.3g; after %d iterations: β1 = 0.9 %.3g, β1 = 0 %.3g", d0, iters, far, near)
}

// TestOptAMSGradSchedule checks that a constant Schedule is the same
// method as Step, that Schedule is called with t = 1, 2, …, and that a
// negative step from it ends the run with an error naming Schedule.
func TestOptAMSGradSchedule(t *testing.T) {
	tp := randomBilinear(3, 2)
	var seen []int
	a := &OptAMSGrad{Step: 0.05}
	b := &OptAMSGrad{Schedule: func(t int) float64 { seen = append(seen, t); return 0.05 }}
	require.NoError(t, a.Init(tp.p))
	require.NoError(t, b.Init(tp.p))
	for range 50 {
		require.NoError(t, a.Iterate())
		require.NoError(t, b.Iterate())
	}
	assert.Equal(t, a.Current(), b.Current())
	require.Len(t, seen, 50)
	assert.Equal(t, 1, seen[0])
	assert.Equal(t, 50, seen[49])

	bad := &OptAMSGrad{Schedule: func(t int) float64 { return 0.1 - 0.04*float64(t) }}
	require.NoError(t, bad.Init(tp.p))
	require.NoError(t, bad.Iterate())
	require.NoError(t, bad.Iterate())
	err := bad.Iterate() // η_3 = −0.02
	var pe ErrParameter
	require.True(t, errors.As(err, &pe), "got %v", err)
	assert.Equal(t, "Schedule", pe.Field)
	assert.Contains(t, err.Error(), "t = 3")
}

// TestOptAMSGradSets checks that sets whose diag(v̂)^{1/2}-weighted
// projection is clipping are accepted and the others rejected by Init.
func TestOptAMSGradSets(t *testing.T) {
	f := randomBilinear(2, 1).p.F
	ok := []Set{
		nil, Reals{}, NonNegative{},
		Box{Lo: []float64{-1, -1, -1, -1}, Hi: []float64{1, 1, 1, 1}},
		Product{Blocks: []Set{NonNegative{}, &Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}}, Dims: []int{2, 2}},
	}
	for _, c := range ok {
		require.NoError(t, (&OptAMSGrad{}).Init(&Problem{F: f, C: c}), "%T", c)
	}
	bad := []Set{
		Ball{Radius: 2},
		Product{Blocks: []Set{Simplex{}, Simplex{}}, Dims: []int{2, 2}},
	}
	for _, c := range bad {
		err := (&OptAMSGrad{}).Init(&Problem{F: f, C: c})
		require.Error(t, err, "%T", c)
		assert.Contains(t, err.Error(), "weighted projection")
	}
}
