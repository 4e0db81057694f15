package vi

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// StochasticPastExtragradient is stochastic past extragradient (SPEG,
// stochastic Popov) for VI(F, C) with F = E_ξ F_ξ a StochasticOperator:
// one fresh sample per iteration, the extrapolation reusing the previous
// sample value,
//
//	x̂_k     = Π_C(x_k − γ_k g_{k−1})
//	g_k     = F_{ξ_k}(x̂_k)            (ξ_k drawn afresh)
//	x_{k+1} = Π_C(x_k − ω_k g_k)
//
// with γ_k = ω_k, as in the theorems of Choudhury, Gorbunov and Loizou
// (ALGORITHMS.md §2.11). Their analysis is unconstrained (C = nil); the
// projections follow Popov's projected form and carry no guarantee from
// them.
//
// Steps: ω_k = Schedule(k) when Schedule is set; else, with Decreasing,
// the switching rule Switching(ω̄, Mu); else the constant ω̄. ω̄ is Step,
// or by default
//
//	ω̄ = min{1/(4L), μ/(18δ)},
//
// L a Lipschitz constant of the mean F (L, else the operator's own),
// μ = Mu the quasi-strong monotonicity modulus ⟨F(x), x − x*⟩ ≥ μ‖x − x*‖²,
// and δ = Delta the expected-residual constant
// E‖(g(x) − g(x*)) − (F(x) − F(x*))‖² ≤ (δ/2)‖x − x*‖²; the second term is
// dropped when μ or δ is zero. The switching rule keeps ω̄ up to
// k* = ⌈4/(μω̄)⌉ and then uses ω_k = (2k + 1)/((k + 1)²)·(2/μ); it needs
// Mu > 0.
//
// Current is the base iterate x_k; Extrapolated returns x̂_{k−1}. F(x_k) is
// not known (the method sees samples only), so Solve spends one full
// evaluation per iteration to measure it (Stats.Checks); no average is
// kept by the method. Each iteration draws one sample, makes 1 sample
// evaluation (Stats.Evaluations under Solve, see StochasticOperator) and 2
// projections. First step: x̂_{−1} = x_0 and g_{−1} = F_{ξ_{−1}}(x_0), so
// Init draws one sample and makes 1 sample evaluation.
//
// Rates (Choudhury, Gorbunov and Loizou, read on the authors' poster; F
// μ-quasi-strongly monotone and L-Lipschitz, samples satisfying the
// expected-residual condition with δ, σ*² = E‖F_ξ(x*)‖², and
// R_k² = E[‖x_k − x*‖² + ‖x_k − x̂_{k−1}‖²]):
//
//	constant ω ≤ ω̄:   R_k² ≤ (1 − ωμ/2)^k R_0² + 24ωσ*²/μ,
//	switching rule:   R_K² ≤ (k*/K)² R_0²/e² + 192σ*²/(μ²K)   for K ≥ k*.
//
// The tests check both bounds at every k, the O(1/K) slope of the
// switching rule, and the linear phase and noise floor of the constant
// step against exact moments of the error recursion, on a finite sum of
// affine terms Fᵢ(z) = Mᵢz + qᵢ, for which
// δ = 2·λ_max((1/N) Σᵢ (Mᵢ − M̄)ᵀ(Mᵢ − M̄)).
// The weak-Minty results of the same paper (best iterate, with
// mini-batches) are not implemented.
//
// Randomness: the samples come from Src, or when Src is nil from a
// generator rand.NewPCG(1+Seed, 2) that Init rebuilds, so that two runs of
// the same method value are bit-identical.
//
// Reference: S. Choudhury, E. Gorbunov, N. Loizou, "Single-Call Stochastic
// Extragradient Methods for Structured Non-monotone Variational
// Inequalities: Improved Analysis under Weaker Conditions", NeurIPS 2023.
type StochasticPastExtragradient struct {
	Step       float64  // ω̄; 0: min{1/(4L), μ/(18δ)}
	L          float64  // Lipschitz constant of the mean F; 0: the operator's own
	Mu         float64  // μ, quasi-strong monotonicity modulus; needed by Decreasing
	Delta      float64  // δ, expected-residual constant; 0: no μ/(18δ) limit
	Decreasing bool     // the switching rule after k* = ⌈4/(μω̄)⌉
	Schedule   Schedule // ω_k = Schedule(k) when not nil; overrides the above

	// Src is the source of samples. nil: a generator rand.NewPCG(1+Seed, 2)
	// rebuilt by every Init, so runs are reproducible; a non-nil Src is
	// used as it stands and is not reset between runs.
	Src  rand.Source
	Seed uint64 // seed of the default generator; the zero Seed gives rand.NewPCG(1, 2)

	oracle   sampleOracle
	rng      *rand.Rand
	c        Set
	omega    float64 // ω̄
	kStar    float64 // switching point, +Inf without Decreasing
	x, xhat  []float64
	g, gPrev []float64
	k        int
	inited   bool
}

