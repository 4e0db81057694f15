package monotone

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/vi"
)

var (
	_ vi.AffineOperator = (*Bilinear)(nil)
	_ vi.Lipschitzer    = (*Bilinear)(nil)
)

func TestNewBilinearRejectsBadInput(t *testing.T) {
	a := mat.NewDense(2, 3, nil)
	cases := []struct {
		name string
		a    *mat.Dense
		b, c []float64
		want string
	}{
		{"nil A", nil, nil, nil, "monotone: NewBilinear: A is nil"},
		{"empty A", &mat.Dense{}, nil, nil, "monotone: NewBilinear: A is empty"},
		{"NaN in A", mat.NewDense(2, 3, []float64{0, 0, 0, 0, 0, math.NaN()}), nil, nil, "monotone: NewBilinear: A[1][2] = NaN is not finite"},
		{"b length", a, []float64{1, 2, 3}, nil, "monotone: NewBilinear: b has length 3, want 2"},
		{"c length", a, nil, []float64{1, 2}, "monotone: NewBilinear: c has length 2, want 3"},
		{"Inf in c", a, nil, []float64{0, math.Inf(1), 0}, "monotone: NewBilinear: c[1] = +Inf is not finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := NewBilinear(c.a, c.b, c.c)
			require.EqualError(t, err, c.want)
			assert.Nil(t, o)
		})
	}
}

// bilinearNaive evaluates (Ay + b, −(Aᵀx + c)) entry by entry.
func bilinearNaive(a *mat.Dense, b, c, z []float64) []float64 {
	m, n := a.Dims()
	out := make([]float64, m+n)
	for i := 0; i < m; i++ {
		out[i] = b[i]
		for j := 0; j < n; j++ {
			out[i] += a.At(i, j) * z[m+j]
		}
	}
	for j := 0; j < n; j++ {
		s := c[j]
		for i := 0; i < m; i++ {
			s += a.At(i, j) * z[i]
		}
		out[m+j] = -s
	}
	return out
}

func TestBilinearApplyMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	shapes := [][2]int{{1, 1}, {1, 7}, {7, 1}, {3, 5}, {5, 3}, {8, 8}, {13, 21}, {40, 17}, {64, 100}}
	for _, s := range shapes {
		m, n := s[0], s[1]
		t.Run(fmt.Sprintf("%dx%d", m, n), func(t *testing.T) {
			a := affineRandom(rng, m, n)
			b, c := affineRandomVector(rng, m), affineRandomVector(rng, n)
			z := affineRandomVector(rng, m+n)
			o, err := NewBilinear(a, b, c)
			require.NoError(t, err)
			require.Equal(t, m+n, o.Dim())
			gm, gn := o.Dims()
			require.Equal(t, [2]int{m, n}, [2]int{gm, gn})
			got := make([]float64, m+n)
			o.Apply(got, z)
			assert.InDeltaSlice(t, bilinearNaive(a, b, c, z), got, 1e-12)

			// The cached block form gives the same F.
			j, q := o.Affine()
			viaJ := mat.NewVecDense(m+n, nil)
			viaJ.MulVec(j, mat.NewVecDense(m+n, z))
			for i := range q {
				viaJ.SetVec(i, viaJ.AtVec(i)+q[i])
			}
			assert.InDeltaSlice(t, got, viaJ.RawVector().Data, 1e-12)
		})
	}
}

func TestBilinearApplyOnView(t *testing.T) {
	// A view into a larger matrix has stride > columns.
	rng := rand.New(rand.NewPCG(3, 3))
	big := affineRandom(rng, 9, 12)
	a := big.Slice(1, 8, 2, 9).(*mat.Dense)
	o, err := NewBilinear(a, nil, nil)
	require.NoError(t, err)
	z := affineRandomVector(rng, 14)
	got := make([]float64, 14)
	o.Apply(got, z)
	assert.InDeltaSlice(t, bilinearNaive(a, make([]float64, 7), make([]float64, 7), z), got, 1e-12)
	assert.Same(t, a, o.Matrix())
}

func TestBilinearAffineBlocks(t *testing.T) {
	a := mat.NewDense(1, 2, []float64{1, 2})
	o, err := NewBilinear(a, []float64{3}, []float64{4, 5})
	require.NoError(t, err)
	j, q := o.Affine()
	want := mat.NewDense(3, 3, []float64{
		0, 1, 2,
		-1, 0, 0,
		-2, 0, 0,
	})
	assert.True(t, mat.Equal(want, j), "J = %v", mat.Formatted(j))
	assert.Equal(t, []float64{3, -4, -5}, q)
	j2, _ := o.Affine()
	assert.Same(t, j.(*mat.Dense), j2.(*mat.Dense), "J is built once")
}

func TestBilinearApplyDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	o, err := NewBilinear(affineRandom(rng, 30, 20), affineRandomVector(rng, 30), affineRandomVector(rng, 20))
	require.NoError(t, err)
	z, dst := affineRandomVector(rng, 50), make([]float64, 50)
	assert.Zero(t, testing.AllocsPerRun(100, func() { o.Apply(dst, z) }))
}

func TestBilinearApplyPanicsOnBadLengths(t *testing.T) {
	o, err := NewBilinear(mat.NewDense(2, 1, nil), nil, nil)
	require.NoError(t, err)
	assert.PanicsWithValue(t, "monotone: Bilinear.Apply: dst has length 3 and z 2, want 3", func() { o.Apply(make([]float64, 3), make([]float64, 2)) })
	z := make([]float64, 3)
	assert.PanicsWithValue(t, "monotone: Bilinear.Apply: dst and z are the same slice", func() { o.Apply(z, z) })
}

func TestBilinearLipschitzMatchesSVD(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range [][2]int{{1, 1}, {1, 9}, {9, 1}, {10, 30}, {30, 10}, {70, 70}} {
		a := affineRandom(rng, s[0], s[1])
		o, err := NewBilinear(a, nil, nil)
		require.NoError(t, err)
		want := affineSigmaMax(t, a)
		assert.InDelta(t, want, o.Lipschitz(), 1e-10*want, "%dx%d", s[0], s[1])
		// ‖J‖₂ = σ_max(A).
		j, _ := o.Affine()
		assert.InDelta(t, want, affineSigmaMax(t, j), 1e-10*want)
	}
}

// TestBilinearSolvesWithExtragradient checks the whole chain on a random
// square game: vi.Solve with extragradient, step 1/(2L) from Lipschitz,
// converges to y* = −A⁻¹b, x* = −A⁻ᵀc (ALGORITHMS.md Part II B1).
func TestBilinearSolvesWithExtragradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := 6
	a := affineRandom(rng, n, n)
	for i := 0; i < n; i++ {
		a.Set(i, i, a.At(i, i)+4) // well conditioned
	}
	b, c := affineRandomVector(rng, n), affineRandomVector(rng, n)
	o, err := NewBilinear(a, b, c)
	require.NoError(t, err)
	var lu mat.LU
	lu.Factorize(a)
	x, y := mat.NewVecDense(n, nil), mat.NewVecDense(n, nil)
	require.NoError(t, lu.SolveVecTo(y, false, mat.NewVecDense(n, b)))
	require.NoError(t, lu.SolveVecTo(x, true, mat.NewVecDense(n, c)))
	want := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		want[i], want[n+i] = -x.AtVec(i), -y.AtVec(i)
	}
	res, err := vi.Solve(t.Context(), &vi.Problem{F: o}, &vi.Extragradient{}, &vi.Settings{Tol: 1e-10, MaxIterations: 100000})
	require.NoError(t, err)
	require.Equal(t, vi.Converged, res.Status)
	assert.InDeltaSlice(t, want, res.Z, 1e-8)
}

// BenchmarkBilinearApply measures a full evaluation F(z) on square A,
// kernel plus the linear terms, on the caller and with Parallel(2) (which
// stays on the caller below 2²¹ entries).
func BenchmarkBilinearApply(b *testing.B) {
	for _, n := range []int{300, 1000, 3000} {
		rng := rand.New(rand.NewPCG(1, 1))
		o, err := NewBilinear(affineRandom(rng, n, n), affineRandomVector(rng, n), affineRandomVector(rng, n))
		require.NoError(b, err)
		z, dst := affineRandomVector(rng, 2*n), make([]float64, 2*n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.Apply(dst, z)
			}
		})
		o.Parallel(2)
		b.Run(fmt.Sprintf("parallel2/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o.Apply(dst, z)
			}
		})
		o.Parallel(1)
	}
}

func TestBilinearParallel(t *testing.T) {
	// 1500×1500 has more than 2²¹ entries, so two workers split it.
	rng := rand.New(rand.NewPCG(5, 5))
	m, n := 1500, 1500
	a := affineRandom(rng, m, n)
	b, c := affineRandomVector(rng, m), affineRandomVector(rng, n)
	o, err := NewBilinear(a, b, c)
	require.NoError(t, err)
	z := affineRandomVector(rng, m+n)
	want := bilinearNaive(a, b, c, z)
	got := make([]float64, m+n)
	for _, workers := range []int{2, 3, 1, 0, 2} {
		o.Parallel(workers)
		o.Apply(got, z)
		assert.InDeltaSlice(t, want, got, 1e-10, "workers = %d", workers)
	}
	assert.Zero(t, testing.AllocsPerRun(10, func() { o.Apply(got, z) }))
	o.Parallel(1)
}
