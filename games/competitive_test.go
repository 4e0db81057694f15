package games

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// competitiveXY is f(x, y) = s·xy, F = (s·y, −s·x), with its exact mixed
// products D²ₓᵧf = s and ∂Fᵧ/∂x = −s (ALGORITHMS.md Part II B1 with A = s).
func competitiveXY(s float64) MixedFunc {
	return MixedFunc{M: 1, N: 1, L: math.Abs(s), ZeroSumGame: true,
		F:  func(dst, z []float64) { dst[0], dst[1] = s*z[1], -s*z[0] },
		XY: func(dst, _, v []float64) { dst[0] = s * v[0] },
		YX: func(dst, _, u []float64) { dst[0] = -s * u[0] },
	}
}

// competitiveX2Y is f = x²y (ALGORITHMS.md B5.4): F = (2xy, −x²),
// D²ₓᵧf = 2x; its stationary points are the line x = 0.
func competitiveX2Y() MixedFunc {
	return MixedFunc{M: 1, N: 1, ZeroSumGame: true,
		F:  func(dst, z []float64) { dst[0], dst[1] = 2*z[0]*z[1], -z[0]*z[0] },
		XY: func(dst, z, v []float64) { dst[0] = 2 * z[0] * v[0] },
		YX: func(dst, z, u []float64) { dst[0] = -2 * z[0] * u[0] },
	}
}

// competitiveX2YXY is f = x²y + xy (B5.4): F = (2xy + y, −(x² + x)),
// D²ₓᵧf = 2x + 1; saddle point (0, 0).
func competitiveX2YXY() MixedFunc {
	return MixedFunc{M: 1, N: 1, ZeroSumGame: true,
		F: func(dst, z []float64) {
			x, y := z[0], z[1]
			dst[0], dst[1] = 2*x*y+y, -(x*x + x)
		},
		XY: func(dst, z, v []float64) { dst[0] = (2*z[0] + 1) * v[0] },
		YX: func(dst, z, u []float64) { dst[0] = -(2*z[0] + 1) * u[0] },
	}
}

// competitiveVanishing is the "vanishing incoherent region" example of
// B5.4, f = (x − 1/2)(y − 1/2) + (1/3)·e^{−(x−1/4)² − (y−3/4)²}, with
// D²ₓᵧf = 1 + 4(x − 1/4)(y − 3/4)·e/3.
func competitiveVanishing() MixedFunc {
	bump := func(z []float64) float64 {
		dx, dy := z[0]-0.25, z[1]-0.75
		return math.Exp(-dx*dx-dy*dy) / 3
	}
	return MixedFunc{M: 1, N: 1, ZeroSumGame: true,
		F: func(dst, z []float64) {
			e := bump(z)
			dst[0] = z[1] - 0.5 - 2*(z[0]-0.25)*e
			dst[1] = -(z[0] - 0.5 - 2*(z[1]-0.75)*e)
		},
		XY: func(dst, z, v []float64) { dst[0] = (1 + 4*(z[0]-0.25)*(z[1]-0.75)*bump(z)) * v[0] },
		YX: func(dst, z, u []float64) { dst[0] = -(1 + 4*(z[0]-0.25)*(z[1]-0.75)*bump(z)) * u[0] },
	}
}

// competitiveOffDiagonal returns J_off(z) = [[0, ∂Fₓ/∂y], [∂Fᵧ/∂x, 0]] as a
// dense matrix, column by column from the products.
func competitiveOffDiagonal(h MixedHessian, z []float64) *mat.Dense {
	dim, m := h.Dim(), h.Split()
	n := dim - m
	j := mat.NewDense(dim, dim, nil)
	col := make([]float64, max(m, n))
	for k := 0; k < n; k++ { // ∂Fₓ/∂y e_k
		v := make([]float64, n)
		v[k] = 1
		h.MixedXY(col[:m], z, v)
		for i := 0; i < m; i++ {
			j.Set(i, m+k, col[i])
		}
	}
	for k := 0; k < m; k++ { // ∂Fᵧ/∂x e_k
		u := make([]float64, m)
		u[k] = 1
		h.MixedYX(col[:n], z, u)
		for i := 0; i < n; i++ {
			j.Set(m+i, k, col[i])
		}
	}
	return j
}

