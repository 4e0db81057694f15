package vi

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// stochGame is a finite-sum strongly monotone quadratic-bilinear game
//
//	min_x max_y (1/N) Σᵢ ½xᵀAᵢx + xᵀBᵢy − ½yᵀCᵢy + bᵢᵀx − cᵢᵀy,
//
// F = (1/N) Σᵢ Fᵢ with Fᵢ(z) = Mᵢz + qᵢ, Mᵢ = [[Aᵢ, Bᵢ], [−Bᵢᵀ, Cᵢ]],
// qᵢ = (bᵢ, cᵢ). Aᵢ, Cᵢ are a·I plus a random positive semidefinite
// matrix, so every term is μᵢ-strongly monotone with μᵢ = λ_min of the
// symmetric part blockdiag(Aᵢ, Cᵢ) ≥ a. The unique solution z* of the
// mean, M̄z* = −q̄, is computed here with an LU factorization, and with it
// the constants the stochastic theory is stated in.
type stochGame struct {
	f     *FiniteSum
	sol   []float64
	z0    []float64
	mu    float64 // λ_min(sym M̄): F is μ-strongly monotone
	l     float64 // ‖M̄‖₂
	lMax  float64 // maxᵢ ‖Mᵢ‖₂
	muBar float64 // (1/N)(Σ_{μᵢ≥0} μᵢ + 4Σ_{μᵢ<0} μᵢ)
	delta float64 // expected residual: 2 λ_max((1/N) Σ (Mᵢ − M̄)ᵀ(Mᵢ − M̄))
	sig2  float64 // σ*² = (1/N) Σ ‖Fᵢ(z*)‖²
}

// stochNewGame builds the game with nx = ny players' dimensions and terms
// terms from seed; z0 is z* plus a vector of norm r0.
func stochNewGame(t testing.TB, nx, terms int, seed uint64, r0 float64) stochGame {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	n := 2 * nx
	psd := func(a float64) *mat.Dense {
		r := mat.NewDense(nx, nx, nil)
		for i := 0; i < nx; i++ {
			for j := 0; j < nx; j++ {
				r.Set(i, j, rng.NormFloat64())
			}
		}
		var s mat.Dense
		s.Mul(r, r.T())
		s.Scale(0.5/float64(nx), &s)
		for i := 0; i < nx; i++ {
			s.Set(i, i, s.At(i, i)+a)
		}
		return &s
	}
	bBar := mat.NewDense(nx, nx, nil)
	for i := 0; i < nx; i++ {
		for j := 0; j < nx; j++ {
			bBar.Set(i, j, rng.NormFloat64()/math.Sqrt(float64(nx)))
		}
	}
	ms := make([]*mat.Dense, terms)
	qs := make([][]float64, terms)
	ops := make([]Operator, terms)
	mBar := mat.NewDense(n, n, nil)
	qBar := make([]float64, n)
	g := stochGame{}
	var sumMu float64
	for k := range terms {
		a, c := psd(0.5), psd(0.5)
		m := mat.NewDense(n, n, nil)
		for i := 0; i < nx; i++ {
			for j := 0; j < nx; j++ {
				b := bBar.At(i, j) + 0.5*rng.NormFloat64()/math.Sqrt(float64(nx))
				m.Set(i, j, a.At(i, j))
				m.Set(nx+i, nx+j, c.At(i, j))
				m.Set(i, nx+j, b)
				m.Set(nx+j, i, -b)
			}
		}
		q := make([]float64, n)
		for i := range q {
			q[i] = rng.NormFloat64()
		}
		op := newAffineOp(m, q)
		ms[k], qs[k], ops[k] = m, q, op
		g.lMax = max(g.lMax, op.l)
		mBar.Add(mBar, m)
		floats.Add(qBar, q)
		mui := stochSymMin(m)
		if mui >= 0 {
			sumMu += mui
		} else {
			sumMu += 4 * mui
		}
	}
	mBar.Scale(1/float64(terms), mBar)
	floats.Scale(1/float64(terms), qBar)
	g.muBar = sumMu / float64(terms)
	g.mu = stochSymMin(mBar)
	g.l = newAffineOp(mBar, qBar).l

	var lu mat.LU
	lu.Factorize(mBar)
	rhs := mat.NewVecDense(n, nil)
	rhs.ScaleVec(-1, mat.NewVecDense(n, qBar))
	sol := mat.NewVecDense(n, nil)
	require.NoError(t, lu.SolveVecTo(sol, false, rhs))
	g.sol = append([]float64(nil), sol.RawVector().Data...)

	var cov mat.SymDense
	cov.ReuseAsSym(n)
	fi := make([]float64, n)
	for k := range terms {
		var d mat.Dense
		d.Sub(ms[k], mBar)
		var dtd mat.SymDense
		dtd.SymOuterK(1, d.T()) // dᵀd
		cov.AddSym(&cov, &dtd)
		ops[k].Apply(fi, g.sol)
		g.sig2 += floats.Dot(fi, fi)
	}
	cov.ScaleSym(1/float64(terms), &cov)
	var eig mat.EigenSym
	require.True(t, eig.Factorize(&cov, false))
	vals := eig.Values(nil)
	g.delta = 2 * vals[len(vals)-1]
	g.sig2 /= float64(terms)

	f, err := NewFiniteSum(ops...)
	require.NoError(t, err)
	g.f = f
	dir := make([]float64, n)
	for i := range dir {
		dir[i] = rng.NormFloat64()
	}
	floats.Scale(r0/floats.Norm(dir, 2), dir)
	g.z0 = make([]float64, n)
	floats.AddTo(g.z0, g.sol, dir)
	return g
}

