package games

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// competitiveDistances runs m on p for iters iterations and returns
// ‖z_k − sol‖ for k = 0, …, iters.
func competitiveDistances(t *testing.T, p *vi.Problem, m vi.Method, sol []float64, iters int) []float64 {
	t.Helper()
	require.NoError(t, m.Init(p))
	out := make([]float64, iters+1)
	out[0] = floats.Distance(m.Current(), sol, 2)
	for k := 1; k <= iters; k++ {
		require.NoError(t, m.Iterate())
		out[k] = floats.Distance(m.Current(), sol, 2)
	}
	return out
}

func TestCGDBilinearXYIterationMatrix(t *testing.T) {
	// f = xy: one CGD step is (1/(1 + η²))·[[1, −η], [η, 1]], the proximal
	// point step, with spectral radius 1/√(1 + η²) for every η
	// (ALGORITHMS.md Part II A1, B1); simultaneous GDA multiplies the
	// distance by √(1 + η²).
	for _, eta := range []float64{0.05, 0.2, 1, 3, 20} {
		want := mat.NewDense(2, 2, []float64{1, -eta, eta, 1})
		want.Scale(1/(1+eta*eta), want)
		got := mat.NewDense(2, 2, nil)
		for j := 0; j < 2; j++ {
			e := []float64{0, 0}
			e[j] = 1
			m := &CGD{Step: eta}
			require.NoError(t, m.Init(&vi.Problem{F: competitiveXY(1), Z0: e}))
			require.NoError(t, m.Iterate())
			got.SetCol(j, m.Current())
		}
		assert.True(t, mat.EqualApprox(want, got, 1e-15), "η = %v: got %v", eta, mat.Formatted(got))
		var eig mat.Eigen
		require.True(t, eig.Factorize(got, mat.EigenNone))
		rate := 1 / math.Sqrt(1+eta*eta)
		for _, v := range eig.Values(nil) {
			assert.InDelta(t, rate, math.Hypot(real(v), imag(v)), 1e-14, "η = %v", eta)
		}

		p := &vi.Problem{F: competitiveXY(1), Z0: []float64{1, 1}}
		cgd := competitiveDistances(t, p, &CGD{Step: eta}, []float64{0, 0}, 20)
		gda := competitiveDistances(t, p, &vi.GDA{Step: eta}, []float64{0, 0}, 20)
		for k := 1; k <= 20; k++ {
			assert.InDelta(t, rate, cgd[k]/cgd[k-1], 1e-12, "CGD, η = %v, k = %d", eta, k)
			assert.InDelta(t, math.Sqrt(1+eta*eta), gda[k]/gda[k-1], 1e-12, "GDA, η = %v, k = %d", eta, k)
		}
	}
}

func TestCGDBilinearKnownValue(t *testing.T) {
	// ALGORITHMS.md Part II B1: s = 1, η = 0.2, 200 steps from (1, 1) end
	// at ‖z‖ = 0.0280015 = √2·1.04^{−100}.
	d := competitiveDistances(t, &vi.Problem{F: competitiveXY(1), Z0: []float64{1, 1}}, &CGD{Step: 0.2}, []float64{0, 0}, 200)
	assert.InDelta(t, 0.0280015, d[200], 5e-8)
	assert.InDelta(t, math.Sqrt2*math.Pow(1.04, -100), d[200], 1e-15)
}

func TestCGDRandomBilinearConvergesForEveryStep(t *testing.T) {
	// min_x max_y xᵀAy + bᵀx + cᵀy, n = 20, A = I + G/(2‖G‖): CGD contracts
	// each singular direction by 1/√(1 + η²s²), so the distance to the
	// solution decays at 1/√(1 + η²σ_min²) per step whatever η, and never
	// faster than that bound (the iteration matrix is normal). GDA
	// diverges with the same steps.
	toy, err := Bilinear(20, 11)
	require.NoError(t, err)
	a, _ := toy.Problem.F.(vi.AffineOperator).Affine()
	var svd mat.SVD
	require.True(t, svd.Factorize(a.(*mat.Dense).Slice(0, 20, 20, 40), mat.SVDNone))
	sv := svd.Values(nil)
	smin := sv[len(sv)-1]
	for _, tc := range []struct {
		eta          float64
		iters, ratio int // run length; iteration whose ratio is compared
	}{{0.3, 100, 0}, {1, 140, 40}, {3, 30, 20}, {10, 14, 12}} {
		rate := 1 / math.Sqrt(1+tc.eta*tc.eta*smin*smin)
		m := &CGD{Step: tc.eta}
		d := competitiveDistances(t, toy.Problem, m, toy.Solution, tc.iters)
		for k := 1; k <= tc.iters; k++ {
			assert.LessOrEqual(t, d[k], d[0]*math.Pow(rate, float64(k))*(1+1e-8)+1e-13, "η = %v, k = %d", tc.eta, k)
		}
		assert.Zero(t, m.Work().Unconverged)
		if tc.ratio > 0 {
			// The slowest direction dominates once the others have
			// decayed: the ratio is the predicted rate.
			assert.InDelta(t, rate, d[tc.ratio]/d[tc.ratio-1], 5e-4, "η = %v", tc.eta)
			assert.Less(t, d[tc.iters], 1e-8*d[0])
		}

		gda := competitiveDistances(t, toy.Problem, &vi.GDA{Step: tc.eta}, toy.Solution, 10)
		assert.Greater(t, gda[10], 1.5*gda[0], "GDA with η = %v spirals out", tc.eta)
	}
}

