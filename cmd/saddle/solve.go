package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/saddlepoint/saddle/internal/plotting"
	"github.com/saddlepoint/saddle/internal/registry"
	"github.com/saddlepoint/saddle/vi"
)

// runFlags are the flags solve and compare share.
type runFlags struct {
	method  string
	methods string
	step    float64
	tol     float64
	maxIter int
	seed    uint64
	json    bool
	trace   string
	plot    string
}

func (f *runFlags) register(fs *flag.FlagSet, multi bool) {
	if multi {
		fs.StringVar(&f.methods, "methods", "", "comma-separated methods (default: every method whose theory covers the problem)")
	} else {
		fs.StringVar(&f.method, "method", "eg", "method name (see 'saddle methods')")
	}
	fs.Float64Var(&f.step, "step", 0, "step size η (0: the method's default from the Lipschitz constant)")
	fs.Float64Var(&f.tol, "tol", vi.DefaultTol, "stop when the natural residual of the last iterate is ≤ tol")
	fs.IntVar(&f.maxIter, "max-iter", vi.DefaultMaxIterations, "iteration limit")
	fs.Uint64Var(&f.seed, "seed", 0, "seed for stochastic methods (0: the method's fixed default)")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	fs.StringVar(&f.trace, "trace", "", "write the per-iteration trace to this CSV file")
	fs.StringVar(&f.plot, "plot", "", "draw the residual curve to this .png or .svg file")
}

// check validates the flags before any solver runs.
func (f *runFlags) check() error {
	switch {
	case !(f.step >= 0) || math.IsInf(f.step, 0):
		return fmt.Errorf("--step %v: want a finite step ≥ 0 (0: default)", f.step)
	case !(f.tol > 0) || math.IsInf(f.tol, 0):
		return fmt.Errorf("--tol %v: want a finite tolerance > 0", f.tol)
	case f.maxIter < 1:
		return fmt.Errorf("--max-iter %d: want ≥ 1", f.maxIter)
	}
	for _, p := range []struct{ flag, path string }{{"--trace", f.trace}, {"--plot", f.plot}} {
		if p.path == "" {
			continue
		}
		if p.flag == "--plot" {
			switch strings.ToLower(filepath.Ext(p.path)) {
			case ".png", ".svg", ".pdf", ".jpg", ".jpeg", ".eps", ".tif", ".tiff":
			default:
				return fmt.Errorf("--plot %s: unknown image type (want .png or .svg)", p.path)
			}
		}
		if dir := filepath.Dir(p.path); dir != "." {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return fmt.Errorf("%s %s: directory %s does not exist", p.flag, p.path, dir)
			}
		}
	}
	return nil
}

// loadInstance reads a problem file or builds a built-in problem.
func loadInstance(arg string) (*registry.Instance, error) {
	if strings.HasSuffix(strings.ToLower(arg), ".json") || strings.ContainsRune(arg, os.PathSeparator) {
		return registry.LoadProblem(arg)
	}
	if _, err := os.Stat(arg); err == nil {
		return registry.LoadProblem(arg)
	}
	return registry.Problem(arg)
}

// measures are the trace columns for an instance.
func measures(in *registry.Instance) []vi.Measure {
	ms := []vi.Measure{vi.ResidualMeasure()}
	if in.IsGame() {
		ms = append(ms, vi.Measure{Name: "gap", Value: func(s *vi.Snapshot) float64 { g, _ := in.Gap(s.Z); return g }})
	}
	if in.Solution != nil {
		ms = append(ms, vi.DistanceMeasure("distance", in.Solution))
	}
	return ms
}

// outcome is one finished run, what solve prints and compare tabulates.
type outcome struct {
	method string
	res    *vi.Result
	trace  *vi.Trace
	err    error
}

// solveOne runs one method on an instance with the flags' settings.
func solveOne(ctx context.Context, in *registry.Instance, name string, f *runFlags, progress io.Writer) outcome {
	m, _, err := registry.Method(name, registry.Options{Step: f.step, Seed: f.seed, Split: in.Split, Rho: in.Rho, WeakMinty: in.WeakMinty})
	if err != nil {
		return outcome{method: name, err: err}
	}
	tr := &vi.Trace{Measures: measures(in)}
	var rec vi.Recorder = tr
	if progress != nil {
		rec = teeRecorder{tr, &progressRecorder{w: progress, label: name}}
	}
	s := &vi.Settings{Tol: f.tol, MaxIterations: f.maxIter, Recorder: rec}
	res, err := vi.Solve(ctx, in.Problem, m, s)
	return outcome{method: name, res: res, trace: tr, err: err}
}

// jsonFloat marshals non-finite values as null, which JSON can carry.
type jsonFloat float64

// MarshalJSON writes null for NaN and ±Inf.
func (v jsonFloat) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

