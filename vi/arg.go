package vi

import (
	"fmt"
	"math"
)

// AcceleratedReflectedGradient is the accelerated reflected gradient method
// (ARG) of Cai and Zheng: the reflected gradient method with Halpern
// anchoring to z_0, for monotone and slightly negatively comonotone VIs,
// with one evaluation and one projection per iteration and an O(1/T)
// last-iterate tangent residual. With z_0 = Π_C(Z0),
//
//	z_1       = Π_C[z_0 − η F(z_0)]
//	z_{t+½}   = 2z_t − z_{t−1} + (z_0 − z_t)/(t+1) − (z_0 − z_{t−1})/t
//	z_{t+1}   = Π_C[z_t − η F(z_{t+½}) + (z_0 − z_t)/(t+1)],   t = 1, 2, …
//
// The reflected point z_{t+½} may lie outside C, so F must be defined
// there.
//
// Step and Rho: Rho ≥ 0 declares F ρ-negatively comonotone (⟨F(x) − F(y),
// x − y⟩ ≥ −ρ‖F(x) − F(y)‖²; the paper's ρ is −Rho). The theory allows
// ρ ≤ 1/(60L) and a step with
//
//	1/2 − (12 + 4ρ/η) η²L² − 2ρ/η ≥ 0      (Inequality (10), ρ_Cai = −ρ).
//
// Step if positive, else 1/(2√6 L) when Rho is 0 (the largest step (10)
// allows for monotone F) and 1/(12L) when Rho > 0 (Fact 2: it satisfies
// (10) for every ρ ≤ 1/(60L)). With Rho > 0, Init needs L and rejects a ρ
// or a step outside these conditions; with Rho = 0 an explicit Step is used
// as given.
//
// Current is the base iterate z_t, the point the guarantee is about; F is
// not known there (Solve measures it with an extra evaluation). No average
// is kept. Init makes no evaluation; each iteration costs 1 evaluation and
// 1 projection (the first one evaluates F(z_0)).
//
// Rate (Thm 2), for F L-Lipschitz and ρ-negatively comonotone with the
// conditions above, T ≥ 1:
//
//	r_tan(z_T) ≤ √6·H/(ηT),   H² = ‖z_0 − z*‖² + 4‖z_1 − z_0‖².
//
// Whether the iterates converge to a point is not known.
//
// First step: z_1 = Π_C[z_0 − ηF(z_0)], a projected forward step, is the
// first iteration; the reflected rule starts at t = 1.
//
// Reference: Yang Cai and Weiqiang Zheng, "Accelerated Single-Call Methods
// for Constrained Min-Max Optimization", ICLR 2023, Algorithm ARG, Thm 2,
// Inequality (10), Fact 2 (as recorded in ALGORITHMS.md §2.5.2, checked
// against the paper and the authors' identity script).
type AcceleratedReflectedGradient struct {
	Step float64 // η; 0: 1/(2√6 L) if Rho = 0, 1/(12L) if Rho > 0
	L    float64 // Lipschitz constant; 0: the operator's own
	Rho  float64 // ρ ≥ 0 of negative comonotonicity; 0: monotone

	f      Operator
	c      Set
	eta    float64
	z0     []float64
	z      []float64 // z_t
	prev   []float64 // z_{t−1}
	next   []float64
	half   []float64 // z_{t+½}
	fh     []float64 // F(z_{t+½})
	t      int       // iterations done; Current is z_t
	inited bool
}

// Init implements Method.
func (m *AcceleratedReflectedGradient) Init(p *Problem) error {
	const name = "AcceleratedReflectedGradient"
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkNonNegative(name, "Rho", m.Rho); err != nil {
		return err
	}
	factor := 1 / (2 * math.Sqrt(6))
	if m.Rho > 0 {
		factor = 1.0 / 12
	}
	eta, err := stepFrom(name, m.Step, m.L, factor, p.F)
	if err != nil {
		return err
	}
	if m.Rho > 0 {
		l := lipschitzFrom(m.L, p.F)
		if !(l > 0) || math.IsInf(l, 0) {
			return fmt.Errorf("vi: %s: Rho > 0 needs a Lipschitz constant: set L or use an operator that reports it", name)
		}
		if m.Rho > 1/(60*l) {
			return ErrParameter{Method: name, Field: "Rho", Value: m.Rho, Want: fmt.Sprintf("≤ 1/(60L) = %.6g", 1/(60*l))}
		}
		r := m.Rho / eta
		if 0.5-(12+4*r)*eta*eta*l*l-2*r < 0 {
			return ErrParameter{Method: name, Field: "Step", Value: eta, Want: "1/2 − (12 + 4ρ/η)η²L² − 2ρ/η ≥ 0 (Cai and Zheng's Inequality (10)), e.g. 1/(12L)"}
		}
	}
	z0, err := start(p, m.z0)
	if err != nil {
		return err
	}
	n := len(z0)
	m.f, m.c, m.eta, m.z0 = p.F, p.C, eta, z0
	m.z, m.prev, m.next = resize(m.z, n), resize(m.prev, n), resize(m.next, n)
	m.half, m.fh = resize(m.half, n), resize(m.fh, n)
	copy(m.z, z0)
	copy(m.prev, z0)
	m.t = 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *AcceleratedReflectedGradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	eta := m.eta
	if m.t == 0 {
		m.f.Apply(m.fh, m.z0)
		for i, v := range m.z0 {
			m.next[i] = v - eta*m.fh[i]
		}
		project(m.c, m.next, m.next) // z_1 = Π[z_0 − ηF(z_0)]
	} else {
		t := float64(m.t)
		a, b := 1/(t+1), 1/t
		for i, zi := range m.z {
			m.half[i] = 2*zi - m.prev[i] + a*(m.z0[i]-zi) - b*(m.z0[i]-m.prev[i]) // z_{t+½}
		}
		m.f.Apply(m.fh, m.half)
		for i, zi := range m.z {
			m.next[i] = zi - eta*m.fh[i] + a*(m.z0[i]-zi)
		}
		project(m.c, m.next, m.next) // z_{t+1}
	}
	m.prev, m.z, m.next = m.z, m.next, m.prev
	m.t++
	return nil
}

// Current implements Method: the base iterate z_t.
func (m *AcceleratedReflectedGradient) Current() []float64 { return m.z }
