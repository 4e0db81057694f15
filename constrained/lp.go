package constrained

import (
	"errors"
	"fmt"
	"slices"

	"github.com/saddlepoint/saddle/rl"
)

// Optimum returns the exact optimum of the CMDP, the solution of the
// occupancy-measure linear program of ALGORITHMS.md A3.3 by rl.SolveLP:
// the optimal reward J* (Value), an optimal occupancy measure d* and its
// policy π*, the costs J_{c_k}(π*) and optimal multipliers λ* ≥ 0 from
// the dual program, so that J* = max_π L(π, λ*). It is computed on the
// first call and kept; the result is shared and must not be modified.
//
// When no policy satisfies the constraints the error wraps
// rl.ErrInfeasible (errors.Is(err, rl.ErrInfeasible) holds) and reads
//
//	constrained: the CMDP is infeasible: rl: the constraints are infeasible: every policy violates them by at least …
//
// Neither d* nor λ* need be unique; π* is the policy of d* (uniform in
// states d* never visits).
func (c *CMDP) Optimum() (*rl.Optimum, error) {
	c.once.Do(func() {
		c.opt, c.optErr = rl.SolveLP(c.mdp, nil, c.cons)
		switch {
		case errors.Is(c.optErr, rl.ErrInfeasible):
			c.optErr = fmt.Errorf("constrained: the CMDP is infeasible: %w", c.optErr)
		case c.optErr != nil:
			c.optErr = fmt.Errorf("constrained: exact optimum: %w", c.optErr)
		}
	})
	return c.opt, c.optErr
}

// MultiplierBound returns Λ = max(1, 2·max_k λ*_k), λ* the multipliers of
// Optimum: the side of the box [0, Λ]ᴷ of multipliers on which
// LagrangianGap takes its minimum over λ. Any Λ > max_k λ*_k makes that
// gap zero exactly at saddle points (see LagrangianGap); doubling leaves
// room for another optimal λ*, which need not be unique.
func (c *CMDP) MultiplierBound() (float64, error) {
	opt, err := c.Optimum()
	if err != nil {
		return 0, err
	}
	return multiplierBound(opt), nil
}

func multiplierBound(opt *rl.Optimum) float64 {
	if len(opt.Multipliers) == 0 {
		return 1
	}
	return max(1, 2*slices.Max(opt.Multipliers))
}
