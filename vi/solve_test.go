package vi

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSolveZeroSettingsTerminates(t *testing.T) {
	// Alternating-free GDA with a tiny step on f = xy spirals out so slowly
	// that neither the tolerance nor the blow-up test fires: only the
	// default iteration limit ends the run.
	tp := xyGame()
	res, err := Solve(context.Background(), tp.p, &GDA{Step: 1e-4}, nil)
	require.NoError(t, err)
	assert.Equal(t, IterationLimit, res.Status)
	assert.Equal(t, DefaultMaxIterations, res.Iterations)
	assert.Equal(t, 1+DefaultMaxIterations, res.Evaluations)
	assert.Zero(t, res.Checks, "GDA knows F at its iterate")
}

// TestGDADivergesOnBilinear: simultaneous GDA on the unconstrained
// bilinear game multiplies the distance to the solution by √(1+η²) per
// step (ALGORITHMS.md §2.1), so Solve must end with Diverged, keep finite
// numbers, and never report NaN.
func TestGDADivergesOnBilinear(t *testing.T) {
	for _, tp := range []testProblem{xyGame(), randomBilinear(10, 3)} {
		t.Run(tp.name, func(t *testing.T) {
			res, err := Solve(context.Background(), tp.p, &GDA{Step: 0.5}, &Settings{MaxIterations: -1})
			require.NoError(t, err)
			assert.Equal(t, Diverged, res.Status)
			assert.True(t, allFinite(res.Z))
			assert.True(t, allFinite(res.Average))
			assert.False(t, math.IsNaN(res.Residual))
			assert.False(t, math.IsNaN(res.AverageResidual))
			assert.Greater(t, res.Residual, DefaultBlowup)
		})
	}
	// On f = xy the growth factor is exactly √(1+η²) per step.
	tp := xyGame()
	m := &GDA{Step: 0.5}
	r := residualTrace(t, tp.p, m, 50)
	for k := 1; k < len(r); k++ {
		assert.InDelta(t, math.Sqrt(1.25), r[k]/r[k-1], 1e-12)
	}
}

// nanAfter returns NaN from its k-th call on: an operator that breaks.
type nanAfter struct {
	affineOp
	calls, k int
}

func (o *nanAfter) Apply(dst, z []float64) {
	o.calls++
	o.affineOp.Apply(dst, z)
	if o.calls >= o.k {
		dst[0] = math.NaN()
	}
}

func TestSolveNaNOperatorDiverges(t *testing.T) {
	tp := quadraticBilinear(1, 1, 1)
	op := &nanAfter{affineOp: *tp.p.F.(*affineOp), k: 6}
	p := &Problem{F: op, Z0: tp.p.Z0}
	res, err := Solve(context.Background(), p, &GDA{Step: 0.1}, nil)
	require.NoError(t, err)
	assert.Equal(t, Diverged, res.Status)
	assert.True(t, allFinite(res.Z), "the last finite iterate is kept")
	assert.True(t, math.IsInf(res.Residual, 1), "F(Z) is NaN now, so the residual is +Inf, not NaN")
	// Calls 1..5 are F(z0)…F(z4); call 6, in iteration 5, returns NaN at
	// z5, which is rejected: Z is z4.
	assert.Equal(t, 5, res.Iterations)
	z := append([]float64(nil), tp.p.Z0...)
	g := make([]float64, 2)
	for k := 0; k < 4; k++ {
		tp.p.F.Apply(g, z)
		for i := range z {
			z[i] -= 0.1 * g[i]
		}
	}
	assert.InDeltaSlice(t, z, res.Z, 1e-15)
}

