package monotone

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

var (
	_ mat.Matrix         = (*CSR)(nil)
	_ mat.NonZeroDoer    = (*CSR)(nil)
	_ mat.RowNonZeroDoer = (*CSR)(nil)
)

// csrTriplets are the entries handed to NewCSR.
type csrTriplets struct {
	r, c       int
	rows, cols []int
	vals       []float64
}

// csrRandomTriplets returns about perRow standard-normal entries per row
// of an r×c matrix at seeded random columns; positions may repeat. Rows
// listed in emptyRows and columns in emptyCols get no entry.
func csrRandomTriplets(rng *rand.Rand, r, c int, perRow float64, emptyRows, emptyCols []int) csrTriplets {
	skipRow, skipCol := map[int]bool{}, map[int]bool{}
	for _, i := range emptyRows {
		skipRow[i] = true
	}
	for _, j := range emptyCols {
		skipCol[j] = true
	}
	t := csrTriplets{r: r, c: c}
	total := int(perRow * float64(r))
	for range total {
		i, j := rng.IntN(r), rng.IntN(c)
		if skipRow[i] || skipCol[j] {
			continue
		}
		t.rows = append(t.rows, i)
		t.cols = append(t.cols, j)
		t.vals = append(t.vals, rng.NormFloat64())
	}
	return t
}

// csr builds the triplets with NewCSR.
func (t csrTriplets) csr(tb testing.TB) *CSR {
	tb.Helper()
	a, err := NewCSR(t.r, t.c, t.rows, t.cols, t.vals)
	require.NoError(tb, err)
	return a
}

// dense sums the triplets into a dense matrix, independently of NewCSR.
func (t csrTriplets) dense() *mat.Dense {
	d := mat.NewDense(t.r, t.c, nil)
	for k, v := range t.vals {
		d.Set(t.rows[k], t.cols[k], d.At(t.rows[k], t.cols[k])+v)
	}
	return d
}

// csrShapes are the shapes the CSR and sparse operator tests run on:
// vectors, squares, and matrices with empty rows and columns.
var csrShapes = []struct {
	name                 string
	r, c                 int
	perRow               float64
	emptyRows, emptyCols []int
}{
	{"1x1", 1, 1, 1, nil, nil},
	{"1x9", 1, 9, 5, nil, nil},
	{"9x1", 9, 1, 0.7, nil, nil},
	{"5x7", 5, 7, 3, nil, nil},
	{"30x30", 30, 30, 4, nil, nil},
	{"40x25/empty-rows-cols", 40, 25, 6, []int{0, 7, 39}, []int{0, 3, 24}},
	{"60x90/sparse", 60, 90, 1.5, nil, nil},
	{"17x23/dense-ish", 17, 23, 30, nil, nil},
}

func TestCSRMatchesSummedTriplets(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range csrShapes {
		t.Run(s.name, func(t *testing.T) {
			tr := csrRandomTriplets(rng, s.r, s.c, s.perRow, s.emptyRows, s.emptyCols)
			a, want := tr.csr(t), tr.dense()
			r, c := a.Dims()
			require.Equal(t, [2]int{s.r, s.c}, [2]int{r, c})
			assert.True(t, mat.EqualApprox(want, a, 1e-15), "A =\n%v\nwant\n%v", mat.Formatted(a), mat.Formatted(want))
			nnz := 0
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					if want.At(i, j) != 0 {
						nnz++
					}
				}
			}
			assert.Equal(t, nnz, a.NNZ())
			// DoNonZero visits the stored entries by row, then by column.
			lastI, lastJ, seen := -1, -1, 0
			a.DoNonZero(func(i, j int, v float64) {
				assert.True(t, i > lastI || (i == lastI && j > lastJ), "(%d, %d) after (%d, %d)", i, j, lastI, lastJ)
				assert.NotZero(t, v)
				assert.InDelta(t, want.At(i, j), v, 1e-15)
				lastI, lastJ = i, j
				seen++
			})
			assert.Equal(t, nnz, seen)
			for _, i := range s.emptyRows {
				a.DoRowNonZero(i, func(i, j int, v float64) { t.Errorf("row %d should be empty, has (%d, %d) = %v", i, i, j, v) })
			}
			// The transpose is gonum's implicit one.
			assert.True(t, mat.EqualApprox(want.T(), a.T(), 1e-15))
		})
	}
}

func TestCSRSumsDuplicatesAndDropsZeros(t *testing.T) {
	a, err := NewCSR(2, 3,
		[]int{0, 1, 0, 1, 1, 0, 1},
		[]int{1, 0, 1, 0, 2, 2, 2},
		[]float64{2, 1, 3, -1, 0, 4, 5})
	require.NoError(t, err)
	want := mat.NewDense(2, 3, []float64{
		0, 5, 4,
		0, 0, 5,
	})
	assert.True(t, mat.Equal(want, a), "A =\n%v", mat.Formatted(a))
	// (0, 1) = 2 + 3, (1, 0) = 1 − 1 cancels, (1, 2) = 0 + 5.
	assert.Equal(t, 3, a.NNZ())
}

