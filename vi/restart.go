package vi

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// NormalizedGap returns the normalized duality gap of Applegate, Hinder,
// Lu and Lubin,
//
//	ρ_r(z) = (1/r)·max{ ⟨F(z), z − ẑ⟩ : ẑ ∈ C, ‖ẑ − z‖ ≤ r },
//
// the gap restricted to the ball of radius r around z, divided by r
// (ALGORITHMS.md Part I §1.4(b), §1.6). For a bilinear saddle function
// ⟨F(z), z − ẑ⟩ = L(x, ŷ) − L(x̂, y), so ρ_r is their normalized duality gap;
// for a matrix game and a ball containing C it is the duality gap over r.
// With C = Rⁿ (nil or Reals) it equals ‖F(z)‖ for every r > 0.
//
// z must lie in C. The maximizer lies on the projection path
// ẑ(t) = Π_C(z − tF(z)), t ≥ 0 (the KKT conditions of the problem make ẑ
// such a projection with t the inverse multiplier of the ball), along
// which ‖ẑ(t) − z‖ and ⟨F(z), z − ẑ(t)⟩ are nondecreasing; NormalizedGap
// finds the t where the path leaves the ball by doubling and bisection on
// t to a relative 1e-9, about 30–60 projections. When the path stops
// moving inside the ball (C bounded, r large) the doubling ends after t
// grew by 2²⁰ with no movement and the value there is used. The result is
// a lower bound within that precision, evaluated at a feasible ẑ.
//
// It costs one evaluation of F. It returns +Inf when r is not a positive
// finite number or F(z) is not finite, and 0 when F(z) = 0.
func NormalizedGap(f Operator, c Set, z []float64, r float64) float64 {
	fz := make([]float64, len(z))
	buf := make([]float64, len(z))
	f.Apply(fz, z)
	return normalizedGap(c, z, fz, r, buf)
}

// Limits of the projection-path search of normalizedGap.
const (
	gapRelTol       = 1e-9 // relative width of the final bracket on t
	gapStallDoubles = 20   // doublings without movement that end the search
	gapMaxDoubles   = 200  // doublings at most
)

// normalizedGap computes ρ_r(z) from a known fz = F(z), using buf (length
// n) as scratch; it does not allocate.
func normalizedGap(c Set, z, fz []float64, r float64, buf []float64) float64 {
	if !(r > 0) || math.IsInf(r, 1) || !allFinite(fz) {
		return math.Inf(1)
	}
	g := norm(fz)
	if g == 0 {
		return 0
	}
	switch unwrapSet(c).(type) {
	case nil, Reals:
		return g // max over the ball is r‖F(z)‖
	}
	// path returns ‖ẑ(t) − z‖ and ⟨F(z), z − ẑ(t)⟩.
	path := func(t float64) (d, v float64) {
		floats.AddScaledTo(buf, z, -t, fz)
		c.Project(buf, buf)
		var s float64
		for i, zi := range z {
			e := zi - buf[i]
			s += e * e
			v += fz[i] * e
		}
		return math.Sqrt(s), v
	}
	// Since ‖ẑ(t) − z‖ ≤ t‖F(z)‖, the path is inside the ball for t ≤ r/‖F(z)‖.
	lo := r / g
	dLo, vLo := path(lo)
	if dLo >= r {
		return vLo / r
	}
	hi, stall := lo, 0
	for k := 0; ; k++ {
		hi = 2 * lo
		d, v := path(hi)
		if d >= r {
			break
		}
		if d <= dLo*(1+1e-12) {
			stall++
		} else {
			stall = 0
		}
		lo, dLo, vLo = hi, d, v
		if stall >= gapStallDoubles || k >= gapMaxDoubles {
			return vLo / r
		}
	}
	// d(lo) < r ≤ d(hi): bisect on t.
	for hi-lo > gapRelTol*hi {
		mid := lo + (hi-lo)/2
		d, v := path(mid)
		if d >= r {
			hi = mid
		} else {
			lo, vLo = mid, v
		}
	}
	return vLo / r
}

// A RestartCriterion selects the measure of progress that Restarted
// compares between a restart candidate and the last restart point.
type RestartCriterion int

