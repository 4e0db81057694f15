package rl

import (
	"math"
)

// A Policy is a stationary stochastic policy π(a | s) of an MDP with S
// states and A actions: each of its S rows is a probability distribution
// over actions. It is stored flat, π(a | s) at s·A + a, like rewards.
//
// Constructors check that every row is a distribution; the Set methods
// change a policy in place, without allocating, and keep it valid.
type Policy struct {
	states, actions int
	prob            []float64
}

// NewPolicy returns the policy with π(a | s) = probs[s][a]; probs has S
// rows of A entries each. Every row must be finite, nonnegative and sum to
// 1 within 1e-9; errors name the first bad value ("policy[1] sums to 0.9,
// want 1 (tolerance 1e-9)").
func NewPolicy(probs [][]float64) (*Policy, error) {
	if len(probs) == 0 {
		return nil, inputErr("policy", "has no rows, want ≥ 1 (states)")
	}
	actions := len(probs[0])
	if actions == 0 {
		return nil, inputErr(index1("policy", 0), "is empty, want ≥ 1 entry (actions)")
	}
	flat := make([]float64, 0, len(probs)*actions)
	for s, row := range probs {
		if len(row) != actions {
			return nil, inputErr(index1("policy", s), "has %d entries, want %d (actions)", len(row), actions)
		}
		flat = append(flat, row...)
	}
	return newPolicy(len(probs), actions, flat)
}

// NewPolicyFlat returns the policy with π(a | s) = probs[s·A + a]. The data
// are copied and checked as by NewPolicy.
func NewPolicyFlat(states, actions int, probs []float64) (*Policy, error) {
	if err := checkPolicyDims(states, actions); err != nil {
		return nil, err
	}
	if len(probs) != states*actions {
		return nil, inputErr("policy", "has %d entries, want %d (states·actions)", len(probs), states*actions)
	}
	return newPolicy(states, actions, append([]float64(nil), probs...))
}

func checkPolicyDims(states, actions int) error {
	if states < 1 {
		return inputErr("states", "= %d, want ≥ 1", states)
	}
	if actions < 1 {
		return inputErr("actions", "= %d, want ≥ 1", actions)
	}
	return nil
}

// newPolicy checks the rows of flat and takes ownership of it.
func newPolicy(states, actions int, flat []float64) (*Policy, error) {
	if err := checkRows(states, actions, flat); err != nil {
		return nil, err
	}
	return &Policy{states: states, actions: actions, prob: flat}, nil
}

// checkRows checks that every row of a flat policy is a distribution,
// allocating nothing unless it fails.
func checkRows(states, actions int, flat []float64) error {
	for s := 0; s < states; s++ {
		row := flat[s*actions : (s+1)*actions]
		if bad, sum, ok := checkDistribution(row); !ok {
			return distributionErr(row, bad, sum, index1("policy", s), func(a int) string { return index2("policy", s, a) })
		}
	}
	return nil
}

// Uniform returns the policy that picks every action with probability 1/A.
func Uniform(states, actions int) (*Policy, error) {
	if err := checkPolicyDims(states, actions); err != nil {
		return nil, err
	}
	p := &Policy{states: states, actions: actions, prob: make([]float64, states*actions)}
	for i := range p.prob {
		p.prob[i] = 1 / float64(actions)
	}
	return p, nil
}

// Deterministic returns the policy that takes action choice[s] in state s,
// for S = len(choice) states and the given number of actions.
func Deterministic(actions int, choice []int) (*Policy, error) {
	if err := checkPolicyDims(len(choice), actions); err != nil {
		return nil, err
	}
	p := &Policy{states: len(choice), actions: actions, prob: make([]float64, len(choice)*actions)}
	for s, a := range choice {
		if a < 0 || a >= actions {
			return nil, inputErr(index1("choice", s), "= %d, want an action in [0, %d)", a, actions)
		}
		p.prob[s*actions+a] = 1
	}
	return p, nil
}

// Softmax returns the policy π(a | s) = exp(θ(s, a)) / Σ_b exp(θ(s, b)) of
// the logits θ, given flat (θ(s, a) at s·A + a). The logits must be finite.
func Softmax(states, actions int, logits []float64) (*Policy, error) {
	if err := checkPolicyDims(states, actions); err != nil {
		return nil, err
	}
	p := &Policy{states: states, actions: actions, prob: make([]float64, states*actions)}
	if err := p.SetSoftmax(logits); err != nil {
		return nil, err
	}
	return p, nil
}

// Greedy returns the deterministic policy that takes in each state s the
// first action a maximizing q(s, a), where q is given flat (q(s, a) at
// s·A + a). Actions within 1e-12·(1 + |max|) of the maximum count as ties,
// so that rounding does not decide between equal Q-values.
func Greedy(states, actions int, q []float64) (*Policy, error) {
	if err := checkPolicyDims(states, actions); err != nil {
		return nil, err
	}
	p := &Policy{states: states, actions: actions, prob: make([]float64, states*actions)}
	if err := p.SetGreedy(q); err != nil {
		return nil, err
	}
	return p, nil
}

// FromOccupancy returns the policy π(a | s) = d(s, a) / Σ_b d(s, b) of an
// occupancy measure d given flat, uniform in states where Σ_b d(s, b) = 0
// (states the measure never visits). Entries must be finite and
// nonnegative; entries in [−1e-9·max d, 0), rounding errors of an LP
// solver, are read as 0.
func FromOccupancy(states, actions int, d []float64) (*Policy, error) {
	if err := checkPolicyDims(states, actions); err != nil {
		return nil, err
	}
	p := &Policy{states: states, actions: actions, prob: make([]float64, states*actions)}
	if err := p.SetFromOccupancy(d); err != nil {
		return nil, err
	}
	return p, nil
}

