package games

import (
	"math"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hedgeSpy passes gradients on to its learner and sums the squared
// ranges max g − min g that Hedge's regret bound charges.
type hedgeSpy struct {
	OnlineLearner
	ranges float64
}

func (s *hedgeSpy) Update(g []float64) error {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range g {
		lo, hi = min(lo, v), max(hi, v)
	}
	s.ranges += (hi - lo) * (hi - lo)
	return s.OnlineLearner.Update(g)
}

// TestHedgeRegretBound: against the adaptive greedy adversary on
// rock-paper-scissors, Hedge and optimistic Hedge from the uniform mix keep
// their regret under ln(n)/η + (η/2)·Σ(max g − min g)² at every
// checkpoint.
func TestHedgeRegretBound(t *testing.T) {
	mp, err := NewMatrixPlay(RPS())
	require.NoError(t, err)
	const eta = 0.05
	third := 1.0 / 3
	for _, optimistic := range []bool{false, true} {
		spy := &hedgeSpy{OnlineLearner: &OnlineHedge{Step: eta, Optimistic: optimistic}}
		d := &LearningDynamics{Game: mp, Learners: []OnlineLearner{spy, &regretGreedy{}}, X0: []float64{third, third, third, 1, 0, 0}}
		require.NoError(t, d.Init())
		worst := 0.0
		for _, T := range regretCheckpoints() {
			require.NoError(t, d.Run(T-d.Rounds()))
			bound := math.Log(3)/eta + eta/2*spy.ranges
			assert.LessOrEqual(t, d.Regret(0), bound, "optimistic %v, T = %d", optimistic, T)
			worst = max(worst, d.Regret(0)/bound)
		}
		t.Logf("optimistic %v: Reg(%d) = %.4g, largest regret/bound %.3f", optimistic, d.Rounds(), d.Regret(0), worst)
		assert.Greater(t, worst, 0.05, "the adversary makes the bound matter")
	}
}

// TestHedgeSelfPlay: when both players of rock-paper-scissors run Hedge,
// the average play converges to the uniform equilibrium while the play
// itself moves away from it; optimistic Hedge converges in the last
// iterate.
func TestHedgeSelfPlay(t *testing.T) {
	mp, err := NewMatrixPlay(RPS())
	require.NoError(t, err)
	x0 := RPS().Start()
	run := func(optimistic bool) *LearningDynamics {
		d := &LearningDynamics{Game: mp, X0: x0, Horizon: 20000,
			Learners: []OnlineLearner{&OnlineHedge{Step: 0.1, Optimistic: optimistic}, &OnlineHedge{Step: 0.1, Optimistic: optimistic}}}
		require.NoError(t, d.Init())
		require.NoError(t, d.Run(20000))
		return d
	}
	h := run(false)
	t.Logf("hedge: last gap %.3g, average gap %.3g", h.NashGap(), h.AverageNashGap())
	assert.Greater(t, h.NashGap(), 0.5, "Hedge's play drifts toward the boundary")
	assert.Less(t, h.AverageNashGap(), 0.05)
	o := run(true)
	t.Logf("optimistic hedge: last gap %.3g, average gap %.3g", o.NashGap(), o.AverageNashGap())
	assert.Less(t, o.NashGap(), 1e-6)
}

func TestHedgeErrorsAndAllocations(t *testing.T) {
	h := &OnlineHedge{Step: 0.1}
	err := h.Start(vi.Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}, []float64{0.5, 0.5})
	assert.ErrorContains(t, err, "games: OnlineHedge: the action set vi.Box has no entropic mirror step")
	err = h.Start(vi.Simplex{}, []float64{1, 0, 0})
	assert.ErrorContains(t, err, "x[1] = 0 after projection")
	err = (&OnlineHedge{Step: -1}).Start(vi.Simplex{}, []float64{0.5, 0.5})
	assert.ErrorContains(t, err, "Step = -1")
	assert.ErrorIs(t, (&OnlineHedge{Step: 0.1}).Update([]float64{1, 2}), regretErrNotStarted)
	for _, optimistic := range []bool{false, true} {
		h := &OnlineHedge{Step: 0.1, Optimistic: optimistic}
		require.NoError(t, h.Start(vi.Simplex{}, []float64{0.2, 0.3, 0.5}))
		g := []float64{1, -2, 0.5}
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = h.Update(g) }))
		assert.InDelta(t, 1, h.Action()[0]+h.Action()[1]+h.Action()[2], 1e-12)
	}
	// One Hedge step is the exponential-weights formula.
	h = &OnlineHedge{Step: 0.5}
	require.NoError(t, h.Start(vi.Simplex{}, []float64{0.2, 0.3, 0.5}))
	require.NoError(t, h.Update([]float64{1, -2, 0.5}))
	w := []float64{0.2 * math.Exp(-0.5), 0.3 * math.Exp(1), 0.5 * math.Exp(-0.25)}
	s := w[0] + w[1] + w[2]
	assert.InDeltaSlice(t, []float64{w[0] / s, w[1] / s, w[2] / s}, h.Action(), 1e-15)
}
