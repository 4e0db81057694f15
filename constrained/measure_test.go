package constrained

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/saddlepoint/saddle/rl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMeasureOptimum(t *testing.T) {
	for _, c := range []*CMDP{cmdpTwoState(t), cmdpOneState(t)} {
		opt, err := c.Optimum()
		require.NoError(t, err)
		ms, err := Measure(c, opt.Policy, opt.Multipliers)
		require.NoError(t, err)
		assert.InDelta(t, opt.Value, ms.Reward, 1e-12)
		assert.InDelta(t, 0, ms.RewardGap, 1e-12)
		assert.InDelta(t, 0, ms.Violation, 1e-12)
		assert.InDelta(t, 0, ms.MultiplierDistance, 1e-15)
		assert.InDelta(t, opt.Value, ms.Dual, 1e-12)
		assert.InDelta(t, 0, ms.LagrangianGap, 1e-12)
	}
}

// B7.2 at the uniform policy (p = ½) and λ = 1, from the closed forms
// V_r(p) = (2 + 7p)/(1 + 0.9p), V_c(p) = 10p/(1 + 0.9p) and D(λ).
func TestMeasureTwoStateUniform(t *testing.T) {
	c := cmdpTwoState(t)
	u, err := rl.Uniform(2, 2)
	require.NoError(t, err)
	ms, err := Measure(c, u, []float64{1})
	require.NoError(t, err)
	vr, vc := 5.5/1.45, 5/1.45
	assert.InDelta(t, vr, ms.Reward, 1e-12)
	assert.InDelta(t, vc, ms.Costs[0], 1e-12)
	assert.InDelta(t, vc-2, ms.Violation, 1e-12)
	assert.InDelta(t, vr-3.04, ms.RewardGap, 1e-12)
	assert.InDelta(t, 1-0.52, ms.MultiplierDistance, 1e-12)
	assert.InDelta(t, vr-(vc-2), ms.Lagrangian, 1e-12)
	assert.InDelta(t, 4, ms.Dual, 1e-12) // max(2 + 2, 28/19)
	assert.InDelta(t, 4-vr+1.04*(vc-2), ms.LagrangianGap, 1e-12)
}

// The Lagrangian gap bounds both the reward gap of π and the dual gap of
// λ, and dominates (Λ − max λ*)·violation, at random pairs.
func TestMeasureGapBounds(t *testing.T) {
	grid, err := GridworldCMDP()
	require.NoError(t, err)
	random, err := RandomCMDP(8, 3, 2, 3)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []*CMDP{grid, random, cmdpTwoState(t)} {
		opt, err := c.Optimum()
		require.NoError(t, err)
		bound, err := c.MultiplierBound()
		require.NoError(t, err)
		m, err := NewMeasurer(c)
		require.NoError(t, err)
		n, na := c.MDP().States(), c.MDP().Actions()
		logits := make([]float64, n*na)
		lambda := make([]float64, c.NumConstraints())
		var ms Measures
		for trial := 0; trial < 20; trial++ {
			for i := range logits {
				logits[i] = 3 * rng.NormFloat64()
			}
			for k := range lambda {
				lambda[k] = 2 * rng.Float64()
			}
			pi, err := rl.Softmax(n, na, logits)
			require.NoError(t, err)
			require.NoError(t, m.Measure(&ms, pi, lambda))
			lmax := 0.0
			excess := 0.0
			for k, v := range opt.Multipliers {
				lmax = math.Max(lmax, v)
				excess += math.Max(0, ms.Costs[k]-c.Constraints()[k].Threshold)
			}
			tol := 1e-9 * (1 + math.Abs(opt.Value))
			assert.GreaterOrEqual(t, ms.LagrangianGap, opt.Value-ms.Reward-tol)
			assert.GreaterOrEqual(t, ms.LagrangianGap, ms.Dual-opt.Value-tol)
			assert.GreaterOrEqual(t, ms.Dual, opt.Value-tol, "weak duality")
			assert.GreaterOrEqual(t, ms.LagrangianGap, (bound-lmax)*excess-tol)
			assert.Greater(t, ms.LagrangianGap, 0.0, "a random pair is not a saddle point")
		}
	}
}

func TestMeasurerAllocs(t *testing.T) {
	c, err := GridworldCMDP()
	require.NoError(t, err)
	m, err := NewMeasurer(c)
	require.NoError(t, err)
	u, err := rl.Uniform(c.MDP().States(), c.MDP().Actions())
	require.NoError(t, err)
	var ms Measures
	lambda := []float64{0.3}
	require.NoError(t, m.Measure(&ms, u, lambda))
	allocs := testing.AllocsPerRun(50, func() {
		lambda[0] += 0.01
		if err := m.Measure(&ms, u, lambda); err != nil {
			panic(err)
		}
	})
	assert.Equal(t, 0.0, allocs)
}
