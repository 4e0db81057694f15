package registry

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// An Instance is a problem ready to solve, with what is known about it.
type Instance struct {
	// Name is how the instance was asked for (a built-in spec or a path).
	Name string
	// Problem is the VI with its start point.
	Problem *vi.Problem
	// Solution is the unique solution when known, else nil.
	Solution []float64
	// Game is set for matrix games (and two-player constant-sum .nfg
	// files): duality gap and exact value.
	Game *games.MatrixGame
	// NormalForm is set for games read from a Gambit .nfg file.
	NormalForm *games.NormalFormGame
	// Continuous is set for the continuous N-player games (Cournot,
	// Kelly, quadratic).
	Continuous games.ContinuousGame
	// Split is the number of x coordinates of a two-player problem
	// z = (x, y); 0 when the problem is not split.
	Split int
	// Monotone reports that F is monotone on C.
	Monotone bool
	// StronglyMonotone reports a positive strong monotonicity modulus.
	StronglyMonotone bool
	// Bounded reports that C is bounded.
	Bounded bool
	// L is a Lipschitz constant of F when one is known, else 0.
	L float64
	// Comonotone reports that F is ρ-negatively comonotone with ρ = Rho
	// exactly: ⟨F(z) − F(z'), z − z'⟩ ≥ −ρ‖F(z) − F(z')‖².
	Comonotone bool
	Rho        float64
	// WeakMinty is the weak Minty parameter ρ (⟨F(z), z − z*⟩ ≥
	// −ρ‖F(z)‖²) of non-monotone problems where it was estimated, else 0.
	WeakMinty float64
	// Stochastic reports that F is a vi.StochasticOperator (a finite sum):
	// stochastic methods sample it, Solve measures its mean.
	Stochastic bool
}

// Gap returns the Nash gap at z for games (the duality gap for matrix
// games), and false for other instances.
func (in *Instance) Gap(z []float64) (float64, bool) {
	if f := in.gapFunc(); f != nil {
		return f(z), true
	}
	return 0, false
}

// IsGame reports whether the instance is a game, with a Gap.
func (in *Instance) IsGame() bool { return in.gapFunc() != nil }

// gapFunc returns the gap of the instance's game, or nil: the matrix
// game's duality gap first (a two-player constant-sum .nfg file is also a
// matrix game), then the Nash gap of a normal-form or continuous game.
func (in *Instance) gapFunc() func([]float64) float64 {
	switch {
	case in.Game != nil:
		return in.Game.GapOf
	case in.NormalForm != nil:
		return in.NormalForm.NashGap
	case in.Continuous != nil:
		if g, ok := in.Continuous.(interface{ NashGap([]float64) float64 }); ok {
			return g.NashGap
		}
	}
	return nil
}

// A ProblemInfo describes one built-in problem family.
type ProblemInfo struct {
	// Name is the family name, the part of a spec before the colon.
	Name string
	// Params lists the parameters with their defaults, "n=10,seed=1".
	Params string
	// Summary is one line for `saddle problems`.
	Summary string
	build   func(a *args) (*Instance, error)
}

