package games

import (
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// nfgMaxPayoffs bounds the number of payoffs (players × pure profiles) of
// a NormalFormGame: 2²⁶ values, 512 MiB of float64.
const nfgMaxPayoffs = 1 << 26

// A NormalFormGame is a finite N-player game in normal (strategic) form:
// player i (0-based; Gambit's player i+1) picks one of its NumStrategies(i)
// pure strategies and, for each pure profile p = (p_0, …, p_{N−1}),
// receives the payoff u_i(p).
//
// The payoffs are stored densely in the order of Gambit's .nfg payoff list
// (checked against the Gambit documentation, "The strategic game (.nfg)
// file format, payoff version": the list starts with every player on its
// first strategy, player 1's strategy is incremented first and rolls over
// into player 2's, like the digits of a number read from the right, and
// each profile lists the payoffs of all players in player order): profile
// p has the index Σ_i p_i·Π_{j<i} n_j, and u_i(p) is Payoffs()[index·N + i].
//
// A mixed profile σ is one vector of length Dim() = Σ_i n_i, player 0's
// probabilities first: the point of the product of simplices Δ_{n_0} × … ×
// Δ_{n_{N−1}} that Set returns. Block gives one player's part of it.
//
// Title, Comment and the player and strategy names are kept for .nfg round
// trips; they play no part in the game.
type NormalFormGame struct {
	// Title is the game's title (the .nfg title string).
	Title string
	// Comment is the free-text comment of the .nfg file.
	Comment string

	players    []string
	strategies [][]string // nil entry: the default names "1", …, "n_i"
	counts     []int      // n_i
	offsets    []int      // offsets[i] = Σ_{j<i} n_j; offsets[N] = Dim()
	profiles   int        // Π_i n_i
	payoffs    []float64  // profiles × N, Gambit order

	lipOnce sync.Once
	lip     float64
}

// NewNormalFormGame returns the game in which player i has strategies[i]
// pure strategies and payoffs lists u_i(p) in Gambit's order (see
// NormalFormGame): payoffs[index(p)·N + i] with player 0's strategy
// varying fastest. It needs N ≥ 1 players, each with at least one
// strategy, exactly N·Π_i n_i finite payoffs, and at most 2²⁶ of them.
// payoffs is copied. Players are named "Player 1", …, "Player N" and
// strategies "1", …, "n_i" until SetPlayerNames or SetStrategyNames says
// otherwise.
func NewNormalFormGame(strategies []int, payoffs []float64) (*NormalFormGame, error) {
	g, err := nfgNewGame(strategies)
	if err != nil {
		return nil, fmt.Errorf("games: NewNormalFormGame: %w", err)
	}
	if want := g.profiles * len(strategies); len(payoffs) != want {
		return nil, fmt.Errorf("games: NewNormalFormGame: %d payoffs, want %d (%d players × %d profiles)", len(payoffs), want, len(strategies), g.profiles)
	}
	for k, v := range payoffs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			n := len(strategies)
			return nil, fmt.Errorf("games: NewNormalFormGame: payoff %d (player %d at profile %d) = %v is not finite", k, k%n+1, k/n, v)
		}
	}
	g.payoffs = append([]float64(nil), payoffs...)
	return g, nil
}

// nfgNewGame sizes a game with the given strategy counts and no payoffs.
func nfgNewGame(strategies []int) (*NormalFormGame, error) {
	n := len(strategies)
	if n == 0 {
		return nil, fmt.Errorf("no players, want at least 1")
	}
	g := &NormalFormGame{
		players:    make([]string, n),
		strategies: make([][]string, n),
		counts:     append([]int(nil), strategies...),
		offsets:    make([]int, n+1),
		profiles:   1,
	}
	for i, c := range strategies {
		if c < 1 {
			return nil, fmt.Errorf("player %d has %d strategies, want at least 1", i+1, c)
		}
		if c > nfgMaxPayoffs || g.profiles > nfgMaxPayoffs/c || g.offsets[i] > nfgMaxPayoffs-c {
			return nil, fmt.Errorf("the game has more than %d pure profiles", nfgMaxPayoffs)
		}
		g.profiles *= c
		g.offsets[i+1] = g.offsets[i] + c
		g.players[i] = "Player " + strconv.Itoa(i+1)
	}
	if g.profiles > nfgMaxPayoffs/n {
		return nil, fmt.Errorf("%d players × %d profiles is more than %d payoffs", n, g.profiles, nfgMaxPayoffs)
	}
	return g, nil
}

