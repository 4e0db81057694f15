package games

import (
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/floats"
)

// CGO is competitive gradient optimization (Vyas, Bullins and
// Azizzadenesheli, ICML 2023) for a zero-sum game min_x max_y f(x, y),
// F = (∇ₓf, −∇ᵧf). It keeps the interaction term of CGD but decouples its
// strength α from the step η: d_k solves
//
//	[ I          α D_xy ] [d_x]   [  ∇ₓf ]
//	[ −α D_yx    I      ] [d_y] = [ −∇ᵧf ]
//
// at z_k, that is d_k = (I + α J_off(z_k))⁻¹ F(z_k) with J_off the
// off-diagonal blocks of JF, and
//
//	z_{k+1} = Π_C(z_k − η d_k),
//
// or, by block elimination (D_xy = D²ₓᵧf, D_yx = D_xyᵀ),
//
//	x_{k+1} = x_k − η (I + α² D_xy D_yx)⁻¹ (∇ₓf + α D_xy ∇ᵧf)
//	y_{k+1} = y_k + η (I + α² D_yx D_xy)⁻¹ (∇ᵧf − α D_yx ∇ₓf)
//
// (ALGORITHMS.md Part II A2). α = 0 is simultaneous gradient
// descent-ascent and α = η is CGD; in the limit η → 0 CGD becomes the GDA
// flow while CGO keeps dz/dt = −(I + αJ_off)⁻¹F(z). The authors' scalar
// notebooks divide by 1 + α² even where D_xy ≠ 1; this is the exact
// system, as in their matrix notebook. The paper treats zero-sum games; on
// an operator that is not a ZeroSummer the same formula runs with the
// general blocks (general-sum CGD at α = η). With a set C the step is
// projected, as the notebooks clip (x ≥ −1/3 in their x²y + xy example).
//
// The operator must provide the mixed products, and the linear system is
// solved, exactly as for CGD (conjugate gradient when zero-sum, to the
// relative residual Tol or MaxInner iterations).
//
// Step: Step if positive, else 1/L; α: Alpha if positive, else 1/L, else
// (no L known) η. L is the L field or the operator's own constant. On the
// bilinear game xᵀAy one step contracts each singular direction s by
//
//	√((1 + (α − η)²s²) / (1 + α²s²)),
//
// so CGO converges iff 0 < η < 2α, fastest at η = α (ALGORITHMS.md Part
// II A2); on the quadratic-bilinear game (a/2)x² + bxy − (a/2)y² by
// √((1 − ηa)² + (α − η)²b²) / √(1 + α²b²) (derived here: every matrix
// involved is a polynomial in one rotation).
//
// Current is z_k, and F(z_k) is known (CurrentValuer); no average is kept
// by the method. Init evaluates F(z_0) and projects z_0 when C is set. Each
// iteration costs 1 evaluation, 1 projection and 1 linear solve
// (2 + 2k Hessian-vector products for k conjugate gradient iterations;
// Work counts them).
//
// Theory (abstract of the paper): convergence to a saddle point for
// strictly α-coherent functions and a rate to stationary points in
// discrete time. α-coherence, as reconstructed from the authors' notebooks
// (ALGORITHMS.md Part II A2; the paper's definition and step-size
// conditions were not read), asks ⟨(I − αJ_off(z))F(z), z − z*⟩ ≥ 0 for
// all z; α = 0 is the Minty condition, and a larger α admits more games
// (f = x²y + xy on x ≥ −1/3 satisfies it iff α ≥ 3/(2√2) ≈ 1.06, derived
// here; not for α = 0).
//
// Reference: A. Vyas, B. Bullins and K. Azizzadenesheli, "Competitive
// gradient optimization", ICML 2023 (PMLR 202; arXiv 2205.14232); code
// github.com/AbhijeetiitmVyas/CompetitiveGradientOptim.
type CGO struct {
	Step     float64 // η; 0: 1/L
	Alpha    float64 // α, the interaction strength; 0: 1/L, or η when no L is known
	L        float64 // Lipschitz constant of F; 0: the operator's own
	Split    int     // number of x coordinates; 0: from the operator (needed for a plain affine operator)
	Tol      float64 // relative residual of each linear solve; 0: 1e-10
	MaxInner int     // iteration cap of each linear solve; 0: twice the solved block's dimension plus 10

	competitiveRun
}

// Init implements vi.Method.
func (m *CGO) Init(p *vi.Problem) error {
	m.inited = false
	if err := p.Validate(); err != nil {
		return err
	}
	eta, alpha, err := competitiveAlpha("CGO", m.Step, m.Alpha, m.L, m.Tol, m.MaxInner, m.Split, p.F)
	if err != nil {
		return err
	}
	return m.start("CGO", p, m.Split, m.Tol, m.MaxInner, eta, alpha)
}

