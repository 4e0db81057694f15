package rl

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// A Constraint is the linear constraint Σ_{s,a} d(s, a) c(s, a) ≤ b on an
// occupancy measure d, that is V_c(π) ≤ b on the expected discounted cost
// of a policy from the initial distribution (the CMDP JSON format's
// {"cost": c, "threshold": b}).
type Constraint struct {
	Cost      []float64 // c(s, a), flat: c(s, a) at s·A + a, length S·A
	Threshold float64   // b
}

// CheckConstraints checks that every constraint fits m: costs of length
// S·A, finite costs and thresholds. Errors name the value, as in
// "constraints[1].cost[2][0] = NaN, want a finite number".
func (m *MDP) CheckConstraints(cons []Constraint) error {
	for k, c := range cons {
		field := fmt.Sprintf("constraints[%d].cost", k)
		if len(c.Cost) != m.Size() {
			return inputErr(field, "has %d entries, want %d (states·actions)", len(c.Cost), m.Size())
		}
		if err := checkFinite(c.Cost, func(i int) string { return index2(field, i/m.actions, i%m.actions) }); err != nil {
			return err
		}
		if t := c.Threshold; math.IsNaN(t) || math.IsInf(t, 0) {
			return inputErr(fmt.Sprintf("constraints[%d].threshold", k), "= %v, want a finite number", t)
		}
	}
	return nil
}

// An Optimum is an optimal solution of an MDP, constrained or not, in
// occupancy-measure form.
type Optimum struct {
	Value     float64   // optimal J = Σ d r, the discounted reward from μ
	Occupancy []float64 // an optimal occupancy measure d*, flat, Σ d* = 1/(1 − γ)
	// Policy is the policy of d*, π*(a | s) = d*(s, a)/Σ_b d*(s, b),
	// uniform in states d* never visits.
	Policy *Policy
	// Costs holds Σ d* c_k, the discounted cost of each constraint at the
	// optimum (≤ its threshold).
	Costs []float64
	// Multipliers holds optimal Lagrange multipliers λ*_k ≥ 0 of the
	// constraints, from the dual LP, so that
	// Value = max_π [J_r(π) − Σ_k λ*_k (J_{c_k}(π) − b_k)].
	// They need not be unique; λ*_k = 0 for a constraint with zero cost.
	Multipliers []float64
}

// lpTol is the reduced-cost tolerance given to gonum's simplex method.
const lpTol = 1e-12

// SolveLP solves the MDP m with reward r (flat; nil means the MDP's
// reward) under the cost constraints cons (none for the plain MDP) exactly,
// up to the simplex method's rounding, as the occupancy-measure linear
// program (Altman, "Constrained Markov Decision Processes", 1999; Puterman
// 1994, §6.9):
//
//	maximize_d  Σ_{s,a} d(s, a) r(s, a)
//	subject to  Σ_a d(s, a) − γ Σ_{s′,a′} P(s | s′, a′) d(s′, a′) = μ(s)   for every s,
//	            Σ_{s,a} d(s, a) c_k(s, a) ≤ b_k                            for every k,
//	            d ≥ 0,
//
// with d unnormalized (values are discounted sums, Σ d = 1/(1 − γ)). The
// multipliers come from the dual program
//
//	minimize_{V, λ ≥ 0}  Σ_s μ(s) V(s) + Σ_k λ_k b_k
//	subject to           V(s) ≥ r(s, a) − Σ_k λ_k c_k(s, a) + γ Σ_{s′} P(s′ | s, a) V(s′),
//
// solved separately; SolveLP checks that both optima agree (strong
// duality). Both are solved with gonum's lp.Simplex on dense matrices with
// S + K and S·A rows: fine for up to a few hundred state-action pairs.
// Without constraints the optimum equals V* of value iteration. An
// infeasible set of constraints gives an error wrapping ErrInfeasible.
func SolveLP(m *MDP, reward []float64, cons []Constraint) (*Optimum, error) {
	r, err := m.rewardOrOwn(reward, "reward")
	if err != nil {
		return nil, err
	}
	if err := m.CheckConstraints(cons); err != nil {
		return nil, err
	}
	n, k := m.states, len(cons)
	d, err := m.primalLP(r, cons)
	if err != nil {
		return nil, err
	}
	opt := &Optimum{Occupancy: d, Costs: make([]float64, k), Multipliers: make([]float64, k)}
	for i, v := range d {
		opt.Value += v * r[i]
	}
	for j, c := range cons {
		for i, v := range d {
			opt.Costs[j] += v * c.Cost[i]
		}
	}
	if opt.Policy, err = FromOccupancy(n, m.actions, d); err != nil {
		return nil, err
	}
	if k == 0 {
		return opt, nil
	}
	dual, err := m.dualLP(r, cons, opt.Multipliers)
	if err != nil {
		return nil, err
	}
	if gap := math.Abs(dual - opt.Value); gap > 1e-7*(1+math.Abs(opt.Value)) {
		return nil, fmt.Errorf("rl: SolveLP: the primal optimum %v and the dual optimum %v differ by %.3g: numerical failure of the simplex method", opt.Value, dual, gap)
	}
	return opt, nil
}

