package constrained

import (
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/rl"
)

// MixedReward sets dst (length S·A, flat like rewards) to the Lagrangian
// reward r − Σ_k λ_k c_k, whose discounted value is
// J_r(π) − Σ_k λ_k J_{c_k}(π) = L(π, λ) − Σ_k λ_k b_k. lambda must have K
// finite, nonnegative entries.
func (c *CMDP) MixedReward(dst, lambda []float64) error {
	if len(dst) != c.mdp.Size() {
		return fmt.Errorf("constrained: MixedReward: dst has %d entries, want %d (states·actions)", len(dst), c.mdp.Size())
	}
	if err := c.checkMultipliers("multipliers", lambda); err != nil {
		return err
	}
	c.mixedReward(dst, lambda)
	return nil
}

// mixedReward sets dst = r − Σ_k λ_k c_k without checks.
func (c *CMDP) mixedReward(dst, lambda []float64) {
	copy(dst, c.mdp.Reward())
	for k, con := range c.cons {
		l := lambda[k]
		if l == 0 {
			continue
		}
		for i, v := range con.Cost {
			dst[i] -= l * v
		}
	}
}

// Lagrangian returns
//
//	L(π, λ) = J_r(π) − Σ_k λ_k (J_{c_k}(π) − b_k),
//
// the Lagrangian of the CMDP, which the policy maximizes and the
// multipliers λ ≥ 0 minimize. It evaluates π exactly (one factorization).
func (c *CMDP) Lagrangian(pi *rl.Policy, lambda []float64) (float64, error) {
	if err := c.checkPolicy("policy", pi); err != nil {
		return 0, err
	}
	if err := c.checkMultipliers("multipliers", lambda); err != nil {
		return 0, err
	}
	mixed := make([]float64, c.mdp.Size())
	c.mixedReward(mixed, lambda)
	e := rl.NewEvaluator(c.mdp)
	if err := e.SetPolicy(pi); err != nil {
		return 0, fmt.Errorf("constrained: %w", err)
	}
	v, err := e.Value(mixed)
	if err != nil {
		return 0, fmt.Errorf("constrained: %w", err)
	}
	for k, con := range c.cons {
		v += lambda[k] * con.Threshold
	}
	return v, nil
}

// Dual returns the dual function
//
//	D(λ) = max_π L(π, λ) = max_π J_{r − Σλc}(π) + Σ_k λ_k b_k
//
// and a deterministic policy attaining it, a best response to λ. The
// maximum is that of an ordinary MDP with the reward r − Σ_k λ_k c_k,
// found exactly by Howard's policy iteration (each step an exact
// evaluation; ties within 1e-12·(1 + |Q|) keep the current action, so it
// cannot cycle on rounding). By weak duality D(λ) ≥ J* for every λ ≥ 0,
// with equality exactly at the optimal multipliers λ*.
func (c *CMDP) Dual(lambda []float64) (float64, *rl.Policy, error) {
	if err := c.checkMultipliers("multipliers", lambda); err != nil {
		return 0, nil, err
	}
	br := newBestResponder(c.mdp)
	c.mixedReward(br.reward, lambda)
	v, err := br.solve()
	if err != nil {
		return 0, nil, err
	}
	for k, con := range c.cons {
		v += lambda[k] * con.Threshold
	}
	return v, br.pol.Clone(), nil
}

// A bestResponder solves an MDP for the reward in its reward buffer by
// policy iteration, warm-started from its previous answer, without
// allocating.
type bestResponder struct {
	m      *rl.MDP
	e      *rl.Evaluator
	pol    *rl.Policy
	probs  []float64
	choice []int
	reward []float64
	v, q   []float64
	evals  int // policy evaluations made so far
}

func newBestResponder(m *rl.MDP) *bestResponder {
	n, na := m.States(), m.Actions()
	b := &bestResponder{
		m:      m,
		e:      rl.NewEvaluator(m),
		probs:  make([]float64, n*na),
		choice: make([]int, n),
		reward: make([]float64, n*na),
		v:      make([]float64, n),
		q:      make([]float64, n*na),
	}
	b.pol, _ = rl.Deterministic(na, b.choice) // all first actions; cannot fail
	return b
}

// maxPolicySteps bounds the policy-iteration steps of one best response;
// Howard's method needs a handful in practice (each step strictly
// improves a deterministic policy, so it cannot repeat one).
const maxPolicySteps = 10000

