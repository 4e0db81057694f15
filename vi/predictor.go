package vi

import (
	"fmt"
	"math"
)

// A Predictor guesses the next gradient (operator value) from the ones seen
// so far; OptAMSGrad uses its guess m_{t+1} of F(w_{t+1}). A Predictor is
// stateful: give each method its own value.
type Predictor interface {
	// Reset forgets all history and sizes the buffers for dimension n. It
	// validates the predictor's parameters and may allocate.
	Reset(n int) error
	// Observe records the gradient g (copied; g is not kept). It must not
	// allocate.
	Observe(g []float64)
	// Predict sets dst to the guess of the next gradient. It must not
	// allocate.
	Predict(dst []float64)
}

// LastGradient predicts that the next gradient equals the last one seen,
// m_{t+1} = g_t ("Opt-1" in Wang, Li, Karimi and Li, ACML 2021, §5.1, the
// "last known gradient" of Chiang et al., COLT 2012). Before the first
// observation it predicts 0.
type LastGradient struct {
	last []float64
}

// Reset implements Predictor.
func (p *LastGradient) Reset(n int) error {
	p.last = resize(p.last, n)
	clear(p.last)
	return nil
}

// Observe implements Predictor.
func (p *LastGradient) Observe(g []float64) { copy(p.last, g) }

// Predict implements Predictor.
func (p *LastGradient) Predict(dst []float64) { copy(dst, p.last) }

// ZeroGradient predicts the zero vector, m_{t+1} = 0. With it OptAMSGrad
// does not reduce to AMSGrad: its second step still moves by
// −η β1 θ_{t−1}/√v̂_t (Wang et al., ACML 2021, §3).
type ZeroGradient struct{}

// Reset implements Predictor.
func (ZeroGradient) Reset(int) error { return nil }

// Observe implements Predictor.
func (ZeroGradient) Observe([]float64) {}

// Predict implements Predictor.
func (ZeroGradient) Predict(dst []float64) { clear(dst) }

// Defaults of RMPE (Wang, Li, Karimi and Li, ACML 2021: r = 5 in all deep
// experiments, λ = 10⁻³ in the toy example).
const (
	DefaultRMPEWindow = 5
	DefaultRMPELambda = 1e-3
)

// RMPE is regularized minimal polynomial extrapolation of the gradient
// sequence (D. Scieur, A. d'Aspremont and F. Bach, "Regularized nonlinear
// acceleration", NeurIPS 2016; as Algorithm 4 of Wang, Li, Karimi and Li,
// ACML 2021, §5.1). It treats the gradients as a linear fixed-point
// iteration g_t − g* = A(g_{t−1} − g*) + e_t and predicts its limit g*:
//
//	x_0, …, x_r = g_{t−r}, …, g_t                 (the last r+1, oldest first)
//	U = [x_1 − x_0, …, x_r − x_{r−1}] ∈ R^{n×r}
//	(UᵀU + λI) z = 1,   c = z/Σᵢzᵢ
//	m_{t+1} = Σ_{i=0}^{r−1} cᵢ xᵢ
//
// Index choice: the paper's box lists r inputs but builds r differences
// (r+1 vectors), and pairs cᵢ with the older vector of each difference
// (m_t = Σ cᵢ g_{t−r+i}); this implementation keeps r+1 gradients and uses
// that pairing. λ is absolute, as in the paper (not scaled by ‖U‖²).
//
// Exactness: if the sequence is exactly linear and the minimal polynomial
// of A with respect to x_0 − g* has degree d, with 1 not a root, then some c
// with Σcᵢ = 1 has Uc = 0 exactly when r ≥ d + 1, and Σ cᵢ xᵢ = g*. As
// λ → 0 the solve above picks that c, so the prediction tends to g*; for
// λ > 0 it is off by O(λ). With r ≤ d no such c exists.
//
// Warm-up (not specified by the paper): until r+1 gradients have been
// observed, and whenever the r×r system is numerically singular (its
// Cholesky factorization fails or Σzᵢ is 0 or not finite), it predicts the
// last gradient, like LastGradient.
//
// Cost per prediction: O(r²n + r³), no allocation; the r×r system is solved
// by a Cholesky factorization in storage sized by Reset.
type RMPE struct {
	R      int     // window r ≥ 1: r differences of the last r+1 gradients; 0: 5
	Lambda float64 // regularization λ ≥ 0; 0: 10⁻³

	r      int
	lambda float64
	n      int
	xs     []float64 // ring of r+1 gradients, slot j at xs[j*n:(j+1)*n]
	ds     []float64 // ring of r differences, slot j at ds[j*n:(j+1)*n]
	newest int       // slot of the newest gradient in xs
	newD   int       // slot of the newest difference in ds
	count  int       // gradients observed
	gram   []float64 // r×r, row-major; overwritten by its Cholesky factor
	z      []float64 // r
}

