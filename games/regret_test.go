package games

import (
	"math"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
)

// regretLearners returns one learner per player made by mk.
func regretLearners(g ContinuousGame, mk func(i int) OnlineLearner) []OnlineLearner {
	ls := make([]OnlineLearner, len(g.Blocks()))
	for i := range ls {
		ls[i] = mk(i)
	}
	return ls
}

// regretCheckpoints are 13 rounds log-spaced over [100, 10⁴].
func regretCheckpoints() []int {
	var ts []int
	for k := 0; k <= 12; k++ {
		ts = append(ts, int(math.Round(100*math.Pow(100, float64(k)/12))))
	}
	return ts
}

// regretGames are the three B6 families with their documented starts.
func regretGames(t *testing.T) []struct {
	name string
	g    contSolved
} {
	t.Helper()
	cournot, err := NewCournot(100, 1, []float64{10, 20, 30})
	require.NoError(t, err)
	kelly, err := StandardKelly(4)
	require.NoError(t, err)
	quad, err := RandomQuadraticGame(4, 1)
	require.NoError(t, err)
	return []struct {
		name string
		g    contSolved
	}{{"cournot", cournot}, {"kelly", kelly}, {"quadratic-game", quad}}
}

// When every player runs optimistic gradient with a constant step
// η = 1/(4L) (vi.PastExtragradient's default), each player's regret grows
// sublinearly — here it levels off as play converges: the log-log slope of
// max_i Reg_i(T) over T ∈ [100, 10⁴] is at most 0.6 (A6: O(√T) even
// against adversaries with a decreasing step; the joint play converges, so
// the regret is eventually bounded) — and the Nash gap of the last joint
// action falls: like a power of T for Kelly, whose last-iterate rate at
// this step is set by the ratio of its local to its global constant,
// linearly for the two games where F is affine and strongly monotone,
// until rounding. The players also use different steps (η_i =
// (1 − i/8)/(4L)) in a second run, with the same conclusions.
func TestRegretOptimisticGradientInGames(t *testing.T) {
	for _, c := range regretGames(t) {
		for _, uneven := range []bool{false, true} {
			name := c.name
			if uneven {
				name += "/per-player-steps"
			}
			t.Run(name, func(t *testing.T) {
				eta := 0.25 / c.g.Lipschitz()
				d := &LearningDynamics{Game: c.g, Horizon: 10000, X0: c.g.Problem().Z0,
					Learners: regretLearners(c.g, func(i int) OnlineLearner {
						if uneven {
							return &OnlineOptimisticGradient{Step: eta * (1 - float64(i)/8)}
						}
						return &OnlineOptimisticGradient{Step: eta}
					})}
				require.NoError(t, d.Init())
				var ts, regs, gaps, early, earlyGaps []float64
				for d.Rounds() < 100 {
					require.NoError(t, d.Step())
					if gap := d.NashGap(); gap > 1e-9 {
						early = append(early, float64(d.Rounds()))
						earlyGaps = append(earlyGaps, gap)
					}
				}
				for _, T := range regretCheckpoints() {
					require.NoError(t, d.Run(T-d.Rounds()))
					ts = append(ts, float64(T))
					regs = append(regs, d.MaxRegret())
					gaps = append(gaps, d.NashGap())
				}
				s := contSlope(t, ts, regs)
				t.Logf("regret slope %.3f (max regret %.4g at T = 10⁴)", s, regs[len(regs)-1])
				assert.LessOrEqual(t, s, 0.6)
				for i := range c.g.Blocks() {
					assert.LessOrEqual(t, d.Regret(i), regs[len(regs)-1])
				}
				if c.name == "kelly" {
					gs := contSlope(t, ts, gaps)
					t.Logf("Nash gap slope %.3f (%.3g → %.3g)", gs, gaps[0], gaps[len(gaps)-1])
					assert.Less(t, gs, -1.0)
				} else {
					// Linear rate over the first 100 rounds, down to 1e-9.
					require.Greater(t, len(early), 10)
					for i, v := range earlyGaps {
						earlyGaps[i] = math.Log(v)
					}
					gs := regretSemilog(early, earlyGaps)
					t.Logf("Nash gap: log-slope %.3f per round over %d rounds", gs, len(early))
					assert.Less(t, gs, -0.05)
					assert.LessOrEqual(t, gaps[len(gaps)-1], 1e-9)
				}
				// Kelly needs ≈ 10⁵ rounds at this step (see
				// TestContinuousEquilibriaReachedByEGAndOG); after 10⁴ its
				// distance to x* has fallen tenfold.
				tol := 1e-6
				if c.name == "kelly" {
					tol = 0.1 * floats.Distance(c.g.Problem().Z0, c.g.Equilibrium(), 2)
				}
				assert.LessOrEqual(t, floats.Distance(d.Last(), c.g.Equilibrium(), 2), tol)
			})
		}
	}
}

