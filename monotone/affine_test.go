package monotone

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/vi"
)

var (
	_ vi.AffineOperator = (*Affine)(nil)
	_ vi.Lipschitzer    = (*Affine)(nil)
)

// affineRandom returns an r×c matrix of seeded standard normals.
func affineRandom(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

func affineRandomVector(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

// affineSigmaMax is the largest singular value by gonum's SVD.
func affineSigmaMax(t *testing.T, m mat.Matrix) float64 {
	t.Helper()
	var svd mat.SVD
	require.True(t, svd.Factorize(m, mat.SVDNone))
	return svd.Values(nil)[0]
}

func TestNewAffineRejectsBadInput(t *testing.T) {
	nanM := mat.NewDense(2, 2, []float64{1, 2, 3, math.NaN()})
	infM := mat.NewDense(2, 2, []float64{1, math.Inf(-1), 3, 4})
	good := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	cases := []struct {
		name string
		m    *mat.Dense
		q    []float64
		want string
	}{
		{"nil M", nil, nil, "monotone: NewAffine: M is nil"},
		{"empty M", &mat.Dense{}, nil, "monotone: NewAffine: M is empty"},
		{"non-square", mat.NewDense(2, 3, nil), nil, "monotone: NewAffine: M is 2×3, want a square matrix"},
		{"NaN in M", nanM, nil, "monotone: NewAffine: M[1][1] = NaN is not finite"},
		{"Inf in M", infM, nil, "monotone: NewAffine: M[0][1] = -Inf is not finite"},
		{"short q", good, []float64{1}, "monotone: NewAffine: q has length 1, want 2"},
		{"NaN in q", good, []float64{0, math.NaN()}, "monotone: NewAffine: q[1] = NaN is not finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewAffine(c.m, c.q)
			require.EqualError(t, err, c.want)
			assert.Nil(t, a)
		})
	}
}

func TestAffineApplyMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 5, 17, 64} {
		m := affineRandom(rng, n, n)
		q := affineRandomVector(rng, n)
		z := affineRandomVector(rng, n)
		a, err := NewAffine(m, q)
		require.NoError(t, err)
		require.Equal(t, n, a.Dim())
		want := make([]float64, n)
		for i := range want {
			want[i] = q[i]
			for j := range z {
				want[i] += m.At(i, j) * z[j]
			}
		}
		got := make([]float64, n)
		a.Apply(got, z)
		assert.InDeltaSlice(t, want, got, 1e-12, "n=%d", n)

		// nil q is zero.
		a0, err := NewAffine(m, nil)
		require.NoError(t, err)
		a0.Apply(got, z)
		for i := range want {
			want[i] -= q[i]
		}
		assert.InDeltaSlice(t, want, got, 1e-12, "n=%d, q = 0", n)
	}
}

func TestAffineCopiesQ(t *testing.T) {
	q := []float64{1, 2}
	a, err := NewAffine(mat.NewDense(2, 2, []float64{1, 0, 0, 1}), q)
	require.NoError(t, err)
	q[0] = 100
	dst := make([]float64, 2)
	a.Apply(dst, []float64{0, 0})
	assert.Equal(t, []float64{1, 2}, dst)
}

func TestAffineApplyDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	a, err := NewAffine(affineRandom(rng, 30, 30), affineRandomVector(rng, 30))
	require.NoError(t, err)
	z, dst := affineRandomVector(rng, 30), make([]float64, 30)
	assert.Zero(t, testing.AllocsPerRun(100, func() { a.Apply(dst, z) }))
}

func TestAffineApplyPanicsOnBadLengths(t *testing.T) {
	a, err := NewAffine(mat.NewDense(2, 2, nil), nil)
	require.NoError(t, err)
	z := []float64{1, 2}
	assert.PanicsWithValue(t, "monotone: Affine.Apply: dst has length 3 and z 2, want 2", func() { a.Apply(make([]float64, 3), z) })
	assert.PanicsWithValue(t, "monotone: Affine.Apply: dst and z are the same slice", func() { a.Apply(z, z) })
}

