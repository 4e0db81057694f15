package games

import (
	"math"
	"testing"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestBilinearToy(t *testing.T) {
	toy, err := Bilinear(8, 3)
	require.NoError(t, err)
	p := toy.Problem
	assert.Equal(t, 16, p.F.Dim())
	assert.Equal(t, 8, toy.Split)
	// The recorded solution zeroes F: A y* = −b and Aᵀx* = −c.
	assert.Less(t, vi.OperatorNorm(p.F, toy.Solution), 1e-12)
	// A = I + G/(2‖G‖) has singular values in [1/2, 3/2].
	m, _ := p.F.(vi.AffineOperator).Affine()
	var svd mat.SVD
	require.True(t, svd.Factorize(m, mat.SVDNone))
	for _, s := range svd.Values(nil) {
		assert.GreaterOrEqual(t, s, 0.5-1e-12)
		assert.LessOrEqual(t, s, 1.5+1e-12)
	}
	assert.InDelta(t, svd.Values(nil)[0], toy.L, 1e-9)
	_, err = Bilinear(0, 1)
	assert.EqualError(t, err, "games: bilinear: n = 0, want ≥ 1")
}

func TestQuadraticBilinearToy(t *testing.T) {
	toy, err := QuadraticBilinear(1, 3, 1)
	require.NoError(t, err)
	// a = c: M = I + 3J, L = √(a² + b²) = √10 (ALGORITHMS.md B4.3).
	assert.InDelta(t, math.Sqrt(10), toy.L, 1e-9)
	assert.Equal(t, []float64{0, 0}, toy.Solution)
	fz := make([]float64, 2)
	toy.Problem.F.Apply(fz, []float64{2, -1})
	assert.InDeltaSlice(t, []float64{2 - 3, -6 - 1}, fz, 1e-15, "F = (ax + by, −bx + cy)")

	toy, err = QuadraticBilinear(0, 0, 1)
	require.NoError(t, err)
	assert.Nil(t, toy.Solution, "singular M: the solution set is a line")
	_, err = QuadraticBilinear(-1, 1, 1)
	assert.ErrorContains(t, err, "want both ≥ 0")
	_, err = QuadraticBilinear(math.NaN(), 1, 1)
	assert.ErrorContains(t, err, "a = NaN is not finite")
}

func TestFiniteSumToy(t *testing.T) {
	toy, err := FiniteSum(4, 6, 2)
	require.NoError(t, err)
	fs, ok := toy.Problem.F.(*vi.FiniteSum)
	require.True(t, ok)
	assert.Equal(t, 6, fs.Len())
	assert.Less(t, vi.OperatorNorm(fs, toy.Solution), 1e-12, "the solution zeroes the mean")
	// The mean is the average of the terms.
	z := toy.Problem.Z0
	want := make([]float64, 8)
	buf := make([]float64, 8)
	for i := 0; i < fs.Len(); i++ {
		fs.Term(i).Apply(buf, z)
		for k := range want {
			want[k] += buf[k] / 6
		}
	}
	got := make([]float64, 8)
	fs.Apply(got, z)
	assert.InDeltaSlice(t, want, got, 1e-12)
	_, err = FiniteSum(3, 0, 1)
	assert.ErrorContains(t, err, "terms = 0")
}

func TestComonotoneToys(t *testing.T) {
	for _, c := range []struct{ rho, l float64 }{{1.0 / 9, 3}, {0.5, math.Sqrt2}, {0, 2}, {0.01, 5}} {
		toy, err := Comonotone(c.rho, c.l)
		require.NoError(t, err)
		// The exact comonotonicity modulus r (⟨ΔF, Δz⟩ ≥ r‖ΔF‖²) is −ρ, and
		// the Lipschitz constant is L.
		r, err := monotone.Comonotonicity(toy.Problem.F, nil)
		require.NoError(t, err)
		assert.InDelta(t, -c.rho, r, 1e-12)
		l, err := monotone.Lipschitz(toy.Problem.F, nil)
		require.NoError(t, err)
		assert.InDelta(t, c.l, l, 1e-9)
	}
	// Pethick et al.'s lower-bound example: b = −1, a = 2√2.
	toy, err := Comonotone(1.0/9, 3)
	require.NoError(t, err)
	m, _ := toy.Problem.F.(vi.AffineOperator).Affine()
	assert.InDelta(t, -1, m.At(0, 0), 1e-12)
	assert.InDelta(t, 2*math.Sqrt2, m.At(0, 1), 1e-12)

	_, err = Comonotone(1, 3)
	assert.ErrorContains(t, err, "want 0 ≤ rho ≤ 1/L")

	// The tight family: cos θ = −ρ/√(nγ(γ−2ρ)), α = |cos θ|/ρ.
	rho, gamma, n := 0.25, 1.0, 50
	tight, err := ComonotoneTight(rho, gamma, n)
	require.NoError(t, err)
	cos := -rho / math.Sqrt(float64(n)*gamma*(gamma-2*rho))
	assert.InDelta(t, -cos/rho, tight.L, 1e-12)
	r, err := monotone.Comonotonicity(tight.Problem.F, nil)
	require.NoError(t, err)
	assert.InDelta(t, -rho, r, 1e-12)
	_, err = ComonotoneTight(0.25, 0.5, 10)
	assert.ErrorContains(t, err, "want > 2·rho")
}

func TestForsakenAndPolar(t *testing.T) {
	f := Forsaken()
	// ALGORITHMS.md B5.1: z* = (0.0780267, 0.4119339), F(z*) = 0.
	assert.InDeltaSlice(t, []float64{0.0780267, 0.4119339}, f.Solution, 1e-7)
	assert.Less(t, vi.OperatorNorm(f.Problem.F, f.Solution), 1e-15)
	assert.Less(t, vi.NaturalResidual(f.Problem.F, f.Problem.C, f.Solution), 1e-15)
	// Its Jacobian is what the formula says (the check compares with
	// finite differences).
	psi1 := func(z float64) float64 { return 0.5 - 6*z*z + 5*z*z*z*z }
	jac := func(dst *mat.Dense, z []float64) {
		dst.Set(0, 0, psi1(z[0]))
		dst.Set(0, 1, 1)
		dst.Set(1, 0, -1)
		dst.Set(1, 1, psi1(z[1]))
	}
	require.NoError(t, monotone.CheckJacobian(f.Problem.F, jac, []float64{0.3, -0.7}, 1e-6))
	for _, tp := range []*Toy{Forsaken(), Polar()} {
		pl := tp.Problem.F.(*plane)
		for _, z := range [][]float64{{0.3, -0.7}, {1, 0.5}, {-0.2, 0.9}} {
			require.NoError(t, monotone.CheckJacobian(pl, pl.Jacobian, z, 1e-6))
			j := mat.NewDense(2, 2, nil)
			pl.Jacobian(j, z)
			var svd mat.SVD
			require.True(t, svd.Factorize(j, mat.SVDNone))
			assert.InDelta(t, svd.Values(nil)[0], pl.LocalLipschitz(z), 1e-12)
		}
	}
	// L bounds ‖JF‖₂ on the box (sampled on a grid).
	worst := 0.0
	for i := 0; i <= 60; i++ {
		for k := 0; k <= 60; k++ {
			z := []float64{-1.5 + 0.05*float64(i), -1.5 + 0.05*float64(k)}
			j := mat.NewDense(2, 2, nil)
			jac(j, z)
			var svd mat.SVD
			require.True(t, svd.Factorize(j, mat.SVDNone))
			worst = max(worst, svd.Values(nil)[0]) // mat.Norm(·, 2) would be Frobenius
		}
	}
	assert.LessOrEqual(t, worst, f.L)
	assert.Greater(t, worst, 12.0)

	// The weak Minty parameter: the smallest ⟨F(z), z − z*⟩/‖F(z)‖² on a
	// grid of the box is −WeakMinty, to the grid's resolution.
	for _, tp := range []*Toy{Forsaken(), Polar()} {
		lo, hi := tp.Problem.C.(vi.Box).Lo[0], tp.Problem.C.(vi.Box).Hi[0]
		worstRatio := math.Inf(1)
		fz := make([]float64, 2)
		const n = 400
		for i := 0; i <= n; i++ {
			for k := 0; k <= n; k++ {
				z := []float64{lo + (hi-lo)*float64(i)/n, lo + (hi-lo)*float64(k)/n}
				tp.Problem.F.Apply(fz, z)
				ff := fz[0]*fz[0] + fz[1]*fz[1]
				if ff < 1e-12 {
					continue
				}
				worstRatio = min(worstRatio, (fz[0]*(z[0]-tp.Solution[0])+fz[1]*(z[1]-tp.Solution[1]))/ff)
			}
		}
		assert.InDelta(t, -tp.WeakMinty, worstRatio, 0.01*tp.WeakMinty)
	}

	p := Polar()
	assert.Less(t, vi.OperatorNorm(p.Problem.F, []float64{0, 0}), 1e-15)
	// On the circles r = 1 and r = 3/4 the radial part vanishes: F is
	// tangent, ⟨F(z), z⟩ = 0.
	for _, r := range []float64{1, 0.75} {
		for _, th := range []float64{0, 1, 2.5, 4} {
			z := []float64{r * math.Cos(th), r * math.Sin(th)}
			fz := make([]float64, 2)
			p.Problem.F.Apply(fz, z)
			assert.InDelta(t, 0, fz[0]*z[0]+fz[1]*z[1], 1e-12)
		}
	}
	l, err := monotone.Lipschitz(p.Problem.F, &monotone.Sampling{Radius: 1.1, Pairs: 20000})
	require.NoError(t, err)
	assert.LessOrEqual(t, l, p.L, "sampled Lipschitz ratio within the official constant")
}
