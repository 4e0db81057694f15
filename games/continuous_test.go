package games

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

var (
	_ ContinuousGame = (*Cournot)(nil)
	_ ContinuousGame = (*Kelly)(nil)
	_ ContinuousGame = (*QuadraticGame)(nil)
	_ ContinuousGame = (*MatrixPlay)(nil)
)

// contSolved is what the three B6 families share beyond ContinuousGame.
type contSolved interface {
	ContinuousGame
	Problem() *vi.Problem
	Equilibrium() []float64
	NashGap(x []float64) float64
	Lipschitz() float64
}

// contCase is a game of the continuous-game tests with the scale of its
// actions (for random points) and of its losses (for tolerances).
type contCase struct {
	name  string
	game  ContinuousGame
	scale float64 // actions drawn from [0, scale] (orthant), N(0, scale²) (Rⁿ)
	loss  float64 // typical size of a loss
}

func contCases(t *testing.T) []contCase {
	t.Helper()
	cournot, err := NewCournot(100, 1, []float64{10, 20, 30})
	require.NoError(t, err)
	random, err := RandomCournot(6, 7)
	require.NoError(t, err)
	kelly, err := StandardKelly(4)
	require.NoError(t, err)
	uneven, err := NewKelly([]float64{1, 3, 0.2}, 50, 2)
	require.NoError(t, err)
	quad, err := RandomQuadraticGame(4, 1)
	require.NoError(t, err)
	play, err := NewMatrixPlay(RPS())
	require.NoError(t, err)
	return []contCase{
		{"cournot-B6.1", cournot, 40, 1000},
		{"cournot-random", random, 20, 1000},
		{"kelly-B6.2", kelly, 800, 1000},
		{"kelly-uneven", uneven, 100, 100},
		{"quadratic-game", quad, 1, 1},
		{"matrix-play-rps", play, 1, 1},
	}
}

// contSample draws a random joint action in the game's action sets.
func contSample(c contCase, rng *rand.Rand) []float64 {
	_, n := contOffsets(c.game.Blocks())
	x := make([]float64, n)
	off := 0
	for i, d := range c.game.Blocks() {
		b := x[off : off+d]
		switch c.game.ActionSet(i).(type) {
		case vi.NonNegative:
			for k := range b {
				b[k] = c.scale * rng.Float64()
			}
		case vi.Simplex:
			for k := range b {
				b[k] = rng.ExpFloat64()
			}
			floats.Scale(1/floats.Sum(b), b)
		default:
			for k := range b {
				b[k] = c.scale * rng.NormFloat64()
			}
		}
		off += d
	}
	return x
}

// contWith returns a copy of x with player i's block replaced by u.
func contWith(g ContinuousGame, x []float64, i int, u []float64) []float64 {
	offs, _ := contOffsets(g.Blocks())
	y := append([]float64(nil), x...)
	copy(y[offs[i]:], u)
	return y
}

// contGolden minimizes a convex f on [lo, hi] by golden-section search and
// returns the minimum value.
func contGolden(f func(float64) float64, lo, hi float64) float64 {
	r := (math.Sqrt(5) - 1) / 2
	a, b := lo, hi
	c, d := b-r*(b-a), a+r*(b-a)
	fc, fd := f(c), f(d)
	for range 300 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - r*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + r*(b-a)
			fd = f(d)
		}
	}
	return min(fc, fd, f(lo), f(hi))
}

// contSlope fits log y = a + s·log x and returns s.
func contSlope(t *testing.T, x, y []float64) float64 {
	t.Helper()
	lx, ly := make([]float64, len(x)), make([]float64, len(y))
	for i := range x {
		require.Greater(t, y[i], 0.0, "value %d of the fit is not positive", i)
		lx[i], ly[i] = math.Log(x[i]), math.Log(y[i])
	}
	_, s := stat.LinearRegression(lx, ly, nil, false)
	return s
}

