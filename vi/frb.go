package vi

// ForwardReflectedBackward is the forward-reflected-backward method of
// Malitsky and Tam ("A forward-backward splitting method for monotone
// inclusions without cocoercivity", SIAM J. Optim., 2020, Thm 2.5) for
// 0 ∈ F(x) + N_C(x), whose resolvent is Π_C. With a constant step λ its
// rule
//
//	x_{k+1} = Π_C(x_k − λ F(x_k) − λ (F(x_k) − F(x_{k−1})))
//
// steps along the reflection 2F(x_k) − F(x_{k−1}) (a minus sign before
// F(x_{k−1}) inside the projection; some documentation prints a plus,
// which is wrong, ALGORITHMS.md §2.4). Its iterates are the w_k of
// OptimisticGradient with the same step: x_{k+1} = w_k, constrained or
// not.
//
// Step: Step if positive, else 0.45/L, L the L field or the operator's own
// constant. The theorem allows λ_k ∈ [ε, (1 − 2ε)/(2L)] for some ε > 0; a
// constant λ < 1/(2L) satisfies it with ε = min(λ, (1 − 2λL)/2), and the
// default is (1 − 2ε)/(2L) with ε = 0.05. The method keeps λ constant.
//
// Current is x_k, where F is known (CurrentValuer); no average is kept by
// the method. Init evaluates F(x_0); each iteration costs 1 evaluation and
// 1 projection.
//
// Rate: for monotone L-Lipschitz F the iterates converge to a solution,
// with the energy bound of the theorem: for every solution x*,
// ½‖x_{k+1} − x*‖² + ε Σ_{i≤k} ‖x_{i+1} − x_i‖² ≤ ‖x_0 − x*‖², given the
// start below (the terms in x_{−1} vanish). The last iterate inherits the
// O(1/√T) rates of OptimisticGradient, of which it is a rewriting; with a
// full-rank bilinear F and no constraint it converges linearly.
//
// First step: x_{−1} = x_0, so F(x_{−1}) = F(x_0) and the first iteration
// is a projected gradient step.
type ForwardReflectedBackward struct {
	Step float64 // λ; 0: 0.45/L
	L    float64 // Lipschitz constant; 0: the operator's own

	f      Operator
	c      Set
	lambda float64
	x      []float64
	fx     []float64 // F(x_k)
	fprev  []float64 // F(x_{k−1})
	next   []float64
	inited bool
}

// Init implements Method.
func (m *ForwardReflectedBackward) Init(p *Problem) error {
	m.inited = false
	lambda, err := stepFrom("ForwardReflectedBackward", m.Step, m.L, 0.45, p.F)
	if err != nil {
		return err
	}
	x, err := start(p, m.x)
	if err != nil {
		return err
	}
	n := len(x)
	m.f, m.c, m.lambda, m.x = p.F, p.C, lambda, x
	m.fx, m.fprev, m.next = resize(m.fx, n), resize(m.fprev, n), resize(m.next, n)
	m.f.Apply(m.fx, m.x)
	copy(m.fprev, m.fx) // x_{−1} = x_0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *ForwardReflectedBackward) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	l := m.lambda
	for i, v := range m.x { // x_{k+1} = Π_C(x_k − λF(x_k) − λ(F(x_k) − F(x_{k−1})))
		m.next[i] = v - l*m.fx[i] - l*(m.fx[i]-m.fprev[i])
	}
	project(m.c, m.next, m.next)
	m.x, m.next = m.next, m.x
	m.fx, m.fprev = m.fprev, m.fx
	m.f.Apply(m.fx, m.x)
	return nil
}

// Current implements Method.
func (m *ForwardReflectedBackward) Current() []float64 { return m.x }

// CurrentValue implements CurrentValuer.
func (m *ForwardReflectedBackward) CurrentValue() ([]float64, bool) { return m.fx, m.inited }
