package constrained

import (
	"errors"
	"fmt"

	"github.com/saddlepoint/saddle/rl"
)

// A Problem is a CMDP with the start of a Lagrangian method.
type Problem struct {
	CMDP *CMDP
	// Policy is π_0; nil means the uniform policy. Every probability must
	// be positive: the methods move the policy multiplicatively, so an
	// action with probability 0 would stay at 0. Never modified.
	Policy *rl.Policy
	// Multipliers is λ_0 ≥ 0, one per constraint; nil means 0. Never
	// modified.
	Multipliers []float64
}

// validate checks the problem and its start.
func (p *Problem) validate() error {
	if p == nil {
		return errors.New("constrained: the problem is nil")
	}
	if p.CMDP == nil {
		return errors.New("constrained: the problem has no CMDP")
	}
	c := p.CMDP
	if p.Policy != nil {
		if err := c.checkPolicy("Problem.Policy", p.Policy); err != nil {
			return err
		}
		na := c.mdp.Actions()
		for i, v := range p.Policy.Probs() {
			if !(v > 0) {
				return fmt.Errorf("constrained: Problem.Policy[%d][%d] = %v, want > 0 (an action with probability 0 is never tried again)", i/na, i%na, v)
			}
		}
	}
	if p.Multipliers != nil {
		if err := c.checkMultipliers("Problem.Multipliers", p.Multipliers); err != nil {
			return err
		}
	}
	return nil
}

// A Method is one primal-dual algorithm on the Lagrangian of a CMDP,
// together with its state between iterations. Exported fields configure
// it; zero values mean documented defaults. A Method value may be reused
// for any number of runs, one at a time.
type Method interface {
	// Init prepares a run on p: it validates the parameters and the
	// problem, resets all state, and evaluates the start.
	Init(p *Problem) error
	// Iterate performs one iteration. It does not allocate.
	Iterate() error
	// Policy returns the last iterate π_k; owned by the method, valid
	// until the next Iterate.
	Policy() *rl.Policy
	// Multipliers returns the last iterate λ_k, borrowed like Policy.
	Multipliers() []float64
}

// An Averager is a Method that keeps an average of its iterates.
type Averager interface {
	// Average returns the average policy and multipliers, borrowed like
	// Method.Policy.
	Average() (*rl.Policy, []float64)
}

// A Counter is a Method that counts its policy evaluations (each an
// LU factorization of I − γP_π, O(S³ + S²A), the unit of work here).
type Counter interface {
	// Evaluations returns the policy evaluations since Init, Init
	// included.
	Evaluations() int
}

// errNotInit is returned by Iterate before a successful Init.
var errNotInit = errors.New("constrained: Iterate called before a successful Init")

// errPlayers is the error for an unknown Players value.
func errPlayers(p Players) error {
	return fmt.Errorf("constrained: Optimistic.Players = %d, want BothPlayers (0), PolicyOnly (1) or MultipliersOnly (2)", int(p))
}
