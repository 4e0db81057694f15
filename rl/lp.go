package rl

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

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
	// constraints, the dual values of the optimal basis, so that
	// Value = max_π [J_r(π) − Σ_k λ*_k (J_{c_k}(π) − b_k)].
	// They need not be unique; λ*_k = 0 for a constraint with zero cost.
	Multipliers []float64
}

// lpTol is the reduced-cost tolerance given to gonum's simplex method.
const lpTol = 1e-12

// lpPerturbations are the relative sizes of the right-hand-side
// perturbations SolveLP tries in turn.
var lpPerturbations = []float64{1e-7, 1e-9, 1e-11}

// SolveLP solves the MDP m with reward r (flat; nil means the MDP's
// reward) under the cost constraints cons (none for the plain MDP)
// exactly, up to rounding, as the occupancy-measure linear program
// (Altman, "Constrained Markov Decision Processes", 1999; Puterman 1994,
// §6.9; ALGORITHMS.md A3.3):
//
//	maximize_d  Σ_{s,a} d(s, a) r(s, a)
//	subject to  Σ_a d(s, a) − γ Σ_{s′,a′} P(s | s′, a′) d(s′, a′) = μ(s)   for every s,
//	            Σ_{s,a} d(s, a) c_k(s, a) ≤ b_k                            for every k,
//	            d ≥ 0,
//
// with d unnormalized (values are discounted sums, Σ d = 1/(1 − γ)). Its
// dual,
//
//	minimize_{V, λ ≥ 0}  Σ_s μ(s) V(s) + Σ_k λ_k b_k
//	subject to           V(s) ≥ r(s, a) − Σ_k λ_k c_k(s, a) + γ Σ_{s′} P(s′ | s, a) V(s′),
//
// gives the multipliers λ*. Without constraints the optimum equals V* of
// value iteration. An infeasible set of constraints gives an error
// wrapping ErrInfeasible.
//
// Method. Occupancy programs are highly degenerate (states the optimal
// policy never visits, actions with equal columns), and on degenerate
// programs gonum's lp.Simplex can cycle forever, lose its basis, or
// misjudge feasibility in its own Phase I. So SolveLP
//
//   - perturbs the right-hand side: μ′(s) = μ(s) + δ_s with δ_s = ε·u_s,
//     and b′_k = b_k + ‖δ‖₁‖c_k‖∞/(1 − γ) + ε(1 + |b_k|)·u_k, with u fixed
//     pseudo-random in [1, 2) and ε = 1e-7. This is a relaxation (a change
//     δ of μ moves a discounted cost by at most ‖δ‖₁‖c_k‖∞/(1 − γ)) whose
//     basic solutions are nondegenerate, so every pivot strictly improves;
//   - gives lp.Simplex a feasible starting basis itself: the columns of a
//     deterministic policy, after an elastic Phase I (min Σ_k e_k with
//     Σ d c_k + s_k − e_k = b′_k) when there are constraints;
//   - reads the optimal basis B off the perturbed optimum (its positive
//     variables) and solves the unperturbed program on it by LU: primal
//     values from B x_B = (μ, b), dual values (−V, −λ) from Bᵀy = c_B;
//   - checks the certificate of optimality, x_B ≥ 0 and every reduced cost
//     ≥ 0 (to 1e-9 relative), and retries with ε = 1e-9 and 1e-11 if it
//     fails.
//
// The program is dense, with S + K rows and S·A + K columns: fine for up
// to several hundred state-action pairs (80 states × 4 actions × 3
// constraints take about 20 ms).
func SolveLP(m *MDP, reward []float64, cons []Constraint) (*Optimum, error) {
	r, err := m.rewardOrOwn(reward, "reward")
	if err != nil {
		return nil, err
	}
	if err := m.CheckConstraints(cons); err != nil {
		return nil, err
	}
	p := newOccupancyLP(m, r, cons)
	var last error
	infeasible := true
	for try, eps := range lpPerturbations {
		basis, err := p.perturbedBasis(eps, uint64(try))
		var viol errViolation
		switch {
		case errors.As(err, &viol):
			return nil, fmt.Errorf("%w: every policy violates them by at least %.3g in total", ErrInfeasible, float64(viol))
		case errors.Is(err, lp.ErrInfeasible):
			// The perturbation only relaxes the program.
			return nil, fmt.Errorf("%w: %w", ErrInfeasible, err)
		case err != nil:
			last, infeasible = err, false
			continue
		}
		opt, feasible, err := p.certify(basis)
		if err == nil {
			return opt, nil
		}
		last, infeasible = err, infeasible && !feasible
	}
	if infeasible {
		return nil, fmt.Errorf("%w (or nearly so): %w", ErrInfeasible, last)
	}
	return nil, fmt.Errorf("rl: SolveLP: numerical failure: %w", last)
}

// errViolation is the least total violation Σ_k max(0, Σ d c_k − b_k) of
// an infeasible program, found by Phase I.
type errViolation float64

