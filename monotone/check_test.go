package monotone

import (
	"errors"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/vi"
)

// checkNegComono returns M = [[b, a], [−a, b]], the operator of
// f(x, y) = axy + (b/2)x² − (b/2)y², with comonotonicity modulus
// r = b/(a² + b²) for every pair (ALGORITHMS.md Part II B5.3).
func checkNegComono(b, a float64) *mat.Dense {
	return mat.NewDense(2, 2, []float64{b, a, -a, b})
}

// checkFunc hides the affine parts of F, so that the checks must sample.
func checkFunc(t *testing.T, m *mat.Dense) Func {
	t.Helper()
	a, err := NewAffine(m, nil)
	require.NoError(t, err)
	n, _ := m.Dims()
	return Func{N: n, F: a.Apply}
}

// checkWrapper wraps an operator the way vi.Solve's counter does.
type checkWrapper struct{ vi.Operator }

func (w checkWrapper) Unwrap() vi.Operator { return w.Operator }

func TestComonotonicityExactB53(t *testing.T) {
	cases := []struct {
		name string
		b, a float64
	}{
		{"Pethick lower bound", -1, 2 * math.Sqrt2}, // r = −1/9 = −1/(3L), L = 3
		{"identity", 1, 0},                          // 1-cocoercive
		{"rotation", 0, 1},                          // monotone, r = 0
		{"cocoercive", 2, 1},                        // r = 2/5
		{"weakly negative", -0.5, 3},                // r = −0.5/9.25
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.b / (c.a*c.a + c.b*c.b)
			m := checkNegComono(c.b, c.a)
			a, err := NewAffine(m, []float64{1, 2})
			require.NoError(t, err)
			exact, err := Comonotonicity(a, nil)
			require.NoError(t, err)
			assert.InDelta(t, want, exact, 1e-14)
			// The ratio is the same for every pair, so the sampled
			// estimate is exact too.
			sampled, err := Comonotonicity(checkFunc(t, m), nil)
			require.NoError(t, err)
			assert.InDelta(t, want, sampled, 1e-10)
			// Monotonicity modulus b, Lipschitz √(a² + b²).
			mu, err := Monotonicity(a, nil)
			require.NoError(t, err)
			assert.InDelta(t, c.b, mu, 1e-14)
			l, err := Lipschitz(a, nil)
			require.NoError(t, err)
			assert.InDelta(t, math.Hypot(c.a, c.b), l, 1e-12)
		})
	}
	m := checkNegComono(-1, 2*math.Sqrt2)
	a, err := NewAffine(m, nil)
	require.NoError(t, err)
	r, err := Comonotonicity(a, nil)
	require.NoError(t, err)
	assert.InDelta(t, -1.0/9, r, 1e-15)
	assert.InDelta(t, 3, a.Lipschitz(), 1e-12)
}

// TestComonotonicityTightPPExample checks the worst case of GTHG 2023
// Thm 5: F = α R_θ with cos θ = −ρ/√(Nγ(γ − 2ρ)) and α = |cos θ|/ρ is
// ρ-negatively comonotone with equality, r = −ρ.
func TestComonotonicityTightPPExample(t *testing.T) {
	for _, c := range []struct{ rho, gamma, n float64 }{{0.1, 1, 10}, {0.5, 2, 4}, {1, 3, 100}} {
		cos := -c.rho / math.Sqrt(c.n*c.gamma*(c.gamma-2*c.rho))
		sin := math.Sqrt(1 - cos*cos)
		alpha := math.Abs(cos) / c.rho
		m := mat.NewDense(2, 2, []float64{alpha * cos, -alpha * sin, alpha * sin, alpha * cos})
		a, err := NewAffine(m, nil)
		require.NoError(t, err)
		r, err := Comonotonicity(a, nil)
		require.NoError(t, err)
		assert.InDelta(t, -c.rho, r, 1e-12, "ρ = %v", c.rho)
	}
}

