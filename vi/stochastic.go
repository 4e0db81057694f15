package vi

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// A StochasticOperator is an operator F(z) = E_ξ F_ξ(z) that can also be
// evaluated one sample at a time: the finite sum F = (1/N) Σᵢ Fᵢ with ξ a
// term index, or an operator observed through noise with ξ the noise.
//
// Its Apply is the mean F, which Solve measures residuals with; stochastic
// methods use only Draw and ApplySample. A sample is a uint64 drawn by the
// operator itself, so that the operator fixes its own distribution
// (uniform over the terms of a FiniteSum) and a method can evaluate the
// same sample at two points, as same-sample stochastic extragradient does.
//
// Counting: under Solve, every ApplySample call a method of this package
// makes counts as one evaluation in Stats.Evaluations (and towards
// Settings.MaxEvaluations): the oracle calls that stochastic theory
// counts. For a finite sum one such call costs one term, 1/N of a full
// evaluation; the stochastic methods never evaluate the mean F. Stats.Checks
// still counts the full evaluations Solve makes to measure the iterates.
type StochasticOperator interface {
	// Operator is the mean F = E_ξ F_ξ.
	Operator
	// Draw returns a sample ξ drawn with r from the operator's
	// distribution. It must not allocate.
	Draw(r *rand.Rand) uint64
	// ApplySample sets dst = F_ξ(z) for a sample ξ returned by Draw; the
	// same ξ always gives the same map. The rules of Apply hold.
	ApplySample(dst, z []float64, xi uint64)
}

// A SampleLipschitzer is a StochasticOperator that knows a Lipschitz
// constant common to all its samples, ‖F_ξ(x) − F_ξ(y)‖ ≤ L‖x − y‖ for
// every ξ (L_max = maxᵢ Lᵢ for a finite sum). Same-sample stochastic
// extragradient takes its default step from it.
type SampleLipschitzer interface {
	SampleLipschitz() float64
}

// ErrNotStochastic is returned by the Init of a stochastic method whose
// operator is not a StochasticOperator.
var ErrNotStochastic = errors.New("vi: the operator is not a StochasticOperator; stochastic methods need samples F_ξ")

// FiniteSum is the finite-sum operator F = (1/N) Σᵢ Fᵢ, i = 0, …, N−1, a
// StochasticOperator whose samples are the terms, drawn uniformly.
// Build it with NewFiniteSum. Apply uses an internal buffer, so a
// FiniteSum must not be evaluated by two goroutines at once.
type FiniteSum struct {
	ops []Operator
	buf []float64
}

// NewFiniteSum returns (1/N) Σᵢ ops[i]. It needs at least one term, and
// every term must have the same positive dimension. The slice is copied;
// the terms are not.
func NewFiniteSum(ops ...Operator) (*FiniteSum, error) {
	if len(ops) == 0 {
		return nil, fmt.Errorf("vi: NewFiniteSum: no terms")
	}
	for i, op := range ops {
		if op == nil {
			return nil, fmt.Errorf("vi: NewFiniteSum: term %d is nil", i)
		}
	}
	n := ops[0].Dim()
	if n < 1 {
		return nil, ErrShape{What: "FiniteSum term 0 Dim()", Got: n, Want: 1}
	}
	for i, op := range ops[1:] {
		if d := op.Dim(); d != n {
			return nil, ErrShape{What: fmt.Sprintf("FiniteSum term %d Dim()", i+1), Got: d, Want: n}
		}
	}
	return &FiniteSum{ops: append([]Operator(nil), ops...), buf: make([]float64, n)}, nil
}

// Dim implements Operator.
func (s *FiniteSum) Dim() int { return len(s.buf) }

// Len returns N, the number of terms.
func (s *FiniteSum) Len() int { return len(s.ops) }

// Term returns the term Fᵢ, 0 ≤ i < Len().
func (s *FiniteSum) Term(i int) Operator { return s.ops[i] }

// Apply sets dst = (1/N) Σᵢ Fᵢ(z); it costs N term evaluations.
func (s *FiniteSum) Apply(dst, z []float64) {
	s.ops[0].Apply(dst, z)
	for _, op := range s.ops[1:] {
		op.Apply(s.buf, z)
		floats.Add(dst, s.buf)
	}
	if len(s.ops) > 1 {
		floats.Scale(1/float64(len(s.ops)), dst)
	}
}

// Draw implements StochasticOperator: a term index, uniform on
// {0, …, N−1}.
func (s *FiniteSum) Draw(r *rand.Rand) uint64 { return uint64(r.IntN(len(s.ops))) }

// ApplySample implements StochasticOperator: dst = F_ξ(z), the term with
// index ξ. It panics if ξ ≥ N.
func (s *FiniteSum) ApplySample(dst, z []float64, xi uint64) {
	if xi >= uint64(len(s.ops)) {
		panic(fmt.Sprintf("vi: FiniteSum.ApplySample: sample %d out of range [0, %d)", xi, len(s.ops)))
	}
	s.ops[xi].Apply(dst, z)
}

// Lipschitz implements Lipschitzer with the bound (1/N) Σᵢ Lᵢ on the
// constant of the mean; +Inf when some term does not report its constant.
func (s *FiniteSum) Lipschitz() float64 {
	var sum float64
	for _, op := range s.ops {
		l, ok := lipschitzOf(op)
		if !ok {
			return math.Inf(1)
		}
		sum += l
	}
	return sum / float64(len(s.ops))
}

