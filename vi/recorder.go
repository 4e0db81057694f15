package vi

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// An Event says why a Recorder is called.
type Event int

const (
	// Start: after Init, before the first iteration.
	Start Event = iota
	// Step: after an iteration.
	Step
	// Done: the run has ended; Snapshot.Status says how.
	Done
)

// A Snapshot is a read-only view of a run. Its slices are valid only
// during the call that receives it; a Recorder copies what it keeps.
type Snapshot struct {
	// Problem is the problem being solved, as the caller gave it.
	Problem *Problem
	// Z is the last iterate, FZ = F(Z).
	Z, FZ []float64
	// Average is the ergodic average (see Result.Average).
	Average []float64
	// Residual is the natural residual at Z.
	Residual float64
	// Status is NotTerminated until the Done event.
	Status Status
	// Stats counts the work so far; Runtime is the time since the start.
	Stats Stats
}

// A Recorder sees the run as it goes. An error it returns ends the run;
// Solve returns that error.
type Recorder interface {
	Record(e Event, s *Snapshot) error
}

// RecorderFunc adapts a function to a Recorder.
type RecorderFunc func(e Event, s *Snapshot) error

// Record calls f(e, s).
func (f RecorderFunc) Record(e Event, s *Snapshot) error { return f(e, s) }

// Printer writes one line per recorded iteration to W: iteration,
// evaluations, natural residual and elapsed time, under a header.
type Printer struct {
	W io.Writer
	// Every prints every Every-th iteration of those recorded; 0 means 1.
	Every int
}

// Record prints s.
func (p Printer) Record(e Event, s *Snapshot) error {
	every := max(p.Every, 1)
	var err error
	switch e {
	case Start:
		_, err = fmt.Fprintf(p.W, "%10s %12s %14s %12s\n", "iteration", "evaluations", "residual", "seconds")
	case Step:
		if s.Stats.Iterations%every != 0 {
			return nil
		}
		fallthrough
	case Done:
		_, err = fmt.Fprintf(p.W, "%10d %12d %14.6e %12.6f\n", s.Stats.Iterations, s.Stats.Evaluations, s.Residual, s.Stats.Runtime.Seconds())
		if e == Done && err == nil {
			_, err = fmt.Fprintf(p.W, "status: %s\n", s.Status)
		}
	}
	return err
}

// A Measure is a named quantity computed from a Snapshot, one column of a
// Trace.
type Measure struct {
	Name  string
	Value func(s *Snapshot) float64
}

// ResidualMeasure is the natural residual at the last iterate, "residual".
func ResidualMeasure() Measure {
	return Measure{Name: "residual", Value: func(s *Snapshot) float64 { return s.Residual }}
}

// NormMeasure is ‖F(z)‖ at the last iterate, "fnorm".
func NormMeasure() Measure {
	return Measure{Name: "fnorm", Value: func(s *Snapshot) float64 { return norm(s.FZ) }}
}

// TangentMeasure is the tangent residual at the last iterate, "tangent";
// NaN for sets that cannot compute it.
func TangentMeasure() Measure {
	return Measure{Name: "tangent", Value: func(s *Snapshot) float64 {
		r, ok := TangentResidualAt(s.Problem.C, s.Z, s.FZ)
		if !ok {
			return math.NaN()
		}
		return r
	}}
}

// DistanceMeasure is ‖z − ref‖ at the last iterate, named name ("distance"
// when empty). ref is copied.
func DistanceMeasure(name string, ref []float64) Measure {
	if name == "" {
		name = "distance"
	}
	r := append([]float64(nil), ref...)
	return Measure{Name: name, Value: func(s *Snapshot) float64 { return Distance(s.Z, r) }}
}

// AverageResidualMeasure is the natural residual at the ergodic average,
// "average_residual"; it costs one evaluation of F per recorded row,
// outside the method's count.
func AverageResidualMeasure() Measure {
	return Measure{Name: "average_residual", Value: func(s *Snapshot) float64 {
		return NaturalResidual(s.Problem.F, s.Problem.C, s.Average)
	}}
}

// Trace records measures at every recorded iteration into growing slices
// and writes them as CSV: a header, then one row per record with the
// iteration, the evaluations, each measure by name and the seconds
// elapsed. The Start event records iteration 0.
type Trace struct {
	// Measures are the columns; nil means ResidualMeasure alone.
	Measures []Measure

	Iterations  []int
	Evaluations []int
	Values      [][]float64 // Values[k][i]: measure k at row i
	Seconds     []float64
}

// Record appends a row for Start and Step events; Done adds a row only when
// the last iteration was not recorded yet.
func (t *Trace) Record(e Event, s *Snapshot) error {
	if t.Measures == nil {
		t.Measures = []Measure{ResidualMeasure()}
	}
	if len(t.Values) != len(t.Measures) {
		t.Values = make([][]float64, len(t.Measures))
	}
	if e == Done && len(t.Iterations) > 0 && t.Iterations[len(t.Iterations)-1] == s.Stats.Iterations {
		return nil
	}
	t.Iterations = append(t.Iterations, s.Stats.Iterations)
	t.Evaluations = append(t.Evaluations, s.Stats.Evaluations)
	for k, m := range t.Measures {
		t.Values[k] = append(t.Values[k], m.Value(s))
	}
	t.Seconds = append(t.Seconds, s.Stats.Runtime.Seconds())
	return nil
}

// Column returns the values of the measure named name, or nil.
func (t *Trace) Column(name string) []float64 {
	for k, m := range t.Measures {
		if m.Name == name && k < len(t.Values) {
			return t.Values[k]
		}
	}
	return nil
}

// WriteCSV writes the trace as CSV.
func (t *Trace) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"iteration", "evaluations"}
	for _, m := range t.Measures {
		head = append(head, m.Name)
	}
	head = append(head, "seconds")
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, len(head))
	for i := range t.Iterations {
		row[0] = strconv.Itoa(t.Iterations[i])
		row[1] = strconv.Itoa(t.Evaluations[i])
		for k := range t.Measures {
			row[2+k] = strconv.FormatFloat(t.Values[k][i], 'g', 10, 64)
		}
		row[len(row)-1] = strconv.FormatFloat(t.Seconds[i], 'g', 6, 64)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// since returns the time since t0; a helper so that every Snapshot's
// Runtime is measured the same way.
func since(t0 time.Time) time.Duration { return time.Since(t0) }