func TestComonotonicityExactSingular(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	var q mat.QR
	q.Factorize(affineRandom(rng, 3, 3))
	var u mat.Dense
	q.QTo(&u)
	// Symmetric PSD with eigenvalues 4, 1, 0: range ⊥ kernel, r = 1/4
	// (Baillon–Haddad: the gradient of an L-smooth convex function is
	// 1/L-cocoercive).
	var psd mat.Dense
	psd.Product(&u, mat.NewDiagDense(3, []float64{4, 1, 0}), u.T())
	// A bilinear J with m ≠ n is skew and singular: r = 0.
	bil, err := NewBilinear(affineRandom(rng, 2, 3), nil, nil)
	require.NoError(t, err)
	j, _ := bil.Affine()

	cases := []struct {
		name string
		m    *mat.Dense
		want float64
	}{
		{"diag(2, 0)", mat.NewDense(2, 2, []float64{2, 0, 0, 0}), 0.5},
		{"rotated PSD", &psd, 0.25},
		{"bilinear 2x3", mat.DenseCopyOf(j), 0},
		{"zero", mat.NewDense(2, 2, nil), math.Inf(1)},
		// Range span{e₁} meets kernel span{e₁}: ⟨Mv, v⟩/‖Mv‖² = v₁/v₂
		// is unbounded below.
		{"nilpotent", mat.NewDense(2, 2, []float64{0, 1, 0, 0}), math.Inf(-1)},
		{"[[1,1],[0,0]]", mat.NewDense(2, 2, []float64{1, 1, 0, 0}), math.Inf(-1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewAffine(c.m, nil)
			require.NoError(t, err)
			r, err := Comonotonicity(a, nil)
			require.NoError(t, err)
			if math.IsInf(c.want, 0) {
				assert.Equal(t, c.want, r)
				return
			}
			assert.InDelta(t, c.want, r, 1e-12)
		})
	}
	// Sampling the nilpotent operator finds ever more negative ratios,
	// consistent with −Inf: on [−1, 1]² already below −10.
	sampled, err := Comonotonicity(checkFunc(t, mat.NewDense(2, 2, []float64{0, 1, 0, 0})), nil)
	require.NoError(t, err)
	assert.Less(t, sampled, -10.0)
}

// TestComonotonicityRandom checks the exact modulus of random matrices
// against the definition and the spectral test of GTHG 2023 (Thm 1).
func TestComonotonicityRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for trial := 0; trial < 20; trial++ {
		n := 2 + trial%4
		m := affineRandom(rng, n, n)
		a, err := NewAffine(m, nil)
		require.NoError(t, err)
		r, err := Comonotonicity(a, nil)
		require.NoError(t, err)
		require.False(t, math.IsInf(r, 0), "invertible M has a finite modulus")

		// Valid: no pair goes below r. Tight: some v reaches it, namely
		// v = M⁻¹u for u the eigenvector of sym(M⁻¹) of eigenvalue r.
		sampled, err := Comonotonicity(checkFunc(t, m), &Sampling{Pairs: 2000})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, sampled, r-1e-10, "trial %d", trial)
		var inv mat.Dense
		require.NoError(t, inv.Inverse(m))
		sym := mat.NewSymDense(n, nil)
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				sym.SetSym(i, j, (inv.At(i, j)+inv.At(j, i))/2)
			}
		}
		var eig mat.EigenSym
		require.True(t, eig.Factorize(sym, true))
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		uvec := mat.NewVecDense(n, mat.Col(nil, 0, &vecs))
		var v, mv mat.VecDense
		v.MulVec(&inv, uvec)
		mv.MulVec(m, &v)
		ratio := mat.Dot(&mv, &v) / mat.Dot(&mv, &mv)
		assert.InDelta(t, r, ratio, 1e-9*math.Max(1, math.Abs(r)), "trial %d: witness", trial)

		// Spectral test: r ≤ min Re(1/λ), with equality for normal M.
		var ev mat.Eigen
		require.True(t, ev.Factorize(m, mat.EigenNone))
		assert.LessOrEqual(t, r, checkMinReInv(ev.Values(nil))+1e-12, "trial %d", trial)
	}
}

