package monotone

import (
	"fmt"
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
	_ vi.Lipschitzer = (*SparseAffine)(nil)
	_ vi.Lipschitzer = (*SparseBilinear)(nil)
)

// TestSparseOperatorsAreNotAffineOperators pins a design decision: the
// proximal point methods would densify and factor an AffineOperator's
// matrix, so the sparse operators must not be one.
func TestSparseOperatorsAreNotAffineOperators(t *testing.T) {
	a, err := NewCSR(2, 2, []int{0, 1}, []int{1, 0}, []float64{1, -1})
	require.NoError(t, err)
	sa, err := NewSparseAffine(a, nil)
	require.NoError(t, err)
	sb, err := NewSparseBilinear(a, nil, nil)
	require.NoError(t, err)
	for _, op := range []vi.Operator{sa, sb} {
		_, ok := op.(vi.AffineOperator)
		assert.False(t, ok, "%T", op)
	}
}

func TestSparseRejectsBadInput(t *testing.T) {
	sq, err := NewCSR(2, 2, []int{0}, []int{1}, []float64{1})
	require.NoError(t, err)
	rect, err := NewCSR(2, 3, []int{0}, []int{1}, []float64{1})
	require.NoError(t, err)
	affine := []struct {
		name string
		m    *CSR
		q    []float64
		want string
	}{
		{"nil M", nil, nil, "monotone: NewSparseAffine: M is nil"},
		{"non-square", rect, nil, "monotone: NewSparseAffine: M is 2×3, want a square matrix"},
		{"q length", sq, []float64{1, 2, 3}, "monotone: NewSparseAffine: q has length 3, want 2"},
		{"NaN in q", sq, []float64{0, math.NaN()}, "monotone: NewSparseAffine: q[1] = NaN is not finite"},
	}
	for _, c := range affine {
		t.Run("affine/"+c.name, func(t *testing.T) {
			o, err := NewSparseAffine(c.m, c.q)
			require.EqualError(t, err, c.want)
			assert.Nil(t, o)
		})
	}
	bilinear := []struct {
		name string
		a    *CSR
		b, c []float64
		want string
	}{
		{"nil A", nil, nil, nil, "monotone: NewSparseBilinear: A is nil"},
		{"b length", rect, []float64{1, 2, 3}, nil, "monotone: NewSparseBilinear: b has length 3, want 2"},
		{"c length", rect, nil, []float64{1, 2}, "monotone: NewSparseBilinear: c has length 2, want 3"},
		{"Inf in b", rect, []float64{math.Inf(1), 0}, nil, "monotone: NewSparseBilinear: b[0] = +Inf is not finite"},
		{"Inf in c", rect, nil, []float64{0, math.Inf(-1), 0}, "monotone: NewSparseBilinear: c[1] = -Inf is not finite"},
	}
	for _, c := range bilinear {
		t.Run("bilinear/"+c.name, func(t *testing.T) {
			o, err := NewSparseBilinear(c.a, c.b, c.c)
			require.EqualError(t, err, c.want)
			assert.Nil(t, o)
		})
	}
}

func TestSparseBilinearMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, s := range csrShapes {
		t.Run(s.name, func(t *testing.T) {
			tr := csrRandomTriplets(rng, s.r, s.c, s.perRow, s.emptyRows, s.emptyCols)
			b, c := affineRandomVector(rng, s.r), affineRandomVector(rng, s.c)
			sparse, err := NewSparseBilinear(tr.csr(t), b, c)
			require.NoError(t, err)
			dense, err := NewBilinear(tr.dense(), b, c)
			require.NoError(t, err)
			require.Equal(t, dense.Dim(), sparse.Dim())
			gm, gn := sparse.Dims()
			require.Equal(t, [2]int{s.r, s.c}, [2]int{gm, gn})
			z := affineRandomVector(rng, s.r+s.c)
			want, got := make([]float64, s.r+s.c), make([]float64, s.r+s.c)
			for i := range got {
				got[i] = 1e300 // stale values must be overwritten
			}
			dense.Apply(want, z)
			sparse.Apply(got, z)
			assert.InDeltaSlice(t, want, got, 1e-12)
			// And the sign convention, entry by entry.
			assert.InDeltaSlice(t, bilinearNaive(tr.dense(), b, c, z), got, 1e-12)
		})
	}
}

func TestSparseAffineMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, s := range csrShapes {
		if s.r != s.c {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			tr := csrRandomTriplets(rng, s.r, s.c, s.perRow, s.emptyRows, s.emptyCols)
			q := affineRandomVector(rng, s.r)
			sparse, err := NewSparseAffine(tr.csr(t), q)
			require.NoError(t, err)
			dense, err := NewAffine(tr.dense(), q)
			require.NoError(t, err)
			require.Equal(t, s.r, sparse.Dim())
			z := affineRandomVector(rng, s.r)
			want, got := make([]float64, s.r), make([]float64, s.r)
			dense.Apply(want, z)
			sparse.Apply(got, z)
			assert.InDeltaSlice(t, want, got, 1e-12)
		})
	}
	// A square matrix with empty rows and columns.
	tr := csrRandomTriplets(rng, 50, 50, 3, []int{0, 10, 49}, []int{5, 49})
	sparse, err := NewSparseAffine(tr.csr(t), nil)
	require.NoError(t, err)
	dense, err := NewAffine(tr.dense(), nil)
	require.NoError(t, err)
	z := affineRandomVector(rng, 50)
	want, got := make([]float64, 50), make([]float64, 50)
	dense.Apply(want, z)
	sparse.Apply(got, z)
	assert.InDeltaSlice(t, want, got, 1e-12)
	assert.Zero(t, got[0], "row 0 of M is empty and q = 0")
}

func TestSparseLipschitzMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, s := range csrShapes {
		t.Run(s.name, func(t *testing.T) {
			tr := csrRandomTriplets(rng, s.r, s.c, s.perRow, s.emptyRows, s.emptyCols)
			d := tr.dense()
			want := SpectralNorm(d)
			sb, err := NewSparseBilinear(tr.csr(t), nil, nil)
			require.NoError(t, err)
			assert.InDelta(t, want, sb.Lipschitz(), 1e-9*want)
			assert.InDelta(t, want, sb.Lipschitz(), 1e-9*want, "cached")
			// The checks are exact and agree with the dense Bilinear.
			db, err := NewBilinear(d, nil, nil)
			require.NoError(t, err)
			for name, check := range map[string]func(vi.Operator, *Sampling) (float64, error){
				"Lipschitz": Lipschitz, "Monotonicity": Monotonicity, "Comonotonicity": Comonotonicity,
			} {
				wantV, err := check(db, nil)
				require.NoError(t, err)
				gotV, err := check(sb, nil)
				require.NoError(t, err, name)
				assert.InDelta(t, wantV, gotV, 1e-9*math.Max(1, math.Abs(wantV)), name)
			}
			if s.r == s.c {
				sa, err := NewSparseAffine(tr.csr(t), nil)
				require.NoError(t, err)
				assert.InDelta(t, want, sa.Lipschitz(), 1e-9*want)
				l, err := Lipschitz(sa, nil)
				require.NoError(t, err)
				assert.InDelta(t, want, l, 1e-9*want)
			}
		})
	}
	// A = 0: F is constant, so Comonotonicity is +Inf, as for Bilinear.
	zero, err := NewCSR(3, 2, nil, nil, nil)
	require.NoError(t, err)
	sb, err := NewSparseBilinear(zero, []float64{1, 2, 3}, nil)
	require.NoError(t, err)
	assert.Zero(t, sb.Lipschitz())
	r, err := Comonotonicity(sb, nil)
	require.NoError(t, err)
	assert.Equal(t, math.Inf(1), r)
}

func TestSparseApplyDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	tr := csrRandomTriplets(rng, 40, 40, 5, nil, nil)
	sb, err := NewSparseBilinear(tr.csr(t), affineRandomVector(rng, 40), affineRandomVector(rng, 40))
	require.NoError(t, err)
	sa, err := NewSparseAffine(tr.csr(t), affineRandomVector(rng, 40))
	require.NoError(t, err)
	z, dst := affineRandomVector(rng, 80), make([]float64, 80)
	assert.Zero(t, testing.AllocsPerRun(100, func() { sb.Apply(dst, z) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { sa.Apply(dst[:40], z[:40]) }))
}