// Iterate implements vi.Method: d_k = (I + αJ_off)⁻¹F(z_k) (A2), then
// z_{k+1} = Π_C(z_k − η d_k).
func (m *CGO) Iterate() error { return m.step() }

// OptimisticCGO is optimistic competitive gradient optimization (oCGO;
// Vyas, Bullins and Azizzadenesheli, ICML 2023) in the form of the
// authors' notebooks: an extragradient step along CGO directions,
//
//	w_k     = Π_C(z_k − η d(z_k))
//	z_{k+1} = Π_C(z_k − η d(w_k)),   d(z) = (I + α J_off(z))⁻¹ F(z),
//
// each d solving CGO's linear system at its own point (ALGORITHMS.md Part
// II A2). Whether the paper's oCGO is this two-call form or a single-call
// variant with a past direction was not verified; this is the form the
// authors run, with the clipping after each half step of their projected
// examples.
//
// Step and α: as for CGO (Step, else 1/L; Alpha, else 1/L, else η). On
// the bilinear game xᵀAy, with δ = is/(1 + iαs) for each singular value s,
// one step contracts by |1 − ηδ + η²δ²|; on the quadratic-bilinear game
// (a/2)x² + bxy − (a/2)y² by the same expression with
// δ = (a + ib)/(1 + iαb) (derived here).
//
// Current is z_k, and F(z_k) is known (CurrentValuer); no average is kept
// by the method. Init evaluates F(z_0) and projects z_0 when C is set. Each
// iteration costs 2 evaluations (F(w_k) and F(z_{k+1})), 2 projections and
// 2 linear solves (each 2 + 2k Hessian-vector products for k conjugate
// gradient iterations; Work counts them).
//
// Theory (abstract of the paper): an O(1/n) rate to saddle points for
// α-coherent functions; the measure and the step-size conditions were not
// read.
//
// Reference: as for CGO.
type OptimisticCGO struct {
	Step     float64 // η; 0: 1/L
	Alpha    float64 // α, the interaction strength; 0: 1/L, or η when no L is known
	L        float64 // Lipschitz constant of F; 0: the operator's own
	Split    int     // number of x coordinates; 0: from the operator (needed for a plain affine operator)
	Tol      float64 // relative residual of each linear solve; 0: 1e-10
	MaxInner int     // iteration cap of each linear solve; 0: twice the solved block's dimension plus 10

	competitiveRun
	w, fw []float64 // the extrapolated point w_k and F(w_k)
}

// Init implements vi.Method.
func (m *OptimisticCGO) Init(p *vi.Problem) error {
	m.inited = false
	if err := p.Validate(); err != nil {
		return err
	}
	eta, alpha, err := competitiveAlpha("OptimisticCGO", m.Step, m.Alpha, m.L, m.Tol, m.MaxInner, m.Split, p.F)
	if err != nil {
		return err
	}
	n := p.F.Dim()
	m.w, m.fw = competitiveResize(m.w, n), competitiveResize(m.fw, n)
	return m.start("OptimisticCGO", p, m.Split, m.Tol, m.MaxInner, eta, alpha)
}

// Iterate implements vi.Method.
func (m *OptimisticCGO) Iterate() error {
	if !m.inited {
		return errCompetitiveNotInit
	}
	m.core.direction(m.d, m.z, m.fz, m.alpha)
	floats.AddScaledTo(m.w, m.z, -m.eta, m.d) // w_k = Π_C(z_k − η d(z_k))
	competitiveProject(m.c, m.w)
	m.f.Apply(m.fw, m.w)
	m.core.direction(m.d, m.w, m.fw, m.alpha)
	floats.AddScaled(m.z, -m.eta, m.d) // z_{k+1} = Π_C(z_k − η d(w_k))
	competitiveProject(m.c, m.z)
	m.f.Apply(m.fz, m.z)
	return nil
}

// competitiveAlpha checks the fields of CGO and OptimisticCGO and returns
// η and α.
func competitiveAlpha(method string, step, alpha, l, tol float64, maxInner, split int, f vi.Operator) (float64, float64, error) {
	if err := competitiveCheck(method, "Alpha", alpha); err != nil {
		return 0, 0, err
	}
	eta, err := competitiveSettings(method, step, l, tol, maxInner, split, f)
	if err != nil {
		return 0, 0, err
	}
	if alpha > 0 {
		return eta, alpha, nil
	}
	if lf := competitiveLipschitz(l, f); lf > 0 {
		return eta, 1 / lf, nil
	}
	return eta, eta, nil
}