func checkMinReInv(lambda []complex128) float64 {
	minRe := math.Inf(1)
	for _, l := range lambda {
		if cmplx.Abs(l) > 1e-12 {
			minRe = math.Min(minRe, real(1/l))
		}
	}
	return minRe
}

// TestComonotonicityNormalSpectral: for normal M = Q·blockdiag(s_k R_k)·Qᵀ
// the exact modulus equals min Re(1/λ) (GTHG 2023, Thm 1).
func TestComonotonicityNormalSpectral(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 10; trial++ {
		d := mat.NewDense(5, 5, nil)
		for k := 0; k < 2; k++ {
			s, th := 0.5+2*rng.Float64(), 2*math.Pi*rng.Float64()
			d.Set(2*k, 2*k, s*math.Cos(th))
			d.Set(2*k, 2*k+1, -s*math.Sin(th))
			d.Set(2*k+1, 2*k, s*math.Sin(th))
			d.Set(2*k+1, 2*k+1, s*math.Cos(th))
		}
		d.Set(4, 4, 3*rng.NormFloat64())
		var q mat.QR
		q.Factorize(affineRandom(rng, 5, 5))
		var u, m mat.Dense
		q.QTo(&u)
		m.Product(&u, d, u.T())
		a, err := NewAffine(&m, nil)
		require.NoError(t, err)
		r, err := Comonotonicity(a, nil)
		require.NoError(t, err)
		var ev mat.Eigen
		require.True(t, ev.Factorize(&m, mat.EigenNone))
		assert.InDelta(t, checkMinReInv(ev.Values(nil)), r, 1e-9, "trial %d", trial)
	}
}

func TestMonotonicity(t *testing.T) {
	// Quadratic-bilinear M = [[a, b], [−b, c]]: μ = min(a, c)
	// (ALGORITHMS.md Part II B4.3).
	for _, c := range []struct{ a, b, c float64 }{{1, 3, 2}, {2, -1, 2}, {0.5, 10, 4}, {-1, 1, 1}} {
		m := mat.NewDense(2, 2, []float64{c.a, c.b, -c.b, c.c})
		a, err := NewAffine(m, nil)
		require.NoError(t, err)
		mu, err := Monotonicity(checkWrapper{a}, nil) // exact through a wrapper
		require.NoError(t, err)
		assert.InDelta(t, math.Min(c.a, c.c), mu, 1e-14)
		// Sampled: an upper bound, close in two dimensions. Pairs as
		// close as 1e-3 lose about ε/1e-3 relative to cancellation.
		sampled, err := Monotonicity(checkFunc(t, m), &Sampling{Pairs: 5000})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, sampled, mu-1e-10)
		assert.InDelta(t, mu, sampled, 0.01*math.Abs(c.a-c.c)+1e-10)
	}
}

func TestLipschitzSampledIsLowerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	m := affineRandom(rng, 3, 3)
	exact := affineSigmaMax(t, m)
	a, err := NewAffine(m, nil)
	require.NoError(t, err)
	got, err := Lipschitz(checkWrapper{a}, nil)
	require.NoError(t, err)
	assert.InDelta(t, exact, got, 1e-10*exact)
	sampled, err := Lipschitz(checkFunc(t, m), &Sampling{Pairs: 5000})
	require.NoError(t, err)
	assert.LessOrEqual(t, sampled, exact*(1+1e-12))
	assert.Greater(t, sampled, 0.95*exact)

	// A nonlinear operator: F(z) = (sin z₁, sin z₂) has L = 1, attained
	// near 0; on the box [−0.1, 0.1]² the sampled value is cos 0.1 to 1.
	sinOp := Func{N: 2, F: func(dst, z []float64) { dst[0], dst[1] = math.Sin(z[0]), math.Sin(z[1]) }}
	l, err := Lipschitz(sinOp, &Sampling{Radius: 0.1})
	require.NoError(t, err)
	assert.LessOrEqual(t, l, 1.0)
	assert.Greater(t, l, math.Cos(0.1))
	// Centered at π/2 on a box of radius 0.1, sin′ ≤ sin 0.1 ≈ 0.0998.
	l, err = Lipschitz(sinOp, &Sampling{Center: []float64{math.Pi / 2, math.Pi / 2}, Radius: 0.1})
	require.NoError(t, err)
	assert.LessOrEqual(t, l, math.Sin(0.1))
	assert.Greater(t, l, 0.05)
}

