package games

import (
	"errors"
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/floats"
)

// CompetitiveWork counts the second-order work of a competitive method
// (CGD, CGO, OptimisticCGO) since its last Init. Operator evaluations are
// not here: Solve counts them in Stats.Evaluations.
type CompetitiveWork struct {
	// HessianProducts is the number of mixed Hessian-vector products
	// (MixedXY and MixedYX calls).
	HessianProducts int
	// LinearSolves is the number of linear systems solved (one per
	// competitive direction).
	LinearSolves int
	// SolverIterations is the number of conjugate gradient (zero-sum) or
	// BiCGSTAB (general-sum) iterations over all solves.
	SolverIterations int
	// Unconverged is the number of solves that stopped before their
	// tolerance: at the iteration cap, or on a breakdown of BiCGSTAB (or
	// a non-finite value); the step then used the last inner iterate.
	Unconverged int
}

// Defaults of the inner linear solver.
const (
	// competitiveTol is the default relative residual ‖b − Ad‖ ≤ tol·‖b‖.
	competitiveTol = 1e-10
	// competitiveExtraIter is added to twice the system's dimension for the
	// default iteration cap.
	competitiveExtraIter = 10
)

// errCompetitiveNotInit is returned by Iterate before a successful Init.
var errCompetitiveNotInit = errors.New("games: Iterate called before a successful Init")

// competitiveCore computes the competitive direction
//
//	d = (I + α J_off(z))⁻¹ g,   J_off = [[0, ∂Fₓ/∂y], [∂Fᵧ/∂x, 0]],
//
// for g = F(z), the part the three methods share. Writing B = ∂Fₓ/∂y and
// C = ∂Fᵧ/∂x, block elimination of [[I, αB], [αC, I]]·(dₓ, dᵧ) = (gₓ, gᵧ)
// gives
//
//	(I − α²BC) dₓ = gₓ − αB gᵧ,   dᵧ = gᵧ − αC dₓ            (x first)
//	(I − α²CB) dᵧ = gᵧ − αC gₓ,   dₓ = gₓ − αB dᵧ            (y first)
//
// and the smaller of the two systems is solved, matrix-free. In a zero-sum
// game C = −Bᵀ, so I − α²BC = I + α²BBᵀ is symmetric positive definite
// with eigenvalues in [1, 1 + α²‖B‖²], and conjugate gradient solves it;
// otherwise BiCGSTAB does. Both start from 0 and stop when
// ‖b − Ad‖ ≤ tol·‖b‖ or after maxIter iterations. A 1×1 system is solved
// exactly by one iteration of either.
//
// Products per direction: 1 for the right-hand side, 1 for the recovery of
// the other block, and 2 per conjugate gradient iteration (2 per half of a
// BiCGSTAB iteration, so 4 per full iteration and 2 for one that converges
// at its half step).
type competitiveCore struct {
	h       MixedHessian
	m       int  // x coordinates
	xFirst  bool // solve for dₓ, recover dᵧ
	pq, qp  func(dst, z, v []float64)
	cg      bool // zero-sum: conjugate gradient; else BiCGSTAB
	tol     float64
	maxIter int

	// Buffers of the solved block (P) and of the other (Q).
	b, r, p, ap, rhat, v, s, t []float64
	tq                         []float64

	work CompetitiveWork
}

// init finds the mixed products of f and sizes the buffers. tol and
// maxIter are the configured values (0: defaults), already checked.
func (c *competitiveCore) init(name string, f vi.Operator, split int, tol float64, maxIter int) error {
	h, err := mixedHessianOf(f, split)
	if err != nil {
		return fmt.Errorf("games: %s: %w", name, err)
	}
	if h.Dim() != f.Dim() {
		return fmt.Errorf("games: %s: the mixed Hessian has dimension %d, the operator %d", name, h.Dim(), f.Dim())
	}
	c.h = h
	c.m = h.Split()
	n := h.Dim() - c.m
	c.xFirst = c.m <= n
	np, nq := c.m, n
	if c.xFirst {
		c.pq, c.qp = h.MixedXY, h.MixedYX
	} else {
		c.pq, c.qp = h.MixedYX, h.MixedXY
		np, nq = n, c.m
	}
	zs, ok := h.(ZeroSummer)
	c.cg = ok && zs.ZeroSum()
	c.tol = tol
	if c.tol == 0 {
		c.tol = competitiveTol
	}
	c.maxIter = maxIter
	if c.maxIter == 0 {
		c.maxIter = 2*np + competitiveExtraIter
	}
	for _, buf := range []*[]float64{&c.b, &c.r, &c.p, &c.ap} {
		*buf = competitiveResize(*buf, np)
	}
	if !c.cg {
		for _, buf := range []*[]float64{&c.rhat, &c.v, &c.s, &c.t} {
			*buf = competitiveResize(*buf, np)
		}
	}
	c.tq = competitiveResize(c.tq, nq)
	c.work = CompetitiveWork{}
	return nil
}

