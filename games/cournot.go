package games

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// Cournot is the Cournot oligopoly with linear inverse demand and linear
// costs (ALGORITHMS.md Part B6.1): firm i = 1..N chooses a quantity
// q_i ≥ 0, the price is P(Q) = a − bQ with Q = Σ_j q_j, and firm i
// maximizes its profit π_i(q) = q_i·P(Q) − c_i·q_i. As a game of losses
// loss_i = −π_i = b·q_i² + q_i(b·Q_−i + c_i − a) the pseudo-gradient is
//
//	F_i(q) = b·Q + b·q_i + c_i − a,   F(q) = b(11ᵀ + I)q + (c − a1),
//
// over the nonnegative orthant. The Jacobian b(11ᵀ + I) is symmetric with
// eigenvalues b (N − 1 times) and b(N + 1): F is b-strongly monotone and
// b(N + 1)-Lipschitz, both exact. The unique Nash equilibrium is
//
//	q_i* = (P* − c_i)/b,   P* = (a + Σ_{j∈A} c_j)/(|A| + 1),
//
// with A the firms that produce, those with c_i < P*, and q_i* = 0 for
// the others (there F_i(q*) = c_i − P* ≥ 0): A is found by adding firms
// in order of cost. With every firm active, q_i* = (a − (N+1)c_i +
// Σ_j c_j)/((N+1)b). Each loss is affine in the others' quantities, so the
// best fixed quantity in hindsight is the best response to the mean play.
type Cournot struct {
	a, b   float64
	c      []float64
	blocks []int
	eq     []float64
	op     *cournotOp
}

// NewCournot returns the Cournot oligopoly with demand intercept a, slope
// b > 0 and marginal costs c_i ≥ 0 (one per firm, copied). B6.1's
// instance a = 100, b = 1, c = (10, 20, 30) has q* = (30, 20, 10),
// P* = 40 and profits (900, 400, 100).
func NewCournot(a, b float64, costs []float64) (*Cournot, error) {
	const name = "games: cournot"
	switch {
	case !contFinite(a):
		return nil, fmt.Errorf("%s: demand intercept a = %v is not finite", name, a)
	case !(b > 0) || math.IsInf(b, 1):
		return nil, fmt.Errorf("%s: demand slope b = %v, want finite and > 0", name, b)
	case len(costs) == 0:
		return nil, fmt.Errorf("%s: no firms (costs is empty)", name)
	}
	for i, v := range costs {
		if !contFinite(v) || v < 0 {
			return nil, fmt.Errorf("%s: cost c[%d] = %v, want finite and ≥ 0", name, i, v)
		}
	}
	n := len(costs)
	g := &Cournot{a: a, b: b, c: slices.Clone(costs), blocks: make([]int, n)}
	for i := range g.blocks {
		g.blocks[i] = 1
	}
	g.op = &cournotOp{g: g}
	g.eq = g.equilibrium()
	return g, nil
}

// RandomCournot returns a Cournot oligopoly of n firms with a = 100,
// b = 1 and costs drawn uniformly from [10, 30) by a PCG generator seeded
// with seed. Its equilibrium is the closed form of NewCournot (firms with
// cost above the equilibrium price produce nothing).
func RandomCournot(n int, seed uint64) (*Cournot, error) {
	if n < 1 {
		return nil, fmt.Errorf("games: cournot: n = %d firms, want ≥ 1", n)
	}
	rng := rand.New(rand.NewPCG(seed, 0xc0))
	c := make([]float64, n)
	for i := range c {
		c[i] = 10 + 20*rng.Float64()
	}
	return NewCournot(100, 1, c)
}

// equilibrium computes q* by adding firms in order of increasing cost
// until the next one would not produce at the resulting price.
func (g *Cournot) equilibrium() []float64 {
	n := len(g.c)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(g.c[i], g.c[j]) })
	price, sum := g.a, 0.0 // with no firm active, P = a
	for k, i := range order {
		if g.c[i] >= price {
			break // this firm and all costlier ones stay out
		}
		sum += g.c[i]
		price = (g.a + sum) / float64(k+2)
	}
	q := make([]float64, n)
	for i, c := range g.c {
		q[i] = max(0, (price-c)/g.b)
	}
	return q
}

// Players returns N.
func (g *Cournot) Players() int { return len(g.c) }

// Blocks returns N ones: each firm chooses one quantity.
func (g *Cournot) Blocks() []int { return g.blocks }

