package constrained

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/saddlepoint/saddle/rl"
)

// A CMDP is a constrained Markov decision process: a finite discounted MDP
// (S, A, γ, μ, P, r) of package rl together with K cost constraints
// J_{c_k}(π) ≤ b_k, k = 1, …, K. The problem is
//
//	maximize_π  J_r(π)   subject to   J_{c_k}(π) ≤ b_k   for every k,
//
// with J the expected discounted sum from the initial distribution μ (not
// normalized by 1 − γ; see the package documentation).
//
// A CMDP is immutable once built and safe for concurrent use. Its exact
// optimum is computed on first use by Optimum and kept.
type CMDP struct {
	mdp  *rl.MDP
	cons []rl.Constraint

	once   sync.Once
	opt    *rl.Optimum
	optErr error
}

// New returns the CMDP of the MDP m with the constraints cons (which may be
// empty: a plain MDP). The constraints are copied. It checks, with
// rl.MDP.CheckConstraints, that every cost has S·A finite entries and every
// threshold is finite; errors name the constraint, as in
//
//	constrained: rl: constraints[1].cost has 3 entries, want 4 (states·actions)
func New(m *rl.MDP, cons []rl.Constraint) (*CMDP, error) {
	if m == nil {
		return nil, errors.New("constrained: New: the MDP is nil")
	}
	if err := m.CheckConstraints(cons); err != nil {
		return nil, fmt.Errorf("constrained: %w", err)
	}
	c := &CMDP{mdp: m, cons: make([]rl.Constraint, len(cons))}
	for k, con := range cons {
		c.cons[k] = rl.Constraint{Cost: append([]float64(nil), con.Cost...), Threshold: con.Threshold}
	}
	return c, nil
}

// FromInstance returns the CMDP of a generated instance (rl.TwoStateCMDP,
// rl.Gridworld, rl.RandomCMDP, …). The instance's own Optimum is not used:
// Optimum solves the linear program afresh, so that it can be checked
// against the instance's closed form.
func FromInstance(in *rl.Instance) (*CMDP, error) {
	if in == nil {
		return nil, errors.New("constrained: FromInstance: the instance is nil")
	}
	return New(in.MDP, in.Constraints)
}

// RandomCMDP returns the built-in problem
// "random-cmdp:states=S,actions=A,constraints=K,seed=N": rl.RandomCMDP
// with discount 0.9 and the source rand.NewPCG(seed, 0xc3d9), so the same
// arguments give the same CMDP. Its thresholds lie halfway between the
// least achievable costs and the costs of the unconstrained optimum, so
// the constraints are feasible and typically binding.
func RandomCMDP(states, actions, constraints int, seed uint64) (*CMDP, error) {
	in, err := rl.RandomCMDP(states, actions, constraints, 0.9, rand.NewPCG(seed, 0xc3d9))
	if err != nil {
		return nil, fmt.Errorf("constrained: random-cmdp: %w", err)
	}
	return FromInstance(in)
}

// GridworldCMDP returns the built-in problem "gridworld-cmdp": the
// default rl.Gridworld (rl.DefaultLayout, deterministic moves, discount
// 0.9) of ALGORITHMS.md B7.3, whose one constraint bounds the discounted
// time on hazard cells by the intermediate threshold halfway between the
// least achievable hazard cost and that of the unconstrained optimum (the
// regime where Lagrangian descent-ascent oscillates most).
func GridworldCMDP() (*CMDP, error) {
	in, err := rl.Gridworld{}.Instance()
	if err != nil {
		return nil, fmt.Errorf("constrained: gridworld-cmdp: %w", err)
	}
	return FromInstance(in)
}

// MDP returns the underlying MDP, whose reward is the one maximized.
func (c *CMDP) MDP() *rl.MDP { return c.mdp }

// Constraints returns the constraints. The slice and the costs are the
// CMDP's own and must not be modified.
func (c *CMDP) Constraints() []rl.Constraint { return c.cons }

// NumConstraints returns K, the number of constraints and of multipliers.
func (c *CMDP) NumConstraints() int { return len(c.cons) }

// checkMultipliers checks that lambda has K finite, nonnegative entries.
func (c *CMDP) checkMultipliers(what string, lambda []float64) error {
	if len(lambda) != len(c.cons) {
		return fmt.Errorf("constrained: %s has %d entries, want %d (one per constraint)", what, len(lambda), len(c.cons))
	}
	for k, v := range lambda {
		if !(v >= 0) || v > maxFinite {
			return fmt.Errorf("constrained: %s[%d] = %v, want a finite number ≥ 0", what, k, v)
		}
	}
	return nil
}

// checkPolicy checks that pi fits the MDP.
func (c *CMDP) checkPolicy(what string, pi *rl.Policy) error {
	if pi == nil {
		return fmt.Errorf("constrained: %s is nil", what)
	}
	if pi.States() != c.mdp.States() || pi.Actions() != c.mdp.Actions() {
		return fmt.Errorf("constrained: %s is %d×%d, want %d×%d (states×actions)", what, pi.States(), pi.Actions(), c.mdp.States(), c.mdp.Actions())
	}
	return nil
}

// maxFinite is the largest finite float64.
const maxFinite = 1.7976931348623157e308
