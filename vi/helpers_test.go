package vi

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Test operators and problems with known answers, shared by every test
// file of the package. The monotone package has the real building blocks;
// vi cannot import it, so these small dense ones stand in.

// affineOp is F(z) = Mz + q with a dense M.
type affineOp struct {
	m *mat.Dense
	q []float64
	l float64 // spectral norm of M
}

func newAffineOp(m *mat.Dense, q []float64) *affineOp {
	n, _ := m.Dims()
	if q == nil {
		q = make([]float64, n)
	}
	var svd mat.SVD
	if !svd.Factorize(m, mat.SVDNone) {
		panic("svd failed")
	}
	return &affineOp{m: m, q: q, l: svd.Values(nil)[0]}
}

func (a *affineOp) Dim() int { return len(a.q) }

func (a *affineOp) Apply(dst, z []float64) {
	n := len(a.q)
	for i := 0; i < n; i++ {
		s := a.q[i]
		row := a.m.RawRowView(i)
		for j, v := range row {
			s += v * z[j]
		}
		dst[i] = s
	}
}

func (a *affineOp) Lipschitz() float64 { return a.l }

func (a *affineOp) Affine() (mat.Matrix, []float64) { return a.m, a.q }

// funcOp adapts a function; it reports no Lipschitz constant.
type funcOp struct {
	n int
	f func(dst, z []float64)
}

func (o funcOp) Dim() int               { return o.n }
func (o funcOp) Apply(dst, z []float64) { o.f(dst, z) }

// bilinearMatrix returns the VI matrix [[0, A], [−Aᵀ, 0]] of
// min_x max_y xᵀAy, and q = (b, −c) for the linear terms.
func bilinearMatrix(a *mat.Dense, b, c []float64) (*mat.Dense, []float64) {
	m, n := a.Dims()
	big := mat.NewDense(m+n, m+n, nil)
	q := make([]float64, m+n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			big.Set(i, m+j, a.At(i, j))
			big.Set(m+j, i, -a.At(i, j))
		}
	}
	if b != nil {
		copy(q[:m], b)
	}
	for j := range c {
		q[m+j] = -c[j]
	}
	return big, q
}

// testProblem is a problem with its known solution.
type testProblem struct {
	name     string
	p        *Problem
	solution []float64 // nil when not unique or unknown
	monotone bool
}