// stochSymMin returns λ_min((M + Mᵀ)/2).
func stochSymMin(m *mat.Dense) float64 {
	n, _ := m.Dims()
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(s, false) {
		panic("eigen failed")
	}
	return eig.Values(nil)[0]
}

// stochMeanSquares runs a fresh method from newMethod(seed) for each of
// the seeds on p, iters iterations, and returns the mean over the seeds of
// ‖z_k − sol‖² after each iteration k = 1..iters (index k−1). extra, when
// not nil, is added to each run's value (for SPEG's ‖x_k − x̂_{k−1}‖²).
func stochMeanSquares(t testing.TB, p *Problem, sol []float64, seeds, iters int, newMethod func(seed uint64) Method, extra func(m Method) float64) []float64 {
	t.Helper()
	out := make([]float64, iters)
	for s := range seeds {
		m := newMethod(uint64(s))
		require.NoError(t, m.Init(p))
		for k := range out {
			require.NoError(t, m.Iterate())
			d := distance(m.Current(), sol)
			v := d * d
			if extra != nil {
				v += extra(m)
			}
			out[k] += v / float64(seeds)
		}
	}
	return out
}

// stochWindowMean is the mean of v[lo:hi].
func stochWindowMean(v []float64, lo, hi int) float64 {
	return floats.Sum(v[lo:hi]) / float64(hi-lo)
}

// stochRange returns k+1 for k in [lo, hi) as float64 (iteration numbers
// of stochMeanSquares' indices).
func stochRange(lo, hi int) []float64 {
	x := make([]float64, hi-lo)
	for i := range x {
		x[i] = float64(lo + i + 1)
	}
	return x
}

func TestStochasticGameConstants(t *testing.T) {
	g := stochNewGame(t, 3, 8, 1, 10)
	// The solution solves the mean operator.
	fz := make([]float64, g.f.Dim())
	g.f.Apply(fz, g.sol)
	assert.Less(t, floats.Norm(fz, 2), 1e-12)
	assert.Greater(t, g.mu, 0.4, "every term has A, C ⪰ 0.5·I")
	assert.Greater(t, g.muBar, 0.0)
	assert.Greater(t, g.sig2, 0.1, "the terms do not share the solution")
	assert.Greater(t, g.delta, 0.0)
	assert.LessOrEqual(t, g.l, g.f.Lipschitz()+1e-12)
	assert.LessOrEqual(t, g.f.Lipschitz(), g.lMax+1e-12)
	assert.InDelta(t, g.lMax, g.f.SampleLipschitz(), 1e-12)
	assert.InDelta(t, 10, Distance(g.z0, g.sol), 1e-12)
}

