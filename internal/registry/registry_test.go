package registry

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/saddlepoint/saddle/vi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProblemSpecs(t *testing.T) {
	for _, info := range Problems() {
		t.Run(info.Name, func(t *testing.T) {
			in, err := Problem(info.Name)
			require.NoError(t, err)
			require.NoError(t, in.Problem.Validate())
			assert.Equal(t, info.Name, in.Name)
			if in.Solution != nil {
				// A known solution must solve the VI.
				r := vi.NaturalResidual(in.Problem.F, in.Problem.C, in.Solution)
				assert.Less(t, r, 1e-9, "the recorded solution has residual %v", r)
			}
			if in.Game != nil {
				v, x, y, err := in.Game.Solve()
				require.NoError(t, err)
				assert.InDelta(t, 0, in.Game.DualityGap(x, y), 1e-9)
				assert.InDelta(t, v, in.Game.ExpectedPayoff(x, y), 1e-9)
			}
		})
	}
}

func TestProblemSpecErrors(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"nope", `unknown problem "nope"`},
		{"bilinear:n=ten", `parameter n="ten": not an integer`},
		{"bilinear:size=3", `unknown parameter "size" (parameters: n=10,seed=1)`},
		{"bilinear:n=0", "n = 0, want 1 ≤ n ≤ 5000"},
		{"bilinear:n", `parameter "n": want key=value`},
		{"bilinear:n=3,n=4", `parameter "n" given twice`},
		{"rps:n=3", `parameter "n": this problem takes no parameters`},
		{"quadratic-bilinear:a=-1", "want both ≥ 0"},
		{"quadratic-bilinear:b=x", `parameter b="x": not a number`},
		{"random-game:m=0", "size 0×10"},
		{"bilinear:seed=-1", `parameter seed="-1": not a non-negative integer`},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			_, err := Problem(tc.spec)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestProblemParameters(t *testing.T) {
	in, err := Problem("bilinear:n=7,seed=3")
	require.NoError(t, err)
	assert.Equal(t, 14, in.Problem.F.Dim())
	assert.Equal(t, 7, in.Split)
	in2, err := Problem("bilinear:seed=3,n=7")
	require.NoError(t, err)
	assert.Equal(t, in.Solution, in2.Solution, "same seed, same problem")
	in3, err := Problem("bilinear:n=7,seed=4")
	require.NoError(t, err)
	assert.NotEqual(t, in.Solution, in3.Solution)

	g, err := Problem("random-game:m=4,n=6,seed=2")
	require.NoError(t, err)
	m, n := g.Game.Dims()
	assert.Equal(t, [2]int{4, 6}, [2]int{m, n})
}

func TestLoadProblemNFG(t *testing.T) {
	// A two-player zero-sum file is a matrix game (O'Neill: value −1/5).
	in, err := LoadProblem("testdata/oneill.nfg")
	require.NoError(t, err)
	require.NotNil(t, in.Game)
	require.NotNil(t, in.NormalForm)
	assert.True(t, in.Monotone)
	assert.Equal(t, 4, in.Split)
	v, x, y, err := in.Game.Solve()
	require.NoError(t, err)
	assert.InDelta(t, -0.2, v, 1e-12)
	g, ok := in.Gap(append(x, y...))
	assert.True(t, ok)
	assert.InDelta(t, 0, g, 1e-12)
	// Constant-sum (payoffs sum to 2): A = player 1's payoffs, value 2/3.
	in, err = LoadProblem("testdata/2x2const.nfg")
	require.NoError(t, err)
	require.NotNil(t, in.Game)
	v, _, _, err = in.Game.Solve()
	require.NoError(t, err)
	assert.InDelta(t, 2.0/3, v, 1e-12)
	// Three players: the N-player VI with its Nash gap, no monotonicity
	// claimed, so no method's theory covers it.
	in, err = LoadProblem("testdata/2x2x2.nfg")
	require.NoError(t, err)
	assert.Nil(t, in.Game)
	assert.False(t, in.Monotone)
	assert.Equal(t, 6, in.Problem.F.Dim())
	g, ok = in.Gap(in.Problem.Z0)
	assert.True(t, ok)
	assert.Equal(t, in.NormalForm.NashGap(in.Problem.Z0), g)
	assert.Greater(t, g, 0.0)
	_, err = LoadProblem("testdata/nothere.nfg")
	assert.ErrorContains(t, err, "nothere.nfg")
}

func TestLoadProblemJSON(t *testing.T) {
	in, err := LoadProblem("testdata/box-affine.json")
	require.NoError(t, err)
	assert.True(t, in.Monotone)
	assert.True(t, in.StronglyMonotone)
	assert.True(t, in.Bounded)
	// The file was built so that z* = (0, 1, 0.5, 0.25) solves it: F(z*) =
	// (0.7, −1.3, 0, 0) points into the box at the active bounds.
	assert.InDelta(t, 0, vi.NaturalResidual(in.Problem.F, in.Problem.C, []float64{0, 1, 0.5, 0.25}), 1e-15)

	in, err = LoadProblem("testdata/bilinear-box.json")
	require.NoError(t, err)
	assert.Equal(t, 5, in.Problem.F.Dim())
	assert.Equal(t, 3, in.Split)
	assert.True(t, in.Bounded)
	fz := make([]float64, 5)
	in.Problem.F.Apply(fz, []float64{1, 0, 0, 0, 1})
	// F = (Ay + b, −(Aᵀx + c)) at x = e1, y = e2: Ay = (2, −1, 1).
	assert.InDeltaSlice(t, []float64{2.5, -2, 1.25, -2, 0}, fz, 1e-15)

	in, err = LoadProblem("testdata/game.json")
	require.NoError(t, err)
	v, x, y, err := in.Game.Solve()
	require.NoError(t, err)
	// ALGORITHMS.md Part II B2 item 5: x* = (3/7, 4/7), y* = (2/7, 5/7), value 1/7.
	assert.InDelta(t, 1.0/7, v, 1e-12)
	assert.InDeltaSlice(t, []float64{3.0 / 7, 4.0 / 7}, x, 1e-12)
	assert.InDeltaSlice(t, []float64{2.0 / 7, 5.0 / 7}, y, 1e-12)
}

