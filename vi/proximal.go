package vi

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// ProximalPoint is the proximal point method (Martinet 1970; Rockafellar,
// "Monotone operators and the proximal point algorithm", SIAM J. Control
// Optim., 1976): each step applies the resolvent of γ(F + N_C),
//
//	z_{k+1} = J_{γ(F+N_C)}(z_k),  i.e.  z_{k+1} ∈ C solves the VI
//	⟨γF(z_{k+1}) + z_{k+1} − z_k, u − z_{k+1}⟩ ≥ 0 for all u ∈ C,
//
// which unconstrained is the implicit step z_{k+1} = z_k − γF(z_{k+1}).
//
// Exact solve: when F is affine, F(z) = Mz + q (an AffineOperator, looked
// for through wrappers), and there is no constraint (C nil or Reals), the
// step is the linear system (I + γM)z_{k+1} = z_k − γq (ALGORITHMS.md
// §2.7). Init factors I + γM once (LU with partial pivoting) and fails if
// the factor is singular or its condition number exceeds 1e12; I + γM is
// nonsingular for every γ > 0 when M is monotone and for γ > ρ when F is
// ρ-negatively comonotone. Each iteration is then two triangular solves,
// O(n²), and makes no operator evaluation: F(z_{k+1}) = (z_k − z_{k+1})/γ
// comes for free.
//
// Inexact solve, for every other F or with a set: the step is the solution
// of VI(C, G) with G(w) = F(w) + (w − z_k)/γ, found by relaxed projected
// forward steps from w_0 = z_k,
//
//	w_{j+1} = Π_C(w_j − τγ G(w_j)) = Π_C(w_j − τ(γF(w_j) + w_j − z_k)),
//
// with τ = (1 − a)/(1 − 2a + b), a = γρL², b = γ²L² (τ = 1/(1 + γ²L²) when
// ρ = 0; capped at 1). For ρ-negatively comonotone L-Lipschitz F this map
// is a contraction with factor √(1 − (1 − a)²/(1 − 2a + b)) < 1 whenever
// a < 1 (γL/√(1 + γ²L²) for monotone F, for every γ); derived by
// expanding the square and using comonotonicity, the same argument that
// makes w ↦ Π_C(z_k − γF(w)), the case τ = 1, a γL-contraction when
// γL < 1 (ALGORITHMS.md §2.7). The inner loop stops at the first w_j,
// j ≥ 1, with ‖w_j − w_{j+1}‖/(τγ) ≤ InnerTol, a bound (for τγ ≤ 1) on the
// natural residual of VI(C, G) at w_j, and takes z_{k+1} = w_j, where F is
// known. It needs L (the L field or the operator's own) and a < 1. If
// MaxInner steps do not reach InnerTol the iterate is left unchanged and
// the method reports Failure through Statuser, naming the inner solver and
// the residual reached. The accuracy of the run is limited by InnerTol:
// keep it below Settings.Tol.
//
// Step γ: Step if positive. Otherwise, exact: γ = 2ρ + 1/L, with L the L
// field, the operator's own constant or else the Frobenius norm of M (an
// upper bound); inexact: γ = ρ + 1/(2L), the midpoint of (2ρ, 1/L), which
// needs ρ < 1/(2L). Theory needs γ > 2ρ and nothing else; an explicit
// Step ≤ 2·Rho is accepted, although it is outside the theory and the
// method need not converge there (F(z) = −z/ρ is ρ-negatively comonotone
// and PP diverges on it for γ < 2ρ, γ ≠ ρ, and cycles for γ = 2ρ).
//
// Current is z_k, where F is known (CurrentValuer); no average is kept by
// the method. Init evaluates F(z_0). Per iteration the exact solve costs 0
// evaluations and 0 projections; the inexact one costs one evaluation per
// inner step and one projection more than that, a variable count
// (InnerSteps reports the total).
//
// Rates: for monotone F, ‖z_n − z_{n−1}‖² ≤ ((1 − 1/n)^{n−1}/n)‖z_0 − z*‖²,
// tight (Gu and Yang 2020, as stated in PEPit's proximal_point example),
// and unconstrained ‖F(z_n)‖ = ‖z_{n−1} − z_n‖/γ. For ρ-negatively
// comonotone F and γ > 2ρ, ‖F(z_N)‖² ≤ ‖z_0 − z*‖²/(γ(γ − 2ρ)N)
// (Gorbunov, Taylor, Horváth and Gidel, "Convergence of proximal point and
// extragradient-based methods beyond monotonicity: the case of negative
// comonotonicity", ICML 2023, Thm 4). On a bilinear game every singular
// value s of the coupling is contracted by 1/√(1 + γ²s²) per step.
type ProximalPoint struct {
	Step     float64 // γ; 0: see above
	Rho      float64 // negative comonotonicity ρ ≥ 0 (Gorbunov et al. convention), for the default step and the inner solver
	L        float64 // Lipschitz constant; 0: the operator's own
	InnerTol float64 // stopping tolerance of the inexact inner solver; 0: 1e-10
	MaxInner int     // inner steps allowed per iteration; 0: 1000

	f        Operator
	c        Set
	gamma    float64
	exact    bool
	z, fz    []float64
	inited   bool
	k        int // iterations done
	inner    int // inner steps done in this run
	failed   bool
	failRes  float64
	tau      float64
	tol      float64
	maxInner int
	w, fw, v []float64

	// exact solve
	fac []float64 // LU factors of I + γM, row-major: L strictly below the diagonal (unit diagonal implied), U on and above it
	piv []int     // row permutation: I + γM = P·L·U with (Px)[i] = x[piv[i]]
	q   []float64
	rhs []float64
	alt []float64 // the other buffer z_{k+1} is solved into
}

