package vi

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setCase is a set with a generator of points inside it, for the
// properties every projection must have.
type setCase struct {
	name   string
	set    Set
	n      int
	member func(z []float64) bool
}

func setCases() []setCase {
	inBox := func(lo, hi []float64) func(z []float64) bool {
		return func(z []float64) bool {
			for i, v := range z {
				if v < lo[i] || v > hi[i] {
					return false
				}
			}
			return true
		}
	}
	lo := []float64{-1, 0, math.Inf(-1), 2, -3}
	hi := []float64{1, 0, 0.5, math.Inf(1), -2}
	center := []float64{1, -2, 0.5, 0, 3}
	return []setCase{
		{"reals", Reals{}, 5, func([]float64) bool { return true }},
		{"box", Box{Lo: lo, Hi: hi}, 5, inBox(lo, hi)},
		{"nonnegative", NonNegative{}, 5, func(z []float64) bool {
			for _, v := range z {
				if v < 0 {
					return false
				}
			}
			return true
		}},
		{"ball", Ball{Center: center, Radius: 2}, 5, func(z []float64) bool {
			return Distance(z, center) <= 2*(1+1e-12)
		}},
		{"unit-ball", Ball{}, 5, func(z []float64) bool { return norm(z) <= 1+1e-12 }},
		{"simplex", Simplex{}, 5, simplexMember(1)},
		{"simplex-3", Simplex{Scale: 3}, 5, simplexMember(3)},
		{"product", Product{Blocks: []Set{Simplex{}, Box{Lo: []float64{0, 0}, Hi: []float64{1, 2}}, nil}, Dims: []int{2, 2, 1}}, 5,
			func(z []float64) bool {
				return simplexMember(1)(z[:2]) && inBox([]float64{0, 0}, []float64{1, 2})(z[2:4])
			}},
	}
}

func simplexMember(scale float64) func(z []float64) bool {
	return func(z []float64) bool {
		var s float64
		for _, v := range z {
			if v < 0 {
				return false
			}
			s += v
		}
		return math.Abs(s-scale) <= 1e-12*max(1, scale)
	}
}

func randomPoint(rng *rand.Rand, n int) []float64 {
	z := make([]float64, n)
	for i := range z {
		z[i] = 3 * rng.NormFloat64()
	}
	return z
}

func dot(x, y []float64) float64 {
	var s float64
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

// TestProjectionProperties checks on seeded random points that Π lands in
// C, is idempotent, satisfies the obtuse-angle condition
// ⟨z − Πz, u − Πz⟩ ≤ 0 for u ∈ C, and is nonexpansive; and that projecting
// in place gives the same point as projecting into another slice.
func TestProjectionProperties(t *testing.T) {
	for _, tc := range setCases() {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, validateSet(tc.set, tc.n))
			rng := rand.New(rand.NewPCG(1, 1))
			for trial := 0; trial < 500; trial++ {
				z, w := randomPoint(rng, tc.n), randomPoint(rng, tc.n)
				pz, pw := make([]float64, tc.n), make([]float64, tc.n)
				tc.set.Project(pz, z)
				tc.set.Project(pw, w)
				require.True(t, tc.member(pz), "Π(%v) = %v not in the set", z, pz)

				again := make([]float64, tc.n)
				tc.set.Project(again, pz)
				assert.InDeltaSlice(t, pz, again, 1e-12, "not idempotent")

				inPlace := append([]float64(nil), z...)
				tc.set.Project(inPlace, inPlace)
				assert.InDeltaSlice(t, pz, inPlace, 1e-12, "in-place projection differs")

				// pw is a point of C.
				d := make([]float64, tc.n)
				e := make([]float64, tc.n)
				for i := range d {
					d[i], e[i] = z[i]-pz[i], pw[i]-pz[i]
				}
				assert.LessOrEqual(t, dot(d, e), 1e-9*(1+norm(d)*norm(e)), "obtuse-angle condition fails")
				assert.LessOrEqual(t, Distance(pz, pw), Distance(z, w)+1e-12, "not nonexpansive")
			}
		})
	}
}

