package vi

import (
	"fmt"
	"math"
)

// AcceleratedOptimisticGradient is the accelerated optimistic gradient
// method (AOG) of Cai and Zheng for monotone VIs and games: optimistic
// gradient (Popov's past-extragradient) with Halpern anchoring to the start
// x_1, which turns the last-iterate rate of the tangent residual from
// O(1/√T) into O(1/T) at one evaluation per iteration. For t = 1, 2, …
//
//	x_{t+½} = Π_C[x_t − η_t g_{t−½} + (x_1 − x_t)/(t+1)]   (played point)
//	g_{t+½} = F(x_{t+½})
//	x_{t+1} = Π_C[x_t − η_t g_{t+½} + (x_1 − x_t)/(t+1)]
//
// with x_1 = Π_C(Z0), the anchor, and g_½ = 0, so that the first played
// point is x_{3/2} = x_1. Both steps leave from the same base x_t with the
// same anchor weight 1/(t+1); only the gradient differs. For a game every
// player applies the rule to its own block (Π_C acts blockwise).
//
// Step: Step if positive, else 1/(3L) (Algorithm 1's choice; L the L field
// or the operator's own constant). The last-iterate theorems need
// η ≤ 1/(√6 L); an explicit Step is used as given. With Adaptive set, the
// step adapts as in Algorithm 1, lines 7–11, for use against adversaries:
// after iteration t,
//
//	S_{t+1} = Σ_{s=2..t} ‖g_{s+½} − g_{s−½}‖²,
//	η_{t+1} = 1/√(1 + S_{t+1})  if S_{t+1} > 4500π D² L²,  else η_t,
//
// which needs L and the diameter bound D (the rule as written; 1/√(1 + S)
// is not scale-invariant and can exceed 1/(3L) when D·L is small). S is summed over the whole
// operator, as for a single player; in a game where each player adapts on
// its own, run one method per player. When every player of a monotone
// game runs AOG the threshold is never crossed (Thm 4), so η stays constant.
//
// Current is the played half-iterate x_{t+½}, the point the guarantees are
// about, and F there is known (CurrentValuer); before the first iteration
// it is x_1, with F unknown. No average is kept. Init makes no evaluation;
// each iteration costs 1 evaluation and 2 projections. The normal-cone
// element c = (u − x_{t+½})/η_t, u the point projected to get x_{t+½}, gives
// the free certificate TangentBound = ‖g_{t+½} + c‖ ≥ r_tan(x_{t+½}).
//
// Rates, for monotone L-Lipschitz F and η ≤ 1/(√6 L), T ≥ 2: if C has
// diameter D, r_tan(x_{T+½}) ≤ 55·D/(ηT) and the gap at x_{T+½} is at most
// 55·D²/(ηT) (Thm 2); for unbounded C (C = Rⁿ included),
// r_tan(x_{T+½}) ≤ 1430·H/(ηT) with H = max{‖x_1 − x*‖, r_tan(x_1)} for any
// solution x* (Remark 2, Thm 6). With the adaptive step every player has
// O(√T) regret against arbitrary opponents (Thm 1).
//
// First step: g_½ = 0, so x_{3/2} = x_1; the first iteration evaluates F at
// the anchor.
//
// Reference: Yang Cai and Weiqiang Zheng, "Doubly Optimal No-Regret Learning
// in Monotone Games", ICML 2023, Algorithm 1. The rule, the step sizes, the
// adaptation and the constants 55 and 1430 are as in ALGORITHMS.md §2.5.1,
// which was checked against the paper and the authors' code.
type AcceleratedOptimisticGradient struct {
	Step float64 // η (η_1 when Adaptive); 0: 1/(3L)
	L    float64 // Lipschitz constant; 0: the operator's own

	// Adaptive enables Algorithm 1's step-size adaptation; it needs L
	// (from the field or the operator) and D.
	Adaptive bool
	// D bounds the diameter of C; used only when Adaptive, where it must
	// be positive.
	D float64

	f         Operator
	c         Set
	eta       float64 // η_t
	etaHalf   float64 // the step that produced the current half-iterate
	threshold float64 // 4500π D² L², when Adaptive
	sum       float64 // S_{t+1}
	x1        []float64
	x         []float64 // x_t
	g         []float64 // g_{t−½}, then g_{t+½} after the swap
	gPrev     []float64
	half      []float64 // x_{t+½}
	u         []float64 // the point projected to get x_{t+½}
	t         int       // iterations done
	inited    bool
}

