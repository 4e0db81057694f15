package rl

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lpTestLagrangian returns r − Σ_k λ_k c_k.
func lpTestLagrangian(m *MDP, cons []Constraint, lambda []float64) []float64 {
	out := append([]float64(nil), m.Reward()...)
	for k, c := range cons {
		for i, v := range c.Cost {
			out[i] -= lambda[k] * v
		}
	}
	return out
}

// lpTestCheck asserts that opt solves (m, cons): the policy, evaluated
// exactly, earns Value and Costs and has occupancy d* in visited states;
// constraints hold; complementary slackness; and strong duality checked
// independently by policy iteration on r − Σ λ*_k c_k:
// Value = max_π J_{r−λ*c}(π) + Σ λ*_k b_k.
func lpTestCheck(t *testing.T, m *MDP, cons []Constraint, opt *Optimum) {
	t.Helper()
	scale := 1 / (1 - m.Discount())
	e := NewEvaluator(m)
	require.NoError(t, e.SetPolicy(opt.Policy))
	j, err := e.Value(nil)
	require.NoError(t, err)
	assert.InDelta(t, opt.Value, j, 1e-9*scale, "J_r of the LP policy")
	sum := 0.0
	for _, v := range opt.Occupancy {
		assert.GreaterOrEqual(t, v, 0.0)
		sum += v
	}
	assert.InDelta(t, scale, sum, 1e-9*scale, "Σ d* = 1/(1 − γ)")
	dual := 0.0
	for k, c := range cons {
		jc, err := e.Value(c.Cost)
		require.NoError(t, err)
		assert.InDelta(t, opt.Costs[k], jc, 1e-9*scale, "J_c%d of the LP policy", k)
		assert.LessOrEqual(t, jc, c.Threshold+1e-9*scale, "constraint %d holds", k)
		assert.GreaterOrEqual(t, opt.Multipliers[k], 0.0)
		if opt.Multipliers[k] > 1e-9 {
			assert.InDelta(t, c.Threshold, opt.Costs[k], 1e-8*scale, "λ%d > 0, so constraint %d binds", k, k)
		}
		dual += opt.Multipliers[k] * c.Threshold
	}
	best, err := PolicyIteration(m, lpTestLagrangian(m, cons, opt.Multipliers), nil)
	require.NoError(t, err)
	assert.InDelta(t, opt.Value, best.Value+dual, 1e-8*scale, "strong duality")
}

// ALGORITHMS.md B7.1 and B7.2: the LP reproduces the exact optima, and the
// closed-form answers stored in the instances pass the same checks.
func TestLPExactCMDPs(t *testing.T) {
	var cases []*Instance
	for _, gamma := range []float64{0, 0.5, 0.9, 0.99} {
		in, err := OneStateCMDP(gamma)
		require.NoError(t, err)
		cases = append(cases, in)
	}
	cases = append(cases, TwoStateCMDP())
	for _, in := range cases {
		t.Run(in.Name, func(t *testing.T) {
			m := in.MDP
			opt, err := SolveLP(m, nil, in.Constraints)
			require.NoError(t, err)
			want := in.Optimum
			assert.InDelta(t, want.Value, opt.Value, 1e-9)
			assert.InDeltaSlice(t, want.Costs, opt.Costs, 1e-9)
			assert.InDeltaSlice(t, want.Multipliers, opt.Multipliers, 1e-9)
			// Compare state occupancies and the policy where it is unique
			// (B7.2's state s1 has two identical actions).
			for s := 0; s < m.States(); s++ {
				ws, gs := 0.0, 0.0
				for a := 0; a < m.Actions(); a++ {
					ws += want.Occupancy[m.Index(s, a)]
					gs += opt.Occupancy[m.Index(s, a)]
				}
				assert.InDelta(t, ws, gs, 1e-9, "state occupancy of %d", s)
			}
			assert.InDeltaSlice(t, want.Policy.Row(0), opt.Policy.Row(0), 1e-9)
			lpTestCheck(t, m, in.Constraints, opt)
			lpTestCheck(t, m, in.Constraints, want)
		})
	}
}

