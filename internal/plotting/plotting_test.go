package plotting

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
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
	// A linear y axis keeps values ≤ 0 and widens a constant series.
	require.NoError(t, Lines(filepath.Join(dir, "lin.png"), []Series{{Name: "p", X: []float64{0, 1, 2}, Y: []float64{0, -0.5, 0.25}}}, Options{Linear: true}))
	require.NoError(t, Lines(filepath.Join(dir, "lin1.png"), []Series{{Name: "c", X: []float64{0, 1}, Y: []float64{0.3, 0.3}}}, Options{Linear: true}))
	// A single constant point and a log x axis do not upset the log scales.
	require.NoError(t, Lines(filepath.Join(dir, "one.png"), []Series{{Name: "one", X: []float64{1}, Y: []float64{0}}}, Options{LogX: true}))

	err := Lines(filepath.Join(dir, "x.png"), []Series{{Name: "bad", X: []float64{1}, Y: []float64{1, 2}}}, Options{})
	assert.EqualError(t, err, `plotting: series "bad" has 1 x values and 2 y values`)
	err = Lines(filepath.Join(dir, "x.png"), []Series{{Name: "nan", X: []float64{1}, Y: []float64{math.Inf(1)}}}, Options{})
	assert.ErrorContains(t, err, "nothing to draw")
	err = Lines(filepath.Join(dir, "x.gif"), series, Options{})
	assert.Error(t, err)
}

func TestPaths(t *testing.T) {
	dir := t.TempDir()
	spiral := Series{Name: "spiral"}
	for k := 0; k < 200; k++ {
		r, a := math.Pow(0.98, float64(k)), 0.2*float64(k)
		spiral.X, spiral.Y = append(spiral.X, r*math.Cos(a)), append(spiral.Y, r*math.Sin(a))
	}
	path := filepath.Join(dir, "phase.png")
	require.NoError(t, Paths(path, []Series{spiral, {Name: "nan", X: []float64{math.NaN()}, Y: []float64{0}}}, []float64{0, 0}, Options{Title: "t"}))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Positive(t, st.Size())

	err = Paths(path, []Series{{Name: "bad", X: []float64{1}, Y: []float64{1, 2}}}, nil, Options{})
	assert.EqualError(t, err, `plotting: series "bad" has 1 x values and 2 y values`)
	err = Paths(path, []Series{{Name: "nan", X: []float64{math.NaN()}, Y: []float64{0}}}, nil, Options{})
	assert.ErrorContains(t, err, "nothing to draw")
	err = Paths(path, []Series{spiral}, []float64{0}, Options{})
	assert.EqualError(t, err, "plotting: target has 1 coordinates, want 2")
}

func TestEqualScales(t *testing.T) {
	p := plot.New()
	p.X.Min, p.X.Max = 0, 4
	p.Y.Min, p.Y.Max = 1, 2
	equalScales(p)
	assert.Equal(t, []float64{0, 4, -0.5, 3.5}, []float64{p.X.Min, p.X.Max, p.Y.Min, p.Y.Max})
}
