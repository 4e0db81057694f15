package vi

import (
	"fmt"
	"math"
)

// FastExtragradient is the fast extragradient method (FEG) of Lee and Kim,
// an anchored two-time-scale extragradient for ρ-negatively comonotone
// problems, in the composite form of Cai, Oikonomou and Zheng that handles
// a set C (composite-FEG, one projection per iteration). With
// z_0 = Π_C(Z0), c_0 = 0 and, for k = 0, 1, …, β_k = 1/(k+1),
// g_k = F(z_k) + c_k:
//
//	z_{k+½} = β_k z_0 + (1 − β_k) z_k − (1 − β_k)(η − 2ρ) g_k          (not projected)
//	u_k     = β_k z_0 + (1 − β_k) z_k − ηF(z_{k+½}) + 2(1 − β_k) ρ g_k
//	z_{k+1} = Π_C[u_k],   c_{k+1} = (u_k − z_{k+1})/η ∈ N_C(z_{k+1})
//
// written with ρ = Rho ≥ 0 (Cai et al. write ρ_Cai = −ρ, so their "η + 2ρ"
// is η − 2ρ here). At k = 0, β_0 = 1 gives z_{½} = z_0 and
// z_1 = Π_C[z_0 − ηF(z_0)]. With C = Rⁿ, c_k = 0 and this is FEG, which
// Lee and Kim run with η = 1/L. Lee and Kim's own statement was not
// checked; the rule above is Cai et al.'s restatement, and its ρ = 0,
// η = 1/L case agrees with a third-party implementation of FEG.
//
// Step and Rho: Rho ≥ 0 declares F + N_C ρ-negatively comonotone,
// ⟨F(x) − F(y), x − y⟩ ≥ −ρ‖F(x) − F(y)‖²; the theory needs ρ < 1/(2L)
// and 2ρ < η < 1/L. Step if positive, else η = 2ρ + 0.9(1/L − 2ρ), nine
// tenths of the way across that interval (0.9/L when monotone). With
// Rho > 0, Init needs L and rejects a ρ or a step outside the interval;
// with Rho = 0 an explicit Step is used as given (η = 1/L is Lee and Kim's).
//
// Current is z_k; F(z_k) and c_k are known (CurrentValuer, and the free
// certificate TangentBound = ‖F(z_k) + c_k‖ ≥ r_tan(z_k)). No average is
// kept. Init evaluates F(z_0); the first iteration costs 1 evaluation
// (F(z_1), since z_{½} = z_0) and 1 projection, every later one 2
// evaluations and 1 projection: 2K evaluations for K iterations.
//
// Rate (Cai, Oikonomou and Zheng, Thm 4.1), for L-Lipschitz F with F + N_C
// ρ-negatively comonotone, 0 ≤ ρ < 1/(2L), 2ρ < η < 1/L and T ≥ 1:
//
//	r_tan(z_T)² ≤ ‖F(z_T) + c_T‖² ≤ 4H₀²/((η − 2ρ)²T²),   H₀² = 4‖z_1 − z_0‖² + ‖z_0 − z*‖²,
//
// the widest ρ-range with an O(1/T) last-iterate rate; for ρ = 0 the
// iterates converge to a solution (Thm 4.6).
//
// First step: with c_0 = 0 and β_0 = 1 the first iteration is the
// projected forward step z_1 = Π_C[z_0 − ηF(z_0)].
//
// References: Sucheol Lee and Donghwan Kim, "Fast Extra Gradient Methods for
// Smooth Structured Nonconvex-Nonconcave Minimax Problems", NeurIPS 2021;
// Yang Cai, Argyris Oikonomou and Weiqiang Zheng, "Accelerated Algorithms
// for Constrained Nonconvex-Nonconcave Min-Max Optimization and Comonotone
// Inclusion", ICML 2024, §4 (ALGORITHMS.md §2.6).
type FastExtragradient struct {
	Step float64 // η; 0: 2ρ + 0.9(1/L − 2ρ)
	L    float64 // Lipschitz constant; 0: the operator's own
	Rho  float64 // ρ ≥ 0 of negative comonotonicity; 0: monotone

	f      Operator
	c      Set
	eta    float64
	rho    float64
	z0     []float64
	z, fz  []float64
	cz     []float64 // c_k
	g      []float64 // F(z_k) + c_k
	w, fw  []float64 // z_{k+½}, F(z_{k+½})
	k      int       // iterations done; Current is z_k
	inited bool
}

