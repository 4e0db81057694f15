package vi

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cai, Oikonomou and Zheng (ICML 2024), Thm 3.2 at η = 0.31/L:
// r_tan(z_T)² ≤ ‖F(z_T) + c_T‖² ≤ 20H²/(η²T²), H² = 6‖z_1 − z_0‖² +
// ‖z_0 − z*‖², at every T ≥ 1, monotone and with ρ = 0.999/(20L), just inside
// the end of the range. The middle term is TangentBound; r_tan is recomputed.
func TestCompositeEAGBound(t *testing.T) {
	como, rho := anchoredComonotoneRho(0.999 / 20)
	cases := []struct {
		tp  testProblem
		rho float64
	}{
		{rps(), 0}, {boxAffine(), 0}, {anchoredRandomGame(5, 7, 1), 0},
		{randomBilinear(4, 3), 0}, {quadraticBilinear(1, 2, 0.5), 0}, {como, rho},
	}
	for _, c := range cases {
		t.Run(c.tp.name, func(t *testing.T) {
			p := c.tp.p
			m := &CompositeEAG{Rho: c.rho}
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
					h2 = 6*d1*d1 + d0*d0
				}
			}
			b := anchoredBound{from: 1,
				measure: func(T int) float64 {
					cert := m.TangentBound()
					r := anchoredTangent(t, p, m.Current())
					require.LessOrEqual(t, r, cert+1e-12, "T = %d: r_tan above ‖F + c‖", T)
					return cert * cert
				},
				bound: func(T int) float64 { return 20 * h2 / (m.eta * m.eta * float64(T*T)) },
			}
			worst := anchoredMaxRatio(t, p, m, 2000, setup, b)
			t.Logf("max over T of ‖F(z_T) + c_T‖²/bound = %.3g", worst)
			assert.LessOrEqual(t, worst, 1.0)
		})
	}
}

// The first iteration is the projected forward step z_1 = Π_C[z_0 − ηF(z_0)]
// with c_1 the normal vector it leaves; composite-EAG and FEG share it.
func TestCompositeEAGFirstStep(t *testing.T) {
	tp := boxAffine()
	p := tp.p
	for _, m := range []Method{&CompositeEAG{}, &FastExtragradient{}} {
		require.NoError(t, m.Init(p))
		z0 := append([]float64(nil), m.Current()...)
		require.NoError(t, m.Iterate())
		var eta float64
		switch m := m.(type) {
		case *CompositeEAG:
			eta = m.eta
		case *FastExtragradient:
			eta = m.eta
		}
		fz0 := make([]float64, len(z0))
		p.F.Apply(fz0, z0)
		want := make([]float64, len(z0))
		axpyTo(want, z0, -eta, fz0)
		p.C.Project(want, want)
		assert.InDeltaSlice(t, want, m.Current(), 1e-15, "%T", m)
	}
}

func TestCompositeEAGErrors(t *testing.T) {
	p := randomBilinear(4, 3).p
	l, _ := lipschitzOf(p.F)
	noL := &Problem{F: funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }}}
	cases := []paramCase{
		{"negative step", &CompositeEAG{Step: -1}, p, "Step", ""},
		{"infinite step", &CompositeEAG{Step: math.Inf(1)}, p, "Step", ""},
		{"negative rho", &CompositeEAG{Rho: -1}, p, "Rho", ""},
		{"rho above 1/(20L)", &CompositeEAG{Rho: 1.01 / (20 * l)}, p, "Rho", ""},
		{"rho without L", &CompositeEAG{Rho: 0.01, Step: 0.1}, noL, "", "Rho > 0 needs a Lipschitz constant"},
		{"no step", &CompositeEAG{}, noL, "", ErrNoStep.Error()},
	}
	checkRejected(t, "CompositeEAG", cases)
}
