package vi

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// segMaps returns the error recursion of stochastic extragradient with
// constant steps γ1, γ2 on affine terms Fᵢ(z) = Mᵢ(z − z*) + rᵢ [derived]:
//
//	S-SEG (sample i):          e' = (I − γ2Mᵢ + γ1γ2Mᵢ²) e − γ2 rᵢ + γ1γ2 Mᵢ rᵢ
//	I-SEG (samples i, then j): e' = (I − γ2Mⱼ + γ1γ2MⱼMᵢ) e − γ2 rⱼ + γ1γ2 Mⱼ rᵢ
func segMaps(ms []*mat.Dense, rs [][]float64, g1, g2 float64, independent bool) []stochMap {
	n, _ := ms[0].Dims()
	one := func(i, j int) stochMap {
		a := mat.NewDense(n, n, nil)
		a.Mul(ms[j], ms[i])
		a.Scale(g1*g2, a)
		var mj mat.Dense
		mj.Scale(-g2, ms[j])
		a.Add(a, &mj)
		for k := 0; k < n; k++ {
			a.Set(k, k, a.At(k, k)+1)
		}
		b := make([]float64, n)
		mat.NewVecDense(n, b).MulVec(ms[j], mat.NewVecDense(n, rs[i]))
		floats.Scale(g1*g2, b)
		floats.AddScaled(b, -g2, rs[j])
		return stochMap{a: a, b: b}
	}
	var maps []stochMap
	for i := range ms {
		if !independent {
			maps = append(maps, one(i, i))
			continue
		}
		for j := range ms {
			maps = append(maps, one(i, j))
		}
	}
	return maps
}

func TestStochasticExtragradientOneTermIsExtragradient(t *testing.T) {
	// With a single term every sample is F itself: S-SEG and I-SEG with
	// Ratio 1 are deterministic extragradient.
	for _, tp := range []testProblem{randomBilinear(3, 1), boxAffine(), quadraticBilinear(1, 2, 0.5)} {
		for _, independent := range []bool{false, true} {
			t.Run(tp.name, func(t *testing.T) {
				f, err := NewFiniteSum(tp.p.F)
				require.NoError(t, err)
				sp := &Problem{F: f, C: tp.p.C, Z0: tp.p.Z0}
				seg := &StochasticExtragradient{Step: 0.2, Ratio: 1, Independent: independent}
				eg := &Extragradient{Step: 0.2}
				require.NoError(t, seg.Init(sp))
				require.NoError(t, eg.Init(tp.p))
				for range 50 {
					require.NoError(t, seg.Iterate())
					require.NoError(t, eg.Iterate())
					require.InDeltaSlice(t, eg.Current(), seg.Current(), 1e-12)
				}
			})
		}
	}
}

func TestStochasticExtragradientConstantStep(t *testing.T) {
	// Constant steps on the finite-sum game (nx = ny = 3, N = 8, seed 1,
	// ‖z_0 − z*‖ = 10): E‖z_k − z*‖² falls linearly, then levels off at a
	// noise floor proportional to the step. The figures the mean over 20
	// seeds is held to are exact for this affine problem (stochStationary):
	// the mean-square contraction factor and the stationary E‖z − z*‖².
	g := stochNewGame(t, 3, 8, 1, 10)
	ms, rs := stochTerms(g)
	p := &Problem{F: g.f, Z0: g.z0}
	n := g.f.Dim()
	gamma := 1 / (6 * g.lMax) // the S-SEG default
	// GBGL's contraction at the default steps (authors' code): 1 − μ̄/(48 L_max).
	rhoTheory := g.muBar / (48 * g.lMax)
	const seeds, iters = 20, 6000
	for _, c := range []struct {
		name        string
		independent bool
	}{{"S-SEG", false}, {"I-SEG", true}} {
		t.Run(c.name, func(t *testing.T) {
			var floors [2]float64
			for si, scale := range []float64{1, 0.25} {
				g1 := scale * gamma
				rec := stochNewRecursion(segMaps(ms, rs, g1, g1/4, c.independent))
				_, s, rate := rec.stationary(t)
				exactFloor := stochTrace(s, n)
				msq := stochMeanSquares(t, p, g.sol, seeds, iters, func(seed uint64) Method {
					return &StochasticExtragradient{Step: g1, Independent: c.independent, Seed: seed}
				}, nil)
				// Linear phase: from k = 20 while the mean is above 100 times
				// the floor. The exact expected curve gives the slope to expect
				// on that window (faster than the asymptotic rate while the
				// faster modes have not died out).
				hi := 20
				for hi < iters && msq[hi] > 100*exactFloor {
					hi++
				}
				require.Greater(t, hi, 60, "a linear phase to fit")
				e0 := make([]float64, n)
				floats.SubTo(e0, g.z0, g.sol)
				exact := rec.meanSquares(e0, n, hi)
				fit := semilogSlope(t, stochRange(20, hi), msq[20:hi])
				want := semilogSlope(t, stochRange(20, hi), exact[20:hi])
				floor := stochWindowMean(msq, iters/2, iters)
				t.Logf("step %.4g: slope %.5f over k ∈ [21, %d] (exact curve %.5f, asymptotic %.5f, GBGL bound log(1−ρ) = %.5f); floor %.4g (exact %.4g)",
					g1, fit, hi, want, math.Log(rate), math.Log(1-scale*rhoTheory), floor, exactFloor)
				assert.InDelta(t, want, fit, 0.1*math.Abs(want), "slope of the linear phase")
				if !c.independent {
					assert.Less(t, fit, math.Log(1-scale*rhoTheory), "at least the rate of the theory")
				}
				assert.InDelta(t, exactFloor, floor, 0.15*exactFloor, "noise floor")
				floors[si] = floor
			}
			assert.InDelta(t, 4, floors[0]/floors[1], 1, "the floor is O(γ): a step 4 times smaller, a floor about 4 times lower")
		})
	}
}

