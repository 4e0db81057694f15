package vi

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// Shared cases for the first-order methods of altgda.go, egplus.go,
// optimistic.go, popov.go, reflected.go, frb.go, proximal.go and
// linesearch.go: convergence on problems their theory covers, exact
// evaluation and projection counts, zero allocations, bad input.

// fomCounts predicts Stats from a finished run: evaluations and
// projections made by the method, and Solve's check evaluations.
type fomCounts func(m Method, p *Problem, r *Result) (evals, projs, checks int)

// fomFixed returns the counts of a method with a fixed cost: init + per·k
// evaluations, projections likewise (none without a set), and checks
// evaluations by Solve (checkInit at the start, checkPer per iteration).
func fomFixed(evalInit, evalPer, projInit, projPer, checkInit, checkPer int) fomCounts {
	return func(_ Method, p *Problem, r *Result) (int, int, int) {
		k := r.Iterations
		proj := 0
		if p.C != nil {
			proj = projInit + projPer*k
		}
		return evalInit + evalPer*k, proj, checkInit + checkPer*k
	}
}

// fomMethod is a method under test, its counts, and which problems its
// theory covers.
type fomMethod struct {
	name     string
	make     func(p testProblem) Method
	counts   fomCounts
	problems []string
}

func fomMethods() []fomMethod {
	all := []string{"bilinear-230", "bilinear-47", "quadratic-bilinear", "box-affine", "rps"}
	return []fomMethod{
		{
			name: "alt-gda",
			make: func(p testProblem) Method {
				if p.name == "quadratic-bilinear" {
					return &AltGDA{Split: 1}
				}
				return &AltGDA{Split: 2}
			},
			counts:   fomFixed(1, 2, 1, 1, 0, 0),
			problems: []string{"quadratic-bilinear", "box-affine"}, // strongly monotone; it cycles on bilinear games
		},
		{
			name:     "eg+",
			make:     func(testProblem) Method { return &ExtragradientPlus{} },
			counts:   fomFixed(1, 2, 1, 2, 0, 0),
			problems: []string{"bilinear-230", "bilinear-47", "quadratic-bilinear"}, // the theory is unconstrained
		},
		{
			name:     "og",
			make:     func(testProblem) Method { return &OptimisticGradient{} },
			counts:   fomFixed(1, 1, 1, 1, 0, 0),
			problems: all,
		},
		{
			name:     "past-eg",
			make:     func(testProblem) Method { return &PastExtragradient{} },
			counts:   fomFixed(1, 1, 1, 2, 0, 1),
			problems: all,
		},
		{
			name:     "reflected",
			make:     func(testProblem) Method { return &ReflectedGradient{} },
			counts:   fomFixed(0, 1, 1, 1, 1, 1),
			problems: all, // affine operators are defined outside C
		},
		{
			name:     "frb",
			make:     func(testProblem) Method { return &ForwardReflectedBackward{} },
			counts:   fomFixed(1, 1, 1, 1, 0, 0),
			problems: all,
		},
		{
			name: "pp",
			make: func(testProblem) Method { return &ProximalPoint{} },
			counts: func(m Method, p *Problem, r *Result) (int, int, int) {
				pp := m.(*ProximalPoint)
				if pp.Exact() {
					return 1, 0, 0
				}
				proj := 0
				if p.C != nil {
					proj = 1 + pp.InnerSteps() + r.Iterations
				}
				return 1 + pp.InnerSteps(), proj, 0
			},
			problems: all,
		},
		{
			name: "eg-ls",
			make: func(testProblem) Method { return &ExtragradientLineSearch{} },
			counts: func(m Method, p *Problem, r *Result) (int, int, int) {
				n := 1 + 2*r.Iterations + m.(*ExtragradientLineSearch).Backtracks()
				if p.C == nil {
					return n, 0, 0
				}
				return n, n, 0
			},
			problems: all,
		},
	}
}

// fomProblem returns the named test problem.
func fomProblem(t *testing.T, name string) testProblem {
	t.Helper()
	switch name {
	case "bilinear-230":
		return randomBilinear(20, 230)
	case "bilinear-47":
		return randomBilinear(20, 47)
	case "quadratic-bilinear":
		return quadraticBilinear(1, 3, 1)
	case "box-affine":
		return boxAffine()
	case "rps":
		return rps()
	}
	t.Fatalf("unknown problem %q", name)
	return testProblem{}
}