const (
	// RestartAuto, the zero value, uses RestartOnGap when C is bounded
	// (Bounded) and RestartOnResidual otherwise.
	RestartAuto RestartCriterion = iota
	// RestartOnGap compares normalized duality gaps ρ_r (NormalizedGap),
	// r the distance from the last restart point. It is the criterion of
	// Applegate et al., finite for every set because of the ball.
	RestartOnGap
	// RestartOnResidual compares natural residuals ‖z − Π_C(z − F(z))‖,
	// cheaper (one projection per candidate instead of a path search).
	RestartOnResidual
)

// Defaults of Restarted.
const (
	defaultRestartSufficient = 0.1
	defaultRestartNecessary  = 0.9
	defaultRestartArtificial = 0.5
	defaultRestartCheckEvery = 64
)

// Restarted runs any Method and restarts it adaptively: it re-initializes
// the inner method from a better point whenever a measure of progress has
// dropped enough since the last restart. On sharp problems (linear
// programs, matrix games over simplices, bilinear problems with full-rank
// matrices) this turns the sublinear rates of extragradient and its
// relatives into linear convergence.
//
//	every CheckEvery inner iterations, with z_n the last restart point:
//	  candidates  z̄ (the inner method's average since z_n) and z (its current iterate)
//	  μ(x)        = ρ_{‖x − z_n‖}(x) (RestartOnGap) or r_nat(x) (RestartOnResidual)
//	  c           = the candidate with the smaller μ(x)/‖x − z_n‖ (RestartOnGap)
//	                or the smaller μ(x) (RestartOnResidual)
//	  ratio       = μ(c) / μ(z_n)
//	  restart if  ratio < β_suf                                       (sufficient decay)
//	          or  ratio < β_nec and ratio > the ratio at the previous check (no more progress)
//	          or  length of the current period ≥ β_art · iterations so far   (artificial)
//	  on restart  z_{n+1} = c; Method.Init on the problem with Z0 = z_{n+1}
//
// μ(z_n) is the measure of z_n when it was the chosen candidate, which for
// RestartOnGap is ρ_{‖z_n − z_{n−1}‖}(z_n). The first check
// always restarts (artificial rule: the period is the whole run), which
// defines μ(z_0). The previous ratio of the no-progress rule is forgotten
// at each restart, so that rule compares checks within one period.
//
// Parameters: Sufficient = β_suf (default 0.1), Necessary = β_nec (default
// 0.9), Artificial = β_art (default 0.5), the defaults of FirstOrderLp.jl's
// scripts/solve_qp.jl (checked); that code checks every 40 iterations,
// here CheckEvery defaults to 64.
//
// Current is the inner method's current iterate (right after a restart,
// the restart point) and CurrentValue passes the inner one through. The
// average is the inner method's own when it is an Averager (reset by each
// restart, since Init resets it); otherwise Restarted keeps the uniform
// mean of the inner iterates since the last restart, used as the candidate
// z̄ and returned by Average. Status passes the inner Statuser through.
//
// Cost: the inner method's, plus at every check 1 evaluation for F(z̄) and
// 1 for F(z) unless the inner method knows it (CurrentValuer), plus 2
// projections (RestartOnResidual) or a path search of 30–60 projections
// per candidate (RestartOnGap); a restart costs what the inner Init costs
// (for extragradient 1 evaluation and 1 projection). All of these go
// through the counting operator, so Stats.Evaluations includes them.
// Restarts do not allocate once the inner method's buffers exist.
//
// Rate: linear on sharp problems (ρ_r(z) ≥ α·dist(z, Z*) for small r),
// as the paper shows for PDHG, EGM and ADMM, with O(κ·log(1/ε))
// iterations for PDHG, κ a condition number (abstract). The intuition
// (ALGORITHMS.md §2.10): the ergodic average has ρ_r ≤ O(L/T) after T
// iterations, so after T ~ L/α iterations the distance to the solutions
// has halved.
//
// Reference: D. Applegate, O. Hinder, H. Lu and M. Lubin, "Faster
// first-order primal-dual methods for linear programming using restarts
// and sharpness", Mathematical Programming 201 (2023), arXiv:2105.12715
// (abstract read: restarts give linear convergence for PDHG, EGM and
// ADMM on sharp problems; adaptive restart scheme). The restart rules
// follow the authors' code google-research/FirstOrderLp.jl,
// src/saddle_point.jl (run_restart_scheme,
// should_do_adaptive_restart_normalized_duality_gap, should_reset_to_average
// with the default gap_over_distance_squared), checked, with two
// differences: μ(z_n) uses the distance between the last two restart
// points rather than the distance the last period's average moved, and
// the no-progress rule forgets the previous ratio at a restart (the code
// keeps it across periods). On random 100×100 matrix games the
// gap/distance² choice of the candidate needed about 8% fewer evaluations
// than choosing the smaller normalized gap. The β values 0.2/0.8/0.36
// sometimes quoted for PDLP were not verified; on the same games they
// needed about 20% more evaluations than the defaults here.
type Restarted struct {
	Method     Method           // the restarted method; required
	Criterion  RestartCriterion // the measure of progress; zero value RestartAuto
	Sufficient float64          // β_suf ∈ (0, 1); 0: 0.1
	Necessary  float64          // β_nec ∈ [β_suf, 1]; 0: 0.9 (or β_suf if larger)
	Artificial float64          // β_art ∈ (0, 1]; 0: 0.5
	CheckEvery int              // inner iterations between checks; 0: 64

	crit       RestartCriterion // the criterion of this run
	inner      Problem          // the inner problem, Z0 = anchor
	suf, nec   float64
	art        float64
	every      int
	averager   Averager
	valuer     CurrentValuer
	statuser   Statuser
	anchor     []float64 // z_n, the last restart point
	muAnchor   float64   // μ(z_n); NaN before the first restart
	prevRatio  float64
	fcur, favg []float64
	scratch    []float64
	sum, mean  []float64 // own average when the inner method keeps none
	nSum       int
	k, period  int // inner iterations in total and since the last restart
	restarts   int
	checks     int
	inited     bool
}

