package vi

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// comonoForsaken is the Forsaken game (ALGORITHMS.md B5.1, from the
// official code of Pethick et al., Experiments.nb):
// f(x, y) = x(y − 0.45) + φ(x) − φ(y), φ(z) = z²/4 − z⁴/2 + z⁶/6,
// F(x, y) = (ψ(x) + y − 0.45, −x + ψ(y)), ψ = φ' = z/2 − 2z³ + z⁵, on the
// box [−3/2, 3/2]².
type comonoForsaken struct{}

func (comonoForsaken) Dim() int { return 2 }

func (comonoForsaken) Apply(dst, z []float64) {
	x, y := z[0], z[1]
	dst[0] = comonoPsi(x) + y - 0.45
	dst[1] = -x + comonoPsi(y)
}

func comonoPsi(t float64) float64  { return t/2 - 2*t*t*t + t*t*t*t*t }
func comonoDPsi(t float64) float64 { return 0.5 - 6*t*t + 5*t*t*t*t }

// comonoForsakenJacobian is JF = [[ψ'(x), 1], [−1, ψ'(y)]].
func comonoForsakenJacobian(z []float64) (a, b, c, d float64) {
	return comonoDPsi(z[0]), 1, -1, comonoDPsi(z[1])
}

// comonoForsakenCurvature is ‖JF(z)‖₂, the local curvature CurvatureEG+
// starts its step from.
func comonoForsakenCurvature(z []float64) float64 {
	return comonoNorm2x2(comonoForsakenJacobian(z))
}

// comonoNorm2x2 is the spectral norm of [[a, b], [c, d]].
func comonoNorm2x2(a, b, c, d float64) float64 {
	s := a*a + b*b + c*c + d*d
	det := a*d - b*c
	return math.Sqrt((s + math.Sqrt(max(0, s*s-4*det*det))) / 2)
}

// comonoForsakenBox is the box of Pethick et al.'s experiments.
func comonoForsakenBox() Box {
	return Box{Lo: []float64{-1.5, -1.5}, Hi: []float64{1.5, 1.5}}
}

// comonoForsakenStar is the stationary point of ALGORITHMS.md B5.1 to the
// digits given there.
var comonoForsakenStar = []float64{0.0780267, 0.4119339}

// comonoForsakenSolution refines comonoForsakenStar by Newton's method.
func comonoForsakenSolution() []float64 {
	z := append([]float64(nil), comonoForsakenStar...)
	f := make([]float64, 2)
	for range 20 {
		comonoForsaken{}.Apply(f, z)
		a, b, c, d := comonoForsakenJacobian(z)
		det := a*d - b*c
		z[0] -= (d*f[0] - b*f[1]) / det
		z[1] -= (-c*f[0] + a*f[1]) / det
	}
	return z
}

// comonoPolar is the polar game of Pethick et al. (ALGORITHMS.md B5.2,
// official PolarGame.nb): in polar form the flow −F has radial component
// −a·r(r² − 1)(r² − 9/16) and angular speed −b, so that
// F(x, y) = (x·g − b·y, y·g + b·x) with g = (a/16)(r² − 1)(16r² − 9). The
// solution is 0; r = 1 and r = 3/4 are limit cycles of the flow.
type comonoPolar struct{ a, b float64 }

func (comonoPolar) Dim() int { return 2 }

func (p comonoPolar) Apply(dst, z []float64) {
	x, y := z[0], z[1]
	g := p.g(x*x + y*y)
	dst[0] = x*g - p.b*y
	dst[1] = y*g + p.b*x
}

func (p comonoPolar) g(r2 float64) float64 { return p.a / 16 * (r2 - 1) * (16*r2 - 9) }

// curvature is ‖JF(z)‖₂ with JF = gI + 2g'·zzᵀ + b·[[0, −1], [1, 0]],
// g' = dg/d(r²) = (a/16)(32r² − 25).
func (p comonoPolar) curvature(z []float64) float64 {
	x, y := z[0], z[1]
	r2 := x*x + y*y
	g, gp := p.g(r2), p.a/16*(32*r2-25)
	return comonoNorm2x2(g+2*x*x*gp, 2*x*y*gp-p.b, 2*x*y*gp+p.b, g+2*y*y*gp)
}