func floatsJSON(x []float64) []jsonFloat {
	if x == nil {
		return nil
	}
	out := make([]jsonFloat, len(x))
	for i, v := range x {
		out[i] = jsonFloat(v)
	}
	return out
}

func ptr(v float64) *jsonFloat { j := jsonFloat(v); return &j }

// result is the JSON object solve prints (SPEC.md, "Command line").
type result struct {
	Problem         string      `json:"problem"`
	Method          string      `json:"method"`
	Status          string      `json:"status"`
	Iterations      int         `json:"iterations"`
	Evaluations     int         `json:"evaluations"`
	Projections     int         `json:"projections"`
	Residual        jsonFloat   `json:"residual"`
	AverageResidual jsonFloat   `json:"average_residual"`
	Gap             *jsonFloat  `json:"gap,omitempty"`
	AverageGap      *jsonFloat  `json:"average_gap,omitempty"`
	Value           *jsonFloat  `json:"value,omitempty"`
	OptimalValue    *jsonFloat  `json:"optimal_value,omitempty"`
	Payoffs         []jsonFloat `json:"payoffs,omitempty"`
	Distance        *jsonFloat  `json:"distance,omitempty"`
	Z               []jsonFloat `json:"z"`
	X               []jsonFloat `json:"x,omitempty"`
	Y               []jsonFloat `json:"y,omitempty"`
	Seconds         float64     `json:"seconds"`
	Error           string      `json:"error,omitempty"`
}

func newResult(in *registry.Instance, o outcome) result {
	r := o.res
	out := result{Problem: in.Name, Method: o.method, Status: r.Status.String(),
		Iterations: r.Iterations, Evaluations: r.Evaluations, Projections: r.Projections,
		Residual: jsonFloat(r.Residual), AverageResidual: jsonFloat(r.AverageResidual),
		Z: floatsJSON(r.Z), Seconds: r.Runtime.Seconds()}
	if in.Split > 0 {
		out.X, out.Y = floatsJSON(r.Z[:in.Split]), floatsJSON(r.Z[in.Split:])
	}
	if g, ok := in.Gap(r.Z); ok {
		out.Gap = ptr(g)
		if r.Average != nil {
			ga, _ := in.Gap(r.Average)
			out.AverageGap = ptr(ga)
		}
	}
	if in.NormalForm != nil && in.Game == nil {
		u := make([]float64, in.NormalForm.NumPlayers())
		in.NormalForm.ExpectedPayoffs(u, r.Z)
		out.Payoffs = floatsJSON(u)
	}
	if in.Game != nil {
		x, y := in.Game.Split(r.Z)
		out.Value = ptr(in.Game.ExpectedPayoff(x, y))
		if v, _, _, err := in.Game.Solve(); err == nil {
			out.OptimalValue = ptr(v)
		}
	}
	if in.Solution != nil {
		out.Distance = ptr(vi.Distance(r.Z, in.Solution))
	}
	if o.err != nil {
		out.Error = o.err.Error()
	}
	return out
}

func solveCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f runFlags
	f.register(fs, false)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: saddle solve [flags] PROBLEM\n\nPROBLEM is a .json problem file or a built-in name such as rps or bilinear:n=20,seed=3.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return exitBadInput
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "saddle solve: want exactly one PROBLEM")
		fs.Usage()
		return exitBadInput
	}
	if err := f.check(); err != nil {
		fmt.Fprintln(stderr, "saddle solve:", err)
		return exitBadInput
	}
	in, err := loadInstance(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "saddle solve:", err)
		return exitBadInput
	}
	if _, _, err := registry.Method(f.method, registry.Options{}); err != nil {
		fmt.Fprintln(stderr, "saddle solve:", err)
		return exitBadInput
	}
	o := solveOne(context.Background(), in, f.method, &f, terminal(stderr))
	if o.res == nil { // the method rejected its parameters or the problem
		fmt.Fprintln(stderr, "saddle solve:", o.err)
		return exitBadInput
	}
	if err := writeOutputs(&f, in, []outcome{o}); err != nil {
		fmt.Fprintln(stderr, "saddle solve:", err)
		return exitBadInput
	}
	r := newResult(in, o)
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(stderr, "saddle solve:", err)
			return exitBadInput
		}
	} else {
		printSummary(stdout, r)
	}
	if o.err != nil {
		fmt.Fprintln(stderr, "saddle solve:", o.err)
	}
	if o.res.Status.Converged() {
		return exitConverged
	}
	return exitNotConverged
}