// Random CMDPs: the LP optimum is feasible, satisfies strong duality, is
// no better than the unconstrained optimum and no worse than the feasible
// mixture ½(d_0 + d*) that RandomCMDP's thresholds are built on.
func TestLPRandomCMDPs(t *testing.T) {
	for _, tc := range []struct{ s, a, k int }{{3, 2, 1}, {6, 3, 2}, {10, 4, 3}} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("S=%d,A=%d,K=%d,seed=%d", tc.s, tc.a, tc.k, seed), func(t *testing.T) {
				in, err := RandomCMDP(tc.s, tc.a, tc.k, 0.9, rand.NewPCG(seed, 3))
				require.NoError(t, err)
				m := in.MDP
				opt, err := SolveLP(m, nil, in.Constraints)
				require.NoError(t, err)
				assert.Equal(t, in.Optimum, opt, "the instance carries the LP optimum")
				lpTestCheck(t, m, in.Constraints, opt)

				free, err := SolveLP(m, nil, nil)
				require.NoError(t, err)
				assert.LessOrEqual(t, opt.Value, free.Value+1e-9)
				total := make([]float64, m.Size())
				for _, c := range in.Constraints {
					for i, v := range c.Cost {
						total[i] -= v
					}
				}
				low, err := SolveLP(m, total, nil)
				require.NoError(t, err)
				mix := 0.0
				for i, r := range m.Reward() {
					mix += 0.5 * (low.Occupancy[i] + free.Occupancy[i]) * r
				}
				assert.GreaterOrEqual(t, opt.Value, mix-1e-9)
				for k, c := range in.Constraints {
					lo, hi := 0.0, 0.0
					for i, v := range c.Cost {
						lo += low.Occupancy[i] * v
						hi += free.Occupancy[i] * v
					}
					assert.InDelta(t, (lo+hi)/2, c.Threshold, 1e-12*(1+math.Abs(c.Threshold)), "threshold %d", k)
				}
			})
		}
	}
}

func TestLPInfeasibleAndDegenerateConstraints(t *testing.T) {
	in, err := OneStateCMDP(0.5)
	require.NoError(t, err)
	m := in.MDP
	// V_c ≥ 0 for every policy, so V_c ≤ −1 is infeasible.
	_, err = SolveLP(m, nil, []Constraint{{Cost: []float64{0, 1}, Threshold: -1}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInfeasible), "got %v", err)
	assert.Equal(t, "rl: the constraints are infeasible: every policy violates them by at least 1 in total", err.Error())
	// Also by a small margin: V_c ≥ 0, threshold −1e-6.
	_, err = SolveLP(m, nil, []Constraint{{Cost: []float64{0, 1}, Threshold: -1e-6}})
	assert.True(t, errors.Is(err, ErrInfeasible), "got %v", err)
	// At the boundary, V_c ≤ 0, it is feasible: always action 0.
	opt0, err := SolveLP(m, nil, []Constraint{{Cost: []float64{0, 1}, Threshold: 0}})
	require.NoError(t, err)
	assert.InDelta(t, 0, opt0.Value, 1e-12)
	assert.InDeltaSlice(t, []float64{1, 0}, opt0.Policy.Probs(), 1e-12)
	// Two copies of one constraint: dependent rows, same optimum.
	two := TwoStateCMDP()
	opt2, err := SolveLP(two.MDP, nil, []Constraint{two.Constraints[0], two.Constraints[0]})
	require.NoError(t, err)
	assert.InDelta(t, two.Optimum.Value, opt2.Value, 1e-12)
	assert.InDelta(t, two.Optimum.Multipliers[0], opt2.Multipliers[0]+opt2.Multipliers[1], 1e-12, "the multiplier is shared")

	// A zero cost with a nonnegative threshold constrains nothing: λ = 0.
	opt, err := SolveLP(m, nil, []Constraint{{Cost: []float64{0, 0}, Threshold: 0}, in.Constraints[0]})
	require.NoError(t, err)
	assert.InDelta(t, in.Optimum.Value, opt.Value, 1e-12)
	assert.InDeltaSlice(t, []float64{0, 1}, opt.Multipliers, 1e-12)

	// A slack constraint (V_c ≤ 10 > 1/(1 − γ) = 2): the unconstrained
	// optimum, λ = 0.
	opt, err = SolveLP(m, nil, []Constraint{{Cost: []float64{0, 1}, Threshold: 10}})
	require.NoError(t, err)
	assert.InDelta(t, 2, opt.Value, 1e-12)
	assert.InDeltaSlice(t, []float64{0}, opt.Multipliers, 1e-12)

	// One action: the LP is square, there is one policy.
	one, err := NewMDP(2, 1, 0.5, []float64{1, 0}, [][][]float64{{{0, 1}}, {{1, 0}}}, [][]float64{{1}, {0}})
	require.NoError(t, err)
	opt, err = SolveLP(one, nil, nil)
	require.NoError(t, err)
	assert.InDelta(t, 1/(1-0.25), opt.Value, 1e-12, "reward 1 at even times")
}

