package games

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// normalFormLoad reads a game of the Gambit catalog in testdata/nfg.
func normalFormLoad(t testing.TB, name string) *NormalFormGame {
	t.Helper()
	g, err := LoadNFG(filepath.Join("testdata", "nfg", name))
	require.NoError(t, err)
	return g
}

// normalFormPure returns the mixed profile that plays the given pure
// strategies.
func normalFormPure(g *NormalFormGame, p ...int) []float64 {
	z := make([]float64, g.Dim())
	for i, s := range p {
		g.Block(z, i)[s] = 1
	}
	return z
}

// normalFormRandom returns a random mixed profile with full support.
func normalFormRandom(g *NormalFormGame, rng *rand.Rand) []float64 {
	z := make([]float64, g.Dim())
	for i := 0; i < g.NumPlayers(); i++ {
		b := g.Block(z, i)
		for s := range b {
			b[s] = rng.ExpFloat64()
		}
		floats.Scale(1/floats.Sum(b), b)
	}
	return z
}

// normalFormBrute returns u_i(s, σ_−i) for all i, s and u_i(σ) by summing
// over every pure profile with Payoff, independently of the kernel.
func normalFormBrute(g *NormalFormGame, sigma []float64) (dev, val []float64) {
	n := g.NumPlayers()
	dev, val = make([]float64, g.Dim()), make([]float64, n)
	p := make([]int, n)
	var walk func(k int)
	walk = func(k int) {
		if k == n {
			for i := 0; i < n; i++ {
				w := 1.0
				for j := 0; j < n; j++ {
					if j != i {
						w *= g.Block(sigma, j)[p[j]]
					}
				}
				u := g.Payoff(p, i)
				g.Block(dev, i)[p[i]] += w * u
				val[i] += w * g.Block(sigma, i)[p[i]] * u
			}
			return
		}
		for s := 0; s < g.NumStrategies(k); s++ {
			p[k] = s
			walk(k + 1)
		}
	}
	walk(0)
	return dev, val
}

func TestNormalFormNashGapOfThePrisonersDilemma(t *testing.T) {
	// pd.nfg: (C, C) = (9, 9), (D, C) = (10, 0), (C, D) = (0, 10),
	// (D, D) = (1, 1); strategy 0 cooperates, 1 defects.
	g := normalFormLoad(t, "pd.nfg")
	gaps := make([]float64, 2)
	tests := []struct {
		name  string
		sigma []float64
		gaps  []float64
	}{
		// Defection is dominant: (D, D) is the equilibrium.
		{"defect-defect", normalFormPure(g, 1, 1), []float64{0, 0}},
		// Each gains 10 − 9 by defecting.
		{"cooperate-cooperate", normalFormPure(g, 0, 0), []float64{1, 1}},
		// The sucker gains 1 − 0, the defector nothing.
		{"cooperate-defect", normalFormPure(g, 0, 1), []float64{1, 0}},
		// Against 1/2-1/2: C earns 4.5, D 5.5, the mix 5.
		{"uniform", g.Uniform(), []float64{0.5, 0.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g.PlayerGaps(gaps, tc.sigma)
			assert.Equal(t, tc.gaps, gaps)
			assert.Equal(t, tc.gaps[0]+tc.gaps[1], g.NashGap(tc.sigma))
		})
	}
	u := make([]float64, 2)
	g.ExpectedPayoffs(u, g.Uniform())
	assert.Equal(t, []float64{5, 5}, u, "(9 + 10 + 0 + 1)/4 each")
}

