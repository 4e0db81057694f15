package vi

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
)

// ExtragradientPlus is EG+, extragradient with an update step smaller
// than the extrapolation step (Diakonikolas, Daskalakis and Jordan,
// "Efficient methods for structured nonconvex-nonconcave min-max
// optimization", AISTATS 2021), for problems that are not monotone but
// satisfy a weak Minty condition:
//
//	w_k     = Π_C(z_k − γ₁ F(z_k))
//	z_{k+1} = Π_C(z_k − γ₂ F(w_k)),   γ₂ = β·γ₁.
//
// Rho is the weak Minty (ρ-star-negative comonotonicity) parameter in the
// convention of Gorbunov, Taylor, Horváth and Gidel (ICML 2023):
// ⟨F(z), z − z*⟩ ≥ −ρ‖F(z)‖² for a solution z*; every ρ-negatively
// comonotone F satisfies it. Cai et al. write ρ_Cai = −ρ.
//
// Steps: Step is γ₁ and Beta is β. Their defaults follow the verified
// statement (Gorbunov et al., ICML 2023, Thm 6, first bullet; ALGORITHMS.md
// §2.3): it needs ρ < 1/(2L), 2ρ < γ₁ < 1/L and 0 < γ₂ ≤ γ₁ − 2ρ. With
// Rho > 0 the default γ₁ is the midpoint (2ρ + 1/L)/2 of that interval
// (Init fails when ρ ≥ 1/(2L)) and the default β is (γ₁ − 2ρ)/γ₁, the
// largest allowed. With Rho = 0 the defaults are γ₁ = 1/(2L) and β = 1/2
// (the update step half the extrapolation step, as in Diakonikolas et al.;
// their exact parametrization was not checked). Explicit positive steps
// are used as given, even outside the theory, so that its limits can be
// explored; only a default β needs an explicit Step > 2ρ. With β = 1 the
// method is Extragradient, iterate for iterate.
//
// Current is the base iterate z_k, whose F is known (CurrentValuer); no
// average is kept by the method. Init evaluates F(z_0); each iteration
// costs 2 evaluations (F(w_k) and F(z_{k+1})) and 2 projections.
//
// Rate (unconstrained, L-Lipschitz F, weak Minty with ρ < 1/(2L), steps as
// above): (1/(N+1)) Σ_{k≤N} ‖F(z_k)‖² ≤ ‖z_0 − z*‖²/(γ₁γ₂(1 − L²γ₁²)(N+1)),
// a best-iterate O(1/√N) rate on ‖F‖ (Gorbunov et al., Thm 6). The theory
// is unconstrained; with a set C the projected rule above is used without
// a verified guarantee (for constraints see CEG+ of Pethick et al., ICLR
// 2022).
type ExtragradientPlus struct {
	Step float64 // γ₁, the extrapolation step; 0: see above
	Beta float64 // β ∈ (0, 1], the update step is β·γ₁; 0: see above
	Rho  float64 // weak Minty parameter ρ ≥ 0, used for the defaults
	L    float64 // Lipschitz constant; 0: the operator's own

	f      Operator
	c      Set
	g1, g2 float64
	z, fz  []float64
	w, fw  []float64
	inited bool
}

// Init implements Method.
func (m *ExtragradientPlus) Init(p *Problem) error {
	m.inited = false
	const name = "ExtragradientPlus"
	for _, c := range []struct {
		field string
		v     float64
	}{{"Step", m.Step}, {"Beta", m.Beta}, {"Rho", m.Rho}, {"L", m.L}} {
		if err := checkNonNegative(name, c.field, c.v); err != nil {
			return err
		}
	}
	if m.Beta > 1 {
		return ErrParameter{Method: name, Field: "Beta", Value: m.Beta, Want: "in (0, 1] (0: default)"}
	}
	rho := m.Rho
	g1 := m.Step
	if g1 == 0 {
		l := lipschitzFrom(m.L, p.F)
		if !(l > 0) || !finite(l) {
			return ErrNoStep
		}
		if rho > 0 {
			if rho >= 1/(2*l) {
				return ErrParameter{Method: name, Field: "Rho", Value: rho,
					Want: fmt.Sprintf("< 1/(2L) = %v for the default steps (theory needs 2ρ < γ₁ < 1/L); set Step and Beta to run outside it", 1/(2*l))}
			}
			g1 = (2*rho + 1/l) / 2
		} else {
			g1 = 1 / (2 * l)
		}
	}
	beta := m.Beta
	if beta == 0 {
		if rho > 0 {
			if g1 <= 2*rho {
				return ErrParameter{Method: name, Field: "Step", Value: g1,
					Want: fmt.Sprintf("> 2·Rho = %v for the default Beta = (Step − 2ρ)/Step; set Beta to run outside the theory", 2*rho)}
			}
			beta = (g1 - 2*rho) / g1
		} else {
			beta = 0.5
		}
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.g1, m.g2, m.z = p.F, p.C, g1, beta*g1, z
	m.fz, m.w, m.fw = resize(m.fz, n), resize(m.w, n), resize(m.fw, n)
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *ExtragradientPlus) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	floats.AddScaledTo(m.w, m.z, -m.g1, m.fz) // w_k = Π(z_k − γ₁F(z_k))
	project(m.c, m.w, m.w)
	m.f.Apply(m.fw, m.w)
	floats.AddScaledTo(m.z, m.z, -m.g2, m.fw) // z_{k+1} = Π(z_k − γ₂F(w_k))
	project(m.c, m.z, m.z)
	m.f.Apply(m.fz, m.z)
	return nil
}

// Steps returns the extrapolation and update steps γ₁ and γ₂ = β·γ₁ of
// the current run (zero before Init).
func (m *ExtragradientPlus) Steps() (g1, g2 float64) { return m.g1, m.g2 }

// Current implements Method.
func (m *ExtragradientPlus) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *ExtragradientPlus) CurrentValue() ([]float64, bool) { return m.fz, m.inited }