// competitiveDenseDirection solves (I + αJ_off(z)) d = F(z) by LU.
func competitiveDenseDirection(t *testing.T, h MixedHessian, z []float64, alpha float64) []float64 {
	t.Helper()
	dim := h.Dim()
	a := competitiveOffDiagonal(h, z)
	a.Scale(alpha, a)
	for i := 0; i < dim; i++ {
		a.Set(i, i, a.At(i, i)+1)
	}
	fz := make([]float64, dim)
	h.Apply(fz, z)
	d := mat.NewVecDense(dim, nil)
	require.NoError(t, d.SolveVec(a, mat.NewVecDense(dim, fz)))
	return d.RawVector().Data
}

// competitiveCoherence returns ⟨(I − αJ_off(z))F(z), z − z*⟩, the
// α-coherence expression reconstructed in ALGORITHMS.md Part II A2 (≥ 0
// for all z is the condition; α = 0 is the Minty condition).
func competitiveCoherence(h MixedHessian, z, zs []float64, alpha float64) float64 {
	dim, m := h.Dim(), h.Split()
	fz, g := make([]float64, dim), make([]float64, dim)
	h.Apply(fz, z)
	h.MixedXY(g[:m], z, fz[m:])
	h.MixedYX(g[m:], z, fz[:m])
	var s float64
	for i := range z {
		s += (fz[i] - alpha*g[i]) * (z[i] - zs[i])
	}
	return s
}

// competitiveViolations counts the points of an (n+1)² grid of
// [lo, hi]² where the α-coherence expression is negative.
func competitiveViolations(h MixedHessian, zs []float64, alpha, lo, hi float64, n int) int {
	bad := 0
	for i := 0; i <= n; i++ {
		for j := 0; j <= n; j++ {
			z := []float64{lo + (hi-lo)*float64(i)/float64(n), lo + (hi-lo)*float64(j)/float64(n)}
			if competitiveCoherence(h, z, zs, alpha) < -1e-12 {
				bad++
			}
		}
	}
	return bad
}

// competitiveAffineGame returns the affine operator F = Mz + q on
// R^{m+n} with Gaussian entries; antisymmetric off-diagonal blocks when
// zeroSum (a zero-sum game with quadratic terms), independent ones
// otherwise (a general-sum game).
func competitiveAffineGame(t *testing.T, m, n int, zeroSum bool, seed uint64) *monotone.Affine {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	dim := m + n
	a := mat.NewDense(dim, dim, nil)
	for i := 0; i < dim; i++ {
		for j := 0; j < dim; j++ {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	if zeroSum {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				a.Set(m+j, i, -a.At(i, m+j))
			}
		}
	}
	q := make([]float64, dim)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	op, err := monotone.NewAffine(a, q)
	require.NoError(t, err)
	return op
}

func TestCompetitiveMixedHessianMatchesFiniteDifferences(t *testing.T) {
	dirac, err := DiracGAN(0.3)
	require.NoError(t, err)
	bil, err := Bilinear(4, 5)
	require.NoError(t, err)
	qb, err := QuadraticBilinear(2, -1, 2)
	require.NoError(t, err)
	wgan := LinearWGAN()
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name    string
		f       vi.Operator
		split   int
		zeroSum bool
	}{
		{"forsaken", Forsaken().Problem.F, 0, true},
		{"polar", Polar().Problem.F, 0, false},
		{"dirac-gan", dirac.Problem.F, 0, true},
		{"bilinear", bil.Problem.F, 0, true},
		{"quadratic-bilinear", qb.Problem.F, qb.Split, true},
		{"wgan-gaussian", wgan.Problem.F, wgan.Split, true},
		{"general-sum affine 3+2", competitiveAffineGame(t, 3, 2, false, 2), 3, false},
		{"x²y", competitiveX2Y(), 0, true},
		{"x²y + xy", competitiveX2YXY(), 0, true},
		{"vanishing incoherent", competitiveVanishing(), 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := MixedHessianOf(tc.f, tc.split)
			require.NoError(t, err)
			m := h.Split()
			for k := 0; k < 5; k++ {
				z := make([]float64, h.Dim())
				for i := range z {
					z[i] = rng.Float64()*2 - 1
				}
				fd, err := monotone.Jacobian(tc.f, z)
				require.NoError(t, err)
				off := competitiveOffDiagonal(h, z)
				for i := 0; i < h.Dim(); i++ {
					for j := 0; j < h.Dim(); j++ {
						if (i < m) == (j < m) {
							continue // diagonal blocks: not mixed
						}
						assert.InDelta(t, fd.At(i, j), off.At(i, j), 1e-6*(1+math.Abs(fd.At(i, j))), "entry (%d, %d) at %v", i, j, z)
					}
				}
				// Zero-sum: ∂Fᵧ/∂x = −(∂Fₓ/∂y)ᵀ, the sign convention
				// F = (∇ₓf, −∇ᵧf) puts on the blocks.
				asym := 0.0
				for i := 0; i < m; i++ {
					for j := m; j < h.Dim(); j++ {
						asym = max(asym, math.Abs(off.At(i, j)+off.At(j, i)))
					}
				}
				if tc.zeroSum {
					assert.Less(t, asym, 1e-12)
				} else {
					assert.Greater(t, asym, 1e-3)
				}
			}
			if zs, ok := h.(ZeroSummer); ok {
				assert.Equal(t, tc.zeroSum, zs.ZeroSum())
			}
		})
	}
}

