package games

import (
	"testing"

	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// B6.1's instance: a = 100, b = 1, c = (10, 20, 30) has q* = (30, 20, 10),
// Q* = 60, P* = 40 and profits (900, 400, 100), with F(q*) = 0 exactly.
func TestCournotKnownEquilibrium(t *testing.T) {
	g, err := NewCournot(100, 1, []float64{10, 20, 30})
	require.NoError(t, err)
	q := g.Equilibrium()
	assert.InDeltaSlice(t, []float64{30, 20, 10}, q, 1e-12)
	assert.InDelta(t, 40, g.Price(q), 1e-12)
	for i, want := range []float64{900, 400, 100} {
		assert.InDelta(t, want, g.Profit(i, q), 1e-10)
	}
	f := make([]float64, 3)
	g.Operator().Apply(f, q)
	assert.InDeltaSlice(t, []float64{0, 0, 0}, f, 1e-12)
	assert.Equal(t, 3, g.Players())
	assert.Equal(t, []int{1, 1, 1}, g.Blocks())
	// μ = b and L = b(N + 1), exact: the checks read the affine parts.
	mu, err := monotone.Monotonicity(g.Operator(), nil)
	require.NoError(t, err)
	assert.InDelta(t, g.Mu(), mu, 1e-12)
	assert.InDelta(t, 1.0, g.Mu(), 0)
	l, err := monotone.Lipschitz(g.Operator(), nil)
	require.NoError(t, err)
	assert.InDelta(t, g.Lipschitz(), l, 1e-9)
	assert.InDelta(t, 4.0, g.Lipschitz(), 0)
	assert.InDelta(t, l, g.Operator().(vi.Lipschitzer).Lipschitz(), 1e-9)
}

// A firm whose cost is above the equilibrium price produces nothing, and
// F is nonnegative there (the KKT condition of B6.1); with every cost
// above the demand intercept nobody produces.
func TestCournotBoundaryEquilibria(t *testing.T) {
	for _, c := range []struct {
		name    string
		a, b    float64
		costs   []float64
		want    []float64
		outside []int
	}{
		// Firms 1 and 2: P* = (100 + 30)/3, q_i = (P* − c_i)/2; c_3 = 90 > P*.
		{"one-out", 100, 2, []float64{10, 20, 90}, []float64{(130.0/3 - 10) / 2, (130.0/3 - 20) / 2, 0}, []int{2}},
		// The costliest firm is listed first: the active set does not
		// depend on the order.
		{"unsorted", 100, 2, []float64{90, 20, 10}, []float64{0, (130.0/3 - 20) / 2, (130.0/3 - 10) / 2}, []int{0}},
		{"nobody", 5, 1, []float64{10, 20}, []float64{0, 0}, []int{0, 1}},
		{"monopoly", 50, 1, []float64{10}, []float64{20}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := NewCournot(c.a, c.b, c.costs)
			require.NoError(t, err)
			q := g.Equilibrium()
			assert.InDeltaSlice(t, c.want, q, 1e-12)
			p := g.Problem()
			assert.LessOrEqual(t, vi.NaturalResidual(p.F, p.C, q), 1e-12)
			f := make([]float64, len(q))
			p.F.Apply(f, q)
			for _, i := range c.outside {
				assert.GreaterOrEqual(t, f[i], 0.0, "F_%d(q*) = c_%d − P*", i, i)
			}
			assert.InDelta(t, 0, g.NashGap(q), 1e-12)
		})
	}
}

// A seeded instance is reproducible, its costs lie in [10, 30), and its
// closed-form equilibrium solves the VI.
func TestCournotRandom(t *testing.T) {
	for _, n := range []int{1, 2, 6, 40} {
		g, err := RandomCournot(n, 3)
		require.NoError(t, err)
		h, err := RandomCournot(n, 3)
		require.NoError(t, err)
		assert.Equal(t, g.Equilibrium(), h.Equilibrium())
		for _, c := range g.c {
			assert.True(t, c >= 10 && c < 30)
		}
		p := g.Problem()
		assert.LessOrEqual(t, vi.NaturalResidual(p.F, p.C, g.Equilibrium()), 1e-12, "n = %d", n)
		assert.InDelta(t, float64(n+1), g.Lipschitz(), 0)
	}
	other, err := RandomCournot(6, 4)
	require.NoError(t, err)
	g, err := RandomCournot(6, 3)
	require.NoError(t, err)
	assert.NotEqual(t, g.Equilibrium(), other.Equilibrium())
}

func TestCournotErrors(t *testing.T) {
	nan := 0.0
	nan /= nan
	for _, c := range []struct {
		a, b  float64
		costs []float64
		want  string
	}{
		{nan, 1, []float64{1}, "demand intercept a"},
		{100, 0, []float64{1}, "demand slope b"},
		{100, -1, []float64{1}, "demand slope b"},
		{100, 1, nil, "no firms"},
		{100, 1, []float64{1, -2}, "cost c[1] = -2"},
		{100, 1, []float64{nan}, "cost c[0]"},
	} {
		_, err := NewCournot(c.a, c.b, c.costs)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		assert.Contains(t, err.Error(), "games: cournot")
	}
	_, err := RandomCournot(0, 1)
	require.ErrorContains(t, err, "n = 0")
}