// NumPlayers returns N.
func (g *NormalFormGame) NumPlayers() int { return len(g.counts) }

// NumStrategies returns n_i, the number of pure strategies of player i
// (0-based). It panics if i is out of range.
func (g *NormalFormGame) NumStrategies(i int) int { return g.counts[g.player(i)] }

// NumProfiles returns the number of pure profiles, Π_i n_i.
func (g *NormalFormGame) NumProfiles() int { return g.profiles }

// Dim returns Σ_i n_i, the length of a mixed profile.
func (g *NormalFormGame) Dim() int { return g.offsets[len(g.counts)] }

// PlayerName returns player i's name.
func (g *NormalFormGame) PlayerName(i int) string { return g.players[g.player(i)] }

// StrategyName returns the name of player i's strategy s (both 0-based).
func (g *NormalFormGame) StrategyName(i, s int) string {
	i = g.player(i)
	if s < 0 || s >= g.counts[i] {
		panic(fmt.Sprintf("games: NormalFormGame: strategy %d out of range for player %d with %d strategies", s, i, g.counts[i]))
	}
	if g.strategies[i] == nil {
		return strconv.Itoa(s + 1)
	}
	return g.strategies[i][s]
}

// SetPlayerNames names the players; names must have one entry per player.
func (g *NormalFormGame) SetPlayerNames(names []string) error {
	if len(names) != len(g.counts) {
		return fmt.Errorf("games: SetPlayerNames: %d names for %d players", len(names), len(g.counts))
	}
	copy(g.players, names)
	return nil
}

// SetStrategyNames names player i's strategies; names must have one entry
// per strategy. A nil names restores the defaults "1", …, "n_i".
func (g *NormalFormGame) SetStrategyNames(i int, names []string) error {
	if i < 0 || i >= len(g.counts) {
		return fmt.Errorf("games: SetStrategyNames: player %d out of range [0, %d)", i, len(g.counts))
	}
	if names == nil {
		g.strategies[i] = nil
		return nil
	}
	if len(names) != g.counts[i] {
		return fmt.Errorf("games: SetStrategyNames: %d names for player %d's %d strategies", len(names), i, g.counts[i])
	}
	g.strategies[i] = append([]string(nil), names...)
	return nil
}

// player checks a player index.
func (g *NormalFormGame) player(i int) int {
	if i < 0 || i >= len(g.counts) {
		panic(fmt.Sprintf("games: NormalFormGame: player %d out of range [0, %d)", i, len(g.counts)))
	}
	return i
}

// ProfileIndex returns the position of the pure profile p (one 0-based
// strategy per player) in Gambit's order, Σ_i p_i·Π_{j<i} n_j. It panics
// if p has the wrong length or a strategy out of range.
func (g *NormalFormGame) ProfileIndex(p []int) int {
	if len(p) != len(g.counts) {
		panic(fmt.Sprintf("games: NormalFormGame: profile has %d strategies for %d players", len(p), len(g.counts)))
	}
	idx, stride := 0, 1
	for i, s := range p {
		if s < 0 || s >= g.counts[i] {
			panic(fmt.Sprintf("games: NormalFormGame: strategy %d out of range for player %d with %d strategies", s, i, g.counts[i]))
		}
		idx += s * stride
		stride *= g.counts[i]
	}
	return idx
}

// Payoff returns u_i(p), player i's payoff at the pure profile p (0-based
// strategies). It panics on an index out of range, as mat.Dense.At does.
func (g *NormalFormGame) Payoff(p []int, i int) float64 {
	return g.payoffs[g.ProfileIndex(p)*len(g.counts)+g.player(i)]
}

// Payoffs returns all payoffs in Gambit's order (see NormalFormGame);
// borrowed, not to be modified.
func (g *NormalFormGame) Payoffs() []float64 { return g.payoffs }

// Block returns player i's part of the mixed profile z, sharing its
// memory.
func (g *NormalFormGame) Block(z []float64, i int) []float64 {
	i = g.player(i)
	return z[g.offsets[i]:g.offsets[i+1]]
}

