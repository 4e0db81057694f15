package vi

import (
	"context"
	"fmt"
	"time"
)

// Solve runs m on p until a stopping rule of s holds, and returns the last
// iterate and the ergodic average with their natural residuals recomputed
// here. A nil s means the zero Settings.
//
// Solve installs counting wrappers around p.F and p.C before calling
// m.Init, so Stats counts every evaluation and projection the method makes.
// After every iteration it checks, in order: a non-finite iterate or
// operator value, or a residual blow-up (Diverged: the previous, finite
// iterate is kept); the tolerance and s.Stop (Converged); a Statuser's own
// status; then cancellation, the iteration, evaluation and time limits.
//
// The error is non-nil only when the run could not be carried out or was
// stopped from outside: an invalid problem, parameter or setting (the
// Result is nil), an error from Iterate (Status Failure), a Recorder
// error, or a canceled ctx (Status Canceled; the error wraps ctx.Err()).
// Reaching a limit is a Status with a nil error.
func Solve(ctx context.Context, p *Problem, m Method, s *Settings) (*Result, error) {
	lim, err := s.limits()
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("vi: Solve: nil method")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	n := p.F.Dim()
	f := &counter{op: p.F}
	var c Set
	var cs *countingSet
	switch {
	case p.C == nil:
	case IsMirror(p.C):
		cm := &countingMirrorSet{countingSet{set: p.C}}
		c, cs = cm, &cm.countingSet
	default:
		cs = &countingSet{set: p.C}
		c = cs
	}
	var z0 []float64
	if p.Z0 != nil {
		z0 = append([]float64(nil), p.Z0...)
	}
	if err := m.Init(&Problem{F: f, C: c, Z0: z0}); err != nil {
		return nil, err
	}

	buf := make([]float64, 7*n)
	r := &run{p: p, m: m, lim: lim, f: f, cs: cs, t0: t0,
		last: buf[0*n : 1*n], fz: buf[1*n : 2*n],
		zc: buf[2*n : 3*n], fc: buf[3*n : 4*n],
		scratch: buf[4*n : 5*n], sum: buf[5*n : 6*n], avg: buf[6*n : 7*n],
	}
	r.averager, _ = m.(Averager)
	r.valuer, _ = m.(CurrentValuer)
	r.statuser, _ = m.(Statuser)
	return r.loop(ctx)
}

// run is the state of one Solve call.
type run struct {
	p        *Problem
	m        Method
	lim      limits
	f        *counter
	cs       *countingSet
	t0       time.Time
	averager Averager
	valuer   CurrentValuer
	statuser Statuser

	last, fz  []float64 // last accepted (finite) iterate and F there
	zc, fc    []float64 // candidate iterate and F there
	scratch   []float64
	residual  float64 // at last
	r0        float64 // at the start
	sum, avg  []float64
	nAvg      int // iterates summed in sum
	stats     Stats
	status    Status
	iterSince int      // iterations since the last record
	snap      Snapshot // reused for every Stop and Record call
}

// measure copies z into zc, puts F(z) in fc (from the method when it knows
// it, else by an evaluation counted in Stats.Checks) and returns the
// natural residual, +Inf when F(z) is not finite.
func (r *run) measure(z []float64) float64 {
	copy(r.zc, z)
	known := false
	if r.valuer != nil {
		if v, ok := r.valuer.CurrentValue(); ok {
			copy(r.fc, v)
			known = true
		}
	}
	if !known {
		r.stats.Checks++
		r.p.F.Apply(r.fc, r.zc)
	}
	return naturalResidual(r.p.C, r.zc, r.fc, r.scratch)
}

// accept makes the candidate the last iterate.
func (r *run) accept(res float64) {
	r.last, r.zc = r.zc, r.last
	r.fz, r.fc = r.fc, r.fz
	r.residual = res
}

func (r *run) updateStats() {
	r.stats.Evaluations = r.f.n
	if r.cs != nil {
		r.stats.Projections = r.cs.n
	}
	r.stats.Runtime = since(r.t0)
}

// average returns the method's average, or the mean of the accepted
// iterates after the start (the start itself before any).
func (r *run) average() []float64 {
	if r.averager != nil {
		if a := r.averager.Average(); len(a) == len(r.last) && allFinite(a) {
			return a
		}
	}
	if r.nAvg == 0 {
		return r.last
	}
	s := 1 / float64(r.nAvg)
	for i, v := range r.sum {
		r.avg[i] = s * v
	}
	return r.avg
}

