package constrained

import (
	"fmt"
	"testing"

	"github.com/saddlepoint/saddle/rl"
)

// benchCMDPs are the problems of the benchmarks: the gridworld and random
// CMDPs of growing size (4 actions, 2 constraints).
func benchCMDPs(b *testing.B) map[string]*CMDP {
	b.Helper()
	out := map[string]*CMDP{}
	grid, err := GridworldCMDP()
	if err != nil {
		b.Fatal(err)
	}
	out["gridworld"] = grid
	for _, s := range []int{10, 50, 200} {
		in, err := rl.RandomMDP(s, 4, 0.9, nil)
		if err != nil {
			b.Fatal(err)
		}
		// Costs without an LP: the methods do not need the optimum.
		cons := make([]rl.Constraint, 2)
		for k := range cons {
			cons[k].Cost = make([]float64, in.Size())
			for i := range cons[k].Cost {
				cons[k].Cost[i] = float64((i*7+k*3)%5) / 4
			}
			cons[k].Threshold = 1
		}
		c, err := New(in, cons)
		if err != nil {
			b.Fatal(err)
		}
		out[fmt.Sprintf("random-%d", s)] = c
	}
	return out
}

// BenchmarkIterate times one iteration (one policy evaluation) of each
// method.
func BenchmarkIterate(b *testing.B) {
	problems := benchCMDPs(b)
	for _, name := range []string{"gridworld", "random-10", "random-50", "random-200"} {
		for _, mk := range []struct {
			name string
			m    Method
		}{{"gda", &GDA{}}, {"optimistic", &Optimistic{}}} {
			b.Run(name+"/"+mk.name, func(b *testing.B) {
				if err := mk.m.Init(&Problem{CMDP: problems[name]}); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := mk.m.Iterate(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkMeasure times the exact measures of an iterate (one policy
// evaluation and a warm-started best response).
func BenchmarkMeasure(b *testing.B) {
	problems := benchCMDPs(b)
	for _, name := range []string{"gridworld", "random-50"} {
		b.Run(name, func(b *testing.B) {
			c := problems[name]
			if name != "gridworld" {
				// Make the constraints feasible for the LP: a loose threshold.
				cons := append([]rl.Constraint(nil), c.Constraints()...)
				for k := range cons {
					cons[k].Threshold = 100
				}
				var err error
				if c, err = New(c.MDP(), cons); err != nil {
					b.Fatal(err)
				}
			}
			m := &Optimistic{}
			if err := m.Init(&Problem{CMDP: c}); err != nil {
				b.Fatal(err)
			}
			meas, err := NewMeasurer(c)
			if err != nil {
				b.Fatal(err)
			}
			var ms Measures
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Iterate(); err != nil {
					b.Fatal(err)
				}
				if err := meas.Measure(&ms, m.Policy(), m.Multipliers()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