// regretSemilog fits y = a + s·x and returns s.
func regretSemilog(x, y []float64) float64 {
	n := float64(len(x))
	mx, my := floats.Sum(x)/n, floats.Sum(y)/n
	var sxy, sxx float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	return sxy / sxx
}

// Per-player AOG with η = 1/(3L) (Algorithm 1's step): on matching pennies
// over mixed strategies (D = 2, L = 2) the Nash gap of the played point
// stays below Thm 2's 55·D²/(ηT) and falls like 1/T; on the unconstrained
// quadratic game the tangent residual ‖F‖ is O(1/T) (Thm 6), so the Nash
// gap Σ ½F_iᵀQ_ii⁻¹F_i falls like 1/T². The regret grows at most like
// log T (slope ≤ 0.6 over [100, 10⁴]).
func TestRegretAcceleratedOptimisticRates(t *testing.T) {
	mp, err := NewMatrixPlay(MatchingPennies())
	require.NoError(t, err)
	quad, err := RandomQuadraticGame(4, 1)
	require.NoError(t, err)
	for _, c := range []struct {
		name      string
		g         ContinuousGame
		l         float64
		x0        []float64
		lo, hi    float64 // band for the Nash gap slope
		gapBoundD float64 // diameter for Thm 2's bound; 0: none
	}{
		{"matching-pennies", mp, 2, []float64{0.9, 0.1, 0.2, 0.8}, -1.2, -0.8, 2},
		{"quadratic-game", quad, quad.Lipschitz(), quad.Problem().Z0, -2.3, -1.7, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			eta := 1 / (3 * c.l)
			d := &LearningDynamics{Game: c.g, X0: c.x0, Learners: regretLearners(c.g, func(int) OnlineLearner {
				return &OnlineAcceleratedOptimistic{Step: eta}
			})}
			require.NoError(t, d.Init())
			var ts, gaps, regs []float64
			for _, T := range regretCheckpoints() {
				require.NoError(t, d.Run(T-d.Rounds()))
				ts = append(ts, float64(T))
				gaps = append(gaps, d.NashGap())
				regs = append(regs, d.MaxRegret())
				if c.gapBoundD > 0 {
					assert.LessOrEqual(t, d.NashGap(), 55*c.gapBoundD*c.gapBoundD/(eta*float64(T)))
				}
			}
			gs, rs := contSlope(t, ts, gaps), contSlope(t, ts, regs)
			t.Logf("Nash gap slope %.3f, regret slope %.3f", gs, rs)
			assert.True(t, gs >= c.lo && gs <= c.hi, "Nash gap slope %v outside [%v, %v]", gs, c.lo, c.hi)
			assert.LessOrEqual(t, rs, 0.6)
		})
	}
}

