package plotting

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// A Series is one curve: Y against X, named in the legend.
type Series struct {
	Name string
	X, Y []float64
}

// Options describe the figure.
type Options struct {
	Title, XLabel, YLabel string
	// LogX also puts the x axis on a log scale (a log–log rate plot);
	// points with x ≤ 0 are dropped.
	LogX bool
	// Floor replaces values ≤ 0 on the log y axis; 0 means 1e-16.
	Floor float64
	// Width and Height in inches; 0 means 6 × 4.
	Width, Height float64
	// LegendTop puts the legend in the top right corner instead of the
	// bottom right (log–log curves end in the bottom right).
	LegendTop bool
	// Linear keeps the y axis linear (for probabilities, not residuals);
	// Floor is then unused.
	Linear bool
}

// Lines draws the series on a log y axis (linear with Options.Linear) and
// saves the figure to path; the format comes from the extension.
// Non-finite points are dropped and, on a log axis, values ≤ 0 are
// clamped to the floor before any line is built, since a log scale cannot
// show them.
func Lines(path string, series []Series, o Options) error {
	p := plot.New()
	p.Title.Text = o.Title
	p.X.Label.Text = o.XLabel
	p.Y.Label.Text = o.YLabel
	if !o.Linear {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = powerTicks{}
	}
	if o.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = powerTicks{}
	}
	p.Add(plotter.NewGrid())
	floor := o.Floor
	if floor <= 0 {
		floor = 1e-16
	}
	drawn := 0
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("plotting: series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y))
		}
		pts := make(plotter.XYs, 0, len(s.X))
		for k := range s.X {
			x, y := s.X[k], s.Y[k]
			if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) || (o.LogX && x <= 0) {
				continue
			}
			if !o.Linear {
				y = max(y, floor)
			}
			pts = append(pts, plotter.XY{X: x, Y: y})
			xlo, xhi, ylo, yhi = min(xlo, x), max(xhi, x), min(ylo, y), max(yhi, y)
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("plotting: series %q: %w", s.Name, err)
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.Name, l)
		drawn++
	}
	if drawn == 0 {
		return fmt.Errorf("plotting: %s: nothing to draw (no finite points)", path)
	}
	// A log axis needs a positive, non-degenerate range; gonum/plot
	// widens a single value to ±1 by itself, which a log scale cannot
	// show.
	switch {
	case ylo == yhi && o.Linear:
		ylo, yhi = ylo-1, yhi+1
	case ylo == yhi:
		ylo, yhi = ylo/10, yhi*10
	}
	p.Y.Min, p.Y.Max = ylo, yhi
	if o.LogX && xlo == xhi {
		xlo, xhi = xlo/10, xhi*10
	}
	if xlo == xhi {
		xlo, xhi = xlo-1, xhi+1
	}
	p.X.Min, p.X.Max = xlo, xhi
	// Convergence curves fall from the top left; the bottom right is
	// usually the emptiest corner.
	p.Legend.Top = o.LegendTop

	w, h := o.Width, o.Height
	if w <= 0 {
		w = 6
	}
	if h <= 0 {
		h = 4
		if drawn > 20 {
			h = 0.25 * float64(drawn) // room for a long legend (a comparison of every method)
		}
	}
	if err := p.Save(vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch, path); err != nil {
		return fmt.Errorf("plotting: %w", err)
	}
	return nil
}

// powerTicks are log-scale ticks labelled as powers of ten, "1e-06",
// without the rounding noise of formatting the tick values themselves.
type powerTicks struct{}

// Ticks returns plot.LogTicks's ticks with clean labels.
func (powerTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.LogTicks{Prec: -1}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = strconv.FormatFloat(math.Pow(10, math.Round(math.Log10(t.Value))), 'g', 1, 64)
		}
	}
	return ticks
}
