package vi

import (
	"fmt"
	"math"
	"slices"
)

// A Set is a nonempty closed convex set C ⊆ Rⁿ.
type Set interface {
	// Project sets dst = Π_C(z) = argmin_{u∈C} ‖u − z‖₂. dst may be z
	// itself; otherwise the two must not overlap. Project must not
	// allocate.
	Project(dst, z []float64)
}

// A Validator is a Set that can check its own parameters for use in Rⁿ.
// Solve and every method's Init call Validate when the set implements it,
// so that Project never sees a shape it cannot handle.
type Validator interface {
	Validate(n int) error
}

// A TangentSet is a Set that can compute the tangent residual
//
//	r_tan(z) = min_{c ∈ N_C(z)} ‖f + c‖ = ‖Π_{T_C(z)}(−f)‖
//
// at a point z ∈ C for a vector f (usually F(z)), where N_C(z) is the normal
// cone and T_C(z) the tangent cone of C at z (Cai, Oikonomou and Zheng,
// NeurIPS 2022, Def. 3). For z ∉ C the normal cone is empty and the result
// is +Inf.
type TangentSet interface {
	Set
	TangentResidual(z, f []float64) float64
}

// project sets dst = Π_C(z), with a nil C meaning Rⁿ.
func project(c Set, dst, z []float64) {
	if c == nil {
		copy(dst, z)
		return
	}
	c.Project(dst, z)
}

// projectNormal takes a resolvent step of N_C: dst = Π_C(u) and
// normal = (u − dst)/η, the element of N_C(dst) that the step produces
// (every projected point comes with one), so that ‖F(dst) + normal‖
// bounds the tangent residual there at no extra cost.
func projectNormal(c Set, dst, normal, u []float64, eta float64) {
	project(c, dst, u)
	inv := 1 / eta
	for i, v := range u {
		normal[i] = inv * (v - dst[i])
	}
}

// validateSet checks c for dimension n when it can check itself.
func validateSet(c Set, n int) error {
	if v, ok := c.(Validator); ok {
		return v.Validate(n)
	}
	return nil
}

func checkLen(set string, dst, z []float64) {
	if len(dst) != len(z) {
		panic(fmt.Sprintf("vi: %s.Project: len(dst) = %d, len(z) = %d", set, len(dst), len(z)))
	}
}

// Reals is the whole space Rⁿ: Π is the identity.
type Reals struct{}

// Project sets dst = z.
func (Reals) Project(dst, z []float64) {
	checkLen("Reals", dst, z)
	copy(dst, z)
}

// TangentResidual returns ‖f‖: the normal cone of Rⁿ is {0}.
func (Reals) TangentResidual(z, f []float64) float64 { return norm(f) }

// Box is the set {z : Lo[i] ≤ z[i] ≤ Hi[i]}. Entries may be infinite (a
// half-line or the whole line in that coordinate); Lo and Hi must have the
// problem's dimension and Lo[i] ≤ Hi[i].
type Box struct {
	Lo, Hi []float64
}

// Validate checks the bounds for dimension n.
func (b Box) Validate(n int) error {
	if len(b.Lo) != n {
		return ErrShape{What: "Box.Lo", Got: len(b.Lo), Want: n}
	}
	if len(b.Hi) != n {
		return ErrShape{What: "Box.Hi", Got: len(b.Hi), Want: n}
	}
	for i := range b.Lo {
		if math.IsNaN(b.Lo[i]) || math.IsInf(b.Lo[i], 1) {
			return ErrNotFinite{What: "Box.Lo", Index: i, Value: b.Lo[i]}
		}
		if math.IsNaN(b.Hi[i]) || math.IsInf(b.Hi[i], -1) {
			return ErrNotFinite{What: "Box.Hi", Index: i, Value: b.Hi[i]}
		}
		if b.Lo[i] > b.Hi[i] {
			return fmt.Errorf("vi: Box: Lo[%d] = %v > Hi[%d] = %v: the box is empty", i, b.Lo[i], i, b.Hi[i])
		}
	}
	return nil
}

