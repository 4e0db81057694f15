package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/saddlepoint/saddle/constrained"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/saddlepoint/saddle/internal/plotting"
	"github.com/saddlepoint/saddle/internal/registry"
)

// A showcase is one problem of the demo with what to look for.
type showcase struct {
	spec, lesson string
}

var showcases = []showcase{
	{"rps", "Rock-paper-scissors over simplices: gradient descent-ascent's last iterate circles the uniform equilibrium forever; extragradient-type methods converge to it."},
	{"bilinear:n=20,seed=1", "An unconstrained bilinear game: simultaneous GDA spirals out and is stopped as diverged; extragradient and its relatives converge linearly."},
	{"quadratic-bilinear:a=1,b=3,c=1", "A strongly monotone game: the unanchored methods converge linearly, the strong coupling b = 3 making plain GDA the slowest of them; the anchored ones (aog, arg, eag, feg, halpern, app) keep their O(1/k) rate even here, the price of the anchor, and the Adam family at its default momentum does not settle."},
	{"matching-pennies", "Matching pennies: the same story as rock-paper-scissors on the smallest game."},
	{"comonotone", "A ρ-negatively comonotone rotation (ρ = 1/9, L = 3, beyond monotonicity): GDA and the methods built for monotone problems diverge; eg and og refuse to run outside their theorems' ρ ≤ 1/(8L) and ρ ≤ 5/(62L); proximal point (γ > 2ρ), eg+ and ceg+ converge, as their theory says, and the anchored feg and halpern close in at their O(1/k) rate; agraal adapts its step but its guarantee is for monotone problems, and here it diverges."},
	{"forsaken", "Forsaken, non-monotone on a box, outside every global theory: extragradient, optimistic gradient and most others are caught by a limit cycle around the stationary point; ceg+, whose extrapolation follows the local curvature, escapes and converges (here so do the line-searching fbf and the restarted methods, whose restarts break the cycle)."},
	{"kelly", "A Kelly auction: four bidders share a resource in proportion to their bids. Its global Lipschitz constant is about 300 times its curvature at the equilibrium, so the methods that take a fixed step from L crawl (their iteration limit stops them), while those that adapt their step to the local curvature converge in a few hundred evaluations: ceg+ and fbf by backtracking, agraal from its last two iterates."},
	{"dirac-gan", "The Dirac-GAN, a one-parameter generator against a one-parameter discriminator: simultaneous GDA spirals away from the equilibrium to the edge of the box, the Adam family at its default momentum β1 = 0.9 does not settle either, while extragradient, optimistic gradient and their relatives converge (try dirac-gan:gamma=0.3, where a gradient penalty makes GDA converge too)."},
	{"finite-sum:n=5,terms=8,seed=1", "A finite sum of games sampled one term at a time: stochastic extragradient (seg, speg) with constant steps stops at a noise floor, deterministic methods on the mean converge."},
}

func demoCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "also write a residual plot (.png) and a trace (.csv) per problem to this directory")
	maxIter := fs.Int("max-iter", 5000, "iteration limit of every run")
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "saddle demo: unexpected argument %q\n", fs.Arg(0))
		return exitBadInput
	}
	if *maxIter < 1 {
		fmt.Fprintf(stderr, "saddle demo: --max-iter %d: want ≥ 1\n", *maxIter)
		return exitBadInput
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			fmt.Fprintln(stderr, "saddle demo:", err)
			return exitBadInput
		}
	}
	fmt.Fprintln(stdout, "saddle demo: every method on built-in problems; measures are recomputed at the last iterate, the average beside it.")
	for _, sc := range showcases {
		in, err := registry.Problem(sc.spec)
		if err != nil {
			fmt.Fprintln(stderr, "saddle demo:", err)
			return exitBadInput
		}
		fmt.Fprintf(stdout, "\n== %s\n%s\n\n", sc.spec, sc.lesson)
		f := runFlags{tol: 1e-8, maxIter: *maxIter}
		var runs []outcome
		for _, m := range registry.Methods() {
			if (m.Stochastic && !in.Stochastic) || (m.Runs != nil && !m.Runs(in)) {
				continue
			}
			runs = append(runs, solveOne(context.Background(), in, m.Name, &f, nil))
		}
		printTable(stdout, in, runs)
		if *out != "" {
			base := filepath.Join(*out, strings.NewReplacer(":", "_", ",", "_", "=", "").Replace(sc.spec))
			f.trace, f.plot = base+".csv", base+".png"
			if err := writeOutputs(&f, in, runs); err != nil {
				fmt.Fprintln(stderr, "saddle demo:", err)
				return exitBadInput
			}
			fmt.Fprintf(stdout, "\nwrote %s and %s\n", f.plot, f.trace)
		}
	}
	for _, sc := range cmdpShowcases {
		if code := demoCMDP(sc, *maxIter, *out, stdout, stderr); code != exitConverged {
			return code
		}
	}
	return exitConverged
}

