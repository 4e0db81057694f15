// Command last-iterate-rates measures how fast the last iterate of each
// method approaches the solution of a monotone problem on which plain
// extragradient and optimistic gradient are slow: the bilinear game
// min_x max_y xᵀAy on R²⁰⁰ × R²⁰⁰ with A = diag(j/200), j = 1, …, 200
// (L = 1, singular values down to 1/200), started at z₀ = 1.
//
// It fits the log–log slope of the residual ‖F(z_k)‖ over
// k ∈ [100, 10⁴]: about −1 for the anchored and accelerated methods (aog,
// eag, feg, halpern: O(1/k)), and −3/4 for eg and og. For those two each
// singular value σ of A is a mode that contracts by about 1 − cσ² per
// step, so with the σ spread evenly over (0, 1] the squared residual is
// about ∫σ²e^{−2cσ²k}dσ ∝ k^{−3/2} until k reaches the condition number
// squared: sublinear, and slower than the accelerated methods' 1/k.
//
//	go run ./examples/last-iterate-rates -out /tmp
//
// writes last-iterate-rates.png (log–log residual curves) to -out.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/saddlepoint/saddle/internal/plotting"
	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

func main() {
	out := flag.String("out", ".", "directory for the figure")
	flag.Parse()
	if _, err := run(*out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "last-iterate-rates:", err)
		os.Exit(1)
	}
}

const (
	n          = 200    // the dimension of x and of y
	iterations = 10_000 // the length of every run
	fitFrom    = 100    // the fit uses k ∈ [fitFrom, iterations]
)

// problem returns the diagonal bilinear game and its start.
func problem() (*vi.Problem, error) {
	a := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		a.Set(j, j, float64(j+1)/n)
	}
	f, err := monotone.NewBilinear(a, nil, nil)
	if err != nil {
		return nil, err
	}
	z0 := make([]float64, 2*n)
	for i := range z0 {
		z0[i] = 1
	}
	return &vi.Problem{F: f, Z0: z0}, nil
}

// run runs every method, writes the figure to dir, prints each fitted
// slope to w and returns the slopes by method name.
func run(dir string, w io.Writer) (map[string]float64, error) {
	p, err := problem()
	if err != nil {
		return nil, err
	}
	methods := []struct {
		name string
		m    vi.Method
	}{
		{"eg", &vi.Extragradient{}},
		{"og", &vi.OptimisticGradient{}},
		{"aog", &vi.AcceleratedOptimisticGradient{}},
		{"eag", &vi.AnchoredExtragradient{}},
		{"feg", &vi.FastExtragradient{}},
		{"halpern", &vi.Halpern{}},
	}
	slopes := map[string]float64{}
	var curves []plotting.Series
	for _, c := range methods {
		curve := plotting.Series{Name: c.name}
		rec := vi.RecorderFunc(func(e vi.Event, s *vi.Snapshot) error {
			if k := s.Stats.Iterations; k > 0 {
				curve.X = append(curve.X, float64(k))
				curve.Y = append(curve.Y, s.Residual)
			}
			return nil
		})
		s := &vi.Settings{Tol: -1, MaxIterations: iterations, Recorder: rec}
		if _, err := vi.Solve(context.Background(), p, c.m, s); err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		slopes[c.name] = logLogSlope(curve.X, curve.Y)
		fmt.Fprintf(w, "%-8s residual %.2e at k = %d, fitted slope %.3f\n", c.name, curve.Y[len(curve.Y)-1], iterations, slopes[c.name])
		curves = append(curves, curve)
	}
	fig := filepath.Join(dir, "last-iterate-rates.png")
	err = plotting.Lines(fig, curves, plotting.Options{LogX: true, LegendTop: true,
		Title: "Bilinear game, A = diag(j/200): last-iterate residual", XLabel: "iteration k", YLabel: "‖F(z_k)‖"})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "wrote %s\n", fig)
	return slopes, nil
}

// logLogSlope fits log y = a + s·log x over the points with x ≥ fitFrom
// and returns s.
func logLogSlope(x, y []float64) float64 {
	var lx, ly []float64
	for i := range x {
		if x[i] >= fitFrom && y[i] > 0 {
			lx, ly = append(lx, math.Log(x[i])), append(ly, math.Log(y[i]))
		}
	}
	_, s := stat.LinearRegression(lx, ly, nil, false)
	return s
}
