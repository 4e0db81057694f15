package games

import (
	"fmt"

	"github.com/saddlepoint/saddle/vi"
)

// NormalFormPlay is a NormalFormGame played over mixed strategies, as a
// ContinuousGame: player i picks σ_i in its probability simplex and its
// loss is −u_i(σ), minus its expected payoff. Best responses are pure
// strategies, the Nash gap is the game's NashGap, and the best fixed
// strategy in hindsight is read off the sum of the deviation payoffs
// Σ_t u_i(s, σ_−i^t) over the rounds: with three or more players u_i(s, ·)
// is multilinear, not linear, in the others' mixtures, so the mean play
// would not do. It lets LearningDynamics run online learners (Hedge and
// optimistic Hedge, the gradient learners) on any game read from a
// Gambit .nfg file.
//
// A NormalFormPlay keeps scratch space for Loss and BestResponse; like the
// game's Operator it is for one goroutine at a time.
type NormalFormPlay struct {
	g      *NormalFormGame
	blocks []int
	op     *NormalFormOperator
	dev, u []float64 // deviation payoffs (Dim) and expected payoffs (N)
}

// NewNormalFormPlay returns g played over mixed strategies.
func NewNormalFormPlay(g *NormalFormGame) (*NormalFormPlay, error) {
	if g == nil {
		return nil, fmt.Errorf("games: normal-form play: no game")
	}
	blocks := make([]int, g.NumPlayers())
	for i := range blocks {
		blocks[i] = g.NumStrategies(i)
	}
	return &NormalFormPlay{g: g, blocks: blocks, op: g.Operator(),
		dev: make([]float64, g.Dim()), u: make([]float64, g.NumPlayers())}, nil
}

// Game returns the normal-form game.
func (p *NormalFormPlay) Game() *NormalFormGame { return p.g }

// Blocks returns the players' numbers of strategies.
func (p *NormalFormPlay) Blocks() []int { return p.blocks }

// ActionSet returns the probability simplex.
func (p *NormalFormPlay) ActionSet(int) vi.Set { return vi.Simplex{} }

// Operator returns the game's operator, the negated deviation payoffs.
func (p *NormalFormPlay) Operator() vi.Operator { return p.op }

// Loss returns −u_i(σ).
func (p *NormalFormPlay) Loss(i int, sigma []float64) float64 {
	p.g.ExpectedPayoffs(p.u, sigma)
	return -p.u[i]
}

// BestResponse sets dst to a pure best response of player i to σ_−i (the
// first one in index order) and returns its loss, −max_s u_i(s, σ_−i).
func (p *NormalFormPlay) BestResponse(i int, dst, sigma []float64) float64 {
	p.g.DeviationPayoffs(p.dev, sigma)
	return -nfpPure(dst, p.g.Block(p.dev, i))
}

// NashGap returns the game's Nash gap at σ.
func (p *NormalFormPlay) NashGap(sigma []float64) float64 { return p.g.NashGap(sigma) }

// Hindsight returns a record that sums each round's deviation payoffs;
// its memory does not grow with the rounds.
func (p *NormalFormPlay) Hindsight(int) Hindsight {
	return &nfpHindsight{p: p, sum: make([]float64, p.g.Dim()), dev: make([]float64, p.g.Dim())}
}

// nfpHindsight keeps Σ_t u_i(s, σ_−i^t) for every player i and pure s.
type nfpHindsight struct {
	p        *NormalFormPlay
	sum, dev []float64
	t        int
}

// Observe adds the round's deviation payoffs.
func (h *nfpHindsight) Observe(sigma []float64) {
	h.p.g.DeviationPayoffs(h.dev, sigma)
	for k, v := range h.dev {
		h.sum[k] += v
	}
	h.t++
}

// Best sets dst to the pure strategy of player i with the largest total
// payoff against the rounds observed and returns minus that total.
func (h *nfpHindsight) Best(i int, dst []float64) float64 {
	if h.t == 0 {
		clear(dst)
		return 0
	}
	return -nfpPure(dst, h.p.g.Block(h.sum, i))
}

// Rounds returns the number of rounds observed.
func (h *nfpHindsight) Rounds() int { return h.t }

// nfpPure sets dst to the vertex of the first largest entry of v and
// returns that entry.
func nfpPure(dst, v []float64) float64 {
	arg := 0
	for k := range v {
		if v[k] > v[arg] {
			arg = k
		}
	}
	clear(dst)
	dst[arg] = 1
	return v[arg]
}