func TestSparseApplyPanicsOnBadLengths(t *testing.T) {
	a, err := NewCSR(2, 1, []int{0}, []int{0}, []float64{1})
	require.NoError(t, err)
	sb, err := NewSparseBilinear(a, nil, nil)
	require.NoError(t, err)
	assert.PanicsWithValue(t, "monotone: SparseBilinear.Apply: dst has length 3 and z 2, want 3", func() { sb.Apply(make([]float64, 3), make([]float64, 2)) })
	z := make([]float64, 3)
	assert.PanicsWithValue(t, "monotone: SparseBilinear.Apply: dst and z are the same slice", func() { sb.Apply(z, z) })
	sq, err := NewCSR(2, 2, []int{0}, []int{0}, []float64{1})
	require.NoError(t, err)
	sa, err := NewSparseAffine(sq, nil)
	require.NoError(t, err)
	assert.PanicsWithValue(t, "monotone: SparseAffine.Apply: dst has length 1 and z 2, want 2", func() { sa.Apply(make([]float64, 1), make([]float64, 2)) })
}

// sparseGame returns a sparse n×n game matrix with about perRow random
// entries per row plus 4 on the diagonal (well conditioned), and vectors
// b, c.
func sparseGame(rng *rand.Rand, n int, perRow float64) (csrTriplets, []float64, []float64) {
	tr := csrRandomTriplets(rng, n, n, perRow, nil, nil)
	for i := 0; i < n; i++ {
		tr.rows = append(tr.rows, i)
		tr.cols = append(tr.cols, i)
		tr.vals = append(tr.vals, 4)
	}
	return tr, affineRandomVector(rng, n), affineRandomVector(rng, n)
}

// TestSparseBilinearSolvesLikeDense runs vi.Solve with extragradient
// (step from Lipschitz) on the same game as a SparseBilinear and as a
// Bilinear: both converge to y* = −A⁻¹b, x* = −A⁻ᵀc (ALGORITHMS.md Part
// II B1) in the same number of iterations.
func TestSparseBilinearSolvesLikeDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	n := 40
	tr, b, c := sparseGame(rng, n, 3)
	d := tr.dense()
	var lu mat.LU
	lu.Factorize(d)
	x, y := mat.NewVecDense(n, nil), mat.NewVecDense(n, nil)
	require.NoError(t, lu.SolveVecTo(y, false, mat.NewVecDense(n, b)))
	require.NoError(t, lu.SolveVecTo(x, true, mat.NewVecDense(n, c)))
	want := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		want[i], want[n+i] = -x.AtVec(i), -y.AtVec(i)
	}
	sparse, err := NewSparseBilinear(tr.csr(t), b, c)
	require.NoError(t, err)
	dense, err := NewBilinear(d, b, c)
	require.NoError(t, err)
	settings := &vi.Settings{Tol: 1e-10, MaxIterations: 100000}
	rs, err := vi.Solve(t.Context(), &vi.Problem{F: sparse}, &vi.Extragradient{}, settings)
	require.NoError(t, err)
	require.Equal(t, vi.Converged, rs.Status)
	rd, err := vi.Solve(t.Context(), &vi.Problem{F: dense}, &vi.Extragradient{}, settings)
	require.NoError(t, err)
	require.Equal(t, vi.Converged, rd.Status)
	assert.InDeltaSlice(t, want, rs.Z, 1e-8)
	assert.InDeltaSlice(t, rd.Z, rs.Z, 1e-9)
	assert.Equal(t, rd.Iterations, rs.Iterations)
}

