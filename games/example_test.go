package games_test

import (
	"context"
	"fmt"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// Solve a zero-sum matrix game with optimistic gradient and compare with
// the exact value from the LP.
func ExampleMatrixGame() {
	g, err := games.NewMatrixGame(mat.NewDense(2, 2, []float64{3, -1, -2, 1}))
	if err != nil {
		panic(err)
	}
	value, _, _, err := g.Solve()
	if err != nil {
		panic(err)
	}
	res, err := vi.Solve(context.Background(), g.Problem(), &vi.OptimisticGradient{}, nil)
	if err != nil {
		panic(err)
	}
	x, y := g.Split(res.Z)
	fmt.Println(res.Status)
	fmt.Printf("x = (%.4f, %.4f), y = (%.4f, %.4f)\n", x[0], x[1], y[0], y[1])
	fmt.Printf("payoff %.6f, exact value %.6f, duality gap < 1e-7: %v\n", g.ExpectedPayoff(x, y), value, g.DualityGap(x, y) < 1e-7)
	// Output:
	// converged
	// x = (0.4286, 0.5714), y = (0.2857, 0.7143)
	// payoff 0.142857, exact value 0.142857, duality gap < 1e-7: true
}
