// Package plotting draws the figures of the command line and the
// examples with gonum/plot: convergence curves (Lines: one line per method,
// a log y axis by default, optionally a log x axis for rate plots) and
// phase portraits (Paths: trajectories in the plane on equal linear axes),
// saved in the format the file extension names (.png, .svg, .pdf…).
package plotting
