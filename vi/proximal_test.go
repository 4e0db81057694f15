package vi

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// One exact step is the solution of (I + γM)z_1 = z_0 − γq, here checked
// against an independent solve with gonum's LU, and F(z_1) = (z_0 − z_1)/γ.
// The last case has (I + γM)₁₁ = 0, so the factorization must pivot.
func TestProximalPointExactStep(t *testing.T) {
	pivot := &Problem{F: newAffineOp(mat.NewDense(3, 3, []float64{-2, 1, 0, 1, 0, 1, 0, -1, 1}), []float64{1, -1, 0.5}), Z0: []float64{1, 2, 3}}
	cases := []struct {
		p     *Problem
		gamma float64
	}{
		{fomRandomAffine(6, 11), 0.1},
		{fomRandomAffine(6, 11), 0.7},
		{fomRandomAffine(6, 12), 5},
		{pivot, 0.5},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint("gamma=", c.gamma), func(t *testing.T) {
			p, gamma := c.p, c.gamma
			op := p.F.(*affineOp)
			n := op.Dim()
			m := &ProximalPoint{Step: gamma}
			require.NoError(t, m.Init(p))
			require.True(t, m.Exact())

			a := mat.NewDense(n, n, nil)
			a.Scale(gamma, op.m)
			for i := 0; i < n; i++ {
				a.Set(i, i, a.At(i, i)+1)
			}
			var lu mat.LU
			lu.Factorize(a)
			z := mat.NewVecDense(n, append([]float64(nil), p.Z0...))
			for k := range 3 {
				rhs := mat.NewVecDense(n, nil)
				for i := 0; i < n; i++ {
					rhs.SetVec(i, z.AtVec(i)-gamma*op.q[i])
				}
				require.NoError(t, lu.SolveVecTo(z, false, rhs))
				require.NoError(t, m.Iterate())
				assert.InDeltaSlice(t, z.RawVector().Data, m.Current(), 1e-12, "k = %d", k)

				fz, ok := m.CurrentValue()
				require.True(t, ok)
				f := make([]float64, n)
				p.F.Apply(f, m.Current())
				assert.InDeltaSlice(t, f, fz, 1e-12)
			}
		})
	}
}

// On f = xy, M = [[0, 1], [−1, 0]] and (I + γM)ᵀ(I + γM) = (1 + γ²)I, so
// every step multiplies the distance to the solution by exactly
// 1/√(1 + γ²) (ALGORITHMS.md Part II B1), for every γ > 0.
func TestProximalPointFactorOnBilinear(t *testing.T) {
	for _, gamma := range []float64{0.5, 1, 3} {
		m := &ProximalPoint{Step: gamma}
		require.NoError(t, m.Init(xyGame().p))
		prev := norm(m.Current())
		for range 20 {
			require.NoError(t, m.Iterate())
			r := norm(m.Current())
			assert.InDelta(t, 1/math.Sqrt(1+gamma*gamma), r/prev, 1e-12, "γ = %v", gamma)
			prev = r
		}
	}
}

// F(z) = −z/ρ is ρ-negatively comonotone with equality. A PP step is
// z_{k+1} = z_k/(1 − γ/ρ): it converges for γ > 2ρ (the theory's
// condition), cycles for γ = 2ρ, diverges for γ < 2ρ, and I + γM is
// singular at γ = ρ (GTHG ICML 2023 Thm 5; ALGORITHMS.md §2.7). Steps at
// or below 2ρ are accepted when given explicitly.
func TestProximalPointNegativelyComonotoneThreshold(t *testing.T) {
	const rho = 0.5
	minusOverRho := func() *Problem {
		return &Problem{F: newAffineOp(mat.NewDense(2, 2, []float64{-1 / rho, 0, 0, -1 / rho}), nil), Z0: []float64{1, -2}}
	}
	t.Run("default step converges", func(t *testing.T) {
		p := minusOverRho()
		m := &ProximalPoint{Rho: rho}
		res, err := Solve(context.Background(), p, m, nil)
		require.NoError(t, err)
		require.Equal(t, Converged, res.Status)
		assert.InDelta(t, 2*rho+rho, m.StepSize(), 1e-15, "γ = 2ρ + 1/L, L = 1/ρ")
		assert.LessOrEqual(t, norm(res.Z), 1e-8)
		// GTHG Thm 4: ‖F(z_N)‖² ≤ ‖z_0 − z*‖²/(γ(γ − 2ρ)N).
		require.NoError(t, m.Init(p))
		g := m.StepSize()
		for n := 1; n <= 20; n++ {
			require.NoError(t, m.Iterate())
			fz, _ := m.CurrentValue()
			assert.LessOrEqual(t, norm(fz)*norm(fz), 5/(g*(g-2*rho)*float64(n)))
		}
	})
	t.Run("2 rho cycles", func(t *testing.T) {
		res, err := Solve(context.Background(), minusOverRho(), &ProximalPoint{Step: 2 * rho}, &Settings{MaxIterations: 1000})
		require.NoError(t, err)
		assert.Equal(t, IterationLimit, res.Status)
		assert.InDelta(t, math.Sqrt(5), norm(res.Z), 1e-12, "every step is z ↦ −z")
	})
	t.Run("below 2 rho diverges", func(t *testing.T) {
		for _, gamma := range []float64{0.5 * rho, 1.5 * rho} {
			res, err := Solve(context.Background(), minusOverRho(), &ProximalPoint{Step: gamma}, nil)
			require.NoError(t, err)
			assert.Equal(t, Diverged, res.Status, "γ = %v", gamma)
		}
	})
	t.Run("rho is singular", func(t *testing.T) {
		err := (&ProximalPoint{Step: rho}).Init(minusOverRho())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "singular")
	})
}

