package rl

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReadJSON feeds ReadJSON arbitrary bytes: it must return a CMDP that
// writes and reads back to itself, or an error, and never panic.
func FuzzReadJSON(f *testing.F) {
	var b bytes.Buffer
	in := TwoStateCMDP()
	if err := WriteJSON(&b, in.MDP, in.Constraints); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"states": 1, "actions": 1, "discount": 0.5, "initial": [1], "transitions": [[[1]]], "reward": [[1]], "constraints": []}`))
	f.Add([]byte(`{"states": 1e300, "actions": -1}`))
	f.Add([]byte(`{"states": 2, "actions": 1, "discount": 0.5, "initial": [1, 0], "transitions": [[[0.5, 0.4]], [[1, 0]]], "reward": [[1], [0]]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, cons, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "rl: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteJSON(&out, m, cons); err != nil {
			t.Fatalf("WriteJSON of a game ReadJSON accepted: %v", err)
		}
		m2, cons2, err := ReadJSON(&out)
		if err != nil {
			t.Fatalf("reading back what WriteJSON wrote: %v", err)
		}
		if m2.States() != m.States() || m2.Actions() != m.Actions() || len(cons2) != len(cons) {
			t.Fatalf("round trip changed the shape")
		}
	})
}
