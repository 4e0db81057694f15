package monotone

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/internal/kernel"
)

// CSR is a sparse r×c matrix in compressed sparse row form: the nonzeros
// of each row in increasing column order, every entry stored once, no
// stored zeros. It takes 12 bytes per nonzero and 8 per row.
//
// A CSR is immutable once built (NewCSR, CSRCopyOf), so the operators
// that keep one need no copy and no promise from the caller. It
// implements gonum's mat.Matrix (Dims, At, T) and mat.NonZeroDoer, so it
// can be handed to gonum and to SpectralNorm, which runs on it without
// densifying; most of gonum's own routines (mat.Norm, factorizations,
// mat.DenseCopyOf) copy it into a dense matrix first. MulVec and
// MulVecTrans allocate nothing and are safe for concurrent use.
type CSR struct {
	r, c int
	ptr  []int     // row i is at offsets ptr[i] ≤ k < ptr[i+1]
	idx  []int32   // column of each nonzero
	val  []float64 // value of each nonzero
}

// NewCSR returns the r×c matrix with the entries (rows[k], cols[k]) =
// vals[k]. Entries given more than once are summed (the triplet, or
// coordinate, convention); zero values and sums that cancel to zero are
// not stored. Building takes O(r + k log k) time for k entries, in
// O(r + k) memory.
//
// It returns an error when r or c is not positive (or c exceeds 2³¹ − 1),
// when the three slices differ in length, or naming the first entry k
// with an index out of range or a NaN or infinite value, or the position
// whose entries sum to an infinity.
func NewCSR(r, c int, rows, cols []int, vals []float64) (*CSR, error) {
	const fn = "NewCSR"
	if err := checkCSRShape(fn, r, c); err != nil {
		return nil, err
	}
	if len(rows) != len(vals) || len(cols) != len(vals) {
		return nil, fmt.Errorf("monotone: %s: rows, cols and vals have lengths %d, %d and %d, want equal lengths", fn, len(rows), len(cols), len(vals))
	}
	for k, v := range vals {
		i, j := rows[k], cols[k]
		switch {
		case i < 0 || i >= r:
			return nil, fmt.Errorf("monotone: %s: entry %d: row %d out of range [0, %d) (value %v)", fn, k, i, r, v)
		case j < 0 || j >= c:
			return nil, fmt.Errorf("monotone: %s: entry %d: column %d out of range [0, %d) (value %v)", fn, k, j, c, v)
		case math.IsNaN(v) || math.IsInf(v, 0):
			return nil, fmt.Errorf("monotone: %s: entry %d at (%d, %d): value %v is not finite", fn, k, i, j, v)
		}
	}

	// Entries by row (a stable counting sort), then by column within each
	// row (a stable sort), so duplicates are summed in the order given.
	start := make([]int, r+1)
	for _, i := range rows {
		start[i+1]++
	}
	for i := 0; i < r; i++ {
		start[i+1] += start[i]
	}
	order := make([]int, len(vals))
	next := append([]int(nil), start[:r]...)
	for k, i := range rows {
		order[next[i]] = k
		next[i]++
	}
	for i := 0; i < r; i++ {
		slices.SortStableFunc(order[start[i]:start[i+1]], func(k, l int) int { return cmp.Compare(cols[k], cols[l]) })
	}

	a := &CSR{r: r, c: c, ptr: make([]int, r+1)}
	a.idx = make([]int32, 0, len(vals))
	a.val = make([]float64, 0, len(vals))
	for p := 0; p < len(order); {
		k := order[p]
		i, j := rows[k], cols[k]
		s := vals[k]
		for p++; p < len(order) && rows[order[p]] == i && cols[order[p]] == j; p++ {
			s += vals[order[p]]
		}
		if math.IsInf(s, 0) {
			return nil, fmt.Errorf("monotone: %s: the entries at (%d, %d) sum to %v", fn, i, j, s)
		}
		if s != 0 {
			a.idx = append(a.idx, int32(j))
			a.val = append(a.val, s)
			a.ptr[i+1]++
		}
	}
	for i := 0; i < r; i++ {
		a.ptr[i+1] += a.ptr[i]
	}
	return a, nil
}

// CSRCopyOf returns the nonzero entries of a as a CSR matrix. Dense
// matrices are read row by row, anything else through At, so it costs
// O(r·c) whatever the number of nonzeros; a *CSR is copied directly. It
// returns an error when a is nil or empty (a zero dimension), when it has
// more than 2³¹ − 1 columns, or naming the first entry that is NaN or
// infinite.
func CSRCopyOf(a mat.Matrix) (*CSR, error) {
	const fn = "CSRCopyOf"
	switch m := a.(type) {
	case nil:
		return nil, fmt.Errorf("monotone: %s: the matrix is nil", fn)
	case *mat.Dense:
		if m == nil {
			return nil, fmt.Errorf("monotone: %s: the matrix is nil", fn)
		}
	case *CSR:
		if m == nil {
			return nil, fmt.Errorf("monotone: %s: the matrix is nil", fn)
		}
		return &CSR{r: m.r, c: m.c, ptr: append([]int(nil), m.ptr...),
			idx: append([]int32(nil), m.idx...), val: append([]float64(nil), m.val...)}, nil
	}
	r, c := a.Dims()
	if err := checkCSRShape(fn, r, c); err != nil {
		return nil, err
	}
	out := &CSR{r: r, c: c, ptr: make([]int, r+1)}
	row := make([]float64, c)
	raw, isRaw := a.(mat.RawMatrixer)
	for i := 0; i < r; i++ {
		if isRaw {
			g := raw.RawMatrix()
			copy(row, g.Data[i*g.Stride:i*g.Stride+c])
		} else {
			for j := range row {
				row[j] = a.At(i, j)
			}
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("monotone: %s: A[%d][%d] = %v is not finite", fn, i, j, v)
			}
			if v != 0 {
				out.idx = append(out.idx, int32(j))
				out.val = append(out.val, v)
			}
		}
		out.ptr[i+1] = len(out.val)
	}
	return out, nil
}