// TestSparseProximalPointIsInexact checks that the proximal point method
// runs on a SparseBilinear with its inexact inner solver (the sparse
// operator is no AffineOperator, so nothing is densified) and reaches the
// solution.
func TestSparseProximalPointIsInexact(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	n := 20
	tr, b, c := sparseGame(rng, n, 2)
	sparse, err := NewSparseBilinear(tr.csr(t), b, c)
	require.NoError(t, err)
	dense, err := NewBilinear(tr.dense(), b, c)
	require.NoError(t, err)
	settings := &vi.Settings{Tol: 1e-8, MaxIterations: 10000}
	pp := &vi.ProximalPoint{}
	rs, err := vi.Solve(t.Context(), &vi.Problem{F: sparse}, pp, settings)
	require.NoError(t, err)
	require.Equal(t, vi.Converged, rs.Status)
	assert.False(t, pp.Exact())
	assert.Positive(t, pp.InnerSteps(), "the inexact solver evaluates F")
	rd, err := vi.Solve(t.Context(), &vi.Problem{F: dense}, &vi.ProximalPoint{}, settings)
	require.NoError(t, err)
	require.Equal(t, vi.Converged, rd.Status)
	assert.Zero(t, rd.Evaluations-1, "the exact solve evaluates F once, in Init")
	assert.InDeltaSlice(t, rd.Z, rs.Z, 1e-7)
}

func TestSparseParallel(t *testing.T) {
	// 4000×3000 with 12 nonzeros per row has more than 2¹⁵ nonzeros, so
	// the workers split it; uneven rows test the balancing.
	rng := rand.New(rand.NewPCG(13, 13))
	m, n := 4000, 3000
	tr := csrRandomTriplets(rng, m, n, 12, nil, nil)
	for k := range 5000 { // a heavy first block of rows
		tr.rows = append(tr.rows, k%40)
		tr.cols = append(tr.cols, rng.IntN(n))
		tr.vals = append(tr.vals, rng.NormFloat64())
	}
	a := tr.csr(t)
	require.GreaterOrEqual(t, a.NNZ(), sparseParallelMin)
	b, c := affineRandomVector(rng, m), affineRandomVector(rng, n)
	sb, err := NewSparseBilinear(a, b, c)
	require.NoError(t, err)
	z := affineRandomVector(rng, m+n)
	want := make([]float64, m+n)
	sb.Apply(want, z)
	got := make([]float64, m+n)
	for _, workers := range []int{2, 3, 1, 0, 4, 2} {
		sb.Parallel(workers)
		sb.Apply(got, z)
		assert.InDeltaSlice(t, want, got, 1e-12, "workers = %d", workers)
	}
	assert.Zero(t, testing.AllocsPerRun(10, func() { sb.Apply(got, z) }))

	// Concurrent evaluations take turns and each gets its own answer.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			dst := make([]float64, m+n)
			sb.Apply(dst, z)
			assert.InDeltaSlice(t, want, dst, 1e-12)
		})
	}
	wg.Wait()
	sb.Parallel(1)

	sq := csrRandomTriplets(rng, 3000, 3000, 12, nil, nil).csr(t)
	require.GreaterOrEqual(t, sq.NNZ(), sparseParallelMin)
	q := affineRandomVector(rng, 3000)
	sa, err := NewSparseAffine(sq, q)
	require.NoError(t, err)
	za := affineRandomVector(rng, 3000)
	wantA, gotA := make([]float64, 3000), make([]float64, 3000)
	sa.Apply(wantA, za)
	for _, workers := range []int{2, 3} {
		sa.Parallel(workers)
		sa.Apply(gotA, za)
		assert.InDeltaSlice(t, wantA, gotA, 1e-12, "workers = %d", workers)
	}
	assert.Zero(t, testing.AllocsPerRun(10, func() { sa.Apply(gotA, za) }))
	sa.Parallel(0)
}

// sparseBench returns a square n×n CSR matrix with about perRow
// nonzeros per row and a point z of length 2n.
func sparseBench(b *testing.B, n int, perRow float64) (*CSR, []float64) {
	rng := rand.New(rand.NewPCG(1, 1))
	a := csrRandomTriplets(rng, n, n, perRow, nil, nil).csr(b)
	return a, affineRandomVector(rng, 2*n)
}

// sparseReportPerNonzero adds the time per stored entry to b's report.
func sparseReportPerNonzero(b *testing.B, nnz int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(nnz), "ns/nnz")
}

