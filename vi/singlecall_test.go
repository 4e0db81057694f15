package vi

import (
	"fmt"
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Unconstrained, with matched starts, past extragradient, optimistic
// gradient and reflected gradient generate the same extrapolated points w_k
// (ALGORITHMS.md §2.4): PEG and OG both start from w_{−1} = z_0, and RG
// matches them with z_{−1} = z_0 + ηF(z_0), which gives w_0 = z_0 − ηF(z_0)
// and then w_k = z_k − ηF(w_{k−1}) for all k. All three follow the OGDA
// recursion w_{k+1} = w_k − 2ηF(w_k) + ηF(w_{k−1}).
func TestSingleCallMethodsShareExtrapolatedPoints(t *testing.T) {
	const n = 10
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			p := fomRandomAffine(n, seed)
			eta := 0.2 / p.F.(*affineOp).l
			og := &OptimisticGradient{Step: eta}
			peg := &PastExtragradient{Step: eta}
			rg := &ReflectedGradient{Step: eta}
			require.NoError(t, og.Init(p))
			require.NoError(t, peg.Init(p))
			require.NoError(t, rg.Init(p))
			f0 := make([]float64, n)
			p.F.Apply(f0, p.Z0)
			axpyTo(rg.prev, p.Z0, eta, f0) // z_{−1} = z_0 + ηF(z_0)

			ws := [][]float64{p.Z0} // w_{−1}, w_0, …
			fs := [][]float64{f0}
			for k := range 20 {
				require.NoError(t, og.Iterate())
				require.NoError(t, peg.Iterate())
				require.NoError(t, rg.Iterate())
				w := append([]float64(nil), og.Current()...)
				assert.InDeltaSlice(t, w, peg.w, 1e-12, "PEG, k = %d", k)
				assert.InDeltaSlice(t, w, rg.w, 1e-12, "RG, k = %d", k)
				if k >= 1 {
					j := len(ws) - 1 // w_{k−1}
					want := make([]float64, n)
					for i := range want {
						want[i] = ws[j][i] - 2*eta*fs[j][i] + eta*fs[j-1][i]
					}
					assert.InDeltaSlice(t, want, w, 1e-12, "OGDA recursion, k = %d", k)
				}
				f := make([]float64, n)
				p.F.Apply(f, w)
				ws, fs = append(ws, w), append(fs, f)
			}
		})
	}
}

// Forward-reflected-backward with a constant step is optimistic gradient
// written in w alone: x_{k+1} = w_k, with or without constraints (both
// start from x_{−1} = w_{−1} = z_0).
func TestForwardReflectedBackwardIsOptimisticGradient(t *testing.T) {
	for _, tp := range []testProblem{{name: "affine", p: fomRandomAffine(10, 4)}, boxAffine(), rps()} {
		t.Run(tp.name, func(t *testing.T) {
			eta := 0.3 / tp.p.F.(*affineOp).l
			frb := &ForwardReflectedBackward{Step: eta}
			og := &OptimisticGradient{Step: eta}
			require.NoError(t, frb.Init(tp.p))
			require.NoError(t, og.Init(tp.p))
			for k := range 50 {
				require.NoError(t, frb.Iterate())
				require.NoError(t, og.Iterate())
				require.InDeltaSlice(t, og.Current(), frb.Current(), 1e-12, "k = %d", k)
				fo, _ := og.CurrentValue()
				ff, _ := frb.CurrentValue()
				require.InDeltaSlice(t, fo, ff, 1e-12)
			}
		})
	}
}

// On f = xy every extragradient step multiplies the distance to the
// solution by √(1 − η² + η⁴) (ALGORITHMS.md Part II B1).
func TestExtragradientFactorOnBilinear(t *testing.T) {
	for _, eta := range []float64{0.2, 0.5, 0.9} {
		m := &Extragradient{Step: eta}
		require.NoError(t, m.Init(xyGame().p))
		prev := norm(m.Current())
		for range 30 {
			require.NoError(t, m.Iterate())
			r := norm(m.Current())
			assert.InDelta(t, math.Sqrt(1-eta*eta+math.Pow(eta, 4)), r/prev, 1e-12, "η = %v", eta)
			prev = r
		}
	}
}

// singleCallRate fits log r_k = a + s·k over the iterations whose residual
// lies in [lo, hi] and returns s and the R² of the fit. The window sits
// low enough that the slowest singular mode dominates the residual.
func singleCallRate(t *testing.T, res []float64, lo, hi float64) (float64, float64) {
	t.Helper()
	var xs, ys []float64
	for k, r := range res {
		if r >= lo && r <= hi {
			xs = append(xs, float64(k+1))
			ys = append(ys, math.Log(r))
		}
	}
	require.Greater(t, len(xs), 100, "too few points in the fitting window")
	a, s := stat.LinearRegression(xs, ys, nil, false)
	return s, stat.RSquared(xs, ys, nil, a, s)
}

// On an unconstrained bilinear game with a full-rank coupling,
// extragradient and optimistic gradient converge linearly, at the rate of
// the smallest singular value s of the coupling: the per-step factor is
// √(1 − η²s² + η⁴s⁴) for EG and the modulus of the larger root of
// μ² − (1 − 2iηs)μ − iηs = 0 for OG (ALGORITHMS.md Part II B1).
func TestSingleCallLinearRateOnBilinear(t *testing.T) {
	tp := randomBilinear(20, 230)
	op := tp.p.F.(*affineOp)
	var svd mat.SVD
	require.True(t, svd.Factorize(op.m, mat.SVDNone))
	sv := svd.Values(nil)
	s := sv[len(sv)-1]
	ogFactor := func(e float64) float64 {
		b := -(1 - 2i*complex(e, 0))
		c := -1i * complex(e, 0)
		d := cmplx.Sqrt(b*b - 4*c)
		return max(cmplx.Abs((-b+d)/2), cmplx.Abs((-b-d)/2))
	}
	cases := []struct {
		name  string
		m     Method
		eta   float64
		iters int
		want  func(es float64) float64
	}{
		{"eg", &Extragradient{}, 0.5 / op.l, 3000, func(es float64) float64 { return math.Sqrt(1 - es*es + es*es*es*es) }},
		{"og", &OptimisticGradient{Step: 0.45 / op.l}, 0.45 / op.l, 3000, ogFactor},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := residualTrace(t, tp.p, c.m, c.iters)
			last := res[len(res)-1]
			assert.Less(t, last, 1e-10*res[0], "the residual drops by more than 10 orders")
			slope, r2 := singleCallRate(t, res, 1e-14, 1e-8)
			want := math.Log(c.want(c.eta * s))
			t.Logf("fitted slope %.4g, predicted %.4g, R² %.6f, residual %.3g → %.3g", slope, want, r2, res[0], last)
			assert.Less(t, slope, 0.0)
			assert.InDelta(t, want, slope, 0.01*math.Abs(want), "slope within 1%% of the slowest singular value's factor")
			assert.Greater(t, r2, 0.999)
		})
	}
}
