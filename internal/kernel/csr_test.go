package kernel

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// csrKernelRandom returns an m×n CSR matrix with perRow sorted random
// columns per row (some rows left empty, one row much heavier) and
// vectors x (m) and y (n).
func csrKernelRandom(rng *rand.Rand, m, n, perRow int) (ptr []int, idx []int32, val, x, y []float64) {
	ptr = make([]int, m+1)
	for i := 0; i < m; i++ {
		k := perRow
		switch {
		case i%7 == 3:
			k = 0
		case i == m/3:
			k = 20 * perRow
		}
		cols := make([]int, k)
		for c := range cols {
			cols[c] = rng.IntN(n)
		}
		sort.Ints(cols)
		for _, c := range cols {
			idx = append(idx, int32(c))
			val = append(val, rng.NormFloat64())
		}
		ptr[i+1] = len(val)
	}
	x, y = make([]float64, m), make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for i := range y {
		y[i] = rng.NormFloat64()
	}
	return ptr, idx, val, x, y
}

// csrKernelNaive computes A·y and Aᵀ·x entry by entry.
func csrKernelNaive(ptr []int, idx []int32, val []float64, n int, x, y []float64) (ay, atx []float64) {
	m := len(ptr) - 1
	ay, atx = make([]float64, m), make([]float64, n)
	for i := 0; i < m; i++ {
		for k := ptr[i]; k < ptr[i+1]; k++ {
			ay[i] += val[k] * y[idx[k]]
			atx[idx[k]] += val[k] * x[i]
		}
	}
	return ay, atx
}

// csrStale fills v with a value that must be overwritten.
func csrStale(v []float64) []float64 {
	for i := range v {
		v[i] = 1e300
	}
	return v
}

func TestCSRKernelsMatchNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range []struct{ m, n, perRow int }{{1, 1, 1}, {1, 9, 4}, {9, 1, 1}, {20, 30, 3}, {300, 200, 7}} {
		t.Run(fmt.Sprintf("%dx%d", s.m, s.n), func(t *testing.T) {
			ptr, idx, val, x, y := csrKernelRandom(rng, s.m, s.n, s.perRow)
			wantAy, wantAtx := csrKernelNaive(ptr, idx, val, s.n, x, y)
			ay, atx := csrStale(make([]float64, s.m)), csrStale(make([]float64, s.n))
			CSRBilinear(ay, atx, ptr, idx, val, x, y)
			assert.InDeltaSlice(t, wantAy, ay, 1e-12)
			assert.InDeltaSlice(t, wantAtx, atx, 1e-12)
			CSRMul(csrStale(ay), ptr, idx, val, y)
			assert.InDeltaSlice(t, wantAy, ay, 1e-12)
			CSRMulTrans(csrStale(atx), ptr, idx, val, x)
			assert.InDeltaSlice(t, wantAtx, atx, 1e-12)
		})
	}
}

func TestCSRTeamMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, s := range []struct{ m, n, perRow int }{{2, 3, 2}, {5, 4, 2}, {400, 300, 6}, {1000, 50, 3}} {
		ptr, idx, val, x, y := csrKernelRandom(rng, s.m, s.n, s.perRow)
		wantAy, wantAtx := csrKernelNaive(ptr, idx, val, s.n, x, y)
		for _, size := range []int{0, 1, 2, 3, 8} {
			t.Run(fmt.Sprintf("%dx%d/size=%d", s.m, s.n, size), func(t *testing.T) {
				team := NewCSRTeam(size, ptr, idx, val, s.n)
				defer team.Close()
				require.Equal(t, max(1, min(size, s.m)), team.Size())
				// Blocks cover the rows in order.
				assert.Equal(t, 0, team.bounds[0])
				assert.Equal(t, s.m, team.bounds[team.Size()])
				assert.IsNonDecreasing(t, team.bounds)
				ay, atx := make([]float64, s.m), make([]float64, s.n)
				for range 3 { // later calls reuse the helpers' buffers
					team.Bilinear(csrStale(ay), csrStale(atx), x, y)
					assert.InDeltaSlice(t, wantAy, ay, 1e-12)
					assert.InDeltaSlice(t, wantAtx, atx, 1e-12)
					team.Mul(csrStale(ay), y)
					assert.InDeltaSlice(t, wantAy, ay, 1e-12)
				}
			})
		}
	}
}

func TestCSRTeamBalancesNonzeros(t *testing.T) {
	// Row 0 holds 90 of 100 nonzeros: with two members, row 0 is the
	// first block alone.
	ptr := make([]int, 12)
	ptr[1] = 90
	for i := 2; i < 12; i++ {
		ptr[i] = ptr[i-1] + 1
	}
	idx, val := make([]int32, 100), make([]float64, 100)
	team := NewCSRTeam(2, ptr, idx, val, 1)
	defer team.Close()
	assert.Equal(t, []int{0, 1, 11}, team.bounds)
}

func TestCSRTeamAfterCloseAndConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	m, n := 500, 400
	ptr, idx, val, x, y := csrKernelRandom(rng, m, n, 5)
	wantAy, wantAtx := csrKernelNaive(ptr, idx, val, n, x, y)
	team := NewCSRTeam(3, ptr, idx, val, n)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			ay, atx := make([]float64, m), make([]float64, n)
			for range 20 {
				team.Bilinear(ay, atx, x, y)
				assert.InDeltaSlice(t, wantAy, ay, 1e-12)
				assert.InDeltaSlice(t, wantAtx, atx, 1e-12)
			}
		})
	}
	wg.Wait()
	team.Close()
	team.Close()
	ay, atx := make([]float64, m), make([]float64, n)
	team.Bilinear(ay, atx, x, y)
	assert.InDeltaSlice(t, wantAtx, atx, 1e-12)
}

// TestCSRTeamWakesSleepingHelpers lets the helpers run out of polls and
// sleep between evaluations.
func TestCSRTeamWakesSleepingHelpers(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	m, n := 200, 100
	ptr, idx, val, x, y := csrKernelRandom(rng, m, n, 4)
	wantAy, wantAtx := csrKernelNaive(ptr, idx, val, n, x, y)
	team := NewCSRTeam(2, ptr, idx, val, n)
	defer team.Close()
	ay, atx := make([]float64, m), make([]float64, n)
	for range 3 {
		for !team.sleeping[1].Load() {
			time.Sleep(100 * time.Microsecond)
		}
		team.Bilinear(csrStale(ay), csrStale(atx), x, y)
		assert.InDeltaSlice(t, wantAy, ay, 1e-12)
		assert.InDeltaSlice(t, wantAtx, atx, 1e-12)
	}
}

func TestCSRKernelsPanicOnBadLengths(t *testing.T) {
	ptr, idx, val := []int{0, 1, 2}, []int32{0, 2}, []float64{1, 2}
	team := NewCSRTeam(2, ptr, idx, val, 3)
	defer team.Close()
	x, y := make([]float64, 2), make([]float64, 3)
	cases := map[string]func(){
		"Mul dst":          func() { CSRMul(make([]float64, 3), ptr, idx, val, y) },
		"MulTrans x":       func() { CSRMulTrans(make([]float64, 3), ptr, idx, val, y) },
		"Bilinear ay":      func() { CSRBilinear(make([]float64, 1), make([]float64, 3), ptr, idx, val, x, y) },
		"Bilinear x":       func() { CSRBilinear(make([]float64, 2), make([]float64, 3), ptr, idx, val, y, y) },
		"team Mul x":       func() { team.Mul(make([]float64, 2), x) },
		"team Bilinear y":  func() { team.Bilinear(make([]float64, 2), make([]float64, 3), x, x) },
		"team Bilinear ay": func() { team.Bilinear(make([]float64, 3), make([]float64, 3), x, y) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) { assert.Panics(t, f) })
	}
	// The team still works after the panics.
	ay, atx := make([]float64, 2), make([]float64, 3)
	require.NotPanics(t, func() { team.Bilinear(ay, atx, []float64{1, 1}, []float64{1, 1, 1}) })
	assert.Equal(t, []float64{1, 2}, ay)
	assert.Equal(t, []float64{1, 0, 2}, atx)
}

func TestCSRKernelsDoNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	m, n := 300, 200
	ptr, idx, val, x, y := csrKernelRandom(rng, m, n, 5)
	ay, atx := make([]float64, m), make([]float64, n)
	assert.Zero(t, testing.AllocsPerRun(50, func() { CSRBilinear(ay, atx, ptr, idx, val, x, y) }))
	assert.Zero(t, testing.AllocsPerRun(50, func() { CSRMul(ay, ptr, idx, val, y) }))
	assert.Zero(t, testing.AllocsPerRun(50, func() { CSRMulTrans(atx, ptr, idx, val, x) }))
	team := NewCSRTeam(2, ptr, idx, val, n)
	defer team.Close()
	assert.Zero(t, testing.AllocsPerRun(50, func() { team.Bilinear(ay, atx, x, y) }))
	assert.Zero(t, testing.AllocsPerRun(50, func() { team.Mul(ay, y) }))
}

// BenchmarkCSRTeam compares the fused CSR kernel on the caller with a
// team of two, on square matrices with 10 nonzeros per row, from 10³ to
// 10⁶ nonzeros.
func BenchmarkCSRTeam(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		rng := rand.New(rand.NewPCG(1, 1))
		ptr, idx, val, x, y := csrKernelRandom(rng, n, n, 10)
		ay, atx := make([]float64, n), make([]float64, n)
		b.Run(fmt.Sprintf("caller/nnz=%d", len(val)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				CSRBilinear(ay, atx, ptr, idx, val, x, y)
			}
		})
		team := NewCSRTeam(2, ptr, idx, val, n)
		b.Run(fmt.Sprintf("team2/nnz=%d", len(val)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				team.Bilinear(ay, atx, x, y)
			}
		})
		team.Close()
	}
}
