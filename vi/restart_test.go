package vi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// restartRandomGame is min_{x∈Δ} max_{y∈Δ} xᵀAy with A_ij ~ U[−1, 1]
// (seeded), started from uniform play.
func restartRandomGame(m, n int, seed uint64) (*mat.Dense, testProblem) {
	rng := rand.New(rand.NewPCG(seed, 7))
	a := mat.NewDense(m, n, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, 2*rng.Float64()-1)
		}
	}
	z0 := make([]float64, m+n)
	for i := range z0[:m] {
		z0[i] = 1 / float64(m)
	}
	for j := range z0[m:] {
		z0[m+j] = 1 / float64(n)
	}
	return a, matrixGame("random-game", a, z0, nil)
}

// restartDualityGap is the duality gap of min_x max_y xᵀAy at z = (x, y),
// max_j (Aᵀx)_j − min_i (Ay)_i (ALGORITHMS.md Part I §1.5; x is the
// minimizing player, as F = (Ay, −Aᵀx) of matrixGame says), computed
// directly from A.
func restartDualityGap(a *mat.Dense, z []float64) float64 {
	m, n := a.Dims()
	x, y := z[:m], z[m:]
	minAy := math.Inf(1)
	aTx := make([]float64, n)
	for i := 0; i < m; i++ {
		row := a.RawRowView(i)
		var s float64
		for j, v := range row {
			s += v * y[j]
			aTx[j] += v * x[i]
		}
		minAy = min(minAy, s)
	}
	maxATx := math.Inf(-1)
	for _, v := range aTx {
		maxATx = max(maxATx, v)
	}
	return maxATx - minAy
}

func TestNormalizedGapUnconstrainedIsOperatorNorm(t *testing.T) {
	// max over the ball of radius r of ⟨g, z − ẑ⟩ is r‖g‖, so ρ_r = ‖F(z)‖.
	tp := randomBilinear(4, 3)
	n := tp.p.F.Dim()
	lo, hi := make([]float64, n), make([]float64, n)
	for i := range lo {
		lo[i], hi[i] = math.Inf(-1), math.Inf(1)
	}
	z := tp.p.Z0
	want := OperatorNorm(tp.p.F, z)
	require.Greater(t, want, 0.0)
	sets := []struct {
		name string
		c    Set
	}{
		{"nil", nil},
		{"reals", Reals{}},
		// These go through the projection-path search.
		{"infinite-box", Box{Lo: lo, Hi: hi}},
		{"big-ball", Ball{Center: z, Radius: 1e6}},
	}
	for _, s := range sets {
		for _, r := range []float64{1e-3, 1, 1e3} {
			got := NormalizedGap(tp.p.F, s.c, z, r)
			assert.InDelta(t, want, got, 1e-7*want, "set %s, r = %g", s.name, r)
		}
	}
}

func TestNormalizedGapBoxClosedForm(t *testing.T) {
	// z = (0.5, 0.5) in [0, 1]², F(z) = g = (1, 2), r = 0.6. The path
	// ẑ(t) = clip(z − tg) reaches ẑ₂ = 0 at t = 1/4, ẑ = (1/4, 0), at
	// distance √(1/16 + 1/4) < 0.6; then it moves along ẑ₂ = 0 until
	// (1/2 − ẑ₁)² + 1/4 = 0.36, so 1/2 − ẑ₁ = √0.11 and the gap is
	// 1·√0.11 + 2·(1/2).
	f := funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = 1, 2 }}
	box := Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}
	got := NormalizedGap(f, box, []float64{0.5, 0.5}, 0.6)
	want := (math.Sqrt(0.11) + 1) / 0.6
	assert.InDelta(t, want, got, 1e-8)
	// With a radius beyond the corner (0, 0), at distance √0.5, the gap is
	// the full linear minimum over the box: 1·0.5 + 2·0.5.
	got = NormalizedGap(f, box, []float64{0.5, 0.5}, 2)
	assert.InDelta(t, 1.5/2, got, 1e-12)
}

