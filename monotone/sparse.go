package monotone

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/saddlepoint/saddle/internal/kernel"
)

// sparseParallelMin is the number of nonzeros below which Parallel keeps
// a sparse evaluation on the caller. Measured on 2 cores with the second
// one idle, fused evaluation with two workers against one: 10⁶ nonzeros
// (100,000×100,000, 10 per row) 2.2 ms → 1.6 ms, 10⁵ 113 µs → 66 µs, 9·10³
// 8.0 µs → 4.4 µs (kernel.BenchmarkCSRTeam); near 10⁴ the gain is lost as
// soon as the second core has other work, and on busy cores the split is
// slower at every size.
const sparseParallelMin = 1 << 14

// SparseAffine is the operator F(z) = Mz + q with a sparse square M in
// CSR form: Affine for large problems whose M has few nonzeros. Apply
// costs one pass over the nonzeros.
//
// SparseAffine satisfies vi.Lipschitzer, with ‖M‖₂ computed by Lanczos on
// the sparse matrix. It deliberately does not satisfy vi.AffineOperator:
// the proximal point methods factor I + ηM as a dense n×n LU (O(n³) time,
// n² memory), which is what a sparse M is meant to avoid; they use their
// inexact inner solver on a SparseAffine instead. For a moderate n, build
// the dense operator with NewAffine(mat.DenseCopyOf(M), q) to get the
// exact solve and the exact checks. Lipschitz (the check) is exact on a
// SparseAffine; Monotonicity and Comonotonicity sample it.
//
// M is immutable (a CSR), q is copied. Apply is safe for concurrent use.
// Parallel spreads large evaluations across cores.
type SparseAffine struct {
	m *CSR
	q []float64

	lipOnce sync.Once
	lip     float64

	team atomic.Pointer[kernel.CSRTeam] // nil: evaluate on the caller
}

// NewSparseAffine returns F(z) = Mz + q. A nil q means q = 0. It returns
// an error naming the problem when M is nil or not square, or when q has
// the wrong length or an entry that is NaN or infinite.
func NewSparseAffine(m *CSR, q []float64) (*SparseAffine, error) {
	const fn = "NewSparseAffine"
	if m == nil {
		return nil, fmt.Errorf("monotone: %s: M is nil", fn)
	}
	if m.r != m.c {
		return nil, fmt.Errorf("monotone: %s: M is %d×%d, want a square matrix", fn, m.r, m.c)
	}
	qc, err := copyVector(fn, "q", q, m.r)
	if err != nil {
		return nil, err
	}
	return &SparseAffine{m: m, q: qc}, nil
}

// Dim returns n, the order of M.
func (a *SparseAffine) Dim() int { return len(a.q) }

// Matrix returns M.
func (a *SparseAffine) Matrix() *CSR { return a.m }

// Apply sets dst = Mz + q. dst and z have length Dim and must not
// overlap. Apply allocates nothing; it panics on wrong lengths.
func (a *SparseAffine) Apply(dst, z []float64) {
	checkApply("SparseAffine", dst, z, len(a.q))
	m := a.m
	if t := a.team.Load(); t != nil {
		t.Mul(dst, z)
	} else {
		kernel.CSRMul(dst, m.ptr, m.idx, m.val, z)
	}
	for i, v := range a.q {
		dst[i] += v
	}
}

// Parallel makes Apply split the rows of M, in blocks of about equal
// numbers of nonzeros, across workers goroutines, the caller included,
// when M has at least 2¹⁴ nonzeros (smaller matrices gain nothing and
// stay on the caller). workers ≤ 1 returns to evaluation on the caller
// alone. The helpers, their life and their cost are those of
// SparseBilinear.Parallel; each block writes its own part of Mz, so no
// accumulator is needed. Apply stays allocation-free and safe for
// concurrent use.
func (a *SparseAffine) Parallel(workers int) {
	sparseParallel(&a.team, a, a.m, workers)
}

// Lipschitz returns ‖M‖₂, the largest singular value of M, which is the
// smallest Lipschitz constant of F. It is computed on the first call by
// SpectralNorm on the sparse M (within 5e-11 relative; two passes over
// the nonzeros per Lanczos step, nothing densified) and cached; later
// calls, from any goroutine, return the cached value.
func (a *SparseAffine) Lipschitz() float64 {
	a.lipOnce.Do(func() { a.lip = a.m.spectralNorm() })
	return a.lip
}

// SparseBilinear is the operator of the unconstrained bilinear saddle
// problem with a sparse m×n matrix A in CSR form,
//
//	min_x max_y xᵀAy + bᵀx + cᵀy,   x ∈ Rᵐ, y ∈ Rⁿ,
//
// over z = (x, y), with the sign convention of Bilinear:
//
//	F(x, y) = (Ay + b, −(Aᵀx + c)) = Jz + q,  J = [[0, A], [−Aᵀ, 0]],  q = (b, −c).
//
// F is monotone (J is skew) with Lipschitz constant σ_max(A); its
// solutions satisfy Ay* = −b and Aᵀx* = −c (ALGORITHMS.md Part II B1).
//
// Apply reads A once per evaluation: each stored entry a_ij adds a_ij·y_j
// to (Ay)_i and x_i·a_ij to (Aᵀx)_j, so an evaluation is one pass over the
// nonzeros (12 bytes each) with the gathers from y and scatters into Aᵀx
// that sparsity implies.
//
// SparseBilinear satisfies vi.Lipschitzer, with σ_max(A) computed by
// Lanczos on the sparse A, and deliberately not vi.AffineOperator: the
// proximal point methods would build J as a dense (m+n)×(m+n) matrix and
// factor it (O((m+n)³) time), which is what a sparse A is meant to avoid;
// they use their inexact inner solver instead. For a moderate size, build
// the dense operator with NewBilinear(mat.DenseCopyOf(A), b, c). The
// checks Lipschitz, Monotonicity and Comonotonicity are exact on a
// SparseBilinear, as on a Bilinear, without densifying.
//
// A is immutable (a CSR); b and c are copied. Apply is safe for
// concurrent use. Parallel spreads large evaluations across cores.
type SparseBilinear struct {
	a    *CSR
	b, c []float64

	lipOnce sync.Once
	lip     float64

	team atomic.Pointer[kernel.CSRTeam] // nil: evaluate on the caller
}

