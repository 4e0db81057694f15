// Command matching-pennies draws the phase portrait of four learning
// dynamics on matching pennies, the smallest game whose equilibrium is
// mixed: both players mix (1/2, 1/2), and the row player's probability of
// heads x₁ against the column player's y₁ shows each method's last iterate.
//
// Simultaneous gradient descent-ascent spirals out to the edge of the
// strategy square and stays there; alternating descent-ascent circles the
// equilibrium without reaching it; extragradient and optimistic gradient
// converge to it. The duality gap of the last iterate tells the same story
// in numbers.
//
//	go run ./examples/matching-pennies -out /tmp
//
// writes matching-pennies.png (the portrait) and matching-pennies-gap.png
// (duality gap against iterations) to the -out directory.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/internal/plotting"
	"github.com/saddlepoint/saddle/vi"
)

func main() {
	out := flag.String("out", ".", "directory for the figures")
	flag.Parse()
	if _, err := run(*out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "matching-pennies:", err)
		os.Exit(1)
	}
}

// iterations is the length of every run.
const iterations = 2000

// run solves matching pennies with each method, writes the two figures to
// dir, prints one line per method to w and returns the last-iterate
// duality gap of each method by name.
func run(dir string, w io.Writer) (map[string]float64, error) {
	g := games.MatchingPennies()
	step := 0.3 / g.Operator().Lipschitz()
	methods := []struct {
		name string
		m    vi.Method
	}{
		{"gda", &vi.GDA{Step: step}},
		{"alt-gda", &vi.AltGDA{Step: step}},
		{"eg", &vi.Extragradient{Step: step}},
		{"og", &vi.OptimisticGradient{Step: step}},
	}
	gaps := map[string]float64{}
	var paths, curves []plotting.Series
	for _, c := range methods {
		path := plotting.Series{Name: c.name}
		curve := plotting.Series{Name: c.name}
		rec := vi.RecorderFunc(func(_ vi.Event, s *vi.Snapshot) error {
			path.X = append(path.X, s.Z[0]) // x₁: the row player's heads
			path.Y = append(path.Y, s.Z[2]) // y₁: the column player's heads
			curve.X = append(curve.X, float64(s.Stats.Iterations))
			curve.Y = append(curve.Y, g.GapOf(s.Z))
			return nil
		})
		s := &vi.Settings{Tol: -1, MaxIterations: iterations, Recorder: rec}
		res, err := vi.Solve(context.Background(), g.Problem(), c.m, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		gaps[c.name] = g.GapOf(res.Z)
		fmt.Fprintf(w, "%-8s last iterate (x₁, y₁) = (%.4f, %.4f), duality gap %.2e\n", c.name, res.Z[0], res.Z[2], gaps[c.name])
		paths, curves = append(paths, path), append(curves, curve)
	}
	portrait := filepath.Join(dir, "matching-pennies.png")
	err := plotting.Paths(portrait, paths, []float64{0.5, 0.5}, plotting.Options{
		Title: "Matching pennies: last iterates", XLabel: "row player's P(heads)", YLabel: "column player's P(heads)"})
	if err != nil {
		return nil, err
	}
	gapPlot := filepath.Join(dir, "matching-pennies-gap.png")
	err = plotting.Lines(gapPlot, curves, plotting.Options{
		Title: "Matching pennies: duality gap of the last iterate", XLabel: "iteration", YLabel: "duality gap"})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "wrote %s and %s\n", portrait, gapPlot)
	return gaps, nil
}
