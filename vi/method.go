package vi

import "math"

// A Method is one algorithm together with its state between iterations.
// Exported fields configure it; zero values mean documented defaults.
// A Method value may be reused for any number of runs, one at a time.
type Method interface {
	// Init prepares a run on p: it validates parameters, resets all state
	// and (re)sizes buffers, reusing earlier ones when large enough. Under
	// Solve, the Operator and Set it is given are counting wrappers.
	Init(p *Problem) error
	// Iterate performs one iteration. It must not allocate.
	Iterate() error
	// Current returns the last iterate; owned by the method, valid until
	// the next Iterate.
	Current() []float64
}

// An Averager is a Method that keeps its own ergodic average, the one its
// theory speaks of (for extragradient, the mean of the extrapolated
// points). Solve keeps a uniform mean of the iterates for methods that do
// not.
type Averager interface {
	// Average returns the ergodic average; borrowed like Current.
	Average() []float64
}

// A CurrentValuer is a Method that already knows F(Current()), so that
// Solve can measure the iterate without an extra evaluation.
type CurrentValuer interface {
	// CurrentValue returns F(Current()) and true, or false when the method
	// does not have it at this iteration. Borrowed like Current.
	CurrentValue() ([]float64, bool)
}

// A Statuser is a Method that can end a run itself (an inner solver that
// failed, a method that detects its own convergence).
type Statuser interface {
	// Status returns NotTerminated to continue; anything else ends the run
	// with that status, and a non-nil error is returned by Solve.
	Status() (Status, error)
}

// start prepares what every method needs from p: it validates p, projects
// the start onto C into z (resized to n) and returns the operator's
// dimension.
func start(p *Problem, z []float64) ([]float64, error) {
	if err := p.Validate(); err != nil {
		return z, err
	}
	n := p.F.Dim()
	z = resize(z, n)
	if p.Z0 == nil {
		clear(z)
	} else {
		copy(z, p.Z0)
	}
	project(p.C, z, z)
	return z, nil
}

// resize returns buf with length n, reusing its memory when large enough.
func resize(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}

// stepFrom returns the step a method runs with: step when positive, else
// factor/L for the given L, else factor/L for the operator's own Lipschitz
// constant. It rejects negative and non-finite values.
func stepFrom(method string, step, l, factor float64, f Operator) (float64, error) {
	if err := checkNonNegative(method, "Step", step); err != nil {
		return 0, err
	}
	if err := checkNonNegative(method, "L", l); err != nil {
		return 0, err
	}
	switch {
	case step > 0:
		return step, nil
	case l > 0:
		return factor / l, nil
	}
	if l, ok := lipschitzOf(f); ok && l > 0 && !math.IsInf(l, 0) {
		return factor / l, nil
	}
	return 0, ErrNoStep
}

// lipschitzFrom returns l when positive, else the operator's own constant,
// else 0.
func lipschitzFrom(l float64, f Operator) float64 {
	if l > 0 {
		return l
	}
	if l, ok := lipschitzOf(f); ok {
		return l
	}
	return 0
}

// checkNonNegative rejects NaN, infinite and negative parameters.
func checkNonNegative(method, field string, v float64) error {
	if !(v >= 0) || math.IsInf(v, 1) {
		return ErrParameter{Method: method, Field: field, Value: v, Want: "finite and ≥ 0"}
	}
	return nil
}