// BenchmarkSparseBilinearApply measures a full evaluation F(z) of a
// SparseBilinear at n = 10,000 with about 10 nonzeros per row, on the
// caller and with Parallel(2), beside two alternatives for the same
// products (two separate passes, MulVec then MulVecTrans; and a row
// pass over A plus a row pass over a CSR copy of Aᵀ, the work of a
// column-split parallel scheme), and the dense fused Bilinear at n = 1000
// and 3000. ns/nnz is the time per stored entry (n² for dense).
func BenchmarkSparseBilinearApply(b *testing.B) {
	n := 10000
	a, z := sparseBench(b, n, 10)
	nnz := a.NNZ()
	o, err := NewSparseBilinear(a, nil, nil)
	require.NoError(b, err)
	dst := make([]float64, 2*n)
	b.Run(fmt.Sprintf("sparse/n=%d/nnz=%d", n, nnz), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			o.Apply(dst, z)
		}
		sparseReportPerNonzero(b, nnz)
	})
	o.Parallel(2)
	b.Run(fmt.Sprintf("sparse-parallel2/n=%d/nnz=%d", n, nnz), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			o.Apply(dst, z)
		}
		sparseReportPerNonzero(b, nnz)
	})
	o.Parallel(1)
	b.Run(fmt.Sprintf("sparse-two-pass/n=%d/nnz=%d", n, nnz), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a.MulVec(dst[:n], z[n:])
			a.MulVecTrans(dst[n:], z[:n])
		}
		sparseReportPerNonzero(b, nnz)
	})
	at, err := CSRCopyOf(a.T())
	require.NoError(b, err)
	b.Run(fmt.Sprintf("sparse-csr-csc/n=%d/nnz=%d", n, nnz), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a.MulVec(dst[:n], z[n:])
			at.MulVec(dst[n:], z[:n])
		}
		sparseReportPerNonzero(b, nnz)
	})
	for _, dn := range []int{1000, 3000} {
		rng := rand.New(rand.NewPCG(1, 1))
		d, err := NewBilinear(affineRandom(rng, dn, dn), nil, nil)
		require.NoError(b, err)
		dz, ddst := affineRandomVector(rng, 2*dn), make([]float64, 2*dn)
		b.Run(fmt.Sprintf("dense/n=%d", dn), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.Apply(ddst, dz)
			}
			sparseReportPerNonzero(b, dn*dn)
		})
	}
}

// BenchmarkSparseVsDense compares SparseBilinear and the dense fused
// Bilinear on the same matrix with 1% of its entries nonzero.
func BenchmarkSparseVsDense(b *testing.B) {
	for _, n := range []int{1000, 3000} {
		a, z := sparseBench(b, n, float64(n)/100)
		s, err := NewSparseBilinear(a, nil, nil)
		require.NoError(b, err)
		d, err := NewBilinear(mat.DenseCopyOf(a), nil, nil)
		require.NoError(b, err)
		dst := make([]float64, 2*n)
		b.Run(fmt.Sprintf("sparse/n=%d/nnz=%d", n, a.NNZ()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Apply(dst, z)
			}
			sparseReportPerNonzero(b, a.NNZ())
		})
		b.Run(fmt.Sprintf("dense/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.Apply(dst, z)
			}
		})
	}
}

// BenchmarkSparseLipschitz measures the Lanczos spectral norm of the
// n = 10,000 sparse matrix with 10 nonzeros per row, computed once per
// operator.
func BenchmarkSparseLipschitz(b *testing.B) {
	a, _ := sparseBench(b, 10000, 10)
	b.ReportAllocs()
	for b.Loop() {
		SpectralNorm(a)
	}
}

// TestSparseAffineChecksSample checks that Monotonicity on a
// SparseAffine, which exposes no affine parts, is the sampled estimate:
// for M = diag(2, 3) every ratio ⟨MΔz, Δz⟩/‖Δz‖² lies in [2, 3], and the
// smallest of 1000 sampled ones is near 2; Lipschitz is exact.
func TestSparseAffineChecksSample(t *testing.T) {
	m, err := NewCSR(2, 2, []int{0, 1}, []int{0, 1}, []float64{2, 3})
	require.NoError(t, err)
	sa, err := NewSparseAffine(m, []float64{1, -1})
	require.NoError(t, err)
	mu, err := Monotonicity(sa, nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, mu, 2.0)
	assert.Less(t, mu, 2.01)
	l, err := Lipschitz(sa, nil)
	require.NoError(t, err)
	assert.InDelta(t, 3, l, 1e-12)
}