func TestSolveLimitsAndStop(t *testing.T) {
	tp := quadraticBilinear(1, 3, 1)
	ctx := context.Background()

	res, err := Solve(ctx, tp.p, &Extragradient{}, &Settings{MaxIterations: 7})
	require.NoError(t, err)
	assert.Equal(t, IterationLimit, res.Status)
	assert.Equal(t, 7, res.Iterations)

	res, err = Solve(ctx, tp.p, &Extragradient{}, &Settings{MaxEvaluations: 10})
	require.NoError(t, err)
	assert.Equal(t, EvaluationLimit, res.Status)
	assert.Equal(t, 11, res.Evaluations, "1 in Init + 2 per iteration, stopped once ≥ 10")

	res, err = Solve(ctx, tp.p, &Extragradient{}, &Settings{MaxTime: time.Nanosecond})
	require.NoError(t, err)
	assert.Equal(t, TimeLimit, res.Status)

	calls := 0
	stop := func(s *Snapshot) bool { calls++; return Distance(s.Z, tp.solution) < 1e-3 }
	res, err = Solve(ctx, tp.p, &Extragradient{}, &Settings{Stop: stop, Tol: -1})
	require.NoError(t, err)
	assert.Equal(t, Converged, res.Status)
	assert.Less(t, Distance(res.Z, tp.solution), 1e-3)
	assert.Equal(t, res.Iterations, calls)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	res, err = Solve(cctx, tp.p, &Extragradient{}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, Canceled, res.Status)
	assert.Zero(t, res.Iterations)
}

