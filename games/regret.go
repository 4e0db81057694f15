package games

import (
	"errors"
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/vi"
)

// An OnlineLearner is one player's online algorithm in repeated play. It
// knows its own action set and sees, after each round, only the gradient
// of its own loss at the joint action played: nothing of the other
// players, their actions or their losses.
type OnlineLearner interface {
	// Start prepares a run on the action set c ⊆ R^d (nil: R^d), d =
	// len(x0), from Π_c(x0); x0 is not kept. It validates the learner's
	// parameters and resets its state.
	Start(c vi.Set, x0 []float64) error
	// Action returns the action to play this round, owned by the learner
	// and valid until the next Update.
	Action() []float64
	// Update receives g = ∇_{x_i} loss_i(x^t), the gradient of the
	// player's loss at the round's joint action, and prepares the next
	// action. It must not allocate.
	Update(g []float64) error
}

// regretStep returns the step of round k (from 0): Schedule(k) when set,
// else step; it rejects values that are not finite and positive.
func regretStep(name string, step float64, s vi.Schedule, k int) (float64, error) {
	eta := step
	if s != nil {
		eta = s(k)
	}
	if !(eta > 0) || math.IsInf(eta, 1) {
		field := "Step"
		if s != nil {
			field = fmt.Sprintf("Schedule(%d)", k)
		}
		return 0, fmt.Errorf("games: %s: %s = %v, want finite and > 0", name, field, eta)
	}
	return eta, nil
}

// regretStart validates the step configuration and returns Π_c(x0) in
// buf (resized).
func regretStart(name string, step float64, s vi.Schedule, c vi.Set, x0, buf []float64) ([]float64, error) {
	if s == nil {
		if _, err := regretStep(name, step, nil, 0); err != nil {
			return buf, err
		}
	} else if step != 0 {
		return buf, fmt.Errorf("games: %s: Step = %v and a Schedule are both set, want one of them", name, step)
	}
	if len(x0) == 0 {
		return buf, fmt.Errorf("games: %s: empty start action", name)
	}
	for k, v := range x0 {
		if !contFinite(v) {
			return buf, fmt.Errorf("games: %s: start action[%d] = %v is not finite", name, k, v)
		}
	}
	if v, ok := c.(vi.Validator); ok {
		if err := v.Validate(len(x0)); err != nil {
			return buf, fmt.Errorf("games: %s: action set: %w", name, err)
		}
	}
	buf = regretResize(buf, len(x0))
	if c == nil {
		copy(buf, x0)
	} else {
		c.Project(buf, x0)
	}
	return buf, nil
}

func regretResize(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}

func regretProject(c vi.Set, x []float64) {
	if c != nil {
		c.Project(x, x)
	}
}

func regretCheckLen(name string, g, x []float64) {
	if len(g) != len(x) {
		panic(fmt.Sprintf("games: %s.Update: len(g) = %d, want %d", name, len(g), len(x)))
	}
}

// regretErrNotStarted is returned by Update before a successful Start.
var regretErrNotStarted = errors.New("games: online learner: Update called before a successful Start")

// OnlineGradientDescent is projected online gradient descent (Zinkevich,
// "Online convex programming and generalized infinitesimal gradient
// ascent", ICML 2003) for one player:
//
//	x^{t+1} = Π_X(x^t − η_t g^t).
//
// Step: Schedule(t) when a Schedule is set (t = 0, 1, …), else the
// constant Step, which must then be positive. With η_t = D/(G√(t+1)) —
// vi.InverseSqrt(D/G) — D the diameter of X and G a bound on ‖g^t‖, the
// regret against any sequence of convex losses, adaptive adversaries
// included, is at most (3/2)·D·G·√T (Hazan, "Introduction to online
// convex optimization", 2016, Thm 3.1; Zinkevich's Thm 1 has η_t = 1/√t).
// When every player of a game runs it with a constant step it is
// simultaneous projected gradient descent(-ascent), vi.GDA: it converges
// on strongly monotone games and cycles on zero-sum matrix games such as
// matching pennies, where only its time average converges.
//
// Action is x^t, starting at Π_X(x0); each Update makes 1 projection.
type OnlineGradientDescent struct {
	Step     float64     // constant η > 0, used when Schedule is nil
	Schedule vi.Schedule // η_t; nil: the constant Step

	c       vi.Set
	x       []float64
	k       int
	started bool
}

