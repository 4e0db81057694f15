package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// conformanceProblems are the instances of the conformance grid, each with
// a known solution or (games) a known value; file problems are read from
// testdata.
var conformanceProblems = []string{
	"bilinear:n=10,seed=1",
	"quadratic-bilinear:a=1,b=3,c=1",
	"rps",
	"matching-pennies",
	"biased-rps",
	"testdata/box-affine.json",
	"cournot",
	"quadratic-game",
	"comonotone",               // ρL = 1/3: pp, eg+, ceg+, feg, halpern
	"comonotone:rho=0.02,L=3",  // ρL = 0.06: also eg and og
	"comonotone:rho=0.005,L=3", // ρL = 0.015: also arg
}

func conformanceInstance(t *testing.T, spec string) *Instance {
	t.Helper()
	var in *Instance
	var err error
	if spec[0] == 't' {
		in, err = LoadProblem(spec)
		if err == nil && spec == "testdata/box-affine.json" {
			in.Solution = []float64{0, 1, 0.5, 0.25} // the file's construction
		}
	} else {
		in, err = Problem(spec)
	}
	require.NoError(t, err)
	return in
}

// TestConformance runs every method on every problem its theory covers and
// asserts what every method owes its users: convergence to the known
// answer, a reported residual equal to an independent recomputation at
// Result.Z, exactly the evaluations and projections per iteration its
// documentation states, an untouched Z0, and bit-identical repeated runs.
func TestConformance(t *testing.T) {
	for _, info := range Methods() {
		// Anchored methods converge at O(1/k) everywhere, from a constant
		// proportional to the start's distance to the solution; 1e-4 times
		// the starting residual (at least 1) is what a budget of 3·10⁶
		// iterations reaches on these problems. Distances are held to 1000
		// times the residual tolerance: these problems are well
		// conditioned (bilinear: σ_min(A) ≥ 1/2; the games are strongly
		// monotone) or sharp (matrix games), so the solution is within a
		// modest multiple of the residual.
		for _, spec := range conformanceProblems {
			in := conformanceInstance(t, spec)
			if !info.Covers(in) || info.Stochastic {
				continue // stochastic methods: constant steps stop at a noise floor; vi's tests check their rates
			}
			tol, budget := 1e-9, 200000
			if info.Anchored {
				z0 := in.Problem.Z0
				if z0 == nil {
					z0 = make([]float64, in.Problem.F.Dim()) // Solve's default start
				}
				r0 := vi.NaturalResidual(in.Problem.F, in.Problem.C, z0)
				tol, budget = 1e-4*max(1, r0), 3000000
			}
			t.Run(info.Name+"/"+spec, func(t *testing.T) {
				z0 := append([]float64(nil), in.Problem.Z0...)
				s := &vi.Settings{Tol: tol, MaxIterations: budget}
				o := Options{Split: in.Split, Rho: in.Rho}
				res, err := vi.Solve(context.Background(), in.Problem, info.New(o), s)
				require.NoError(t, err)
				require.Equal(t, vi.Converged, res.Status, "after %d iterations, residual %v", res.Iterations, res.Residual)
				assert.Equal(t, z0, in.Problem.Z0, "Z0 modified")

				again := vi.NaturalResidual(in.Problem.F, in.Problem.C, res.Z)
				assert.InDelta(t, again, res.Residual, 1e-15, "reported residual differs from a recomputation")
				assert.LessOrEqual(t, again, tol)
				if in.Solution != nil {
					assert.Less(t, vi.Distance(res.Z, in.Solution), 1000*tol, "distance to the known solution")
				}
				if in.Game != nil {
					assert.Less(t, in.Game.GapOf(res.Z), 100*tol, "duality gap")
				}

				if info.Evals >= 0 {
					assert.Equal(t, info.InitEvals+info.Evals*res.Iterations, res.Evaluations, "evaluations")
				}
				if info.Projections >= 0 && in.Problem.C != nil {
					assert.Equal(t, 1+info.InitProjections+info.Projections*res.Iterations, res.Projections, "projections")
				}

				res2, err := vi.Solve(context.Background(), in.Problem, info.New(o), s)
				require.NoError(t, err)
				assert.Equal(t, res.Z, res2.Z, "two runs differ")
				assert.Equal(t, res.Stats.Evaluations, res2.Stats.Evaluations)
			})
		}
	}
}

// TestEveryMethodIterateAllocatesNothing checks Iterate on problems with
// and without a set, and on a stochastic one. A method may refuse a
// problem in Init (OPT-AMSGrad's weighted projection exists only for
// boxes; stochastic methods need samples) with a vi error, but every
// method must run on at least one.
func TestEveryMethodIterateAllocatesNothing(t *testing.T) {
	for _, info := range Methods() {
		ran := 0
		for _, spec := range []string{"rps", "bilinear:n=10,seed=1", "testdata/box-affine.json", "finite-sum"} {
			in := conformanceInstance(t, spec)
			m := info.New(Options{Split: in.Split})
			if err := m.Init(in.Problem); err != nil {
				msg := err.Error()
				assert.True(t, strings.HasPrefix(msg, "vi: ") || strings.HasPrefix(msg, "games: "), "%s on %s: %v", info.Name, spec, err)
				continue
			}
			ran++
			for k := 0; k < 3; k++ { // leave any first-iteration special case behind
				require.NoError(t, m.Iterate())
			}
			a := testing.AllocsPerRun(50, func() { _ = m.Iterate() })
			assert.Zero(t, a, "%s on %s allocates per iteration", info.Name, spec)
		}
		assert.Positive(t, ran, "%s ran on no problem", info.Name)
	}
}

