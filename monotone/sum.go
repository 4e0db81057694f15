package monotone

import (
	"fmt"

	"gonum.org/v1/gonum/floats"

	"github.com/saddlepoint/saddle/vi"
)

// Sum is the operator F = F₁ + … + F_k. A sum of monotone operators is
// monotone, and its monotonicity modulus is at least the sum of theirs.
//
// Apply uses a buffer allocated by NewSum, so a Sum must not be applied
// from several goroutines at once.
type Sum struct {
	terms []vi.Operator
	buf   []float64
}

// NewSum returns the sum of the given operators. It returns an error when
// there are none, when one is nil, or when their dimensions differ.
func NewSum(terms ...vi.Operator) (*Sum, error) {
	if len(terms) == 0 {
		return nil, fmt.Errorf("monotone: NewSum: no operators")
	}
	for i, t := range terms {
		if t == nil {
			return nil, fmt.Errorf("monotone: NewSum: operator %d is nil", i)
		}
		if t.Dim() != terms[0].Dim() {
			return nil, fmt.Errorf("monotone: NewSum: operator %d has dimension %d, operator 0 has %d", i, t.Dim(), terms[0].Dim())
		}
	}
	return &Sum{terms: append([]vi.Operator(nil), terms...), buf: make([]float64, terms[0].Dim())}, nil
}

// Dim returns the common dimension.
func (s *Sum) Dim() int { return len(s.buf) }

// Apply sets dst = Σ F_i(z). It allocates nothing beyond what the terms do;
// it panics on wrong lengths.
func (s *Sum) Apply(dst, z []float64) {
	checkApply("Sum", dst, z, len(s.buf))
	s.terms[0].Apply(dst, z)
	for _, t := range s.terms[1:] {
		t.Apply(s.buf, z)
		floats.Add(dst, s.buf)
	}
}

// Lipschitz returns Σ L_i when every term reports a Lipschitz constant
// L_i > 0, and 0 (unknown) otherwise.
func (s *Sum) Lipschitz() float64 {
	var sum float64
	for _, t := range s.terms {
		l := knownLipschitz(t)
		if l == 0 {
			return 0
		}
		sum += l
	}
	return sum
}
