// Package monotone builds operators F: Rⁿ → Rⁿ for package vi and checks
// their properties.
//
// Building blocks: Affine (F(z) = Mz + q, dense), Bilinear (the operator
// of min_x max_y xᵀAy + bᵀx + cᵀy, evaluated in one pass over A), Func (a
// function with an optional Lipschitz constant), Sum and Scale. Each
// reports a Lipschitz constant when one is known (vi.Lipschitzer), and the
// dense affine ones expose their matrix (vi.AffineOperator), which the
// proximal point method factors. Bilinear.Parallel spreads large
// evaluations across cores.
//
// For large problems with few nonzeros: CSR, an immutable sparse matrix
// in compressed sparse row form (built from triplets with NewCSR or from a
// gonum matrix with CSRCopyOf; it is a mat.Matrix), and the operators
// SparseAffine and SparseBilinear over it, evaluated in one pass over the
// nonzeros, with Lipschitz constants by Lanczos on the sparse matrix and
// their own Parallel. They are not vi.AffineOperators, so that no method
// densifies them.
//
// Checks: Lipschitz, Monotonicity and Comonotonicity return the moduli of
// an operator, exactly from M for affine operators and otherwise as
// one-sided estimates over seeded random pairs (Sampling); Jacobian and
// CheckJacobian compare an analytic Jacobian with finite differences.
// SpectralNorm computes ‖A‖₂ by the Lanczos method, on a CSR matrix
// without densifying it.
//
// # Conventions
//
// For x, y ∈ Rⁿ write Δz = x − y and ΔF = F(x) − F(y). Then F is
//
//	monotone                         ⟨ΔF, Δz⟩ ≥ 0
//	μ-strongly monotone (μ > 0)      ⟨ΔF, Δz⟩ ≥ μ‖Δz‖²
//	β-cocoercive (β > 0)             ⟨ΔF, Δz⟩ ≥ β‖ΔF‖²
//	ρ-negatively comonotone (ρ ≥ 0)  ⟨ΔF, Δz⟩ ≥ −ρ‖ΔF‖²
//
// for all x, y. Comonotonicity returns the largest r with
// ⟨ΔF, Δz⟩ ≥ r‖ΔF‖², covering the last two lines at once: r > 0 is
// cocoercivity, r < 0 is negative comonotonicity with ρ = −r. Every Rho
// field in saddle is this ρ ≥ 0 (Gorbunov, Taylor, Horváth and Gidel,
// "Convergence of proximal point and extragradient-based methods beyond
// monotonicity: the case of negative comonotonicity", ICML 2023); set
// Rho = max(0, −r). Cai and Zheng (ICLR 2023) write ρ_Cai = −ρ.
//
// Apply methods allocate nothing, take dst first, and panic when dst or z
// has the wrong length or when dst is z. Constructors copy vectors but keep
// matrices, which must not be modified afterwards.
package monotone
