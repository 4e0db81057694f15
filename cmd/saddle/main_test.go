package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestSolveBoxAffineJSON: the affine monotone VI with box constraints in
// testdata has the solution z* = (0, 1, 0.5, 0.25) by construction
// (F(z*) = (0.7, −1.3, 0, 0) points into the box at the active bounds).
func TestSolveBoxAffineJSON(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.csv")
	code, out, errs := runCLI("solve", "testdata/box-affine.json", "--method", "eg", "--json", "--trace", trace)
	require.Equal(t, exitConverged, code, errs)
	var r struct {
		Problem, Method, Status string
		Iterations, Evaluations int
		Residual                float64
		Z                       []float64
		Seconds                 *float64
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	assert.Equal(t, "converged", r.Status)
	assert.Equal(t, "eg", r.Method)
	assert.Equal(t, "testdata/box-affine.json", r.Problem)
	assert.InDeltaSlice(t, []float64{0, 1, 0.5, 0.25}, r.Z, 1e-6)
	assert.LessOrEqual(t, r.Residual, 1e-8)
	assert.Equal(t, 1+2*r.Iterations, r.Evaluations)
	assert.NotNil(t, r.Seconds)

	data, err := os.ReadFile(trace)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	assert.Equal(t, "iteration,evaluations,residual,seconds", lines[0])
	assert.Len(t, lines, r.Iterations+2, "header, start, one row per iteration")
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], strings.Join([]string{itoa(r.Iterations), itoa(r.Evaluations)}, ",")+","))
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestSolveGameJSONFields(t *testing.T) {
	code, out, errs := runCLI("solve", "--method", "eg", "--json", "testdata/game.json")
	require.Equal(t, exitConverged, code, errs)
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	for _, k := range []string{"problem", "method", "status", "iterations", "evaluations", "residual", "gap", "value", "optimal_value", "z", "x", "y", "seconds"} {
		assert.Contains(t, r, k)
	}
	// ALGORITHMS.md Part II B2 item 5: value 1/7, x* = (3/7, 4/7).
	assert.InDelta(t, 1.0/7, r["optimal_value"], 1e-12)
	assert.InDelta(t, 1.0/7, r["value"], 1e-6)
	assert.Less(t, r["gap"], 1e-7)
	x := r["x"].([]any)
	assert.InDelta(t, 3.0/7, x[0], 1e-6)
}

// TestSolveNFG: O'Neill's zero-sum game from Gambit's catalog has value
// −1/5 with the row player mixing (2/5, 1/5, 1/5, 1/5); the three-player
// 2×2×2 game reports its Nash gap and each player's payoff.
func TestSolveNFG(t *testing.T) {
	code, out, errs := runCLI("solve", "--method", "eg", "--json", "testdata/oneill.nfg")
	require.Equal(t, exitConverged, code, errs)
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.InDelta(t, -0.2, r["optimal_value"], 1e-12)
	assert.InDelta(t, -0.2, r["value"], 1e-7)
	assert.Less(t, r["gap"], 1e-7)
	x := r["x"].([]any)
	assert.InDelta(t, 0.4, x[0], 1e-6)

	code, out, errs = runCLI("solve", "--method", "eg", "testdata/2x2x2.nfg")
	require.Equal(t, exitConverged, code, errs)
	assert.Contains(t, out, "Nash gap     0 (last iterate)")
	assert.Contains(t, out, "payoffs      [")

	dir := t.TempDir()
	bad := filepath.Join(dir, "short.nfg")
	require.NoError(t, os.WriteFile(bad, []byte("NFG 1 R \"x\" { \"a\" \"b\" } { 2 2 }\n1 2 3\n"), 0o644))
	code, _, errs = runCLI("solve", bad)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errs, "short.nfg: line 3, column 1: the payoff list has 3 numbers, want 8")
}

func TestSolveBuiltinSummary(t *testing.T) {
	code, out, errs := runCLI("solve", "rps", "--method", "eg", "--step", "0.1")
	require.Equal(t, exitConverged, code, errs)
	assert.Contains(t, out, "status       converged")
	assert.Contains(t, out, "duality gap")
	assert.Contains(t, out, "exact value 0")
}

