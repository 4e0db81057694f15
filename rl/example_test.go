package rl_test

import (
	"fmt"

	"github.com/saddlepoint/saddle/rl"
)

// Solve the two-state CMDP of ALGORITHMS.md B7.2 exactly with the
// occupancy-measure LP, and check its answer with an Evaluator.
func ExampleSolveLP() {
	in := rl.TwoStateCMDP()
	opt, err := rl.SolveLP(in.MDP, nil, in.Constraints)
	if err != nil {
		panic(err)
	}
	fmt.Printf("reward %.4f, cost %.4f (threshold %.4g), multiplier %.4f\n",
		opt.Value, opt.Costs[0], in.Constraints[0].Threshold, opt.Multipliers[0])
	fmt.Printf("π(go | s0) = %.6f (10/41 = %.6f)\n", opt.Policy.Prob(0, 1), 10.0/41)

	e := rl.NewEvaluator(in.MDP)
	if err := e.SetPolicy(opt.Policy); err != nil {
		panic(err)
	}
	jr, _ := e.Value(nil)
	jc, _ := e.Value(in.Constraints[0].Cost)
	fmt.Printf("evaluated: reward %.4f, cost %.4f\n", jr, jc)

	free, err := rl.PolicyIteration(in.MDP, nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("unconstrained: reward %.4f (%s in %d evaluations)\n", free.Value, free.Status, free.Iterations)
	// Output:
	// reward 3.0400, cost 2.0000 (threshold 2), multiplier 0.5200
	// π(go | s0) = 0.243902 (10/41 = 0.243902)
	// evaluated: reward 3.0400, cost 2.0000
	// unconstrained: reward 4.7368 (converged in 2 evaluations)
}

// Value iteration on the default gridworld: the value from the start is
// γ⁴/(1 − γ⁵), the goal reached in four moves and collected again every
// five steps.
func ExampleValueIteration() {
	in, err := rl.Gridworld{}.Instance()
	if err != nil {
		panic(err)
	}
	res, err := rl.ValueIteration(in.MDP, nil, &rl.Settings{Tol: 1e-9})
	if err != nil {
		panic(err)
	}
	start := rl.Gridworld{}.State(1, 0)
	fmt.Println(res.Status)
	fmt.Printf("V(start) = %.6f after %d backups\n", res.V[start], res.Iterations)
	fmt.Printf("first move: %v (0 up, 1 right)\n", res.Policy.Row(start))
	// Output:
	// converged
	// V(start) = 1.602159 after 219 backups
	// first move: [0 1 0 0] (0 up, 1 right)
}
