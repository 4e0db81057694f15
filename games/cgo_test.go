package games

import (
	"context"
	"math"
	"math/cmplx"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
)

func TestCGOBilinearKnownValues(t *testing.T) {
	// ALGORITHMS.md Part II A2: on f = xy (s = 1), α = 1, 200 steps from
	// (1, 1) end at these norms; each step contracts by
	// √((1 + (α − η)²)/(1 + α²)), so CGO converges iff η < 2α.
	for _, tc := range []struct {
		eta, want float64
	}{{0.5, 5.48e-21}, {1, 1.12e-30}, {1.9, 6.54e-5}, {2.1, 3.07e4}} {
		d := competitiveDistances(t, &vi.Problem{F: competitiveXY(1), Z0: []float64{1, 1}}, &CGO{Step: tc.eta, Alpha: 1}, []float64{0, 0}, 200)
		assert.InDelta(t, 1, d[200]/tc.want, 5e-3, "η = %v: ‖z_200‖ = %v", tc.eta, d[200])
		rate := math.Sqrt((1 + (1-tc.eta)*(1-tc.eta)) / 2)
		for k := 1; k <= 200; k++ {
			assert.InDelta(t, rate, d[k]/d[k-1], 1e-12, "η = %v, k = %d", tc.eta, k)
		}
	}
}

func TestCGOQuadraticBilinearFactors(t *testing.T) {
	// The CGO notebook's f = (k/2)(x² − y²) − xy with k = 2, i.e. the
	// quadratic-bilinear game a = c = 2, b = −1 (ALGORITHMS.md Part II
	// B4.3). Every matrix of one step is a polynomial in the rotation J,
	// so each step scales the distance to 0 by exactly |μ| with
	// δ = (a + ib)/(1 + iαb):
	//	CGO:  μ = 1 − ηδ           = ((1 − ηa) + i(α − η)b)/(1 + iαb)
	//	oCGO: μ = 1 − ηδ + η²δ².
	toy, err := QuadraticBilinear(2, -1, 2)
	require.NoError(t, err)
	a, b := 2.0, -1.0
	for _, tc := range []struct{ eta, alpha float64 }{
		{0.1, 0.1}, {0.1, 1}, {0.1, 5}, {0.3, 2}, {0.6, 0.2}, {1, 3}, {1.5, 0.5},
	} {
		delta := complex(a, b) / complex(1, tc.alpha*b)
		eta := complex(tc.eta, 0)
		cgo := cmplx.Abs(1 - eta*delta)
		ocgo := cmplx.Abs(1 - eta*delta + eta*eta*delta*delta)
		assert.InDelta(t, math.Sqrt((1-tc.eta*a)*(1-tc.eta*a)+(tc.alpha-tc.eta)*(tc.alpha-tc.eta)*b*b)/math.Sqrt(1+tc.alpha*tc.alpha*b*b), cgo, 1e-15)
		for _, m := range []struct {
			name string
			m    vi.Method
			rate float64
		}{
			{"CGO", &CGO{Step: tc.eta, Alpha: tc.alpha, Split: 1}, cgo},
			{"OptimisticCGO", &OptimisticCGO{Step: tc.eta, Alpha: tc.alpha, Split: 1}, ocgo},
		} {
			d := competitiveDistances(t, toy.Problem, m.m, toy.Solution, 20)
			for k := 1; k <= 20; k++ {
				assert.InDelta(t, m.rate, d[k]/d[k-1], 1e-12, "%s η = %v, α = %v, k = %d", m.name, tc.eta, tc.alpha, k)
			}
		}
	}
}

