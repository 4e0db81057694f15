package vi

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
)

// ExtragradientLineSearch is the extragradient method with its step found
// by backtracking on a local Lipschitz estimate (a Khobotov-type rule;
// Khobotov, USSR Comput. Math. Math. Phys., 1987, not checked; ALGORITHMS.md
// §2.9(a)), so that no Lipschitz constant is needed:
//
//	γ ← min(γ_max, γ_{k−1}/τ)             (only when MaxStep > 0)
//	repeat: w_k = Π_C(z_k − γ F(z_k))
//	        accept if γ‖F(w_k) − F(z_k)‖ ≤ ν‖w_k − z_k‖, else γ ← τγ
//	z_{k+1} = Π_C(z_k − γ_k F(w_k)),      γ_k the accepted γ.
//
// Steps: the first trial is Step0 (default 1; capped at MaxStep when that
// is set). Without MaxStep the step
// never grows: each iteration starts from the last accepted step, and
// after the first backtracks it usually costs no more than extragradient.
// With MaxStep > 0 each iteration first tries min(MaxStep, γ_{k−1}/τ),
// which follows a step that may grow again, at the price of at least one
// backtrack whenever the step is at its local limit. Nu is ν ∈ (0, 1)
// (default 0.9) and Tau is τ ∈ (0, 1) (default 0.5). For L-Lipschitz F,
// L unknown to the method, every γ ≤ ν/L is accepted, so every accepted
// step is at least min(γ₀, τν/L), γ₀ the first trial.
//
// Current is the base iterate z_k, whose F is known (CurrentValuer). The
// method keeps the step-weighted average Σγ_k w_k / Σγ_k of the
// extrapolated points (Averager), the point the ergodic bound is about.
// Init evaluates F(z_0). An iteration with b backtracks costs 2 + b
// evaluations and 2 + b projections, a variable count (Backtracks reports
// the total b of the run). MaxBacktracks (default 100) bounds b in one
// iteration; past it the iterate is left unchanged and the method reports
// Failure through Statuser (F is then not Lipschitz near z_k, or not
// finite).
//
// Rate: the accepted step satisfies the extragradient one-step inequality
// with 1 − ν² in place of 1 − η²L², so the rates of Extragradient hold with
// η replaced by the smallest accepted step (ALGORITHMS.md §2.9(a),
// derived). With Step0 = η ≤ ν/L and no MaxStep it never backtracks and
// its iterates are those of Extragradient with step η.
type ExtragradientLineSearch struct {
	Step0         float64 // γ₀, the first trial step; 0: 1
	Nu            float64 // ν ∈ (0, 1) of the acceptance test; 0: 0.9
	Tau           float64 // τ ∈ (0, 1), the backtracking factor; 0: 0.5
	MaxStep       float64 // γ_max > 0 lets the step grow up to it; 0: the step never grows
	MaxBacktracks int     // backtracks allowed in one iteration; 0: 100

	f          Operator
	c          Set
	gamma      float64 // last accepted step (γ₀ before the first iteration)
	nu, tau    float64
	maxStep    float64
	maxBT      int
	z, fz      []float64
	w, fw      []float64
	sum, avg   []float64
	wsum       float64
	k          int
	backtracks int
	failed     bool
	failStep   float64
	inited     bool
}

// Init implements Method.
func (m *ExtragradientLineSearch) Init(p *Problem) error {
	m.inited = false
	const name = "ExtragradientLineSearch"
	for _, c := range []struct {
		field string
		v     float64
	}{{"Step0", m.Step0}, {"Nu", m.Nu}, {"Tau", m.Tau}, {"MaxStep", m.MaxStep}} {
		if err := checkNonNegative(name, c.field, c.v); err != nil {
			return err
		}
	}
	if m.Nu >= 1 {
		return ErrParameter{Method: name, Field: "Nu", Value: m.Nu, Want: "in (0, 1) (0: 0.9)"}
	}
	if m.Tau >= 1 {
		return ErrParameter{Method: name, Field: "Tau", Value: m.Tau, Want: "in (0, 1) (0: 0.5)"}
	}
	if m.MaxBacktracks < 0 {
		return ErrParameter{Method: name, Field: "MaxBacktracks", Value: float64(m.MaxBacktracks), Want: "≥ 0 (0: 100)"}
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.z = p.F, p.C, z
	m.gamma, m.nu, m.tau, m.maxStep, m.maxBT = m.Step0, m.Nu, m.Tau, m.MaxStep, m.MaxBacktracks
	if m.gamma == 0 {
		m.gamma = 1
	}
	if m.maxStep > 0 {
		m.gamma = min(m.gamma, m.maxStep)
	}
	if m.nu == 0 {
		m.nu = 0.9
	}
	if m.tau == 0 {
		m.tau = 0.5
	}
	if m.maxBT == 0 {
		m.maxBT = 100
	}
	m.fz, m.w, m.fw = resize(m.fz, n), resize(m.w, n), resize(m.fw, n)
	m.sum, m.avg = resize(m.sum, n), resize(m.avg, n)
	clear(m.sum)
	m.wsum, m.k, m.backtracks, m.failed, m.failStep = 0, 0, 0, false, 0
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *ExtragradientLineSearch) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	g := m.gamma
	if m.maxStep > 0 && m.k > 0 {
		g = min(m.maxStep, g/m.tau) // γ ← min(γ_max, γ_{k−1}/τ)
	}
	for b := 0; ; b++ {
		floats.AddScaledTo(m.w, m.z, -g, m.fz) // w_k = Π_C(z_k − γF(z_k))
		project(m.c, m.w, m.w)
		m.f.Apply(m.fw, m.w)
		if g*distance(m.fw, m.fz) <= m.nu*distance(m.w, m.z) { // γ‖F(w) − F(z)‖ ≤ ν‖w − z‖
			break
		}
		if b == m.maxBT {
			m.failed, m.failStep = true, g
			return nil
		}
		g *= m.tau // γ ← τγ
		m.backtracks++
	}
	m.gamma = g
	floats.AddScaledTo(m.z, m.z, -g, m.fw) // z_{k+1} = Π_C(z_k − γ_k F(w_k))
	project(m.c, m.z, m.z)
	m.f.Apply(m.fz, m.z)
	floats.AddScaled(m.sum, g, m.w)
	m.wsum += g
	m.k++
	return nil
}

// Current implements Method.
func (m *ExtragradientLineSearch) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *ExtragradientLineSearch) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Average implements Averager: Σγ_k w_k / Σγ_k over the iterations so far,
// or nil before the first.
func (m *ExtragradientLineSearch) Average() []float64 {
	if m.k == 0 {
		return nil
	}
	floats.ScaleTo(m.avg, 1/m.wsum, m.sum)
	return m.avg
}

// Status implements Statuser: Failure when an iteration found no
// acceptable step within MaxBacktracks backtracks.
func (m *ExtragradientLineSearch) Status() (Status, error) {
	if !m.failed {
		return NotTerminated, nil
	}
	return Failure, fmt.Errorf("vi: ExtragradientLineSearch: no step accepted after MaxBacktracks = %d backtracks at iteration %d (last step tried %.3g); F may not be Lipschitz or finite near the iterate",
		m.maxBT, m.k+1, m.failStep)
}

// AcceptedStep returns the last accepted step γ_k (the first trial step
// before the first iteration).
func (m *ExtragradientLineSearch) AcceptedStep() float64 { return m.gamma }

// Backtracks returns the number of backtracks in the current run; the run
// has made 1 + 2k + Backtracks() evaluations after k iterations.
func (m *ExtragradientLineSearch) Backtracks() int { return m.backtracks }