// States returns the number of states S.
func (p *Policy) States() int { return p.states }

// Actions returns the number of actions A.
func (p *Policy) Actions() int { return p.actions }

// Prob returns π(a | s).
func (p *Policy) Prob(s, a int) float64 { return p.prob[s*p.actions+a] }

// Row returns the distribution π(· | s). The slice is the policy's own and
// must not be modified.
func (p *Policy) Row(s int) []float64 { return p.prob[s*p.actions : (s+1)*p.actions] }

// Probs returns all probabilities, π(a | s) at s·A + a. The slice is the
// policy's own and must not be modified.
func (p *Policy) Probs() []float64 { return p.prob }

// Clone returns a copy of p.
func (p *Policy) Clone() *Policy {
	return &Policy{states: p.states, actions: p.actions, prob: append([]float64(nil), p.prob...)}
}

// Copy sets p to q; both must have the same shape.
func (p *Policy) Copy(q *Policy) error {
	if err := p.sameShape(q.states, q.actions); err != nil {
		return err
	}
	copy(p.prob, q.prob)
	return nil
}

func (p *Policy) sameShape(states, actions int) error {
	if states != p.states || actions != p.actions {
		return inputErr("policy", "is %d×%d, want %d×%d (states×actions)", states, actions, p.states, p.actions)
	}
	return nil
}

// checkLen checks the length of a flat [s][a] argument named what.
func (p *Policy) checkLen(x []float64, what string) error {
	if len(x) != p.states*p.actions {
		return inputErr(what, "has %d entries, want %d (states·actions)", len(x), p.states*p.actions)
	}
	return nil
}

// SetProbs sets π(a | s) = probs[s·A + a]. Every row must be a
// distribution, as for NewPolicy. It does not allocate. On error p is
// unchanged.
func (p *Policy) SetProbs(probs []float64) error {
	if err := p.checkLen(probs, "policy"); err != nil {
		return err
	}
	if err := checkRows(p.states, p.actions, probs); err != nil {
		return err
	}
	copy(p.prob, probs)
	return nil
}

// SetSoftmax sets p to the softmax of the logits θ (flat, θ(s, a) at
// s·A + a): π(a | s) = exp(θ(s, a) − max_b θ(s, b)) / Σ_b exp(θ(s, b) −
// max_b θ(s, b)). It does not allocate. On error (wrong length, a
// non-finite logit) p is unchanged.
func (p *Policy) SetSoftmax(logits []float64) error {
	if err := p.checkLen(logits, "logits"); err != nil {
		return err
	}
	if err := checkFinite(logits, func(i int) string { return index2("logits", i/p.actions, i%p.actions) }); err != nil {
		return err
	}
	for s := 0; s < p.states; s++ {
		th := logits[s*p.actions : (s+1)*p.actions]
		row := p.prob[s*p.actions : (s+1)*p.actions]
		top := math.Inf(-1)
		for _, v := range th {
			top = math.Max(top, v)
		}
		sum := 0.0
		for a, v := range th {
			row[a] = math.Exp(v - top)
			sum += row[a]
		}
		for a := range row {
			row[a] /= sum
		}
	}
	return nil
}

// SetGreedy sets p to the greedy policy of q, as Greedy does. It does not
// allocate. On error (wrong length, a non-finite value) p is unchanged.
func (p *Policy) SetGreedy(q []float64) error {
	if err := p.checkLen(q, "q"); err != nil {
		return err
	}
	if err := checkFinite(q, func(i int) string { return index2("q", i/p.actions, i%p.actions) }); err != nil {
		return err
	}
	for s := 0; s < p.states; s++ {
		row := p.prob[s*p.actions : (s+1)*p.actions]
		best := greedyAction(q[s*p.actions : (s+1)*p.actions])
		for a := range row {
			row[a] = 0
		}
		row[best] = 1
	}
	return nil
}

// greedyAction returns the first action within the tie tolerance of the
// maximum of q.
func greedyAction(q []float64) int {
	top := math.Inf(-1)
	for _, v := range q {
		top = math.Max(top, v)
	}
	tol := tieTol(top)
	for a, v := range q {
		if v >= top-tol {
			return a
		}
	}
	return 0
}

// tieTol is the tolerance under which two Q-values near v count as equal.
func tieTol(v float64) float64 { return 1e-12 * (1 + math.Abs(v)) }

// SetFromOccupancy sets p to the policy of the occupancy measure d, as
// FromOccupancy does. It does not allocate. On error p is unchanged.
func (p *Policy) SetFromOccupancy(d []float64) error {
	if err := p.checkLen(d, "occupancy"); err != nil {
		return err
	}
	top := 0.0
	for i, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return inputErr(index2("occupancy", i/p.actions, i%p.actions), "= %v, want a finite number", v)
		}
		top = math.Max(top, v)
	}
	for i, v := range d {
		if v < -1e-9*top || (v < 0 && top == 0) {
			return inputErr(index2("occupancy", i/p.actions, i%p.actions), "= %v is negative", v)
		}
	}
	for s := 0; s < p.states; s++ {
		ds := d[s*p.actions : (s+1)*p.actions]
		row := p.prob[s*p.actions : (s+1)*p.actions]
		sum := 0.0
		for _, v := range ds {
			sum += math.Max(v, 0)
		}
		for a, v := range ds {
			if sum > 0 {
				row[a] = math.Max(v, 0) / sum
			} else {
				row[a] = 1 / float64(p.actions)
			}
		}
	}
	return nil
}