// randomBilinear is min_x max_y xᵀAy + bᵀx + cᵀy with A = I + G/(2‖G‖₂),
// G a seeded Gaussian n×n matrix, so that A's singular values lie in
// [1/2, 3/2] (L ≤ 3/2, well conditioned); unconstrained. The unique
// solution is y* = −A⁻¹b, x* = −A⁻ᵀc (ALGORITHMS.md Part II B1).
func randomBilinear(n int, seed uint64) testProblem {
	rng := rand.New(rand.NewPCG(seed, 1))
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var svd mat.SVD
	if !svd.Factorize(g, mat.SVDNone) {
		panic("svd failed")
	}
	a := mat.NewDense(n, n, nil)
	a.Scale(0.5/svd.Values(nil)[0], g)
	for i := 0; i < n; i++ {
		a.Set(i, i, a.At(i, i)+1)
	}
	b, c := make([]float64, n), make([]float64, n)
	for i := range b {
		b[i], c[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	var lu mat.LU
	lu.Factorize(a)
	y := mat.NewVecDense(n, nil)
	if err := lu.SolveVecTo(y, false, mat.NewVecDense(n, b)); err != nil {
		panic(err)
	}
	x := mat.NewVecDense(n, nil)
	if err := lu.SolveVecTo(x, true, mat.NewVecDense(n, c)); err != nil {
		panic(err)
	}
	sol := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		sol[i], sol[n+i] = -x.AtVec(i), -y.AtVec(i)
	}
	m, q := bilinearMatrix(a, b, c)
	z0 := make([]float64, 2*n)
	for i := range z0 {
		z0[i] = rng.NormFloat64()
	}
	return testProblem{name: "bilinear", p: &Problem{F: newAffineOp(m, q), Z0: z0}, solution: sol, monotone: true}
}

// xyGame is f(x, y) = xy, F(x, y) = (y, −x), solution (0, 0), from (1, 1).
func xyGame() testProblem {
	m := mat.NewDense(2, 2, []float64{0, 1, -1, 0})
	return testProblem{name: "xy", p: &Problem{F: newAffineOp(m, nil), Z0: []float64{1, 1}}, solution: []float64{0, 0}, monotone: true}
}

// quadraticBilinear is f = (a/2)x² + bxy − (c/2)y², F = Mz with
// M = [[a, b], [−b, c]]; for a, c > 0 it is min(a, c)-strongly monotone
// with unique saddle (0, 0) (ALGORITHMS.md Part II B4.3).
func quadraticBilinear(a, b, c float64) testProblem {
	m := mat.NewDense(2, 2, []float64{a, b, -b, c})
	return testProblem{name: "quadratic-bilinear", p: &Problem{F: newAffineOp(m, nil), Z0: []float64{1, -1}}, solution: []float64{0, 0}, monotone: true}
}

// matrixGame is min_{x∈Δ} max_{y∈Δ} xᵀAy over two simplices, started at
// the given point; F = (Ay, −Aᵀx).
func matrixGame(name string, a *mat.Dense, z0, solution []float64) testProblem {
	m, n := a.Dims()
	big, q := bilinearMatrix(a, nil, nil)
	c := Product{Blocks: []Set{Simplex{}, Simplex{}}, Dims: []int{m, n}}
	return testProblem{name: name, p: &Problem{F: newAffineOp(big, q), C: c, Z0: z0}, solution: solution, monotone: true}
}

// rps is rock-paper-scissors, A = [[0,−1,1],[1,0,−1],[−1,1,0]]; the unique
// equilibrium is uniform play, value 0 (OpenSpiel matrix_rps).
func rps() testProblem {
	a := mat.NewDense(3, 3, []float64{0, -1, 1, 1, 0, -1, -1, 1, 0})
	third := 1.0 / 3
	return matrixGame("rps", a, []float64{0.5, 0.3, 0.2, 0.1, 0.6, 0.3}, []float64{third, third, third, third, third, third})
}

// boxAffine is a strictly monotone affine VI on the box [0, 1]⁴ whose
// solution has coordinates at both bounds and inside. M = S + K with S
// symmetric positive definite and K skew; q is built from the chosen
// solution z* and signs of the normal cone so that z* solves it.
func boxAffine() testProblem {
	m := mat.NewDense(4, 4, []float64{
		2, 1, 0, -1,
		-1, 2, 1, 0,
		0, -1, 2, 1,
		1, 0, -1, 2,
	})
	sol := []float64{0, 1, 0.5, 0.25}
	// F(z*) must be ≥ 0 at a lower bound, ≤ 0 at an upper bound, 0 inside.
	want := []float64{0.7, -1.3, 0, 0}
	q := make([]float64, 4)
	for i := range q {
		var mz float64
		for j := range sol {
			mz += m.At(i, j) * sol[j]
		}
		q[i] = want[i] - mz
	}
	box := Box{Lo: []float64{0, 0, 0, 0}, Hi: []float64{1, 1, 1, 1}}
	return testProblem{name: "box-affine", p: &Problem{F: newAffineOp(m, q), C: box, Z0: []float64{1, 0, 1, 0}}, solution: sol, monotone: true}
}

// slope fits log(y) = a + s·log(x) by least squares and returns s.
func slope(t *testing.T, x, y []float64) float64 {
	t.Helper()
	require.Equal(t, len(x), len(y))
	lx, ly := make([]float64, len(x)), make([]float64, len(y))
	for i := range x {
		require.Greater(t, x[i], 0.0)
		require.Greater(t, y[i], 0.0, "value %d of the fit is not positive", i)
		lx[i], ly[i] = math.Log(x[i]), math.Log(y[i])
	}
	_, s := stat.LinearRegression(lx, ly, nil, false)
	return s
}

// semilogSlope fits log(y) = a + s·x and returns s (negative for linear
// convergence, the log of the per-step factor).
func semilogSlope(t *testing.T, x, y []float64) float64 {
	t.Helper()
	ly := make([]float64, len(y))
	for i := range y {
		require.Greater(t, y[i], 0.0, "value %d of the fit is not positive", i)
		ly[i] = math.Log(y[i])
	}
	_, s := stat.LinearRegression(x, ly, nil, false)
	return s
}

// residualTrace runs m on p for iters iterations with the tolerance
// disabled and returns the natural residual after every iteration.
func residualTrace(t *testing.T, p *Problem, m Method, iters int) []float64 {
	t.Helper()
	require.NoError(t, m.Init(p))
	out := make([]float64, iters)
	for k := range out {
		require.NoError(t, m.Iterate())
		out[k] = NaturalResidual(p.F, p.C, m.Current())
	}
	return out
}

// A paramCase is a configuration a method must refuse: Init on p fails
// with an ErrParameter naming field or, when field is "", with an error
// whose text contains msg.
type paramCase struct {
	name  string
	m     Method
	p     *Problem
	field string // ErrParameter field, or "" for a message check
	msg   string
}

// checkRejected runs the cases of the method whose ErrParameter.Method is
// method.
func checkRejected(t *testing.T, method string, cases []paramCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.m.Init(c.p)
			require.Error(t, err)
			if c.field != "" {
				var pe ErrParameter
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, method, pe.Method)
				assert.Equal(t, c.field, pe.Field)
				return
			}
			assert.Contains(t, err.Error(), c.msg)
		})
	}
}
