package rl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// evalTestPolicy returns a seeded random softmax policy (logits N(0, 4)).
func evalTestPolicy(t testing.TB, states, actions int, seed uint64) *Policy {
	rng := rand.New(rand.NewPCG(seed, 7))
	logits := make([]float64, states*actions)
	for i := range logits {
		logits[i] = 2 * rng.NormFloat64()
	}
	p, err := Softmax(states, actions, logits)
	require.NoError(t, err)
	return p
}

// One state, two actions: V = (p r₁ + (1 − p) r₀)/(1 − γ) and
// Q(a) = r_a + γV, for every discount including 0.
func TestEvalOneStateClosedForm(t *testing.T) {
	for _, gamma := range []float64{0, 0.5, 0.9, 0.999} {
		for _, p := range []float64{0, 0.3, 1} {
			t.Run(fmt.Sprintf("gamma=%v,p=%v", gamma, p), func(t *testing.T) {
				m, err := NewMDP(1, 2, gamma, []float64{1}, [][][]float64{{{1}, {1}}}, [][]float64{{2, -1}})
				require.NoError(t, err)
				pi, err := NewPolicy([][]float64{{1 - p, p}})
				require.NoError(t, err)
				v, q, err := m.Evaluate(pi, nil)
				require.NoError(t, err)
				want := (2*(1-p) - p) / (1 - gamma)
				tol := 1e-12 * (1 + math.Abs(want))
				assert.InDelta(t, want, v[0], tol)
				assert.InDeltaSlice(t, []float64{2 + gamma*want, -1 + gamma*want}, q, tol)
				j, err := m.Value(pi, nil)
				require.NoError(t, err)
				assert.InDelta(t, want, j, tol)
				d, err := m.Occupancy(pi)
				require.NoError(t, err)
				assert.InDeltaSlice(t, []float64{(1 - p) / (1 - gamma), p / (1 - gamma)}, d, tol)
			})
		}
	}
}

// ALGORITHMS.md B7.2: with p = π(go | s0), V_r(p) = (2 + 7p)/(1 + 0.9p)
// and V_c(p) = 10p/(1 + 0.9p); one factorization serves both.
func TestEvalTwoStateClosedForm(t *testing.T) {
	in := TwoStateCMDP()
	e := NewEvaluator(in.MDP)
	for _, p := range []float64{0, 10.0 / 41, 0.5, 1} {
		pi, err := NewPolicy([][]float64{{1 - p, p}, {0.3, 0.7}})
		require.NoError(t, err)
		require.NoError(t, e.SetPolicy(pi))
		vr, err := e.Value(nil)
		require.NoError(t, err)
		vc, err := e.Value(in.Constraints[0].Cost)
		require.NoError(t, err)
		assert.InDelta(t, (2+7*p)/(1+0.9*p), vr, 1e-13, "p = %v", p)
		assert.InDelta(t, 10*p/(1+0.9*p), vc, 1e-13, "p = %v", p)
	}
}

// V^π and Q^π satisfy the Bellman equations V = r_π + γP_πV and
// V(s) = Σ_a π(a|s) Q(s, a) to 1e-12, for the reward and for other reward
// vectors evaluated with the same factorization; μᵀV = Σ d r = J(π).
func TestEvalBellmanEquations(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {2, 3}, {10, 4}, {40, 3}} {
		for _, gamma := range []float64{0, 0.9, 0.99} {
			t.Run(fmt.Sprintf("S=%d,A=%d,gamma=%v", size[0], size[1], gamma), func(t *testing.T) {
				s, a := size[0], size[1]
				m, err := RandomMDP(s, a, gamma, rand.NewPCG(uint64(s), uint64(a)))
				require.NoError(t, err)
				pi := evalTestPolicy(t, s, a, 3)
				e := NewEvaluator(m)
				require.NoError(t, e.SetPolicy(pi))
				cost := make([]float64, m.Size())
				for i := range cost {
					cost[i] = math.Sin(float64(i)) - 0.5
				}
				for _, reward := range [][]float64{nil, cost} {
					r := reward
					if r == nil {
						r = m.Reward()
					}
					v, q := make([]float64, s), make([]float64, m.Size())
					require.NoError(t, e.Values(v, q, reward))
					scale := 1 / (1 - gamma)
					for st := 0; st < s; st++ {
						rhs, avg := 0.0, 0.0
						for ac := 0; ac < a; ac++ {
							p := pi.Prob(st, ac)
							next := 0.0
							for s2, pr := range m.Next(st, ac) {
								next += pr * v[s2]
							}
							rhs += p * (r[m.Index(st, ac)] + gamma*next)
							avg += p * q[m.Index(st, ac)]
						}
						assert.InDelta(t, rhs, v[st], 1e-12*scale, "Bellman equation at state %d", st)
						assert.InDelta(t, avg, v[st], 1e-12*scale, "V = Σ π Q at state %d", st)
					}
					muV := 0.0
					for st, w := range m.Initial() {
						muV += w * v[st]
					}
					j, err := e.Value(reward)
					require.NoError(t, err)
					assert.InDelta(t, muV, j, 1e-12*scale)
				}
			})
		}
	}
}

