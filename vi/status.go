package vi

import "fmt"

// Status says how a run ended. The zero value is NotTerminated, so a zero
// Result is never reported as converged.
type Status int

const (
	// NotTerminated: the run has not ended.
	NotTerminated Status = iota
	// Converged: the natural residual reached the tolerance, or Settings.Stop
	// returned true, or the method reported convergence itself.
	Converged
	// IterationLimit: Settings.MaxIterations iterations were done.
	IterationLimit
	// EvaluationLimit: Settings.MaxEvaluations operator evaluations were used.
	EvaluationLimit
	// TimeLimit: Settings.MaxTime elapsed.
	TimeLimit
	// Diverged: a non-finite value appeared, or the residual grew past
	// Settings.Blowup times its starting value. The Result keeps the last
	// finite iterate.
	Diverged
	// Canceled: the context was canceled.
	Canceled
	// Failure: the method could not go on (its Iterate returned an error or
	// it reported failure).
	Failure
)

var statusNames = [...]string{
	NotTerminated:   "not-terminated",
	Converged:       "converged",
	IterationLimit:  "iteration-limit",
	EvaluationLimit: "evaluation-limit",
	TimeLimit:       "time-limit",
	Diverged:        "diverged",
	Canceled:        "canceled",
	Failure:         "failure",
}

// String returns the status as the command line and JSON output spell it,
// such as "converged" or "iteration-limit".
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Converged reports whether s is Converged.
func (s Status) Converged() bool { return s == Converged }

// Err returns nil for Converged and NotTerminated, and otherwise an error
// that says how the run ended.
func (s Status) Err() error {
	if s == Converged || s == NotTerminated {
		return nil
	}
	return StatusError(s)
}

// A StatusError is a Status seen as an error: the run ended without
// converging.
type StatusError Status

// Error implements error.
func (e StatusError) Error() string { return "vi: run ended with status " + Status(e).String() }

// ParseStatus returns the Status whose String is s.
func ParseStatus(s string) (Status, error) {
	for i, name := range statusNames {
		if name == s {
			return Status(i), nil
		}
	}
	return NotTerminated, fmt.Errorf("vi: unknown status %q", s)
}
