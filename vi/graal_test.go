package vi

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// graalHideL returns p with its operator wrapped in funcOp, which reports
// no Lipschitz constant, so that a method cannot take its step from it.
func graalHideL(p *Problem) *Problem {
	f := p.F
	return &Problem{F: funcOp{n: f.Dim(), f: f.Apply}, C: p.C, Z0: p.Z0}
}

// withoutLProblems are monotone problems for the methods that find their
// own step (aGRAAL, FBF with line search).
var withoutLProblems = []struct {
	name string
	tp   testProblem
}{
	{"bilinear-10", randomBilinear(10, 1)},
	{"quadratic-bilinear-2,-1,2", quadraticBilinear(2, -1, 2)},
	{"quadratic-bilinear-1,3,1", quadraticBilinear(1, 3, 1)},
	{"box-affine", boxAffine()},
	{"rps", rps()},
}

// The cost against extragradient with its best constant step is measured
// on the conformance problems, in internal/registry.
func TestAdaptiveGoldenRatioConvergesWithoutL(t *testing.T) {
	for _, c := range withoutLProblems {
		t.Run(c.name, func(t *testing.T) {
			m := &AdaptiveGoldenRatio{}
			res, err := Solve(context.Background(), graalHideL(c.tp.p), m, &Settings{MaxIterations: 1_000_000})
			require.NoError(t, err)
			require.Equal(t, Converged, res.Status)
			assert.LessOrEqual(t, res.Residual, DefaultTol)
			assert.InDeltaSlice(t, c.tp.solution, res.Z, 1e-6)
			// The step settles near φ/(2·L_loc) ≥ φ/(2L) = 0.8/L, as the
			// local estimate L_loc never exceeds L; 0.5/L leaves room.
			l, _ := lipschitzOf(c.tp.p.F)
			assert.GreaterOrEqual(t, m.StepSize()*l, 0.5)
			t.Logf("%d evaluations, final λL = %.3g", res.Evaluations, m.StepSize()*l)
		})
	}
}

func TestAdaptiveGoldenRatioCounts(t *testing.T) {
	// 2 evaluations and 1 projection in Init (1 evaluation with Step set),
	// then 1 of each per iteration.
	tp := rps()
	for _, c := range []struct {
		name      string
		m         *AdaptiveGoldenRatio
		initEvals int
	}{
		{"estimated", &AdaptiveGoldenRatio{}, 2},
		{"step", &AdaptiveGoldenRatio{Step: 0.3}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Solve(context.Background(), graalHideL(tp.p), c.m, &Settings{Tol: -1, MaxIterations: 37})
			require.NoError(t, err)
			assert.Equal(t, c.initEvals+res.Iterations, res.Evaluations)
			assert.Equal(t, 1+res.Iterations, res.Projections)
			assert.Zero(t, res.Checks)
		})
	}
}

func TestAdaptiveGoldenRatioGivenStep(t *testing.T) {
	// Step is λ_0; the first step is min(ρ̄λ_0, λ̄) with ρ̄ = 1/φ + 1/φ².
	tp := rps()
	m := &AdaptiveGoldenRatio{Step: 0.3}
	require.NoError(t, m.Init(graalHideL(tp.p)))
	assert.InDelta(t, 0.3*(1/1.6+1/2.56), m.StepSize(), 1e-15)
	m = &AdaptiveGoldenRatio{Step: 0.3, MaxStep: 0.1}
	require.NoError(t, m.Init(graalHideL(tp.p)))
	assert.Equal(t, 0.1, m.StepSize())
	res, err := Solve(context.Background(), graalHideL(tp.p), &AdaptiveGoldenRatio{Step: 0.3}, nil)
	require.NoError(t, err)
	assert.Equal(t, Converged, res.Status)
	assert.InDeltaSlice(t, tp.solution, res.Z, 1e-6)
}