func TestStochasticFiniteSum(t *testing.T) {
	a := newAffineOp(mat.NewDense(2, 2, []float64{1, 2, 3, 4}), []float64{1, -1})
	b := newAffineOp(mat.NewDense(2, 2, []float64{0, -1, 1, 0}), []float64{0, 3})
	s, err := NewFiniteSum(a, b)
	require.NoError(t, err)
	require.Equal(t, 2, s.Len())
	require.Equal(t, 2, s.Dim())
	z := []float64{0.5, -2}
	got := make([]float64, 2)
	s.Apply(got, z)
	// (a(z) + b(z))/2 with a(z) = (0.5−4+1, 1.5−8−1), b(z) = (2, 0.5+3).
	assert.InDeltaSlice(t, []float64{(-2.5 + 2) / 2, (-7.5 + 3.5) / 2}, got, 1e-15)
	s.ApplySample(got, z, 1)
	assert.InDeltaSlice(t, []float64{2, 3.5}, got, 1e-15)
	assert.Same(t, Operator(b), s.Term(1))
	assert.Panics(t, func() { s.ApplySample(got, z, 2) })

	// Draw is uniform on the terms.
	r := rand.New(rand.NewPCG(1, 1))
	var count [2]int
	for range 10000 {
		count[s.Draw(r)]++
	}
	assert.InDelta(t, 5000, count[0], 200)

	assert.InDelta(t, (a.l+b.l)/2, s.Lipschitz(), 1e-15)
	assert.InDelta(t, max(a.l, b.l), s.SampleLipschitz(), 1e-15)
	noL, err := NewFiniteSum(a, funcOp{n: 2, f: func(dst, z []float64) { copy(dst, z) }})
	require.NoError(t, err)
	assert.True(t, math.IsInf(noL.Lipschitz(), 1))
	assert.True(t, math.IsInf(noL.SampleLipschitz(), 1))

	for _, c := range []struct {
		name string
		ops  []Operator
		want string
	}{
		{"empty", nil, "no terms"},
		{"nil term", []Operator{a, nil}, "term 1 is nil"},
		{"dimension", []Operator{a, funcOp{n: 3}}, "FiniteSum term 1 Dim() has length 3, want 2"},
		{"zero dimension", []Operator{funcOp{n: 0}}, "FiniteSum term 0 Dim()"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewFiniteSum(c.ops...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestStochasticGaussianNoise(t *testing.T) {
	a := newAffineOp(mat.NewDense(2, 2, []float64{2, 1, -1, 2}), []float64{1, 0})
	g, err := NewGaussianNoise(a, 0.5)
	require.NoError(t, err)
	z := []float64{1, -1}
	mean := make([]float64, 2)
	g.Apply(mean, z)
	assert.InDeltaSlice(t, []float64{2, -3}, mean, 1e-15)

	r := rand.New(rand.NewPCG(1, 1))
	x1, x2, s := make([]float64, 2), make([]float64, 2), make([]float64, 2)
	xi := g.Draw(r)
	g.ApplySample(x1, z, xi)
	g.ApplySample(x2, z, xi)
	assert.Equal(t, x1, x2, "the same sample gives the same value")
	g.ApplySample(x2, z, g.Draw(r))
	assert.NotEqual(t, x1, x2)

	// Empirical mean and variance E‖F_ξ − F‖² = nσ² = 0.5.
	const samples = 20000
	var v float64
	for range samples {
		g.ApplySample(x1, z, g.Draw(r))
		floats.Add(s, x1)
		d := distance(x1, mean)
		v += d * d / samples
	}
	floats.Scale(1.0/samples, s)
	assert.InDeltaSlice(t, mean, s, 0.02) // 4 standard errors of 0.5/√20000
	assert.InDelta(t, 0.5, v, 0.03)
	assert.InDelta(t, a.l, g.SampleLipschitz(), 1e-15)
	l, ok := lipschitzOf(g)
	assert.True(t, ok)
	assert.InDelta(t, a.l, l, 1e-15)

	for _, sigma := range []float64{-1, math.NaN(), math.Inf(1)} {
		_, err := NewGaussianNoise(a, sigma)
		var pe ErrParameter
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "sigma", pe.Field)
	}
	_, err = NewGaussianNoise(nil, 1)
	assert.ErrorIs(t, err, ErrNoOperator)
}

func TestStochasticSchedules(t *testing.T) {
	assert.Equal(t, 0.3, Constant(0.3)(1000))
	assert.InDelta(t, 0.5, InverseSqrt(1)(3), 1e-15)
	d := DecayAfter(0.1, 10, 0.02)
	assert.Equal(t, 0.1, d(10))
	assert.InDelta(t, 0.1*2/(2+0.02*90), d(100), 1e-15)

	// Switching: ω̄ up to k* = ⌈4/(μω̄)⌉ = 80, then (2k+1)/(k+1)²·2/μ.
	s := Switching(0.1, 0.5)
	assert.Equal(t, 0.1, s(0))
	assert.Equal(t, 0.1, s(80))
	assert.InDelta(t, 163.0/(82*82)*4, s(81), 1e-15)
	assert.InDelta(t, 0.1, s(81), 0.005, "the two branches nearly meet at k*")
	assert.InDelta(t, 4/(0.5*1e6), s(1e6), 1e-9)
	assert.True(t, math.IsInf(Switching(0, 0.5)(3), 1))
	assert.True(t, math.IsInf(Switching(0.1, 0)(3), 1))
}

// stochMethods are the stochastic methods with their own default
// configuration, for the checks every one of them must pass.
func stochMethods() []struct {
	name  string
	new   func() Method
	evals func(iters int) int // sample evaluations after iters iterations
} {
	return []struct {
		name  string
		new   func() Method
		evals func(iters int) int
	}{
		{"S-SEG", func() Method { return &StochasticExtragradient{} }, func(k int) int { return 2 * k }},
		{"I-SEG", func() Method { return &StochasticExtragradient{Independent: true} }, func(k int) int { return 2 * k }},
		{"S-SEG-schedule", func() Method { return &StochasticExtragradient{Schedule: InverseSqrt(0.3)} }, func(k int) int { return 2 * k }},
		{"SPEG", func() Method { return &StochasticPastExtragradient{} }, func(k int) int { return k + 1 }},
		{"SPEG-switching", func() Method { return &StochasticPastExtragradient{Mu: 0.5, Delta: 1, Decreasing: true} }, func(k int) int { return k + 1 }},
	}
}

func TestStochasticSolveCountsAndReproducibility(t *testing.T) {
	g := stochNewGame(t, 3, 8, 1, 10)
	for _, c := range stochMethods() {
		t.Run(c.name, func(t *testing.T) {
			p := &Problem{F: g.f, Z0: g.z0}
			z0 := append([]float64(nil), g.z0...)
			m := c.new()
			s := &Settings{MaxIterations: 500, Tol: -1}
			r1, err := Solve(context.Background(), p, m, s)
			require.NoError(t, err)
			assert.Equal(t, IterationLimit, r1.Status)
			assert.Equal(t, c.evals(500), r1.Evaluations, "sample evaluations counted through Solve")
			assert.Equal(t, 501, r1.Checks, "Solve measures every iterate with the mean")
			assert.Equal(t, 0, r1.Projections)
			assert.Equal(t, z0, g.z0, "Z0 untouched")
			assert.Less(t, Distance(r1.Z, g.sol), 0.1*Distance(g.z0, g.sol))
			assert.InDelta(t, NaturalResidual(g.f, nil, r1.Z), r1.Residual, 1e-12)

			// The same method value again: bit-identical.
			r2, err := Solve(context.Background(), p, m, s)
			require.NoError(t, err)
			assert.Equal(t, r1.Z, r2.Z)
			assert.Equal(t, r1.Average, r2.Average)

			// Another seed: a different run.
			stochSetSeed(m, 7)
			r3, err := Solve(context.Background(), p, m, s)
			require.NoError(t, err)
			assert.NotEqual(t, r1.Z, r3.Z)

			// An explicit Src is used as it stands: the same stream as the
			// default generator of the same seed, and not reset.
			stochSetSeed(m, 0)
			stochSetSrc(m, rand.NewPCG(1, 2))
			r4, err := Solve(context.Background(), p, m, s)
			require.NoError(t, err)
			assert.Equal(t, r1.Z, r4.Z)
			r5, err := Solve(context.Background(), p, m, s)
			require.NoError(t, err)
			assert.NotEqual(t, r1.Z, r5.Z)

			// The evaluation limit applies to sample evaluations.
			stochSetSrc(m, nil)
			r6, err := Solve(context.Background(), p, m, &Settings{MaxEvaluations: 101, Tol: -1})
			require.NoError(t, err)
			assert.Equal(t, EvaluationLimit, r6.Status)
			assert.GreaterOrEqual(t, r6.Evaluations, 101)
			assert.Less(t, r6.Evaluations, 104)
		})
	}
}

func stochSetSeed(m Method, seed uint64) {
	switch m := m.(type) {
	case *StochasticExtragradient:
		m.Seed = seed
	case *StochasticPastExtragradient:
		m.Seed = seed
	}
}

func stochSetSrc(m Method, src rand.Source) {
	switch m := m.(type) {
	case *StochasticExtragradient:
		m.Src = src
	case *StochasticPastExtragradient:
		m.Src = src
	}
}

func TestStochasticProjected(t *testing.T) {
	// On the box [−0.2, 0.2]ⁿ every iterate stays feasible and the
	// projection count is 2 per iteration.
	g := stochNewGame(t, 3, 8, 1, 10)
	n := g.f.Dim()
	lo, hi := make([]float64, n), make([]float64, n)
	for i := range lo {
		lo[i], hi[i] = -0.2, 0.2
	}
	box := Box{Lo: lo, Hi: hi}
	for _, c := range stochMethods() {
		t.Run(c.name, func(t *testing.T) {
			p := &Problem{F: g.f, C: box, Z0: g.z0}
			m := c.new()
			require.NoError(t, m.Init(p))
			for range 200 {
				require.NoError(t, m.Iterate())
				for _, v := range m.Current() {
					require.True(t, v >= -0.2 && v <= 0.2)
				}
			}
			r, err := Solve(context.Background(), p, m, &Settings{MaxIterations: 50, Tol: -1})
			require.NoError(t, err)
			assert.Equal(t, 100+1, r.Projections, "2 per iteration, and Z0's")
		})
	}
}

func TestStochasticZeroAllocs(t *testing.T) {
	g := stochNewGame(t, 3, 8, 1, 10)
	n := g.f.Dim()
	lo, hi := make([]float64, n), make([]float64, n)
	for i := range lo {
		lo[i], hi[i] = -1, 1
	}
	noise, err := NewGaussianNoise(g.f, 0.1)
	require.NoError(t, err)
	for _, c := range stochMethods() {
		for _, pc := range []struct {
			name string
			p    *Problem
		}{
			{"finite-sum", &Problem{F: g.f, Z0: g.z0}},
			{"box", &Problem{F: g.f, C: Box{Lo: lo, Hi: hi}, Z0: g.z0}},
			{"gaussian", &Problem{F: noise, Z0: g.z0}},
			{"counted", &Problem{F: &counter{op: g.f}, Z0: g.z0}},
		} {
			t.Run(c.name+"/"+pc.name, func(t *testing.T) {
				m := c.new()
				require.NoError(t, m.Init(pc.p))
				allocs := testing.AllocsPerRun(100, func() {
					if err := m.Iterate(); err != nil {
						panic(err)
					}
				})
				assert.Zero(t, allocs)
			})
		}
	}
}

func TestStochasticBadParameters(t *testing.T) {
	g := stochNewGame(t, 2, 4, 1, 1)
	p := &Problem{F: g.f, Z0: g.z0}
	for _, c := range []struct {
		name   string
		m      Method
		field  string
		method string
	}{
		{"seg step", &StochasticExtragradient{Step: -1}, "Step", "StochasticExtragradient"},
		{"seg ratio", &StochasticExtragradient{Ratio: 1.5}, "Ratio", "StochasticExtragradient"},
		{"seg ratio nan", &StochasticExtragradient{Ratio: math.NaN()}, "Ratio", "StochasticExtragradient"},
		{"seg L", &StochasticExtragradient{L: math.Inf(1)}, "L", "StochasticExtragradient"},
		{"seg mu", &StochasticExtragradient{Mu: -0.1}, "Mu", "StochasticExtragradient"},
		{"seg schedule", &StochasticExtragradient{Schedule: Constant(-1)}, "Schedule", "StochasticExtragradient"},
		{"speg step", &StochasticPastExtragradient{Step: math.NaN()}, "Step", "StochasticPastExtragradient"},
		{"speg delta", &StochasticPastExtragradient{Delta: -2}, "Delta", "StochasticPastExtragradient"},
		{"speg mu", &StochasticPastExtragradient{Mu: -2}, "Mu", "StochasticPastExtragradient"},
		{"speg decreasing without mu", &StochasticPastExtragradient{Decreasing: true}, "Mu", "StochasticPastExtragradient"},
		{"speg schedule", &StochasticPastExtragradient{Schedule: func(int) float64 { return math.NaN() }}, "Schedule", "StochasticPastExtragradient"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.m.Init(p)
			var pe ErrParameter
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, c.field, pe.Field)
			assert.Equal(t, c.method, pe.Method)
			assert.Contains(t, err.Error(), c.method+"."+c.field)
			assert.ErrorIs(t, c.m.Iterate(), errNotInit, "a failed Init leaves the method unusable")
		})
	}

	// A schedule that turns bad later is caught by Iterate.
	m := &StochasticExtragradient{Schedule: func(k int) float64 { return 0.01 * float64(5-k) }}
	require.NoError(t, m.Init(p))
	var err error
	for range 10 {
		if err = m.Iterate(); err != nil {
			break
		}
	}
	var pe ErrParameter
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "Schedule", pe.Field)
	assert.Contains(t, err.Error(), "k = 5")
	r, serr := Solve(context.Background(), p, m, nil)
	require.Error(t, serr)
	assert.Equal(t, Failure, r.Status)

	// No step known: a deterministic operator without a Lipschitz constant
	// wrapped as a stochastic one.
	noL, err := NewGaussianNoise(funcOp{n: 2, f: func(dst, z []float64) { copy(dst, z) }}, 1)
	require.NoError(t, err)
	for _, m := range []Method{&StochasticExtragradient{}, &StochasticExtragradient{Independent: true}, &StochasticPastExtragradient{}} {
		assert.ErrorIs(t, m.Init(&Problem{F: noL}), ErrNoStep)
	}

	// Not a stochastic operator.
	det := xyGame().p
	for _, m := range []Method{&StochasticExtragradient{}, &StochasticPastExtragradient{}} {
		err := m.Init(det)
		require.ErrorIs(t, err, ErrNotStochastic)
		_, err = Solve(context.Background(), det, m, nil)
		assert.True(t, errors.Is(err, ErrNotStochastic))
	}
}