// Start implements OnlineLearner.
func (m *OnlineGradientDescent) Start(c vi.Set, x0 []float64) error {
	m.started = false
	x, err := regretStart("OnlineGradientDescent", m.Step, m.Schedule, c, x0, m.x)
	if err != nil {
		return err
	}
	m.c, m.x, m.k, m.started = c, x, 0, true
	return nil
}

// Action implements OnlineLearner.
func (m *OnlineGradientDescent) Action() []float64 { return m.x }

// Update implements OnlineLearner.
func (m *OnlineGradientDescent) Update(g []float64) error {
	if !m.started {
		return regretErrNotStarted
	}
	regretCheckLen("OnlineGradientDescent", g, m.x)
	eta, err := regretStep("OnlineGradientDescent", m.Step, m.Schedule, m.k)
	if err != nil {
		return err
	}
	for k, v := range g {
		m.x[k] -= eta * v
	}
	regretProject(m.c, m.x)
	m.k++
	return nil
}

// OnlineOptimisticGradient is one player's optimistic gradient in the
// projected two-sequence form of ALGORITHMS.md A6 (Popov's past
// extragradient, seen from one player):
//
//	play     x^t     = Π_X(x̂^t − η_t g^{t−1})
//	observe  g^t     = ∇_{x_i} loss_i(x^t)
//	update   x̂^{t+1} = Π_X(x̂^t − η_t g^t)
//
// Unconstrained it is the OGDA recursion x^{t+1} = x^t − 2ηg^t + ηg^{t−1}
// (constant step).
//
// Step: Schedule(t) when set (η_t at round t = 0, 1, …; the play of round
// t+1 uses η_{t+1}), else the constant Step, which must be positive. When
// every player of a monotone L-Lipschitz game runs it with a common
// constant η < 1/(2L) the joint play follows the recursion of
// vi.PastExtragradient (x^t its w_k, x̂^t its z_k) and its last iterate
// converges, with gap O(1/√T) (Golowich, Pattathil and Daskalakis, "Tight
// last-iterate convergence rates for no-regret learning in multi-player
// games", NeurIPS 2020; Cai, Oikonomou and Zheng, NeurIPS 2022, Thm 6);
// against arbitrary opponents η_t ∝ 1/√t gives O(√T) regret (A6). Action
// is the played x^t; each Update makes 2 projections.
//
// First step: g^0 = 0, so the first action is x̂^1 = Π_X(x0) — a player
// knows no gradient before it has played. (vi.PastExtragradient instead
// starts from F(z_0), which a single player cannot see, so the two
// sequences differ from the first step on.)
type OnlineOptimisticGradient struct {
	Step     float64     // constant η > 0, used when Schedule is nil
	Schedule vi.Schedule // η_t; nil: the constant Step

	c       vi.Set
	x, hat  []float64
	k       int
	started bool
}

// Start implements OnlineLearner.
func (m *OnlineOptimisticGradient) Start(c vi.Set, x0 []float64) error {
	m.started = false
	const name = "OnlineOptimisticGradient"
	hat, err := regretStart(name, m.Step, m.Schedule, c, x0, m.hat)
	if err != nil {
		return err
	}
	m.c, m.hat, m.k = c, hat, 0
	m.x = regretResize(m.x, len(hat))
	copy(m.x, hat) // g^0 = 0: the first play is x̂^1
	m.started = true
	return nil
}

// Action implements OnlineLearner.
func (m *OnlineOptimisticGradient) Action() []float64 { return m.x }

// Update implements OnlineLearner.
func (m *OnlineOptimisticGradient) Update(g []float64) error {
	if !m.started {
		return regretErrNotStarted
	}
	const name = "OnlineOptimisticGradient"
	regretCheckLen(name, g, m.x)
	eta, err := regretStep(name, m.Step, m.Schedule, m.k)
	if err != nil {
		return err
	}
	next, err := regretStep(name, m.Step, m.Schedule, m.k+1)
	if err != nil {
		return err
	}
	for k, v := range g {
		m.hat[k] -= eta * v // x̂^{t+1} = Π(x̂^t − η_t g^t)
	}
	regretProject(m.c, m.hat)
	for k, v := range g {
		m.x[k] = m.hat[k] - next*v // x^{t+1} = Π(x̂^{t+1} − η_{t+1} g^t)
	}
	regretProject(m.c, m.x)
	m.k++
	return nil
}