// proximalMaxCond is the largest condition number of I + γM accepted for
// the exact solve.
const proximalMaxCond = 1e12

// Init implements Method.
func (m *ProximalPoint) Init(p *Problem) error {
	m.inited = false
	const name = "ProximalPoint"
	for _, c := range []struct {
		field string
		v     float64
	}{{"Step", m.Step}, {"Rho", m.Rho}, {"L", m.L}, {"InnerTol", m.InnerTol}} {
		if err := checkNonNegative(name, c.field, c.v); err != nil {
			return err
		}
	}
	if m.MaxInner < 0 {
		return ErrParameter{Method: name, Field: "MaxInner", Value: float64(m.MaxInner), Want: "≥ 0 (0: 1000)"}
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.z = p.F, p.C, z
	m.fz = resize(m.fz, n)
	m.tol, m.maxInner = m.InnerTol, m.MaxInner
	if m.tol == 0 {
		m.tol = 1e-10
	}
	if m.maxInner == 0 {
		m.maxInner = 1000
	}
	a, isAffine := affineOf(p.F)
	c := unwrapSet(p.C)
	_, reals := c.(Reals)
	m.exact = isAffine && (c == nil || reals)
	if m.exact {
		err = m.initExact(a, n)
	} else {
		err = m.initInexact(n)
	}
	if err != nil {
		return err
	}
	m.f.Apply(m.fz, m.z)
	m.k, m.inner, m.failed, m.failRes = 0, 0, false, 0
	m.inited = true
	return nil
}

// initExact sets the step and factors I + γM.
func (m *ProximalPoint) initExact(a AffineOperator, n int) error {
	mm, q := a.Affine()
	if r, c := mm.Dims(); r != n || c != n {
		return fmt.Errorf("vi: ProximalPoint: the affine operator's matrix is %d×%d, want %d×%d", r, c, n, n)
	}
	if len(q) != n {
		return ErrShape{What: "ProximalPoint: the affine operator's q", Got: len(q), Want: n}
	}
	gamma := m.Step
	if gamma == 0 {
		l := lipschitzFrom(m.L, m.f)
		if !(l > 0) || !finite(l) {
			l = mat.Norm(mm, 2)
		}
		if l > 0 && finite(l) {
			gamma = 2*m.Rho + 1/l
		} else {
			gamma = 2*m.Rho + 1
		}
	}
	var ipm mat.Dense
	ipm.Scale(gamma, mm)
	for i := 0; i < n; i++ {
		ipm.Set(i, i, ipm.At(i, i)+1)
	}
	var lu mat.LU
	lu.Factorize(&ipm)
	if cond := lu.Cond(); !(cond <= proximalMaxCond) {
		return fmt.Errorf("vi: ProximalPoint: I + γM is singular or ill-conditioned for γ = Step = %v (condition number %.3g > %.0g); "+
			"it is nonsingular when M is monotone, or ρ-negatively comonotone with γ > ρ", gamma, cond, proximalMaxCond)
	}
	var l, u mat.TriDense
	lu.LTo(&l)
	lu.UTo(&u)
	m.fac = resize(m.fac, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if j < i {
				m.fac[i*n+j] = l.At(i, j)
			} else {
				m.fac[i*n+j] = u.At(i, j)
			}
		}
	}
	if cap(m.piv) < n {
		m.piv = make([]int, n)
	}
	m.piv = lu.RowPivots(m.piv[:n])
	m.gamma = gamma
	m.q = q
	m.rhs, m.alt = resize(m.rhs, n), resize(m.alt, n)
	return nil
}

