package rl

import (
	"math"
)

// An MDP is a finite discounted Markov decision process
// (S, A, γ, μ, P, r): S states and A actions numbered from 0, a discount
// γ ∈ [0, 1), an initial distribution μ over states, transition
// probabilities P(s′ | s, a) and a reward r(s, a) received when action a is
// taken in state s.
//
// An MDP is immutable once built, so it may be shared between goroutines.
// Its arrays are stored flat, row-major: r(s, a) at index s·A + a and
// P(s′ | s, a) at (s·A + a)·S + s′. Every function of this package that
// takes a reward, a cost or an occupancy measure takes it in this flat
// [s][a] layout, of length S·A.
type MDP struct {
	states, actions int
	discount        float64
	initial         []float64 // μ, length S
	trans           []float64 // P, length S·A·S
	reward          []float64 // r, length S·A
}

// NewMDP returns the MDP with the given number of states and actions,
// discount γ, initial distribution μ (length S), transition probabilities
// transitions[s][a][s′] = P(s′ | s, a) (shape S×A×S) and reward
// reward[s][a] (shape S×A). The data are copied.
//
// It checks everything and returns an ErrInput naming the first bad value:
// S, A ≥ 1; 0 ≤ γ < 1; every shape; μ and every transition row finite,
// nonnegative and summing to 1 within 1e-9; rewards finite.
func NewMDP(states, actions int, discount float64, initial []float64, transitions [][][]float64, reward [][]float64) (*MDP, error) {
	if err := checkDims(states, actions, discount); err != nil {
		return nil, err
	}
	if len(transitions) != states {
		return nil, inputErr("transitions", "has %d rows, want %d (states)", len(transitions), states)
	}
	for s, rows := range transitions {
		if len(rows) != actions {
			return nil, inputErr(index1("transitions", s), "has %d rows, want %d (actions)", len(rows), actions)
		}
		for a, row := range rows {
			if len(row) != states {
				return nil, inputErr(index2("transitions", s, a), "has %d entries, want %d (states)", len(row), states)
			}
		}
	}
	if len(reward) != states {
		return nil, inputErr("reward", "has %d rows, want %d (states)", len(reward), states)
	}
	for s, row := range reward {
		if len(row) != actions {
			return nil, inputErr(index1("reward", s), "has %d entries, want %d (actions)", len(row), actions)
		}
	}
	// All shapes match the data, so these sizes are those of real slices.
	trans := make([]float64, 0, states*actions*states)
	for _, rows := range transitions {
		for _, row := range rows {
			trans = append(trans, row...)
		}
	}
	r := make([]float64, 0, states*actions)
	for _, row := range reward {
		r = append(r, row...)
	}
	return newMDP(states, actions, discount, initial, trans, r)
}

// NewMDPFlat is NewMDP with the transitions and rewards given flat in the
// layout of MDP: transitions of length S·A·S, reward of length S·A. The data
// are copied; errors name values as NewMDP does ("transitions[2][1]").
func NewMDPFlat(states, actions int, discount float64, initial, transitions, reward []float64) (*MDP, error) {
	if err := checkDims(states, actions, discount); err != nil {
		return nil, err
	}
	if len(transitions) != states*actions*states {
		return nil, inputErr("transitions", "has %d entries, want %d (states·actions·states)", len(transitions), states*actions*states)
	}
	if len(reward) != states*actions {
		return nil, inputErr("reward", "has %d entries, want %d (states·actions)", len(reward), states*actions)
	}
	return newMDP(states, actions, discount, initial,
		append([]float64(nil), transitions...), append([]float64(nil), reward...))
}

// checkDims checks S, A and γ.
func checkDims(states, actions int, discount float64) error {
	if states < 1 {
		return inputErr("states", "= %d, want ≥ 1", states)
	}
	if actions < 1 {
		return inputErr("actions", "= %d, want ≥ 1", actions)
	}
	if actions > math.MaxInt/states/states {
		return inputErr("actions", "= %d: %d states × %d actions × %d states is too large", actions, states, actions, states)
	}
	if !(discount >= 0 && discount < 1) { // also catches NaN
		return inputErr("discount", "= %v, want 0 ≤ γ < 1", discount)
	}
	return nil
}

