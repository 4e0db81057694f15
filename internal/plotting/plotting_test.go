package plotting

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLines(t *testing.T) {
	dir := t.TempDir()
	series := []Series{
		{Name: "falls", X: []float64{0, 1, 2, 3}, Y: []float64{1, 0.1, 0, math.NaN()}},
		{Name: "flat", X: []float64{0, 1}, Y: []float64{1e-9, 1e-9}},
	}
	for _, ext := range []string{".png", ".svg"} {
		path := filepath.Join(dir, "p"+ext)
		require.NoError(t, Lines(path, series, Options{Title: "t", XLabel: "k", YLabel: "r"}))
		st, err := os.Stat(path)
		require.NoError(t, err)
		assert.Positive(t, st.Size())
	}
	// A single constant point and a log x axis do not upset the log scales.
	require.NoError(t, Lines(filepath.Join(dir, "one.png"), []Series{{Name: "one", X: []float64{1}, Y: []float64{0}}}, Options{LogX: true}))

	err := Lines(filepath.Join(dir, "x.png"), []Series{{Name: "bad", X: []float64{1}, Y: []float64{1, 2}}}, Options{})
	assert.EqualError(t, err, `plotting: series "bad" has 1 x values and 2 y values`)
	err = Lines(filepath.Join(dir, "x.png"), []Series{{Name: "nan", X: []float64{1}, Y: []float64{math.Inf(1)}}}, Options{})
	assert.ErrorContains(t, err, "nothing to draw")
	err = Lines(filepath.Join(dir, "x.gif"), series, Options{})
	assert.Error(t, err)
}
