package monotone

// Func adapts a function to vi.Operator, the way http.HandlerFunc adapts
// one to a handler:
//
//	F := monotone.Func{N: 2, F: func(dst, z []float64) { dst[0], dst[1] = z[1], -z[0] }, L: 1}
//
// Its zero value is not usable: F must be set. F must follow the
// vi.Operator contract (dst and z of length N, no allocation, z not
// modified).
type Func struct {
	N int                    // dimension n
	F func(dst, z []float64) // sets dst = F(z)
	L float64                // a Lipschitz constant; 0: unknown
}

// Dim returns N.
func (f Func) Dim() int { return f.N }

// Apply calls F.
func (f Func) Apply(dst, z []float64) { f.F(dst, z) }

// Lipschitz returns L. Zero means unknown: methods of package vi ignore a
// Lipschitz constant ≤ 0 and ask for an explicit step instead, and Sum and
// Scale report 0 for anything built from it.
func (f Func) Lipschitz() float64 { return f.L }
