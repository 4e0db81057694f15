package vi

import "gonum.org/v1/gonum/mat"

// An Operator is a map F: Rⁿ → Rⁿ.
type Operator interface {
	// Dim returns n.
	Dim() int
	// Apply sets dst = F(z). Both have length Dim(). Apply must not modify
	// z, must not keep dst or z after it returns, and must not allocate.
	Apply(dst, z []float64)
}

// A Lipschitzer is an Operator that knows a Lipschitz constant L of itself:
// ‖F(x) − F(y)‖ ≤ L‖x − y‖ for all x, y. Methods whose Step and L are both
// zero take their step from it.
type Lipschitzer interface {
	Lipschitz() float64
}

// A LocalLipschitzer is an Operator that can bound its Lipschitz constant
// near a point: LocalLipschitz(z) ≥ ‖JF(z)‖₂ for a differentiable F.
// Methods that adapt their step to the local curvature (ConstrainedEGPlus)
// use it when they are given no curvature function. It must not allocate.
type LocalLipschitzer interface {
	LocalLipschitz(z []float64) float64
}

// localLipschitzOf returns the operator's local Lipschitz bound, looking
// through wrappers.
func localLipschitzOf(f Operator) (func(z []float64) float64, bool) {
	for f != nil {
		if l, ok := f.(LocalLipschitzer); ok {
			return l.LocalLipschitz, true
		}
		u, ok := f.(Unwrapper[Operator])
		if !ok {
			return nil, false
		}
		f = u.Unwrap()
	}
	return nil, false
}

// An AffineOperator is an Operator F(z) = Mz + q that exposes its parts, so
// that a method can solve with M exactly (the proximal point method factors
// I + ηM once). The returned values must not be modified.
type AffineOperator interface {
	Operator
	Affine() (M mat.Matrix, q []float64)
}

// An Unwrapper is an Operator or Set that wraps another; Unwrap returns the
// wrapped value. Solve hands methods counting wrappers, and methods look
// through them for optional capabilities with Unwrap.
type Unwrapper[T any] interface {
	Unwrap() T
}

// lipschitzOf returns the Lipschitz constant an operator reports about
// itself, looking through wrappers.
func lipschitzOf(f Operator) (float64, bool) {
	for f != nil {
		if l, ok := f.(Lipschitzer); ok {
			return l.Lipschitz(), true
		}
		u, ok := f.(Unwrapper[Operator])
		if !ok {
			return 0, false
		}
		f = u.Unwrap()
	}
	return 0, false
}

// affineOf returns the affine parts of f, looking through wrappers.
func affineOf(f Operator) (AffineOperator, bool) {
	for f != nil {
		if a, ok := f.(AffineOperator); ok {
			return a, true
		}
		u, ok := f.(Unwrapper[Operator])
		if !ok {
			return nil, false
		}
		f = u.Unwrap()
	}
	return nil, false
}

// counter is the wrapper Solve installs around a Problem's operator; it
// counts evaluations so that no method can bypass the count.
type counter struct {
	op Operator
	n  int
}

// Dim returns the counted operator's dimension.
func (c *counter) Dim() int { return c.op.Dim() }

// Apply counts and evaluates.
func (c *counter) Apply(dst, z []float64) {
	c.n++
	c.op.Apply(dst, z)
}

// Unwrap returns the counted operator.
func (c *counter) Unwrap() Operator { return c.op }