// checkCSRShape rejects dimensions a CSR cannot have.
func checkCSRShape(fn string, r, c int) error {
	if r <= 0 || c <= 0 {
		return fmt.Errorf("monotone: %s: shape %d×%d, want positive dimensions", fn, r, c)
	}
	if c > math.MaxInt32 {
		return fmt.Errorf("monotone: %s: %d columns, want at most %d", fn, c, math.MaxInt32)
	}
	return nil
}

// Dims returns the number of rows and columns.
func (a *CSR) Dims() (r, c int) { return a.r, a.c }

// NNZ returns the number of stored (nonzero) entries.
func (a *CSR) NNZ() int { return len(a.val) }

// At returns the entry (i, j), by binary search in row i. It panics with
// mat.ErrRowAccess or mat.ErrColAccess when i or j is out of range, as
// gonum's matrices do.
func (a *CSR) At(i, j int) float64 {
	if uint(i) >= uint(a.r) {
		panic(mat.ErrRowAccess)
	}
	if uint(j) >= uint(a.c) {
		panic(mat.ErrColAccess)
	}
	lo, hi := a.ptr[i], a.ptr[i+1]
	cols := a.idx[lo:hi]
	k := sort.Search(len(cols), func(k int) bool { return int(cols[k]) >= j })
	if k < len(cols) && int(cols[k]) == j {
		return a.val[lo+k]
	}
	return 0
}

// T returns the transpose of a, as the implicit mat.Transpose.
func (a *CSR) T() mat.Matrix { return mat.Transpose{Matrix: a} }

// DoNonZero calls fn for each stored entry, by row and by column within
// a row (mat.NonZeroDoer).
func (a *CSR) DoNonZero(fn func(i, j int, v float64)) {
	for i := 0; i < a.r; i++ {
		a.DoRowNonZero(i, fn)
	}
}

// DoRowNonZero calls fn for each stored entry of row i, by column
// (mat.RowNonZeroDoer). It panics with mat.ErrRowAccess when i is out of
// range.
func (a *CSR) DoRowNonZero(i int, fn func(i, j int, v float64)) {
	if uint(i) >= uint(a.r) {
		panic(mat.ErrRowAccess)
	}
	for k := a.ptr[i]; k < a.ptr[i+1]; k++ {
		fn(i, int(a.idx[k]), a.val[k])
	}
}

// MulVec sets dst = Ax; dst has length r and x length c. It allocates
// nothing and panics on wrong lengths or when dst and x are the same
// slice.
func (a *CSR) MulVec(dst, x []float64) {
	checkCSRMul("MulVec", dst, x, a.r, a.c)
	kernel.CSRMul(dst, a.ptr, a.idx, a.val, x)
}

// MulVecTrans sets dst = Aᵀx, a scatter over the rows (row i adds x_i
// times itself to dst); dst has length c and x length r. It allocates
// nothing and panics on wrong lengths or when dst and x are the same
// slice.
func (a *CSR) MulVecTrans(dst, x []float64) {
	checkCSRMul("MulVecTrans", dst, x, a.c, a.r)
	kernel.CSRMulTrans(dst, a.ptr, a.idx, a.val, x)
}

// checkCSRMul panics unless dst has length m and x length n, in distinct
// slices.
func checkCSRMul(name string, dst, x []float64, m, n int) {
	if len(dst) != m || len(x) != n {
		panic(fmt.Sprintf("monotone: CSR.%s: dst has length %d and x %d, want %d and %d", name, len(dst), len(x), m, n))
	}
	if &dst[0] == &x[0] {
		panic(fmt.Sprintf("monotone: CSR.%s: dst and x are the same slice", name))
	}
}

// spectralNorm returns ‖A‖₂ by the Lanczos method of SpectralNorm on AᵀA
// or AAᵀ, whichever is smaller, through products with the CSR matrix: 2
// passes over the nonzeros per step, nothing densified.
func (a *CSR) spectralNorm() float64 {
	if a.NNZ() == 0 {
		return 0
	}
	k, l := a.c, a.r
	first, second := a.MulVec, a.MulVecTrans // B = AᵀA on Rᶜ
	if a.c > a.r {
		k, l = a.r, a.c
		first, second = a.MulVecTrans, a.MulVec // B = AAᵀ on Rʳ
	}
	tmp := make([]float64, l)
	return math.Sqrt(math.Max(0, lanczosMax(k, func(dst, v []float64) {
		first(tmp, v)
		second(dst, tmp)
	})))
}

// csrOf returns the CSR matrix behind a, itself or transposed (the
// transpose has the same singular values).
func csrOf(a mat.Matrix) (*CSR, bool) {
	if u, ok := a.(mat.Untransposer); ok {
		a = u.Untranspose()
	}
	s, ok := a.(*CSR)
	return s, ok
}
