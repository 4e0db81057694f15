package rl

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrInfeasible is returned (wrapped) by SolveLP when no policy satisfies
// all the cost constraints.
var ErrInfeasible = errors.New("rl: the constraints are infeasible")

// ErrInput describes bad input data: which value is wrong, where it is and
// what is wrong with it. Constructors (NewMDP, NewPolicy, …) fill Path and
// Msg; the JSON reader adds the file and the position of the value in it.
type ErrInput struct {
	File   string // file name; "" when the data did not come from a named file
	Line   int    // 1-based line of the value in the file; 0 when unknown
	Column int    // 1-based column (in bytes); 0 when unknown
	// Path names the value as it is spelled in the CMDP JSON format, with
	// 0-based indices: "discount", "transitions[2][1]",
	// "constraints[0].cost[1][0]". Empty when the whole input is meant.
	Path string
	Msg  string // what is wrong, e.g. "sums to 0.9, want 1 (tolerance 1e-9)"
}

// Error implements error. It reads, for example,
//
//	rl: cmdp.json: line 7, column 12: transitions[2][1] sums to 0.9, want 1 (tolerance 1e-9)
func (e ErrInput) Error() string {
	var b strings.Builder
	b.WriteString("rl: ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// inputErr builds an ErrInput for the value at path.
func inputErr(path, format string, args ...any) error {
	return ErrInput{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// probTol is the tolerance on the sum of a probability vector.
const probTol = 1e-9

// checkDistribution checks that p is a probability vector: finite,
// nonnegative entries summing to 1 within probTol. It allocates nothing:
// on failure, bad is the first non-finite or negative entry (−1 when only
// the sum is off) and distributionErr builds the error.
func checkDistribution(p []float64) (bad int, sum float64, ok bool) {
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return i, 0, false
		}
		sum += v
	}
	return -1, sum, math.Abs(sum-1) <= probTol
}

// distributionErr is the error for a failed checkDistribution of p, whose
// path is path and whose entry i is spelled entry(i).
func distributionErr(p []float64, bad int, sum float64, path string, entry func(i int) string) error {
	switch {
	case bad < 0:
		return inputErr(path, "sums to %.12g, want 1 (tolerance 1e-9)", sum) // probTol
	case p[bad] < 0:
		return inputErr(entry(bad), "= %v is negative", p[bad])
	}
	return inputErr(entry(bad), "= %v, want a probability", p[bad])
}

// checkFinite checks that every entry of x is finite.
func checkFinite(x []float64, name func(i int) string) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return inputErr(name(i), "= %v, want a finite number", v)
		}
	}
	return nil
}

// index1, index2 and index3 spell paths with one, two and three indices.
func index1(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

func index2(field string, i, j int) string { return fmt.Sprintf("%s[%d][%d]", field, i, j) }

func index3(field string, i, j, k int) string {
	return fmt.Sprintf("%s[%d][%d][%d]", field, i, j, k)
}
