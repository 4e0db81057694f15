// Package vi solves variational inequalities: given an operator F: Rⁿ → Rⁿ and
// a nonempty closed convex set C, find z* ∈ C with
//
//	⟨F(z*), z − z*⟩ ≥ 0  for every z ∈ C.
//
// A two-player zero-sum game min_x max_y f(x, y) is the VI with
// F(x, y) = (∇ₓf, −∇ᵧf) over C = X × Y; an N-player game stacks each
// player's gradient of its own loss. The package holds the core types
// (Operator, Set, Problem, Method, Settings, Result), the driver Solve, the
// measures of progress, and the first-order methods, one file each.
//
// # Running a method
//
// A Method is one algorithm with its state between iterations. Solve drives
// it: it counts every operator evaluation and projection the method makes,
// checks limits, cancellation and divergence, and recomputes the certificates
// of the last iterate itself, so that a Result never trusts a number the
// method reported. Users who want step-by-step control call Init and Iterate
// directly.
//
// The zero Settings terminates: tolerance 1e-8 on the natural residual and at
// most 10,000 iterations. Hitting a limit is a Status, not an error.
//
// # Conventions
//
// Slices are destination first (dst, then inputs) and owned by the caller;
// Apply, Project and Iterate allocate nothing. Current, Average and every
// slice in a Snapshot are borrowed: valid until the next Iterate (or the end
// of Record). Result slices are copies the caller owns. Problem.Z0 is never
// modified.
//
// Comonotonicity has one sign convention across saddle: a method field Rho ≥ 0
// means F is ρ-negatively comonotone,
//
//	⟨F(x) − F(y), x − y⟩ ≥ −ρ‖F(x) − F(y)‖²,
//
// as in Gorbunov, Taylor, Horváth and Gidel (ICML 2023). Cai and Zheng (ICLR
// 2023) and Cai, Oikonomou and Zheng (ICML 2024) write the same class with
// the opposite sign (their ρ ≤ 0); convert with ρ_Cai = −ρ.
//
// # Methods
//
// Each method's doc comment states its update rule, step-size condition and
// default, what Current is, its cost per iteration, its guarantee and its
// source.
//
//   - Forward and extragradient: GDA, AltGDA, Extragradient,
//     ExtragradientPlus, ConstrainedEGPlus, ExtragradientLineSearch,
//     ForwardBackwardForward.
//   - Single call: OptimisticGradient, PastExtragradient, ReflectedGradient,
//     ForwardReflectedBackward, AdaptiveGoldenRatio.
//   - Accelerated and anchored, O(1/T) last iterate:
//     AcceleratedOptimisticGradient, AcceleratedReflectedGradient,
//     AnchoredExtragradient, CompositeEAG, FastExtragradient, Halpern,
//     AcceleratedProximalPoint.
//   - Implicit: ProximalPoint (exact for an AffineOperator).
//   - Entropic, on a Simplex or a Product of Simplex blocks (a MirrorSet):
//     MirrorProx, OptimisticMultiplicativeWeights.
//   - Wrappers: Restarted (any method, restarted on the normalized duality
//     gap or the residual).
//   - Stochastic, on a StochasticOperator such as FiniteSum:
//     StochasticExtragradient, StochasticPastExtragradient.
//   - Adam-type, as GAN practitioners use them: Adam, OptimisticAdam,
//     ExtraAdam, OptAMSGrad.
//
// # Measures
//
// The stopping measure is the natural residual ‖z − Π_C(z − F(z))‖, zero
// exactly at solutions. TangentResidual gives min over the normal cone of
// ‖F(z) + c‖ for the sets that allow it, OperatorNorm gives ‖F(z)‖, and
// Distance the distance to a reference point. Every measure is taken on the
// last iterate; the ergodic average is reported beside it.
package vi
