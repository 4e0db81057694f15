package vi

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// Defaults of ForwardBackwardForward's line search.
const (
	defaultFBFGrow          = 2
	defaultFBFShrink        = 0.7
	defaultFBFTheta         = 0.99
	defaultFBFMaxBacktracks = 60
)

// ForwardBackwardForward is Tseng's forward-backward-forward splitting
// for monotone VI(F, C), with a backtracking line search on the step by
// default, so that no Lipschitz constant is needed:
//
//	γ       ← δ·γ_{k−1}                                       (line search only)
//	w_k     = Π_C(z_k − γ F(z_k))
//	          while γ‖F(w_k) − F(z_k)‖ > θ‖w_k − z_k‖: γ ← βγ, recompute w_k
//	z_{k+1} = Π_C(w_k − γ (F(w_k) − F(z_k)))
//
// The last line is Tseng's constrained form x⁺ = P_X(w − γ(F(w) − F(z)))
// with X = C: X may be any closed convex set that contains a solution,
// and C does. Without the outer projection z_{k+1} may leave C (the
// author's Nash example clips it to z ≥ 0 by hand); projecting keeps every
// iterate feasible at the price of a second projection. With C = Rⁿ both
// projections are the identity and this is plain FBF.
//
// Step: constant γ = Step when Step > 0, else 1/(2L) when L > 0 (theory:
// 0 < γ < 1/L); no line search then. Otherwise the line search above with
// growth δ = Grow (default 2), shrink β = Shrink (default 0.7) and
// θ = Theta (default 0.99), the values of the author's code; the
// operator's own Lipschitz constant is not used. The first trial step is
// 2γ_0 with γ_0 = ‖x_0 − z_0‖/‖F(x_0) − F(z_0)‖ for the perturbed start
// x_0 described at AdaptiveGoldenRatio (γ_0 = 1 when F(x_0) = F(z_0); the
// author's code starts from the reciprocal, an estimate of L). An accepted
// step satisfies γ ≥ min(δγ_{k−1}, βθ/L) for L-Lipschitz F; with δ = 2 and
// β = 0.7 a steady iteration typically backtracks twice (2 → 1.4 → 0.98).
// A trial where F(w) is not finite is rejected. When MaxBacktracks
// (default 60) backtracks in one iteration still give no acceptable step,
// the run ends: Status reports Failure with an error, and the iterate is
// left unchanged (the author's code gives up after 100 trials and goes on
// with the last one).
//
// Current is z_k, whose F is known (CurrentValuer); no average is kept.
// Init evaluates F(z_0) and, with the line search, F(x_0): 2 evaluations
// (1 with a constant step) and 1 projection. An iteration costs 2 + b
// evaluations and 2 + b projections, b the number of rejected trial steps
// of that iteration (b = 0 with a constant step; Backtracks reports the
// total).
//
// Rate: for monotone L-Lipschitz F the iterates converge to a solution
// (Tseng 2000), with the line search as well, whose accepted steps stay
// ≥ min(γ_0, βθ/L); for strongly monotone F the convergence is linear.
//
// References: P. Tseng, "A modified forward-backward splitting method for
// maximal monotone mappings", SIAM J. Control Optim. 38(2) (2000) — the
// P_X form and the Armijo-type search are stated here from that paper as
// commonly cited; its text was not re-read. Line search parameters and
// the growth step from the author code of Malitsky (ymalitsky/graal,
// nash_equilibrium/algorithms.py, tseng_fbf_linesearch: δ = 2, θ = 0.99,
// β = 0.7), checked.
type ForwardBackwardForward struct {
	Step          float64 // constant γ; 0: 1/(2L) if L > 0, else line search
	L             float64 // Lipschitz constant for a constant step; 0: line search
	Grow          float64 // δ ≥ 1, growth of the trial step per iteration; 0: 2
	Shrink        float64 // β ∈ (0, 1), backtracking factor; 0: 0.7
	Theta         float64 // θ ∈ (0, 1), acceptance constant; 0: 0.99
	MaxBacktracks int     // rejected trials per iteration before failing; 0: 60

	f          Operator
	c          Set
	search     bool
	gamma      float64
	grow       float64
	shrink     float64
	theta      float64
	maxBack    int
	z, fz      []float64
	w, fw      []float64
	src        rand.PCG
	backtracks int
	err        error
	inited     bool
}

