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

// B6.2's instance Q = 1000, Z = 100, G = (1.8, 2.0, 2.2, 2.4):
// T* = 1589.6605, x* = (185.7602, 326.1502, 441.0148, 536.7353), F(x*) = 0.
func TestKellyKnownEquilibrium(t *testing.T) {
	g, err := StandardKelly(4)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{1.8, 2.0, 2.2, 2.4}, g.gains, 1e-15)
	x := g.Equilibrium()
	assert.InDeltaSlice(t, []float64{185.7602, 326.1502, 441.0148, 536.7353}, x, 1e-4)
	assert.InDelta(t, 1589.6605, g.Total(), 1e-4)
	assert.InDelta(t, 100+floats.Sum(x), g.Total(), 1e-9)
	f := make([]float64, 4)
	g.Operator().Apply(f, x)
	assert.InDeltaSlice(t, []float64{0, 0, 0, 0}, f, 1e-14)
	// The quadratic H·T² − (N − 1)·T − Z = 0 of B6.2.
	var h float64
	for _, gi := range g.gains {
		h += 1 / (gi * 1000)
	}
	assert.InDelta(t, 0, h*g.Total()*g.Total()-3*g.Total()-100, 1e-9)
	// Each bid is the best response to the others.
	for i := range x {
		u := []float64{0}
		g.BestResponse(i, u, x)
		assert.InDelta(t, x[i], u[0], 1e-9)
		assert.Greater(t, g.Payoff(i, x), 0.0)
	}
}

// A player whose a_i = G_i·Q is at most T* bids nothing, with F_i ≥ 0
// there; a lone bidder bids √(aZ) − Z.
func TestKellyDropsWeakBidders(t *testing.T) {
	g, err := NewKelly([]float64{1, 0.05, 1}, 1000, 100)
	require.NoError(t, err)
	x := g.Equilibrium()
	// Two equal bidders: H = 2/1000, T = (1 + √(1 + 0.8))/0.004.
	tt := (1 + math.Sqrt(1+4*0.002*100)) / (2 * 0.002)
	assert.InDelta(t, tt, g.Total(), 1e-9)
	assert.InDeltaSlice(t, []float64{tt - tt*tt/1000, 0, tt - tt*tt/1000}, x, 1e-9)
	assert.Less(t, 0.05*1000, tt, "the weak bidder's a_i is below T*")
	p := g.Problem()
	assert.LessOrEqual(t, vi.NaturalResidual(p.F, p.C, x), 1e-12)
	f := make([]float64, 3)
	p.F.Apply(f, x)
	assert.Greater(t, f[1], 0.0)

	solo, err := StandardKelly(1)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{math.Sqrt(2100*100) - 100}, solo.Equilibrium(), 1e-9)

	// Nobody bids when every a_i ≤ Z.
	none, err := NewKelly([]float64{0.05, 0.08}, 1000, 100)
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0}, none.Equilibrium())
	assert.InDelta(t, 100, none.Total(), 0)
}

// L = (max a + √N‖a‖)/Z² bounds ‖J‖₂ on the orthant and is nearly attained
// near zero bids; the analytic Jacobian matches finite differences; the
// local bound covers ‖J(x)‖₂.
func TestKellyLipschitz(t *testing.T) {
	g, err := StandardKelly(4)
	require.NoError(t, err)
	op := g.Operator()
	l, err := monotone.Lipschitz(op, &monotone.Sampling{Center: []float64{1, 1, 1, 1}, Radius: 1, Pairs: 5000})
	require.NoError(t, err)
	assert.LessOrEqual(t, l, g.Lipschitz())
	assert.GreaterOrEqual(t, l, 0.9*g.Lipschitz(), "the bound is tight near x = 0")
	assert.InDelta(t, g.Lipschitz(), op.(vi.Lipschitzer).Lipschitz(), 0)
	far, err := monotone.Lipschitz(op, &monotone.Sampling{Center: []float64{1000, 1000, 1000, 1000}, Radius: 1000, Pairs: 5000})
	require.NoError(t, err)
	assert.LessOrEqual(t, far, g.Lipschitz())
	kop := op.(*kellyOp)
	j := mat.NewDense(4, 4, nil)
	for _, x := range [][]float64{{0, 0, 0, 0}, {185, 326, 441, 536}, {1e4, 0, 3, 50}} {
		require.NoError(t, monotone.CheckJacobian(op, kop.Jacobian, x, 1e-6), "x = %v", x)
		kop.Jacobian(j, x)
		assert.LessOrEqual(t, monotone.SpectralNorm(j), kop.LocalLipschitz(x)*(1+1e-12))
		assert.LessOrEqual(t, kop.LocalLipschitz(x), g.Lipschitz()*(1+1e-12))
	}
}

