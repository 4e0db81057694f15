// Command restarts shows what adaptive restarts (Applegate, Hinder, Lu and
// Lubin, Math. Program. 2023) do on a matrix game. A random 100×100
// zero-sum game with payoffs uniform on [−1, 1] is a linear program, so it
// is sharp, and restarting extragradient or optimistic gradient from the
// better of its average and its last iterate whenever the normalized
// duality gap has dropped enough turns their sublinear convergence into a
// linear one: a straight line on the semilog plot of the duality gap
// against operator evaluations.
//
//	go run ./examples/restarts -out /tmp
//
// writes restarts.png to -out.
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
	out := flag.String("out", ".", "directory for the figure")
	flag.Parse()
	if _, err := run(*out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "restarts:", err)
		os.Exit(1)
	}
}

const (
	target = 1e-8   // the duality gap that stops a run
	budget = 30_000 // operator evaluations at most per run
)

// A result is what one run reached.
type result struct {
	evaluations int
	gap         float64
}

// run solves the game with each method, writes the figure to dir, prints
// one line per method to w and returns what each reached.
func run(dir string, w io.Writer) (map[string]result, error) {
	g, err := games.RandomGame(100, 100, 1)
	if err != nil {
		return nil, err
	}
	methods := []struct {
		name string
		m    vi.Method
	}{
		{"eg", &vi.Extragradient{}},
		{"og", &vi.OptimisticGradient{}},
		{"restart-eg", &vi.Restarted{Method: &vi.Extragradient{}}},
		{"restart-og", &vi.Restarted{Method: &vi.OptimisticGradient{}}},
	}
	results := map[string]result{}
	var curves []plotting.Series
	for _, c := range methods {
		curve := plotting.Series{Name: c.name}
		rec := vi.RecorderFunc(func(_ vi.Event, s *vi.Snapshot) error {
			curve.X = append(curve.X, float64(s.Stats.Evaluations))
			curve.Y = append(curve.Y, g.GapOf(s.Z))
			return nil
		})
		s := &vi.Settings{Tol: -1, MaxIterations: -1, MaxEvaluations: budget, Recorder: rec, RecordEvery: 10,
			Stop: func(s *vi.Snapshot) bool { return g.GapOf(s.Z) <= target }}
		res, err := vi.Solve(context.Background(), g.Problem(), c.m, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		r := result{res.Evaluations, g.GapOf(res.Z)}
		results[c.name] = r
		fmt.Fprintf(w, "%-11s %-16s after %6d evaluations, duality gap %.2e\n", c.name, res.Status, r.evaluations, r.gap)
		curves = append(curves, curve)
	}
	fig := filepath.Join(dir, "restarts.png")
	err = plotting.Lines(fig, curves, plotting.Options{
		Title: "Random 100×100 matrix game", XLabel: "operator evaluations", YLabel: "duality gap"})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "wrote %s\n", fig)
	return results, nil
}
