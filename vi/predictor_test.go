package vi

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// predictorLinearSequence returns count gradients of the exactly linear
// sequence g_t − g* = A(g_{t−1} − g*) with g_0 − g* = e. A is a
// contraction with spectral radius 1/√2: a rotation-scaling block
// (eigenvalues 0.5 ± 0.5i) and −0.4, so with a generic e the minimal
// polynomial of A with respect to e has degree 3.
func predictorLinearSequence(gstar []float64, count int) [][]float64 {
	a := [3][3]float64{{0.5, -0.5, 0}, {0.5, 0.5, 0}, {0, 0, -0.4}}
	e := []float64{3, 1, -1}
	out := make([][]float64, count)
	for t := range out {
		g := make([]float64, 3)
		for i := range g {
			g[i] = gstar[i] + e[i]
		}
		out[t] = g
		var next [3]float64
		for i := range next {
			for j := range e {
				next[i] += a[i][j] * e[j]
			}
		}
		e = next[:]
	}
	return out
}

func predictorRMPEPredict(t *testing.T, r int, lambda float64, seq [][]float64) []float64 {
	t.Helper()
	p := &RMPE{R: r, Lambda: lambda}
	require.NoError(t, p.Reset(len(seq[0])))
	for _, g := range seq {
		p.Observe(g)
	}
	m := make([]float64, len(seq[0]))
	p.Predict(m)
	return m
}

// TestRMPEExactOnLinearSequence checks what Algorithm 4 of Wang et al.
// yields on an exactly linear gradient sequence whose minimal polynomial
// has degree d = 3. Derivation: with x_i − g* = Aⁱ(x_0 − g*),
// Uc = (A − I) Σ cᵢ(xᵢ − g*), so Uc = 0 and Σcᵢ = 1 give
// Σ cᵢ xᵢ = g* exactly; such c exists iff the polynomial Σ cᵢ λⁱ of
// degree r − 1 can annihilate x_0 − g*, i.e. iff r ≥ d + 1 = 4. As λ → 0
// the solve of (UᵀU + λI)z = 1 picks that c, and the error of the
// prediction is proportional to λ. Asserted:
//   - r ≥ 4 and λ = 10⁻¹⁴‖U‖²_F: ‖m − g*‖ ≤ 10⁻¹⁰, also after the window
//     has wrapped around its ring buffer;
//   - the error is linear in λ: log-log slope 1 ± 0.01 over λ ∈ [10⁻¹⁰, 10⁻⁶];
//   - the paper's λ = 10⁻³ leaves an error above 10⁻⁴;
//   - r = 3 = d cannot extrapolate: error above 0.1 for every λ.
func TestRMPEExactOnLinearSequence(t *testing.T) {
	gstar := []float64{1, -2, 0.5}
	for _, r := range []int{4, 5, 6} {
		for _, count := range []int{r + 1, r + 8} {
			seq := predictorLinearSequence(gstar, count)
			var u2 float64 // ‖U‖²_F of the last r differences
			for k := count - r; k < count; k++ {
				u2 += math.Pow(distance(seq[k], seq[k-1]), 2)
			}
			m := predictorRMPEPredict(t, r, 1e-14*u2, seq)
			err := distance(m, gstar)
			assert.LessOrEqual(t, err, 1e-10, "r = %d after %d gradients", r, count)
			t.Logf("r = %d, %d gradients, λ = %.2g: prediction error %.3g", r, count, 1e-14*u2, err)
		}
	}

	seq := predictorLinearSequence(gstar, 5)
	lambdas := []float64{1e-10, 1e-9, 1e-8, 1e-7, 1e-6}
	errs := make([]float64, len(lambdas))
	for i, l := range lambdas {
		errs[i] = distance(predictorRMPEPredict(t, 4, l, seq), gstar)
	}
	assert.InDelta(t, 1, slope(t, lambdas, errs), 0.01, "error ∝ λ")

	def := distance(predictorRMPEPredict(t, 4, 0, seq), gstar) // λ = 10⁻³
	assert.Greater(t, def, 1e-4, "the default λ biases the prediction")

	short := predictorLinearSequence(gstar, 4)
	for _, l := range []float64{1e-3, 1e-8, 1e-13} {
		assert.Greater(t, distance(predictorRMPEPredict(t, 3, l, short), gstar), 0.1, "r = 3, λ = %g", l)
	}
}

// TestRMPEWarmUpAndFallbacks checks the documented behaviour outside the
// extrapolation regime: 0 before any gradient, the last gradient until r+1
// have been seen and when the system is singular, and the exact value on
// a constant sequence (U = 0, so c is uniform).
func TestRMPEWarmUpAndFallbacks(t *testing.T) {
	p := &RMPE{} // r = 5, λ = 10⁻³
	require.NoError(t, p.Reset(2))
	m := []float64{7, 7}
	p.Predict(m)
	assert.Equal(t, []float64{0, 0}, m, "no history")
	for k := 1; k <= 5; k++ {
		g := []float64{float64(k), -float64(k * k)}
		p.Observe(g)
		p.Predict(m)
		assert.Equal(t, g, m, "warm-up, %d gradients", k)
	}

	c := &RMPE{R: 3}
	require.NoError(t, c.Reset(2))
	for range 6 {
		c.Observe([]float64{0.25, -3})
	}
	c.Predict(m)
	assert.InDeltaSlice(t, []float64{0.25, -3}, m, 1e-15, "constant sequence")

	// An exactly singular system: the scalar sequence 1, 2, 3 has
	// U = [1, 1], UᵀU = [[1, 1], [1, 1]], and λ = 10⁻³⁰⁰ vanishes beside
	// it in floating point, so the Cholesky factorization meets a zero
	// pivot and the prediction falls back to the last gradient.
	s := &RMPE{R: 2, Lambda: 1e-300}
	require.NoError(t, s.Reset(1))
	for _, v := range []float64{1, 2, 3} {
		s.Observe([]float64{v})
	}
	one := []float64{math.NaN()}
	s.Predict(one)
	assert.Equal(t, []float64{3}, one)
}

// TestSimplePredictors checks LastGradient and ZeroGradient.
func TestSimplePredictors(t *testing.T) {
	var last LastGradient
	require.NoError(t, last.Reset(3))
	m := []float64{1, 1, 1}
	last.Predict(m)
	assert.Equal(t, []float64{0, 0, 0}, m)
	g := []float64{1, -2, 3}
	last.Observe(g)
	g[0] = 100 // the predictor keeps a copy
	last.Predict(m)
	assert.Equal(t, []float64{1, -2, 3}, m)

	var zero ZeroGradient
	require.NoError(t, zero.Reset(3))
	zero.Observe(g)
	zero.Predict(m)
	assert.Equal(t, []float64{0, 0, 0}, m)
}

// TestPredictorsDoNotAllocate checks Observe and Predict for zero
// allocations, RMPE past its warm-up.
func TestPredictorsDoNotAllocate(t *testing.T) {
	seq := predictorLinearSequence([]float64{1, 2, 3}, 40)
	preds := map[string]Predictor{"last": &LastGradient{}, "zero": ZeroGradient{}, "rmpe": &RMPE{}}
	for name, p := range preds {
		require.NoError(t, p.Reset(3))
		m := make([]float64, 3)
		k := 0
		allocs := testing.AllocsPerRun(30, func() {
			p.Observe(seq[k%len(seq)])
			p.Predict(m)
			k++
		})
		assert.Zero(t, allocs, name)
	}
}