// Problems returns the built-in problem families, sorted by name.
func Problems() []ProblemInfo {
	ps := []ProblemInfo{
		{Name: "bilinear", Params: "n=10,seed=1", Summary: "unconstrained bilinear game xᵀAy + bᵀx + cᵀy, A = I + G/(2‖G‖), known solution",
			build: func(a *args) (*Instance, error) {
				n, seed := a.int("n"), a.uint("seed")
				if err := a.check(n < 1 || n > 5000, "n = %d, want 1 ≤ n ≤ 5000", n); err != nil {
					return nil, err
				}
				toy, err := games.Bilinear(n, seed)
				if err != nil {
					return nil, err
				}
				return &Instance{Problem: toy.Problem, Solution: toy.Solution, Split: toy.Split, L: toy.L, Monotone: true}, nil
			}},
		{Name: "quadratic-bilinear", Params: "a=1,b=3,c=1", Summary: "f = (a/2)x² + bxy − (c/2)y², strongly monotone for a, c > 0, saddle (0, 0)",
			build: func(a *args) (*Instance, error) {
				x, y, z := a.float("a"), a.float("b"), a.float("c")
				if err := a.check(false, ""); err != nil {
					return nil, err
				}
				toy, err := games.QuadraticBilinear(x, y, z)
				if err != nil {
					return nil, err
				}
				return &Instance{Problem: toy.Problem, Solution: toy.Solution, Split: 1, L: toy.L, Monotone: true,
					StronglyMonotone: x > 0 && z > 0}, nil
			}},
		{Name: "finite-sum", Params: "n=5,terms=8,seed=1", Summary: "mean of strongly monotone quadratic-bilinear games, sampled by stochastic methods; known solution",
			build: func(a *args) (*Instance, error) {
				n, terms, seed := a.int("n"), a.int("terms"), a.uint("seed")
				if err := a.check(n < 1 || n > 1000 || terms < 1 || terms > 10000,
					"n = %d, terms = %d, want 1 ≤ n ≤ 1000 and 1 ≤ terms ≤ 10000", n, terms); err != nil {
					return nil, err
				}
				toy, err := games.FiniteSum(n, terms, seed)
				if err != nil {
					return nil, err
				}
				return &Instance{Problem: toy.Problem, Solution: toy.Solution, Split: toy.Split, L: toy.L,
					Monotone: true, StronglyMonotone: true, Stochastic: true}, nil
			}},
		{Name: "comonotone", Params: "rho=0.1111111111111111,L=3", Summary: "linear ρ-negatively comonotone 2-D operator, L-Lipschitz, solution 0 (ρ = 1/9, L = 3: Pethick et al.'s example)",
			build: func(a *args) (*Instance, error) {
				rho, l := a.float("rho"), a.float("L")
				if err := a.check(false, ""); err != nil {
					return nil, err
				}
				toy, err := games.Comonotone(rho, l)
				if err != nil {
					return nil, err
				}
				return toyInstance(toy), nil
			}},
		{Name: "comonotone-tight", Params: "rho=0.25,gamma=1,n=100", Summary: "the 2-D rotation on which proximal point with step gamma meets its n-step bound (GTHG 2023, Thm 5)",
			build: func(a *args) (*Instance, error) {
				rho, gamma, n := a.float("rho"), a.float("gamma"), a.int("n")
				if err := a.check(false, ""); err != nil {
					return nil, err
				}
				toy, err := games.ComonotoneTight(rho, gamma, n)
				if err != nil {
					return nil, err
				}
				return toyInstance(toy), nil
			}},
		{Name: "cournot", Params: "n=3,seed=1", Summary: "Cournot oligopoly of n firms, demand 100 − Q, costs uniform on [10, 30): strongly monotone, closed-form equilibrium",
			build: func(a *args) (*Instance, error) {
				n, seed := a.int("n"), a.uint("seed")
				if err := a.check(n < 1 || n > 100_000, "n = %d, want 1 ≤ n ≤ 100000", n); err != nil {
					return nil, err
				}
				g, err := games.RandomCournot(n, seed)
				if err != nil {
					return nil, err
				}
				return &Instance{Problem: g.Problem(), Solution: g.Equilibrium(), L: g.Lipschitz(),
					Monotone: true, StronglyMonotone: true, Continuous: g}, nil
			}},
		{Name: "kelly", Params: "n=4", Summary: "Kelly auction of a resource among n bidders (B6.2): closed-form equilibrium, monotone near it but not globally",
			build: func(a *args) (*Instance, error) {
				n := a.int("n")
				if err := a.check(n < 1 || n > 100_000, "n = %d, want 1 ≤ n ≤ 100000", n); err != nil {
					return nil, err
				}
				g, err := games.StandardKelly(n)
				if err != nil {
					return nil, err
				}
				return &Instance{Problem: g.Problem(), Solution: g.Equilibrium(), L: g.Lipschitz(), Continuous: g}, nil
			}},
		{Name: "quadratic-game", Params: "n=4,seed=1", Summary: "n players with 2-D actions and quadratic losses: strongly monotone, equilibrium −Q⁻¹q",
			build: func(a *args) (*Instance, error) {
				n, seed := a.int("n"), a.uint("seed")
				if err := a.check(n < 1 || n > 2000, "n = %d, want 1 ≤ n ≤ 2000", n); err != nil {
					return nil, err
				}
				g, err := games.RandomQuadraticGame(n, seed)
				if err != nil {
					return nil, err
				}
				return &Instance{Problem: g.Problem(), Solution: g.Equilibrium(), L: g.Lipschitz(),
					Monotone: true, StronglyMonotone: true, Continuous: g}, nil
			}},
		{Name: "dirac-gan", Params: "gamma=0", Summary: "Dirac-GAN (Mescheder et al. 2018) on [−2, 2]² with gradient penalty gamma: GDA spirals out unless gamma > 0; equilibrium (0, 0)",
			build: func(a *args) (*Instance, error) {
				gamma := a.float("gamma")
				if err := a.check(false, ""); err != nil {
					return nil, err
				}
				toy, err := games.DiracGAN(gamma)
				if err != nil {
					return nil, err
				}
				return toyInstance(toy), nil
			}},
		{Name: "wgan-gaussian", Summary: "linear WGAN learning the mean (3, 4) of a Gaussian (Daskalakis et al. 2018): GDA diverges, optimism converges",
			build: func(*args) (*Instance, error) { return toyInstance(games.LinearWGAN()), nil }},
		{Name: "forsaken", Summary: "Forsaken (Hsieh et al. 2021) on [−3/2, 3/2]²: non-monotone, extragradient keeps a limit cycle",
			build: func(*args) (*Instance, error) { return toyInstance(games.Forsaken()), nil }},
		{Name: "polar", Summary: "polar game (Pethick et al. 2022) on [−1.1, 1.1]²: limit cycles at r = 1 and 3/4, solution 0",
			build: func(*args) (*Instance, error) { return toyInstance(games.Polar()), nil }},
		matrixInfo("rps", "rock-paper-scissors, uniform equilibrium, value 0", games.RPS, true),
		matrixInfo("biased-rps", "biased rock-paper-scissors, equilibrium (1, 10, 5)/16, value 0", games.BiasedRPS, true),
		matrixInfo("matching-pennies", "matching pennies, equilibrium (1/2, 1/2), value 0", games.MatchingPennies, true),
		{Name: "random-game", Params: "m=10,n=10,seed=1", Summary: "zero-sum matrix game with payoffs uniform on [−1, 1]; value by exact LP",
			build: func(a *args) (*Instance, error) {
				m, n, seed := a.int("m"), a.int("n"), a.uint("seed")
				if err := a.check(m < 1 || n < 1 || m*n > 25_000_000,
					"size %d×%d, want at least 1×1 and at most 25,000,000 entries", m, n); err != nil {
					return nil, err
				}
				g, err := games.RandomGame(m, n, seed)
				if err != nil {
					return nil, err
				}
				return gameInstance(g, false), nil
			}},
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}

// toyInstance describes a non-monotone or comonotone toy.
func toyInstance(t *games.Toy) *Instance {
	in := &Instance{Problem: t.Problem, Solution: t.Solution, Split: t.Split, L: t.L, Rho: t.Rho, WeakMinty: t.WeakMinty}
	if _, ok := t.Problem.F.(interface {
		Affine() (mat.Matrix, []float64)
	}); ok {
		// The linear toys are comonotone with exactly this ρ.
		in.Comonotone = true
		in.Monotone = t.Rho == 0
	}
	in.Bounded = t.Problem.C != nil
	return in
}

func matrixInfo(name, summary string, g func() *games.MatrixGame, unique bool) ProblemInfo {
	return ProblemInfo{Name: name, Summary: summary, build: func(*args) (*Instance, error) {
		return gameInstance(g(), unique), nil
	}}
}

// gameInstance wraps a matrix game; with unique set, its solution is
// computed by the exact LP and recorded.
func gameInstance(g *games.MatrixGame, unique bool) *Instance {
	m, _ := g.Dims()
	in := &Instance{Problem: g.Problem(), Game: g, Split: m, Monotone: true, Bounded: true}
	if unique {
		_, x, y, err := g.Solve()
		if err == nil {
			in.Solution = append(x, y...)
		}
	}
	return in
}

// Problem returns the built-in problem named by spec, "name" or
// "name:key=value,key=value", with defaults for omitted parameters.
func Problem(spec string) (*Instance, error) {
	name, rest, _ := strings.Cut(spec, ":")
	for _, info := range Problems() {
		if info.Name != name {
			continue
		}
		a, err := parseArgs(rest, info.Params)
		if err != nil {
			return nil, fmt.Errorf("registry: problem %q: %w", spec, err)
		}
		in, err := info.build(a)
		if err != nil {
			return nil, fmt.Errorf("registry: problem %q: %w", spec, err)
		}
		in.Name = spec
		return in, nil
	}
	return nil, fmt.Errorf("registry: unknown problem %q (see `saddle problems`)", name)
}

// args are the parameters of a spec; each lookup records the first
// malformed value, so a family reads all its parameters and then calls
// check once.
type args struct {
	vals     map[string]string // given in the spec
	defaults map[string]string // from ProblemInfo.Params
	allowed  string
	err      error
}

func parseArgs(s, allowed string) (*args, error) {
	a := &args{vals: map[string]string{}, defaults: map[string]string{}, allowed: allowed}
	for _, kv := range strings.Split(allowed, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			a.defaults[k] = v
		}
	}
	if s == "" {
		return a, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return a, fmt.Errorf("parameter %q: want key=value", kv)
		}
		if _, known := a.defaults[k]; !known {
			if allowed == "" {
				return a, fmt.Errorf("parameter %q: this problem takes no parameters", k)
			}
			return a, fmt.Errorf("unknown parameter %q (parameters: %s)", k, allowed)
		}
		if _, dup := a.vals[k]; dup {
			return a, fmt.Errorf("parameter %q given twice", k)
		}
		a.vals[k] = v
	}
	return a, nil
}

// value returns the given or default text of k.
func (a *args) value(k string) string {
	if v, ok := a.vals[k]; ok {
		return v
	}
	v, ok := a.defaults[k]
	if !ok {
		panic("registry: parameter " + k + " is not in the family's Params") // a bug in Problems
	}
	return v
}

func (a *args) fail(k, v, want string) {
	if a.err == nil {
		a.err = fmt.Errorf("parameter %s=%q: %s", k, v, want)
	}
}

func (a *args) float(k string) float64 {
	v := a.value(k)
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		a.fail(k, v, "not a number")
	}
	return x
}

func (a *args) int(k string) int {
	v := a.value(k)
	x, err := strconv.Atoi(v)
	if err != nil {
		a.fail(k, v, "not an integer")
	}
	return x
}

func (a *args) uint(k string) uint64 {
	v := a.value(k)
	x, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		a.fail(k, v, "not a non-negative integer")
	}
	return x
}

// check returns the first malformed parameter, or, when bad holds, the
// range error format/values describe.
func (a *args) check(bad bool, format string, values ...any) error {
	if a.err != nil {
		return a.err
	}
	if bad {
		return fmt.Errorf(format, values...)
	}
	return nil
}