func TestSolveNotConverged(t *testing.T) {
	code, out, _ := runCLI("solve", "bilinear:n=5", "--method", "gda", "--step", "0.5", "--json")
	assert.Equal(t, exitNotConverged, code)
	assert.Contains(t, out, `"status": "diverged"`)

	code, out, _ = runCLI("solve", "rps", "--method", "gda", "--max-iter", "50", "--json")
	assert.Equal(t, exitNotConverged, code)
	assert.Contains(t, out, `"status": "iteration-limit"`)

	// Every F value overflows to ±Inf: Solve stops with diverged and the
	// JSON carries null, never NaN.
	code, out, _ = runCLI("solve", "testdata/overflow.json", "--method", "eg", "--step", "1", "--json")
	assert.Equal(t, exitNotConverged, code)
	assert.Contains(t, out, `"status": "diverged"`)
	assert.NotContains(t, out, "NaN")
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"kind": "affine", "M": [[1, 2], [3]]}`), 0o644))
	shape := filepath.Join(dir, "shape.json")
	require.NoError(t, os.WriteFile(shape, []byte(`{"kind": "affine", "M": [[1, 0], [0, 1]], "set": {"kind": "box", "lo": [0], "hi": [1]}}`), 0o644))
	syntax := filepath.Join(dir, "syntax.json")
	require.NoError(t, os.WriteFile(syntax, []byte("{\"kind\": \"affine\",\n\"M\": [[1]],,}"), 0o644))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no-args", nil, "usage"},
		{"unknown-command", []string{"fit"}, `unknown command "fit"`},
		{"ragged", []string{"solve", bad}, `bad.json: field "M": row 1 has 1 entries, want 2`},
		{"shape", []string{"solve", shape}, `shape.json: field "set": vi: Box.Lo has length 1, want 2`},
		{"syntax", []string{"solve", syntax}, "syntax.json: line 2, column"},
		{"missing-file", []string{"solve", "nothere.json"}, "nothere.json"},
		{"negative-step", []string{"solve", "rps", "--step", "-0.1"}, "--step -0.1"},
		{"negative-tol", []string{"solve", "rps", "--tol", "-1"}, "--tol -1"},
		{"zero-iter", []string{"solve", "rps", "--max-iter", "0"}, "--max-iter 0"},
		{"unknown-method", []string{"solve", "rps", "--method", "sgd"}, `unknown method "sgd"`},
		{"unknown-problem", []string{"solve", "chess"}, `unknown problem "chess"`},
		{"bad-param", []string{"solve", "bilinear:n=x"}, `parameter n="x": not an integer`},
		{"two-problems", []string{"solve", "rps", "rps"}, "want exactly one PROBLEM"},
		{"bad-flag", []string{"solve", "--steps", "1", "rps"}, "flag provided but not defined: -steps"},
		{"plot-type", []string{"solve", "rps", "--plot", "out.gif"}, "--plot out.gif: unknown image type"},
		{"trace-dir", []string{"solve", "rps", "--trace", "/no/such/dir/t.csv"}, "directory /no/such/dir does not exist"},
		{"compare-method", []string{"compare", "rps", "--methods", "eg,zz"}, `unknown method "zz"`},
		{"demo-arg", []string{"demo", "rps"}, `unexpected argument "rps"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCLI(tc.args...)
			assert.Equal(t, exitBadInput, code)
			assert.Contains(t, errs, tc.want)
		})
	}
}

func TestListsAndCompare(t *testing.T) {
	code, out, _ := runCLI("methods")
	require.Equal(t, exitConverged, code)
	assert.Contains(t, out, "eg ")
	assert.Contains(t, out, "gda ")
	code, out, _ = runCLI("problems")
	require.Equal(t, exitConverged, code)
	assert.Contains(t, out, "bilinear:n=10,seed=1")
	assert.Contains(t, out, "rps ")

	dir := t.TempDir()
	plot := filepath.Join(dir, "c.svg")
	trace := filepath.Join(dir, "c.csv")
	code, out, errs := runCLI("compare", "quadratic-bilinear", "--methods", "gda,eg", "--plot", plot, "--trace", trace)
	require.Equal(t, exitConverged, code, errs)
	assert.Contains(t, out, "converged")
	st, err := os.Stat(plot)
	require.NoError(t, err)
	assert.Positive(t, st.Size())
	data, err := os.ReadFile(trace)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "method,iteration,evaluations,residual,distance,seconds\n"))
	assert.Contains(t, string(data), "\ngda,0,1,")
	assert.Contains(t, string(data), "\neg,0,1,")
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("demo", "--out", dir, "--max-iter", "2000")
	require.Equal(t, exitConverged, code, errs)
	for _, sc := range showcases {
		assert.Contains(t, out, "== "+sc.spec)
	}
	assert.Contains(t, out, "diverged", "GDA diverges on the bilinear game")
	forsaken := out[strings.Index(out, "== forsaken"):]
	forsaken = forsaken[:strings.Index(forsaken, "\n== ")]
	assert.Regexp(t, `(?m)^\s+eg\s+iteration-limit`, forsaken, "EG cycles on Forsaken")
	assert.Regexp(t, `(?m)^\s+ceg\+\s+converged`, forsaken, "CEG+ converges on Forsaken")
	// The CMDP part: reload converges, Lagrangian GDA does not.
	cmdp := out[strings.Index(out, "== two-state-cmdp"):]
	assert.Regexp(t, `(?m)^\s+reload\s+converged`, cmdp)
	assert.Regexp(t, `(?m)^\s+gda-lagrangian\s+iteration-limit`, cmdp)
	files, err := filepath.Glob(filepath.Join(dir, "*.png"))
	require.NoError(t, err)
	assert.Len(t, files, len(showcases)+len(cmdpShowcases))
}

