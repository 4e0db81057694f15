package monotone

import (
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/internal/kernel"
)

// Bilinear is the operator of the unconstrained bilinear saddle problem
//
//	min_x max_y xᵀAy + bᵀx + cᵀy,   x ∈ Rᵐ, y ∈ Rⁿ, A m×n,
//
// over z = (x, y):
//
//	F(x, y) = (Ay + b, −(Aᵀx + c)) = Jz + q,  J = [[0, A], [−Aᵀ, 0]],  q = (b, −c).
//
// J is skew-symmetric, so F is monotone but not strongly monotone, with
// Lipschitz constant σ_max(A); its solutions satisfy Ay* = −b and
// Aᵀx* = −c (ALGORITHMS.md Part II B1).
//
// Apply reads A once per evaluation: each row A_i gives (Ay)_i and adds
// x_i·A_i to Aᵀx while it is in cache (package internal/kernel), the
// memory-bandwidth floor of a dense evaluation.
//
// A Bilinear keeps A (it does not copy it); A must not be modified
// afterwards, since the Lipschitz constant and the block matrix J are
// computed once and cached. b and c are copied. Apply is safe for
// concurrent use. Parallel spreads large evaluations across cores.
type Bilinear struct {
	a    *mat.Dense
	raw  blas64.General
	b, c []float64
	m, n int

	lipOnce sync.Once
	lip     float64

	affOnce sync.Once
	j       *mat.Dense
	q       []float64

	team atomic.Pointer[kernel.Team] // nil: evaluate on the caller
}

// NewBilinear returns the operator of min_x max_y xᵀAy + bᵀx + cᵀy. A nil
// b or c means zero. It returns an error naming the problem when A is nil
// or empty, when b does not have A's number of rows or c its number of
// columns, or when an entry is NaN or infinite.
func NewBilinear(a *mat.Dense, b, c []float64) (*Bilinear, error) {
	const fn = "NewBilinear"
	if err := checkMatrix(fn, "A", a); err != nil {
		return nil, err
	}
	m, n := a.Dims()
	bc, err := copyVector(fn, "b", b, m)
	if err != nil {
		return nil, err
	}
	cc, err := copyVector(fn, "c", c, n)
	if err != nil {
		return nil, err
	}
	return &Bilinear{a: a, raw: a.RawMatrix(), b: bc, c: cc, m: m, n: n}, nil
}

// Dim returns m + n.
func (o *Bilinear) Dim() int { return o.m + o.n }

// Dims returns m and n, the dimensions of x and y (A is m×n).
func (o *Bilinear) Dims() (m, n int) { return o.m, o.n }

// Matrix returns A, borrowed: it must not be modified.
func (o *Bilinear) Matrix() *mat.Dense { return o.a }

// Apply sets dst = F(z) = (Ay + b, −(Aᵀx + c)) for z = (x, y), in one pass
// over A. dst and z have length m + n and must not overlap. Apply
// allocates nothing; it panics on wrong lengths.
func (o *Bilinear) Apply(dst, z []float64) {
	m := o.m
	checkApply("Bilinear", dst, z, m+o.n)
	ay, atx := dst[:m], dst[m:]
	if t := o.team.Load(); t != nil {
		t.Bilinear(ay, atx, o.raw.Data, o.raw.Stride, m, o.n, z[:m], z[m:])
	} else {
		kernel.Bilinear(ay, atx, o.raw.Data, o.raw.Stride, m, o.n, z[:m], z[m:])
	}
	for i, v := range o.b {
		ay[i] += v
	}
	for j, v := range o.c {
		atx[j] = -(atx[j] + v)
	}
}

// Parallel makes Apply split the rows of A across workers goroutines, the
// caller included, when A has at least 2²¹ entries (about 1450×1450;
// smaller matrices gain nothing and stay on the caller). workers ≤ 1
// returns to evaluation on the caller alone. The helper goroutines are
// started here and stopped by the next call to Parallel, or when the
// Bilinear is garbage collected. Apply stays allocation-free and safe for
// concurrent use; concurrent evaluations take turns.
//
// It pays only when cores are idle: on 2 cores, a 3000×3000 evaluation
// takes about 1.6 ms with two workers against 2.8 ms with one when the
// second core is free, and gains nothing when it is busy. Leave it off
// when running several solvers in parallel.
func (o *Bilinear) Parallel(workers int) {
	var t *kernel.Team
	if workers > 1 {
		t = kernel.NewTeam(workers, o.n)
		runtime.AddCleanup(o, func(t *kernel.Team) { t.Close() }, t)
	}
	if old := o.team.Swap(t); old != nil {
		old.Close()
	}
}

// Lipschitz returns σ_max(A) = ‖J‖₂, the smallest Lipschitz constant of F.
// It is computed on the first call by SpectralNorm (within 5e-11
// relative) and cached; later calls, from any goroutine, return the
// cached value.
func (o *Bilinear) Lipschitz() float64 {
	o.lipOnce.Do(func() { o.lip = SpectralNorm(o.a) })
	return o.lip
}

// Affine returns F as Jz + q: the (m+n)×(m+n) matrix J = [[0, A], [−Aᵀ, 0]]
// and q = (b, −c), borrowed: they must not be modified. J is built on the
// first call, (m+n)² entries of memory, and cached; this is what the
// proximal point method factors. Apply never uses it.
func (o *Bilinear) Affine() (mat.Matrix, []float64) {
	o.affOnce.Do(func() {
		m, n := o.m, o.n
		j := mat.NewDense(m+n, m+n, nil)
		for i := 0; i < m; i++ {
			row := o.a.RawRowView(i)
			copy(j.RawRowView(i)[m:], row)
			for k, v := range row {
				j.Set(m+k, i, -v)
			}
		}
		q := make([]float64, m+n)
		copy(q, o.b)
		for k, v := range o.c {
			q[m+k] = -v
		}
		o.j, o.q = j, q
	})
	return o.j, o.q
}