// direction sets d = (I + α J_off(z))⁻¹ g. d must not overlap g or z.
func (c *competitiveCore) direction(d, z, g []float64, alpha float64) {
	m := c.m
	dp, dq, gp, gq := d[:m], d[m:], g[:m], g[m:]
	if !c.xFirst {
		dp, dq, gp, gq = d[m:], d[:m], g[m:], g[:m]
	}
	c.pq(c.b, z, gq) // b = g_P − α·(P←Q block)·g_Q
	c.work.HessianProducts++
	for i, v := range gp {
		c.b[i] = v - alpha*c.b[i]
	}
	if c.cg {
		c.conjugateGradient(dp, z, alpha)
	} else {
		c.biCGStab(dp, z, alpha)
	}
	c.work.LinearSolves++
	c.qp(dq, z, dp) // d_Q = g_Q − α·(Q←P block)·d_P
	c.work.HessianProducts++
	for i, v := range gq {
		dq[i] = v - alpha*dq[i]
	}
}

// apply sets out = (I − α²·PQ·QP) v, 2 products.
func (c *competitiveCore) apply(out, z, v []float64, alpha float64) {
	c.qp(c.tq, z, v)
	c.pq(out, z, c.tq)
	c.work.HessianProducts += 2
	a2 := alpha * alpha
	for i, w := range v {
		out[i] = w - a2*out[i]
	}
}

// conjugateGradient solves A x = c.b for the symmetric positive definite
// A = I + α²BBᵀ (zero-sum), starting from x = 0 (Hestenes and Stiefel
// 1952).
func (c *competitiveCore) conjugateGradient(x, z []float64, alpha float64) {
	clear(x)
	copy(c.r, c.b)
	copy(c.p, c.b)
	rs := floats.Dot(c.r, c.r)
	if rs == 0 {
		return
	}
	limit := c.tol * c.tol * rs
	for k := 0; k < c.maxIter; k++ {
		c.apply(c.ap, z, c.p, alpha)
		pap := floats.Dot(c.p, c.ap)
		if !(pap > 0) || math.IsInf(pap, 1) { // not positive definite, or not finite
			c.work.Unconverged++
			return
		}
		a := rs / pap
		floats.AddScaled(x, a, c.p)
		floats.AddScaled(c.r, -a, c.ap)
		c.work.SolverIterations++
		next := floats.Dot(c.r, c.r)
		if next <= limit {
			return
		}
		beta := next / rs
		for i, v := range c.r {
			c.p[i] = v + beta*c.p[i]
		}
		rs = next
	}
	c.work.Unconverged++
}

// biCGStab solves A x = c.b for a general A = I − α²BC (van der Vorst,
// "Bi-CGSTAB: a fast and smoothly converging variant of Bi-CG for the
// solution of nonsymmetric linear systems", SIAM J. Sci. Stat. Comput.
// 1992), starting from x = 0 with shadow residual r̂ = b.
func (c *competitiveCore) biCGStab(x, z []float64, alpha float64) {
	clear(x)
	copy(c.r, c.b)
	copy(c.rhat, c.b)
	clear(c.p)
	clear(c.v)
	bb := floats.Dot(c.b, c.b)
	if bb == 0 {
		return
	}
	limit := c.tol * c.tol * bb
	rho, a, omega := 1.0, 1.0, 1.0
	for k := 0; k < c.maxIter; k++ {
		next := floats.Dot(c.rhat, c.r)
		if next == 0 || !competitiveFinite(next) {
			break
		}
		beta := (next / rho) * (a / omega)
		for i, v := range c.r {
			c.p[i] = v + beta*(c.p[i]-omega*c.v[i])
		}
		rho = next
		c.apply(c.v, z, c.p, alpha)
		den := floats.Dot(c.rhat, c.v)
		if den == 0 || !competitiveFinite(den) {
			break
		}
		a = rho / den
		floats.AddScaledTo(c.s, c.r, -a, c.v)
		c.work.SolverIterations++
		if floats.Dot(c.s, c.s) <= limit {
			floats.AddScaled(x, a, c.p)
			return
		}
		c.apply(c.t, z, c.s, alpha)
		tt := floats.Dot(c.t, c.t)
		if tt == 0 || !competitiveFinite(tt) {
			floats.AddScaled(x, a, c.p)
			break
		}
		omega = floats.Dot(c.t, c.s) / tt
		floats.AddScaled(x, a, c.p)
		floats.AddScaled(x, omega, c.s)
		floats.AddScaledTo(c.r, c.s, -omega, c.t)
		if floats.Dot(c.r, c.r) <= limit {
			return
		}
		if omega == 0 {
			break
		}
	}
	c.work.Unconverged++
}

func competitiveFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// competitiveRun is the state CGD, CGO and OptimisticCGO share: the
// operator and set, the step η and interaction strength α, the iterate z
// with F(z), the direction buffer and the linear solver. It provides
// their Current, CurrentValue and Work.
type competitiveRun struct {
	f          vi.Operator
	c          vi.Set
	eta, alpha float64
	z, fz, d   []float64
	core       competitiveCore
	inited     bool
}

// start prepares a run of the method named name on p with steps η and α:
// the solver, z = Π_C(Z0) and F(z); the caller has validated p and the
// fields.
func (r *competitiveRun) start(name string, p *vi.Problem, split int, tol float64, maxInner int, eta, alpha float64) error {
	if err := r.core.init(name, p.F, split, tol, maxInner); err != nil {
		return err
	}
	z, err := competitiveStart(p, r.z)
	if err != nil {
		return err
	}
	n := len(z)
	r.f, r.c, r.eta, r.alpha, r.z = p.F, p.C, eta, alpha, z
	r.fz, r.d = competitiveResize(r.fz, n), competitiveResize(r.d, n)
	r.f.Apply(r.fz, r.z)
	r.inited = true
	return nil
}

// step is one CGO step, CGD's when α = η:
// z ← Π_C(z − η d(z)), d(z) = (I + αJ_off(z))⁻¹F(z), and F(z) anew.
func (r *competitiveRun) step() error {
	if !r.inited {
		return errCompetitiveNotInit
	}
	r.core.direction(r.d, r.z, r.fz, r.alpha)
	floats.AddScaled(r.z, -r.eta, r.d)
	competitiveProject(r.c, r.z)
	r.f.Apply(r.fz, r.z)
	return nil
}

// Current implements vi.Method: the iterate z_k.
func (r *competitiveRun) Current() []float64 { return r.z }

// CurrentValue implements vi.CurrentValuer: F(z_k), known after Init.
func (r *competitiveRun) CurrentValue() ([]float64, bool) { return r.fz, r.inited }

// Work returns the Hessian-vector products and linear-solver iterations
// since Init.
func (r *competitiveRun) Work() CompetitiveWork { return r.core.work }

// competitiveResize returns buf with length n, reusing its memory.
func competitiveResize(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}

// competitiveStart validates p and returns z = Π_C(Z0) (Z0 = 0 when nil),
// reusing z's memory.
func competitiveStart(p *vi.Problem, z []float64) ([]float64, error) {
	if err := p.Validate(); err != nil {
		return z, err
	}
	z = competitiveResize(z, p.F.Dim())
	if p.Z0 == nil {
		clear(z)
	} else {
		copy(z, p.Z0)
	}
	competitiveProject(p.C, z)
	return z, nil
}

// competitiveProject sets z = Π_C(z), a nil C meaning Rⁿ.
func competitiveProject(c vi.Set, z []float64) {
	if c != nil {
		c.Project(z, z)
	}
}

// competitiveCheck rejects NaN, infinite and negative values of a field.
func competitiveCheck(method, field string, v float64) error {
	if !(v >= 0) || math.IsInf(v, 1) {
		return vi.ErrParameter{Method: method, Field: field, Value: v, Want: "finite and ≥ 0"}
	}
	return nil
}

// competitiveLipschitz returns l when positive, else the constant the
// operator reports (vi.Lipschitzer, looking through wrappers), else 0.
func competitiveLipschitz(l float64, f vi.Operator) float64 {
	if l > 0 {
		return l
	}
	for f != nil {
		if lf, ok := f.(vi.Lipschitzer); ok {
			if v := lf.Lipschitz(); v > 0 && !math.IsInf(v, 1) {
				return v
			}
			return 0
		}
		u, ok := f.(vi.Unwrapper[vi.Operator])
		if !ok {
			return 0
		}
		f = u.Unwrap()
	}
	return 0
}

// competitiveSettings checks the fields every competitive method has and
// returns the step: Step when positive, else 1/L (the L field or the
// operator's own), else vi.ErrNoStep.
func competitiveSettings(method string, step, l, tol float64, maxInner, split int, f vi.Operator) (float64, error) {
	for _, v := range []struct {
		field string
		v     float64
	}{{"Step", step}, {"L", l}, {"Tol", tol}} {
		if err := competitiveCheck(method, v.field, v.v); err != nil {
			return 0, err
		}
	}
	if tol >= 1 {
		return 0, vi.ErrParameter{Method: method, Field: "Tol", Value: tol, Want: "< 1 (a relative residual; 0: 1e-10)"}
	}
	if maxInner < 0 {
		return 0, vi.ErrParameter{Method: method, Field: "MaxInner", Value: float64(maxInner), Want: "≥ 0 (0: twice the system's dimension plus 10)"}
	}
	if split < 0 {
		return 0, vi.ErrParameter{Method: method, Field: "Split", Value: float64(split), Want: "≥ 0 (0: from the operator)"}
	}
	if step > 0 {
		return step, nil
	}
	if lf := competitiveLipschitz(l, f); lf > 0 {
		return 1 / lf, nil
	}
	return 0, vi.ErrNoStep
}
