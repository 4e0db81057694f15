package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// kernelRandom returns an m×n matrix with row stride stride (padding
// filled with NaN, which must never be read) and vectors x (m) and y (n).
func kernelRandom(rng *rand.Rand, m, n, stride int) (a, x, y []float64) {
	a = make([]float64, max(0, (m-1)*stride+n))
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	for i := 0; i < m; i++ {
		for j := n; j < stride && i*stride+j < len(a); j++ {
			a[i*stride+j] = nan
		}
	}
	x, y = make([]float64, m), make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for i := range y {
		y[i] = rng.NormFloat64()
	}
	return a, x, y
}

var nan = func() float64 { var z float64; return z / z }()

// kernelNaive computes A·y and Aᵀ·x entry by entry.
func kernelNaive(a []float64, stride, m, n int, x, y []float64) (ay, atx []float64) {
	ay, atx = make([]float64, m), make([]float64, n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			ay[i] += a[i*stride+j] * y[j]
			atx[j] += a[i*stride+j] * x[i]
		}
	}
	return ay, atx
}

func TestBilinearMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	// Shapes cover every remainder of rows mod 4 and columns mod 8, empty
	// matrices, and padded strides.
	type shape struct{ m, n, stride int }
	var shapes []shape
	for m := 0; m <= 9; m++ {
		for n := 0; n <= 17; n++ {
			shapes = append(shapes, shape{m, n, max(n, 1)}, shape{m, n, n + 3})
		}
	}
	shapes = append(shapes, shape{300, 301, 301}, shape{101, 37, 40}, shape{5, 203, 203})
	kernels := map[string]func(ay, atx, a []float64, stride, m, n int, x, y []float64){
		"Bilinear": Bilinear,
		"go": func(ay, atx, a []float64, stride, m, n int, x, y []float64) {
			clear(atx)
			bilinearGo(ay, atx, a, stride, m, n, x, y)
		},
	}
	for name, kernel := range kernels {
		for _, s := range shapes {
			t.Run(fmt.Sprintf("%s/%dx%d/stride=%d", name, s.m, s.n, s.stride), func(t *testing.T) {
				a, x, y := kernelRandom(rng, s.m, s.n, s.stride)
				wantAy, wantAtx := kernelNaive(a, s.stride, s.m, s.n, x, y)
				ay, atx := make([]float64, s.m), make([]float64, s.n)
				for i := range atx {
					atx[i] = 1e300 // stale values must be overwritten
				}
				for i := range ay {
					ay[i] = 1e300
				}
				kernel(ay, atx, a, s.stride, s.m, s.n, x, y)
				// Sums of n products of unit normals: rounding is about
				// √n·ε·‖row‖·‖y‖, far below 1e-11 for these sizes.
				assert.InDeltaSlice(t, wantAy, ay, 1e-11)
				assert.InDeltaSlice(t, wantAtx, atx, 1e-11)
			})
		}
	}
}

func TestBilinearPanicsOnBadLengths(t *testing.T) {
	a := make([]float64, 12)
	x, y := make([]float64, 3), make([]float64, 4)
	ay, atx := make([]float64, 3), make([]float64, 4)
	cases := map[string]func(){
		"short ay":     func() { Bilinear(ay[:2], atx, a, 4, 3, 4, x, y) },
		"short atx":    func() { Bilinear(ay, atx[:3], a, 4, 3, 4, x, y) },
		"short x":      func() { Bilinear(ay, atx, a, 4, 3, 4, x[:2], y) },
		"short y":      func() { Bilinear(ay, atx, a, 4, 3, 4, x, y[:3]) },
		"short a":      func() { Bilinear(ay, atx, a[:11], 4, 3, 4, x, y) },
		"small stride": func() { Bilinear(ay, atx, a, 3, 3, 4, x, y) },
		"negative m":   func() { Bilinear(ay, atx, a, 4, -1, 4, x, y) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Panics(t, f)
		})
	}
	assert.NotPanics(t, func() { Bilinear(ay, atx, a, 4, 3, 4, x, y) })
}

func TestBilinearDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	a, x, y := kernelRandom(rng, 33, 29, 29)
	ay, atx := make([]float64, 33), make([]float64, 29)
	allocs := testing.AllocsPerRun(100, func() { Bilinear(ay, atx, a, 29, 33, 29, x, y) })
	require.Zero(t, allocs)
}

// BenchmarkBilinear compares, on square n×n matrices, the fused kernel
// (alone, split across a Team of two goroutines, and the portable Go loop)
// with gonum's two separate matrix-vector products (blas64.Gemv NoTrans
// for A·y and Trans for Aᵀ·x) and with a single NoTrans product, the
// memory-bandwidth floor of reading A once.
func BenchmarkBilinear(b *testing.B) {
	for _, n := range []int{300, 1000, 3000} {
		rng := rand.New(rand.NewPCG(1, 1))
		a, x, y := kernelRandom(rng, n, n, n)
		ay, atx := make([]float64, n), make([]float64, n)
		g := blas64.General{Rows: n, Cols: n, Stride: n, Data: a}
		vx := blas64.Vector{N: n, Inc: 1, Data: x}
		vy := blas64.Vector{N: n, Inc: 1, Data: y}
		vay := blas64.Vector{N: n, Inc: 1, Data: ay}
		vatx := blas64.Vector{N: n, Inc: 1, Data: atx}
		b.Run(fmt.Sprintf("fused/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Bilinear(ay, atx, a, n, n, n, x, y)
			}
		})
		team := NewTeam(2, n)
		b.Run(fmt.Sprintf("fused-team2/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				team.Bilinear(ay, atx, a, n, n, n, x, y)
			}
		})
		team.Close()
		b.Run(fmt.Sprintf("fused-go/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				clear(atx)
				bilinearGo(ay, atx, a, n, n, n, x, y)
			}
		})
		b.Run(fmt.Sprintf("gemv-two/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				blas64.Gemv(blas.NoTrans, 1, g, vy, 0, vay)
				blas64.Gemv(blas.Trans, 1, g, vx, 0, vatx)
			}
		})
		b.Run(fmt.Sprintf("gemv-one/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				blas64.Gemv(blas.NoTrans, 1, g, vy, 0, vay)
			}
		})
	}
}
