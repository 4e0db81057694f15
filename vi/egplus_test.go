package vi

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With β = 1, EG+ is extragradient: the same iterates bit for bit and the
// same counts, constrained or not.
func TestExtragradientPlusBetaOneIsExtragradient(t *testing.T) {
	for _, tp := range []testProblem{randomBilinear(20, 3), boxAffine(), rps()} {
		for _, step := range []float64{0, 0.2} {
			t.Run(fmt.Sprintf("%s/step=%v", tp.name, step), func(t *testing.T) {
				eg := &Extragradient{Step: step}
				egp := &ExtragradientPlus{Step: step, Beta: 1}
				require.NoError(t, eg.Init(tp.p))
				require.NoError(t, egp.Init(tp.p))
				for k := range 200 {
					require.NoError(t, eg.Iterate())
					require.NoError(t, egp.Iterate())
					require.Equal(t, eg.Current(), egp.Current(), "iteration %d", k)
				}
				a, err := Solve(context.Background(), tp.p, &Extragradient{Step: step}, &Settings{MaxIterations: 300})
				require.NoError(t, err)
				b, err := Solve(context.Background(), tp.p, &ExtragradientPlus{Step: step, Beta: 1}, &Settings{MaxIterations: 300})
				require.NoError(t, err)
				assert.Equal(t, a.Z, b.Z)
				assert.Equal(t, a.Evaluations, b.Evaluations)
				assert.Equal(t, a.Projections, b.Projections)
			})
		}
	}
}

func TestExtragradientPlusDefaultSteps(t *testing.T) {
	p := fomComonotone().p // L = 3
	cases := []struct {
		name   string
		m      *ExtragradientPlus
		g1, g2 float64
	}{
		{"monotone", &ExtragradientPlus{}, 1.0 / 6, 1.0 / 12},                              // γ₁ = 1/(2L), β = 1/2
		{"rho", &ExtragradientPlus{Rho: 1.0 / 9}, 5.0 / 18, 1.0 / 18},                      // γ₁ = (2ρ + 1/L)/2, γ₂ = γ₁ − 2ρ
		{"rho with step", &ExtragradientPlus{Rho: 0.1, Step: 0.25}, 0.25, 0.05},            // γ₂ = γ₁ − 2ρ
		{"explicit beta", &ExtragradientPlus{Rho: 1.0 / 9, Beta: 0.5}, 5.0 / 18, 5.0 / 36}, // β as given
		{"outside the theory", &ExtragradientPlus{Rho: 1, Step: 1, Beta: 0.5}, 1, 0.5},     // allowed when explicit
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.m.Init(p))
			g1, g2 := c.m.Steps()
			assert.InDelta(t, c.g1, g1, 1e-15)
			assert.InDelta(t, c.g2, g2, 1e-15)
		})
	}
}

// On the ρ-negatively comonotone instance of ALGORITHMS.md B5.3 (ρ = 1/9,
// L = 3, inside ρ < 1/(2L)) EG+ with the default steps converges
// (spectral radius |1 − γ₂λ(1 − γ₁λ)| ≈ 0.9786 over the eigenvalues
// λ = −1 ± 2√2i), while the same extrapolation with β = 1 (extragradient)
// or β = 1/2 diverges (radii ≈ 1.43 and ≈ 1.06).
func TestExtragradientPlusNegativelyComonotone(t *testing.T) {
	tp := fomComonotone()
	res, err := Solve(context.Background(), tp.p, &ExtragradientPlus{Rho: 1.0 / 9}, &Settings{Tol: 1e-8})
	require.NoError(t, err)
	require.Equal(t, Converged, res.Status)
	assert.LessOrEqual(t, Distance(res.Z, tp.solution), 1e-8)

	for _, beta := range []float64{1, 0.5} {
		res, err := Solve(context.Background(), tp.p, &ExtragradientPlus{Rho: 1.0 / 9, Beta: beta}, nil)
		require.NoError(t, err)
		assert.Equal(t, Diverged, res.Status, "β = %v", beta)
	}

	// M is normal, so the per-step factor of the norm is exactly the
	// modulus of the eigenvalue 1 − γ₂λ(1 − γ₁λ) of the iteration.
	m := &ExtragradientPlus{Rho: 1.0 / 9}
	require.NoError(t, m.Init(tp.p))
	g1, g2 := m.Steps()
	lambda := complex(-1, 2*math.Sqrt2)
	want := cmplx.Abs(1 - complex(g2, 0)*lambda*(1-complex(g1, 0)*lambda))
	prev := norm(m.Current())
	var ratio float64
	for range 200 {
		require.NoError(t, m.Iterate())
		r := norm(m.Current())
		ratio, prev = r/prev, r
	}
	assert.InDelta(t, want, ratio, 1e-12)
	assert.InDelta(t, 0.97855, want, 1e-5)
}