// bruteSimplex projects onto {z ≥ 0, Σz = a} by trying every support: the
// projection restricted to support S is z_S − τ with τ from the sum, and
// the answer is the feasible candidate closest to z.
func bruteSimplex(z []float64, a float64) []float64 {
	n := len(z)
	best := []float64(nil)
	bestDist := math.Inf(1)
	for mask := 1; mask < 1<<n; mask++ {
		var sum float64
		k := 0
		for i := 0; i < n; i++ {
			if mask&(1<<i) != 0 {
				sum += z[i]
				k++
			}
		}
		tau := (sum - a) / float64(k)
		cand := make([]float64, n)
		ok := true
		for i := 0; i < n; i++ {
			if mask&(1<<i) != 0 {
				cand[i] = z[i] - tau
				if cand[i] < 0 {
					ok = false
				}
			}
		}
		if ok {
			if d := Distance(cand, z); d < bestDist {
				best, bestDist = cand, d
			}
		}
	}
	return best
}

func TestSimplexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := 0; trial < 2000; trial++ {
		n := 1 + rng.IntN(6)
		a := []float64{1, 0.5, 7}[trial%3]
		z := randomPoint(rng, n)
		if trial%5 == 0 { // ties
			for i := range z {
				z[i] = math.Round(z[i])
			}
		}
		want := bruteSimplex(z, a)
		got := make([]float64, n)
		Simplex{Scale: a}.Project(got, z)
		require.InDeltaSlice(t, want, got, 1e-12, "sorted path, z = %v", z)
		Simplex{Scale: a}.Project(z, z)
		require.InDeltaSlice(t, want, z, 1e-12, "in-place path")
	}
}

