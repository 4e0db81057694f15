package constrained

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/saddlepoint/saddle/rl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// reloadSemilogSlope fits log10(gap) = a + b·k by least squares over the
// iterations k (1-based) whose gap lies in (lo, hi), and returns b and
// the number of points.
func reloadSemilogSlope(gaps []float64, lo, hi float64) (float64, int) {
	var n, sx, sy, sxx, sxy float64
	for i, g := range gaps {
		if g <= lo || g >= hi {
			continue
		}
		x, y := float64(i+1), math.Log10(g)
		n++
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx), int(n)
}

// Optimism on both players makes the last iterate converge to the exact
// LP optimum (ALGORITHMS.md B7.1, B7.2, the gridworld of B7.3 and a
// random CMDP).
func TestOptimisticConverges(t *testing.T) {
	grid, err := GridworldCMDP()
	require.NoError(t, err)
	random, err := RandomCMDP(10, 3, 2, 1)
	require.NoError(t, err)
	tests := []struct {
		name string
		c    *CMDP
		m    *Optimistic
		T    int
		p    float64 // π*(1 | 0), checked when not NaN
	}{
		{"two-state", cmdpTwoState(t), &Optimistic{}, 1000, 10.0 / 41},
		{"one-state", cmdpOneState(t), &Optimistic{}, 1000, 0.5},
		{"gridworld", grid, &Optimistic{}, 1000, math.NaN()},
		// The default steps are slow on this instance (TestOptimisticRandomLarger);
		// larger ones converge faster.
		{"random", random, &Optimistic{Step: 0.1, MultiplierStep: 1}, 5000, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt, err := tt.c.Optimum()
			require.NoError(t, err)
			st := gdaRun(t, tt.c, tt.m, tt.T, 0, 1)
			t.Logf("after %d: reward %.12f (J* %.12f), violation %.3g, gap %.3g, λ %v (λ* %v)",
				tt.T, st.last.Reward, opt.Value, st.last.Violation, st.last.LagrangianGap, tt.m.Multipliers(), opt.Multipliers)
			assert.InDelta(t, opt.Value, st.last.Reward, 1e-6)
			assert.LessOrEqual(t, st.last.Violation, 1e-6)
			assert.LessOrEqual(t, st.last.LagrangianGap, 1e-8)
			assert.LessOrEqual(t, st.maxViol, 1e-3, "no violation late in the run")
			assert.InDeltaSlice(t, opt.Multipliers, tt.m.Multipliers(), 1e-6)
			if !math.IsNaN(tt.p) {
				assert.InDelta(t, tt.p, tt.m.Policy().Prob(0, 1), 1e-4)
			}
		})
	}
}

// The Lagrangian gap of the last iterate decreases linearly (a straight
// line on a semilog plot). On B7.1 the slope is the one predicted by
// linearizing the iteration about the saddle point (p, λ) = (½, 1): with
// u the logit of p, a = η/(1 − γ) and c = η_λ/(4(1 − γ)) (since
// dp/du = ¼ and ∂J_c/∂p = 1/(1 − γ)), the state (u_k, u_{k−1}, λ_k − 1,
// λ_{k−1} − 1) evolves by
//
//	u_{k+1}   = u_k − a(2δλ_k − δλ_{k−1}),
//	δλ_{k+1}  = δλ_k + c(2u_k − u_{k−1}),
//
// and the gap, Lipschitz in (p, λ) on both sides, shrinks by the spectral
// radius ρ of that map per iteration.
func TestOptimisticRate(t *testing.T) {
	grid, err := GridworldCMDP()
	require.NoError(t, err)
	one := cmdpOneState(t)
	m := &Optimistic{}
	require.NoError(t, m.Init(&Problem{CMDP: one}))
	eta, etaLambda := m.Steps()
	rho := reloadLinearRadius(eta/(1-0.9), etaLambda/(4*(1-0.9)), true, true)
	tests := []struct {
		name  string
		c     *CMDP
		slope float64 // expected slope of log10(gap) per iteration
		tol   float64
	}{
		// predicted −0.025965; measured −0.025952
		{"one-state", one, math.Log10(rho), 0.02 * -math.Log10(rho)},
		// measured −0.03387
		{"two-state", cmdpTwoState(t), -0.0339, 0.005},
		// measured −0.02068
		{"gridworld", grid, -0.0207, 0.003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := gdaRun(t, tt.c, &Optimistic{}, 800, 0, 1)
			slope, n := reloadSemilogSlope(st.gaps, 1e-11, 1e-3)
			t.Logf("slope of log10 gap: %.6f per iteration over %d iterations", slope, n)
			require.Greater(t, n, 100, "enough points in the window")
			assert.InDelta(t, tt.slope, slope, tt.tol)
		})
	}
}

