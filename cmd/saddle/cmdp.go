package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/saddlepoint/saddle/constrained"
	"github.com/saddlepoint/saddle/internal/plotting"
	"github.com/saddlepoint/saddle/internal/registry"
)

// cmdpCmd solves a constrained MDP with a Lagrangian method and reports
// the last iterate's reward, costs, violation and Lagrangian gap against
// the exact LP optimum.
func cmdpCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cmdp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	method := fs.String("method", "reload", "gda-lagrangian or reload")
	step := fs.Float64("step", 0, "policy step η (0: the method's default; the multiplier step follows it)")
	tol := fs.Float64("tol", constrained.DefaultTol, "stop when the Lagrangian gap of the last iterate is ≤ tol")
	maxIter := fs.Int("max-iter", 100_000, "iteration limit (an iteration is one policy evaluation: microseconds on small CMDPs)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	trace := fs.String("trace", "", "write the per-iteration measures to this CSV file")
	plot := fs.String("plot", "", "draw the Lagrangian gap and the violation to this .png or .svg file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: saddle cmdp [flags] PROBLEM\n\nPROBLEM is a .json CMDP file or a built-in name such as gridworld-cmdp or random-cmdp:states=20,seed=3.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return exitBadInput
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "saddle cmdp: want exactly one PROBLEM")
		fs.Usage()
		return exitBadInput
	}
	f := runFlags{step: *step, tol: *tol, maxIter: *maxIter, trace: *trace, plot: *plot}
	if err := f.check(); err != nil {
		fmt.Fprintln(stderr, "saddle cmdp:", err)
		return exitBadInput
	}
	c, err := registry.CMDP(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "saddle cmdp:", err)
		return exitBadInput
	}
	m, err := registry.CMDPMethod(*method, *step)
	if err != nil {
		fmt.Fprintln(stderr, "saddle cmdp:", err)
		return exitBadInput
	}
	tr := &constrained.Trace{}
	s := &constrained.Settings{Tol: *tol, MaxIterations: *maxIter, Average: *plot != "", Recorder: tr}
	res, err := constrained.Solve(context.Background(), &constrained.Problem{CMDP: c}, m, s)
	if err != nil {
		fmt.Fprintln(stderr, "saddle cmdp:", err)
		return exitBadInput
	}
	if err := writeCMDPOutputs(tr, *trace, *plot, *method); err != nil {
		fmt.Fprintln(stderr, "saddle cmdp:", err)
		return exitBadInput
	}
	sum := res.Summary(fs.Arg(0), *method)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			fmt.Fprintln(stderr, "saddle cmdp:", err)
			return exitBadInput
		}
	} else {
		printCMDPSummary(stdout, c, res, sum)
	}
	if res.Status.Converged() {
		return exitConverged
	}
	return exitNotConverged
}

// writeCMDPOutputs writes the trace CSV and the plot when asked for.
func writeCMDPOutputs(tr *constrained.Trace, trace, plot, method string) error {
	if trace != "" {
		fh, err := os.Create(trace)
		if err != nil {
			return err
		}
		if err := tr.WriteCSV(fh); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	if plot == "" {
		return nil
	}
	x := make([]float64, len(tr.Iterations))
	for i, k := range tr.Iterations {
		x[i] = float64(k)
	}
	var series []plotting.Series
	for _, col := range []struct{ name, label string }{
		{"lagrangian_gap", "Lagrangian gap, last"},
		{"violation", "violation, last"},
		{"average_lagrangian_gap", "Lagrangian gap, average"},
	} {
		if y := tr.Column(col.name); y != nil {
			series = append(series, plotting.Series{Name: col.label, X: x, Y: y})
		}
	}
	return plotting.Lines(plot, series, plotting.Options{Title: method, XLabel: "iteration", YLabel: "gap, violation", Floor: 1e-16})
}

// printCMDPSummary writes the result for a reader: the last iterate
// against the exact optimum.
func printCMDPSummary(w io.Writer, c *constrained.CMDP, res *constrained.Result, s *constrained.Summary) {
	fmt.Fprintf(w, "problem      %s\n", s.Problem)
	fmt.Fprintf(w, "method       %s\n", s.Method)
	fmt.Fprintf(w, "status       %s\n", s.Status)
	fmt.Fprintf(w, "iterations   %d (%d policy evaluations, %.3gs)\n", s.Iterations, s.Evaluations, s.Seconds)
	fmt.Fprintf(w, "reward       %.6g (last iterate; optimum %.6g by LP)\n", s.Reward, s.OptimalReward)
	for k, cons := range c.Constraints() {
		fmt.Fprintf(w, "cost %-7d %.6g (threshold %.6g)\n", k, s.Costs[k], cons.Threshold)
	}
	fmt.Fprintf(w, "violation    %.4g (last iterate)\n", s.Violation)
	gapAvg := math.NaN()
	if res.Average != nil {
		gapAvg = res.Average.LagrangianGap
	}
	fmt.Fprintf(w, "gap          %.4g (Lagrangian gap, last iterate), %.4g (average)\n", s.Gap, gapAvg)
	fmt.Fprintf(w, "multipliers  %.6g (optimal %.6g)\n", s.Multipliers, s.OptimalMultipliers)
	const show = 6
	for st, row := range s.Policy {
		if st == show {
			fmt.Fprintf(w, "             … %d more states\n", len(s.Policy)-show)
			break
		}
		fmt.Fprintf(w, "π(·|%d)%s %.4g\n", st, pad(st), row)
	}
}

// pad aligns the policy rows after "π(·|s)".
func pad(s int) string {
	n := 6 - len(fmt.Sprint(s))
	if n < 1 {
		n = 1
	}
	return fmt.Sprintf("%*s", n, "")
}
