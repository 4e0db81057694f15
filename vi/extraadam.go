package vi

import "gonum.org/v1/gonum/floats"

// ExtraAdam is Extra-Adam (Gidel, Berard, Vignoud, Vincent and
// Lacoste-Julien), the extragradient method with Adam steps: an
// extrapolation step and an update step from the same base point, each an
// Adam step, with one pair of moments that both steps update in turn:
//
//	m_{k+½} = β1 m_k + (1 − β1) F(z_k),   v_{k+½} = β2 v_k + (1 − β2) F(z_k)²
//	w_k     = Π_C(z_k − η m̂_{k+½}/(√v̂_{k+½} + ε)),   hats: ÷(1 − β^{2k+1})
//	m_{k+1} = β1 m_{k+½} + (1 − β1) F(w_k),  v_{k+1} = β2 v_{k+½} + (1 − β2) F(w_k)²
//	z_{k+1} = Π_C(z_k − η m̂_{k+1}/(√v̂_{k+1} + ε)),     hats: ÷(1 − β^{2k+2})
//
// with elementwise operations, m_0 = v_0 = 0 and k = 0, 1, …: the
// bias-correction counter advances at every half-step. (The paper's box
// loops t = 0 … T − 1 and writes the exponents 2t − 1 and 2t, which would
// start at −1; the counter is read here as starting at 1, as in the
// authors' code.)
//
// Verified from the paper's Algorithm 4 ("Extra-Adam: proposed Adam with
// extrapolation step", §5, Option 1: standard extrapolation): the moments
// ARE updated at the extrapolation step, with the gradient at z_k, and
// again at the update step, with the gradient at w_k; both steps start from
// z_k; both are projected with the Euclidean P_Ω. The printed box has two
// typographical slips that this implementation reads as intended: the
// extrapolation line writes m, v without hats although the line before
// computes m̂, v̂, and the update line writes √(v̂ + ε); both steps here use
// m̂/(√v̂ + ε). The authors' code (Variational-Inequality-GAN,
// optim/extragradient.py, class ExtraAdam) does the same bookkeeping, one
// Adam update per half-step on shared state, in Adam's efficient form
// η√(1 − β2ᵏ)/(1 − β1ᵏ)·m/(√v + ε), which differs only in the scale of ε.
// Option 2 of the box (extrapolation from the past) is not this method.
//
// Step: η = Step, default 1e-3; β1 = Beta1, β2 = Beta2, ε = Eps with
// defaults 0.9, 0.999, 1e-8 (those of the authors' class). The paper's
// CIFAR10 WGAN experiments found β1 = 0.5, β2 = 0.9 best for every Adam
// variant; set them explicitly for that regime. NoMomentum gives β1 = 0.
//
// Current is the base iterate z_k, whose F is known (CurrentValuer). The
// method keeps the uniform average of the extrapolated points w_k, the
// paper's averaged output ω̄_T with ρ_t = 1 (Averager). Init evaluates
// F(z_0); each iteration costs 2 evaluations (F(w_k) and F(z_{k+1})) and
// 2 projections.
//
// Rate: the paper gives no convergence proof for Extra-Adam ("our interest
// regarding this algorithm is practical"); its guarantees are for the
// extragradient method with constant steps. Measured here (see the tests)
// on f(x, y) = xy: with the defaults it settles on a cycle of radius
// proportional to η (0.19 for η = 10⁻³, half Optimistic Adam's); with
// β1 = 0 and β2 = 0.99999 it reaches the equilibrium of bilinear games,
// the Dirac-GAN and the linear WGAN to 10⁻¹⁵ within 2·10⁴–5·10⁴
// iterations; in longer runs, as its effective step η/√v̂ grows, it was
// seen to return to a cycle of radius O(η), like OptimisticAdam.
//
// Reference: G. Gidel, H. Berard, G. Vignoud, P. Vincent and
// S. Lacoste-Julien, "A variational inequality perspective on generative
// adversarial networks", ICLR 2019, Algorithm 4.
type ExtraAdam struct {
	Step       float64 // η > 0; 0: 1e-3
	Beta1      float64 // β1 ∈ [0, 1); 0: 0.9 (set NoMomentum for β1 = 0)
	Beta2      float64 // β2 ∈ [0, 1); 0: 0.999
	Eps        float64 // ε > 0 added to √v̂; 0: 1e-8
	NoMomentum bool    // run with β1 = 0 (Beta1 must then be 0)

	f      Operator
	c      Set
	par    adamParams
	z, fz  []float64
	w, fw  []float64
	s      []float64
	sum    []float64
	avg    []float64
	k      int
	mom    adamMoments
	inited bool
}

// Init implements Method.
func (m *ExtraAdam) Init(p *Problem) error {
	m.inited = false
	par, err := newAdamParams("ExtraAdam", m.Step, m.Beta1, m.Beta2, m.Eps, m.NoMomentum)
	if err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.par, m.z = p.F, p.C, par, z
	m.fz, m.w, m.fw, m.s = resize(m.fz, n), resize(m.w, n), resize(m.fw, n), resize(m.s, n)
	m.sum, m.avg = resize(m.sum, n), resize(m.avg, n)
	clear(m.sum)
	m.k = 0
	m.mom.reset(n)
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *ExtraAdam) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	m.mom.step(m.s, m.fz, &m.par) // Alg. 4: moments with F(z_k), counter 2k + 1
	for i, zi := range m.z {
		m.w[i] = zi - m.s[i] // w_k = Π(z_k − η m̂_{k+½}/(√v̂_{k+½} + ε))
	}
	project(m.c, m.w, m.w)
	m.f.Apply(m.fw, m.w)
	m.mom.step(m.s, m.fw, &m.par) // Alg. 4: moments with F(w_k), counter 2k + 2
	for i, si := range m.s {
		m.z[i] -= si // z_{k+1} = Π(z_k − η m̂_{k+1}/(√v̂_{k+1} + ε))
	}
	project(m.c, m.z, m.z)
	m.f.Apply(m.fz, m.z)
	floats.Add(m.sum, m.w)
	m.k++
	return nil
}

// Current implements Method.
func (m *ExtraAdam) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *ExtraAdam) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Average implements Averager: the mean of w_0, …, w_{k−1} after k iterations, or nil before the
// first iteration.
func (m *ExtraAdam) Average() []float64 {
	if m.k == 0 {
		return nil
	}
	floats.ScaleTo(m.avg, 1/float64(m.k), m.sum)
	return m.avg
}
