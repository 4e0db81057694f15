package vi

import (
	"fmt"
	"math"
)

// Defaults of OptAMSGrad. β1 and β2 are the paper's (Wang, Li, Karimi and
// Li, ACML 2021, §5.3). The paper gives no value for ε; 10⁻⁸ is chosen by
// analogy with Adam's ε, and since ε enters only as v_0 = v̂_0 = ε1, it
// bounds the denominator √v̂ below by 10⁻⁴.
const (
	DefaultOptAMSGradStep  = 1e-3
	DefaultOptAMSGradBeta1 = 0.9
	DefaultOptAMSGradBeta2 = 0.999
	DefaultOptAMSGradEps   = 1e-8
)

// OptAMSGrad is OPT-AMSGRAD (Wang, Li, Karimi and Li), AMSGrad with an
// optimistic second step that uses a prediction m_{t+1} of the next
// gradient. Applied to an operator F it solves VI(F, C) the way a player
// of a game runs it on its own gradient: g_t = F(w_t), and for a min-max
// game with F = (∇ₓf, −∇ᵧf) it descends in x and ascends in y.
//
//	g_t     = F(w_t)
//	θ_t     = β1 θ_{t−1} + (1 − β1) g_t
//	v_t     = β2 v_{t−1} + (1 − β2) g_t²
//	v̂_t     = max(v̂_{t−1}, v_t)
//	w̃_{t+1} = Π_C^{v̂_t}(w̃_t − η_t θ_t/√v̂_t)
//	h_{t+1} = β1 θ_{t−1} + (1 − β1) m_{t+1}
//	w_{t+1} = Π_C^{v̂_t}(w̃_{t+1} − η_t h_{t+1}/√v̂_t)
//
// with elementwise operations, t = 1, 2, …, θ_0 = 0, v_0 = v̂_0 = ε1 and
// w̃_1 = w_1 = Π_C(Z0). As in the paper there is no bias correction and no
// +ε in the denominator. Note h mixes the previous first moment θ_{t−1},
// not θ_t, with the guess. m_{t+1} comes from Predictor after it has
// observed g_t: LastGradient (the default, "Opt-1": m_{t+1} = g_t),
// ZeroGradient, or RMPE (the paper's extrapolation, Algorithm 4).
//
// Constraints: Π_C^{v̂} is the projection in the diag(v̂_t)^{1/2}-weighted
// norm, as in the paper's proof (its supplement writes both steps as
// Bregman projections with ψ_t(x) = ⟨x, diag(v̂_t)^{1/2}x⟩). For a set that
// is a product of intervals — nil (Rⁿ), Reals, Box, NonNegative, or a
// Product of these — the weighted projection is coordinatewise clipping,
// the same as the Euclidean one, and is exact. Other sets (balls,
// simplices) are rejected by Init: the weighted projection onto them is
// not available here, and substituting the Euclidean one would be a
// different algorithm.
//
// Step: η_t = Schedule(t) when Schedule is set, else the constant Step,
// default 10⁻³ (the paper tunes η on a grid and prints no value; its toy
// examples use η_t = 0.1 and 0.1/√t). The paper's box uses η_t in both
// steps; its proof writes η_{t+1} in the second, which is the same for a
// constant step. β1 = Beta1 (default 0.9; NoMomentum gives 0), β2 = Beta2
// (default 0.999), ε = Eps (default 10⁻⁸; see the constants above).
//
// Current is w_t, the point where the gradient is taken, and F(w_t) is
// known (CurrentValuer); no average is kept. Init evaluates F(w_1); each
// iteration costs 1 evaluation and 2 projections (none when C is nil).
//
// Rate: the paper's guarantees are regret bounds for convex losses
// (Theorem 1; O(√(Σ‖g_t − m_t‖²)) for β1 = 0, Corollary 1) and a
// stationarity bound for smooth nonconvex minimization (Theorem 2); none
// is stated for VIs. With β1 = 0, v̂ ≡ 1 and LastGradient it is the
// two-step optimistic gradient method w_{t+½} = w_{t−½} − η g_t,
// w_{t+1} = w_{t+½} − η g_t (the tests check this). Since v̂ never
// decreases, the effective step η/√v̂ never grows, and on games the
// method behaves like optimistic gradient with a fixed diagonal scaling
// once v̂ stops changing: with β1 = 0 it reaches the equilibrium of
// bilinear games, the Dirac-GAN and the linear WGAN to 10⁻¹⁵ or better
// within 10⁴–2·10⁴ iterations in the tests. Momentum is harmful on games:
// on a rotation with v̂ frozen, the distance changes per step by a factor
// about exp(−c h²) for small h = η/√v̂, with c = ½ for β1 = 0, c ≈ 0.07 at
// β1 = 0.3 and c = −½ at β1 = 0.5 (measured), and with the
// paper's β1 = 0.9 the iterates spiral away from the solution of
// f(x, y) = xy (tested). Use NoMomentum for min-max problems.
//
// Predictors on games: RMPE estimates the limit g* of the gradient
// sequence, not g_{t+1}. When the iterates circle, the gradients rotate
// and their limit estimate lags the next gradient; OPT-AMSGrad with RMPE
// converges on f(x, y) = xy at η = 0.03 (tested) but was seen to stall on
// a small cycle at larger steps where LastGradient converges.
//
// First step: θ_0 = 0, so h_2 = (1 − β1) m_2; before the predictor has
// enough history it behaves as documented on it (RMPE predicts the last
// gradient until it has r+1 of them).
//
// Reference: J.-K. Wang, X. Li, B. Karimi and P. Li, "An optimistic
// acceleration of AMSGrad for nonconvex optimization", ACML 2021 (PMLR
// 157), Algorithm 2 (lines 5-9 are marked at the code); arXiv 1903.01435.
type OptAMSGrad struct {
	Step       float64             // constant η > 0; 0: 10⁻³
	Schedule   func(t int) float64 // η_t for t = 1, 2, …; overrides Step when set
	Beta1      float64             // β1 ∈ [0, 1); 0: 0.9 (set NoMomentum for β1 = 0)
	Beta2      float64             // β2 ∈ [0, 1); 0: 0.999
	Eps        float64             // ε > 0, v_0 = v̂_0 = ε1; 0: 10⁻⁸
	NoMomentum bool                // run with β1 = 0 (Beta1 must then be 0)
	Predictor  Predictor           // guess m_{t+1} of the next gradient; nil: LastGradient

	f         Operator
	c         Set
	pred      Predictor
	last      LastGradient // the default predictor's state
	eta       float64
	beta1     float64
	beta2     float64
	w, g      []float64 // w_t and g_t = F(w_t)
	wt        []float64 // w̃_t
	theta     []float64 // θ_t
	thetaPrev []float64 // θ_{t−1}
	v, vhat   []float64
	m         []float64 // m_{t+1}
	t         int
	inited    bool
}

