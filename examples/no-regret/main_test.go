package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	res, err := run(dir, &out)
	require.NoError(t, err)
	for name, r := range res {
		// Small regret against the rounds played, so the average play
		// approaches the equilibrium.
		assert.Less(t, r.maxRegret, 0.02*rounds, name)
		assert.Less(t, r.averageGap, 0.05, name)
	}
	for _, name := range []string{"gradient descent", "optimistic gradient", "AOG", "optimistic Hedge"} {
		assert.Less(t, res[name].maxRegret, 20.0, name)
		assert.Less(t, res[name].averageGap, 0.01, name)
	}
	gd, og, aog := res["gradient descent"], res["optimistic gradient"], res["AOG"]
	hedge, oh := res["Hedge"], res["optimistic Hedge"]
	assert.Greater(t, gd.lastGap, 0.5, "gradient descent's play keeps cycling")
	assert.Greater(t, hedge.lastGap, 0.5, "Hedge's play drifts to the boundary")
	assert.Less(t, og.lastGap, 1e-10)
	assert.Less(t, oh.lastGap, 1e-6)
	assert.Less(t, aog.lastGap, 1e-3)
	st, err := os.Stat(filepath.Join(dir, "no-regret.png"))
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}
