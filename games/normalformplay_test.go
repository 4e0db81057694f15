package games

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nfpRandomProfile returns a random interior mixed profile of g.
func nfpRandomProfile(g *NormalFormGame, rng *rand.Rand) []float64 {
	z := make([]float64, g.Dim())
	for i := 0; i < g.NumPlayers(); i++ {
		b := g.Block(z, i)
		var s float64
		for k := range b {
			b[k] = 0.1 + rng.Float64()
			s += b[k]
		}
		for k := range b {
			b[k] /= s
		}
	}
	return z
}

// TestNormalFormPlayMatchesMatrixPlay: on O'Neill's zero-sum game the
// normal-form view and the matrix-game view are the same game: equal
// losses, best-response losses, Nash gaps, and the same regrets when both
// players run Hedge.
func TestNormalFormPlayMatchesMatrixPlay(t *testing.T) {
	g := normalFormLoad(t, "oneill.nfg")
	mg, err := g.MatrixGame()
	require.NoError(t, err)
	nfp, err := NewNormalFormPlay(g)
	require.NoError(t, err)
	mp, err := NewMatrixPlay(mg)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(3, 3))
	a, b := make([]float64, 4), make([]float64, 4)
	for range 10 {
		z := nfpRandomProfile(g, rng)
		for i := 0; i < 2; i++ {
			assert.InDelta(t, mp.Loss(i, z), nfp.Loss(i, z), 1e-12)
			assert.InDelta(t, mp.BestResponse(i, a, z), nfp.BestResponse(i, b, z), 1e-12)
		}
		assert.InDelta(t, mp.NashGap(z), nfp.NashGap(z), 1e-12)
	}
	run := func(game ContinuousGame) *LearningDynamics {
		d := &LearningDynamics{Game: game, X0: g.Start(), Horizon: 3000,
			Learners: []OnlineLearner{&OnlineHedge{Step: 0.1}, &OnlineHedge{Step: 0.1}}}
		require.NoError(t, d.Init())
		require.NoError(t, d.Run(3000))
		return d
	}
	dn, dm := run(nfp), run(mp)
	for i := 0; i < 2; i++ {
		assert.InDelta(t, dm.Regret(i), dn.Regret(i), 1e-9, "player %d", i)
	}
	assert.InDelta(t, dm.AverageNashGap(), dn.AverageNashGap(), 1e-9)
}

// TestNormalFormPlayHindsight: with three players the best fixed strategy
// in hindsight is the one of largest total payoff against the rounds
// actually played (not against their mean); checked by brute force, each
// pure strategy evaluated round by round with ExpectedPayoffs.
func TestNormalFormPlayHindsight(t *testing.T) {
	g := normalFormLoad(t, "5x4x3.nfg")
	p, err := NewNormalFormPlay(g)
	require.NoError(t, err)
	h := p.Hindsight(50)
	rng := rand.New(rand.NewPCG(5, 5))
	var rounds [][]float64
	for range 50 {
		z := nfpRandomProfile(g, rng)
		rounds = append(rounds, z)
		h.Observe(z)
	}
	assert.Equal(t, 50, h.Rounds())
	u := make([]float64, g.NumPlayers())
	for i := 0; i < g.NumPlayers(); i++ {
		bestTotal, bestS := math.Inf(-1), -1
		for s := 0; s < g.NumStrategies(i); s++ {
			var total float64
			for _, z := range rounds {
				w := append([]float64(nil), z...)
				blk := g.Block(w, i)
				clear(blk)
				blk[s] = 1
				g.ExpectedPayoffs(u, w)
				total += u[i]
			}
			if total > bestTotal {
				bestTotal, bestS = total, s
			}
		}
		dst := make([]float64, g.NumStrategies(i))
		loss := h.Best(i, dst)
		assert.InDelta(t, -bestTotal, loss, 1e-10, "player %d", i)
		assert.Equal(t, 1.0, dst[bestS], "player %d", i)
	}
}

// TestNormalFormPlayLearning: optimistic Hedge in self-play on O'Neill's
// game, whose equilibrium is unique, converges in its last play; a round
// of a three-player game allocates nothing.
func TestNormalFormPlayLearning(t *testing.T) {
	g := normalFormLoad(t, "oneill.nfg")
	p, err := NewNormalFormPlay(g)
	require.NoError(t, err)
	d := &LearningDynamics{Game: p, X0: g.Start(), Horizon: 20000,
		Learners: []OnlineLearner{&OnlineHedge{Step: 0.1, Optimistic: true}, &OnlineHedge{Step: 0.1, Optimistic: true}}}
	require.NoError(t, d.Init())
	require.NoError(t, d.Run(20000))
	t.Logf("O'Neill, optimistic Hedge: last Nash gap %.3g, regrets %.3g %.3g", d.NashGap(), d.Regret(0), d.Regret(1))
	assert.Less(t, d.NashGap(), 1e-6)

	g3 := normalFormLoad(t, "5x4x3.nfg")
	p3, err := NewNormalFormPlay(g3)
	require.NoError(t, err)
	d3 := &LearningDynamics{Game: p3, X0: g3.Start(), Horizon: 1000,
		Learners: []OnlineLearner{&OnlineHedge{Step: 0.1}, &OnlineHedge{Step: 0.1}, &OnlineHedge{Step: 0.1}}}
	require.NoError(t, d3.Init())
	require.NoError(t, d3.Run(10))
	if !raceEnabled {
		assert.Zero(t, testing.AllocsPerRun(50, func() { _ = d3.Step() }))
	}
	_, err = NewNormalFormPlay(nil)
	assert.ErrorContains(t, err, "no game")
}