// Init implements Method: it validates the parameters and initializes the
// inner method on p.
func (m *Restarted) Init(p *Problem) error {
	const name = "Restarted"
	m.inited = false
	if m.Method == nil {
		return errors.New("vi: Restarted: Method is nil")
	}
	switch m.Criterion {
	case RestartAuto:
		m.crit = RestartOnResidual
		if Bounded(p.C) {
			m.crit = RestartOnGap
		}
	case RestartOnGap, RestartOnResidual:
		m.crit = m.Criterion
	default:
		return fmt.Errorf("vi: Restarted: unknown Criterion %d", int(m.Criterion))
	}
	suf, nec, art := m.Sufficient, m.Necessary, m.Artificial
	if suf == 0 {
		suf = defaultRestartSufficient
	}
	if nec == 0 {
		nec = max(defaultRestartNecessary, suf)
	}
	if art == 0 {
		art = defaultRestartArtificial
	}
	if !(suf > 0 && suf < 1) {
		return ErrParameter{Method: name, Field: "Sufficient", Value: m.Sufficient, Want: "in (0, 1) (0: 0.1)"}
	}
	if !(nec >= suf && nec <= 1) {
		return ErrParameter{Method: name, Field: "Necessary", Value: m.Necessary, Want: fmt.Sprintf("in [Sufficient, 1] = [%v, 1] (0: 0.9)", suf)}
	}
	if !(art > 0 && art <= 1) {
		return ErrParameter{Method: name, Field: "Artificial", Value: m.Artificial, Want: "in (0, 1] (0: 0.5)"}
	}
	if m.CheckEvery < 0 {
		return ErrParameter{Method: name, Field: "CheckEvery", Value: float64(m.CheckEvery), Want: "≥ 0 (0: 64)"}
	}
	every := m.CheckEvery
	if every == 0 {
		every = defaultRestartCheckEvery
	}
	if err := m.Method.Init(p); err != nil {
		return err
	}
	z := m.Method.Current()
	n := p.F.Dim()
	if len(z) != n {
		return fmt.Errorf("vi: Restarted: %T.Current() has length %d, want %d", m.Method, len(z), n)
	}
	m.suf, m.nec, m.art, m.every = suf, nec, art, every
	m.anchor = resize(m.anchor, n)
	copy(m.anchor, z)
	m.inner = Problem{F: p.F, C: p.C, Z0: m.anchor}
	m.averager, _ = m.Method.(Averager)
	m.valuer, _ = m.Method.(CurrentValuer)
	m.statuser, _ = m.Method.(Statuser)
	m.fcur, m.favg = resize(m.fcur, n), resize(m.favg, n)
	m.scratch = resize(m.scratch, n)
	if m.averager == nil {
		m.sum, m.mean = resize(m.sum, n), resize(m.mean, n)
		clear(m.sum)
	}
	m.nSum = 0
	m.muAnchor, m.prevRatio = math.NaN(), math.Inf(1)
	m.k, m.period, m.restarts, m.checks = 0, 0, 0, 0
	m.inited = true
	return nil
}

