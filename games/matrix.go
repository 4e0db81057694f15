package games

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/saddlepoint/saddle/internal/kernel"
	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// A MatrixGame is a two-player zero-sum game in normal form: the row player
// picks x ∈ Δ_m, the column player y ∈ Δ_n, and the row player receives
// xᵀAy from the column player.
type MatrixGame struct {
	a *mat.Dense
}

// NewMatrixGame returns the game with payoff matrix A for the row player.
// A is copied. It returns an error for an empty matrix or a non-finite
// entry.
func NewMatrixGame(a mat.Matrix) (*MatrixGame, error) {
	if a == nil {
		return nil, fmt.Errorf("games: matrix game: no payoff matrix")
	}
	m, n := a.Dims()
	if m == 0 || n == 0 {
		return nil, fmt.Errorf("games: matrix game: payoff matrix is %d×%d, want at least 1×1", m, n)
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			if v := a.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("games: matrix game: payoff A[%d][%d] = %v is not finite", i, j, v)
			}
		}
	}
	return &MatrixGame{a: mat.DenseCopyOf(a)}, nil
}

// mustGame builds a game from literal rows known to be valid.
func mustGame(m, n int, data []float64) *MatrixGame {
	g, err := NewMatrixGame(mat.NewDense(m, n, data))
	if err != nil {
		panic(err)
	}
	return g
}

// MatchingPennies is A = [[1, −1], [−1, 1]]: the unique equilibrium is
// x* = y* = (1/2, 1/2) and the value is 0 (OpenSpiel matrix_mp).
func MatchingPennies() *MatrixGame {
	return mustGame(2, 2, []float64{1, -1, -1, 1})
}

// RPS is rock-paper-scissors, A = [[0, −1, 1], [1, 0, −1], [−1, 1, 0]]
// (order rock, paper, scissors): the unique equilibrium is uniform play by
// both and the value is 0 (OpenSpiel matrix_rps).
func RPS() *MatrixGame {
	return mustGame(3, 3, []float64{0, -1, 1, 1, 0, -1, -1, 1, 0})
}

// BiasedRPS is A = [[0, −25, 50], [25, 0, −5], [−50, 5, 0]]: the unique
// equilibrium is x* = y* = (1/16, 10/16, 5/16), value 0 (OpenSpiel
// matrix_brps, from Bošanský et al. 2016; it solves Ax* = 0).
func BiasedRPS() *MatrixGame {
	return mustGame(3, 3, []float64{0, -25, 50, 25, 0, -5, -50, 5, 0})
}

// RandomGame returns an m×n game with payoffs drawn uniformly from
// [−1, 1] by a PCG generator seeded with seed. Its value and equilibria
// come from Solve (an exact LP), not from a closed form.
func RandomGame(m, n int, seed uint64) (*MatrixGame, error) {
	if m < 1 || n < 1 {
		return nil, fmt.Errorf("games: random game: size %d×%d, want at least 1×1", m, n)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5ad))
	data := make([]float64, m*n)
	for i := range data {
		data[i] = 2*rng.Float64() - 1
	}
	return &MatrixGame{a: mat.NewDense(m, n, data)}, nil
}

// Dims returns the numbers of row and column strategies.
func (g *MatrixGame) Dims() (m, n int) { return g.a.Dims() }

// Payoffs returns the payoff matrix A; borrowed, not to be modified.
func (g *MatrixGame) Payoffs() *mat.Dense { return g.a }

// Operator returns F(x, y) = (−Ay, Aᵀx) as a monotone.Bilinear over
// z = (x, y), evaluated in one pass over A.
func (g *MatrixGame) Operator() *monotone.Bilinear {
	var neg mat.Dense
	neg.Scale(-1, g.a)
	b, err := monotone.NewBilinear(&neg, nil, nil)
	if err != nil {
		panic(err) // the matrix was validated when the game was built
	}
	return b
}

// Set returns the strategy space Δ_m × Δ_n.
func (g *MatrixGame) Set() vi.Product {
	m, n := g.a.Dims()
	return vi.Product{Blocks: []vi.Set{vi.Simplex{}, vi.Simplex{}}, Dims: []int{m, n}}
}

// Uniform returns the point where both players mix uniformly.
func (g *MatrixGame) Uniform() []float64 {
	m, n := g.a.Dims()
	z := make([]float64, m+n)
	for i := range z[:m] {
		z[i] = 1 / float64(m)
	}
	for j := m; j < m+n; j++ {
		z[j] = 1 / float64(n)
	}
	return z
}

// Start returns the default start point: x_i ∝ i + 1 and y_j ∝ n − j, two
// skewed mixed strategies. Uniform play is the equilibrium of many
// classic games (rock-paper-scissors, matching pennies), so it would make
// a poor start.
func (g *MatrixGame) Start() []float64 {
	m, n := g.a.Dims()
	z := make([]float64, m+n)
	sx := float64(m*(m+1)) / 2
	for i := 0; i < m; i++ {
		z[i] = float64(i+1) / sx
	}
	sy := float64(n*(n+1)) / 2
	for j := 0; j < n; j++ {
		z[m+j] = float64(n-j) / sy
	}
	return z
}

