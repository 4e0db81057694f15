// Package constrained solves constrained Markov decision processes
// (CMDPs) as Lagrangian min-max problems, exactly (by the occupancy
// linear program) and by first-order primal-dual methods whose last
// iterate can be watched: plain Lagrangian descent-ascent (GDA), whose
// policy keeps oscillating across the constraint, and optimistic
// ascent-descent on both players (Optimistic), which converges.
//
// # The problem and its signs
//
// A CMDP is an MDP of package rl with K cost constraints,
//
//	maximize_π  J_r(π)   subject to   J_{c_k}(π) ≤ b_k,  k = 1, …, K,
//
// where J_f(π) = E[Σ_t γᵗ f(s_t, a_t)] from the initial distribution μ is
// a discounted sum, not normalized by 1 − γ (package rl's convention; the
// CMDP JSON format's). Its Lagrangian, maximized over policies and
// minimized over multipliers λ ≥ 0, is
//
//	L(π, λ) = J_r(π) − Σ_k λ_k (J_{c_k}(π) − b_k),        max_π min_{λ≥0} L(π, λ),
//
// so the gradient of L in λ_k is −(J_{c_k}(π) − b_k) and a multiplier
// grows while its constraint is violated. Moskovitz et al. (ReLOAD, ICML
// 2023) and the work that follows it write constraints as value ≥
// threshold, max_π min_{μ≥0} v_0 + Σ_i μ_i (v_i − θ_i); a cost constraint
// is the case v_i = −J_{c_i}, θ_i = −b_i, μ_i = λ_i, so both forms give the
// same L and the same multipliers. Some of those papers normalize values
// by 1 − γ: multiply J and b by 1 − γ to compare (L is multiplied by
// 1 − γ, the multipliers are unchanged).
//
// In occupancy measures d^π(s, a) = Σ_t γᵗ Pr(s_t = s, a_t = a),
// J_f(π) = Σ d^π f, and L is bilinear in (d, λ) over a polytope × R₊ᴷ: a
// convex-concave saddle problem whose solutions are the optimal
// occupancy measures d* and the optimal multipliers λ* of the linear
// program (CMDP.Optimum, by rl.SolveLP). In policies it is not concave,
// but every saddle point (π*, λ*) of the policy form is one of the
// occupancy form and the other way round (π* the policy of d*).
//
// # Methods
//
// GDA and Optimistic are Methods: Init(*Problem), Iterate, and the last
// iterate from Policy and Multipliers; they also keep an average
// (Averager) and count policy evaluations (Counter). The policy is stored
// as softmax logits and moved by natural-policy-gradient (per-state
// multiplicative-weights) steps on the exact Lagrangian Q-values, the
// multipliers by projected steps on R₊ᴷ. They are not vi.Methods: the
// policy lives on a product of per-state simplices with the entropy
// geometry and the multipliers on R₊ᴷ with the Euclidean one, each with
// its own step; the policy's "gradient" is the Q-function (the policy
// gradient divided by the state occupancy); and the field (Q, −(J_c − b))
// is not monotone in π, so vi's natural residual would certify nothing.
// The certificate here is the Lagrangian gap below.
//
// The average of policies is taken in occupancy measures: the average
// policy is the policy of the mean occupancy measure (rl.FromOccupancy),
// whose reward and costs are the means of the iterates' rewards and costs.
// Averaging the probabilities π(a | s) themselves would not have that
// property.
//
// # Measures
//
// Measure and Measurer compute, exactly, for a pair (π, λ): the reward
// J_r(π), each cost J_{c_k}(π), the violation max_k max(0, J_{c_k} − b_k),
// the gap |J_r(π) − J*| to the LP optimum, the distance ‖λ − λ*‖ (λ* need
// not be unique) and the Lagrangian gap
//
//	max_π′ L(π′, λ) − min_{λ′∈[0,Λ]ᴷ} L(π, λ′) = D(λ) − J_r(π) + Λ Σ_k max(0, J_{c_k}(π) − b_k),
//
// with D(λ) = max_π′ L(π′, λ) found by policy iteration on the reward
// r − Σ λ_k c_k and Λ = MultiplierBound() > max_k λ*_k. It is zero exactly
// at saddle points, the natural last-iterate certificate. Solve runs a
// method, stops on that gap, and reports the last iterate and the average
// side by side.
//
// # Errors
//
// Bad input (shapes, NaN, negative steps or multipliers, a start policy
// with a zero probability) is an error naming the value. An infeasible
// CMDP is an error wrapping rl.ErrInfeasible. Nothing here panics on user
// data; a run that does not converge says so by its vi.Status.
package constrained
