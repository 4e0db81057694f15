package games

import (
	"fmt"

	"github.com/saddlepoint/saddle/vi"
)

// MatrixPlay is a zero-sum matrix game played as a two-player continuous
// game over mixed strategies: the row player picks x ∈ Δ_m with loss
// −xᵀAy, the column player y ∈ Δ_n with loss xᵀAy, so that the
// pseudo-gradient is the game's operator F(x, y) = (−Ay, Aᵀx) on
// Δ_m × Δ_n. Best responses are pure strategies (a vertex of the
// simplex), the Nash gap is the duality gap max_i (Ay)_i − min_j (Aᵀx)_j,
// and, the losses being bilinear, the best fixed strategy in hindsight is
// the best response to the opponent's mean play. It lets LearningDynamics
// run online learners on matrix games (matching pennies, RPS).
type MatrixPlay struct {
	g      *MatrixGame
	blocks []int
	op     vi.Operator
}

// NewMatrixPlay returns the game g played over mixed strategies.
func NewMatrixPlay(g *MatrixGame) (*MatrixPlay, error) {
	if g == nil {
		return nil, fmt.Errorf("games: matrix play: no game")
	}
	m, n := g.Dims()
	return &MatrixPlay{g: g, blocks: []int{m, n}, op: g.Operator()}, nil
}

// Game returns the matrix game.
func (p *MatrixPlay) Game() *MatrixGame { return p.g }

// Blocks returns (m, n).
func (p *MatrixPlay) Blocks() []int { return p.blocks }

// ActionSet returns the probability simplex.
func (p *MatrixPlay) ActionSet(int) vi.Set { return vi.Simplex{} }

// Operator returns F(x, y) = (−Ay, Aᵀx).
func (p *MatrixPlay) Operator() vi.Operator { return p.op }

// Loss returns −xᵀAy for the row player (i = 0) and xᵀAy for the column
// player (i = 1).
func (p *MatrixPlay) Loss(i int, z []float64) float64 {
	x, y := p.split(z)
	v := p.g.ExpectedPayoff(x, y)
	if i == 0 {
		return -v
	}
	return v
}

// BestResponse sets dst to a pure best response (the first one in index
// order) and returns its loss: −max_k (Ay)_k for the row player,
// min_k (Aᵀx)_k for the column player.
func (p *MatrixPlay) BestResponse(i int, dst, z []float64) float64 {
	x, y := p.split(z)
	a := p.g.Payoffs()
	m, n := a.Dims()
	best, arg := 0.0, 0
	if i == 0 {
		for k := 0; k < m; k++ {
			if v := floatsDot(a.RawRowView(k), y); k == 0 || v > best {
				best, arg = v, k
			}
		}
		best = -best
	} else {
		raw := a.RawMatrix()
		for k := 0; k < n; k++ {
			var v float64
			for r := 0; r < m; r++ {
				v += x[r] * raw.Data[r*raw.Stride+k]
			}
			if k == 0 || v < best {
				best, arg = v, k
			}
		}
	}
	clear(dst)
	dst[arg] = 1
	return best
}

// NashGap returns the duality gap max_k (Ay)_k − min_k (Aᵀx)_k at
// z = (x, y).
func (p *MatrixPlay) NashGap(z []float64) float64 { return p.g.GapOf(z) }

// Hindsight returns a record whose best fixed strategy is the best
// response to the opponent's mean play; its memory does not grow with
// the rounds.
func (p *MatrixPlay) Hindsight(int) Hindsight { return contNewMeanHindsight(p) }

func (p *MatrixPlay) split(z []float64) (x, y []float64) {
	if len(z) != p.blocks[0]+p.blocks[1] {
		panic(fmt.Sprintf("games: MatrixPlay: len(z) = %d, want %d", len(z), p.blocks[0]+p.blocks[1]))
	}
	return p.g.Split(z)
}
