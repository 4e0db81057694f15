package registry

import (
	"fmt"
	"sort"
	"strings"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
)

// Options configure a method built by name. Zero values mean the method's
// own defaults.
type Options struct {
	// Step is the step size η (0: the method's default from L).
	Step float64
	// Seed seeds stochastic methods (0: their fixed default seed).
	Seed uint64
	// Rho is the problem's negative comonotonicity ρ ≥ 0, for methods whose
	// default steps depend on it (0: monotone).
	Rho float64
	// WeakMinty is the problem's weak Minty parameter where it is known
	// and no comonotonicity modulus is (ceg+ sets its δ = −ρ from it).
	WeakMinty float64
	// Split is the number of x coordinates of a two-player problem, for
	// methods that treat the players in turn (alt-gda); 0: from the set.
	Split int
}

// A MethodInfo describes one method: how to build it, what one iteration
// costs, and which problems its theory covers.
type MethodInfo struct {
	// Name is the command-line name, e.g. "eg".
	Name string
	// Summary is one line for `saddle methods`.
	Summary string
	// Rule names the Go type whose doc comment states the update rule,
	// step-size condition, cost and source.
	Rule string
	// Guarantee is the best known guarantee, in a few words.
	Guarantee string
	// New returns a fresh method configured by o.
	New func(o Options) vi.Method
	// Evals and Projections are the operator evaluations and projections
	// per iteration (−1: variable), InitEvals those Init makes, as the
	// method's doc comment states them.
	Evals, Projections, InitEvals int
	// InitProjections are the projections Init makes besides projecting
	// the start point.
	InitProjections int
	// Heuristic marks methods with no last-iterate guarantee on any
	// problem class (Adam-type steps): the conformance grid leaves them
	// out, their own tests show where they work and where they cycle.
	Heuristic bool
	// Stochastic marks methods that need a stochastic operator.
	Stochastic bool
	// Ergodic marks methods whose guarantee is on the average of their
	// iterates (Result.Average), not on the last iterate: the conformance
	// grid leaves them out and holds them to the rest of the contract on
	// the matrix games, with their average's duality gap.
	Ergodic bool
	// Anchored marks methods whose last iterate converges at O(1/k) on
	// every problem, strongly monotone or sharp ones included (the anchor
	// pulls back with weight 1/k): the conformance grid asks them for a
	// residual of 1e-4 rather than 1e-9.
	Anchored bool
	// Runs reports whether the method can run on the instance at all (the
	// entropic methods need simplices); nil means every instance. The
	// demo leaves out the methods that cannot run.
	Runs func(in *Instance) bool
	// Covers reports whether the method's theory promises convergence of
	// the last iterate on the instance; the conformance test runs exactly
	// these pairs.
	Covers func(in *Instance) bool
}

func monotoneOnly(in *Instance) bool { return in.Monotone }

// comonotoneUpTo returns a coverage rule: monotone problems, and
// ρ-negatively comonotone ones with ρL ≤ c (strict when strict is set),
// the range of the method's theorem.
func comonotoneUpTo(c float64, strict bool) func(in *Instance) bool {
	return func(in *Instance) bool {
		if in.Monotone {
			return true
		}
		if !in.Comonotone || in.L <= 0 {
			return false
		}
		if strict {
			return in.Rho*in.L < c
		}
		return in.Rho*in.L <= c
	}
}

func comonotoneAny(in *Instance) bool { return in.Monotone || in.Comonotone }

func stronglyMonotone(in *Instance) bool { return in.StronglyMonotone }

func unconstrainedMonotone(in *Instance) bool { return in.Monotone && in.Problem.C == nil }

func splitStronglyMonotone(in *Instance) bool { return in.StronglyMonotone && in.Split > 0 }

func never(*Instance) bool { return false }

func stochastic(in *Instance) bool { return in.Stochastic }

// uniqueMatrixGame covers two-player matrix games whose equilibrium is
// unique (the registry records it as the Solution).
func onSimplices(in *Instance) bool { return in.Problem.C != nil && vi.IsMirror(in.Problem.C) }

// withMixedHessian reports whether the competitive methods can reach the
// off-diagonal Jacobian blocks of the instance's operator.
func withMixedHessian(in *Instance) bool {
	_, err := games.MixedHessianOf(in.Problem.F, in.Split)
	return err == nil
}