func TestOptimisticCGOBilinearFactor(t *testing.T) {
	// f = xy, s = 1: δ = i/(1 + iα), one oCGO step scales by
	// |1 − ηδ + η²δ²|. With η = α = 1, δ = (1 + i)/2 and the factor is 1/2.
	for _, tc := range []struct{ eta, alpha float64 }{{1, 1}, {0.2, 0.2}, {0.5, 2}, {2, 0.5}} {
		delta := complex(0, 1) / complex(1, tc.alpha)
		eta := complex(tc.eta, 0)
		rate := cmplx.Abs(1 - eta*delta + eta*eta*delta*delta)
		d := competitiveDistances(t, &vi.Problem{F: competitiveXY(1), Z0: []float64{1, -2}}, &OptimisticCGO{Step: tc.eta, Alpha: tc.alpha}, []float64{0, 0}, 30)
		for k := 1; k <= 30; k++ {
			assert.InDelta(t, rate, d[k]/d[k-1], 1e-12, "η = %v, α = %v, k = %d", tc.eta, tc.alpha, k)
		}
	}
	d := competitiveDistances(t, &vi.Problem{F: competitiveXY(1), Z0: []float64{1, 1}}, &OptimisticCGO{Step: 1, Alpha: 1}, []float64{0, 0}, 1)
	assert.InDelta(t, 0.5, d[1]/d[0], 1e-15)
}

func TestCGOReducesToCGDAndGDA(t *testing.T) {
	// α = η is CGD (ALGORITHMS.md Part II A2): the same iterates, bit for
	// bit. α → 0 is simultaneous GDA.
	toy, err := Bilinear(6, 8)
	require.NoError(t, err)
	cgo, cgd := &CGO{Step: 0.7, Alpha: 0.7}, &CGD{Step: 0.7}
	require.NoError(t, cgo.Init(toy.Problem))
	require.NoError(t, cgd.Init(toy.Problem))
	for k := 0; k < 20; k++ {
		require.NoError(t, cgo.Iterate())
		require.NoError(t, cgd.Iterate())
		require.Equal(t, cgd.Current(), cgo.Current(), "k = %d", k)
	}
	assert.Equal(t, cgd.Work(), cgo.Work())

	cgo, gda := &CGO{Step: 0.1, Alpha: 1e-12}, &vi.GDA{Step: 0.1}
	require.NoError(t, cgo.Init(toy.Problem))
	require.NoError(t, gda.Init(toy.Problem))
	for k := 0; k < 20; k++ {
		require.NoError(t, cgo.Iterate())
		require.NoError(t, gda.Iterate())
	}
	assert.InDeltaSlice(t, gda.Current(), cgo.Current(), 1e-10)
}

