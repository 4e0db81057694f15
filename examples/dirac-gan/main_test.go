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
	dist, err := run(dir, &out)
	require.NoError(t, err)
	assert.Greater(t, dist["gda"], 1.0, "plain GDA spirals out")
	assert.Less(t, dist["gda, penalty 0.3"], 1e-5)
	assert.Less(t, dist["eg"], 1e-6)
	assert.Less(t, dist["og"], 1e-2)
	st, err := os.Stat(filepath.Join(dir, "dirac-gan.png"))
	require.NoError(t, err)
	assert.Positive(t, st.Size())
}