// fomDistanceTol is the distance to the solution a run to natural
// residual 1e-8 must reach: the residual divided by the problem's
// conditioning, with a margin (smallest singular value of the coupling
// ≈ 0.12 for the two bilinear seeds).
var fomDistanceTol = map[string]float64{
	"bilinear-230":       1e-6,
	"bilinear-47":        1e-6,
	"quadratic-bilinear": 1e-7,
	"box-affine":         1e-7,
	"rps":                1e-6,
}

// The seeds 230 and 47 are the two of the first 300 whose 20×20 coupling
// is best conditioned (σ_min/σ_max ≈ 0.07 and 0.06), so that the linear
// rates of the last iterates finish in a fraction of a second.
func TestFirstOrderMethodsConverge(t *testing.T) {
	for _, fm := range fomMethods() {
		for _, pname := range fm.problems {
			t.Run(fm.name+"/"+pname, func(t *testing.T) {
				tp := fomProblem(t, pname)
				z0 := slices.Clone(tp.p.Z0)
				m := fm.make(tp)
				res, err := Solve(context.Background(), tp.p, m, &Settings{Tol: 1e-8, MaxIterations: 400000})
				require.NoError(t, err)
				require.Equal(t, Converged, res.Status, "residual %g after %d iterations", res.Residual, res.Iterations)
				assert.LessOrEqual(t, res.Residual, 1e-8)
				assert.InDelta(t, NaturalResidual(tp.p.F, tp.p.C, res.Z), res.Residual, 1e-15, "Residual is recomputed at Z")
				assert.LessOrEqual(t, Distance(res.Z, tp.solution), fomDistanceTol[pname], "distance to the solution")
				assert.Equal(t, z0, tp.p.Z0, "Z0 untouched")

				evals, projs, checks := fm.counts(m, tp.p, res)
				assert.Equal(t, evals, res.Evaluations, "evaluations")
				assert.Equal(t, projs, res.Projections, "projections")
				assert.Equal(t, checks, res.Checks, "check evaluations")

				// The same value run again (to a short budget, twice) is
				// bit-identical: no state leaks from one run to the next.
				short := &Settings{Tol: 1e-8, MaxIterations: 2000}
				a, err := Solve(context.Background(), tp.p, m, short)
				require.NoError(t, err)
				b, err := Solve(context.Background(), tp.p, m, short)
				require.NoError(t, err)
				assert.Equal(t, a.Z, b.Z, "a second run of the same value is bit-identical")
				assert.Equal(t, a.Stats.Evaluations, b.Stats.Evaluations)
				if res.Iterations <= 2000 {
					assert.Equal(t, res.Z, a.Z)
				}
				t.Logf("%d iterations, %d evaluations, distance %.2g", res.Iterations, res.Evaluations, Distance(res.Z, tp.solution))
			})
		}
	}
}

// fomWrapped returns p with Solve's counting wrappers around F and C, as
// a method sees it under Solve.
func fomWrapped(p *Problem) *Problem {
	q := &Problem{F: &counter{op: p.F}, Z0: p.Z0}
	switch {
	case p.C == nil:
	case IsMirror(p.C):
		q.C = &countingMirrorSet{countingSet{set: p.C}}
	default:
		q.C = &countingSet{set: p.C}
	}
	return q
}

func TestFirstOrderMethodsDoNotAllocate(t *testing.T) {
	for _, fm := range fomMethods() {
		for _, pname := range fm.problems {
			t.Run(fm.name+"/"+pname, func(t *testing.T) {
				tp := fomProblem(t, pname)
				m := fm.make(tp)
				require.NoError(t, m.Init(fomWrapped(tp.p)))
				allocs := testing.AllocsPerRun(100, func() {
					if err := m.Iterate(); err != nil {
						t.Fatal(err)
					}
				})
				assert.Zero(t, allocs)
			})
		}
	}
}

func TestFirstOrderMethodsIterateBeforeInit(t *testing.T) {
	for _, m := range []Method{&AltGDA{}, &ExtragradientPlus{}, &OptimisticGradient{}, &PastExtragradient{},
		&ReflectedGradient{}, &ForwardReflectedBackward{}, &ProximalPoint{}, &ExtragradientLineSearch{}} {
		assert.ErrorIs(t, m.Iterate(), errNotInit, "%T", m)
	}
}

// fomNoL is p with an operator that reports no Lipschitz constant and is
// not affine.
func fomNoL(p *Problem) *Problem {
	return &Problem{F: funcOp{n: p.F.Dim(), f: p.F.Apply}, C: p.C, Z0: p.Z0}
}

func TestFirstOrderMethodsBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	xy := xyGame().p
	singular := &Problem{F: newAffineOp(mat.NewDense(2, 2, []float64{-1, 0, 0, -1}), nil), Z0: []float64{1, 1}}
	ball := &Problem{F: xy.F, C: Ball{}, Z0: []float64{0.5, 0.5}}
	cases := []struct {
		name string
		m    Method
		p    *Problem
		want string // in the error message
	}{
		{"alt-gda step", &AltGDA{Step: -1, Split: 1}, xy, "AltGDA.Step"},
		{"alt-gda L", &AltGDA{L: nan, Split: 1}, xy, "AltGDA.L"},
		{"alt-gda negative split", &AltGDA{Split: -1}, xy, "AltGDA.Split"},
		{"alt-gda no split", &AltGDA{}, xy, "AltGDA.Split"},
		{"alt-gda split too large", &AltGDA{Split: 2}, xy, "AltGDA.Split"},
		{"alt-gda split inside a block", &AltGDA{Split: 2}, rps().p, "boundary between blocks"},
		{"alt-gda box without split", &AltGDA{}, boxAffine().p, "AltGDA.Split"},
		{"alt-gda ball", &AltGDA{Split: 1}, ball, "cannot project"},
		{"eg+ beta above 1", &ExtragradientPlus{Beta: 1.5}, xy, "ExtragradientPlus.Beta"},
		{"eg+ beta NaN", &ExtragradientPlus{Beta: nan}, xy, "ExtragradientPlus.Beta"},
		{"eg+ negative beta", &ExtragradientPlus{Beta: -0.5}, xy, "ExtragradientPlus.Beta"},
		{"eg+ rho too large for defaults", &ExtragradientPlus{Rho: 0.5}, xy, "ExtragradientPlus.Rho"},
		{"eg+ step below 2 rho", &ExtragradientPlus{Step: 0.1, Rho: 0.1}, xy, "ExtragradientPlus.Step"},
		{"eg+ NaN L", &ExtragradientPlus{L: nan}, xy, "ExtragradientPlus.L"},
		{"eg+ negative rho", &ExtragradientPlus{Rho: -1}, xy, "ExtragradientPlus.Rho"},
		{"og negative step", &OptimisticGradient{Step: -1}, xy, "OptimisticGradient.Step"},
		{"og NaN L", &OptimisticGradient{L: nan}, xy, "OptimisticGradient.L"},
		{"past-eg infinite step", &PastExtragradient{Step: inf}, xy, "PastExtragradient.Step"},
		{"reflected negative L", &ReflectedGradient{L: -1}, xy, "ReflectedGradient.L"},
		{"frb NaN step", &ForwardReflectedBackward{Step: nan}, xy, "ForwardReflectedBackward.Step"},
		{"pp negative InnerTol", &ProximalPoint{InnerTol: -1}, xy, "ProximalPoint.InnerTol"},
		{"pp negative MaxInner", &ProximalPoint{MaxInner: -1}, xy, "ProximalPoint.MaxInner"},
		{"pp NaN rho", &ProximalPoint{Rho: nan}, xy, "ProximalPoint.Rho"},
		{"pp negative step", &ProximalPoint{Step: -2}, xy, "ProximalPoint.Step"},
		{"pp singular", &ProximalPoint{Step: 1}, singular, "singular or ill-conditioned"},
		{"pp inexact without L", &ProximalPoint{}, fomNoL(xy), "ProximalPoint.L"},
		{"pp inexact rho too large", &ProximalPoint{Rho: 0.5}, boxAffine().p, "ProximalPoint.Rho"},
		{"pp inexact sub-problem not strongly monotone", &ProximalPoint{Step: 2, Rho: 1, L: 1}, fomNoL(xy), "ProximalPoint.Step"},
		{"eg-ls nu 1", &ExtragradientLineSearch{Nu: 1}, xy, "ExtragradientLineSearch.Nu"},
		{"eg-ls negative nu", &ExtragradientLineSearch{Nu: -0.1}, xy, "ExtragradientLineSearch.Nu"},
		{"eg-ls tau above 1", &ExtragradientLineSearch{Tau: 1.5}, xy, "ExtragradientLineSearch.Tau"},
		{"eg-ls NaN step0", &ExtragradientLineSearch{Step0: nan}, xy, "ExtragradientLineSearch.Step0"},
		{"eg-ls negative MaxStep", &ExtragradientLineSearch{MaxStep: -1}, xy, "ExtragradientLineSearch.MaxStep"},
		{"eg-ls negative MaxBacktracks", &ExtragradientLineSearch{MaxBacktracks: -1}, xy, "ExtragradientLineSearch.MaxBacktracks"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.m.Init(c.p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.ErrorIs(t, c.m.Iterate(), errNotInit, "a failed Init leaves the method unusable")
			_, err = Solve(context.Background(), c.p, c.m, nil)
			require.Error(t, err, "Solve reports the same error")
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestFirstOrderMethodsNeedAStep(t *testing.T) {
	p := fomNoL(xyGame().p)
	for _, m := range []Method{&AltGDA{Split: 1}, &ExtragradientPlus{}, &OptimisticGradient{},
		&PastExtragradient{}, &ReflectedGradient{}, &ForwardReflectedBackward{}} {
		assert.ErrorIs(t, m.Init(p), ErrNoStep, "%T", m)
	}
}

// fomRandomAffine is F(z) = Mz + q with M = S + K, S = BᵀB/n positive
// semidefinite and K skew, a random monotone affine operator, with a
// random start.
func fomRandomAffine(n int, seed uint64) *Problem {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := mat.NewDense(n, n, nil)
	k := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			b.Set(i, j, rng.NormFloat64())
			k.Set(i, j, rng.NormFloat64())
		}
	}
	m := mat.NewDense(n, n, nil)
	m.Mul(b.T(), b)
	m.Scale(1/float64(n), m)
	var skew mat.Dense
	skew.Sub(k, k.T())
	skew.Scale(0.5, &skew)
	m.Add(m, &skew)
	q := make([]float64, n)
	z0 := make([]float64, n)
	for i := range q {
		q[i], z0[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	return &Problem{F: newAffineOp(m, q), Z0: z0}
}

// fomComonotone is ALGORITHMS.md Part II B5.3 with b = −1, a = 2√2:
// F(z) = Mz, M = [[−1, 2√2], [−2√2, −1]], ρ-negatively comonotone with
// equality for ρ = 1/9 (= −b/(a² + b²)), L = 3, unique solution 0.
func fomComonotone() testProblem {
	a := 2 * math.Sqrt2
	m := mat.NewDense(2, 2, []float64{-1, a, -a, -1})
	return testProblem{name: "comonotone", p: &Problem{F: newAffineOp(m, nil), Z0: []float64{1, -0.5}}, solution: []float64{0, 0}}
}

func TestFirstOrderComonotoneInstance(t *testing.T) {
	// Check the instance itself: ⟨F(x) − F(y), x − y⟩ = −ρ‖F(x) − F(y)‖²
	// with ρ = 1/9 on random pairs, and L = 3.
	tp := fomComonotone()
	rng := rand.New(rand.NewPCG(1, 1))
	x, y, fx, fy := make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)
	for range 10 {
		for i := range x {
			x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		tp.p.F.Apply(fx, x)
		tp.p.F.Apply(fy, y)
		var inner, sq float64
		for i := range x {
			inner += (fx[i] - fy[i]) * (x[i] - y[i])
			sq += (fx[i] - fy[i]) * (fx[i] - fy[i])
		}
		assert.InDelta(t, -sq/9, inner, 1e-12)
	}
	assert.InDelta(t, 3, tp.p.F.(*affineOp).l, 1e-12)
}

// BenchmarkFirstOrderIterate times one iteration of each method on an
// unconstrained bilinear game with n×n coupling (dimension 2n), and on the
// simplex-constrained rock-paper-scissors game.
func BenchmarkFirstOrderIterate(b *testing.B) {
	for _, fm := range fomMethods() {
		for _, n := range []int{20, 100} {
			b.Run(fmt.Sprintf("%s/bilinear-n=%d", fm.name, 2*n), func(b *testing.B) {
				tp := randomBilinear(n, 1)
				m := fm.make(tp)
				if a, ok := m.(*AltGDA); ok {
					a.Split = n
				}
				fomBenchIterate(b, m, tp.p)
			})
		}
		b.Run(fm.name+"/rps", func(b *testing.B) {
			tp := rps()
			m := fm.make(tp)
			if a, ok := m.(*AltGDA); ok {
				a.Split = 3
			}
			fomBenchIterate(b, m, tp.p)
		})
	}
}

func fomBenchIterate(b *testing.B, m Method, p *Problem) {
	if err := m.Init(fomWrapped(p)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Iterate(); err != nil {
			b.Fatal(err)
		}
	}
}
