package games

import (
	"math"
	"testing"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// A two-player zero-sum instance of B6.3, Q = [[A, B], [−Bᵀ, C]] with
// A = C = 1 and B = 2: Q⁻¹ = [[1, −2], [2, 1]]/5, so for q = (1, 1)
// x* = −Q⁻¹q = (1/5, −3/5); μ = 1 and L = ‖Q‖₂ = √5.
func TestQuadraticGameKnownEquilibrium(t *testing.T) {
	g, err := NewQuadraticGame(mat.NewDense(2, 2, []float64{1, 2, -2, 1}), []float64{1, 1}, []int{1, 1})
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{0.2, -0.6}, g.Equilibrium(), 1e-15)
	assert.InDelta(t, 1, g.Mu(), 1e-15)
	assert.InDelta(t, math.Sqrt(5), g.Lipschitz(), 1e-12)
	assert.Nil(t, g.Set())
	assert.Nil(t, g.ActionSet(1))
	assert.Equal(t, []float64{0, 0}, g.Problem().Z0)
	// loss_1 = x²/2 + 2xy + x and loss_2 = y²/2 − 2xy + y.
	x := []float64{0.5, -1.5}
	assert.InDelta(t, 0.125-1.5+0.5, g.Loss(0, x), 1e-15)
	assert.InDelta(t, 1.125+1.5-1.5, g.Loss(1, x), 1e-15)
}

// For random games, Mu and Lipschitz are the exact values the monotone
// checks compute from the affine parts, μ ≥ 1/2 by construction, the
// equilibrium zeroes F, and the Nash gap is Σ ½F_iᵀQ_ii⁻¹F_i.
func TestQuadraticGameRandom(t *testing.T) {
	for _, n := range []int{1, 2, 5} {
		g, err := RandomQuadraticGame(n, 9)
		require.NoError(t, err)
		assert.Equal(t, n, g.Players())
		mu, err := monotone.Monotonicity(g.Operator(), nil)
		require.NoError(t, err)
		assert.InDelta(t, mu, g.Mu(), 1e-12)
		assert.GreaterOrEqual(t, g.Mu(), 0.5-1e-12)
		l, err := monotone.Lipschitz(g.Operator(), nil)
		require.NoError(t, err)
		assert.InDelta(t, l, g.Lipschitz(), 1e-9)
		p := g.Problem()
		assert.LessOrEqual(t, vi.OperatorNorm(p.F, g.Equilibrium()), 1e-12)

		x := p.Z0
		fx := make([]float64, 2*n)
		p.F.Apply(fx, x)
		var want float64
		for i := range n {
			qii := g.m.Slice(2*i, 2*i+2, 2*i, 2*i+2)
			fi := mat.NewVecDense(2, fx[2*i:2*i+2])
			var s mat.VecDense
			s.MulVec(contInverse(t, qii), fi)
			want += mat.Dot(fi, &s) / 2
		}
		assert.InDelta(t, want, g.NashGap(x), 1e-12*(1+want))
	}
	a, err := RandomQuadraticGame(3, 1)
	require.NoError(t, err)
	b, err := RandomQuadraticGame(3, 1)
	require.NoError(t, err)
	assert.Equal(t, a.Equilibrium(), b.Equilibrium())
	assert.Equal(t, a.Problem().Z0, b.Problem().Z0)
	c, err := RandomQuadraticGame(3, 2)
	require.NoError(t, err)
	assert.False(t, floats.Equal(a.Equilibrium(), c.Equilibrium()))
}

func TestQuadraticGameErrors(t *testing.T) {
	nan := math.NaN()
	id := func(n int) *mat.Dense {
		m := mat.NewDense(n, n, nil)
		for i := range n {
			m.Set(i, i, 1)
		}
		return m
	}
	for _, c := range []struct {
		name   string
		q      mat.Matrix
		r      []float64
		blocks []int
		want   string
	}{
		{"no-players", id(1), []float64{0}, nil, "no players"},
		{"empty-block", id(1), []float64{0}, []int{1, 0}, "player 1 has 0 action dimensions"},
		{"nil-matrix", nil, []float64{0}, []int{1}, "no matrix Q"},
		{"shape", id(3), []float64{0, 0}, []int{1, 1}, "Q is 3×3, want 2×2"},
		{"q-length", id(2), []float64{0}, []int{1, 1}, "q has length 1, want 2"},
		{"nan-matrix", mat.NewDense(2, 2, []float64{1, nan, 0, 1}), []float64{0, 0}, []int{1, 1}, "Q[0][1] = NaN"},
		{"nan-q", id(2), []float64{0, nan}, []int{1, 1}, "q[1] = NaN"},
		{"asymmetric-block", mat.NewDense(2, 2, []float64{2, 1, 0, 2}), []float64{0, 0}, []int{2}, "block Q_00 of player 0 is not symmetric"},
		{"indefinite-block", mat.NewDense(2, 2, []float64{1, 0, 0, -1}), []float64{0, 0}, []int{1, 1}, "block Q_11 of player 1 is not positive definite"},
		{"not-monotone", mat.NewDense(2, 2, []float64{1, 3, 3, 1}), []float64{0, 0}, []int{1, 1}, "λ_min((Q + Qᵀ)/2) = -2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewQuadraticGame(c.q, c.r, c.blocks)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	_, err := RandomQuadraticGame(0, 1)
	require.ErrorContains(t, err, "n = 0")
}
