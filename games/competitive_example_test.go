package games_test

import (
	"context"
	"fmt"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
)

// Competitive gradient descent on the bilinear game f(x, y) = xy, where
// simultaneous gradient descent-ascent spirals out whatever its step. CGD
// converges for every step; with η = 2 it contracts by 1/√5 per step, at
// one evaluation and 4 Hessian-vector products per iteration.
func ExampleCGD() {
	xy := games.MixedFunc{M: 1, N: 1, L: 1, ZeroSumGame: true,
		F:  func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }, // F = (∇ₓf, −∇ᵧf)
		XY: func(dst, _, v []float64) { dst[0] = v[0] },             // ∂Fₓ/∂y = D²ₓᵧf = 1
		YX: func(dst, _, u []float64) { dst[0] = -u[0] },            // ∂Fᵧ/∂x = −D²ᵧₓf = −1
	}
	p := &vi.Problem{F: xy, Z0: []float64{1, 1}}

	m := &games.CGD{Step: 2}
	r, err := vi.Solve(context.Background(), p, m, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("CGD: %v after %d iterations, residual %.2g\n", r.Status, r.Iterations, r.Residual)
	fmt.Printf("evaluations %d, Hessian-vector products %d\n", r.Evaluations, m.Work().HessianProducts)

	r, err = vi.Solve(context.Background(), p, &vi.GDA{Step: 2}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("GDA: %v after %d iterations\n", r.Status, r.Iterations)
	// Output:
	// CGD: converged after 24 iterations, residual 5.8e-09
	// evaluations 25, Hessian-vector products 96
	// GDA: diverged after 29 iterations
}