// The teaching contrast on matching pennies over mixed strategies: plain
// per-player gradient descent with a constant step cycles — its last joint
// action keeps a Nash gap near 1, far from (½, ½) — while its time
// average converges; per-player optimistic gradient with the same step
// converges in the last iterate.
func TestRegretGradientDescentCyclesOnMatchingPennies(t *testing.T) {
	mp, err := NewMatrixPlay(MatchingPennies())
	require.NoError(t, err)
	x0 := []float64{0.9, 0.1, 0.2, 0.8}
	eq := []float64{0.5, 0.5, 0.5, 0.5}
	run := func(mk func() OnlineLearner) *LearningDynamics {
		d := &LearningDynamics{Game: mp, X0: x0, Learners: []OnlineLearner{mk(), mk()}}
		require.NoError(t, d.Init())
		return d
	}
	gd := run(func() OnlineLearner { return &OnlineGradientDescent{Step: 0.1} })
	require.NoError(t, gd.Run(9000))
	minGap, minDist := math.Inf(1), math.Inf(1)
	for range 1000 {
		require.NoError(t, gd.Step())
		minGap = min(minGap, gd.NashGap())
		minDist = min(minDist, floats.Distance(gd.Last(), eq, 2))
	}
	t.Logf("gradient descent over rounds 9001..10⁴: min last-iterate gap %.3f, min distance %.3f; average gap %.2g", minGap, minDist, gd.AverageNashGap())
	assert.Greater(t, minGap, 0.5, "the last iterate cycles")
	assert.Greater(t, minDist, 0.3)
	assert.Less(t, gd.AverageNashGap(), 0.01, "the time average converges")
	assert.Less(t, floats.Distance(gd.Average(), eq, 2), 0.01)
	assert.LessOrEqual(t, gd.MaxRegret(), 3*math.Sqrt(10000)*0.1, "regret stays sublinear (far below T)")

	og := run(func() OnlineLearner { return &OnlineOptimisticGradient{Step: 0.1} })
	require.NoError(t, og.Run(10000))
	assert.Less(t, og.NashGap(), 1e-9, "optimism converges in the last iterate")
	assert.Less(t, floats.Distance(og.Last(), eq, 2), 1e-9)
}

// regretGreedy is an adaptive adversary: each round it plays the pure
// best response to the last joint action, read off its own gradient (the
// coordinate of least loss), so it punishes whatever the learner just did.
type regretGreedy struct{ x []float64 }

func (s *regretGreedy) Start(_ vi.Set, x0 []float64) error {
	s.x = make([]float64, len(x0))
	s.x[0] = 1
	return nil
}
func (s *regretGreedy) Action() []float64 { return s.x }
func (s *regretGreedy) Update(g []float64) error {
	k := 0
	for j := range g {
		if g[j] < g[k] {
			k = j
		}
	}
	clear(s.x)
	s.x[k] = 1
	return nil
}

// Against an adaptive adversary that best responds to its last action,
// online gradient descent with Hazan's step η_t = D/(G√t) keeps its
// regret under (3/2)·D·G·√T at every checkpoint ("Introduction to online
// convex optimization", Thm 3.1) and the regret does grow like √T
// (log-log slope in [0.4, 0.6]); optimistic gradient with the same
// schedule grows no faster. Matching pennies: D = √2 (the diameter of
// Δ₂), G = √2 (‖Ay‖ ≤ √2 for entries ±1).
func TestRegretAgainstAdaptiveAdversary(t *testing.T) {
	mp, err := NewMatrixPlay(MatchingPennies())
	require.NoError(t, err)
	dd, gg := math.Sqrt2, math.Sqrt2
	for _, c := range []struct {
		name string
		l    OnlineLearner
	}{
		{"ogd", &OnlineGradientDescent{Schedule: vi.InverseSqrt(dd / gg)}},
		{"og", &OnlineOptimisticGradient{Schedule: vi.InverseSqrt(dd / gg)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := &LearningDynamics{Game: mp, Learners: []OnlineLearner{c.l, &regretGreedy{}}, X0: []float64{1, 0, 0.5, 0.5}}
			require.NoError(t, d.Init())
			var ts, regs []float64
			for _, T := range regretCheckpoints() {
				require.NoError(t, d.Run(T-d.Rounds()))
				r := d.Regret(0)
				assert.LessOrEqual(t, r, 1.5*dd*gg*math.Sqrt(float64(T)), "Hazan Thm 3.1 at T = %d", T)
				ts, regs = append(ts, float64(T)), append(regs, r)
			}
			s := contSlope(t, ts, regs)
			t.Logf("regret slope %.3f, Reg(10⁴) = %.4g", s, regs[len(regs)-1])
			assert.True(t, s >= 0.4 && s <= 0.6, "regret slope %v outside [0.4, 0.6]", s)
		})
	}
}