// stochMap is one affine map s ↦ As + b of a random affine recursion
// s_{k+1} = A s_k + b with (A, b) drawn uniformly from a list of maps,
// independently at every step. On affine terms every stochastic method of
// this package is such a recursion in its error z_k − z*, which gives
// exact figures to test against.
type stochMap struct {
	a *mat.Dense
	b []float64
}

// stochRecursion holds the averages of a random affine recursion that
// the exact figures are computed from: Ā = E[A], b̄ = E[b] and
// E[A ⊗ A], which maps E[s sᵀ] (row-major) to E[A s sᵀ Aᵀ].
type stochRecursion struct {
	maps []stochMap
	d    int
	aBar *mat.Dense
	bBar []float64
	kron *mat.Dense
}

func stochNewRecursion(maps []stochMap) *stochRecursion {
	d, _ := maps[0].a.Dims()
	w := 1 / float64(len(maps))
	r := &stochRecursion{maps: maps, d: d, aBar: mat.NewDense(d, d, nil), bBar: make([]float64, d), kron: mat.NewDense(d*d, d*d, nil)}
	for _, mp := range maps {
		r.aBar.Add(r.aBar, mp.a)
		floats.Add(r.bBar, mp.b)
		var k mat.Dense
		k.Kronecker(mp.a, mp.a)
		r.kron.Add(r.kron, &k)
	}
	r.aBar.Scale(w, r.aBar)
	floats.Scale(w, r.bBar)
	r.kron.Scale(w, r.kron)
	return r
}