func TestReadProblemJSONErrors(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"syntax", "{\"kind\": \"affine\",\n \"M\": [[1, 2],, [3]]}", "line 2, column"},
		{"type", `{"kind": "affine", "M": "identity"}`, `field "M": got a JSON string`},
		{"unknown-field", `{"kind": "affine", "M": [[1]], "w": [1]}`, `unknown field "w"`},
		{"no-kind", `{"M": [[1]]}`, `field "kind": missing`},
		{"bad-kind", `{"kind": "quadratic"}`, `field "kind": "quadratic" is not a problem kind`},
		{"ragged", `{"kind": "affine", "M": [[1, 2], [3]]}`, `field "M": row 1 has 1 entries, want 2`},
		{"not-square", `{"kind": "affine", "M": [[1, 2, 3], [3, 4, 5]]}`, `field "M": row 0 has 3 entries, want 2`},
		{"q-length", `{"kind": "affine", "M": [[1]], "q": [1, 2]}`, `field "q": 2 entries, want 1`},
		{"empty-M", `{"kind": "affine", "M": []}`, `field "M": missing or empty`},
		{"foreign-field", `{"kind": "affine", "M": [[1]], "A": [[1]]}`, `field "A": not part of a "affine" problem`},
		{"box-shape", `{"kind": "affine", "M": [[1]], "set": {"kind": "box", "lo": [0, 0], "hi": [1, 1]}}`, `field "set": vi: Box.Lo has length 2, want 1`},
		{"box-missing", `{"kind": "affine", "M": [[1]], "set": {"kind": "box", "lo": [0]}}`, `field "set": a box needs "lo" and "hi"`},
		{"set-kind", `{"kind": "affine", "M": [[1]], "set": {"kind": "sphere"}}`, `field "set": "sphere" is not a set kind`},
		{"ball-radius", `{"kind": "bilinear", "A": [[1]], "y_set": {"kind": "ball", "radius": -2}}`, `field "y_set": a ball needs "radius" > 0`},
		{"set-extra", `{"kind": "bilinear", "A": [[1]], "x_set": {"kind": "simplex", "lo": [0]}}`, `field "x_set": "lo" is not part of a "simplex" set`},
		{"b-length", `{"kind": "bilinear", "A": [[1, 2]], "b": [1, 2]}`, `field "b": 2 entries, want 1`},
		{"game-empty", `{"kind": "matrix-game", "A": [[]]}`, `field "A": row 0 is empty`},
		{"z0", `{"kind": "matrix-game", "A": [[1]], "z0": [1]}`, `field "z0": 1 entries, want 2`},
		{"trailing", `{"kind": "matrix-game", "A": [[1]]} {}`, "unexpected data after the problem object"},
		{"empty", ``, "empty file"},
		{"truncated", `{"kind": "affine", "M": [[1]`, "unexpected end of file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadProblemJSON(strings.NewReader(tc.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := LoadProblem("testdata/missing.json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "testdata/missing.json")
	_, err = LoadProblem("registry_test.go")
	assert.ErrorContains(t, err, "unknown file type")
}

func TestMethodsRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Methods() {
		assert.False(t, seen[m.Name], "duplicate %s", m.Name)
		seen[m.Name] = true
		assert.NotEmpty(t, m.Summary)
		assert.NotEmpty(t, m.Rule)
		assert.NotEmpty(t, m.Guarantee)
		require.NotNil(t, m.Covers, m.Name)
		got, info, err := Method(m.Name, Options{})
		require.NoError(t, err)
		assert.Equal(t, m.Name, info.Name)
		assert.NotNil(t, got)
	}
	_, _, err := Method("sgd", Options{})
	assert.ErrorContains(t, err, `unknown method "sgd"`)
}

// TestReadmeListsEveryMethod keeps the README's methods table in step with
// the registry.
func TestReadmeListsEveryMethod(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(data)
	for _, m := range Methods() {
		row := regexp.MustCompile(`(?m)^\|[^|]*[ ,]` + regexp.QuoteMeta(m.Name) + `[ ,|].*$`)
		line := row.FindString(readme)
		if !assert.NotEmpty(t, line, "no row of README's methods table names %s", m.Name) {
			continue
		}
		// The tests column says how the method is tested, as the
		// registry's flags decide.
		want := "conformance"
		switch {
		case m.Heuristic || m.Stochastic:
			want = "contract"
		case m.Ergodic:
			want = "contract (average)"
		}
		cells := strings.Split(strings.TrimSuffix(strings.TrimSpace(line), "|"), "|")
		assert.Equal(t, want, strings.TrimSpace(cells[len(cells)-1]), "tests column of %s", m.Name)
	}
	for _, m := range CMDPMethods() {
		row := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(m.Name) + ` \|.*\| constrained \|$`)
		assert.True(t, row.MatchString(readme), "no row of README's methods table names %s as constrained", m.Name)
	}
}