// When every player runs the same per-player rule with a common constant
// step, the joint play is that of the joint method: online gradient
// descent is vi.GDA, per-player AOG is vi.AcceleratedOptimisticGradient
// (same first-step convention g_½ = 0), projected blockwise.
func TestRegretLearnersMatchJointMethods(t *testing.T) {
	for _, c := range regretGames(t) {
		for _, m := range []struct {
			name  string
			joint vi.Method
			mk    func() OnlineLearner
		}{
			{"ogd=gda", &vi.GDA{Step: 0.1 / c.g.Lipschitz()}, func() OnlineLearner { return &OnlineGradientDescent{Step: 0.1 / c.g.Lipschitz()} }},
			{"aog", &vi.AcceleratedOptimisticGradient{Step: 1 / (3 * c.g.Lipschitz())}, func() OnlineLearner {
				return &OnlineAcceleratedOptimistic{Step: 1 / (3 * c.g.Lipschitz())}
			}},
		} {
			t.Run(c.name+"/"+m.name, func(t *testing.T) {
				p := c.g.Problem()
				require.NoError(t, m.joint.Init(p))
				d := &LearningDynamics{Game: c.g, X0: p.Z0, Learners: regretLearners(c.g, func(int) OnlineLearner { return m.mk() })}
				require.NoError(t, d.Init())
				_, isGDA := m.joint.(*vi.GDA)
				for k := range 200 {
					require.NoError(t, d.Step())
					if !isGDA {
						require.NoError(t, m.joint.Iterate()) // AOG: Current is the point just played
					}
					scale := 1 + floats.Norm(d.Last(), math.Inf(1))
					require.InDeltaSlice(t, m.joint.Current(), d.Last(), 1e-12*scale, "round %d", k+1)
					if isGDA {
						require.NoError(t, m.joint.Iterate()) // GDA: Current is the next point to play
					}
				}
			})
		}
	}
}

// Unconstrained, per-player optimistic gradient is the OGDA recursion
// x^{t+1} = x^t − 2ηg^t + ηg^{t−1} (A6), from the first round on with
// g⁰ = 0, so the first action is the start.
func TestRegretOptimisticIsOGDA(t *testing.T) {
	g, err := RandomQuadraticGame(3, 4)
	require.NoError(t, err)
	eta := 0.2 / g.Lipschitz()
	d := &LearningDynamics{Game: g, X0: g.Problem().Z0, Learners: regretLearners(g, func(int) OnlineLearner {
		return &OnlineOptimisticGradient{Step: eta}
	})}
	require.NoError(t, d.Init())
	n := len(d.Last())
	var xs, gs [][]float64
	gs = append(gs, make([]float64, n)) // g⁰ = 0
	for range 50 {
		require.NoError(t, d.Step())
		x := append([]float64(nil), d.Last()...)
		gx := make([]float64, n)
		g.Operator().Apply(gx, x)
		xs, gs = append(xs, x), append(gs, gx)
	}
	assert.Equal(t, g.Problem().Z0, xs[0])
	for t1 := 1; t1 < len(xs); t1++ { // xs[t1] = x^{t1+1}, gs[t1] = g^{t1}
		for i := range n {
			want := xs[t1-1][i] - 2*eta*gs[t1][i] + eta*gs[t1-1][i]
			require.InDelta(t, want, xs[t1][i], 1e-12*(1+math.Abs(want)), "round %d, coordinate %d", t1+1, i)
		}
	}
}

// regretSpy wraps a learner and records the gradients it is handed.
type regretSpy struct {
	OnlineLearner
	seen [][]float64
}

func (s *regretSpy) Update(g []float64) error {
	s.seen = append(s.seen, append([]float64(nil), g...))
	return s.OnlineLearner.Update(g)
}