func TestCGOAlphaCoherentExample(t *testing.T) {
	// f = x²y + xy on x ≥ −1/3 (ALGORITHMS.md Part II B5.4, the authors'
	// "α-MVI but not weak-MVI" notebook): the saddle point (0, 0) violates
	// the Minty condition (α = 0) but the α-coherence expression
	// x²y + α(x²(x + 1)(2x + 1) + y²(2x + 1)²) is ≥ 0 on the whole set iff
	// α ≥ 3/(2√2) ≈ 1.0607 (derived here: the binding edge is x = −1/3,
	// where it is (αy² + y + 2α/9)/9, ≥ 0 for all y iff 1 − 8α²/9 ≤ 0).
	h := competitiveX2YXY()
	zs := []float64{0, 0}
	for _, tc := range []struct {
		alpha    float64
		coherent bool
	}{{0, false}, {0.5, false}, {1.05, false}, {3 / (2 * math.Sqrt2) * 1.001, true}, {2, true}} {
		worst := math.Inf(1)
		for i := 0; i <= 300; i++ {
			for j := 0; j <= 300; j++ {
				z := []float64{-1.0/3 + 3*float64(i)/300, -3 + 6*float64(j)/300}
				v := competitiveCoherence(h, z, zs, tc.alpha)
				// The closed form the notebook states.
				x, y := z[0], z[1]
				require.InDelta(t, x*x*y+tc.alpha*(x*x*(x+1)*(2*x+1)+y*y*(2*x+1)*(2*x+1)), v, 1e-12)
				worst = min(worst, v)
			}
		}
		if tc.coherent {
			assert.GreaterOrEqual(t, worst, -1e-12, "α = %v", tc.alpha)
		} else {
			assert.Less(t, worst, -1e-6, "α = %v", tc.alpha)
		}
	}

	// The notebook's run: start (−0.25, 0.5), η = 0.1, clipping to x ≥ −1/3.
	// GDA does not converge; CGO and oCGO with α ≥ 1 reach (0, 0). There
	// JF = [[0, 1], [−1, 0]]: locally f = xy, so the last ratios are A2's
	// bilinear factor √((1 + (α − η)²)/(1 + α²)) (oCGO: |1 − ηδ + η²δ²|).
	set := vi.Box{Lo: []float64{-1.0 / 3, math.Inf(-1)}, Hi: []float64{math.Inf(1), math.Inf(1)}}
	p := &vi.Problem{F: h, C: set, Z0: []float64{-0.25, 0.5}}
	r, err := vi.Solve(context.Background(), p, &vi.GDA{Step: 0.1}, &vi.Settings{MaxIterations: 3000})
	require.NoError(t, err)
	assert.NotEqual(t, vi.Converged, r.Status)
	assert.Greater(t, r.Residual, 0.05)
	for _, alpha := range []float64{1, 2} {
		delta := complex(0, 1) / complex(1, alpha)
		for _, tc := range []struct {
			name string
			m    vi.Method
			rate float64
		}{
			{"CGO", &CGO{Step: 0.1, Alpha: alpha}, math.Sqrt((1 + (alpha-0.1)*(alpha-0.1)) / (1 + alpha*alpha))},
			{"OptimisticCGO", &OptimisticCGO{Step: 0.1, Alpha: alpha}, cmplx.Abs(1 - 0.1*delta + 0.01*delta*delta)},
		} {
			r, err := vi.Solve(context.Background(), p, tc.m, &vi.Settings{MaxIterations: 3000, Tol: 1e-10})
			require.NoError(t, err)
			assert.Equal(t, vi.Converged, r.Status, "%s α = %v", tc.name, alpha)
			assert.InDeltaSlice(t, zs, r.Z, 1e-9)
			d := competitiveDistances(t, p, tc.m, zs, r.Iterations)
			k := r.Iterations
			assert.InDelta(t, tc.rate, d[k]/d[k-1], 1e-3, "%s α = %v", tc.name, alpha)
		}
	}
}

func TestCGODegenerateSaddle(t *testing.T) {
	// f = x²y (B5.4): the stationary points are the line x = 0 and the
	// Minty condition fails at z* = 0; the region where the α-coherence
	// expression x²y + 2α(x⁴ + 2x²y²) is negative shrinks as α grows (the
	// authors' "shrinking region" notebook). CGO and oCGO reach the line,
	// at some y > 0 (the y-player, maximizing x²y, keeps y ≥ 0 stable).
	h := competitiveX2Y()
	zs := []float64{0, 0}
	prev := math.MaxInt
	for _, alpha := range []float64{0, 0.5, 2, 8} {
		bad := competitiveViolations(h, zs, alpha, -1, 1, 400)
		assert.Less(t, bad, prev, "α = %v", alpha)
		assert.Positive(t, bad, "α = %v: the region shrinks but does not vanish", alpha)
		prev = bad
	}
	for _, z0 := range [][]float64{{1, 1}, {1, -1}, {-0.5, -0.5}} {
		for _, m := range []vi.Method{&CGO{Step: 0.1, Alpha: 1}, &OptimisticCGO{Step: 0.1, Alpha: 1}} {
			r, err := vi.Solve(context.Background(), &vi.Problem{F: h, Z0: z0}, m, &vi.Settings{MaxIterations: 3000, Tol: 1e-10})
			require.NoError(t, err)
			assert.Equal(t, vi.Converged, r.Status, "%T from %v", m, z0)
			assert.InDelta(t, 0, r.Z[0], 1e-9)
			assert.Greater(t, r.Z[1], 0.1)
		}
	}
}