// TestCMDP: on the two-state CMDP of ALGORITHMS.md B7.2 the optimum is
// reward 3.04 with λ* = 0.52; reload's last iterate reaches it, Lagrangian
// GDA's does not within the same budget.
func TestCMDP(t *testing.T) {
	code, out, errs := runCLI("cmdp", "two-state-cmdp", "--json")
	require.Equal(t, exitConverged, code, errs)
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	for _, k := range []string{"problem", "method", "status", "iterations", "reward", "costs", "violation", "policy", "multipliers", "optimal_reward", "gap", "seconds"} {
		assert.Contains(t, r, k)
	}
	assert.InDelta(t, 3.04, r["optimal_reward"], 1e-12)
	assert.InDelta(t, 3.04, r["reward"], 1e-6)
	assert.InDelta(t, 0.52, r["multipliers"].([]any)[0], 1e-6)
	assert.InDelta(t, 10.0/41, r["policy"].([]any)[0].([]any)[1], 1e-4)

	dir := t.TempDir()
	trace, plot := filepath.Join(dir, "t.csv"), filepath.Join(dir, "p.png")
	code, out, errs = runCLI("cmdp", "two-state-cmdp", "--method", "gda-lagrangian", "--max-iter", "3000", "--trace", trace, "--plot", plot)
	require.Equal(t, exitNotConverged, code, errs)
	assert.Contains(t, out, "status       iteration-limit")
	data, err := os.ReadFile(trace)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "iteration,evaluations,reward,"))
	st, err := os.Stat(plot)
	require.NoError(t, err)
	assert.Positive(t, st.Size())

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{\"states\": 1, \"actions\": 1, \"discount\": 1.5}"), 0o644))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cmdp", "chess-cmdp"}, `unknown CMDP "chess-cmdp"`},
		{[]string{"cmdp", "two-state-cmdp", "--method", "eg"}, `unknown CMDP method "eg"`},
		{[]string{"cmdp", "random-cmdp:states=0"}, "states = 0"},
		{[]string{"cmdp", "two-state-cmdp", "--step", "-1"}, "--step -1"},
		{[]string{"cmdp", bad}, "bad.json"},
	} {
		code, _, errs := runCLI(tc.args...)
		assert.Equal(t, exitBadInput, code, "%v", tc.args)
		assert.Contains(t, errs, tc.want, "%v", tc.args)
	}
}

// TestLearn: in repeated rock-paper-scissors, optimistic Hedge's play
// converges to the uniform equilibrium while Hedge's drifts away and only
// its average approaches it; a three-player .nfg game reports three
// regrets.
func TestLearn(t *testing.T) {
	code, out, errs := runCLI("learn", "rps", "--learner", "optimistic-hedge", "--json")
	require.Equal(t, exitConverged, code, errs)
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	for _, k := range []string{"problem", "learner", "status", "rounds", "regrets", "max_regret", "gap", "average_gap", "z", "average", "seconds"} {
		assert.Contains(t, r, k)
	}
	assert.Equal(t, "converged", r["status"])
	assert.Less(t, r["gap"], 1e-6)
	assert.Len(t, r["regrets"], 2)
	assert.Less(t, r["max_regret"], 10.0)

	dir := t.TempDir()
	trace, plot := filepath.Join(dir, "t.csv"), filepath.Join(dir, "p.png")
	code, out, errs = runCLI("learn", "rps", "--learner", "hedge", "--trace", trace, "--plot", plot)
	require.Equal(t, exitNotConverged, code, errs)
	assert.Contains(t, out, "status       iteration-limit")
	data, err := os.ReadFile(trace)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	assert.Equal(t, "round,max_regret,gap,average_gap", lines[0])
	last := strings.Split(lines[len(lines)-1], ",")
	assert.Equal(t, "10000", last[0])
	gap, err := strconv.ParseFloat(last[2], 64)
	require.NoError(t, err)
	avg, err := strconv.ParseFloat(last[3], 64)
	require.NoError(t, err)
	assert.Greater(t, gap, 0.5, "Hedge's play drifts from the equilibrium")
	assert.Less(t, avg, 0.05, "its average approaches it")
	_, err = os.Stat(plot)
	require.NoError(t, err)

	code, out, errs = runCLI("learn", "testdata/2x2x2.nfg", "--learner", "hedge", "--step", "0.1", "--json")
	require.Contains(t, []int{exitConverged, exitNotConverged}, code, errs)
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Len(t, r["regrets"], 3)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"learn", "bilinear"}, "not a game that players can learn"},
		{[]string{"learn", "rps", "--learner", "sgd"}, `unknown learner "sgd"`},
		{[]string{"learn", "cournot", "--learner", "hedge"}, "no entropic mirror step"},
		{[]string{"learn", "rps", "--rounds", "0"}, "--rounds 0: want ≥ 1"},
	} {
		code, _, errs := runCLI(tc.args...)
		assert.Equal(t, exitBadInput, code, "%v", tc.args)
		assert.Contains(t, errs, tc.want, "%v", tc.args)
	}
}