// SampleLipschitz implements SampleLipschitzer: L_max = maxᵢ Lᵢ; +Inf
// when some term does not report its constant.
func (s *FiniteSum) SampleLipschitz() float64 {
	var m float64
	for _, op := range s.ops {
		l, ok := lipschitzOf(op)
		if !ok {
			return math.Inf(1)
		}
		m = max(m, l)
	}
	return m
}

// GaussianNoise is an operator observed through additive Gaussian noise,
// a StochasticOperator with
//
//	F_ξ(z) = F(z) + σ·ε_ξ,   ε_ξ ~ N(0, I),
//
// mean F and variance E‖F_ξ(z) − F(z)‖² = nσ² at every z (the bounded
// variance setting of independent-sample stochastic extragradient). A
// sample ξ is a 64-bit seed from which ε_ξ is generated, so the same ξ
// gives the same noise. Build it with NewGaussianNoise. ApplySample uses
// an internal generator, so a GaussianNoise must not be evaluated by two
// goroutines at once.
type GaussianNoise struct {
	f     Operator
	sigma float64
	pcg   rand.PCG
	rng   *rand.Rand
}

// gaussianNoiseStream is the second seed word of the generator that turns
// a sample ξ into the noise ε_ξ.
const gaussianNoiseStream = 0x9e3779b97f4a7c15

// NewGaussianNoise returns F observed with noise of standard deviation
// sigma ≥ 0 in every coordinate.
func NewGaussianNoise(f Operator, sigma float64) (*GaussianNoise, error) {
	if f == nil {
		return nil, ErrNoOperator
	}
	if !(sigma >= 0) || math.IsInf(sigma, 1) {
		return nil, ErrParameter{Method: "GaussianNoise", Field: "sigma", Value: sigma, Want: "finite and ≥ 0"}
	}
	g := &GaussianNoise{f: f, sigma: sigma}
	g.rng = rand.New(&g.pcg)
	return g, nil
}

// Dim implements Operator.
func (g *GaussianNoise) Dim() int { return g.f.Dim() }

// Apply sets dst = F(z), the mean.
func (g *GaussianNoise) Apply(dst, z []float64) { g.f.Apply(dst, z) }

// Draw implements StochasticOperator: a uniform 64-bit seed.
func (g *GaussianNoise) Draw(r *rand.Rand) uint64 { return r.Uint64() }

// ApplySample implements StochasticOperator: dst = F(z) + σ·ε_ξ.
func (g *GaussianNoise) ApplySample(dst, z []float64, xi uint64) {
	g.f.Apply(dst, z)
	if g.sigma == 0 {
		return
	}
	g.pcg.Seed(xi, gaussianNoiseStream)
	for i := range dst {
		dst[i] += g.sigma * g.rng.NormFloat64()
	}
}

// Unwrap returns F.
func (g *GaussianNoise) Unwrap() Operator { return g.f }

// SampleLipschitz implements SampleLipschitzer: the noise is additive, so
// every sample has F's constant (+Inf when F reports none).
func (g *GaussianNoise) SampleLipschitz() float64 {
	if l, ok := lipschitzOf(g.f); ok {
		return l
	}
	return math.Inf(1)
}

// sampleOracle is a stochastic method's access to the samples F_ξ: the
// StochasticOperator behind Solve's counting wrapper, and that wrapper, so
// that each sample evaluation is counted like an evaluation.
type sampleOracle struct {
	op StochasticOperator
	c  *counter // nil outside Solve
}

// find looks through wrappers of f for a StochasticOperator, recording
// Solve's counter on the way.
func (o *sampleOracle) find(method string, f Operator) error {
	o.op, o.c = nil, nil
	for f != nil {
		if c, ok := f.(*counter); ok {
			o.c = c
		}
		if s, ok := f.(StochasticOperator); ok {
			o.op = s
			return nil
		}
		u, ok := f.(Unwrapper[Operator])
		if !ok {
			break
		}
		f = u.Unwrap()
	}
	return fmt.Errorf("vi: %s: %w", method, ErrNotStochastic)
}

// apply sets dst = F_ξ(z) and counts it.
func (o *sampleOracle) apply(dst, z []float64, xi uint64) {
	if o.c != nil {
		o.c.n++
	}
	o.op.ApplySample(dst, z, xi)
}

// sampleLipschitzOf returns the common Lipschitz constant of the samples
// of f, looking through wrappers.
func sampleLipschitzOf(f Operator) (float64, bool) {
	for f != nil {
		if l, ok := f.(SampleLipschitzer); ok {
			return l.SampleLipschitz(), true
		}
		u, ok := f.(Unwrapper[Operator])
		if !ok {
			return 0, false
		}
		f = u.Unwrap()
	}
	return 0, false
}

// stochasticSeedStream is the second seed word of the generator a
// stochastic method builds from its Seed field.
const stochasticSeedStream = 2

// stochasticRand returns the generator a stochastic method runs with: src
// when not nil, else a fresh rand.NewPCG(1+seed, 2), so that a nil Src
// with the zero Seed is the fixed generator rand.NewPCG(1, 2).
func stochasticRand(src rand.Source, seed uint64) *rand.Rand {
	if src != nil {
		return rand.New(src)
	}
	return rand.New(rand.NewPCG(1+seed, stochasticSeedStream))
}

// scheduleAt returns the step of iteration k from s, or an ErrParameter
// naming the field when it is not finite and positive.
func scheduleAt(method, field string, s Schedule, k int) (float64, error) {
	eta := s(k)
	if !(eta > 0) || math.IsInf(eta, 1) {
		return 0, ErrParameter{Method: method, Field: field, Value: eta, Want: fmt.Sprintf("finite and > 0 (at k = %d)", k)}
	}
	return eta, nil
}