func TestCSRRejectsBadInput(t *testing.T) {
	cases := []struct {
		name       string
		r, c       int
		rows, cols []int
		vals       []float64
		want       string
	}{
		{"zero rows", 0, 3, nil, nil, nil, "monotone: NewCSR: shape 0×3, want positive dimensions"},
		{"negative columns", 2, -1, nil, nil, nil, "monotone: NewCSR: shape 2×-1, want positive dimensions"},
		{"too many columns", 1, math.MaxInt32 + 1, nil, nil, nil, "monotone: NewCSR: 2147483648 columns, want at most 2147483647"},
		{"lengths", 2, 2, []int{0, 1}, []int{0}, []float64{1, 2}, "monotone: NewCSR: rows, cols and vals have lengths 2, 1 and 2, want equal lengths"},
		{"row too large", 2, 3, []int{0, 2}, []int{0, 1}, []float64{1, 7.5}, "monotone: NewCSR: entry 1: row 2 out of range [0, 2) (value 7.5)"},
		{"negative row", 2, 3, []int{0, 1, -1}, []int{0, 1, 1}, []float64{1, 2, 3}, "monotone: NewCSR: entry 2: row -1 out of range [0, 2) (value 3)"},
		{"column too large", 2, 3, []int{1}, []int{3}, []float64{-4}, "monotone: NewCSR: entry 0: column 3 out of range [0, 3) (value -4)"},
		{"NaN", 2, 3, []int{0, 1}, []int{0, 2}, []float64{1, math.NaN()}, "monotone: NewCSR: entry 1 at (1, 2): value NaN is not finite"},
		{"Inf", 2, 3, []int{0}, []int{1}, []float64{math.Inf(-1)}, "monotone: NewCSR: entry 0 at (0, 1): value -Inf is not finite"},
		{"sum overflows", 2, 3, []int{1, 1}, []int{2, 2}, []float64{math.MaxFloat64, math.MaxFloat64}, "monotone: NewCSR: the entries at (1, 2) sum to +Inf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewCSR(c.r, c.c, c.rows, c.cols, c.vals)
			require.EqualError(t, err, c.want)
			assert.Nil(t, a)
		})
	}
}

func TestCSRCopyOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	tr := csrRandomTriplets(rng, 12, 9, 3, []int{4}, []int{8})
	want := tr.dense()
	big := mat.NewDense(14, 12, nil)
	view := big.Slice(1, 13, 2, 11).(*mat.Dense) // stride 12 > 9 columns
	view.Copy(want)
	src := tr.csr(t)
	for name, m := range map[string]mat.Matrix{
		"dense":     want,
		"view":      view,
		"transpose": mat.DenseCopyOf(want.T()).T(), // read through At
		"csr":       src,
	} {
		t.Run(name, func(t *testing.T) {
			a, err := CSRCopyOf(m)
			require.NoError(t, err)
			assert.True(t, mat.Equal(want, a))
			assert.Equal(t, src.NNZ(), a.NNZ(), "zeros are dropped")
		})
	}
	copied, err := CSRCopyOf(src)
	require.NoError(t, err)
	assert.NotSame(t, src, copied)
	assert.NotSame(t, &src.val[0], &copied.val[0])

	var nilDense *mat.Dense
	var nilCSR *CSR
	bad := []struct {
		name string
		m    mat.Matrix
		want string
	}{
		{"nil", nil, "monotone: CSRCopyOf: the matrix is nil"},
		{"nil dense", nilDense, "monotone: CSRCopyOf: the matrix is nil"},
		{"nil CSR", nilCSR, "monotone: CSRCopyOf: the matrix is nil"},
		{"empty", &mat.Dense{}, "monotone: CSRCopyOf: shape 0×0, want positive dimensions"},
		{"NaN", mat.NewDense(2, 2, []float64{0, 1, 2, math.NaN()}), "monotone: CSRCopyOf: A[1][1] = NaN is not finite"},
		{"Inf through At", mat.NewDense(2, 2, []float64{0, math.Inf(1), 0, 0}).T(), "monotone: CSRCopyOf: A[1][0] = +Inf is not finite"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			a, err := CSRCopyOf(c.m)
			require.EqualError(t, err, c.want)
			assert.Nil(t, a)
		})
	}
}

