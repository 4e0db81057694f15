package constrained

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/saddlepoint/saddle/rl"
	"github.com/saddlepoint/saddle/vi"
)

// Default limits that a zero Settings means.
const (
	DefaultTol           = 1e-8
	DefaultMaxIterations = 10000
)

// Settings controls when Solve stops and what it records. A nil *Settings
// is the zero value, which terminates: tolerance 1e-8 on the Lagrangian
// gap of the last iterate and at most 10,000 iterations. A negative value
// disables a limit.
type Settings struct {
	// Tol ends the run as Converged when the Lagrangian gap
	// (Measures.LagrangianGap) of the last iterate is at most Tol at a
	// check. The gap is in units of the reward's discounted sum. 0 means
	// 1e-8; a negative value disables the test.
	Tol float64
	// MaxIterations bounds the iterations. 0 means 10,000; a negative
	// value means no limit.
	MaxIterations int
	// MaxTime bounds the wall-clock time; 0 or negative means no limit.
	MaxTime time.Duration
	// CheckEvery is the period, in iterations, of the checks: the last
	// iterate is measured (one policy evaluation and a best response by
	// policy iteration, outside the method's count), tested against Tol
	// and recorded. 0 means every iteration. The start and the end are
	// always measured.
	CheckEvery int
	// Average asks that the average iterate be measured at every check
	// too (Snapshot.Average), for traces; it doubles the cost of a check.
	// The Result always holds the measures of the final average.
	Average bool
	// Recorder, when not nil, sees the start, every check and the end.
	Recorder Recorder
}

// limits returns s with the defaults filled in.
func (s *Settings) limits() (Settings, error) {
	var l Settings
	if s != nil {
		l = *s
	}
	if math.IsNaN(l.Tol) || math.IsInf(l.Tol, 0) {
		return l, fmt.Errorf("constrained: Settings.Tol = %v, want a finite number (0: default, < 0: disabled)", l.Tol)
	}
	if l.CheckEvery < 0 {
		return l, fmt.Errorf("constrained: Settings.CheckEvery = %d, want ≥ 0", l.CheckEvery)
	}
	if l.Tol == 0 {
		l.Tol = DefaultTol
	}
	if l.MaxIterations == 0 {
		l.MaxIterations = DefaultMaxIterations
	}
	if l.CheckEvery == 0 {
		l.CheckEvery = 1
	}
	if l.Tol < 0 && l.MaxIterations < 0 && l.MaxTime <= 0 {
		return l, errors.New("constrained: Settings: no tolerance, iteration limit or time limit, so the run would not stop")
	}
	return l, nil
}

// Stats counts the work of a run.
type Stats struct {
	// Iterations is the number of completed iterations.
	Iterations int
	// Evaluations is the number of policy evaluations the method made,
	// Init included (as reported by a Counter; 0 for other methods). GDA
	// and Optimistic make 1 + Iterations.
	Evaluations int
	// Checks is the number of policy evaluations Solve made to measure
	// iterates (including the steps of policy iteration for the dual
	// function); they are not in Evaluations.
	Checks int
	// Runtime is the wall-clock time of the run.
	Runtime time.Duration
}

// A Snapshot is a read-only view of a run. Its pointers and slices are
// valid only during the call that receives it; a Recorder copies what it
// keeps.
type Snapshot struct {
	// Problem is the problem being solved, as the caller gave it.
	Problem *Problem
	// Policy and Multipliers are the last iterate (π_k, λ_k).
	Policy      *rl.Policy
	Multipliers []float64
	// Last are the measures of the last iterate.
	Last *Measures
	// AveragePolicy and AverageMultipliers are the method's average, and
	// Average its measures; nil unless Settings.Average is set and the
	// method is an Averager (at the Done event: whenever the method is an
	// Averager).
	AveragePolicy      *rl.Policy
	AverageMultipliers []float64
	Average            *Measures
	// Status is NotTerminated until the Done event.
	Status vi.Status
	// Stats counts the work so far.
	Stats Stats
}

