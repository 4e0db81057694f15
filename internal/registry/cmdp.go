package registry

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/saddlepoint/saddle/constrained"
	"github.com/saddlepoint/saddle/rl"
)

// A CMDPInfo describes one built-in constrained MDP family, solved by
// `saddle cmdp`.
type CMDPInfo struct {
	// Name is the family name, the part of a spec before the colon.
	Name string
	// Params lists the parameters with their defaults.
	Params string
	// Summary is one line for `saddle problems`.
	Summary string
	build   func(a *args) (*constrained.CMDP, error)
}

// CMDPs returns the built-in constrained MDPs, sorted by name.
func CMDPs() []CMDPInfo {
	cs := []CMDPInfo{
		{Name: "random-cmdp", Params: "states=10,actions=3,constraints=2,seed=1", Summary: "random CMDP, γ = 0.9, thresholds halfway between a low-cost policy and the unconstrained optimum; optimum by exact LP",
			build: func(a *args) (*constrained.CMDP, error) {
				s, n, k, seed := a.int("states"), a.int("actions"), a.int("constraints"), a.uint("seed")
				if err := a.check(s < 1 || n < 1 || k < 0 || s > 2000 || n > 100 || k > 50,
					"states = %d, actions = %d, constraints = %d, want 1 ≤ states ≤ 2000, 1 ≤ actions ≤ 100, 0 ≤ constraints ≤ 50", s, n, k); err != nil {
					return nil, err
				}
				return constrained.RandomCMDP(s, n, k, seed)
			}},
		{Name: "gridworld-cmdp", Summary: "gridworld: reach the goal past hazard cells (cost 1 each), threshold between the safest and the fastest route",
			build: func(a *args) (*constrained.CMDP, error) {
				if err := a.check(false, ""); err != nil {
					return nil, err
				}
				return constrained.GridworldCMDP()
			}},
		{Name: "two-state-cmdp", Summary: "two states, a binding constraint: optimum V_r = 3.04 with π(go|s0) = 10/41, λ* = 0.52 (ALGORITHMS.md B7.2)",
			build: func(a *args) (*constrained.CMDP, error) {
				if err := a.check(false, ""); err != nil {
					return nil, err
				}
				return constrained.FromInstance(rl.TwoStateCMDP())
			}},
		{Name: "one-state-cmdp", Params: "gamma=0.9", Summary: "one state, two actions: the optimum randomizes, p* = 1/2, λ* = 1 (ALGORITHMS.md B7.1)",
			build: func(a *args) (*constrained.CMDP, error) {
				g := a.float("gamma")
				if err := a.check(!(g >= 0 && g < 1), "gamma = %v, want 0 ≤ gamma < 1", g); err != nil {
					return nil, err
				}
				in, err := rl.OneStateCMDP(g)
				if err != nil {
					return nil, err
				}
				return constrained.FromInstance(in)
			}},
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	return cs
}

// CMDP returns the constrained MDP named by spec: a .json CMDP file, or a
// built-in "name" or "name:key=value,…".
func CMDP(spec string) (*constrained.CMDP, error) {
	if strings.HasSuffix(strings.ToLower(spec), ".json") || strings.ContainsRune(spec, os.PathSeparator) {
		c, err := constrained.LoadJSON(spec)
		if err != nil {
			return nil, fmt.Errorf("registry: %w", err)
		}
		return c, nil
	}
	name, rest, _ := strings.Cut(spec, ":")
	for _, info := range CMDPs() {
		if info.Name != name {
			continue
		}
		a, err := parseArgs(rest, info.Params)
		if err != nil {
			return nil, fmt.Errorf("registry: CMDP %q: %w", spec, err)
		}
		c, err := info.build(a)
		if err != nil {
			return nil, fmt.Errorf("registry: CMDP %q: %w", spec, err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("registry: unknown CMDP %q (see `saddle problems`)", name)
}

// A CMDPMethodInfo describes one method of `saddle cmdp`.
type CMDPMethodInfo struct {
	Name, Rule, Summary string
	New                 func(step float64) constrained.Method
}

// CMDPMethods returns the methods for constrained MDPs.
func CMDPMethods() []CMDPMethodInfo {
	return []CMDPMethodInfo{
		{Name: "gda-lagrangian", Rule: "constrained.GDA", Summary: "Lagrangian descent-ascent: natural policy gradient on r − Σλc, projected gradient on λ (converges only on average)",
			New: func(step float64) constrained.Method { return &constrained.GDA{Step: step} }},
		{Name: "reload", Rule: "constrained.Optimistic", Summary: "optimistic Lagrangian ascent-descent on both players (ReLOAD-style): last-iterate convergence",
			New: func(step float64) constrained.Method { return &constrained.Optimistic{Step: step} }},
	}
}

// CMDPMethod returns the CMDP method named name with policy step step (0:
// its default).
func CMDPMethod(name string, step float64) (constrained.Method, error) {
	var names []string
	for _, m := range CMDPMethods() {
		if m.Name == name {
			return m.New(step), nil
		}
		names = append(names, m.Name)
	}
	return nil, fmt.Errorf("registry: unknown CMDP method %q (methods: %s)", name, strings.Join(names, ", "))
}
