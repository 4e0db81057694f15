package constrained

import "github.com/saddlepoint/saddle/rl"

// GDA is Lagrangian gradient descent-ascent on a CMDP in the natural
// policy gradient primal-dual form (NPG-PD) of Ding, Zhang, Başar and
// Jovanović: the policy ascends the Lagrangian by natural policy gradient,
// the multipliers descend it by projected gradient, both at once from the
// same pair (π_k, λ_k) and with exact (tabular) gradients:
//
//	π_{k+1}(a | s) ∝ π_k(a | s) · exp(η/(1 − γ) · Q_k(s, a)),      Q_k = Q^{π_k} for the reward r − Σ_j λ_{k,j} c_j   (1)
//	λ_{k+1,j}      = max(0, λ_{k,j} + η_λ (J_{c_j}(π_k) − b_j))                                                        (2)
//
// Step (1) is the closed form of the natural policy gradient for tabular
// softmax policies, θ ← θ + η/(1 − γ)·A^{π_k} (Kakade 2001; Agarwal, Kakade,
// Lee and Mahajan 2021), with the Q-values in place of the advantages
// A = Q − V: they differ by V(s), the same for every action of a state,
// which the normalization removes. In each state it is one step of
// multiplicative weights (entropic mirror ascent) on the Lagrangian
// Q-values. Step (2) is the projected subgradient step on the dual,
// ∂L/∂λ_j = −(J_{c_j} − b_j); in the value ≥ threshold form of Moskovitz
// et al. (v_j = −J_{c_j}, θ_j = −b_j, μ = λ) it reads
// μ ← max(0, μ − η_λ (v − θ)).
//
// Steps: Step is η, MultiplierStep η_λ. A zero Step means
// η = (1 − γ)/(2R), R = max|r(s, a)| (1 for a zero reward). A zero
// MultiplierStep means η_λ = 0.1/(η κ), κ the coupling of the two players
// at the start: linearized about a pair, a multiplier change δλ comes back
// after one policy step and one multiplier step as −η η_λ M δλ, with
// M_jk = 1/(1 − γ)·Σ_{s,a} d^π(s, a) A_{c_j}(s, a) A_{c_k}(s, a) and
// κ = λ_max(M), so the players rotate by about √(η η_λ κ) ≈ 0.32 radians
// per iteration. (When κ = 0, η_λ = (1 − γ)R/C², C = max|c|.) These
// defaults are this package's heuristic, not a paper's.
//
// Policy and Multipliers return the last iterate (π_k, λ_k). Average
// returns the policy of the mean occupancy measure of π_1, …, π_k
// (rl.Policy.SetFromOccupancy: the occupancy measures of policies form a
// convex polytope, so the mean occupancy is the occupancy of that policy,
// whose values are the means of the iterates' values) and the mean of
// λ_1, …, λ_k.
//
// Cost: Init evaluates π_0 (one policy evaluation, plus K solves with the
// same factorization for the default η_λ); each iteration costs one
// policy evaluation (an LU factorization of I − γP_π, O(S³ + S²A)), two
// pairs of triangular solves, O(S²), for the Lagrangian values and the
// state occupancy, and O(S²A + K·S·A) for the Q-values and the costs.
// Iterate does not allocate (the LU of gonum's LAPACK allocates inside
// its parallel matrix products once S exceeds about 128).
//
// Rate: Ding et al. prove global convergence at sublinear rates,
// O(1/√T), for the optimality gap and the constraint violation of the
// iterates averaged over time, not of the last iterate. In occupancy
// measures the Lagrangian is bilinear, and as on bilinear games the last
// iterate of simultaneous descent-ascent circles the saddle point instead
// of converging: the policy alternates between satisfying the constraints
// and maximizing the reward (Moskovitz et al., abstract). The tests
// measure this on ALGORITHMS.md B7.1, B7.2 and B7.3: π(go | s0) of B7.2
// keeps swinging across p* = 10/41 and the violation does not go to 0,
// while the average approaches the optimum, within a distance that
// shrinks with the steps.
//
// References: D. Ding, K. Zhang, T. Başar, M. R. Jovanović, "Natural
// policy gradient primal-dual method for constrained Markov decision
// processes", NeurIPS 2020. S. M. Kakade, "A natural policy gradient",
// NeurIPS 2001. A. Agarwal, S. M. Kakade, J. D. Lee, G. Mahajan, "On the
// theory of policy gradient methods: optimality, approximation, and
// distribution shift", JMLR 22(98), 2021. T. Moskovitz, B. O'Donoghue,
// V. Veeriah, S. Flennerhag, S. Singh, T. Zahavy, "ReLOAD: Reinforcement
// learning with optimistic ascent-descent for last-iterate convergence in
// constrained MDPs", ICML 2023.
type GDA struct {
	Step           float64 // η of the policy step (1); 0: (1 − γ)/(2 max|r|)
	MultiplierStep float64 // η_λ of the multiplier step (2); 0: 0.1/(η κ), see above

	pd primalDual
}

// Init implements Method.
func (m *GDA) Init(p *Problem) error {
	return m.pd.init("GDA", p, m.Step, m.MultiplierStep, false, false)
}

// Iterate implements Method. It does not allocate.
func (m *GDA) Iterate() error { return m.pd.step() }

// Policy implements Method.
func (m *GDA) Policy() *rl.Policy { return m.pd.pi }

// Multipliers implements Method.
func (m *GDA) Multipliers() []float64 { return m.pd.lambda }

// Average implements Averager: the policy of the mean occupancy measure
// of π_1, …, π_k and the mean of λ_1, …, λ_k (the start before the first
// iteration). It does not allocate.
func (m *GDA) Average() (*rl.Policy, []float64) { return m.pd.average() }

// Evaluations implements Counter.
func (m *GDA) Evaluations() int { return m.pd.evals }

// Steps returns the steps (η, η_λ) of the run prepared by Init, with the
// defaults filled in.
func (m *GDA) Steps() (policy, multiplier float64) { return m.pd.eta, m.pd.etaLambda }
