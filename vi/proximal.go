package vi

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

	res    resolvent // J_{γ(F+N_C)}, exact or inexact
	z, fz  []float64
	alt    []float64 // the buffers z_{k+1} and F(z_{k+1}) are solved into
	falt   []float64
	inited bool
	k      int // iterations done
}

// Init implements Method.
func (m *ProximalPoint) Init(p *Problem) error {
	m.inited = false
	const name = "ProximalPoint"
	if err := resolventCheck(name, m.Step, m.Rho, m.L, m.InnerTol, m.MaxInner); err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.z = z
	m.fz, m.alt, m.falt = resize(m.fz, n), resize(m.alt, n), resize(m.falt, n)
	if err := m.res.init(name, p.F, p.C, n, m.Step, m.Rho, m.L, m.InnerTol, m.MaxInner); err != nil {
		return err
	}
	p.F.Apply(m.fz, m.z)
	m.k = 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *ProximalPoint) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	// z_{k+1} = J_{γ(F+N_C)}(z_k), the inexact solve starting from z_k
	if !m.res.apply(m.alt, m.falt, m.z, m.z, m.fz) {
		return nil // the iterate is left unchanged; Status reports the failure
	}
	m.z, m.alt = m.alt, m.z
	m.fz, m.falt = m.falt, m.fz
	m.k++
	return nil
}

// Current implements Method.
func (m *ProximalPoint) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *ProximalPoint) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Status implements Statuser: Failure when the inner solver did not reach
// InnerTol within MaxInner steps.
func (m *ProximalPoint) Status() (Status, error) { return m.res.status(m.k + 1) }

// StepSize returns the step γ of the current run (zero before Init).
func (m *ProximalPoint) StepSize() float64 { return m.res.gamma }

// Exact reports whether the current run solves each step exactly (an
// affine operator without constraint) rather than with the inner solver.
func (m *ProximalPoint) Exact() bool { return m.res.exact }

// InnerSteps returns the number of inner steps, hence of operator
// evaluations after Init, made in the current run by the inexact solver.
func (m *ProximalPoint) InnerSteps() int { return m.res.inner }
