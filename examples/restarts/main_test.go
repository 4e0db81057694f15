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
	for _, name := range []string{"restart-eg", "restart-og"} {
		assert.LessOrEqual(t, res[name].gap, target, name)
		assert.Less(t, res[name].evaluations, budget/2, name)
	}
	for _, name := range []string{"eg", "og"} {
		assert.Greater(t, res[name].gap, 100*target, name)
		assert.GreaterOrEqual(t, res[name].evaluations, budget, name)
	}
	st, err := os.Stat(filepath.Join(dir, "restarts.png"))
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}