// Every loss is the potential of its player's block of F: the central
// difference of loss_i in x_i matches F_i at random points.
func TestContinuousLossesMatchOperator(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range contCases(t) {
		t.Run(c.name, func(t *testing.T) {
			g := c.game
			f := g.Operator()
			offs, n := contOffsets(g.Blocks())
			fx := make([]float64, n)
			for range 20 {
				x := contSample(c, rng)
				f.Apply(fx, x)
				for i, d := range g.Blocks() {
					for k := offs[i]; k < offs[i]+d; k++ {
						h := 1e-5 * c.scale
						xp, xm := append([]float64(nil), x...), append([]float64(nil), x...)
						xp[k] += h
						xm[k] -= h
						fd := (g.Loss(i, xp) - g.Loss(i, xm)) / (2 * h)
						assert.InDelta(t, fx[k], fd, 1e-6*(1+math.Abs(fx[k])), "∂loss_%d/∂x_%d at %v", i, k, x)
					}
				}
			}
		})
	}
}

// A best response is feasible, its loss is what BestResponse returns, and
// it solves the player's own VI: the natural residual of F_i(·, x_−i) over
// X_i vanishes there. The Nash gap is the sum of the players' gains from
// best responding, nonnegative.
func TestContinuousBestResponses(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 1))
	for _, c := range contCases(t) {
		t.Run(c.name, func(t *testing.T) {
			g := c.game
			offs, n := contOffsets(g.Blocks())
			fy := make([]float64, n)
			for range 20 {
				x := contSample(c, rng)
				var gap float64
				for i, d := range g.Blocks() {
					u := make([]float64, d)
					v := g.BestResponse(i, u, x)
					y := contWith(g, x, i, u)
					assert.InDelta(t, g.Loss(i, y), v, 1e-10*c.loss, "value of player %d's best response", i)
					g.Operator().Apply(fy, y)
					blk := &vi.Problem{F: contBlockOp(fy[offs[i] : offs[i]+d]), C: g.ActionSet(i)}
					assert.Less(t, vi.NaturalResidual(blk.F, blk.C, u), 1e-9*(1+c.scale), "player %d's best response %v", i, u)
					proj := append([]float64(nil), u...)
					if s := g.ActionSet(i); s != nil {
						s.Project(proj, u)
					}
					assert.InDeltaSlice(t, u, proj, 1e-12, "best response lies in X_%d", i)
					gap += g.Loss(i, x) - v
					assert.GreaterOrEqual(t, g.Loss(i, x)-v, -1e-9*c.loss)
				}
				if s, ok := g.(interface{ NashGap([]float64) float64 }); ok {
					assert.InDelta(t, gap, s.NashGap(x), 1e-9*c.loss*(1+gap))
				}
			}
		})
	}
}

// contBlockOp is the constant operator u ↦ f, which makes the natural
// residual of a best response computable with vi.NaturalResidual: at the
// best response u, F_i(u, x_−i) = f.
type contBlockOp []float64

func (f contBlockOp) Dim() int               { return len(f) }
func (f contBlockOp) Apply(dst, _ []float64) { copy(dst, f) }

// The best fixed action in hindsight matches an independent minimization
// of the cumulative loss over recorded play: golden-section search for
// one-dimensional actions, the vertices for simplices, and a zero gradient
// of the cumulative loss (summed from F) for unconstrained blocks.
func TestContinuousHindsightMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	for _, c := range contCases(t) {
		t.Run(c.name, func(t *testing.T) {
			g := c.game
			offs, n := contOffsets(g.Blocks())
			const rounds = 40
			h := g.Hindsight(rounds / 2) // outgrow the reserved room on purpose
			var play [][]float64
			for i := range g.Blocks() {
				u := make([]float64, g.Blocks()[i])
				assert.Zero(t, h.Best(i, u), "no round recorded yet")
			}
			for range rounds {
				x := contSample(c, rng)
				h.Observe(x)
				play = append(play, x)
			}
			require.Equal(t, rounds, h.Rounds())
			cum := func(i int, u []float64) float64 {
				var s float64
				for _, x := range play {
					s += g.Loss(i, contWith(g, x, i, u))
				}
				return s
			}
			for i, d := range g.Blocks() {
				u := make([]float64, d)
				best := h.Best(i, u)
				assert.InDelta(t, cum(i, u), best, 1e-9*rounds*c.loss, "Best returns the cumulative loss of its action")
				switch g.ActionSet(i).(type) {
				case vi.NonNegative:
					want := contGolden(func(v float64) float64 { return cum(i, []float64{v}) }, 0, 20*c.scale)
					assert.InDelta(t, want, best, 1e-9*rounds*c.loss, "player %d", i)
					assert.LessOrEqual(t, best, want+1e-9*rounds*c.loss)
				case vi.Simplex:
					want := math.Inf(1)
					for k := 0; k < d; k++ {
						e := make([]float64, d)
						e[k] = 1
						want = min(want, cum(i, e))
					}
					assert.InDelta(t, want, best, 1e-12*rounds, "player %d", i)
				default:
					grad := make([]float64, d)
					fy := make([]float64, n)
					for _, x := range play {
						g.Operator().Apply(fy, contWith(g, x, i, u))
						floats.Add(grad, fy[offs[i]:offs[i]+d])
					}
					assert.Less(t, floats.Norm(grad, 2), 1e-10*rounds, "player %d: gradient of the cumulative loss at the best action", i)
				}
			}
		})
	}
}