func (e errViolation) Error() string {
	return fmt.Sprintf("the constraints are violated by %.3g at best", float64(e))
}

// occupancyLP is the occupancy program in gonum's standard form
// min cᵀx s.t. Ax = b, x ≥ 0, with x = (d, slacks).
type occupancyLP struct {
	m       *MDP
	r       []float64
	cons    []Constraint
	a       *mat.Dense
	b, c    []float64
	rows    int
	cols    int
	scaleX  float64 // size of the primal values
	scaleRC float64 // size of the costs
}

func newOccupancyLP(m *MDP, r []float64, cons []Constraint) *occupancyLP {
	n, na, sa, k := m.states, m.actions, m.Size(), len(cons)
	p := &occupancyLP{m: m, r: r, cons: cons, rows: n + k, cols: sa + k}
	p.a = mat.NewDense(p.rows, p.cols, nil)
	p.b = make([]float64, p.rows)
	p.c = make([]float64, p.cols)
	p.scaleX = 1 / (1 - m.discount)
	p.scaleRC = 1
	for j := 0; j < sa; j++ {
		p.c[j] = -r[j]
		p.scaleRC = math.Max(p.scaleRC, math.Abs(r[j]))
		p.a.Set(j/na, j, 1)
		for s, pr := range m.trans[j*n : (j+1)*n] {
			if pr != 0 {
				p.a.Set(s, j, p.a.At(s, j)-m.discount*pr)
			}
		}
	}
	copy(p.b, m.initial)
	for i, con := range cons {
		for j, v := range con.Cost {
			p.a.Set(n+i, j, v)
			p.scaleRC = math.Max(p.scaleRC, math.Abs(v))
		}
		p.a.Set(n+i, sa+i, 1)
		p.b[n+i] = con.Threshold
		p.scaleX = math.Max(p.scaleX, math.Abs(con.Threshold))
	}
	return p
}

// perturbedBasis solves the program with b perturbed by ε and returns the
// optimal basis: the indices of the positive variables, which are exactly
// rows many when the solution is nondegenerate.
//
// It never lets lp.Simplex search for a first feasible basis itself (its
// Phase I misjudges programs whose feasible margin is small). Without
// constraints the columns of a deterministic policy π₀ are a feasible
// basis. With constraints, an elastic Phase I — min Σ_k e_k with
// Σ d c_k + s_k − e_k = b_k — starts from π₀'s columns and, per
// constraint, s_k or e_k, whichever is nonnegative; its optimal basis,
// free of the e_k when the program is feasible, starts Phase II.
func (p *occupancyLP) perturbedBasis(eps float64, seed uint64) ([]int, error) {
	m := p.m
	n, na, sa, k := m.states, m.actions, m.Size(), len(p.cons)
	rng := rand.New(rand.NewPCG(seed, 0x6f6363))
	// μ′ = μ + δ, δ_s ∈ ε[1, 2); b′_k = b_k + ‖δ‖₁‖c_k‖∞/(1 − γ) + ε(1 + |b_k|)[1, 2).
	// A change δ of μ changes a discounted cost by at most ‖δ‖₁‖c_k‖∞/(1 − γ),
	// so every policy feasible for b is feasible for b′: a pure relaxation.
	b := make([]float64, p.rows)
	shift := 0.0
	for s := 0; s < n; s++ {
		d := eps * (1 + rng.Float64())
		b[s] = p.b[s] + d
		shift += d
	}
	for i, c := range p.cons {
		top := 0.0
		for _, v := range c.Cost {
			top = math.Max(top, math.Abs(v))
		}
		b[n+i] = p.b[n+i] + shift*top/(1-m.discount) + eps*(1+math.Abs(p.b[n+i]))*(1+rng.Float64())
	}
	// π₀: greedy for the reward without constraints, for low total cost
	// with them.
	start := make([]int, 0, p.rows)
	for s := 0; s < n; s++ {
		best, bestA := math.Inf(1), 0
		for a := 0; a < na; a++ {
			v := p.c[s*na+a]
			if k > 0 {
				v = 0
				for _, c := range p.cons {
					v += c.Cost[s*na+a]
				}
			}
			if v < best {
				best, bestA = v, a
			}
		}
		start = append(start, s*na+bestA)
	}
	if k == 0 {
		return p.simplexBasis(p.c, p.a, b, start)
	}

	// Phase I: the occupancy of π₀ fixes its costs, hence s_k or e_k.
	flow := mat.NewDense(n, n, nil)
	for i, j := range start {
		for r := 0; r < n; r++ {
			flow.Set(r, i, p.a.At(r, j))
		}
	}
	var nu mat.VecDense
	if err := nu.SolveVec(flow, mat.NewVecDense(n, b[:n])); err != nil {
		return nil, fmt.Errorf("the occupancy of the starting policy: %w", err)
	}
	cols := p.cols + k
	aI := mat.NewDense(p.rows, cols, nil)
	aI.Slice(0, p.rows, 0, p.cols).(*mat.Dense).Copy(p.a)
	cI := make([]float64, cols)
	for i := range p.cons {
		aI.Set(n+i, p.cols+i, -1)
		cI[p.cols+i] = 1
		cost := 0.0
		for s, j := range start[:n] {
			cost += p.cons[i].Cost[j] * nu.AtVec(s)
		}
		if b[n+i]-cost >= 0 {
			start = append(start, sa+i)
		} else {
			start = append(start, p.cols+i)
		}
	}
	x, err := p.simplex(cI, aI, b, start)
	if err != nil {
		return nil, fmt.Errorf("phase I: %w", err)
	}
	excess := 0.0
	for _, v := range x[p.cols:] {
		excess += v
	}
	if excess > 1e-9*p.scaleX {
		return nil, errViolation(excess)
	}
	basis, err := p.positive(x)
	if err != nil {
		return nil, fmt.Errorf("phase I: %w", err)
	}
	if basis[len(basis)-1] >= p.cols {
		return nil, errors.New("phase I: an excess variable stays in the basis")
	}
	return p.simplexBasis(p.c, p.a, b, basis)
}