// The inexact solver handles a negatively comonotone operator that is not
// seen as affine (ALGORITHMS.md B5.3, ρ = 1/9, L = 3): the default step
// ρ + 1/(2L) = 5/18 > 2ρ gives a PP contraction 1/|1 + γλ| ≈ 0.937 per
// step, and every step is accurate to InnerTol.
func TestProximalPointInexactComonotone(t *testing.T) {
	tp := fomComonotone()
	p := fomNoL(tp.p)
	m := &ProximalPoint{Rho: 1.0 / 9, L: 3}
	res, err := Solve(context.Background(), p, m, &Settings{Tol: 1e-8})
	require.NoError(t, err)
	require.Equal(t, Converged, res.Status)
	require.False(t, m.Exact())
	assert.InDelta(t, 5.0/18, m.StepSize(), 1e-15)
	assert.LessOrEqual(t, Distance(res.Z, tp.solution), 1e-8)
	assert.Equal(t, 1+m.InnerSteps(), res.Evaluations)

	// The inexact iterates follow the exact ones to within the inner
	// tolerance.
	exact := &ProximalPoint{Step: 5.0 / 18}
	require.NoError(t, exact.Init(tp.p))
	require.True(t, exact.Exact())
	require.NoError(t, m.Init(p))
	// M is normal, so each step shrinks the norm by exactly 1/|1 + γλ|,
	// λ = −1 ± 2√2i.
	factor := 1 / cmplx.Abs(1+complex(5.0/18, 0)*complex(-1, 2*math.Sqrt2))
	assert.InDelta(t, 0.937, factor, 1e-3)
	prev := norm(m.Current())
	for k := range 30 {
		require.NoError(t, m.Iterate())
		require.NoError(t, exact.Iterate())
		assert.InDeltaSlice(t, exact.Current(), m.Current(), 1e-9, "k = %d", k)
		r := norm(m.Current())
		assert.InDelta(t, factor, r/prev, 1e-8, "k = %d", k)
		prev = r
	}
}

// When the inner solver cannot reach InnerTol within MaxInner steps the
// iterate is left as it was and Solve ends with Failure and an error
// naming the inner solver.
func TestProximalPointInnerFailure(t *testing.T) {
	tp := boxAffine()
	m := &ProximalPoint{MaxInner: 3, InnerTol: 1e-14}
	res, err := Solve(context.Background(), tp.p, m, nil)
	require.Error(t, err)
	assert.Equal(t, Failure, res.Status)
	assert.Contains(t, err.Error(), "inner solver")
	assert.Contains(t, err.Error(), "MaxInner = 3")
	assert.Equal(t, 1, res.Iterations)
	z0 := append([]float64(nil), tp.p.Z0...)
	project(tp.p.C, z0, z0)
	assert.Equal(t, z0, res.Z, "the iterate is unchanged")
	assert.Equal(t, 1+3, res.Evaluations)
	assert.Equal(t, 1+4, res.Projections)
}

// The exact solve makes no evaluation after Init, whatever the number of
// iterations.
func TestProximalPointExactCounts(t *testing.T) {
	tp := randomBilinear(20, 230)
	res, err := Solve(context.Background(), tp.p, &ProximalPoint{}, &Settings{MaxIterations: 500, Tol: -1})
	require.NoError(t, err)
	assert.Equal(t, 500, res.Iterations)
	assert.Equal(t, 1, res.Evaluations)
	assert.Zero(t, res.Projections)
	assert.Zero(t, res.Checks)
}
