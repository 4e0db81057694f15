package vi

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cai and Zheng (ICML 2023), Thm 2 and Remark 2/Thm 6: r_tan at the played
// point x_{T+½} is at most 55·D/(ηT) on a set of diameter D (T ≥ 2) and
// 1430·H/(ηT) on an unbounded one, H = max{‖x_1 − x*‖, r_tan(x_1)}. The
// test checks both at every T up to 2000 for the default step 1/(3L) and
// the largest the theorems allow, 1/(√6 L).
func TestAcceleratedOptimisticGradientBound(t *testing.T) {
	type tc struct {
		tp      testProblem
		bounded bool
	}
	cases := []tc{
		{rps(), true},
		{boxAffine(), true},
		{anchoredRandomGame(5, 7, 1), true},
		{randomBilinear(4, 3), false},
		{quadraticBilinear(1, 2, 0.5), false},
	}
	for _, c := range cases {
		for _, factor := range []float64{1.0 / 3, 1 / math.Sqrt(6)} {
			t.Run(fmt.Sprintf("%s/step=%.3g÷L", c.tp.name, factor), func(t *testing.T) {
				p := c.tp.p
				l := anchoredLipschitz(t, p)
				eta := factor / l
				m := &AcceleratedOptimisticGradient{Step: eta}
				var h float64
				setup := func(T int) {
					if T == 0 && !c.bounded {
						x1 := m.Current()
						h = max(Distance(x1, c.tp.solution), anchoredTangent(t, p, x1))
					}
				}
				b := anchoredBound{from: 2,
					measure: func(int) float64 {
						fz, ok := m.CurrentValue()
						require.True(t, ok)
						r, ok := TangentResidualAt(p.C, m.Current(), fz)
						require.True(t, ok)
						return r
					},
					bound: func(T int) float64 {
						if c.bounded {
							return 55 * anchoredDiameter / (eta * float64(T))
						}
						return 1430 * h / (eta * float64(T))
					},
				}
				worst := anchoredMaxRatio(t, p, m, 2000, setup, b)
				t.Logf("max over T of r_tan/bound = %.3g", worst)
				assert.LessOrEqual(t, worst, 1.0)
			})
		}
	}
}

// The first played point is the anchor (g_½ = 0), and TangentBound is an
// upper bound on r_tan at the played point, equal to ‖F‖ without a set.
func TestAcceleratedOptimisticGradientCertificate(t *testing.T) {
	for _, tp := range []testProblem{rps(), boxAffine(), anchoredRandomGame(4, 6, 2), randomBilinear(4, 3)} {
		t.Run(tp.name, func(t *testing.T) {
			p := tp.p
			m := &AcceleratedOptimisticGradient{}
			require.NoError(t, m.Init(p))
			x1 := append([]float64(nil), m.Current()...)
			_, ok := m.CurrentValue()
			assert.False(t, ok, "F(x_1) is not known before the first iteration")
			assert.True(t, math.IsInf(m.TangentBound(), 1))
			require.NoError(t, m.Iterate())
			assert.InDeltaSlice(t, x1, m.Current(), 1e-15, "x_{3/2} = x_1")
			tighter := 0
			for T := 2; T <= 500; T++ {
				require.NoError(t, m.Iterate())
				fz, _ := m.CurrentValue()
				r, ok := TangentResidualAt(p.C, m.Current(), fz)
				require.True(t, ok)
				cert := m.TangentBound()
				if p.C == nil {
					assert.InDelta(t, norm(fz), cert, 1e-15)
				}
				assert.GreaterOrEqual(t, cert, r-1e-12, "T = %d", T)
				if cert > r+1e-9 {
					tighter++
				}
			}
			t.Logf("certificate strictly above r_tan at %d of 499 iterates", tighter)
		})
	}
}

// Algorithm 1's adaptation: in a monotone game with an honest diameter the
// threshold 4500π D² L² is never crossed (Thm 4) and the run equals the
// constant-step one; with a tiny D it is crossed and η_{t+1} = 1/√(1 + S_{t+1}),
// S recomputed here from the played gradients.
func TestAcceleratedOptimisticGradientAdaptive(t *testing.T) {
	tp := rps()
	p := tp.p
	l := anchoredLipschitz(t, p)

	plain := &AcceleratedOptimisticGradient{}
	adaptive := &AcceleratedOptimisticGradient{Adaptive: true, D: anchoredDiameter}
	require.NoError(t, plain.Init(p))
	require.NoError(t, adaptive.Init(p))
	for range 3000 {
		require.NoError(t, plain.Iterate())
		require.NoError(t, adaptive.Iterate())
	}
	assert.Equal(t, 1/(3*l), adaptive.StepSize())
	assert.Equal(t, plain.Current(), adaptive.Current())

	const d = 1e-3
	threshold := 4500 * math.Pi * d * d * l * l
	m := &AcceleratedOptimisticGradient{Adaptive: true, D: d}
	require.NoError(t, m.Init(p))
	prev := make([]float64, len(p.Z0))
	var s float64
	crossed := false
	for T := 1; T <= 200; T++ {
		require.NoError(t, m.Iterate())
		g, _ := m.CurrentValue()
		if T >= 2 {
			for i := range g {
				s += (g[i] - prev[i]) * (g[i] - prev[i])
			}
		}
		copy(prev, g)
		if s > threshold {
			crossed = true
			assert.InDelta(t, 1/math.Sqrt(1+s), m.StepSize(), 1e-15, "T = %d", T)
		} else {
			assert.Equal(t, 1/(3*l), m.StepSize(), "T = %d", T)
		}
	}
	assert.True(t, crossed, "threshold %.3g never crossed, S = %.3g", threshold, s)
}

func TestAcceleratedOptimisticGradientErrors(t *testing.T) {
	noL := &Problem{F: funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }}}
	cases := []paramCase{
		{"negative step", &AcceleratedOptimisticGradient{Step: -0.1}, rps().p, "Step", ""},
		{"NaN L", &AcceleratedOptimisticGradient{L: math.NaN()}, rps().p, "L", ""},
		{"negative D", &AcceleratedOptimisticGradient{D: -1}, rps().p, "D", ""},
		{"adaptive without D", &AcceleratedOptimisticGradient{Adaptive: true}, rps().p, "D", ""},
		{"adaptive without L", &AcceleratedOptimisticGradient{Adaptive: true, D: 1, Step: 0.1}, noL, "", "Adaptive needs a Lipschitz constant"},
		{"no step", &AcceleratedOptimisticGradient{}, noL, "", ErrNoStep.Error()},
		{"nil problem", &AcceleratedOptimisticGradient{}, nil, "", ErrNoOperator.Error()},
	}
	checkRejected(t, "AcceleratedOptimisticGradient", cases)
}
