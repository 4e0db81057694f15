package vi

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
)

// AltGDA is alternating (projected) gradient descent-ascent for a
// two-block problem z = (x, y) ∈ X × Y, such as min_x max_y f(x, y) with
// F = (∇ₓf, −∇ᵧf). The x block moves first and the y block answers at the
// new x:
//
//	x_{k+1} = Π_X(x_k − η F_x(x_k, y_k))
//	y_{k+1} = Π_Y(y_k − η F_y(x_{k+1}, y_k))
//
// The x block is the first Split coordinates. A zero Split is taken from
// the set when it is a Product of exactly two blocks; otherwise Init
// returns an error naming Split. Π_X and Π_Y are the projections onto the
// two parts of the set: the blocks of a Product on either side of Split
// (which must fall on a boundary between blocks), the two parts of a Box,
// or NonNegative or Rⁿ (nil C, Reals) in both. Init refuses any other set,
// whose projection need not split into blocks.
//
// Step: Step if positive, else 1/(2L), L the L field or the operator's own
// constant.
//
// Current is z_k = (x_k, y_k), and F(z_k) is known (CurrentValuer); no
// average is kept by the method. An Operator evaluates all of F at once,
// so each iteration costs 2 full evaluations: F(x_{k+1}, y_k), of which
// the y step uses its y part, and F(x_{k+1}, y_{k+1}), which serves the
// next x step. Init evaluates F(z_0). Each iteration projects each block
// once, together the cost of one projection onto X × Y, and counts as 1
// projection; Init projects z_0 (1 more when C is not nil).
//
// Behaviour: on the bilinear game f(x, y) = xy (F = (y, −x)) one iteration
// is the matrix [[1, −η], [η, 1 − η²]], of determinant 1 and trace 2 − η²:
// for 0 < η < 2 both eigenvalues lie on the unit circle, the iterates stay
// on the ellipse x² − ηxy + y² = const and neither converge nor diverge
// (ALGORITHMS.md §2.1; the cycling of alternating play is studied by
// Bailey, Gidel and Piliouras, "Finite regret and cycles with fixed
// step-size via alternating gradient descent-ascent", COLT 2020).
// Simultaneous GDA spirals out on the same game. No rate is claimed here
// for monotone problems; on strongly monotone ones with a small step it
// converges linearly (tested on quadratic-bilinear and box-constrained
// affine problems).
type AltGDA struct {
	Step  float64 // η; 0: 1/(2L)
	L     float64 // Lipschitz constant; 0: the operator's own
	Split int     // number of x coordinates; 0: from a two-block Product set

	f      Operator
	c      Set // the set as given (Solve's counting wrapper), for the count
	cx, cy Set // the projections onto X and Y; nil is the identity
	split  int
	eta    float64
	z, fz  []float64
	mid    []float64 // F(x_{k+1}, y_k)
	inited bool
}

// Init implements Method.
func (m *AltGDA) Init(p *Problem) error {
	m.inited = false
	if m.Split < 0 {
		return ErrParameter{Method: "AltGDA", Field: "Split", Value: float64(m.Split), Want: "≥ 0 (0: from a two-block Product set)"}
	}
	eta, err := stepFrom("AltGDA", m.Step, m.L, 0.5, p.F)
	if err != nil {
		return err
	}
	z, err := start(p, m.z)
	if err != nil {
		return err
	}
	n := len(z)
	split, cx, cy, err := altgdaBlocks(unwrapSet(p.C), n, m.Split)
	if err != nil {
		return err
	}
	m.f, m.c, m.cx, m.cy, m.split, m.eta, m.z = p.F, p.C, cx, cy, split, eta, z
	m.fz, m.mid = resize(m.fz, n), resize(m.mid, n)
	m.f.Apply(m.fz, m.z)
	m.inited = true
	return nil
}

// altgdaBlocks returns the split and the projections onto the two blocks
// of c, a set already validated for dimension n.
func altgdaBlocks(c Set, n, split int) (int, Set, Set, error) {
	need := func(why string) error {
		return fmt.Errorf("vi: AltGDA.Split = 0: %s; set Split to the number of x coordinates", why)
	}
	inRange := func(s int) error {
		if s >= n {
			return ErrParameter{Method: "AltGDA", Field: "Split", Value: float64(s), Want: fmt.Sprintf("in [1, %d], the x block and the y block both nonempty", n-1)}
		}
		return nil
	}
	switch s := c.(type) {
	case nil, Reals:
		if split == 0 {
			return 0, nil, nil, need("the problem has no set to take the blocks from")
		}
		return split, nil, nil, inRange(split)
	case NonNegative:
		if split == 0 {
			return 0, nil, nil, need("a NonNegative set has no blocks")
		}
		return split, s, s, inRange(split)
	case Box:
		if split == 0 {
			return 0, nil, nil, need("a Box has no blocks")
		}
		if err := inRange(split); err != nil {
			return 0, nil, nil, err
		}
		return split, Box{Lo: s.Lo[:split], Hi: s.Hi[:split]}, Box{Lo: s.Lo[split:], Hi: s.Hi[split:]}, nil
	case Product:
		if split == 0 {
			if len(s.Blocks) != 2 {
				return 0, nil, nil, need(fmt.Sprintf("the Product set has %d blocks, not 2", len(s.Blocks)))
			}
			return s.Dims[0], s.Blocks[0], s.Blocks[1], nil
		}
		off := 0
		for j, d := range s.Dims {
			if off == split {
				return split, altgdaSub(s, 0, j), altgdaSub(s, j, len(s.Dims)), nil
			}
			off += d
		}
		if err := inRange(split); err != nil {
			return 0, nil, nil, err
		}
		return 0, nil, nil, ErrParameter{Method: "AltGDA", Field: "Split", Value: float64(split), Want: "a boundary between blocks of the Product set"}
	default:
		return 0, nil, nil, fmt.Errorf("vi: AltGDA: cannot project the x and y blocks of a %T separately; use a Product of two sets", c)
	}
}

// altgdaSub returns blocks i..j−1 of p as one set.
func altgdaSub(p Product, i, j int) Set {
	if j-i == 1 {
		return p.Blocks[i]
	}
	return Product{Blocks: p.Blocks[i:j], Dims: p.Dims[i:j]}
}

// Iterate implements Method.
func (m *AltGDA) Iterate() error {
	if !m.inited {
		return errNotInit
	}
	s := m.split
	x, y := m.z[:s], m.z[s:]
	floats.AddScaled(x, -m.eta, m.fz[:s]) // x_{k+1} = Π_X(x_k − η F_x(x_k, y_k))
	project(m.cx, x, x)
	m.f.Apply(m.mid, m.z)
	floats.AddScaled(y, -m.eta, m.mid[s:]) // y_{k+1} = Π_Y(y_k − η F_y(x_{k+1}, y_k))
	project(m.cy, y, y)
	altgdaCountProjection(m.c)
	m.f.Apply(m.fz, m.z)
	return nil
}

// altgdaCountProjection adds one projection to the count of Solve's
// counting wrapper c, for a method that projected the blocks of the
// wrapped set itself (the wrapper counts only whole-set projections).
func altgdaCountProjection(c Set) {
	switch w := c.(type) {
	case *countingSet:
		w.n++
	case *countingMirrorSet:
		w.n++
	}
}

// Current implements Method.
func (m *AltGDA) Current() []float64 { return m.z }

// CurrentValue implements CurrentValuer.
func (m *AltGDA) CurrentValue() ([]float64, bool) { return m.fz, m.inited }