// nfgScratch is the work space of the deviation-payoff kernel.
type nfgScratch struct {
	pre, suf []float64 // prefix and suffix products of the σ_j(p_j)
	acc      []float64 // per-player sums over player 0's strategies
	digits   []int     // the current pure profile
	dev      []float64 // deviation payoffs (NashGap and friends)
}

// size makes s fit g.
func (s *nfgScratch) size(g *NormalFormGame, dev bool) {
	n := len(g.counts)
	if cap(s.pre) < n+1 {
		s.pre, s.suf, s.acc = make([]float64, n+1), make([]float64, n+1), make([]float64, n)
	}
	s.pre, s.suf, s.acc = s.pre[:n+1], s.suf[:n+1], s.acc[:n]
	if cap(s.digits) < n {
		s.digits = make([]int, n)
	}
	s.digits = s.digits[:n]
	if dev {
		if cap(s.dev) < g.Dim() {
			s.dev = make([]float64, g.Dim())
		}
		s.dev = s.dev[:g.Dim()]
	}
}

// nfgPool holds scratch for the game's own measures, which may be called
// concurrently.
var nfgPool = sync.Pool{New: func() any { return new(nfgScratch) }}

// deviation sets dev[offsets[i]+s] = u_i(s, σ_−i) for every player i and
// pure strategy s: the sum over the profiles p with p_i = s of
// u_i(p)·Π_{j≠i} σ_j(p_j). It makes one pass over the payoff table, in
// blocks of n_0 consecutive profiles that share the strategies of players
// 1, …, N−1 (player 0 changes fastest). In a block, player 0 gains
// u_0(s_0, ·)·Π_{j≥1} σ_j(p_j) at each s_0, and player i ≥ 1 gains
// (Σ_{s_0} σ_0(s_0)·u_i(s_0, ·))·Π_{j≥1, j≠i} σ_j(p_j) at its own p_i, the
// last products taken from prefix and suffix products over players
// 1, …, N−1 (no division: σ may have zeros). Cost: N multiply-adds per
// profile plus O(N) per block, O(N·Π_i n_i) in all. s must be sized.
func (g *NormalFormGame) deviation(dev, sigma []float64, s *nfgScratch) {
	n, n0 := len(g.counts), g.counts[0]
	clear(dev)
	x0, dev0 := sigma[:n0], dev[:n0]
	if n == 1 {
		copy(dev0, g.payoffs)
		return
	}
	digits, pre, suf, acc := s.digits, s.pre, s.suf, s.acc
	clear(digits)
	off := g.offsets
	pre[1], suf[n] = 1, 1
	blocks := g.profiles / n0
	for b := 0; b < blocks; b++ {
		for i := 1; i < n; i++ {
			pre[i+1] = pre[i] * sigma[off[i]+digits[i]]
		}
		for i := n - 1; i > 1; i-- {
			suf[i] = suf[i+1] * sigma[off[i]+digits[i]]
		}
		r := pre[n]
		clear(acc)
		u := g.payoffs[b*n0*n : (b+1)*n0*n]
		for s0, w := range x0 {
			row := u[s0*n : s0*n+n]
			dev0[s0] += row[0] * r
			for i := 1; i < n; i++ {
				acc[i] += row[i] * w
			}
		}
		for i := 1; i < n; i++ {
			dev[off[i]+digits[i]] += acc[i] * (pre[i] * suf[i+1])
		}
		for i := 1; i < n; i++ { // next block, player 1 fastest
			digits[i]++
			if digits[i] < g.counts[i] {
				break
			}
			digits[i] = 0
		}
	}
}

// checkSigma panics when sigma has the wrong length.
func (g *NormalFormGame) checkSigma(fn string, sigma []float64) {
	if len(sigma) != g.Dim() {
		panic(fmt.Sprintf("games: NormalFormGame.%s: len(sigma) = %d, want %d", fn, len(sigma), g.Dim()))
	}
}

// DeviationPayoffs sets dst[Σ_{j<i} n_j + s] = u_i(s, σ_−i), the expected
// payoff of player i for pure strategy s when the others play σ: the
// gradient of u_i(σ) with respect to player i's own mixed strategy. dst
// and sigma have length Dim(). Cost O(N·NumProfiles()); it does not
// allocate once its scratch pool is warm and is safe for concurrent use.
func (g *NormalFormGame) DeviationPayoffs(dst, sigma []float64) {
	g.checkSigma("DeviationPayoffs", sigma)
	if len(dst) != len(sigma) {
		panic(fmt.Sprintf("games: NormalFormGame.DeviationPayoffs: len(dst) = %d, want %d", len(dst), len(sigma)))
	}
	s := nfgPool.Get().(*nfgScratch)
	s.size(g, false)
	g.deviation(dst, sigma, s)
	nfgPool.Put(s)
}

