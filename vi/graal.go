package vi

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// Defaults of AdaptiveGoldenRatio.
const (
	defaultGraalPhi     = 1.6
	defaultGraalMaxStep = 1e6
)

// goldenRatio is (1 + √5)/2, the largest φ aGRAAL allows.
var goldenRatio = (1 + math.Sqrt(5)) / 2

// AdaptiveGoldenRatio is Malitsky's adaptive golden ratio algorithm
// (aGRAAL, the explicit GRAAL of the paper): a projected forward step from
// a moving convex combination x̄ of past iterates, with a step size
// estimated from the last two iterates, so that no Lipschitz constant is
// needed. It solves monotone VI(F, C) with F locally Lipschitz:
//
//	λ_k     = min{ ρ̄·λ_{k−1},  φθ_{k−1}/(4λ_{k−1}) · ‖x_k − x_{k−1}‖² / ‖F(x_k) − F(x_{k−1})‖²,  λ̄ }
//	x̄_k     = ((φ − 1)·x_k + x̄_{k−1}) / φ
//	x_{k+1} = Π_C(x̄_k − λ_k F(x_k))
//	θ_k     = φ·λ_k / λ_{k−1}
//
// with ρ̄ = 1/φ + 1/φ², started from x̄_0 = x_1 = Π_C(Z0) and θ_0 = 1. When
// F(x_k) = F(x_{k−1}) the middle term is +∞ and is left out of the min (the
// author's code substitutes a large number instead; the min is the same
// whenever ρ̄λ or λ̄ is smaller).
//
// Step: adaptive, no L needed. λ_0 is Step when positive; otherwise
// λ_0 = (φ/2)·‖x_1 − x_0‖/‖F(x_1) − F(x_0)‖ with x_0 = x_1 + δ·u, a
// perturbation of relative size δ = 1e-9·max(1, ‖x_1‖_∞) along a vector u
// uniform in [−1, 1]ⁿ drawn from rand.NewPCG(1, 2), reseeded at every
// Init, so runs are reproducible; λ_0 = λ̄ when F(x_0) = F(x_1). (With Step set, x_0 = x_1 and the first
// step is min(ρ̄·Step, λ̄).) The step may grow, by at most the factor ρ̄ per
// iteration, and never exceeds λ̄ = MaxStep.
//
// φ: any value in (1, (1+√5)/2] carries the convergence guarantee; the
// default is 1.6. Once the step settles it sits at λ = φ/(2L_loc), with
// L_loc = ‖ΔF‖/‖Δx‖ the local Lipschitz estimate, so a larger φ takes
// longer steps and averages less; but the growth factor ρ̄ falls to 1 at
// the golden ratio (ρ̄ = 1.111 at φ = 1.5, 1.016 at 1.6, 1 at 1.618), so
// an underestimated step recovers ever more slowly. On 30 monotone
// instances (random bilinear and matrix games, quadratic-bilinear games,
// rps, matching pennies, biased rps) φ = 1.6 needed 5.6% fewer evaluations
// than the author's φ = 1.5 (geometric mean) and fewer on 22 of them; on
// the strongly monotone rotation quadratic-bilinear:a=1,b=3,c=1 it needs
// 2.8× the evaluations of extragradient at its best constant step, against
// 3.3× with φ = 1.5. Outside monotonicity the smaller φ is the more
// forgiving: on the ρ-comonotone example with ρL = 1/3 aGRAAL converges
// with φ = 1.5 and diverges with 1.6 (no guarantee covers either).
//
// Current is x_k, whose F is known (CurrentValuer); no average is kept.
// Init evaluates F(x_1) and, unless Step is set, F(x_0): 2 evaluations
// (1 with Step) and 1 projection; each iteration costs 1 evaluation and 1
// projection.
//
// Convergence: for monotone F, locally Lipschitz on C, the iterates
// converge to a solution; the paper's abstract states an ergodic O(1/k)
// rate and an R-linear rate under an error bound (rate constants not
// copied here).
//
// First step: λ_1 is computed from (x_0, x_1) by the rule above before the
// first iteration, as in the paper's Algorithm (the author's code instead
// takes its first step with λ_0).
//
// Reference: Y. Malitsky, "Golden ratio algorithms for variational
// inequalities", Mathematical Programming 184 (2020), arXiv:1803.08832.
// Checked against the author's code (ymalitsky/graal,
// nash_equilibrium/algorithms.py, explicit_graal and
// explicit_graal_terminate): the step rule, ρ̄, θ, the x̄ update, the
// range of φ (the code's docstring recommends 1.5; see above for why the
// default here is 1.6), the 1e-9 perturbation for λ_0 and the cap 1e6 of the
// terminating variant. The paper's full text was not available; its
// abstract confirms one evaluation and one prox per iteration, no
// linesearch, and the rates above.
type AdaptiveGoldenRatio struct {
	Phi     float64 // φ ∈ (1, (1+√5)/2]; 0: 1.6
	MaxStep float64 // λ̄, the cap on the step; 0: 1e6
	Step    float64 // λ_0; 0: estimated from a perturbation of the start

	f        Operator
	c        Set
	phi, rho float64
	lmax     float64
	lam      float64 // λ_k, the step of the next iteration
	theta    float64 // θ_k
	x, fx    []float64
	xbar     []float64
	next, fn []float64
	src      rand.PCG
	inited   bool
}