// solve returns max_π J(π) for b.reward, leaving the maximizer in b.pol.
func (b *bestResponder) solve() (float64, error) {
	na := b.m.Actions()
	for step := 0; ; step++ {
		if step == maxPolicySteps {
			return 0, fmt.Errorf("constrained: best response: policy iteration did not settle in %d steps", maxPolicySteps)
		}
		clear(b.probs)
		for s, a := range b.choice {
			b.probs[s*na+a] = 1
		}
		if err := b.pol.SetProbs(b.probs); err != nil {
			return 0, fmt.Errorf("constrained: best response: %w", err)
		}
		if err := b.e.SetPolicy(b.pol); err != nil {
			return 0, fmt.Errorf("constrained: best response: %w", err)
		}
		b.evals++
		if err := b.e.Values(b.v, b.q, b.reward); err != nil {
			return 0, fmt.Errorf("constrained: best response: %w", err)
		}
		changed := false
		for s := range b.choice {
			qs := b.q[s*na : (s+1)*na]
			best := b.choice[s]
			top := qs[best]
			for a, v := range qs {
				if v > top {
					best, top = a, v
				}
			}
			if qs[b.choice[s]] < top-1e-12*(1+math.Abs(top)) {
				b.choice[s] = best
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	value := 0.0
	for s, p := range b.m.Initial() {
		value += p * b.v[s]
	}
	return value, nil
}

// primalDual is the state shared by the Lagrangian methods (GDA and
// Optimistic): the policy as softmax logits, the multipliers, the exact
// gradients at the current pair and at the previous one, and the running
// sums for the average.
type primalDual struct {
	c      *CMDP
	e      *rl.Evaluator
	pi     *rl.Policy
	theta  []float64 // logits of π_k, max 0 in each state
	lambda []float64 // λ_k
	q      []float64 // Q^{π_k} for r − Σ λ_k c, the policy player's gradient
	qPrev  []float64 // the same at (π_{k−1}, λ_{k−1})
	h      []float64 // J_c(π_k) − b, the multiplier player's gradient
	hPrev  []float64
	v      []float64 // scratch, length S
	mixed  []float64 // r − Σ λ_k c
	d      []float64 // d^{π_k}
	reward float64   // J_r(π_k)
	costs  []float64 // J_c(π_k)

	eta, etaLambda float64 // steps; eta multiplies g/(1 − γ)
	optPolicy      bool    // optimistic policy step
	optLambda      bool    // optimistic multiplier step

	dSum      []float64 // Σ d^{π_j}, j = 1..k
	lambdaSum []float64 // Σ λ_j
	count     int
	avgPi     *rl.Policy
	avgLambda []float64

	evals  int
	inited bool
}

// init validates p and the steps, sizes the buffers and evaluates the
// start (one policy evaluation).
func (pd *primalDual) init(name string, p *Problem, step, multiplierStep float64, optPolicy, optLambda bool) error {
	pd.inited = false
	for _, f := range []struct {
		field string
		v     float64
	}{{"Step", step}, {"MultiplierStep", multiplierStep}} {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("constrained: %s.%s = %v, want a finite number ≥ 0 (0: the default)", name, f.field, f.v)
		}
	}
	if err := p.validate(); err != nil {
		return err
	}
	c := p.CMDP
	m := c.mdp
	n, sa, k := m.States(), m.Size(), c.NumConstraints()
	if pd.c != c || pd.e == nil {
		pd.e = rl.NewEvaluator(m)
	}
	pd.c = c
	pd.eta, pd.etaLambda = step, multiplierStep
	if step == 0 {
		pd.eta = defaultPolicyStep(c)
	}
	pd.optPolicy, pd.optLambda = optPolicy, optLambda
	pd.theta = resize(pd.theta, sa)
	pd.q, pd.qPrev = resize(pd.q, sa), resize(pd.qPrev, sa)
	pd.mixed, pd.d, pd.dSum = resize(pd.mixed, sa), resize(pd.d, sa), resize(pd.dSum, sa)
	pd.v = resize(pd.v, n)
	pd.lambda, pd.h, pd.hPrev = resize(pd.lambda, k), resize(pd.h, k), resize(pd.hPrev, k)
	pd.costs, pd.lambdaSum, pd.avgLambda = resize(pd.costs, k), resize(pd.lambdaSum, k), resize(pd.avgLambda, k)
	if pd.pi == nil || pd.pi.States() != n || pd.pi.Actions() != m.Actions() {
		pd.pi, _ = rl.Uniform(n, m.Actions())
		pd.avgPi, _ = rl.Uniform(n, m.Actions())
	}
	if p.Policy != nil {
		for i, v := range p.Policy.Probs() {
			pd.theta[i] = math.Log(v)
		}
	} else {
		clear(pd.theta)
	}
	pd.recenter()
	if err := pd.pi.SetSoftmax(pd.theta); err != nil {
		return fmt.Errorf("constrained: %s: %w", name, err)
	}
	if p.Multipliers != nil {
		copy(pd.lambda, p.Multipliers)
	} else {
		clear(pd.lambda)
	}
	pd.evals = 0
	if err := pd.evaluate(); err != nil {
		return err
	}
	if multiplierStep == 0 {
		var err error
		if pd.etaLambda, err = pd.defaultMultiplierStep(pd.eta); err != nil {
			return err
		}
	}
	// First step: the "previous" gradients are those at the start, so the
	// first optimistic step is a plain one.
	copy(pd.qPrev, pd.q)
	copy(pd.hPrev, pd.h)
	clear(pd.dSum)
	clear(pd.lambdaSum)
	pd.count = 0
	pd.inited = true
	return nil
}

// recenter subtracts from the logits of each state their maximum, which
// leaves the softmax unchanged and keeps the logits bounded above by 0.
func (pd *primalDual) recenter() {
	na := pd.c.mdp.Actions()
	for s := 0; s < len(pd.theta); s += na {
		th := pd.theta[s : s+na]
		top := math.Inf(-1)
		for _, v := range th {
			top = math.Max(top, v)
		}
		for a := range th {
			th[a] -= top
		}
	}
}

// evaluate computes, exactly, the gradients at (π_k, λ_k): the Q-values of
// π_k for the reward r − Σ λ_k c, the value J_r(π_k), the costs J_c(π_k),
// h = J_c(π_k) − b and the occupancy d^{π_k}. One policy evaluation.
func (pd *primalDual) evaluate() error {
	e := pd.e
	if err := e.SetPolicy(pd.pi); err != nil {
		return fmt.Errorf("constrained: %w", err)
	}
	pd.evals++
	pd.c.mixedReward(pd.mixed, pd.lambda)
	if err := e.Values(pd.v, pd.q, pd.mixed); err != nil {
		return fmt.Errorf("constrained: %w", err)
	}
	var err error
	if pd.reward, err = e.Value(nil); err != nil {
		return fmt.Errorf("constrained: %w", err)
	}
	for k, con := range pd.c.cons {
		if pd.costs[k], err = e.Value(con.Cost); err != nil {
			return fmt.Errorf("constrained: %w", err)
		}
		pd.h[k] = pd.costs[k] - con.Threshold
	}
	if err := e.Occupancy(pd.d); err != nil {
		return fmt.Errorf("constrained: %w", err)
	}
	return nil
}

// step performs one simultaneous primal-dual step from (π_k, λ_k) and
// evaluates the new pair:
//
//	θ_{k+1} = θ_k + η/(1 − γ) · g_k,          g_k = Q_k or 2Q_k − Q_{k−1},
//	λ_{k+1} = [λ_k + η_λ · h̃_k]_+,            h̃_k = h_k or 2h_k − h_{k−1},
//
// with π_{k+1} = softmax(θ_{k+1}) in each state.
func (pd *primalDual) step() error {
	if !pd.inited {
		return errNotInit
	}
	scale := pd.eta / (1 - pd.c.mdp.Discount())
	for i, g := range pd.q {
		if pd.optPolicy {
			g = 2*g - pd.qPrev[i]
		}
		pd.theta[i] += scale * g // GDA (1), Optimistic (1): θ += η/(1 − γ)·g
	}
	pd.recenter()
	if err := pd.pi.SetSoftmax(pd.theta); err != nil {
		return fmt.Errorf("constrained: %w", err)
	}
	for k, g := range pd.h {
		if pd.optLambda {
			g = 2*g - pd.hPrev[k]
		}
		pd.lambda[k] = math.Max(0, pd.lambda[k]+pd.etaLambda*g) // GDA (2), Optimistic (2)
	}
	pd.q, pd.qPrev = pd.qPrev, pd.q
	pd.h, pd.hPrev = pd.hPrev, pd.h
	if err := pd.evaluate(); err != nil {
		return err
	}
	for i, v := range pd.d {
		pd.dSum[i] += v
	}
	for k, v := range pd.lambda {
		pd.lambdaSum[k] += v
	}
	pd.count++
	return nil
}

// average sets the average policy, the policy of the mean occupancy
// measure of π_1, …, π_k, and the mean of λ_1, …, λ_k; before the first
// step they are the start.
func (pd *primalDual) average() (*rl.Policy, []float64) {
	if pd.count == 0 {
		_ = pd.avgPi.Copy(pd.pi)
		copy(pd.avgLambda, pd.lambda)
		return pd.avgPi, pd.avgLambda
	}
	if err := pd.avgPi.SetFromOccupancy(pd.dSum); err != nil {
		_ = pd.avgPi.Copy(pd.pi) // impossible: dSum is a sum of occupancy measures
	}
	for k, v := range pd.lambdaSum {
		pd.avgLambda[k] = v / float64(pd.count)
	}
	return pd.avgPi, pd.avgLambda
}

// resize returns buf with length n, reusing its memory when large enough.
func resize(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}