// reloadLinearRadius returns the spectral radius of the linearization of
// the Lagrangian iteration on B7.1 described in TestOptimisticRate, with
// or without the optimistic step for each player.
func reloadLinearRadius(a, c float64, optPolicy, optLambda bool) float64 {
	pa, pb := a, 0.0 // u_{k+1} = u_k − pa·δλ_k + pb·δλ_{k−1}
	if optPolicy {
		pa, pb = 2*a, a
	}
	la, lb := c, 0.0
	if optLambda {
		la, lb = 2*c, c
	}
	m := mat.NewDense(4, 4, []float64{
		1, 0, -pa, pb,
		1, 0, 0, 0,
		la, -lb, 1, 0,
		0, 0, 1, 0,
	})
	var e mat.Eigen
	if !e.Factorize(m, mat.EigenNone) {
		panic("no eigendecomposition")
	}
	r := 0.0
	for _, v := range e.Values(nil) {
		r = math.Max(r, cmplx.Abs(v))
	}
	return r
}

// One optimistic player is not enough (ReLOAD's Fig. 2 caption). At the
// saddle point of B7.1 the linearized iteration contracts only when both
// players are optimistic; with the default steps the radii are 0.942
// (both), 1.006 (one) and 1.049 (neither). And on B7.1, B7.2 and the
// gridworld the last iterate of one-sided optimism keeps oscillating.
func TestOneSidedOptimism(t *testing.T) {
	m := &Optimistic{}
	require.NoError(t, m.Init(&Problem{CMDP: cmdpOneState(t)}))
	eta, etaLambda := m.Steps()
	a, c := eta/(1-0.9), etaLambda/(4*(1-0.9))
	assert.InDelta(t, 0.94197, reloadLinearRadius(a, c, true, true), 1e-5)
	assert.Greater(t, reloadLinearRadius(a, c, true, false), 1.0)
	assert.Greater(t, reloadLinearRadius(a, c, false, true), 1.0)
	assert.Greater(t, reloadLinearRadius(a, c, false, false), 1.0)
	assert.Equal(t, []string{"both", "policy", "multipliers"}, []string{BothPlayers.String(), PolicyOnly.String(), MultipliersOnly.String()})

	grid, err := GridworldCMDP()
	require.NoError(t, err)
	tests := []struct {
		name    string
		c       *CMDP
		players Players
		viol    float64 // the violation exceeds it in the second half
		gap     float64 // the gap never gets below it in the second half
	}{
		// measured: violation up to 0.81, gap ≥ 0.42
		{"two-state policy", cmdpTwoState(t), PolicyOnly, 0.4, 0.2},
		// measured: violation up to 0.75, gap ≥ 0.38
		{"two-state multipliers", cmdpTwoState(t), MultipliersOnly, 0.4, 0.2},
		// measured: violation up to 3.57, gap ≥ 3.5
		{"one-state policy", cmdpOneState(t), PolicyOnly, 2, 2},
		// measured: violation up to 3.33, gap ≥ 3.5
		{"one-state multipliers", cmdpOneState(t), MultipliersOnly, 2, 2},
		// measured: violation up to 0.67, gap ≥ 0.068
		{"gridworld policy", grid, PolicyOnly, 0.3, 0.03},
		// measured: violation up to 0.60, gap ≥ 0.061
		{"gridworld multipliers", grid, MultipliersOnly, 0.3, 0.03},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := gdaRun(t, tt.c, &Optimistic{Players: tt.players}, 4000, 0, 1)
			t.Logf("second half: π(1|0) ∈ [%.4f, %.4f], max violation %.4g, %d crossings, min gap %.4g",
				st.lo, st.hi, st.maxViol, st.crossings, st.minGap)
			assert.Greater(t, st.maxViol, tt.viol)
			assert.Greater(t, st.minGap, tt.gap)
		})
	}
}

// Optimistic converges on larger random CMDPs too. Its default steps are slow there: the coupling κ that sets
// them is measured at the uniform start, and at the optimum, deterministic
// in most states, it is several times smaller, so the players rotate
// slowly. Measured: defaults reach a gap of 1e-8 after 18,700 iterations
// on 10×3×2; on 20×4×3 the gap is still 6e-5 after 40,000, while
// η = 0.1, η_λ = 1 reach 1e-8 after 8,500.
func TestOptimisticRandomLarger(t *testing.T) {
	tests := []struct {
		size [3]int
		m    *Optimistic
	}{
		{[3]int{10, 3, 2}, &Optimistic{}},
		{[3]int{20, 4, 3}, &Optimistic{Step: 0.1, MultiplierStep: 1}},
	}
	for _, tt := range tests {
		c, err := RandomCMDP(tt.size[0], tt.size[1], tt.size[2], 1)
		require.NoError(t, err)
		opt, err := c.Optimum()
		require.NoError(t, err)
		res, err := Solve(t.Context(), &Problem{CMDP: c}, tt.m, &Settings{Tol: 1e-8, MaxIterations: 40000, CheckEvery: 100})
		require.NoError(t, err)
		t.Logf("random %v: %s after %d iterations, gap %.3g, reward %.10f (J* %.10f)", tt.size, res.Status, res.Iterations, res.Last.LagrangianGap, res.Last.Reward, opt.Value)
		assert.Equal(t, "converged", res.Status.String())
		assert.InDelta(t, opt.Value, res.Last.Reward, 1e-6)
		assert.LessOrEqual(t, res.Last.Violation, 1e-6)
		assert.InDeltaSlice(t, opt.Multipliers, res.Multipliers, 1e-6)
	}
}

