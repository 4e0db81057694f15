package monotone

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Affine is the operator F(z) = Mz + q with a dense square M.
//
// F is monotone exactly when M + Mᵀ is positive semidefinite and
// L-Lipschitz with L = ‖M‖₂; Monotonicity and Comonotonicity compute its
// exact moduli from M. Affine satisfies vi.AffineOperator, so the proximal
// point method can factor I + ηM, and vi.Lipschitzer.
//
// An Affine keeps M (it does not copy it); M must not be modified
// afterwards, since the Lipschitz constant is computed once and cached. q
// is copied. Apply is safe for concurrent use.
type Affine struct {
	m   *mat.Dense
	raw blas64.General
	q   []float64

	lipOnce sync.Once
	lip     float64
}

// NewAffine returns F(z) = Mz + q. A nil q means q = 0. It returns an
// error naming the problem when M is nil, empty or not square, when q has
// the wrong length, or when an entry of M or q is NaN or infinite.
func NewAffine(m *mat.Dense, q []float64) (*Affine, error) {
	const fn = "NewAffine"
	if err := checkMatrix(fn, "M", m); err != nil {
		return nil, err
	}
	r, c := m.Dims()
	if r != c {
		return nil, fmt.Errorf("monotone: %s: M is %d×%d, want a square matrix", fn, r, c)
	}
	qc, err := copyVector(fn, "q", q, r)
	if err != nil {
		return nil, err
	}
	return &Affine{m: m, raw: m.RawMatrix(), q: qc}, nil
}

// Dim returns n, the order of M.
func (a *Affine) Dim() int { return len(a.q) }

// Apply sets dst = Mz + q. dst and z have length Dim and must not
// overlap. Apply allocates nothing; it panics on wrong lengths.
func (a *Affine) Apply(dst, z []float64) {
	n := len(a.q)
	checkApply("Affine", dst, z, n)
	copy(dst, a.q)
	blas64.Gemv(blas.NoTrans, 1, a.raw, blas64.Vector{N: n, Inc: 1, Data: z}, 1, blas64.Vector{N: n, Inc: 1, Data: dst})
}

// Lipschitz returns ‖M‖₂, the largest singular value of M, which is the
// smallest Lipschitz constant of F. It is computed on the first call by
// SpectralNorm (within 5e-11 relative) and cached; later calls,
// from any goroutine, return the cached value.
func (a *Affine) Lipschitz() float64 {
	a.lipOnce.Do(func() { a.lip = SpectralNorm(a.m) })
	return a.lip
}

// Affine returns M and q, borrowed: they must not be modified.
func (a *Affine) Affine() (mat.Matrix, []float64) { return a.m, a.q }

// checkMatrix rejects a nil or empty matrix and non-finite entries.
func checkMatrix(fn, name string, m *mat.Dense) error {
	if m == nil {
		return fmt.Errorf("monotone: %s: %s is nil", fn, name)
	}
	if m.IsEmpty() {
		return fmt.Errorf("monotone: %s: %s is empty", fn, name)
	}
	r, _ := m.Dims()
	for i := 0; i < r; i++ {
		for j, v := range m.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("monotone: %s: %s[%d][%d] = %v is not finite", fn, name, i, j, v)
			}
		}
	}
	return nil
}

// copyVector returns a copy of v checked to have length n and finite
// entries; a nil v gives n zeros.
func copyVector(fn, name string, v []float64, n int) ([]float64, error) {
	out := make([]float64, n)
	if v == nil {
		return out, nil
	}
	if len(v) != n {
		return nil, fmt.Errorf("monotone: %s: %s has length %d, want %d", fn, name, len(v), n)
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("monotone: %s: %s[%d] = %v is not finite", fn, name, i, x)
		}
	}
	copy(out, v)
	return out, nil
}

// checkApply panics when dst or z does not have length n or when they
// start at the same element.
func checkApply(typ string, dst, z []float64, n int) {
	if len(dst) != n || len(z) != n {
		panic(fmt.Sprintf("monotone: %s.Apply: dst has length %d and z %d, want %d", typ, len(dst), len(z), n))
	}
	if n > 0 && &dst[0] == &z[0] {
		panic(fmt.Sprintf("monotone: %s.Apply: dst and z are the same slice", typ))
	}
}