func TestNormalizedGapMatrixGameIsDualityGapOverR(t *testing.T) {
	// For r at least the diameter of Δ×Δ (2), the ball contains C and
	// max_{ẑ∈C} ⟨F(z), z − ẑ⟩ is the duality gap (ALGORITHMS.md §1.5-1.6).
	a, game := restartRandomGame(4, 5, 11)
	r3 := rps()
	ra := mat.NewDense(3, 3, []float64{0, -1, 1, 1, 0, -1, -1, 1, 0})
	cases := []struct {
		name string
		a    *mat.Dense
		p    *Problem
		z    []float64
	}{
		{"rps", ra, r3.p, r3.p.Z0},
		{"random-4x5-uniform", a, game.p, game.p.Z0},
		{"random-4x5-skewed", a, game.p, []float64{0.7, 0.1, 0.1, 0.1, 0, 0.5, 0.2, 0.3, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gap := restartDualityGap(c.a, c.z)
			require.Greater(t, gap, 0.01)
			for _, r := range []float64{2, 10} {
				got := NormalizedGap(c.p.F, c.p.C, c.z, r)
				assert.InDelta(t, gap/r, got, 1e-12, "r = %g", r)
			}
			// In a smaller ball the restricted gap is at most the full gap,
			// and at least its share along the segment from z to the best
			// responses ẑ* (feasible by convexity): s·gap with
			// s = r/‖ẑ* − z‖ ≥ r/2, 2 being the diameter of Δ×Δ.
			const r = 0.05
			small := NormalizedGap(c.p.F, c.p.C, c.z, r)
			assert.LessOrEqual(t, small*r, gap+1e-12)
			assert.GreaterOrEqual(t, small, gap/2-1e-12)
		})
	}
}

func TestNormalizedGapEdgeCases(t *testing.T) {
	zero := funcOp{n: 2, f: func(dst, z []float64) { clear(dst) }}
	box := Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}
	assert.Equal(t, 0.0, NormalizedGap(zero, box, []float64{0.5, 0.5}, 1))
	one := funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = 1, 1 }}
	assert.True(t, math.IsInf(NormalizedGap(one, box, []float64{0.5, 0.5}, 0), 1))
	assert.True(t, math.IsInf(NormalizedGap(one, box, []float64{0.5, 0.5}, math.NaN()), 1))
	bad := funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = math.NaN(), 1 }}
	assert.True(t, math.IsInf(NormalizedGap(bad, box, []float64{0.5, 0.5}, 1), 1))
}

// restartMethods are the restarted compositions under test: the inner
// method of the restarted run and the plain method it is compared with,
// both built from the operator's Lipschitz constant.
// restart-eg and restart-og run on five seeds; restart-aog, a heuristic
// (its anchor moves at every restart, outside AOG's theorem), on two.
var restartMethods = []struct {
	name  string
	inner func(l float64) Method
	seeds int
}{
	{"restart-eg", func(l float64) Method { return &Extragradient{Step: 0.5 / l} }, 5},
	{"restart-og", func(l float64) Method { return &OptimisticGradient{Step: 0.25 / l} }, 5},
	{"restart-aog", func(l float64) Method { return &AcceleratedOptimisticGradient{Step: 1 / (3 * l)} }, 2},
}