func TestNormalFormMaxCutGapsMatchTheFileComment(t *testing.T) {
	// The file's comment lists each pure profile's payoffs and each
	// player's regret, and says the uniform profile is an equilibrium.
	g := normalFormLoad(t, "tests_test_games_2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg")
	tests := []struct {
		profile      []int // a = 0, b = 1
		payoff, gaps []float64
	}{
		{[]int{0, 0, 0}, []float64{0, 0, 0}, []float64{1, 4, 1}},
		{[]int{1, 0, 0}, []float64{1, 2, -1}, []float64{0, 0, 3}},
		{[]int{0, 1, 0}, []float64{2, 4, 2}, []float64{0, 0, 0}},
		{[]int{1, 1, 0}, []float64{-1, 2, 1}, []float64{3, 0, 0}},
		{[]int{0, 0, 1}, []float64{-1, 2, 1}, []float64{3, 0, 0}},
		{[]int{1, 0, 1}, []float64{2, 4, 2}, []float64{0, 0, 0}},
		{[]int{0, 1, 1}, []float64{1, 2, -1}, []float64{0, 0, 3}},
		{[]int{1, 1, 1}, []float64{0, 0, 0}, []float64{1, 4, 1}},
	}
	gaps, u := make([]float64, 3), make([]float64, 3)
	for _, tc := range tests {
		sigma := normalFormPure(g, tc.profile...)
		g.ExpectedPayoffs(u, sigma)
		assert.Equal(t, tc.payoff, u, "payoffs at %v", tc.profile)
		g.PlayerGaps(gaps, sigma)
		assert.Equal(t, tc.gaps, gaps, "gaps at %v", tc.profile)
		assert.Equal(t, floats.Sum(tc.gaps), g.NashGap(sigma))
	}
	assert.Equal(t, 0.0, g.NashGap(g.Uniform()), "the mixed equilibrium")
	assert.Greater(t, g.NashGap(g.Start()), 0.1)
}

// normalFormNauEquilibrium returns the unique Nash equilibrium of Nau,
// Gomez Canovas and Hansen's three-player game ("On the geometry of Nash
// equilibria and correlated equilibria", IJGT 2004, section 4), derived
// here from the payoffs of journals_ijgt_nau2004_sec4.nfg: with p, q, r
// the probabilities of Top, Left and 1, the indifference conditions are
// q(1 + 2r) = (1 − q)(2 − r), (1 − p)(3 − 2r) = p(1 + r) and
// 2pq = 3(1 − p)(1 − q), so 2r² + 23r − 9 = 0, r = (√601 − 23)/4,
// q = (2 − r)/(3 + r), p = (3 − 2r)/(4 − r).
func normalFormNauEquilibrium() []float64 {
	r := (math.Sqrt(601) - 23) / 4
	q := (2 - r) / (3 + r)
	p := (3 - 2*r) / (4 - r)
	return []float64{p, 1 - p, q, 1 - q, r, 1 - r}
}

func TestNormalFormIrrationalEquilibrium(t *testing.T) {
	g := normalFormLoad(t, "journals_ijgt_nau2004_sec4.nfg")
	eq := normalFormNauEquilibrium()
	assert.InDelta(t, 0.61923, eq[0], 1e-5)
	assert.InDelta(t, 0, g.NashGap(eq), 1e-15)
	// Moving one player off it opens a gap.
	off := append([]float64(nil), eq...)
	off[0], off[1] = eq[0]+0.01, eq[1]-0.01
	assert.Greater(t, g.NashGap(off), 1e-3)
}

func TestNormalFormOperatorMatchesTheMultilinearFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, name := range []string{"5x4x3.nfg", "3x3x3.nfg", "2x2x2x2.nfg", "g3.nfg", "2x2x2x2x2.nfg", "perfect3.nfg"} {
		t.Run(name, func(t *testing.T) {
			g := normalFormLoad(t, name)
			op := g.Operator()
			f, dev := make([]float64, g.Dim()), make([]float64, g.Dim())
			u := make([]float64, g.NumPlayers())
			for trial := 0; trial < 5; trial++ {
				sigma := normalFormRandom(g, rng)
				wantDev, wantVal := normalFormBrute(g, sigma)
				op.Apply(f, sigma)
				floats.Scale(-1, f)
				assert.InDeltaSlice(t, wantDev, f, 1e-12, "F = −deviation payoffs")
				g.DeviationPayoffs(dev, sigma)
				assert.Equal(t, f, dev)
				g.ExpectedPayoffs(u, sigma)
				assert.InDeltaSlice(t, wantVal, u, 1e-12)
				// u_i is linear in σ_i, so a central difference of the
				// expected payoff is its derivative up to rounding:
				// ∂u_i(σ)/∂σ_i(s) = u_i(s, σ_−i).
				const h = 1e-3
				up, down := make([]float64, g.NumPlayers()), make([]float64, g.NumPlayers())
				for i := 0; i < g.NumPlayers(); i++ {
					for s := range g.Block(sigma, i) {
						x := g.Block(sigma, i)[s]
						g.Block(sigma, i)[s] = x + h
						g.ExpectedPayoffs(up, sigma)
						g.Block(sigma, i)[s] = x - h
						g.ExpectedPayoffs(down, sigma)
						g.Block(sigma, i)[s] = x
						assert.InDelta(t, (up[i]-down[i])/(2*h), g.Block(dev, i)[s], 1e-9, "player %d strategy %d", i, s)
					}
				}
			}
		})
	}
}

