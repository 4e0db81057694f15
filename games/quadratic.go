package games

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// QuadraticGame is a strongly monotone quadratic game (ALGORITHMS.md Part
// B6.3): player i chooses x_i ∈ R^{d_i} and minimizes
//
//	loss_i(x) = ½ x_iᵀQ_ii x_i + x_iᵀ Σ_{j≠i} Q_ij x_j + q_iᵀx_i,
//
// so that the pseudo-gradient is F(x) = Qx + q with Q = [Q_ij] in block
// rows. Each Q_ii is symmetric positive definite (every loss strongly
// convex in the player's own action) and μ = λ_min((Q + Qᵀ)/2) > 0, so F
// is μ-strongly monotone and ‖Q‖₂-Lipschitz, both exact, and the unique
// Nash equilibrium is x* = −Q⁻¹q, computed by an LU solve. The actions are
// unconstrained; with box constraints the equilibrium would have no closed
// form. The best response is −Q_ii⁻¹(Σ_{j≠i} Q_ij x_j + q_i), by a
// Cholesky solve, and each loss is affine in the others' actions, so the
// best fixed action in hindsight is the best response to the mean play.
type QuadraticGame struct {
	m      *mat.Dense
	r      []float64
	blocks []int
	offs   []int
	chol   [][]float64 // lower Cholesky factor of each Q_ii, row-major
	op     *monotone.Affine
	eq, z0 []float64
	mu, l  float64
}