func TestCGOVanishingIncoherentRegion(t *testing.T) {
	// f = (x − 1/2)(y − 1/2) + (1/3)e^{−(x−1/4)² − (y−3/4)²} (B5.4): its
	// stationary point (by Newton's method below) violates the Minty
	// condition on about half of [−1, 2]², the region shrinks as α grows
	// and has vanished at α = 1. GDA (η = 0.1) spirals out; CGO and oCGO
	// with α = 1 converge to it.
	h := competitiveVanishing()
	zs := []float64{0.4, 0.6}
	fz := make([]float64, 2)
	for k := 0; k < 30; k++ {
		h.Apply(fz, zs)
		j := competitiveOffDiagonal(h, zs) // plus the diagonal by differences
		const e = 1e-7
		f1, f2 := make([]float64, 2), make([]float64, 2)
		h.Apply(f1, []float64{zs[0] + e, zs[1]})
		h.Apply(f2, []float64{zs[0], zs[1] + e})
		a, dd := (f1[0]-fz[0])/e, (f2[1]-fz[1])/e
		b, c := j.At(0, 1), j.At(1, 0)
		det := a*dd - b*c
		zs[0] -= (dd*fz[0] - b*fz[1]) / det
		zs[1] -= (a*fz[1] - c*fz[0]) / det
	}
	h.Apply(fz, zs)
	require.Less(t, floats.Norm(fz, 2), 1e-14)
	assert.InDeltaSlice(t, []float64{0.4027878, 0.5972122}, zs, 1e-7)

	counts := []int{}
	for _, alpha := range []float64{0, 0.25, 0.5, 1, 4} {
		counts = append(counts, competitiveViolations(h, zs, alpha, -1, 2, 300))
	}
	assert.Greater(t, counts[0], 300*300/3)
	for i := 1; i < len(counts); i++ {
		assert.True(t, counts[i] < counts[i-1] || counts[i] == 0, "counts %v", counts)
	}
	assert.Zero(t, counts[3], "α = 1")

	p := &vi.Problem{F: h, Z0: []float64{1, 1}}
	r, err := vi.Solve(context.Background(), p, &vi.GDA{Step: 0.1}, &vi.Settings{MaxIterations: 3000})
	require.NoError(t, err)
	assert.NotEqual(t, vi.Converged, r.Status)
	assert.Greater(t, floats.Distance(r.Z, zs, 2), 10.0)
	for _, m := range []vi.Method{&CGO{Step: 0.1, Alpha: 1}, &OptimisticCGO{Step: 0.1, Alpha: 1}} {
		r, err := vi.Solve(context.Background(), p, m, &vi.Settings{MaxIterations: 3000, Tol: 1e-10})
		require.NoError(t, err)
		assert.Equal(t, vi.Converged, r.Status, "%T", m)
		assert.InDeltaSlice(t, zs, r.Z, 1e-9)
	}
}

func TestOptimisticCGOCountsUnderSolve(t *testing.T) {
	// Init: 1 evaluation, 1 projection; each iteration: 2 evaluations, 2
	// projections, 2 linear solves (exact 1×1: 4 products each).
	toy, err := DiracGAN(0)
	require.NoError(t, err)
	m := &OptimisticCGO{}
	r, err := vi.Solve(context.Background(), toy.Problem, m, &vi.Settings{MaxIterations: 30, Tol: -1})
	require.NoError(t, err)
	assert.Equal(t, 1+2*30, r.Evaluations)
	assert.Equal(t, 1+2*30, r.Projections)
	assert.Zero(t, r.Checks)
	assert.Equal(t, CompetitiveWork{HessianProducts: 2 * 4 * 30, LinearSolves: 60, SolverIterations: 60}, m.Work())

	c := &CGO{}
	r, err = vi.Solve(context.Background(), toy.Problem, c, &vi.Settings{MaxIterations: 30, Tol: -1})
	require.NoError(t, err)
	assert.Equal(t, 1+30, r.Evaluations)
	assert.Equal(t, 1+30, r.Projections)
	assert.Equal(t, CompetitiveWork{HessianProducts: 4 * 30, LinearSolves: 30, SolverIterations: 30}, c.Work())
}

