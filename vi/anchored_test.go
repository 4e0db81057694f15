package vi

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// Shared instances and drivers for the tests of the accelerated and
// anchored methods (aog, arg, eag, compositeeag, feg).

// anchoredDiagBilinear is the unconstrained bilinear game min_x max_y
// xᵀdiag(s)y, F(x, y) = (s⊙y, −s⊙x), with s_j = j/N, j = 1..N: singular
// values spread evenly down to 1/N, so the problem is monotone, L = 1,
// with the unique solution 0, yet badly conditioned. On each 2×2 block
// extragradient contracts by √(1 − η²s² + η⁴s⁴) per step, so summing
// e^{−η²s²k} over the spread gives ‖F(z_k)‖ ~ k^{−3/4} for
// 1/η² ≪ k ≪ N²/η² rather than a linear rate (derived here).
type anchoredDiagBilinear struct{ s []float64 }

func newAnchoredDiagBilinear(n int) anchoredDiagBilinear {
	s := make([]float64, n)
	for j := range s {
		s[j] = float64(j+1) / float64(n)
	}
	return anchoredDiagBilinear{s: s}
}

func (o anchoredDiagBilinear) Dim() int { return 2 * len(o.s) }

func (o anchoredDiagBilinear) Apply(dst, z []float64) {
	n := len(o.s)
	for j, s := range o.s {
		dst[j] = s * z[n+j]
		dst[n+j] = -s * z[j]
	}
}

func (o anchoredDiagBilinear) Lipschitz() float64 { return o.s[len(o.s)-1] }

// anchoredComonotone is F(z) = Mz with M = [[b, a], [−a, b]]: for b < 0
// it is exactly ρ-negatively comonotone with ρ = −b/(a² + b²) and
// L = √(a² + b²), with the unique zero 0 (ALGORITHMS.md Part II B5.3);
// it starts at (1, 1).
func anchoredComonotone(a, b float64) testProblem {
	m := mat.NewDense(2, 2, []float64{b, a, -a, b})
	return testProblem{name: "comonotone", p: &Problem{F: newAffineOp(m, nil), Z0: []float64{1, 1}}, solution: []float64{0, 0}}
}

// anchoredComonotoneRho returns the instance above with L = 1 and the
// given ρ, and ρ.
func anchoredComonotoneRho(rho float64) (testProblem, float64) {
	b := -rho // with a² + b² = 1, ρ = −b
	return anchoredComonotone(math.Sqrt(1-b*b), b), rho
}

// anchoredRandomGame is min_{x∈Δ_m} max_{y∈Δ_n} xᵀAy with A uniform on
// [−1, 1], seeded, started from a random point of the simplices; its
// solution is not computed: the bounds use diam(Δ_m × Δ_n) = 2 ≥ ‖z_0 − z*‖.
func anchoredRandomGame(m, n int, seed uint64) testProblem {
	rng := rand.New(rand.NewPCG(seed, 2))
	a := mat.NewDense(m, n, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, 2*rng.Float64()-1)
		}
	}
	z0 := make([]float64, m+n)
	for i := range z0 {
		z0[i] = rng.Float64()
	}
	return matrixGame("random-game", a, z0, nil)
}

// anchoredDiameter is the diameter of the sets of the bounded test
// problems: a simplex has diameter √2 (between two vertices), so a product
// of two has √(2 + 2) = 2; the unit box [0, 1]⁴ has √4 = 2.
const anchoredDiameter = 2.0

// anchoredBound describes one theorem check: after each iteration T,
// measure returns the guaranteed quantity and bound its bound.
type anchoredBound struct {
	measure func(T int) float64
	bound   func(T int) float64
	from    int // first T the theorem covers
}