func TestNormalFormZeroSumIsAMatrixGame(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, name := range []string{"oneill.nfg", "mixdom.nfg", "e07.nfg", "csg2.nfg", "2x2const.nfg", "csg4.nfg"} {
		t.Run(name, func(t *testing.T) {
			g := normalFormLoad(t, name)
			c, ok := g.ConstantSum()
			require.True(t, ok)
			mg, err := g.MatrixGame()
			require.NoError(t, err)
			m, n := mg.Dims()
			require.Equal(t, []int{g.NumStrategies(0), g.NumStrategies(1)}, []int{m, n})
			for s := 0; s < m; s++ {
				for u := 0; u < n; u++ {
					require.Equal(t, g.Payoff([]int{s, u}, 0), mg.Payoffs().At(s, u))
				}
			}
			fg, fm := make([]float64, g.Dim()), make([]float64, g.Dim())
			gop, mop := g.Operator(), mg.Operator()
			for trial := 0; trial < 5; trial++ {
				z := normalFormRandom(g, rng)
				x, y := mg.Split(z)
				assert.InDelta(t, mg.DualityGap(x, y), g.NashGap(z), 1e-12)
				// Player 2's block differs by the constant c, a shift
				// along the simplex's normal that leaves the VI alone.
				gop.Apply(fg, z)
				mop.Apply(fm, z)
				floats.AddConst(-c, fm[m:])
				assert.InDeltaSlice(t, fm, fg, 1e-12)
			}
		})
	}
}

func TestNormalFormMatrixGameValues(t *testing.T) {
	tests := []struct {
		file     string
		c, value float64
		x, y     []float64 // the unique equilibrium, nil when not unique
	}{
		// 2x2const.nfg: A = [[2, 0], [0, 1]], payoffs summing to 2. No
		// saddle point; the 2×2 formula gives value (2·1 − 0·0)/(2 + 1) =
		// 2/3, x = y = (1/3, 2/3).
		{"2x2const.nfg", 2, 2.0 / 3, []float64{1.0 / 3, 2.0 / 3}, []float64{1.0 / 3, 2.0 / 3}},
		// tests_test_games_const_sum_game.nfg: A = [[1, 1], [0, 1]] sums to
		// 2; row 1 weakly dominates, the value is 1.
		{"tests_test_games_const_sum_game.nfg", 2, 1, nil, nil},
		// O'Neill's card game (Proc. NAS 1987): A = 2·[win] − 1 with
		// value −1/5 (player 1 wins with probability 2/5) and the unique
		// equilibrium (2/5, 1/5, 1/5, 1/5) for both players.
		{"oneill.nfg", 0, -0.2, []float64{0.4, 0.2, 0.2, 0.2}, []float64{0.4, 0.2, 0.2, 0.2}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			g := normalFormLoad(t, tc.file)
			c, ok := g.ConstantSum()
			require.True(t, ok)
			assert.Equal(t, tc.c, c)
			mg, err := g.MatrixGame()
			require.NoError(t, err)
			v, x, y, err := mg.Solve()
			require.NoError(t, err)
			assert.InDelta(t, tc.value, v, 1e-12)
			if tc.x != nil {
				assert.InDeltaSlice(t, tc.x, x, 1e-12)
				assert.InDeltaSlice(t, tc.y, y, 1e-12)
			}
			// The LP solution is an equilibrium of the N-player game, where
			// player 1 earns the value and player 2 c − value.
			z := append(append([]float64(nil), x...), y...)
			assert.InDelta(t, 0, g.NashGap(z), 1e-12)
			u := make([]float64, 2)
			g.ExpectedPayoffs(u, z)
			assert.InDeltaSlice(t, []float64{tc.value, tc.c - tc.value}, u, 1e-12)
		})
	}
}