func TestSamplingIsReproducible(t *testing.T) {
	op := Func{N: 2, F: func(dst, z []float64) { dst[0], dst[1] = z[0]*z[0]*z[1], -z[0] }}
	first, err := Comonotonicity(op, nil)
	require.NoError(t, err)
	second, err := Comonotonicity(op, nil)
	require.NoError(t, err)
	assert.Equal(t, first, second, "nil Src is a fixed seed")
	other, err := Comonotonicity(op, &Sampling{Src: rand.NewPCG(9, 9)})
	require.NoError(t, err)
	assert.NotEqual(t, first, other)
}

func TestChecksRejectBadInput(t *testing.T) {
	op := funcRotation(0)
	nanOp := Func{N: 2, F: func(dst, z []float64) { dst[0], dst[1] = math.NaN(), 0 }}
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"nil operator", func() error { _, err := Lipschitz(nil, nil); return err }, "monotone: Lipschitz: operator is nil"},
		{"zero dimension", func() error { _, err := Monotonicity(Func{}, nil); return err }, "monotone: Monotonicity: operator has dimension 0"},
		{"center length", func() error {
			_, err := Comonotonicity(op, &Sampling{Center: []float64{1}})
			return err
		}, "monotone: Comonotonicity: Sampling.Center has length 1, want 2"},
		{"center NaN", func() error {
			_, err := Lipschitz(op, &Sampling{Center: []float64{0, math.NaN()}})
			return err
		}, "monotone: Lipschitz: Sampling.Center[1] = NaN is not finite"},
		{"negative radius", func() error { _, err := Lipschitz(op, &Sampling{Radius: -1}); return err }, "monotone: Lipschitz: Sampling.Radius = -1, want finite and ≥ 0"},
		{"negative pairs", func() error { _, err := Lipschitz(op, &Sampling{Pairs: -3}); return err }, "monotone: Lipschitz: Sampling.Pairs = -3, want ≥ 0"},
		{"NaN value", func() error { _, err := Monotonicity(nanOp, nil); return err }, "monotone: Monotonicity: pair 0: monotone: operator value is not finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.EqualError(t, c.run(), c.want)
		})
	}
	_, err := Monotonicity(nanOp, nil)
	assert.True(t, errors.Is(err, ErrNotFinite))
}

// checkForsaken is the "Forsaken" operator of ALGORITHMS.md Part II B5.1,
// F(x, y) = (ψ(x) + y − 0.45, −x + ψ(y)), ψ(z) = z/2 − 2z³ + z⁵, with its
// Jacobian [[ψ′(x), 1], [−1, ψ′(y)]].
func checkForsaken() (Func, func(dst *mat.Dense, z []float64)) {
	psi := func(z float64) float64 { return z/2 - 2*z*z*z + z*z*z*z*z }
	dpsi := func(z float64) float64 { return 0.5 - 6*z*z + 5*z*z*z*z }
	f := Func{N: 2, F: func(dst, z []float64) {
		dst[0] = psi(z[0]) + z[1] - 0.45
		dst[1] = -z[0] + psi(z[1])
	}}
	jac := func(dst *mat.Dense, z []float64) {
		dst.Set(0, 0, dpsi(z[0]))
		dst.Set(0, 1, 1)
		dst.Set(1, 0, -1)
		dst.Set(1, 1, dpsi(z[1]))
	}
	return f, jac
}

