package vi

import "time"

// Stats counts the work of a run.
type Stats struct {
	// Iterations is the number of completed iterations.
	Iterations int
	// Evaluations is the number of operator evaluations the method made,
	// Init included: the cost its theory counts.
	Evaluations int
	// Projections is the number of projections (and mirror steps) the
	// method made, Init included.
	Projections int
	// Checks is the number of evaluations Solve made itself to measure
	// iterates, for methods that do not know F at their iterate; they are
	// not in Evaluations.
	Checks int
	// Runtime is the wall-clock time of the run.
	Runtime time.Duration
}

// Result is the outcome of Solve. Its measures are recomputed by Solve at
// the returned points, never taken from the method.
type Result struct {
	// Z is the last iterate (the last finite one if the run diverged); a
	// copy the caller owns.
	Z []float64
	// Average is the ergodic average: the method's own when it is an
	// Averager, else the uniform mean of the iterates after the start.
	Average []float64
	// Residual is the natural residual ‖Z − Π_C(Z − F(Z))‖, recomputed at
	// Z; +Inf when F(Z) is not finite.
	Residual float64
	// AverageResidual is the natural residual at Average.
	AverageResidual float64
	// Status says how the run ended.
	Status Status
	Stats
}
