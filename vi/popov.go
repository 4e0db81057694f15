package vi

import "gonum.org/v1/gonum/floats"

// PastExtragradient is Popov's method, also called past extragradient
// (Popov, "A modification of the Arrow-Hurwicz method for search of saddle
// points", Mathematical Notes of the Academy of Sciences of the USSR,
// 1980): extragradient whose extrapolation reuses the last evaluation
// instead of a new one,
//
//	w_k     = Π_C(z_k − η F(w_{k−1}))
//	z_{k+1} = Π_C(z_k − η F(w_k)).
//
// Cai, Oikonomou and Zheng call it OGDA (their w index is shifted by one).
// Both sequences lie in C. Unconstrained it produces the same w_k as
// OptimisticGradient and the OGDA recursion
// w_{k+1} = w_k − 2η F(w_k) + η F(w_{k−1}) (ALGORITHMS.md §2.4).
//
// Step: Step if positive, else 1/(4L), L the L field or the operator's own
// constant. The default meets every verified condition at once: η < 1/(2L)
// for the constrained last-iterate bound of Cai, Oikonomou and Zheng, and
// η ≤ 1/(3L) unconstrained, η ≤ 1/(4L) constrained for Gorbunov, Taylor and
// Gidel (NeurIPS 2022).
//
// Current is the base iterate z_k, the point the last-iterate theorem is
// about (Cai, Oikonomou and Zheng, Thm 6, on z_T). F is evaluated only at
// the w_k, so F(z_k) is not known after the first iteration, and Solve
// spends one check evaluation per iteration to measure z_k (counted in
// Stats.Checks, not in Evaluations). No average is kept by the method.
// Init evaluates F(z_0); each iteration costs 1 evaluation and 2
// projections.
//
// Rate (Cai, Oikonomou and Zheng, "Tight last-iterate convergence of the
// extragradient and the optimistic gradient descent-ascent algorithm for
// constrained monotone variational inequalities", NeurIPS 2022, Thm 6):
// for monotone L-Lipschitz F and 0 < η < 1/(2L),
// r_nat(z_T) ≤ r_tan(z_T) ≤ D₀/(η√(T(1 − 4η²L²))) with
// D₀² = (4 + 6η⁴L⁴)‖z_0 − z*‖² + (16η²L² + 6η⁴L⁴)‖w_0 − z_0‖². With a
// full-rank bilinear F and no constraint it converges linearly.
//
// First step: w_{−1} = z_0, so F(w_{−1}) = F(z_0) and the first iteration
// is an extragradient step.
type PastExtragradient struct {
	Step float64 // η; 0: 1/(4L)
	L    float64 // Lipschitz constant; 0: the operator's own

	f      Operator
	c      Set
	eta    float64
	z, w   []float64
	fw     []float64 // F(w_{k−1}); F(z_0) before the first iteration
	k      int
	inited bool
}

// Init implements Method.
func (m *PastExtragradient) Init(p *Problem) error {
	m.inited = false
	eta, err := stepFrom("PastExtragradient", m.Step, m.L, 0.25, p.F)
	if err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.eta, m.z = p.F, p.C, eta, z
	m.w, m.fw = resize(m.w, n), resize(m.fw, n)
	copy(m.w, z) // w_{−1} = z_0
	m.f.Apply(m.fw, m.w)
	m.k = 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *PastExtragradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	floats.AddScaledTo(m.w, m.z, -m.eta, m.fw) // w_k = Π_C(z_k − ηF(w_{k−1}))
	project(m.c, m.w, m.w)
	m.f.Apply(m.fw, m.w)
	floats.AddScaled(m.z, -m.eta, m.fw) // z_{k+1} = Π_C(z_k − ηF(w_k))
	project(m.c, m.z, m.z)
	m.k++
	return nil
}

// Current implements Method.
func (m *PastExtragradient) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer: F(z_0) before the first
// iteration, unknown after it.
func (m *PastExtragradient) CurrentValue() ([]float64, bool) {
	return m.fw, m.inited && m.k == 0
}