// comonoPolarBox is the box [−11/10, 11/10]² of the experiments.
func comonoPolarBox() Box {
	return Box{Lo: []float64{-1.1, -1.1}, Hi: []float64{1.1, 1.1}}
}

// comonoPolarL is the official Lipschitz constant of the polar game with
// a = b = 1 on its box (PolarGame.nb): ≈ 18.548.
var comonoPolarL = math.Sqrt(70246989617+2538096*math.Sqrt(704424929)) / 20000

// comonoGridScan returns, over an (n+1)² grid of the box [−h, h]², the
// largest ‖JF‖₂ and the smallest ⟨F(z), z − z*⟩/‖F(z)‖², the weak Minty
// constant δ = −ρ of the box.
func comonoGridScan(f Operator, curv func([]float64) float64, h float64, n int, zs []float64) (lmax, minRatio float64) {
	z, fz := make([]float64, 2), make([]float64, 2)
	minRatio = math.Inf(1)
	for i := 0; i <= n; i++ {
		for j := 0; j <= n; j++ {
			z[0], z[1] = -h+2*h*float64(i)/float64(n), -h+2*h*float64(j)/float64(n)
			lmax = max(lmax, curv(z))
			f.Apply(fz, z)
			if s := fz[0]*fz[0] + fz[1]*fz[1]; s > 0 {
				minRatio = min(minRatio, (fz[0]*(z[0]-zs[0])+fz[1]*(z[1]-zs[1]))/s)
			}
		}
	}
	return lmax, minRatio
}

// The instances themselves: the stationary point of Forsaken, and the
// constants of both games on their boxes (1101² grids).
func TestConstrainedEGPlusInstances(t *testing.T) {
	zs := comonoForsakenSolution()
	f := make([]float64, 2)
	comonoForsaken{}.Apply(f, zs)
	assert.LessOrEqual(t, norm(f), 1e-15)
	assert.InDeltaSlice(t, comonoForsakenStar, zs, 1e-7)
	lmax, ratio := comonoGridScan(comonoForsaken{}, comonoForsakenCurvature, 1.5, 1100, zs)
	t.Logf("forsaken: z* = %.10f, max ‖JF‖ = %.4f, min ⟨F(z), z − z*⟩/‖F(z)‖² = %.4f, ‖JF(z*)‖ = %.4f", zs, lmax, ratio, comonoForsakenCurvature(zs))
	assert.InDelta(t, 12.40, lmax, 0.01, "L ≈ 12.4 on the box (12.5 in third-party code)")
	assert.InDelta(t, -1.52, ratio, 0.01, "weak Minty only with ρ ≈ 1.52, far beyond 1/(2L)")

	pol := comonoPolar{a: 1, b: 1}
	lmax, ratio = comonoGridScan(pol, pol.curvature, 1.1, 1100, []float64{0, 0})
	t.Logf("polar: official L = %.6f, grid max ‖JF‖ = %.6f, min ⟨F(z), z⟩/‖F(z)‖² = %.5f", comonoPolarL, lmax, ratio)
	assert.InDelta(t, 18.548, comonoPolarL, 1e-3)
	assert.LessOrEqual(t, lmax, comonoPolarL+1e-9)
	assert.InDelta(t, comonoPolarL, lmax, 1e-3)
	assert.InDelta(t, -0.0477, ratio, 1e-4)
	// the Jacobian norms against finite differences
	for _, z := range [][]float64{{0.3, -0.7}, {1, 0.5}, {-1.2, 0.1}} {
		for _, c := range []struct {
			f    Operator
			curv func([]float64) float64
		}{{comonoForsaken{}, comonoForsakenCurvature}, {pol, pol.curvature}} {
			const h = 1e-6
			fp, fm := make([]float64, 2), make([]float64, 2)
			var jac [4]float64
			for j := range 2 {
				zp, zm := append([]float64(nil), z...), append([]float64(nil), z...)
				zp[j] += h
				zm[j] -= h
				c.f.Apply(fp, zp)
				c.f.Apply(fm, zm)
				jac[j], jac[2+j] = (fp[0]-fm[0])/(2*h), (fp[1]-fm[1])/(2*h)
			}
			assert.InDelta(t, comonoNorm2x2(jac[0], jac[1], jac[2], jac[3]), c.curv(z), 1e-6)
		}
	}
}

