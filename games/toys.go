package games

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// A Toy is a small minimax problem min_x max_y f(x, y) with a known
// answer, as a VI over z = (x, y).
type Toy struct {
	// Problem is the VI, with a start point.
	Problem *vi.Problem
	// Solution is the unique solution, or nil when there is none or it is
	// not unique.
	Solution []float64
	// Split is the number of x coordinates; y follows.
	Split int
	// L is a Lipschitz constant of F (the best one for linear toys).
	L float64
	// Rho is the exact negative comonotonicity modulus where one is known
	// (ρ ≥ 0 with ⟨F(z) − F(z'), z − z'⟩ ≥ −ρ‖F(z) − F(z')‖²); 0 for
	// monotone toys and for those with no global modulus (Forsaken, polar).
	Rho float64
	// WeakMinty is the weak Minty parameter ρ ≥ 0 of the non-monotone
	// toys, ⟨F(z), z − z*⟩ ≥ −ρ‖F(z)‖² on the box, estimated on a grid
	// (Forsaken ≈ 1.52, polar ≈ 0.0477); 0 when Rho says it all.
	WeakMinty float64
}

// Bilinear returns min_x max_y xᵀAy + bᵀx + cᵀy with x, y ∈ Rⁿ, A = I + G/(2‖G‖₂)
// and b, c, G seeded standard Gaussian (G n×n), started from a seeded
// Gaussian point. A's singular values lie in [1/2, 3/2], so the game is
// monotone (not strongly), L ≤ 3/2, and the unique solution is
// y* = −A⁻¹b, x* = −A⁻ᵀc (ALGORITHMS.md Part II B1), computed here by an
// LU solve. Extragradient and optimistic gradient converge linearly on it;
// simultaneous gradient descent-ascent diverges.
func Bilinear(n int, seed uint64) (*Toy, error) {
	if n < 1 {
		return nil, fmt.Errorf("games: bilinear: n = %d, want ≥ 1", n)
	}
	rng := rand.New(rand.NewPCG(seed, 0xb11))
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var svd mat.SVD
	if !svd.Factorize(g, mat.SVDNone) {
		return nil, fmt.Errorf("games: bilinear: SVD of the random matrix failed")
	}
	a := mat.NewDense(n, n, nil)
	a.Scale(0.5/svd.Values(nil)[0], g)
	for i := 0; i < n; i++ {
		a.Set(i, i, a.At(i, i)+1)
	}
	b, c, z0 := make([]float64, n), make([]float64, n), make([]float64, 2*n)
	for i := range b {
		b[i], c[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	for i := range z0 {
		z0[i] = rng.NormFloat64()
	}
	op, err := monotone.NewBilinear(a, b, c)
	if err != nil {
		return nil, err
	}
	var lu mat.LU
	lu.Factorize(a)
	y, x := mat.NewVecDense(n, nil), mat.NewVecDense(n, nil)
	if err := lu.SolveVecTo(y, false, mat.NewVecDense(n, b)); err != nil {
		return nil, fmt.Errorf("games: bilinear: %w", err)
	}
	if err := lu.SolveVecTo(x, true, mat.NewVecDense(n, c)); err != nil {
		return nil, fmt.Errorf("games: bilinear: %w", err)
	}
	sol := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		sol[i], sol[n+i] = -x.AtVec(i), -y.AtVec(i)
	}
	return &Toy{Problem: &vi.Problem{F: op, Z0: z0}, Solution: sol, Split: n, L: op.Lipschitz()}, nil
}

// QuadraticBilinear returns f(x, y) = (a/2)x² + bxy − (c/2)y² on R²,
// F(x, y) = (ax + by, −bx + cy), started at (1, −1). For a, c > 0 it is
// min(a, c)-strongly monotone with the unique saddle point (0, 0); L is the
// spectral norm of [[a, b], [−b, c]], √(a² + b²) when a = c (ALGORITHMS.md
// Part II B4.3). a and c must be ≥ 0.
func QuadraticBilinear(a, b, c float64) (*Toy, error) {
	for _, v := range []struct {
		name string
		v    float64
	}{{"a", a}, {"b", b}, {"c", c}} {
		if math.IsNaN(v.v) || math.IsInf(v.v, 0) {
			return nil, fmt.Errorf("games: quadratic-bilinear: %s = %v is not finite", v.name, v.v)
		}
	}
	if a < 0 || c < 0 {
		return nil, fmt.Errorf("games: quadratic-bilinear: a = %v, c = %v, want both ≥ 0 (convex-concave)", a, c)
	}
	op, err := monotone.NewAffine(mat.NewDense(2, 2, []float64{a, b, -b, c}), nil)
	if err != nil {
		return nil, err
	}
	var sol []float64
	if a > 0 && c > 0 || b != 0 {
		sol = []float64{0, 0}
	}
	return &Toy{Problem: &vi.Problem{F: op, Z0: []float64{1, -1}}, Solution: sol, Split: 1, L: op.Lipschitz()}, nil
}

// FiniteSum returns a stochastic game: the mean of terms strongly monotone
// quadratic-bilinear games on x, y ∈ Rⁿ,
//
//	F(z) = (1/N) Σᵢ Fᵢ(z),  Fᵢ(x, y) = (aᵢx + Aᵢy + bᵢ, −Aᵢᵀx + cᵢy − dᵢ),
//
// with aᵢ, cᵢ uniform on [1/2, 3/2], Aᵢ Gaussian scaled by 1/√n and bᵢ,
// dᵢ standard Gaussian, all from a PCG generator seeded with seed; the
// start is a seeded Gaussian point. Each term is min(aᵢ, cᵢ)-strongly
// monotone, so the mean is strongly monotone and its unique solution,
// computed here by an LU solve of the mean linear system, is Solution.
// The operator is a *vi.FiniteSum: stochastic methods draw one term per
// sample, Solve measures with the mean.
func FiniteSum(n, terms int, seed uint64) (*Toy, error) {
	if n < 1 || terms < 1 {
		return nil, fmt.Errorf("games: finite-sum: n = %d, terms = %d, want both ≥ 1", n, terms)
	}
	rng := rand.New(rand.NewPCG(seed, 0xf5))
	dim := 2 * n
	mean := mat.NewDense(dim, dim, nil)
	qmean := make([]float64, dim)
	ops := make([]vi.Operator, terms)
	for t := range ops {
		m := mat.NewDense(dim, dim, nil)
		q := make([]float64, dim)
		a, c := 0.5+rng.Float64(), 0.5+rng.Float64()
		for i := 0; i < n; i++ {
			m.Set(i, i, a)
			m.Set(n+i, n+i, c)
			for j := 0; j < n; j++ {
				v := rng.NormFloat64() / math.Sqrt(float64(n))
				m.Set(i, n+j, v)
				m.Set(n+j, i, -v)
			}
		}
		for i := range q {
			q[i] = rng.NormFloat64()
		}
		op, err := monotone.NewAffine(m, q)
		if err != nil {
			return nil, err
		}
		ops[t] = op
		mean.Add(mean, m)
		for i := range q {
			qmean[i] += q[i]
		}
	}
	mean.Scale(1/float64(terms), mean)
	for i := range qmean {
		qmean[i] /= -float64(terms)
	}
	var lu mat.LU
	lu.Factorize(mean)
	sol := mat.NewVecDense(dim, nil)
	if err := lu.SolveVecTo(sol, false, mat.NewVecDense(dim, qmean)); err != nil {
		return nil, fmt.Errorf("games: finite-sum: %w", err)
	}
	fs, err := vi.NewFiniteSum(ops...)
	if err != nil {
		return nil, err
	}
	z0 := make([]float64, dim)
	for i := range z0 {
		z0[i] = rng.NormFloat64()
	}
	return &Toy{Problem: &vi.Problem{F: fs, Z0: z0}, Solution: sol.RawVector().Data, Split: n, L: fs.Lipschitz()}, nil
}

// Comonotone returns the linear operator F(z) = Mz on R² with
// M = [[b, a], [−a, b]], b = −ρL², a = √(L² − b²): a scaled rotation that
// is ρ-negatively comonotone with equality,
//
//	⟨F(z) − F(z'), z − z'⟩ = −ρ‖F(z) − F(z')‖²,
//
// and L-Lipschitz, since ⟨Mv, v⟩ = b‖v‖² and ‖Mv‖ = L‖v‖ (ALGORITHMS.md
// Part II B5.3). It is f(x, y) = axy + (b/2)x² − (b/2)y² as a minimax
// problem; the unique solution is 0, and the start is (1, 1). ρ = 1/9,
// L = 3 is Pethick et al.'s lower-bound example (b = −1, a = 2√2, ICLR
// 2022). The proximal point method converges iff its step γ > 2ρ; GDA
// diverges for every step. It needs 0 ≤ ρL ≤ 1.
func Comonotone(rho, l float64) (*Toy, error) {
	if !(l > 0) || math.IsInf(l, 0) {
		return nil, fmt.Errorf("games: comonotone: L = %v, want finite and > 0", l)
	}
	if !(rho >= 0) || rho*l > 1 {
		return nil, fmt.Errorf("games: comonotone: rho = %v, want 0 ≤ rho ≤ 1/L = %v", rho, 1/l)
	}
	b := -rho * l * l
	a := math.Sqrt(max(0, l*l-b*b))
	op, err := monotone.NewAffine(mat.NewDense(2, 2, []float64{b, a, -a, b}), nil)
	if err != nil {
		return nil, err
	}
	return &Toy{Problem: &vi.Problem{F: op, Z0: []float64{1, 1}}, Solution: []float64{0, 0}, Split: 1, L: l, Rho: rho}, nil
}

// ComonotoneTight returns the member of the Comonotone family on which the
// proximal point method with step γ > 2ρ is slowest after n steps
// (Gorbunov, Taylor, Horváth and Gidel, ICML 2023, Thm 5): F = α·R_θ with
// cos θ = −ρ/√(nγ(γ − 2ρ)) and α = |cos θ|/ρ. On it PP gives
//
//	‖F(x_{n+1})‖² ≥ ‖x₀ − x*‖² / (γ(γ − 2ρ)·n·(1 + 1/n)^{n+1}),
//
// within a factor e of the upper bound ‖F(x_n)‖² ≤ ‖x₀ − x*‖²/(γ(γ−2ρ)n).
// It needs ρ > 0, γ > 2ρ and n ≥ max{ρ²/(γ(γ − 2ρ)), 1}.
func ComonotoneTight(rho, gamma float64, n int) (*Toy, error) {
	if !(rho > 0) || math.IsInf(rho, 0) {
		return nil, fmt.Errorf("games: comonotone-tight: rho = %v, want finite and > 0", rho)
	}
	if !(gamma > 2*rho) || math.IsInf(gamma, 0) {
		return nil, fmt.Errorf("games: comonotone-tight: gamma = %v, want > 2·rho = %v", gamma, 2*rho)
	}
	if float64(n) < max(rho*rho/(gamma*(gamma-2*rho)), 1) {
		return nil, fmt.Errorf("games: comonotone-tight: n = %d, want ≥ max(rho²/(γ(γ−2ρ)), 1) = %v", n, max(rho*rho/(gamma*(gamma-2*rho)), 1))
	}
	cos := -rho / math.Sqrt(float64(n)*gamma*(gamma-2*rho))
	alpha := -cos / rho
	return Comonotone(rho, alpha)
}

// plane is a differentiable operator on R² with its Jacobian in closed
// form, so that it can report its local Lipschitz constant ‖JF(z)‖₂
// (vi.LocalLipschitzer) to methods that adapt to curvature.
type plane struct {
	f   func(dst, z []float64)
	jac func(z []float64) (a, b, c, d float64) // JF(z) = [[a, b], [c, d]]
	l   float64
}

// Dim returns 2.
func (p *plane) Dim() int { return 2 }

// Apply sets dst = F(z).
func (p *plane) Apply(dst, z []float64) {
	if len(dst) != 2 || len(z) != 2 {
		panic("games: plane operator: want slices of length 2")
	}
	p.f(dst, z)
}

// Lipschitz returns a Lipschitz constant on the toy's box.
func (p *plane) Lipschitz() float64 { return p.l }

// LocalLipschitz returns ‖JF(z)‖₂, the largest singular value of the 2×2
// Jacobian: σ² = (S + √(S² − 4det²))/2 with S the sum of squared entries.
func (p *plane) LocalLipschitz(z []float64) float64 {
	a, b, c, d := p.jac(z)
	s := a*a + b*b + c*c + d*d
	det := a*d - b*c
	return math.Sqrt((s + math.Sqrt(max(0, s*s-4*det*det))) / 2)
}

// Jacobian sets dst = JF(z) (2×2).
func (p *plane) Jacobian(dst *mat.Dense, z []float64) {
	a, b, c, d := p.jac(z)
	dst.Set(0, 0, a)
	dst.Set(0, 1, b)
	dst.Set(1, 0, c)
	dst.Set(1, 1, d)
}

// Forsaken returns the "Forsaken" example of Hsieh, Mertikopoulos and
// Cevher ("The limits of min-max optimization algorithms: convergence to
// spurious non-critical sets", ICML 2021) in the form of Pethick et al.'s
// code (ALGORITHMS.md Part II B5.1):
//
//	f(x, y) = x(y − 0.45) + φ(x) − φ(y),  φ(z) = z²/4 − z⁴/2 + z⁶/6,
//	F(x, y) = (ψ(x) + y − 0.45, −x + ψ(y)),  ψ = φ' : z ↦ z/2 − 2z³ + z⁵,
//
// on the box [−3/2, 3/2]², started at (1, 1). Its stationary point
// z* ≈ (0.0780267, 0.4119339) (F(z*) = 0) is Solution, computed here by
// Newton's method; L ≈ 12.4 on the box (grid maximum of ‖JF‖₂, rounded up
// to 12.5). The weak Minty condition holds only with ρ ≈ 1.52 ≫ 1/(2L),
// outside every global theory: extragradient is attracted to a limit
// cycle around z*.
func Forsaken() *Toy {
	psi := func(z float64) float64 { return z/2 - 2*z*z*z + z*z*z*z*z }
	dpsi := func(z float64) float64 { return 0.5 - 6*z*z + 5*z*z*z*z }
	f := func(dst, z []float64) {
		dst[0] = psi(z[0]) + z[1] - 0.45
		dst[1] = -z[0] + psi(z[1])
	}
	// Newton from (0, 0.45): J = [[ψ'(x), 1], [−1, ψ'(y)]].
	x, y := 0.0, 0.45
	for k := 0; k < 50; k++ {
		f0, f1 := psi(x)+y-0.45, -x+psi(y)
		a, d := dpsi(x), dpsi(y)
		det := a*d + 1
		dx, dy := (d*f0-f1)/det, (a*f1+f0)/det
		x, y = x-dx, y-dy
	}
	box := vi.Box{Lo: []float64{-1.5, -1.5}, Hi: []float64{1.5, 1.5}}
	op := &plane{f: f, l: 12.5, jac: func(z []float64) (a, b, c, d float64) {
		return dpsi(z[0]), 1, -1, dpsi(z[1])
	}}
	return &Toy{Problem: &vi.Problem{F: op, C: box, Z0: []float64{1, 1}}, Solution: []float64{x, y}, Split: 1, L: 12.5, WeakMinty: 1.5205}
}

// Polar returns the polar game of Pethick, Latafat, Patrinos, Fercoq and
// Cevher ("Escaping limit cycles: global convergence for constrained
// nonconvex-nonconcave minimax problems", ICLR 2022; official
// construction, ALGORITHMS.md Part II B5.2) with a = b = 1: a field whose
// radial part −a·r(r² − 1)(r² − 9/16) has limit cycles at r = 1 and
// r = 3/4 and whose angular part is −b·r,
//
//	F(x, y) = (−y + x·s/16, x + y·s/16),  s = (x² + y² − 1)(16x² + 16y² − 9),
//
// on the box [−1.1, 1.1]², started at (1, 0.5). The unique solution is
// (0, 0); L ≈ 18.548 on the box (the official constant).
func Polar() *Toy {
	f := func(dst, z []float64) {
		x, y := z[0], z[1]
		r2 := x*x + y*y
		s := (r2 - 1) * (16*r2 - 9) / 16
		dst[0] = -y + x*s
		dst[1] = x + y*s
	}
	box := vi.Box{Lo: []float64{-1.1, -1.1}, Hi: []float64{1.1, 1.1}}
	const l = 18.548
	op := &plane{f: f, l: l, jac: func(z []float64) (a, b, c, d float64) {
		x, y := z[0], z[1]
		r2 := x*x + y*y
		s := (r2 - 1) * (16*r2 - 9) / 16
		t := (32*r2 - 25) / 8 // ∂s/∂x = x·t, ∂s/∂y = y·t
		return s + x*x*t, -1 + x*y*t, 1 + x*y*t, s + y*y*t
	}}
	return &Toy{Problem: &vi.Problem{F: op, C: box, Z0: []float64{1, 0.5}}, Solution: []float64{0, 0}, Split: 1, L: l, WeakMinty: 0.0477}
}
