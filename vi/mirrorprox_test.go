package vi

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// mirrorproxPayoffs returns the payoff matrix A of a matrixGame, read back
// from its VI matrix [[0, A], [−Aᵀ, 0]].
func mirrorproxPayoffs(tp testProblem) *mat.Dense {
	dims := tp.p.C.(Product).Dims
	m, n := dims[0], dims[1]
	big := tp.p.F.(*affineOp).m
	a := mat.NewDense(m, n, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, big.At(i, m+j))
		}
	}
	return a
}

// mirrorproxMaxAbs returns max_ij |A_ij|, the Lipschitz constant of a
// matrix game's F from the block-ℓ1 norm to its dual.
func mirrorproxMaxAbs(a *mat.Dense) float64 {
	var s float64
	m, n := a.Dims()
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s = max(s, math.Abs(a.At(i, j)))
		}
	}
	return s
}

// mirrorproxMatchingPennies is A = [[1, −1], [−1, 1]], unique equilibrium
// x* = y* = (1/2, 1/2) (ALGORITHMS.md Part II, matrix games 1), started
// away from it.
func mirrorproxMatchingPennies() testProblem {
	a := mat.NewDense(2, 2, []float64{1, -1, -1, 1})
	return matrixGame("matching-pennies", a, []float64{0.8, 0.2, 0.3, 0.7}, []float64{0.5, 0.5, 0.5, 0.5})
}

// mirrorproxBiasedRPS is A = [[0, −25, 50], [25, 0, −5], [−50, 5, 0]],
// unique equilibrium x* = y* = (1, 10, 5)/16 (ALGORITHMS.md Part II,
// matrix games 3; OpenSpiel matrix_brps), started at uniform play.
func mirrorproxBiasedRPS() testProblem {
	a := mat.NewDense(3, 3, []float64{0, -25, 50, 25, 0, -5, -50, 5, 0})
	s := []float64{1.0 / 16, 10.0 / 16, 5.0 / 16}
	third := 1.0 / 3
	return matrixGame("biased-rps", a, []float64{third, third, third, third, third, third}, append(s, s...))
}

// mirrorproxMaxKL returns Θ = max_{u∈Δ_m×Δ_n} KL(u, z0) = −ln min x0 −
// ln min y0 (KL(·, x0) is convex, so its maximum is at a vertex).
func mirrorproxMaxKL(z0 []float64, m int) float64 {
	minOf := func(v []float64) float64 {
		s := math.Inf(1)
		for _, x := range v {
			s = min(s, x)
		}
		return s
	}
	return -math.Log(minOf(z0[:m])) - math.Log(minOf(z0[m:]))
}

// Nemirovski (2004), ALGORITHMS.md §2.8: for η ≤ κ/L the duality gap of
// the average of the w_t is at most Θ/(ηT) at every T, Θ = max_u D(u, z_0).
// Checked for the default step 1/L₂ and for the larger 1/max|A_ij| that
// the ℓ1 constant allows.
func TestMirrorProxGapBound(t *testing.T) {
	_, random := restartRandomGame(5, 7, 1)
	for _, tp := range []testProblem{rps(), random, mirrorproxBiasedRPS()} {
		a := mirrorproxPayoffs(tp)
		m, _ := a.Dims()
		theta := mirrorproxMaxKL(tp.p.Z0, m)
		for _, useMax := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/ell1=%v", tp.name, useMax), func(t *testing.T) {
				mp := &MirrorProx{}
				eta := 1 / tp.p.F.(*affineOp).l
				if useMax {
					mp.L = mirrorproxMaxAbs(a)
					eta = 1 / mp.L
				}
				require.NoError(t, mp.Init(tp.p))
				require.InDelta(t, eta, mp.eta, 1e-15, "default step κ/L with κ = 1")
				worst := 0.0
				for T := 1; T <= 2000; T++ {
					require.NoError(t, mp.Iterate())
					gap := restartDualityGap(a, mp.Average())
					bound := theta / (eta * float64(T))
					require.LessOrEqual(t, gap, bound, "T = %d", T)
					worst = max(worst, gap/bound)
				}
				t.Logf("η = %.4g, Θ = %.4g, max over T of gap/bound = %.3g", eta, theta, worst)
			})
		}
	}
}

// mirrorproxSkewGap is max_{u∈C} ⟨F(w), w − u⟩ for a linear skew F (so
// that it is the weak gap max_u ⟨F(u), w − u⟩) on a product of simplices
// of the given scales: ⟨F(w), w⟩ − Σ_k s_k·min_{i∈block k} F(w)_i.
func mirrorproxSkewGap(f Operator, dims []int, scales, w []float64) float64 {
	fw := make([]float64, len(w))
	f.Apply(fw, w)
	var g float64
	for i := range w {
		g += fw[i] * w[i]
	}
	off := 0
	for k, d := range dims {
		lo := math.Inf(1)
		for _, v := range fw[off : off+d] {
			lo = min(lo, v)
		}
		g -= scales[k] * lo
		off += d
	}
	return g
}

