package rl

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mdpTestArgs are the arguments of NewMDP for a valid 3-state, 2-action
// MDP; each validation case breaks one of them.
type mdpTestArgs struct {
	states, actions int
	discount        float64
	initial         []float64
	transitions     [][][]float64
	reward          [][]float64
}

func mdpTestValid() mdpTestArgs {
	return mdpTestArgs{
		states: 3, actions: 2, discount: 0.9,
		initial: []float64{0.5, 0.5, 0},
		transitions: [][][]float64{
			{{1, 0, 0}, {0, 1, 0}},
			{{0, 0, 1}, {0.5, 0.5, 0}},
			{{0.2, 0.3, 0.5}, {0, 0, 1}},
		},
		reward: [][]float64{{0, 1}, {2, 3}, {4, 5}},
	}
}

func TestMDPValidationErrors(t *testing.T) {
	cases := []struct {
		name   string
		change func(a *mdpTestArgs)
		want   string
	}{
		{"no states", func(a *mdpTestArgs) { a.states = 0 }, "rl: states = 0, want ≥ 1"},
		{"no actions", func(a *mdpTestArgs) { a.actions = -1 }, "rl: actions = -1, want ≥ 1"},
		{"discount 1", func(a *mdpTestArgs) { a.discount = 1 }, "rl: discount = 1, want 0 ≤ γ < 1"},
		{"negative discount", func(a *mdpTestArgs) { a.discount = -0.5 }, "rl: discount = -0.5, want 0 ≤ γ < 1"},
		{"NaN discount", func(a *mdpTestArgs) { a.discount = math.NaN() }, "rl: discount = NaN, want 0 ≤ γ < 1"},
		{"initial too short", func(a *mdpTestArgs) { a.initial = a.initial[:2] }, "rl: initial has 2 entries, want 3 (states)"},
		{"initial sum", func(a *mdpTestArgs) { a.initial[2] = 0.1 }, "rl: initial sums to 1.1, want 1 (tolerance 1e-9)"},
		{"initial negative", func(a *mdpTestArgs) { a.initial = []float64{1.5, -0.5, 0} }, "rl: initial[1] = -0.5 is negative"},
		{"initial NaN", func(a *mdpTestArgs) { a.initial[0] = math.NaN() }, "rl: initial[0] = NaN, want a probability"},
		{"transitions rows", func(a *mdpTestArgs) { a.transitions = a.transitions[:2] }, "rl: transitions has 2 rows, want 3 (states)"},
		{"transitions actions", func(a *mdpTestArgs) { a.transitions[1] = a.transitions[1][:1] }, "rl: transitions[1] has 1 rows, want 2 (actions)"},
		{"transitions entries", func(a *mdpTestArgs) { a.transitions[2][0] = []float64{0.5, 0.5} }, "rl: transitions[2][0] has 2 entries, want 3 (states)"},
		{"non-stochastic row", func(a *mdpTestArgs) { a.transitions[2][1] = []float64{0.2, 0.3, 0.4} }, "rl: transitions[2][1] sums to 0.9, want 1 (tolerance 1e-9)"},
		{"negative probability", func(a *mdpTestArgs) { a.transitions[1][0] = []float64{-0.1, 0.1, 1} }, "rl: transitions[1][0][0] = -0.1 is negative"},
		{"NaN probability", func(a *mdpTestArgs) { a.transitions[0][1][2] = math.NaN() }, "rl: transitions[0][1][2] = NaN, want a probability"},
		{"infinite probability", func(a *mdpTestArgs) { a.transitions[0][1][2] = math.Inf(1) }, "rl: transitions[0][1][2] = +Inf, want a probability"},
		{"reward rows", func(a *mdpTestArgs) { a.reward = a.reward[:1] }, "rl: reward has 1 rows, want 3 (states)"},
		{"reward entries", func(a *mdpTestArgs) { a.reward[1] = []float64{1, 2, 3} }, "rl: reward[1] has 3 entries, want 2 (actions)"},
		{"NaN reward", func(a *mdpTestArgs) { a.reward[2][1] = math.NaN() }, "rl: reward[2][1] = NaN, want a finite number"},
		{"infinite reward", func(a *mdpTestArgs) { a.reward[0][0] = math.Inf(-1) }, "rl: reward[0][0] = -Inf, want a finite number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := mdpTestValid()
			tc.change(&a)
			m, err := NewMDP(a.states, a.actions, a.discount, a.initial, a.transitions, a.reward)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.Equal(t, tc.want, err.Error())
			var in ErrInput
			require.True(t, errors.As(err, &in), "want an ErrInput")
		})
	}
}