// Monotonicity as derived in the doc comment: with equal gains F is
// monotone on the whole orthant; near the equilibrium it is strongly
// monotone, with the exact local modulus LocalMu; with unequal gains it is
// not monotone where one bid dominates Z and the others (λ(e_k) < 0).
func TestKellyMonotonicity(t *testing.T) {
	equal, err := NewKelly([]float64{2, 2, 2, 2}, 1000, 100)
	require.NoError(t, err)
	for _, s := range []*monotone.Sampling{
		{Center: []float64{1000, 1000, 1000, 1000}, Radius: 1000, Pairs: 5000},
		{Center: []float64{1e6, 50, 50, 50}, Radius: 50, Pairs: 5000},
	} {
		mu, err := monotone.Monotonicity(equal.Operator(), s)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, mu, 0.0, "equal gains, box around %v", s.Center)
	}

	g, err := StandardKelly(4)
	require.NoError(t, err)
	x := g.Equilibrium()
	mu, err := monotone.Monotonicity(g.Operator(), &monotone.Sampling{Center: x, Radius: 150, Pairs: 5000})
	require.NoError(t, err)
	assert.Greater(t, mu, 0.0, "strongly monotone around x*")
	assert.Greater(t, g.LocalMu(), 0.0)
	// Near x* the sampled modulus approaches the exact local one.
	near, err := monotone.Monotonicity(g.Operator(), &monotone.Sampling{Center: x, Radius: 1e-3, Pairs: 5000})
	require.NoError(t, err)
	assert.InDelta(t, g.LocalMu(), near, 0.02*g.LocalMu())
	assert.GreaterOrEqual(t, near, g.LocalMu()*(1-1e-6))

	// One dominant bid: λ(e_1) = (N − √(Σa·Σ1/a))/2 < 0. The eigenvector
	// of sym J for its negative eigenvalue gives a pair with
	// ⟨F(y) − F(x), y − x⟩ < 0.
	var sa, sinv float64
	for _, a := range g.a {
		sa += a
		sinv += 1 / a
	}
	require.Less(t, (4-math.Sqrt(sa*sinv))/2, 0.0)
	dom := []float64{1e7, 1, 1, 1}
	j := mat.NewDense(4, 4, nil)
	g.op.Jacobian(j, dom)
	sym := mat.NewSymDense(4, nil)
	for r := 0; r < 4; r++ {
		for c := r; c < 4; c++ {
			sym.SetSym(r, c, (j.At(r, c)+j.At(c, r))/2)
		}
	}
	var eig mat.EigenSym
	require.True(t, eig.Factorize(sym, true))
	require.Less(t, eig.Values(nil)[0], 0.0)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	v := mat.Col(nil, 0, &vecs)
	y := append([]float64(nil), dom...)
	floats.AddScaled(y, 1e-3, v)
	for _, yi := range y {
		require.GreaterOrEqual(t, yi, 0.0, "the pair stays in the orthant")
	}
	fx, fy := make([]float64, 4), make([]float64, 4)
	g.op.Apply(fx, dom)
	g.op.Apply(fy, y)
	floats.Sub(fy, fx)
	floats.Sub(y, dom)
	assert.Less(t, floats.Dot(fy, y), 0.0, "⟨F(y) − F(x), y − x⟩")
}

// The Newton solve of the hindsight problem stops at u = 0 when h'(0) ≥ 0
// and otherwise lands on the root of h'.
func TestKellyHindsightNewton(t *testing.T) {
	g, err := StandardKelly(2)
	require.NoError(t, err)
	h := g.Hindsight(4)
	for _, x := range [][]float64{{100, 300}, {400, 50}, {0, 0}, {1e4, 2e4}} {
		h.Observe(x)
	}
	for i := range 2 {
		u := []float64{0}
		h.Best(i, u)
		require.Greater(t, u[0], 0.0)
		kh := h.(*kellyHindsight)
		var d1 float64
		for k := i; k < len(kh.c); k += 2 {
			c := kh.c[k]
			d1 += c / ((c + u[0]) * (c + u[0]))
		}
		d1 = 4 - g.a[i]*d1
		assert.InDelta(t, 0, d1, 1e-12, "h'(u*) for player %d", i)
	}
	// Opponents bidding far above a_i: the best fixed bid is 0.
	h2 := g.Hindsight(1)
	h2.Observe([]float64{0, 1e6})
	u := []float64{1}
	assert.InDelta(t, 0, h2.Best(0, u), 0)
	assert.InDelta(t, 0, u[0], 0)
}

func TestKellyErrors(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		gains []float64
		q, z  float64
		want  string
	}{
		{nil, 1000, 100, "no players"},
		{[]float64{1}, 0, 100, "resource Q = 0"},
		{[]float64{1}, inf, 100, "resource Q"},
		{[]float64{1}, 1000, 0, "entry barrier Z = 0"},
		{[]float64{1}, 1000, -1, "entry barrier Z = -1"},
		{[]float64{1, 0}, 1000, 100, "gain G[1] = 0"},
		{[]float64{1, -1}, 1000, 100, "gain G[1] = -1"},
		{[]float64{1e300}, 1e300, 100, "overflows"},
	} {
		_, err := NewKelly(c.gains, c.q, c.z)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		assert.Contains(t, err.Error(), "games: kelly")
	}
	_, err := StandardKelly(0)
	require.ErrorContains(t, err, "n = 0")
}
