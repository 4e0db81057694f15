package vi

import (
	"fmt"
	"math"
)

// cegPlusSigma is the fraction of the bound −γ_k/2 that δ_k may reach: the
// official code of Pethick et al. sets σ = −0.99·γ/2.
const cegPlusSigma = 0.99

// ConstrainedEGPlus is CEG+ of Pethick, Latafat, Patrinos, Fercoq and
// Cevher ("Escaping limit cycles: global convergence for constrained
// nonconvex-nonconcave minimax problems", ICLR 2022), an extragradient
// method for constrained problems that are not monotone but satisfy a weak
// Minty condition, with its extrapolation step found by backtracking and
// its update step computed from the two evaluations:
//
//	z̄_k     = Π_C(z_k − γ_k F(z_k))                        (γ_k by backtracking)
//	H_k(u)  = u − γ_k F(u)
//	α_k     = δ_k/γ_k + ⟨z̄_k − z_k, H_k(z̄_k) − H_k(z_k)⟩ / ‖H_k(z̄_k) − H_k(z_k)‖²
//	z_{k+1} = z_k + λ α_k (H_k(z̄_k) − H_k(z_k)).
//
// Unconstrained, H_k(z̄_k) − H_k(z_k) = −γ_k F(z̄_k) and the method is EG+
// with extrapolation step γ_k and update step λα_kγ_k. The rule above, the
// backtracking test and the choice of δ_k are those of the authors' code
// (LIONS-EPFL/weak-minty-code, Experiments.nb, functions Linesearch and
// CurvatureEGPlus) and of ALGORITHMS.md §2.3; the theorem's exact
// constants were not read at source.
//
// Step γ_k: each iteration starts from a trial γ and shrinks it, γ ← τγ,
// until γ‖F(z̄) − F(z_k)‖ ≤ ν‖z̄ − z_k‖ with z̄ = Π_C(z_k − γF(z_k)). The
// trial is ν/Curvature(z_k) when Curvature is set (or the operator is a
// LocalLipschitzer, whose LocalLipschitz then serves): Curvature returns a
// local Lipschitz constant at z, ‖JF(z)‖₂ in the authors' code, and this
// choice is their CurvatureEG+, whose large steps where the curvature is
// small let it escape limit cycles that trap EG (README: ν = 0.99,
// τ = 0.5). Otherwise, or when Curvature returns a value that is not
// positive and finite, the trial is Step, else ν/L (L the L field or the
// operator's own constant, a trial accepted at every step when F is
// L-Lipschitz, up to rounding where ‖F(z̄) − F(z_k)‖ = L‖z̄ − z_k‖), else 1. Nu is
// ν ∈ (0, 1) (default 0.99), Tau is τ ∈ (0, 1) (default 0.5).
//
// δ_k: Rho is the weak Minty parameter in the convention of Gorbunov,
// Taylor, Horváth and Gidel (ICML 2023): ⟨F(z), z − z*⟩ ≥ −ρ‖F(z)‖² for a
// solution z* (every ρ-negatively comonotone F satisfies it; with
// constraints the condition is on F + N_C). Pethick et
// al. write the condition as ⟨F(z), z − z*⟩ ≥ δ‖F(z)‖², so δ = −ρ; their
// theory needs δ > −γ_k/2 (ALGORITHMS.md §2.3). The method uses
// δ_k = max(−ρ, −0.99·γ_k/2): δ itself when the step covers it, else the
// value −0.99·γ_k/2 that the authors' code always uses (a third-party
// code clamps the same way at −0.499·γ_k). Rho = 0 gives δ_k = 0, the
// monotone choice. λ is Lambda ∈ (0, 2) (default 1).
//
// Current is the extrapolated point z̄_k, which lies in C and whose F is
// known (CurrentValuer); the authors' code reports the same points. The
// base point z_k (Base) need not lie in C, so F must be defined outside C.
// Before the first iteration Current is z_0. No average is kept by the
// method. Init evaluates F(z_0). An iteration with b backtracks costs 2 + b
// evaluations (F(z̄) for every trial and F(z_{k+1})) and 1 + b projections,
// a variable count (Backtracks reports the total b); when z̄_k = z_k, a
// solution, z_k is kept and F(z_{k+1}) is not evaluated. Calls of
// Curvature are not counted. MaxBacktracks (default 100) bounds b in one
// iteration; past it the iterate is left unchanged and the method reports
// Failure through Statuser.
//
// Guarantee (as reported in ALGORITHMS.md §2.3, not read at source): for
// L-Lipschitz F satisfying the weak Minty condition with δ > −γ/2, the
// residual decreases at the best-iterate rate O(1/√k), with constraints;
// no last-iterate rate is known. On the Forsaken game (attributed to
// Hsieh, Mertikopoulos and Cevher, ICML 2021) and on the polar game of
// Pethick et al., where extragradient and optimistic gradient with
// η = 1/(2L) are attracted to limit cycles, CurvatureEG+ converges to the
// solution, as in the authors' experiments (reproduced by this method's
// tests; the box's weak Minty constants, ρ ≈ 1.52 and ρ ≈ 0.048, are far
// outside the guarantee).
type ConstrainedEGPlus struct {
	Step          float64                   // first trial γ of each iteration without a usable Curvature; 0: ν/L, else 1
	Curvature     func(z []float64) float64 // local Lipschitz estimate at z (e.g. ‖JF(z)‖₂); must not allocate; nil: the operator's LocalLipschitz, if it has one
	Nu            float64                   // ν ∈ (0, 1) of the acceptance test; 0: 0.99
	Tau           float64                   // τ ∈ (0, 1), the backtracking factor; 0: 0.5
	Rho           float64                   // weak Minty parameter ρ ≥ 0 (GTHG convention), δ = −ρ
	Lambda        float64                   // λ ∈ (0, 2), the relaxation; 0: 1
	L             float64                   // Lipschitz constant for the default trial; 0: the operator's own
	MaxBacktracks int                       // backtracks allowed in one iteration; 0: 100

	f          Operator
	curvature  func(z []float64) float64 // Curvature, or the operator's LocalLipschitz
	c          Set
	step0      float64
	nu, tau    float64
	lambda     float64
	maxBT      int
	gamma      float64 // last accepted γ_k
	z, fz      []float64
	zb, fzb    []float64 // z̄_k and F(z̄_k), the current point
	w, fw      []float64 // the trial z̄ and its F
	k          int
	backtracks int
	failed     bool
	failStep   float64
	inited     bool
}

