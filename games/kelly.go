package games

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// Kelly is the Kelly mechanism (Kelly auction) of ALGORITHMS.md Part B6.2:
// N players bid x_i ≥ 0 for a divisible resource of size Q, which is split
// in proportion to the bids with an entry barrier Z > 0, and player i,
// with marginal gain G_i, maximizes
//
//	u_i(x) = G_i·Q·x_i/(Z + S) − x_i,   S = Σ_j x_j.
//
// With a_i = G_i·Q and T = Z + S the loss −u_i has the pseudo-gradient
//
//	F_i(x) = 1 − a_i(T − x_i)/T²
//
// over the nonnegative orthant. The players who bid at equilibrium are
// those with a_i > T*, where T* = Z + S* solves H·T² − (k − 1)·T − Z = 0,
// H = Σ_{active} 1/a_i, k their number:
//
//	T* = ((k − 1) + √((k − 1)² + 4HZ))/(2H),   x_i* = T* − T*²/a_i,
//
// and x_i* = 0 for the others (there F_i(x*) = 1 − a_i/T* ≥ 0); the
// active set is found by adding players in order of decreasing gain.
//
// The barrier keeps T ≥ Z > 0 on the orthant, so F is smooth there with
// Jacobian J(x) = diag(a)/T² + w1ᵀ, w_i = a_i(T − 2x_i)/T³ (derived here).
// As |T − 2x_i| ≤ T, ‖J(x)‖₂ ≤ (max_i a_i + √N·‖a‖)/Z² on the whole
// orthant: that is Lipschitz, a global constant, attained up to a few
// percent at x = 0 when the gains are close. Without the barrier (Z = 0,
// the classical mechanism of Johari and Tsitsiklis) F blows up at S = 0,
// so Z > 0 is required, as B6.2 advises, and no lower bound on the bids is
// needed. F is defined wherever T > 0; methods that evaluate it outside
// the orthant (reflected gradient) may leave that region.
//
// Monotonicity (derived here; B6.2 only reports a numerical check). With
// p_i = x_i/T, ⟨J(x)v, v⟩ = (1/T²)(Σ_i a_i v_i² + (Σ_i v_i)(Σ_i a_i(1 −
// 2p_i)v_i)), whose symmetric matrix is D(I + (βγᵀ + γβᵀ)/2)D with
// D = diag(√a), β_i = 1/√a_i, γ_i = √a_i(1 − 2p_i), so its sign is that of
// λ(p) = 1 + (Σ_i(1 − 2p_i) − ‖β‖‖γ‖)/2. With equal gains λ(p) > 0 for
// every x ≥ 0: F is monotone on the whole orthant (not strongly: λ → 0 as
// one bid dominates Z and the rest). With unequal gains λ(p) is concave in
// p and at p = e_k, one bid dominating, it equals
// (N − √(Σ_i a_i·Σ_i 1/a_i))/2 < 0 (Cauchy–Schwarz): F is then NOT
// monotone far out in the orthant, though it is strongly monotone near
// the equilibrium; LocalMu returns λ_min(sym J(x*)), the local modulus
// that governs the final linear rate of extragradient there.
//
// The best response to c = Z + S_−i is max(0, √(a_i·c) − c), in closed
// form. The loss is not affine in the others' bids, so the best fixed bid
// in hindsight is a 1-D convex minimization, solved by Newton's method
// (see Hindsight).
type Kelly struct {
	gains  []float64
	a      []float64 // G_i·Q
	q, z   float64
	blocks []int
	eq     []float64
	tStar  float64
	l      float64
	mu     float64
	op     *kellyOp
}

// NewKelly returns the Kelly mechanism with marginal gains G_i > 0 (one
// per player, copied), resource Q > 0 and entry barrier Z > 0. B6.2's
// instance Q = 1000, Z = 100, G = (1.8, 2.0, 2.2, 2.4) has
// T* = 1589.6605, x* = (185.7602, 326.1502, 441.0148, 536.7353).
func NewKelly(gains []float64, resource, barrier float64) (*Kelly, error) {
	const name = "games: kelly"
	switch {
	case len(gains) == 0:
		return nil, fmt.Errorf("%s: no players (gains is empty)", name)
	case !(resource > 0) || math.IsInf(resource, 1):
		return nil, fmt.Errorf("%s: resource Q = %v, want finite and > 0", name, resource)
	case !(barrier > 0) || math.IsInf(barrier, 1):
		return nil, fmt.Errorf("%s: entry barrier Z = %v, want finite and > 0 (Z = 0 makes the allocation discontinuous at zero bids)", name, barrier)
	}
	n := len(gains)
	g := &Kelly{gains: slices.Clone(gains), a: make([]float64, n), q: resource, z: barrier, blocks: make([]int, n)}
	var amax, a2 float64
	for i, v := range gains {
		if !(v > 0) || math.IsInf(v, 1) {
			return nil, fmt.Errorf("%s: gain G[%d] = %v, want finite and > 0", name, i, v)
		}
		g.a[i] = v * resource
		if math.IsInf(g.a[i], 0) {
			return nil, fmt.Errorf("%s: gain G[%d]·Q = %v overflows", name, i, g.a[i])
		}
		amax = max(amax, g.a[i])
		a2 += g.a[i] * g.a[i]
		g.blocks[i] = 1
	}
	g.l = (amax + math.Sqrt(float64(n)*a2)) / (barrier * barrier)
	g.op = &kellyOp{g: g}
	g.eq, g.tStar = g.equilibrium()
	g.mu = g.localMu()
	return g, nil
}