func TestCSRAtPanicsOutOfRange(t *testing.T) {
	a, err := NewCSR(2, 3, []int{1}, []int{2}, []float64{1})
	require.NoError(t, err)
	assert.PanicsWithValue(t, mat.ErrRowAccess, func() { a.At(2, 0) })
	assert.PanicsWithValue(t, mat.ErrRowAccess, func() { a.At(-1, 0) })
	assert.PanicsWithValue(t, mat.ErrColAccess, func() { a.At(0, 3) })
	assert.PanicsWithValue(t, mat.ErrRowAccess, func() { a.DoRowNonZero(5, func(i, j int, v float64) {}) })
	assert.Equal(t, 1.0, a.At(1, 2))
	assert.Zero(t, a.At(1, 1))
}

func TestCSRMulVecMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, s := range csrShapes {
		t.Run(s.name, func(t *testing.T) {
			tr := csrRandomTriplets(rng, s.r, s.c, s.perRow, s.emptyRows, s.emptyCols)
			a, d := tr.csr(t), tr.dense()
			x, y := affineRandomVector(rng, s.c), affineRandomVector(rng, s.r)
			var want mat.VecDense
			want.MulVec(d, mat.NewVecDense(s.c, x))
			got := make([]float64, s.r)
			for i := range got {
				got[i] = 1e300 // stale values must be overwritten
			}
			a.MulVec(got, x)
			assert.InDeltaSlice(t, want.RawVector().Data, got, 1e-12)

			var wantT mat.VecDense
			wantT.MulVec(d.T(), mat.NewVecDense(s.r, y))
			gotT := make([]float64, s.c)
			for i := range gotT {
				gotT[i] = 1e300
			}
			a.MulVecTrans(gotT, y)
			assert.InDeltaSlice(t, wantT.RawVector().Data, gotT, 1e-12)
		})
	}
}

func TestCSRMulVecDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	a := csrRandomTriplets(rng, 50, 40, 5, nil, nil).csr(t)
	x, y := affineRandomVector(rng, 40), affineRandomVector(rng, 50)
	dst, dstT := make([]float64, 50), make([]float64, 40)
	assert.Zero(t, testing.AllocsPerRun(100, func() { a.MulVec(dst, x) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { a.MulVecTrans(dstT, y) }))
}

func TestCSRMulVecPanicsOnBadLengths(t *testing.T) {
	a, err := NewCSR(2, 3, []int{0}, []int{0}, []float64{1})
	require.NoError(t, err)
	assert.PanicsWithValue(t, "monotone: CSR.MulVec: dst has length 3 and x 3, want 2 and 3", func() { a.MulVec(make([]float64, 3), make([]float64, 3)) })
	assert.PanicsWithValue(t, "monotone: CSR.MulVecTrans: dst has length 3 and x 3, want 3 and 2", func() { a.MulVecTrans(make([]float64, 3), make([]float64, 3)) })
	sq, err := NewCSR(2, 2, []int{0}, []int{0}, []float64{1})
	require.NoError(t, err)
	v := make([]float64, 2)
	assert.PanicsWithValue(t, "monotone: CSR.MulVec: dst and x are the same slice", func() { sq.MulVec(v, v) })
}

func TestCSRSpectralNormMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, s := range csrShapes {
		t.Run(s.name, func(t *testing.T) {
			tr := csrRandomTriplets(rng, s.r, s.c, s.perRow, s.emptyRows, s.emptyCols)
			a, d := tr.csr(t), tr.dense()
			want := SpectralNorm(d)
			require.Positive(t, want)
			assert.InDelta(t, want, SpectralNorm(a), 1e-9*want)
			assert.InDelta(t, want, SpectralNorm(a.T()), 1e-9*want)
			assert.InDelta(t, want, affineSigmaMax(t, d), 1e-9*want)
		})
	}
	zero, err := NewCSR(3, 4, []int{1}, []int{1}, []float64{0})
	require.NoError(t, err)
	assert.Zero(t, zero.NNZ())
	assert.Zero(t, SpectralNorm(zero))
}

// TestCSRSpectralNormLarge runs SpectralNorm on a 300,000×300,000
// diagonal matrix, which as a dense matrix would take 720 GB: it must
// work on the sparse form. The diagonal has one entry 3 and the rest in
// [0, 2), so ‖A‖₂ = 3 with a wide gap.
func TestCSRSpectralNormLarge(t *testing.T) {
	n := 300000
	rng := rand.New(rand.NewPCG(6, 6))
	rows, vals := make([]int, n), make([]float64, n)
	for i := range rows {
		rows[i], vals[i] = i, 2*rng.Float64()
	}
	vals[12345] = -3
	a, err := NewCSR(n, n, rows, rows, vals)
	require.NoError(t, err)
	assert.InDelta(t, 3, SpectralNorm(a), 1e-9)
}
