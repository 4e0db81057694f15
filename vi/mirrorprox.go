package vi

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
)

// MirrorProx is Nemirovski's mirror-prox method with the entropic geometry
// of a MirrorSet ("Prox-method with rate of convergence O(1/t) for
// variational inequalities with Lipschitz continuous monotone operators and
// smooth convex-concave saddle point problems", SIAM J. Optim. 15(1),
// 2004). It solves monotone VIs over a Simplex or a Product of Simplex
// blocks, such as the strategy space of a matrix game. With D the Bregman
// divergence of the block entropy ω(z) = Σ z_i ln z_i (the Kullback-Leibler
// divergence on every block) and MS(z, g) = argmin_{u∈C} ⟨η·g, u⟩ + D(u, z)
// the set's MirrorStep (on a block, u ∝ z ⊙ exp(−η·g) scaled to the
// block's Scale):
//
//	w_t     = MS(z_t, F(z_t))
//	z_{t+1} = MS(z_t, F(w_t))
//
// For a matrix game min_x max_y xᵀAy, F = (Ay, −Aᵀx), this is
// x_w ∝ x_t ⊙ exp(−η A y_t), y_w ∝ y_t ⊙ exp(η Aᵀx_t), then the same from
// (x_t, y_t) with the gradients taken at (x_w, y_w) (ALGORITHMS.md §2.8).
//
// Step: Step if positive, else η = κ/L with κ = 1/s, s the largest Scale
// of the Simplex blocks, and L the L field or the operator's own
// (Euclidean) constant L₂. The theory needs η ≤ κ/L when ω is κ-strongly
// convex w.r.t. a norm ‖·‖ and F is L-Lipschitz from ‖·‖ to its dual norm
// ‖·‖_*. The default is the top of that range for the setup
// ‖z‖ = (Σ_k ‖z_k‖₁²)^½ over the blocks z_k, ‖g‖_* = (Σ_k ‖g_k‖_∞²)^½:
//   - on a block of scale s, ⟨h, ∇²ω(z) h⟩ = Σ h_i²/z_i ≥ (Σ|h_i|)²/Σ z_i
//     = ‖h‖₁²/s (Cauchy-Schwarz), so ω is 1/s-strongly convex w.r.t. ‖·‖₁
//     there, and the sum over blocks is κ = 1/max_k s_k strongly convex
//     w.r.t. ‖·‖;
//   - ‖g_k‖_∞ ≤ ‖g_k‖₂ and ‖h_k‖₂ ≤ ‖h_k‖₁, so
//     ‖F(z) − F(z')‖_* ≤ ‖F(z) − F(z')‖₂ ≤ L₂‖z − z'‖₂ ≤ L₂‖z − z'‖: the
//     Euclidean constant is a valid L in this setup.
//
// So η = 1/(s·L₂) satisfies η ≤ κ/L. For a matrix game over probability
// simplices it is 1/‖A‖₂; the ℓ1 constant max_ij |A_ij| ≤ ‖A‖₂ is also
// valid (‖A(y − y')‖_∞ ≤ max|A_ij|·‖y − y'‖₁), and setting L to it gives
// the larger step 1/max|A_ij| of ALGORITHMS.md. L is therefore a Lipschitz
// constant of F from the block-ℓ1 norm to its dual, of which L₂ is one.
// An explicit Step is used as given. A MirrorSet block of another type
// than Simplex has an unknown geometry here: the method runs on it with an
// explicit Step only.
//
// Current is the base point z_t, and F(z_t) is known (CurrentValuer): it
// is the gradient of the next extrapolation, so it is evaluated anyway.
// z_t rather than w_t because it is the sequence that never moves away
// from a solution: the one-step inequality behind the rate below,
// η⟨F(w_t), w_t − u⟩ ≤ D(u, z_t) − D(u, z_{t+1}), gives
// D(z*, z_{t+1}) ≤ D(z*, z_t) for monotone F and a solution z*, since
// ⟨F(w_t), w_t − z*⟩ ≥ ⟨F(z*), w_t − z*⟩ ≥ 0. The method keeps the average
// of the extrapolated points w̄_T = (w_0 + … + w_{T−1})/T, the point its
// theorem is about (Averager). Init projects the start onto C and
// evaluates F(z_0); each iteration costs 2 evaluations (F(w_t) and
// F(z_{t+1})) and 2 mirror steps, which Solve counts as projections: after
// T iterations Stats shows 1 + 2T evaluations and 1 + 2T projections.
//
// Rate (Nemirovski 2004; ALGORITHMS.md §2.8): for monotone F, L-Lipschitz
// in the setup above, and η ≤ κ/L, every u ∈ C satisfies
// Σ_{t<T} η⟨F(w_t), w_t − u⟩ ≤ D(u, z_0), so the weak gap of the average,
// max_u ⟨F(u), w̄_T − u⟩, is at most Θ/(ηT) with Θ = max_{u∈C} D(u, z_0).
// For a matrix game ⟨F(w), w − u⟩ is affine in w and the bound is on the
// duality gap of the averaged strategies; from the uniform start
// Θ = Σ_k s_k ln n_k, which is ln m + ln n for an m×n game. No last-iterate
// rate is claimed here; on rock-paper-scissors the last iterate converges
// linearly (measured: duality gap 5e-12 after 500 iterations from a
// non-uniform start, against 5e-3 for the average).
//
// Start: Init rejects a start with a zero entry in a Simplex block (after
// projecting Z0 onto C). Entropic steps multiply entries, so a zero entry
// stays zero forever and the method would silently solve the game
// restricted to the start's support. A nil Z0 starts at Π_C(0), the
// uniform point.
type MirrorProx struct {
	Step float64 // η; 0: 1/(s·L), s the largest Simplex scale
	L    float64 // Lipschitz constant from the block-ℓ1 norm to its dual (the Euclidean one qualifies); 0: the operator's own

	f      Operator
	c      MirrorSet
	eta    float64
	z, fz  []float64
	w, fw  []float64
	sum    []float64
	avg    []float64
	k      int
	inited bool
}

