package constrained

import (
	"fmt"
	"io"

	"github.com/saddlepoint/saddle/rl"
)

// LoadJSON reads the CMDP JSON file at path (SPEC.md "File formats"; see
// rl.ReadJSON). Errors name the file, line, column and value, as in
//
//	constrained: rl: cmdp.json: line 7, column 12: transitions[2][1] sums to 0.9, want 1 (tolerance 1e-9)
func LoadJSON(path string) (*CMDP, error) {
	m, cons, err := rl.LoadJSON(path)
	if err != nil {
		return nil, fmt.Errorf("constrained: %w", err)
	}
	return New(m, cons)
}

// ReadJSON reads one CMDP in the CMDP JSON format
//
//	{"states": S, "actions": A, "discount": γ, "initial": [S],
//	 "transitions": [S][A][S], "reward": [S][A],
//	 "constraints": [{"cost": [S][A], "threshold": b}, …]}
//
// (rl.ReadJSON, whose errors it wraps: they locate the bad value by line
// and column).
func ReadJSON(r io.Reader) (*CMDP, error) {
	m, cons, err := rl.ReadJSON(r)
	if err != nil {
		return nil, fmt.Errorf("constrained: %w", err)
	}
	return New(m, cons)
}

// WriteJSON writes c in the CMDP JSON format (rl.WriteJSON).
func WriteJSON(w io.Writer, c *CMDP) error {
	return rl.WriteJSON(w, c.mdp, c.cons)
}

// A Summary is the result of a run in the shape of the `saddle cmdp
// --json` object of SPEC.md. Residual, Gap and Value are the fields
// every solver's output has; for a CMDP, Residual and Gap are both the
// Lagrangian gap of the last iterate (the stopping measure) and Value is
// its reward.
type Summary struct {
	Problem     string  `json:"problem"`
	Method      string  `json:"method"`
	Status      string  `json:"status"`
	Iterations  int     `json:"iterations"`
	Evaluations int     `json:"evaluations"`
	Residual    float64 `json:"residual"`
	Gap         float64 `json:"gap"`
	Value       float64 `json:"value"`
	// Reward, Costs and Violation are J_r, J_{c_k} and
	// max_k max(0, J_{c_k} − b_k) at the last iterate.
	Reward    float64   `json:"reward"`
	Costs     []float64 `json:"costs"`
	Violation float64   `json:"violation"`
	// Policy is the last iterate, policy[s][a] = π(a | s).
	Policy      [][]float64 `json:"policy"`
	Multipliers []float64   `json:"multipliers"`
	// OptimalReward is J* from the exact LP, OptimalMultipliers its λ*.
	OptimalReward      float64   `json:"optimal_reward"`
	OptimalMultipliers []float64 `json:"optimal_multipliers"`
	// Average holds the same measures for the average iterate.
	Average *AverageSummary `json:"average,omitempty"`
	Seconds float64         `json:"seconds"`
}

// An AverageSummary is the part of a Summary about the average iterate.
type AverageSummary struct {
	Reward      float64     `json:"reward"`
	Costs       []float64   `json:"costs"`
	Violation   float64     `json:"violation"`
	Gap         float64     `json:"gap"`
	Policy      [][]float64 `json:"policy"`
	Multipliers []float64   `json:"multipliers"`
}

// Summary returns the summary of r for the problem and method names
// given (as the command line spells them).
func (r *Result) Summary(problem, method string) *Summary {
	s := &Summary{
		Problem:            problem,
		Method:             method,
		Status:             r.Status.String(),
		Iterations:         r.Iterations,
		Evaluations:        r.Evaluations,
		Residual:           r.Last.LagrangianGap,
		Gap:                r.Last.LagrangianGap,
		Value:              r.Last.Reward,
		Reward:             r.Last.Reward,
		Costs:              nonNil(r.Last.Costs),
		Violation:          r.Last.Violation,
		Policy:             policyRows(r.Policy),
		Multipliers:        nonNil(r.Multipliers),
		OptimalReward:      r.Optimum.Value,
		OptimalMultipliers: nonNil(r.Optimum.Multipliers),
		Seconds:            r.Runtime.Seconds(),
	}
	if r.Average != nil {
		s.Average = &AverageSummary{
			Reward:      r.Average.Reward,
			Costs:       nonNil(r.Average.Costs),
			Violation:   r.Average.Violation,
			Gap:         r.Average.LagrangianGap,
			Policy:      policyRows(r.AveragePolicy),
			Multipliers: nonNil(r.AverageMultipliers),
		}
	}
	return s
}

// policyRows returns π as rows, policy[s][a] = π(a | s).
func policyRows(pi *rl.Policy) [][]float64 {
	if pi == nil {
		return nil
	}
	rows := make([][]float64, pi.States())
	for s := range rows {
		rows[s] = append([]float64(nil), pi.Row(s)...)
	}
	return rows
}

// nonNil returns x, or an empty slice for nil, so that JSON shows [].
func nonNil(x []float64) []float64 {
	if x == nil {
		return []float64{}
	}
	return x
}
