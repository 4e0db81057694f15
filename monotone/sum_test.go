package monotone

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/vi"
)

func TestNewSumRejectsBadInput(t *testing.T) {
	a2, err := NewAffine(mat.NewDense(2, 2, nil), nil)
	require.NoError(t, err)
	a3, err := NewAffine(mat.NewDense(3, 3, nil), nil)
	require.NoError(t, err)
	cases := []struct {
		name  string
		terms []vi.Operator
		want  string
	}{
		{"none", nil, "monotone: NewSum: no operators"},
		{"nil term", []vi.Operator{a2, nil}, "monotone: NewSum: operator 1 is nil"},
		{"dimensions", []vi.Operator{a2, a2, a3}, "monotone: NewSum: operator 2 has dimension 3, operator 0 has 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := NewSum(c.terms...)
			require.EqualError(t, err, c.want)
			assert.Nil(t, s)
		})
	}
}

func TestSumAppliesAndAddsLipschitz(t *testing.T) {
	// Strongly monotone quadratic part plus the bilinear coupling of xy:
	// F = (2x + y + 1, −x + 3y) with L = 3 + 1 = 4 (a bound, ‖M‖₂ ≈ 3.04).
	quad, err := NewAffine(mat.NewDense(2, 2, []float64{2, 0, 0, 3}), []float64{1, 0})
	require.NoError(t, err)
	bil, err := NewBilinear(mat.NewDense(1, 1, []float64{1}), nil, nil)
	require.NoError(t, err)
	s, err := NewSum(quad, bil)
	require.NoError(t, err)
	require.Equal(t, 2, s.Dim())
	dst := make([]float64, 2)
	s.Apply(dst, []float64{1, 2})
	assert.InDeltaSlice(t, []float64{5, 5}, dst, 1e-15)
	assert.InDelta(t, 4, s.Lipschitz(), 1e-10)

	withUnknown, err := NewSum(quad, funcRotation(0))
	require.NoError(t, err)
	assert.Zero(t, withUnknown.Lipschitz())
	withKnown, err := NewSum(quad, funcRotation(1))
	require.NoError(t, err)
	assert.InDelta(t, 4, withKnown.Lipschitz(), 1e-10)
}

func TestSumKeepsItsTermsSlice(t *testing.T) {
	a, err := NewAffine(mat.NewDense(1, 1, []float64{1}), nil)
	require.NoError(t, err)
	b, err := NewAffine(mat.NewDense(1, 1, []float64{10}), nil)
	require.NoError(t, err)
	terms := []vi.Operator{a, a}
	s, err := NewSum(terms...)
	require.NoError(t, err)
	terms[1] = b // must not change s
	dst := make([]float64, 1)
	s.Apply(dst, []float64{1})
	assert.Equal(t, []float64{2}, dst)
}

func TestSumApplyDoesNotAllocate(t *testing.T) {
	quad, err := NewAffine(mat.NewDense(2, 2, []float64{2, 0, 0, 3}), nil)
	require.NoError(t, err)
	s, err := NewSum(quad, quad, funcRotation(1))
	require.NoError(t, err)
	z, dst := []float64{1, 2}, make([]float64, 2)
	assert.Zero(t, testing.AllocsPerRun(100, func() { s.Apply(dst, z) }))
}
