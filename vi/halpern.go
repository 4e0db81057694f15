package vi

import "fmt"

// HalpernMap selects the nonexpansive map T that Halpern iterates.
type HalpernMap int

const (
	// HalpernResolvent is T = J_{γ(F+N_C)}, the resolvent ProximalPoint
	// applies: Halpern's iteration on it is the optimized Halpern method
	// (OHM). The zero value.
	HalpernResolvent HalpernMap = iota
	// HalpernForwardBackward is T(z) = Π_C(z − ηF(z)), the projected
	// forward step, nonexpansive when F is cocoercive.
	HalpernForwardBackward
)

// String returns the map's name.
func (t HalpernMap) String() string {
	switch t {
	case HalpernResolvent:
		return "resolvent"
	case HalpernForwardBackward:
		return "forward-backward"
	}
	return fmt.Sprintf("HalpernMap(%d)", int(t))
}

// Halpern is Halpern's iteration for VI(F, C): fixed-point steps of a
// nonexpansive map T whose fixed points are the solutions, each pulled
// toward the start with a weight that decays like 1/t. With
// x_0 = Π_C(Z0) and, for t = 0, 1, …,
//
//	x_{t+1} = (1/(t+2))·x_0 + (1 − 1/(t+2))·T(x_t)                              (H)
//
// Map chooses T.
//
// HalpernResolvent (the zero value): T = J_{γ(F+N_C)}, computed as
// ProximalPoint computes it (exactly, by a cached LU factorization of
// I + γM, for an affine F = Mz + q without a set; otherwise by the same
// inner solver, warm-started at the previous output). This is the
// optimized Halpern method (OHM) of Cai, Oikonomou and Zheng, who write it
// with β_k = 1/(k+1) as
//
//	w_{k+½} = β_k w_0 + (1 − β_k) w_k,   w_{k+1} = J_{γ(F+N_C)}(w_{k+½}),      (OHM)
//
// the same sequence as (H) with x_t = w_{t+½}: then w_{½} = w_0 (β_0 = 1)
// and w_{t+1+½} = (1/(t+2))w_0 + (1 − 1/(t+2))J(w_{t+½}). The two forms
// differ only in the point they report; Halpern reports w_{k+1} = T(x_k),
// where F is known and the bound below is stated. J is nonexpansive when
// F + N_C is ρ-negatively comonotone and γ ≥ 2ρ (every γ > 0 when
// monotone): with u = J(x), v = J(y), x − u = γa, y − v = γb, a and b in
// (F + N_C) at u and v,
//
//	‖x − y‖² = ‖u − v‖² + 2γ⟨u − v, a − b⟩ + γ²‖a − b‖² ≥ ‖u − v‖² + γ(γ − 2ρ)‖a − b‖²
//
// (derived here).
//
// HalpernForwardBackward: T(z) = Π_C(z − ηF(z)). T is nonexpansive when F
// is β-cocoercive, ⟨F(x) − F(y), x − y⟩ ≥ β‖F(x) − F(y)‖², and η ≤ 2β: a
// gradient of a convex L-smooth function (β = 1/L, Baillon–Haddad), a
// symmetric positive semidefinite affine operator (β = 1/λ_max), a
// strongly monotone affine Mz + q (β = λ_min of the symmetric part of
// M⁻¹), or F = I − N for a nonexpansive map N (β = 1/2). The last gives
// Halpern's iteration on any nonexpansive N: without a set and with
// Step 1, T = N. Monotonicity is not enough: on a bilinear game T is
// expansive and the iteration diverges (Solve reports Diverged).
//
// Step: HalpernResolvent uses γ = Step if positive, else ProximalPoint's
// default (exact solve: 2ρ + 1/L; inner solver: ρ + 1/(2L), which needs
// ρ < 1/(2L)); Rho > 0 with an explicit Step below 2ρ is rejected, since
// T need not be nonexpansive there. L, InnerTol and MaxInner are
// ProximalPoint's, and InnerTol bounds the accuracy of the run: keep it
// below Settings.Tol. HalpernForwardBackward uses η = Step if positive,
// else 1/L, which is ≤ 2β for the examples above (β ≥ 1/(2L)); it
// needs Rho = 0 and ignores InnerTol and MaxInner.
//
// Current: with the resolvent, w_{k+1} = T(x_k), the output of the last
// resolvent (w_0 before the first iteration); with forward-backward, the
// Halpern point x_t. F is known at both (CurrentValuer). No average is
// kept.
//
// Cost: Init evaluates F(x_0). Per iteration, the resolvent costs, on the
// exact path, 0 evaluations and 0 projections (F(w_{k+1}) =
// (w_{k+½} − w_{k+1})/γ comes for free); with the inner solver, one
// evaluation per inner step and one projection more than that, a
// variable count (InnerSteps reports the total). Forward-backward costs 1
// evaluation (F(x_{t+1})) and 1 projection.
//
// Rate (Lieder, Thm 2.1, tight): for nonexpansive T with a fixed point
// x*,
//
//	‖x_t − T(x_t)‖² ≤ (2/(t+1))²·‖x_0 − x*‖².
//
// With the resolvent, x_k − T(x_k) = w_{k+½} − w_{k+1} = γ(F(w_{k+1}) +
// d_{k+1}) with d_{k+1} ∈ N_C(w_{k+1}), so after K iterations
//
//	r_tan(w_K) ≤ ‖F(w_K) + d_K‖ ≤ 2‖w_0 − w*‖/(γK),
//
// which is OHM's bound ‖γF(w_{k+1}) + γd_{k+1}‖² ≤ 4‖w_0 − w*‖²/(k+1)²
// (Cai, Oikonomou and Zheng, Thm 3.7, citing Lieder); unconstrained,
// ‖F(w_K)‖ ≤ 2‖w_0 − w*‖/(γK). With forward-backward, after t
// iterations ‖x_t − Π_C(x_t − ηF(x_t))‖ ≤ 2‖x_0 − x*‖/(t+1); without a
// set ‖F(x_t)‖ ≤ 2‖x_0 − x*‖/(η(t+1)) (the explicit Halpern method for
// cocoercive F studied by Diakonikolas 2020). The rate is Θ(1/t) however
// strongly monotone F is: on an affine problem with the resolvent,
// γF(w_{k+1}) = (I − J^{k+1})(w_0 − w*)/(k+1) exactly, so when J is a
// strict contraction γK‖F(w_K)‖ → ‖w_0 − w*‖, half the bound (derived
// here; the tests check it). ProximalPoint is linear there and much
// faster; Halpern's advantage is the guarantee on merely monotone
// problems.
//
// First step: in (H), x_1 = (x_0 + T(x_0))/2; in (OHM), β_0 = 1 gives
// w_{½} = w_0, so the first reported point is w_1 = J(w_0), one proximal
// point step.
//
// What was verified: (H), its weight 1/(t+2) and the tight constant
// (2/(t+1))² against PEPit's halpern_iteration example (which cites
// Lieder, Thm 2.1); OHM's form and bound as ALGORITHMS.md §2.6 restates
// Cai et al. (the paper was not re-read here). The equivalence of the two
// forms is the substitution above. The tests check the bound at every
// iterate, that the point reflection T(x) = 2x* − x attains it at even t,
// and the O(1/t) slope.
//
// References: Benjamin Halpern, "Fixed points of nonexpanding maps",
// Bull. AMS, 1967; Felix Lieder, "On the convergence rate of the
// Halpern-iteration", Optimization Letters, 2021; Jelena Diakonikolas,
// "Halpern iteration for near-optimal and parameter-free monotone
// inclusion and strong solutions to variational inequalities", COLT 2020;
// Yang Cai, Argyris Oikonomou and Weiqiang Zheng, "Accelerated Algorithms
// for Constrained Nonconvex-Nonconcave Min-Max Optimization and Comonotone
// Inclusion", ICML 2024, §3 (ALGORITHMS.md §2.6).
type Halpern struct {
	Map      HalpernMap // T; the zero value is HalpernResolvent
	Step     float64    // γ of the resolvent or η of forward-backward; 0: see above
	Rho      float64    // negative comonotonicity ρ ≥ 0 of F + N_C (resolvent only)
	L        float64    // Lipschitz constant; 0: the operator's own
	InnerTol float64    // stopping tolerance of the resolvent's inner solver; 0: 1e-10
	MaxInner int        // inner steps allowed per iteration; 0: 1000

	f      Operator
	c      Set
	res    resolvent // T, for HalpernResolvent
	fb     bool      // the run's Map is HalpernForwardBackward
	eta    float64   // η, for HalpernForwardBackward
	z0     []float64 // the anchor x_0 = w_0
	z, fz  []float64 // Current and F there
	half   []float64 // w_{k+½} (resolvent) or T(x_t) (forward-backward)
	alt    []float64 // the buffers w_{k+1} and F(w_{k+1}) are solved into
	falt   []float64
	k      int // iterations done
	inited bool
}

