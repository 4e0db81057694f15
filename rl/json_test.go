package rl

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonTestDoc is ALGORITHMS.md B7.2 in the CMDP JSON format, laid out as
// WriteJSON writes it; the malformed cases edit it and the expected
// positions refer to its lines.
const jsonTestDoc = `{
  "states": 2,
  "actions": 2,
  "discount": 0.9,
  "initial": [1, 0],
  "transitions": [
    [[1, 0], [0, 1]],
    [[1, 0], [1, 0]]
  ],
  "reward": [
    [0.2, 0],
    [1, 1]
  ],
  "constraints": [
    {
      "cost": [
        [0, 1],
        [0, 0]
      ],
      "threshold": 2
    }
  ]
}
`

func TestJSONWriteFormat(t *testing.T) {
	in := TwoStateCMDP()
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, in.MDP, in.Constraints))
	assert.Equal(t, jsonTestDoc, buf.String())

	buf.Reset()
	require.NoError(t, WriteJSON(&buf, in.MDP, nil))
	assert.True(t, strings.HasSuffix(buf.String(), "\"constraints\": []\n}\n"), buf.String())

	err := WriteJSON(&buf, in.MDP, []Constraint{{Cost: []float64{1}}})
	require.Error(t, err)
	assert.Equal(t, "rl: constraints[0].cost has 1 entries, want 4 (states·actions)", err.Error())
}

// Reading what was written gives back the same MDP and constraints, bit
// for bit, and writing that again gives the same text.
func TestJSONRoundTrip(t *testing.T) {
	random, err := RandomCMDP(5, 3, 2, 0.95, rand.NewPCG(4, 4))
	require.NoError(t, err)
	plain, err := RandomMDP(4, 2, 0.5, nil)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		m    *MDP
		cons []Constraint
	}{
		{"two-state", TwoStateCMDP().MDP, TwoStateCMDP().Constraints},
		{"random-cmdp", random.MDP, random.Constraints},
		{"plain mdp", plain, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var first, second bytes.Buffer
			require.NoError(t, WriteJSON(&first, tc.m, tc.cons))
			m, cons, err := ReadJSON(bytes.NewReader(first.Bytes()))
			require.NoError(t, err)
			assert.Equal(t, tc.m, m)
			assert.Equal(t, tc.cons, cons)
			require.NoError(t, WriteJSON(&second, m, cons))
			assert.Equal(t, first.String(), second.String())
		})
	}

	// "constraints" may be left out: a plain MDP.
	doc := jsonTestDoc[:strings.Index(jsonTestDoc, `,
  "constraints"`)] + "\n}\n"
	m, cons, err := ReadJSON(strings.NewReader(doc))
	require.NoError(t, err)
	assert.Empty(t, cons)
	assert.Equal(t, TwoStateCMDP().MDP, m)
}

