package vi

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// spegMaps returns the recursion of SPEG with constant step ω on affine
// terms Fᵢ(z) = Mᵢ(z − z*) + rᵢ, in the state s_k = (e_k, g_{k−1}),
// e_k = x_k − z* [derived]: with sample i,
//
//	g_k     = Mᵢ(e_k − ω g_{k−1}) + rᵢ
//	e_{k+1} = (I − ωMᵢ) e_k + ω²Mᵢ g_{k−1} − ω rᵢ.
func spegMaps(ms []*mat.Dense, rs [][]float64, omega float64) []stochMap {
	n, _ := ms[0].Dims()
	maps := make([]stochMap, len(ms))
	for i, m := range ms {
		a := mat.NewDense(2*n, 2*n, nil)
		b := make([]float64, 2*n)
		for r := 0; r < n; r++ {
			for c := 0; c < n; c++ {
				a.Set(r, c, -omega*m.At(r, c))
				a.Set(r, n+c, omega*omega*m.At(r, c))
				a.Set(n+r, c, m.At(r, c))
				a.Set(n+r, n+c, -omega*m.At(r, c))
			}
			a.Set(r, r, a.At(r, r)+1)
			b[r] = -omega * rs[i][r]
			b[n+r] = rs[i][r]
		}
		maps[i] = stochMap{a: a, b: b}
	}
	return maps
}

// spegR2 adds ‖x_k − x̂_{k−1}‖² to ‖x_k − x*‖², the quantity R_k² of
// Choudhury, Gorbunov and Loizou.
func spegR2(m Method) float64 {
	s := m.(*StochasticPastExtragradient)
	d := distance(s.Current(), s.Extrapolated())
	return d * d
}

func TestStochasticPastExtragradientOneTermIsPopov(t *testing.T) {
	// With a single term SPEG is deterministic past extragradient
	// (Popov): x̂_k = Π(x_k − ωF(x̂_{k−1})), x_{k+1} = Π(x_k − ωF(x̂_k)),
	// x̂_{−1} = x_0, written out here.
	for _, tp := range []testProblem{randomBilinear(3, 2), boxAffine(), quadraticBilinear(1, 2, 0.5)} {
		t.Run(tp.name, func(t *testing.T) {
			f, err := NewFiniteSum(tp.p.F)
			require.NoError(t, err)
			const omega = 0.1
			m := &StochasticPastExtragradient{Step: omega}
			require.NoError(t, m.Init(&Problem{F: f, C: tp.p.C, Z0: tp.p.Z0}))
			n := f.Dim()
			x := append([]float64(nil), tp.p.Z0...)
			project(tp.p.C, x, x)
			xhat, fhat := make([]float64, n), make([]float64, n)
			tp.p.F.Apply(fhat, x)
			for range 50 {
				floats.AddScaledTo(xhat, x, -omega, fhat)
				project(tp.p.C, xhat, xhat)
				tp.p.F.Apply(fhat, xhat)
				floats.AddScaled(x, -omega, fhat)
				project(tp.p.C, x, x)
				require.NoError(t, m.Iterate())
				require.InDeltaSlice(t, x, m.Current(), 1e-12)
				require.InDeltaSlice(t, xhat, m.Extrapolated(), 1e-12)
			}
		})
	}
}

