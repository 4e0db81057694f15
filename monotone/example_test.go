package monotone_test

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
)

// A bilinear game min_x max_y xᵀAy + bᵀx + cᵀy, solved with extragradient.
// The step 1/(2L) comes from the operator's own Lipschitz constant σ_max(A).
func ExampleNewBilinear() {
	a := mat.NewDense(2, 2, []float64{2, 1, 1, 3})
	F, err := monotone.NewBilinear(a, []float64{1, 0}, []float64{0, -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fz := make([]float64, 4)
	F.Apply(fz, []float64{1, 1, 1, 1}) // (Ay + b, −(Aᵀx + c))
	fmt.Printf("F(1,1,1,1) = %.4g\n", fz)
	fmt.Printf("L = %.4g\n", F.Lipschitz())

	res, err := vi.Solve(context.Background(), &vi.Problem{F: F}, &vi.Extragradient{}, &vi.Settings{Tol: 1e-10})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Solution: Ay* = −b and Aᵀx* = −c.
	fmt.Println(res.Status)
	fmt.Printf("x* = %.4f, y* = %.4f\n", res.Z[:2], res.Z[2:])
	// Output:
	// F(1,1,1,1) = [4 4 -3 -3]
	// L = 3.618
	// converged
	// x* = [-0.2000 0.4000], y* = [-0.6000 0.2000]
}

// The linear operator of ALGORITHMS.md Part II B5.3 is ρ-negatively
// comonotone with ρ = 1/9 exactly, and not monotone.
func ExampleComonotonicity() {
	b, a := -1.0, 2*math.Sqrt2
	F, err := monotone.NewAffine(mat.NewDense(2, 2, []float64{b, a, -a, b}), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := monotone.Comonotonicity(F, nil)
	mu, _ := monotone.Monotonicity(F, nil)
	L, _ := monotone.Lipschitz(F, nil)
	fmt.Printf("r = %.4g, so Rho = %.4g\n", r, math.Max(0, -r))
	fmt.Printf("monotonicity modulus %.4g, L = %.4g\n", mu, L)
	// Output:
	// r = -0.1111, so Rho = 0.1111
	// monotonicity modulus -1, L = 3
}

// Checking a hand-written Jacobian against finite differences.
func ExampleCheckJacobian() {
	// F(x, y) = (x²y, −x), Jacobian [[2xy, x²], [−1, 0]].
	F := monotone.Func{N: 2, F: func(dst, z []float64) {
		dst[0], dst[1] = z[0]*z[0]*z[1], -z[0]
	}}
	good := func(dst *mat.Dense, z []float64) {
		dst.Set(0, 0, 2*z[0]*z[1])
		dst.Set(0, 1, z[0]*z[0])
		dst.Set(1, 0, -1)
	}
	bad := func(dst *mat.Dense, z []float64) {
		dst.Set(0, 0, z[0]*z[1]) // forgot the factor 2
		dst.Set(0, 1, z[0]*z[0])
		dst.Set(1, 0, -1)
	}
	z := []float64{1.5, -2}
	fmt.Println(monotone.CheckJacobian(F, good, z, 0))
	fmt.Println(monotone.CheckJacobian(F, bad, z, 0) != nil)
	// Output:
	// <nil>
	// true
}

// A strongly monotone sum: a quadratic regularizer plus a bilinear coupling.
func ExampleNewSum() {
	reg, _ := monotone.NewAffine(mat.NewDense(2, 2, []float64{1, 0, 0, 1}), nil)
	coupling, _ := monotone.NewBilinear(mat.NewDense(1, 1, []float64{3}), nil, nil)
	F, err := monotone.NewSum(reg, coupling)
	if err != nil {
		fmt.Println(err)
		return
	}
	mu, _ := monotone.Monotonicity(F, nil) // sampled: F has no affine parts
	fmt.Printf("L ≤ %.4g, sampled monotonicity modulus %.4g\n", F.Lipschitz(), mu)
	// Output:
	// L ≤ 4, sampled monotonicity modulus 1
}