// OnlineAcceleratedOptimistic is one player's accelerated optimistic
// gradient (AOG; Cai and Zheng, "Doubly optimal no-regret learning in
// monotone games", ICML 2023, Algorithm 1; ALGORITHMS.md §2.5.1 and A6):
// optimistic gradient anchored to the first action x_1 = Π_X(x0). For
// rounds t = 1, 2, …
//
//	play     x_{t+½} = Π_X[x_t − η_t g_{t−½} + (x_1 − x_t)/(t+1)]
//	observe  g_{t+½} = ∇_{x_i} loss_i(x_{t+½})
//	update   x_{t+1} = Π_X[x_t − η_t g_{t+½} + (x_1 − x_t)/(t+1)]
//
// with g_½ = 0, so the first action is x_1.
//
// Step: the constant Step η > 0, or 1/(3L) when Step is 0 and L is set
// (Algorithm 1's choice; the last-iterate theorems need η ≤ 1/(√6 L), L
// the game's Lipschitz constant). With Adaptive, Algorithm 1's adaptation from this player's
// own gradients: S_{t+1} = Σ_{s=2..t} ‖g_{s+½} − g_{s−½}‖², and
// η_{t+1} = 1/√(1 + S_{t+1}) once S_{t+1} > 4500π·D²·L², which needs L
// and the diameter bound D of X; it gives O(√T) regret against any
// opponents (Thm 1), and when every player of a monotone game runs it the
// threshold is never crossed (Thm 4). When every player runs it with a
// common constant η the joint play is vi.AcceleratedOptimisticGradient's
// Current, with tangent residual O(1/T) at the last iterate (Thm 2).
// Action is the played x_{t+½}; each Update makes 2 projections.
type OnlineAcceleratedOptimistic struct {
	Step     float64 // η > 0 (η_1 when Adaptive); 0: 1/(3L) if L is set
	Adaptive bool    // adapt η as in Algorithm 1; needs L and D
	L        float64 // Lipschitz constant of the game, for the default step and Adaptive
	D        float64 // diameter bound of X, for Adaptive

	c         vi.Set
	eta       float64
	threshold float64
	sum       float64
	x1, x     []float64
	half      []float64
	gPrev     []float64
	t         int
	started   bool
}

// Start implements OnlineLearner.
func (m *OnlineAcceleratedOptimistic) Start(c vi.Set, x0 []float64) error {
	m.started = false
	const name = "OnlineAcceleratedOptimistic"
	if m.Adaptive {
		for _, f := range []struct {
			field string
			v     float64
		}{{"L", m.L}, {"D", m.D}} {
			if !(f.v > 0) || math.IsInf(f.v, 1) {
				return fmt.Errorf("games: %s: %s = %v, want finite and > 0 when Adaptive", name, f.field, f.v)
			}
		}
		m.threshold = 4500 * math.Pi * m.D * m.D * m.L * m.L
	}
	if !(m.L >= 0) || math.IsInf(m.L, 1) {
		return fmt.Errorf("games: %s: L = %v, want finite and ≥ 0", name, m.L)
	}
	eta := m.Step
	if eta == 0 && m.L > 0 {
		eta = 1 / (3 * m.L) // Algorithm 1's choice
	}
	x1, err := regretStart(name, eta, nil, c, x0, m.x1)
	if err != nil {
		return err
	}
	d := len(x1)
	m.c, m.x1, m.eta, m.sum, m.t = c, x1, eta, 0, 1
	m.x, m.half, m.gPrev = regretResize(m.x, d), regretResize(m.half, d), regretResize(m.gPrev, d)
	copy(m.x, x1)
	copy(m.half, x1) // g_½ = 0: x_{3/2} = x_1
	clear(m.gPrev)
	m.started = true
	return nil
}

// Action implements OnlineLearner.
func (m *OnlineAcceleratedOptimistic) Action() []float64 { return m.half }