// Init implements Method.
func (m *ForwardBackwardForward) Init(p *Problem) error {
	const name = "ForwardBackwardForward"
	m.inited = false
	if err := checkNonNegative(name, "Step", m.Step); err != nil {
		return err
	}
	if err := checkNonNegative(name, "L", m.L); err != nil {
		return err
	}
	grow, shrink, theta := m.Grow, m.Shrink, m.Theta
	if grow == 0 {
		grow = defaultFBFGrow
	}
	if shrink == 0 {
		shrink = defaultFBFShrink
	}
	if theta == 0 {
		theta = defaultFBFTheta
	}
	if !(grow >= 1) || math.IsInf(grow, 1) {
		return ErrParameter{Method: name, Field: "Grow", Value: m.Grow, Want: "finite and ≥ 1 (0: 2)"}
	}
	if !(shrink > 0 && shrink < 1) {
		return ErrParameter{Method: name, Field: "Shrink", Value: m.Shrink, Want: "in (0, 1) (0: 0.7)"}
	}
	if !(theta > 0 && theta < 1) {
		return ErrParameter{Method: name, Field: "Theta", Value: m.Theta, Want: "in (0, 1) (0: 0.99)"}
	}
	if m.MaxBacktracks < 0 {
		return ErrParameter{Method: name, Field: "MaxBacktracks", Value: float64(m.MaxBacktracks), Want: "≥ 0 (0: 60)"}
	}
	maxBack := m.MaxBacktracks
	if maxBack == 0 {
		maxBack = defaultFBFMaxBacktracks
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.z = p.F, p.C, z
	m.fz, m.w, m.fw = resize(m.fz, n), resize(m.w, n), resize(m.fw, n)
	m.grow, m.shrink, m.theta, m.maxBack = grow, shrink, theta, maxBack
	m.backtracks, m.err = 0, nil
	m.f.Apply(m.fz, m.z)
	switch {
	case m.Step > 0:
		m.search, m.gamma = false, m.Step
	case m.L > 0:
		m.search, m.gamma = false, 0.5/m.L
	default:
		m.search = true
		m.src.Seed(1, 2)
		dx, df := perturb(&m.src, m.f, m.z, m.fz, m.w, m.fw)
		switch {
		case !finite(df):
			return fmt.Errorf("vi: ForwardBackwardForward: F is not finite at the perturbed start used to estimate the first step; set Step or L")
		case df == 0:
			m.gamma = 1
		default:
			m.gamma = dx / df // γ_0; the first trial is δγ_0
		}
	}
	m.inited = true
	return nil
}

// Iterate implements Method. After a failed line search it does nothing
// and Status reports the failure.
func (m *ForwardBackwardForward) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	if m.err != nil {
		return nil
	}
	gamma := m.gamma
	if m.search {
		gamma *= m.grow // γ ← δγ
	}
	for j := 0; ; j++ {
		floats.AddScaledTo(m.w, m.z, -gamma, m.fz) // w = Π(z − γF(z))
		project(m.c, m.w, m.w)
		m.f.Apply(m.fw, m.w)
		if !m.search || gamma*distance(m.fw, m.fz) <= m.theta*distance(m.w, m.z) {
			break // accept: γ‖F(w) − F(z)‖ ≤ θ‖w − z‖
		}
		if j == m.maxBack {
			m.err = fmt.Errorf("vi: ForwardBackwardForward: line search rejected %d trial steps down to γ = %g", j+1, gamma)
			return nil
		}
		m.backtracks++
		gamma *= m.shrink // γ ← βγ
	}
	m.gamma = gamma
	// z⁺ = Π_C(w − γ(F(w) − F(z))), computed in place of z.
	for i, v := range m.w {
		m.z[i] = v - gamma*(m.fw[i]-m.fz[i])
	}
	project(m.c, m.z, m.z)
	m.f.Apply(m.fz, m.z)
	return nil
}

// Current implements Method.
func (m *ForwardBackwardForward) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *ForwardBackwardForward) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Status implements Statuser: Failure with an error after a line search
// that rejected MaxBacktracks + 1 trial steps, else NotTerminated.
func (m *ForwardBackwardForward) Status() (Status, error) {
	if m.err != nil {
		return Failure, m.err
	}
	return NotTerminated, nil
}

// StepSize returns the last accepted step γ (before the first iteration:
// the constant step, or γ_0 of the line search).
func (m *ForwardBackwardForward) StepSize() float64 { return m.gamma }

// Backtracks returns the number of rejected trial steps since Init.
func (m *ForwardBackwardForward) Backtracks() int { return m.backtracks }
