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
