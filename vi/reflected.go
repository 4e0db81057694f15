package vi

// ReflectedGradient is the projected reflected gradient method (Malitsky,
// "Projected reflected gradient methods for monotone variational
// inequalities", SIAM J. Optim., 2015; Cai and Zheng, ICLR 2023, eq.
// (RG)): one evaluation at the reflected point and one projection,
//
//	w_k     = 2z_k − z_{k−1}
//	z_{k+1} = Π_C(z_k − η F(w_k)).
//
// The z_k lie in C, but the reflected point w_k in general does not: F
// must be defined, and Lipschitz, outside C (true of affine operators and
// most games' gradients, not of operators defined only on a simplex, such
// as those with logarithms). In a game the played point must be
// feasible, so z_k, not w_k, is the strategy.
//
// Step: Step if positive, else 1/(4L), L the L field or the operator's own
// constant. Theory needs 0 < η < (√2 − 1)/L (Malitsky's condition; Cai and
// Zheng, Thm 3). The default lies inside and nearly minimizes the constant
// λ = √(6(1 + 3η²L²)/(η²L²(1 − (1 + √2)ηL))) of that theorem (minimum at
// ηL ≈ 0.259; at ηL = 1/4 it is 0.15% above it).
//
// Current is z_k, the point the last-iterate theorem is about. F is
// evaluated only at the w_k, so F(z_k) is not known and Solve spends one
// check evaluation per iteration to measure it (counted in Stats.Checks,
// not in Evaluations). No average is kept by the method. Init makes no
// evaluation (and projects z_0); each iteration costs 1 evaluation and 1
// projection.
//
// Rate (Cai and Zheng, "Accelerated single-call methods for constrained
// min-max optimization", ICLR 2023, Thm 3): for monotone L-Lipschitz F and
// η < (√2 − 1)/L, r_nat(z_T) ≤ r_tan(z_T) ≤ λHL/√T with
// H² = 4‖z_0 − z*‖² + (13/L²)‖F(z_0)‖². Unconstrained, with z_{−1} chosen
// to match, its w_k are those of OptimisticGradient and PastExtragradient
// (ALGORITHMS.md §2.4); with a full-rank bilinear F it converges linearly.
//
// First step: z_{−1} = z_0, so w_0 = z_0 and the first iteration is a
// projected gradient step.
type ReflectedGradient struct {
	Step float64 // η; 0: 1/(4L)
	L    float64 // Lipschitz constant; 0: the operator's own

	f       Operator
	c       Set
	eta     float64
	z, prev []float64 // z_k and z_{k−1}
	w, fw   []float64
	inited  bool
}

// Init implements Method.
func (m *ReflectedGradient) Init(p *Problem) error {
	m.inited = false
	eta, err := stepFrom("ReflectedGradient", m.Step, m.L, 0.25, p.F)
	if err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.eta, m.z = p.F, p.C, eta, z
	m.prev, m.w, m.fw = resize(m.prev, n), resize(m.w, n), resize(m.fw, n)
	copy(m.prev, z) // z_{−1} = z_0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *ReflectedGradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	for i, v := range m.z { // w_k = 2z_k − z_{k−1}
		m.w[i] = 2*v - m.prev[i]
	}
	m.f.Apply(m.fw, m.w)
	axpyTo(m.prev, m.z, -m.eta, m.fw) // z_{k+1} = Π_C(z_k − ηF(w_k))
	project(m.c, m.prev, m.prev)
	m.z, m.prev = m.prev, m.z
	return nil
}

// Current implements Method.
func (m *ReflectedGradient) Current() []float64 { return m.z }