// newMDP validates the values and takes ownership of trans and r (already
// of the right lengths); initial is copied.
func newMDP(states, actions int, discount float64, initial, trans, r []float64) (*MDP, error) {
	if len(initial) != states {
		return nil, inputErr("initial", "has %d entries, want %d (states)", len(initial), states)
	}
	if bad, sum, ok := checkDistribution(initial); !ok {
		return nil, distributionErr(initial, bad, sum, "initial", func(i int) string { return index1("initial", i) })
	}
	for s := 0; s < states; s++ {
		for a := 0; a < actions; a++ {
			row := trans[(s*actions+a)*states : (s*actions+a+1)*states]
			if bad, sum, ok := checkDistribution(row); !ok {
				return nil, distributionErr(row, bad, sum, index2("transitions", s, a), func(i int) string { return index3("transitions", s, a, i) })
			}
		}
	}
	if err := checkFinite(r, func(i int) string { return index2("reward", i/actions, i%actions) }); err != nil {
		return nil, err
	}
	return &MDP{
		states:   states,
		actions:  actions,
		discount: discount,
		initial:  append([]float64(nil), initial...),
		trans:    trans,
		reward:   r,
	}, nil
}

// States returns the number of states S.
func (m *MDP) States() int { return m.states }

// Actions returns the number of actions A.
func (m *MDP) Actions() int { return m.actions }

// Discount returns the discount γ.
func (m *MDP) Discount() float64 { return m.discount }

// Initial returns the initial distribution μ. The slice is the MDP's own
// and must not be modified.
func (m *MDP) Initial() []float64 { return m.initial }

// Transitions returns all transition probabilities, P(s′ | s, a) at
// (s·A + a)·S + s′. The slice is the MDP's own and must not be modified.
func (m *MDP) Transitions() []float64 { return m.trans }

// Next returns the distribution P(· | s, a) of the next state. The slice is
// the MDP's own and must not be modified.
func (m *MDP) Next(s, a int) []float64 {
	i := (s*m.actions + a) * m.states
	return m.trans[i : i+m.states]
}

// Reward returns the reward, r(s, a) at s·A + a. The slice is the MDP's own
// and must not be modified.
func (m *MDP) Reward() []float64 { return m.reward }

// Index returns s·A + a, the position of (s, a) in rewards, costs,
// Q-values, occupancy measures and policies.
func (m *MDP) Index(s, a int) int { return s*m.actions + a }

// Size returns S·A, the length of rewards, costs, Q-values, occupancy
// measures and policies.
func (m *MDP) Size() int { return m.states * m.actions }

// rewardOrOwn returns reward, or the MDP's reward when reward is nil, after
// checking its length and that it is finite. what names it in errors.
func (m *MDP) rewardOrOwn(reward []float64, what string) ([]float64, error) {
	if reward == nil {
		return m.reward, nil
	}
	if len(reward) != m.Size() {
		return nil, inputErr(what, "has %d entries, want %d (states·actions)", len(reward), m.Size())
	}
	for i, v := range reward {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, inputErr(index2(what, i/m.actions, i%m.actions), "= %v, want a finite number", v)
		}
	}
	return reward, nil
}

// QValues sets q(s, a) = r(s, a) + γ Σ_{s′} P(s′ | s, a) v(s′), the one-step
// look-ahead of v, for reward r (nil means the MDP's reward). q has length
// S·A and v length S. It returns an error for wrong lengths or a non-finite
// reward.
func (m *MDP) QValues(q, v, reward []float64) error {
	r, err := m.rewardOrOwn(reward, "reward")
	if err != nil {
		return err
	}
	if len(q) != m.Size() {
		return inputErr("q", "has %d entries, want %d (states·actions)", len(q), m.Size())
	}
	if len(v) != m.states {
		return inputErr("v", "has %d entries, want %d (states)", len(v), m.states)
	}
	m.lookahead(q, v, r)
	return nil
}

// lookahead sets q = r + γ P v without checks.
func (m *MDP) lookahead(q, v, r []float64) {
	n := m.states
	for i := range q {
		row := m.trans[i*n : (i+1)*n]
		sum := 0.0
		for j, p := range row {
			sum += p * v[j]
		}
		q[i] = r[i] + m.discount*sum
	}
}
