// Command cmdp shows why last-iterate convergence matters for constrained
// reinforcement learning, on the two-state constrained MDP of
// ALGORITHMS.md B7.2: from s0 the agent may wait (reward 1/5) or go
// (cost 1, then reward 1 in s1); the discounted cost must stay at most 2.
// The optimal policy randomizes, π(go | s0) = 10/41 ≈ 0.244, for a reward
// of 3.04, and the optimal multiplier is λ* = 0.52 (exact, by LP).
//
// Lagrangian gradient descent-ascent (natural policy gradient on
// r − λc, projected gradient on λ) never settles: its policy swings
// around 10/41 and its cost keeps crossing the threshold, so at no
// iteration is its policy both safe and optimal. Optimistic ascent-descent
// on both players (ReLOAD-style) converges to the optimum.
//
//	go run ./examples/cmdp -out /tmp
//
// writes cmdp.png (π(go | s0) against iterations) and cmdp-gap.png (the
// Lagrangian gap of the last iterate) to -out.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/saddlepoint/saddle/constrained"
	"github.com/saddlepoint/saddle/internal/plotting"
	"github.com/saddlepoint/saddle/rl"
)

func main() {
	out := flag.String("out", ".", "directory for the figures")
	flag.Parse()
	if _, err := run(*out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cmdp:", err)
		os.Exit(1)
	}
}

// iterations is the length of every run.
const iterations = 1500

// A result is what one method's last iterate did over the second half of
// its run.
type result struct {
	minProb, maxProb float64 // range of π(go | s0)
	crossings        int     // times the cost crossed the threshold
	finalGap         float64 // Lagrangian gap at the end
}

// run solves the CMDP with both methods, writes the figures to dir, prints
// one line per method to w and returns what each did.
func run(dir string, w io.Writer) (map[string]result, error) {
	c, err := constrained.FromInstance(rl.TwoStateCMDP())
	if err != nil {
		return nil, err
	}
	methods := []struct {
		name string
		m    constrained.Method
	}{
		{"gda-lagrangian", &constrained.GDA{}},
		{"reload", &constrained.Optimistic{}},
	}
	results := map[string]result{}
	var probs, gaps []plotting.Series
	for _, mc := range methods {
		tr := &constrained.Trace{State: 0, Action: 1} // π(go | s0)
		s := &constrained.Settings{Tol: -1, MaxIterations: iterations, Recorder: tr}
		res, err := constrained.Solve(context.Background(), &constrained.Problem{CMDP: c}, mc.m, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", mc.name, err)
		}
		x := make([]float64, len(tr.Iterations))
		for i, k := range tr.Iterations {
			x[i] = float64(k)
		}
		p, v := tr.Column("policy_prob"), tr.Column("violation")
		cost := tr.Column("cost0")
		half := len(p) / 2
		r := result{minProb: slices.Min(p[half:]), maxProb: slices.Max(p[half:]), finalGap: res.Last.LagrangianGap}
		// A crossing is a move from one side of the threshold b = 2 to the
		// other, ignoring the band |cost − b| ≤ 1e-6 a converged run
		// rounds around.
		side := 0
		for _, v := range cost[half:] {
			s := 0
			if v > 2+1e-6 {
				s = 1
			} else if v < 2-1e-6 {
				s = -1
			}
			if s != 0 && side != 0 && s != side {
				r.crossings++
			}
			if s != 0 {
				side = s
			}
		}
		results[mc.name] = r
		fmt.Fprintf(w, "%-15s π(go|s0) in [%.4f, %.4f] over the last %d iterations, cost crossed the threshold %d times; final reward %.6g, violation %.2e, Lagrangian gap %.2e\n",
			mc.name, r.minProb, r.maxProb, iterations-iterations/2, r.crossings, res.Last.Reward, v[len(v)-1], r.finalGap)
		probs = append(probs, plotting.Series{Name: mc.name, X: x, Y: p})
		gaps = append(gaps, plotting.Series{Name: mc.name, X: x, Y: tr.Column("lagrangian_gap")})
	}
	optimal := plotting.Series{Name: "optimum 10/41", X: []float64{0, iterations}, Y: []float64{10.0 / 41, 10.0 / 41}}
	fig := filepath.Join(dir, "cmdp.png")
	if err := plotting.Lines(fig, append(probs, optimal), plotting.Options{Linear: true, LegendTop: true,
		Title: "Two-state CMDP: the policy of the last iterate", XLabel: "iteration", YLabel: "π(go | s0)"}); err != nil {
		return nil, err
	}
	gapFig := filepath.Join(dir, "cmdp-gap.png")
	if err := plotting.Lines(gapFig, gaps, plotting.Options{
		Title: "Two-state CMDP: Lagrangian gap of the last iterate", XLabel: "iteration", YLabel: "gap"}); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "wrote %s and %s\n", fig, gapFig)
	return results, nil
}