// Init implements Method.
func (m *ConstrainedEGPlus) Init(p *Problem) error {
	m.inited = false
	const name = "ConstrainedEGPlus"
	for _, c := range []struct {
		field string
		v     float64
	}{{"Step", m.Step}, {"Nu", m.Nu}, {"Tau", m.Tau}, {"Rho", m.Rho}, {"Lambda", m.Lambda}, {"L", m.L}} {
		if err := checkNonNegative(name, c.field, c.v); err != nil {
			return err
		}
	}
	if m.Nu >= 1 {
		return ErrParameter{Method: name, Field: "Nu", Value: m.Nu, Want: "in (0, 1) (0: 0.99)"}
	}
	if m.Tau >= 1 {
		return ErrParameter{Method: name, Field: "Tau", Value: m.Tau, Want: "in (0, 1) (0: 0.5)"}
	}
	if m.Lambda >= 2 {
		return ErrParameter{Method: name, Field: "Lambda", Value: m.Lambda, Want: "in (0, 2) (0: 1)"}
	}
	if m.MaxBacktracks < 0 {
		return ErrParameter{Method: name, Field: "MaxBacktracks", Value: float64(m.MaxBacktracks), Want: "≥ 0 (0: 100)"}
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.nu, m.tau, m.lambda, m.maxBT = m.Nu, m.Tau, m.Lambda, m.MaxBacktracks
	if m.nu == 0 {
		m.nu = 0.99
	}
	if m.tau == 0 {
		m.tau = 0.5
	}
	if m.lambda == 0 {
		m.lambda = 1
	}
	if m.maxBT == 0 {
		m.maxBT = 100
	}
	m.step0 = m.Step
	if m.step0 == 0 {
		if l := lipschitzFrom(m.L, p.F); l > 0 && finite(l) {
			m.step0 = m.nu / l
		} else {
			m.step0 = 1
		}
	}
	m.f, m.c, m.z = p.F, p.C, z
	m.curvature = m.Curvature
	if m.curvature == nil {
		m.curvature, _ = localLipschitzOf(p.F)
	}
	m.fz, m.zb, m.fzb = resize(m.fz, n), resize(m.zb, n), resize(m.fzb, n)
	m.w, m.fw = resize(m.w, n), resize(m.fw, n)
	m.f.Apply(m.fz, m.z)
	copy(m.zb, m.z)
	copy(m.fzb, m.fz)
	m.gamma, m.k, m.backtracks, m.failed, m.failStep = 0, 0, 0, false, 0
	m.inited = true
	return nil
}

// trial returns the first γ tried at z_k.
func (m *ConstrainedEGPlus) trial() float64 {
	if m.curvature != nil {
		if c := m.curvature(m.z); c > 0 && !math.IsInf(c, 1) {
			return m.nu / c
		}
	}
	return m.step0
}

// Iterate implements Method.
func (m *ConstrainedEGPlus) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	z, fz, zb, fzb := m.z, m.fz, m.w, m.fw
	g := m.trial()
	for b := 0; ; b++ {
		for i, v := range z { // z̄ = Π_C(z_k − γF(z_k))
			zb[i] = v - g*fz[i]
		}
		project(m.c, zb, zb)
		m.f.Apply(fzb, zb)
		if g*distance(fzb, fz) <= m.nu*distance(zb, z) { // γ‖F(z̄) − F(z_k)‖ ≤ ν‖z̄ − z_k‖
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
	m.zb, m.w = zb, m.zb
	m.fzb, m.fw = fzb, m.fzb
	// d = H_k(z̄) − H_k(z_k) = (z̄ − z_k) − γ(F(z̄) − F(z_k))
	var num, den float64
	for i, v := range z {
		s := zb[i] - v
		d := s - g*(fzb[i]-fz[i])
		num += s * d
		den += d * d
	}
	if den > 0 { // den = 0 only when z̄ = z_k (the accepted γ has γ‖ΔF‖ ≤ ν‖Δz‖), a solution
		delta := max(-m.Rho, -cegPlusSigma*g/2)
		a := delta/g + num/den // α_k
		t := m.lambda * a
		for i, v := range z { // z_{k+1} = z_k + λα_k(H_k(z̄) − H_k(z_k))
			d := (zb[i] - v) - g*(fzb[i]-fz[i])
			z[i] = v + t*d
		}
		m.f.Apply(fz, z)
	}
	m.k++
	return nil
}

// Current implements Method: the extrapolated point z̄_k (z_0 before the
// first iteration).
func (m *ConstrainedEGPlus) Current() []float64 { return m.zb }

// CurrentValue implements CurrentValuer.
func (m *ConstrainedEGPlus) CurrentValue() ([]float64, bool) { return m.fzb, m.inited }

// Base returns the base point z_k, which need not lie in C; borrowed like
// Current.
func (m *ConstrainedEGPlus) Base() []float64 { return m.z }

// StepSize returns the last accepted extrapolation step γ_k (zero before
// the first iteration).
func (m *ConstrainedEGPlus) StepSize() float64 { return m.gamma }

// Backtracks returns the number of backtracks in the current run.
func (m *ConstrainedEGPlus) Backtracks() int { return m.backtracks }

// Status implements Statuser: Failure when an iteration found no
// acceptable step within MaxBacktracks backtracks.
func (m *ConstrainedEGPlus) Status() (Status, error) {
	if !m.failed {
		return NotTerminated, nil
	}
	return Failure, fmt.Errorf("vi: ConstrainedEGPlus: no step accepted after MaxBacktracks = %d backtracks at iteration %d (last step tried %.3g); F may not be Lipschitz or finite near the iterate",
		m.maxBT, m.k+1, m.failStep)
}
