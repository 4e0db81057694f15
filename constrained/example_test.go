package constrained_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/saddlepoint/saddle/constrained"
	"github.com/saddlepoint/saddle/rl"
)

// Lagrangian descent-ascent and its optimistic form on the two-state CMDP
// of ALGORITHMS.md B7.2, whose optimum randomizes: go with probability
// p* = 10/41 in s0 for a reward of 3.04 at the cost limit 2, with the
// multiplier λ* = 0.52. The last iterate of GDA keeps swinging across p*
// while its average creeps towards the optimum; with optimism on both
// players the last iterate converges.
func ExampleSolve() {
	c, err := constrained.FromInstance(rl.TwoStateCMDP())
	if err != nil {
		panic(err)
	}
	opt, err := c.Optimum()
	if err != nil {
		panic(err)
	}
	fmt.Printf("LP: reward %.4g, π(go|s0) = %.4f, λ* = %.4g\n", opt.Value, opt.Policy.Prob(0, 1), opt.Multipliers[0])

	for _, run := range []struct {
		name string
		m    constrained.Method
	}{
		{"gda-lagrangian", &constrained.GDA{}},
		{"reload", &constrained.Optimistic{}},
	} {
		trace := &constrained.Trace{State: 0, Action: 1} // π(go | s0)
		res, err := constrained.Solve(context.Background(), &constrained.Problem{CMDP: c}, run.m,
			&constrained.Settings{MaxIterations: 2000, Recorder: trace})
		if err != nil {
			panic(err)
		}
		half := len(trace.Iterations) / 2
		p, viol := trace.Column("policy_prob")[half:], trace.Column("violation")[half:]
		fmt.Printf("%s: %s\n", run.name, res.Status)
		fmt.Printf("  last iterate, second half: π(go|s0) in [%.1f, %.1f], violation up to %.1f\n",
			slices.Min(p), slices.Max(p), slices.Max(viol))
		fmt.Printf("  average: reward %.2f, violation %.1f\n", res.Average.Reward, res.Average.Violation)
		if res.Status.Converged() {
			fmt.Printf("  reward %.6f, π(go|s0) = %.6f, λ = %.6f\n", res.Last.Reward, res.Policy.Prob(0, 1), res.Multipliers[0])
		}
	}
	// Output:
	// LP: reward 3.04, π(go|s0) = 0.2439, λ* = 0.52
	// gda-lagrangian: iteration-limit
	//   last iterate, second half: π(go|s0) in [0.1, 0.4], violation up to 1.0
	//   average: reward 2.91, violation 0.0
	// reload: converged
	//   last iterate, second half: π(go|s0) in [0.2, 0.2], violation up to 0.0
	//   average: reward 3.04, violation 0.0
	//   reward 3.040000, π(go|s0) = 0.243902, λ = 0.520000
}