// Init implements Method.
func (m *Halpern) Init(p *Problem) error {
	m.inited = false
	m.fb, m.eta = false, 0
	m.res.gamma, m.res.exact, m.res.inner, m.res.failed = 0, false, 0, false
	const name = "Halpern"
	if m.Map != HalpernResolvent && m.Map != HalpernForwardBackward {
		return ErrParameter{Method: name, Field: "Map", Value: float64(m.Map), Want: "HalpernResolvent (0) or HalpernForwardBackward (1)"}
	}
	if err := resolventCheck(name, m.Step, m.Rho, m.L, m.InnerTol, m.MaxInner); err != nil {
		return err
	}
	if m.Map == HalpernForwardBackward && m.Rho != 0 {
		return ErrParameter{Method: name, Field: "Rho", Value: m.Rho, Want: "0 with HalpernForwardBackward, which needs a cocoercive F"}
	}
	if m.Map == HalpernResolvent && m.Step > 0 && m.Step < 2*m.Rho {
		return ErrParameter{Method: name, Field: "Step", Value: m.Step, Want: fmt.Sprintf("≥ 2ρ = %v: the resolvent is nonexpansive only there", 2*m.Rho)}
	}
	eta := 0.0
	if m.Map == HalpernForwardBackward {
		var err error
		if eta, err = stepFrom(name, m.Step, m.L, 1, p.F); err != nil {
			return err
		}
	}
	z0, err := start(p, m.z0)
	if err != nil {
		return err
	}
	n := len(z0)
	m.f, m.c, m.z0 = p.F, p.C, z0
	m.z, m.fz, m.half = resize(m.z, n), resize(m.fz, n), resize(m.half, n)
	m.alt, m.falt = resize(m.alt, n), resize(m.falt, n)
	if m.Map == HalpernResolvent {
		if err := m.res.init(name, p.F, p.C, n, m.Step, m.Rho, m.L, m.InnerTol, m.MaxInner); err != nil {
			return err
		}
	}
	m.fb, m.eta = m.Map == HalpernForwardBackward, eta
	copy(m.z, z0)
	m.f.Apply(m.fz, m.z)
	m.k = 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *Halpern) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	if m.fb {
		m.iterateForwardBackward()
		return nil
	}
	b := 1 / float64(m.k+1) // β_k
	for i, v := range m.z {
		m.half[i] = b*m.z0[i] + (1-b)*v // w_{k+½} = β_k w_0 + (1 − β_k) w_k   (OHM)
	}
	// w_{k+1} = J(w_{k+½}), the inner solver warm-started at w_k   (OHM)
	if !m.res.apply(m.alt, m.falt, m.half, m.z, m.fz) {
		return nil // the iterate is left unchanged; Status reports the failure
	}
	m.z, m.alt = m.alt, m.z
	m.fz, m.falt = m.falt, m.fz
	m.k++
	return nil
}

