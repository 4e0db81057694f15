package rl

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenRandomMDP(t *testing.T) {
	a, err := RandomMDP(4, 3, 0.9, rand.NewPCG(7, 7))
	require.NoError(t, err)
	b, err := RandomMDP(4, 3, 0.9, rand.NewPCG(7, 7))
	require.NoError(t, err)
	c, err := RandomMDP(4, 3, 0.9, rand.NewPCG(8, 7))
	require.NoError(t, err)
	assert.Equal(t, a, b, "same seed, same MDP")
	assert.NotEqual(t, a.Transitions(), c.Transitions(), "another seed, another MDP")
	d, err := RandomMDP(4, 3, 0.9, nil)
	require.NoError(t, err)
	e, err := RandomMDP(4, 3, 0.9, rand.NewPCG(1, 2))
	require.NoError(t, err)
	assert.Equal(t, e, d, "nil source is PCG(1, 2)")

	for _, p := range a.Transitions() {
		assert.Greater(t, p, 0.0)
	}
	for _, r := range a.Reward() {
		assert.True(t, r >= 0 && r < 1, "reward %v in [0, 1)", r)
	}
	// Rows are uniform on the simplex: each coordinate has mean 1/S
	// (Beta(1, S−1), standard deviation 0.19 for S = 4; 6000 rows).
	big, err := RandomMDP(4, 500, 0.5, rand.NewPCG(3, 3))
	require.NoError(t, err)
	mean := make([]float64, 4)
	for i, p := range big.Transitions() {
		mean[i%4] += p / 2000
	}
	assert.InDeltaSlice(t, []float64{0.25, 0.25, 0.25, 0.25}, mean, 0.02)

	_, err = RandomMDP(0, 2, 0.9, nil)
	require.Error(t, err)
	assert.Equal(t, "rl: states = 0, want ≥ 1", err.Error())
	_, err = RandomCMDP(3, 2, -1, 0.9, nil)
	require.Error(t, err)
	assert.Equal(t, "rl: constraints = -1, want ≥ 0", err.Error())

	in, err := RandomCMDP(3, 2, 0, 0.9, nil)
	require.NoError(t, err)
	assert.Empty(t, in.Constraints)
	vi, err := PolicyIteration(in.MDP, nil, nil)
	require.NoError(t, err)
	assert.InDelta(t, vi.Value, in.Optimum.Value, 1e-10)
}

// The default gridworld with deterministic moves, solved by hand: the
// straight path earns the goal reward at times 4, 9, 14, … and crosses
// hazards at times 1, 2, 3 of each cycle; the detour earns it at 6, 13, …
// with no hazard.
func TestGenGridworldDeterministic(t *testing.T) {
	g := Gridworld{}
	in, err := g.Instance()
	require.NoError(t, err)
	m := in.MDP
	require.Equal(t, 10, m.States())
	require.Equal(t, 4, m.Actions())
	start, goal := g.State(1, 0), g.State(1, 4)
	assert.Equal(t, 5, start)
	assert.Equal(t, 9, goal)
	assert.Equal(t, -1, g.State(2, 0))
	assert.Equal(t, 1.0, m.Initial()[start])

	unit := func(s int) []float64 {
		x := make([]float64, 10)
		x[s] = 1
		return x
	}
	assert.Equal(t, unit(0), m.Next(start, 0), "up")
	assert.Equal(t, unit(6), m.Next(start, 1), "right, onto a hazard")
	assert.Equal(t, unit(start), m.Next(start, 2), "down, off the grid: stay")
	assert.Equal(t, unit(start), m.Next(start, 3), "left, off the grid: stay")
	for a := 0; a < 4; a++ {
		assert.Equal(t, unit(start), m.Next(goal, a), "the goal returns to the start")
		assert.Equal(t, 1.0, m.Reward()[m.Index(goal, a)])
		assert.Equal(t, 1.0, in.Constraints[0].Cost[m.Index(7, a)], "hazard cost")
		assert.Equal(t, 0.0, in.Constraints[0].Cost[m.Index(start, a)])
	}

	const gamma = 0.9
	g4, g5, g6, g7 := math.Pow(gamma, 4), math.Pow(gamma, 5), math.Pow(gamma, 6), math.Pow(gamma, 7)
	best, err := PolicyIteration(m, nil, nil)
	require.NoError(t, err)
	assert.InDelta(t, g4/(1-g5), best.Value, 1e-12)
	cOpt := (gamma + gamma*gamma + gamma*gamma*gamma) / (1 - g5)
	assert.InDelta(t, cOpt/2, in.Constraints[0].Threshold, 1e-9, "threshold halfway between 0 and c_opt")

	opt := in.Optimum
	assert.InDelta(t, in.Constraints[0].Threshold, opt.Costs[0], 1e-9, "binding")
	assert.Greater(t, opt.Value, g6/(1-g7)+1e-3, "better than the safe detour")
	assert.Less(t, opt.Value, g4/(1-g5)-1e-3, "worse than the unconstrained optimum")
	assert.Greater(t, opt.Multipliers[0], 0.0)
	lpTestCheck(t, m, in.Constraints, opt)
}

