package vi

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cai and Zheng (ICLR 2023), Thm 2: r_tan(z_T) ≤ √6·H/(ηT) with
// H² = ‖z_0 − z*‖² + 4‖z_1 − z_0‖², at every T ≥ 1, for monotone problems
// (both default steps) and for the comonotone instance with ρ = 0.999/(60L),
// just inside the range the theorem covers. On the random game z* is not
// computed and ‖z_0 − z*‖ ≤ diam = 2 stands in for it (a larger H).
func TestAcceleratedReflectedGradientBound(t *testing.T) {
	como, rho := anchoredComonotoneRho(0.999 / 60)
	cases := []struct {
		tp  testProblem
		rho float64
	}{
		{rps(), 0}, {boxAffine(), 0}, {anchoredRandomGame(5, 7, 1), 0},
		{randomBilinear(4, 3), 0}, {quadraticBilinear(1, 2, 0.5), 0},
		{como, rho},
	}
	for _, c := range cases {
		for _, step := range []float64{0, 1.0 / 12} {
			t.Run(fmt.Sprintf("%s/step=%.3g", c.tp.name, step), func(t *testing.T) {
				p := c.tp.p
				l := anchoredLipschitz(t, p)
				m := &AcceleratedReflectedGradient{Rho: c.rho, Step: step / l}
				var z0 []float64
				var h float64
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
						h = math.Sqrt(d0*d0 + 4*d1*d1)
					}
				}
				b := anchoredBound{from: 1,
					measure: func(int) float64 { return anchoredTangent(t, p, m.Current()) },
					bound:   func(T int) float64 { return math.Sqrt(6) * h / (m.eta * float64(T)) },
				}
				worst := anchoredMaxRatio(t, p, m, 2000, setup, b)
				t.Logf("η = %.4g/L: max over T of r_tan/bound = %.3g", m.eta*l, worst)
				assert.LessOrEqual(t, worst, 1.0)
			})
		}
	}
}

// The default steps: 1/(2√6 L) for monotone F, where Inequality (10) holds
// with equality, and Fact 2's 1/(12L) when Rho > 0.
func TestAcceleratedReflectedGradientStep(t *testing.T) {
	p := randomBilinear(4, 3).p
	l := anchoredLipschitz(t, p)
	m := &AcceleratedReflectedGradient{}
	require.NoError(t, m.Init(p))
	assert.InDelta(t, 1/(2*math.Sqrt(6)*l), m.eta, 1e-15)
	assert.InDelta(t, 0, 0.5-12*m.eta*m.eta*l*l, 1e-12, "Inequality (10) at ρ = 0 is tight")
	m = &AcceleratedReflectedGradient{Rho: 1 / (60 * l)}
	require.NoError(t, m.Init(p))
	assert.InDelta(t, 1/(12*l), m.eta, 1e-15)
}

func TestAcceleratedReflectedGradientErrors(t *testing.T) {
	p := randomBilinear(4, 3).p
	l, _ := lipschitzOf(p.F)
	noL := &Problem{F: funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }}}
	cases := []paramCase{
		{"negative step", &AcceleratedReflectedGradient{Step: -1}, p, "Step", ""},
		{"negative rho", &AcceleratedReflectedGradient{Rho: -0.01}, p, "Rho", ""},
		{"rho above 1/(60L)", &AcceleratedReflectedGradient{Rho: 1.01 / (60 * l)}, p, "Rho", ""},
		// (10) at ρ = 1/(60L), η = 0.2/L: 1/2 − (12 + 1/3)·0.04 − 1/6 < 0.
		{"step violating (10)", &AcceleratedReflectedGradient{Rho: 1 / (60 * l), Step: 0.2 / l}, p, "Step", ""},
		{"rho without L", &AcceleratedReflectedGradient{Rho: 0.001, Step: 0.1}, noL, "", "Rho > 0 needs a Lipschitz constant"},
		{"no step", &AcceleratedReflectedGradient{}, noL, "", ErrNoStep.Error()},
	}
	checkRejected(t, "AcceleratedReflectedGradient", cases)
}
