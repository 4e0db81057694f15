package vi

import "math"

// Defaults of the Adam family (Adam, OptimisticAdam, ExtraAdam): those of
// Kingma and Ba, "Adam: A method for stochastic optimization" (ICLR 2015),
// which are also the defaults of the optimizer classes the authors of
// Optimistic Adam and Extra-Adam published with their papers.
const (
	DefaultAdamStep  = 1e-3
	DefaultAdamBeta1 = 0.9
	DefaultAdamBeta2 = 0.999
	DefaultAdamEps   = 1e-8
)

// Adam is simultaneous Adam descent along F, the baseline GAN practitioners
// use for min-max problems: every player takes an Adam step on its own
// gradient at once (for a game, F = (∇ₓf, −∇ᵧf), so this is descent for x
// and ascent for y):
//
//	m_t = β1 m_{t−1} + (1 − β1) F(z_{t−1})
//	v_t = β2 v_{t−1} + (1 − β2) F(z_{t−1})²
//	m̂_t = m_t/(1 − β1ᵗ),  v̂_t = v_t/(1 − β2ᵗ)
//	z_t = Π_C(z_{t−1} − η m̂_t/(√v̂_t + ε))
//
// with elementwise square, root and quotient, m_0 = v_0 = 0, t = 1, 2, ….
//
// Step: η = Step, default 1e-3; no Lipschitz constant is used. β1 = Beta1
// (default 0.9, or 0 with NoMomentum), β2 = Beta2 (default 0.999), ε = Eps
// (default 1e-8).
//
// Current is z_t, whose F is known (CurrentValuer); no average is kept.
// Init evaluates F(z_0); each iteration costs 1 evaluation and 1
// projection.
//
// Rate: none for games; it is the baseline the optimistic variants are
// measured against. On f(x, y) = xy with the default decay rates it
// settles on a cycle around the solution whose radius is proportional to
// η (0.39 for η = 10⁻³); with β1 = 0 and a long second-moment memory
// (β2 = 0.99999) it spirals outward, like gradient descent-ascent (see
// the tests).
//
// Reference: D. P. Kingma and J. Ba, "Adam: A method for stochastic
// optimization", ICLR 2015, Algorithm 1 (the bias-corrected form above).
type Adam struct {
	Step       float64 // η > 0; 0: 1e-3
	Beta1      float64 // β1 ∈ [0, 1); 0: 0.9 (set NoMomentum for β1 = 0)
	Beta2      float64 // β2 ∈ [0, 1); 0: 0.999
	Eps        float64 // ε > 0 added to √v̂; 0: 1e-8
	NoMomentum bool    // run with β1 = 0 (Beta1 must then be 0)

	f      Operator
	c      Set
	par    adamParams
	z, fz  []float64
	next   []float64
	mom    adamMoments
	inited bool
}

// Init implements Method.
func (m *Adam) Init(p *Problem) error {
	m.inited = false
	par, err := newAdamParams("Adam", m.Step, m.Beta1, m.Beta2, m.Eps, m.NoMomentum)
	if err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.par, m.z = p.F, p.C, par, z
	m.fz, m.next = resize(m.fz, n), resize(m.next, n)
	m.mom.reset(n)
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *Adam) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	s := m.next
	m.mom.step(s, m.fz, &m.par) // s = η m̂_t/(√v̂_t + ε)
	for i, zi := range m.z {
		s[i] = zi - s[i] // z_t = Π(z_{t−1} − s)
	}
	project(m.c, s, s)
	m.z, m.next = m.next, m.z
	m.f.Apply(m.fz, m.z)
	return nil
}

// Current implements Method.
func (m *Adam) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *Adam) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// adamParams are the validated constants of an Adam-type step.
type adamParams struct {
	eta, beta1, beta2, eps float64
}

// newAdamParams validates the configuration shared by the Adam family and
// fills in the defaults.
func newAdamParams(method string, step, beta1, beta2, eps float64, noMomentum bool) (adamParams, error) {
	if err := checkNonNegative(method, "Step", step); err != nil {
		return adamParams{}, err
	}
	if err := checkNonNegative(method, "Eps", eps); err != nil {
		return adamParams{}, err
	}
	b1, err := checkBeta(method, "Beta1", beta1, DefaultAdamBeta1)
	if err != nil {
		return adamParams{}, err
	}
	if noMomentum {
		if beta1 != 0 {
			return adamParams{}, ErrParameter{Method: method, Field: "Beta1", Value: beta1, Want: "0 when NoMomentum is set"}
		}
		b1 = 0
	}
	b2, err := checkBeta(method, "Beta2", beta2, DefaultAdamBeta2)
	if err != nil {
		return adamParams{}, err
	}
	p := adamParams{eta: step, beta1: b1, beta2: b2, eps: eps}
	if p.eta == 0 {
		p.eta = DefaultAdamStep
	}
	if p.eps == 0 {
		p.eps = DefaultAdamEps
	}
	return p, nil
}

// checkBeta rejects a decay rate outside [0, 1) and returns def for 0.
func checkBeta(method, field string, v, def float64) (float64, error) {
	if !(v >= 0 && v < 1) {
		return 0, ErrParameter{Method: method, Field: field, Value: v, Want: "in [0, 1)"}
	}
	if v == 0 {
		return def, nil
	}
	return v, nil
}

// adamMoments is the state of one Adam moment pair: m, v and the powers
// β1ᵗ, β2ᵗ of the bias corrections after t steps.
type adamMoments struct {
	m, v       []float64
	pow1, pow2 float64
}

// reset sizes the moments for dimension n and zeroes them.
func (a *adamMoments) reset(n int) {
	a.m, a.v = resize(a.m, n), resize(a.v, n)
	clear(a.m)
	clear(a.v)
	a.pow1, a.pow2 = 1, 1
}

// step folds the gradient g into the moments as step t+1 and sets
// s = η m̂/(√v̂ + ε), the Adam step (Kingma and Ba, Algorithm 1).
func (a *adamMoments) step(s, g []float64, p *adamParams) {
	a.pow1 *= p.beta1
	a.pow2 *= p.beta2
	c1, c2 := 1-a.pow1, 1-a.pow2
	b1, b2 := p.beta1, p.beta2
	for i, gi := range g {
		mi := b1*a.m[i] + (1-b1)*gi
		vi := b2*a.v[i] + (1-b2)*gi*gi
		a.m[i], a.v[i] = mi, vi
		s[i] = p.eta * (mi / c1) / (math.Sqrt(vi/c2) + p.eps)
	}
}