// unconstrainedMonotoneGame covers two-player monotone games on the whole
// space, where the competitive methods' linear-convergence analysis of
// bilinear and quadratic-bilinear games applies.
func unconstrainedMonotoneGame(in *Instance) bool {
	return in.Problem.C == nil && in.Monotone && in.Split > 0 && withMixedHessian(in)
}

func uniqueMatrixGame(in *Instance) bool { return in.Game != nil && in.Solution != nil }

// Methods returns every method, sorted by name.
func Methods() []MethodInfo {
	ms := []MethodInfo{
		{Name: "gda", Summary: "simultaneous projected gradient descent-ascent",
			Rule: "vi.GDA", Guarantee: "linear for strongly monotone; diverges on bilinear games",
			New:   func(o Options) vi.Method { return &vi.GDA{Step: o.Step} },
			Evals: 1, Projections: 1, InitEvals: 1, Covers: stronglyMonotone},
		{Name: "eg", Summary: "extragradient (Korpelevich 1976)",
			Rule: "vi.Extragradient", Guarantee: "last iterate r_tan O(1/√T), monotone; linear on full-rank bilinear",
			New:   func(o Options) vi.Method { return &vi.Extragradient{Step: o.Step, Rho: o.Rho} },
			Evals: 2, Projections: 2, InitEvals: 1, Covers: comonotoneUpTo(1.0/8, false)},
		{Name: "aog", Summary: "accelerated optimistic gradient: anchored single-call step (Cai & Zheng 2023)",
			Rule: "vi.AcceleratedOptimisticGradient", Guarantee: "last iterate r_tan ≤ 55D/(ηT), monotone; O(1/√T) regret",
			New:   func(o Options) vi.Method { return &vi.AcceleratedOptimisticGradient{Step: o.Step} },
			Evals: 1, Projections: 2, Covers: monotoneOnly, Anchored: true},
		{Name: "arg", Summary: "accelerated reflected gradient (Cai & Zheng 2023)",
			Rule: "vi.AcceleratedReflectedGradient", Guarantee: "last iterate r_tan ≤ √6·H/(ηT), ρ-comonotone ρ ≤ 1/(60L)",
			New:   func(o Options) vi.Method { return &vi.AcceleratedReflectedGradient{Step: o.Step, Rho: o.Rho} },
			Evals: 1, Projections: 1, Covers: comonotoneUpTo(1.0/60, false), Anchored: true},
		{Name: "eag", Summary: "anchored extragradient EAG-C (Yoon & Ryu 2021); composite-EAG with a set",
			Rule: "vi.AnchoredExtragradient, vi.CompositeEAG", Guarantee: "‖F(z_k)‖ = O(1/k), monotone; composite: r_tan² ≤ 20H²/(η²T²)",
			New: func(o Options) vi.Method {
				return &bySet{free: &vi.AnchoredExtragradient{Step: o.Step}, constrained: &vi.CompositeEAG{Step: o.Step}}
			},
			// 1 + 2 per iteration unconstrained; composite-EAG makes 2K in K.
			Evals: -1, Projections: -1, Covers: monotoneOnly, Anchored: true},
		{Name: "feg", Summary: "fast extragradient (Lee & Kim 2021); composite-FEG with a set",
			Rule: "vi.FastExtragradient", Guarantee: "r_tan² ≤ 4H₀²/((η−2ρ)²T²), ρ-comonotone ρ < 1/(2L)",
			New:   func(o Options) vi.Method { return &vi.FastExtragradient{Step: o.Step, Rho: o.Rho} },
			Evals: 2, Projections: 1, Covers: comonotoneUpTo(0.5, true), Anchored: true},
		{Name: "alt-gda", Summary: "alternating gradient descent-ascent: x steps first, y answers",
			Rule: "vi.AltGDA", Guarantee: "bounded cycling on bilinear games (no convergence); converges on strongly monotone games for small steps",
			New:   func(o Options) vi.Method { return &vi.AltGDA{Step: o.Step, Split: o.Split} },
			Evals: 2, Projections: 1, InitEvals: 1, Covers: splitStronglyMonotone},
		{Name: "eg+", Summary: "EG+ with a smaller update step (Diakonikolas, Daskalakis & Jordan 2021)",
			Rule: "vi.ExtragradientPlus", Guarantee: "avg ‖F‖² = O(1/N) under weak MVI with ρ < 1/(2L), unconstrained",
			New:   func(o Options) vi.Method { return &vi.ExtragradientPlus{Step: o.Step, Rho: o.Rho} },
			Evals: 2, Projections: 2, InitEvals: 1, Covers: func(in *Instance) bool { return in.Problem.C == nil && comonotoneUpTo(0.5, true)(in) }},
		{Name: "og", Summary: "optimistic gradient, one projection per iteration (Popov/OGDA family)",
			Rule: "vi.OptimisticGradient", Guarantee: "best-iterate r_tan O(1/√T) under weak MVI; linear on full-rank bilinear",
			New:   func(o Options) vi.Method { return &vi.OptimisticGradient{Step: o.Step, Rho: o.Rho} },
			Evals: 1, Projections: 1, InitEvals: 1, Covers: comonotoneUpTo(5.0/62, false)},
		{Name: "past-eg", Summary: "past extragradient, Popov's method (two projections, one evaluation)",
			Rule: "vi.PastExtragradient", Guarantee: "last iterate r_tan O(1/√T), constrained monotone",
			New:   func(o Options) vi.Method { return &vi.PastExtragradient{Step: o.Step} },
			Evals: 1, Projections: 2, InitEvals: 1, Covers: monotoneOnly},
		{Name: "reflected", Summary: "projected reflected gradient (Malitsky 2015); evaluates F outside C",
			Rule: "vi.ReflectedGradient", Guarantee: "last iterate r_tan O(1/√T), monotone, η < (√2−1)/L",
			New:   func(o Options) vi.Method { return &vi.ReflectedGradient{Step: o.Step} },
			Evals: 1, Projections: 1, Covers: monotoneOnly},
		{Name: "frb", Summary: "forward-reflected-backward (Malitsky & Tam 2020)",
			Rule: "vi.ForwardReflectedBackward", Guarantee: "convergence for monotone + Lipschitz, λ < 1/(2L)",
			New:   func(o Options) vi.Method { return &vi.ForwardReflectedBackward{Step: o.Step} },
			Evals: 1, Projections: 1, InitEvals: 1, Covers: monotoneOnly},
		{Name: "pp", Summary: "proximal point: exact LU resolvent for affine F, inner solver otherwise",
			Rule: "vi.ProximalPoint", Guarantee: "‖F(x_N)‖² ≤ ‖x₀−x*‖²/(γ(γ−2ρ)N) for ρ-negatively comonotone F, γ > 2ρ",
			New:   func(o Options) vi.Method { return &vi.ProximalPoint{Step: o.Step, Rho: o.Rho} },
			Evals: -1, Projections: -1, Covers: comonotoneAny},
		{Name: "eg-ls", Summary: "extragradient with backtracking on the local Lipschitz estimate (no L needed)",
			Rule: "vi.ExtragradientLineSearch", Guarantee: "EG's guarantees with L replaced by ν/γ_min",
			New:   func(o Options) vi.Method { return &vi.ExtragradientLineSearch{Step0: o.Step} },
			Evals: -1, Projections: -1, InitEvals: 1, Covers: monotoneOnly},
		{Name: "adam", Summary: "simultaneous Adam along F, the practitioners' baseline",
			Rule: "vi.Adam", Guarantee: "none on games: cycles or diverges on bilinear games",
			New:   func(o Options) vi.Method { return &vi.Adam{Step: o.Step} },
			Evals: 1, Projections: 1, InitEvals: 1, Covers: never, Heuristic: true},
		{Name: "optimistic-adam", Summary: "optimistic Adam: 2 × Adam step − previous (Daskalakis et al. 2018)",
			Rule: "vi.OptimisticAdam", Guarantee: "converges on bilinear games with β1 = 0 and long β2; cycles at defaults",
			New:   func(o Options) vi.Method { return &vi.OptimisticAdam{Step: o.Step} },
			Evals: 1, Projections: 1, InitEvals: 1, Covers: never, Heuristic: true},
		{Name: "extra-adam", Summary: "extragradient with Adam steps (Gidel et al. 2019)",
			Rule: "vi.ExtraAdam", Guarantee: "converges on bilinear games with β1 = 0 and long β2; cycles at defaults",
			New:   func(o Options) vi.Method { return &vi.ExtraAdam{Step: o.Step} },
			Evals: 2, Projections: 2, InitEvals: 1, Covers: never, Heuristic: true},
		{Name: "opt-amsgrad", Summary: "OPT-AMSGrad with gradient prediction (Wang, Li, Karimi & Li 2021)",
			Rule: "vi.OptAMSGrad", Guarantee: "regret bound for convex losses; converges on bilinear games with β1 = 0",
			New:   func(o Options) vi.Method { return &vi.OptAMSGrad{Step: o.Step} },
			Evals: 1, Projections: 2, InitEvals: 1, Covers: never, Heuristic: true},
		{Name: "seg", Summary: "stochastic extragradient, same sample for both steps (S-SEG)",
			Rule: "vi.StochasticExtragradient", Guarantee: "linear to a noise floor O(γσ²/μ) with constant steps, quasi-strongly monotone",
			New:   func(o Options) vi.Method { return &vi.StochasticExtragradient{Step: o.Step, Seed: o.Seed} },
			Evals: 2, Projections: -1, Covers: stochastic, Stochastic: true},
		{Name: "speg", Summary: "stochastic past extragradient, one sample per iteration (SPEG)",
			Rule: "vi.StochasticPastExtragradient", Guarantee: "O(1/K) with the switching step schedule, quasi-strongly monotone",
			New:   func(o Options) vi.Method { return &vi.StochasticPastExtragradient{Step: o.Step, Seed: o.Seed} },
			Evals: 1, Projections: -1, InitEvals: 1, Covers: stochastic, Stochastic: true},
		{Name: "agraal", Summary: "adaptive golden ratio algorithm (Malitsky 2020): no L needed, step may grow",
			Rule: "vi.AdaptiveGoldenRatio", Guarantee: "convergence for monotone, locally Lipschitz F",
			New:   func(o Options) vi.Method { return &vi.AdaptiveGoldenRatio{Step: o.Step} },
			Evals: 1, Projections: 1, InitEvals: 2, Covers: monotoneOnly},
		{Name: "cgd", Summary: "competitive gradient descent (Schäfer & Anandkumar 2019): each player answers the other's anticipated move",
			Rule: "games.CGD", Guarantee: "linear on bilinear games for every step, 1/√(1+η²σ_min²) per step",
			New:   func(o Options) vi.Method { return &games.CGD{Step: o.Step, Split: o.Split} },
			Evals: 1, Projections: 1, InitEvals: 1, Runs: withMixedHessian, Covers: unconstrainedMonotoneGame},
		{Name: "cgo", Summary: "competitive gradient optimization with interaction strength α",
			Rule: "games.CGO", Guarantee: "linear on bilinear and quadratic-bilinear games (closed-form factor |1 − ηδ|)",
			New:   func(o Options) vi.Method { return &games.CGO{Step: o.Step, Split: o.Split} },
			Evals: 1, Projections: 1, InitEvals: 1, Runs: withMixedHessian, Covers: unconstrainedMonotoneGame},
		{Name: "ocgo", Summary: "optimistic competitive gradient optimization, two-call form",
			Rule: "games.OptimisticCGO", Guarantee: "linear on bilinear and quadratic-bilinear games (factor |1 − ηδ + η²δ²|)",
			New:   func(o Options) vi.Method { return &games.OptimisticCGO{Step: o.Step, Split: o.Split} },
			Evals: 2, Projections: 2, InitEvals: 1, Runs: withMixedHessian, Covers: unconstrainedMonotoneGame},
		{Name: "mirror-prox", Summary: "mirror-prox with the entropy on simplices (Nemirovski 2004)",
			Rule: "vi.MirrorProx", Guarantee: "duality gap of the average ≤ Θ/(ηT), monotone on products of simplices",
			New:   func(o Options) vi.Method { return &vi.MirrorProx{Step: o.Step} },
			Evals: 2, Projections: 2, InitEvals: 1, Runs: onSimplices, Covers: never, Ergodic: true},
		{Name: "omwu", Summary: "optimistic multiplicative weights (Daskalakis & Panageas 2019)",
			Rule: "vi.OptimisticMultiplicativeWeights", Guarantee: "linear last iterate on matrix games with a unique equilibrium (Wei et al. 2021), game-dependent rate",
			New:   func(o Options) vi.Method { return &vi.OptimisticMultiplicativeWeights{Step: o.Step} },
			Evals: 1, Projections: 1, InitEvals: 1, Runs: onSimplices, Covers: uniqueMatrixGame},
		{Name: "fbf", Summary: "Tseng's forward-backward-forward with line search (constant step with --step)",
			Rule: "vi.ForwardBackwardForward", Guarantee: "convergence for monotone Lipschitz F, γ < 1/L",
			New:   func(o Options) vi.Method { return &vi.ForwardBackwardForward{Step: o.Step} },
			Evals: -1, Projections: -1, InitEvals: 1, Covers: monotoneOnly},
		{Name: "restart-eg", Summary: "extragradient restarted on the normalized duality gap (Applegate et al. 2023)",
			Rule: "vi.Restarted{vi.Extragradient}", Guarantee: "linear on sharp problems (LPs, matrix games)",
			New:   func(o Options) vi.Method { return &vi.Restarted{Method: &vi.Extragradient{Step: o.Step}} },
			Evals: -1, Projections: -1, Covers: monotoneOnly},
		{Name: "restart-og", Summary: "optimistic gradient restarted on the normalized duality gap",
			Rule: "vi.Restarted{vi.OptimisticGradient}", Guarantee: "linear on sharp problems (measured on matrix games)",
			New:   func(o Options) vi.Method { return &vi.Restarted{Method: &vi.OptimisticGradient{Step: o.Step}} },
			Evals: -1, Projections: -1, Covers: monotoneOnly},
		{Name: "restart-aog", Summary: "AOG restarted on the normalized duality gap (new anchor at each restart)",
			Rule: "vi.Restarted{vi.AcceleratedOptimisticGradient}", Guarantee: "heuristic: outside AOG's theorem; linear on matrix games in tests",
			New: func(o Options) vi.Method {
				return &vi.Restarted{Method: &vi.AcceleratedOptimisticGradient{Step: o.Step}}
			},
			Evals: -1, Projections: -1, Covers: monotoneOnly},
		{Name: "ceg+", Summary: "constrained EG+ with curvature-adapted extrapolation (Pethick et al. 2022)",
			Rule: "vi.ConstrainedEGPlus", Guarantee: "best iterate O(1/√T) under weak MVI with ρ < 1/(2L), constrained; escapes limit cycles",
			New:   func(o Options) vi.Method { return &vi.ConstrainedEGPlus{Step: o.Step, Rho: max(o.Rho, o.WeakMinty)} },
			Evals: -1, Projections: -1, InitEvals: 1, Covers: comonotoneUpTo(0.5, true)},
		{Name: "halpern", Summary: "Halpern iteration on the resolvent, the optimized Halpern method (Lieder 2021)",
			Rule: "vi.Halpern", Guarantee: "‖γF(w_k) + γd_k‖² ≤ 4‖w₀ − w*‖²/(k+1)², monotone or γ ≥ 2ρ",
			New:   func(o Options) vi.Method { return &vi.Halpern{Step: o.Step, Rho: o.Rho} },
			Evals: -1, Projections: -1, Covers: comonotoneAny, Anchored: true},
		{Name: "app", Summary: "accelerated proximal point (Kim 2021)",
			Rule: "vi.AcceleratedProximalPoint", Guarantee: "‖x_n − y_{n−1}‖² ≤ ‖x₀ − x*‖²/n², monotone",
			New:   func(o Options) vi.Method { return &vi.AcceleratedProximalPoint{Step: o.Step} },
			Evals: -1, Projections: -1, Covers: monotoneOnly, Anchored: true},
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	return ms
}

// Method returns the method named name configured by o.
func Method(name string, o Options) (vi.Method, MethodInfo, error) {
	for _, m := range Methods() {
		if m.Name == name {
			return m.New(o), m, nil
		}
	}
	names := make([]string, 0)
	for _, m := range Methods() {
		names = append(names, m.Name)
	}
	return nil, MethodInfo{}, fmt.Errorf("registry: unknown method %q (methods: %s)", name, strings.Join(names, ", "))
}