func TestSolveBadInput(t *testing.T) {
	tp := quadraticBilinear(1, 3, 1)
	ctx := context.Background()
	tests := []struct {
		name string
		p    *Problem
		m    Method
		s    *Settings
		want string
	}{
		{"nil-problem", nil, &GDA{}, nil, "no operator"},
		{"z0-length", &Problem{F: tp.p.F, Z0: []float64{1}}, &GDA{}, nil, "Z0 has length 1, want 2"},
		{"z0-nan", &Problem{F: tp.p.F, Z0: []float64{1, math.NaN()}}, &GDA{}, nil, "Z0[1] = NaN is not finite"},
		{"box-shape", &Problem{F: tp.p.F, C: Box{Lo: []float64{0}, Hi: []float64{1}}}, &GDA{}, nil, "Box.Lo has length 1, want 2"},
		{"negative-step", tp.p, &Extragradient{Step: -0.1}, nil, "Extragradient.Step = -0.1"},
		{"nan-L", tp.p, &GDA{L: math.NaN()}, nil, "GDA.L = NaN"},
		{"no-step", &Problem{F: funcOp{n: 2, f: func(d, z []float64) {}}}, &GDA{}, nil, "no step size"},
		{"nan-tol", tp.p, &GDA{}, &Settings{Tol: math.NaN()}, "Settings.Tol = NaN"},
		{"blowup", tp.p, &GDA{}, &Settings{Blowup: 0.5}, "Settings.Blowup = 0.5"},
		{"nil-method", tp.p, nil, nil, "nil method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Solve(ctx, tc.p, tc.m, tc.s)
			require.Error(t, err)
			assert.Nil(t, res)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.ErrorIs(t, func() error { _, err := Solve(ctx, &Problem{F: funcOp{n: 2}}, &GDA{}, nil); return err }(), ErrNoStep)
	var nf ErrNotFinite
	_, err := Solve(ctx, &Problem{F: tp.p.F, Z0: []float64{math.Inf(1), 0}}, &GDA{}, nil)
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "Z0", nf.What)
	assert.Equal(t, 0, nf.Index)
}

func TestSolveResultIsRecomputedAndZ0Untouched(t *testing.T) {
	for _, tp := range []testProblem{boxAffine(), rps(), randomBilinear(8, 1)} {
		t.Run(tp.name, func(t *testing.T) {
			z0 := append([]float64(nil), tp.p.Z0...)
			res, err := Solve(context.Background(), tp.p, &Extragradient{}, &Settings{Tol: 1e-9, MaxIterations: 100000})
			require.NoError(t, err)
			require.Equal(t, Converged, res.Status)
			assert.Equal(t, z0, tp.p.Z0, "Z0 modified")
			assert.InDelta(t, NaturalResidual(tp.p.F, tp.p.C, res.Z), res.Residual, 1e-15)
			assert.InDelta(t, NaturalResidual(tp.p.F, tp.p.C, res.Average), res.AverageResidual, 1e-15)
			assert.LessOrEqual(t, res.Residual, 1e-9)
			assert.Less(t, Distance(res.Z, tp.solution), 1e-6)
			assert.Equal(t, 1+2*res.Iterations, res.Evaluations)
			if tp.p.C == nil {
				assert.Zero(t, res.Projections, "no set, nothing to project")
			} else {
				assert.Equal(t, 1+2*res.Iterations, res.Projections, "start + 2 per iteration")
			}
		})
	}
}

// TestGDALastIterateCyclesOnRPS: on rock-paper-scissors over simplices the
// last iterate of projected GDA does not converge, while extragradient's
// and optimistic gradient's do (ALGORITHMS.md Part II B2).
func TestGDALastIterateCyclesOnRPS(t *testing.T) {
	tp := rps()
	s := &Settings{MaxIterations: 20000, Tol: 1e-8}
	gda, err := Solve(context.Background(), tp.p, &GDA{Step: 0.05}, s)
	require.NoError(t, err)
	assert.Equal(t, IterationLimit, gda.Status)
	assert.Greater(t, Distance(gda.Z, tp.solution), 0.1, "GDA's last iterate stays away from equilibrium")
	for _, m := range []Method{&Extragradient{Step: 0.05}, &OptimisticGradient{Step: 0.05}} {
		res, err := Solve(context.Background(), tp.p, m, s)
		require.NoError(t, err)
		assert.Equal(t, Converged, res.Status, "%T", m)
		assert.Less(t, Distance(res.Z, tp.solution), 1e-7, "%T", m)
	}
}

// TestExtragradientLinearOnFullRankBilinear fits log residual against the
// iteration: a straight line with negative slope is linear convergence.
func TestExtragradientLinearOnFullRankBilinear(t *testing.T) {
	tp := randomBilinear(20, 7)
	r := residualTrace(t, tp.p, &Extragradient{}, 3000)
	ks := make([]float64, 0, len(r))
	vs := make([]float64, 0, len(r))
	for k, v := range r {
		if v > 1e-12 && k >= 10 {
			ks, vs = append(ks, float64(k+1)), append(vs, v)
		}
	}
	require.Greater(t, len(ks), 100)
	s := semilogSlope(t, ks, vs)
	assert.Less(t, s, -1e-3, "log residual must fall linearly")
	assert.Less(t, vs[len(vs)-1]/vs[0], 1e-8, "ten orders of magnitude")
}

func TestRecorders(t *testing.T) {
	tp := quadraticBilinear(1, 3, 1)
	tr := &Trace{Measures: []Measure{ResidualMeasure(), NormMeasure(), DistanceMeasure("", tp.solution), TangentMeasure(), AverageResidualMeasure()}}
	res, err := Solve(context.Background(), tp.p, &Extragradient{}, &Settings{Recorder: tr, MaxIterations: 5, Tol: -1})
	require.NoError(t, err)
	require.Equal(t, IterationLimit, res.Status)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, tr.Iterations)
	assert.Equal(t, []int{1, 3, 5, 7, 9, 11}, tr.Evaluations)
	assert.InDelta(t, res.Residual, tr.Column("residual")[5], 1e-15)
	assert.InDelta(t, res.Residual, tr.Column("fnorm")[5], 1e-15, "unconstrained: natural residual = ‖F‖")
	assert.InDelta(t, res.Residual, tr.Column("tangent")[5], 1e-15)
	assert.InDelta(t, Distance(res.Z, tp.solution), tr.Column("distance")[5], 1e-15)
	assert.InDelta(t, res.AverageResidual, tr.Column("average_residual")[5], 1e-15)
	var buf bytes.Buffer
	require.NoError(t, tr.WriteCSV(&buf))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 7)
	assert.Equal(t, "iteration,evaluations,residual,fnorm,distance,tangent,average_residual,seconds", lines[0])
	assert.True(t, strings.HasPrefix(lines[6], "5,11,"))

	var out bytes.Buffer
	_, err = Solve(context.Background(), tp.p, &Extragradient{}, &Settings{Recorder: Printer{W: &out, Every: 2}, MaxIterations: 4, Tol: -1})
	require.NoError(t, err)
	assert.Equal(t, 1+2+1+1, strings.Count(out.String(), "\n"), "header, iterations 2 and 4, final line, status:\n%s", out.String())
	assert.Contains(t, out.String(), "status: iteration-limit")

	boom := errors.New("disk full")
	res, err = Solve(context.Background(), tp.p, &Extragradient{}, &Settings{Recorder: RecorderFunc(func(e Event, s *Snapshot) error {
		if e == Step && s.Stats.Iterations == 3 {
			return boom
		}
		return nil
	})})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, Failure, res.Status)
	assert.Equal(t, 3, res.Iterations)
}