// Extragradient and optimistic gradient, at their default steps from the
// games' Lipschitz constants, reach the closed-form equilibrium of each
// family from the documented start. The budgets are regression guards:
// Kelly is slow because its global constant (at zero bids) is ≈ 300 times
// the local one at the equilibrium.
func TestContinuousEquilibriaReachedByEGAndOG(t *testing.T) {
	cournot, err := NewCournot(100, 1, []float64{10, 20, 30})
	require.NoError(t, err)
	kelly, err := StandardKelly(4)
	require.NoError(t, err)
	quad, err := RandomQuadraticGame(4, 1)
	require.NoError(t, err)
	for _, c := range []struct {
		name   string
		g      contSolved
		budget int // iterations, for EG and OG alike
	}{
		{"cournot", cournot, 1000},
		{"kelly", kelly, 150000},
		{"quadratic-game", quad, 1000},
	} {
		for _, m := range []struct {
			name string
			m    vi.Method
		}{{"eg", &vi.Extragradient{}}, {"og", &vi.OptimisticGradient{}}} {
			t.Run(c.name+"/"+m.name, func(t *testing.T) {
				eq := c.g.Equilibrium()
				p := c.g.Problem()
				stop := func(s *vi.Snapshot) bool { return floats.Distance(s.Z, eq, 2) <= 1e-7 }
				res, err := vi.Solve(context.Background(), p, m.m, &vi.Settings{Tol: -1, MaxIterations: c.budget, Stop: stop})
				require.NoError(t, err)
				assert.Equal(t, vi.Converged, res.Status)
				assert.LessOrEqual(t, floats.Distance(res.Z, eq, 2), 1e-6)
				t.Logf("%d iterations", res.Stats.Iterations)
			})
		}
	}
}

// The Nash gap is 0 at each family's equilibrium and positive away from
// it; at the equilibrium F's natural residual is at rounding level.
func TestContinuousEquilibriumCertificates(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 1))
	for _, c := range contCases(t) {
		g, ok := c.game.(contSolved)
		if !ok {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			p := g.Problem()
			eq := g.Equilibrium()
			assert.LessOrEqual(t, vi.NaturalResidual(p.F, p.C, eq), 1e-12)
			assert.InDelta(t, 0, g.NashGap(eq), 1e-12*c.loss)
			x := contSample(c, rng)
			assert.Greater(t, g.NashGap(x), 0.0)
			// Z0 is a fresh copy, and the equilibrium is not the start.
			require.Len(t, p.Z0, len(eq))
			assert.Greater(t, floats.Distance(p.Z0, eq, 2), 0.1)
			p.Z0[0] = 42
			assert.NotEqual(t, 42.0, g.Problem().Z0[0])
			eq[0] = 42
			assert.NotEqual(t, 42.0, g.Equilibrium()[0])
		})
	}
}

// contInverse returns A⁻¹ for tests.
func contInverse(t *testing.T, a mat.Matrix) *mat.Dense {
	t.Helper()
	var inv mat.Dense
	require.NoError(t, inv.Inverse(a))
	return &inv
}