// The occupancy measure sums to 1/(1 − γ), satisfies the flow equations
// Σ_a d(s, a) = μ(s) + γ Σ_{s′,a′} P(s | s′, a′) d(s′, a′), reproduces
// J(π) = Σ d r and equals the truncated series Σ_t γᵗ Pr(s_t, a_t)
// computed by forward propagation.
func TestEvalOccupancy(t *testing.T) {
	for _, gamma := range []float64{0, 0.5, 0.95} {
		t.Run(fmt.Sprintf("gamma=%v", gamma), func(t *testing.T) {
			const s, a = 12, 3
			m, err := RandomMDP(s, a, gamma, rand.NewPCG(5, 5))
			require.NoError(t, err)
			pi := evalTestPolicy(t, s, a, 9)
			d, err := m.Occupancy(pi)
			require.NoError(t, err)
			sum := 0.0
			for _, v := range d {
				sum += v
			}
			assert.InDelta(t, 1/(1-gamma), sum, 1e-12/(1-gamma))
			for st := 0; st < s; st++ {
				lhs, rhs := 0.0, m.Initial()[st]
				for ac := 0; ac < a; ac++ {
					lhs += d[m.Index(st, ac)]
				}
				for i, w := range d {
					rhs += gamma * m.Transitions()[i*s+st] * w
				}
				assert.InDelta(t, rhs, lhs, 1e-12/(1-gamma), "flow at state %d", st)
			}
			j, err := m.Value(pi, nil)
			require.NoError(t, err)
			dr := 0.0
			for i, v := range d {
				dr += v * m.Reward()[i]
			}
			assert.InDelta(t, j, dr, 1e-12/(1-gamma))

			// Series: ρ_{t+1}(s′) = Σ_{s,a} ρ_t(s) π(a|s) P(s′|s, a).
			series := make([]float64, m.Size())
			rho := append([]float64(nil), m.Initial()...)
			for w := 1.0; w > 1e-17; w *= gamma {
				next := make([]float64, s)
				for st := 0; st < s; st++ {
					for ac := 0; ac < a; ac++ {
						x := rho[st] * pi.Prob(st, ac)
						series[m.Index(st, ac)] += w * x
						for s2, p := range m.Next(st, ac) {
							next[s2] += x * p
						}
					}
				}
				rho = next
				if gamma == 0 {
					break
				}
			}
			assert.InDeltaSlice(t, series, d, 1e-12/(1-gamma))

			nu := make([]float64, s)
			e := NewEvaluator(m)
			require.NoError(t, e.SetPolicy(pi))
			require.NoError(t, e.StateOccupancy(nu))
			for st := 0; st < s; st++ {
				assert.InDelta(t, nu[st], d[m.Index(st, 0)]+d[m.Index(st, 1)]+d[m.Index(st, 2)], 1e-12)
			}
		})
	}
}

// After its first use an Evaluator allocates nothing per policy or reward.
func TestEvaluatorNoAllocation(t *testing.T) {
	// 15 states, and 300, past the size where a blocked LU would hand its
	// trailing updates to a parallel, allocating matrix product.
	for _, s := range []int{15, 300} {
		evalTestNoAllocation(t, s)
	}
}

func evalTestNoAllocation(t *testing.T, s int) {
	const a = 4
	m, err := RandomMDP(s, a, 0.9, nil)
	require.NoError(t, err)
	p1, p2 := evalTestPolicy(t, s, a, 1), evalTestPolicy(t, s, a, 2)
	e := NewEvaluator(m)
	v, q, d := make([]float64, s), make([]float64, m.Size()), make([]float64, m.Size())
	cost := make([]float64, m.Size())
	run := func(p *Policy) {
		if e.SetPolicy(p) != nil || e.Values(v, q, nil) != nil || e.Occupancy(d) != nil {
			panic("evaluation failed")
		}
		if _, err := e.Value(cost); err != nil {
			panic(err)
		}
		if err := e.SoftmaxGradient(d, cost); err != nil {
			panic(err)
		}
	}
	run(p1)
	allocs := testing.AllocsPerRun(5, func() { run(p2); run(p1) })
	assert.Zero(t, allocs, "%d states", s)
	want, _, err := m.Evaluate(p1, nil)
	require.NoError(t, err)
	assert.Equal(t, want, v, "the reused Evaluator gives the result of a fresh one")
}

