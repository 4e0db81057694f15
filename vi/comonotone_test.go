package vi

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// Beyond monotonicity: the guarantees of Gorbunov, Taylor, Horváth and
// Gidel ("Convergence of proximal point and extragradient-based methods
// beyond monotonicity: the case of negative comonotonicity", ICML 2023;
// GTHG below) checked at every iterate on instances with an exact ρ, and
// their failures reproduced. ρ ≥ 0 is negative comonotonicity in their
// convention (vi/doc.go).

// comonoBlock is one 2×2 block [[b, a], [−a, b]] of a block-diagonal
// linear operator F(z) = Mz (ALGORITHMS.md B5.3). The block is a scaled
// rotation: ⟨Mv, v⟩ = b‖v‖² and ‖Mv‖² = (a² + b²)‖v‖², so it is
// ρ-negatively comonotone with equality for ρ = −b/(a² + b²) when b < 0,
// and (a² + b²)^{1/2}-Lipschitz.
type comonoBlock struct{ a, b float64 }

func (k comonoBlock) rho() float64 { return max(0, -k.b/(k.a*k.a+k.b*k.b)) }
func (k comonoBlock) lip() float64 { return math.Hypot(k.a, k.b) }

// comonoLinear returns the block-diagonal F(z) = Mz with the given blocks,
// its exact ρ (the largest block ρ: the inequality holds block by block)
// and L (the largest block norm), and a seeded start. The solution is 0.
func comonoLinear(blocks []comonoBlock, seed uint64) (p *Problem, rho, l float64) {
	n := 2 * len(blocks)
	m := mat.NewDense(n, n, nil)
	for i, k := range blocks {
		m.Set(2*i, 2*i, k.b)
		m.Set(2*i, 2*i+1, k.a)
		m.Set(2*i+1, 2*i, -k.a)
		m.Set(2*i+1, 2*i+1, k.b)
		rho, l = max(rho, k.rho()), max(l, k.lip())
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	z0 := make([]float64, n)
	for i := range z0 {
		z0[i] = rng.NormFloat64()
	}
	return &Problem{F: newAffineOp(m, nil), Z0: z0}, rho, l
}

// comonoCheckRho asserts on random pairs that F is ρ-negatively comonotone
// and that ρ is the smallest such constant (equality on some pair of one
// block) — the spectral test of GTHG Thm 1 written out for scaled
// rotations.
func comonoCheckRho(t *testing.T, f Operator, rho float64) {
	t.Helper()
	n := f.Dim()
	rng := rand.New(rand.NewPCG(11, 3))
	x, y, fx, fy := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	worst := math.Inf(1)
	for range 200 {
		for i := range x {
			x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		f.Apply(fx, x)
		f.Apply(fy, y)
		var inner, sq float64
		for i := range x {
			inner += (fx[i] - fy[i]) * (x[i] - y[i])
			sq += (fx[i] - fy[i]) * (fx[i] - fy[i])
		}
		require.GreaterOrEqual(t, inner+rho*sq, -1e-12*sq)
		worst = min(worst, inner/sq)
	}
	if n == 2 {
		assert.InDelta(t, -rho, worst, 1e-12, "a 2-D scaled rotation meets the bound with equality")
	}
}

// comonoSqNorm returns ‖F(z)‖².
func comonoSqNorm(f Operator, z, buf []float64) float64 {
	f.Apply(buf, z)
	return norm(buf) * norm(buf)
}

// GTHG Thm 4: for ρ-negatively comonotone F and γ > 2ρ, proximal point
// has ‖F(x_N)‖² ≤ ‖x_0 − x*‖²/(γ(γ − 2ρ)N) at every N, checked on
// negatively comonotone linear operators (exact steps by the LU path).
// (That PP fails for γ ≤ 2ρ on F = −x/ρ is asserted in
// TestProximalPointNegativelyComonotoneThreshold.)
func TestComonotoneProximalPointBound(t *testing.T) {
	instances := [][]comonoBlock{
		{{a: 2 * math.Sqrt2, b: -1}},               // B5.3: ρ = 1/9, L = 3
		{{a: 1, b: -1}},                            // ρ = 1/2, L = √2
		{{a: 0.3, b: -2}},                          // nearly −x/ρ: ρ ≈ 0.489
		{{a: 1, b: -0.2}, {a: 3, b: 0.5}},          // one NC block, one monotone block
		{{a: 2, b: -1}, {a: 0.5, b: -0.1}},         // two NC blocks, ρ = 0.39
		{{a: 5, b: -0.5}, {a: 1, b: -0.3}, {0, 2}}, // three blocks, one symmetric
	}
	var worst float64
	for i, blocks := range instances {
		for seed := range uint64(2) {
			p, rho, l := comonoLinear(blocks, seed)
			comonoCheckRho(t, p.F, rho)
			for _, gamma := range []float64{2.2 * rho, 3 * rho, 2*rho + 1/l, 2*rho + 5/l} {
				t.Run(fmt.Sprintf("instance=%d/seed=%d/gamma=%.3g", i, seed, gamma), func(t *testing.T) {
					m := &ProximalPoint{Step: gamma}
					require.NoError(t, m.Init(p))
					require.True(t, m.Exact())
					r0 := norm(p.Z0) * norm(p.Z0)
					buf := make([]float64, len(p.Z0))
					for n := 1; n <= 100; n++ {
						require.NoError(t, m.Iterate())
						got := comonoSqNorm(p.F, m.Current(), buf)
						bound := r0 / (gamma * (gamma - 2*rho) * float64(n))
						require.LessOrEqual(t, got, bound, "N = %d", n)
						worst = max(worst, got/bound)
					}
				})
			}
		}
	}
	t.Logf("PP, GTHG Thm 4: max ‖F(x_N)‖²/bound = %.4f over N ≤ 100", worst)
	assert.Greater(t, worst, 0.05, "the bound is not vacuous on these instances")
}

// GTHG Thm 5: for ρ > 0, γ > 2ρ and N ≥ max{ρ²/(γ(γ − 2ρ)), 1}, the
// operator F(x) = αR_θx with cos θ = −ρ/√(Nγ(γ − 2ρ)) and α = |cos θ|/ρ is
// ρ-negatively comonotone and PP ends with
// ‖F(x_{N+1})‖² ≥ ‖x_0 − x*‖²/(γ(γ − 2ρ)N(1 + 1/N)^{N+1}), while Thm 4
// bounds every iterate above: the run is bracketed within (1 + 1/N)^N ≤ e.
// Here |1 + γαe^{iθ}|² = 1 + 1/N exactly, so the lower bound is met with
// equality.
func TestComonotoneProximalPointTight(t *testing.T) {
	var lowWorst, upWorst float64 = math.Inf(1), 0
	for _, rho := range []float64{0.1, 0.5, 2} {
		for _, gamma := range []float64{2.1 * rho, 3 * rho, 5 * rho, 2*rho + 1} {
			for _, n := range []int{1, 2, 5, 20, 100} {
				if float64(n) < rho*rho/(gamma*(gamma-2*rho)) {
					continue
				}
				t.Run(fmt.Sprintf("rho=%v/gamma=%.3g/N=%d", rho, gamma, n), func(t *testing.T) {
					d := gamma * (gamma - 2*rho)
					cos := -rho / math.Sqrt(float64(n)*d)
					sin := math.Sqrt(1 - cos*cos)
					alpha := math.Abs(cos) / rho
					// αR_θ is the block [[b, a], [−a, b]] with b = α cos θ,
					// a = −α sin θ; its exact ρ is −b/(a² + b²) = |cos θ|/α.
					k := comonoBlock{a: -alpha * sin, b: alpha * cos}
					require.InDelta(t, rho, k.rho(), 1e-12*rho)
					p, _, _ := comonoLinear([]comonoBlock{k}, uint64(n))
					comonoCheckRho(t, p.F, rho)

					m := &ProximalPoint{Step: gamma}
					require.NoError(t, m.Init(p))
					r0 := norm(p.Z0) * norm(p.Z0)
					buf := make([]float64, 2)
					var got float64
					for j := 1; j <= n+1; j++ {
						require.NoError(t, m.Iterate())
						got = comonoSqNorm(p.F, m.Current(), buf)
						up := r0 / (d * float64(j))
						require.LessOrEqual(t, got, up*(1+1e-12), "Thm 4 at N = %d", j)
						upWorst = max(upWorst, got/up)
					}
					low := r0 / (d * float64(n) * math.Pow(1+1/float64(n), float64(n+1)))
					require.GreaterOrEqual(t, got, low*(1-1e-10), "Thm 5 at N + 1")
					lowWorst = min(lowWorst, got/low)
					// Thm 4 at N + 1 over Thm 5: the bracket (1 + 1/N)^N < e.
					upper := r0 / (d * float64(n+1))
					assert.InDelta(t, math.Pow(1+1/float64(n), float64(n)), upper/low, 1e-9)
				})
			}
		}
	}
	t.Logf("PP tight family: min ‖F(x_{N+1})‖²/lower = %.12f, max ‖F(x_N)‖²/upper = %.4f", lowWorst, upWorst)
}

// GTHG Thm 6: extragradient with equal steps, ρ ≤ 1/(8L) and
// 4ρ ≤ γ ≤ 1/(2L), has ‖F(x_{k+1})‖ ≤ ‖F(x_k)‖ and
// ‖F(x_N)‖² ≤ 28‖x_0 − x*‖²/(Nγ² + 320γρ) at every iterate.
func TestComonotoneExtragradientBound(t *testing.T) {
	instances := [][]comonoBlock{
		{{a: 1, b: -0.1}},                    // ρ = 0.099, 1/(8L) = 0.124
		{{a: 3, b: -0.35}},                   // ρ L = 0.116
		{{a: 1, b: -0.12}, {a: 0.5, b: 0.3}}, // NC and monotone blocks
		{{a: 2, b: -0.2}, {a: 0.8, b: -0.03}, {a: 0, b: 1}},
	}
	var worst, decWorst float64
	for i, blocks := range instances {
		for seed := range uint64(3) {
			p, rho, l := comonoLinear(blocks, seed)
			require.LessOrEqual(t, rho, 1/(8*l), "instance %d inside the theorem", i)
			comonoCheckRho(t, p.F, rho)
			for _, gamma := range []float64{4 * rho, (4*rho + 1/(2*l)) / 2, 1 / (2 * l)} {
				t.Run(fmt.Sprintf("instance=%d/seed=%d/gamma=%.3g", i, seed, gamma), func(t *testing.T) {
					m := &Extragradient{Step: gamma, Rho: rho}
					require.NoError(t, m.Init(p))
					r0 := norm(p.Z0) * norm(p.Z0)
					prev := norm(m.fz)
					for n := 1; n <= 300; n++ {
						require.NoError(t, m.Iterate())
						fz, ok := m.CurrentValue()
						require.True(t, ok)
						cur := norm(fz)
						require.LessOrEqual(t, cur, prev*(1+1e-13), "‖F(x_{k+1})‖ ≤ ‖F(x_k)‖ at k = %d", n)
						decWorst = max(decWorst, cur/prev)
						bound := 28 * r0 / (float64(n)*gamma*gamma + 320*gamma*rho)
						require.LessOrEqual(t, cur*cur, bound, "N = %d", n)
						worst = max(worst, cur*cur/bound)
						prev = cur
					}
				})
			}
		}
	}
	t.Logf("EG, GTHG Thm 6: max ‖F(x_N)‖²/bound = %.4f, max ‖F(x_{k+1})‖/‖F(x_k)‖ = %.6f", worst, decWorst)
}

// GTHG Thm 7: optimistic gradient with equal steps, ρ ≤ 5/(62L) and
// 4ρ ≤ γ ≤ 10/(31L), has ‖F(x_N)‖² ≤ 717‖x_0 − x*‖²/(Nγ(γ − 3ρ) + 800γ²).
// GTHG's OG is x̃_k = x_k − γF(x̃_{k−1}), x_{k+1} = x_k − γF(x̃_k): the
// bound is about the base point, PastExtragradient's Current, which is
// also OptimisticGradient's z (the same sequence, unconstrained). Our
// first step (w_{−1} = z_0) differs from theirs (x̃_0 = x_0); started from
// ours, the potential of their Thm C.9 gives the tighter
// 112‖z_0 − z*‖²/(Nγ(γ − 3ρ) + 1049γ²) claimed in OptimisticGradient's
// doc, checked too.
func TestComonotoneOptimisticBound(t *testing.T) {
	instances := [][]comonoBlock{
		{{a: 1, b: -0.08}},                   // ρ = 0.079, 5/(62L) = 0.080
		{{a: 3, b: -0.2}},                    // ρL = 0.067
		{{a: 1, b: -0.05}, {a: 0.5, b: 0.3}}, // NC and monotone blocks
		{{a: 2, b: -0.15}, {a: 0.8, b: -0.02}, {a: 0, b: 1}},
	}
	var worst, worstOurs float64
	for i, blocks := range instances {
		for seed := range uint64(3) {
			p, rho, l := comonoLinear(blocks, seed)
			require.LessOrEqual(t, rho, 5/(62*l), "instance %d inside the theorem", i)
			comonoCheckRho(t, p.F, rho)
			for _, gamma := range []float64{4 * rho, (4*rho + 10/(31*l)) / 2, 10 / (31 * l)} {
				t.Run(fmt.Sprintf("instance=%d/seed=%d/gamma=%.3g", i, seed, gamma), func(t *testing.T) {
					peg := &PastExtragradient{Step: gamma}
					og := &OptimisticGradient{Step: gamma, Rho: rho}
					require.NoError(t, peg.Init(p))
					require.NoError(t, og.Init(p))
					r0 := norm(p.Z0) * norm(p.Z0)
					buf := make([]float64, len(p.Z0))
					for n := 1; n <= 300; n++ {
						require.NoError(t, peg.Iterate())
						require.NoError(t, og.Iterate())
						require.InDeltaSlice(t, peg.Current(), og.z, 1e-12, "OG's base point is PEG's, N = %d", n)
						got := comonoSqNorm(p.F, peg.Current(), buf)
						bound := 717 * r0 / (float64(n)*gamma*(gamma-3*rho) + 800*gamma*gamma)
						require.LessOrEqual(t, got, bound, "N = %d", n)
						ours := 112 * r0 / (float64(n)*gamma*(gamma-3*rho) + 1049*gamma*gamma)
						require.LessOrEqual(t, got, ours, "N = %d", n)
						worst, worstOurs = max(worst, got/bound), max(worstOurs, got/ours)
					}
				})
			}
		}
	}
	t.Logf("OG (base points), GTHG Thm 7: max ‖F(x_N)‖²/bound = %.5f; against the derived 112/(…+1049γ²): %.4f", worst, worstOurs)
}

// The defaults under Rho follow the theorems; outside them a defaulted
// step is an error naming Rho, an explicit one is allowed.
func TestComonotoneDefaultSteps(t *testing.T) {
	p, _, _ := comonoLinear([]comonoBlock{{a: 3, b: 0}}, 1) // L = 3
	const l = 3.0
	t.Run("eg", func(t *testing.T) {
		m := &Extragradient{Rho: 1 / (8 * l)}
		require.NoError(t, m.Init(p))
		assert.InDelta(t, 1/(2*l), m.eta, 1e-15, "1/(2L), the top of [4ρ, 1/(2L)]")
		err := (&Extragradient{Rho: 1.01 / (8 * l)}).Init(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Extragradient.Rho")
		assert.Contains(t, err.Error(), "1/(8L)")
		m = &Extragradient{Rho: 1, Step: 0.1}
		require.NoError(t, m.Init(p), "explicit steps outside the theory are allowed")
		assert.Equal(t, 0.1, m.eta)
		err = (&Extragradient{Rho: -1}).Init(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Extragradient.Rho")
		err = (&Extragradient{Rho: math.NaN()}).Init(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Rho")
	})
	t.Run("og", func(t *testing.T) {
		for _, c := range []struct{ rho, eta float64 }{
			{0, 1 / (2 * math.Sqrt(3) * l)},
			{0.05 / l, 1 / (2 * math.Sqrt(3) * l)}, // 4ρ < 1/(2√3L)
			{5 / (62 * l), 20 / (62 * l)},          // 4ρ = 10/(31L)
		} {
			m := &OptimisticGradient{Rho: c.rho}
			require.NoError(t, m.Init(p))
			assert.InDelta(t, c.eta, m.eta, 1e-15, "ρ = %v", c.rho)
			assert.GreaterOrEqual(t, m.eta, 4*c.rho)
			assert.LessOrEqual(t, m.eta, 10/(31*l)*(1+1e-15))
		}
		err := (&OptimisticGradient{Rho: 5.1 / (62 * l)}).Init(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "OptimisticGradient.Rho")
		assert.Contains(t, err.Error(), "5/(62L)")
		m := &OptimisticGradient{Rho: 1, Step: 0.1}
		require.NoError(t, m.Init(p))
		assert.Equal(t, 0.1, m.eta)
		err = (&OptimisticGradient{Rho: math.Inf(1)}).Init(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "OptimisticGradient.Rho")
	})
}

// comonoSpectralRadius returns the largest eigenvalue modulus of a square
// matrix.
func comonoSpectralRadius(t *testing.T, a *mat.Dense) float64 {
	t.Helper()
	var eig mat.Eigen
	require.True(t, eig.Factorize(a, mat.EigenNone))
	var r float64
	for _, v := range eig.Values(nil) {
		r = max(r, cmplx.Abs(v))
	}
	return r
}

// comonoIterationMatrix returns the matrix of one iteration of a linear
// method, built column by column: set(e_j) loads the j-th unit state,
// Iterate runs, get reads the state back.
func comonoIterationMatrix(t *testing.T, dim int, m Method, set func(e []float64), get func(dst []float64)) *mat.Dense {
	t.Helper()
	out := mat.NewDense(dim, dim, nil)
	e, col := make([]float64, dim), make([]float64, dim)
	for j := range dim {
		clear(e)
		e[j] = 1
		set(e)
		require.NoError(t, m.Iterate())
		get(col)
		out.SetCol(j, col)
	}
	return out
}

// Failures beyond the theorems (GTHG Thms 6 and 7): for ρ ≥ 1/(2L)
// neither extragradient nor optimistic gradient need converge, whatever
// the step. The spectral radius of the iteration matrix, read off the
// code itself by running one iteration from each unit state, is ≥ 1 on a
// grid of steps, and Solve never reports Converged.
func TestComonotoneFailuresBeyondTheory(t *testing.T) {
	const grid = 100
	t.Run("og on [[-1, 1], [-1, -1]]", func(t *testing.T) {
		k := comonoBlock{a: 1, b: -1}
		require.InDelta(t, 0.5, k.rho(), 1e-15)
		require.InDelta(t, math.Sqrt2, k.lip(), 1e-15)
		require.GreaterOrEqual(t, k.rho()*k.lip(), 0.5, "ρL ≈ 0.71 ≥ 1/2")
		p, _, l := comonoLinear([]comonoBlock{k}, 5)
		minRad := math.Inf(1)
		for j := 1; j <= grid; j++ {
			gamma := 2 / l * float64(j) / grid
			m := &OptimisticGradient{Step: gamma}
			require.NoError(t, m.Init(p))
			// State (z_k, w_{k−1}); F(w_{k−1}) is kept in step with w.
			tm := comonoIterationMatrix(t, 4, m, func(e []float64) {
				copy(m.z, e[:2])
				copy(m.w, e[2:])
				p.F.Apply(m.fw, m.w)
			}, func(dst []float64) {
				copy(dst[:2], m.z)
				copy(dst[2:], m.w)
			})
			r := comonoSpectralRadius(t, tm)
			require.GreaterOrEqual(t, r, 1.0, "γ = %v", gamma)
			minRad = min(minRad, r)
		}
		t.Logf("og: min spectral radius over γ ∈ (0, 2/L] = %.6f", minRad)
		for _, gamma := range []float64{0.1 / l, 0.5 / l, 1 / l, 2 / l} {
			res, err := Solve(context.Background(), p, &OptimisticGradient{Step: gamma}, nil)
			require.NoError(t, err)
			assert.NotEqual(t, Converged, res.Status, "γ = %v", gamma)
			t.Logf("og γL = %.1f: %v after %d iterations, residual %.3g", gamma*l, res.Status, res.Iterations, res.Residual)
		}
	})
	t.Run("eg", func(t *testing.T) {
		const l = 2.0
		c, s := math.Cos(2*math.Pi/3), math.Sin(2*math.Pi/3)
		rot := comonoBlock{a: -l * s, b: l * c} // L·R_{2π/3}: ρ = 1/(2L)
		require.InDelta(t, 1/(2*l), rot.rho(), 1e-15)
		require.InDelta(t, l, rot.lip(), 1e-15)
		scale := comonoBlock{a: 0, b: l} // F = Lx, monotone, hence ρ-NC for every ρ ≥ 0
		minRad := math.Inf(1)
		for j := 1; j <= 2*grid; j++ {
			gamma := 2 / l * float64(j) / (2 * grid)
			blk := rot
			if gamma > 1/l {
				blk = scale
			}
			p, _, _ := comonoLinear([]comonoBlock{blk}, 5)
			m := &Extragradient{Step: gamma}
			require.NoError(t, m.Init(p))
			tm := comonoIterationMatrix(t, 2, m, func(e []float64) {
				copy(m.z, e)
				p.F.Apply(m.fz, m.z)
			}, func(dst []float64) { copy(dst, m.z) })
			r := comonoSpectralRadius(t, tm)
			if gamma > 1/l {
				// 1 − γL(1 − γL) > 1 for γL > 1.
				require.InDelta(t, 1-gamma*l*(1-gamma*l), r, 1e-12)
			}
			require.GreaterOrEqual(t, r, 1.0, "γ = %v", gamma)
			minRad = min(minRad, r)
		}
		t.Logf("eg: min spectral radius over γ ∈ (0, 2/L] = %.6f", minRad)
		for _, c := range []struct {
			blk   comonoBlock
			gamma float64
		}{{rot, 0.1 / l}, {rot, 0.5 / l}, {rot, 1 / l}, {scale, 1.5 / l}, {scale, 2 / l}} {
			p, _, _ := comonoLinear([]comonoBlock{c.blk}, 5)
			res, err := Solve(context.Background(), p, &Extragradient{Step: c.gamma}, nil)
			require.NoError(t, err)
			assert.NotEqual(t, Converged, res.Status, "γ = %v", c.gamma)
			t.Logf("eg γL = %.1f: %v after %d iterations", c.gamma*l, res.Status, res.Iterations)
		}
	})
}

// Rho keeps Iterate allocation-free.
func TestComonotoneNoAllocs(t *testing.T) {
	p, rho, _ := comonoLinear([]comonoBlock{{a: 3, b: -0.2}}, 1)
	for _, m := range []Method{&Extragradient{Rho: rho}, &OptimisticGradient{Rho: rho}} {
		require.NoError(t, m.Init(p))
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = m.Iterate() }), "%T", m)
	}
}