// initInexact sets the step and the inner solver's relaxation τ.
func (m *ProximalPoint) initInexact(n int) error {
	const name = "ProximalPoint"
	l := lipschitzFrom(m.L, m.f)
	if !(l > 0) || !finite(l) {
		return ErrParameter{Method: name, Field: "L", Value: m.L,
			Want: "> 0: the inexact inner solver (for a non-affine operator or a constrained problem) needs a Lipschitz constant; set L or use an operator that reports one"}
	}
	rho := m.Rho
	gamma := m.Step
	if gamma == 0 {
		if rho >= 1/(2*l) {
			return ErrParameter{Method: name, Field: "Rho", Value: rho,
				Want: fmt.Sprintf("< 1/(2L) = %v for the default step of the inexact solver; set Step", 1/(2*l))}
		}
		gamma = rho + 1/(2*l)
	}
	a, b := gamma*rho*l*l, gamma*gamma*l*l
	if a >= 1 {
		return ErrParameter{Method: name, Field: "Step", Value: gamma,
			Want: fmt.Sprintf("< 1/(ρL²) = %v: the inexact inner solver needs a strongly monotone sub-problem", 1/(rho*l*l))}
	}
	m.gamma = gamma
	m.tau = min(1, (1-a)/(1-2*a+b))
	m.w, m.fw, m.v = resize(m.w, n), resize(m.fw, n), resize(m.v, n)
	return nil
}

// Iterate implements Method.
func (m *ProximalPoint) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	if m.exact {
		m.iterateExact()
	} else {
		m.iterateInexact()
	}
	return nil
}

// iterateExact solves (I + γM)z_{k+1} = z_k − γq with the factors
// P·L·U of Init: c = Pᵀ(z_k − γq), then Ly = c and Uz_{k+1} = y.
func (m *ProximalPoint) iterateExact() {
	g, n := m.gamma, len(m.z)
	c, x, fac := m.rhs, m.alt, m.fac
	for i, v := range m.z { // c = Pᵀ(z_k − γq)
		c[m.piv[i]] = v - g*m.q[i]
	}
	for i := 1; i < n; i++ { // Ly = c, in place
		c[i] -= floats.Dot(fac[i*n:i*n+i], c[:i])
	}
	for i := n - 1; i >= 0; i-- { // Uz_{k+1} = y: (I + γM)z_{k+1} = z_k − γq
		row := fac[i*n : (i+1)*n]
		x[i] = (c[i] - floats.Dot(row[i+1:], x[i+1:])) / row[i]
	}
	for i, v := range m.z { // F(z_{k+1}) = (z_k − z_{k+1})/γ
		m.fz[i] = (v - x[i]) / g
	}
	m.z, m.alt = m.alt, m.z
	m.k++
}

func (m *ProximalPoint) iterateInexact() {
	g, tau := m.gamma, m.tau
	w, fw, v := m.w, m.fw, m.v
	copy(w, m.z) // w_0 = z_k
	copy(fw, m.fz)
	var r float64
	for j := 0; ; j++ {
		for i, wi := range w { // w_{j+1} = Π_C(w_j − τ(γF(w_j) + w_j − z_k))
			v[i] = wi - tau*(g*fw[i]+wi-m.z[i])
		}
		project(m.c, v, v)
		if j >= 1 {
			r = distance(w, v) / (tau * g)
			if r <= m.tol {
				break
			}
		}
		if j == m.maxInner {
			m.failed, m.failRes = true, r
			m.w, m.fw, m.v = w, fw, v
			return
		}
		w, v = v, w
		m.f.Apply(fw, w)
		m.inner++
	}
	// z_{k+1} = w_j
	m.z, w = w, m.z
	m.fz, fw = fw, m.fz
	m.w, m.fw, m.v = w, fw, v
	m.k++
}

// Current implements Method.
func (m *ProximalPoint) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *ProximalPoint) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Status implements Statuser: Failure when the inner solver did not reach
// InnerTol within MaxInner steps.
func (m *ProximalPoint) Status() (Status, error) {
	if !m.failed {
		return NotTerminated, nil
	}
	return Failure, fmt.Errorf("vi: ProximalPoint: the inner solver (relaxed projected forward steps) did not reach InnerTol = %.3g in MaxInner = %d steps at iteration %d: sub-problem residual %.3g",
		m.tol, m.maxInner, m.k+1, m.failRes)
}

// StepSize returns the step γ of the current run (zero before Init).
func (m *ProximalPoint) StepSize() float64 { return m.gamma }

// Exact reports whether the current run solves each step exactly (an
// affine operator without constraint) rather than with the inner solver.
func (m *ProximalPoint) Exact() bool { return m.exact }

// InnerSteps returns the number of inner steps, hence of operator
// evaluations after Init, made in the current run by the inexact solver.
func (m *ProximalPoint) InnerSteps() int { return m.inner }