func TestEvaluatorErrors(t *testing.T) {
	m, err := RandomMDP(3, 2, 0.9, nil)
	require.NoError(t, err)
	e := NewEvaluator(m)
	v, q := make([]float64, 3), make([]float64, 6)
	err = e.Values(v, q, nil)
	require.Error(t, err)
	assert.Equal(t, "rl: Evaluator: no policy set (call SetPolicy first)", err.Error())
	_, err = e.Value(nil)
	require.Error(t, err)

	wrong, err := Uniform(2, 3)
	require.NoError(t, err)
	err = e.SetPolicy(wrong)
	require.Error(t, err)
	assert.Equal(t, "rl: policy is 2×3, want 3×2 (states×actions)", err.Error())
	err = e.SetPolicy(nil)
	require.Error(t, err)
	assert.Equal(t, "rl: policy is nil", err.Error())
	_, _, err = m.Evaluate(wrong, nil)
	require.Error(t, err)

	pi, err := Uniform(3, 2)
	require.NoError(t, err)
	require.NoError(t, e.SetPolicy(pi))
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"v", func() error { return e.Values(v[:2], q, nil) }, "rl: v has 2 entries, want 3 (states)"},
		{"q", func() error { return e.Values(v, q[:5], nil) }, "rl: q has 5 entries, want 6 (states·actions)"},
		{"reward", func() error { return e.Values(v, q, make([]float64, 7)) }, "rl: reward has 7 entries, want 6 (states·actions)"},
		{"reward NaN", func() error { _, err := e.Value([]float64{0, 0, 0, math.NaN(), 0, 0}); return err }, "rl: reward[1][1] = NaN, want a finite number"},
		{"occupancy", func() error { return e.Occupancy(make([]float64, 3)) }, "rl: occupancy has 3 entries, want 6 (states·actions)"},
		{"nu", func() error { return e.StateOccupancy(make([]float64, 6)) }, "rl: nu has 6 entries, want 3 (states)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
	// q may be nil: only V is computed.
	require.NoError(t, e.Values(v, nil, nil))
}

// The softmax policy gradient d(s, a)(Q(s, a) − V(s)) matches central
// finite differences of J(softmax(θ)), for the reward and for a cost.
func TestEvalSoftmaxGradient(t *testing.T) {
	const s, a = 5, 3
	m, err := RandomMDP(s, a, 0.9, rand.NewPCG(2, 2))
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(4, 4))
	theta := make([]float64, m.Size())
	cost := make([]float64, m.Size())
	for i := range theta {
		theta[i] = rng.NormFloat64()
		cost[i] = rng.Float64() - 0.5
	}
	pi, err := Softmax(s, a, theta)
	require.NoError(t, err)
	e := NewEvaluator(m)
	require.NoError(t, e.SetPolicy(pi))
	g := make([]float64, m.Size())
	for _, reward := range [][]float64{nil, cost} {
		require.NoError(t, e.SoftmaxGradient(g, reward))
		const h = 1e-5
		for i := range theta {
			j := func(delta float64) float64 {
				th := append([]float64(nil), theta...)
				th[i] += delta
				p, err := Softmax(s, a, th)
				require.NoError(t, err)
				v, err := m.Value(p, reward)
				require.NoError(t, err)
				return v
			}
			assert.InDelta(t, (j(h)-j(-h))/(2*h), g[i], 1e-8, "entry %d", i)
		}
	}
	err = e.SoftmaxGradient(g[:2], nil)
	require.Error(t, err)
	assert.Equal(t, "rl: g has 2 entries, want 15 (states·actions)", err.Error())
}

func BenchmarkEvaluator(b *testing.B) {
	for _, size := range [][2]int{{10, 4}, {100, 4}} {
		s, a := size[0], size[1]
		b.Run(fmt.Sprintf("S=%d,A=%d", s, a), func(b *testing.B) {
			m, err := RandomMDP(s, a, 0.9, nil)
			require.NoError(b, err)
			pi := evalTestPolicy(b, s, a, 1)
			e := NewEvaluator(m)
			v, q := make([]float64, s), make([]float64, m.Size())
			b.ReportAllocs()
			for b.Loop() {
				if err := e.SetPolicy(pi); err != nil {
					b.Fatal(err)
				}
				if err := e.Values(v, q, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