// NewQuadraticGame returns the quadratic game with n×n matrix Q, linear
// term q of length n and action dimensions blocks (summing to n), all
// copied, started at the origin. It returns an error naming the fault for
// bad shapes, non-finite entries, a diagonal block Q_ii that is not
// symmetric (to 1e-12 relative) or not positive definite, and a Q whose
// symmetric part is not positive definite (not strongly monotone).
func NewQuadraticGame(q mat.Matrix, r []float64, blocks []int) (*QuadraticGame, error) {
	const name = "games: quadratic game"
	if err := contCheckBlocks("quadratic game", blocks); err != nil {
		return nil, err
	}
	offs, n := contOffsets(blocks)
	if q == nil {
		return nil, fmt.Errorf("%s: no matrix Q", name)
	}
	if rows, cols := q.Dims(); rows != n || cols != n {
		return nil, fmt.Errorf("%s: Q is %d×%d, want %d×%d for blocks %v", name, rows, cols, n, n, blocks)
	}
	if len(r) != n {
		return nil, fmt.Errorf("%s: q has length %d, want %d", name, len(r), n)
	}
	m := mat.DenseCopyOf(q)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if v := m.At(i, j); !contFinite(v) {
				return nil, fmt.Errorf("%s: Q[%d][%d] = %v is not finite", name, i, j, v)
			}
		}
		if !contFinite(r[i]) {
			return nil, fmt.Errorf("%s: q[%d] = %v is not finite", name, i, r[i])
		}
	}
	g := &QuadraticGame{m: m, r: slices.Clone(r), blocks: slices.Clone(blocks), offs: offs, z0: make([]float64, n)}
	for i, d := range blocks {
		o := offs[i]
		var scale float64
		for k := 0; k < d; k++ {
			for l := 0; l < d; l++ {
				scale = max(scale, math.Abs(m.At(o+k, o+l)))
			}
		}
		blk := mat.NewSymDense(d, nil)
		for k := 0; k < d; k++ {
			for l := k; l < d; l++ {
				if math.Abs(m.At(o+k, o+l)-m.At(o+l, o+k)) > 1e-12*scale {
					return nil, fmt.Errorf("%s: block Q_%d%d of player %d is not symmetric: Q[%d][%d] = %v, Q[%d][%d] = %v", name, i, i, i, o+k, o+l, m.At(o+k, o+l), o+l, o+k, m.At(o+l, o+k))
				}
				blk.SetSym(k, l, m.At(o+k, o+l))
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(blk) {
			return nil, fmt.Errorf("%s: block Q_%d%d of player %d is not positive definite: the player's loss is not strongly convex", name, i, i, i)
		}
		var lo mat.TriDense
		ch.LTo(&lo)
		f := make([]float64, d*d)
		for k := 0; k < d; k++ {
			for l := 0; l <= k; l++ {
				f[k*d+l] = lo.At(k, l)
			}
		}
		g.chol = append(g.chol, f)
	}
	sym := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			sym.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, false) {
		return nil, fmt.Errorf("%s: eigendecomposition of (Q + Qᵀ)/2 failed", name)
	}
	g.mu = eig.Values(nil)[0]
	if !(g.mu > 0) {
		return nil, fmt.Errorf("%s: λ_min((Q + Qᵀ)/2) = %v, want > 0 (strongly monotone)", name, g.mu)
	}
	var lu mat.LU
	lu.Factorize(m)
	x := mat.NewVecDense(n, nil)
	if err := lu.SolveVecTo(x, false, mat.NewVecDense(n, slices.Clone(r))); err != nil {
		return nil, fmt.Errorf("%s: solving Qx = −q: %w", name, err)
	}
	g.eq = make([]float64, n)
	for i := range g.eq {
		g.eq[i] = -x.AtVec(i)
	}
	op, err := monotone.NewAffine(m, g.r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	g.op = op
	g.l = op.Lipschitz()
	return g, nil
}

// RandomQuadraticGame returns a quadratic game of n players with 2-D
// actions, drawn by a PCG generator seeded with seed:
// Q_ii = I + H_iH_iᵀ/4 with H_i 2×2 standard Gaussian, and off the
// diagonal blocks ½·S/‖S‖₂ + 2·K/‖K‖₂, where S and K are the symmetric and
// skew parts of a standard Gaussian matrix with zero diagonal blocks. So
// (Q + Qᵀ)/2 ⪰ ½I (μ ≥ ½, reported exactly by Mu), the skew part gives the
// game its rotation (L ≈ 3), and q and the start point are standard
// Gaussian.
func RandomQuadraticGame(n int, seed uint64) (*QuadraticGame, error) {
	if n < 1 {
		return nil, fmt.Errorf("games: quadratic game: n = %d players, want ≥ 1", n)
	}
	const d = 2
	dim := n * d
	rng := rand.New(rand.NewPCG(seed, 0x9a))
	q := mat.NewDense(dim, dim, nil)
	for i := 0; i < n; i++ {
		h := mat.NewDense(d, d, nil)
		for k := 0; k < d; k++ {
			for l := 0; l < d; l++ {
				h.Set(k, l, rng.NormFloat64())
			}
		}
		var hh mat.Dense
		hh.Mul(h, h.T())
		for k := 0; k < d; k++ {
			for l := 0; l < d; l++ {
				v := hh.At(k, l) / 4
				if k == l {
					v++
				}
				q.Set(i*d+k, i*d+l, v)
			}
		}
	}
	if n > 1 {
		g := mat.NewDense(dim, dim, nil)
		for r := 0; r < dim; r++ {
			for c := 0; c < dim; c++ {
				if r/d != c/d {
					g.Set(r, c, rng.NormFloat64())
				}
			}
		}
		var s, k mat.Dense
		s.Add(g, g.T())
		s.Scale(0.5, &s)
		k.Sub(g, g.T())
		k.Scale(0.5, &k)
		s.Scale(0.5/monotone.SpectralNorm(&s), &s)
		k.Scale(2/monotone.SpectralNorm(&k), &k)
		q.Add(q, &s)
		q.Add(q, &k)
	}
	r, z0 := make([]float64, dim), make([]float64, dim)
	for i := range r {
		r[i] = rng.NormFloat64()
	}
	for i := range z0 {
		z0[i] = rng.NormFloat64()
	}
	blocks := make([]int, n)
	for i := range blocks {
		blocks[i] = d
	}
	g, err := NewQuadraticGame(q, r, blocks)
	if err != nil {
		return nil, err
	}
	g.z0 = z0
	return g, nil
}

// Players returns N.
func (g *QuadraticGame) Players() int { return len(g.blocks) }

// Blocks returns d_1, …, d_N.
func (g *QuadraticGame) Blocks() []int { return g.blocks }

// ActionSet returns nil: every player's actions are unconstrained.
func (g *QuadraticGame) ActionSet(int) vi.Set { return nil }

// Set returns nil, the whole space.
func (g *QuadraticGame) Set() vi.Set { return nil }

// Operator returns F(x) = Qx + q as a *monotone.Affine (exact Lipschitz
// constant and affine parts).
func (g *QuadraticGame) Operator() vi.Operator { return g.op }

// Problem returns the unconstrained VI(F, Rⁿ) with the game's start: the
// origin from NewQuadraticGame, a Gaussian point from RandomQuadraticGame.
func (g *QuadraticGame) Problem() *vi.Problem {
	return &vi.Problem{F: g.op, Z0: slices.Clone(g.z0)}
}

// Equilibrium returns a copy of the unique Nash equilibrium −Q⁻¹q.
func (g *QuadraticGame) Equilibrium() []float64 { return slices.Clone(g.eq) }

// Mu returns λ_min((Q + Qᵀ)/2), the exact strong monotonicity modulus.
func (g *QuadraticGame) Mu() float64 { return g.mu }

// Lipschitz returns ‖Q‖₂, the exact Lipschitz constant.
func (g *QuadraticGame) Lipschitz() float64 { return g.l }

func (g *QuadraticGame) check(x []float64) {
	if len(x) != len(g.r) {
		panic(fmt.Sprintf("games: QuadraticGame: len(x) = %d, want %d", len(x), len(g.r)))
	}
}

// quadraticRowDot returns Σ_{j ∈ [lo, hi)} Q_kj x_j.
func (g *QuadraticGame) quadraticRowDot(k, lo, hi int, x []float64) float64 {
	raw := g.m.RawMatrix()
	row := raw.Data[k*raw.Stride+lo : k*raw.Stride+hi]
	var s float64
	for j, v := range row {
		s += v * x[lo+j]
	}
	return s
}

// Loss returns loss_i(x) = x_iᵀ((Qx + q)_i − ½Q_ii x_i).
func (g *QuadraticGame) Loss(i int, x []float64) float64 {
	g.check(x)
	o, d := g.offs[i], g.blocks[i]
	var s float64
	for k := o; k < o+d; k++ {
		full := g.quadraticRowDot(k, 0, len(x), x) + g.r[k]
		own := g.quadraticRowDot(k, o, o+d, x)
		s += x[k] * (full - own/2)
	}
	return s
}

// BestResponse sets dst = −Q_ii⁻¹b_i, b_i = Σ_{j≠i} Q_ij x_j + q_i, and
// returns its loss −½ b_iᵀQ_ii⁻¹b_i, by forward and back substitution with
// the Cholesky factor of Q_ii in place in dst.
func (g *QuadraticGame) BestResponse(i int, dst, x []float64) float64 {
	g.check(x)
	o, d := g.offs[i], g.blocks[i]
	if len(dst) != d {
		panic(fmt.Sprintf("games: QuadraticGame.BestResponse: len(dst) = %d, want %d", len(dst), d))
	}
	for k := 0; k < d; k++ {
		r := o + k
		dst[k] = g.quadraticRowDot(r, 0, o, x) + g.quadraticRowDot(r, o+d, len(x), x) + g.r[r]
	}
	f := g.chol[i]
	var val float64
	for k := 0; k < d; k++ { // solve L y = b in place
		s := dst[k]
		for l := 0; l < k; l++ {
			s -= f[k*d+l] * dst[l]
		}
		dst[k] = s / f[k*d+k]
		val += dst[k] * dst[k] // bᵀQ_ii⁻¹b = ‖y‖²
	}
	for k := d - 1; k >= 0; k-- { // solve Lᵀu = y in place
		s := dst[k]
		for l := k + 1; l < d; l++ {
			s -= f[l*d+k] * dst[l]
		}
		dst[k] = s / f[k*d+k]
	}
	for k := range dst {
		dst[k] = -dst[k]
	}
	return -val / 2
}

// NashGap returns Σ_i (loss_i(x) − min_u loss_i(u, x_−i)) =
// Σ_i ½ F_i(x)ᵀQ_ii⁻¹F_i(x), with best responses in closed form; it is 0
// exactly at x*.
func (g *QuadraticGame) NashGap(x []float64) float64 {
	return contNashGapOf("QuadraticGame", g, x)
}

// Hindsight returns a record whose best fixed action is the best response
// to the mean play (the losses are affine in x_−i); its memory does not
// grow with the rounds.
func (g *QuadraticGame) Hindsight(int) Hindsight { return contNewMeanHindsight(g) }
