package vi

import (
	"fmt"
	"math"
)

// CompositeEAG is the extra anchored gradient method extended by Cai,
// Oikonomou and Zheng to constrained problems and comonotone inclusions
// 0 ∈ F(z) + N_C(z): an extragradient step anchored to z_0 whose
// extrapolation carries the normal-cone element c_k produced by the
// previous projection, with one projection per iteration. With
// z_0 = Π_C(Z0),
//
//	z_1     = Π_C[z_0 − ηF(z_0)],   c_1 = (z_0 − ηF(z_0) − z_1)/η
//
// and for k = 1, 2, …, with β_k = 1/(k+1),
//
//	z_{k+½} = β_k z_0 + (1 − β_k) z_k − ηF(z_k) − ηc_k          (not projected)
//	u_k     = β_k z_0 + (1 − β_k) z_k − ηF(z_{k+½})
//	z_{k+1} = Π_C[u_k],   c_{k+1} = (u_k − z_{k+1})/η ∈ N_C(z_{k+1})
//
// The extrapolated point may leave C, so F must be defined there. With
// C = Rⁿ it is an anchored extragradient, but not Yoon and Ryu's EAG: the
// anchor weight is 1/(k+1) from k = 1 after a plain first step, instead of
// 1/(k+2) from k = 0 (see AnchoredExtragradient).
//
// Step and Rho: Rho ≥ 0 declares F + N_C ρ-negatively comonotone (the
// paper's ρ is −Rho); the theorem allows ρ ≤ 1/(20L), and Init rejects a
// larger Rho (it then needs L). Step if positive, else η = 0.31/L, the step
// of the theorem; an explicit Step is used as given.
//
// Current is z_k; F(z_k) is known (CurrentValuer) and so is c_k, whence
// the free certificate TangentBound = ‖F(z_k) + c_k‖ ≥ r_tan(z_k). No
// average is kept. Init evaluates F(z_0); the first iteration costs 1
// evaluation (F(z_1)) and 1 projection, every later one 2 evaluations
// (F(z_{k+½}), F(z_{k+1})) and 1 projection, so K iterations make 2K
// evaluations in all.
//
// Rate (Thm 3.2), for L-Lipschitz F with F + N_C ρ-negatively comonotone,
// ρ ≤ 1/(20L), η = 0.31/L and T ≥ 1:
//
//	r_tan(z_T)² ≤ ‖F(z_T) + c_T‖² ≤ 20H²/(η²T²),   H² = 6‖z_1 − z_0‖² + ‖z_0 − z*‖²,
//
// and the iterates converge to a solution (Thm 3.8).
//
// First step: z_1 is a projected forward step from z_0 (the first
// iteration), which also supplies c_1.
//
// Reference: Yang Cai, Argyris Oikonomou and Weiqiang Zheng, "Accelerated
// Algorithms for Constrained Nonconvex-Nonconcave Min-Max Optimization and
// Comonotone Inclusion", ICML 2024, §3 (as recorded in ALGORITHMS.md §2.6,
// checked against the paper).
type CompositeEAG struct {
	Step float64 // η; 0: 0.31/L
	L    float64 // Lipschitz constant; 0: the operator's own
	Rho  float64 // ρ ≥ 0 of negative comonotonicity; 0: monotone

	f      Operator
	c      Set
	eta    float64
	z0     []float64
	z, fz  []float64
	cz     []float64 // c_k
	w, fw  []float64 // z_{k+½}, F(z_{k+½})
	k      int       // iterations done; Current is z_k
	inited bool
}

// Init implements Method.
func (m *CompositeEAG) Init(p *Problem) error {
	const name = "CompositeEAG"
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkNonNegative(name, "Rho", m.Rho); err != nil {
		return err
	}
	eta, err := stepFrom(name, m.Step, m.L, 0.31, p.F)
	if err != nil {
		return err
	}
	if m.Rho > 0 {
		l := lipschitzFrom(m.L, p.F)
		if !(l > 0) || math.IsInf(l, 0) {
			return fmt.Errorf("vi: %s: Rho > 0 needs a Lipschitz constant: set L or use an operator that reports it", name)
		}
		if m.Rho > 1/(20*l) {
			return ErrParameter{Method: name, Field: "Rho", Value: m.Rho, Want: fmt.Sprintf("≤ 1/(20L) = %.6g", 1/(20*l))}
		}
	}
	z0, err := start(p, m.z0)
	if err != nil {
		return err
	}
	n := len(z0)
	m.f, m.c, m.eta, m.z0 = p.F, p.C, eta, z0
	m.z, m.fz, m.cz = resize(m.z, n), resize(m.fz, n), resize(m.cz, n)
	m.w, m.fw = resize(m.w, n), resize(m.fw, n)
	copy(m.z, z0)
	clear(m.cz)
	m.f.Apply(m.fz, m.z)
	m.k = 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *CompositeEAG) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	eta := m.eta
	if m.k == 0 {
		for i, v := range m.z {
			m.w[i] = v - eta*m.fz[i] // u_0 = z_0 − ηF(z_0)
		}
	} else {
		b := 1 / float64(m.k+1) // β_k
		for i, zi := range m.z {
			m.w[i] = b*m.z0[i] + (1-b)*zi - eta*(m.fz[i]+m.cz[i]) // z_{k+½}
		}
		m.f.Apply(m.fw, m.w)
		for i, zi := range m.z {
			m.w[i] = b*m.z0[i] + (1-b)*zi - eta*m.fw[i] // u_k
		}
	}
	projectNormal(m.c, m.z, m.cz, m.w, eta) // z_{k+1} = Π_C[u_k], c_{k+1}
	m.f.Apply(m.fz, m.z)
	m.k++
	return nil
}

// Current implements Method.
func (m *CompositeEAG) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *CompositeEAG) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// TangentBound returns ‖F(z_k) + c_k‖ with c_k ∈ N_C(z_k) from the last
// projection (c_0 = 0): an upper bound on the tangent residual of Current
// at no oracle cost, the quantity Thm 3.2 bounds.
func (m *CompositeEAG) TangentBound() float64 {
	if !m.inited {
		return math.Inf(1)
	}
	return anchoredNormSum(m.fz, m.cz)
}

// anchoredNormSum returns ‖x + y‖.
func anchoredNormSum(x, y []float64) float64 {
	var s float64
	for i, v := range x {
		d := v + y[i]
		s += d * d
	}
	return math.Sqrt(s)
}