// A Recorder sees a run as it goes: a vi.Start event after Init, a vi.Step
// event at every check, and a vi.Done event at the end (not sent when the
// run ends with an error). An error it returns ends the run; Solve returns
// that error.
type Recorder interface {
	Record(e vi.Event, s *Snapshot) error
}

// RecorderFunc adapts a function to a Recorder.
type RecorderFunc func(e vi.Event, s *Snapshot) error

// Record calls f(e, s).
func (f RecorderFunc) Record(e vi.Event, s *Snapshot) error { return f(e, s) }

// Result is the outcome of Solve. Its measures are computed by Solve with
// its own Measurer, never taken from the method.
type Result struct {
	// Status says how the run ended.
	Status vi.Status
	Stats
	// Policy and Multipliers are the last iterate (copies the caller
	// owns), the last finite one if the run diverged.
	Policy      *rl.Policy
	Multipliers []float64
	// Last are the measures of the last iterate.
	Last Measures
	// AveragePolicy and AverageMultipliers are the method's average
	// (copies): for GDA and Optimistic, the policy of the mean occupancy
	// measure and the mean multipliers. Nil when the method is not an
	// Averager.
	AveragePolicy      *rl.Policy
	AverageMultipliers []float64
	// Average are the measures of the average; nil without an average.
	Average *Measures
	// Optimum is the exact optimum of the CMDP (CMDP.Optimum), shared.
	Optimum *rl.Optimum
}

// Solve runs the method m on p until a stopping rule of s holds and
// returns the last iterate and the average, each with its measures
// computed exactly. A nil s means the zero Settings.
//
// Before anything else Solve computes the exact optimum (CMDP.Optimum);
// an infeasible CMDP is an error wrapping rl.ErrInfeasible, and so are an
// invalid problem, method parameter or setting (the Result is nil). At
// every check (Settings.CheckEvery) it measures the last iterate and ends
// the run as Converged when its Lagrangian gap is at most Tol, as Diverged
// when a measure is not finite; between checks it stops on cancellation
// (Canceled; the error wraps ctx.Err()), the iteration limit
// (IterationLimit) and the time limit (TimeLimit). An error from Iterate
// ends the run as Failure and is returned with the Result, and so is a
// Recorder's error. Reaching a limit is a Status with a nil error.
func Solve(ctx context.Context, p *Problem, m Method, s *Settings) (*Result, error) {
	lim, err := s.limits()
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("constrained: Solve: nil method")
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	meas, err := NewMeasurer(p.CMDP)
	if err != nil {
		return nil, err
	}
	if err := m.Init(p); err != nil {
		return nil, err
	}
	r := &solveRun{p: p, m: m, lim: lim, meas: meas, t0: t0}
	r.avg, _ = m.(Averager)
	r.snap = Snapshot{Problem: p, Last: &r.last}
	status, err := r.loop(ctx)
	return r.finish(status, err)
}

// solveRun is the state of one Solve.
type solveRun struct {
	p       *Problem
	m       Method
	avg     Averager
	lim     Settings
	meas    *Measurer
	t0      time.Time
	iter    int
	last    Measures
	average Measures
	snap    Snapshot
	// backup of the last finite iterate, for Diverged
	keepPi     *rl.Policy
	keepLambda []float64
	measuredAt int
}

// stats returns the work so far.
func (r *solveRun) stats() Stats {
	st := Stats{Iterations: r.iter, Checks: r.meas.Evaluations(), Runtime: time.Since(r.t0)}
	if c, ok := r.m.(Counter); ok {
		st.Evaluations = c.Evaluations()
	}
	return st
}

