// Package rl holds finite discounted Markov decision processes (MDPs):
// exact policy evaluation, value and policy iteration, occupancy measures,
// the occupancy-measure linear program with optional cost constraints,
// a JSON file format, and generators of test problems with known answers.
// It is the ground on which package constrained builds its Lagrangian
// min-max methods for constrained MDPs.
//
// # Conventions
//
// States and actions are numbered from 0. Everything indexed by a
// state-action pair — rewards, costs, Q-values, occupancy measures,
// policies — is a flat []float64 of length S·A with (s, a) at s·A + a
// (MDP.Index); transition probabilities P(s′ | s, a) sit at
// (s·A + a)·S + s′. A reward argument that is nil means the MDP's own
// reward, so any other vector (a constraint's cost, a Lagrangian reward
// r − Σ λ_k c_k) goes through the same code.
//
// Values are expected discounted sums, not normalized by 1 − γ:
//
//	V^π(s) = E[Σ_t γᵗ r(s_t, a_t) | s_0 = s],   J(π) = Σ_s μ(s) V^π(s),
//
// and occupancy measures are unnormalized,
//
//	d^π(s, a) = Σ_t γᵗ Pr(s_t = s, a_t = a),   Σ d^π = 1/(1 − γ),   J(π) = Σ d^π r.
//
// (Some papers, Moskovitz et al. among them, use (1 − γ)·d^π and
// (1 − γ)·J; multiply by 1 − γ to compare.)
//
// # Constraints and signs
//
// A Constraint {Cost c, Threshold b} holds when J_c(π) ≤ b, that is
// Σ d^π c ≤ b. The constrained problem is max_π J_r(π) subject to all of
// them, and its Lagrangian, maximized over π and minimized over λ ≥ 0, is
//
//	L(π, λ) = J_r(π) − Σ_k λ_k (J_{c_k}(π) − b_k).
//
// This is the value-above-threshold form max_π min_{μ≥0} v_0 + Σ μ_i
// (v_i − θ_i) of Moskovitz et al. with v_i = −J_{c_i}, θ_i = −b_i and
// μ_i = λ_i: a multiplier grows while its constraint is violated.
// Optimum.Multipliers are these λ* ≥ 0.
//
// # What to use
//
//   - NewMDP, NewMDPFlat build a validated MDP; RandomMDP, RandomCMDP,
//     Gridworld, OneStateCMDP and TwoStateCMDP generate one.
//   - Policy: NewPolicy, Uniform, Deterministic, Softmax, Greedy,
//     FromOccupancy; the Set methods update a policy in place.
//   - Evaluator: V^π, Q^π, d^π, J(π) and the softmax policy gradient for
//     any number of rewards from one LU factorization of I − γP_π, without
//     allocating; MDP.Evaluate,
//     MDP.Value and MDP.Occupancy are one-shot forms.
//   - ValueIteration and PolicyIteration for V* with a Status; SolveLP for
//     the exact optimum of the occupancy LP, with cost constraints and
//     their multipliers.
//   - ReadJSON, LoadJSON and WriteJSON for the CMDP JSON format.
//
// # Errors
//
// Bad data is reported as an ErrInput naming the value in the file
// format's spelling ("transitions[2][1] sums to 0.9, want 1 (tolerance
// 1e-9)"), with the file, line and column when it was read from JSON.
// Nothing here panics on user data.
package rl