// Init implements Method.
func (m *OptAMSGrad) Init(p *Problem) error {
	const name = "OptAMSGrad"
	m.inited = false
	if err := checkNonNegative(name, "Step", m.Step); err != nil {
		return err
	}
	if err := checkNonNegative(name, "Eps", m.Eps); err != nil {
		return err
	}
	b1, err := checkBeta(name, "Beta1", m.Beta1, DefaultOptAMSGradBeta1)
	if err != nil {
		return err
	}
	if m.NoMomentum {
		if m.Beta1 != 0 {
			return ErrParameter{Method: name, Field: "Beta1", Value: m.Beta1, Want: "0 when NoMomentum is set"}
		}
		b1 = 0
	}
	b2, err := checkBeta(name, "Beta2", m.Beta2, DefaultOptAMSGradBeta2)
	if err != nil {
		return err
	}
	if p != nil && p.C != nil && !isBoxSet(unwrapSet(p.C)) {
		return fmt.Errorf("vi: OptAMSGrad: constraint set %T: the diag(v̂)^{1/2}-weighted projection is available only for products of intervals (Reals, Box, NonNegative and Products of them)", unwrapSet(p.C))
	}
	w, err := start(p, m.w)
	if err != nil {
		return err
	}
	n := len(w)
	m.pred = m.Predictor
	if m.pred == nil {
		m.pred = &m.last
	}
	if err := m.pred.Reset(n); err != nil {
		return fmt.Errorf("vi: OptAMSGrad: Predictor: %w", err)
	}
	eps := m.Eps
	if eps == 0 {
		eps = DefaultOptAMSGradEps
	}
	m.eta = m.Step
	if m.eta == 0 {
		m.eta = DefaultOptAMSGradStep
	}
	m.f, m.c, m.beta1, m.beta2, m.w = p.F, p.C, b1, b2, w
	m.g, m.wt, m.m = resize(m.g, n), resize(m.wt, n), resize(m.m, n)
	m.theta, m.thetaPrev = resize(m.theta, n), resize(m.thetaPrev, n)
	m.v, m.vhat = resize(m.v, n), resize(m.vhat, n)
	copy(m.wt, m.w) // w̃_1 = w_1
	clear(m.theta)  // θ_0 = 0
	for i := range m.v {
		m.v[i], m.vhat[i] = eps, eps // v_0 = v̂_0 = ε1
	}
	m.t = 0
	m.f.Apply(m.g, m.w)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *OptAMSGrad) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	m.t++
	eta := m.eta
	if m.Schedule != nil {
		eta = m.Schedule(m.t)
		if !(eta >= 0) || math.IsInf(eta, 1) {
			return ErrParameter{Method: "OptAMSGrad", Field: "Schedule", Value: eta, Want: fmt.Sprintf("finite and ≥ 0 at t = %d", m.t)}
		}
	}
	b1, b2 := m.beta1, m.beta2
	m.pred.Observe(m.g)
	m.theta, m.thetaPrev = m.thetaPrev, m.theta
	for i, gi := range m.g {
		m.theta[i] = b1*m.thetaPrev[i] + (1-b1)*gi         // line 5
		m.v[i] = b2*m.v[i] + (1-b2)*gi*gi                  // line 6
		m.vhat[i] = max(m.vhat[i], m.v[i])                 // line 7
		m.wt[i] -= eta * m.theta[i] / math.Sqrt(m.vhat[i]) // line 8
	}
	project(m.c, m.wt, m.wt)
	m.pred.Predict(m.m) // m_{t+1}
	for i, mi := range m.m {
		h := b1*m.thetaPrev[i] + (1-b1)*mi            // h_{t+1}
		m.w[i] = m.wt[i] - eta*h/math.Sqrt(m.vhat[i]) // line 9
	}
	project(m.c, m.w, m.w)
	m.f.Apply(m.g, m.w) // line 4 of the next step: g_{t+1} = F(w_{t+1})
	return nil
}

// Current implements Method: w_t, the point where the gradient is taken.
func (m *OptAMSGrad) Current() []float64 { return m.w }

// CurrentValue implements CurrentValuer.
func (m *OptAMSGrad) CurrentValue() ([]float64, bool) { return m.g, m.inited }

// isBoxSet reports whether c is a product of intervals, for which the
// projection in any diagonally weighted norm is coordinatewise clipping.
func isBoxSet(c Set) bool {
	switch s := c.(type) {
	case nil, Reals, *Reals, Box, *Box, NonNegative, *NonNegative:
		return true
	case Product:
		return productIsBox(s)
	case *Product:
		return s != nil && productIsBox(*s)
	}
	return false
}

func productIsBox(p Product) bool {
	for _, b := range p.Blocks {
		if !isBoxSet(unwrapSet(b)) {
			return false
		}
	}
	return true
}
