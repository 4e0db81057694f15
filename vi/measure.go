package vi

import (
	"fmt"
	"math"
)

// NaturalResidual returns ‖z − Π_C(z − F(z))‖, which is zero exactly at
// the solutions of VI(F, C) (Cai, Oikonomou and Zheng, NeurIPS 2022,
// Def. 4). A nil C is Rⁿ, where it equals ‖F(z)‖. It costs one evaluation
// and one projection, and returns +Inf when F(z) is not finite.
func NaturalResidual(f Operator, c Set, z []float64) float64 {
	fz := make([]float64, len(z))
	buf := make([]float64, len(z))
	f.Apply(fz, z)
	return naturalResidual(c, z, fz, buf)
}

// naturalResidual computes the residual from a known fz, using buf as
// scratch; it does not allocate.
func naturalResidual(c Set, z, fz, buf []float64) float64 {
	if !allFinite(fz) {
		return math.Inf(1)
	}
	if c == nil {
		return norm(fz)
	}
	for i, v := range z {
		buf[i] = v - fz[i]
	}
	c.Project(buf, buf)
	r := distance(z, buf)
	if !finite(r) {
		return math.Inf(1)
	}
	return r
}

// OperatorNorm returns ‖F(z)‖ (+Inf when not finite).
func OperatorNorm(f Operator, z []float64) float64 {
	fz := make([]float64, len(z))
	f.Apply(fz, z)
	r := norm(fz)
	if !finite(r) {
		return math.Inf(1)
	}
	return r
}

// TangentResidual returns r_tan(z) = min_{c∈N_C(z)} ‖F(z) + c‖ and true
// when C can compute it (a nil C, Reals, Box, NonNegative, Ball, Simplex,
// or a Product of those); otherwise 0 and false. It is +Inf for z ∉ C.
// In the unconstrained case it equals ‖F(z)‖, and always
// NaturalResidual ≤ TangentResidual (Cai, Oikonomou and Zheng, Lemma 1).
func TangentResidual(f Operator, c Set, z []float64) (float64, bool) {
	fz := make([]float64, len(z))
	f.Apply(fz, z)
	return TangentResidualAt(c, z, fz)
}

// TangentResidualAt is TangentResidual with F(z) already known as fz.
func TangentResidualAt(c Set, z, fz []float64) (float64, bool) {
	c = unwrapSet(c)
	if c == nil {
		return norm(fz), true
	}
	t, ok := c.(TangentSet)
	if !ok {
		return 0, false
	}
	r := t.TangentResidual(z, fz)
	if !finite(r) {
		return math.Inf(1), true
	}
	return r, true
}

// Distance returns ‖x − y‖; it panics if the lengths differ.
func Distance(x, y []float64) float64 {
	if len(x) != len(y) {
		panic(fmt.Sprintf("vi: Distance: lengths %d and %d", len(x), len(y)))
	}
	return distance(x, y)
}
