package rl

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// An Evaluator computes, exactly, the values, Q-values and occupancy
// measure of one policy π at a time. SetPolicy factorizes
//
//	I − γ P_π,   P_π(s, s′) = Σ_a π(a | s) P(s′ | s, a),
//
// by LU with partial pivoting (gonum's unblocked LAPACK Dgetf2, which
// allocates nothing at any size) in O(S³ + S²A);
// afterwards every reward costs one pair of triangular solves (Getrs),
// O(S²), plus O(S²A) for the Q-values, so the reward and all the costs of a
// constrained MDP share one factorization. I − γP_π is strictly diagonally
// dominant by rows, with condition number at most (1 + γ)/(1 − γ) in the
// ∞-norm, so the solve is accurate to about that many ulps.
//
// Values are discounted sums, not normalized by 1 − γ:
//
//	V^π(s)    = E[Σ_t γᵗ r(s_t, a_t) | s_0 = s],   V^π = (I − γP_π)⁻¹ r_π,
//	Q^π(s, a) = r(s, a) + γ Σ_{s′} P(s′ | s, a) V^π(s′),
//	J(π)      = Σ_s μ(s) V^π(s) = Σ_{s,a} d^π(s, a) r(s, a),
//
// where r_π(s) = Σ_a π(a | s) r(s, a) and d^π is the occupancy measure
// (see Occupancy). SetPolicy, Values, Occupancy, StateOccupancy, Value and
// SoftmaxGradient do not allocate, so an Evaluator can sit inside an iteration that must
// not allocate. An Evaluator is not safe for concurrent use.
type Evaluator struct {
	m     *MDP
	pi    []float64      // the policy set last, flat
	lu    blas64.General // I − γP_π, then its LU factors
	ipiv  []int
	v     []float64 // r_π, then V
	q     []float64 // Q, for SoftmaxGradient
	nu    []float64 // state occupancy, valid when nuOK
	ready bool
	nuOK  bool
}

// NewEvaluator returns an Evaluator for m, with no policy set yet.
func NewEvaluator(m *MDP) *Evaluator {
	n := m.states
	return &Evaluator{
		m:    m,
		pi:   make([]float64, m.Size()),
		lu:   blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)},
		ipiv: make([]int, n),
		v:    make([]float64, n),
		q:    make([]float64, m.Size()),
		nu:   make([]float64, n),
	}
}

// column views x (length S) as an S×1 matrix for Getrs.
func column(x []float64) blas64.General {
	return blas64.General{Rows: len(x), Cols: 1, Stride: 1, Data: x}
}

// errNoPolicy is returned by an Evaluator used before SetPolicy succeeded.
var errNoPolicy = errors.New("rl: Evaluator: no policy set (call SetPolicy first)")

// checkPolicy checks that pi fits m.
func (m *MDP) checkPolicy(pi *Policy) error {
	if pi == nil {
		return inputErr("policy", "is nil")
	}
	if pi.states != m.states || pi.actions != m.actions {
		return inputErr("policy", "is %d×%d, want %d×%d (states×actions)", pi.states, pi.actions, m.states, m.actions)
	}
	return nil
}

// maxCond is the largest bound (1 + γ)/(1 − γ) on the condition number of
// I − γP_π that SetPolicy accepts: beyond it the solve could lose all
// digits.
const maxCond = 1e15

// SetPolicy makes pi the evaluated policy: it copies π and factorizes
// I − γP_π. It returns an error if pi does not fit the MDP, or if γ is so
// close to 1 (1 − γ < 2e-15) that the matrix may be singular to working
// precision.
func (e *Evaluator) SetPolicy(pi *Policy) error {
	m := e.m
	if err := m.checkPolicy(pi); err != nil {
		return err
	}
	if c := (1 + m.discount) / (1 - m.discount); c > maxCond {
		return fmt.Errorf("rl: discount %v is too close to 1: I − γP_π may be singular to working precision (condition number up to %.3g)", m.discount, c)
	}
	e.ready, e.nuOK = false, false
	copy(e.pi, pi.prob)
	n, na := m.states, m.actions
	for s := 0; s < n; s++ {
		row := e.lu.Data[s*n : (s+1)*n]
		for j := range row {
			row[j] = 0
		}
		for a := 0; a < na; a++ {
			w := m.discount * e.pi[s*na+a]
			if w == 0 {
				continue
			}
			next := m.trans[(s*na+a)*n : (s*na+a+1)*n]
			for j, p := range next {
				row[j] -= w * p
			}
		}
		row[s]++
	}
	// The unblocked factorization: the blocked Getrf hands large trailing
	// updates to a parallel matrix product that allocates.
	if !(gonum.Implementation{}).Dgetf2(e.lu.Rows, e.lu.Cols, e.lu.Data, e.lu.Stride, e.ipiv) {
		return errors.New("rl: I − γP_π is singular") // impossible for γ < 1
	}
	e.ready = true
	return nil
}

// Values sets v = V^π (length S) and, if q is not nil, q = Q^π (length
// S·A) for the reward r given flat (nil means the MDP's reward), for the
// policy set by SetPolicy. It does not allocate.
func (e *Evaluator) Values(v, q, reward []float64) error {
	if !e.ready {
		return errNoPolicy
	}
	m := e.m
	r, err := m.rewardOrOwn(reward, "reward")
	if err != nil {
		return err
	}
	if len(v) != m.states {
		return inputErr("v", "has %d entries, want %d (states)", len(v), m.states)
	}
	if q != nil && len(q) != m.Size() {
		return inputErr("q", "has %d entries, want %d (states·actions)", len(q), m.Size())
	}
	na := m.actions
	for s := range e.v {
		sum := 0.0
		for a := 0; a < na; a++ {
			sum += e.pi[s*na+a] * r[s*na+a]
		}
		e.v[s] = sum // r_π
	}
	lapack64.Getrs(blas.NoTrans, e.lu, column(e.v), e.ipiv)
	copy(v, e.v)
	if q != nil {
		m.lookahead(q, e.v, r)
	}
	return nil
}

