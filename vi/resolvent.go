package vi

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// resolvent computes J_{γ(F+N_C)}(x), the point w ∈ C that solves
//
//	⟨γF(w) + w − x, u − w⟩ ≥ 0 for all u ∈ C,
//
// for the methods built on it (ProximalPoint, Halpern,
// AcceleratedProximalPoint). When F is affine and there is no set the
// step is the linear system (I + γM)w = x − γq, solved with LU factors of
// I + γM computed once in init; otherwise it is found by the inner solver
// of relaxed projected forward steps. ProximalPoint's doc comment states
// both, with the default step and the conditions; the text is not
// repeated here.
type resolvent struct {
	name  string // the method, for messages
	f     Operator
	c     Set
	gamma float64
	exact bool

	// exact solve
	fac []float64 // LU factors of I + γM, row-major: L strictly below the diagonal (unit diagonal implied), U on and above it
	piv []int     // row permutation: I + γM = P·L·U with (Px)[i] = x[piv[i]]
	q   []float64
	rhs []float64

	// inexact solve
	tau      float64
	tol      float64
	maxInner int
	w, fw, v []float64
	inner    int // inner steps (evaluations) done in this run
	failed   bool
	failRes  float64
}

// resolventMaxCond is the largest condition number of I + γM accepted for
// the exact solve.
const resolventMaxCond = 1e12

// resolventCheck validates the parameters of a resolvent-based method
// before the problem is looked at.
func resolventCheck(name string, step, rho, l, innerTol float64, maxInner int) error {
	for _, c := range []struct {
		field string
		v     float64
	}{{"Step", step}, {"Rho", rho}, {"L", l}, {"InnerTol", innerTol}} {
		if err := checkNonNegative(name, c.field, c.v); err != nil {
			return err
		}
	}
	if maxInner < 0 {
		return ErrParameter{Method: name, Field: "MaxInner", Value: float64(maxInner), Want: "≥ 0 (0: 1000)"}
	}
	return nil
}

// init prepares the resolvent of γ(F + N_C) on Rⁿ for a run of the named
// method: it chooses the exact or the inexact solve, derives γ from step
// (0: the default of ProximalPoint), and factors I + γM or sets the inner
// solver's relaxation. Parameters are those of resolventCheck.
func (r *resolvent) init(name string, f Operator, c Set, n int, step, rho, l, innerTol float64, maxInner int) error {
	r.name, r.f, r.c = name, f, c
	r.gamma, r.exact = 0, false
	r.inner, r.failed, r.failRes = 0, false, 0
	r.tol, r.maxInner = innerTol, maxInner
	if r.tol == 0 {
		r.tol = 1e-10
	}
	if r.maxInner == 0 {
		r.maxInner = 1000
	}
	a, isAffine := affineOf(f)
	u := unwrapSet(c)
	_, reals := u.(Reals)
	if isAffine && (u == nil || reals) {
		if err := r.initExact(a, n, step, rho, l); err != nil {
			return err
		}
		r.exact = true
		return nil
	}
	return r.initInexact(n, step, rho, l)
}

// initExact sets the step and factors I + γM.
func (r *resolvent) initExact(a AffineOperator, n int, step, rho, lfield float64) error {
	mm, q := a.Affine()
	if rows, cols := mm.Dims(); rows != n || cols != n {
		return fmt.Errorf("vi: %s: the affine operator's matrix is %d×%d, want %d×%d", r.name, rows, cols, n, n)
	}
	if len(q) != n {
		return ErrShape{What: r.name + ": the affine operator's q", Got: len(q), Want: n}
	}
	gamma := step
	if gamma == 0 {
		l := lipschitzFrom(lfield, r.f)
		if !(l > 0) || !finite(l) {
			l = mat.Norm(mm, 2)
		}
		if l > 0 && finite(l) {
			gamma = 2*rho + 1/l
		} else {
			gamma = 2*rho + 1
		}
	}
	var ipm mat.Dense
	ipm.Scale(gamma, mm)
	for i := 0; i < n; i++ {
		ipm.Set(i, i, ipm.At(i, i)+1)
	}
	var lu mat.LU
	lu.Factorize(&ipm)
	if cond := lu.Cond(); !(cond <= resolventMaxCond) {
		return fmt.Errorf("vi: %s: I + γM is singular or ill-conditioned for γ = Step = %v (condition number %.3g > %.0g); "+
			"it is nonsingular when M is monotone, or ρ-negatively comonotone with γ > ρ", r.name, gamma, cond, resolventMaxCond)
	}
	var lt, ut mat.TriDense
	lu.LTo(&lt)
	lu.UTo(&ut)
	r.fac = resize(r.fac, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if j < i {
				r.fac[i*n+j] = lt.At(i, j)
			} else {
				r.fac[i*n+j] = ut.At(i, j)
			}
		}
	}
	if cap(r.piv) < n {
		r.piv = make([]int, n)
	}
	r.piv = lu.RowPivots(r.piv[:n])
	r.gamma = gamma
	r.q = q
	r.rhs = resize(r.rhs, n)
	return nil
}

