package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/saddlepoint/saddle/internal/registry"
)

func methodsCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("methods", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitBadInput
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tF/ITER\tRULE\tSUMMARY")
	for _, m := range registry.Methods() {
		evals := fmt.Sprint(m.Evals)
		if m.Evals < 0 {
			evals = "var"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.Name, evals, m.Rule, m.Summary)
	}
	for _, m := range registry.CMDPMethods() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.Name, "1 PE", m.Rule, "(saddle cmdp) "+m.Summary)
	}
	fmt.Fprintln(w, "\nLEARNER\t\tRULE\tSUMMARY (saddle learn --learner)")
	for _, l := range registry.Learners() {
		sum := l.Summary
		if l.Simplex {
			sum += "; mixed strategies only"
		}
		fmt.Fprintf(w, "%s\t\t%s\t%s\n", l.Name, l.Rule, sum)
	}
	w.Flush()
	return exitConverged
}

func problemsCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("problems", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitBadInput
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSUMMARY")
	for _, p := range registry.Problems() {
		name := p.Name
		if p.Params != "" {
			name += ":" + p.Params
		}
		fmt.Fprintf(w, "%s\t%s\n", name, p.Summary)
	}
	for _, p := range registry.CMDPs() {
		name := p.Name
		if p.Params != "" {
			name += ":" + p.Params
		}
		fmt.Fprintf(w, "%s\t%s\n", name, "(saddle cmdp) "+p.Summary)
	}
	w.Flush()
	return exitConverged
}