func TestAffineLipschitzMatchesSVD(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	cases := map[string]*mat.Dense{
		"1x1":      mat.NewDense(1, 1, []float64{-3}),
		"zero":     mat.NewDense(3, 3, nil),
		"identity": mat.NewDense(2, 2, []float64{1, 0, 0, 1}),
		"rotation": mat.NewDense(2, 2, []float64{0, 1, -1, 0}),
		"random5":  affineRandom(rng, 5, 5),
		"random40": affineRandom(rng, 40, 40),
		"random90": affineRandom(rng, 90, 90),
		"close":    affineCloseTop(rng, 80),
		"rank1":    affineRankOne(rng, 60),
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			a, err := NewAffine(m, nil)
			require.NoError(t, err)
			want := affineSigmaMax(t, m)
			got := a.Lipschitz()
			assert.InDelta(t, want, got, 1e-10*math.Max(want, 1e-300)+1e-300)
			assert.Equal(t, got, a.Lipschitz(), "cached value")
		})
	}
}

// affineCloseTop returns Q₁ΣQ₂ᵀ with the two largest singular values 1 and
// 1 − 1e-6, where plain power iteration needs millions of steps.
func affineCloseTop(rng *rand.Rand, n int) *mat.Dense {
	var q1, q2 mat.QR
	q1.Factorize(affineRandom(rng, n, n))
	q2.Factorize(affineRandom(rng, n, n))
	var u, v mat.Dense
	q1.QTo(&u)
	q2.QTo(&v)
	s := mat.NewDense(n, n, nil)
	s.Set(0, 0, 1)
	s.Set(1, 1, 1-1e-6)
	for i := 2; i < n; i++ {
		s.Set(i, i, 0.9*rng.Float64())
	}
	var m mat.Dense
	m.Product(&u, s, v.T())
	return &m
}

// affineRankOne returns uvᵀ, whose only nonzero singular value is ‖u‖‖v‖.
func affineRankOne(rng *rand.Rand, n int) *mat.Dense {
	var m mat.Dense
	m.Outer(1, mat.NewVecDense(n, affineRandomVector(rng, n)), mat.NewVecDense(n, affineRandomVector(rng, n)))
	return &m
}

func TestAffineLipschitzConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	m := affineRandom(rng, 50, 50)
	a, err := NewAffine(m, nil)
	require.NoError(t, err)
	want := affineSigmaMax(t, m)
	var wg sync.WaitGroup
	got := make([]float64, 8)
	for i := range got {
		wg.Go(func() { got[i] = a.Lipschitz() })
	}
	wg.Wait()
	for _, g := range got {
		assert.InDelta(t, want, g, 1e-10*want)
	}
}

func TestAffineExposesParts(t *testing.T) {
	m := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	a, err := NewAffine(m, []float64{5, 6})
	require.NoError(t, err)
	gm, gq := a.Affine()
	assert.Same(t, m, gm)
	assert.Equal(t, []float64{5, 6}, gq)
}

// TestAffineSolvesWithExtragradient runs vi.Solve on a strongly monotone
// affine VI whose solution is known, with the step from Lipschitz.
func TestAffineSolvesWithExtragradient(t *testing.T) {
	// M = I + skew part, monotonicity modulus 1; F(z*) = 0 at z* = (1, −2, 3).
	m := mat.NewDense(3, 3, []float64{1, 2, 0, -2, 1, 1, 0, -1, 1})
	sol := []float64{1, -2, 3}
	q := make([]float64, 3)
	for i := range q {
		for j := range sol {
			q[i] -= m.At(i, j) * sol[j]
		}
	}
	a, err := NewAffine(m, q)
	require.NoError(t, err)
	res, err := vi.Solve(t.Context(), &vi.Problem{F: a}, &vi.Extragradient{}, &vi.Settings{Tol: 1e-10})
	require.NoError(t, err)
	require.Equal(t, vi.Converged, res.Status)
	assert.InDeltaSlice(t, sol, res.Z, 1e-9)
}
