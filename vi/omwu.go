package vi

// OptimisticMultiplicativeWeights is optimistic multiplicative weights
// (OMWU, optimistic hedge) on a Simplex or a Product of Simplex blocks, in
// the single-sequence form of Daskalakis and Panageas ("Last-iterate
// convergence: zero-sum games and constrained min-max optimization", ITCS
// 2019). With MS(z, g) = argmin_{u∈C} ⟨η·g, u⟩ + D(u, z) the set's
// entropic MirrorStep (on a block, u ∝ z ⊙ exp(−η·g) scaled to the
// block's Scale):
//
//	z_{t+1} = MS(z_t, 2F(z_t) − F(z_{t−1}))
//
// For a matrix game min_x max_y xᵀAy, F = (Ay, −Aᵀx), this is
// x_{t+1} ∝ x_t ⊙ exp(−η(2Ay_t − Ay_{t−1})) and
// y_{t+1} ∝ y_t ⊙ exp(η(2Aᵀx_t − Aᵀx_{t−1})). It is optimistic online
// mirror descent with the entropy: its two-sequence form
// ẑ_{t+1} = MS(ẑ_t, F(z_t)), z_{t+1} = MS(ẑ_{t+1}, F(z_t)) gives the same
// z_t, because on a simplex successive normalizations multiply into one
// (ALGORITHMS.md §2.8). Without the optimistic term (z_{t+1} =
// MS(z_t, F(z_t))) it is plain multiplicative weights, whose last iterate
// spirals away from an interior equilibrium; the correction −F(z_{t−1})
// is what makes the last iterate converge.
//
// Step: Step if positive, else η = 1/(8·s·L), s the largest Scale of the
// Simplex blocks and L the L field or the operator's own (Euclidean)
// constant. Wei, Lee, Zhang and Luo prove linear last-iterate convergence
// for matrix games with a unique equilibrium at a step that is a universal
// constant for payoffs in [−1, 1]; their published experiment code runs
// η = 1/8 on A/‖A‖₂, which is what this default reproduces on a matrix
// game (the theorem's exact condition was not read here; it is recalled as
// η ≤ 1/8 for max|A_ij| ≤ 1). For other payoffs the constant scales as
// 1/max|A_ij|, and L₂ ≥ max|A_ij| (the same block-ℓ1 argument as in
// MirrorProx), so 1/(8L₂) is inside it; a simplex of scale s multiplies
// the operator's ℓ1 Lipschitz constant by s in the coordinates z/s of the
// probability simplex, hence the s. An explicit Step is used as given. A
// MirrorSet block of another type than Simplex is accepted with an
// explicit Step only.
//
// Current is z_t, and F(z_t) is known (CurrentValuer). No average is kept
// by the method (Solve's mean of the iterates is the mean of the z_t).
// Init projects the start onto C and evaluates F(z_0); each iteration
// costs 1 evaluation (F(z_{t+1})) and 1 mirror step, which Solve counts as
// a projection: after T iterations Stats shows 1 + T evaluations and
// 1 + T projections.
//
// Guarantees, for two-player zero-sum matrix games: asymptotic last-iterate
// convergence for small enough η when the equilibrium is unique
// (Daskalakis and Panageas 2019); linear last-iterate convergence at a
// constant step when it is unique (Wei, Lee, Zhang and Luo, "Linear
// last-iterate convergence in constrained saddle-point optimization", ICLR
// 2021), with a game-dependent factor that can be arbitrarily close to 1:
// no last-iterate rate depends only on the size and payoff range of the
// game (Cai, Farina, Grand-Clément, Kroer, Lee, Luo and Zheng, "Fast
// last-iterate convergence of learning in games requires forgetful
// algorithms", NeurIPS 2024), and it is slow when the equilibrium is near
// the simplex boundary. Optimistic hedge also has small regret, so the
// average of the z_t converges; the constants of that rate were not
// checked here. For other monotone F on products of simplices no
// guarantee is claimed.
//
// First step: F(z_{−1}) = F(z_0), so z_1 is a plain multiplicative-weights
// step from z_0.
//
// Start: as MirrorProx, Init rejects a start with a zero entry in a
// Simplex block (after projecting Z0 onto C), since that entry would stay
// zero forever; a nil Z0 starts at the uniform point.
type OptimisticMultiplicativeWeights struct {
	Step float64 // η; 0: 1/(8·s·L), s the largest Simplex scale
	L    float64 // Lipschitz constant from the block-ℓ1 norm to its dual (the Euclidean one qualifies); 0: the operator's own

	f      Operator
	c      MirrorSet
	eta    float64
	z      []float64
	fz     []float64 // F(z_t)
	fprev  []float64 // F(z_{t−1})
	g      []float64
	inited bool
}

// Init implements Method.
func (m *OptimisticMultiplicativeWeights) Init(p *Problem) error {
	m.inited = false
	const name = "OptimisticMultiplicativeWeights"
	if err := entropicParams(name, m.Step, m.L); err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	m.z = z
	c, eta, err := entropicSetup(name, p, z, m.Step, m.L, 1.0/8)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.eta = p.F, c, eta
	m.fz, m.fprev, m.g = resize(m.fz, n), resize(m.fprev, n), resize(m.g, n)
	m.f.Apply(m.fz, m.z)
	copy(m.fprev, m.fz) // F(z_{−1}) = F(z_0)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *OptimisticMultiplicativeWeights) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	for i, v := range m.fz {
		m.g[i] = 2*v - m.fprev[i]
	}
	m.c.MirrorStep(m.z, m.z, m.g, m.eta) // z_{t+1} = MS(z_t, 2F(z_t) − F(z_{t−1}))
	m.fz, m.fprev = m.fprev, m.fz
	m.f.Apply(m.fz, m.z)
	return nil
}

// Current implements Method.
func (m *OptimisticMultiplicativeWeights) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *OptimisticMultiplicativeWeights) CurrentValue() ([]float64, bool) {
	return m.fz, m.inited
}
