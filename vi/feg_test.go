package vi

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cai, Oikonomou and Zheng (ICML 2024), Thm 4.1 in the project's sign
// (ρ ≥ 0, their ρ_Cai = −ρ): r_tan(z_T)² ≤ ‖F(z_T) + c_T‖² ≤
// 4H₀²/((η − 2ρ)²T²), H₀² = 4‖z_1 − z_0‖² + ‖z_0 − z*‖², at every T ≥ 1:
// monotone problems with the default step 0.9/L and with 0.5/L, and the
// comonotone instance with ρ = 0.2/L and 0.45/L (< 1/(2L)).
func TestFastExtragradientBound(t *testing.T) {
	como2, rho2 := anchoredComonotoneRho(0.2)
	como45, rho45 := anchoredComonotoneRho(0.45)
	cases := []struct {
		tp   testProblem
		rho  float64
		step float64 // times 1/L; 0: default
	}{
		{rps(), 0, 0}, {rps(), 0, 0.5},
		{boxAffine(), 0, 0}, {boxAffine(), 0, 0.5},
		{anchoredRandomGame(5, 7, 1), 0, 0},
		{randomBilinear(4, 3), 0, 0}, {randomBilinear(4, 3), 0, 0.5},
		{quadraticBilinear(1, 2, 0.5), 0, 0},
		{como2, rho2, 0}, {como2, rho2, 0.7},
		{como45, rho45, 0},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/rho=%.3g/step=%.3g", c.tp.name, c.rho, c.step), func(t *testing.T) {
			p := c.tp.p
			l := anchoredLipschitz(t, p)
			m := &FastExtragradient{Rho: c.rho, Step: c.step / l}
			var z0 []float64
			var h2 float64
			setup := func(T int) {
				switch T {
				case 0:
					z0 = append([]float64(nil), m.Current()...)
				case 1:
					d0 := anchoredDiameter
					if c.tp.solution != nil {
						d0 = Distance(z0, c.tp.solution)
					}
					d1 := Distance(m.Current(), z0)
					h2 = 4*d1*d1 + d0*d0
				}
			}
			b := anchoredBound{from: 1,
				measure: func(T int) float64 {
					cert := m.TangentBound()
					r := anchoredTangent(t, p, m.Current())
					require.LessOrEqual(t, r, cert+1e-12, "T = %d: r_tan above ‖F + c‖", T)
					return cert * cert
				},
				bound: func(T int) float64 {
					d := m.eta - 2*c.rho
					return 4 * h2 / (d * d * float64(T*T))
				},
			}
			worst := anchoredMaxRatio(t, p, m, 2000, setup, b)
			t.Logf("η = %.4g/L: max over T of ‖F(z_T) + c_T‖²/bound = %.3g", m.eta*l, worst)
			assert.LessOrEqual(t, worst, 1.0)
		})
	}
}

// The default step sits nine tenths of the way across (2ρ, 1/L).
func TestFastExtragradientStep(t *testing.T) {
	p := randomBilinear(4, 3).p
	l := anchoredLipschitz(t, p)
	for _, rho := range []float64{0, 0.1 / l, 0.4 / l} {
		m := &FastExtragradient{Rho: rho}
		require.NoError(t, m.Init(p))
		assert.InDelta(t, 2*rho+0.9*(1/l-2*rho), m.eta, 1e-15)
	}
}

func TestFastExtragradientErrors(t *testing.T) {
	p := randomBilinear(4, 3).p
	l, _ := lipschitzOf(p.F)
	noL := &Problem{F: funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }}}
	cases := []paramCase{
		{"negative step", &FastExtragradient{Step: -1}, p, "Step", ""},
		{"negative rho", &FastExtragradient{Rho: -1}, p, "Rho", ""},
		{"rho at 1/(2L)", &FastExtragradient{Rho: 0.5 / l}, p, "Rho", ""},
		{"step below 2ρ", &FastExtragradient{Rho: 0.2 / l, Step: 0.4 / l}, p, "Step", ""},
		{"step at 1/L with ρ > 0", &FastExtragradient{Rho: 0.2 / l, Step: 1 / l}, p, "Step", ""},
		{"rho without L", &FastExtragradient{Rho: 0.01, Step: 0.1}, noL, "", "Rho > 0 needs a Lipschitz constant"},
		{"no step", &FastExtragradient{}, noL, "", ErrNoStep.Error()},
	}
	checkRejected(t, "FastExtragradient", cases)
}