// Forsaken (ALGORITHMS.md B5.1): extragradient with η = 1/(2L), L = 12.5,
// started outside the small basin of z*, is attracted to a limit cycle
// (period ≈ 187 iterations, distance to z* between 0.922 and 1.891, never
// touching the box), while CurvatureEG+ with the authors' parameters
// (γ from ν/‖JF(z_k)‖, ν = 0.99, τ = 0.5, δ_k = −0.99γ_k/2 since
// Rho = 1.52 ≥ 0.495γ_k, λ = 1) converges to z*. EG does converge from a
// start near z*: the cycle is a spurious attractor, not an instability
// of z*.
func TestConstrainedEGPlusForsaken(t *testing.T) {
	zs := comonoForsakenSolution()
	box := comonoForsakenBox()
	const eta = 1 / (2 * 12.5)
	for _, z0 := range [][]float64{{1, 1}, {-1, 0.5}, {0.5, -0.5}, {0.3, 0.3}} {
		t.Run(fmt.Sprintf("start=%v", z0), func(t *testing.T) {
			p := &Problem{F: comonoForsaken{}, C: box, Z0: z0}
			eg := &Extragradient{Step: eta}
			require.NoError(t, eg.Init(p))
			const burn, window = 10000, 5000
			var dmin, dmax [2]float64
			var rmin float64 = math.Inf(1)
			for w := range 2 {
				dmin[w], dmax[w] = math.Inf(1), 0
			}
			for k := range burn + 2*window {
				require.NoError(t, eg.Iterate())
				if k < burn {
					continue
				}
				w := (k - burn) / window
				d := Distance(eg.Current(), zs)
				dmin[w], dmax[w] = min(dmin[w], d), max(dmax[w], d)
				rmin = min(rmin, NaturalResidual(p.F, box, eg.Current()))
			}
			t.Logf("eg: distance to z* in [%.4f, %.4f] then [%.4f, %.4f]; min natural residual %.3f", dmin[0], dmax[0], dmin[1], dmax[1], rmin)
			assert.GreaterOrEqual(t, dmin[1], 0.9, "bounded away from z*")
			assert.LessOrEqual(t, dmax[1], 1.9, "bounded, inside the box")
			assert.InDelta(t, dmin[0], dmin[1], 1e-3, "the same cycle in both windows")
			assert.InDelta(t, dmax[0], dmax[1], 1e-3, "the same cycle in both windows")
			assert.Greater(t, rmin, 0.1, "no stationary point on the cycle")

			c := &ConstrainedEGPlus{Curvature: comonoForsakenCurvature, Rho: 1.52}
			res, err := Solve(context.Background(), p, c, &Settings{Tol: 1e-10, MaxIterations: 2000})
			require.NoError(t, err)
			require.Equal(t, Converged, res.Status)
			assert.LessOrEqual(t, Distance(res.Z, zs), 1e-6)
			assert.Equal(t, 1+2*res.Iterations+c.Backtracks(), res.Evaluations)
			assert.Equal(t, 1+res.Iterations+c.Backtracks(), res.Projections)
			t.Logf("ceg+: converged in %d iterations, %d evaluations (%d backtracks), distance %.2g", res.Iterations, res.Evaluations, c.Backtracks(), Distance(res.Z, zs))

			// What makes the difference is the step from the local
			// curvature and δ below 0: CEG+ with the global ν/L, or with
			// δ = 0, is caught too.
			for _, m := range []*ConstrainedEGPlus{{L: 12.5, Rho: 1.52}, {Curvature: comonoForsakenCurvature}} {
				if z0[0] == 0.3 && m.Curvature != nil {
					continue // from (0.3, 0.3) δ = 0 converges as well (119 iterations)
				}
				res, err := Solve(context.Background(), p, m, &Settings{MaxIterations: 20000})
				require.NoError(t, err)
				assert.Equal(t, IterationLimit, res.Status)
				assert.GreaterOrEqual(t, Distance(res.Z, zs), 0.5)
			}
		})
	}
	t.Run("near z*", func(t *testing.T) {
		p := &Problem{F: comonoForsaken{}, C: box, Z0: []float64{0.1, 0.42}}
		res, err := Solve(context.Background(), p, &Extragradient{Step: eta}, &Settings{Tol: 1e-10})
		require.NoError(t, err)
		require.Equal(t, Converged, res.Status)
		assert.LessOrEqual(t, Distance(res.Z, zs), 1e-8)
	})
}