// cmdpShowcases are the constrained MDPs of the demo.
var cmdpShowcases = []showcase{
	{"two-state-cmdp", "A constrained MDP (saddle cmdp): maximize reward with a discounted cost at most 2. The optimum randomizes, π(go|s0) = 10/41, with reward 3.04. Lagrangian GDA's last iterate keeps swinging across the constraint, its Lagrangian gap stuck far from 0; its average comes closer (and closer still with smaller steps); optimism on both players (reload) converges to the LP optimum in the last iterate."},
	{"gridworld-cmdp", "A gridworld with hazard cells, the threshold between the safest and the fastest route: the same contrast on a larger CMDP."},
}

// demoCMDP runs both Lagrangian methods on one CMDP and prints a table;
// with an output directory it also plots each method's Lagrangian gap.
func demoCMDP(sc showcase, maxIter int, dir string, stdout, stderr io.Writer) int {
	c, err := registry.CMDP(sc.spec)
	if err != nil {
		fmt.Fprintln(stderr, "saddle demo:", err)
		return exitBadInput
	}
	fmt.Fprintf(stdout, "\n== %s\n%s\n\n", sc.spec, sc.lesson)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\tstatus\titerations\treward\tviolation\tgap\tavg reward\tavg violation\tavg gap\t")
	var curves []plotting.Series
	for _, m := range registry.CMDPMethods() {
		tr := &constrained.Trace{}
		s := &constrained.Settings{MaxIterations: maxIter, Recorder: tr}
		res, err := constrained.Solve(context.Background(), &constrained.Problem{CMDP: c}, m.New(0), s)
		if err != nil {
			fmt.Fprintln(stderr, "saddle demo:", err)
			return exitBadInput
		}
		x := make([]float64, len(tr.Iterations))
		for i, k := range tr.Iterations {
			x[i] = float64(k)
		}
		curves = append(curves, plotting.Series{Name: m.Name, X: x, Y: tr.Column("lagrangian_gap")})
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.6g\t%.2e\t%.2e\t%.6g\t%.2e\t%.2e\t\n", m.Name, res.Status, res.Iterations,
			res.Last.Reward, res.Last.Violation, res.Last.LagrangianGap,
			res.Average.Reward, res.Average.Violation, res.Average.LagrangianGap)
	}
	tw.Flush()
	if opt, err := c.Optimum(); err == nil {
		fmt.Fprintf(stdout, "optimum by LP: reward %.6g, multipliers %.6g\n", opt.Value, opt.Multipliers)
	}
	if dir != "" {
		fig := filepath.Join(dir, sc.spec+".png")
		err := plotting.Lines(fig, curves, plotting.Options{Title: sc.spec, XLabel: "iteration", YLabel: "Lagrangian gap (last iterate)"})
		if err != nil {
			fmt.Fprintln(stderr, "saddle demo:", err)
			return exitBadInput
		}
		fmt.Fprintf(stdout, "\nwrote %s\n", fig)
	}
	return exitConverged
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
