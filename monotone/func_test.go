package monotone

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/saddlepoint/saddle/vi"
)

var _ vi.Lipschitzer = Func{}

// funcRotation is F(x, y) = (y, −x), the operator of min_x max_y xy.
func funcRotation(l float64) Func {
	return Func{N: 2, F: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }, L: l}
}

func TestFuncAdapts(t *testing.T) {
	f := funcRotation(1)
	require.Equal(t, 2, f.Dim())
	dst := make([]float64, 2)
	f.Apply(dst, []float64{3, 4})
	assert.Equal(t, []float64{4, -3}, dst)
	assert.Equal(t, 1.0, f.Lipschitz())
}

// TestFuncLipschitzDrivesStep checks how package vi reads L: a known L
// gives the default step, L = 0 means no step can be derived.
func TestFuncLipschitzDrivesStep(t *testing.T) {
	p := &vi.Problem{F: funcRotation(1), Z0: []float64{1, 1}}
	res, err := vi.Solve(context.Background(), p, &vi.Extragradient{}, &vi.Settings{Tol: 1e-8})
	require.NoError(t, err)
	assert.Equal(t, vi.Converged, res.Status)
	assert.InDeltaSlice(t, []float64{0, 0}, res.Z, 1e-7)

	p.F = funcRotation(0)
	_, err = vi.Solve(context.Background(), p, &vi.Extragradient{}, nil)
	require.ErrorIs(t, err, vi.ErrNoStep)
}