func TestCGDQuadraticBilinearFactor(t *testing.T) {
	// (a/2)x² + bxy − (a/2)y²: CGD contracts by |1 − ηa|/√(1 + η²b²)
	// (derived in the CGD doc comment), < 1 iff η < 2a/(a² − b²) when
	// a > |b|: a = 2, b = −1 diverges beyond η = 4/3.
	toy, err := QuadraticBilinear(2, -1, 2)
	require.NoError(t, err)
	for _, eta := range []float64{0.1, 0.5, 1, 1.3, 1.4, 3} {
		d := competitiveDistances(t, toy.Problem, &CGD{Step: eta, Split: toy.Split}, toy.Solution, 15)
		want := math.Abs(1-2*eta) / math.Sqrt(1+eta*eta)
		for k := 1; k <= 15; k++ {
			if d[k-1] < 1e-200 {
				break
			}
			assert.InDelta(t, want, d[k]/d[k-1], 1e-12, "η = %v, k = %d", eta, k)
		}
		assert.Equal(t, eta < 4.0/3, want < 1, "η = %v", eta)
	}
	// η = 1/2 solves it in one step.
	d := competitiveDistances(t, toy.Problem, &CGD{Step: 0.5, Split: 1}, toy.Solution, 1)
	assert.Less(t, d[1], 1e-16)
}

func TestCGDDiracGANLocalRate(t *testing.T) {
	// At the equilibrium of the unpenalized Dirac-GAN, JF = [[0, 1/2],
	// [−1/2, 0]] (ALGORITHMS.md Part II B3): locally a bilinear game with
	// s = 1/2, so CGD converges for its default step 1/L and the distance
	// ratio tends to 1/√(1 + η²/4).
	toy, err := DiracGAN(0)
	require.NoError(t, err)
	m := &CGD{}
	r, err := vi.Solve(context.Background(), toy.Problem, m, &vi.Settings{Tol: 1e-10, MaxIterations: 1000})
	require.NoError(t, err)
	assert.Equal(t, vi.Converged, r.Status)
	assert.InDeltaSlice(t, toy.Solution, r.Z, 1e-9)
	eta := 1 / toy.L
	d := competitiveDistances(t, toy.Problem, m, toy.Solution, 300)
	assert.InDelta(t, 1/math.Sqrt(1+eta*eta/4), d[300]/d[299], 1e-4)
}

func TestCGDForsakenLimitCycle(t *testing.T) {
	// Forsaken (ALGORITHMS.md Part II B5.1) lies outside every theory; like
	// extragradient, CGD at its default step is attracted to the limit
	// cycle around z* instead of z*.
	toy := Forsaken()
	r, err := vi.Solve(context.Background(), toy.Problem, &CGD{}, &vi.Settings{MaxIterations: 3000})
	require.NoError(t, err)
	assert.Equal(t, vi.IterationLimit, r.Status)
	assert.Greater(t, floats.Distance(r.Z, toy.Solution, 2), 0.5)
	assert.Greater(t, r.Residual, 0.1)
}

func TestCGDCountsUnderSolve(t *testing.T) {
	// Dirac-GAN on its box: Init evaluates and projects once, each
	// iteration evaluates and projects once; the Hessian-vector products
	// are 2 + 2k per iteration (k = 1: exact 1×1 solves).
	toy, err := DiracGAN(0.3)
	require.NoError(t, err)
	m := &CGD{}
	r, err := vi.Solve(context.Background(), toy.Problem, m, &vi.Settings{MaxIterations: 25, Tol: -1})
	require.NoError(t, err)
	assert.Equal(t, 25, r.Iterations)
	assert.Equal(t, 1+25, r.Evaluations)
	assert.Equal(t, 1+25, r.Projections)
	assert.Zero(t, r.Checks, "F at the iterate is known")
	w := m.Work()
	assert.Equal(t, CompetitiveWork{HessianProducts: 4 * 25, LinearSolves: 25, SolverIterations: 25}, w)

	// n = 20 bilinear, unconstrained: no projections, 2 + 2k products.
	bil, err := Bilinear(20, 4)
	require.NoError(t, err)
	m = &CGD{Step: 2}
	r, err = vi.Solve(context.Background(), bil.Problem, m, &vi.Settings{MaxIterations: 10, Tol: -1})
	require.NoError(t, err)
	assert.Equal(t, 11, r.Evaluations)
	assert.Zero(t, r.Projections)
	w = m.Work()
	assert.Equal(t, 2*10+2*w.SolverIterations, w.HessianProducts)
	assert.Greater(t, w.SolverIterations, 10, "conjugate gradient needs several iterations on 20×20")
}