func TestJSONMalformed(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(jsonTestDoc, old) {
			panic("jsonTestDoc has no " + old)
		}
		return strings.Replace(jsonTestDoc, old, new, 1)
	}
	cases := []struct {
		name, doc, want string
	}{
		{"empty", " \n", "rl: empty input, want a CMDP object"},
		{"not an object", "[1, 2]", "rl: line 1, column 1: the document is an array, want a CMDP object"},
		{"syntax", edit(`"threshold": 2`, `"threshold": 2,`),
			"rl: line 21, column 5: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"truncated", jsonTestDoc[:40], "rl: line 4, column 8: unexpected end of input"},
		{"trailing data", jsonTestDoc + "{}", "rl: line 24, column 1: unexpected data after the CMDP object"},
		{"string discount", edit(`"discount": 0.9`, `"discount": "0.9"`), "rl: line 4, column 15: discount is a string, want a number"},
		{"huge discount", edit(`"discount": 0.9`, `"discount": 1e400`), "rl: line 4, column 15: discount = 1e400 is out of the range of float64"},
		{"fractional states", edit(`"states": 2`, `"states": 2.5`), "rl: line 2, column 13: states is the number 2.5, want an integer"},
		{"string probability", edit(`[[1, 0], [0, 1]]`, `[[1, 0], [0, "x"]]`), "rl: line 7, column 18: transitions[0][1][1] is a string, want a number"},
		{"object reward", edit("[\n    [0.2, 0],\n    [1, 1]\n  ]", "{}"), "rl: line 10, column 13: reward is an object, want an array"},
		{"constraint not an object", edit("[\n    {\n      \"cost\"", "[3, {\"cost\""), "rl: line 14, column 19: constraints[0] is a number, want an object"},
		{"unknown field", edit(`"states": 2,`, `"states": 2, "gamma": 0.9,`),
			"rl: line 2, column 25: gamma is not a CMDP field (want states, actions, discount, initial, transitions, reward, constraints)"},
		{"unknown constraint field", edit(`"threshold"`, `"limit"`), "rl: line 20, column 16: constraints[0].limit is not a constraint field (want cost, threshold)"},
		{"missing discount", edit("  \"discount\": 0.9,\n", ""), "rl: line 1, column 1: discount is missing or null"},
		{"null transitions", edit("[\n    [[1, 0], [0, 1]],\n    [[1, 0], [1, 0]]\n  ]", "null"), "rl: line 6, column 18: transitions is missing or null"},
		{"missing threshold", edit(",\n      \"threshold\": 2", ""), "rl: line 15, column 5: constraints[0].threshold is missing or null"},
		{"zero states", edit(`"states": 2`, `"states": 0`), "rl: line 2, column 13: states = 0, want ≥ 1"},
		{"discount 1", edit(`"discount": 0.9`, `"discount": 1`), "rl: line 4, column 15: discount = 1, want 0 ≤ γ < 1"},
		{"initial shape", edit(`"initial": [1, 0]`, `"initial": [1, 0, 0]`), "rl: line 5, column 14: initial has 3 entries, want 2 (states)"},
		{"initial sum", edit(`"initial": [1, 0]`, `"initial": [1, 1]`), "rl: line 5, column 14: initial sums to 2, want 1 (tolerance 1e-9)"},
		{"transition rows", edit("    [[1, 0], [0, 1]],\n", ""), "rl: line 6, column 18: transitions has 1 rows, want 2 (states)"},
		{"non-stochastic row", edit(`[[1, 0], [1, 0]]`, `[[1, 0], [0.5, 0.4]]`), "rl: line 8, column 14: transitions[1][1] sums to 0.9, want 1 (tolerance 1e-9)"},
		{"negative probability", edit(`[[1, 0], [0, 1]]`, `[[1, 0], [-0.5, 1.5]]`), "rl: line 7, column 15: transitions[0][1][0] = -0.5 is negative"},
		{"reward row", edit(`[0.2, 0]`, `[0.2]`), "rl: line 11, column 5: reward[0] has 1 entries, want 2 (actions)"},
		{"cost rows", edit("        [0, 1],\n", ""), "rl: line 16, column 15: constraints[0].cost has 1 rows, want 2 (states)"},
		{"cost row", edit("[0, 0]\n", "[0]\n"), "rl: line 18, column 9: constraints[0].cost[1] has 1 entries, want 2 (actions)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, cons, err := ReadJSON(strings.NewReader(tc.doc))
			require.Error(t, err)
			assert.Nil(t, m)
			assert.Nil(t, cons)
			assert.Equal(t, tc.want, err.Error())
			var in ErrInput
			assert.True(t, errors.As(err, &in), "want an ErrInput")
		})
	}
}

func TestJSONLoadNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(good, []byte(jsonTestDoc), 0o644))
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(jsonTestDoc, "[[1, 0], [1, 0]]", "[[1, 0], [0.5, 0.4]]", 1)), 0o644))

	m, cons, err := LoadJSON(good)
	require.NoError(t, err)
	assert.Equal(t, TwoStateCMDP().MDP, m)
	assert.Equal(t, TwoStateCMDP().Constraints, cons)

	_, _, err = LoadJSON(bad)
	require.Error(t, err)
	assert.Equal(t, "rl: "+bad+": line 8, column 14: transitions[1][1] sums to 0.9, want 1 (tolerance 1e-9)", err.Error())
	var in ErrInput
	require.True(t, errors.As(err, &in))
	assert.Equal(t, ErrInput{File: bad, Line: 8, Column: 14, Path: "transitions[1][1]", Msg: "sums to 0.9, want 1 (tolerance 1e-9)"}, in)

	_, _, err = LoadJSON(filepath.Join(dir, "none.json"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, os.ErrNotExist))
}