// The flat constructor checks lengths itself and values as NewMDP does,
// spelling flat positions as nested ones.
func TestMDPFlatValidationErrors(t *testing.T) {
	a := mdpTestValid()
	flat := func(x [][][]float64) []float64 {
		var out []float64
		for _, r := range x {
			for _, row := range r {
				out = append(out, row...)
			}
		}
		return out
	}
	trans := flat(a.transitions)
	reward := flat([][][]float64{a.reward})
	cases := []struct {
		name          string
		trans, reward []float64
		want          string
	}{
		{"transitions length", trans[:17], reward, "rl: transitions has 17 entries, want 18 (states·actions·states)"},
		{"reward length", trans, reward[:5], "rl: reward has 5 entries, want 6 (states·actions)"},
		{"non-stochastic row", append(append([]float64{}, trans[:15]...), 0.2, 0.3, 0.4), reward, "rl: transitions[2][1] sums to 0.9, want 1 (tolerance 1e-9)"},
		{"NaN reward", trans, []float64{0, 1, 2, math.NaN(), 4, 5}, "rl: reward[1][1] = NaN, want a finite number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMDPFlat(3, 2, 0.9, a.initial, tc.trans, tc.reward)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
	m, err := NewMDPFlat(3, 2, 0.9, a.initial, trans, reward)
	require.NoError(t, err)
	n, err := NewMDP(a.states, a.actions, a.discount, a.initial, a.transitions, a.reward)
	require.NoError(t, err)
	assert.Equal(t, n, m, "flat and nested constructors build the same MDP")
}

func TestMDPAccessorsAndCopies(t *testing.T) {
	a := mdpTestValid()
	m, err := NewMDP(a.states, a.actions, a.discount, a.initial, a.transitions, a.reward)
	require.NoError(t, err)
	assert.Equal(t, 3, m.States())
	assert.Equal(t, 2, m.Actions())
	assert.Equal(t, 6, m.Size())
	assert.Equal(t, 0.9, m.Discount())
	assert.Equal(t, 5, m.Index(2, 1))
	assert.Equal(t, []float64{0.5, 0.5, 0}, m.Initial())
	assert.Equal(t, []float64{0.5, 0.5, 0}, m.Next(1, 1))
	assert.Equal(t, 0.3, m.Transitions()[(2*2+0)*3+1])
	assert.Equal(t, 3.0, m.Reward()[m.Index(1, 1)])
	// The MDP keeps copies: changing the inputs afterwards changes nothing.
	a.transitions[1][1][0] = 7
	a.reward[1][1] = 7
	a.initial[0] = 7
	assert.Equal(t, []float64{0.5, 0.5, 0}, m.Next(1, 1))
	assert.Equal(t, 3.0, m.Reward()[3])
	assert.Equal(t, 0.5, m.Initial()[0])
}

func TestMDPQValues(t *testing.T) {
	a := mdpTestValid()
	m, err := NewMDP(a.states, a.actions, a.discount, a.initial, a.transitions, a.reward)
	require.NoError(t, err)
	v := []float64{1, 2, 3}
	q := make([]float64, 6)
	require.NoError(t, m.QValues(q, v, nil))
	// q(s, a) = r(s, a) + 0.9 Σ P(s′|s, a) v(s′), by hand.
	want := []float64{0 + 0.9*1, 1 + 0.9*2, 2 + 0.9*3, 3 + 0.9*1.5, 4 + 0.9*(0.2+0.6+1.5), 5 + 0.9*3}
	assert.InDeltaSlice(t, want, q, 1e-15)
	require.NoError(t, m.QValues(q, v, []float64{1, 1, 1, 1, 1, 1}))
	assert.InDelta(t, 1+0.9*1.5, q[3], 1e-15)

	for _, tc := range []struct {
		name         string
		q, v, reward []float64
		want         string
	}{
		{"short q", make([]float64, 5), v, nil, "rl: q has 5 entries, want 6 (states·actions)"},
		{"short v", q, v[:2], nil, "rl: v has 2 entries, want 3 (states)"},
		{"short reward", q, v, make([]float64, 4), "rl: reward has 4 entries, want 6 (states·actions)"},
		{"NaN reward", q, v, []float64{0, 0, 0, 0, math.NaN(), 0}, "rl: reward[2][0] = NaN, want a finite number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := m.QValues(tc.q, tc.v, tc.reward)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestMDPErrInputFormat(t *testing.T) {
	e := ErrInput{File: "c.json", Line: 7, Column: 12, Path: "transitions[2][1]", Msg: "sums to 0.9, want 1 (tolerance 1e-9)"}
	assert.Equal(t, "rl: c.json: line 7, column 12: transitions[2][1] sums to 0.9, want 1 (tolerance 1e-9)", e.Error())
	assert.Equal(t, "rl: empty input", ErrInput{Msg: "empty input"}.Error())
}
