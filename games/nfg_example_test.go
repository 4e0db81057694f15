package games_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
)

// Read a prisoner's dilemma in Gambit's payoff form and measure the Nash
// gap of two profiles.
func ExampleReadNFG() {
	const pd = `NFG 1 R "Prisoner's dilemma" { "Row" "Column" }
{ { "Cooperate" "Defect" } { "Cooperate" "Defect" } }
""
9 9  10 0  0 10  1 1
`
	g, err := games.ReadNFG(strings.NewReader(pd))
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Title, g.NumPlayers(), "players")
	fmt.Println("both cooperate:", g.NashGap([]float64{1, 0, 1, 0}))
	fmt.Println("both defect:", g.NashGap([]float64{0, 1, 0, 1}))
	// Output:
	// Prisoner's dilemma 2 players
	// both cooperate: 2
	// both defect: 0
}

// Solve a zero-sum game read from .nfg text with extragradient and compare
// with the value of its matrix game.
func ExampleNormalFormGame_MatrixGame() {
	const mp = `NFG 1 R "Matching pennies" { "1" "2" } { 2 2 }
1 -1  -1 1  -1 1  1 -1
`
	g, err := games.ReadNFG(strings.NewReader(mp))
	if err != nil {
		panic(err)
	}
	mg, err := g.MatrixGame()
	if err != nil {
		panic(err)
	}
	value, _, _, err := mg.Solve()
	if err != nil {
		panic(err)
	}
	res, err := vi.Solve(context.Background(), g.Problem(), &vi.Extragradient{}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status, "value", value)
	fmt.Printf("x = %.4f, y = %.4f, Nash gap below 1e-6: %v\n", g.Block(res.Z, 0), g.Block(res.Z, 1), g.NashGap(res.Z) < 1e-6)
	// Output:
	// converged value 0
	// x = [0.5000 0.5000], y = [0.5000 0.5000], Nash gap below 1e-6: true
}