func TestNormalFormMatrixGameRefusals(t *testing.T) {
	g := normalFormLoad(t, "tests_test_games_non_const_sum_game.nfg")
	_, ok := g.ConstantSum()
	assert.False(t, ok)
	_, err := g.MatrixGame()
	assert.EqualError(t, err, "games: NormalFormGame.MatrixGame: the payoffs of the two players do not sum to a constant")
	_, err = normalFormLoad(t, "2x2x2.nfg").MatrixGame()
	assert.EqualError(t, err, "games: NormalFormGame.MatrixGame: the game has 3 players, want 2")
}

func TestNormalFormExtragradientReachesTheLPEquilibrium(t *testing.T) {
	// O'Neill's game is zero-sum, so F is monotone on the product of
	// simplices and extragradient's last iterate converges.
	g := normalFormLoad(t, "oneill.nfg")
	mg, err := g.MatrixGame()
	require.NoError(t, err)
	value, _, _, err := mg.Solve()
	require.NoError(t, err)
	p := g.Problem()
	res, err := vi.Solve(context.Background(), p, &vi.Extragradient{}, &vi.Settings{Tol: 1e-9})
	require.NoError(t, err)
	require.Equal(t, vi.Converged, res.Status)
	assert.LessOrEqual(t, g.NashGap(res.Z), 1e-6)
	u := make([]float64, 2)
	g.ExpectedPayoffs(u, res.Z)
	assert.InDelta(t, value, u[0], 1e-6)
	assert.InDeltaSlice(t, []float64{0.4, 0.2, 0.2, 0.2, 0.4, 0.2, 0.2, 0.2}, res.Z, 1e-6)
	assert.Less(t, res.Iterations, 1000, "regression guard: 304 iterations when written")
	t.Logf("extragradient on oneill.nfg: %d iterations, Nash gap %.3g, value %.9f (LP %.9f)", res.Iterations, g.NashGap(res.Z), u[0], value)
}

func TestNormalFormExtragradientOnANonMonotoneGame(t *testing.T) {
	// Nau et al.'s three-player game has a unique equilibrium, in
	// irrational mixed strategies. F is not monotone on the strategy
	// space: a sampled pair of mixed profiles has ⟨F(x) − F(y), x − y⟩ < 0.
	g := normalFormLoad(t, "journals_ijgt_nau2004_sec4.nfg")
	op := g.Operator()
	rng := rand.New(rand.NewPCG(1, 1))
	fx, fy := make([]float64, g.Dim()), make([]float64, g.Dim())
	worst := math.Inf(1)
	for k := 0; k < 200; k++ {
		x, y := normalFormRandom(g, rng), normalFormRandom(g, rng)
		op.Apply(fx, x)
		op.Apply(fy, y)
		floats.Sub(fx, fy)
		floats.Sub(x, y)
		worst = math.Min(worst, floats.Dot(fx, x)/floats.Dot(x, x))
	}
	assert.Less(t, worst, -0.5, "a witness that F is not monotone")

	// What extragradient does there, recorded: its last iterate never
	// settles. Over iterations 5,000–10,000 its Nash gap stays between
	// about 0.6 and 2.0, far from the equilibrium's 0: the iterates circle
	// near the boundary of the strategy cube. The ergodic average drifts
	// towards the equilibrium, slowly and with no guarantee.
	lo, hi := math.Inf(1), 0.0
	rec := vi.RecorderFunc(func(e vi.Event, s *vi.Snapshot) error {
		if e == vi.Step && s.Stats.Iterations >= 5000 {
			gap := g.NashGap(s.Z)
			lo, hi = math.Min(lo, gap), math.Max(hi, gap)
		}
		return nil
	})
	res, err := vi.Solve(context.Background(), g.Problem(), &vi.Extragradient{}, &vi.Settings{MaxIterations: 10000, Recorder: rec})
	require.NoError(t, err)
	assert.Equal(t, vi.IterationLimit, res.Status)
	assert.Greater(t, lo, 0.3, "the last iterate stays away from the equilibrium")
	assert.Greater(t, hi, 1.5)
	assert.Greater(t, vi.Distance(res.Z, normalFormNauEquilibrium()), 0.2)
	t.Logf("nau2004 sec4, extragradient: last-iterate Nash gap in [%.3f, %.3f] over iterations 5000–10000; final %.3f; average's gap %.3f",
		lo, hi, g.NashGap(res.Z), g.NashGap(res.Average))
}

