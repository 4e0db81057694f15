package monotone

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/vi"
)

// SpectralNorm returns ‖A‖₂, the largest singular value of A, as the
// square root of the largest eigenvalue of AᵀA (or of AAᵀ, whichever is
// smaller). It runs the Lanczos method, the Krylov-subspace acceleration of
// power iteration, with full reorthogonalization and restarts, from a fixed
// pseudo-random start (PCG seed 1, 2), so the result is reproducible. It
// stops when the residual of the top Ritz pair falls below 1e-10 times its
// value, which puts an eigenvalue of AᵀA within that relative distance (the
// largest one unless the start is orthogonal to its eigenvector, an event
// of probability zero): ‖A‖₂ within 5e-11 relative, in practice to
// rounding, since the eigenvalue error is of order residual²/gap. The cost
// is two products with A per step: 48 steps for a Gaussian 300×300 A, 72
// for 1000×1000, 104 for 3000×3000 (under a second), where plain power
// iteration needs thousands when the top singular values are close.
// A *CSR (or its transpose) is multiplied in place, two passes over its
// nonzeros per step; other matrices than *mat.Dense are copied into one
// first.
func SpectralNorm(a mat.Matrix) float64 {
	if s, ok := csrOf(a); ok {
		return s.spectralNorm()
	}
	r, c := a.Dims()
	if r == 0 || c == 0 {
		return 0
	}
	var g blas64.General
	if rm, ok := a.(mat.RawMatrixer); ok {
		g = rm.RawMatrix()
	} else {
		g = mat.DenseCopyOf(a).RawMatrix()
	}
	// B = AᵀA on Rᶜ (tA = Trans second) or AAᵀ on Rʳ.
	first, second := blas.NoTrans, blas.Trans
	k, l := c, r
	if c > r {
		first, second = blas.Trans, blas.NoTrans
		k, l = r, c
	}
	tmp := blas64.Vector{N: l, Inc: 1, Data: make([]float64, l)}
	mul := func(dst, v []float64) {
		blas64.Gemv(first, 1, g, blas64.Vector{N: k, Inc: 1, Data: v}, 0, tmp)
		blas64.Gemv(second, 1, g, tmp, 0, blas64.Vector{N: k, Inc: 1, Data: dst})
	}
	return math.Sqrt(math.Max(0, lanczosMax(k, mul)))
}