// forcing returns E[A m bᵀ + b mᵀ Aᵀ + b bᵀ], the part of E[s' s'ᵀ] that
// does not come from E[s sᵀ] when E[s] = m.
func (r *stochRecursion) forcing(m []float64) *mat.Dense {
	d := r.d
	w := 1 / float64(len(r.maps))
	c := mat.NewDense(d, d, nil)
	am := make([]float64, d)
	for _, mp := range r.maps {
		mat.NewVecDense(d, am).MulVec(mp.a, mat.NewVecDense(d, m))
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				c.Set(i, j, c.At(i, j)+w*(am[i]*mp.b[j]+mp.b[i]*am[j]+mp.b[i]*mp.b[j]))
			}
		}
	}
	return c
}

// meanSquares returns the exact E‖s_k[:n]‖² for k = 1..iters from s_0,
// by the moment recursion m' = Ām + b̄, E[s' s'ᵀ] = E[A ⊗ A]·E[s sᵀ] +
// forcing(m) [derived].
func (r *stochRecursion) meanSquares(s0 []float64, n, iters int) []float64 {
	d := r.d
	s2 := mat.NewDense(d, d, nil)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			s2.Set(i, j, s0[i]*s0[j])
		}
	}
	return r.meanSquaresFrom(s0, s2, n, iters)
}