func TestCGODefaults(t *testing.T) {
	// Step and α default to 1/L; with only a Step and no L, α = η.
	toy, err := Bilinear(3, 1)
	require.NoError(t, err)
	c := &CGO{}
	require.NoError(t, c.Init(toy.Problem))
	assert.InDelta(t, 1/toy.L, c.eta, 1e-15)
	assert.InDelta(t, 1/toy.L, c.alpha, 1e-15)
	c = &CGO{Step: 0.01}
	require.NoError(t, c.Init(toy.Problem))
	assert.Equal(t, 0.01, c.eta)
	assert.InDelta(t, 1/toy.L, c.alpha, 1e-15, "α stays at the interaction scale 1/L")
	o := &OptimisticCGO{Step: 0.3}
	require.NoError(t, o.Init(&vi.Problem{F: competitiveX2Y(), Z0: []float64{1, 1}}))
	assert.Equal(t, 0.3, o.alpha)
}

func TestCGOErrors(t *testing.T) {
	p := &vi.Problem{F: competitiveXY(1)}
	for _, tc := range []struct {
		name string
		m    vi.Method
		want string
	}{
		{"negative alpha", &CGO{Alpha: -1}, "vi: CGO.Alpha = -1, want finite and ≥ 0"},
		{"infinite alpha", &OptimisticCGO{Alpha: math.Inf(1)}, "vi: OptimisticCGO.Alpha = +Inf, want finite and ≥ 0"},
		{"negative step", &OptimisticCGO{Step: -0.1}, "vi: OptimisticCGO.Step = -0.1, want finite and ≥ 0"},
		{"negative cap", &CGO{MaxInner: -1}, "vi: CGO.MaxInner = -1, want ≥ 0 (0: twice the system's dimension plus 10)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.EqualError(t, tc.m.Init(p), tc.want)
			assert.ErrorIs(t, tc.m.Iterate(), errCompetitiveNotInit)
		})
	}
	assert.ErrorIs(t, (&OptimisticCGO{}).Init(&vi.Problem{F: competitiveX2Y()}), vi.ErrNoStep)
	qb, err := QuadraticBilinear(1, 1, 1)
	require.NoError(t, err)
	assert.EqualError(t, (&OptimisticCGO{}).Init(qb.Problem), "games: OptimisticCGO: the affine operator *monotone.Affine does not say where y starts: set Split to the number of x coordinates")
}

func TestCGOIterateAllocatesNothing(t *testing.T) {
	bil, err := Bilinear(20, 3)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		p    *vi.Problem
		m    vi.Method
	}{
		{"CGO bilinear 20+20", bil.Problem, &CGO{Step: 1, Alpha: 2}},
		{"OptimisticCGO bilinear 20+20", bil.Problem, &OptimisticCGO{Step: 1, Alpha: 2}},
		{"CGO general-sum affine 3+5", &vi.Problem{F: competitiveAffineGame(t, 3, 5, false, 1)}, &CGO{Step: 0.05, Split: 3}},
		{"OptimisticCGO Dirac-GAN on its box", func() *vi.Problem { d, _ := DiracGAN(0); return d.Problem }(), &OptimisticCGO{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, tc.m.Init(tc.p))
			allocs := testing.AllocsPerRun(100, func() {
				if err := tc.m.Iterate(); err != nil {
					panic(err)
				}
			})
			assert.Zero(t, allocs)
		})
	}
}