func TestCompetitiveMixedHessianOfSignConvention(t *testing.T) {
	// f = x²y + xy: D²ₓᵧf = 2x + 1 computed from f by hand, against the
	// operator's blocks ∂Fₓ/∂y = D²ₓᵧf and ∂Fᵧ/∂x = −D²ᵧₓf.
	h := competitiveX2YXY()
	z := []float64{0.7, -0.4}
	dst := make([]float64, 1)
	h.MixedXY(dst, z, []float64{3})
	assert.InDelta(t, 3*(2*0.7+1), dst[0], 1e-15)
	h.MixedYX(dst, z, []float64{3})
	assert.InDelta(t, -3*(2*0.7+1), dst[0], 1e-15)

	// A Bilinear xᵀAy: products A·v and −Aᵀu with A 2×3 (x first).
	a := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	op, err := monotone.NewBilinear(a, nil, nil)
	require.NoError(t, err)
	hb, err := MixedHessianOf(op, 0)
	require.NoError(t, err)
	assert.Equal(t, 2, hb.Split())
	xy, yx := make([]float64, 2), make([]float64, 3)
	hb.MixedXY(xy, make([]float64, 5), []float64{1, -1, 2})
	hb.MixedYX(yx, make([]float64, 5), []float64{1, 2})
	assert.Equal(t, []float64{1 - 2 + 6, 4 - 5 + 12}, xy)
	assert.Equal(t, []float64{-(1 + 8), -(2 + 10), -(3 + 12)}, yx)
}

