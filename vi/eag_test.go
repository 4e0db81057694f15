package vi

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eagAlphaLimit returns α_K of the EAG-V recursion from α_0 (with L = 1)
// after K steps, and a lower bound on its limit α_∞: past K the factors
// are at least 1 − q_K/((k+1)(k+3)) with q_K = α_K²/(1 − α_K²), and
// Σ_{k≥K} 1/((k+1)(k+3)) ≤ 1/K, so α_∞ ≥ α_K(1 − q_K/K).
func eagAlphaLimit(alpha0 float64, steps int) (alphaK, lower float64) {
	a := alpha0
	for k := range steps {
		q := a * a
		a *= 1 - q/(float64((k+1)*(k+3))*(1-q))
	}
	q := a * a / (1 - a*a)
	return a, a * (1 - q/float64(steps))
}

// Yoon and Ryu's bounds at every k ≥ 0: EAG-C with α ≤ 1/(8L),
// ‖F(z_k)‖² ≤ 4(1 + αL + α²L²)/(α²(1 + αL))·‖z_0 − z*‖²/(k+1)² (≈ 260L² at
// α = 1/(8L)); EAG-V, ‖F(z_k)‖² ≤ 4(1 + α_0α_∞L²)/α_∞²·‖z_0 − z*‖²/((k+1)(k+2)).
func TestAnchoredExtragradientBound(t *testing.T) {
	b43, b52 := randomBilinear(4, 3), randomBilinear(5, 2)
	b43.name, b52.name = "bilinear-4-3", "bilinear-5-2"
	problems := []testProblem{b43, b52, xyGame(), quadraticBilinear(1, 2, 0.5)}
	cases := []struct {
		varying bool
		factor  float64 // α or α_0 times L
	}{{false, 1.0 / 8}, {false, 1.0 / 16}, {true, 0.618}, {true, 0.3}}
	for _, tp := range problems {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/varying=%v/step=%.3g", tp.name, c.varying, c.factor), func(t *testing.T) {
				p := tp.p
				l := anchoredLipschitz(t, p)
				m := &AnchoredExtragradient{Varying: c.varying, Step: c.factor / l}
				r0 := Distance(p.Z0, tp.solution)
				var bound func(k int) float64
				if c.varying {
					_, inf := eagAlphaLimit(c.factor, 1_000_000)
					ainf := inf / l
					a0 := c.factor / l
					cst := 4 * (1 + a0*ainf*l*l) / (ainf * ainf)
					bound = func(k int) float64 { return cst * r0 * r0 / float64((k+1)*(k+2)) }
				} else {
					a := c.factor / l
					cst := 4 * (1 + a*l + a*a*l*l) / (a * a * (1 + a*l))
					bound = func(k int) float64 { return cst * r0 * r0 / float64((k+1)*(k+1)) }
				}
				measure := func(int) float64 {
					fz, ok := m.CurrentValue()
					require.True(t, ok)
					return norm(fz) * norm(fz)
				}
				require.NoError(t, m.Init(p))
				worst := measure(0) / bound(0)
				worst = max(worst, anchoredMaxRatio(t, p, m, 3000, func(int) {}, anchoredBound{from: 1, measure: measure, bound: bound}))
				t.Logf("max over k of ‖F(z_k)‖²/bound = %.3g", worst)
				assert.LessOrEqual(t, worst, 1.0)
			})
		}
	}
}

// The EAG-V steps follow the recursion exactly, and from α_0 = 0.618/L they
// decrease to α_∞ ≈ 0.437/L, the value Yoon and Ryu report; the bound's
// constant 4(1 + α_0α_∞)/α_∞² is then ≈ 27.
func TestAnchoredExtragradientVaryingSteps(t *testing.T) {
	tp := randomBilinear(4, 3)
	l := anchoredLipschitz(t, tp.p)
	m := &AnchoredExtragradient{Varying: true}
	require.NoError(t, m.Init(tp.p))
	a := 0.618
	for k := range 50 {
		assert.InDelta(t, a/l, m.StepSize(), 1e-15, "k = %d", k)
		require.NoError(t, m.Iterate())
		a *= 1 - a*a/(float64((k+1)*(k+3))*(1-a*a))
	}
	ak, inf := eagAlphaLimit(0.618, 1_000_000)
	assert.InDelta(t, 0.437, ak, 5e-4)
	assert.InDelta(t, 0.437, inf, 5e-4)
	assert.InDelta(t, 27, 4*(1+0.618*inf)/(inf*inf), 0.5)
	assert.InDelta(t, 260, 4*(1+1.0/8+1.0/64)/((1.0/64)*(1+1.0/8)), 0.5, "EAG-C constant at α = 1/(8L)")
}

func TestAnchoredExtragradientErrors(t *testing.T) {
	p := randomBilinear(4, 3).p
	l, _ := lipschitzOf(p.F)
	noL := &Problem{F: funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }}}
	cases := []paramCase{
		{"negative step", &AnchoredExtragradient{Step: -1}, p, "Step", ""},
		{"negative L", &AnchoredExtragradient{L: -1}, p, "L", ""},
		{"varying step too large", &AnchoredExtragradient{Varying: true, Step: 0.75 / l}, p, "Step", ""},
		{"varying without L", &AnchoredExtragradient{Varying: true, Step: 0.1}, noL, "", "Varying needs a Lipschitz constant"},
		{"constrained", &AnchoredExtragradient{}, boxAffine().p, "", "use CompositeEAG"},
		{"no step", &AnchoredExtragradient{}, noL, "", ErrNoStep.Error()},
	}
	checkRejected(t, "AnchoredExtragradient", cases)
	// Reals is Rⁿ and is accepted.
	q := *p
	q.C = Reals{}
	require.NoError(t, (&AnchoredExtragradient{}).Init(&q))
	assert.False(t, math.IsNaN(l))
}