// anchoredMaxRatio runs m for iters iterations (after Init on p) and
// returns the largest measure/bound ratio over T ≥ from; setup is called
// after Init and after the first iteration so that the check can read
// z_0 and z_1.
func anchoredMaxRatio(t *testing.T, p *Problem, m Method, iters int, setup func(T int), b anchoredBound) float64 {
	t.Helper()
	require.NoError(t, m.Init(p))
	setup(0)
	worst := 0.0
	for T := 1; T <= iters; T++ {
		require.NoError(t, m.Iterate())
		if T == 1 {
			setup(1)
		}
		if T < b.from {
			continue
		}
		got, bound := b.measure(T), b.bound(T)
		require.False(t, math.IsNaN(got), "T = %d", T)
		worst = max(worst, got/bound)
	}
	return worst
}

// anchoredTangent returns r_tan at z for the problem, evaluating F.
func anchoredTangent(t *testing.T, p *Problem, z []float64) float64 {
	t.Helper()
	fz := make([]float64, len(z))
	p.F.Apply(fz, z)
	r, ok := TangentResidualAt(p.C, z, fz)
	require.True(t, ok)
	return r
}

// anchoredLipschitz returns the Lipschitz constant the test operators
// report.
func anchoredLipschitz(t *testing.T, p *Problem) float64 {
	t.Helper()
	l, ok := lipschitzOf(p.F)
	require.True(t, ok)
	return l
}

// anchoredMethods are the methods of these files with the evaluations,
// projections and Solve measurement evaluations (Checks) their docs
// promise after K iterations; proj is the count with a set (the start's
// projection included) and is 0 without one.
var anchoredMethods = []struct {
	name          string
	new           func() Method
	unconstrained bool // rejects a set
	evals, proj   func(k int) int
	checks        func(k int) int
}{
	{"aog", func() Method { return &AcceleratedOptimisticGradient{} }, false,
		func(k int) int { return k }, func(k int) int { return 1 + 2*k }, func(int) int { return 1 }},
	{"arg", func() Method { return &AcceleratedReflectedGradient{} }, false,
		func(k int) int { return k }, func(k int) int { return 1 + k }, func(k int) int { return k + 1 }},
	{"eag-c", func() Method { return &AnchoredExtragradient{} }, true,
		func(k int) int { return 1 + 2*k }, func(int) int { return 0 }, func(int) int { return 0 }},
	{"eag-v", func() Method { return &AnchoredExtragradient{Varying: true} }, true,
		func(k int) int { return 1 + 2*k }, func(int) int { return 0 }, func(int) int { return 0 }},
	{"composite-eag", func() Method { return &CompositeEAG{} }, false,
		func(k int) int { return 2 * k }, func(k int) int { return 1 + k }, func(int) int { return 0 }},
	{"feg", func() Method { return &FastExtragradient{} }, false,
		func(k int) int { return 2 * k }, func(k int) int { return 1 + k }, func(int) int { return 0 }},
}

// Solve on problems with known solutions. The anchored methods reach a
// residual ε in O(1/ε) iterations even on strongly monotone problems (the
// anchor pull is of order ‖z_0 − z*‖/k), so the tolerance is 1e-4, not the
// default 1e-8 (which would take ~10⁸ iterations). Checked: converged, the
// distance to the solution, the reported residual against a recomputation,
// the evaluation, projection and measurement counts of the docs, Z0 left
// alone, and two runs of one method value bit-identical.
func TestAnchoredSolve(t *testing.T) {
	problems := []testProblem{rps(), boxAffine(), randomBilinear(4, 3), quadraticBilinear(1, 2, 0.5)}
	const tol = 1e-4
	for _, am := range anchoredMethods {
		for _, tp := range problems {
			if am.unconstrained && tp.p.C != nil {
				continue
			}
			t.Run(am.name+"/"+tp.name, func(t *testing.T) {
				z0 := append([]float64(nil), tp.p.Z0...)
				m := am.new()
				s := &Settings{Tol: tol, MaxIterations: 1_000_000}
				r, err := Solve(context.Background(), tp.p, m, s)
				require.NoError(t, err)
				require.Equal(t, Converged, r.Status, "residual %.3g after %d iterations", r.Residual, r.Iterations)
				dist := Distance(r.Z, tp.solution)
				t.Logf("%d iterations, residual %.3g, distance %.3g", r.Iterations, r.Residual, dist)
				assert.LessOrEqual(t, r.Residual, tol)
				assert.InDelta(t, NaturalResidual(tp.p.F, tp.p.C, r.Z), r.Residual, 1e-15)
				assert.Less(t, dist, 10*tol)
				k := r.Iterations
				proj := am.proj(k)
				if tp.p.C == nil {
					proj = 0
				}
				assert.Equal(t, am.evals(k), r.Evaluations, "evaluations")
				assert.Equal(t, proj, r.Projections, "projections")
				assert.Equal(t, am.checks(k), r.Checks, "measurement evaluations")
				assert.Equal(t, z0, tp.p.Z0, "Z0 modified")

				again, err := Solve(context.Background(), tp.p, m, s)
				require.NoError(t, err)
				assert.Equal(t, r.Z, again.Z, "second run differs")
				assert.Equal(t, r.Iterations, again.Iterations)
			})
		}
	}
}