// Init implements Method.
func (m *AdaptiveGoldenRatio) Init(p *Problem) error {
	m.inited = false
	phi := m.Phi
	if phi == 0 {
		phi = defaultGraalPhi
	}
	if !(phi > 1 && phi <= goldenRatio) {
		return ErrParameter{Method: "AdaptiveGoldenRatio", Field: "Phi", Value: m.Phi, Want: "in (1, (1+√5)/2] (0: 1.6)"}
	}
	if err := checkNonNegative("AdaptiveGoldenRatio", "MaxStep", m.MaxStep); err != nil {
		return err
	}
	if err := checkNonNegative("AdaptiveGoldenRatio", "Step", m.Step); err != nil {
		return err
	}
	lmax := m.MaxStep
	if lmax == 0 {
		lmax = defaultGraalMaxStep
	}
	x, err := start(p, m.x)
	if err != nil {
		return err
	}
	n := len(x)
	m.f, m.c, m.x = p.F, p.C, x
	m.phi, m.rho, m.lmax = phi, 1/phi+1/(phi*phi), lmax
	m.fx, m.xbar = resize(m.fx, n), resize(m.xbar, n)
	m.next, m.fn = resize(m.next, n), resize(m.fn, n)
	m.f.Apply(m.fx, m.x)
	copy(m.xbar, m.x) // x̄_0 = x_1
	m.theta = 1       // θ_0
	if m.Step > 0 {
		// x_0 = x_1: the ratio term is 0/0 and left out, λ_1 = min(ρ̄λ_0, λ̄).
		m.lam = m.Step
		m.lam, m.theta = m.nextStep(0, 0)
		m.inited = true
		return nil
	}
	// x_0 = x_1 + δu in m.next, F(x_0) in m.fn.
	m.src.Seed(1, 2)
	dx, df := perturb(&m.src, m.f, m.x, m.fx, m.next, m.fn)
	if !finite(df) {
		return fmt.Errorf("vi: AdaptiveGoldenRatio: F is not finite at the perturbed start x_0 used to estimate λ_0; set Step")
	}
	if df == 0 {
		m.lam = m.lmax
	} else {
		m.lam = min(m.phi/2*dx/df, m.lmax) // λ_0
	}
	m.lam, m.theta = m.nextStep(dx, df) // λ_1, θ_1
	m.inited = true
	return nil
}

// perturb sets x0 = x + δu with u uniform in [−1, 1]ⁿ from src and
// δ = 1e-9·max(1, ‖x‖_∞), evaluates f0 = F(x0), and returns ‖x0 − x‖ and
// ‖f0 − fx‖ (+Inf when f0 is not finite). It does not allocate.
func perturb(src *rand.PCG, f Operator, x, fx, x0, f0 []float64) (dx, df float64) {
	scale := 1.0
	for _, v := range x {
		scale = max(scale, math.Abs(v))
	}
	delta := 1e-9 * scale
	for i, v := range x {
		u := 2*float64(src.Uint64()>>11)/(1<<53) - 1
		x0[i] = v + delta*u
	}
	f.Apply(f0, x0)
	if !allFinite(f0) {
		return distance(x0, x), math.Inf(1)
	}
	return distance(x0, x), distance(f0, fx)
}

// nextStep returns λ_{k+1} and θ_{k+1} from λ_k = m.lam, θ_k = m.theta and
// dx = ‖x_{k+1} − x_k‖, df = ‖F(x_{k+1}) − F(x_k)‖.
func (m *AdaptiveGoldenRatio) nextStep(dx, df float64) (lam, theta float64) {
	lam = min(m.rho*m.lam, m.lmax)
	if df > 0 {
		q := dx / df
		lam = min(lam, m.phi*m.theta/(4*m.lam)*q*q) // the middle term of λ_k
	}
	return lam, m.phi * lam / m.lam // θ_k = φλ_k/λ_{k−1}
}

// Iterate implements Method.
func (m *AdaptiveGoldenRatio) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	// x̄_k = ((φ − 1)x_k + x̄_{k−1})/φ
	a, b := (m.phi-1)/m.phi, 1/m.phi
	for i, v := range m.x {
		m.xbar[i] = a*v + b*m.xbar[i]
	}
	floats.AddScaledTo(m.next, m.xbar, -m.lam, m.fx) // x_{k+1} = Π(x̄_k − λ_k F(x_k))
	project(m.c, m.next, m.next)
	m.f.Apply(m.fn, m.next)
	dx, df := distance(m.next, m.x), distance(m.fn, m.fx)
	if finite(df) {
		m.lam, m.theta = m.nextStep(dx, df)
	}
	m.x, m.next = m.next, m.x
	m.fx, m.fn = m.fn, m.fx
	return nil
}

// Current implements Method.
func (m *AdaptiveGoldenRatio) Current() []float64 { return m.x }

// CurrentValue implements CurrentValuer.
func (m *AdaptiveGoldenRatio) CurrentValue() ([]float64, bool) { return m.fx, m.inited }

// StepSize returns the step λ_k the next iteration will take.
func (m *AdaptiveGoldenRatio) StepSize() float64 { return m.lam }