// Init implements Method.
func (m *MirrorProx) Init(p *Problem) error {
	m.inited = false
	const name = "MirrorProx"
	if err := entropicParams(name, m.Step, m.L); err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	m.z = z
	c, eta, err := entropicSetup(name, p, z, m.Step, m.L, 1)
	if err != nil {
		return err
	}
	n := len(z)
	m.f, m.c, m.eta = p.F, c, eta
	m.fz, m.w, m.fw = resize(m.fz, n), resize(m.w, n), resize(m.fw, n)
	m.sum, m.avg = resize(m.sum, n), resize(m.avg, n)
	clear(m.sum)
	m.k = 0
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// Iterate implements Method.
func (m *MirrorProx) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	m.c.MirrorStep(m.w, m.z, m.fz, m.eta) // w_t = MS(z_t, F(z_t))
	m.f.Apply(m.fw, m.w)
	m.c.MirrorStep(m.z, m.z, m.fw, m.eta) // z_{t+1} = MS(z_t, F(w_t))
	m.f.Apply(m.fz, m.z)
	floats.Add(m.sum, m.w)
	m.k++
	return nil
}

// Current implements Method.
func (m *MirrorProx) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *MirrorProx) CurrentValue() ([]float64, bool) { return m.fz, m.inited }

// Average implements Averager: the mean of w_0, …, w_{T−1} after T
// iterations, or nil before the first.
func (m *MirrorProx) Average() []float64 {
	if m.k == 0 {
		return nil
	}
	floats.ScaleTo(m.avg, 1/float64(m.k), m.sum)
	return m.avg
}