// StateOccupancy sets ν (length S) to the discounted state occupancy of
// the policy set by SetPolicy,
//
//	ν(s) = Σ_t γᵗ Pr(s_t = s),   ν = (I − γP_π)⁻ᵀ μ,   Σ_s ν(s) = 1/(1 − γ).
//
// The result is cached until the next SetPolicy. It does not allocate.
func (e *Evaluator) StateOccupancy(nu []float64) error {
	if err := e.solveOccupancy(); err != nil {
		return err
	}
	if len(nu) != e.m.states {
		return inputErr("nu", "has %d entries, want %d (states)", len(nu), e.m.states)
	}
	copy(nu, e.nu)
	return nil
}

func (e *Evaluator) solveOccupancy() error {
	if !e.ready {
		return errNoPolicy
	}
	if e.nuOK {
		return nil
	}
	copy(e.nu, e.m.initial)
	lapack64.Getrs(blas.Trans, e.lu, column(e.nu), e.ipiv)
	e.nuOK = true
	return nil
}

// Occupancy sets d (length S·A, flat) to the occupancy measure of the
// policy set by SetPolicy,
//
//	d^π(s, a) = Σ_t γᵗ Pr(s_t = s, a_t = a) = ν(s) π(a | s),
//
// unnormalized: Σ_{s,a} d^π(s, a) = 1/(1 − γ), and J(π) = Σ d^π r for every
// reward r. It does not allocate.
func (e *Evaluator) Occupancy(d []float64) error {
	if err := e.solveOccupancy(); err != nil {
		return err
	}
	m := e.m
	if len(d) != m.Size() {
		return inputErr("occupancy", "has %d entries, want %d (states·actions)", len(d), m.Size())
	}
	for i := range d {
		d[i] = e.nu[i/m.actions] * e.pi[i]
	}
	return nil
}

// Value returns J(π) = Σ_s μ(s) V^π(s) = Σ_{s,a} d^π(s, a) r(s, a) for the
// reward r given flat (nil means the MDP's reward), for the policy set by
// SetPolicy. After the first call for a policy it costs O(S·A): the
// occupancy measure is cached. It does not allocate.
func (e *Evaluator) Value(reward []float64) (float64, error) {
	if err := e.solveOccupancy(); err != nil {
		return 0, err
	}
	r, err := e.m.rewardOrOwn(reward, "reward")
	if err != nil {
		return 0, err
	}
	na := e.m.actions
	sum := 0.0
	for i, ri := range r {
		sum += e.nu[i/na] * e.pi[i] * ri
	}
	return sum, nil
}

// SoftmaxGradient sets g (length S·A, flat) to the gradient of J(π) for
// the reward r given flat (nil means the MDP's reward) with respect to the
// logits θ of a softmax policy π(a | s) ∝ exp θ(s, a), at the policy set by
// SetPolicy:
//
//	∂J/∂θ(s, a) = d^π(s, a) (Q^π(s, a) − V^π(s)),
//
// the policy gradient theorem (Sutton, McAllester, Singh, Mansour, NeurIPS
// 2000) with the unnormalized occupancy measure, so no 1/(1 − γ) factor
// appears. (For the direct parametrization, ∂J/∂π(a | s) = ν(s) Q^π(s, a),
// from StateOccupancy and Values.) It does not allocate.
func (e *Evaluator) SoftmaxGradient(g, reward []float64) error {
	if len(g) != e.m.Size() {
		return inputErr("g", "has %d entries, want %d (states·actions)", len(g), e.m.Size())
	}
	if err := e.solveOccupancy(); err != nil {
		return err
	}
	if err := e.Values(e.v[:len(e.v):len(e.v)], e.q, reward); err != nil {
		return err
	}
	na := e.m.actions
	for i := range g {
		s := i / na
		g[i] = e.nu[s] * e.pi[i] * (e.q[i] - e.v[s])
	}
	return nil
}

// Evaluate returns V^π (length S) and Q^π (length S·A) for the reward r
// given flat (nil means the MDP's reward). It allocates an Evaluator; use
// one directly to evaluate many rewards or policies.
func (m *MDP) Evaluate(pi *Policy, reward []float64) (v, q []float64, err error) {
	e := NewEvaluator(m)
	if err := e.SetPolicy(pi); err != nil {
		return nil, nil, err
	}
	v, q = make([]float64, m.states), make([]float64, m.Size())
	if err := e.Values(v, q, reward); err != nil {
		return nil, nil, err
	}
	return v, q, nil
}

// Value returns J(π) = Σ_s μ(s) V^π(s), the expected discounted sum of the
// reward r given flat (nil means the MDP's reward) from the initial
// distribution.
func (m *MDP) Value(pi *Policy, reward []float64) (float64, error) {
	e := NewEvaluator(m)
	if err := e.SetPolicy(pi); err != nil {
		return 0, err
	}
	return e.Value(reward)
}

// Occupancy returns the occupancy measure d^π(s, a) = Σ_t γᵗ Pr(s_t = s,
// a_t = a) of pi from the initial distribution, flat, unnormalized (it sums
// to 1/(1 − γ)).
func (m *MDP) Occupancy(pi *Policy) ([]float64, error) {
	e := NewEvaluator(m)
	if err := e.SetPolicy(pi); err != nil {
		return nil, err
	}
	d := make([]float64, m.Size())
	if err := e.Occupancy(d); err != nil {
		return nil, err
	}
	return d, nil
}