func TestOptimisticErrors(t *testing.T) {
	c := cmdpTwoState(t)
	u3, err := rl.Uniform(3, 2)
	require.NoError(t, err)
	det, err := rl.Deterministic(2, []int{0, 1})
	require.NoError(t, err)
	tests := []struct {
		name string
		m    Method
		p    *Problem
		want string
	}{
		{"negative step", &Optimistic{Step: -1}, &Problem{CMDP: c}, "constrained: Optimistic.Step = -1, want a finite number ≥ 0"},
		{"nan multiplier step", &GDA{MultiplierStep: math.NaN()}, &Problem{CMDP: c}, "constrained: GDA.MultiplierStep = NaN"},
		{"inf step", &GDA{Step: math.Inf(1)}, &Problem{CMDP: c}, "GDA.Step = +Inf"},
		{"players", &Optimistic{Players: 7}, &Problem{CMDP: c}, "Optimistic.Players = 7, want BothPlayers (0), PolicyOnly (1) or MultipliersOnly (2)"},
		{"nil problem", &GDA{}, nil, "constrained: the problem is nil"},
		{"nil cmdp", &GDA{}, &Problem{}, "constrained: the problem has no CMDP"},
		{"policy shape", &GDA{}, &Problem{CMDP: c, Policy: u3}, "Problem.Policy is 3×2, want 2×2 (states×actions)"},
		{"zero probability", &Optimistic{}, &Problem{CMDP: c, Policy: det}, "Problem.Policy[0][1] = 0, want > 0"},
		{"multiplier count", &GDA{}, &Problem{CMDP: c, Multipliers: []float64{1, 2}}, "Problem.Multipliers has 2 entries, want 1 (one per constraint)"},
		{"negative multiplier", &GDA{}, &Problem{CMDP: c, Multipliers: []float64{-0.5}}, "Problem.Multipliers[0] = -0.5, want a finite number ≥ 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Init(tt.p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.ErrorIs(t, tt.m.Iterate(), errNotInit, "a failed Init leaves the method unusable")
		})
	}
	assert.ErrorIs(t, (&Optimistic{}).Iterate(), errNotInit)
}

// A given start is used and not modified; a method value can be reused.
func TestOptimisticStart(t *testing.T) {
	c := cmdpTwoState(t)
	pi, err := rl.NewPolicy([][]float64{{0.9, 0.1}, {0.5, 0.5}})
	require.NoError(t, err)
	lambda := []float64{2}
	p := &Problem{CMDP: c, Policy: pi, Multipliers: lambda}
	m := &Optimistic{}
	require.NoError(t, m.Init(p))
	assert.InDelta(t, 0.1, m.Policy().Prob(0, 1), 1e-15)
	assert.Equal(t, []float64{2}, m.Multipliers())
	for range 500 {
		require.NoError(t, m.Iterate())
	}
	first := m.Policy().Clone()
	assert.Equal(t, []float64{0.9, 0.1, 0.5, 0.5}, pi.Probs(), "the start policy is not modified")
	assert.Equal(t, []float64{2}, lambda)
	assert.Equal(t, 501, m.Evaluations())
	// A second run from the same start repeats the first exactly.
	require.NoError(t, m.Init(p))
	for range 500 {
		require.NoError(t, m.Iterate())
	}
	assert.Equal(t, first.Probs(), m.Policy().Probs())
}

func TestMethodAllocs(t *testing.T) {
	grid, err := GridworldCMDP()
	require.NoError(t, err)
	for _, m := range []Method{&GDA{}, &Optimistic{}, &Optimistic{Players: PolicyOnly}} {
		require.NoError(t, m.Init(&Problem{CMDP: grid}))
		allocs := testing.AllocsPerRun(100, func() {
			if err := m.Iterate(); err != nil {
				panic(err)
			}
			m.(Averager).Average()
		})
		assert.Equal(t, 0.0, allocs, "%T", m)
	}
}