// Polar game (ALGORITHMS.md B5.2, a = b = 1, box [−1.1, 1.1]², start
// (1, 0.5)): extragradient with η = 1/(2L) ends on an invariant circle of
// radius ≈ 0.9825, next to the flow's limit cycle r = 1; CurvatureEG+
// converges to 0, with δ = −ρ for the box's ρ ≈ 0.0477 and with the
// authors' δ_k = −0.99γ_k/2 (Rho large).
func TestConstrainedEGPlusPolar(t *testing.T) {
	pol := comonoPolar{a: 1, b: 1}
	p := &Problem{F: pol, C: comonoPolarBox(), Z0: []float64{1, 0.5}}
	eg := &Extragradient{Step: 1 / (2 * comonoPolarL)}
	require.NoError(t, eg.Init(p))
	rmin, rmax := math.Inf(1), 0.0
	for k := range 40000 {
		require.NoError(t, eg.Iterate())
		if k >= 30000 {
			r := norm(eg.Current())
			rmin, rmax = min(rmin, r), max(rmax, r)
		}
	}
	t.Logf("eg: radius in [%.6f, %.6f] over iterations 30000–40000", rmin, rmax)
	assert.GreaterOrEqual(t, rmin, 0.95)
	assert.LessOrEqual(t, rmax, 1.0)
	res, err := Solve(context.Background(), p, &Extragradient{Step: 1 / (2 * comonoPolarL)}, nil)
	require.NoError(t, err)
	assert.Equal(t, IterationLimit, res.Status)

	for _, rho := range []float64{0.0477, 10} {
		c := &ConstrainedEGPlus{Curvature: pol.curvature, Rho: rho}
		res, err := Solve(context.Background(), p, c, &Settings{Tol: 1e-10, MaxIterations: 1000})
		require.NoError(t, err)
		require.Equal(t, Converged, res.Status, "ρ = %v", rho)
		assert.LessOrEqual(t, norm(res.Z), 1e-8)
		t.Logf("ceg+ ρ = %v: converged in %d iterations, %d evaluations (%d backtracks)", rho, res.Iterations, res.Evaluations, c.Backtracks())
	}
}

// Inside its theory: on the linear ρ-negatively comonotone instance of
// B5.3 (ρ = 1/9, L = 3) CEG+ with γ = ν/L' and δ = −ρ > −γ/2 converges
// (L' = 3.03 ≥ L: with L itself the test γ‖ΔF‖ ≤ ν‖Δz‖ is an equality on
// this scaled rotation and rounding decides it),
// where extragradient with equal steps diverges
// (TestExtragradientPlusNegativelyComonotone); with constraints and
// monotone F it finds the known solutions.
func TestConstrainedEGPlusConverges(t *testing.T) {
	tp := fomComonotone()
	m := &ConstrainedEGPlus{Rho: 1.0 / 9, L: 3.03}
	res, err := Solve(context.Background(), tp.p, m, &Settings{Tol: 1e-10})
	require.NoError(t, err)
	require.Equal(t, Converged, res.Status)
	assert.LessOrEqual(t, Distance(res.Z, tp.solution), 1e-9)
	assert.InDelta(t, 0.99/3.03, m.StepSize(), 1e-15)
	assert.Zero(t, m.Backtracks(), "ν/L is always accepted")
	t.Logf("B5.3: %d iterations", res.Iterations)
	for _, tp := range []testProblem{boxAffine(), rps(), randomBilinear(10, 2)} {
		res, err := Solve(context.Background(), tp.p, &ConstrainedEGPlus{}, &Settings{Tol: 1e-9, MaxIterations: 100000})
		require.NoError(t, err)
		require.Equal(t, Converged, res.Status, tp.name)
		assert.LessOrEqual(t, Distance(res.Z, tp.solution), 1e-6, tp.name)
		t.Logf("%s: %d iterations", tp.name, res.Iterations)
	}
}