// Reset implements Predictor. It rejects R < 0 and a negative or
// non-finite Lambda.
func (p *RMPE) Reset(n int) error {
	if p.R < 0 {
		return ErrParameter{Method: "RMPE", Field: "R", Value: float64(p.R), Want: "≥ 1 (0: default 5)"}
	}
	if err := checkNonNegative("RMPE", "Lambda", p.Lambda); err != nil {
		return err
	}
	if n < 1 {
		return fmt.Errorf("vi: RMPE: dimension %d, want ≥ 1", n)
	}
	p.r, p.lambda = p.R, p.Lambda
	if p.r == 0 {
		p.r = DefaultRMPEWindow
	}
	if p.lambda == 0 {
		p.lambda = DefaultRMPELambda
	}
	p.n = n
	p.xs = resize(p.xs, (p.r+1)*n)
	p.ds = resize(p.ds, p.r*n)
	p.gram = resize(p.gram, p.r*p.r)
	p.z = resize(p.z, p.r)
	p.newest, p.newD, p.count = 0, 0, 0
	return nil
}

// x returns the i-th stored gradient in chronological order (0 = oldest of
// the window).
func (p *RMPE) x(i int) []float64 {
	j := (p.newest + 1 + i) % (p.r + 1)
	return p.xs[j*p.n : (j+1)*p.n]
}

// d returns the i-th difference x_{i+1} − x_i in chronological order.
func (p *RMPE) d(i int) []float64 {
	j := (p.newD + 1 + i) % p.r
	return p.ds[j*p.n : (j+1)*p.n]
}

// Observe implements Predictor.
func (p *RMPE) Observe(g []float64) {
	if len(g) != p.n {
		panic(fmt.Sprintf("vi: RMPE.Observe: len(g) = %d, want %d", len(g), p.n))
	}
	prev := p.xs[p.newest*p.n : (p.newest+1)*p.n]
	next := (p.newest + 1) % (p.r + 1)
	if p.count > 0 {
		p.newD = (p.newD + 1) % p.r
		dst := p.ds[p.newD*p.n : (p.newD+1)*p.n]
		for k, v := range g {
			dst[k] = v - prev[k]
		}
	}
	copy(p.xs[next*p.n:(next+1)*p.n], g)
	p.newest = next
	p.count++
}

// Predict implements Predictor.
func (p *RMPE) Predict(dst []float64) {
	if p.count == 0 {
		clear(dst)
		return
	}
	last := p.xs[p.newest*p.n : (p.newest+1)*p.n]
	if p.count < p.r+1 || !p.coefficients() {
		copy(dst, last)
		return
	}
	clear(dst)
	for i := 0; i < p.r; i++ {
		c := p.z[i]
		for k, v := range p.x(i) {
			dst[k] += c * v
		}
	}
}

// coefficients solves (UᵀU + λI) z = 1 and normalizes z to sum 1, in p.z.
// It reports false when the system is numerically singular.
func (p *RMPE) coefficients() bool {
	r := p.r
	for i := 0; i < r; i++ {
		di := p.d(i)
		for j := 0; j <= i; j++ {
			dj := p.d(j)
			var s float64
			for k, v := range di {
				s += v * dj[k]
			}
			p.gram[i*r+j] = s
		}
		p.gram[i*r+i] += p.lambda
	}
	if !choleskyInPlace(p.gram, r) {
		return false
	}
	for i := range p.z {
		p.z[i] = 1
	}
	choleskySolveInPlace(p.gram, r, p.z)
	var sum float64
	for _, v := range p.z {
		sum += v
	}
	if sum == 0 || !finite(sum) {
		return false
	}
	for i := range p.z {
		p.z[i] /= sum
	}
	return allFinite(p.z)
}

// choleskyInPlace overwrites the lower triangle of the symmetric r×r
// row-major matrix a with L, a = LLᵀ, reading only the lower triangle. It
// reports false when a pivot is not positive and finite.
func choleskyInPlace(a []float64, r int) bool {
	for j := 0; j < r; j++ {
		s := a[j*r+j]
		for k := 0; k < j; k++ {
			s -= a[j*r+k] * a[j*r+k]
		}
		if !(s > 0) || math.IsInf(s, 1) {
			return false
		}
		ljj := math.Sqrt(s)
		a[j*r+j] = ljj
		for i := j + 1; i < r; i++ {
			s := a[i*r+j]
			for k := 0; k < j; k++ {
				s -= a[i*r+k] * a[j*r+k]
			}
			a[i*r+j] = s / ljj
		}
	}
	return true
}

// choleskySolveInPlace overwrites b with the solution of LLᵀx = b, L the
// lower triangle of the r×r row-major a.
func choleskySolveInPlace(a []float64, r int, b []float64) {
	for i := 0; i < r; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= a[i*r+k] * b[k]
		}
		b[i] = s / a[i*r+i]
	}
	for i := r - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < r; k++ {
			s -= a[k*r+i] * b[k]
		}
		b[i] = s / a[i*r+i]
	}
}