func TestCheckJacobian(t *testing.T) {
	f, jac := checkForsaken()
	for _, z := range [][]float64{{0, 0}, {0.3, -1.2}, {1.4, 0.9}} {
		require.NoError(t, CheckJacobian(f, jac, z, 0), "z = %v", z)
	}
	wrong := func(dst *mat.Dense, z []float64) {
		jac(dst, z)
		dst.Set(1, 0, 1) // sign error in ∂F₂/∂x
	}
	err := CheckJacobian(f, wrong, []float64{0.3, -1.2}, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "monotone: CheckJacobian: entry [1][0] is 1, finite differences give -1")

	require.EqualError(t, CheckJacobian(f, jac, []float64{1}, 0), "monotone: CheckJacobian: monotone: Jacobian: z has length 1, want 2")
	require.EqualError(t, CheckJacobian(f, nil, []float64{1, 2}, 0), "monotone: CheckJacobian: jac is nil")
	require.EqualError(t, CheckJacobian(f, jac, []float64{1, 2}, -1), "monotone: CheckJacobian: tol = -1, want finite and ≥ 0")
}

func TestJacobianOfAffineIsM(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	m := affineRandom(rng, 4, 4)
	a, err := NewAffine(m, affineRandomVector(rng, 4))
	require.NoError(t, err)
	z := affineRandomVector(rng, 4)
	j, err := Jacobian(a, z)
	require.NoError(t, err)
	assert.True(t, mat.EqualApprox(m, j, 1e-8), "%v", mat.Formatted(j))
	zCopy := append([]float64(nil), z...)
	_, err = Jacobian(a, z)
	require.NoError(t, err)
	assert.Equal(t, zCopy, z, "z is not modified")

	_, err = Jacobian(a, []float64{0, math.Inf(1), 0, 0})
	require.EqualError(t, err, "monotone: Jacobian: z[1] = +Inf is not finite")
}

func TestSpectralNormShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for _, s := range [][2]int{{1, 1}, {1, 50}, {50, 1}, {3, 200}, {200, 3}, {150, 150}} {
		m := affineRandom(rng, s[0], s[1])
		want := affineSigmaMax(t, m)
		assert.InDelta(t, want, SpectralNorm(m), 1e-10*want, "%v", s)
		// Any mat.Matrix: a transpose view.
		assert.InDelta(t, want, SpectralNorm(m.T()), 1e-10*want, "%v transposed", s)
	}
	assert.Zero(t, SpectralNorm(mat.NewDense(3, 4, nil)))
}

// TestChecksOnBilinear: the shortcuts for Bilinear agree with the general
// affine path on its block matrix J.
func TestChecksOnBilinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for _, a := range []*mat.Dense{affineRandom(rng, 3, 5), affineRandom(rng, 4, 4), mat.NewDense(2, 3, nil)} {
		o, err := NewBilinear(a, nil, nil)
		require.NoError(t, err)
		j, _ := o.Affine()
		viaJ, err := NewAffine(mat.DenseCopyOf(j), nil)
		require.NoError(t, err)
		for name, check := range map[string]func(vi.Operator, *Sampling) (float64, error){
			"Lipschitz": Lipschitz, "Monotonicity": Monotonicity, "Comonotonicity": Comonotonicity,
		} {
			fast, err := check(checkWrapper{o}, nil)
			require.NoError(t, err)
			general, err := check(viaJ, nil)
			require.NoError(t, err)
			if math.IsInf(general, 0) {
				assert.Equal(t, general, fast, name)
				continue
			}
			assert.InDelta(t, general, fast, 1e-10, name)
		}
	}
}