// meanSquaresFrom is meanSquares from a random s_0 with mean m0 and
// second moment E[s_0 s_0ᵀ] = s2.
func (r *stochRecursion) meanSquaresFrom(m0 []float64, s2 *mat.Dense, n, iters int) []float64 {
	d := r.d
	m := append([]float64(nil), m0...)
	sv := mat.NewVecDense(d*d, append([]float64(nil), s2.RawMatrix().Data...))
	next := mat.NewVecDense(d*d, nil)
	mNext := make([]float64, d)
	out := make([]float64, iters)
	for k := range out {
		c := r.forcing(m)
		next.MulVec(r.kron, sv)
		next.AddVec(next, mat.NewVecDense(d*d, c.RawMatrix().Data))
		mat.NewVecDense(d, mNext).MulVec(r.aBar, mat.NewVecDense(d, m))
		floats.Add(mNext, r.bBar)
		sv, next = next, sv
		m, mNext = mNext, m
		for i := 0; i < n; i++ {
			out[k] += sv.AtVec(i*d + i)
		}
	}
	return out
}

// stationary returns the stationary mean m = (I − Ā)⁻¹b̄, the stationary
// second moment S = E[s sᵀ], the solution of S = E[A S Aᵀ] + forcing(m),
// and the mean-square rate: the spectral radius of E[A ⊗ A], the factor by
// which E[s sᵀ] contracts per step far from stationarity [derived].
func (r *stochRecursion) stationary(t testing.TB) (m []float64, s *mat.Dense, rate float64) {
	t.Helper()
	d := r.d
	id := func(n int) *mat.Dense {
		e := mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			e.Set(i, i, 1)
		}
		return e
	}
	var ia mat.Dense
	ia.Sub(id(d), r.aBar)
	mv := mat.NewVecDense(d, nil)
	require.NoError(t, mv.SolveVec(&ia, mat.NewVecDense(d, r.bBar)))
	m = mv.RawVector().Data
	c := r.forcing(m)
	var ik mat.Dense
	ik.Sub(id(d*d), r.kron)
	vs := mat.NewVecDense(d*d, nil)
	require.NoError(t, vs.SolveVec(&ik, mat.NewVecDense(d*d, c.RawMatrix().Data)))
	s = mat.NewDense(d, d, vs.RawVector().Data)

	var eig mat.Eigen
	require.True(t, eig.Factorize(r.kron, mat.EigenNone))
	for _, v := range eig.Values(nil) {
		rate = max(rate, math.Hypot(real(v), imag(v)))
	}
	return m, s, rate
}

// stochStationary is stochNewRecursion(maps).stationary(t).
func stochStationary(t testing.TB, maps []stochMap) (m []float64, s *mat.Dense, rate float64) {
	t.Helper()
	return stochNewRecursion(maps).stationary(t)
}

// stochTrace returns the sum of the first n diagonal entries of s: the
// stationary E‖z − z*‖² when the state starts with the error z − z*.
func stochTrace(s *mat.Dense, n int) float64 {
	var tr float64
	for i := 0; i < n; i++ {
		tr += s.At(i, i)
	}
	return tr
}

// stochTerms returns the matrices Mᵢ and residuals rᵢ = Fᵢ(z*) of the
// game's terms.
func stochTerms(g stochGame) ([]*mat.Dense, [][]float64) {
	ms := make([]*mat.Dense, g.f.Len())
	rs := make([][]float64, g.f.Len())
	for i := range ms {
		op := g.f.Term(i).(*affineOp)
		ms[i] = op.m
		rs[i] = make([]float64, g.f.Dim())
		op.Apply(rs[i], g.sol)
	}
	return ms, rs
}
