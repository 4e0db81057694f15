package constrained

import (
	"math"
	"testing"

	"github.com/saddlepoint/saddle/rl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lagrangianTwoStateDual is the dual function of B7.2 in closed form: the
// best response is a deterministic policy, "wait" at s0 (J_r = 2, J_c = 0)
// or "go" (J_r = 90/19, J_c = 100/19), so
// D(λ) = max(2 + 2λ, 90/19 − λ(100/19 − 2)).
func lagrangianTwoStateDual(lambda float64) float64 {
	return math.Max(2+2*lambda, 90.0/19-lambda*(100.0/19-2))
}

func TestDualTwoState(t *testing.T) {
	c := cmdpTwoState(t)
	for _, lambda := range []float64{0, 0.2, 0.5, 0.52, 0.6, 1, 3} {
		d, br, err := c.Dual([]float64{lambda})
		require.NoError(t, err)
		assert.InDelta(t, lagrangianTwoStateDual(lambda), d, 1e-12, "λ = %v", lambda)
		assert.GreaterOrEqual(t, d, 76.0/25-1e-12, "weak duality D(λ) ≥ J*")
		// The best response attains D(λ).
		l, err := c.Lagrangian(br, []float64{lambda})
		require.NoError(t, err)
		assert.InDelta(t, d, l, 1e-12)
	}
	// At λ* the dual equals J*; unconstrained (λ = 0) it is 90/19 and the
	// best response always goes.
	d, _, err := c.Dual([]float64{13.0 / 25})
	require.NoError(t, err)
	assert.InDelta(t, 3.04, d, 1e-12)
	_, br, err := c.Dual([]float64{0})
	require.NoError(t, err)
	assert.Equal(t, 1.0, br.Prob(0, 1))
}

func TestLagrangianAtOptimum(t *testing.T) {
	c := cmdpTwoState(t)
	opt, err := c.Optimum()
	require.NoError(t, err)
	for _, lambda := range []float64{0, 0.52, 2} {
		// The constraint binds at π*, so L(π*, λ) = J* for every λ.
		l, err := c.Lagrangian(opt.Policy, []float64{lambda})
		require.NoError(t, err)
		assert.InDelta(t, 3.04, l, 1e-12)
	}
	// L(π, λ) = J_r − λ(J_c − b) at p = ½: J_r = 5.5/1.45, J_c = 5/1.45.
	u, err := rl.Uniform(2, 2)
	require.NoError(t, err)
	l, err := c.Lagrangian(u, []float64{0.3})
	require.NoError(t, err)
	assert.InDelta(t, 5.5/1.45-0.3*(5/1.45-2), l, 1e-12)
}

func TestLagrangianErrors(t *testing.T) {
	c := cmdpTwoState(t)
	u, err := rl.Uniform(2, 2)
	require.NoError(t, err)
	wrong, err := rl.Uniform(3, 2)
	require.NoError(t, err)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"mixed dst", func() error { return c.MixedReward(make([]float64, 3), []float64{0}) }, "MixedReward: dst has 3 entries, want 4"},
		{"mixed count", func() error { return c.MixedReward(make([]float64, 4), []float64{0, 1}) }, "multipliers has 2 entries, want 1 (one per constraint)"},
		{"negative", func() error { _, err := c.Lagrangian(u, []float64{-1}); return err }, "multipliers[0] = -1, want a finite number ≥ 0"},
		{"nan", func() error { _, _, err := c.Dual([]float64{math.NaN()}); return err }, "multipliers[0] = NaN"},
		{"nil policy", func() error { _, err := c.Lagrangian(nil, []float64{0}); return err }, "policy is nil"},
		{"shape", func() error { _, err := c.Lagrangian(wrong, []float64{0}); return err }, "policy is 3×2, want 2×2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	dst := make([]float64, 4)
	require.NoError(t, c.MixedReward(dst, []float64{0.5}))
	assert.Equal(t, []float64{0.2, -0.5, 1, 1}, dst, "r − λc")
}