// StepSize returns the step η_t of the coming round.
func (m *OnlineAcceleratedOptimistic) StepSize() float64 { return m.eta }

// Update implements OnlineLearner.
func (m *OnlineAcceleratedOptimistic) Update(g []float64) error {
	if !m.started {
		return regretErrNotStarted
	}
	regretCheckLen("OnlineAcceleratedOptimistic", g, m.x)
	w := 1 / float64(m.t+1)
	for k, xk := range m.x { // x_{t+1} = Π[x_t − η g_{t+½} + (x_1 − x_t)/(t+1)]
		m.x[k] = xk - m.eta*g[k] + w*(m.x1[k]-xk)
	}
	regretProject(m.c, m.x)
	if m.Adaptive {
		if m.t >= 2 {
			for k, v := range g {
				d := v - m.gPrev[k]
				m.sum += d * d // S_{t+1}
			}
		}
		if m.sum > m.threshold {
			m.eta = 1 / math.Sqrt(1+m.sum)
		}
	}
	copy(m.gPrev, g)
	m.t++
	w = 1 / float64(m.t+1)
	for k, xk := range m.x { // x_{t+½} = Π[x_t − η g_{t−½} + (x_1 − x_t)/(t+1)]
		m.half[k] = xk - m.eta*m.gPrev[k] + w*(m.x1[k]-xk)
	}
	regretProject(m.c, m.half)
	return nil
}

// LearningDynamics plays a ContinuousGame repeatedly, one OnlineLearner
// per player (ALGORITHMS.md A6). Each round every player plays its
// learner's action, the joint pseudo-gradient F(x^t) is evaluated once
// (the game's vi.Operator), and each learner is handed only its own block
// ∇_{x_i} loss_i(x^t). It records what every player lost, Σ_t
// loss_i(x^t), and the play, so that each player's external regret
//
//	Reg_i(T) = Σ_{t=1..T} loss_i(x^t) − min_{u ∈ X_i} Σ_{t=1..T} loss_i(u, x_−i^t)
//
// is exact, with the best fixed action in hindsight from the game's
// Hindsight record (closed form for games whose losses are affine in the
// others' actions; a 1-D solve for Kelly). Regret may be negative when
// play improves on every fixed action.
//
// A round costs 1 operator evaluation, N losses and the learners'
// projections and does not allocate (for Kelly, as long as the rounds
// stay within Horizon). Regret and NashGap are computed on demand.
type LearningDynamics struct {
	Game     ContinuousGame
	Learners []OnlineLearner // one per player
	X0       []float64       // joint start; nil: the origin (each learner projects its block)
	Horizon  int             // rounds the record is sized for; 0: 1024

	f       vi.Operator
	blocks  []int
	offs    []int
	x, g    []float64
	sum     []float64
	avg     []float64
	cum     []float64
	buf     []float64
	rec     Hindsight
	t       int
	started bool
}

// Init validates the configuration and starts every learner on its
// action set from its block of X0.
func (d *LearningDynamics) Init() error {
	d.started = false
	const name = "games: LearningDynamics"
	if d.Game == nil {
		return fmt.Errorf("%s: no game", name)
	}
	blocks := d.Game.Blocks()
	if err := contCheckBlocks("LearningDynamics", blocks); err != nil {
		return err
	}
	offs, n := contOffsets(blocks)
	if len(d.Learners) != len(blocks) {
		return fmt.Errorf("%s: %d learners for %d players", name, len(d.Learners), len(blocks))
	}
	if d.Horizon < 0 {
		return fmt.Errorf("%s: Horizon = %d, want ≥ 0", name, d.Horizon)
	}
	f := d.Game.Operator()
	if f == nil || f.Dim() != n {
		return fmt.Errorf("%s: the game's operator does not act on the %d joint coordinates", name, n)
	}
	x0 := d.X0
	if x0 == nil {
		x0 = make([]float64, n)
	} else if len(x0) != n {
		return fmt.Errorf("%s: X0 has length %d, want %d", name, len(x0), n)
	}
	for i, l := range d.Learners {
		if l == nil {
			return fmt.Errorf("%s: learner %d is nil", name, i)
		}
		if err := l.Start(d.Game.ActionSet(i), x0[offs[i]:offs[i]+blocks[i]]); err != nil {
			return fmt.Errorf("%s: player %d: %w", name, i, err)
		}
	}
	horizon := d.Horizon
	if horizon == 0 {
		horizon = 1024
	}
	d.f, d.blocks, d.offs = f, blocks, offs
	d.x, d.g = regretResize(d.x, n), regretResize(d.g, n)
	d.sum, d.avg = regretResize(d.sum, n), regretResize(d.avg, n)
	d.cum = make([]float64, len(blocks))
	d.buf = regretResize(d.buf, contMaxBlock(blocks))
	clear(d.sum)
	d.rec = d.Game.Hindsight(horizon)
	d.t = 0
	for i, l := range d.Learners {
		copy(d.x[offs[i]:], l.Action())
	}
	d.started = true
	return nil
}

