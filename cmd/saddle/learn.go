package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/internal/plotting"
	"github.com/saddlepoint/saddle/internal/registry"
	"github.com/saddlepoint/saddle/vi"
)

// learnResult is the JSON object `saddle learn --json` prints.
type learnResult struct {
	Problem    string      `json:"problem"`
	Learner    string      `json:"learner"`
	Status     string      `json:"status"`
	Rounds     int         `json:"rounds"`
	Regrets    []jsonFloat `json:"regrets"`
	MaxRegret  jsonFloat   `json:"max_regret"`
	Gap        jsonFloat   `json:"gap"`
	AverageGap jsonFloat   `json:"average_gap"`
	Z          []jsonFloat `json:"z"`
	Average    []jsonFloat `json:"average"`
	Distance   *jsonFloat  `json:"distance,omitempty"`
	Seconds    float64     `json:"seconds"`
}

// learnCmd plays a game repeatedly, every player running the same online
// learner on its own gradient, and reports each player's regret and the
// Nash gap of the last and of the average play.
func learnCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("learn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	learner := fs.String("learner", "og", "ogd, og, aog, hedge or optimistic-hedge")
	step := fs.Float64("step", 0, "step η of every player (0: 1/(4L), L the game's Lipschitz constant)")
	rounds := fs.Int("rounds", 10000, "rounds of play")
	tol := fs.Float64("tol", 1e-6, "the play has converged when its Nash gap is ≤ tol after the last round")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	trace := fs.String("trace", "", "write regret and Nash gaps per round to this CSV file")
	plot := fs.String("plot", "", "draw the Nash gaps of the last and the average play to this .png or .svg file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: saddle learn [flags] PROBLEM\n\nPROBLEM is a game: a .nfg file, a matrix game (rps, random-game:m=5,n=7, a .json matrix game) or cournot, kelly, quadratic-game.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return exitBadInput
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "saddle learn: want exactly one PROBLEM")
		fs.Usage()
		return exitBadInput
	}
	if *rounds < 1 {
		fmt.Fprintf(stderr, "saddle learn: --rounds %d: want ≥ 1\n", *rounds)
		return exitBadInput
	}
	f := runFlags{step: *step, tol: *tol, maxIter: *rounds, trace: *trace, plot: *plot}
	if err := f.check(); err != nil {
		fmt.Fprintln(stderr, "saddle learn:", err)
		return exitBadInput
	}
	in, err := loadInstance(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "saddle learn:", err)
		return exitBadInput
	}
	game, err := registry.Play(in)
	if err != nil {
		fmt.Fprintln(stderr, "saddle learn:", err)
		return exitBadInput
	}
	eta := *step
	if eta == 0 {
		l, ok := in.Problem.F.(vi.Lipschitzer)
		if !ok || !(l.Lipschitz() > 0) || math.IsInf(l.Lipschitz(), 0) {
			fmt.Fprintln(stderr, "saddle learn: the game reports no Lipschitz constant to take the step from; set --step")
			return exitBadInput
		}
		eta = 1 / (4 * l.Lipschitz())
	}
	learners := make([]games.OnlineLearner, len(game.Blocks()))
	for i := range learners {
		if learners[i], _, err = registry.Learner(*learner, eta); err != nil {
			fmt.Fprintln(stderr, "saddle learn:", err)
			return exitBadInput
		}
	}
	d := &games.LearningDynamics{Game: game, Learners: learners, X0: in.Problem.Z0, Horizon: *rounds}
	if err := d.Init(); err != nil {
		fmt.Fprintln(stderr, "saddle learn:", err)
		return exitBadInput
	}
	every := max(1, *rounds/1000)
	var rows [][4]float64 // round, max regret, gap, average gap
	t0 := time.Now()
	for t := 1; t <= *rounds; t++ {
		if err := d.Step(); err != nil {
			fmt.Fprintln(stderr, "saddle learn:", err)
			return exitBadInput
		}
		if (*trace != "" || *plot != "") && (t%every == 0 || t == *rounds) {
			rows = append(rows, [4]float64{float64(t), d.MaxRegret(), d.NashGap(), d.AverageNashGap()})
		}
	}
	r := learnResult{Problem: in.Name, Learner: *learner, Rounds: d.Rounds(), MaxRegret: jsonFloat(d.MaxRegret()),
		Gap: jsonFloat(d.NashGap()), AverageGap: jsonFloat(d.AverageNashGap()),
		Z: floatsJSON(d.Last()), Average: floatsJSON(d.Average()), Seconds: time.Since(t0).Seconds()}
	for i := range learners {
		r.Regrets = append(r.Regrets, jsonFloat(d.Regret(i)))
	}
	if in.Solution != nil {
		r.Distance = ptr(vi.Distance(d.Last(), in.Solution))
	}
	r.Status = "iteration-limit"
	converged := float64(r.Gap) <= *tol
	if converged {
		r.Status = "converged"
	}
	if err := writeLearnOutputs(rows, *trace, *plot, *learner); err != nil {
		fmt.Fprintln(stderr, "saddle learn:", err)
		return exitBadInput
	}
	if *asJSON {
		if err := encodeJSON(stdout, r); err != nil {
			fmt.Fprintln(stderr, "saddle learn:", err)
			return exitBadInput
		}
	} else {
		printLearnSummary(stdout, r)
	}
	if converged {
		return exitConverged
	}
	return exitNotConverged
}

// writeLearnOutputs writes the trace and the plot when asked for.
func writeLearnOutputs(rows [][4]float64, trace, plot, learner string) error {
	if trace != "" {
		fh, err := os.Create(trace)
		if err != nil {
			return err
		}
		w := csv.NewWriter(fh)
		w.Write([]string{"round", "max_regret", "gap", "average_gap"})
		for _, r := range rows {
			w.Write([]string{strconv.Itoa(int(r[0])), fmtG(r[1]), fmtG(r[2]), fmtG(r[3])})
		}
		w.Flush()
		if err := w.Error(); err != nil {
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
	last, avg := plotting.Series{Name: "Nash gap, last play"}, plotting.Series{Name: "Nash gap, average play"}
	for _, r := range rows {
		last.X, last.Y = append(last.X, r[0]), append(last.Y, r[2])
		avg.X, avg.Y = append(avg.X, r[0]), append(avg.Y, r[3])
	}
	return plotting.Lines(plot, []plotting.Series{last, avg}, plotting.Options{LogX: true, Title: learner, XLabel: "round", YLabel: "Nash gap"})
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }

// printLearnSummary writes the result for a reader.
func printLearnSummary(w io.Writer, r learnResult) {
	fmt.Fprintf(w, "problem      %s\n", r.Problem)
	fmt.Fprintf(w, "learner      %s (every player)\n", r.Learner)
	fmt.Fprintf(w, "status       %s\n", r.Status)
	fmt.Fprintf(w, "rounds       %d (%.3gs)\n", r.Rounds, r.Seconds)
	fmt.Fprintf(w, "regret       %.4g (largest %.4g)\n", r.Regrets, float64(r.MaxRegret))
	fmt.Fprintf(w, "Nash gap     %.4g (last play), %.4g (average play)\n", float64(r.Gap), float64(r.AverageGap))
	if r.Distance != nil {
		fmt.Fprintf(w, "distance     %.4g from the known equilibrium (last play)\n", float64(*r.Distance))
	}
	const show = 8
	z, more := r.Z, ""
	if len(z) > show {
		z, more = z[:show], fmt.Sprintf(" … (%d more)", len(r.Z)-show)
	}
	fmt.Fprintf(w, "play         %.6g%s\n", z, more)
}
