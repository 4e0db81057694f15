package vi

// OptimisticAdam is Optimistic Adam (Daskalakis, Ilyas, Syrgkanis and
// Zeng), an optimistic variant of Adam for min-max training: each step is
// twice the current Adam step minus the previous one, optimistic gradient
// descent with Adam's per-coordinate scaling. On a game with
// F = (∇ₓf, −∇ᵧf) it is descent for x and ascent for y.
//
//	m_t = β1 m_{t−1} + (1 − β1) F(z_{t−1})
//	v_t = β2 v_{t−1} + (1 − β2) F(z_{t−1})²
//	s_t = η m̂_t/(√v̂_t + ε),  m̂_t = m_t/(1 − β1ᵗ),  v̂_t = v_t/(1 − β2ᵗ)
//	z_t = Π_C(z_{t−1} − 2 s_t + s_{t−1})
//
// with elementwise operations, m_0 = v_0 = 0, t = 1, 2, …. Each term is
// bias-corrected with its own t: s_{t−1} is exactly the Adam step of the
// previous iteration.
//
// Bias-correction bookkeeping. The paper's Algorithm 1 could not be read
// here; what was checked is the authors' code (optimistic_GAN_training,
// script/optimizer.py, class optimAdam), which scales both terms by the
// current factor η√(1 − β2ᵗ)/(1 − β1ᵗ) and takes ε outside the correction:
// z_t = z_{t−1} − 2η_t m_t/(√v_t + ε) + η_t m_old/(√v_old + ε). Two
// independent ports that cite the paper (a Sonnet port labelled
// "Algorithm 1", and Optimisers.jl's OAdam) bias-correct each term with its
// own t as above, which is what is implemented. The two differ only in the
// first steps, while 1 − β2ᵗ and 1 − β1ᵗ are far from 1, and by ε's scale.
// Projection onto C after the step follows the authors' code (a Keras
// constraint applied to the new value).
//
// Step: η = Step, default 1e-3; β1 = Beta1, β2 = Beta2, ε = Eps with the
// defaults 0.9, 0.999, 1e-8 of the authors' optimAdam class (Adam's own).
// The paper's CIFAR10 WGAN-GP runs used β1 = 0.5, β2 = 0.9 and η = 1e-4
// (Gulrajani et al.'s Adam settings, script/cifar10.py); set them
// explicitly for that regime. NoMomentum gives β1 = 0.
//
// Current is z_t, whose F is known (CurrentValuer); no average is kept.
// Init evaluates F(z_0); each iteration costs 1 evaluation and 1
// projection.
//
// Rate: no guarantee is claimed by the paper for Optimistic Adam (its
// last-iterate theorem is for optimistic gradient descent on bilinear
// games). Empirically (see the tests) it converges on bilinear games and
// the Dirac-GAN with a small constant η to a neighbourhood whose size
// scales with η, where plain Adam keeps circling or spirals outward.
//
// First step: s_0 = 0, so z_1 = Π(z_0 − 2 s_1), as in the authors' code
// (its stored previous moments start at zero).
//
// Reference: C. Daskalakis, A. Ilyas, V. Syrgkanis and H. Zeng, "Training
// GANs with optimism", ICLR 2018, Algorithm 1 (Optimistic Adam).
type OptimisticAdam struct {
	Step       float64 // η > 0; 0: 1e-3
	Beta1      float64 // β1 ∈ [0, 1); 0: 0.9 (set NoMomentum for β1 = 0)
	Beta2      float64 // β2 ∈ [0, 1); 0: 0.999
	Eps        float64 // ε > 0 added to √v̂; 0: 1e-8
	NoMomentum bool    // run with β1 = 0 (Beta1 must then be 0)

	f      Operator
	c      Set
	par    adamParams
	z, fz  []float64
	s      []float64 // the current Adam step s_t
	prev   []float64 // the previous Adam step s_{t−1}
	mom    adamMoments
	inited bool
}

// Init implements Method.
func (m *OptimisticAdam) Init(p *Problem) error {
	m.inited = false
	par, err := newAdamParams("OptimisticAdam", m.Step, m.Beta1, m.Beta2, m.Eps, m.NoMomentum)
	if err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.par, m.z = p.F, p.C, par, z
	m.fz, m.s, m.prev = resize(m.fz, n), resize(m.s, n), resize(m.prev, n)
	clear(m.prev) // s_0 = 0
	m.mom.reset(n)
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *OptimisticAdam) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	m.mom.step(m.s, m.fz, &m.par) // s_t = η m̂_t/(√v̂_t + ε)
	for i, si := range m.s {
		m.z[i] += -2*si + m.prev[i] // z_t = z_{t−1} − 2s_t + s_{t−1}
	}
	project(m.c, m.z, m.z)
	m.s, m.prev = m.prev, m.s
	m.f.Apply(m.fz, m.z)
	return nil
}

// Current implements Method.
func (m *OptimisticAdam) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *OptimisticAdam) CurrentValue() ([]float64, bool) { return m.fz, m.inited }