// On simplices of scales 2 and 1/2 the entropy is 1/2-strongly convex in
// the block-ℓ1 norm, so the default step is 1/(2L₂), and from the uniform
// start Θ = 2 ln 5 + ½ ln 7.
func TestMirrorProxScaledSimplices(t *testing.T) {
	_, random := restartRandomGame(5, 7, 1)
	scales := []float64{2, 0.5}
	dims := []int{5, 7}
	p := &Problem{F: random.p.F, C: Product{Blocks: []Set{Simplex{Scale: 2}, Simplex{Scale: 0.5}}, Dims: dims}}
	mp := &MirrorProx{}
	require.NoError(t, mp.Init(p))
	eta := 1 / (2 * p.F.(*affineOp).l)
	require.InDelta(t, eta, mp.eta, 1e-15)
	z0 := mp.Current()
	for i := range z0 {
		assert.InDelta(t, scales[min(i/5, 1)]/float64(dims[min(i/5, 1)]), z0[i], 1e-15, "uniform start, entry %d", i)
	}
	theta := 2*math.Log(5) + 0.5*math.Log(7)
	worst := 0.0
	for T := 1; T <= 2000; T++ {
		require.NoError(t, mp.Iterate())
		gap := mirrorproxSkewGap(p.F, dims, scales, mp.Average())
		bound := theta / (eta * float64(T))
		require.LessOrEqual(t, gap, bound, "T = %d", T)
		worst = max(worst, gap/bound)
	}
	t.Logf("max over T of gap/bound = %.3g", worst)
	z := mp.Current()
	assert.InDelta(t, 2, z[0]+z[1]+z[2]+z[3]+z[4], 1e-12, "iterates stay on the scaled simplex")
}

// The theorem is on the average, but on rock-paper-scissors (unique
// interior equilibrium) the last iterate converges too, fast: measured
// duality gap 3.2e-5 after 200 iterations and 4.7e-12 after 500 with the
// default step, from the helper's start (gap 0.5 there).
func TestMirrorProxLastIterate(t *testing.T) {
	tp := rps()
	a := mirrorproxPayoffs(tp)
	mp := &MirrorProx{}
	require.NoError(t, mp.Init(tp.p))
	for T := 1; T <= 500; T++ {
		require.NoError(t, mp.Iterate())
		if T == 200 {
			assert.Less(t, restartDualityGap(a, mp.Current()), 1e-4)
		}
	}
	gap := restartDualityGap(a, mp.Current())
	t.Logf("last-iterate gap after 500 iterations %.3g; average %.3g", gap, restartDualityGap(a, mp.Average()))
	assert.Less(t, gap, 1e-10)
	assert.InDeltaSlice(t, tp.solution, mp.Current(), 1e-10)
	assert.Greater(t, restartDualityGap(a, mp.Average()), 1e-3, "the average lags: it still carries the early iterates")
}

// One iteration against the matrix-game formulas of ALGORITHMS.md §2.8,
// and the average against the mean of the w_t recomputed from the z_t.
func TestMirrorProxSteps(t *testing.T) {
	tp := rps()
	a := mirrorproxPayoffs(tp)
	mp := &MirrorProx{}
	require.NoError(t, mp.Init(tp.p))
	eta := mp.eta
	x, y := tp.p.Z0[:3], tp.p.Z0[3:]
	expStep := func(v, g []float64, sign float64) []float64 {
		out := make([]float64, len(v))
		var s float64
		for i := range v {
			out[i] = v[i] * math.Exp(sign*eta*g[i])
			s += out[i]
		}
		for i := range out {
			out[i] /= s
		}
		return out
	}
	mul := func(trans bool, v []float64) []float64 {
		var r mat.VecDense
		if trans {
			r.MulVec(a.T(), mat.NewVecDense(len(v), v))
		} else {
			r.MulVec(a, mat.NewVecDense(len(v), v))
		}
		return r.RawVector().Data
	}
	xw, yw := expStep(x, mul(false, y), -1), expStep(y, mul(true, x), 1)
	x1, y1 := expStep(x, mul(false, yw), -1), expStep(y, mul(true, xw), 1)
	require.NoError(t, mp.Iterate())
	assert.InDeltaSlice(t, append(x1, y1...), mp.Current(), 1e-15)
	assert.InDeltaSlice(t, append(xw, yw...), mp.Average(), 1e-15, "after one iteration the average is w_0")
	fz, ok := mp.CurrentValue()
	require.True(t, ok)
	want := make([]float64, 6)
	tp.p.F.Apply(want, mp.Current())
	assert.Equal(t, want, fz, "F(z_1) is known")

	// The average is the mean of w_t = MS(z_t, F(z_t)), recomputed here.
	require.NoError(t, mp.Init(tp.p))
	assert.Nil(t, mp.Average(), "no average before the first iteration")
	sum := make([]float64, 6)
	w, f := make([]float64, 6), make([]float64, 6)
	const iters = 40
	for range iters {
		tp.p.F.Apply(f, mp.Current())
		tp.p.C.(Product).MirrorStep(w, mp.Current(), f, eta)
		for i := range w {
			sum[i] += w[i] / iters
		}
		require.NoError(t, mp.Iterate())
	}
	assert.InDeltaSlice(t, sum, mp.Average(), 1e-14)
}

