package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/saddlepoint/saddle/internal/registry"
)

func compareCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f runFlags
	f.register(fs, true)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: saddle compare [flags] PROBLEM\n\nRuns several methods on one problem and prints one table.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return exitBadInput
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "saddle compare: want exactly one PROBLEM")
		fs.Usage()
		return exitBadInput
	}
	if err := f.check(); err != nil {
		fmt.Fprintln(stderr, "saddle compare:", err)
		return exitBadInput
	}
	in, err := loadInstance(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "saddle compare:", err)
		return exitBadInput
	}
	names, err := methodList(f.methods, in)
	if err != nil {
		fmt.Fprintln(stderr, "saddle compare:", err)
		return exitBadInput
	}
	runs := make([]outcome, 0, len(names))
	for _, name := range names {
		runs = append(runs, solveOne(context.Background(), in, name, &f, terminal(stderr)))
	}
	if err := writeOutputs(&f, in, runs); err != nil {
		fmt.Fprintln(stderr, "saddle compare:", err)
		return exitBadInput
	}
	if f.json {
		return printJSONRuns(stdout, stderr, in, runs)
	}
	printTable(stdout, in, runs)
	for _, o := range runs {
		if o.res == nil || !o.res.Status.Converged() {
			return exitNotConverged
		}
	}
	return exitConverged
}

// methodList resolves --methods, or picks the methods whose theory covers
// the instance.
func methodList(list string, in *registry.Instance) ([]string, error) {
	if list != "" {
		names := strings.Split(list, ",")
		for _, n := range names {
			if _, _, err := registry.Method(n, registry.Options{}); err != nil {
				return nil, err
			}
		}
		return names, nil
	}
	var names []string
	for _, m := range registry.Methods() {
		if m.Covers(in) {
			names = append(names, m.Name)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no method's theory covers %s; name methods with --methods", in.Name)
	}
	return names, nil
}

func printJSONRuns(stdout, stderr io.Writer, in *registry.Instance, runs []outcome) int {
	out := make([]result, 0, len(runs))
	code := exitConverged
	for _, o := range runs {
		if o.res == nil {
			out = append(out, result{Problem: in.Name, Method: o.method, Status: "error", Error: o.err.Error()})
			code = exitNotConverged
			continue
		}
		if !o.res.Status.Converged() {
			code = exitNotConverged
		}
		out = append(out, newResult(in, o))
	}
	if err := encodeJSON(stdout, out); err != nil {
		fmt.Fprintln(stderr, "saddle compare:", err)
		return exitBadInput
	}
	return code
}

// printTable writes one row per run: status, cost and the last-iterate
// and average measures.
func printTable(w io.Writer, in *registry.Instance, runs []outcome) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "method\tstatus\titerations\tevaluations\tresidual\tavg residual\t"
	if in.IsGame() {
		head += "gap\tavg gap\t"
	}
	if in.Solution != nil {
		head += "distance\t"
	}
	fmt.Fprintln(tw, head)
	var refused []outcome
	for _, o := range runs {
		if o.res == nil {
			refused = append(refused, o)
			continue
		}
		r := newResult(in, o)
		line := fmt.Sprintf("%s\t%s\t%d\t%d\t%.2e\t%.2e\t", r.Method, r.Status, r.Iterations, r.Evaluations, float64(r.Residual), float64(r.AverageResidual))
		if r.Gap != nil {
			line += fmt.Sprintf("%.2e\t%.2e\t", float64(*r.Gap), float64(*r.AverageGap))
		}
		if r.Distance != nil {
			line += fmt.Sprintf("%.2e\t", float64(*r.Distance))
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	for _, o := range refused {
		fmt.Fprintf(w, "not run: %s: %v\n", o.method, o.err)
	}
}