// failing is a method whose Iterate fails on the third call and whose
// Status ends the run when told to.
type failing struct {
	z      []float64
	k      int
	status Status
}

func (m *failing) Init(p *Problem) error { m.z = []float64{1, 1}; m.k = 0; return nil }
func (m *failing) Iterate() error {
	m.k++
	if m.k == 3 {
		return errors.New("inner solver stalled")
	}
	return nil
}
func (m *failing) Current() []float64      { return m.z }
func (m *failing) Status() (Status, error) { return m.status, nil }

func TestSolveMethodFailure(t *testing.T) {
	tp := quadraticBilinear(1, 3, 1)
	res, err := Solve(context.Background(), tp.p, &failing{}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "inner solver stalled")
	assert.Equal(t, Failure, res.Status)
	assert.Equal(t, 3, res.Iterations)
	assert.Equal(t, 3, res.Checks, "the start and iterations 1, 2 were measured by Solve")

	res, err = Solve(context.Background(), tp.p, &failing{status: Converged}, nil)
	require.NoError(t, err)
	assert.Equal(t, Converged, res.Status, "a Statuser may end the run")
	assert.Equal(t, 1, res.Iterations)
}

func TestSolveDeterministic(t *testing.T) {
	tp := rps()
	m := &Extragradient{Step: 0.1}
	a, err := Solve(context.Background(), tp.p, m, &Settings{MaxIterations: 300})
	require.NoError(t, err)
	b, err := Solve(context.Background(), tp.p, m, &Settings{MaxIterations: 300})
	require.NoError(t, err)
	assert.Equal(t, a.Z, b.Z, "reusing a method value must give bit-identical runs")
	assert.Equal(t, a.Average, b.Average)
	assert.Equal(t, a.Stats.Evaluations, b.Stats.Evaluations)
}

func TestIterateAllocatesNothing(t *testing.T) {
	tp := rps()
	for _, m := range []Method{&GDA{Step: 0.1}, &Extragradient{Step: 0.1}} {
		require.NoError(t, m.Init(tp.p))
		a := testing.AllocsPerRun(100, func() { _ = m.Iterate() })
		assert.Zero(t, a, "%T", m)
	}
}

func TestIterateBeforeInit(t *testing.T) {
	for _, m := range []Method{&GDA{}, &Extragradient{}} {
		assert.ErrorIs(t, m.Iterate(), errNotInit, "%T", m)
	}
}

func TestStatusStrings(t *testing.T) {
	for s := NotTerminated; s <= Failure; s++ {
		got, err := ParseStatus(s.String())
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	assert.Equal(t, "converged", Converged.String())
	assert.NoError(t, Converged.Err())
	assert.EqualError(t, Diverged.Err(), "vi: run ended with status diverged")
	_, err := ParseStatus("done")
	assert.Error(t, err)
}

func TestFailedInitStopsIterate(t *testing.T) {
	tp := quadraticBilinear(1, 3, 1)
	for _, m := range []interface {
		Method
		setStep(float64)
	}{&stepGDA{}, &stepEG{}} {
		require.NoError(t, m.Init(tp.p))
		require.NoError(t, m.Iterate())
		m.setStep(-1)
		require.Error(t, m.Init(tp.p))
		assert.ErrorIs(t, m.Iterate(), errNotInit, "%T continued an old run after a failed Init", m)
	}
}

type stepGDA struct{ GDA }

func (m *stepGDA) setStep(s float64) { m.Step = s }

type stepEG struct{ Extragradient }

func (m *stepEG) setStep(s float64) { m.Step = s }

// TestSolveLoopAllocatesNothing: with a Stop rule and a Recorder that keep
// nothing, the work per iteration allocates nothing; only the setup and
// the Result do.
func TestSolveLoopAllocatesNothing(t *testing.T) {
	tp := rps()
	run := func(iters int) float64 {
		s := &Settings{MaxIterations: iters, Tol: -1,
			Stop:     func(s *Snapshot) bool { return s.Residual < 0 },
			Recorder: RecorderFunc(func(Event, *Snapshot) error { return nil })}
		m := &Extragradient{Step: 0.1}
		return testing.AllocsPerRun(5, func() { _, _ = Solve(context.Background(), tp.p, m, s) })
	}
	assert.Equal(t, run(10), run(1000), "allocations grow with the iterations")
}