func TestRestartedLinearOnMatrixGames(t *testing.T) {
	// Random 100×100 games over simplices are sharp: restarted
	// extragradient converges linearly in the duality gap, plain
	// extragradient sublinearly (ALGORITHMS.md §2.10). The whole table
	// takes about 50 s; -short runs seed 1 of each.
	const eps = 1e-8
	for _, rm := range restartMethods {
		seeds := []uint64{1, 2, 3, 4, 5}[:rm.seeds]
		if testing.Short() {
			seeds = seeds[:1]
		}
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", rm.name, seed), func(t *testing.T) {
				a, game := restartRandomGame(100, 100, seed)
				l := game.p.F.(*affineOp).Lipschitz()
				stop := func(s *Snapshot) bool { return restartDualityGap(a, s.Z) <= eps }
				trace := &Trace{Measures: []Measure{{Name: "gap", Value: func(s *Snapshot) float64 { return restartDualityGap(a, s.Z) }}}}
				m := &Restarted{Method: rm.inner(l)}
				res, err := Solve(context.Background(), game.p, m, &Settings{Tol: -1, MaxIterations: -1, MaxEvaluations: 1_000_000, Stop: stop, Recorder: trace})
				require.NoError(t, err)
				require.Equal(t, Converged, res.Status)
				require.LessOrEqual(t, restartDualityGap(a, res.Z), eps)

				// log(gap) against evaluations is a line: the fit explains
				// ≥ 85% of the variance, better than a power law (log-log
				// fit), and the second half of the run decays at least
				// half as fast as the first (a sublinear rate flattens).
				var x, lx, ly []float64
				for i, g := range trace.Column("gap") {
					if g > 0 && trace.Evaluations[i] > 0 {
						x = append(x, float64(trace.Evaluations[i]))
						lx = append(lx, math.Log(float64(trace.Evaluations[i])))
						ly = append(ly, math.Log(g))
					}
				}
				c0, s := stat.LinearRegression(x, ly, nil, false)
				r2 := stat.RSquared(x, ly, nil, c0, s)
				c1, s1 := stat.LinearRegression(lx, ly, nil, false)
				r2PowerLaw := stat.RSquared(lx, ly, nil, c1, s1)
				h := len(x) / 2
				_, sFirst := stat.LinearRegression(x[:h], ly[:h], nil, false)
				_, sSecond := stat.LinearRegression(x[h:], ly[h:], nil, false)
				assert.Less(t, s, 0.0)
				assert.GreaterOrEqual(t, r2, 0.85)
				assert.Greater(t, r2, r2PowerLaw)
				assert.LessOrEqual(t, sSecond, 0.5*sFirst)

				// Plain extragradient with the same step and 10× the
				// evaluations does not reach the same gap.
				budget := 10 * res.Evaluations
				plain, err := Solve(context.Background(), game.p, rm.inner(l), &Settings{Tol: -1, MaxIterations: -1, MaxEvaluations: budget, Stop: stop})
				require.NoError(t, err)
				if plain.Status == Converged {
					assert.GreaterOrEqual(t, plain.Evaluations, budget)
				} else {
					assert.Equal(t, EvaluationLimit, plain.Status)
				}
				t.Logf("seed %d: restarted %d evaluations (%d restarts), gap %.2e; slope %.3g per evaluation, R² %.3f (power law %.3f), halves %.3g/%.3g; plain %s after %d evaluations, gap %.2e",
					seed, res.Evaluations, m.Restarts(), restartDualityGap(a, res.Z), s, r2, r2PowerLaw, sFirst, sSecond,
					plain.Status, plain.Evaluations, restartDualityGap(a, plain.Z))
			})
		}
	}
}

