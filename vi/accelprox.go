package vi

// AcceleratedProximalPoint is Kim's accelerated proximal point method for
// monotone VI(F, C), the inclusion 0 ∈ F(z) + N_C(z): proximal point steps
// with a momentum and a correction term that give an O(1/t²) rate on the
// squared fixed-point residual, against O(1/t) for plain ProximalPoint.
// With x_0 = y_0 = y_{−1} = Π_C(Z0) and, for t = 0, 1, …,
//
//	x_{t+1} = J_{γ(F+N_C)}(y_t)                                                 (1)
//	y_{t+1} = x_{t+1} + (t/(t+2))(x_{t+1} − x_t) − (t/(t+2))(x_t − y_{t−1})     (2)
//
// The resolvent is computed as ProximalPoint computes it: exactly, with a
// cached LU factorization of I + γM, for an affine F = Mz + q without a
// set; otherwise by the same inner solver, warm-started at x_t. The points
// y_t may leave C (they extrapolate); F is evaluated only at points of C.
// The method is Halpern's iteration on the reflected resolvent
// 2J_{γ(F+N_C)} − I, with y_t the Halpern point (substituting (1) into
// (2); the tests check it for 60 steps), which is nonexpansive exactly
// when J is firmly nonexpansive: it needs F + N_C monotone, and has no
// Rho.
//
// Step: γ = Step if positive, else ProximalPoint's default with ρ = 0
// (exact solve: 1/L; inner solver: 1/(2L)). Theory: every γ > 0. L,
// InnerTol and MaxInner are ProximalPoint's; InnerTol bounds the accuracy
// of the run: keep it below Settings.Tol.
//
// Current is x_t, the output of the last resolvent, where F is known
// (CurrentValuer); no average is kept.
//
// Cost: Init evaluates F(x_0). Per iteration, on the exact path, 0
// evaluations and 0 projections (F(x_{t+1}) = (y_t − x_{t+1})/γ comes for
// free); with the inner solver, one evaluation per inner step and one
// projection more than that (InnerSteps reports the total).
//
// Rate (Kim, Thm 4.1, tight): for maximally monotone F + N_C with a zero
// x* and n ≥ 1,
//
//	‖x_n − y_{n−1}‖² ≤ ‖x_0 − x*‖²/n²,
//
// and y_{n−1} − x_n = γ(F(x_n) + d_n) with d_n ∈ N_C(x_n), so
// r_tan(x_n) ≤ ‖F(x_n) + d_n‖ ≤ ‖x_0 − x*‖/(γn), half the bound of
// Halpern on the resolvent (OHM). Unconstrained, ‖F(x_n)‖ ≤
// ‖x_0 − x*‖/(γn). The rate stays Θ(1/n) on strongly monotone problems:
// for affine F, γF(x_n) = ½(I − R^n)(x_0 − x*)/n with R = 2J − I, so
// γn‖F(x_n)‖ → ‖x_0 − x*‖/2 when R is a strict contraction (derived here;
// the tests check it).
//
// First step: t = 0 gives x_1 = J(x_0), one proximal point step, and
// y_1 = x_1.
//
// What was verified: (1)–(2), the start x_0 = y_0 = y_{−1} and the tight
// bound against PEPit's accelerated_proximal_point example, whose code
// uses t/(t+2) for both coefficients (one version of its docstring prints
// t/(t+1) for the second; t/(t+2) is the one that equals Halpern's
// iteration on 2J − I and meets the bound, both checked in the tests).
// Kim's paper itself was not read here.
//
// Reference: Donghwan Kim, "Accelerated proximal point method for
// maximally monotone operators", Mathematical Programming 190, 2021
// (ALGORITHMS.md §2.6).
type AcceleratedProximalPoint struct {
	Step     float64 // γ; 0: see above
	L        float64 // Lipschitz constant; 0: the operator's own
	InnerTol float64 // stopping tolerance of the inexact inner solver; 0: 1e-10
	MaxInner int     // inner steps allowed per iteration; 0: 1000

	res    resolvent // J_{γ(F+N_C)}
	x, fx  []float64 // x_t and F(x_t)
	y      []float64 // y_t
	yPrev  []float64 // y_{t−1}
	alt    []float64 // the buffers x_{t+1} and F(x_{t+1}) are solved into
	falt   []float64
	k      int // iterations done
	inited bool
}

// Init implements Method.
func (m *AcceleratedProximalPoint) Init(p *Problem) error {
	m.inited = false
	m.res.gamma, m.res.exact, m.res.inner, m.res.failed = 0, false, 0, false
	const name = "AcceleratedProximalPoint"
	if err := resolventCheck(name, m.Step, 0, m.L, m.InnerTol, m.MaxInner); err != nil {
		return err
	}
	x, err := start(p, m.x)
	if err != nil {
		return err
	}
	n := len(x)
	m.x = x
	m.fx, m.y, m.yPrev = resize(m.fx, n), resize(m.y, n), resize(m.yPrev, n)
	m.alt, m.falt = resize(m.alt, n), resize(m.falt, n)
	if err := m.res.init(name, p.F, p.C, n, m.Step, 0, m.L, m.InnerTol, m.MaxInner); err != nil {
		return err
	}
	copy(m.y, x) // y_0 = x_0
	copy(m.yPrev, x)
	p.F.Apply(m.fx, m.x)
	m.k = 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *AcceleratedProximalPoint) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	// x_{t+1} = J(y_t), the inner solver warm-started at x_t   (1)
	if !m.res.apply(m.alt, m.falt, m.y, m.x, m.fx) {
		return nil // the iterate is left unchanged; Status reports the failure
	}
	t := float64(m.k)
	c := t / (t + 2)
	next, x := m.alt, m.x
	for i, v := range next { // y_{t+1}, written over y_{t−1}   (2)
		m.yPrev[i] = v + c*(v-x[i]) - c*(x[i]-m.yPrev[i])
	}
	m.y, m.yPrev = m.yPrev, m.y
	m.x, m.alt = m.alt, m.x
	m.fx, m.falt = m.falt, m.fx
	m.k++
	return nil
}

// Current implements Method.
func (m *AcceleratedProximalPoint) Current() []float64 { return m.x }

// CurrentValue implements CurrentValuer.
func (m *AcceleratedProximalPoint) CurrentValue() ([]float64, bool) { return m.fx, m.inited }

// Status implements Statuser: Failure when the inner solver did not reach
// InnerTol within MaxInner steps.
func (m *AcceleratedProximalPoint) Status() (Status, error) { return m.res.status(m.k + 1) }

// StepSize returns the step γ of the current run (zero before Init).
func (m *AcceleratedProximalPoint) StepSize() float64 { return m.res.gamma }

// Exact reports whether the current run solves each step exactly (an
// affine operator without constraint) rather than with the inner solver.
func (m *AcceleratedProximalPoint) Exact() bool { return m.res.exact }

// InnerSteps returns the number of inner steps, hence of operator
// evaluations after Init, made in the current run by the inexact solver.
func (m *AcceleratedProximalPoint) InnerSteps() int { return m.res.inner }