// entropicSetup prepares a method that takes entropic mirror steps on
// p.C from the start z (already Π_C(Z0)): it checks that every block of
// the set is a MirrorSet and that z lies in the relative interior of every
// Simplex block, and returns the set and the step: step when positive,
// else factor·κ/L with κ = 1/(largest Simplex scale), the strong
// convexity of the block entropy w.r.t. the block-ℓ1 norm, and L from l
// or the operator (stepFrom). Blocks that are MirrorSets of other types
// are accepted with an explicit step only.
func entropicSetup(method string, p *Problem, z []float64, step, l, factor float64) (MirrorSet, float64, error) {
	var s entropicScan
	if f := s.visit(p.C, 0, len(z), nil); f != nil {
		return nil, 0, f.err(method)
	}
	if f := s.visit(p.C, 0, len(z), z); f != nil {
		return nil, 0, f.err(method)
	}
	c, ok := p.C.(MirrorSet)
	if !ok {
		return nil, 0, fmt.Errorf("vi: %s: the set %T has mirror-step blocks but does not take mirror steps itself", method, p.C)
	}
	if step == 0 && s.other != nil {
		return nil, 0, fmt.Errorf("vi: %s: no default step on a %T block (its strong convexity is unknown here); set Step", method, s.other)
	}
	eta, err := stepFrom(method, step, l, factor/s.scale, p.F)
	if err != nil {
		return nil, 0, err
	}
	return c, eta, nil
}

// entropicParams rejects negative and non-finite Step and L.
func entropicParams(method string, step, l float64) error {
	if err := checkNonNegative(method, "Step", step); err != nil {
		return err
	}
	return checkNonNegative(method, "L", l)
}

// entropicScan walks a set block by block for entropicSetup, allocating
// nothing unless it fails.
type entropicScan struct {
	scale float64   // largest Simplex scale seen
	other MirrorSet // a MirrorSet block that is not a Simplex
}

// entropicFailure is what entropicScan found wrong: a block that is not a
// MirrorSet (bad), or a zero entry of the start in a Simplex block.
type entropicFailure struct {
	path  []int // block indices from the outermost Product in
	bad   Set   // the offending set, when it is not a MirrorSet
	index int   // the zero entry: global index into z
	entry int   // and its index within the block
	value float64
}

func (f *entropicFailure) err(method string) error {
	where := "the set"
	for i, k := range f.path {
		if i == 0 {
			where = fmt.Sprintf("block %d of the Product", k)
		} else {
			where = fmt.Sprintf("block %d of %s", k, where)
		}
	}
	if f.bad != nil || f.index < 0 {
		what := fmt.Sprintf("%T", f.bad)
		if f.bad == nil {
			what = "nil (Rⁿ)"
		}
		return fmt.Errorf("vi: %s: entropic steps need a MirrorSet (a Simplex, or a Product of Simplex blocks); %s is %s", method, where, what)
	}
	return fmt.Errorf("vi: %s: the start Π_C(Z0) has z[%d] = %v on the boundary of %s (a Simplex, entry %d): entropic steps keep a zero entry at zero forever, so the method could not reach an equilibrium that plays it; start in the relative interior (a nil Z0 starts at the uniform point)",
		method, f.index, f.value, where, f.entry)
}

// visit checks the set c acting on coordinates [off, off+n). With z nil
// it checks that c supports mirror steps; otherwise that z is positive on
// its Simplex blocks.
func (s *entropicScan) visit(c Set, off, n int, z []float64) *entropicFailure {
	switch b := unwrapSet(c).(type) {
	case Product:
		return s.product(b, off, z)
	case *Product:
		if b != nil {
			return s.product(*b, off, z)
		}
	case Simplex:
		return s.simplex(b, off, n, z)
	case *Simplex:
		if b != nil {
			return s.simplex(*b, off, n, z)
		}
	case MirrorSet:
		s.other = b
		return nil
	}
	return &entropicFailure{bad: unwrapSet(c), index: -1}
}

func (s *entropicScan) product(p Product, off int, z []float64) *entropicFailure {
	for k, d := range p.Dims {
		if f := s.visit(p.Blocks[k], off, d, z); f != nil {
			f.path = append([]int{k}, f.path...)
			return f
		}
		off += d
	}
	return nil
}

func (s *entropicScan) simplex(b Simplex, off, n int, z []float64) *entropicFailure {
	s.scale = max(s.scale, b.scale())
	if z == nil {
		return nil
	}
	for i, v := range z[off : off+n] {
		if !(v > 0) {
			return &entropicFailure{index: off + i, entry: i, value: v}
		}
	}
	return nil
}