// check measures the last iterate (and the average when asked) and says
// whether the run ends there.
func (r *solveRun) check(e vi.Event) (vi.Status, error) {
	if err := r.meas.Measure(&r.last, r.m.Policy(), r.m.Multipliers()); err != nil {
		return vi.Failure, err
	}
	r.measuredAt = r.iter
	if !finiteMeasures(&r.last) {
		return vi.Diverged, nil
	}
	if r.keepPi == nil {
		r.keepPi = r.m.Policy().Clone()
	} else if err := r.keepPi.Copy(r.m.Policy()); err != nil {
		return vi.Failure, err
	}
	r.keepLambda = append(r.keepLambda[:0], r.m.Multipliers()...)
	r.snap.Policy, r.snap.Multipliers = r.m.Policy(), r.m.Multipliers()
	r.snap.AveragePolicy, r.snap.AverageMultipliers, r.snap.Average = nil, nil, nil
	if r.lim.Average && r.avg != nil {
		pi, lambda := r.avg.Average()
		if err := r.meas.Measure(&r.average, pi, lambda); err != nil {
			return vi.Failure, err
		}
		r.snap.AveragePolicy, r.snap.AverageMultipliers, r.snap.Average = pi, lambda, &r.average
	}
	if r.lim.Recorder != nil {
		r.snap.Stats = r.stats()
		if err := r.lim.Recorder.Record(e, &r.snap); err != nil {
			return vi.Failure, err
		}
	}
	if r.lim.Tol >= 0 && r.last.LagrangianGap <= r.lim.Tol {
		return vi.Converged, nil
	}
	return vi.NotTerminated, nil
}

// loop iterates until a stopping rule holds.
func (r *solveRun) loop(ctx context.Context) (vi.Status, error) {
	if st, err := r.check(vi.Start); st != vi.NotTerminated || err != nil {
		return st, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return vi.Canceled, fmt.Errorf("constrained: Solve: %w", err)
		}
		if r.lim.MaxIterations >= 0 && r.iter >= r.lim.MaxIterations {
			return vi.IterationLimit, nil
		}
		if r.lim.MaxTime > 0 && time.Since(r.t0) >= r.lim.MaxTime {
			return vi.TimeLimit, nil
		}
		if err := r.m.Iterate(); err != nil {
			return vi.Failure, err
		}
		r.iter++
		if r.iter%r.lim.CheckEvery == 0 {
			if st, err := r.check(vi.Step); st != vi.NotTerminated || err != nil {
				return st, err
			}
		}
	}
}

// finish builds the Result: the last (finite) iterate with its measures,
// the average with its measures, and the Done event.
func (r *solveRun) finish(status vi.Status, runErr error) (*Result, error) {
	res := &Result{Status: status, Optimum: r.meas.opt}
	pi, lambda := r.m.Policy(), r.m.Multipliers()
	if status == vi.Diverged && r.keepPi != nil {
		pi, lambda = r.keepPi, r.keepLambda
	}
	res.Policy = pi.Clone()
	res.Multipliers = append([]float64(nil), lambda...)
	var err error
	if r.measuredAt != r.iter || status == vi.Diverged || status == vi.Failure {
		err = r.meas.Measure(&r.last, res.Policy, res.Multipliers)
	}
	res.Last = r.last
	res.Last.Costs = append([]float64(nil), r.last.Costs...)
	if r.avg != nil && err == nil {
		api, alambda := r.avg.Average()
		res.AveragePolicy = api.Clone()
		res.AverageMultipliers = append([]float64(nil), alambda...)
		var avg Measures
		if err = r.meas.Measure(&avg, res.AveragePolicy, res.AverageMultipliers); err == nil {
			res.Average = &avg
		}
	}
	res.Stats = r.stats()
	if r.lim.Recorder != nil && err == nil && runErr == nil {
		r.snap.Policy, r.snap.Multipliers, r.snap.Last = res.Policy, res.Multipliers, &res.Last
		r.snap.AveragePolicy, r.snap.AverageMultipliers, r.snap.Average = res.AveragePolicy, res.AverageMultipliers, res.Average
		r.snap.Status, r.snap.Stats = status, res.Stats
		err = r.lim.Recorder.Record(vi.Done, &r.snap)
	}
	if runErr != nil {
		return res, runErr
	}
	return res, err
}

// finiteMeasures reports whether every measure is finite.
func finiteMeasures(m *Measures) bool {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !ok(m.Reward) || !ok(m.Violation) || !ok(m.LagrangianGap) || !ok(m.Dual) || !ok(m.MultiplierDistance) {
		return false
	}
	for _, v := range m.Costs {
		if !ok(v) {
			return false
		}
	}
	return true
}
