package games_test

import (
	"context"
	"fmt"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
)

// Solve the Cournot oligopoly of ALGORITHMS.md B6.1 with extragradient and
// compare with its closed-form equilibrium.
func ExampleNewCournot() {
	g, err := games.NewCournot(100, 1, []float64{10, 20, 30})
	if err != nil {
		panic(err)
	}
	res, err := vi.Solve(context.Background(), g.Problem(), &vi.Extragradient{}, nil)
	if err != nil {
		panic(err)
	}
	q := res.Z
	fmt.Println(res.Status)
	fmt.Printf("q = (%.4f, %.4f, %.4f), closed form %v\n", q[0], q[1], q[2], g.Equilibrium())
	fmt.Printf("price %.4f, Nash gap < 1e-12: %v\n", g.Price(q), g.NashGap(q) < 1e-12)
	// Output:
	// converged
	// q = (30.0000, 20.0000, 10.0000), closed form [30 20 10]
	// price 40.0000, Nash gap < 1e-12: true
}

// Let the four bidders of the Kelly auction of ALGORITHMS.md B6.2 learn
// by per-player optimistic gradient, each seeing only its own gradient,
// and report their average regret and the Nash gap of the last bids.
func ExampleLearningDynamics() {
	g, err := games.StandardKelly(4)
	if err != nil {
		panic(err)
	}
	eta := 0.25 / g.Lipschitz()
	d := &games.LearningDynamics{Game: g, Horizon: 100000}
	for range g.Players() {
		d.Learners = append(d.Learners, &games.OnlineOptimisticGradient{Step: eta})
	}
	if err := d.Init(); err != nil {
		panic(err)
	}
	if err := d.Run(100000); err != nil {
		panic(err)
	}
	x, eq := d.Last(), g.Equilibrium()
	fmt.Printf("bids  (%.2f, %.2f, %.2f, %.2f)\n", x[0], x[1], x[2], x[3])
	fmt.Printf("x*    (%.2f, %.2f, %.2f, %.2f)\n", eq[0], eq[1], eq[2], eq[3])
	fmt.Printf("max regret / T = %.3f, Nash gap < 1e-6: %v\n", d.MaxRegret()/float64(d.Rounds()), d.NashGap() < 1e-6)
	// Output:
	// bids  (185.76, 326.15, 441.01, 536.74)
	// x*    (185.76, 326.15, 441.01, 536.74)
	// max regret / T = 2.441, Nash gap < 1e-6: true
}
