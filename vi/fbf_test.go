package vi

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForwardBackwardForwardConvergesWithoutL(t *testing.T) {
	for _, c := range withoutLProblems {
		t.Run(c.name, func(t *testing.T) {
			m := &ForwardBackwardForward{}
			res, err := Solve(context.Background(), graalHideL(c.tp.p), m, &Settings{MaxIterations: 1_000_000})
			require.NoError(t, err)
			require.Equal(t, Converged, res.Status)
			assert.InDeltaSlice(t, c.tp.solution, res.Z, 1e-6)
			// Init: F(z_0), F(x_0) and Π(z_0); per iteration 2 + b of each.
			b := m.Backtracks()
			assert.Equal(t, 2+2*res.Iterations+b, res.Evaluations)
			if c.tp.p.C != nil {
				assert.Equal(t, 1+2*res.Iterations+b, res.Projections)
			}
			// An accepted step is at least βθ/L once the search settled.
			l, _ := lipschitzOf(c.tp.p.F)
			assert.GreaterOrEqual(t, m.StepSize()*l, 0.7*0.99)
			t.Logf("%d iterations, %d evaluations, %d backtracks, final γL = %.3g", res.Iterations, res.Evaluations, b, m.StepSize()*l)
		})
	}
}

func TestForwardBackwardForwardConstantStep(t *testing.T) {
	tp := rps()
	l, _ := lipschitzOf(tp.p.F)
	for _, c := range []struct {
		name string
		m    *ForwardBackwardForward
		step float64
	}{
		{"step", &ForwardBackwardForward{Step: 0.8 / l}, 0.8 / l},
		{"L", &ForwardBackwardForward{L: l}, 0.5 / l},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Solve(context.Background(), tp.p, c.m, nil)
			require.NoError(t, err)
			require.Equal(t, Converged, res.Status)
			assert.InDeltaSlice(t, tp.solution, res.Z, 1e-6)
			assert.Equal(t, c.step, c.m.StepSize())
			assert.Zero(t, c.m.Backtracks())
			assert.Equal(t, 1+2*res.Iterations, res.Evaluations)
			assert.Equal(t, 1+2*res.Iterations, res.Projections)
		})
	}
}

func TestForwardBackwardForwardStaysFeasible(t *testing.T) {
	// Tseng's outer projection keeps z_{k+1} in C: on the simplices of
	// rock-paper-scissors every iterate is a pair of distributions.
	tp := rps()
	m := &ForwardBackwardForward{}
	require.NoError(t, m.Init(tp.p))
	for range 50 {
		require.NoError(t, m.Iterate())
		z := m.Current()
		for k := 0; k < 2; k++ {
			var s float64
			for _, v := range z[3*k : 3*k+3] {
				require.GreaterOrEqual(t, v, 0.0)
				s += v
			}
			assert.InDelta(t, 1, s, 1e-12)
		}
	}
}

func TestForwardBackwardForwardLineSearchFailure(t *testing.T) {
	// The first trial step is 2γ_0 ≈ 2/L; with β = 0.9 it takes 7
	// backtracks to get under θ/L, so MaxBacktracks = 3 must fail, with
	// the iterate left at the start.
	tp := quadraticBilinear(1, 3, 1)
	m := &ForwardBackwardForward{Shrink: 0.9, MaxBacktracks: 3}
	res, err := Solve(context.Background(), graalHideL(tp.p), m, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line search rejected 4 trial steps")
	assert.Equal(t, Failure, res.Status)
	assert.Equal(t, tp.p.Z0, res.Z)
	st, serr := m.Status()
	assert.Equal(t, Failure, st)
	assert.Equal(t, err, serr)
	// With room to backtrack the same settings converge.
	res, err = Solve(context.Background(), graalHideL(tp.p), &ForwardBackwardForward{Shrink: 0.9}, nil)
	require.NoError(t, err)
	assert.Equal(t, Converged, res.Status)
}

func TestForwardBackwardForwardIterateAllocatesNothing(t *testing.T) {
	tp := boxAffine()
	for _, m := range []*ForwardBackwardForward{{}, {Step: 0.1}} {
		require.NoError(t, m.Init(tp.p))
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if err := m.Iterate(); err != nil {
				t.Fatal(err)
			}
		}))
	}
}

func TestForwardBackwardForwardDeterministic(t *testing.T) {
	tp := randomBilinear(10, 1)
	p := graalHideL(tp.p)
	m := &ForwardBackwardForward{}
	s := &Settings{Tol: -1, MaxIterations: 500}
	r1, err := Solve(context.Background(), p, m, s)
	require.NoError(t, err)
	b1 := m.Backtracks()
	r2, err := Solve(context.Background(), p, m, s)
	require.NoError(t, err)
	assert.Equal(t, r1.Z, r2.Z)
	assert.Equal(t, r1.Evaluations, r2.Evaluations)
	assert.Equal(t, b1, m.Backtracks())
}

func TestForwardBackwardForwardRejectsBadParameters(t *testing.T) {
	tp := rps()
	cases := []struct {
		m     *ForwardBackwardForward
		field string
	}{
		{&ForwardBackwardForward{Step: -1}, "Step"},
		{&ForwardBackwardForward{L: math.NaN()}, "L"},
		{&ForwardBackwardForward{Grow: 0.5}, "Grow"},
		{&ForwardBackwardForward{Grow: math.Inf(1)}, "Grow"},
		{&ForwardBackwardForward{Shrink: 1}, "Shrink"},
		{&ForwardBackwardForward{Shrink: -0.5}, "Shrink"},
		{&ForwardBackwardForward{Theta: 1}, "Theta"},
		{&ForwardBackwardForward{Theta: math.NaN()}, "Theta"},
		{&ForwardBackwardForward{MaxBacktracks: -1}, "MaxBacktracks"},
	}
	for _, c := range cases {
		err := c.m.Init(tp.p)
		var pe ErrParameter
		require.True(t, errors.As(err, &pe), "%v", err)
		assert.Equal(t, "ForwardBackwardForward", pe.Method)
		assert.Equal(t, c.field, pe.Field)
		assert.Contains(t, err.Error(), "ForwardBackwardForward."+c.field)
		assert.ErrorIs(t, c.m.Iterate(), errNotInit)
	}
}

func BenchmarkForwardBackwardForwardIterate(b *testing.B) {
	game := randomBilinear(100, 1)
	m := &ForwardBackwardForward{}
	if err := m.Init(game.p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Iterate(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.Backtracks())/float64(b.N), "backtracks/op")
}
