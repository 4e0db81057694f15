package vi

import (
	"math"
	"time"
)

// Default limits that a zero Settings means.
const (
	DefaultTol           = 1e-8
	DefaultMaxIterations = 10000
	DefaultBlowup        = 1e10
)

// Settings controls when Solve stops and what it records. A nil *Settings
// is the zero value, which terminates: tolerance 1e-8 on the natural
// residual and at most 10,000 iterations. A negative value disables a limit.
type Settings struct {
	// Tol stops the run when the natural residual of the last iterate is at
	// most Tol. 0 means 1e-8; a negative value disables the test.
	Tol float64
	// MaxIterations bounds the number of iterations. 0 means 10,000; a
	// negative value means no limit.
	MaxIterations int
	// MaxEvaluations bounds the operator evaluations the method makes.
	// 0 or a negative value means no limit.
	MaxEvaluations int
	// MaxTime bounds the wall-clock time. 0 or a negative value means no
	// limit.
	MaxTime time.Duration
	// Blowup declares divergence when the natural residual exceeds Blowup
	// times max(1, starting residual). 0 means 1e10; a negative value
	// disables the test (non-finite values always end the run).
	Blowup float64
	// Stop, when not nil, is an extra rule checked after every iteration
	// (a duality gap below ε, say); returning true ends the run as
	// Converged. The snapshot is valid only during the call.
	Stop func(s *Snapshot) bool
	// Recorder, when not nil, sees the start, every RecordEvery-th
	// iteration and the end of the run.
	Recorder Recorder
	// RecordEvery is the recording period; 0 means every iteration.
	RecordEvery int
}

// limits is Settings with the defaults filled in.
type limits struct {
	tol      float64 // < 0: none
	maxIter  int     // < 0: none
	maxEval  int     // ≤ 0: none
	maxTime  time.Duration
	blowup   float64 // < 0: none
	every    int
	stop     func(*Snapshot) bool
	recorder Recorder
}

func (s *Settings) limits() (limits, error) {
	if s == nil {
		s = &Settings{}
	}
	l := limits{
		tol:      s.Tol,
		maxIter:  s.MaxIterations,
		maxEval:  s.MaxEvaluations,
		maxTime:  s.MaxTime,
		blowup:   s.Blowup,
		every:    s.RecordEvery,
		stop:     s.Stop,
		recorder: s.Recorder,
	}
	if math.IsNaN(l.tol) || math.IsInf(l.tol, 0) {
		return l, ErrParameter{Method: "Settings", Field: "Tol", Value: l.tol, Want: "finite (0: default, < 0: disabled)"}
	}
	if math.IsNaN(l.blowup) || math.IsInf(l.blowup, 0) || (l.blowup > 0 && l.blowup <= 1) {
		return l, ErrParameter{Method: "Settings", Field: "Blowup", Value: l.blowup, Want: "> 1 (0: default, < 0: disabled)"}
	}
	if l.every < 0 {
		return l, ErrParameter{Method: "Settings", Field: "RecordEvery", Value: float64(l.every), Want: "≥ 0"}
	}
	if l.tol == 0 {
		l.tol = DefaultTol
	}
	if l.maxIter == 0 {
		l.maxIter = DefaultMaxIterations
	}
	if l.blowup == 0 {
		l.blowup = DefaultBlowup
	}
	if l.every == 0 {
		l.every = 1
	}
	return l, nil
}
