package vi_test

import (
	"context"
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
)

// Mirror-prox with entropic steps on rock-paper-scissors: the duality gap
// of the average of the extrapolated points stays below Θ/(ηT), here
// Θ = 2 ln 6 from the start x ∝ (1, 2, 3), y ∝ (3, 2, 1) and the default
// step η = 1/‖A‖₂ = 1/√3. The last iterate converges too, much faster.
func ExampleMirrorProx() {
	g := games.RPS()
	p := g.Problem()
	m := &vi.MirrorProx{}
	if err := m.Init(p); err != nil {
		panic(err)
	}
	theta, eta := 2*math.Log(6), 1/math.Sqrt(3)
	for t := 1; t <= 1000; t++ {
		if err := m.Iterate(); err != nil {
			panic(err)
		}
		if t == 10 || t == 100 || t == 1000 {
			fmt.Printf("T = %4d: gap of the average %.1e ≤ Θ/(ηT) = %.1e\n",
				t, g.GapOf(m.Average()), theta/(eta*float64(t)))
		}
	}
	fmt.Printf("gap of the last iterate < 1e-12: %v\n", g.GapOf(m.Current()) < 1e-12)
	// Output:
	// T =   10: gap of the average 3.2e-01 ≤ Θ/(ηT) = 6.2e-01
	// T =  100: gap of the average 2.1e-02 ≤ Θ/(ηT) = 6.2e-02
	// T = 1000: gap of the average 2.1e-03 ≤ Θ/(ηT) = 6.2e-03
	// gap of the last iterate < 1e-12: true
}

// Optimistic multiplicative weights makes one evaluation and one mirror
// step per iteration, and its last iterate converges on a game with a
// unique equilibrium.
func ExampleOptimisticMultiplicativeWeights() {
	g := games.MatchingPennies()
	res, err := vi.Solve(context.Background(), g.Problem(), &vi.OptimisticMultiplicativeWeights{}, &vi.Settings{MaxIterations: 50000})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, res.Evaluations == res.Iterations+1, res.Projections == res.Iterations+1)
	fmt.Printf("x = (%.4f, %.4f), duality gap < 1e-8: %v\n", res.Z[0], res.Z[1], g.GapOf(res.Z) < 1e-8)
	// Output:
	// converged true true
	// x = (0.5000, 0.5000), duality gap < 1e-8: true
}
