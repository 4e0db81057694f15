package registry

import "github.com/saddlepoint/saddle/vi"

// bySet runs one method on unconstrained problems and another when the
// problem has a set: one command-line name for an algorithm whose
// constrained form is a separate type (EAG-C and composite-EAG).
type bySet struct {
	free, constrained vi.Method
	cur               vi.Method
}

// Init implements vi.Method.
func (b *bySet) Init(p *vi.Problem) error {
	b.cur = b.free
	if p.C != nil {
		b.cur = b.constrained
	}
	return b.cur.Init(p)
}

// Iterate implements vi.Method.
func (b *bySet) Iterate() error { return b.cur.Iterate() }

// Current implements vi.Method.
func (b *bySet) Current() []float64 { return b.cur.Current() }

// CurrentValue implements vi.CurrentValuer when the chosen method does.
func (b *bySet) CurrentValue() ([]float64, bool) {
	if v, ok := b.cur.(vi.CurrentValuer); ok {
		return v.CurrentValue()
	}
	return nil, false
}
