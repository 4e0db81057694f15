package vi_test

import (
	"context"
	"fmt"
	"os"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// Solve an affine monotone VI on a box: F(z) = Mz + q with M's symmetric
// part positive definite, z ∈ [0, 1]². The solution has its first
// coordinate at the lower bound.
func ExampleSolve() {
	op, err := monotone.NewAffine(mat.NewDense(2, 2, []float64{2, 1, -1, 2}), []float64{1, -1})
	if err != nil {
		panic(err)
	}
	p := &vi.Problem{F: op, C: vi.Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}}
	res, err := vi.Solve(context.Background(), p, &vi.Extragradient{}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Status)
	fmt.Printf("z = (%.4g, %.4g), residual ≤ 1e-8: %v\n", res.Z[0], res.Z[1], res.Residual <= 1e-8)
	// Output:
	// converged
	// z = (0, 0.5), residual ≤ 1e-8: true
}

// Rock-paper-scissors: gradient descent-ascent's last iterate keeps
// circling the equilibrium, extragradient's converges. The average of GDA's
// iterates does approach it: last iterate and average tell different
// stories, which is why Solve reports both.
func ExampleGDA() {
	g := games.RPS()
	s := &vi.Settings{MaxIterations: 5000}
	gda, _ := vi.Solve(context.Background(), g.Problem(), &vi.GDA{Step: 0.05}, s)
	eg, _ := vi.Solve(context.Background(), g.Problem(), &vi.Extragradient{Step: 0.05}, s)
	fmt.Printf("gda: %s, duality gap %.2f at the last iterate, %.3f at the average\n", gda.Status, g.GapOf(gda.Z), g.GapOf(gda.Average))
	fmt.Printf("eg:  %s, duality gap < 1e-8: %v\n", eg.Status, g.GapOf(eg.Z) < 1e-8)
	// Output:
	// gda: iteration-limit, duality gap 0.97 at the last iterate, 0.001 at the average
	// eg:  converged, duality gap < 1e-8: true
}

// Optimistic gradient makes one evaluation per iteration and converges
// linearly on a bilinear game with a full-rank coupling.
func ExampleOptimisticGradient() {
	toy, _ := games.Bilinear(10, 1)
	res, _ := vi.Solve(context.Background(), toy.Problem, &vi.OptimisticGradient{}, nil)
	fmt.Println(res.Status, res.Evaluations == res.Iterations+1)
	fmt.Printf("distance to the solution < 1e-7: %v\n", vi.Distance(res.Z, toy.Solution) < 1e-7)
	// Output:
	// converged true
	// distance to the solution < 1e-7: true
}

// The accelerated optimistic gradient method plays the half-iterate
// x_{t+1/2}; its tangent residual is O(1/T) on every monotone problem.
func ExampleAcceleratedOptimisticGradient() {
	g := games.MatchingPennies()
	p := g.Problem()
	m := &vi.AcceleratedOptimisticGradient{}
	if err := m.Init(p); err != nil {
		panic(err)
	}
	for t := 1; t <= 1000; t++ {
		if err := m.Iterate(); err != nil {
			panic(err)
		}
		if t == 10 || t == 100 || t == 1000 {
			r, _ := vi.TangentResidual(p.F, p.C, m.Current())
			fmt.Printf("T = %4d: tangent residual %.1e\n", t, r)
		}
	}
	// Output:
	// T =   10: tangent residual 2.5e-01
	// T =  100: tangent residual 2.0e-02
	// T = 1000: tangent residual 2.0e-03
}

// The proximal point method on a linear operator solves with a cached LU
// factorization of I + γM and needs no operator evaluation per iteration.
// On the ρ-negatively comonotone example it converges for γ > 2ρ.
func ExampleProximalPoint() {
	toy, _ := games.Comonotone(1.0/9, 3) // ρ = 1/9, L = 3
	res, _ := vi.Solve(context.Background(), toy.Problem, &vi.ProximalPoint{Step: 1.0 / 3}, nil)
	fmt.Println(res.Status, res.Evaluations)
	fmt.Printf("‖z‖ < 1e-8: %v\n", vi.Distance(res.Z, toy.Solution) < 1e-8)
	// Output:
	// converged 1
	// ‖z‖ < 1e-8: true
}

// A Trace records measures at every iteration and writes them as CSV.
func ExampleTrace() {
	toy, _ := games.QuadraticBilinear(1, 3, 1)
	tr := &vi.Trace{Measures: []vi.Measure{vi.ResidualMeasure(), vi.DistanceMeasure("distance", toy.Solution)}}
	_, _ = vi.Solve(context.Background(), toy.Problem, &vi.Extragradient{}, &vi.Settings{MaxIterations: 3, Recorder: tr})
	tr.Seconds = make([]float64, len(tr.Seconds)) // wall-clock times vary; zero them for the example
	_ = tr.WriteCSV(os.Stdout)
	// Output:
	// iteration,evaluations,residual,distance,seconds
	// 0,1,4.472135955,1.414213562,0
	// 1,3,3.216256496,1.017069607,0
	// 2,5,2.313057106,0.7314528813,0
	// 3,7,1.663497044,0.5260439541,0
}
