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
	slopes, err := run(dir, &out)
	require.NoError(t, err)
	// The claims of the doc comment: O(1/k) for the accelerated and
	// anchored methods, k^{−3/4} for eg and og on this spectrum.
	for _, name := range []string{"aog", "eag", "feg", "halpern"} {
		assert.LessOrEqual(t, slopes[name], -0.95, name)
		assert.GreaterOrEqual(t, slopes[name], -1.1, name)
	}
	for _, name := range []string{"eg", "og"} {
		assert.InDelta(t, -0.75, slopes[name], 0.02, name)
	}
	st, err := os.Stat(filepath.Join(dir, "last-iterate-rates.png"))
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}