func TestLPConstraintErrors(t *testing.T) {
	m, err := RandomMDP(2, 2, 0.9, nil)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		cons []Constraint
		want string
	}{
		{"cost length", []Constraint{{Cost: []float64{1, 2, 3}}}, "rl: constraints[0].cost has 3 entries, want 4 (states·actions)"},
		{"NaN cost", []Constraint{{Cost: make([]float64, 4)}, {Cost: []float64{0, 0, math.NaN(), 0}}}, "rl: constraints[1].cost[1][0] = NaN, want a finite number"},
		{"infinite threshold", []Constraint{{Cost: make([]float64, 4), Threshold: math.Inf(1)}}, "rl: constraints[0].threshold = +Inf, want a finite number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SolveLP(m, nil, tc.cons)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.Equal(t, tc.want, m.CheckConstraints(tc.cons).Error())
		})
	}
	_, err = SolveLP(m, []float64{1}, nil)
	require.Error(t, err)
	assert.Equal(t, "rl: reward has 1 entries, want 4 (states·actions)", err.Error())
}

// lpTestLayouts are gridworlds whose programs are badly degenerate:
// deterministic moves, one start state, unreachable cells, thresholds at
// the least achievable cost. (Before SolveLP perturbed its programs, gonum's
// simplex method cycled forever on the second one's minimum-cost program.)
var lpTestLayouts = [][]string{
	{"S....", ".HHH.", ".H.H.", ".HHH.", "....G"},
	{"S......", ".HHHHH.", ".H...H.", ".H.#.H.", ".HHHHH.", "......G"},
	{"S#......", ".#.HHHH.", ".#.H..H.", "...H.GH.", ".HHH..H.", "........"},
	{"SHG", "#.#"},
}

// SolveLP on degenerate gridworlds, at thresholds from the least
// achievable cost to the unconstrained optimum's cost, passes the
// independent checks of lpTestCheck, and the minimum-cost program agrees
// with policy iteration on −c.
func TestLPDegenerateGridworlds(t *testing.T) {
	for i, layout := range lpTestLayouts {
		for _, slip := range []float64{0, 0.1} {
			t.Run(fmt.Sprintf("layout=%d,slip=%v", i, slip), func(t *testing.T) {
				in, err := Gridworld{Layout: layout, Slip: slip, Level: 1}.Instance()
				require.NoError(t, err)
				m, cost := in.MDP, in.Constraints[0].Cost
				neg := make([]float64, len(cost))
				for j, c := range cost {
					neg[j] = -c
				}
				low, err := SolveLP(m, neg, nil)
				require.NoError(t, err)
				pi, err := PolicyIteration(m, neg, nil)
				require.NoError(t, err)
				assert.InDelta(t, pi.Value, low.Value, 1e-9)
				cMin, cOpt := -low.Value, in.Constraints[0].Threshold
				for _, level := range []float64{0, 0.3, 1} {
					cons := []Constraint{{Cost: cost, Threshold: cMin + level*(cOpt-cMin)}}
					opt, err := SolveLP(m, nil, cons)
					require.NoError(t, err, "level %v", level)
					lpTestCheck(t, m, cons, opt)
				}
			})
		}
	}
}

func BenchmarkSolveLP(b *testing.B) {
	grid, err := Gridworld{Layout: lpTestLayouts[1], Slip: 0.1}.Instance()
	require.NoError(b, err)
	random, err := RandomCMDP(40, 4, 3, 0.95, nil)
	require.NoError(b, err)
	for _, in := range []*Instance{TwoStateCMDP(), grid, random} {
		b.Run(in.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := SolveLP(in.MDP, nil, in.Constraints); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
