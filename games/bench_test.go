package games_test

import (
	"context"
	"testing"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
)

// BenchmarkRestartedLargeGame solves a random 1000×1000 matrix game to
// duality gap 1e-6 with restarted methods and reports the operator
// evaluations each took (SPEC: a few thousand), beside the time: restarted
// extragradient at its default step 1/(2L) and at 0.9/L, and restarted
// aGRAAL, which finds its own step.
func BenchmarkRestartedLargeGame(b *testing.B) {
	g, err := games.RandomGame(1000, 1000, 1)
	if err != nil {
		b.Fatal(err)
	}
	p := g.Problem()
	l := g.Operator().Lipschitz()
	stop := func(s *vi.Snapshot) bool { return g.GapOf(s.Z) <= 1e-6 }
	for _, c := range []struct {
		name string
		m    func() vi.Method
	}{
		{"restart-eg", func() vi.Method { return &vi.Restarted{Method: &vi.Extragradient{}} }},
		{"restart-eg-0.9/L", func() vi.Method { return &vi.Restarted{Method: &vi.Extragradient{Step: 0.9 / l}} }},
		{"restart-agraal", func() vi.Method { return &vi.Restarted{Method: &vi.AdaptiveGoldenRatio{}} }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var evals, gap float64
			for b.Loop() {
				res, err := vi.Solve(context.Background(), p, c.m(), &vi.Settings{Tol: -1, MaxIterations: -1, MaxEvaluations: 200000, Stop: stop})
				if err != nil {
					b.Fatal(err)
				}
				if res.Status != vi.Converged {
					b.Fatalf("status %s after %d evaluations, gap %g", res.Status, res.Evaluations, g.GapOf(res.Z))
				}
				evals, gap = float64(res.Evaluations), g.GapOf(res.Z)
			}
			b.ReportMetric(evals, "evaluations")
			b.ReportMetric(gap, "gap")
		})
	}
}