func TestNormalFormLipschitzBoundHoldsOnTheStrategySpace(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, name := range []string{"oneill.nfg", "pd.nfg", "5x4x3.nfg", "2x2x2x2x2.nfg", "journals_ijgt_nau2004_sec4.nfg", "perfect3.nfg"} {
		t.Run(name, func(t *testing.T) {
			g := normalFormLoad(t, name)
			op := g.Operator()
			l := op.Lipschitz()
			require.Positive(t, l)
			fx, fy := make([]float64, g.Dim()), make([]float64, g.Dim())
			ratio := 0.0
			for k := 0; k < 500; k++ {
				x, y := normalFormRandom(g, rng), normalFormRandom(g, rng)
				if k%2 == 0 { // close pairs too
					for j := range y {
						y[j] = x[j] + 1e-3*(y[j]-x[j])
					}
				}
				op.Apply(fx, x)
				op.Apply(fy, y)
				ratio = math.Max(ratio, floats.Distance(fx, fy, 2)/floats.Distance(x, y, 2))
			}
			assert.LessOrEqual(t, ratio, l*(1+1e-9))
			t.Logf("%s: L = %.4g, largest sampled ratio %.4g", name, l, ratio)
		})
	}
	// Two players: F is affine and L is its exact constant on the set,
	// max(‖U_1 P‖₂, ‖U_2ᵀ P‖₂) with P = I − 11ᵀ/n removing each row's mean
	// (the directions x − y that stay in the simplices); recomputed here
	// by SVD. For O'Neill's game it is √7 < ‖A‖₂ = 1 + √3, the matrix
	// game's constant over all of R⁸.
	for _, name := range []string{"oneill.nfg", "pd.nfg", "8x8.nfg", "todd1.nfg", "e04.nfg"} {
		g := normalFormLoad(t, name)
		m, n := g.NumStrategies(0), g.NumStrategies(1)
		u1, u2t := mat.NewDense(m, n, nil), mat.NewDense(n, m, nil)
		for s := 0; s < m; s++ {
			for r := 0; r < n; r++ {
				u1.Set(s, r, g.Payoff([]int{s, r}, 0))
				u2t.Set(r, s, g.Payoff([]int{s, r}, 1))
			}
		}
		norm := func(a *mat.Dense) float64 {
			r, c := a.Dims()
			centred := mat.NewDense(r, c, nil)
			for i := 0; i < r; i++ {
				row := mat.Row(nil, i, a)
				floats.AddConst(-floats.Sum(row)/float64(c), row)
				centred.SetRow(i, row)
			}
			var svd mat.SVD
			require.True(t, svd.Factorize(centred, mat.SVDNone))
			return svd.Values(nil)[0]
		}
		assert.InDelta(t, math.Max(norm(u1), norm(u2t)), g.Lipschitz(), 1e-9, name)
	}
	o := normalFormLoad(t, "oneill.nfg")
	assert.InDelta(t, math.Sqrt(7), o.Lipschitz(), 1e-9)
	mg, err := o.MatrixGame()
	require.NoError(t, err)
	assert.InDelta(t, 1+math.Sqrt(3), mg.Operator().Lipschitz(), 1e-9)
	// An all-zero game has a constant F.
	assert.Equal(t, 0.0, normalFormLoad(t, "zero.nfg").Lipschitz())
}

