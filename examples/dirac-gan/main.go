// Command dirac-gan draws the training dynamics of the Dirac-GAN of
// Mescheder, Geiger and Nowozin (ICML 2018): a generator that is a Dirac
// at θ against a linear discriminator D(x) = ψx, with the data a Dirac at
// 0, so that the only equilibrium is (θ, ψ) = (0, 0).
//
// Simultaneous gradient descent-ascent with the authors' step h = 0.2
// spirals away from the equilibrium; a zero-centred gradient penalty
// (γ = 0.3) turns the spiral inwards; extragradient (h = 0.5) and
// optimistic gradient (h = 0.3) converge without any penalty, as their
// behaviour on the linearization at the equilibrium, a rotation, predicts.
//
//	go run ./examples/dirac-gan -out /tmp
//
// writes dirac-gan.png (the trajectories in the (θ, ψ) plane) to -out.
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
		fmt.Fprintln(os.Stderr, "dirac-gan:", err)
		os.Exit(1)
	}
}

// iterations is the length of every run.
const iterations = 600

// run trains the Dirac-GAN with each method, writes the figure to dir,
// prints the final distance to the equilibrium of each run to w and
// returns these distances by run name.
func run(dir string, w io.Writer) (map[string]float64, error) {
	plain, err := games.DiracGAN(0)
	if err != nil {
		return nil, err
	}
	penalized, err := games.DiracGAN(0.3)
	if err != nil {
		return nil, err
	}
	runs := []struct {
		name string
		toy  *games.Toy
		m    vi.Method
	}{
		{"gda", plain, &vi.GDA{Step: 0.2}},
		{"gda, penalty 0.3", penalized, &vi.GDA{Step: 0.2}},
		{"eg", plain, &vi.Extragradient{Step: 0.5}},
		{"og", plain, &vi.OptimisticGradient{Step: 0.3}},
	}
	dist := map[string]float64{}
	var paths []plotting.Series
	for _, r := range runs {
		path := plotting.Series{Name: r.name}
		rec := vi.RecorderFunc(func(_ vi.Event, s *vi.Snapshot) error {
			path.X, path.Y = append(path.X, s.Z[0]), append(path.Y, s.Z[1])
			return nil
		})
		s := &vi.Settings{Tol: -1, MaxIterations: iterations, Recorder: rec}
		res, err := vi.Solve(context.Background(), r.toy.Problem, r.m, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.name, err)
		}
		dist[r.name] = vi.Distance(res.Z, r.toy.Solution)
		fmt.Fprintf(w, "%-17s after %d steps (θ, ψ) = (%+.4f, %+.4f), distance to (0, 0) %.2e\n", r.name, iterations, res.Z[0], res.Z[1], dist[r.name])
		paths = append(paths, path)
	}
	fig := filepath.Join(dir, "dirac-gan.png")
	err = plotting.Paths(fig, paths, []float64{0, 0}, plotting.Options{
		Title: "Dirac-GAN: generator θ against discriminator ψ", XLabel: "θ", YLabel: "ψ"})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "wrote %s\n", fig)
	return dist, nil
}