// Project clips every coordinate to [Lo[i], Hi[i]].
func (b Box) Project(dst, z []float64) {
	checkLen("Box", dst, z)
	if len(b.Lo) != len(z) || len(b.Hi) != len(z) {
		panic(fmt.Sprintf("vi: Box.Project: bounds have length %d and %d, z has %d", len(b.Lo), len(b.Hi), len(z)))
	}
	for i, v := range z {
		dst[i] = min(max(v, b.Lo[i]), b.Hi[i])
	}
}

// TangentResidual returns ‖d‖ with d[i] = f[i] inside, min(f[i], 0) at a
// lower bound and max(f[i], 0) at an upper bound. A coordinate counts as
// at a bound when it equals it; projections land exactly on bounds.
func (b Box) TangentResidual(z, f []float64) float64 {
	var s float64
	for i, v := range z {
		d := f[i]
		switch {
		case v < b.Lo[i] || v > b.Hi[i]:
			return math.Inf(1)
		case b.Lo[i] == b.Hi[i]:
			d = 0
		case v == b.Lo[i]:
			d = min(d, 0)
		case v == b.Hi[i]:
			d = max(d, 0)
		}
		s += d * d
	}
	return math.Sqrt(s)
}

// NonNegative is the orthant {z : z ≥ 0}.
type NonNegative struct{}

// Project sets dst = max(z, 0) coordinatewise.
func (NonNegative) Project(dst, z []float64) {
	checkLen("NonNegative", dst, z)
	for i, v := range z {
		dst[i] = max(v, 0)
	}
}

// TangentResidual returns ‖d‖ with d[i] = f[i] where z[i] > 0 and
// min(f[i], 0) where z[i] = 0.
func (NonNegative) TangentResidual(z, f []float64) float64 {
	var s float64
	for i, v := range z {
		d := f[i]
		switch {
		case v < 0:
			return math.Inf(1)
		case v == 0:
			d = min(d, 0)
		}
		s += d * d
	}
	return math.Sqrt(s)
}

// Ball is the Euclidean ball {z : ‖z − Center‖ ≤ Radius}. A nil Center is
// the origin; a zero Radius means 1.
type Ball struct {
	Center []float64
	Radius float64
}

func (b Ball) radius() float64 {
	if b.Radius == 0 {
		return 1
	}
	return b.Radius
}

// Validate checks the center and radius for dimension n.
func (b Ball) Validate(n int) error {
	if b.Center != nil {
		if len(b.Center) != n {
			return ErrShape{What: "Ball.Center", Got: len(b.Center), Want: n}
		}
		if err := checkFinite("Ball.Center", b.Center); err != nil {
			return err
		}
	}
	if !(b.Radius >= 0) || math.IsInf(b.Radius, 1) {
		return ErrParameter{Method: "Ball", Field: "Radius", Value: b.Radius, Want: "finite and ≥ 0 (0 means 1)"}
	}
	return nil
}

// dist returns ‖z − Center‖.
func (b Ball) dist(z []float64) float64 {
	if b.Center == nil {
		return norm(z)
	}
	var s float64
	for i, v := range z {
		d := v - b.Center[i]
		s += d * d
	}
	return math.Sqrt(s)
}

func (b Ball) center(i int) float64 {
	if b.Center == nil {
		return 0
	}
	return b.Center[i]
}

// Project moves z radially onto the ball when it lies outside.
func (b Ball) Project(dst, z []float64) {
	checkLen("Ball", dst, z)
	r := b.radius()
	d := b.dist(z)
	if d <= r {
		copy(dst, z)
		return
	}
	s := r / d
	for i, v := range z {
		c := b.center(i)
		dst[i] = c + s*(v-c)
	}
}

// ballBoundaryTol is the relative distance to the sphere within which a
// point counts as on the boundary: projections land on it only up to
// rounding.
const ballBoundaryTol = 1e-10

// TangentResidual returns ‖f‖ inside the ball and ‖f + t·u‖ on its
// boundary, with u the outward unit normal and t = max(0, −⟨f, u⟩). A
// point within a relative 1e-10 of the sphere counts as on it.
func (b Ball) TangentResidual(z, f []float64) float64 {
	r := b.radius()
	d := b.dist(z)
	switch {
	case d > r*(1+ballBoundaryTol):
		return math.Inf(1)
	case d < r*(1-ballBoundaryTol) || d == 0:
		return norm(f)
	}
	var fu float64
	for i, v := range z {
		fu += f[i] * (v - b.center(i)) / d
	}
	t := max(0, -fu)
	var s float64
	for i, v := range z {
		e := f[i] + t*(v-b.center(i))/d
		s += e * e
	}
	return math.Sqrt(s)
}