// TestEveryMethodIsCovered makes sure the conformance grid is not empty for
// any method.
func TestEveryMethodIsCovered(t *testing.T) {
	for _, info := range Methods() {
		if info.Heuristic || info.Stochastic || info.Ergodic {
			continue // no last-iterate theory; their own tests in vi say where they work
		}
		n := 0
		for _, spec := range conformanceProblems {
			if info.Covers(conformanceInstance(t, spec)) {
				n++
			}
		}
		assert.Positive(t, n, "%s runs on no conformance problem", info.Name)
	}
}

// TestConformanceContract holds the methods left out of the convergence
// grid (Adam-type heuristics, stochastic methods) to the rest of the
// contract on the finite-sum game, which all of them can run: exact
// evaluation counts, a recomputed residual, an untouched Z0, bit-identical
// reruns. The Adam-type methods converge there at their defaults (a
// strongly monotone, weakly coupled game; on quadratic-bilinear with b = 3
// they do not); the stochastic ones only reach their noise floor, so for
// them the run is a fixed budget and their rates are tested in vi.
func TestConformanceContract(t *testing.T) {
	in := conformanceInstance(t, "finite-sum")
	for _, info := range Methods() {
		if !info.Heuristic && !info.Stochastic {
			continue
		}
		t.Run(info.Name, func(t *testing.T) {
			z0 := append([]float64(nil), in.Problem.Z0...)
			s := &vi.Settings{Tol: 1e-6, MaxIterations: 20000}
			if info.Stochastic {
				s = &vi.Settings{Tol: -1, MaxIterations: 2000}
			}
			o := Options{Split: in.Split}
			res, err := vi.Solve(context.Background(), in.Problem, info.New(o), s)
			require.NoError(t, err)
			if info.Stochastic {
				assert.Equal(t, vi.IterationLimit, res.Status)
				assert.Less(t, vi.Distance(res.Z, in.Solution), 0.5*vi.Distance(in.Problem.Z0, in.Solution), "progress toward the solution")
			} else {
				require.Equal(t, vi.Converged, res.Status, "residual %v after %d iterations", res.Residual, res.Iterations)
				assert.Less(t, vi.Distance(res.Z, in.Solution), 1e-5)
			}
			assert.Equal(t, z0, in.Problem.Z0, "Z0 modified")
			assert.InDelta(t, vi.NaturalResidual(in.Problem.F, in.Problem.C, res.Z), res.Residual, 1e-15)
			if info.Evals >= 0 {
				assert.Equal(t, info.InitEvals+info.Evals*res.Iterations, res.Evaluations, "evaluations")
			}
			res2, err := vi.Solve(context.Background(), in.Problem, info.New(o), s)
			require.NoError(t, err)
			assert.Equal(t, res.Z, res2.Z, "two runs differ")
		})
	}
}

// TestConformanceErgodic holds the methods whose guarantee is on the
// average (mirror-prox) to the contract on the matrix games: exact
// evaluation counts, a recomputed residual, an untouched Z0, bit-identical
// reruns, and an average whose duality gap falls with the iterations.
func TestConformanceErgodic(t *testing.T) {
	for _, info := range Methods() {
		if !info.Ergodic {
			continue
		}
		for _, spec := range []string{"rps", "matching-pennies", "biased-rps"} {
			t.Run(info.Name+"/"+spec, func(t *testing.T) {
				in := conformanceInstance(t, spec)
				z0 := append([]float64(nil), in.Problem.Z0...)
				gaps := make([]float64, 2)
				for i, iters := range []int{100, 1000} {
					s := &vi.Settings{Tol: -1, MaxIterations: iters}
					res, err := vi.Solve(context.Background(), in.Problem, info.New(Options{}), s)
					require.NoError(t, err)
					require.Equal(t, vi.IterationLimit, res.Status)
					assert.Equal(t, info.InitEvals+info.Evals*res.Iterations, res.Evaluations, "evaluations")
					assert.Equal(t, 1+info.InitProjections+info.Projections*res.Iterations, res.Projections, "projections")
					assert.InDelta(t, vi.NaturalResidual(in.Problem.F, in.Problem.C, res.Z), res.Residual, 1e-15)
					gaps[i] = in.Game.GapOf(res.Average)
					again, err := vi.Solve(context.Background(), in.Problem, info.New(Options{}), s)
					require.NoError(t, err)
					assert.Equal(t, res.Z, again.Z, "two runs differ")
				}
				// O(1/T): ten times the iterations, at least five times
				// smaller a gap.
				assert.Less(t, gaps[1], gaps[0]/5, "average's duality gap after 100 and 1000 iterations: %v", gaps)
				assert.Equal(t, z0, in.Problem.Z0, "Z0 modified")
			})
		}
	}
}

// TestRunsAgreesWithInit checks each method's Runs against what its Init
// accepts on every conformance problem.
func TestRunsAgreesWithInit(t *testing.T) {
	for _, info := range Methods() {
		if info.Runs == nil {
			continue
		}
		for _, spec := range conformanceProblems {
			in := conformanceInstance(t, spec)
			err := info.New(Options{Split: in.Split}).Init(in.Problem)
			assert.Equal(t, info.Runs(in), err == nil, "%s on %s: Init says %v", info.Name, spec, err)
		}
	}
}