// Init implements Method.
func (m *StochasticPastExtragradient) Init(p *Problem) error {
	const name = "StochasticPastExtragradient"
	m.inited = false
	for _, f := range []struct {
		field string
		v     float64
	}{{"Step", m.Step}, {"L", m.L}, {"Mu", m.Mu}, {"Delta", m.Delta}} {
		if err := checkNonNegative(name, f.field, f.v); err != nil {
			return err
		}
	}
	if m.Decreasing && m.Schedule == nil && m.Mu == 0 {
		return ErrParameter{Method: name, Field: "Mu", Value: m.Mu, Want: "> 0 with Decreasing"}
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := m.oracle.find(name, p.F); err != nil {
		return err
	}
	if m.Schedule != nil {
		if _, err := scheduleAt(name, "Schedule", m.Schedule, 0); err != nil {
			return err
		}
	} else {
		omega, err := stepFrom(name, m.Step, m.L, 0.25, p.F)
		if err != nil {
			return err
		}
		if m.Step == 0 && m.Mu > 0 && m.Delta > 0 {
			omega = min(omega, m.Mu/(18*m.Delta))
		}
		m.omega = omega
		m.kStar = math.Inf(1)
		if m.Decreasing {
			m.kStar = switchingPoint(omega, m.Mu)
		}
	}
	x, err := start(p, m.x)
	if err != nil {
		return err
	}
	n := len(x)
	m.c, m.x = p.C, x
	m.xhat, m.g, m.gPrev = resize(m.xhat, n), resize(m.g, n), resize(m.gPrev, n)
	m.rng = stochasticRand(m.Src, m.Seed)
	copy(m.xhat, m.x) // x̂_{−1} = x_0
	m.oracle.apply(m.gPrev, m.xhat, m.oracle.op.Draw(m.rng))
	m.k = 0
	m.inited = true
	return nil
}

// step returns ω_k.
func (m *StochasticPastExtragradient) step() (float64, error) {
	if m.Schedule != nil {
		return scheduleAt("StochasticPastExtragradient", "Schedule", m.Schedule, m.k)
	}
	return switchingStep(m.k, m.omega, m.Mu, m.kStar), nil // ω̄ up to k*, then (2k+1)/((k+1)²)·2/μ
}

// Iterate implements Method.
func (m *StochasticPastExtragradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	omega, err := m.step()
	if err != nil {
		return err
	}
	floats.AddScaledTo(m.xhat, m.x, -omega, m.gPrev) // x̂_k = Π(x_k − γ_k g_{k−1}), γ_k = ω_k
	project(m.c, m.xhat, m.xhat)
	m.oracle.apply(m.g, m.xhat, m.oracle.op.Draw(m.rng)) // g_k = F_{ξ_k}(x̂_k)
	floats.AddScaledTo(m.x, m.x, -omega, m.g)            // x_{k+1} = Π(x_k − ω_k g_k)
	project(m.c, m.x, m.x)
	m.g, m.gPrev = m.gPrev, m.g
	m.k++
	return nil
}

// Current implements Method.
func (m *StochasticPastExtragradient) Current() []float64 { return m.x }

// Extrapolated returns the last extrapolated point x̂_{k−1} (x_0 before the
// first iteration); borrowed like Current.
func (m *StochasticPastExtragradient) Extrapolated() []float64 { return m.xhat }