// ExpectedPayoffs sets dst[i] = u_i(σ) = Σ_p u_i(p)·Π_j σ_j(p_j), each
// player's expected payoff under the mixed profile σ; dst has length N.
// Cost O(N·NumProfiles()); it does not allocate once its scratch pool is
// warm and is safe for concurrent use.
func (g *NormalFormGame) ExpectedPayoffs(dst, sigma []float64) {
	g.checkSigma("ExpectedPayoffs", sigma)
	if len(dst) != len(g.counts) {
		panic(fmt.Sprintf("games: NormalFormGame.ExpectedPayoffs: len(dst) = %d, want %d", len(dst), len(g.counts)))
	}
	s := g.measure(sigma)
	for i := range dst {
		dst[i] = nfgDot(g.Block(sigma, i), g.Block(s.dev, i))
	}
	nfgPool.Put(s)
}

// measure returns pooled scratch whose dev holds the deviation payoffs at
// sigma; the caller puts it back.
func (g *NormalFormGame) measure(sigma []float64) *nfgScratch {
	s := nfgPool.Get().(*nfgScratch)
	s.size(g, true)
	g.deviation(s.dev, sigma, s)
	return s
}

// PlayerGaps sets dst[i] = max_s u_i(s, σ_−i) − u_i(σ), what player i
// gains by its best pure response to the others' σ_−i; dst has length N.
// Each term is ≥ 0 for a mixed profile (u_i(σ) is computed as
// Σ_s σ_i(s)·u_i(s, σ_−i), a weighted mean of the deviation payoffs, and
// rounding below 0 is clamped to 0). Cost O(N·NumProfiles()); no
// allocation once its scratch pool is warm; safe for concurrent use.
func (g *NormalFormGame) PlayerGaps(dst, sigma []float64) {
	g.checkSigma("PlayerGaps", sigma)
	if len(dst) != len(g.counts) {
		panic(fmt.Sprintf("games: NormalFormGame.PlayerGaps: len(dst) = %d, want %d", len(dst), len(g.counts)))
	}
	s := g.measure(sigma)
	for i := range dst {
		dst[i] = nfgGap(g.Block(sigma, i), g.Block(s.dev, i))
	}
	nfgPool.Put(s)
}

// NashGap returns Σ_i (max_s u_i(s, σ_−i) − u_i(σ)), the sum over players
// of what each gains by a best response to the others (SPEC "Measures";
// OpenSpiel's NashConv). On mixed profiles it is ≥ 0 and 0 exactly at the
// Nash equilibria; for a two-player constant-sum game it equals the
// duality gap of MatrixGame(). sigma is not checked to be a mixed
// profile. Cost O(N·NumProfiles()); it does not allocate once its scratch
// pool is warm and is safe for concurrent use.
func (g *NormalFormGame) NashGap(sigma []float64) float64 {
	g.checkSigma("NashGap", sigma)
	s := g.measure(sigma)
	var gap float64
	for i := range g.counts {
		gap += nfgGap(g.Block(sigma, i), g.Block(s.dev, i))
	}
	nfgPool.Put(s)
	return gap
}

// nfgGap returns max(dev) − ⟨x, dev⟩, clamped at 0.
func nfgGap(x, dev []float64) float64 {
	best := math.Inf(-1)
	for _, v := range dev {
		best = math.Max(best, v)
	}
	return math.Max(0, best-nfgDot(x, dev))
}

func nfgDot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// A NormalFormOperator is the VI operator of a NormalFormGame,
//
//	F(σ) = −(u_i(s, σ_−i))_{i, s},
//
// the negated deviation payoffs: every player ascends its own expected
// payoff, and u_i(s, σ_−i) = ∂u_i(σ)/∂σ_i(s). Its solutions on Set() are
// exactly the Nash equilibria. It holds scratch space, so one operator
// must not be applied from several goroutines at once; Operator() returns
// a fresh one per call.
type NormalFormOperator struct {
	g *NormalFormGame
	s nfgScratch
}

