package vi

import (
	"fmt"
	"math"
)

// A MirrorSet is a Set with a Bregman geometry (entropy on simplices), used
// by mirror-prox and multiplicative weights.
type MirrorSet interface {
	Set
	// MirrorStep sets dst = argmin_{u∈C} ⟨η·g, u⟩ + D(u, z), D the Bregman
	// divergence of the set's distance-generating function. dst may be z.
	MirrorStep(dst, z, g []float64, eta float64)
}

// MirrorStep takes the entropic step on the simplex:
//
//	dst[i] ∝ z[i]·exp(−η·g[i]),  scaled to sum to Scale,
//
// computed in log space (shifted by the largest exponent) so that it
// neither overflows nor underflows to an all-zero vector. Entries where
// z[i] = 0 stay 0; z must lie in the simplex.
func (s Simplex) MirrorStep(dst, z, g []float64, eta float64) {
	if len(dst) != len(z) || len(g) != len(z) {
		panic(fmt.Sprintf("vi: Simplex.MirrorStep: len(dst) = %d, len(z) = %d, len(g) = %d", len(dst), len(z), len(g)))
	}
	m := math.Inf(-1)
	for i, v := range z {
		if v > 0 {
			m = max(m, math.Log(v)-eta*g[i])
		}
	}
	var sum float64
	for i, v := range z {
		if v > 0 {
			dst[i] = math.Exp(math.Log(v) - eta*g[i] - m)
			sum += dst[i]
		} else {
			dst[i] = 0
		}
	}
	a := s.scale() / sum
	for i := range dst {
		dst[i] *= a
	}
}

// MirrorStep takes the mirror step block by block; every block must be a
// MirrorSet (Validate does not check this, Solve's callers do).
func (p Product) MirrorStep(dst, z, g []float64, eta float64) {
	off := 0
	for k, d := range p.Dims {
		b, ok := p.Blocks[k].(MirrorSet)
		if !ok {
			panic(fmt.Sprintf("vi: Product.MirrorStep: block %d (%T) is not a MirrorSet", k, p.Blocks[k]))
		}
		b.MirrorStep(dst[off:off+d], z[off:off+d], g[off:off+d], eta)
		off += d
	}
}

// IsMirror reports whether c supports mirror steps, looking through
// Solve's wrappers and into the blocks of a Product.
func IsMirror(c Set) bool {
	c = unwrapSet(c)
	if p, ok := c.(Product); ok {
		for _, b := range p.Blocks {
			if !IsMirror(b) {
				return false
			}
		}
		return true
	}
	_, ok := c.(MirrorSet)
	return ok
}
