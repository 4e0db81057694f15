package rl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Value iteration, policy iteration and the occupancy LP agree on the
// optimal value of random MDPs: VI to its tolerance (1e-10), PI and LP to
// rounding; the greedy policies of VI and PI are optimal when evaluated
// exactly.
func TestValueIterationPolicyIterationLPAgree(t *testing.T) {
	for _, tc := range []struct {
		s, a  int
		gamma float64
	}{
		{1, 3, 0.5}, {5, 2, 0}, {8, 3, 0.9}, {20, 4, 0.95}, {30, 2, 0.99},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("S=%d,A=%d,gamma=%v,seed=%d", tc.s, tc.a, tc.gamma, seed), func(t *testing.T) {
				m, err := RandomMDP(tc.s, tc.a, tc.gamma, rand.NewPCG(seed, 11))
				require.NoError(t, err)
				vi, err := ValueIteration(m, nil, nil)
				require.NoError(t, err)
				pi, err := PolicyIteration(m, nil, nil)
				require.NoError(t, err)
				opt, err := SolveLP(m, nil, nil)
				require.NoError(t, err)
				assert.Equal(t, Converged, vi.Status)
				assert.Equal(t, Converged, pi.Status)

				assert.InDelta(t, opt.Value, vi.Value, 1e-8)
				assert.InDelta(t, opt.Value, pi.Value, 1e-10)
				assert.InDeltaSlice(t, pi.V, vi.V, 1e-10, "VI is within its tolerance of V*")
				assert.Less(t, pi.Residual, 1e-12/(1-tc.gamma), "PI's value is a fixed point of T")
				assert.LessOrEqual(t, vi.Residual, (1-tc.gamma)*1e-10)

				for name, p := range map[string]*Policy{"VI": vi.Policy, "PI": pi.Policy, "LP": opt.Policy} {
					j, err := m.Value(p, nil)
					require.NoError(t, err)
					assert.InDelta(t, opt.Value, j, 1e-8, "%s's policy is optimal", name)
				}
				// The LP occupancy is that of its policy.
				d, err := m.Occupancy(opt.Policy)
				require.NoError(t, err)
				assert.InDeltaSlice(t, opt.Occupancy, d, 1e-9)
			})
		}
	}
}

// One state: V* = max_a r(a)/(1 − γ); VI needs about
// log((1 − γ)·Tol/‖r‖)/log γ backups.
func TestValueIterationOneState(t *testing.T) {
	for _, gamma := range []float64{0, 0.5, 0.9} {
		t.Run(fmt.Sprintf("gamma=%v", gamma), func(t *testing.T) {
			m, err := NewMDP(1, 3, gamma, []float64{1}, [][][]float64{{{1}, {1}, {1}}}, [][]float64{{0.5, 2, -1}})
			require.NoError(t, err)
			res, err := ValueIteration(m, nil, nil)
			require.NoError(t, err)
			assert.Equal(t, Converged, res.Status)
			assert.InDelta(t, 2/(1-gamma), res.V[0], 1e-10)
			assert.Equal(t, []float64{0, 1, 0}, res.Policy.Probs())
			// From V_0 = 0, ‖T V_k − V_k‖ = 2γᵏ: it stops at the first k with
			// 2γᵏ ≤ (1 − γ)·1e-10 (k = 1 for γ = 0, as 0⁰ = 1).
			want := 1
			if gamma > 0 {
				want = int(math.Ceil(math.Log((1-gamma)*1e-10/2) / math.Log(gamma)))
			}
			assert.Equal(t, want, res.Iterations)
		})
	}
}

func TestValueIterationLimitsAndSettings(t *testing.T) {
	m, err := RandomMDP(6, 3, 0.9, nil)
	require.NoError(t, err)
	res, err := ValueIteration(m, nil, &Settings{MaxIterations: 5})
	require.NoError(t, err)
	assert.Equal(t, IterationLimit, res.Status)
	assert.Equal(t, 5, res.Iterations)
	assert.Greater(t, res.Residual, 1e-2, "5 backups are far from V*")

	// A negative tolerance runs exactly MaxIterations backups.
	res, err = ValueIteration(m, nil, &Settings{Tol: -1, MaxIterations: 40})
	require.NoError(t, err)
	assert.Equal(t, IterationLimit, res.Status)
	assert.Equal(t, 40, res.Iterations)

	// A looser tolerance stops earlier and still holds.
	loose, err := ValueIteration(m, nil, &Settings{Tol: 1e-3})
	require.NoError(t, err)
	exact, err := PolicyIteration(m, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, Converged, loose.Status)
	for s := range exact.V {
		assert.InDelta(t, exact.V[s], loose.V[s], 1e-3)
	}

	pi, err := PolicyIteration(m, nil, &Settings{MaxIterations: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, pi.Iterations)

	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"NaN tolerance", func() error { _, err := ValueIteration(m, nil, &Settings{Tol: math.NaN()}); return err }, "rl: Settings.Tol = NaN, want a number"},
		{"no stopping rule", func() error { _, err := ValueIteration(m, nil, &Settings{Tol: -1, MaxIterations: -1}); return err },
			"rl: Settings has neither a tolerance nor an iteration limit, so value iteration would not stop"},
		{"VI reward length", func() error { _, err := ValueIteration(m, make([]float64, 3), nil); return err }, "rl: reward has 3 entries, want 18 (states·actions)"},
		{"PI reward NaN", func() error {
			r := make([]float64, 18)
			r[4] = math.NaN()
			_, err := PolicyIteration(m, r, nil)
			return err
		},
			"rl: reward[1][1] = NaN, want a finite number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// Policy iteration stops on exact ties (B7.2's state s1 has two identical
// actions) and solves the Lagrangian reward r − λ*c of B7.2, where wait
// and go tie at s0, to the dual value Σ μV = 2.
func TestPolicyIterationTies(t *testing.T) {
	in := TwoStateCMDP()
	res, err := PolicyIteration(in.MDP, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, Converged, res.Status)
	assert.InDelta(t, 90.0/19, res.Value, 1e-12, "unconstrained: always go")
	assert.Equal(t, 1.0, res.Policy.Prob(0, 1))

	lagr := make([]float64, 4)
	for i, r := range in.MDP.Reward() {
		lagr[i] = r - 13.0/25*in.Constraints[0].Cost[i]
	}
	res, err = PolicyIteration(in.MDP, lagr, nil)
	require.NoError(t, err)
	assert.Equal(t, Converged, res.Status)
	assert.InDelta(t, 2, res.Value, 1e-12)
	assert.InDelta(t, res.Q[0], res.Q[1], 1e-12, "wait and go tie at s0 under λ*")
}

func TestStatusString(t *testing.T) {
	assert.Equal(t, "not-terminated", NotTerminated.String())
	assert.Equal(t, "converged", Converged.String())
	assert.Equal(t, "iteration-limit", IterationLimit.String())
	assert.Equal(t, "Status(9)", Status(9).String())
}