// Init implements Method.
func (m *AcceleratedOptimisticGradient) Init(p *Problem) error {
	const name = "AcceleratedOptimisticGradient"
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkNonNegative(name, "D", m.D); err != nil {
		return err
	}
	eta, err := stepFrom(name, m.Step, m.L, 1.0/3, p.F)
	if err != nil {
		return err
	}
	var threshold float64
	if m.Adaptive {
		if m.D == 0 {
			return ErrParameter{Method: name, Field: "D", Value: m.D, Want: "> 0 (a diameter bound) when Adaptive"}
		}
		l := lipschitzFrom(m.L, p.F)
		if !(l > 0) || math.IsInf(l, 0) {
			return fmt.Errorf("vi: %s: Adaptive needs a Lipschitz constant: set L or use an operator that reports it", name)
		}
		threshold = 4500 * math.Pi * m.D * m.D * l * l
	}
	x1, err := start(p, m.x1)
	if err != nil {
		return err
	}
	n := len(x1)
	m.f, m.c, m.eta, m.etaHalf, m.threshold, m.x1 = p.F, p.C, eta, eta, threshold, x1
	m.x, m.half, m.u = resize(m.x, n), resize(m.half, n), resize(m.u, n)
	m.g, m.gPrev = resize(m.g, n), resize(m.gPrev, n)
	copy(m.x, x1)
	copy(m.half, x1)
	clear(m.g) // g_½ = 0
	m.sum, m.t = 0, 0
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *AcceleratedOptimisticGradient) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	m.t++
	w := 1 / float64(m.t+1) // anchor weight 1/(t+1)
	eta := m.eta
	for i, xi := range m.x {
		m.u[i] = xi - eta*m.g[i] + w*(m.x1[i]-xi)
	}
	project(m.c, m.half, m.u) // x_{t+½} (Alg. 1, line 4)
	m.g, m.gPrev = m.gPrev, m.g
	m.f.Apply(m.g, m.half) // g_{t+½} = F(x_{t+½}) (line 5)
	for i, xi := range m.x {
		m.x[i] = xi - eta*m.g[i] + w*(m.x1[i]-xi)
	}
	project(m.c, m.x, m.x) // x_{t+1} (line 6)
	m.etaHalf = eta
	if m.Adaptive {
		if m.t >= 2 {
			m.sum += aogSqDist(m.g, m.gPrev) // S_{t+1} (line 7)
		}
		if m.sum > m.threshold {
			m.eta = 1 / math.Sqrt(1+m.sum) // lines 8–11
		}
	}
	return nil
}

// Current implements Method: the played point x_{t+½} (x_1 before the
// first iteration).
func (m *AcceleratedOptimisticGradient) Current() []float64 { return m.half }

// CurrentValue implements CurrentValuer: g_{t+½} = F(x_{t+½}), known after
// the first iteration.
func (m *AcceleratedOptimisticGradient) CurrentValue() ([]float64, bool) {
	return m.g, m.inited && m.t > 0
}

// StepSize returns the step η_t the next iteration will use.
func (m *AcceleratedOptimisticGradient) StepSize() float64 { return m.eta }

// TangentBound returns ‖F(x_{t+½}) + c‖ for the normal-cone element
// c = (u − x_{t+½})/η_t that the projection producing x_{t+½} supplies; it
// bounds the tangent residual of Current from above at no oracle cost and
// equals ‖F(x_{t+½})‖ when C is Rⁿ. It is +Inf before the first iteration.
func (m *AcceleratedOptimisticGradient) TangentBound() float64 {
	if !m.inited || m.t == 0 {
		return math.Inf(1)
	}
	var s float64
	inv := 1 / m.etaHalf
	for i, g := range m.g {
		d := g + inv*(m.u[i]-m.half[i])
		s += d * d
	}
	return math.Sqrt(s)
}

// aogSqDist returns ‖x − y‖².
func aogSqDist(x, y []float64) float64 {
	var s float64
	for i, v := range x {
		d := v - y[i]
		s += d * d
	}
	return s
}
