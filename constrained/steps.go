package constrained

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// defaultRotation is ω₀², the squared rotation per iteration that the
// default steps aim for (see coupling).
const defaultRotation = 0.1

// defaultPolicyStep returns the default policy step η = (1 − γ)/(2R), R
// the largest |r(s, a)| (1 if the reward is 0): a step of the logits by
// η/(1 − γ)·Q changes them by at most ½ per unit of Q/R.
func defaultPolicyStep(c *CMDP) float64 {
	r := 0.0
	for _, v := range c.mdp.Reward() {
		r = math.Max(r, math.Abs(v))
	}
	if r == 0 {
		r = 1
	}
	return (1 - c.mdp.Discount()) / (2 * r)
}

// coupling returns κ = λ_max(M) at the policy pd.e was last set to,
//
//	M_jk = 1/(1 − γ) Σ_{s,a} d^π(s, a) A_{c_j}(s, a) A_{c_k}(s, a),
//
// A_c = Q_c − V_c the advantage of cost c. Linearized at a pair (π, λ),
// a policy step η/(1 − γ)·Q_λ followed by a multiplier step η_λ·(J_c − b)
// turns a change δλ into −η η_λ M δλ: the two players rotate about a
// saddle point by about ω = √(η η_λ κ) radians per iteration. It costs K
// solves with the current factorization, and allocates (Init only).
func (pd *primalDual) coupling() (float64, error) {
	c := pd.c
	m := c.mdp
	k, na, sa := len(c.cons), m.Actions(), m.Size()
	if k == 0 {
		return 0, nil
	}
	adv := make([][]float64, k)
	for j, con := range c.cons {
		adv[j] = make([]float64, sa)
		if err := pd.e.Values(pd.v, adv[j], con.Cost); err != nil {
			return 0, fmt.Errorf("constrained: %w", err)
		}
		for i := range adv[j] {
			adv[j][i] -= pd.v[i/na]
		}
	}
	sym := mat.NewSymDense(k, nil)
	for j := 0; j < k; j++ {
		for l := j; l < k; l++ {
			s := 0.0
			for i, d := range pd.d {
				s += d * adv[j][i] * adv[l][i]
			}
			sym.SetSym(j, l, s/(1-m.Discount()))
		}
	}
	var es mat.EigenSym
	if !es.Factorize(sym, false) {
		return 0, fmt.Errorf("constrained: the coupling matrix has no eigendecomposition")
	}
	vals := es.Values(nil)
	return math.Max(0, vals[len(vals)-1]), nil
}

// defaultMultiplierStep returns η_λ = ω₀²/(η κ) for the policy step η and
// the coupling κ at the start, so that the linearized rotation is
// ω₀ = √0.1 ≈ 0.32 radians per iteration. When κ = 0 (the costs do not
// depend on the policy at the start) it returns (1 − γ)R/C², R and C the
// largest |r| and |c| (1 when 0), which moves λ by at most R/C per step.
func (pd *primalDual) defaultMultiplierStep(eta float64) (float64, error) {
	kappa, err := pd.coupling()
	if err != nil {
		return 0, err
	}
	if kappa > 0 && !math.IsInf(kappa, 0) {
		if s := defaultRotation / (eta * kappa); s > 0 && !math.IsInf(s, 0) {
			return s, nil
		}
	}
	m := pd.c.mdp
	r, cmax := 0.0, 0.0
	for _, v := range m.Reward() {
		r = math.Max(r, math.Abs(v))
	}
	for _, con := range pd.c.cons {
		for _, v := range con.Cost {
			cmax = math.Max(cmax, math.Abs(v))
		}
	}
	if r == 0 {
		r = 1
	}
	if cmax == 0 {
		cmax = 1
	}
	return (1 - m.Discount()) * r / (cmax * cmax), nil
}
