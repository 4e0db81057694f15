package vi

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On f(x, y) = xy alternating GDA is the linear map [[1, −η], [η, 1 − η²]]
// of determinant 1, which keeps x² − ηxy + y² exactly (ALGORITHMS.md
// §2.1): the iterates stay on an ellipse, bounded and away from the
// solution (0, 0), for every 0 < η < 2.
func TestAltGDACyclesOnBilinear(t *testing.T) {
	for _, eta := range []float64{0.1, 0.5, 1.5} {
		t.Run(fmt.Sprint("eta=", eta), func(t *testing.T) {
			tp := xyGame()
			m := &AltGDA{Step: eta, Split: 1}
			require.NoError(t, m.Init(tp.p))
			inv := func(z []float64) float64 { return z[0]*z[0] - eta*z[0]*z[1] + z[1]*z[1] }
			v0 := inv(m.Current())
			lo, hi := math.Inf(1), 0.0
			for range 10000 {
				require.NoError(t, m.Iterate())
				z := m.Current()
				assert.InDelta(t, v0, inv(z), 1e-10*v0)
				r := math.Hypot(z[0], z[1])
				lo, hi = min(lo, r), max(hi, r)
			}
			// On the ellipse Q(z) = v0 the radius lies between
			// √(v0/(1 + η/2)) and √(v0/(1 − η/2)), the eigenvalues of Q
			// being 1 ± η/2.
			assert.GreaterOrEqual(t, lo, math.Sqrt(v0/(1+eta/2))*(1-1e-9))
			assert.LessOrEqual(t, hi, math.Sqrt(v0/(1-eta/2))*(1+1e-9))
			assert.Greater(t, lo, 0.5, "the iterates stay away from the solution")

			res, err := Solve(context.Background(), tp.p, &AltGDA{Step: eta, Split: 1}, &Settings{MaxIterations: 5000})
			require.NoError(t, err)
			assert.Equal(t, IterationLimit, res.Status, "neither converges nor diverges")
		})
	}
}

// Simultaneous GDA on the same game multiplies the distance to the
// solution by √(1 + η²) every step, and Solve sees it diverge.
func TestAltGDASimultaneousGDASpiralsOut(t *testing.T) {
	for _, eta := range []float64{0.1, 0.5, 1.5} {
		tp := xyGame()
		m := &GDA{Step: eta}
		require.NoError(t, m.Init(tp.p))
		prev := norm(m.Current())
		for range 50 {
			require.NoError(t, m.Iterate())
			r := norm(m.Current())
			assert.InDelta(t, math.Sqrt(1+eta*eta), r/prev, 1e-12)
			prev = r
		}
		res, err := Solve(context.Background(), tp.p, &GDA{Step: eta}, &Settings{MaxIterations: 100000})
		require.NoError(t, err)
		assert.Equal(t, Diverged, res.Status, "η = %v", eta)
	}
}

// The split is taken from a two-block Product, and a Split on a boundary
// of a larger Product or inside a Box projects each part on its own set.
func TestAltGDABlocks(t *testing.T) {
	t.Run("from the product", func(t *testing.T) {
		tp := rps()
		m := &AltGDA{}
		require.NoError(t, m.Init(tp.p))
		assert.Equal(t, 3, m.split)
	})
	t.Run("one step by hand", func(t *testing.T) {
		// Box [0, 1]⁴ split 2 + 2: the x step is clipped before the y
		// step reads F at the new x.
		tp := boxAffine()
		m := &AltGDA{Split: 2, Step: 0.3}
		require.NoError(t, m.Init(tp.p))
		z := append([]float64(nil), m.Current()...)
		f := make([]float64, 4)
		tp.p.F.Apply(f, z)
		want := append([]float64(nil), z...)
		for i := 0; i < 2; i++ {
			want[i] = min(max(z[i]-0.3*f[i], 0), 1)
		}
		tp.p.F.Apply(f, want)
		for i := 2; i < 4; i++ {
			want[i] = min(max(z[i]-0.3*f[i], 0), 1)
		}
		require.NoError(t, m.Iterate())
		assert.InDeltaSlice(t, want, m.Current(), 1e-15)
		fz, ok := m.CurrentValue()
		require.True(t, ok)
		tp.p.F.Apply(f, m.Current())
		assert.Equal(t, f, fz, "F at the current point")
	})
	t.Run("three blocks", func(t *testing.T) {
		c := Product{Blocks: []Set{Simplex{}, Simplex{}, Box{Lo: []float64{-1}, Hi: []float64{1}}}, Dims: []int{2, 2, 1}}
		split, x, y, err := altgdaBlocks(c, 5, 2)
		require.NoError(t, err)
		assert.Equal(t, 2, split)
		assert.Equal(t, Simplex{}, x)
		assert.Equal(t, Product{Blocks: c.Blocks[1:], Dims: []int{2, 1}}, y)
	})
	t.Run("counts one projection per iteration under Solve", func(t *testing.T) {
		tp := rps()
		res, err := Solve(context.Background(), tp.p, &AltGDA{}, &Settings{MaxIterations: 7})
		require.NoError(t, err)
		assert.Equal(t, 7, res.Iterations)
		assert.Equal(t, 1+7, res.Projections)
		assert.Equal(t, 1+2*7, res.Evaluations)
		assert.Zero(t, res.Checks)
	})
}