// Simplex is {z : z ≥ 0, Σ z[i] = Scale}; a zero Scale means the
// probability simplex, Scale 1.
type Simplex struct {
	Scale float64
}

func (s Simplex) scale() float64 {
	if s.Scale == 0 {
		return 1
	}
	return s.Scale
}

// Validate checks the scale; any n ≥ 1 is allowed.
func (s Simplex) Validate(n int) error {
	if n < 1 {
		return fmt.Errorf("vi: Simplex: dimension %d, want ≥ 1", n)
	}
	if !(s.Scale >= 0) || math.IsInf(s.Scale, 1) {
		return ErrParameter{Method: "Simplex", Field: "Scale", Value: s.Scale, Want: "finite and ≥ 0 (0 means 1)"}
	}
	return nil
}

// Project sets dst to the Euclidean projection of z onto the simplex:
// dst[i] = max(z[i] − τ, 0) with τ chosen so the entries sum to Scale.
// When dst and z are distinct, τ is found by sorting a copy of z in dst,
// O(n log n) (Held, Wolfe and Crowder 1974; Duchi et al., ICML 2008). When
// dst is z, Michelot's finite algorithm (J. Optim. Theory Appl. 1986) finds
// the same τ without scratch space: it raises τ through at most n passes of
// O(n), and in practice a handful.
func (s Simplex) Project(dst, z []float64) {
	checkLen("Simplex", dst, z)
	if len(z) == 0 {
		return
	}
	var tau float64
	if &dst[0] == &z[0] {
		tau = s.thresholdInPlace(z)
	} else {
		tau = s.thresholdSorted(dst, z)
	}
	for i, v := range z {
		dst[i] = max(v-tau, 0)
	}
}

// thresholdSorted returns τ using buf as scratch for a sorted copy of z.
func (s Simplex) thresholdSorted(buf, z []float64) float64 {
	copy(buf, z)
	slices.Sort(buf)
	a := s.scale()
	var sum float64
	tau := 0.0
	// Walk from the largest entry down: with the k largest in the support,
	// τ = (their sum − a)/k; the support is the largest k with
	// u_k > τ_k.
	for k := 1; k <= len(buf); k++ {
		u := buf[len(buf)-k]
		sum += u
		t := (sum - a) / float64(k)
		if u > t {
			tau = t
		} else {
			break
		}
	}
	return tau
}

// thresholdInPlace returns τ by Michelot's iteration: start with every
// index active, set τ = (Σ_active z − a)/|active|, drop the indices with
// z[i] ≤ τ, repeat until none is dropped. τ never decreases, and the
// active set only shrinks, so it ends after at most n passes.
func (s Simplex) thresholdInPlace(z []float64) float64 {
	a := s.scale()
	var sum float64
	for _, v := range z {
		sum += v
	}
	tau := (sum - a) / float64(len(z))
	for {
		var sum float64
		k := 0
		for _, v := range z {
			if v > tau {
				sum += v
				k++
			}
		}
		t := (sum - a) / float64(k)
		if t <= tau {
			return tau
		}
		tau = t
	}
}

// TangentResidual returns the tangent residual of the simplex at z:
//
//	r_tan(z)² = min_μ Σ_{i∈S} (f[i] + μ)² + Σ_{i∉S} min(f[i] + μ, 0)²,
//
// S the support of z, since N(z) = {μ·1 − s : s ≥ 0, s = 0 on S}. The
// minimizing μ is found like Michelot's projection: μ starts at −mean_S f
// and rises through at most n passes.
func (s Simplex) TangentResidual(z, f []float64) float64 {
	var sum float64
	var inS int
	var total float64
	for i, v := range z {
		if v < 0 {
			return math.Inf(1)
		}
		total += v
		if v > 0 {
			sum += f[i]
			inS++
		}
	}
	if inS == 0 || math.Abs(total-s.scale()) > 1e-9*max(1, s.scale()) {
		return math.Inf(1)
	}
	mu := -sum / float64(inS)
	for {
		var sum float64
		k := 0
		for i, v := range z {
			if v > 0 || f[i]+mu < 0 {
				sum += f[i]
				k++
			}
		}
		m := -sum / float64(k)
		if m <= mu {
			break
		}
		mu = m
	}
	var r float64
	for i, v := range z {
		d := f[i] + mu
		if v == 0 {
			d = min(d, 0)
		}
		r += d * d
	}
	return math.Sqrt(r)
}

