package constrained

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gdaRunStats describes a run of a Method over its second half.
type gdaRunStats struct {
	lo, hi    float64 // range of π(action | state)
	maxViol   float64 // largest violation
	crossings int     // switches between feasible and infeasible (dead band 1e-9)
	minGap    float64 // smallest Lagrangian gap
	last      Measures
	gaps      []float64 // Lagrangian gap after every iteration
	average   Measures
}

// gdaRun runs m on c for T iterations, measuring every iterate.
func gdaRun(t testing.TB, c *CMDP, m Method, T, state, action int) gdaRunStats {
	t.Helper()
	require.NoError(t, m.Init(&Problem{CMDP: c}))
	meas, err := NewMeasurer(c)
	require.NoError(t, err)
	st := gdaRunStats{lo: math.Inf(1), hi: math.Inf(-1), minGap: math.Inf(1)}
	side := 0
	for k := 1; k <= T; k++ {
		require.NoError(t, m.Iterate())
		require.NoError(t, meas.Measure(&st.last, m.Policy(), m.Multipliers()))
		st.gaps = append(st.gaps, st.last.LagrangianGap)
		if k <= T/2 {
			continue
		}
		p := m.Policy().Prob(state, action)
		st.lo, st.hi = math.Min(st.lo, p), math.Max(st.hi, p)
		st.maxViol = math.Max(st.maxViol, st.last.Violation)
		st.minGap = math.Min(st.minGap, st.last.LagrangianGap)
		over := math.Inf(-1)
		for k, con := range c.Constraints() {
			over = math.Max(over, st.last.Costs[k]-con.Threshold)
		}
		s := 0
		switch {
		case over > 1e-9:
			s = 1
		case over < -1e-9:
			s = -1
		}
		if s != 0 {
			if side != 0 && s != side {
				st.crossings++
			}
			side = s
		}
	}
	if a, ok := m.(Averager); ok {
		pi, lambda := a.Average()
		require.NoError(t, meas.Measure(&st.average, pi, lambda))
	}
	return st
}

// Lagrangian descent-ascent with its default steps does not converge in
// its last iterate: over the second half of the run the policy keeps
// swinging across the optimum, the constraint is violated again and
// again, and the Lagrangian gap stays large. The figures asserted are
// below those measured (in the comments).
func TestGDAOscillates(t *testing.T) {
	grid, err := GridworldCMDP()
	require.NoError(t, err)
	random, err := RandomCMDP(10, 3, 2, 1)
	require.NoError(t, err)
	tests := []struct {
		name      string
		c         *CMDP
		p         float64 // p* = π*(1 | 0) when the policy is to swing across it, else NaN
		spread    float64 // p swings below p* − spread and above p* + spread
		viol      float64 // the violation exceeds it somewhere in the second half
		crossings int
		gap       float64 // the Lagrangian gap never gets below it
	}{
		// measured: p ∈ [0.064, 0.410], violation up to 0.99, 180 crossings, gap ≥ 0.50
		{"two-state", cmdpTwoState(t), 10.0 / 41, 0.1, 0.5, 100, 0.25},
		// measured: p ∈ [0.032, 0.894], violation up to 3.94, 153 crossings, gap ≥ 3.9
		{"one-state", cmdpOneState(t), 0.5, 0.25, 2, 100, 2},
		// measured: violation up to 0.79, 174 crossings, gap ≥ 0.13
		{"gridworld", grid, math.NaN(), 0, 0.3, 100, 0.05},
		// measured: violation up to 0.29, 130 crossings, gap ≥ 0.28
		{"random", random, math.NaN(), 0, 0.1, 50, 0.1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := gdaRun(t, tt.c, &GDA{}, 4000, 0, 1)
			t.Logf("second half: π(1|0) ∈ [%.4f, %.4f], max violation %.4g, %d crossings, min gap %.4g",
				st.lo, st.hi, st.maxViol, st.crossings, st.minGap)
			if !math.IsNaN(tt.p) {
				assert.Less(t, st.lo, tt.p-tt.spread)
				assert.Greater(t, st.hi, tt.p+tt.spread)
			}
			assert.Greater(t, st.maxViol, tt.viol)
			assert.GreaterOrEqual(t, st.crossings, tt.crossings)
			assert.Greater(t, st.minGap, tt.gap)
		})
	}
}

// The average of GDA, taken in occupancy measures, approaches the
// optimum while its last iterate keeps oscillating. With constant steps
// the average settles within a distance that shrinks with the steps, so
// the steps here are small ones.
func TestGDAAverage(t *testing.T) {
	c := cmdpTwoState(t)
	st := gdaRun(t, c, &GDA{Step: 0.005, MultiplierStep: 0.02}, 8000, 0, 1)
	t.Logf("last: π(go|s0) ∈ [%.4f, %.4f], min gap %.4g; average: reward %.6f, violation %.3g, gap %.4g",
		st.lo, st.hi, st.minGap, st.average.Reward, st.average.Violation, st.average.LagrangianGap)
	// measured: π(go|s0) ∈ [0.130, 0.383], min gap 0.44
	assert.Less(t, st.lo, 10.0/41-0.08)
	assert.Greater(t, st.hi, 10.0/41+0.08)
	assert.Greater(t, st.minGap, 0.1)
	// measured: average reward 3.0317, violation 0, gap 0.021
	assert.InDelta(t, 3.04, st.average.Reward, 0.02)
	assert.Less(t, st.average.Violation, 0.01)
	assert.Less(t, st.average.LagrangianGap, 0.05)
	assert.Less(t, st.average.LagrangianGap, st.minGap/5, "the average is far closer than any late iterate")
}

func TestGDADefaultSteps(t *testing.T) {
	// B7.1 with γ = 0.9: R = 1, so η = (1 − γ)/2 = 0.05; at the uniform
	// start d = (5, 5), A_c = (−½, ½), so κ = 10·(5·¼ + 5·¼) = 25 and
	// η_λ = 0.1/(0.05·25) = 0.08.
	m := &GDA{}
	require.NoError(t, m.Init(&Problem{CMDP: cmdpOneState(t)}))
	eta, etaLambda := m.Steps()
	assert.InDelta(t, 0.05, eta, 1e-15)
	assert.InDelta(t, 0.08, etaLambda, 1e-12)
	// Explicit steps are used as given.
	m = &GDA{Step: 0.2, MultiplierStep: 0.3}
	require.NoError(t, m.Init(&Problem{CMDP: cmdpOneState(t)}))
	eta, etaLambda = m.Steps()
	assert.Equal(t, 0.2, eta)
	assert.Equal(t, 0.3, etaLambda)
}