// Every Iterate allocates nothing, with and without a set, and refuses to
// run before Init.
func TestAnchoredAllocations(t *testing.T) {
	type entry struct {
		name          string
		new           func() Method
		unconstrained bool
	}
	methods := []entry{
		{"aog-adaptive", func() Method { return &AcceleratedOptimisticGradient{Adaptive: true, D: 1e-3} }, false},
		{"arg-comonotone", func() Method { return &AcceleratedReflectedGradient{Rho: 0.001} }, false},
	}
	for _, am := range anchoredMethods {
		methods = append(methods, entry{am.name, am.new, am.unconstrained})
	}
	for _, mm := range methods {
		for _, tp := range []testProblem{boxAffine(), rps(), randomBilinear(4, 3)} {
			if mm.unconstrained && tp.p.C != nil {
				continue
			}
			t.Run(mm.name+"/"+tp.name, func(t *testing.T) {
				m := mm.new()
				require.NoError(t, m.Init(tp.p))
				allocs := testing.AllocsPerRun(100, func() {
					if err := m.Iterate(); err != nil {
						t.Fatal(err)
					}
				})
				assert.Zero(t, allocs)
				assert.ErrorIs(t, mm.new().Iterate(), errNotInit)
			})
		}
	}
}

// anchoredResidualNow is ‖F‖ at the method's current point, from the
// method when it knows it.
func anchoredResidualNow(p *Problem, m Method) float64 {
	if v, ok := m.(CurrentValuer); ok {
		if fz, ok := v.CurrentValue(); ok {
			return norm(fz)
		}
	}
	return OperatorNorm(p.F, m.Current())
}