// Step plays one round. It returns an error, and the round does not
// count, when a loss or gradient is not finite (the play diverged); an
// error from a learner's Update is returned after the round was recorded.
func (d *LearningDynamics) Step() error {
	if !d.started {
		return errors.New("games: LearningDynamics: Step called before a successful Init")
	}
	for i, l := range d.Learners {
		copy(d.x[d.offs[i]:d.offs[i]+d.blocks[i]], l.Action())
	}
	d.f.Apply(d.g, d.x)
	for k, v := range d.g {
		if !contFinite(v) {
			return fmt.Errorf("games: LearningDynamics: round %d: gradient %d is %v", d.t+1, k, v)
		}
	}
	for i := range d.blocks {
		v := d.Game.Loss(i, d.x)
		if !contFinite(v) {
			return fmt.Errorf("games: LearningDynamics: round %d: loss of player %d is %v", d.t+1, i, v)
		}
		d.cum[i] += v
	}
	d.rec.Observe(d.x)
	for k, v := range d.x {
		d.sum[k] += v
	}
	d.t++
	for i, l := range d.Learners {
		o := d.offs[i]
		if err := l.Update(d.g[o : o+d.blocks[i]]); err != nil { // only its own gradient
			return fmt.Errorf("games: LearningDynamics: round %d: player %d: %w", d.t, i, err)
		}
	}
	return nil
}

// Run plays rounds rounds, stopping at the first error.
func (d *LearningDynamics) Run(rounds int) error {
	for range rounds {
		if err := d.Step(); err != nil {
			return err
		}
	}
	return nil
}

// Rounds returns the number of rounds played, T.
func (d *LearningDynamics) Rounds() int { return d.t }

// Last returns the joint action of the last round played, x^T (X0
// projected, before the first round); borrowed, valid until the next
// Step.
func (d *LearningDynamics) Last() []float64 { return d.x }

// Average returns the time average (1/T) Σ_t x^t of the play, or nil
// before the first round; borrowed, valid until the next Step.
func (d *LearningDynamics) Average() []float64 {
	if d.t == 0 {
		return nil
	}
	inv := 1 / float64(d.t)
	for k, v := range d.sum {
		d.avg[k] = inv * v
	}
	return d.avg
}

// CumulativeLoss returns Σ_{t=1..T} loss_i(x^t).
func (d *LearningDynamics) CumulativeLoss(i int) float64 { return d.cum[i] }

// Regret returns player i's external regret Reg_i(T) (0 before the first
// round).
func (d *LearningDynamics) Regret(i int) float64 {
	if d.t == 0 {
		return 0
	}
	return d.cum[i] - d.rec.Best(i, d.buf[:d.blocks[i]])
}

// MaxRegret returns max_i Reg_i(T).
func (d *LearningDynamics) MaxRegret() float64 {
	r := math.Inf(-1)
	for i := range d.blocks {
		r = max(r, d.Regret(i))
	}
	return r
}

// NashGap returns the Nash gap Σ_i (loss_i(x) − min_u loss_i(u, x_−i)) of
// the last joint action.
func (d *LearningDynamics) NashGap() float64 { return contNashGap(d.Game, d.x, d.buf) }

// AverageNashGap returns the Nash gap of the time-averaged play (NaN
// before the first round).
func (d *LearningDynamics) AverageNashGap() float64 {
	if d.t == 0 {
		return math.NaN()
	}
	return contNashGap(d.Game, d.Average(), d.buf)
}