// Each learner is handed exactly its own block of F at the joint action
// played, and nothing else.
func TestRegretLearnersSeeOnlyTheirGradient(t *testing.T) {
	g, err := RandomQuadraticGame(3, 2)
	require.NoError(t, err)
	spies := make([]*regretSpy, 3)
	ls := regretLearners(g, func(i int) OnlineLearner {
		spies[i] = &regretSpy{OnlineLearner: &OnlineOptimisticGradient{Step: 0.1}}
		return spies[i]
	})
	d := &LearningDynamics{Game: g, Learners: ls, X0: g.Problem().Z0}
	require.NoError(t, d.Init())
	fx := make([]float64, 6)
	for k := range 5 {
		x := append([]float64(nil), d.Last()...)
		for i := range spies {
			copy(x[2*i:], spies[i].Action())
		}
		g.Operator().Apply(fx, x)
		require.NoError(t, d.Step())
		for i, s := range spies {
			require.Len(t, s.seen, k+1)
			assert.Equal(t, fx[2*i:2*i+2], s.seen[k], "player %d, round %d", i, k+1)
		}
	}
}

// A round allocates nothing, for every game and learner (Kelly's record
// within its Horizon).
func TestRegretStepDoesNotAllocate(t *testing.T) {
	mp, err := NewMatrixPlay(RPS())
	require.NoError(t, err)
	games := []ContinuousGame{mp}
	for _, c := range regretGames(t) {
		games = append(games, c.g)
	}
	for _, g := range games {
		for _, mk := range []func() OnlineLearner{
			func() OnlineLearner { return &OnlineGradientDescent{Step: 0.01} },
			func() OnlineLearner { return &OnlineOptimisticGradient{Schedule: vi.InverseSqrt(0.01)} },
			func() OnlineLearner { return &OnlineAcceleratedOptimistic{Step: 0.01, Adaptive: true, L: 10, D: 10} },
		} {
			d := &LearningDynamics{Game: g, Learners: regretLearners(g, func(int) OnlineLearner { return mk() }), Horizon: 1000}
			require.NoError(t, d.Init())
			allocs := testing.AllocsPerRun(200, func() {
				if err := d.Step(); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs, "%T with %T", g, d.Learners[0])
			assert.Zero(t, testing.AllocsPerRun(5, func() { d.MaxRegret(); d.NashGap() }))
		}
	}
}

func TestRegretErrors(t *testing.T) {
	g, err := NewCournot(100, 1, []float64{10, 20})
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		l    OnlineLearner
		want string
	}{
		{"ogd-no-step", &OnlineGradientDescent{}, "OnlineGradientDescent: Step = 0"},
		{"og-negative", &OnlineOptimisticGradient{Step: -1}, "OnlineOptimisticGradient: Step = -1"},
		{"og-both", &OnlineOptimisticGradient{Step: 1, Schedule: vi.Constant(1)}, "Step = 1 and a Schedule are both set"},
		{"aog-no-step", &OnlineAcceleratedOptimistic{}, "OnlineAcceleratedOptimistic: Step = 0"},
		{"aog-adaptive", &OnlineAcceleratedOptimistic{Step: 1, Adaptive: true, L: 1}, "D = 0, want finite and > 0 when Adaptive"},
		{"aog-bad-l", &OnlineAcceleratedOptimistic{L: -1}, "L = -1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := &LearningDynamics{Game: g, Learners: []OnlineLearner{c.l, &OnlineGradientDescent{Step: 1}}}
			err := d.Init()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Contains(t, err.Error(), "player 0")
			assert.Error(t, d.Step(), "no Step after a failed Init")
		})
	}
	// A schedule that turns bad is reported at the round it does.
	bad := &OnlineGradientDescent{Schedule: func(k int) float64 { return 1 - float64(k) }}
	d := &LearningDynamics{Game: g, Learners: []OnlineLearner{bad, &OnlineGradientDescent{Step: 1}}}
	require.NoError(t, d.Init())
	require.NoError(t, d.Step())
	require.ErrorContains(t, d.Step(), "round 2: player 0")
	assert.ErrorContains(t, (&OnlineOptimisticGradient{Step: 1}).Update([]float64{1}), "before a successful Start")
	aog := &OnlineAcceleratedOptimistic{L: 2}
	require.NoError(t, aog.Start(nil, []float64{0}))
	assert.InDelta(t, 1.0/6, aog.StepSize(), 1e-15, "default step 1/(3L)")
	assert.ErrorContains(t, (&OnlineGradientDescent{Step: 1}).Start(nil, []float64{math.NaN()}), "start action[0] = NaN")
	assert.ErrorContains(t, (&OnlineGradientDescent{Step: 1}).Start(vi.Box{Lo: []float64{1}, Hi: []float64{0}}, []float64{0}), "action set")

	for _, c := range []struct {
		d    *LearningDynamics
		want string
	}{
		{&LearningDynamics{}, "no game"},
		{&LearningDynamics{Game: g, Learners: []OnlineLearner{&OnlineGradientDescent{Step: 1}}}, "1 learners for 2 players"},
		{&LearningDynamics{Game: g, Learners: []OnlineLearner{nil, nil}}, "learner 0 is nil"},
		{&LearningDynamics{Game: g, Learners: regretLearners(g, func(int) OnlineLearner { return &OnlineGradientDescent{Step: 1} }), X0: []float64{1}}, "X0 has length 1, want 2"},
		{&LearningDynamics{Game: g, Learners: regretLearners(g, func(int) OnlineLearner { return &OnlineGradientDescent{Step: 1} }), Horizon: -1}, "Horizon = -1"},
	} {
		assert.ErrorContains(t, c.d.Init(), c.want)
	}
	// Divergence is an error, not a NaN: a huge step sends Kelly's bids
	// to where T = Z + S ≤ 0 is never reached (the orthant), but an
	// unconstrained quadratic game with a huge step overflows.
	q, err := RandomQuadraticGame(2, 1)
	require.NoError(t, err)
	dq := &LearningDynamics{Game: q, X0: q.Problem().Z0, Learners: regretLearners(q, func(int) OnlineLearner { return &OnlineGradientDescent{Step: 1e3} })}
	require.NoError(t, dq.Init())
	err = dq.Run(1000)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Inf")
	assert.Contains(t, err.Error(), "round")
}

