package vi

// A Problem is VI(F, C): find z* ∈ C with ⟨F(z*), z − z*⟩ ≥ 0 for all z ∈ C.
type Problem struct {
	F  Operator
	C  Set       // nil means Rⁿ
	Z0 []float64 // start; nil means the origin. Methods start from Π_C(Z0). Never modified.
}

// Validate checks that p can be solved: an operator of positive dimension,
// a start of that length with finite entries, and a set whose parameters
// fit the dimension.
func (p *Problem) Validate() error {
	if p == nil || p.F == nil {
		return ErrNoOperator
	}
	n := p.F.Dim()
	if n < 1 {
		return ErrShape{What: "F.Dim()", Got: n, Want: 1}
	}
	if p.Z0 != nil {
		if len(p.Z0) != n {
			return ErrShape{What: "Z0", Got: len(p.Z0), Want: n}
		}
		if err := checkFinite("Z0", p.Z0); err != nil {
			return err
		}
	}
	return validateSet(p.C, n)
}