// lanczosMax returns the largest eigenvalue of the symmetric positive
// semidefinite n×n operator given by mul (mul(dst, v) sets dst = Bv).
func lanczosMax(n int, mul func(dst, v []float64)) float64 {
	const (
		tol      = 1e-10 // relative residual of the top Ritz pair
		maxBasis = 128   // Krylov dimension before a restart
		maxSteps = 20000 // products with B over all restarts
	)
	// The basis holds k vectors of length n: at most 2²⁴ numbers (128 MB)
	// for the long vectors of large sparse matrices, and never fewer than
	// 16, restarting more often instead.
	k := min(n, maxBasis, max(16, 1<<24/n))
	q := make([]float64, k*n) // the orthonormal basis, row by row
	w := make([]float64, n)
	alpha, beta := make([]float64, k), make([]float64, k)
	start := make([]float64, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range start {
		start[i] = rng.NormFloat64()
	}
	floats.Scale(1/floats.Norm(start, 2), start)

	var theta, scale float64
	var ritz []float64
	for steps := 0; steps < maxSteps; {
		copy(q[:n], start)
		for j := 0; j < k; j++ {
			qj := q[j*n : (j+1)*n]
			mul(w, qj)
			steps++
			alpha[j] = floats.Dot(qj, w)
			// Full reorthogonalization, twice (Gram–Schmidt "twice is
			// enough"); it also removes the α_j q_j and β_{j−1} q_{j−1}
			// terms of the three-term recurrence.
			for range 2 {
				for i := 0; i <= j; i++ {
					qi := q[i*n : (i+1)*n]
					floats.AddScaled(w, -floats.Dot(qi, w), qi)
				}
			}
			beta[j] = floats.Norm(w, 2)
			scale = math.Max(scale, alpha[j])
			end := j+1 == k || steps >= maxSteps
			// The eigenproblem of T costs O(j³): solve it at every step
			// early on, then every eighth step, and whenever the basis
			// ends or the recurrence breaks down.
			if j < 16 || j%8 == 7 || end || beta[j] <= 1e-12*scale {
				theta, ritz = topRitz(alpha[:j+1], beta[:j])
				// Converged, an invariant subspace (exact), or the whole
				// space spanned.
				if beta[j]*math.Abs(ritz[j]) <= tol*theta || beta[j] <= 1e-14*theta || j+1 == n {
					return theta
				}
			}
			if end {
				break
			}
			floats.ScaleTo(q[(j+1)*n:(j+2)*n], 1/beta[j], w)
		}
		// Restart from the top Ritz vector.
		clear(start)
		for i, s := range ritz {
			floats.AddScaled(start, s, q[i*n:(i+1)*n])
		}
		floats.Scale(1/floats.Norm(start, 2), start)
	}
	return theta
}

// topRitz returns the largest eigenvalue of the symmetric tridiagonal
// matrix with diagonal alpha and off-diagonal beta, and its unit
// eigenvector.
func topRitz(alpha, beta []float64) (float64, []float64) {
	k := len(alpha)
	t := mat.NewSymDense(k, nil)
	for i, a := range alpha {
		t.SetSym(i, i, a)
		if i+1 < k {
			t.SetSym(i, i+1, beta[i])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(t, true) {
		// Never for a finite symmetric matrix; keep the diagonal bound.
		return floats.Max(alpha), make([]float64, k)
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	return eig.Values(nil)[k-1], mat.Col(nil, k-1, &v)
}

// Sampling configures the sampled property checks (Lipschitz,
// Monotonicity, Comonotonicity on operators without affine parts). Pairs
// are drawn in the box Center ± Radius: x uniformly, then y = x + t(w − x)
// with w uniform in the box and t log-uniform in [1e-3, 1], so that both
// distant and close pairs are seen. A nil *Sampling means all defaults.
type Sampling struct {
	Center []float64   // center of the box; nil: the origin
	Radius float64     // half-width of the box; 0: 1
	Pairs  int         // number of pairs; 0: 1000
	Src    rand.Source // random source; nil: rand.NewPCG(1, 2)
}

// ErrNotFinite is returned by the sampled checks when the operator
// produced a NaN or infinite value.
var ErrNotFinite = errors.New("monotone: operator value is not finite")

// pairStats are the extreme ratios over the sampled pairs.
type pairStats struct {
	lipschitz float64 // max ‖ΔF‖/‖Δz‖
	monotone  float64 // min ⟨ΔF, Δz⟩/‖Δz‖²
	comono    float64 // min ⟨ΔF, Δz⟩/‖ΔF‖² over pairs with ΔF ≠ 0
}

// sample evaluates f on the pairs s describes.
func sample(fn string, f vi.Operator, s *Sampling) (pairStats, error) {
	var cfg Sampling
	if s != nil {
		cfg = *s
	}
	n := f.Dim()
	switch {
	case cfg.Center != nil && len(cfg.Center) != n:
		return pairStats{}, fmt.Errorf("monotone: %s: Sampling.Center has length %d, want %d", fn, len(cfg.Center), n)
	case !(cfg.Radius >= 0) || math.IsInf(cfg.Radius, 1):
		return pairStats{}, fmt.Errorf("monotone: %s: Sampling.Radius = %v, want finite and ≥ 0", fn, cfg.Radius)
	case cfg.Pairs < 0:
		return pairStats{}, fmt.Errorf("monotone: %s: Sampling.Pairs = %d, want ≥ 0", fn, cfg.Pairs)
	}
	for i, v := range cfg.Center {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return pairStats{}, fmt.Errorf("monotone: %s: Sampling.Center[%d] = %v is not finite", fn, i, v)
		}
	}
	if cfg.Radius == 0 {
		cfg.Radius = 1
	}
	if cfg.Pairs == 0 {
		cfg.Pairs = 1000
	}
	if cfg.Src == nil {
		cfg.Src = rand.NewPCG(1, 2)
	}
	rng := rand.New(cfg.Src)
	x, y, w := make([]float64, n), make([]float64, n), make([]float64, n)
	fx, fy := make([]float64, n), make([]float64, n)
	point := func(dst []float64) {
		for i := range dst {
			c := 0.0
			if cfg.Center != nil {
				c = cfg.Center[i]
			}
			dst[i] = c + cfg.Radius*(2*rng.Float64()-1)
		}
	}
	st := pairStats{monotone: math.Inf(1), comono: math.Inf(1)}
	for k := 0; k < cfg.Pairs; k++ {
		point(x)
		point(w)
		t := math.Pow(10, -3*rng.Float64())
		for i := range y {
			y[i] = x[i] + t*(w[i]-x[i])
		}
		f.Apply(fx, x)
		f.Apply(fy, y)
		var dz2, df2, inner float64
		for i := range x {
			dz, df := x[i]-y[i], fx[i]-fy[i]
			dz2 += dz * dz
			df2 += df * df
			inner += dz * df
		}
		if math.IsNaN(df2) || math.IsInf(df2, 0) {
			return pairStats{}, fmt.Errorf("monotone: %s: pair %d: %w", fn, k, ErrNotFinite)
		}
		if dz2 == 0 {
			continue
		}
		st.lipschitz = math.Max(st.lipschitz, math.Sqrt(df2/dz2))
		st.monotone = math.Min(st.monotone, inner/dz2)
		if df2 > 0 {
			st.comono = math.Min(st.comono, inner/df2)
		}
	}
	return st, nil
}

// find returns f, or the first operator it wraps (vi.Unwrapper), that is
// a T.
func find[T any](f vi.Operator) (T, bool) {
	for f != nil {
		if t, ok := f.(T); ok {
			return t, true
		}
		u, ok := f.(vi.Unwrapper[vi.Operator])
		if !ok {
			break
		}
		f = u.Unwrap()
	}
	var zero T
	return zero, false
}

// affineParts returns the matrix of f when f, or an operator it wraps,
// exposes its affine parts.
func affineParts(f vi.Operator) (*mat.Dense, bool) {
	a, ok := find[vi.AffineOperator](f)
	if !ok {
		return nil, false
	}
	m, _ := a.Affine()
	if d, ok := m.(*mat.Dense); ok {
		return d, true
	}
	return mat.DenseCopyOf(m), true
}

func checkOperator(fn string, f vi.Operator) error {
	if f == nil {
		return fmt.Errorf("monotone: %s: operator is nil", fn)
	}
	if f.Dim() <= 0 {
		return fmt.Errorf("monotone: %s: operator has dimension %d", fn, f.Dim())
	}
	return nil
}

// Lipschitz estimates the smallest Lipschitz constant of f,
// sup ‖F(x) − F(y)‖/‖x − y‖.
//
// When f exposes affine parts F(z) = Mz + q (vi.AffineOperator, also
// through vi.Unwrapper) the value is exact: ‖M‖₂ by SpectralNorm; s is not
// used; for a Bilinear or SparseBilinear it is σ_max(A), computed from A
// without forming J, and for a SparseAffine ‖M‖₂ from the sparse M.
// Otherwise it is the largest ratio over the pairs s samples, a LOWER
// bound on the true constant (and so not a safe step-size bound on its
// own). f's own Lipschitz method is never consulted: this is a check.
func Lipschitz(f vi.Operator, s *Sampling) (float64, error) {
	if err := checkOperator("Lipschitz", f); err != nil {
		return 0, err
	}
	if b, ok := find[*Bilinear](f); ok {
		return SpectralNorm(b.a), nil
	}
	if b, ok := find[*SparseBilinear](f); ok {
		return b.a.spectralNorm(), nil
	}
	if a, ok := find[*SparseAffine](f); ok {
		return a.m.spectralNorm(), nil
	}
	if m, ok := affineParts(f); ok {
		return SpectralNorm(m), nil
	}
	st, err := sample("Lipschitz", f, s)
	return st.lipschitz, err
}

// Monotonicity estimates the monotonicity modulus of f: the largest μ with
//
//	⟨F(x) − F(y), x − y⟩ ≥ μ‖x − y‖²   for all x, y.
//
// F is monotone when μ ≥ 0 and μ-strongly monotone when μ > 0.
//
// When f exposes affine parts F(z) = Mz + q the value is exact:
// μ = λ_min((M + Mᵀ)/2), from a symmetric eigendecomposition (O(n³));
// for a Bilinear or SparseBilinear μ = 0 (J is skew), without forming J.
// Otherwise it is the smallest ratio over the pairs s samples, an UPPER
// bound on the true modulus: a negative value proves F is not monotone, a
// nonnegative one is evidence only.
func Monotonicity(f vi.Operator, s *Sampling) (float64, error) {
	if err := checkOperator("Monotonicity", f); err != nil {
		return 0, err
	}
	if _, ok := find[*Bilinear](f); ok {
		return 0, nil // J is skew: ⟨Jv, v⟩ = 0
	}
	if _, ok := find[*SparseBilinear](f); ok {
		return 0, nil
	}
	if m, ok := affineParts(f); ok {
		return symMin(m, 1), nil
	}
	st, err := sample("Monotonicity", f, s)
	return st.monotone, err
}

// Comonotonicity estimates the comonotonicity modulus of f: the largest r
// (possibly negative or infinite) with
//
//	⟨F(x) − F(y), x − y⟩ ≥ r‖F(x) − F(y)‖²   for all x, y.
//
// r > 0 means F is r-cocoercive; r ≥ 0 implies monotone; r < 0 means F is
// ρ-negatively comonotone with ρ = −r, the convention of every Rho field in
// saddle (Gorbunov, Taylor, Horváth and Gidel, ICML 2023). The smallest
// admissible Rho ≥ 0 is max(0, −r). Cai and Zheng (ICLR 2023) call r
// itself ρ (their ρ ≤ 0): ρ_Cai = −Rho. r = −Inf means no finite Rho
// works; r = +Inf that F is constant.
//
// When f exposes affine parts F(z) = Mz + q the value is exact. With
// v = x − y and u = Mv the condition reads ⟨Mv, v⟩ ≥ r‖Mv‖², only binding
// where Mv ≠ 0. Write v = v_R + v_K with v_K ∈ ker M and
// v_R ∈ (ker M)^⊥ = range Mᵀ. If range M is not orthogonal to ker M,
// ⟨Mv_R, v_K⟩ takes any value while Mv stays fixed, so r = −Inf. Otherwise
// (M is range-symmetric, range M = range Mᵀ = R, which includes every
// invertible and every normal M) M maps R onto itself, v_R = M⁺u and
//
//	r = min over u ∈ R, u ≠ 0 of ⟨u, M⁺u⟩/‖u‖² = λ_min(sym(U_Rᵀ M⁺ U_R)),
//
// U_R an orthonormal basis of R; for invertible M simply
// r = λ_min((M⁻¹ + M⁻ᵀ)/2). It is computed from an SVD of M (O(n³)):
// singular values below n·ε·σ_max count as zero, and range and kernel
// count as orthogonal when the inner products of their basis vectors are
// below 1e-8 in absolute value. Example (ALGORITHMS.md Part II B5.3):
// M = [[b, a], [−a, b]] gives r = b/(a² + b²), for b = −1, a = 2√2 r = −1/9.
//
// For a normal M, r = min Re(1/λ) over the nonzero eigenvalues λ of M,
// the spectral test of Gorbunov et al. (2023, Thm 1); for a non-normal M
// that minimum is only an upper bound on r. A Bilinear or SparseBilinear
// has r = 0 (+Inf when A = 0), returned without forming J.
//
// Without affine parts the value is the smallest ratio over the pairs s
// samples with F(x) ≠ F(y), an UPPER bound on the true modulus (so −value
// is a LOWER bound on the Rho F needs): an estimate, not a certificate.
func Comonotonicity(f vi.Operator, s *Sampling) (float64, error) {
	if err := checkOperator("Comonotonicity", f); err != nil {
		return 0, err
	}
	if b, ok := find[*Bilinear](f); ok {
		// J is normal with purely imaginary eigenvalues ±iσ_k, so
		// r = min Re(1/λ) = 0, unless A = 0 and F is constant.
		if mat.Norm(b.a, math.Inf(1)) == 0 {
			return math.Inf(1), nil
		}
		return 0, nil
	}
	if b, ok := find[*SparseBilinear](f); ok {
		if b.a.NNZ() == 0 {
			return math.Inf(1), nil
		}
		return 0, nil
	}
	if m, ok := affineParts(f); ok {
		return affineComonotonicity(m), nil
	}
	st, err := sample("Comonotonicity", f, s)
	return st.comono, err
}

// symMin returns the smallest eigenvalue of (M + Mᵀ)/2, scaled by c.
func symMin(m mat.Matrix, c float64) float64 {
	n, _ := m.Dims()
	sym := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			sym.SetSym(i, j, c*(m.At(i, j)+m.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, false) {
		return math.NaN()
	}
	return eig.Values(nil)[0]
}

// affineComonotonicity returns the exact comonotonicity modulus of
// z ↦ Mz + q (see Comonotonicity).
func affineComonotonicity(m *mat.Dense) float64 {
	n, _ := m.Dims()
	var svd mat.SVD
	if !svd.Factorize(m, mat.SVDFull) {
		return math.NaN()
	}
	sigma := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	rank := 0
	for _, s := range sigma {
		if s > float64(n)*eps*sigma[0] {
			rank++
		}
	}
	if rank == 0 {
		return math.Inf(1)
	}
	// range M = span U[:, :rank], ker M = span V[:, rank:].
	for i := 0; i < rank; i++ {
		for j := rank; j < n; j++ {
			var d float64
			for l := 0; l < n; l++ {
				d += u.At(l, i) * v.At(l, j)
			}
			if math.Abs(d) > 1e-8 {
				return math.Inf(-1)
			}
		}
	}
	// M⁺ = V_r Σ_r⁻¹ U_rᵀ, so U_rᵀ M⁺ U_r = (U_rᵀ V_r) Σ_r⁻¹.
	k := mat.NewDense(rank, rank, nil)
	k.Mul(u.Slice(0, n, 0, rank).T(), v.Slice(0, n, 0, rank))
	for j := 0; j < rank; j++ {
		for i := 0; i < rank; i++ {
			k.Set(i, j, k.At(i, j)/sigma[j])
		}
	}
	return symMin(k, 1)
}

const eps = 0x1p-52

// Jacobian returns the Jacobian of f at z, ∂F_i/∂z_j in row i, column j,
// by central finite differences (gonum's fd.Jacobian, step ≈ 6e-6, error
// of order 1e-10 for smooth F of moderate scale). It costs 2n evaluations.
// It returns an error when z does not have length f.Dim() or a value is
// not finite.
func Jacobian(f vi.Operator, z []float64) (*mat.Dense, error) {
	if err := checkOperator("Jacobian", f); err != nil {
		return nil, err
	}
	n := f.Dim()
	if len(z) != n {
		return nil, fmt.Errorf("monotone: Jacobian: z has length %d, want %d", len(z), n)
	}
	for i, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("monotone: Jacobian: z[%d] = %v is not finite", i, v)
		}
	}
	dst := mat.NewDense(n, n, nil)
	fd.Jacobian(dst, f.Apply, append([]float64(nil), z...), &fd.JacobianSettings{Formula: fd.Central})
	for i := 0; i < n; i++ {
		for j, v := range dst.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("monotone: Jacobian: entry [%d][%d] = %v: %w", i, j, v, ErrNotFinite)
			}
		}
	}
	return dst, nil
}

