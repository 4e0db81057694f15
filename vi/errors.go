package vi

import (
	"errors"
	"fmt"
)

// ErrNoOperator is returned when a Problem has no operator.
var ErrNoOperator = errors.New("vi: problem has no operator")

// ErrNoStep is returned by Init when a method needs a step size and has
// neither Step, nor L, nor an operator that reports its Lipschitz constant.
var ErrNoStep = errors.New("vi: no step size: set Step or L, or use an operator that reports its Lipschitz constant")

// ErrNotFinite reports a NaN or infinite number in an input.
type ErrNotFinite struct {
	What  string // the input, e.g. "Z0" or "Box.Lo"
	Index int    // its position
	Value float64
}

// Error implements error.
func (e ErrNotFinite) Error() string {
	return fmt.Sprintf("vi: %s[%d] = %v is not finite", e.What, e.Index, e.Value)
}

// ErrShape reports a slice whose length does not match the problem.
type ErrShape struct {
	What      string // the input, e.g. "Z0"
	Got, Want int
}

// Error implements error.
func (e ErrShape) Error() string {
	return fmt.Sprintf("vi: %s has length %d, want %d", e.What, e.Got, e.Want)
}

// ErrParameter reports a method or settings parameter outside its range.
type ErrParameter struct {
	Method string // e.g. "Extragradient" or "Settings"
	Field  string // e.g. "Step"
	Value  float64
	Want   string // the allowed range, e.g. "> 0"
}

// Error implements error.
func (e ErrParameter) Error() string {
	return fmt.Sprintf("vi: %s.%s = %v, want %s", e.Method, e.Field, e.Value, e.Want)
}

// checkFinite returns ErrNotFinite for the first non-finite entry of x.
func checkFinite(what string, x []float64) error {
	for i, v := range x {
		if !finite(v) {
			return ErrNotFinite{What: what, Index: i, Value: v}
		}
	}
	return nil
}

// errNotInit is returned by Iterate before a successful Init.
var errNotInit = errors.New("vi: Iterate called before a successful Init")