// iterateForwardBackward performs (H) with T(x) = Π_C(x − ηF(x)).
func (m *Halpern) iterateForwardBackward() {
	axpyTo(m.half, m.z, -m.eta, m.fz) // T(x_t) = Π_C(x_t − ηF(x_t))
	project(m.c, m.half, m.half)
	b := 1 / float64(m.k+2)
	for i, v := range m.half {
		m.z[i] = b*m.z0[i] + (1-b)*v // x_{t+1} = x_0/(t+2) + (1 − 1/(t+2))T(x_t)   (H)
	}
	m.f.Apply(m.fz, m.z)
	m.k++
}

// Current implements Method.
func (m *Halpern) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *Halpern) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Status implements Statuser: Failure when the resolvent's inner solver
// did not reach InnerTol within MaxInner steps.
func (m *Halpern) Status() (Status, error) { return m.res.status(m.k + 1) }

// StepSize returns γ (resolvent) or η (forward-backward) of the current
// run, zero before Init.
func (m *Halpern) StepSize() float64 {
	if m.fb {
		return m.eta
	}
	return m.res.gamma
}

// Exact reports whether the current run computes the resolvent exactly
// (an affine operator without constraint); false for forward-backward.
func (m *Halpern) Exact() bool { return m.res.exact }

// InnerSteps returns the number of inner steps, hence of operator
// evaluations after Init, made in the current run by the resolvent's
// inner solver.
func (m *Halpern) InnerSteps() int { return m.res.inner }
