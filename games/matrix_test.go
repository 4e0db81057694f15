package games

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func TestClassicGamesHaveTheirKnownAnswers(t *testing.T) {
	third, sixteenth := 1.0/3, 1.0/16
	tests := []struct {
		name string
		g    *MatrixGame
		x, y []float64 // unique equilibrium (OpenSpiel matrix_mp, matrix_rps, matrix_brps)
	}{
		{"matching-pennies", MatchingPennies(), []float64{0.5, 0.5}, []float64{0.5, 0.5}},
		{"rps", RPS(), []float64{third, third, third}, []float64{third, third, third}},
		{"biased-rps", BiasedRPS(), []float64{sixteenth, 10 * sixteenth, 5 * sixteenth}, []float64{sixteenth, 10 * sixteenth, 5 * sixteenth}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, x, y, err := tc.g.Solve()
			require.NoError(t, err)
			assert.InDelta(t, 0, v, 1e-12, "value")
			assert.InDeltaSlice(t, tc.x, x, 1e-12)
			assert.InDeltaSlice(t, tc.y, y, 1e-12)
			assert.InDelta(t, 0, tc.g.DualityGap(tc.x, tc.y), 1e-14)
			// The VI residual at the equilibrium is zero too.
			z := append(append([]float64(nil), tc.x...), tc.y...)
			p := tc.g.Problem()
			assert.InDelta(t, 0, vi.NaturalResidual(p.F, p.C, z), 1e-14)
			assert.Greater(t, tc.g.GapOf(p.Z0), 0.1, "the default start is not the equilibrium")
		})
	}
}

func TestTwoByTwoValue(t *testing.T) {
	// ALGORITHMS.md Part II B2 item 5: A = [[3, −1], [−2, 1]] has
	// x* = (3/7, 4/7), y* = (2/7, 5/7) and value 1/7.
	g, err := NewMatrixGame(mat.NewDense(2, 2, []float64{3, -1, -2, 1}))
	require.NoError(t, err)
	v, x, y, err := g.Solve()
	require.NoError(t, err)
	assert.InDelta(t, 1.0/7, v, 1e-12)
	assert.InDeltaSlice(t, []float64{3.0 / 7, 4.0 / 7}, x, 1e-12)
	assert.InDeltaSlice(t, []float64{2.0 / 7, 5.0 / 7}, y, 1e-12)
	assert.InDelta(t, 1.0/7, g.ExpectedPayoff(x, y), 1e-12)
	// Pure strategies: row 1 against column 1 gains 3; the row player's
	// best response to column 1 earns 3, the column player's best
	// response to row 1 pays −1: gap 3 − (−1) = 4.
	assert.InDelta(t, 4, g.DualityGap([]float64{1, 0}, []float64{1, 0}), 1e-15)
}

func TestRandomGameLPMatchesDuality(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		g, err := RandomGame(7, 4, seed)
		require.NoError(t, err)
		v, x, y, err := g.Solve()
		require.NoError(t, err)
		// Each player's optimal strategy guarantees the value against every
		// pure reply (von Neumann): the gap is 0 and xᵀAy = v.
		assert.InDelta(t, 0, g.DualityGap(x, y), 1e-10, "seed %d", seed)
		assert.InDelta(t, v, g.ExpectedPayoff(x, y), 1e-10)
		again, err := RandomGame(7, 4, seed)
		require.NoError(t, err)
		assert.True(t, mat.Equal(g.Payoffs(), again.Payoffs()), "a seed gives one game")
	}
}

func TestMatrixGameOperator(t *testing.T) {
	g := BiasedRPS()
	p := g.Problem()
	z := []float64{0.2, 0.3, 0.5, 0.6, 0.1, 0.3}
	got := make([]float64, 6)
	p.F.Apply(got, z)
	a := g.Payoffs()
	x, y := z[:3], z[3:]
	for i := 0; i < 3; i++ {
		var ay, atx float64
		for j := 0; j < 3; j++ {
			ay += a.At(i, j) * y[j]
			atx += a.At(j, i) * x[j]
		}
		assert.InDelta(t, -ay, got[i], 1e-12, "F_x = −Ay")
		assert.InDelta(t, atx, got[3+i], 1e-12, "F_y = Aᵀx")
	}
	start := g.Start()
	assert.InDelta(t, 1, start[0]+start[1]+start[2], 1e-15)
	assert.InDelta(t, 1, start[3]+start[4]+start[5], 1e-15)
}

func TestMatrixGameErrors(t *testing.T) {
	_, err := NewMatrixGame(mat.NewDense(2, 2, []float64{1, math.NaN(), 0, 1}))
	assert.EqualError(t, err, "games: matrix game: payoff A[0][1] = NaN is not finite")
	_, err = NewMatrixGame(nil)
	assert.Error(t, err)
	_, err = RandomGame(0, 3, 1)
	assert.EqualError(t, err, "games: random game: size 0×3, want at least 1×1")
}

// TestDualityGapMatchesDefinition compares DualityGap, which reads A once
// with the fused kernel, with max_i (Ay)_i − min_j (Aᵀx)_j computed by
// gonum, on shapes that exercise the kernel's blocks of four rows and its
// tails, and checks that it allocates nothing.
func TestDualityGapMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, dims := range [][2]int{{1, 1}, {1, 9}, {9, 1}, {5, 3}, {37, 53}, {64, 17}} {
		m, n := dims[0], dims[1]
		g, err := RandomGame(m, n, uint64(m*100+n))
		require.NoError(t, err)
		x, y := make([]float64, m), make([]float64, n)
		for i := range x {
			x[i] = rng.Float64()
		}
		for j := range y {
			y[j] = rng.Float64()
		}
		var ay, atx mat.VecDense
		ay.MulVec(g.Payoffs(), mat.NewVecDense(n, y))
		atx.MulVec(g.Payoffs().T(), mat.NewVecDense(m, x))
		want := mat.Max(&ay) - mat.Min(&atx)
		assert.InDelta(t, want, g.DualityGap(x, y), 1e-12, "%d×%d", m, n)
		assert.Zero(t, testing.AllocsPerRun(50, func() { g.DualityGap(x, y) }), "%d×%d", m, n)
	}
}