// snapshot fills the run's one Snapshot, so that Stop and Recorder calls
// allocate nothing; it is valid until the next call.
func (r *run) snapshot() *Snapshot {
	r.snap = Snapshot{Problem: r.p, Z: r.last, FZ: r.fz, Average: r.average(),
		Residual: r.residual, Status: r.status, Stats: r.stats}
	return &r.snap
}

func (r *run) record(e Event) error {
	if r.lim.recorder == nil {
		return nil
	}
	return r.lim.recorder.Record(e, r.snapshot())
}

func (r *run) loop(ctx context.Context) (*Result, error) {
	z := r.m.Current()
	if len(z) != len(r.last) {
		return nil, fmt.Errorf("vi: Solve: %T.Current() has length %d, want %d", r.m, len(z), len(r.last))
	}
	res := r.measure(z)
	r.accept(res)
	r.r0 = res
	r.updateStats()
	if !allFinite(r.last) || !finite(res) {
		r.status = Diverged
		return r.finish(nil)
	}
	if err := r.record(Start); err != nil {
		r.status = Failure
		return r.finish(err)
	}
	if r.lim.tol >= 0 && r.residual <= r.lim.tol {
		r.status = Converged
		return r.finish(nil)
	}
	for {
		if err := ctx.Err(); err != nil {
			r.status = Canceled
			return r.finish(fmt.Errorf("vi: Solve: %w", err))
		}
		switch {
		case r.lim.maxIter >= 0 && r.stats.Iterations >= r.lim.maxIter:
			r.status = IterationLimit
		case r.lim.maxEval > 0 && r.f.n >= r.lim.maxEval:
			r.status = EvaluationLimit
		case r.lim.maxTime > 0 && since(r.t0) >= r.lim.maxTime:
			r.status = TimeLimit
		}
		if r.status != NotTerminated {
			return r.finish(nil)
		}

		err := r.m.Iterate()
		r.stats.Iterations++
		r.updateStats()
		if err != nil {
			r.status = Failure
			return r.finish(fmt.Errorf("vi: %T: %w", r.m, err))
		}
		z := r.m.Current()
		if !allFinite(z) {
			r.status = Diverged
			return r.finish(nil)
		}
		res := r.measure(z)
		r.stats.Runtime = since(r.t0)
		if !finite(res) {
			r.status = Diverged
			return r.finish(nil)
		}
		r.accept(res)
		for i, v := range r.last {
			r.sum[i] += v
		}
		r.nAvg++
		if r.lim.blowup > 0 && res > r.lim.blowup*max(1, r.r0) {
			r.status = Diverged
			return r.finish(nil)
		}
		if (r.lim.tol >= 0 && res <= r.lim.tol) || (r.lim.stop != nil && r.lim.stop(r.snapshot())) {
			r.status = Converged
			return r.finish(nil)
		}
		if r.statuser != nil {
			st, err := r.statuser.Status()
			if st != NotTerminated || err != nil {
				r.status = st
				if st == NotTerminated || st == Converged && err != nil {
					r.status = Failure
				}
				return r.finish(err)
			}
		}
		r.iterSince++
		if r.iterSince >= r.lim.every {
			r.iterSince = 0
			if err := r.record(Step); err != nil {
				r.status = Failure
				return r.finish(err)
			}
		}
	}
}

// finish records the end and builds the Result, recomputing both residuals
// with the caller's operator and set. It returns err unchanged.
func (r *run) finish(err error) (*Result, error) {
	r.updateStats()
	if rerr := r.record(Done); rerr != nil && err == nil {
		err = rerr
		if r.status == Converged {
			r.status = Failure
		}
	}
	res := &Result{
		Z:       append([]float64(nil), r.last...),
		Average: append([]float64(nil), r.average()...),
		Status:  r.status,
		Stats:   r.stats,
	}
	res.Residual = r.recompute(res.Z)
	res.AverageResidual = r.recompute(res.Average)
	res.Runtime = since(r.t0)
	return res, err
}

// recompute returns the natural residual at z from a fresh evaluation.
func (r *run) recompute(z []float64) float64 {
	r.p.F.Apply(r.fc, z)
	return naturalResidual(r.p.C, z, r.fc, r.scratch)
}
