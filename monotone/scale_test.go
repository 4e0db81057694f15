package monotone

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestScaleAppliesAndScalesLipschitz(t *testing.T) {
	a, err := NewAffine(mat.NewDense(2, 2, []float64{2, 0, 0, 3}), []float64{1, -1})
	require.NoError(t, err)
	cases := []struct {
		alpha float64
		want  []float64 // α(Mz + q) at z = (1, 2)
		l     float64
	}{
		{2, []float64{6, 10}, 6},
		{-0.5, []float64{-1.5, -2.5}, 1.5},
		{0, []float64{0, 0}, 0},
	}
	for _, c := range cases {
		s := Scale{Alpha: c.alpha, F: a}
		require.Equal(t, 2, s.Dim())
		dst := make([]float64, 2)
		s.Apply(dst, []float64{1, 2})
		assert.InDeltaSlice(t, c.want, dst, 1e-15, "α = %v", c.alpha)
		assert.InDelta(t, c.l, s.Lipschitz(), 1e-12, "α = %v", c.alpha)
	}
	// Unknown L stays unknown.
	assert.Zero(t, Scale{Alpha: 2, F: funcRotation(0)}.Lipschitz())
}

func TestScaleComonotonicityScalesInversely(t *testing.T) {
	// αF has modulus r/α for α > 0: check with the sampled estimate on a
	// Func (no affine parts), where the ratio is the same for every pair.
	m := mat.NewDense(2, 2, []float64{-1, 2, -2, -1}) // r = b/(a²+b²) = −1/5
	a, err := NewAffine(m, nil)
	require.NoError(t, err)
	f := Func{N: 2, F: a.Apply}
	r, err := Comonotonicity(Scale{Alpha: 4, F: f}, nil)
	require.NoError(t, err)
	assert.InDelta(t, -1.0/20, r, 1e-10)
}

func TestScaleApplyDoesNotAllocate(t *testing.T) {
	a, err := NewAffine(mat.NewDense(2, 2, []float64{2, 0, 0, 3}), nil)
	require.NoError(t, err)
	s := Scale{Alpha: 3, F: a}
	z, dst := []float64{1, 2}, make([]float64, 2)
	assert.Zero(t, testing.AllocsPerRun(100, func() { s.Apply(dst, z) }))
}