func TestCompetitiveMixedHessianOfErrors(t *testing.T) {
	qb, err := QuadraticBilinear(1, 1, 1)
	require.NoError(t, err)
	bil, err := Bilinear(3, 1)
	require.NoError(t, err)
	xy := competitiveXY(1)
	for _, tc := range []struct {
		name  string
		f     vi.Operator
		split int
		want  string
	}{
		{"no operator", nil, 0, "games: MixedHessianOf: no operator"},
		{"plain function", monotone.Func{N: 2, F: func(dst, z []float64) {}}, 1,
			"games: MixedHessianOf: the operator monotone.Func has no mixed second derivatives: want a games.MixedHessian (games.MixedFunc for closed forms), a *monotone.Bilinear, or an affine operator with Split set"},
		{"affine without split", qb.Problem.F, 0,
			"games: MixedHessianOf: the affine operator *monotone.Affine does not say where y starts: set Split to the number of x coordinates"},
		{"affine split too large", qb.Problem.F, 2, "games: MixedHessianOf: Split = 2, want 1 ≤ Split < 2 (the dimension)"},
		{"bilinear split mismatch", bil.Problem.F, 2, "games: MixedHessianOf: Split = 2, but the operator *monotone.Bilinear has 3 x coordinates"},
		{"negative split", xy, -1, "games: MixedHessianOf: Split = -1, want ≥ 0 (0: from the operator)"},
		{"MixedFunc without XY", MixedFunc{M: 1, N: 1, F: xy.F, YX: xy.YX}, 0, "games: MixedHessianOf: MixedFunc has no XY"},
		{"MixedFunc with N = 0", MixedFunc{M: 1, F: xy.F, XY: xy.XY, YX: xy.YX}, 0, "games: MixedHessianOf: MixedFunc has M = 1, N = 0, want both ≥ 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := MixedHessianOf(tc.f, tc.split)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestCompetitiveFindsProductsThroughSolveWrapper(t *testing.T) {
	// Solve hands Init a counting wrapper; the methods reach the mixed
	// products through vi.Unwrapper and still count every evaluation.
	for _, m := range []vi.Method{&CGD{Step: 1}, &CGO{Step: 1, Alpha: 2}, &OptimisticCGO{Step: 1, Alpha: 2}} {
		p := &vi.Problem{F: competitiveXY(1), Z0: []float64{1, 1}}
		r, err := vi.Solve(context.Background(), p, m, &vi.Settings{MaxIterations: 5, Tol: -1})
		require.NoError(t, err)
		assert.Equal(t, vi.IterationLimit, r.Status)
	}
	// A plain operator is refused with a clear error.
	p := &vi.Problem{F: monotone.Func{N: 2, F: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }, L: 1}}
	_, err := vi.Solve(context.Background(), p, &CGD{}, nil)
	assert.ErrorContains(t, err, "games: CGD: the operator monotone.Func has no mixed second derivatives")
}

func TestCompetitiveDirectionMatchesDenseSolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	bil34, err := monotone.NewBilinear(mat.NewDense(3, 4, func() []float64 {
		d := make([]float64, 12)
		for i := range d {
			d[i] = rng.NormFloat64()
		}
		return d
	}()), []float64{1, 2, 3}, []float64{-1, 0, 1, 2})
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		f       vi.Operator
		split   int
		cg      bool
		xFirst  bool
		maxIter int
	}{
		{"zero-sum bilinear 3+4, x block solved", bil34, 0, true, true, 0},
		{"zero-sum affine 5+2, y block solved", competitiveAffineGame(t, 5, 2, true, 4), 5, true, false, 0},
		{"general-sum affine 3+5, BiCGSTAB", competitiveAffineGame(t, 3, 5, false, 5), 3, false, true, 0},
		{"general-sum affine 6+4, BiCGSTAB on y", competitiveAffineGame(t, 6, 4, false, 6), 6, false, false, 0},
		{"polar, 1×1 general-sum", Polar().Problem.F, 0, false, true, 0},
		{"vanishing incoherent, 1×1", competitiveVanishing(), 0, true, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c competitiveCore
			require.NoError(t, c.init("test", tc.f, tc.split, 1e-13, tc.maxIter))
			assert.Equal(t, tc.cg, c.cg)
			assert.Equal(t, tc.xFirst, c.xFirst)
			h := c.h
			dim := h.Dim()
			for _, alpha := range []float64{0.1, 1, 3} {
				z := make([]float64, dim)
				for i := range z {
					z[i] = rng.Float64() - 0.5
				}
				fz := make([]float64, dim)
				tc.f.Apply(fz, z)
				d := make([]float64, dim)
				before := c.work
				c.direction(d, z, fz, alpha)
				want := competitiveDenseDirection(t, h, z, alpha)
				assert.InDeltaSlice(t, want, d, 1e-9*(1+floats.Norm(want, 2)), "α = %v", alpha)
				// Products: 1 (right-hand side) + 1 (recovery) + 2 per
				// conjugate gradient iteration (at most 4 per BiCGSTAB one).
				k := c.work.SolverIterations - before.SolverIterations
				hv := c.work.HessianProducts - before.HessianProducts
				if tc.cg {
					assert.Equal(t, 2+2*k, hv)
				} else {
					assert.LessOrEqual(t, hv, 2+4*k)
					assert.GreaterOrEqual(t, hv, 2+4*k-2)
				}
				assert.Equal(t, before.Unconverged, c.work.Unconverged)
				if dim == 2 {
					assert.Equal(t, 1, k, "a 1×1 system is solved by one iteration")
				}
			}
		})
	}
}

func TestCompetitiveInnerSolverCap(t *testing.T) {
	bil, err := Bilinear(20, 2)
	require.NoError(t, err)
	for _, m := range []*CGD{{Step: 3, MaxInner: 2}, {Step: 3}} {
		p := bil.Problem
		require.NoError(t, m.Init(p))
		for k := 0; k < 3; k++ {
			require.NoError(t, m.Iterate())
		}
		w := m.Work()
		assert.Equal(t, 3, w.LinearSolves)
		if m.MaxInner == 2 {
			assert.Equal(t, 6, w.SolverIterations)
			assert.Equal(t, 3, w.Unconverged, "two conjugate gradient iterations do not reach 1e-10 on a 20×20 system")
		} else {
			assert.Zero(t, w.Unconverged)
			assert.LessOrEqual(t, w.SolverIterations, 3*(2*20+10))
		}
		assert.Equal(t, 2*3+2*w.SolverIterations, w.HessianProducts)
	}
}