// Infinite backtracking is cut off: at a jump of F no step passes the
// test, and after MaxBacktracks the run ends with Failure and an error.
func TestConstrainedEGPlusGivesUp(t *testing.T) {
	jump := funcOp{n: 1, f: func(dst, z []float64) {
		dst[0] = -1
		if z[0] > 0 {
			dst[0] = 1
		}
	}}
	p := &Problem{F: jump, Z0: []float64{0}}
	m := &ConstrainedEGPlus{Step: 1}
	res, err := Solve(context.Background(), p, m, nil)
	require.Error(t, err)
	assert.Equal(t, Failure, res.Status)
	assert.Contains(t, err.Error(), "MaxBacktracks = 100")
	assert.Equal(t, []float64{0}, res.Z, "the iterate is left unchanged")
	assert.Equal(t, 1+101, res.Evaluations)
}

func TestConstrainedEGPlusParameters(t *testing.T) {
	p := &Problem{F: comonoForsaken{}, C: comonoForsakenBox(), Z0: []float64{1, 1}}
	for _, c := range []struct {
		m     *ConstrainedEGPlus
		field string
	}{
		{&ConstrainedEGPlus{Nu: 1}, "Nu"},
		{&ConstrainedEGPlus{Nu: -0.5}, "Nu"},
		{&ConstrainedEGPlus{Tau: 1.5}, "Tau"},
		{&ConstrainedEGPlus{Lambda: 2}, "Lambda"},
		{&ConstrainedEGPlus{Rho: -1}, "Rho"},
		{&ConstrainedEGPlus{Rho: math.Inf(1)}, "Rho"},
		{&ConstrainedEGPlus{Step: math.NaN()}, "Step"},
		{&ConstrainedEGPlus{L: -1}, "L"},
		{&ConstrainedEGPlus{MaxBacktracks: -1}, "MaxBacktracks"},
	} {
		err := c.m.Init(p)
		require.Error(t, err, c.field)
		assert.Contains(t, err.Error(), "ConstrainedEGPlus."+c.field)
		assert.ErrorIs(t, c.m.Iterate(), errNotInit)
	}
	// Defaults: ν/L without curvature, 1 without L; a curvature that is not
	// positive falls back to them.
	m := &ConstrainedEGPlus{Curvature: func([]float64) float64 { return 0 }}
	require.NoError(t, m.Init(p))
	assert.Equal(t, 1.0, m.trial())
	m = &ConstrainedEGPlus{L: 12.5}
	require.NoError(t, m.Init(p))
	assert.InDelta(t, 0.99/12.5, m.trial(), 1e-16)
	m = &ConstrainedEGPlus{Curvature: comonoForsakenCurvature, Nu: 0.5, Step: 3}
	require.NoError(t, m.Init(p))
	assert.InDelta(t, 0.5/comonoForsakenCurvature([]float64{1, 1}), m.trial(), 1e-16)
}

// Iterate allocates nothing, backtracking or not, and two runs are
// identical bit for bit.
func TestConstrainedEGPlusNoAllocsDeterministic(t *testing.T) {
	p := &Problem{F: comonoForsaken{}, C: comonoForsakenBox(), Z0: []float64{1, 1}}
	for _, m := range []*ConstrainedEGPlus{
		{Curvature: comonoForsakenCurvature, Rho: 1.52},
		{Step: 5, Rho: 1.52}, // backtracks every iteration
	} {
		require.NoError(t, m.Init(p))
		assert.Zero(t, testing.AllocsPerRun(200, func() { _ = m.Iterate() }))
		if m.Step == 5 {
			assert.Greater(t, m.Backtracks(), 200)
		}
	}
	run := func() *Result {
		res, err := Solve(context.Background(), p, &ConstrainedEGPlus{Curvature: comonoForsakenCurvature, Rho: 1.52}, &Settings{Tol: 1e-10, MaxIterations: 2000})
		require.NoError(t, err)
		return res
	}
	a, b := run(), run()
	assert.Equal(t, a.Z, b.Z)
	assert.Equal(t, a.Iterations, b.Iterations)
	assert.Equal(t, a.Evaluations, b.Evaluations)
	assert.Equal(t, a.Projections, b.Projections)
}

func BenchmarkConstrainedEGPlusForsaken(b *testing.B) {
	p := &Problem{F: comonoForsaken{}, C: comonoForsakenBox(), Z0: []float64{1, 1}}
	m := &ConstrainedEGPlus{Curvature: comonoForsakenCurvature, Rho: 1.52}
	if err := m.Init(p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Iterate()
	}
}