func TestGenGridworldSlipAndWalls(t *testing.T) {
	in, err := Gridworld{Slip: 0.2, Discount: 0.95, Level: 0.25}.Instance()
	require.NoError(t, err)
	m := in.MDP
	assert.Equal(t, 0.95, m.Discount())
	want := make([]float64, 10)
	want[0], want[6], want[5] = 0.8, 0.1, 0.1 // up; slips right onto H, or left into the edge
	assert.InDeltaSlice(t, want, m.Next(5, 0), 1e-15)
	lpTestCheck(t, m, in.Constraints, in.Optimum)

	// A hazard-free path exists, so c_min = 0 and b = ¼·c_opt.
	free, err := SolveLP(m, nil, nil)
	require.NoError(t, err)
	assert.InDelta(t, 0.25*genTestCost(free, in.Constraints), in.Constraints[0].Threshold, 1e-9)

	walls := Gridworld{Layout: []string{"S#.", "H.G"}}
	in, err = walls.Instance()
	require.NoError(t, err)
	m = in.MDP
	assert.Equal(t, 5, m.States())
	assert.Equal(t, -1, walls.State(0, 1))
	assert.Equal(t, 1, walls.State(0, 2))
	assert.Equal(t, 1.0, m.Next(0, 1)[0], "a wall blocks the move")
	assert.Equal(t, 1.0, m.Next(0, 2)[2], "down from S onto H")
	lpTestCheck(t, m, in.Constraints, in.Optimum)
}

// genTestCost returns the discounted cost of the first constraint at o.
func genTestCost(o *Optimum, cons []Constraint) float64 {
	sum := 0.0
	for i, v := range cons[0].Cost {
		sum += o.Occupancy[i] * v
	}
	return sum
}

func TestGenGridworldErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    Gridworld
		want string
	}{
		{"slip", Gridworld{Slip: 1.5}, "rl: Gridworld.Slip = 1.5, want a probability in [0, 1]"},
		{"slip NaN", Gridworld{Slip: math.NaN()}, "rl: Gridworld.Slip = NaN, want a probability in [0, 1]"},
		{"level", Gridworld{Level: 2}, "rl: Gridworld.Level = 2, want 0 < level ≤ 1"},
		{"negative level", Gridworld{Level: -0.1}, "rl: Gridworld.Level = -0.1, want 0 < level ≤ 1"},
		{"discount", Gridworld{Discount: 1}, "rl: discount = 1, want 0 ≤ γ < 1"},
		{"empty", Gridworld{Layout: []string{}}, "rl: Gridworld.Layout is empty"},
		{"ragged", Gridworld{Layout: []string{"S.G", ".."}}, "rl: Gridworld.Layout[1] has 2 cells, want 3 (the length of row 0)"},
		{"bad cell", Gridworld{Layout: []string{"SxG"}}, "rl: Gridworld.Layout[0][1] = 'x' is not a cell (want one of . # S G H)"},
		{"no start", Gridworld{Layout: []string{"..G"}}, "rl: Gridworld.Layout has no start cell S"},
		{"no goal", Gridworld{Layout: []string{"S.H"}}, "rl: Gridworld.Layout has no goal cell G"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := tc.g.Instance()
			require.Error(t, err)
			assert.Nil(t, in)
			assert.Equal(t, tc.want, err.Error())
		})
	}
	assert.Equal(t, -1, Gridworld{Layout: []string{"SxG"}}.State(0, 0), "bad layout")
	assert.Equal(t, -1, Gridworld{}.State(5, 0), "outside the grid")
}

// The hand-made instances carry their documented answers; their policies,
// evaluated exactly, reproduce them.
func TestGenExactInstances(t *testing.T) {
	in := TwoStateCMDP()
	assert.InDelta(t, 10.0/41, in.Optimum.Policy.Prob(0, 1), 1e-15)
	d, err := in.MDP.Occupancy(in.Optimum.Policy)
	require.NoError(t, err)
	assert.InDeltaSlice(t, in.Optimum.Occupancy, d, 1e-12)
	assert.InDelta(t, 10, d[0]+d[1]+d[2]+d[3], 1e-12, "Σ d = 1/(1 − γ)")

	_, err = OneStateCMDP(1)
	require.Error(t, err)
	assert.Equal(t, "rl: discount = 1, want 0 ≤ γ < 1", err.Error())
	one, err := OneStateCMDP(0.75)
	require.NoError(t, err)
	d, err = one.MDP.Occupancy(one.Optimum.Policy)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{2, 2}, d, 1e-12)
	assert.InDelta(t, 2, one.Constraints[0].Threshold, 0)
}