// parseInterleaved parses flags that may come before or after the
// positional argument ("saddle solve rps --method og").
func parseInterleaved(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func printSummary(w io.Writer, r result) {
	fmt.Fprintf(w, "problem      %s\n", r.Problem)
	fmt.Fprintf(w, "method       %s\n", r.Method)
	fmt.Fprintf(w, "status       %s\n", r.Status)
	fmt.Fprintf(w, "iterations   %d (%d evaluations, %d projections, %.3gs)\n", r.Iterations, r.Evaluations, r.Projections, r.Seconds)
	fmt.Fprintf(w, "residual     %.4g (last iterate), %.4g (average)\n", float64(r.Residual), float64(r.AverageResidual))
	if r.Gap != nil {
		label := "Nash gap   "
		if r.Value != nil { // a matrix game
			label = "duality gap"
		}
		fmt.Fprintf(w, "%s  %.4g (last iterate), %.4g (average)\n", label, float64(*r.Gap), float64(*r.AverageGap))
	}
	if r.Payoffs != nil {
		fmt.Fprintf(w, "payoffs      %v (expected, at the last iterate)\n", r.Payoffs)
	}
	if r.Value != nil && r.OptimalValue != nil {
		fmt.Fprintf(w, "value        %.6g (at the last iterate; exact value %.6g)\n", float64(*r.Value), float64(*r.OptimalValue))
	}
	if r.Distance != nil {
		fmt.Fprintf(w, "distance     %.4g to the known solution\n", float64(*r.Distance))
	}
	const show = 8
	z := r.Z
	more := ""
	if len(z) > show {
		z, more = z[:show], fmt.Sprintf(" … (%d entries)", len(r.Z))
	}
	parts := make([]string, len(z))
	for i, v := range z {
		parts[i] = fmt.Sprintf("%.6g", float64(v))
	}
	fmt.Fprintf(w, "z            [%s]%s\n", strings.Join(parts, " "), more)
}

// writeOutputs writes the trace CSV and the plot that the flags ask for.
func writeOutputs(f *runFlags, in *registry.Instance, runs []outcome) error {
	if f.trace != "" {
		if err := writeTraces(f.trace, runs); err != nil {
			return err
		}
	}
	if f.plot != "" {
		var series []plotting.Series
		for _, o := range runs {
			if o.trace == nil {
				continue
			}
			series = append(series, residualSeries(o))
		}
		return plotting.Lines(f.plot, series, plotting.Options{Title: in.Name, XLabel: "iteration", YLabel: "natural residual"})
	}
	return nil
}

func residualSeries(o outcome) plotting.Series {
	xs := make([]float64, len(o.trace.Iterations))
	for i, k := range o.trace.Iterations {
		xs[i] = float64(k)
	}
	return plotting.Series{Name: o.method, X: xs, Y: o.trace.Column("residual")}
}

// writeTraces writes one CSV; with several runs a "method" column leads.
func writeTraces(path string, runs []outcome) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	if len(runs) == 1 {
		err = runs[0].trace.WriteCSV(file)
	} else {
		err = writeMultiTrace(file, runs)
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--trace %s: %w", path, err)
	}
	return nil
}

func writeMultiTrace(w io.Writer, runs []outcome) error {
	first := true
	for _, o := range runs {
		if o.trace == nil {
			continue
		}
		var buf strings.Builder
		if err := o.trace.WriteCSV(&buf); err != nil {
			return err
		}
		lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
		for i, line := range lines {
			if i == 0 {
				if !first {
					continue
				}
				line = "method," + line
				first = false
			} else {
				line = o.method + "," + line
			}
			if _, err := fmt.Fprintln(w, line); err != nil {
				return err
			}
		}
	}
	if first {
		return errors.New("no run produced a trace")
	}
	return nil
}

// terminal returns w when it is a terminal (progress lines help there),
// else nil.
func terminal(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}

// progressRecorder prints a status line at most once a second.
type progressRecorder struct {
	w     io.Writer
	label string
	last  time.Time
}

// Record prints a progress line at most once a second.
func (p *progressRecorder) Record(e vi.Event, s *vi.Snapshot) error {
	switch {
	case e == vi.Start:
		p.last = time.Now()
	case e == vi.Done:
		if time.Since(p.last) > 0 && s.Stats.Runtime > time.Second {
			fmt.Fprintf(p.w, "\r%-60s\r", "")
		}
	case time.Since(p.last) >= time.Second:
		p.last = time.Now()
		fmt.Fprintf(p.w, "\r%s: iteration %d, residual %.3e", p.label, s.Stats.Iterations, s.Residual)
	}
	return nil
}

// teeRecorder sends every event to several recorders.
type teeRecorder []vi.Recorder

// Record passes e and s to every recorder, stopping at the first error.
func (t teeRecorder) Record(e vi.Event, s *vi.Snapshot) error {
	for _, r := range t {
		if err := r.Record(e, s); err != nil {
			return err
		}
	}
	return nil
}