func TestRestartedWrapsMethods(t *testing.T) {
	// Any method can be restarted; the run must still converge to the
	// known solution, with restarts happening.
	cases := []struct {
		name string
		tp   testProblem
		m    *Restarted
	}{
		{"gda-strongly-monotone", quadraticBilinear(1, 3, 1), &Restarted{Method: &GDA{}, CheckEvery: 8}},
		{"gda-residual", quadraticBilinear(1, 3, 1), &Restarted{Method: &GDA{}, CheckEvery: 8, Criterion: RestartOnResidual}},
		{"eg-bilinear", randomBilinear(10, 1), &Restarted{Method: &Extragradient{}}},
		{"eg-bilinear-residual", randomBilinear(10, 1), &Restarted{Method: &Extragradient{}, Criterion: RestartOnResidual}},
		{"eg-rps", rps(), &Restarted{Method: &Extragradient{}, CheckEvery: 16}},
		{"eg-box", boxAffine(), &Restarted{Method: &Extragradient{}, CheckEvery: 16}},
		{"agraal-rps", rps(), &Restarted{Method: &AdaptiveGoldenRatio{}, CheckEvery: 16}},
		{"fbf-box", boxAffine(), &Restarted{Method: &ForwardBackwardForward{}, CheckEvery: 16}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Solve(context.Background(), c.tp.p, c.m, &Settings{MaxIterations: 100000})
			require.NoError(t, err)
			require.Equal(t, Converged, res.Status)
			assert.InDeltaSlice(t, c.tp.solution, res.Z, 1e-6)
			assert.Positive(t, c.m.Restarts())
		})
	}
}

func TestRestartedCountsEveryEvaluation(t *testing.T) {
	// Evaluations = Init (1) + 2 per extragradient iteration + 1 per check
	// (F at the average; F at the current iterate is known) + 1 per
	// restart (the inner Init).
	tp := rps()
	m := &Restarted{Method: &Extragradient{}, CheckEvery: 8}
	res, err := Solve(context.Background(), tp.p, m, &Settings{Tol: -1, MaxIterations: 500})
	require.NoError(t, err)
	require.Positive(t, m.Restarts())
	assert.Equal(t, 1+2*res.Iterations+m.checks+m.Restarts(), res.Evaluations)
	assert.Equal(t, 0, res.Checks, "Solve knows F at Current through the inner CurrentValuer")
}

func TestRestartedAverage(t *testing.T) {
	// Without an inner Averager the wrapper averages the inner iterates
	// since the last restart.
	tp := quadraticBilinear(1, 3, 1)
	m := &Restarted{Method: &GDA{}, CheckEvery: 1000}
	require.NoError(t, m.Init(tp.p))
	assert.Nil(t, m.Average())
	sum := make([]float64, 2)
	for k := 0; k < 3; k++ {
		require.NoError(t, m.Iterate())
		sum[0] += m.Current()[0]
		sum[1] += m.Current()[1]
	}
	assert.InDeltaSlice(t, []float64{sum[0] / 3, sum[1] / 3}, m.Average(), 1e-15)
	// With an inner Averager it is the inner average.
	eg := &Extragradient{}
	r := &Restarted{Method: eg}
	require.NoError(t, r.Init(tp.p))
	require.NoError(t, r.Iterate())
	assert.Equal(t, eg.Average(), r.Average())
}

