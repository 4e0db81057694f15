package plotting

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Paths draws trajectories in the plane on linear axes with equal scales
// (a phase portrait: one series per method, Y against X), marks each
// start with a circle, marks the point target with a cross when it is not
// nil, and saves the figure to path. Non-finite points are dropped.
func Paths(path string, series []Series, target []float64, o Options) error {
	p := plot.New()
	p.Title.Text = o.Title
	p.X.Label.Text = o.XLabel
	p.Y.Label.Text = o.YLabel
	p.Add(plotter.NewGrid())
	drawn := 0
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("plotting: series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y))
		}
		pts := make(plotter.XYs, 0, len(s.X))
		for k := range s.X {
			x, y := s.X[k], s.Y[k]
			if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
				continue
			}
			pts = append(pts, plotter.XY{X: x, Y: y})
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
		l.Width = vg.Points(1)
		start, err := plotter.NewScatter(pts[:1])
		if err != nil {
			return fmt.Errorf("plotting: series %q: %w", s.Name, err)
		}
		start.Color = l.Color
		start.Shape = draw.CircleGlyph{}
		p.Add(l, start)
		p.Legend.Add(s.Name, l)
		drawn++
	}
	if drawn == 0 {
		return fmt.Errorf("plotting: %s: nothing to draw (no finite points)", path)
	}
	if target != nil {
		if len(target) != 2 {
			return fmt.Errorf("plotting: target has %d coordinates, want 2", len(target))
		}
		t, err := plotter.NewScatter(plotter.XYs{{X: target[0], Y: target[1]}})
		if err != nil {
			return fmt.Errorf("plotting: target: %w", err)
		}
		t.Shape = draw.CrossGlyph{}
		t.Radius = vg.Points(5)
		p.Add(t)
	}
	equalScales(p)
	w, h := o.Width, o.Height
	if w <= 0 {
		w = 5
	}
	if h <= 0 {
		h = 5
	}
	if err := p.Save(vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch, path); err != nil {
		return fmt.Errorf("plotting: %w", err)
	}
	return nil
}

// equalScales widens the shorter axis range so that both axes span the
// same length, centred where they were, so that circles look round.
func equalScales(p *plot.Plot) {
	dx, dy := p.X.Max-p.X.Min, p.Y.Max-p.Y.Min
	d := max(dx, dy)
	if d == 0 {
		d = 1
	}
	cx, cy := (p.X.Min+p.X.Max)/2, (p.Y.Min+p.Y.Max)/2
	p.X.Min, p.X.Max = cx-d/2, cx+d/2
	p.Y.Min, p.Y.Max = cy-d/2, cy+d/2
}
