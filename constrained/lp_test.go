package constrained

import (
	"errors"
	"testing"

	"github.com/saddlepoint/saddle/rl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The exact optima of ALGORITHMS.md B7.1 and B7.2, from the LP and from
// their closed forms.
func TestOptimumKnown(t *testing.T) {
	one := func(gamma float64) *CMDP {
		in, err := rl.OneStateCMDP(gamma)
		require.NoError(t, err)
		c, err := FromInstance(in)
		require.NoError(t, err)
		return c
	}
	tests := []struct {
		name       string
		c          *CMDP
		value      float64 // J*
		cost       float64 // J_c(π*) = b (binding)
		lambda     float64 // λ*
		state, act int
		prob       float64 // π*(act | state)
		bound      float64 // MultiplierBound
	}{
		// B7.1: p* = ½, J* = 1/(2(1 − γ)), λ* = 1.
		{"one-state γ=0.5", one(0.5), 1, 1, 1, 0, 1, 0.5, 2},
		{"one-state γ=0.9", one(0.9), 5, 5, 1, 0, 1, 0.5, 2},
		// B7.2: J* = 76/25, p* = 10/41, V_c* = 2, λ* = 13/25.
		{"two-state", cmdpTwoState(t), 76.0 / 25, 2, 13.0 / 25, 0, 1, 10.0 / 41, 2 * 13.0 / 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt, err := tt.c.Optimum()
			require.NoError(t, err)
			assert.InDelta(t, tt.value, opt.Value, 1e-12)
			require.Len(t, opt.Costs, 1)
			assert.InDelta(t, tt.cost, opt.Costs[0], 1e-12)
			assert.InDelta(t, tt.lambda, opt.Multipliers[0], 1e-12)
			assert.InDelta(t, tt.prob, opt.Policy.Prob(tt.state, tt.act), 1e-12)
			bound, err := tt.c.MultiplierBound()
			require.NoError(t, err)
			assert.InDelta(t, tt.bound, bound, 1e-12)
			again, err := tt.c.Optimum()
			require.NoError(t, err)
			assert.Same(t, opt, again, "the optimum is computed once")
		})
	}
}

// A cost that every policy pays more than the threshold allows: the error
// says so and wraps rl.ErrInfeasible, from Optimum, NewMeasurer and
// Solve alike.
func TestOptimumInfeasible(t *testing.T) {
	in, err := rl.OneStateCMDP(0.9)
	require.NoError(t, err)
	// Cost 1 for both actions, so J_c = 10 for every policy; b = 4.
	c, err := New(in.MDP, []rl.Constraint{{Cost: []float64{1, 1}, Threshold: 4}})
	require.NoError(t, err)

	_, err = c.Optimum()
	require.Error(t, err)
	assert.True(t, errors.Is(err, rl.ErrInfeasible))
	assert.Contains(t, err.Error(), "constrained: the CMDP is infeasible: rl: the constraints are infeasible")

	_, err = NewMeasurer(c)
	assert.True(t, errors.Is(err, rl.ErrInfeasible))
	res, err := Solve(t.Context(), &Problem{CMDP: c}, &Optimistic{}, nil)
	assert.True(t, errors.Is(err, rl.ErrInfeasible))
	assert.Nil(t, res)
	_, err = c.MultiplierBound()
	assert.True(t, errors.Is(err, rl.ErrInfeasible))
}
