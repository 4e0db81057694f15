package monotone

import (
	"math"

	"gonum.org/v1/gonum/floats"

	"github.com/saddlepoint/saddle/vi"
)

// Scale is the operator αF. For α > 0 it keeps F's monotonicity and
// comonotonicity class: the monotonicity modulus scales by α and the
// comonotonicity modulus by 1/α.
type Scale struct {
	Alpha float64     // α
	F     vi.Operator // the scaled operator
}

// Dim returns F's dimension.
func (s Scale) Dim() int { return s.F.Dim() }

// Apply sets dst = α·F(z); it allocates nothing beyond what F does.
func (s Scale) Apply(dst, z []float64) {
	s.F.Apply(dst, z)
	floats.Scale(s.Alpha, dst)
}

// Lipschitz returns |α|·L when F reports a Lipschitz constant L > 0, and 0
// (unknown) otherwise.
func (s Scale) Lipschitz() float64 {
	l := knownLipschitz(s.F)
	if l == 0 {
		return 0
	}
	return math.Abs(s.Alpha) * l
}

// knownLipschitz returns the positive, finite Lipschitz constant f reports
// about itself, or 0.
func knownLipschitz(f vi.Operator) float64 {
	lf, ok := f.(vi.Lipschitzer)
	if !ok {
		return 0
	}
	l := lf.Lipschitz()
	if !(l > 0) || math.IsInf(l, 1) {
		return 0
	}
	return l
}