// mirrorproxOtherSet is a MirrorSet of a type the entropic methods do not
// know (the probability simplex under another name): its geometry is
// unknown to them, so they need an explicit step on it.
type mirrorproxOtherSet struct{}

func (mirrorproxOtherSet) Project(dst, z []float64) { Simplex{}.Project(dst, z) }
func (mirrorproxOtherSet) MirrorStep(dst, z, g []float64, eta float64) {
	Simplex{}.MirrorStep(dst, z, g, eta)
}

// mirrorproxMethod describes one entropic method for the shared contract
// test.
type mirrorproxMethod struct {
	name         string // the type's name, as in error messages
	make         func(step, l float64) Method
	evals, projs int // per iteration; Init makes 1 evaluation and 1 projection
}

// mirrorproxContract checks what every entropic method promises: exact
// counts under Solve with F(Current) known, Z0 untouched, reproducible
// runs, no allocation in Iterate (also after a re-Init), errNotInit, and
// clear errors for sets without mirror steps, boundary starts and bad
// parameters.
func mirrorproxContract(t *testing.T, mm mirrorproxMethod) {
	t.Run("counts", func(t *testing.T) {
		tp := rps()
		z0 := append([]float64(nil), tp.p.Z0...)
		const iters = 300
		res, err := Solve(context.Background(), tp.p, mm.make(0, 0), &Settings{Tol: -1, MaxIterations: iters})
		require.NoError(t, err)
		assert.Equal(t, IterationLimit, res.Status)
		assert.Equal(t, iters, res.Iterations)
		assert.Equal(t, 1+mm.evals*iters, res.Evaluations, "1 in Init, %d per iteration", mm.evals)
		assert.Equal(t, 1+mm.projs*iters, res.Projections, "the start's projection, %d mirror steps per iteration", mm.projs)
		assert.Zero(t, res.Checks, "F(Current) is known: Solve evaluates nothing itself")
		assert.Equal(t, z0, tp.p.Z0, "Z0 untouched")
	})
	t.Run("reproducible", func(t *testing.T) {
		tp := rps()
		m := mm.make(0, 0)
		s := &Settings{Tol: -1, MaxIterations: 200}
		a, err := Solve(context.Background(), tp.p, m, s)
		require.NoError(t, err)
		b, err := Solve(context.Background(), tp.p, m, s)
		require.NoError(t, err)
		c, err := Solve(context.Background(), tp.p, mm.make(0, 0), s)
		require.NoError(t, err)
		assert.Equal(t, a.Z, b.Z, "a second run of the same value is bit-identical")
		assert.Equal(t, a.Average, b.Average)
		assert.Equal(t, a.Z, c.Z, "a fresh value gives the same run")
	})
	t.Run("allocs", func(t *testing.T) {
		m := mm.make(0, 0)
		p := fomWrapped(rps().p)
		require.NoError(t, m.Init(p))
		iterate := func() {
			if err := m.Iterate(); err != nil {
				t.Fatal(err)
			}
		}
		assert.Zero(t, testing.AllocsPerRun(100, iterate))
		assert.Zero(t, testing.AllocsPerRun(10, func() {
			if err := m.Init(p); err != nil {
				t.Fatal(err)
			}
		}), "a re-Init reuses the buffers")
		assert.Zero(t, testing.AllocsPerRun(100, iterate), "after a re-Init")
	})
	t.Run("not initialized", func(t *testing.T) {
		m := mm.make(0, 0)
		assert.ErrorIs(t, m.Iterate(), errNotInit)
		require.NoError(t, m.Init(rps().p))
		require.Error(t, m.Init(boxAffine().p))
		assert.ErrorIs(t, m.Iterate(), errNotInit, "a failed Init leaves the method uninitialized")
	})
	t.Run("other MirrorSet", func(t *testing.T) {
		tp := rps()
		other := &Problem{F: tp.p.F, Z0: tp.p.Z0, C: Product{Blocks: []Set{mirrorproxOtherSet{}, Simplex{}}, Dims: []int{3, 3}}}
		err := mm.make(0, 0).Init(other)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no default step on a vi.mirrorproxOtherSet block")
		m1, m2 := mm.make(0.1, 0), mm.make(0.1, 0)
		require.NoError(t, m1.Init(other))
		require.NoError(t, m2.Init(tp.p))
		for range 20 {
			require.NoError(t, m1.Iterate())
			require.NoError(t, m2.Iterate())
		}
		assert.Equal(t, m2.Current(), m1.Current(), "with a Step it runs, with the same steps")
	})

	rpsF := rps().p.F
	third := 1.0 / 3
	game := func(z0 []float64) *Problem {
		return &Problem{F: rpsF, C: Product{Blocks: []Set{Simplex{}, Simplex{}}, Dims: []int{3, 3}}, Z0: z0}
	}
	noL := &Problem{F: funcOp{n: 6, f: rpsF.Apply}, C: rps().p.C}
	cases := []struct {
		name       string
		step, l    float64
		p          *Problem
		field, msg string // ErrParameter field, or a message fragment
	}{
		{"Box", 0, 0, boxAffine().p, "", "entropic steps need a MirrorSet (a Simplex, or a Product of Simplex blocks); the set is vi.Box"},
		{"no set", 0, 0, randomBilinear(3, 1).p, "", "the set is nil (Rⁿ)"},
		{"Box block", 0, 0, &Problem{F: rpsF, C: Product{Blocks: []Set{Simplex{}, Box{Lo: make([]float64, 3), Hi: []float64{1, 1, 1}}}, Dims: []int{3, 3}}}, "", "block 1 of the Product is vi.Box"},
		{"nested Box block", 0, 0, &Problem{F: rpsF, C: Product{Blocks: []Set{Simplex{}, Product{Blocks: []Set{Simplex{}, NonNegative{}}, Dims: []int{2, 1}}}, Dims: []int{3, 3}}}, "", "block 1 of block 1 of the Product is vi.NonNegative"},
		{"zero in x", 0, 0, game([]float64{0.5, 0.5, 0, third, third, third}), "", "z[2] = 0 on the boundary of block 0 of the Product (a Simplex, entry 2)"},
		{"zero in y", 0, 0, game([]float64{third, third, third, 0.5, 0, 0.5}), "", "z[4] = 0 on the boundary of block 1 of the Product (a Simplex, entry 1)"},
		{"projected onto a vertex", 0, 0, game([]float64{2, 0, 0, third, third, third}), "", "z[1] = 0 on the boundary of block 0"},
		{"single simplex", 0, 0, &Problem{F: newAffineOp(mat.NewDense(2, 2, []float64{1, 0, 0, 1}), nil), C: Simplex{}, Z0: []float64{1, 0}}, "", "z[1] = 0 on the boundary of the set (a Simplex, entry 1)"},
		{"negative Step", -0.1, 0, rps().p, "Step", ""},
		{"NaN Step", math.NaN(), 0, rps().p, "Step", ""},
		{"infinite Step", math.Inf(1), 0, rps().p, "Step", ""},
		{"negative L", 0, -1, rps().p, "L", ""},
		{"NaN L", 0, math.NaN(), rps().p, "L", ""},
		{"infinite L", 0, math.Inf(1), rps().p, "L", ""},
		{"no Lipschitz constant", 0, 0, noL, "", ErrNoStep.Error()},
		{"nil problem", 0, 0, nil, "", ErrNoOperator.Error()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := mm.make(c.step, c.l).Init(c.p)
			require.Error(t, err)
			if c.field != "" {
				var pe ErrParameter
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, mm.name, pe.Method)
				assert.Equal(t, c.field, pe.Field)
				return
			}
			assert.Contains(t, err.Error(), c.msg)
			if c.msg != ErrNoStep.Error() && c.msg != ErrNoOperator.Error() {
				assert.Contains(t, err.Error(), "vi: "+mm.name+": ", "the message names the method")
			}
		})
	}
	t.Run("Box under Solve", func(t *testing.T) {
		_, err := Solve(context.Background(), boxAffine().p, mm.make(0, 0), nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the set is vi.Box", "the message names the set, not Solve's counting wrapper")
	})
}

func TestMirrorProxContract(t *testing.T) {
	mirrorproxContract(t, mirrorproxMethod{name: "MirrorProx",
		make:  func(step, l float64) Method { return &MirrorProx{Step: step, L: l} },
		evals: 2, projs: 2})
}

func BenchmarkMirrorProx(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("game=%dx%d", n, n), func(b *testing.B) {
			_, tp := restartRandomGame(n, n, 1)
			m := &MirrorProx{}
			if err := m.Init(tp.p); err != nil {
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