// Product is the Cartesian product of Blocks; block k acts on the next
// Dims[k] coordinates. It is the strategy space of a game, one block per
// player.
type Product struct {
	Blocks []Set
	Dims   []int
}

// Validate checks that the blocks cover n coordinates and validates each.
func (p Product) Validate(n int) error {
	if len(p.Blocks) != len(p.Dims) {
		return fmt.Errorf("vi: Product: %d blocks but %d dimensions", len(p.Blocks), len(p.Dims))
	}
	total := 0
	for k, d := range p.Dims {
		if d < 1 {
			return fmt.Errorf("vi: Product: block %d has dimension %d, want ≥ 1", k, d)
		}
		if err := validateSet(p.Blocks[k], d); err != nil {
			return fmt.Errorf("vi: Product: block %d: %w", k, err)
		}
		total += d
	}
	if total != n {
		return fmt.Errorf("vi: Product: blocks cover %d coordinates, want %d", total, n)
	}
	return nil
}

// Project projects each block onto its set.
func (p Product) Project(dst, z []float64) {
	checkLen("Product", dst, z)
	off := 0
	for k, d := range p.Dims {
		project(p.Blocks[k], dst[off:off+d], z[off:off+d])
		off += d
	}
	if off != len(z) {
		panic(fmt.Sprintf("vi: Product.Project: blocks cover %d coordinates, len(z) = %d", off, len(z)))
	}
}

// TangentResidual returns the root sum of squares of the blocks' tangent
// residuals: the normal cone of a product is the product of normal cones.
// It is +Inf if a block is not a TangentSet.
func (p Product) TangentResidual(z, f []float64) float64 {
	var s float64
	off := 0
	for k, d := range p.Dims {
		var r float64
		switch b := p.Blocks[k].(type) {
		case nil:
			r = norm(f[off : off+d])
		case TangentSet:
			r = b.TangentResidual(z[off:off+d], f[off:off+d])
		default:
			return math.Inf(1)
		}
		s += r * r
		off += d
	}
	return math.Sqrt(s)
}

// countingSet is the wrapper Solve installs around a Problem's set.
type countingSet struct {
	set Set
	n   int
}

// Project counts and projects.
func (c *countingSet) Project(dst, z []float64) {
	c.n++
	project(c.set, dst, z)
}

// Unwrap returns the counted set.
func (c *countingSet) Unwrap() Set { return c.set }

// countingMirrorSet also counts mirror steps as projections.
type countingMirrorSet struct {
	countingSet
}

// MirrorStep counts and takes the mirror step.
func (c *countingMirrorSet) MirrorStep(dst, z, g []float64, eta float64) {
	c.n++
	c.set.(MirrorSet).MirrorStep(dst, z, g, eta)
}

// unwrapSet looks through counting wrappers.
func unwrapSet(c Set) Set {
	for {
		u, ok := c.(Unwrapper[Set])
		if !ok {
			return c
		}
		c = u.Unwrap()
	}
}

// Bounded reports whether c is known to be bounded: a Simplex, a Ball, a
// Box with finite bounds, or a Product of bounded blocks, looking through
// Solve's wrappers. A nil set (Rⁿ), Reals and NonNegative are not; an
// unknown set type counts as unbounded.
func Bounded(c Set) bool {
	switch s := unwrapSet(c).(type) {
	case Simplex, *Simplex, Ball, *Ball:
		return true
	case Box:
		for i := range s.Lo {
			if math.IsInf(s.Lo[i], 0) || math.IsInf(s.Hi[i], 0) {
				return false
			}
		}
		return true
	case Product:
		for _, b := range s.Blocks {
			if !Bounded(b) {
				return false
			}
		}
		return len(s.Blocks) > 0
	}
	return false
}