// The O(1/k) last-iterate rate of the accelerated methods against the
// O(1/√k)-type rate of extragradient and optimistic gradient, on
// anchoredDiagBilinear with N = 200 (n = 400, L = 1) from z_0 = 1: the
// log–log slope of ‖F‖ over k ∈ [100, 10⁴] (25 geometric samples) is
// ≈ −1 for the anchored methods and ≈ −3/4 for EG and OG, whose linear
// rate on this full-rank problem needs k ≫ N²/η² to show.
func TestAnchoredRates(t *testing.T) {
	const n, last = 200, 10_000
	op := newAnchoredDiagBilinear(n)
	z0 := make([]float64, 2*n)
	for i := range z0 {
		z0[i] = 1
	}
	p := &Problem{F: op, Z0: z0}
	var ks []int
	for i := 0; i <= 24; i++ {
		ks = append(ks, int(math.Round(100*math.Pow(100, float64(i)/24))))
	}
	fit := func(t *testing.T, res []float64) float64 {
		t.Helper()
		x := make([]float64, len(ks))
		for i, k := range ks {
			x[i] = float64(k)
		}
		return slope(t, x, res)
	}
	cases := []struct {
		name   string
		m      Method
		lo, hi float64 // band for the slope
	}{
		{"aog", &AcceleratedOptimisticGradient{}, -1.15, -0.95},
		{"arg", &AcceleratedReflectedGradient{}, -1.15, -0.95},
		{"eag-c", &AnchoredExtragradient{}, -1.15, -0.95},
		{"eag-v", &AnchoredExtragradient{Varying: true}, -1.15, -0.95},
		{"composite-eag", &CompositeEAG{}, -1.15, -0.95},
		{"feg", &FastExtragradient{}, -1.15, -0.95},
		{"eg", &Extragradient{}, -0.85, -0.65},
		{"og", &OptimisticGradient{}, -0.85, -0.65},
		{"halpern", &Halpern{}, -1.15, -0.95},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.m.Init(p))
			res := make([]float64, 0, len(ks))
			j := 0
			for k := 1; k <= last; k++ {
				require.NoError(t, c.m.Iterate())
				if j < len(ks) && k == ks[j] {
					res = append(res, anchoredResidualNow(p, c.m))
					j++
				}
			}
			s := fit(t, res)
			t.Logf("slope %.3f, ‖F‖ %.3g at k = 100, %.3g at k = 10⁴", s, res[0], res[len(res)-1])
			assert.GreaterOrEqual(t, s, c.lo)
			assert.LessOrEqual(t, s, c.hi)
		})
	}
}