// BenchmarkLearningDynamics measures one round of per-player optimistic
// gradient on the B6 families.
func BenchmarkLearningDynamics(b *testing.B) {
	cournot, _ := RandomCournot(50, 1)
	kelly, _ := StandardKelly(50)
	quad, _ := RandomQuadraticGame(50, 1)
	for _, c := range []struct {
		name string
		g    ContinuousGame
	}{{"cournot-50", cournot}, {"kelly-50", kelly}, {"quadratic-game-50", quad}} {
		b.Run(c.name, func(b *testing.B) {
			d := &LearningDynamics{Game: c.g, Horizon: 1 << 16, Learners: regretLearners(c.g, func(int) OnlineLearner {
				return &OnlineOptimisticGradient{Step: 1e-3}
			})}
			if err := d.Init(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := d.Step(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Adaptive AOG (Algorithm 1, lines 7–11) sums ‖g_{s+½} − g_{s−½}‖² over
// s = 2..t from its own gradients and, once the sum passes 4500π·D²·L²,
// steps with 1/√(1 + S). A tiny D·L makes the threshold bite at once
// against the greedy adversary.
func TestRegretAdaptiveAcceleratedOptimistic(t *testing.T) {
	mp, err := NewMatrixPlay(MatchingPennies())
	require.NoError(t, err)
	aog := &OnlineAcceleratedOptimistic{Step: 0.1, Adaptive: true, L: 1e-3, D: 1e-3}
	spy := &regretSpy{OnlineLearner: aog}
	d := &LearningDynamics{Game: mp, Learners: []OnlineLearner{spy, &regretGreedy{}}, X0: []float64{1, 0, 1, 0}}
	require.NoError(t, d.Init())
	assert.InDelta(t, 0.1, aog.StepSize(), 0)
	for range 50 {
		require.NoError(t, d.Step())
		var sum float64 // S_{t+1} with t the rounds played: s = 2..t
		for s := 1; s < len(spy.seen); s++ {
			sum += floats.Distance(spy.seen[s], spy.seen[s-1], 2) * floats.Distance(spy.seen[s], spy.seen[s-1], 2)
		}
		want := 0.1
		if sum > 4500*math.Pi*1e-12 {
			want = 1 / math.Sqrt(1+sum)
		}
		require.InDelta(t, want, aog.StepSize(), 1e-15, "round %d", d.Rounds())
	}
	assert.Less(t, aog.StepSize(), 0.1, "the step adapted")
}
