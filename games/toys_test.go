package games

import (
	"math"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestBilinearToy(t *testing.T) {
	toy, err := Bilinear(8, 3)
	require.NoError(t, err)
	p := toy.Problem
	assert.Equal(t, 16, p.F.Dim())
	assert.Equal(t, 8, toy.Split)
	// The recorded solution zeroes F: A y* = −b and Aᵀx* = −c.
	assert.Less(t, vi.OperatorNorm(p.F, toy.Solution), 1e-12)
	// A = I + G/(2‖G‖) has singular values in [1/2, 3/2].
	m, _ := p.F.(vi.AffineOperator).Affine()
	var svd mat.SVD
	require.True(t, svd.Factorize(m, mat.SVDNone))
	for _, s := range svd.Values(nil) {
		assert.GreaterOrEqual(t, s, 0.5-1e-12)
		assert.LessOrEqual(t, s, 1.5+1e-12)
	}
	assert.InDelta(t, svd.Values(nil)[0], toy.L, 1e-9)
	_, err = Bilinear(0, 1)
	assert.EqualError(t, err, "games: bilinear: n = 0, want ≥ 1")
}

func TestQuadraticBilinearToy(t *testing.T) {
	toy, err := QuadraticBilinear(1, 3, 1)
	require.NoError(t, err)
	// a = c: M = I + 3J, L = √(a² + b²) = √10 (ALGORITHMS.md B4.3).
	assert.InDelta(t, math.Sqrt(10), toy.L, 1e-9)
	assert.Equal(t, []float64{0, 0}, toy.Solution)
	fz := make([]float64, 2)
	toy.Problem.F.Apply(fz, []float64{2, -1})
	assert.InDeltaSlice(t, []float64{2 - 3, -6 - 1}, fz, 1e-15, "F = (ax + by, −bx + cy)")

	toy, err = QuadraticBilinear(0, 0, 1)
	require.NoError(t, err)
	assert.Nil(t, toy.Solution, "singular M: the solution set is a line")
	_, err = QuadraticBilinear(-1, 1, 1)
	assert.ErrorContains(t, err, "want both ≥ 0")
	_, err = QuadraticBilinear(math.NaN(), 1, 1)
	assert.ErrorContains(t, err, "a = NaN is not finite")
}

func TestFiniteSumToy(t *testing.T) {
	toy, err := FiniteSum(4, 6, 2)
	require.NoError(t, err)
	fs, ok := toy.Problem.F.(*vi.FiniteSum)
	require.True(t, ok)
	assert.Equal(t, 6, fs.Len())
	assert.Less(t, vi.OperatorNorm(fs, toy.Solution), 1e-12, "the solution zeroes the mean")
	// The mean is the average of the terms.
	z := toy.Problem.Z0
	want := make([]float64, 8)
	buf := make([]float64, 8)
	for i := 0; i < fs.Len(); i++ {
		fs.Term(i).Apply(buf, z)
		for k := range want {
			want[k] += buf[k] / 6
		}
	}
	got := make([]float64, 8)
	fs.Apply(got, z)
	assert.InDeltaSlice(t, want, got, 1e-12)
	_, err = FiniteSum(3, 0, 1)
	assert.ErrorContains(t, err, "terms = 0")
}