func TestStochasticPastExtragradientConstantStep(t *testing.T) {
	// The default constant step ω̄ = min{1/(4L), μ/(18δ)} on the finite-sum
	// game (nx = ny = 3, N = 8, seed 1, ‖x_0 − x*‖ = 10), and ω̄/4; means
	// over 20 seeds.
	g := stochNewGame(t, 3, 8, 1, 10)
	ms, rs := stochTerms(g)
	p := &Problem{F: g.f, Z0: g.z0}
	n := g.f.Dim()
	omegaBar := min(1/(4*g.f.Lipschitz()), g.mu/(18*g.delta)) // the default, with the operator's L
	const seeds, iters = 20, 8000
	r02 := math.Pow(Distance(g.z0, g.sol), 2)
	var floors [2]float64
	for si, scale := range []float64{1, 0.25} {
		omega := scale * omegaBar
		msq := stochMeanSquares(t, p, g.sol, seeds, iters, func(seed uint64) Method {
			if scale == 1 { // the default step, from Mu, Delta and the operator's L
				return &StochasticPastExtragradient{Mu: g.mu, Delta: g.delta, Seed: seed}
			}
			return &StochasticPastExtragradient{Step: omega, Seed: seed}
		}, nil)
		r2 := stochMeanSquares(t, p, g.sol, seeds, iters, func(seed uint64) Method {
			return &StochasticPastExtragradient{Step: omega, Seed: seed}
		}, spegR2)
		// Theorem (constant step): R_k² ≤ (1 − ωμ/2)^k R_0² + 24ωσ*²/μ.
		worst := 0.0
		for k, v := range r2 {
			bound := math.Pow(1-omega*g.mu/2, float64(k+1))*r02 + 24*omega*g.sig2/g.mu
			require.LessOrEqual(t, v, bound, "k = %d", k+1)
			worst = max(worst, v/bound)
		}

		// Exact figures: the stationary E‖x − x*‖² and the expected curve,
		// from the random start g_{−1} = F_j(x_0), j uniform.
		rec := stochNewRecursion(spegMaps(ms, rs, omega))
		_, s, _ := rec.stationary(t)
		exactFloor := stochTrace(s, n)
		m0 := make([]float64, 2*n)
		s2 := mat.NewDense(2*n, 2*n, nil)
		floats.SubTo(m0[:n], g.z0, g.sol)
		st := make([]float64, 2*n)
		for j := range ms {
			copy(st[:n], m0[:n])
			g.f.Term(j).Apply(st[n:], g.z0)
			floats.AddScaled(m0[n:], 1/float64(len(ms)), st[n:])
			for a := range st {
				for b := range st {
					s2.Set(a, b, s2.At(a, b)+st[a]*st[b]/float64(len(ms)))
				}
			}
		}
		hi := 20
		for hi < iters && msq[hi] > 100*exactFloor {
			hi++
		}
		require.Greater(t, hi, 60, "a linear phase to fit")
		exact := rec.meanSquaresFrom(m0, s2, n, hi)
		fit := semilogSlope(t, stochRange(20, hi), msq[20:hi])
		want := semilogSlope(t, stochRange(20, hi), exact[20:hi])
		floor := stochWindowMean(msq, iters/2, iters)
		t.Logf("ω = %.4g: R_k² at most %.3g of the bound; slope %.5f over k ∈ [21, %d] (exact curve %.5f, bound log(1 − ωμ/2) = %.5f); floor %.4g (exact %.4g, bound 24ωσ*²/μ = %.4g)",
			omega, worst, fit, hi, want, math.Log(1-omega*g.mu/2), floor, exactFloor, 24*omega*g.sig2/g.mu)
		assert.InDelta(t, want, fit, 0.1*math.Abs(want), "slope of the linear phase")
		assert.Less(t, fit, math.Log(1-omega*g.mu/2))
		assert.InDelta(t, exactFloor, floor, 0.15*exactFloor, "noise floor")
		floors[si] = floor
	}
	assert.InDelta(t, 4, floors[0]/floors[1], 1, "the floor is O(ω)")
}

func TestStochasticPastExtragradientSwitching(t *testing.T) {
	// The switching rule on the same game: ω̄ up to k* = ⌈4/(μω̄)⌉, then
	// (2k+1)/((k+1)²)·2/μ. The theorem: for K ≥ k*,
	// R_K² ≤ (k*/K)² R_0²/e² + 192σ*²/(μ²K), so O(1/K); the log–log slope
	// of the mean R_K² over 40 seeds on K ∈ [k*, 10k*] is about −1.
	g := stochNewGame(t, 3, 8, 1, 10)
	p := &Problem{F: g.f, Z0: g.z0}
	omegaBar := min(1/(4*g.f.Lipschitz()), g.mu/(18*g.delta)) // the default, with the operator's L
	kStar := int(math.Ceil(4 / (g.mu * omegaBar)))
	const seeds = 40
	iters := 10 * kStar
	r02 := math.Pow(Distance(g.z0, g.sol), 2)
	r2 := stochMeanSquares(t, p, g.sol, seeds, iters, func(seed uint64) Method {
		return &StochasticPastExtragradient{Mu: g.mu, Delta: g.delta, Decreasing: true, Seed: seed}
	}, spegR2)
	worst := 0.0
	for k := kStar; k <= iters; k++ {
		kk := float64(k)
		bound := math.Pow(float64(kStar)/kk, 2)*r02/(math.E*math.E) + 192*g.sig2/(g.mu*g.mu*kk)
		require.LessOrEqual(t, r2[k-1], bound, "K = %d", k)
		worst = max(worst, r2[k-1]/bound)
	}
	fit := slope(t, stochRange(kStar-1, iters), r2[kStar-1:])
	t.Logf("ω̄ = %.4g, k* = %d: R_K² at most %.3g of the bound; log–log slope %.3f on K ∈ [%d, %d]", omegaBar, kStar, worst, fit, kStar, iters)
	assert.Less(t, fit, -0.8)
	assert.Greater(t, fit, -1.25)

	// The same through an explicit Schedule.
	m1 := &StochasticPastExtragradient{Mu: g.mu, Delta: g.delta, Decreasing: true, Seed: 3}
	m2 := &StochasticPastExtragradient{Schedule: Switching(omegaBar, g.mu), Seed: 3}
	require.NoError(t, m1.Init(p))
	require.NoError(t, m2.Init(p))
	for range 2 * kStar {
		require.NoError(t, m1.Iterate())
		require.NoError(t, m2.Iterate())
	}
	assert.Equal(t, m1.Current(), m2.Current())
}

func BenchmarkStochasticPastExtragradient(b *testing.B) {
	g := stochNewGame(b, 3, 8, 1, 10)
	m := &StochasticPastExtragradient{}
	if err := m.Init(&Problem{F: g.f, Z0: g.z0}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Iterate(); err != nil {
			b.Fatal(err)
		}
	}
}
