package games

import (
	"fmt"

	"github.com/saddlepoint/saddle/vi"
)

// OnlineHedge is exponential weights (Hedge; Freund and Schapire, "A
// decision-theoretic generalization of on-line learning and an application
// to boosting", JCSS 1997), the multiplicative-weights learner of a player
// whose actions are mixed strategies, and with Optimistic set its
// optimistic form (optimistic Hedge, optimistic mirror descent with the
// entropy and the last gradient as prediction; Rakhlin and Sridharan,
// "Optimization, learning, and games with predictable sequences", NeurIPS
// 2013; Daskalakis and Panageas, ITCS 2019, for its last-iterate
// convergence in zero-sum games with a unique equilibrium):
//
//	Hedge:       x^{t+1}(i) ∝ x^t(i)·exp(−η_t g^t_i)
//	Optimistic:  x̂^{t+1}(i) ∝ x̂^t(i)·exp(−η_t g^t_i),  x^{t+1}(i) ∝ x̂^{t+1}(i)·exp(−η_{t+1} g^t_i)
//
// computed by the action set's entropic MirrorStep (log-space, no
// overflow). The action set must be a vi.MirrorSet (a vi.Simplex, or a
// Product of them); Start refuses other sets and a start with a zero
// entry, which exponential weights could never leave.
//
// Step: Schedule(t) when a Schedule is set, else the constant Step > 0.
// With a constant η and the losses ⟨g^t, x⟩ linear, the regret of Hedge
// against any sequence, adaptive adversaries included, is at most
//
//	ln(n)/η + (η/2)·Σ_t (max_i g^t_i − min_i g^t_i)²
//
// for n actions started at the uniform mix (the standard potential
// argument with e^{−u} ≤ 1 − u + u²/2 for u ≥ 0, applied to the losses
// shifted to a minimum of 0, which does not change the iterates). When
// both players of a zero-sum matrix game run Hedge, the averages converge
// to an equilibrium and the play itself cycles away from it; with
// Optimistic the play converges too (OMWU, the per-player form of
// vi.OptimisticMultiplicativeWeights).
//
// First step: g^0 = 0 for the optimistic form, so its first action is
// the start, as for OnlineOptimisticGradient. Action is x^t; each Update
// makes 1 mirror step (2 with Optimistic).
type OnlineHedge struct {
	Step       float64     // constant η > 0, used when Schedule is nil
	Schedule   vi.Schedule // η_t; nil: the constant Step
	Optimistic bool        // the optimistic form, with the last gradient as prediction

	c       vi.MirrorSet
	x, hat  []float64
	k       int
	started bool
}

// Start implements OnlineLearner.
func (m *OnlineHedge) Start(c vi.Set, x0 []float64) error {
	m.started = false
	const name = "OnlineHedge"
	ms, ok := c.(vi.MirrorSet)
	if !ok || !vi.IsMirror(c) {
		return fmt.Errorf("games: %s: the action set %T has no entropic mirror step; want a vi.Simplex or a Product of them", name, c)
	}
	x, err := regretStart(name, m.Step, m.Schedule, c, x0, m.x)
	if err != nil {
		return err
	}
	for i, v := range x {
		if !(v > 0) {
			return fmt.Errorf("games: %s: the start has x[%d] = %v after projection; exponential weights never leave a zero entry, start in the interior", name, i, v)
		}
	}
	m.c, m.x, m.k = ms, x, 0
	m.hat = regretResize(m.hat, len(x))
	copy(m.hat, x)
	m.started = true
	return nil
}

// Action implements OnlineLearner.
func (m *OnlineHedge) Action() []float64 { return m.x }

// Update implements OnlineLearner.
func (m *OnlineHedge) Update(g []float64) error {
	if !m.started {
		return regretErrNotStarted
	}
	const name = "OnlineHedge"
	regretCheckLen(name, g, m.x)
	eta, err := regretStep(name, m.Step, m.Schedule, m.k)
	if err != nil {
		return err
	}
	if !m.Optimistic {
		m.c.MirrorStep(m.x, m.x, g, eta)
		m.k++
		return nil
	}
	next, err := regretStep(name, m.Step, m.Schedule, m.k+1)
	if err != nil {
		return err
	}
	m.c.MirrorStep(m.hat, m.hat, g, eta) // x̂^{t+1}
	m.c.MirrorStep(m.x, m.hat, g, next)  // x^{t+1}: prediction g^t
	m.k++
	return nil
}