func TestRestartedIterateAllocatesNothing(t *testing.T) {
	// CheckEvery = 2 makes restarts happen inside the measured window.
	cases := []struct {
		name string
		tp   testProblem
		m    *Restarted
	}{
		{"eg-gap", rps(), &Restarted{Method: &Extragradient{}, CheckEvery: 2}},
		{"eg-residual", rps(), &Restarted{Method: &Extragradient{}, CheckEvery: 2, Criterion: RestartOnResidual}},
		{"gda-gap-box", boxAffine(), &Restarted{Method: &GDA{}, CheckEvery: 2}},
		{"agraal-gap", rps(), &Restarted{Method: &AdaptiveGoldenRatio{}, CheckEvery: 2}},
		{"fbf-gap", boxAffine(), &Restarted{Method: &ForwardBackwardForward{}, CheckEvery: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.m.Init(c.tp.p))
			before := c.m.Restarts()
			allocs := testing.AllocsPerRun(200, func() {
				if err := c.m.Iterate(); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
			assert.GreaterOrEqual(t, c.m.Restarts()-before, 2, "the window must contain restarts")
		})
	}
}

func TestRestartedDeterministic(t *testing.T) {
	_, game := restartRandomGame(20, 30, 4)
	m := &Restarted{Method: &Extragradient{}}
	s := &Settings{Tol: -1, MaxIterations: 2000}
	r1, err := Solve(context.Background(), game.p, m, s)
	require.NoError(t, err)
	n1 := m.Restarts()
	r2, err := Solve(context.Background(), game.p, m, s)
	require.NoError(t, err)
	assert.Equal(t, r1.Z, r2.Z)
	assert.Equal(t, r1.Average, r2.Average)
	assert.Equal(t, r1.Stats.Evaluations, r2.Stats.Evaluations)
	assert.Equal(t, n1, m.Restarts())
	assert.Positive(t, n1)
}

func TestRestartedRejectsBadParameters(t *testing.T) {
	tp := rps()
	cases := []struct {
		name  string
		m     *Restarted
		field string // "" when the error is not an ErrParameter
		text  string
	}{
		{"nil-method", &Restarted{}, "", "Method is nil"},
		{"criterion", &Restarted{Method: &GDA{}, Criterion: 7}, "", "Criterion"},
		{"sufficient-big", &Restarted{Method: &GDA{}, Sufficient: 1.5}, "Sufficient", "Sufficient"},
		{"sufficient-nan", &Restarted{Method: &GDA{}, Sufficient: math.NaN()}, "Sufficient", "Sufficient"},
		{"necessary-below", &Restarted{Method: &GDA{}, Sufficient: 0.5, Necessary: 0.3}, "Necessary", "Necessary"},
		{"necessary-big", &Restarted{Method: &GDA{}, Necessary: 1.5}, "Necessary", "Necessary"},
		{"artificial", &Restarted{Method: &GDA{}, Artificial: 1.5}, "Artificial", "Artificial"},
		{"artificial-negative", &Restarted{Method: &GDA{}, Artificial: -0.1}, "Artificial", "Artificial"},
		{"check-every", &Restarted{Method: &GDA{}, CheckEvery: -1}, "CheckEvery", "CheckEvery"},
		{"inner", &Restarted{Method: &Extragradient{Step: -1}}, "Step", "Extragradient.Step"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.m.Init(tp.p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.text)
			if c.field != "" {
				var pe ErrParameter
				require.True(t, errors.As(err, &pe))
				assert.Equal(t, c.field, pe.Field)
			}
			assert.ErrorIs(t, c.m.Iterate(), errNotInit)
		})
	}
}

func BenchmarkNormalizedGap(b *testing.B) {
	_, game := restartRandomGame(100, 100, 1)
	n := game.p.F.Dim()
	z := game.p.Z0
	fz, buf := make([]float64, n), make([]float64, n)
	game.p.F.Apply(fz, z)
	b.ReportAllocs()
	for b.Loop() {
		normalizedGap(game.p.C, z, fz, 0.1, buf)
	}
}

func BenchmarkRestartedIterate(b *testing.B) {
	_, game := restartRandomGame(100, 100, 1)
	for _, c := range []struct {
		name string
		m    Method
	}{
		{"eg", &Extragradient{}},
		{"restart-eg", &Restarted{Method: &Extragradient{}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			if err := c.m.Init(game.p); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := c.m.Iterate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestRestartAutoCriterion(t *testing.T) {
	// The zero Criterion restarts on the normalized gap on bounded sets and
	// on the natural residual otherwise (ALGORITHMS.md §2.10).
	for _, c := range []struct {
		tp   testProblem
		want RestartCriterion
	}{
		{rps(), RestartOnGap}, {boxAffine(), RestartOnGap},
		{randomBilinear(5, 1), RestartOnResidual}, {quadraticBilinear(1, 3, 1), RestartOnResidual},
	} {
		m := &Restarted{Method: &Extragradient{}}
		require.NoError(t, m.Init(c.tp.p))
		assert.Equal(t, c.want, m.crit, c.tp.name)
		res, err := Solve(context.Background(), c.tp.p, m, nil)
		require.NoError(t, err)
		assert.Equal(t, Converged, res.Status, c.tp.name)
	}
}
