package games

import (
	"context"
	"math"
	"testing"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestDiracGANOperator(t *testing.T) {
	for _, gamma := range []float64{0, 0.3, 1} {
		toy, err := DiracGAN(gamma)
		require.NoError(t, err)
		pl := toy.Problem.F.(*plane)
		assert.Less(t, vi.OperatorNorm(pl, toy.Solution), 1e-300, "F(0, 0) = 0")
		// JF(0) = [[0, 1/2], [−1/2, γ]] (ALGORITHMS.md B3, linearization).
		j := mat.NewDense(2, 2, nil)
		pl.Jacobian(j, []float64{0, 0})
		assert.InDeltaSlice(t, []float64{0, 0.5, -0.5, gamma}, j.RawMatrix().Data, 1e-15)
		// The closed-form Jacobian agrees with finite differences, also
		// where ψθ is large and σ must not overflow.
		for _, z := range [][]float64{{1, 1}, {0.3, -1.7}, {-2, 2}, {40, 30}} {
			require.NoError(t, monotone.CheckJacobian(pl, pl.Jacobian, z, 1e-6), "z = %v", z)
		}
		// L bounds ‖JF‖₂ on the box: a 201×201 grid and the corners.
		worst := 0.0
		for i := 0; i <= 200; i++ {
			for k := 0; k <= 200; k++ {
				worst = max(worst, pl.LocalLipschitz([]float64{-2 + 0.02*float64(i), -2 + 0.02*float64(k)}))
			}
		}
		assert.LessOrEqual(t, worst, toy.L)
		assert.Greater(t, worst, 0.95*toy.L-gamma, "L is not loose for γ = 0")
		// Not monotone: a sampled pair on the box has ⟨ΔF, Δz⟩ < 0.
		mu, err := monotone.Monotonicity(pl, &monotone.Sampling{Radius: 2})
		require.NoError(t, err)
		assert.Less(t, mu, 0.0)
	}
	for _, bad := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		_, err := DiracGAN(bad)
		assert.ErrorContains(t, err, "games: dirac-gan: gamma = ")
	}
	// σ(−u) stays finite and exact at both ends.
	assert.Equal(t, 0.5, sigmoidNeg(0))
	assert.InDelta(t, math.Exp(-800), sigmoidNeg(800), 1e-300)
	assert.Equal(t, 1.0, sigmoidNeg(-800))
}

// TestDiracGANDynamics reproduces the paper's point on its own example:
// without a penalty simultaneous gradient descent-ascent does not converge
// while extragradient and optimistic gradient do; the zero-centred
// gradient penalty makes gradient descent-ascent converge as well.
func TestDiracGANDynamics(t *testing.T) {
	plain, err := DiracGAN(0)
	require.NoError(t, err)
	penalized, err := DiracGAN(0.3)
	require.NoError(t, err)
	s := &vi.Settings{MaxIterations: 20000}
	solve := func(toy *Toy, m vi.Method) *vi.Result {
		res, err := vi.Solve(context.Background(), toy.Problem, m, s)
		require.NoError(t, err)
		return res
	}
	// GDA with the notebook's step h = 0.2 spirals out to the box.
	res := solve(plain, &vi.GDA{Step: 0.2})
	assert.Equal(t, vi.IterationLimit, res.Status)
	assert.Greater(t, vi.Distance(res.Z, plain.Solution), 1.0)
	t.Logf("gda, γ = 0: distance %.3f after %d iterations", vi.Distance(res.Z, plain.Solution), res.Iterations)
	for _, m := range []vi.Method{&vi.Extragradient{}, &vi.OptimisticGradient{}} {
		res = solve(plain, m)
		require.Equal(t, vi.Converged, res.Status, "%T", m)
		assert.Less(t, vi.Distance(res.Z, plain.Solution), 1e-6, "%T", m)
		t.Logf("%T, γ = 0: %d iterations", m, res.Iterations)
	}
	// With γ = 0.3 the local factor of GDA at h = 0.2 is
	// |1 + hλ|² = 1 − γh + h²/4 = 0.95 < 1.
	res = solve(penalized, &vi.GDA{Step: 0.2})
	require.Equal(t, vi.Converged, res.Status)
	assert.Less(t, vi.Distance(res.Z, penalized.Solution), 1e-6)
	t.Logf("gda, γ = 0.3: %d iterations", res.Iterations)
}

func TestLinearWGAN(t *testing.T) {
	toy := LinearWGAN()
	p := toy.Problem
	assert.Less(t, vi.OperatorNorm(p.F, toy.Solution), 1e-15)
	l, err := monotone.Lipschitz(p.F, nil)
	require.NoError(t, err)
	assert.InDelta(t, toy.L, l, 1e-12)
	mu, err := monotone.Monotonicity(p.F, nil)
	require.NoError(t, err)
	assert.InDelta(t, 0, mu, 1e-15, "skew: monotone, not strongly")
	s := &vi.Settings{MaxIterations: 20000}
	// GDA's distance to the equilibrium grows by √(1 + η²) per step on
	// this skew operator, until Solve stops it.
	res, err := vi.Solve(context.Background(), p, &vi.GDA{Step: 0.1}, s)
	require.NoError(t, err)
	assert.Equal(t, vi.Diverged, res.Status)
	t.Logf("gda: %s after %d iterations", res.Status, res.Iterations)
	for _, m := range []vi.Method{&vi.Extragradient{}, &vi.OptimisticGradient{}} {
		res, err := vi.Solve(context.Background(), p, m, s)
		require.NoError(t, err)
		require.Equal(t, vi.Converged, res.Status, "%T", m)
		assert.InDeltaSlice(t, toy.Solution, res.Z, 1e-7, "%T", m)
	}
}
