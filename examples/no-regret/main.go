// Command no-regret lets both players of rock-paper-scissors learn by
// themselves: each round every player sees only the gradient of its own
// expected loss and updates its mixed strategy with an online learning
// algorithm — projected online gradient descent, optimistic gradient,
// accelerated optimistic gradient (AOG, Cai & Zheng 2023), Hedge
// (exponential weights) or optimistic Hedge — all with the same constant
// step 1/(4L).
//
// All five keep each player's external regret small against the 5000
// rounds (with a constant step it grows at most like ln(n)/η + O(ηT)), so
// the time-averaged play approaches the equilibrium (uniform play). Only
// the optimistic learners' actual play — the last iterate — converges:
// optimistic gradient's and optimistic Hedge's linearly (the equilibrium
// is unique and interior), AOG's at its O(1/T) rate. Plain gradient
// descent keeps cycling around the equilibrium and Hedge's play drifts
// toward the boundary, with Nash gaps that do not shrink.
//
//	go run ./examples/no-regret -out /tmp
//
// writes no-regret.png (Nash gap of each learner's play, and of gradient
// descent's average play, against rounds) to -out.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/internal/plotting"
)

func main() {
	out := flag.String("out", ".", "directory for the figure")
	flag.Parse()
	if _, err := run(*out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "no-regret:", err)
		os.Exit(1)
	}
}

// rounds is the length of every run.
const rounds = 5000

// A result is where one pair of learners ended.
type result struct {
	lastGap, averageGap, maxRegret float64
}

// run plays the game with each learner, writes the figure to dir, prints
// one line per learner to w and returns what each reached.
func run(dir string, w io.Writer) (map[string]result, error) {
	play, err := games.NewMatrixPlay(games.RPS())
	if err != nil {
		return nil, err
	}
	l := games.RPS().Operator().Lipschitz()
	eta := 1 / (4 * l)
	learners := []struct {
		name string
		make func() games.OnlineLearner
	}{
		{"gradient descent", func() games.OnlineLearner { return &games.OnlineGradientDescent{Step: eta} }},
		{"optimistic gradient", func() games.OnlineLearner { return &games.OnlineOptimisticGradient{Step: eta} }},
		{"AOG", func() games.OnlineLearner { return &games.OnlineAcceleratedOptimistic{Step: eta} }},
		{"Hedge", func() games.OnlineLearner { return &games.OnlineHedge{Step: eta} }},
		{"optimistic Hedge", func() games.OnlineLearner { return &games.OnlineHedge{Step: eta, Optimistic: true} }},
	}
	results := map[string]result{}
	var curves []plotting.Series
	for _, c := range learners {
		d := &games.LearningDynamics{Game: play, Learners: []games.OnlineLearner{c.make(), c.make()},
			X0: games.RPS().Start(), Horizon: rounds}
		if err := d.Init(); err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		last := plotting.Series{Name: c.name + ", last"}
		avg := plotting.Series{Name: c.name + ", average"}
		for t := 1; t <= rounds; t++ {
			if err := d.Step(); err != nil {
				return nil, fmt.Errorf("%s: round %d: %w", c.name, t, err)
			}
			if t%10 == 0 {
				last.X, last.Y = append(last.X, float64(t)), append(last.Y, d.NashGap())
				avg.X, avg.Y = append(avg.X, float64(t)), append(avg.Y, d.AverageNashGap())
			}
		}
		r := result{d.NashGap(), d.AverageNashGap(), d.MaxRegret()}
		results[c.name] = r
		fmt.Fprintf(w, "%-20s after %d rounds: Nash gap %.2e (last play), %.2e (average play); largest regret %.3f\n",
			c.name, rounds, r.lastGap, r.averageGap, r.maxRegret)
		curves = append(curves, last)
		if c.name == "gradient descent" {
			curves = append(curves, avg) // the average play converges where the play does not
		}
	}
	fig := filepath.Join(dir, "no-regret.png")
	err = plotting.Lines(fig, curves, plotting.Options{LogX: true, Width: 7, Height: 5,
		Title: "Rock-paper-scissors, each player learning alone", XLabel: "round", YLabel: "Nash gap"})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "wrote %s\n", fig)
	return results, nil
}