// StandardKelly returns the Kelly mechanism with Q = 1000, Z = 100 and n
// gains evenly spaced on [1.8, 2.4] (2.1 for n = 1): for n = 4 the B6.2
// instance, G = (1.8, 2.0, 2.2, 2.4).
func StandardKelly(n int) (*Kelly, error) {
	if n < 1 {
		return nil, fmt.Errorf("games: kelly: n = %d players, want ≥ 1", n)
	}
	gains := make([]float64, n)
	for i := range gains {
		if n == 1 {
			gains[i] = 2.1
		} else {
			gains[i] = 1.8 + 0.6*float64(i)/float64(n-1)
		}
	}
	return NewKelly(gains, 1000, 100)
}

// equilibrium adds players by decreasing a_i while the next one would bid
// at the resulting T, and returns x* and T*.
func (g *Kelly) equilibrium() ([]float64, float64) {
	n := len(g.a)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(g.a[j], g.a[i]) })
	t := g.z // no bidder: T = Z
	var h float64
	for k, i := range order {
		if g.a[i] <= t {
			break // a_i ≤ T: i and every smaller gain stay out
		}
		h += 1 / g.a[i]
		km1 := float64(k) // k + 1 active players: k + 1 − 1
		t = (km1 + math.Sqrt(km1*km1+4*h*g.z)) / (2 * h)
	}
	x := make([]float64, n)
	for i, a := range g.a {
		if a > t {
			x[i] = t - t*t/a
		}
	}
	return x, t
}

