package constrained

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/saddlepoint/saddle/vi"
)

// Trace is a Recorder that keeps every recorded measure in growing
// slices, to plot or to write as the CSV of SPEC.md: a header, then one
// row per check with the iteration, the method's evaluations, each measure
// by name and the seconds elapsed. Its columns are fixed at the Start
// event:
//
//	reward, cost0 … cost{K−1}, violation, reward_gap, multiplier_distance,
//	lagrangian_gap, multiplier0 … multiplier{K−1}, policy_prob
//
// where policy_prob is π(Action | State) of the last iterate, and, when
// the run measures its average (Settings.Average), average_reward,
// average_violation, average_reward_gap and average_lagrangian_gap. The
// Done event adds a row only when the last iteration was not recorded.
type Trace struct {
	// State and Action select the probability traced as policy_prob,
	// π(Action | State) (Action 1 and State 0 give π(go | s0) on
	// rl.TwoStateCMDP); a pair outside the MDP gives NaN.
	State, Action int

	Names       []string    // the measure columns, fixed at Start
	Iterations  []int       // iteration of each row
	Evaluations []int       // method evaluations at each row
	Values      [][]float64 // Values[j][i]: measure Names[j] at row i
	Seconds     []float64
	average     bool
}

// Record implements Recorder.
func (t *Trace) Record(e vi.Event, s *Snapshot) error {
	if e == vi.Start || t.Names == nil {
		t.start(s)
	}
	if e == vi.Done && len(t.Iterations) > 0 && t.Iterations[len(t.Iterations)-1] == s.Stats.Iterations {
		return nil
	}
	t.Iterations = append(t.Iterations, s.Stats.Iterations)
	t.Evaluations = append(t.Evaluations, s.Stats.Evaluations)
	t.Seconds = append(t.Seconds, s.Stats.Runtime.Seconds())
	j := 0
	add := func(v float64) {
		t.Values[j] = append(t.Values[j], v)
		j++
	}
	m := s.Last
	add(m.Reward)
	for _, v := range m.Costs {
		add(v)
	}
	add(m.Violation)
	add(m.RewardGap)
	add(m.MultiplierDistance)
	add(m.LagrangianGap)
	for _, v := range s.Multipliers {
		add(v)
	}
	p := math.NaN()
	if pi := s.Policy; t.State >= 0 && t.State < pi.States() && t.Action >= 0 && t.Action < pi.Actions() {
		p = pi.Prob(t.State, t.Action)
	}
	add(p)
	if t.average {
		a := s.Average
		if a == nil {
			a = &Measures{Reward: math.NaN(), Violation: math.NaN(), RewardGap: math.NaN(), LagrangianGap: math.NaN()}
		}
		add(a.Reward)
		add(a.Violation)
		add(a.RewardGap)
		add(a.LagrangianGap)
	}
	return nil
}

// start fixes the columns and clears the rows.
func (t *Trace) start(s *Snapshot) {
	k := len(s.Multipliers)
	t.Names = []string{"reward"}
	for i := 0; i < k; i++ {
		t.Names = append(t.Names, fmt.Sprintf("cost%d", i))
	}
	t.Names = append(t.Names, "violation", "reward_gap", "multiplier_distance", "lagrangian_gap")
	for i := 0; i < k; i++ {
		t.Names = append(t.Names, fmt.Sprintf("multiplier%d", i))
	}
	t.Names = append(t.Names, "policy_prob")
	t.average = s.Average != nil
	if t.average {
		t.Names = append(t.Names, "average_reward", "average_violation", "average_reward_gap", "average_lagrangian_gap")
	}
	t.Values = make([][]float64, len(t.Names))
	t.Iterations, t.Evaluations, t.Seconds = nil, nil, nil
}

// Column returns the values of the measure named name, or nil.
func (t *Trace) Column(name string) []float64 {
	for j, n := range t.Names {
		if n == name {
			return t.Values[j]
		}
	}
	return nil
}

// WriteCSV writes the trace as CSV.
func (t *Trace) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := append([]string{"iteration", "evaluations"}, t.Names...)
	head = append(head, "seconds")
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, len(head))
	for i := range t.Iterations {
		row[0] = strconv.Itoa(t.Iterations[i])
		row[1] = strconv.Itoa(t.Evaluations[i])
		for j := range t.Names {
			row[2+j] = strconv.FormatFloat(t.Values[j][i], 'g', 10, 64)
		}
		row[len(row)-1] = strconv.FormatFloat(t.Seconds[i], 'g', 6, 64)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
