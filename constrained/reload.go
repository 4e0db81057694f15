package constrained

import "github.com/saddlepoint/saddle/rl"

// Players selects which players of Optimistic take the optimistic step.
type Players int

const (
	// BothPlayers: the policy and the multipliers (the default).
	BothPlayers Players = iota
	// PolicyOnly: the policy alone; the multipliers take the plain step of
	// GDA.
	PolicyOnly
	// MultipliersOnly: the multipliers alone; the policy takes the plain
	// step of GDA.
	MultipliersOnly
)

// String returns "both", "policy" or "multipliers".
func (p Players) String() string {
	switch p {
	case BothPlayers:
		return "both"
	case PolicyOnly:
		return "policy"
	case MultipliersOnly:
		return "multipliers"
	}
	return "Players(?)"
}

// Optimistic is optimistic Lagrangian ascent-descent (ReLOAD-style) on a
// CMDP: GDA's two players, each taking the optimistic step that replaces
// the gradient g_k by 2g_k − g_{k−1}:
//
//	π_{k+1}(a | s) ∝ π_k(a | s) · exp(η/(1 − γ) · (2Q_k − Q_{k−1})(s, a)),   Q_k = Q^{π_k} for r − Σ_j λ_{k,j} c_j   (1)
//	λ_{k+1,j}      = max(0, λ_{k,j} + η_λ (2h_{k,j} − h_{k−1,j})),             h_{k,j} = J_{c_j}(π_k) − b_j         (2)
//
// Step (2) is projected optimistic gradient descent-ascent (OGDA),
// w_{t+1} = Π(w_t − η(2g_t − g_{t−1})) (Daskalakis, Ilyas, Syrgkanis and
// Zeng, "Training GANs with optimism", ICLR 2018; restated as Algorithm 3
// of Wang, Li, Karimi and Li, ACML 2021, whose form with β₁ = 0, v̂ ≡ 1 this
// is). Step (1) is, in each state, optimistic multiplicative weights
// (Daskalakis and Panageas, "Last-iterate convergence: zero-sum games and
// constrained min-max optimization", ITCS 2019) on the Lagrangian
// Q-values, that is the natural policy gradient step of GDA made
// optimistic ("optimistic NPG", ALGORITHMS.md A3.2).
//
// Why "ReLOAD-style" and not ReLOAD. Moskovitz et al. (ReLOAD, ICML 2023)
// show that Lagrangian descent-ascent converges only on average and that
// optimistic gradients on both players give last-iterate convergence
// ("(c) One optimistic player is not enough for LIC", their Fig. 2
// caption), and prove it for "a generalized optimistic mirror descent".
// Their exact optimistic direction ∇̃L_k, mirror maps, step sizes and the
// handling of the multipliers' domain have not been checked here: this
// type implements the verified OGDA/OMWU template above, in the
// conventions of this package, and is not claimed to be ReLOAD's
// algorithm.
//
// Players chooses which players are optimistic. With PolicyOnly or
// MultipliersOnly the other player takes GDA's plain step; the tests show
// that, as the caption says, this does not converge in the last iterate.
//
// Steps: as GDA (Step η, default (1 − γ)/(2 max|r|); MultiplierStep η_λ,
// default 0.1/(η κ), a rotation of about 0.32 radians per iteration; this
// package's heuristic). On ALGORITHMS.md B7.1, B7.2 and the gridworld,
// scans of (η, η_λ) converged up to η η_λ κ ≈ 0.12–0.3 and kept
// oscillating from ≈ 0.37–1. The default is slow on random CMDPs with
// several constraints: κ is measured at the start, and at an optimum that
// is deterministic in most states it is several times smaller, so the
// players turn slowly; larger steps then converge much faster (the tests
// use η = 0.1, η_λ = 1 there).
//
// Policy and Multipliers return the last iterate (π_k, λ_k); Average the
// policy of the mean occupancy measure of π_1, …, π_k and the mean of
// λ_1, …, λ_k, as GDA.
//
// Cost: as GDA, one policy evaluation per iteration (Init: one, plus K
// solves for the default η_λ); the previous gradients are kept, not
// recomputed. Iterate does not allocate.
//
// Rate: no theorem is claimed here for this policy-space form (the
// Lagrangian is concave in the occupancy measure, not in π). OMWU and
// OGDA converge in the last iterate on bilinear games with a unique
// saddle point, at a linear rate for small enough steps; the tests
// measure a linear decrease of the Lagrangian gap to rounding level on
// ALGORITHMS.md B7.1, B7.2, the gridworld of B7.3 and random CMDPs. A
// published optimistic primal-dual method with a proven last-iterate
// guarantee is OPG-PD of Ding, Wei, Zhang and Ribeiro ("Last-iterate
// convergent policy gradient primal-dual methods for constrained MDPs",
// NeurIPS 2023), whose abstract states convergence of the policy and
// dual iterates to a saddle point at a linear rate; its exact update was
// not read here, and it is not what this type implements.
//
// First step: Q_{−1} = Q_0 and h_{−1} = h_0, so the first step is GDA's.
type Optimistic struct {
	Step           float64 // η of the policy step (1); 0: (1 − γ)/(2 max|r|)
	MultiplierStep float64 // η_λ of the multiplier step (2); 0: 0.1/(η κ), see GDA
	Players        Players // which players are optimistic; zero: both

	pd primalDual
}

// Init implements Method.
func (m *Optimistic) Init(p *Problem) error {
	if m.Players < BothPlayers || m.Players > MultipliersOnly {
		return errPlayers(m.Players)
	}
	return m.pd.init("Optimistic", p, m.Step, m.MultiplierStep, m.Players != MultipliersOnly, m.Players != PolicyOnly)
}

// Iterate implements Method. It does not allocate.
func (m *Optimistic) Iterate() error { return m.pd.step() }

// Policy implements Method.
func (m *Optimistic) Policy() *rl.Policy { return m.pd.pi }

// Multipliers implements Method.
func (m *Optimistic) Multipliers() []float64 { return m.pd.lambda }

// Average implements Averager, as GDA.Average.
func (m *Optimistic) Average() (*rl.Policy, []float64) { return m.pd.average() }

// Evaluations implements Counter.
func (m *Optimistic) Evaluations() int { return m.pd.evals }

// Steps returns the steps (η, η_λ) of the run prepared by Init, with the
// defaults filled in.
func (m *Optimistic) Steps() (policy, multiplier float64) { return m.pd.eta, m.pd.etaLambda }
