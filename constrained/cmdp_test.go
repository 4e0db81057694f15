package constrained

import (
	"math"
	"testing"

	"github.com/saddlepoint/saddle/rl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cmdpTwoState returns the CMDP of ALGORITHMS.md B7.2.
func cmdpTwoState(t testing.TB) *CMDP {
	t.Helper()
	c, err := FromInstance(rl.TwoStateCMDP())
	require.NoError(t, err)
	return c
}

// cmdpOneState returns the CMDP of ALGORITHMS.md B7.1 with γ = 0.9.
func cmdpOneState(t testing.TB) *CMDP {
	t.Helper()
	in, err := rl.OneStateCMDP(0.9)
	require.NoError(t, err)
	c, err := FromInstance(in)
	require.NoError(t, err)
	return c
}

func TestCMDPNew(t *testing.T) {
	m := rl.TwoStateCMDP().MDP
	good := []float64{0, 1, 0, 0}
	tests := []struct {
		name string
		mdp  *rl.MDP
		cons []rl.Constraint
		want string // error substring; "" for success
	}{
		{"ok", m, []rl.Constraint{{Cost: good, Threshold: 2}}, ""},
		{"no constraints", m, nil, ""},
		{"nil mdp", nil, nil, "constrained: New: the MDP is nil"},
		{"short cost", m, []rl.Constraint{{Cost: good, Threshold: 2}, {Cost: []float64{1, 2, 3}, Threshold: 1}},
			"constraints[1].cost has 3 entries, want 4 (states·actions)"},
		{"nan cost", m, []rl.Constraint{{Cost: []float64{0, math.NaN(), 0, 0}, Threshold: 2}}, "constraints[0].cost[0][1] = NaN"},
		{"inf threshold", m, []rl.Constraint{{Cost: good, Threshold: math.Inf(1)}}, "constraints[0].threshold = +Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.mdp, tt.cons)
			if tt.want != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.want)
				assert.Nil(t, c)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(tt.cons), c.NumConstraints())
			assert.Same(t, tt.mdp, c.MDP())
		})
	}
}

func TestCMDPCopiesConstraints(t *testing.T) {
	m := rl.TwoStateCMDP().MDP
	cost := []float64{0, 1, 0, 0}
	c, err := New(m, []rl.Constraint{{Cost: cost, Threshold: 2}})
	require.NoError(t, err)
	cost[1] = 5
	assert.Equal(t, 1.0, c.Constraints()[0].Cost[1], "the CMDP keeps its own copy of the costs")
}

func TestCMDPBuiltins(t *testing.T) {
	a, err := RandomCMDP(6, 3, 2, 7)
	require.NoError(t, err)
	b, err := RandomCMDP(6, 3, 2, 7)
	require.NoError(t, err)
	other, err := RandomCMDP(6, 3, 2, 8)
	require.NoError(t, err)
	assert.Equal(t, a.MDP().Transitions(), b.MDP().Transitions(), "same seed, same CMDP")
	assert.Equal(t, a.Constraints(), b.Constraints())
	assert.NotEqual(t, a.MDP().Reward(), other.MDP().Reward(), "another seed, another CMDP")
	assert.Equal(t, 6, a.MDP().States())
	assert.Equal(t, 2, a.NumConstraints())

	_, err = RandomCMDP(0, 3, 1, 1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "constrained: random-cmdp: rl: states = 0, want ≥ 1")

	g, err := GridworldCMDP()
	require.NoError(t, err)
	assert.Equal(t, 10, g.MDP().States(), "the default layout has 10 cells")
	assert.Equal(t, 4, g.MDP().Actions())
	assert.Equal(t, 1, g.NumConstraints())
}