// Iterate implements Method: one inner iteration, then every CheckEvery
// iterations of the period the restart test.
func (m *Restarted) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	if err := m.Method.Iterate(); err != nil {
		return err
	}
	m.k++
	m.period++
	if m.averager == nil {
		floats.Add(m.sum, m.Method.Current())
		m.nSum++
	}
	if m.period%m.every != 0 {
		return nil
	}
	return m.check()
}

// check evaluates the restart rules and restarts when one holds.
func (m *Restarted) check() error {
	m.checks++
	z := m.Method.Current()
	if v, ok := m.currentValue(); ok {
		copy(m.fcur, v)
	} else {
		m.inner.F.Apply(m.fcur, z)
	}
	muCur := m.measure(z, m.fcur)
	cand, muCand := z, muCur
	if avg := m.Average(); len(avg) == len(z) && allFinite(avg) {
		m.inner.F.Apply(m.favg, avg)
		muAvg := m.measure(avg, m.favg)
		better := muAvg <= muCur
		if m.crit == RestartOnGap {
			// Compare ρ_r/r: the gap over the squared distance moved.
			better = muAvg*distance(z, m.anchor) <= muCur*distance(avg, m.anchor)
		}
		if better || math.IsInf(muCur, 1) {
			cand, muCand = avg, muAvg
		}
	}
	restart := float64(m.period) >= m.art*float64(m.k) // artificial
	if !restart && m.muAnchor > 0 && finite(m.muAnchor) {
		ratio := muCand / m.muAnchor
		switch {
		case ratio < m.suf: // sufficient decay
			restart = true
		case ratio < m.nec && ratio > m.prevRatio: // necessary decay, no more progress
			restart = true
		}
		m.prevRatio = ratio
	}
	if !restart || !allFinite(cand) {
		return nil
	}
	// The candidate may be a buffer of the inner method: copy it first.
	copy(m.anchor, cand)
	if err := m.Method.Init(&m.inner); err != nil {
		return fmt.Errorf("vi: Restarted: restart %d: %w", m.restarts+1, err)
	}
	m.muAnchor = muCand
	m.prevRatio = math.Inf(1)
	m.period = 0
	if m.averager == nil {
		clear(m.sum)
		m.nSum = 0
	}
	m.restarts++
	return nil
}

// measure returns μ(x) for F(x) = fx: the normalized gap with radius
// ‖x − z_n‖ (+Inf at z_n itself) or the natural residual.
func (m *Restarted) measure(x, fx []float64) float64 {
	if m.crit == RestartOnResidual {
		return naturalResidual(m.inner.C, x, fx, m.scratch)
	}
	return normalizedGap(m.inner.C, x, fx, distance(x, m.anchor), m.scratch)
}

func (m *Restarted) currentValue() ([]float64, bool) {
	if m.valuer == nil {
		return nil, false
	}
	return m.valuer.CurrentValue()
}

// Current implements Method: the inner method's current iterate.
func (m *Restarted) Current() []float64 { return m.Method.Current() }

// CurrentValue implements CurrentValuer by asking the inner method.
func (m *Restarted) CurrentValue() ([]float64, bool) {
	if !m.inited {
		return nil, false
	}
	return m.currentValue()
}

// Average implements Averager: the inner method's average, or the mean of
// the inner iterates since the last restart; nil when there is none yet.
func (m *Restarted) Average() []float64 {
	if !m.inited {
		return nil
	}
	if m.averager != nil {
		return m.averager.Average()
	}
	if m.nSum == 0 {
		return nil
	}
	floats.ScaleTo(m.mean, 1/float64(m.nSum), m.sum)
	return m.mean
}

// Status implements Statuser by asking the inner method.
func (m *Restarted) Status() (Status, error) {
	if m.statuser == nil || !m.inited {
		return NotTerminated, nil
	}
	return m.statuser.Status()
}

// Restarts returns the number of restarts since Init.
func (m *Restarted) Restarts() int { return m.restarts }
