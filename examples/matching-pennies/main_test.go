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
	gaps, err := run(dir, &out)
	require.NoError(t, err)
	// The lesson of the figure: the descent-ascent last iterates stay far
	// from the equilibrium, the extragradient-type ones reach it.
	assert.Greater(t, gaps["gda"], 0.5)
	assert.Greater(t, gaps["alt-gda"], 0.1)
	assert.Less(t, gaps["eg"], 1e-12)
	assert.Less(t, gaps["og"], 1e-12)
	for _, name := range []string{"matching-pennies.png", "matching-pennies-gap.png"} {
		st, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.Positive(t, st.Size(), name)
	}
	assert.Contains(t, out.String(), "wrote ")
}
