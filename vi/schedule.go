package vi

import "math"

// A Schedule gives the step size of iteration k = 0, 1, 2, …. Methods that
// take one call it once per iteration and reject a value that is not
// finite and positive; it must not allocate.
type Schedule func(k int) float64

// Constant is the schedule η_k = eta.
func Constant(eta float64) Schedule {
	return func(int) float64 { return eta }
}

// InverseSqrt is the schedule η_k = eta0/√(k+1).
func InverseSqrt(eta0 float64) Schedule {
	return func(k int) float64 { return eta0 / math.Sqrt(float64(k+1)) }
}

// DecayAfter is a constant step eta up to iteration k0, then an inverse-time
// decay:
//
//	η_k = eta                        for k ≤ k0,
//	η_k = eta·2/(2 + rho·(k − k0))   for k > k0.
//
// rho is the contraction per iteration that the method achieves with the
// constant step eta (E r_{k+1} ≤ (1 − rho) E r_k + O(eta²)); with
// a = rho/eta the decay is 2/(a·(2/(a·eta) + k − k0)), the switch from a
// constant to an O(1/k) step in the style of Stich ("Unified optimal
// analysis of the (stochastic) gradient method", arXiv 1907.04232, 2019).
// Gorbunov, Berard, Gidel and Loizou use it for stochastic extragradient
// with k0 = ⌈K/2⌉ for a horizon K > 1/rho (and a constant step otherwise),
// and rho = μ̄/(48·L_max) for same-sample SEG with γ1 = 1/(6·L_max),
// γ2 = γ1/4; this is read from the authors' experiment code
// (hugobb/Stochastic-Extragradient, "AISTATS 2022 experiments.ipynb",
// SEGScheduler), not from the paper's theorem.
func DecayAfter(eta float64, k0 int, rho float64) Schedule {
	return func(k int) float64 {
		if k <= k0 {
			return eta
		}
		return eta * 2 / (2 + rho*float64(k-k0))
	}
}

// Switching is the step-size switching rule of stochastic past
// extragradient for μ-quasi-strongly monotone problems (Choudhury,
// Gorbunov and Loizou, NeurIPS 2023):
//
//	ω_k = omega                           for k ≤ k* = ⌈4/(mu·omega)⌉,
//	ω_k = (2k + 1)/((k + 1)²) · (2/mu)    for k > k*,
//
// with omega = ω̄ = min{1/(4L), μ/(18δ)} in their theorem (ALGORITHMS.md
// §2.11, read on the authors' poster). The two branches nearly meet at k*:
// (2k*+1)/(k*+1)²·2/μ ≈ 4/(μk*) ≈ omega. It returns +Inf for every k when
// mu or omega is not positive, which a method rejects.
func Switching(omega, mu float64) Schedule {
	if !(omega > 0) || !(mu > 0) || math.IsInf(omega, 0) || math.IsInf(mu, 0) {
		return func(int) float64 { return math.Inf(1) }
	}
	kStar := switchingPoint(omega, mu)
	return func(k int) float64 { return switchingStep(k, omega, mu, kStar) }
}

// switchingStep is the rule of Switching with k* given.
func switchingStep(k int, omega, mu, kStar float64) float64 {
	if float64(k) <= kStar {
		return omega
	}
	kk := float64(k)
	return (2*kk + 1) / ((kk + 1) * (kk + 1)) * (2 / mu)
}

// switchingPoint returns k* = ⌈4/(mu·omega)⌉ as a float64 (it may exceed
// the int range for tiny steps; the comparison in Switching is then never
// true, which keeps the constant step).
func switchingPoint(omega, mu float64) float64 {
	return math.Ceil(4 / (mu * omega))
}