func TestStochasticExtragradientDecreasing(t *testing.T) {
	// The decreasing schedule of the authors' experiments for S-SEG, a
	// horizon K = 40000 > 1/ρ: constant γ1 = 1/(6 L_max) up to K/2, then
	// γ1·2/(2 + ρ(k − K/2)) with ρ = μ̄/(48 L_max). The constant step's
	// noise floor is passed, and E‖z_k − z*‖² keeps falling like the step.
	g := stochNewGame(t, 3, 8, 1, 10)
	ms, rs := stochTerms(g)
	p := &Problem{F: g.f, Z0: g.z0}
	gamma := 1 / (6 * g.lMax)
	rho := g.muBar / (48 * g.lMax)
	const seeds, k = 10, 40000
	k0 := k / 2
	_, s, _ := stochStationary(t, segMaps(ms, rs, gamma, gamma/4, false))
	constFloor := stochTrace(s, g.f.Dim())
	msq := stochMeanSquares(t, p, g.sol, seeds, k, func(seed uint64) Method {
		return &StochasticExtragradient{Schedule: DecayAfter(gamma, k0, rho), Seed: seed}
	}, nil)
	end := stochWindowMean(msq, k-1000, k)
	// Over the decay, fit against k − k0 in its second half.
	x := make([]float64, 0, k/4)
	y := make([]float64, 0, k/4)
	for i := k0 + k/4; i < k; i += 50 {
		x = append(x, float64(i+1-k0))
		y = append(y, stochWindowMean(msq, i, i+50))
	}
	fit := slope(t, x, y)
	t.Logf("constant-step floor %.4g, E‖z_K − z*‖² %.4g, log–log slope in k − K/2 %.3f", constFloor, end, fit)
	assert.Less(t, end, constFloor/10)
	assert.Less(t, fit, -0.6, "the step decays like 1/(k − K/2); E‖z_k − z*‖² follows with a lag")
}

func TestStochasticExtragradientSameVersusIndependent(t *testing.T) {
	// F = ½(F₊ + F₋), F_± = μI ± sJ with J the rotation by π/2: every term
	// is μ-strongly monotone, Lipschitz with √(μ² + s²), and zero at the
	// solution 0. With the S-SEG steps γ1 = 1/(6 L_max), γ2 = γ1/4, the
	// same-sample map contracts in mean square and independent samples
	// expand it: F₋F₊ = (μ² + s²)I has no rotation left to damp.
	const mu, s = 0.1, 10.0
	plus := newAffineOp(mat.NewDense(2, 2, []float64{mu, s, -s, mu}), nil)
	minus := newAffineOp(mat.NewDense(2, 2, []float64{mu, -s, s, mu}), nil)
	f, err := NewFiniteSum(plus, minus)
	require.NoError(t, err)
	g1 := 1 / (6 * f.SampleLipschitz())
	zero := [][]float64{{0, 0}, {0, 0}}
	_, _, rateSame := stochStationary(t, segMaps([]*mat.Dense{plus.m, minus.m}, zero, g1, g1/4, false))
	_, _, rateInd := stochStationary(t, segMaps([]*mat.Dense{plus.m, minus.m}, zero, g1, g1/4, true))
	t.Logf("mean-square factor per step: same sample %.6f, independent %.6f", rateSame, rateInd)
	require.Less(t, rateSame, 1.0)
	require.Greater(t, rateInd, 1.0)

	p := &Problem{F: f, Z0: []float64{1, 1}}
	const iters = 3000
	for _, c := range []struct {
		independent bool
		rate        float64
	}{{false, rateSame}, {true, rateInd}} {
		msq := stochMeanSquares(t, p, []float64{0, 0}, 20, iters, func(seed uint64) Method {
			return &StochasticExtragradient{Step: g1, Independent: c.independent, Seed: seed}
		}, nil)
		// E‖z_k‖² follows rate^k exactly (no noise at the solution): compare
		// logs at the end, within 10% of the predicted log.
		want := iters * math.Log(c.rate)
		got := math.Log(msq[iters-1] / 2)
		t.Logf("independent=%v: log E‖z_K‖²/‖z_0‖² = %.2f, predicted %.2f", c.independent, got, want)
		assert.InDelta(t, want, got, 0.1*math.Abs(want))
	}
	// Solve says so (the growth is slow: a blow-up threshold of 10⁴).
	set := &Settings{MaxIterations: 100000, Blowup: 1e4}
	r, err := Solve(context.Background(), p, &StochasticExtragradient{Step: g1}, set)
	require.NoError(t, err)
	assert.Equal(t, Converged, r.Status)
	r, err = Solve(context.Background(), p, &StochasticExtragradient{Step: g1, Independent: true}, set)
	require.NoError(t, err)
	assert.Equal(t, Diverged, r.Status)
	assert.True(t, allFinite(r.Z))
}

func BenchmarkStochasticExtragradient(b *testing.B) {
	g := stochNewGame(b, 3, 8, 1, 10)
	for _, independent := range []bool{false, true} {
		name := "same"
		if independent {
			name = "independent"
		}
		b.Run(name, func(b *testing.B) {
			m := &StochasticExtragradient{Independent: independent}
			if err := m.Init(&Problem{F: g.f, Z0: g.z0}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Iterate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
