package games

import (
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/vi"
)

// A ContinuousGame is an N-player game with continuous actions: player i
// picks x_i in a closed convex set X_i ⊆ R^{d_i} and minimizes its loss
// loss_i(x) of the joint action x = (x_1, …, x_N), convex in x_i. As a VI
// it is VI(F, X_1 × … × X_N) with the pseudo-gradient
//
//	F(x) = (∇_{x_1} loss_1(x), …, ∇_{x_N} loss_N(x)),
//
// whose solutions are the Nash equilibria; the game is monotone when F is.
// Cournot, Kelly, QuadraticGame and MatrixPlay implement it, and
// LearningDynamics plays it repeatedly with one online learner per player.
// Methods that take a joint action x need len(x) = d_1 + … + d_N and must
// not allocate; they may panic on wrong lengths.
type ContinuousGame interface {
	// Blocks returns d_1, …, d_N; the joint action lists the players'
	// actions in this order. The slice is borrowed.
	Blocks() []int
	// ActionSet returns X_i ⊆ R^{d_i}; nil means R^{d_i}.
	ActionSet(i int) vi.Set
	// Operator returns the pseudo-gradient F.
	Operator() vi.Operator
	// Loss returns loss_i(x).
	Loss(i int, x []float64) float64
	// BestResponse sets dst (length d_i) to a minimizer of
	// loss_i(·, x_−i) over X_i and returns the minimum; x_i is ignored.
	BestResponse(i int, dst, x []float64) float64
	// Hindsight returns an empty record of play for computing each
	// player's best fixed action in hindsight, sized for rounds rounds.
	Hindsight(rounds int) Hindsight
}

// A Hindsight records the joint actions x¹, …, x^T of repeated play and
// finds each player's best fixed action against them,
//
//	min_{u ∈ X_i} Σ_{t=1..T} loss_i(u, x_−i^t),
//
// the comparator of external regret (ALGORITHMS.md A6).
type Hindsight interface {
	// Observe records one round's joint action. It must not allocate
	// while fewer rounds than the record was sized for have been seen.
	Observe(x []float64)
	// Best sets dst (length d_i) to the best fixed action of player i
	// against the rounds observed and returns its cumulative loss; with no
	// round observed it returns 0. It must not allocate.
	Best(i int, dst []float64) float64
	// Rounds returns the number of rounds observed.
	Rounds() int
}

// contOffsets returns the offsets of the blocks in the joint vector and
// their total.
func contOffsets(blocks []int) ([]int, int) {
	off := make([]int, len(blocks))
	n := 0
	for i, d := range blocks {
		off[i] = n
		n += d
	}
	return off, n
}

// contCheckBlocks validates a game's blocks.
func contCheckBlocks(name string, blocks []int) error {
	if len(blocks) == 0 {
		return fmt.Errorf("games: %s: no players", name)
	}
	for i, d := range blocks {
		if d < 1 {
			return fmt.Errorf("games: %s: player %d has %d action dimensions, want ≥ 1", name, i, d)
		}
	}
	return nil
}

// contNashGap returns Σ_i (loss_i(x) − min_{u ∈ X_i} loss_i(u, x_−i)),
// the Nash gap (total gap, ALGORITHMS.md §1.4), with each term clamped at
// 0 against rounding. buf needs room for the largest block.
func contNashGap(g ContinuousGame, x, buf []float64) float64 {
	var gap float64
	for i, d := range g.Blocks() {
		gap += max(0, g.Loss(i, x)-g.BestResponse(i, buf[:d], x))
	}
	return gap
}

// contMaxBlock returns the largest block dimension.
func contMaxBlock(blocks []int) int {
	m := 0
	for _, d := range blocks {
		m = max(m, d)
	}
	return m
}

// contNashGapOf is contNashGap with its own buffer, for the exported
// NashGap methods. It checks the length of x.
func contNashGapOf(name string, g ContinuousGame, x []float64) float64 {
	blocks := g.Blocks()
	_, n := contOffsets(blocks)
	if len(x) != n {
		panic(fmt.Sprintf("games: %s.NashGap: len(x) = %d, want %d", name, len(x), n))
	}
	return contNashGap(g, x, make([]float64, contMaxBlock(blocks)))
}

// contMeanHindsight is the Hindsight of a game whose every loss is affine
// in the opponents' actions for each fixed own action, loss_i(u, ·)
// affine on the joint space: then
//
//	Σ_{t=1..T} loss_i(u, x_−i^t) = T · loss_i(u, x̄_−i),  x̄ = (1/T) Σ_t x^t,
//
// so the best fixed action in hindsight is the best response to the mean
// play, scaled by T. It keeps the running sum only: O(n) memory whatever
// the number of rounds.
type contMeanHindsight struct {
	g    ContinuousGame
	sum  []float64
	mean []float64
	t    int
}

func contNewMeanHindsight(g ContinuousGame) *contMeanHindsight {
	_, n := contOffsets(g.Blocks())
	return &contMeanHindsight{g: g, sum: make([]float64, n), mean: make([]float64, n)}
}

// Observe adds x to the running sum.
func (h *contMeanHindsight) Observe(x []float64) {
	if len(x) != len(h.sum) {
		panic(fmt.Sprintf("games: Hindsight.Observe: len(x) = %d, want %d", len(x), len(h.sum)))
	}
	for k, v := range x {
		h.sum[k] += v
	}
	h.t++
}

// Best returns T times the best response to the mean play.
func (h *contMeanHindsight) Best(i int, dst []float64) float64 {
	if h.t == 0 {
		clear(dst)
		return 0
	}
	inv := 1 / float64(h.t)
	for k, v := range h.sum {
		h.mean[k] = inv * v
	}
	return float64(h.t) * h.g.BestResponse(i, dst, h.mean)
}

// Rounds returns the number of rounds observed.
func (h *contMeanHindsight) Rounds() int { return h.t }

// contFinite reports whether v is neither NaN nor infinite.
func contFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
