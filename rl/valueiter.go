package rl

import (
	"fmt"
	"math"
	"slices"
)

// Status says how ValueIteration or PolicyIteration ended. The zero value
// is NotTerminated, so a zero Result is never reported as converged.
type Status int

const (
	// NotTerminated: the run has not ended.
	NotTerminated Status = iota
	// Converged: the tolerance was reached (value iteration) or the policy
	// stopped changing (policy iteration).
	Converged
	// IterationLimit: Settings.MaxIterations iterations were done first.
	IterationLimit
)

// String returns "not-terminated", "converged" or "iteration-limit", the
// spelling of the vi package's statuses.
func (s Status) String() string {
	switch s {
	case NotTerminated:
		return "not-terminated"
	case Converged:
		return "converged"
	case IterationLimit:
		return "iteration-limit"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Settings bounds a run of ValueIteration or PolicyIteration. A nil
// *Settings means the zero value, whose defaults are documented per field.
type Settings struct {
	// Tol is the accuracy wanted: value iteration stops as soon as its
	// iterate is certified within Tol of V* in the max norm. Zero means
	// 1e-10; a negative value disables the test (then MaxIterations must
	// be positive). Policy iteration stops when its policy is stable and
	// does not use Tol.
	Tol float64
	// MaxIterations caps the number of iterations: Bellman backups for
	// value iteration, policy evaluations for policy iteration. Zero means
	// 100,000; a negative value means no limit.
	MaxIterations int
}

// defaults returns the tolerance and iteration cap (−1: none) of s.
func (s *Settings) defaults() (tol float64, maxIter int, err error) {
	var z Settings
	if s == nil {
		s = &z
	}
	tol, maxIter = s.Tol, s.MaxIterations
	switch {
	case math.IsNaN(tol):
		return 0, 0, inputErr("Settings.Tol", "= NaN, want a number")
	case tol == 0:
		tol = 1e-10
	}
	switch {
	case maxIter == 0:
		maxIter = 100000
	case maxIter < 0:
		maxIter = -1
	}
	return tol, maxIter, nil
}

// A Result is the outcome of ValueIteration or PolicyIteration.
type Result struct {
	V []float64 // value estimate, length S
	Q []float64 // one-step look-ahead of V, Q = r + γPV, flat S·A
	// Policy is a deterministic policy greedy with respect to Q: the first
	// maximizing action for value iteration; for policy iteration its last
	// policy, which breaks ties in favour of its previous action.
	Policy   *Policy
	Value    float64 // Σ_s μ(s) V(s)
	Residual float64 // Bellman residual ‖T V − V‖∞ at V, so ‖V − V*‖∞ ≤ Residual/(1 − γ)
	// Iterations counts Bellman backups (value iteration) or policy
	// evaluations (policy iteration).
	Iterations int
	Status     Status
}

// ValueIteration computes the optimal value V* of m for the reward r given
// flat (nil means the MDP's reward) by the fixed-point iteration
//
//	V_0 = 0,   V_{k+1} = T V_k,   (T V)(s) = max_a [r(s, a) + γ Σ_{s′} P(s′ | s, a) V(s′)],
//
// a γ-contraction in the max norm (Bellman 1957; Puterman, "Markov
// Decision Processes", Wiley 1994, §6.3). It stops at the first V_k with
// ‖T V_k − V_k‖∞ ≤ (1 − γ)·Tol, which certifies ‖V_k − V*‖∞ ≤ Tol, and
// returns V_k with its look-ahead Q, its greedy policy and the residual.
// About log((1 − γ)Tol/‖r‖∞)/log γ backups are needed, each O(S²A).
// Reaching MaxIterations first is reported by Status, not as an error.
func ValueIteration(m *MDP, reward []float64, s *Settings) (*Result, error) {
	tol, maxIter, err := s.defaults()
	if err != nil {
		return nil, err
	}
	if tol < 0 && maxIter < 0 {
		return nil, inputErr("Settings", "has neither a tolerance nor an iteration limit, so value iteration would not stop")
	}
	r, err := m.rewardOrOwn(reward, "reward")
	if err != nil {
		return nil, err
	}
	n, na := m.states, m.actions
	v, w := make([]float64, n), make([]float64, n)
	q := make([]float64, m.Size())
	res := &Result{}
	for {
		m.lookahead(q, v, r)
		delta := 0.0
		for st := 0; st < n; st++ {
			w[st] = slices.Max(q[st*na : (st+1)*na])
			delta = math.Max(delta, math.Abs(w[st]-v[st]))
		}
		res.Residual = delta
		if tol >= 0 && delta <= (1-m.discount)*tol {
			res.Status = Converged
			break
		}
		if maxIter >= 0 && res.Iterations >= maxIter {
			res.Status = IterationLimit
			break
		}
		v, w = w, v
		res.Iterations++
	}
	return res.finish(m, v, q)
}

// finish fills V, Q, the greedy policy and the value.
func (res *Result) finish(m *MDP, v, q []float64) (*Result, error) {
	res.V, res.Q = v, q
	pi, err := Greedy(m.states, m.actions, q)
	if err != nil {
		return nil, err
	}
	res.Policy = pi
	for st, p := range m.initial {
		res.Value += p * v[st]
	}
	return res, nil
}

// PolicyIteration computes an optimal deterministic policy of m, and its
// exact value V*, for the reward r given flat (nil means the MDP's reward)
// by Howard's policy iteration (Howard, "Dynamic Programming and Markov
// Processes", MIT Press 1960; Puterman 1994, §6.4):
//
//	π_0 greedy for r,   V_k = V^{π_k} (exact, by Evaluator),
//	π_{k+1}(s) = argmax_a Q_k(s, a),   Q_k = r + γ P V_k,
//
// where π_{k+1} keeps π_k's action unless another is better by more than
// 1e-12·(1 + |Q|) (so that rounding cannot make it cycle). It stops when
// the policy no longer changes; that takes at most Aˢ and in practice a
// handful of evaluations, each O(S³ + S²A). When Status is Converged the
// Result holds an optimal policy, its value V = V* (exact up to rounding)
// and a Bellman residual at the rounding level. When MaxIterations stopped
// the run, V is the value of the last evaluated policy and Policy its
// improvement, not yet evaluated.
func PolicyIteration(m *MDP, reward []float64, s *Settings) (*Result, error) {
	_, maxIter, err := s.defaults()
	if err != nil {
		return nil, err
	}
	r, err := m.rewardOrOwn(reward, "reward")
	if err != nil {
		return nil, err
	}
	n, na := m.states, m.actions
	choice := make([]int, n)
	for st := range choice {
		choice[st] = greedyAction(r[st*na : (st+1)*na])
	}
	pi, err := Deterministic(na, choice)
	if err != nil {
		return nil, err
	}
	e := NewEvaluator(m)
	v, q := make([]float64, n), make([]float64, m.Size())
	res := &Result{}
	for {
		if err := e.SetPolicy(pi); err != nil {
			return nil, err
		}
		if err := e.Values(v, q, r); err != nil {
			return nil, err
		}
		res.Iterations++
		changed := false
		res.Residual = 0
		for st := 0; st < n; st++ {
			qs := q[st*na : (st+1)*na]
			top := slices.Max(qs)
			res.Residual = math.Max(res.Residual, math.Abs(top-v[st]))
			if cur := choice[st]; qs[cur] < top-tieTol(top) {
				pi.prob[st*na+cur] = 0
				choice[st] = greedyAction(qs)
				pi.prob[st*na+choice[st]] = 1
				changed = true
			}
		}
		if !changed {
			res.Status = Converged
			break
		}
		if maxIter >= 0 && res.Iterations >= maxIter {
			res.Status = IterationLimit
			break
		}
	}
	if _, err := res.finish(m, v, q); err != nil {
		return nil, err
	}
	res.Policy = pi // greedy for Q too, with ties kept at the previous action
	return res, nil
}