// CheckJacobian compares an analytic Jacobian with finite differences
// (Jacobian) at z. jac(dst, z) must set dst, an n×n zero matrix, to the
// Jacobian at z. Entry (i, j) agrees when the difference is at most
// tol·max(1, |finite difference|); tol 0 means 1e-6, about four orders
// above the central-difference error for smooth F of moderate scale.
// CheckJacobian returns nil when every entry agrees, otherwise an error
// naming the worst entry with both values.
func CheckJacobian(f vi.Operator, jac func(dst *mat.Dense, z []float64), z []float64, tol float64) error {
	if jac == nil {
		return fmt.Errorf("monotone: CheckJacobian: jac is nil")
	}
	if !(tol >= 0) || math.IsInf(tol, 1) {
		return fmt.Errorf("monotone: CheckJacobian: tol = %v, want finite and ≥ 0", tol)
	}
	if tol == 0 {
		tol = 1e-6
	}
	num, err := Jacobian(f, z)
	if err != nil {
		return fmt.Errorf("monotone: CheckJacobian: %w", err)
	}
	n := f.Dim()
	ana := mat.NewDense(n, n, nil)
	jac(ana, append([]float64(nil), z...))
	worst, wi, wj := 0.0, -1, -1
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a, d := ana.At(i, j), num.At(i, j)
			e := math.Abs(a-d) / math.Max(1, math.Abs(d))
			if math.IsNaN(e) {
				e = math.Inf(1)
			}
			if e > worst {
				worst, wi, wj = e, i, j
			}
		}
	}
	if worst > tol {
		return fmt.Errorf("monotone: CheckJacobian: entry [%d][%d] is %v, finite differences give %v (scaled difference %.3g > tol %.3g)",
			wi, wj, ana.At(wi, wj), num.At(wi, wj), worst, tol)
	}
	return nil
}