// initInexact sets the step and the inner solver's relaxation τ.
func (r *resolvent) initInexact(n int, step, rho, lfield float64) error {
	l := lipschitzFrom(lfield, r.f)
	if !(l > 0) || !finite(l) {
		return ErrParameter{Method: r.name, Field: "L", Value: lfield,
			Want: "> 0: the inexact inner solver (for a non-affine operator or a constrained problem) needs a Lipschitz constant; set L or use an operator that reports one"}
	}
	gamma := step
	if gamma == 0 {
		if rho >= 1/(2*l) {
			return ErrParameter{Method: r.name, Field: "Rho", Value: rho,
				Want: fmt.Sprintf("< 1/(2L) = %v for the default step of the inexact solver; set Step", 1/(2*l))}
		}
		gamma = rho + 1/(2*l)
	}
	a, b := gamma*rho*l*l, gamma*gamma*l*l
	if a >= 1 {
		return ErrParameter{Method: r.name, Field: "Step", Value: gamma,
			Want: fmt.Sprintf("< 1/(ρL²) = %v: the inexact inner solver needs a strongly monotone sub-problem", 1/(rho*l*l))}
	}
	r.gamma = gamma
	r.tau = min(1, (1-a)/(1-2*a+b))
	r.w, r.fw, r.v = resize(r.w, n), resize(r.fw, n), resize(r.v, n)
	return nil
}

// apply sets dst = J_{γ(F+N_C)}(x) and fdst = F(dst), and reports true.
// The inexact solve starts from w0, a point of C where F is known as fw0
// (the exact one ignores them); if it does not reach the inner tolerance
// within the allowed steps, apply leaves dst and fdst unchanged, records
// the failure for status and reports false. dst and fdst must not alias
// x, w0, fw0 or each other. It does not allocate.
func (r *resolvent) apply(dst, fdst, x, w0, fw0 []float64) bool {
	if r.exact {
		r.applyExact(dst, fdst, x)
		return true
	}
	return r.applyInexact(dst, fdst, x, w0, fw0)
}

// applyExact solves (I + γM)dst = x − γq with the factors P·L·U of init:
// c = Pᵀ(x − γq), then Ly = c and U·dst = y; F(dst) = (x − dst)/γ.
func (r *resolvent) applyExact(dst, fdst, x []float64) {
	g, n := r.gamma, len(x)
	c, fac := r.rhs, r.fac
	for i, v := range x { // c = Pᵀ(x − γq)
		c[r.piv[i]] = v - g*r.q[i]
	}
	for i := 1; i < n; i++ { // Ly = c, in place
		c[i] -= floats.Dot(fac[i*n:i*n+i], c[:i])
	}
	for i := n - 1; i >= 0; i-- { // U·dst = y: (I + γM)dst = x − γq
		row := fac[i*n : (i+1)*n]
		dst[i] = (c[i] - floats.Dot(row[i+1:], dst[i+1:])) / row[i]
	}
	for i, v := range x { // F(dst) = (x − dst)/γ
		fdst[i] = (v - dst[i]) / g
	}
}

// applyInexact runs the relaxed projected forward steps
// w_{j+1} = Π_C(w_j − τ(γF(w_j) + w_j − x)) from w0 until
// ‖w_j − w_{j+1}‖/(τγ) ≤ tol for some j ≥ 1, and returns w_j.
func (r *resolvent) applyInexact(dst, fdst, x, w0, fw0 []float64) bool {
	g, tau := r.gamma, r.tau
	w, fw, v := r.w, r.fw, r.v
	copy(w, w0)
	copy(fw, fw0)
	var res float64
	for j := 0; ; j++ {
		for i, wi := range w { // w_{j+1} = Π_C(w_j − τ(γF(w_j) + w_j − x))
			v[i] = wi - tau*(g*fw[i]+wi-x[i])
		}
		project(r.c, v, v)
		if j >= 1 {
			res = distance(w, v) / (tau * g)
			if res <= r.tol {
				break
			}
		}
		if j == r.maxInner {
			r.failed, r.failRes = true, res
			return false
		}
		w, v = v, w
		r.f.Apply(fw, w)
		r.inner++
	}
	copy(dst, w)
	copy(fdst, fw)
	return true
}

// status reports Failure with an error naming the inner solver once a
// solve has failed; iter is the iteration that failed.
func (r *resolvent) status(iter int) (Status, error) {
	if !r.failed {
		return NotTerminated, nil
	}
	return Failure, fmt.Errorf("vi: %s: the inner solver (relaxed projected forward steps) did not reach InnerTol = %.3g in MaxInner = %d steps at iteration %d: sub-problem residual %.3g",
		r.name, r.tol, r.maxInner, iter, r.failRes)
}
