package games

import (
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// A MixedHessian is the operator of a two-player game over z = (x, y),
// x ∈ Rᵐ, y ∈ Rⁿ, that can multiply by the off-diagonal blocks of its
// Jacobian without forming them (Hessian-vector products). It is what the
// competitive methods CGD, CGO and OptimisticCGO need.
//
// For the game min_x f(x, y), min_y g(x, y) the operator is
// F = (∇ₓf, ∇ᵧg), whose Jacobian is
//
//	JF = [[D²ₓₓf, D²ₓᵧf], [D²ᵧₓg, D²ᵧᵧg]],
//
// and MixedXY multiplies by D²ₓᵧf = ∂Fₓ/∂y (m×n), MixedYX by
// D²ᵧₓg = ∂Fᵧ/∂x (n×m). For a zero-sum game min_x max_y f, g = −f and
// F = (∇ₓf, −∇ᵧf) (the package convention), so
//
//	MixedXY(v) = D²ₓᵧf·v,   MixedYX(u) = −D²ᵧₓf·u = −(D²ₓᵧf)ᵀu:
//
// the operator's blocks carry the sign of the maximizing player. (ALGORITHMS.md
// Part II writes D_yx = D²ᵧₓf = D_xyᵀ for f itself; the minus sign above is
// where its zero-sum formulas get their "+η² D_xy D_yx".)
//
// An implementation whose game is zero-sum everywhere should also be a
// ZeroSummer: the methods then solve their linear systems (symmetric
// positive definite in that case) by conjugate gradient.
type MixedHessian interface {
	vi.Operator
	// Split returns m, the number of x coordinates: z = (x, y) with
	// x = z[:m], 1 ≤ m < Dim().
	Split() int
	// MixedXY sets dst = ∂Fₓ/∂y(z)·v, with len(v) = Dim() − m and
	// len(dst) = m. It must not modify z or v, nor allocate.
	MixedXY(dst, z, v []float64)
	// MixedYX sets dst = ∂Fᵧ/∂x(z)·u, with len(u) = m and
	// len(dst) = Dim() − m. It must not modify z or u, nor allocate.
	MixedYX(dst, z, u []float64)
}

// A ZeroSummer is a MixedHessian that knows whether its game is zero-sum,
// ∂Fᵧ/∂x = −(∂Fₓ/∂y)ᵀ at every point.
type ZeroSummer interface {
	ZeroSum() bool
}

// MixedFunc is a MixedHessian given by functions, for a game whose mixed
// second derivatives are known in closed form: F = (∇ₓf, ∇ᵧg) over
// z = (x, y) with x ∈ R^M, y ∈ R^N (for min_x max_y f, F = (∇ₓf, −∇ᵧf)).
// The functions must not allocate; Apply, MixedXY and MixedYX panic on
// slices of the wrong length before calling them.
type MixedFunc struct {
	M, N int                       // dimensions of x and y, both ≥ 1
	F    func(dst, z []float64)    // dst = F(z), length M + N
	XY   func(dst, z, v []float64) // dst = ∂Fₓ/∂y(z)·v = D²ₓᵧf·v: v length N, dst length M
	YX   func(dst, z, u []float64) // dst = ∂Fᵧ/∂x(z)·u (−D²ᵧₓf·u when zero-sum): u length M, dst length N
	L    float64                   // a Lipschitz constant of F; 0: unknown
	// ZeroSumGame declares ∂Fᵧ/∂x = −(∂Fₓ/∂y)ᵀ everywhere (a zero-sum
	// game); false (the zero value) makes no claim and is always safe.
	ZeroSumGame bool
}

// Dim returns M + N.
func (f MixedFunc) Dim() int { return f.M + f.N }

// Split returns M.
func (f MixedFunc) Split() int { return f.M }

// Apply sets dst = F(z).
func (f MixedFunc) Apply(dst, z []float64) {
	if len(dst) != f.M+f.N || len(z) != f.M+f.N {
		panic(fmt.Sprintf("games: MixedFunc.Apply: len(dst) = %d, len(z) = %d, want %d", len(dst), len(z), f.M+f.N))
	}
	f.F(dst, z)
}

// MixedXY sets dst = ∂Fₓ/∂y(z)·v.
func (f MixedFunc) MixedXY(dst, z, v []float64) {
	if len(dst) != f.M || len(v) != f.N || len(z) != f.M+f.N {
		panic(fmt.Sprintf("games: MixedFunc.MixedXY: len(dst) = %d, len(z) = %d, len(v) = %d, want %d, %d, %d", len(dst), len(z), len(v), f.M, f.M+f.N, f.N))
	}
	f.XY(dst, z, v)
}

// MixedYX sets dst = ∂Fᵧ/∂x(z)·u.
func (f MixedFunc) MixedYX(dst, z, u []float64) {
	if len(dst) != f.N || len(u) != f.M || len(z) != f.M+f.N {
		panic(fmt.Sprintf("games: MixedFunc.MixedYX: len(dst) = %d, len(z) = %d, len(u) = %d, want %d, %d, %d", len(dst), len(z), len(u), f.N, f.M+f.N, f.M))
	}
	f.YX(dst, z, u)
}

// ZeroSum implements ZeroSummer: it returns ZeroSumGame.
func (f MixedFunc) ZeroSum() bool { return f.ZeroSumGame }

// Lipschitz returns L (0 when unknown).
func (f MixedFunc) Lipschitz() float64 { return f.L }

// validate reports the first missing or invalid part.
func (f MixedFunc) validate() error {
	switch {
	case f.M < 1 || f.N < 1:
		return fmt.Errorf("MixedFunc has M = %d, N = %d, want both ≥ 1", f.M, f.N)
	case f.F == nil:
		return fmt.Errorf("MixedFunc has no F")
	case f.XY == nil:
		return fmt.Errorf("MixedFunc has no XY")
	case f.YX == nil:
		return fmt.Errorf("MixedFunc has no YX")
	case !(f.L >= 0) || math.IsInf(f.L, 1):
		return fmt.Errorf("MixedFunc has L = %v, want finite and ≥ 0", f.L)
	}
	return nil
}

// MixedHessianOf returns the mixed second derivatives of the game whose
// operator is f, looking through wrappers (vi.Unwrapper, such as Solve's
// counting wrapper): f itself when it is a MixedHessian; for a
// *monotone.Bilinear (min_x max_y xᵀAy + bᵀx + cᵀy), the exact products
// A·v and −Aᵀu; for any other vi.AffineOperator F(z) = Mz + q, the blocks
// M[:m, m:] and M[m:, :m] of M, which needs split = m > 0. A split of 0
// takes m from the operator; a positive split must agree with it.
//
// The returned value's Apply evaluates the unwrapped operator, outside any
// counting wrapper: the competitive methods use it only for products, and
// evaluate F through the operator they are given.
func MixedHessianOf(f vi.Operator, split int) (MixedHessian, error) {
	h, err := mixedHessianOf(f, split)
	if err != nil {
		return nil, fmt.Errorf("games: MixedHessianOf: %w", err)
	}
	return h, nil
}

// mixedHessianOf is MixedHessianOf with errors its callers prefix.
func mixedHessianOf(f vi.Operator, split int) (MixedHessian, error) {
	if f == nil {
		return nil, fmt.Errorf("no operator")
	}
	if split < 0 {
		return nil, fmt.Errorf("Split = %d, want ≥ 0 (0: from the operator)", split)
	}
	dim := f.Dim()
	inner := f // the innermost operator, named in the error
	for op := f; op != nil; {
		inner = op
		switch o := op.(type) {
		case MixedFunc:
			if err := o.validate(); err != nil {
				return nil, err
			}
			return competitiveCheckSplit(o, o, split)
		case *MixedFunc:
			if o == nil {
				return nil, fmt.Errorf("nil *MixedFunc")
			}
			if err := o.validate(); err != nil {
				return nil, err
			}
			return competitiveCheckSplit(o, o, split)
		case MixedHessian:
			return competitiveCheckSplit(o, o, split)
		case *monotone.Bilinear:
			return competitiveCheckSplit(newCompetitiveBilinear(o), o, split)
		case vi.AffineOperator:
			if split == 0 {
				return nil, fmt.Errorf("the affine operator %T does not say where y starts: set Split to the number of x coordinates", o)
			}
			if split >= dim {
				return nil, fmt.Errorf("Split = %d, want 1 ≤ Split < %d (the dimension)", split, dim)
			}
			return newCompetitiveAffine(o, split), nil
		}
		u, ok := op.(vi.Unwrapper[vi.Operator])
		if !ok {
			break
		}
		op = u.Unwrap()
	}
	return nil, fmt.Errorf("the operator %T has no mixed second derivatives: want a games.MixedHessian (games.MixedFunc for closed forms), a *monotone.Bilinear, or an affine operator with Split set", inner)
}

// competitiveCheckSplit checks h's own split against the requested one;
// op is the operator h stands for, named in errors.
func competitiveCheckSplit(h MixedHessian, op vi.Operator, split int) (MixedHessian, error) {
	m := h.Split()
	if m < 1 || m >= h.Dim() {
		return nil, fmt.Errorf("the operator %T has Split() = %d, want 1 ≤ Split() < %d", op, m, h.Dim())
	}
	if split != 0 && split != m {
		return nil, fmt.Errorf("Split = %d, but the operator %T has %d x coordinates", split, op, m)
	}
	return h, nil
}

// competitiveBilinear gives a *monotone.Bilinear its exact mixed products:
// F = (Ay + b, −(Aᵀx + c)), so ∂Fₓ/∂y = A and ∂Fᵧ/∂x = −Aᵀ.
type competitiveBilinear struct {
	op   *monotone.Bilinear
	a    blas64.General
	m, n int
}

func newCompetitiveBilinear(op *monotone.Bilinear) *competitiveBilinear {
	m, n := op.Dims()
	return &competitiveBilinear{op: op, a: op.Matrix().RawMatrix(), m: m, n: n}
}

func (b *competitiveBilinear) Dim() int               { return b.m + b.n }
func (b *competitiveBilinear) Apply(dst, z []float64) { b.op.Apply(dst, z) }
func (b *competitiveBilinear) Split() int             { return b.m }
func (b *competitiveBilinear) ZeroSum() bool          { return true }
func (b *competitiveBilinear) Lipschitz() float64     { return b.op.Lipschitz() }

// MixedXY sets dst = A·v.
func (b *competitiveBilinear) MixedXY(dst, _, v []float64) {
	blas64.Gemv(blas.NoTrans, 1, b.a, competitiveVec(v), 0, competitiveVec(dst))
}

// MixedYX sets dst = −Aᵀu.
func (b *competitiveBilinear) MixedYX(dst, _, u []float64) {
	blas64.Gemv(blas.Trans, -1, b.a, competitiveVec(u), 0, competitiveVec(dst))
}

// competitiveAffine gives an affine operator F(z) = Mz + q, split at m,
// the blocks M[:m, m:] = ∂Fₓ/∂y and M[m:, :m] = ∂Fᵧ/∂x.
type competitiveAffine struct {
	op      vi.Operator
	xy, yx  blas64.General
	m, n    int
	zeroSum bool
}

func newCompetitiveAffine(op vi.AffineOperator, m int) *competitiveAffine {
	mm, _ := op.Affine()
	d, ok := mm.(*mat.Dense)
	if !ok {
		d = mat.DenseCopyOf(mm)
	}
	raw := d.RawMatrix()
	dim := op.Dim()
	n := dim - m
	a := &competitiveAffine{op: op, m: m, n: n,
		xy: blas64.General{Rows: m, Cols: n, Stride: raw.Stride, Data: raw.Data[m:]},
		yx: blas64.General{Rows: n, Cols: m, Stride: raw.Stride, Data: raw.Data[m*raw.Stride:]},
	}
	// Zero-sum when the blocks are exact negated transposes (up to
	// rounding in how the matrix was built).
	a.zeroSum = true
	for i := 0; i < m && a.zeroSum; i++ {
		for j := 0; j < n; j++ {
			u, w := a.xy.Data[i*raw.Stride+j], a.yx.Data[j*raw.Stride+i]
			if math.Abs(u+w) > 1e-14*(math.Abs(u)+math.Abs(w)) {
				a.zeroSum = false
				break
			}
		}
	}
	return a
}

func (a *competitiveAffine) Dim() int               { return a.m + a.n }
func (a *competitiveAffine) Apply(dst, z []float64) { a.op.Apply(dst, z) }
func (a *competitiveAffine) Split() int             { return a.m }
func (a *competitiveAffine) ZeroSum() bool          { return a.zeroSum }

// MixedXY sets dst = M[:m, m:]·v.
func (a *competitiveAffine) MixedXY(dst, _, v []float64) {
	blas64.Gemv(blas.NoTrans, 1, a.xy, competitiveVec(v), 0, competitiveVec(dst))
}

// MixedYX sets dst = M[m:, :m]·u.
func (a *competitiveAffine) MixedYX(dst, _, u []float64) {
	blas64.Gemv(blas.NoTrans, 1, a.yx, competitiveVec(u), 0, competitiveVec(dst))
}

func competitiveVec(x []float64) blas64.Vector {
	return blas64.Vector{N: len(x), Inc: 1, Data: x}
}

// The two-dimensional toys (Forsaken, Polar, DiracGAN and the CGO examples)
// are plane operators with a closed-form Jacobian JF = [[a, b], [c, d]]:
// their mixed products are its off-diagonal entries. Forsaken and
// Dirac-GAN are zero-sum (c = −b); the polar game is not (b + c = 2xy·t
// off the axes, t = (32r² − 25)/8), so it is played as a general-sum game by the
// competitive methods, which is exact for 1×1 blocks either way.

// Split returns 1: x and y are scalars.
func (p *plane) Split() int { return 1 }

// MixedXY sets dst = ∂Fₓ/∂y(z)·v, the entry b of JF(z) = [[a, b], [c, d]].
func (p *plane) MixedXY(dst, z, v []float64) {
	_, b, _, _ := p.jac(z)
	dst[0] = b * v[0]
}

// MixedYX sets dst = ∂Fᵧ/∂x(z)·u, the entry c of JF(z) = [[a, b], [c, d]].
func (p *plane) MixedYX(dst, z, u []float64) {
	_, _, c, _ := p.jac(z)
	dst[0] = c * u[0]
}