// ActionSet returns the half-line q_i ≥ 0.
func (g *Cournot) ActionSet(int) vi.Set { return vi.NonNegative{} }

// Set returns the joint action set, the nonnegative orthant.
func (g *Cournot) Set() vi.Set { return vi.NonNegative{} }

// Operator returns F(q) = b(Q + q_i) + c_i − a, evaluated in O(N); it
// reports its Lipschitz constant b(N + 1) and its affine parts (the
// dense matrix b(11ᵀ + I) is built on first request).
func (g *Cournot) Operator() vi.Operator { return g.op }

// Problem returns VI(F, R₊ᴺ) started at q = 0, no firm producing.
func (g *Cournot) Problem() *vi.Problem {
	return &vi.Problem{F: g.op, C: vi.NonNegative{}, Z0: make([]float64, len(g.c))}
}

// Equilibrium returns a copy of the unique Nash equilibrium q*.
func (g *Cournot) Equilibrium() []float64 { return slices.Clone(g.eq) }

// Price returns P(Q) = a − bQ at the quantities q.
func (g *Cournot) Price(q []float64) float64 { return g.a - g.b*cournotSum(q) }

// Mu returns the strong monotonicity modulus b (exact).
func (g *Cournot) Mu() float64 { return g.b }

// Lipschitz returns the Lipschitz constant b(N + 1) of F (exact).
func (g *Cournot) Lipschitz() float64 { return g.b * float64(len(g.c)+1) }

// Loss returns firm i's loss −π_i(q) = q_i(bQ + c_i − a).
func (g *Cournot) Loss(i int, q []float64) float64 {
	g.op.check(q)
	return q[i] * (g.b*cournotSum(q) + g.c[i] - g.a)
}

// Profit returns firm i's profit π_i(q) = q_i(a − bQ − c_i).
func (g *Cournot) Profit(i int, q []float64) float64 { return -g.Loss(i, q) }

// BestResponse sets dst[0] to firm i's best response
// max(0, (a − c_i − bQ_−i)/(2b)) and returns its loss −b·dst[0]².
func (g *Cournot) BestResponse(i int, dst, q []float64) float64 {
	g.op.check(q)
	r := max(0, (g.a-g.c[i]-g.b*(cournotSum(q)-q[i]))/(2*g.b))
	dst[0] = r
	return -g.b * r * r
}

// NashGap returns Σ_i (loss_i(q) − min_u loss_i(u, q_−i)), with best
// responses in closed form; it is 0 exactly at q*.
func (g *Cournot) NashGap(q []float64) float64 { return contNashGapOf("Cournot", g, q) }

// Hindsight returns a record whose best fixed quantity is the best
// response to the mean play (the losses are affine in q_−i); its memory
// does not grow with the rounds.
func (g *Cournot) Hindsight(int) Hindsight { return contNewMeanHindsight(g) }

// cournotSum returns Σ q_j.
func cournotSum(q []float64) float64 {
	var s float64
	for _, v := range q {
		s += v
	}
	return s
}

// cournotOp is the pseudo-gradient of a Cournot game.
type cournotOp struct {
	g    *Cournot
	once sync.Once
	m    *mat.Dense
	q    []float64
}

func (o *cournotOp) check(q []float64) {
	if len(q) != len(o.g.c) {
		panic(fmt.Sprintf("games: Cournot: len(q) = %d, want %d firms", len(q), len(o.g.c)))
	}
}

// Dim returns N.
func (o *cournotOp) Dim() int { return len(o.g.c) }

// Apply sets dst_i = b(Q + q_i) + c_i − a.
func (o *cournotOp) Apply(dst, q []float64) {
	o.check(q)
	o.check(dst)
	g := o.g
	bq := g.b * cournotSum(q)
	for i, v := range q {
		dst[i] = bq + g.b*v + g.c[i] - g.a
	}
}

// Lipschitz returns b(N + 1).
func (o *cournotOp) Lipschitz() float64 { return o.g.Lipschitz() }

// Affine returns M = b(11ᵀ + I) and c − a1, built on the first call.
func (o *cournotOp) Affine() (mat.Matrix, []float64) {
	o.once.Do(func() {
		g := o.g
		n := len(g.c)
		o.m = mat.NewDense(n, n, nil)
		o.q = make([]float64, n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				o.m.Set(i, j, g.b)
			}
			o.m.Set(i, i, 2*g.b)
			o.q[i] = g.c[i] - g.a
		}
	})
	return o.m, o.q
}