// localMu returns λ_min((J + Jᵀ)/2) at x*.
func (g *Kelly) localMu() float64 {
	n := len(g.a)
	j := mat.NewDense(n, n, nil)
	g.op.Jacobian(j, g.eq)
	s := mat.NewSymDense(n, nil)
	for r := 0; r < n; r++ {
		for c := r; c < n; c++ {
			s.SetSym(r, c, (j.At(r, c)+j.At(c, r))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(s, false) {
		return 0
	}
	return eig.Values(nil)[0]
}

// Players returns N.
func (g *Kelly) Players() int { return len(g.a) }

// Blocks returns N ones: each player places one bid.
func (g *Kelly) Blocks() []int { return g.blocks }

// ActionSet returns the half-line x_i ≥ 0.
func (g *Kelly) ActionSet(int) vi.Set { return vi.NonNegative{} }

// Set returns the joint action set, the nonnegative orthant.
func (g *Kelly) Set() vi.Set { return vi.NonNegative{} }

// Operator returns F(x) = (1 − a_i(T − x_i)/T²)_i. It reports the global
// Lipschitz constant of the type's doc comment, a local bound
// (vi.LocalLipschitzer) and its Jacobian.
func (g *Kelly) Operator() vi.Operator { return g.op }

// Problem returns VI(F, R₊ᴺ) started at x = 0, nobody bidding.
func (g *Kelly) Problem() *vi.Problem {
	return &vi.Problem{F: g.op, C: vi.NonNegative{}, Z0: make([]float64, len(g.a))}
}

// Equilibrium returns a copy of the unique Nash equilibrium x*.
func (g *Kelly) Equilibrium() []float64 { return slices.Clone(g.eq) }

// Total returns T* = Z + Σ_i x_i*, the denominator at equilibrium.
func (g *Kelly) Total() float64 { return g.tStar }

// Lipschitz returns (max_i a_i + √N‖a‖)/Z², a Lipschitz constant of F
// on the whole orthant.
func (g *Kelly) Lipschitz() float64 { return g.l }

// LocalMu returns λ_min(sym J(x*)), the strong monotonicity modulus of F
// at the equilibrium. It is not a global modulus: see the type's doc
// comment.
func (g *Kelly) LocalMu() float64 { return g.mu }

// Loss returns −u_i(x) = x_i − a_i·x_i/(Z + S).
func (g *Kelly) Loss(i int, x []float64) float64 {
	g.op.check(x)
	return x[i] - g.a[i]*x[i]/(g.z+kellySum(x))
}

// Payoff returns u_i(x) = a_i·x_i/(Z + S) − x_i.
func (g *Kelly) Payoff(i int, x []float64) float64 { return -g.Loss(i, x) }

// BestResponse sets dst[0] to player i's best bid against c = Z + S_−i,
// max(0, √(a_i·c) − c) (from ∂/∂u [u − a_i·u/(c + u)] = 1 − a_i·c/(c + u)²
// = 0), and returns its loss.
func (g *Kelly) BestResponse(i int, dst, x []float64) float64 {
	g.op.check(x)
	c := g.z + kellySum(x) - x[i]
	u := max(0, math.Sqrt(g.a[i]*c)-c)
	dst[0] = u
	return u - g.a[i]*u/(c+u)
}

// NashGap returns Σ_i (loss_i(x) − min_u loss_i(u, x_−i)), with best
// responses in closed form; it is 0 exactly at x*.
func (g *Kelly) NashGap(x []float64) float64 { return contNashGapOf("Kelly", g, x) }

// Hindsight returns a record of the others' totals c_t = Z + S_−i^t of
// every round (N values per round; room for rounds rounds is reserved,
// beyond which it grows by doubling). Best minimizes the convex
//
//	h(u) = Σ_t [u − a_i·u/(c_t + u)],  h'(u) = T − a_i Σ_t c_t/(c_t + u)²,
//
// over u ≥ 0: u = 0 when h'(0) ≥ 0, else the root of h', found by
// Newton's method from u = 0. h' is increasing and concave (h⁽³⁾ < 0), so
// the Newton iterates increase monotonically to the root; they stop when
// h' ≥ 0 or the step falls below 1e-15·u, each step costing O(T).
func (g *Kelly) Hindsight(rounds int) Hindsight {
	n := len(g.a)
	return &kellyHindsight{g: g, c: make([]float64, 0, max(rounds, 0)*n)}
}

// kellySum returns Σ x_j.
func kellySum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

// kellyHindsight records c_{t,i} = Z + S^t − x_i^t row by row.
type kellyHindsight struct {
	g *Kelly
	c []float64
	t int
}

// Observe records the others' totals of every player.
func (h *kellyHindsight) Observe(x []float64) {
	h.g.op.check(x)
	t := h.g.z + kellySum(x)
	for _, v := range x {
		h.c = append(h.c, t-v)
	}
	h.t++
}

// Rounds returns the number of rounds observed.
func (h *kellyHindsight) Rounds() int { return h.t }

// Best minimizes h(u) by Newton's method (see Kelly.Hindsight).
func (h *kellyHindsight) Best(i int, dst []float64) float64 {
	if h.t == 0 {
		dst[0] = 0
		return 0
	}
	n, a := len(h.g.a), h.g.a[i]
	T := float64(h.t)
	deriv := func(u float64) (d1, d2 float64) {
		var s1, s2 float64
		for k := i; k < len(h.c); k += n {
			c := h.c[k]
			r := 1 / (c + u)
			s1 += c * r * r
			s2 += c * r * r * r
		}
		return T - a*s1, 2 * a * s2
	}
	var u float64
	for range 200 {
		d1, d2 := deriv(u)
		if d1 >= 0 {
			break
		}
		step := -d1 / d2
		u += step
		if step <= 1e-15*u {
			break
		}
	}
	dst[0] = u
	var v float64
	for k := i; k < len(h.c); k += n {
		v += u - a*u/(h.c[k]+u)
	}
	return v
}

// kellyOp is the pseudo-gradient of a Kelly mechanism.
type kellyOp struct{ g *Kelly }

func (o *kellyOp) check(x []float64) {
	if len(x) != len(o.g.a) {
		panic(fmt.Sprintf("games: Kelly: len(x) = %d, want %d players", len(x), len(o.g.a)))
	}
}

// Dim returns N.
func (o *kellyOp) Dim() int { return len(o.g.a) }

// Apply sets dst_i = 1 − a_i(T − x_i)/T².
func (o *kellyOp) Apply(dst, x []float64) {
	o.check(x)
	o.check(dst)
	t := o.g.z + kellySum(x)
	inv := 1 / (t * t)
	for i, v := range x {
		dst[i] = 1 - o.g.a[i]*(t-v)*inv
	}
}

// Lipschitz returns the global constant (max a + √N‖a‖)/Z².
func (o *kellyOp) Lipschitz() float64 { return o.g.l }

// LocalLipschitz returns max_i a_i/T² + √N‖w‖ ≥ ‖J(x)‖₂.
func (o *kellyOp) LocalLipschitz(x []float64) float64 {
	t := o.g.z + kellySum(x)
	var amax, w2 float64
	for i, a := range o.g.a {
		amax = max(amax, a)
		w := a * (t - 2*x[i]) / (t * t * t)
		w2 += w * w
	}
	return amax/(t*t) + math.Sqrt(float64(len(x))*w2)
}

// Jacobian sets dst = J(x) = diag(a)/T² + w1ᵀ, w_i = a_i(T − 2x_i)/T³.
func (o *kellyOp) Jacobian(dst *mat.Dense, x []float64) {
	o.check(x)
	t := o.g.z + kellySum(x)
	for i, a := range o.g.a {
		w := a * (t - 2*x[i]) / (t * t * t)
		for j := range x {
			dst.Set(i, j, w)
		}
		dst.Set(i, i, w+a/(t*t))
	}
}
