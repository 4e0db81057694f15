package games_test

import (
	"context"
	"testing"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/vi"
)

// BenchmarkRestartedLargeGame solves a random 1000×1000 matrix game to
// duality gap 1e-6 with restarted extragradient and reports the operator
// evaluations it took (SPEC: a few thousand), beside the time.
func BenchmarkRestartedLargeGame(b *testing.B) {
	g, err := games.RandomGame(1000, 1000, 1)
	if err != nil {
		b.Fatal(err)
	}
	p := g.Problem()
	stop := func(s *vi.Snapshot) bool { return g.GapOf(s.Z) <= 1e-6 }
	b.ReportAllocs()
	var evals, gap float64
	for b.Loop() {
		m := &vi.Restarted{Method: &vi.Extragradient{}}
		res, err := vi.Solve(context.Background(), p, m, &vi.Settings{Tol: -1, MaxIterations: -1, MaxEvaluations: 200000, Stop: stop})
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
}