// NewSparseBilinear returns the operator of
// min_x max_y xᵀAy + bᵀx + cᵀy. A nil b or c means zero. It returns an
// error naming the problem when A is nil, when b does not have A's
// number of rows or c its number of columns, or when an entry of b or c is
// NaN or infinite.
func NewSparseBilinear(a *CSR, b, c []float64) (*SparseBilinear, error) {
	const fn = "NewSparseBilinear"
	if a == nil {
		return nil, fmt.Errorf("monotone: %s: A is nil", fn)
	}
	bc, err := copyVector(fn, "b", b, a.r)
	if err != nil {
		return nil, err
	}
	cc, err := copyVector(fn, "c", c, a.c)
	if err != nil {
		return nil, err
	}
	return &SparseBilinear{a: a, b: bc, c: cc}, nil
}

// Dim returns m + n.
func (o *SparseBilinear) Dim() int { return o.a.r + o.a.c }

// Dims returns m and n, the dimensions of x and y (A is m×n).
func (o *SparseBilinear) Dims() (m, n int) { return o.a.r, o.a.c }

// Matrix returns A.
func (o *SparseBilinear) Matrix() *CSR { return o.a }

// Apply sets dst = F(z) = (Ay + b, −(Aᵀx + c)) for z = (x, y), in one pass
// over the nonzeros of A. dst and z have length m + n and must not
// overlap. Apply allocates nothing; it panics on wrong lengths.
func (o *SparseBilinear) Apply(dst, z []float64) {
	a := o.a
	m := a.r
	checkApply("SparseBilinear", dst, z, m+a.c)
	ay, atx := dst[:m], dst[m:]
	if t := o.team.Load(); t != nil {
		t.Bilinear(ay, atx, z[:m], z[m:])
	} else {
		kernel.CSRBilinear(ay, atx, a.ptr, a.idx, a.val, z[:m], z[m:])
	}
	for i, v := range o.b {
		ay[i] += v
	}
	for j, v := range o.c {
		atx[j] = -(atx[j] + v)
	}
}

// Parallel makes Apply split the rows of A, in blocks of about equal
// numbers of nonzeros, across workers goroutines, the caller included,
// when A has at least 2¹⁴ nonzeros (smaller matrices gain nothing and
// stay on the caller). workers ≤ 1 returns to evaluation on the caller
// alone.
//
// Each block gives its part of Ay directly. For Aᵀx every helper
// scatters its rows into an accumulator of its own, n numbers, added to
// the result at the end, so A is still read once per evaluation. The
// alternative, a column split over a second, column-ordered (CSC) copy
// of A, needs no accumulators but doubles the memory and reads every
// nonzero twice: on one core its two row passes (A and the copy of Aᵀ)
// cost 2.3 ns per nonzero against 1.1 for the fused pass at n = 10,000
// with 10 nonzeros per row (BenchmarkSparseBilinearApply), and the
// accumulators cost only n additions per helper against 10n
// multiply-adds.
//
// The helper goroutines are started here and stopped by the next call
// to Parallel, or when the SparseBilinear is garbage collected. Between
// evaluations they poll for the next one for about 80 µs (yielding to
// other goroutines) before they sleep, so that an iterative method's
// evaluations start at once; this keeps the other cores busy while a
// solver runs. Apply stays allocation-free and safe for concurrent use;
// concurrent evaluations take turns. With two workers, at n = 10,000
// and 10 nonzeros per row, an evaluation takes about 66 µs against 113 µs
// on the caller when the second core is idle, but 160 to 370 µs when
// other processes keep both cores busy (the caller waits for a helper
// the system has descheduled): leave it off when running several
// solvers in parallel.
func (o *SparseBilinear) Parallel(workers int) {
	sparseParallel(&o.team, o, o.a, workers)
}

// Lipschitz returns σ_max(A) = ‖J‖₂, the smallest Lipschitz constant of F.
// It is computed on the first call by SpectralNorm on the sparse A
// (within 5e-11 relative; two passes over the nonzeros per Lanczos step,
// nothing densified) and cached; later calls, from any goroutine, return
// the cached value.
func (o *SparseBilinear) Lipschitz() float64 {
	o.lipOnce.Do(func() { o.lip = o.a.spectralNorm() })
	return o.lip
}

// sparseParallel installs in slot a team of workers for the matrix a of
// owner, or none, and stops the team it replaces.
func sparseParallel[T any](slot *atomic.Pointer[kernel.CSRTeam], owner *T, a *CSR, workers int) {
	var t *kernel.CSRTeam
	if workers > 1 && a.NNZ() >= sparseParallelMin {
		t = kernel.NewCSRTeam(workers, a.ptr, a.idx, a.val, a.c)
		runtime.AddCleanup(owner, func(t *kernel.CSRTeam) { t.Close() }, t)
	}
	if old := slot.Swap(t); old != nil {
		old.Close()
	}
}
