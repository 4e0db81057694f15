package registry

import (
	"bytes"
	"os"
	"testing"
)

// FuzzReadProblemJSON feeds ReadProblemJSON arbitrary bytes: it returns a
// problem whose operator evaluates at its start, or an error, and never
// panics.
func FuzzReadProblemJSON(f *testing.F) {
	for _, name := range []string{"testdata/box-affine.json", "testdata/bilinear-box.json", "testdata/game.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"kind": "affine", "M": [[1e308, 1e308], [1e308, 1e308]], "q": [1, 1]}`))
	f.Add([]byte(`{"kind": "bilinear", "A": [[1]], "x_set": {"kind": "ball", "radius": -1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ReadProblemJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		n := in.Problem.F.Dim()
		z := in.Problem.Z0
		if z == nil {
			z = make([]float64, n)
		}
		if len(z) != n {
			t.Fatalf("start has %d entries for an operator of dimension %d", len(z), n)
		}
		dst := make([]float64, n)
		in.Problem.F.Apply(dst, z)
	})
}