// Problem returns the game as VI(F, Δ_m × Δ_n) started at Start().
func (g *MatrixGame) Problem() *vi.Problem {
	return &vi.Problem{F: g.Operator(), C: g.Set(), Z0: g.Start()}
}

// Split returns the x and y parts of z = (x, y), sharing its memory.
func (g *MatrixGame) Split(z []float64) (x, y []float64) {
	m, _ := g.a.Dims()
	return z[:m], z[m:]
}

// DualityGap returns max_i (Ay)_i − min_j (Aᵀx)_j: what the two players
// together could gain by best responses to (x, y). It is ≥ 0 on strategy
// profiles and 0 exactly at equilibria (for two zero-sum players it
// equals OpenSpiel's NashConv). x and y must have the game's dimensions.
// It reads A once, with the fused kernel of the game's operator, and does
// not allocate once its scratch pool is warm; it is safe for concurrent
// use.
func (g *MatrixGame) DualityGap(x, y []float64) float64 {
	m, n := g.a.Dims()
	if len(x) != m || len(y) != n {
		panic(fmt.Sprintf("games: DualityGap: len(x) = %d, len(y) = %d for a %d×%d game", len(x), len(y), m, n))
	}
	buf := gapScratch.Get().(*[]float64)
	if cap(*buf) < m+n {
		*buf = make([]float64, m+n)
	}
	ay, atx := (*buf)[:m], (*buf)[m:m+n]
	raw := g.a.RawMatrix()
	kernel.Bilinear(ay, atx, raw.Data, raw.Stride, m, n, x, y)
	gap := floats.Max(ay) - floats.Min(atx)
	gapScratch.Put(buf)
	return gap
}

// gapScratch holds the A·y and Aᵀ·x buffers of DualityGap.
var gapScratch = sync.Pool{New: func() any { return new([]float64) }}

// GapOf returns the duality gap at z = (x, y).
func (g *MatrixGame) GapOf(z []float64) float64 {
	x, y := g.Split(z)
	return g.DualityGap(x, y)
}

// ExpectedPayoff returns xᵀAy, the row player's expected payoff.
func (g *MatrixGame) ExpectedPayoff(x, y []float64) float64 {
	var s float64
	m, _ := g.a.Dims()
	for i := 0; i < m; i++ {
		s += x[i] * floatsDot(g.a.RawRowView(i), y)
	}
	return s
}

func floatsDot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// Solve returns the value of the game and an optimal strategy of each
// player, computed exactly (up to the simplex method's tolerance) by
// gonum's LP solver. With the payoffs shifted to P = A − min(A) + 1 > 0,
// the row player's problem min 1ᵀu s.t. Pᵀu ≥ 1, u ≥ 0 gives value
// 1/1ᵀu and x = u/1ᵀu; the column player's max 1ᵀw s.t. Pw ≤ 1 gives y
// (von Neumann's minimax theorem: both values agree).
func (g *MatrixGame) Solve() (value float64, x, y []float64, err error) {
	m, n := g.a.Dims()
	shift := mat.Min(g.a) - 1
	// Row player: variables (u ∈ R^m, s ∈ R^n), Pᵀu − s = 1.
	c := make([]float64, m+n)
	for i := 0; i < m; i++ {
		c[i] = 1
	}
	eq := mat.NewDense(n, m+n, nil)
	ones := make([]float64, n)
	for j := 0; j < n; j++ {
		for i := 0; i < m; i++ {
			eq.Set(j, i, g.a.At(i, j)-shift)
		}
		eq.Set(j, m+j, -1)
		ones[j] = 1
	}
	opt, sol, err := lp.Simplex(c, eq, ones, 1e-12, nil)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("games: solving the row player's LP: %w", err)
	}
	x = make([]float64, m)
	for i := range x {
		x[i] = sol[i] / opt
	}
	// Column player: variables (w ∈ R^n, t ∈ R^m), Pw + t = 1, min −1ᵀw.
	c = make([]float64, n+m)
	for j := 0; j < n; j++ {
		c[j] = -1
	}
	eq = mat.NewDense(m, n+m, nil)
	ones = make([]float64, m)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			eq.Set(i, j, g.a.At(i, j)-shift)
		}
		eq.Set(i, n+i, 1)
		ones[i] = 1
	}
	opt2, sol2, err := lp.Simplex(c, eq, ones, 1e-12, nil)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("games: solving the column player's LP: %w", err)
	}
	y = make([]float64, n)
	for j := range y {
		y[j] = sol2[j] / -opt2
	}
	return 1/opt + shift, x, y, nil
}
