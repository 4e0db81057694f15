package constrained

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/saddlepoint/saddle/rl"
	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSolveConverges(t *testing.T) {
	grid, err := GridworldCMDP()
	require.NoError(t, err)
	for _, c := range []*CMDP{cmdpTwoState(t), cmdpOneState(t), grid} {
		p := &Problem{CMDP: c}
		res, err := Solve(t.Context(), p, &Optimistic{}, nil)
		require.NoError(t, err)
		assert.Equal(t, vi.Converged, res.Status)
		assert.LessOrEqual(t, res.Last.LagrangianGap, DefaultTol)
		t.Logf("%d iterations", res.Iterations)
		assert.Less(t, res.Iterations, 700, "iteration budget (measured: 243, 344, 370)")
		assert.Equal(t, 1+res.Iterations, res.Evaluations, "one policy evaluation per iteration and one in Init")
		assert.Greater(t, res.Checks, res.Iterations, "at least one evaluation per check")
		assert.InDelta(t, res.Optimum.Value, res.Last.Reward, 1e-8)

		// The reported measures are those of the returned pair.
		ms, err := Measure(c, res.Policy, res.Multipliers)
		require.NoError(t, err)
		assert.Equal(t, *ms, res.Last)
		require.NotNil(t, res.Average)
		avg, err := Measure(c, res.AveragePolicy, res.AverageMultipliers)
		require.NoError(t, err)
		assert.Equal(t, *avg, *res.Average)

		// Running again gives bit-identical results.
		again, err := Solve(t.Context(), p, &Optimistic{}, nil)
		require.NoError(t, err)
		assert.Equal(t, res.Iterations, again.Iterations)
		assert.Equal(t, res.Policy.Probs(), again.Policy.Probs())
		assert.Equal(t, res.Multipliers, again.Multipliers)
	}
}

func TestSolveLimits(t *testing.T) {
	c := cmdpTwoState(t)
	res, err := Solve(t.Context(), &Problem{CMDP: c}, &GDA{}, &Settings{MaxIterations: 300, CheckEvery: 7})
	require.NoError(t, err)
	assert.Equal(t, vi.IterationLimit, res.Status)
	assert.Error(t, res.Status.Err())
	assert.Equal(t, 300, res.Iterations)
	assert.Equal(t, 301, res.Evaluations)
	assert.Greater(t, res.Last.LagrangianGap, 0.1, "GDA has not converged")

	// A disabled tolerance runs to the limit even when converged.
	res, err = Solve(t.Context(), &Problem{CMDP: c}, &Optimistic{}, &Settings{Tol: -1, MaxIterations: 600})
	require.NoError(t, err)
	assert.Equal(t, vi.IterationLimit, res.Status)
	assert.LessOrEqual(t, res.Last.LagrangianGap, 1e-12)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err = Solve(ctx, &Problem{CMDP: c}, &Optimistic{}, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled))
	assert.Equal(t, vi.Canceled, res.Status)
	assert.Equal(t, 0, res.Iterations)
}

func TestSolveErrors(t *testing.T) {
	c := cmdpTwoState(t)
	tests := []struct {
		name string
		p    *Problem
		m    Method
		s    *Settings
		want string
	}{
		{"nan tol", &Problem{CMDP: c}, &GDA{}, &Settings{Tol: math.NaN()}, "constrained: Settings.Tol = NaN"},
		{"check every", &Problem{CMDP: c}, &GDA{}, &Settings{CheckEvery: -2}, "Settings.CheckEvery = -2, want ≥ 0"},
		{"no limit", &Problem{CMDP: c}, &GDA{}, &Settings{Tol: -1, MaxIterations: -1}, "no tolerance, iteration limit or time limit"},
		{"nil method", &Problem{CMDP: c}, nil, nil, "constrained: Solve: nil method"},
		{"nil problem", nil, &GDA{}, nil, "constrained: the problem is nil"},
		{"bad step", &Problem{CMDP: c}, &GDA{Step: -0.1}, nil, "GDA.Step = -0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Solve(t.Context(), tt.p, tt.m, tt.s)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Nil(t, res)
		})
	}
}

// A Trace records every check; the Done event adds no duplicate row; a
// Recorder error ends the run and is returned.
func TestSolveTrace(t *testing.T) {
	c := cmdpTwoState(t)
	tr := &Trace{Action: 1}
	res, err := Solve(t.Context(), &Problem{CMDP: c}, &GDA{}, &Settings{MaxIterations: 100, CheckEvery: 10, Average: true, Recorder: tr})
	require.NoError(t, err)
	assert.Equal(t, vi.IterationLimit, res.Status)
	assert.Equal(t, []int{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, tr.Iterations)
	assert.Equal(t, []string{"reward", "cost0", "violation", "reward_gap", "multiplier_distance", "lagrangian_gap",
		"multiplier0", "policy_prob", "average_reward", "average_violation", "average_reward_gap", "average_lagrangian_gap"}, tr.Names)
	gap := tr.Column("lagrangian_gap")
	require.Len(t, gap, 11)
	assert.Equal(t, res.Last.LagrangianGap, gap[10])
	assert.Equal(t, res.Average.LagrangianGap, tr.Column("average_lagrangian_gap")[10])
	assert.Equal(t, res.Policy.Prob(0, 1), tr.Column("policy_prob")[10])
	assert.InDelta(t, 0.5, tr.Column("policy_prob")[0], 1e-15, "the uniform start")
	assert.Nil(t, tr.Column("nothing"))

	var buf bytes.Buffer
	require.NoError(t, tr.WriteCSV(&buf))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 12)
	assert.True(t, strings.HasPrefix(lines[0], "iteration,evaluations,reward,cost0,violation,"))
	assert.True(t, strings.HasSuffix(lines[0], ",seconds"))
	assert.True(t, strings.HasPrefix(lines[2], "10,11,"), "iteration 10 after 11 evaluations")

	stop := errors.New("enough")
	events := 0
	res, err = Solve(t.Context(), &Problem{CMDP: c}, &GDA{}, &Settings{Recorder: RecorderFunc(func(e vi.Event, s *Snapshot) error {
		events++
		if s.Stats.Iterations == 5 {
			return stop
		}
		return nil
	})})
	require.ErrorIs(t, err, stop)
	assert.Equal(t, vi.Failure, res.Status)
	assert.Equal(t, 5, res.Iterations)
	assert.Equal(t, 6, events, "Start and five steps; no Done after a Recorder error")
}

// Starting at the exact optimum converges at once.
func TestSolveFromOptimum(t *testing.T) {
	in := rl.TwoStateCMDP()
	c, err := FromInstance(in)
	require.NoError(t, err)
	// The closed-form π* of rl.TwoStateCMDP splits evenly at s1, where both
	// actions are identical, so every probability is positive.
	opt := in.Optimum
	res, err := Solve(t.Context(), &Problem{CMDP: c, Policy: opt.Policy, Multipliers: opt.Multipliers}, &GDA{}, nil)
	require.NoError(t, err)
	assert.Equal(t, vi.Converged, res.Status)
	assert.Equal(t, 0, res.Iterations)
	assert.Equal(t, 1, res.Evaluations)
	assert.InDelta(t, 10.0/41, res.Policy.Prob(0, 1), 1e-12)
	u, err := rl.Uniform(2, 2)
	require.NoError(t, err)
	assert.NotEqual(t, u.Probs(), res.Policy.Probs())
}
