package vi_test

import (
	"context"
	"fmt"
	"math"

	"github.com/saddlepoint/saddle/vi"
)

// stochShiftedGame is the term Fᵢ(x, y) = (x + y − a, y − x − b) of
// min_x max_y ½x² + xy − ½y² − ax + by.
type stochShiftedGame struct{ a, b float64 }

func (stochShiftedGame) Dim() int { return 2 }

func (g stochShiftedGame) Apply(dst, z []float64) {
	dst[0] = z[0] + z[1] - g.a
	dst[1] = z[1] - z[0] - g.b
}

func (stochShiftedGame) Lipschitz() float64 { return math.Sqrt2 }

// The mean of four games with ā = 2, b̄ = 0, whose saddle point is
// (x*, y*) = ((ā − b̄)/2, (ā + b̄)/2) = (1, 1); every term has another.
func stochasticExampleProblem() *vi.Problem {
	f, err := vi.NewFiniteSum(stochShiftedGame{1, 0}, stochShiftedGame{3, 2}, stochShiftedGame{2, -2}, stochShiftedGame{2, 0})
	if err != nil {
		panic(err)
	}
	return &vi.Problem{F: f, Z0: []float64{-3, 4}}
}

func ExampleStochasticExtragradient() {
	p := stochasticExampleProblem()
	// Same-sample SEG, γ1 = 1/(6 L_max), γ2 = γ1/4, constant for 5000
	// iterations and then decaying like 1/k.
	gamma := 1 / (6 * math.Sqrt2)
	m := &vi.StochasticExtragradient{Schedule: vi.DecayAfter(gamma, 5000, 0.01)}
	r, err := vi.Solve(context.Background(), p, m, &vi.Settings{MaxIterations: 50000, Tol: -1})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Status, r.Evaluations, "sample evaluations")
	fmt.Println("within 0.1 of (1, 1):", vi.Distance(r.Z, []float64{1, 1}) < 0.1)
	// Output:
	// iteration-limit 100000 sample evaluations
	// within 0.1 of (1, 1): true
}

func ExampleStochasticPastExtragradient() {
	p := stochasticExampleProblem()
	// One sample per iteration; the switching rule with μ = 1 (the
	// symmetric part of every term is the identity).
	m := &vi.StochasticPastExtragradient{Mu: 1, Decreasing: true}
	r, err := vi.Solve(context.Background(), p, m, &vi.Settings{MaxIterations: 50000, Tol: -1})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Status, r.Evaluations, "sample evaluations")
	fmt.Println("within 0.1 of (1, 1):", vi.Distance(r.Z, []float64{1, 1}) < 0.1)
	// Output:
	// iteration-limit 50001 sample evaluations
	// within 0.1 of (1, 1): true
}
