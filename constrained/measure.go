package constrained

import (
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/rl"
)

// Measures are the exact measures of a policy-multiplier pair (π, λ) of a
// CMDP, against its exact optimum (Optimum): J* the optimal reward, λ*
// the LP's optimal multipliers and Λ = MultiplierBound().
type Measures struct {
	// Reward is J_r(π).
	Reward float64
	// Costs holds J_{c_k}(π), one per constraint.
	Costs []float64
	// Violation is max_k max(0, J_{c_k}(π) − b_k); 0 for a feasible π.
	Violation float64
	// RewardGap is |J_r(π) − J*|. An infeasible π may earn more than J*.
	RewardGap float64
	// MultiplierDistance is ‖λ − λ*‖₂ for the λ* of Optimum. Optimal
	// multipliers need not be unique, so this need not tend to 0 even when
	// LagrangianGap does.
	MultiplierDistance float64
	// Lagrangian is L(π, λ) = J_r(π) − Σ_k λ_k (J_{c_k}(π) − b_k).
	Lagrangian float64
	// Dual is D(λ) = max_π′ L(π′, λ) ≥ J*, by policy iteration (CMDP.Dual).
	Dual float64
	// LagrangianGap is the duality gap of the Lagrangian game with the
	// multipliers restricted to the box [0, Λ]ᴷ,
	//
	//	max_π′ L(π′, λ) − min_{λ′∈[0,Λ]ᴷ} L(π, λ′) = D(λ) − J_r(π) + Λ Σ_k max(0, J_{c_k}(π) − b_k).
	//
	// It is ≥ (Λ − max_k λ*_k)·Σ_k max(0, J_{c_k}(π) − b_k) ≥ 0, because
	// J_r(π) ≤ L(π, λ*) + Σ_k λ*_k max(0, J_{c_k}(π) − b_k) ≤ J* + …, and it
	// is 0 exactly when π is optimal (feasible with J_r(π) = J*) and λ is
	// an optimal multiplier (D(λ) = J*). (Over all of λ ≥ 0 the inner
	// minimum is −∞ for an infeasible π; the box keeps the certificate
	// finite.) It bounds both J* − J_r(π) ≤ LagrangianGap and
	// D(λ) − J* ≤ LagrangianGap.
	LagrangianGap float64
}

// A Measurer computes Measures of a CMDP exactly, with its own Evaluator
// and best-response solver, without allocating (after the first call for
// a given Measures). It is not safe for concurrent use.
type Measurer struct {
	c     *CMDP
	opt   *rl.Optimum
	bound float64
	e     *rl.Evaluator
	br    *bestResponder
	evals int
}

// NewMeasurer returns a Measurer for c. It solves the CMDP exactly
// (Optimum) and returns its error, which wraps rl.ErrInfeasible for an
// infeasible CMDP.
func NewMeasurer(c *CMDP) (*Measurer, error) {
	if c == nil {
		return nil, fmt.Errorf("constrained: NewMeasurer: the CMDP is nil")
	}
	opt, err := c.Optimum()
	if err != nil {
		return nil, err
	}
	return &Measurer{
		c:     c,
		opt:   opt,
		bound: multiplierBound(opt),
		e:     rl.NewEvaluator(c.mdp),
		br:    newBestResponder(c.mdp),
	}, nil
}

// Evaluations returns the policy evaluations made so far: one per Measure
// for π, plus the steps of policy iteration for D(λ) (one or two when λ
// changes little between calls, since each best response starts from the
// previous one).
func (m *Measurer) Evaluations() int { return m.evals + m.br.evals }

// Measure sets dst to the measures of (pi, lambda). dst.Costs is reused
// when long enough.
func (m *Measurer) Measure(dst *Measures, pi *rl.Policy, lambda []float64) error {
	c := m.c
	if err := c.checkPolicy("policy", pi); err != nil {
		return err
	}
	if err := c.checkMultipliers("multipliers", lambda); err != nil {
		return err
	}
	if err := m.e.SetPolicy(pi); err != nil {
		return fmt.Errorf("constrained: %w", err)
	}
	m.evals++
	var err error
	if dst.Reward, err = m.e.Value(nil); err != nil {
		return fmt.Errorf("constrained: %w", err)
	}
	dst.Costs = resize(dst.Costs, len(c.cons))
	dst.Violation = 0
	dst.Lagrangian = dst.Reward
	excess := 0.0
	for k, con := range c.cons {
		if dst.Costs[k], err = m.e.Value(con.Cost); err != nil {
			return fmt.Errorf("constrained: %w", err)
		}
		over := dst.Costs[k] - con.Threshold
		dst.Violation = math.Max(dst.Violation, over)
		excess += math.Max(0, over)
		dst.Lagrangian -= lambda[k] * over
	}
	dst.RewardGap = math.Abs(dst.Reward - m.opt.Value)
	sq := 0.0
	for k, v := range lambda {
		d := v - m.opt.Multipliers[k]
		sq += d * d
	}
	dst.MultiplierDistance = math.Sqrt(sq)
	c.mixedReward(m.br.reward, lambda)
	if dst.Dual, err = m.br.solve(); err != nil {
		return err
	}
	for k, con := range c.cons {
		dst.Dual += lambda[k] * con.Threshold
	}
	// Rounding can make a gap of 0 slightly negative; it is ≥ 0 in exact
	// arithmetic.
	dst.LagrangianGap = math.Max(0, dst.Dual-dst.Reward+m.bound*excess)
	return nil
}

// Measure returns the measures of (pi, lambda) for c, computed exactly.
// It solves the CMDP (Optimum) if that was not done yet.
func Measure(c *CMDP, pi *rl.Policy, lambda []float64) (*Measures, error) {
	m, err := NewMeasurer(c)
	if err != nil {
		return nil, err
	}
	var ms Measures
	if err := m.Measure(&ms, pi, lambda); err != nil {
		return nil, err
	}
	return &ms, nil
}
