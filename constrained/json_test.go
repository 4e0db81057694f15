package constrained

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saddlepoint/saddle/rl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONRoundTrip(t *testing.T) {
	c := cmdpTwoState(t)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, c))
	back, err := ReadJSON(&buf)
	require.NoError(t, err)
	opt, err := back.Optimum()
	require.NoError(t, err)
	assert.InDelta(t, 3.04, opt.Value, 1e-12)
	assert.Equal(t, c.Constraints(), back.Constraints())

	path := filepath.Join(t.TempDir(), "two.json")
	var file bytes.Buffer
	require.NoError(t, WriteJSON(&file, c))
	require.NoError(t, os.WriteFile(path, file.Bytes(), 0o600))
	loaded, err := LoadJSON(path)
	require.NoError(t, err)
	assert.Equal(t, c.MDP().Transitions(), loaded.MDP().Transitions())
}

func TestJSONErrors(t *testing.T) {
	bad := `{"states": 1, "actions": 2, "discount": 0.9, "initial": [1],
 "transitions": [[[1], [1]]], "reward": [[0, 1]],
 "constraints": [{"cost": [[0, 1, 2]], "threshold": 5}]}`
	_, err := ReadJSON(strings.NewReader(bad))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "constrained: rl: line 3, column")
	assert.Contains(t, err.Error(), "constraints[0].cost[0] has 3 entries, want 2 (actions)")

	path := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
	_, err = LoadJSON(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+": line 3")

	_, err = LoadJSON(filepath.Join(t.TempDir(), "missing.json"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.json")
}

// The summary has the fields of SPEC.md's `saddle cmdp --json` object.
func TestSummaryJSON(t *testing.T) {
	c := cmdpTwoState(t)
	res, err := Solve(t.Context(), &Problem{CMDP: c}, &Optimistic{}, nil)
	require.NoError(t, err)
	data, err := json.Marshal(res.Summary("two-state-cmdp", "reload"))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(data, &got))
	for _, key := range []string{"problem", "method", "status", "iterations", "evaluations", "residual", "gap", "value",
		"reward", "costs", "violation", "policy", "multipliers", "optimal_reward", "optimal_multipliers", "average", "seconds"} {
		assert.Contains(t, got, key)
	}
	assert.Equal(t, "converged", got["status"])
	assert.Equal(t, "reload", got["method"])
	assert.InDelta(t, 3.04, got["optimal_reward"].(float64), 1e-12)
	assert.InDelta(t, 3.04, got["reward"].(float64), 1e-8)
	policy := got["policy"].([]any)
	require.Len(t, policy, 2)
	assert.InDelta(t, 10.0/41, policy[0].([]any)[1].(float64), 1e-6)
	assert.Equal(t, float64(res.Evaluations), got["evaluations"])

	// A plain MDP (no constraints) has empty lists, not null.
	free, err := New(rl.TwoStateCMDP().MDP, nil)
	require.NoError(t, err)
	res, err = Solve(t.Context(), &Problem{CMDP: free}, &GDA{}, &Settings{MaxIterations: 3000})
	require.NoError(t, err)
	data, err = json.Marshal(res.Summary("free", "gda-lagrangian"))
	require.NoError(t, err)
	assert.Contains(t, string(data), `"costs":[]`)
	assert.Contains(t, string(data), `"multipliers":[]`)
	assert.InDelta(t, 90.0/19, res.Optimum.Value, 1e-12)
	// Without constraints GDA is the natural policy gradient, which
	// converges (Agarwal et al. 2021).
	assert.Equal(t, "converged", res.Status.String())
	assert.InDelta(t, 90.0/19, res.Last.Reward, 1e-8)
}