func TestNormalFormStartSetAndProblem(t *testing.T) {
	g := normalFormLoad(t, "5x4x3.nfg")
	z := g.Start()
	assert.InDeltaSlice(t, []float64{1.0 / 15, 2.0 / 15, 3.0 / 15, 4.0 / 15, 5.0 / 15}, g.Block(z, 0), 1e-15)
	assert.InDeltaSlice(t, []float64{0.4, 0.3, 0.2, 0.1}, g.Block(z, 1), 1e-15)
	assert.InDeltaSlice(t, []float64{1.0 / 6, 2.0 / 6, 3.0 / 6}, g.Block(z, 2), 1e-15)
	p := g.Problem()
	require.NoError(t, p.Validate())
	proj := make([]float64, len(z))
	p.C.Project(proj, z)
	assert.InDeltaSlice(t, z, proj, 1e-15, "the start is a mixed profile")
	assert.Equal(t, []int{5, 4, 3}, g.Set().Dims)

	// Two players: the same start as the matrix game's.
	o := normalFormLoad(t, "oneill.nfg")
	mg, err := o.MatrixGame()
	require.NoError(t, err)
	assert.Equal(t, mg.Start(), o.Start())
}

func TestNormalFormNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		counts  []int
		payoffs []float64
		want    string
	}{
		{"no players", nil, nil, "games: NewNormalFormGame: no players, want at least 1"},
		{"no strategies", []int{2, 0}, nil, "games: NewNormalFormGame: player 2 has 0 strategies, want at least 1"},
		{"payoff count", []int{2, 2}, make([]float64, 7), "games: NewNormalFormGame: 7 payoffs, want 8 (2 players × 4 profiles)"},
		{"NaN", []int{2}, []float64{1, math.NaN()}, "games: NewNormalFormGame: payoff 1 (player 1 at profile 1) = NaN is not finite"},
		{"too big", []int{1 << 14, 1 << 14}, nil, "games: NewNormalFormGame: the game has more than 67108864 pure profiles"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewNormalFormGame(tc.counts, tc.payoffs)
			assert.EqualError(t, err, tc.want)
		})
	}
	g, err := NewNormalFormGame([]int{2}, []float64{1, 2})
	require.NoError(t, err)
	assert.Error(t, g.SetPlayerNames([]string{"a", "b"}))
	assert.Error(t, g.SetStrategyNames(0, []string{"a"}))
	assert.Error(t, g.SetStrategyNames(1, []string{"a"}))
	// One player: F = −u is constant and the gap is the loss against the
	// best pure strategy.
	assert.Equal(t, 1.0, g.NashGap([]float64{1, 0}))
	assert.Equal(t, 0.0, g.NashGap([]float64{0, 1}))
}

func TestNormalFormEvaluationAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool allocates under the race detector")
	}
	g := normalFormLoad(t, "5x4x3.nfg")
	op := g.Operator()
	z, dst := g.Start(), make([]float64, g.Dim())
	u := make([]float64, g.NumPlayers())
	g.NashGap(z) // warm the scratch pool
	assert.Zero(t, testing.AllocsPerRun(100, func() { op.Apply(dst, z) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { g.NashGap(z) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { g.ExpectedPayoffs(u, z) }))
}

// BenchmarkNormalFormOperator times one evaluation of F on Gambit games
// and a random 4-player game with 8 strategies each (4096 profiles).
func BenchmarkNormalFormOperator(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	pay := make([]float64, 4*4096)
	for i := range pay {
		pay[i] = rng.Float64()
	}
	big, err := NewNormalFormGame([]int{8, 8, 8, 8}, pay)
	require.NoError(b, err)
	for _, c := range []struct {
		name string
		g    *NormalFormGame
	}{
		{"5x4x3", normalFormLoad(b, "5x4x3.nfg")},
		{"2x2x2x2x2", normalFormLoad(b, "2x2x2x2x2.nfg")},
		{"8x8x8x8", big},
	} {
		b.Run(c.name, func(b *testing.B) {
			op := c.g.Operator()
			z, dst := c.g.Start(), make([]float64, c.g.Dim())
			b.ReportAllocs()
			for b.Loop() {
				op.Apply(dst, z)
			}
		})
	}
}