// BenchmarkAnchoredIterate times one iteration of each method on the
// unconstrained n = 400 diagonal bilinear game and on a 50×50 matrix game
// over simplices.
func BenchmarkAnchoredIterate(b *testing.B) {
	diag := newAnchoredDiagBilinear(200)
	z0 := make([]float64, 400)
	for i := range z0 {
		z0[i] = 1
	}
	problems := []testProblem{
		{name: "diag-bilinear-400", p: &Problem{F: diag, Z0: z0}},
		anchoredRandomGame(50, 50, 3),
	}
	for _, am := range anchoredMethods {
		for _, tp := range problems {
			m := am.new()
			if m.Init(tp.p) != nil {
				continue
			}
			b.Run(am.name+"/"+tp.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := m.Iterate(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// anchoredRef holds the vector arithmetic the reference recursions below
// are written in: plain allocating code transcribed from ALGORITHMS.md
// §2.5–2.6, independent of the methods' fused loops.
type anchoredRef struct {
	p *Problem
}

// lin returns Σ c_i·v_i for pairs (c_i, v_i).
func (anchoredRef) lin(terms ...any) []float64 {
	var out []float64
	for i := 0; i < len(terms); i += 2 {
		c, v := terms[i].(float64), terms[i+1].([]float64)
		if out == nil {
			out = make([]float64, len(v))
		}
		for j := range v {
			out[j] += c * v[j]
		}
	}
	return out
}

func (r anchoredRef) f(z []float64) []float64 {
	out := make([]float64, len(z))
	r.p.F.Apply(out, z)
	return out
}

func (r anchoredRef) proj(z []float64) []float64 {
	out := append([]float64(nil), z...)
	if r.p.C != nil {
		r.p.C.Project(out, out)
	}
	return out
}

// The methods produce exactly the sequences their update rules define,
// anchor indices included: each is compared for 60 iterations with a
// direct transcription of its rule.
func TestAnchoredMatchesRule(t *testing.T) {
	const iters = 60
	type seq func(r anchoredRef, z0 []float64, l float64) [][]float64 // Current after each iteration
	rules := []struct {
		name          string
		new           func() Method
		unconstrained bool
		rule          seq
	}{
		{"aog", func() Method { return &AcceleratedOptimisticGradient{} }, false,
			func(r anchoredRef, x1 []float64, l float64) [][]float64 {
				eta := 1 / (3 * l)
				x, g := x1, make([]float64, len(x1))
				var out [][]float64
				for t := 1; t <= iters; t++ {
					w := 1 / float64(t+1)
					half := r.proj(r.lin(1.0, x, -eta, g, w, x1, -w, x))
					g = r.f(half)
					x = r.proj(r.lin(1.0, x, -eta, g, w, x1, -w, x))
					out = append(out, half)
				}
				return out
			}},
		{"arg", func() Method { return &AcceleratedReflectedGradient{} }, false,
			func(r anchoredRef, z0 []float64, l float64) [][]float64 {
				eta := 1 / (2 * math.Sqrt(6) * l)
				prev, z := z0, r.proj(r.lin(1.0, z0, -eta, r.f(z0)))
				out := [][]float64{z}
				for t := 1; t < iters; t++ {
					a, b := 1/float64(t+1), 1/float64(t)
					half := r.lin(2.0, z, -1.0, prev, a, z0, -a, z, -b, z0, b, prev)
					next := r.proj(r.lin(1.0, z, -eta, r.f(half), a, z0, -a, z))
					prev, z = z, next
					out = append(out, z)
				}
				return out
			}},
		{"eag-c", func() Method { return &AnchoredExtragradient{} }, true,
			func(r anchoredRef, z0 []float64, l float64) [][]float64 {
				alpha := 1 / (8 * l)
				z := z0
				var out [][]float64
				for k := 0; k < iters; k++ {
					b := 1 / float64(k+2)
					half := r.lin(1.0, z, b, z0, -b, z, -alpha, r.f(z))
					z = r.lin(1.0, z, b, z0, -b, z, -alpha, r.f(half))
					out = append(out, z)
				}
				return out
			}},
		{"composite-eag", func() Method { return &CompositeEAG{} }, false,
			func(r anchoredRef, z0 []float64, l float64) [][]float64 {
				eta := 0.31 / l
				u := r.lin(1.0, z0, -eta, r.f(z0))
				z := r.proj(u)
				c := r.lin(1/eta, u, -1/eta, z)
				out := [][]float64{z}
				for k := 1; k < iters; k++ {
					b := 1 / float64(k+1)
					half := r.lin(b, z0, 1-b, z, -eta, r.f(z), -eta, c)
					u := r.lin(b, z0, 1-b, z, -eta, r.f(half))
					z = r.proj(u)
					c = r.lin(1/eta, u, -1/eta, z)
					out = append(out, z)
				}
				return out
			}},
		{"feg-comonotone", func() Method { return &FastExtragradient{Rho: 0.01} }, false,
			func(r anchoredRef, z0 []float64, l float64) [][]float64 {
				rho := 0.01
				eta := 2*rho + 0.9*(1/l-2*rho)
				z, c := z0, make([]float64, len(z0))
				var out [][]float64
				for k := 0; k < iters; k++ {
					b := 1 / float64(k+1)
					g := r.lin(1.0, r.f(z), 1.0, c)
					half := r.lin(b, z0, 1-b, z, -(1-b)*(eta-2*rho), g)
					u := r.lin(b, z0, 1-b, z, -eta, r.f(half), 2*(1-b)*rho, g)
					z = r.proj(u)
					c = r.lin(1/eta, u, -1/eta, z)
					out = append(out, z)
				}
				return out
			}},
	}
	for _, rl := range rules {
		for _, tp := range []testProblem{boxAffine(), rps(), randomBilinear(4, 3)} {
			if rl.unconstrained && tp.p.C != nil {
				continue
			}
			t.Run(rl.name+"/"+tp.name, func(t *testing.T) {
				m := rl.new()
				require.NoError(t, m.Init(tp.p))
				l := anchoredLipschitz(t, tp.p)
				r := anchoredRef{p: tp.p}
				want := rl.rule(r, r.proj(tp.p.Z0), l)
				for k, w := range want {
					require.NoError(t, m.Iterate())
					require.InDeltaSlice(t, w, m.Current(), 1e-12, "iteration %d", k+1)
				}
			})
		}
	}
}
