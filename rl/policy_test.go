package rl

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPolicyConstructors(t *testing.T) {
	u, err := Uniform(2, 4)
	require.NoError(t, err)
	assert.Equal(t, []float64{0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25}, u.Probs())

	d, err := Deterministic(3, []int{2, 0})
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0, 1, 1, 0, 0}, d.Probs())
	assert.Equal(t, 2, d.States())
	assert.Equal(t, 3, d.Actions())

	// Softmax of (0, ln 3) is (1/4, 3/4); a huge logit does not overflow.
	s, err := Softmax(2, 2, []float64{0, math.Log(3), 1000, 0})
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{0.25, 0.75, 1, 0}, s.Probs(), 1e-15)

	n, err := NewPolicy([][]float64{{0.3, 0.7}, {1, 0}})
	require.NoError(t, err)
	assert.Equal(t, 0.7, n.Prob(0, 1))
	assert.Equal(t, []float64{1, 0}, n.Row(1))

	// Greedy: first maximizer; values equal up to rounding count as ties.
	g, err := Greedy(3, 3, []float64{1, 3, 2, 0.1 + 0.2, 0.3, 0, -1, -1, -2})
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 1, 0, 1, 0, 0, 1, 0, 0}, g.Probs())

	c := n.Clone()
	require.NoError(t, c.Copy(d2x2(t)))
	assert.Equal(t, []float64{0.3, 0.7, 1, 0}, n.Probs(), "Clone copies")
	assert.Equal(t, []float64{0, 1, 0, 1}, c.Probs())
}

func d2x2(t *testing.T) *Policy {
	p, err := Deterministic(2, []int{1, 1})
	require.NoError(t, err)
	return p
}

func TestPolicyFromOccupancy(t *testing.T) {
	// State 1 is never visited: uniform there. A rounding-level negative
	// entry reads as 0.
	p, err := FromOccupancy(3, 2, []float64{1, 3, 0, 0, -1e-15, 2})
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{0.25, 0.75, 0.5, 0.5, 0, 1}, p.Probs(), 1e-15)

	_, err = FromOccupancy(2, 2, []float64{1, 3, -0.5, 2})
	require.Error(t, err)
	assert.Equal(t, "rl: occupancy[1][0] = -0.5 is negative", err.Error())
}

func TestPolicyValidationErrors(t *testing.T) {
	cases := []struct {
		name  string
		build func() (*Policy, error)
		want  string
	}{
		{"no rows", func() (*Policy, error) { return NewPolicy(nil) }, "rl: policy has no rows, want ≥ 1 (states)"},
		{"empty row", func() (*Policy, error) { return NewPolicy([][]float64{{}}) }, "rl: policy[0] is empty, want ≥ 1 entry (actions)"},
		{"ragged", func() (*Policy, error) { return NewPolicy([][]float64{{1, 0}, {1}}) }, "rl: policy[1] has 1 entries, want 2 (actions)"},
		{"row sum", func() (*Policy, error) { return NewPolicy([][]float64{{1, 0}, {0.6, 0.3}}) }, "rl: policy[1] sums to 0.9, want 1 (tolerance 1e-9)"},
		{"negative", func() (*Policy, error) { return NewPolicy([][]float64{{1.2, -0.2}}) }, "rl: policy[0][1] = -0.2 is negative"},
		{"NaN", func() (*Policy, error) { return NewPolicy([][]float64{{math.NaN(), 1}}) }, "rl: policy[0][0] = NaN, want a probability"},
		{"flat length", func() (*Policy, error) { return NewPolicyFlat(2, 2, []float64{1, 0, 1}) }, "rl: policy has 3 entries, want 4 (states·actions)"},
		{"flat states", func() (*Policy, error) { return NewPolicyFlat(0, 2, nil) }, "rl: states = 0, want ≥ 1"},
		{"flat sum", func() (*Policy, error) { return NewPolicyFlat(2, 2, []float64{1, 0, 0.5, 0.4}) }, "rl: policy[1] sums to 0.9, want 1 (tolerance 1e-9)"},
		{"uniform actions", func() (*Policy, error) { return Uniform(2, 0) }, "rl: actions = 0, want ≥ 1"},
		{"deterministic range", func() (*Policy, error) { return Deterministic(2, []int{0, 2}) }, "rl: choice[1] = 2, want an action in [0, 2)"},
		{"deterministic empty", func() (*Policy, error) { return Deterministic(2, nil) }, "rl: states = 0, want ≥ 1"},
		{"softmax length", func() (*Policy, error) { return Softmax(2, 2, []float64{0}) }, "rl: logits has 1 entries, want 4 (states·actions)"},
		{"softmax NaN", func() (*Policy, error) { return Softmax(2, 2, []float64{0, 0, math.Inf(1), 0}) }, "rl: logits[1][0] = +Inf, want a finite number"},
		{"greedy NaN", func() (*Policy, error) { return Greedy(1, 2, []float64{0, math.NaN()}) }, "rl: q[0][1] = NaN, want a finite number"},
		{"occupancy length", func() (*Policy, error) { return FromOccupancy(1, 2, []float64{0}) }, "rl: occupancy has 1 entries, want 2 (states·actions)"},
		{"occupancy Inf", func() (*Policy, error) { return FromOccupancy(1, 2, []float64{0, math.Inf(1)}) }, "rl: occupancy[0][1] = +Inf, want a finite number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.build()
			require.Error(t, err)
			assert.Nil(t, p)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// The in-place setters leave the policy unchanged on error and allocate
// nothing.
func TestPolicySettersInPlace(t *testing.T) {
	p, err := Uniform(3, 2)
	require.NoError(t, err)
	before := append([]float64(nil), p.Probs()...)
	require.Error(t, p.SetSoftmax([]float64{0, 0, 0, 0, 0, math.NaN()}))
	require.Error(t, p.SetGreedy([]float64{0, 0, 0}))
	require.Error(t, p.SetFromOccupancy([]float64{0, 0, 0, 0, 0, -1}))
	require.Error(t, p.Copy(d2x2(t)))
	err = p.SetProbs([]float64{1, 0, 0.5, 0.5, 0.2, 0.7})
	require.Error(t, err)
	assert.Equal(t, "rl: policy[2] sums to 0.9, want 1 (tolerance 1e-9)", err.Error())
	assert.Equal(t, before, p.Probs())
	require.NoError(t, p.SetProbs([]float64{1, 0, 0.5, 0.5, 0.2, 0.8}))
	assert.Equal(t, []float64{1, 0, 0.5, 0.5, 0.2, 0.8}, p.Probs())

	logits := []float64{0, 1, 2, 3, 4, 5}
	q := []float64{0, 1, 1, 0, 2, 2}
	d := []float64{1, 1, 0, 2, 3, 1}
	probs := []float64{0, 1, 1, 0, 0.5, 0.5}
	allocs := testing.AllocsPerRun(100, func() {
		_ = p.SetProbs(probs)
		_ = p.SetSoftmax(logits)
		_ = p.SetGreedy(q)
		_ = p.SetFromOccupancy(d)
	})
	assert.Zero(t, allocs)
	assert.Equal(t, []float64{0.5, 0.5, 0, 1, 0.75, 0.25}, p.Probs())
}
