package vi

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
)

// Extragradient is Korpelevich's extragradient method (Ekonomika i
// Matematicheskie Metody, 1976), projected form:
//
//	w_k     = Π_C(z_k − η F(z_k))
//	z_{k+1} = Π_C(z_k − η F(w_k))
//
// Step: Step if positive, else 1/(2L) (L the L field or the operator's own
// constant). Theory needs 0 < η < 1/L for monotone F. Rho > 0 declares F
// ρ-negatively comonotone, ⟨F(x) − F(y), x − y⟩ ≥ −ρ‖F(x) − F(y)‖² (the
// convention of Gorbunov, Taylor, Horváth and Gidel; Cai et al. write
// ρ_Cai = −ρ); their last-iterate theorem (ICML 2023, Thm 6, equal steps)
// needs ρ ≤ 1/(8L) and 4ρ ≤ η ≤ 1/(2L). The default 1/(2L) is the top of
// that range, where their bound is smallest, and with Rho > 0 and a
// default step Init rejects ρ > 1/(8L). An explicit Step is used as given,
// inside the theory or not, so that its failures can be shown (for
// ρ ≥ 1/(2L) EG need not converge for any step: F(z) = Lz defeats η > 1/L
// and F(z) = L·R_{2π/3}z, R a rotation, defeats η ≤ 1/L; GTHG Thm 6).
//
// Current is the base iterate z_k, whose F is known (CurrentValuer). The
// method keeps the ergodic average of the extrapolated points w_k, the
// point its ergodic guarantee is about (Averager). Init evaluates F(z_0);
// each iteration costs 2 evaluations (F(w_k) and F(z_{k+1})) and 2
// projections.
//
// Rates for monotone L-Lipschitz F and η < 1/L: the average of the w_k has
// restricted gap ≤ D²/(2ηT); the last iterate has
// r_tan(z_T) ≤ 3‖z_0 − z*‖/(√T·η·√(1 − η²L²)) and r_tan is non-increasing
// (Cai, Oikonomou and Zheng, "Tight last-iterate convergence of the
// extragradient and the optimistic gradient descent-ascent algorithm for
// constrained monotone variational inequalities", NeurIPS 2022, Thms 2-3).
// Unconstrained with full-rank bilinear F it converges linearly.
// Unconstrained, ρ-negatively comonotone L-Lipschitz F, ρ ≤ 1/(8L) and
// 4ρ ≤ η ≤ 1/(2L): ‖F(z_{k+1})‖ ≤ ‖F(z_k)‖ and
// ‖F(z_N)‖² ≤ 28‖z_0 − z*‖²/(Nη² + 320ηρ) (Gorbunov, Taylor, Horváth and
// Gidel, "Convergence of proximal point and extragradient-based methods
// beyond monotonicity: the case of negative comonotonicity", ICML 2023,
// Thm 6). The constant follows from the non-increasing potential of their
// Thm C.4, Φ_k = ‖z_k − z*‖² + (kη²(1 − 5ρ/(2η) − L²η²) + 40ηρ)‖F(z_k)‖²:
// in that range Φ_0 ≤ 3.5‖z_0 − z*‖² and the coefficient of ‖F(z_N)‖² is
// at least Nη²/8 + 40ηρ (rederived here).
type Extragradient struct {
	Step float64 // η; 0: 1/(2L)
	L    float64 // Lipschitz constant; 0: the operator's own
	Rho  float64 // negative comonotonicity ρ ≥ 0 (GTHG convention); checked against the default step

	f      Operator
	c      Set
	eta    float64
	z, fz  []float64
	w, fw  []float64
	sum    []float64
	avg    []float64
	k      int
	inited bool
}

// Init implements Method.
func (m *Extragradient) Init(p *Problem) error {
	m.inited = false
	const name = "Extragradient"
	if err := checkNonNegative(name, "Rho", m.Rho); err != nil {
		return err
	}
	eta, err := stepFrom(name, m.Step, m.L, 0.5, p.F)
	if err != nil {
		return err
	}
	if m.Rho > 0 && m.Step == 0 {
		// The default η = 1/(2L) meets 4ρ ≤ η ≤ 1/(2L) iff ρ ≤ 1/(8L).
		if l := 0.5 / eta; m.Rho > 1/(8*l) {
			return ErrParameter{Method: name, Field: "Rho", Value: m.Rho,
				Want: fmt.Sprintf("≤ 1/(8L) = %v for the default step 1/(2L) (GTHG Thm 6 needs ρ ≤ 1/(8L), 4ρ ≤ η ≤ 1/(2L)); set Step to run outside the theory", 1/(8*l))}
		}
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.eta, m.z = p.F, p.C, eta, z
	m.fz, m.w, m.fw = resize(m.fz, n), resize(m.w, n), resize(m.fw, n)
	m.sum, m.avg = resize(m.sum, n), resize(m.avg, n)
	clear(m.sum)
	m.k = 0
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *Extragradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	floats.AddScaledTo(m.w, m.z, -m.eta, m.fz) // w_k = Π(z_k − ηF(z_k))
	project(m.c, m.w, m.w)
	m.f.Apply(m.fw, m.w)
	floats.AddScaledTo(m.z, m.z, -m.eta, m.fw) // z_{k+1} = Π(z_k − ηF(w_k))
	project(m.c, m.z, m.z)
	m.f.Apply(m.fz, m.z)
	floats.Add(m.sum, m.w)
	m.k++
	return nil
}

// Current implements Method.
func (m *Extragradient) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *Extragradient) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Average implements Averager: the mean of w_0, …, w_{k−1}, or nil before
// the first iteration.
func (m *Extragradient) Average() []float64 {
	if m.k == 0 {
		return nil
	}
	floats.ScaleTo(m.avg, 1/float64(m.k), m.sum)
	return m.avg
}
