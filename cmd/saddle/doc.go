// Command saddle solves variational inequalities, games and constrained
// MDPs from the command line: one method on one problem (solve), several
// side by side (compare), a constrained MDP by Lagrangian methods (cmdp),
// repeated play of a game by online learners (learn),
// the showcase on built-in problems (demo), and the lists of what exists
// (methods, problems).
//
// Usage:
//
//	saddle solve   [flags] PROBLEM     PROBLEM: a .json or Gambit .nfg file, or a built-in name
//	saddle compare [flags] PROBLEM     several methods on one problem, one table
//	saddle cmdp    [flags] PROBLEM     a .json CMDP or a built-in CMDP
//	saddle learn   [flags] PROBLEM     repeated play, every player an online learner
//	saddle demo    [--out DIR]         the showcase on built-in problems
//	saddle methods | problems          what exists, one line each
//
// Exit codes: 0 when the run converged, 1 when a solver did not converge
// (the status says why), 2 on bad input.
package main