func TestCGDErrors(t *testing.T) {
	p := &vi.Problem{F: competitiveXY(1)}
	for _, tc := range []struct {
		name string
		m    *CGD
		want string
	}{
		{"negative step", &CGD{Step: -1}, "vi: CGD.Step = -1, want finite and ≥ 0"},
		{"NaN L", &CGD{L: math.NaN()}, "vi: CGD.L = NaN, want finite and ≥ 0"},
		{"negative tolerance", &CGD{Tol: -1e-3}, "vi: CGD.Tol = -0.001, want finite and ≥ 0"},
		{"tolerance ≥ 1", &CGD{Tol: 1}, "vi: CGD.Tol = 1, want < 1 (a relative residual; 0: 1e-10)"},
		{"negative cap", &CGD{MaxInner: -2}, "vi: CGD.MaxInner = -2, want ≥ 0 (0: twice the system's dimension plus 10)"},
		{"negative split", &CGD{Split: -1}, "vi: CGD.Split = -1, want ≥ 0 (0: from the operator)"},
		{"wrong split", &CGD{Split: 2}, "games: CGD: Split = 2, but the operator games.MixedFunc has 1 x coordinates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Init(p)
			require.Error(t, err)
			assert.EqualError(t, err, tc.want)
			var pe vi.ErrParameter
			if errors.As(err, &pe) {
				assert.Equal(t, "CGD", pe.Method)
			}
			assert.ErrorIs(t, tc.m.Iterate(), errCompetitiveNotInit)
		})
	}
	// No step and no Lipschitz constant.
	f := competitiveX2Y()
	assert.ErrorIs(t, (&CGD{}).Init(&vi.Problem{F: f}), vi.ErrNoStep)
	assert.ErrorIs(t, (&CGD{}).Init(&vi.Problem{}), vi.ErrNoOperator)
	assert.NoError(t, (&CGD{L: 2}).Init(&vi.Problem{F: f}))
}

func TestCGDIterateAllocatesNothing(t *testing.T) {
	bil, err := Bilinear(20, 3)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		p    *vi.Problem
		m    *CGD
	}{
		{"bilinear 20+20, conjugate gradient", bil.Problem, &CGD{Step: 1}},
		{"general-sum affine 4+3, BiCGSTAB", &vi.Problem{F: competitiveAffineGame(t, 4, 3, false, 9)}, &CGD{Step: 0.05, Split: 4}},
		{"polar on its box", Polar().Problem, &CGD{}},
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

func BenchmarkCompetitiveCGDBilinear(b *testing.B) {
	for _, n := range []int{20, 200} {
		toy, err := Bilinear(n, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(map[int]string{20: "n=20", 200: "n=200"}[n], func(b *testing.B) {
			m := &CGD{Step: 1}
			if err := m.Init(toy.Problem); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Iterate(); err != nil {
					b.Fatal(err)
				}
			}
			w := m.Work()
			b.ReportMetric(float64(w.HessianProducts)/float64(w.LinearSolves), "hvp/iter")
		})
	}
}

func TestCGDMatrixGamesProjected(t *testing.T) {
	// Projected onto the strategy simplices (no theory; the CGO notebooks'
	// clipping), the three methods reach the known interior equilibria of
	// rock-paper-scissors (uniform) and biased RPS ((1, 10, 5)/16).
	for _, g := range []struct {
		name string
		g    *MatrixGame
		eq   []float64
	}{
		{"rps", RPS(), []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{"biased-rps", BiasedRPS(), []float64{1.0 / 16, 10.0 / 16, 5.0 / 16}},
	} {
		for _, m := range []vi.Method{&CGD{}, &CGO{Step: 0.5 / g.g.Operator().Lipschitz()}, &OptimisticCGO{}} {
			r, err := vi.Solve(context.Background(), g.g.Problem(), m, &vi.Settings{MaxIterations: 2000})
			require.NoError(t, err)
			assert.Equal(t, vi.Converged, r.Status, "%s %T", g.name, m)
			x, y := g.g.Split(r.Z)
			assert.InDeltaSlice(t, g.eq, x, 1e-7, "%s %T", g.name, m)
			assert.InDeltaSlice(t, g.eq, y, 1e-7, "%s %T", g.name, m)
			assert.Less(t, g.g.DualityGap(x, y), 1e-7)
		}
	}
}
