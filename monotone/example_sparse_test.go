package monotone_test

import (
	"context"
	"fmt"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
)

// The game of ExampleNewBilinear with A given by its nonzero entries:
// the same operator, evaluated in one pass over the nonzeros. The entry
// (1, 1) = 3 is given as 1 + 2, and duplicates are summed.
func ExampleNewSparseBilinear() {
	a, err := monotone.NewCSR(2, 2,
		[]int{0, 0, 1, 1, 1},
		[]int{0, 1, 0, 1, 1},
		[]float64{2, 1, 1, 1, 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	F, err := monotone.NewSparseBilinear(a, []float64{1, 0}, []float64{0, -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("nonzeros:", a.NNZ())
	fz := make([]float64, 4)
	F.Apply(fz, []float64{1, 1, 1, 1}) // (Ay + b, −(Aᵀx + c))
	fmt.Printf("F(1,1,1,1) = %.4g\n", fz)
	fmt.Printf("L = %.4g\n", F.Lipschitz())

	res, err := vi.Solve(context.Background(), &vi.Problem{F: F}, &vi.Extragradient{}, &vi.Settings{Tol: 1e-10})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status)
	fmt.Printf("x* = %.4f, y* = %.4f\n", res.Z[:2], res.Z[2:])
	// Output:
	// nonzeros: 4
	// F(1,1,1,1) = [4 4 -3 -3]
	// L = 3.618
	// converged
	// x* = [-0.2000 0.4000], y* = [-0.6000 0.2000]
}