func TestSetValidate(t *testing.T) {
	tests := []struct {
		name string
		set  Set
		n    int
		want string
	}{
		{"box-short", Box{Lo: []float64{0}, Hi: []float64{1, 1}}, 2, "Box.Lo has length 1, want 2"},
		{"box-empty", Box{Lo: []float64{0, 2}, Hi: []float64{1, 1}}, 2, "Lo[1] = 2 > Hi[1] = 1"},
		{"box-nan", Box{Lo: []float64{0, math.NaN()}, Hi: []float64{1, 1}}, 2, "Box.Lo[1] = NaN is not finite"},
		{"ball-negative", Ball{Radius: -1}, 2, "Ball.Radius = -1"},
		{"ball-center", Ball{Center: []float64{1}}, 2, "Ball.Center has length 1, want 2"},
		{"simplex-scale", Simplex{Scale: math.NaN()}, 2, "Simplex.Scale = NaN"},
		{"product-cover", Product{Blocks: []Set{Simplex{}, Simplex{}}, Dims: []int{2, 2}}, 5, "blocks cover 4 coordinates, want 5"},
		{"product-block", Product{Blocks: []Set{Simplex{}, Box{Lo: []float64{0}, Hi: []float64{1}}}, Dims: []int{2, 2}}, 4, "block 1: vi: Box.Lo has length 1, want 2"},
		{"product-count", Product{Blocks: []Set{Simplex{}}, Dims: []int{2, 2}}, 4, "1 blocks but 2 dimensions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := validateSet(tc.set, tc.n)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestTangentResidual checks r_tan against its definition
// min_{c∈N(z)} ‖f + c‖ on points where the normal cone is known by hand,
// and the inequality NaturalResidual ≤ TangentResidual on random points
// (Cai, Oikonomou and Zheng, Lemma 1).
func TestTangentResidual(t *testing.T) {
	box := Box{Lo: []float64{0, 0, 0}, Hi: []float64{1, 1, 1}}
	// z at lower bound, inside, upper bound: d = (min(f,0), f, max(f,0)).
	r := box.TangentResidual([]float64{0, 0.5, 1}, []float64{2, -3, -4})
	assert.InDelta(t, 3, r, 1e-15)
	r = box.TangentResidual([]float64{0, 0.5, 1}, []float64{-2, -3, 4})
	assert.InDelta(t, math.Sqrt(4+9+16), r, 1e-15)
	assert.True(t, math.IsInf(box.TangentResidual([]float64{2, 0, 0}, []float64{0, 0, 0}), 1))

	// Simplex vertex e1 with f = (1, 2, 3): N(e1) = {μ1 − s, s₂,s₃ ≥ 0};
	// μ = −1 cancels f₁ and f₂ + μ, f₃ + μ > 0 are cancelled by s: r = 0.
	s := Simplex{}
	assert.InDelta(t, 0, s.TangentResidual([]float64{1, 0, 0}, []float64{1, 2, 3}), 1e-15)
	// f = (3, 2, 1) at e1: minimize (3+μ)² + min(2+μ,0)² + min(1+μ,0)²;
	// at μ = −2: 1 + 0 + 1 = 2 with derivative 2(1) + 0 + 2(−1) = 0.
	assert.InDelta(t, math.Sqrt(2), s.TangentResidual([]float64{1, 0, 0}, []float64{3, 2, 1}), 1e-14)
	// Interior point: r = ‖f − mean(f)‖.
	assert.InDelta(t, math.Sqrt(2), s.TangentResidual([]float64{0.2, 0.3, 0.5}, []float64{1, 2, 3}), 1e-14)

	ball := Ball{Radius: 1}
	// On the sphere at e1, f = (−2, 1): normal u = e1, ⟨f,u⟩ = −2, t = 2,
	// f + t·u = (0, 1).
	assert.InDelta(t, 1, ball.TangentResidual([]float64{1, 0}, []float64{-2, 1}), 1e-14)
	assert.InDelta(t, math.Sqrt(5), ball.TangentResidual([]float64{1, 0}, []float64{2, 1}), 1e-14)
	assert.InDelta(t, math.Sqrt(5), ball.TangentResidual([]float64{0.5, 0}, []float64{-2, 1}), 1e-14)

	nn := NonNegative{}
	assert.InDelta(t, 5, nn.TangentResidual([]float64{0, 1}, []float64{-3, 4}), 1e-15)
	assert.InDelta(t, 4, nn.TangentResidual([]float64{0, 1}, []float64{3, 4}), 1e-15)

	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range setCases() {
		if _, ok := tc.set.(TangentSet); !ok {
			continue
		}
		for trial := 0; trial < 200; trial++ {
			z := randomPoint(rng, tc.n)
			tc.set.Project(z, z)
			f := randomPoint(rng, tc.n)
			op := funcOp{n: tc.n, f: func(dst, _ []float64) { copy(dst, f) }}
			rt, ok := TangentResidual(op, tc.set, z)
			require.True(t, ok)
			rn := NaturalResidual(op, tc.set, z)
			assert.LessOrEqual(t, rn, rt*(1+1e-12)+1e-12, "%s: natural %v > tangent %v", tc.name, rn, rt)
		}
	}
}

func TestMirrorStep(t *testing.T) {
	s := Simplex{}
	z := []float64{0.25, 0.25, 0.5, 0}
	g := []float64{1, 0, -1, 5}
	dst := make([]float64, 4)
	s.MirrorStep(dst, z, g, 0.5)
	// dst ∝ z·exp(−ηg): (0.25e^{−0.5}, 0.25, 0.5e^{0.5}, 0).
	w := []float64{0.25 * math.Exp(-0.5), 0.25, 0.5 * math.Exp(0.5), 0}
	sum := w[0] + w[1] + w[2]
	for i := range w {
		w[i] /= sum
	}
	assert.InDeltaSlice(t, w, dst, 1e-15)
	// Huge steps do not underflow to zero or produce NaN.
	s.MirrorStep(dst, z, []float64{1e6, 0, 2e6, 0}, 1)
	assert.InDeltaSlice(t, []float64{0, 1, 0, 0}, dst, 1e-15)
	assert.True(t, IsMirror(Product{Blocks: []Set{Simplex{}, Simplex{}}, Dims: []int{2, 2}}))
	assert.False(t, IsMirror(Product{Blocks: []Set{Simplex{}, Box{}}, Dims: []int{2, 2}}))
}

func TestProjectAllocatesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range setCases() {
		z := randomPoint(rng, tc.n)
		dst := make([]float64, tc.n)
		a := testing.AllocsPerRun(50, func() {
			tc.set.Project(dst, z)
			tc.set.Project(dst, dst)
		})
		assert.Zero(t, a, tc.name)
	}
}

func TestBounded(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		set  Set
		want bool
	}{
		{nil, false}, {Reals{}, false}, {NonNegative{}, false},
		{Simplex{}, true}, {Ball{Radius: 2}, true},
		{Box{Lo: []float64{0, 0}, Hi: []float64{1, 2}}, true},
		{Box{Lo: []float64{0, -inf}, Hi: []float64{1, 2}}, false},
		{Product{Blocks: []Set{Simplex{}, Ball{}}, Dims: []int{2, 2}}, true},
		{Product{Blocks: []Set{Simplex{}, nil}, Dims: []int{2, 2}}, false},
		{&countingSet{set: Simplex{}}, true},
	} {
		assert.Equal(t, c.want, Bounded(c.set), "%#v", c.set)
	}
}
