package games

import (
	"github.com/saddlepoint/saddle/vi"
)

// CGD is competitive gradient descent (Schäfer and Anandkumar, NeurIPS
// 2019) for a two-player game min_x f(x, y), min_y g(x, y) with operator
// F = (∇ₓf, ∇ᵧg), the zero-sum game min_x max_y f being g = −f. Each step
// is the Nash equilibrium of the local game in which each player sees the
// bilinear approximation of its loss plus (1/(2η))‖step‖²:
//
//	x_{k+1} = x_k − η (I − η² D²ₓᵧf D²ᵧₓg)⁻¹ (∇ₓf − η D²ₓᵧf ∇ᵧg)
//	y_{k+1} = y_k − η (I − η² D²ᵧₓg D²ₓᵧf)⁻¹ (∇ᵧg − η D²ᵧₓg ∇ₓf)
//
// with every derivative at (x_k, y_k); in the zero-sum case, with
// D_xy = D²ₓᵧf and D_yx = D²ᵧₓf = D_xyᵀ,
//
//	x_{k+1} = x_k − η (I + η² D_xy D_yx)⁻¹ (∇ₓf + η D_xy ∇ᵧf)
//	y_{k+1} = y_k + η (I + η² D_yx D_xy)⁻¹ (∇ᵧf − η D_yx ∇ₓf)
//
// (ALGORITHMS.md Part II A1). Both are z_{k+1} = z_k − η d_k with
// d_k = (I + η J_off(z_k))⁻¹ F(z_k), where J_off holds the off-diagonal
// blocks of JF: CGO with α = η. Only the mixed blocks enter, never D²ₓₓf
// or D²ᵧᵧg. With a set C the step is projected, z_{k+1} = Π_C(z_k − η d_k),
// as the CGO authors' notebooks clip; the CGD paper itself is
// unconstrained and no theory covers the projected form.
//
// The operator must provide the mixed products: a MixedHessian (such as
// MixedFunc or the two-dimensional toys of this package), a
// *monotone.Bilinear, or an affine operator with Split set
// (MixedHessianOf); Init refuses any other with an error. The linear
// system is solved matrix-free, on the smaller of the two players' blocks,
// the other player's step following from it (d_y = F_y − η D²ᵧₓg·d_x when
// x is solved for, as in the official code): by conjugate gradient when the game is zero-sum
// (ZeroSummer; the matrix I + η²BBᵀ is then symmetric positive definite),
// by BiCGSTAB otherwise, from 0, until the relative residual is at most
// Tol or after MaxInner iterations. A 1×1 system (the two-dimensional toys)
// is solved exactly.
//
// Step: Step if positive, else 1/L (L the L field or the operator's own
// constant). On the bilinear game xᵀAy every η > 0 converges: for each
// singular value s of A one step is the matrix
// (1/(1 + η²s²))·[[1, −ηs], [ηs, 1]], the proximal point step with step η,
// contracting by 1/√(1 + η²s²) (ALGORITHMS.md Part II B1). On the
// quadratic-bilinear game (a/2)x² + bxy − (a/2)y² it contracts by
// |1 − ηa|/√(1 + η²b²), which is < 1 for every η when |b| ≥ a and iff
// η < 2a/(a² − b²) otherwise (derived here); 1/L ≤ 1/a is inside. Large
// steps are safe against the coupling, not against the curvature of each
// player's own loss.
//
// Current is z_k, and F(z_k) is known (CurrentValuer); no average is kept
// by the method. Init evaluates F(z_0) and projects z_0 when C is set. Each
// iteration costs 1 evaluation (F(z_{k+1})), 1 projection, and 1 linear
// solve of 2 + 2k Hessian-vector products for k conjugate gradient
// iterations (2 + 4k for k BiCGSTAB iterations, 2 fewer when the last one
// ends at its half step); Work counts them, since Solve's Stats count only
// evaluations.
//
// Rate: linear on bilinear games with A of full rank, at
// 1/√(1 + η²σ_min²(A)) per step for every η. The paper proves local
// linear convergence for locally convex-concave zero-sum games (abstract;
// its constants are not reproduced here). Outside that, on the Forsaken
// toy, CGD at its default step is attracted to the limit cycle around the
// stationary point, as extragradient is.
//
// Reference: F. Schäfer and A. Anandkumar, "Competitive gradient
// descent", NeurIPS 2019 (arXiv 1905.12103); official code
// github.com/f-t-s/CGD.
type CGD struct {
	Step     float64 // η; 0: 1/L
	L        float64 // Lipschitz constant of F; 0: the operator's own
	Split    int     // number of x coordinates; 0: from the operator (needed for a plain affine operator)
	Tol      float64 // relative residual of each linear solve; 0: 1e-10
	MaxInner int     // iteration cap of each linear solve; 0: twice the solved block's dimension plus 10

	competitiveRun
}

// Init implements vi.Method.
func (m *CGD) Init(p *vi.Problem) error {
	m.inited = false
	if err := p.Validate(); err != nil {
		return err
	}
	eta, err := competitiveSettings("CGD", m.Step, m.L, m.Tol, m.MaxInner, m.Split, p.F)
	if err != nil {
		return err
	}
	return m.start("CGD", p, m.Split, m.Tol, m.MaxInner, eta, eta) // CGD is CGO with α = η
}

// Iterate implements vi.Method: d_k = (I + ηJ_off)⁻¹F(z_k) (A1), then
// z_{k+1} = Π_C(z_k − η d_k).
func (m *CGD) Iterate() error { return m.step() }