// simplexBasis runs lp.Simplex from the feasible basis start and returns
// the optimal basis.
func (p *occupancyLP) simplexBasis(c []float64, a *mat.Dense, b []float64, start []int) ([]int, error) {
	x, err := p.simplex(c, a, b, start)
	if err != nil {
		return nil, err
	}
	return p.positive(x)
}

// simplex runs lp.Simplex, turning its panics (on a start it finds
// infeasible) into errors.
func (p *occupancyLP) simplex(c []float64, a *mat.Dense, b []float64, start []int) (x []float64, err error) {
	defer func() {
		if v := recover(); v != nil {
			x, err = nil, fmt.Errorf("lp.Simplex: %v", v)
		}
	}()
	_, x, err = lp.Simplex(c, a, b, lpTol, start)
	return x, err
}

// positive returns the indices of the positive entries of x, which must be
// exactly rows many (a nondegenerate basic solution).
func (p *occupancyLP) positive(x []float64) ([]int, error) {
	var basis []int
	for j, v := range x {
		if v > 0 {
			basis = append(basis, j)
		}
	}
	if len(basis) != p.rows {
		return nil, fmt.Errorf("the perturbed optimum has %d positive variables, want %d (degenerate)", len(basis), p.rows)
	}
	return basis, nil
}

// certify solves the unperturbed program on basis and checks optimality.
// feasible reports whether the basic solution was nonnegative.
func (p *occupancyLP) certify(basis []int) (opt *Optimum, feasible bool, err error) {
	m, rows := p.m, p.rows
	bm := mat.NewDense(rows, rows, nil)
	cb := make([]float64, rows)
	for i, j := range basis {
		for k := 0; k < rows; k++ {
			bm.Set(k, i, p.a.At(k, j))
		}
		cb[i] = p.c[j]
	}
	var lu mat.LU
	lu.Factorize(bm)
	var xb, y mat.VecDense
	if err := lu.SolveVecTo(&xb, false, mat.NewVecDense(rows, p.b)); err != nil {
		return nil, false, fmt.Errorf("the optimal basis is singular: %w", err)
	}
	if err := lu.SolveVecTo(&y, true, mat.NewVecDense(rows, cb)); err != nil {
		return nil, false, fmt.Errorf("the optimal basis is singular: %w", err)
	}
	tolX := 1e-9 * p.scaleX
	x := make([]float64, p.cols)
	for i, j := range basis {
		v := xb.AtVec(i)
		if v < -tolX {
			return nil, false, fmt.Errorf("variable %d = %.3g < 0 on the optimal basis of the perturbed program", j, v)
		}
		x[j] = math.Max(v, 0)
	}
	ymax := 1.0
	for i := 0; i < rows; i++ {
		ymax = math.Max(ymax, math.Abs(y.AtVec(i)))
	}
	tolR := 1e-9 * p.scaleRC * ymax
	for j := 0; j < p.cols; j++ {
		rc := p.c[j] - mat.Dot(&y, p.a.ColView(j))
		if rc < -tolR {
			return nil, true, fmt.Errorf("reduced cost %.3g < 0 at variable %d: the basis is not optimal", rc, j)
		}
	}
	n, sa, k := m.states, m.Size(), len(p.cons)
	d := x[:sa:sa]
	opt = &Optimum{Occupancy: d, Costs: make([]float64, k), Multipliers: make([]float64, k)}
	for i, v := range d {
		opt.Value += v * p.r[i]
	}
	for j, c := range p.cons {
		for i, v := range d {
			opt.Costs[j] += v * c.Cost[i]
		}
		opt.Multipliers[j] = math.Max(-y.AtVec(n+j), 0)
	}
	if opt.Policy, err = FromOccupancy(n, m.actions, d); err != nil {
		return nil, true, err
	}
	return opt, true, nil
}
