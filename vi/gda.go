package vi

import "gonum.org/v1/gonum/floats"

// GDA is simultaneous (projected) gradient descent-ascent, the forward
// step
//
//	z_{k+1} = Π_C(z_k − η F(z_k)).
//
// For a game every player steps at once from the same point.
//
// Step: Step if positive; else μ/L² when Mu > 0 (the contraction factor is
// then √(1 − μ²/L²)); else 1/(2L). L is the L field, or the operator's own
// constant (Lipschitzer).
//
// Current is z_k, and F(z_k) is known (CurrentValuer); no average is kept
// by the method. Init evaluates F(z_0); each iteration costs 1 evaluation
// and 1 projection.
//
// Rate: for μ-strongly monotone, L-Lipschitz F,
// ‖z_{k+1} − z*‖² ≤ (1 − 2ημ + η²L²)‖z_k − z*‖², linear for
// 0 < η < 2μ/L². For merely monotone F the last iterate need not converge:
// on the bilinear game f(x, y) = xy every step multiplies the distance to
// the solution by √(1 + η²) > 1 (ALGORITHMS.md §2.1).
type GDA struct {
	Step float64 // η; 0: from Mu and L as above
	L    float64 // Lipschitz constant; 0: the operator's own
	Mu   float64 // strong monotonicity modulus, used only for the default step

	f      Operator
	c      Set
	eta    float64
	z, fz  []float64
	next   []float64
	inited bool
}

// Init implements Method.
func (m *GDA) Init(p *Problem) error {
	m.inited = false
	if err := checkNonNegative("GDA", "Mu", m.Mu); err != nil {
		return err
	}
	factor := 0.5
	l := lipschitzFrom(m.L, p.F)
	if m.Mu > 0 && l > 0 {
		factor = m.Mu / l
	}
	eta, err := stepFrom("GDA", m.Step, m.L, factor, p.F)
	if err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.eta, m.z = p.F, p.C, eta, z
	m.fz, m.next = resize(m.fz, n), resize(m.next, n)
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *GDA) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	floats.AddScaledTo(m.next, m.z, -m.eta, m.fz)
	project(m.c, m.next, m.next)
	m.z, m.next = m.next, m.z
	m.f.Apply(m.fz, m.z)
	return nil
}

// Current implements Method.
func (m *GDA) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *GDA) CurrentValue() ([]float64, bool) { return m.fz, m.inited }