// Operator returns the game's VI operator.
func (g *NormalFormGame) Operator() *NormalFormOperator {
	op := &NormalFormOperator{g: g}
	op.s.size(g, false)
	return op
}

// Dim returns Σ_i n_i.
func (o *NormalFormOperator) Dim() int { return o.g.Dim() }

// Apply sets dst = F(z) in one pass over the payoff table, O(N·Π_i n_i)
// operations; it does not allocate. It panics when dst or z does not have
// length Dim().
func (o *NormalFormOperator) Apply(dst, z []float64) {
	if len(dst) != o.g.Dim() || len(z) != o.g.Dim() {
		panic(fmt.Sprintf("games: NormalFormOperator.Apply: len(dst) = %d, len(z) = %d, want %d", len(dst), len(z), o.g.Dim()))
	}
	o.g.deviation(dst, z, &o.s)
	for i := range dst {
		dst[i] = -dst[i]
	}
}

// Lipschitz returns the game's Lipschitz bound (NormalFormGame.Lipschitz).
func (o *NormalFormOperator) Lipschitz() float64 { return o.g.Lipschitz() }

// Game returns the game the operator belongs to.
func (o *NormalFormOperator) Game() *NormalFormGame { return o.g }

// Lipschitz returns L with ‖F(x) − F(y)‖ ≤ L‖x − y‖ for x, y in Set(), the
// product of simplices (F is a polynomial of degree N − 1 and is Lipschitz
// on bounded sets only; methods that evaluate F outside the set, such as
// reflected steps, are not covered). Derivation: F(x) − F(y) = J(ξ)v for
// some ξ on the segment and v = x − y, which sums to zero on every block,
// so v = Pv with P = diag(P_j), P_j = I − 11ᵀ/n_j. J_ii = 0, and for j ≠ i
// the block ∂F_i/∂σ_j is minus a convex combination, with weights
// Π_{k≠i,j} σ_k(p_k), of the n_i × n_j slices S of u_i at fixed
// strategies of the other players; by convexity of the norm
// ‖J_ij P_j‖₂ ≤ M_ij = max_S ‖S P_j‖₂ (S with each row's mean removed; 0
// when n_j = 1), and L = ‖M‖₂, the spectral norm of the N × N matrix of
// these bounds (‖JP‖₂ ≤ ‖(‖J_ij P_j‖₂)‖₂ ≤ ‖M‖₂ for entrywise-larger
// nonnegative M). For two players F is affine and this is the smallest
// Lipschitz constant on the set, max(‖U_1 P_2‖₂, ‖U_2ᵀ P_1‖₂) with U_i
// player i's payoff matrix (rows player 1). It is 0 when F is constant on
// the set (for example when every player's payoff depends on its own
// strategy only); methods then need an explicit step. Computed on first
// use by spectral norms of the slices (monotone.SpectralNorm), O(N²·Π n_i)
// reads plus the Lanczos iterations, then cached; safe for concurrent use.
func (g *NormalFormGame) Lipschitz() float64 {
	g.lipOnce.Do(func() { g.lip = g.lipschitz() })
	return g.lip
}

func (g *NormalFormGame) lipschitz() float64 {
	n := len(g.counts)
	if n == 1 {
		return 0 // F is constant: u_1 does not depend on anything else
	}
	stride := make([]int, n)
	stride[0] = 1
	for i := 1; i < n; i++ {
		stride[i] = stride[i-1] * g.counts[i-1]
	}
	m := mat.NewDense(n, n, nil)
	rest := make([]int, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j || g.counts[j] == 1 {
				continue
			}
			ni, nj := g.counts[i], g.counts[j]
			slice := mat.NewDense(ni, nj, nil)
			best := 0.0
			// Walk the profiles of the players other than i and j.
			clear(rest)
			for {
				base := 0
				for k, r := range rest {
					base += r * stride[k]
				}
				for s := 0; s < ni; s++ {
					row := slice.RawRowView(s)
					for t := range row {
						row[t] = g.payoffs[(base+s*stride[i]+t*stride[j])*n+i]
					}
					mean := floats.Sum(row) / float64(nj)
					floats.AddConst(-mean, row) // S P_j
				}
				best = math.Max(best, monotone.SpectralNorm(slice))
				k := 0
				for ; k < n; k++ {
					if k == i || k == j {
						continue
					}
					rest[k]++
					if rest[k] < g.counts[k] {
						break
					}
					rest[k] = 0
				}
				if k == n {
					break
				}
			}
			m.Set(i, j, best)
		}
	}
	return monotone.SpectralNorm(m)
}