// primalLP solves the occupancy LP and returns d ≥ 0.
func (m *MDP) primalLP(r []float64, cons []Constraint) ([]float64, error) {
	n, na, sa, k := m.states, m.actions, m.Size(), len(cons)
	rows, cols := n+k, sa+k
	a := mat.NewDense(rows, cols, nil)
	b := make([]float64, rows)
	c := make([]float64, cols)
	for j := 0; j < sa; j++ {
		c[j] = -r[j]
		a.Set(j/na, j, 1)
		next := m.trans[j*n : (j+1)*n]
		for s, p := range next {
			if p != 0 {
				a.Set(s, j, a.At(s, j)-m.discount*p)
			}
		}
	}
	copy(b, m.initial)
	for i, con := range cons {
		for j, v := range con.Cost {
			a.Set(n+i, j, v)
		}
		a.Set(n+i, sa+i, 1)
		b[n+i] = con.Threshold
	}
	_, x, err := lp.Simplex(c, a, b, lpTol, nil)
	switch {
	case errors.Is(err, lp.ErrInfeasible):
		return nil, fmt.Errorf("%w: %w", ErrInfeasible, err)
	case err != nil:
		return nil, fmt.Errorf("rl: SolveLP: %w", err)
	}
	d := x[:sa:sa]
	for i, v := range d {
		d[i] = math.Max(v, 0) // nonbasic zeros and rounding below 0
	}
	return d, nil
}

// dualLP solves the dual program, writes λ into lambda and returns the dual
// optimum. Variables: V⁺, V⁻ ∈ R^S, λ for the constraints with a nonzero
// cost (a zero column would stop the simplex method; its λ is 0), and a
// surplus w ∈ R^{S·A}; one equality row per (s, a).
func (m *MDP) dualLP(r []float64, cons []Constraint, lambda []float64) (float64, error) {
	n, na, sa := m.states, m.actions, m.Size()
	var active []int
	for i, con := range cons {
		for _, v := range con.Cost {
			if v != 0 {
				active = append(active, i)
				break
			}
		}
	}
	k := len(active)
	cols := 2*n + k + sa
	a := mat.NewDense(sa, cols, nil)
	c := make([]float64, cols)
	for s := 0; s < n; s++ {
		c[s], c[n+s] = m.initial[s], -m.initial[s]
	}
	for j, i := range active {
		c[2*n+j] = cons[i].Threshold
	}
	for row := 0; row < sa; row++ {
		next := m.trans[row*n : (row+1)*n]
		for s, p := range next {
			v := -m.discount * p
			if s == row/na {
				v++
			}
			a.Set(row, s, v)
			a.Set(row, n+s, -v)
		}
		for j, i := range active {
			a.Set(row, 2*n+j, cons[i].Cost[row])
		}
		a.Set(row, 2*n+k+row, -1)
	}
	obj, x, err := lp.Simplex(c, a, r, lpTol, nil)
	if err != nil {
		return 0, fmt.Errorf("rl: SolveLP: the dual program: %w", err)
	}
	for j, i := range active {
		lambda[i] = math.Max(x[2*n+j], 0)
	}
	return obj, nil
}
