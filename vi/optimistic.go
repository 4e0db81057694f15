package vi

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// OptimisticGradient is the optimistic gradient method with a single
// projection per iteration (OG; Cai and Zheng, "Accelerated single-call
// methods for constrained min-max optimization", ICLR 2023, eq. (OG)):
//
//	w_k     = Π_C(z_k − η F(w_{k−1}))
//	z_{k+1} = w_k + η (F(w_{k−1}) − F(w_k)).
//
// Only w_k is sure to lie in C. Written in w alone it is
// w_{k+1} = Π_C(w_k − 2η F(w_k) + η F(w_{k−1})), which is
// ForwardReflectedBackward and, unconstrained, the OGDA recursion
// (Daskalakis, Ilyas, Syrgkanis and Zeng, "Training GANs with optimism",
// ICLR 2018) shared with PastExtragradient and ReflectedGradient
// (ALGORITHMS.md §2.4).
//
// Step: Step if positive, else max(1/(2√3·L), 4ρ), L the L field or the
// operator's own constant and ρ = Rho. Theory needs 0 < η < 1/(2L) with
// 1/2 − 2ρ/η − 2η²L² > 0 (ρ the weak Minty parameter in the convention of
// Gorbunov et al.; Cai and Zheng write ρ_Cai = −ρ); with Rho = 0 the
// default is the paper's Fact 1 choice 1/(2√3·L), which satisfies this for
// every ρ in [0, 1/(12√3·L)), the range of its Thm 1. Rho > 0 declares F
// ρ-negatively comonotone, ⟨F(x) − F(y), x − y⟩ ≥ −ρ‖F(x) − F(y)‖², and
// the default then follows the last-iterate theorem of Gorbunov, Taylor,
// Horváth and Gidel (ICML 2023, Thm 7, equal steps), which needs
// ρ ≤ 5/(62L) and 4ρ ≤ η ≤ 10/(31L): 1/(2√3·L) ≈ 0.289/L lies below
// 10/(31L) ≈ 0.323/L, and is raised to 4ρ when ρ > 1/(8√3·L); Init
// rejects ρ > 5/(62L) when the step is defaulted. An explicit Step is used
// as given, inside the theory or not, so that its failures can be shown
// (for ρ ≥ 1/(2L) OG need not converge for any step; GTHG Thm 7).
//
// Current is w_k, the feasible point where F was evaluated, so F(w_k) is
// known (CurrentValuer); no average is kept by the method (Solve's mean of
// the iterates is the mean of the w_k). Init evaluates F(z_0); each
// iteration costs 1 evaluation and 1 projection.
//
// Rate (Cai and Zheng, Thm 1): for monotone L-Lipschitz F, or weak Minty
// with ρ as above, min_{t≤T} r_tan(w_t) = O(‖z_0 − z*‖/(η√T)), a
// best-iterate bound. Unconstrained the w_k are those of
// PastExtragradient, whose last-iterate bound covers them too: restricted
// gap of w_{T+1} O(1/√T) for η < 1/(2L) (Cai, Oikonomou and Zheng, NeurIPS
// 2022, Thm 6). With a full-rank bilinear F and no constraint it converges
// linearly. Unconstrained, ρ-negatively comonotone L-Lipschitz F with
// ρ ≤ 5/(62L) and 4ρ ≤ η ≤ 10/(31L): the base points satisfy
// ‖F(z_N)‖² ≤ 717‖z_0 − z*‖²/(Nη(η − 3ρ) + 800η²) (GTHG Thm 7). Their
// OG is x̃_k = x_k − ηF(x̃_{k−1}), x_{k+1} = x_k − ηF(x̃_k), so x̃_k = w_k
// and x_k = z_k here: the bound is about z_k, the Current of
// PastExtragradient, not about the w_k reported as Current by this type.
// Their first step (x̃_0 = x_0) differs from ours (w_{−1} = z_0); the
// potential of their Thm C.9, ‖z_k − z*‖² + (kη(η − 3ρ)/(2 + 6L²η²) +
// 400η²)(‖F(z_k)‖² + ‖F(z_k) − F(w_{k−1})‖²), is non-increasing from any
// state (its PEP check starts from arbitrary x_1, x̃_0); started from
// ours, where F(w_{−1}) = F(z_0) and ‖F(z_0)‖ ≤ L‖z_0 − z*‖, it gives
// ‖F(z_N)‖² ≤ 112‖z_0 − z*‖²/(Nη(η − 3ρ) + 1049η²), inside the stated
// bound (derived here).
//
// First step: w_{−1} = z_0 (so F(w_{−1}) = F(z_0), and w_0 is a projected
// gradient step from z_0), and before the first iteration Current is z_0.
type OptimisticGradient struct {
	Step float64 // η; 0: max(1/(2√3·L), 4ρ)
	L    float64 // Lipschitz constant; 0: the operator's own
	Rho  float64 // negative comonotonicity ρ ≥ 0 (GTHG convention), for the default step

	f      Operator
	c      Set
	eta    float64
	z      []float64 // base point z_k
	w      []float64 // w_{k−1}, the current point
	fw     []float64 // F(w_{k−1})
	fnew   []float64
	inited bool
}

// Init implements Method.
func (m *OptimisticGradient) Init(p *Problem) error {
	m.inited = false
	const name = "OptimisticGradient"
	if err := checkNonNegative(name, "Rho", m.Rho); err != nil {
		return err
	}
	factor := 1 / (2 * math.Sqrt(3))
	eta, err := stepFrom(name, m.Step, m.L, factor, p.F)
	if err != nil {
		return err
	}
	if m.Rho > 0 && m.Step == 0 {
		// GTHG Thm 7 needs ρ ≤ 5/(62L) and 4ρ ≤ η ≤ 10/(31L).
		if l := factor / eta; m.Rho > 5/(62*l) {
			return ErrParameter{Method: name, Field: "Rho", Value: m.Rho,
				Want: fmt.Sprintf("≤ 5/(62L) = %v for the default step (GTHG Thm 7 needs ρ ≤ 5/(62L), 4ρ ≤ η ≤ 10/(31L)); set Step to run outside the theory", 5/(62*l))}
		}
		eta = max(eta, 4*m.Rho)
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.eta, m.z = p.F, p.C, eta, z
	m.w, m.fw, m.fnew = resize(m.w, n), resize(m.fw, n), resize(m.fnew, n)
	copy(m.w, z) // w_{−1} = z_0
	m.f.Apply(m.fw, m.w)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *OptimisticGradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	floats.AddScaledTo(m.w, m.z, -m.eta, m.fw) // w_k = Π_C(z_k − ηF(w_{k−1}))
	project(m.c, m.w, m.w)
	m.f.Apply(m.fnew, m.w)
	for i, v := range m.w { // z_{k+1} = w_k + η(F(w_{k−1}) − F(w_k))
		m.z[i] = v + m.eta*(m.fw[i]-m.fnew[i])
	}
	m.fw, m.fnew = m.fnew, m.fw
	return nil
}

// Current implements Method.
func (m *OptimisticGradient) Current() []float64 { return m.w }

// CurrentValue implements CurrentValuer.
func (m *OptimisticGradient) CurrentValue() ([]float64, bool) { return m.fw, m.inited }