func TestAdaptiveGoldenRatioConstantOperator(t *testing.T) {
	// F ≡ (1, −1) on [0, 1]²: F(x_{k+1}) = F(x_k) at every step, so the
	// ratio term of the step rule is 0/0 or c/0 and must be left out. The
	// solution is the corner (0, 1); the step grows by ρ̄ up to λ̄.
	f := funcOp{n: 2, f: func(dst, z []float64) { dst[0], dst[1] = 1, -1 }}
	p := &Problem{F: f, C: Box{Lo: []float64{0, 0}, Hi: []float64{1, 1}}, Z0: []float64{0.9, 0.2}}
	m := &AdaptiveGoldenRatio{MaxStep: 10}
	res, err := Solve(context.Background(), p, m, nil)
	require.NoError(t, err)
	require.Equal(t, Converged, res.Status)
	assert.InDeltaSlice(t, []float64{0, 1}, res.Z, 1e-12)
	assert.False(t, math.IsNaN(m.StepSize()))
	for range 100 {
		require.NoError(t, m.Iterate())
	}
	assert.Equal(t, 10.0, m.StepSize())
}

func TestAdaptiveGoldenRatioIterateAllocatesNothing(t *testing.T) {
	tp := randomBilinear(10, 1)
	m := &AdaptiveGoldenRatio{}
	require.NoError(t, m.Init(tp.p))
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		if err := m.Iterate(); err != nil {
			t.Fatal(err)
		}
	}))
	// Init on the same buffers allocates nothing either (restarts rely
	// on it).
	assert.Zero(t, testing.AllocsPerRun(10, func() {
		if err := m.Init(tp.p); err != nil {
			t.Fatal(err)
		}
	}))
}

func TestAdaptiveGoldenRatioDeterministic(t *testing.T) {
	tp := boxAffine()
	p := graalHideL(tp.p)
	z0 := append([]float64(nil), p.Z0...)
	m := &AdaptiveGoldenRatio{}
	s := &Settings{Tol: -1, MaxIterations: 300}
	r1, err := Solve(context.Background(), p, m, s)
	require.NoError(t, err)
	r2, err := Solve(context.Background(), p, m, s)
	require.NoError(t, err)
	r3, err := Solve(context.Background(), p, &AdaptiveGoldenRatio{}, s)
	require.NoError(t, err)
	assert.Equal(t, r1.Z, r2.Z)
	assert.Equal(t, r1.Z, r3.Z)
	assert.Equal(t, r1.Evaluations, r3.Evaluations)
	assert.Equal(t, z0, p.Z0, "Z0 must not be modified")
}

func TestAdaptiveGoldenRatioRejectsBadParameters(t *testing.T) {
	tp := rps()
	cases := []struct {
		m     *AdaptiveGoldenRatio
		field string
	}{
		{&AdaptiveGoldenRatio{Phi: 1}, "Phi"},
		{&AdaptiveGoldenRatio{Phi: 1.7}, "Phi"},
		{&AdaptiveGoldenRatio{Phi: -1}, "Phi"},
		{&AdaptiveGoldenRatio{Phi: math.NaN()}, "Phi"},
		{&AdaptiveGoldenRatio{MaxStep: -1}, "MaxStep"},
		{&AdaptiveGoldenRatio{MaxStep: math.Inf(1)}, "MaxStep"},
		{&AdaptiveGoldenRatio{Step: math.NaN()}, "Step"},
	}
	for _, c := range cases {
		err := c.m.Init(tp.p)
		var pe ErrParameter
		require.True(t, errors.As(err, &pe), "%v", err)
		assert.Equal(t, "AdaptiveGoldenRatio", pe.Method)
		assert.Equal(t, c.field, pe.Field)
		assert.Contains(t, err.Error(), "AdaptiveGoldenRatio."+c.field)
		assert.ErrorIs(t, c.m.Iterate(), errNotInit)
	}
	// The golden ratio itself is allowed.
	require.NoError(t, (&AdaptiveGoldenRatio{Phi: (1 + math.Sqrt(5)) / 2}).Init(tp.p))
	// An operator that is not finite next to the start cannot give λ_0.
	nan := funcOp{n: 1, f: func(dst, z []float64) {
		dst[0] = z[0]
		if z[0] != 1 {
			dst[0] = math.NaN()
		}
	}}
	err := (&AdaptiveGoldenRatio{}).Init(&Problem{F: nan, Z0: []float64{1}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "set Step")
}

func BenchmarkAdaptiveGoldenRatioIterate(b *testing.B) {
	game := randomBilinear(100, 1)
	m := &AdaptiveGoldenRatio{}
	if err := m.Init(game.p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Iterate(); err != nil {
			b.Fatal(err)
		}
	}
}
