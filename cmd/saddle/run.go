package main

import (
	"fmt"
	"io"
)

// Exit codes.
const (
	exitConverged    = 0
	exitNotConverged = 1
	exitBadInput     = 2
)

const usage = `usage:
  saddle solve   [flags] PROBLEM     one method on one problem (a .json file or a built-in name)
  saddle compare [flags] PROBLEM     several methods on one problem: one table, one plot
  saddle cmdp    [flags] PROBLEM     a constrained MDP (a .json CMDP or a built-in) by Lagrangian methods
  saddle learn   [flags] PROBLEM     repeated play of a game, every player an online learner: regret, Nash gap
  saddle demo    [--out DIR]         the showcase on built-in problems, no files needed
  saddle methods                     the methods, one line each
  saddle problems                    the built-in problems, one line each
Run 'saddle COMMAND -h' for the flags of a command.
`

// run is the whole program: it parses args, writes results to stdout and
// errors to stderr, and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitBadInput
	}
	switch args[0] {
	case "solve":
		return solveCmd(args[1:], stdout, stderr)
	case "compare":
		return compareCmd(args[1:], stdout, stderr)
	case "learn":
		return learnCmd(args[1:], stdout, stderr)
	case "cmdp":
		return cmdpCmd(args[1:], stdout, stderr)
	case "demo":
		return demoCmd(args[1:], stdout, stderr)
	case "methods":
		return methodsCmd(args[1:], stdout, stderr)
	case "problems":
		return problemsCmd(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitConverged
	}
	fmt.Fprintf(stderr, "saddle: unknown command %q\n%s", args[0], usage)
	return exitBadInput
}