// Init implements Method.
func (m *FastExtragradient) Init(p *Problem) error {
	const name = "FastExtragradient"
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkNonNegative(name, "Rho", m.Rho); err != nil {
		return err
	}
	if err := checkNonNegative(name, "Step", m.Step); err != nil {
		return err
	}
	if err := checkNonNegative(name, "L", m.L); err != nil {
		return err
	}
	l := lipschitzFrom(m.L, p.F)
	known := l > 0 && !math.IsInf(l, 0)
	if m.Rho > 0 {
		if !known {
			return fmt.Errorf("vi: %s: Rho > 0 needs a Lipschitz constant: set L or use an operator that reports it", name)
		}
		if m.Rho >= 1/(2*l) {
			return ErrParameter{Method: name, Field: "Rho", Value: m.Rho, Want: fmt.Sprintf("< 1/(2L) = %.6g", 1/(2*l))}
		}
	}
	eta := m.Step
	if eta == 0 {
		if !known {
			return ErrNoStep
		}
		eta = 2*m.Rho + 0.9*(1/l-2*m.Rho)
	} else if m.Rho > 0 && !(eta > 2*m.Rho && eta < 1/l) {
		return ErrParameter{Method: name, Field: "Step", Value: eta, Want: fmt.Sprintf("in (2ρ, 1/L) = (%.6g, %.6g)", 2*m.Rho, 1/l)}
	}
	z0, err := start(p, m.z0)
	if err != nil {
		return err
	}
	n := len(z0)
	m.f, m.c, m.eta, m.rho, m.z0 = p.F, p.C, eta, m.Rho, z0
	m.z, m.fz, m.cz, m.g = resize(m.z, n), resize(m.fz, n), resize(m.cz, n), resize(m.g, n)
	m.w, m.fw = resize(m.w, n), resize(m.fw, n)
	copy(m.z, z0)
	clear(m.cz)
	m.f.Apply(m.fz, m.z)
	m.k = 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *FastExtragradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	eta, rho := m.eta, m.rho
	if m.k == 0 {
		for i, v := range m.z {
			m.w[i] = v - eta*m.fz[i] // z_½ = z_0, u_0 = z_0 − ηF(z_0)
		}
	} else {
		b := 1 / float64(m.k+1) // β_k
		a := 1 - b
		for i, zi := range m.z {
			m.g[i] = m.fz[i] + m.cz[i]
			m.w[i] = b*m.z0[i] + a*zi - a*(eta-2*rho)*m.g[i] // z_{k+½}
		}
		m.f.Apply(m.fw, m.w)
		for i, zi := range m.z {
			m.w[i] = b*m.z0[i] + a*zi - eta*m.fw[i] + 2*a*rho*m.g[i] // u_k
		}
	}
	projectNormal(m.c, m.z, m.cz, m.w, eta) // z_{k+1} = Π_C[u_k], c_{k+1}
	m.f.Apply(m.fz, m.z)
	m.k++
	return nil
}

// Current implements Method.
func (m *FastExtragradient) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *FastExtragradient) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// TangentBound returns ‖F(z_k) + c_k‖ with c_k ∈ N_C(z_k) from the last
// projection (c_0 = 0): an upper bound on the tangent residual of Current
// at no oracle cost, the quantity Thm 4.1 bounds.
func (m *FastExtragradient) TangentBound() float64 {
	if !m.inited {
		return math.Inf(1)
	}
	return anchoredNormSum(m.fz, m.cz)
}