// Set returns the strategy space Δ_{n_0} × … × Δ_{n_{N−1}}.
func (g *NormalFormGame) Set() vi.Product {
	n := len(g.counts)
	blocks := make([]vi.Set, n)
	for i := range blocks {
		blocks[i] = vi.Simplex{}
	}
	return vi.Product{Blocks: blocks, Dims: append([]int(nil), g.counts...)}
}

// Uniform returns the profile in which every player mixes uniformly.
func (g *NormalFormGame) Uniform() []float64 {
	z := make([]float64, g.Dim())
	for i, c := range g.counts {
		b := g.Block(z, i)
		for s := range b {
			b[s] = 1 / float64(c)
		}
	}
	return z
}

// Start returns the default start point: players 0, 2, 4, … play
// σ_i(s) ∝ s + 1 and players 1, 3, 5, … play σ_i(s) ∝ n_i − s, skewed
// mixed strategies that for two players are MatrixGame.Start's. Uniform
// play is the equilibrium of many classic games (matching pennies,
// rock-paper-scissors, the mixed equilibrium of coordination games), so
// it would make a poor start.
func (g *NormalFormGame) Start() []float64 {
	z := make([]float64, g.Dim())
	for i, c := range g.counts {
		b := g.Block(z, i)
		sum := float64(c*(c+1)) / 2
		for s := range b {
			w := s + 1
			if i%2 == 1 {
				w = c - s
			}
			b[s] = float64(w) / sum
		}
	}
	return z
}

// Problem returns the game as VI(F, Set()) with F = Operator(), started
// at Start().
func (g *NormalFormGame) Problem() *vi.Problem {
	return &vi.Problem{F: g.Operator(), C: g.Set(), Z0: g.Start()}
}

// ConstantSum reports whether the game has two players whose payoffs sum
// to the same c at every pure profile, up to 1e-12·max(1, max|u|)
// (payoffs such as 7.6 and −7.6 read from decimal text sum to exactly 0,
// but sums of rounded rationals may be off by an ulp); c is the sum at
// the first profile. A zero-sum game has c = 0.
func (g *NormalFormGame) ConstantSum() (c float64, ok bool) {
	if len(g.counts) != 2 {
		return 0, false
	}
	scale := 1.0
	for _, v := range g.payoffs {
		scale = math.Max(scale, math.Abs(v))
	}
	c = g.payoffs[0] + g.payoffs[1]
	for p := 1; p < g.profiles; p++ {
		if math.Abs(g.payoffs[2*p]+g.payoffs[2*p+1]-c) > 1e-12*scale {
			return 0, false
		}
	}
	return c, true
}

// MatrixGame returns a two-player constant-sum game (ConstantSum) as the
// zero-sum matrix game with A = player 1's payoffs, rows player 1's
// strategies and columns player 2's (SPEC "File formats"). When the
// payoffs sum to c ≠ 0, player 2's payoff c − A is replaced by −A: a
// constant shift of one player's payoffs, which changes neither best
// responses nor equilibria. So the value of the matrix game is player 1's
// equilibrium payoff and player 2's is c − value; the duality gap of the
// matrix game equals NashGap. Other games get an error.
func (g *NormalFormGame) MatrixGame() (*MatrixGame, error) {
	if len(g.counts) != 2 {
		return nil, fmt.Errorf("games: NormalFormGame.MatrixGame: the game has %d players, want 2", len(g.counts))
	}
	if _, ok := g.ConstantSum(); !ok {
		return nil, fmt.Errorf("games: NormalFormGame.MatrixGame: the payoffs of the two players do not sum to a constant")
	}
	m, n := g.counts[0], g.counts[1]
	a := mat.NewDense(m, n, nil)
	for s := 0; s < m; s++ {
		for t := 0; t < n; t++ {
			a.Set(s, t, g.payoffs[2*(s+t*m)])
		}
	}
	return NewMatrixGame(a)
}
