package games

import (
	"bytes"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nfgFiles returns the paths of the Gambit catalog copied into testdata.
func nfgFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "nfg", "*.nfg"))
	require.NoError(t, err)
	return files
}

// nfgRequireSameGame asserts that two games agree in everything a .nfg
// file holds, payoffs bit for bit.
func nfgRequireSameGame(t *testing.T, want, got *NormalFormGame) {
	t.Helper()
	require.Equal(t, want.Title, got.Title)
	require.Equal(t, want.Comment, got.Comment)
	require.Equal(t, want.NumPlayers(), got.NumPlayers())
	for i := 0; i < want.NumPlayers(); i++ {
		require.Equal(t, want.PlayerName(i), got.PlayerName(i))
		require.Equal(t, want.NumStrategies(i), got.NumStrategies(i))
		for s := 0; s < want.NumStrategies(i); s++ {
			require.Equal(t, want.StrategyName(i, s), got.StrategyName(i, s))
		}
	}
	require.Len(t, got.Payoffs(), len(want.Payoffs()))
	for k, v := range want.Payoffs() {
		require.Equal(t, math.Float64bits(v), math.Float64bits(got.Payoffs()[k]), "payoff %d: %v vs %v", k, v, got.Payoffs()[k])
	}
}

func TestNFGReadsAndRoundTripsEveryGambitFile(t *testing.T) {
	files := nfgFiles(t)
	require.Len(t, files, 60, "the whole Gambit catalog (testdata/nfg/README.md)")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			g, err := LoadNFG(path)
			require.NoError(t, err)
			profiles := 1
			for i := 0; i < g.NumPlayers(); i++ {
				profiles *= g.NumStrategies(i)
			}
			require.Equal(t, profiles, g.NumProfiles())
			require.Len(t, g.Payoffs(), g.NumPlayers()*profiles)
			for _, write := range []struct {
				name string
				fn   func(*bytes.Buffer, *NormalFormGame) error
			}{
				{"payoff form", func(b *bytes.Buffer, g *NormalFormGame) error { return WriteNFG(b, g) }},
				{"outcome form", func(b *bytes.Buffer, g *NormalFormGame) error { return WriteNFGOutcomes(b, g) }},
			} {
				var buf bytes.Buffer
				require.NoError(t, write.fn(&buf, g), write.name)
				text := buf.String()
				back, err := ReadNFG(&buf)
				require.NoError(t, err, "%s:\n%s", write.name, text)
				nfgRequireSameGame(t, g, back)
				// Writing the game read back gives the same text.
				var again bytes.Buffer
				require.NoError(t, write.fn(&again, back))
				require.Equal(t, text, again.String(), write.name)
			}
		})
	}
}

func TestNFGKnownFacts(t *testing.T) {
	load := func(t *testing.T, name string) *NormalFormGame {
		g, err := LoadNFG(filepath.Join("testdata", "nfg", name))
		require.NoError(t, err)
		return g
	}
	// pay asserts every player's payoff at one profile.
	pay := func(t *testing.T, g *NormalFormGame, profile []int, want ...float64) {
		t.Helper()
		for i, w := range want {
			assert.Equal(t, w, g.Payoff(profile, i), "player %d at %v", i, profile)
		}
	}
	tests := []struct {
		file  string
		check func(t *testing.T, g *NormalFormGame)
	}{
		{"pd.nfg", func(t *testing.T, g *NormalFormGame) {
			// Outcome form; strategy 1 cooperates, 2 defects.
			assert.Equal(t, "Two person Prisoner's Dilemma game", g.Title)
			assert.Equal(t, []string{"Player 1", "Player 2"}, []string{g.PlayerName(0), g.PlayerName(1)})
			pay(t, g, []int{0, 0}, 9, 9)
			pay(t, g, []int{1, 0}, 10, 0)
			pay(t, g, []int{0, 1}, 0, 10)
			pay(t, g, []int{1, 1}, 1, 1)
		}},
		{"perfect1.nfg", func(t *testing.T, g *NormalFormGame) {
			// Outcome form with outcomes named "rc" (row r, column c) and
			// the index list 1 4 7 2 5 8 3 6 9: it is in Gambit's order
			// only if player 1 changes fastest, so "21" = (3/2, 1) sits at
			// row 2, column 1.
			pay(t, g, []int{1, 0}, 1.5, 1)
			pay(t, g, []int{0, 1}, 0, 0)
			pay(t, g, []int{1, 1}, 2, 2)
			pay(t, g, []int{2, 2}, 3, 1)
			pay(t, g, []int{2, 0}, 0, 1)
		}},
		{"loopback.nfg", func(t *testing.T, g *NormalFormGame) {
			// Outcomes "11" "12" "21" "22" listed as 1 3 2 4.
			pay(t, g, []int{1, 0}, 7.32, 6)
			pay(t, g, []int{0, 1}, 6, 7)
			pay(t, g, []int{1, 1}, 1, 4)
			assert.True(t, strings.HasPrefix(g.Comment, "This game has a backwards bend"), g.Comment)
			assert.Equal(t, 2, strings.Count(g.Comment, "\n"), "a comment spanning lines")
		}},
		{"e04.nfg", func(t *testing.T, g *NormalFormGame) {
			// Data type D, strategy counts { 3 2 }, decimal payoff list.
			assert.Equal(t, []int{3, 2}, []int{g.NumStrategies(0), g.NumStrategies(1)})
			assert.Equal(t, "3", g.StrategyName(0, 2))
			pay(t, g, []int{0, 0}, 0, 0)
			pay(t, g, []int{1, 0}, -1, 2)
			pay(t, g, []int{2, 0}, -2, -2)
			pay(t, g, []int{2, 1}, 3, -1)
		}},
		{"todd3.nfg", func(t *testing.T, g *NormalFormGame) {
			// Rationals: the fifth outcome is { "" 2/7, 0 }, the sixth 3/19.
			assert.Equal(t, []int{7, 4}, []int{g.NumStrategies(0), g.NumStrategies(1)})
			pay(t, g, []int{4, 0}, 2.0/7, 0)
			pay(t, g, []int{5, 0}, 3.0/19, 0)
			pay(t, g, []int{6, 3}, 7.0/19, 1)
		}},
		{"winkels.nfg", func(t *testing.T, g *NormalFormGame) {
			// Payoff form after named strategies, with rationals 5/2.
			assert.Equal(t, []int{6, 2}, []int{g.NumStrategies(0), g.NumStrategies(1)})
			pay(t, g, []int{0, 0}, 1, 1)
			pay(t, g, []int{4, 0}, 2.5, -1)
			pay(t, g, []int{5, 1}, 5.0/2, -1)
		}},
		{"cent2.nfg", func(t *testing.T, g *NormalFormGame) {
			// Outcome payoffs without commas, no comment string,
			// strategy names with '*', indices 1 4 7 2 5 8 3 6 9.
			assert.Equal(t, "1*11", g.StrategyName(0, 0))
			assert.Equal(t, "", g.Comment)
			pay(t, g, []int{0, 0}, 0.811, 0.274)
			pay(t, g, []int{1, 0}, 0.564, 1.566)
			pay(t, g, []int{0, 1}, 0.868, 0.502)
			pay(t, g, []int{2, 2}, 12.8, 3.2)
		}},
		{"tests_test_games_2x2_bimatrix_all_zero_payoffs.nfg", func(t *testing.T, g *NormalFormGame) {
			assert.Equal(t, "Joe", g.PlayerName(0))
			assert.Equal(t, "Dan", g.PlayerName(1))
			assert.Equal(t, "cooperate", g.StrategyName(0, 0))
			assert.Equal(t, "defect", g.StrategyName(1, 0), "duplicate names are kept")
			assert.Equal(t, "defect", g.StrategyName(1, 1))
		}},
		{"5x4x3.nfg", func(t *testing.T, g *NormalFormGame) {
			require.Equal(t, 3, g.NumPlayers())
			assert.Equal(t, []int{5, 4, 3}, []int{g.NumStrategies(0), g.NumStrategies(1), g.NumStrategies(2)})
			assert.Equal(t, 60, g.NumProfiles())
			assert.Equal(t, 12, g.Dim())
			pay(t, g, []int{0, 0, 0}, 1.131, 1.21, 2.426)
			pay(t, g, []int{1, 0, 0}, 1.358, 2.234, 2.238)
		}},
		{"perfect3.nfg", func(t *testing.T, g *NormalFormGame) {
			assert.Equal(t, []int{3, 3, 1}, []int{g.NumStrategies(0), g.NumStrategies(1), g.NumStrategies(2)})
			pay(t, g, []int{1, 0, 0}, 2, 1, 1) // outcome "211"
		}},
		{"2x2x2x2x2.nfg", func(t *testing.T, g *NormalFormGame) {
			assert.Equal(t, 5, g.NumPlayers())
			assert.Equal(t, 32, g.NumProfiles())
			pay(t, g, []int{0, 0, 0, 0, 0}, 7.247, 7.362, 4.642, 4.042, 4.225)
		}},
		{"tests_test_games_2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg", func(t *testing.T, g *NormalFormGame) {
			// Counts { 2 2 2 } followed by a comment over many lines.
			assert.Contains(t, g.Comment, "local max cut instance")
			pay(t, g, []int{0, 1, 0}, 2, 4, 2) // "a b a:  2 4  2"
			pay(t, g, []int{1, 1, 0}, -1, 2, 1)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) { tc.check(t, load(t, tc.file)) })
	}
}

func TestNFGMalformedInputsGetLocatedErrors(t *testing.T) {
	const head = "NFG 1 R \"t\" { \"A\" \"B\" } { 2 2 }\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `line 1, column 1: want "NFG" (a Gambit strategic-form file starts with NFG 1 R), got end of file`},
		{"not nfg", "EFG 2 R \"t\" { }", `line 1, column 1: want "NFG" (a Gambit strategic-form file starts with NFG 1 R), got "EFG"`},
		{"version", "NFG 2 R \"t\"", `line 1, column 5: want version 1, got "2"`},
		{"data type", "NFG 1 X \"t\"", `line 1, column 7: want the data type "R" or "D", got "X"`},
		{"no title", "NFG 1 R { \"A\" }", `line 1, column 9: want the title (a quoted string), got "{"`},
		{"empty player list", "NFG 1 R \"t\" { } { }", `line 1, column 15: the list of players is empty, want at least one player`},
		{"unquoted player", "NFG 1 R \"t\" { A }", `line 1, column 15: want a player name (a quoted string) or "}", got "A"`},
		{"negative strategy count", "NFG 1 R \"t\" { \"A\" \"B\" } { 2 -1 }", `line 1, column 29: player 2's strategy count is "-1", want a positive integer`},
		{"zero strategy count", "NFG 1 R \"t\" { \"A\" } { 0 }", `line 1, column 23: player 1's strategy count is "0", want a positive integer`},
		{"fractional strategy count", "NFG 1 R \"t\" { \"A\" } { 1.5 }", `line 1, column 23: player 1's strategy count is "1.5", want a positive integer`},
		{"too few counts", "NFG 1 R \"t\" { \"A\" \"B\" } { 2 }", `line 1, column 29: 1 strategy counts for 2 players`},
		{"too many counts", "NFG 1 R \"t\" { \"A\" } { 2 2 }", `line 1, column 25: more strategy counts than the 1 players`},
		{"empty strategy list", "NFG 1 R \"t\" { \"A\" \"B\" } { { \"x\" } { } }", `line 1, column 37: player 2 has no strategies, want at least one`},
		{"too few strategy lists", "NFG 1 R \"t\" { \"A\" \"B\" } { { \"x\" } }", `line 1, column 35: 1 strategy lists for 2 players`},
		{"huge game", "NFG 1 R \"t\" { \"A\" \"B\" } { 100000 100000 }", `line 1, column 41: the game has more than 67108864 pure profiles`},
		{"bad number", head + "1 2\n3 x", `line 3, column 3: want a number, got "x"`},
		{"number with junk", head + "1 2 3e", `line 2, column 5: want a number, got "3e"`},
		{"NaN", head + "1 NaN 3", `line 2, column 3: want a number, got "NaN"`},
		{"Inf", head + "1 2 -Inf", `line 2, column 5: want a number, got "-Inf"`},
		{"overflow", head + "1 1e999", `line 2, column 3: "1e999" is beyond the float64 range`},
		{"rational overflow", head + "1 " + strings.Repeat("9", 400) + "/1", `line 2, column 3: "` + strings.Repeat("9", 40) + `…" is beyond the float64 range`},
		{"division by zero", head + "1 3/0", `line 2, column 3: "3/0" divides by zero`},
		{"too few payoffs", head + "1 2 3 4 5 6 7\n", `line 3, column 1: the payoff list has 7 numbers, want 8 (2 players × 4 profiles)`},
		{"too many payoffs", head + "1 2 3 4 5 6 7 8 9", `line 2, column 17: the payoff list has more than 8 numbers (2 players × 4 profiles)`},
		{"trailing junk", head + "1 2 3 4 5 6 7 8 }", `line 2, column 17: want end of file after the payoff list, got "}"`},
		{"truncated header", "NFG 1 R \"t\" { \"A\" \"B\" } { 2", `line 1, column 28: want a strategy count or "}", got end of file`},
		{"unterminated string", "NFG 1 R \"t\" { \"A\" \"B } { 2 2 }\n1 2", `line 1, column 19: string opened here is not closed before the end of file`},
		{"no body", head, `line 2, column 1: want the payoffs: a number (payoff form) or "{" (outcome form), got end of file`},
		{"outcome with too few payoffs", head + "{ { \"o\" 1 } }\n1 1 1 1", `line 2, column 11: outcome 1 has 1 payoffs, want 2 (one per player)`},
		{"outcome with too many payoffs", head + "{ { \"o\" 1, 2, 3 } }\n1 1 1 1", `line 2, column 15: want "}" to close outcome 1 after its 2 payoffs, got "3"`},
		{"outcome without name", head + "{ { 1 2 } }\n1 1 1 1", `line 2, column 5: want the name of outcome 1 (a quoted string), got "1"`},
		{"outcome bad payoff", head + "{ { \"o\" 1, x } }\n1 1 1 1", `line 2, column 12: want a number (payoff 2 of outcome 1), got "x"`},
		{"undefined outcome", head + "{ { \"o\" 1 2 } }\n1 0 2 1", `line 3, column 5: outcome 2 is not defined (1 outcomes; 0 is the null outcome)`},
		{"negative outcome", head + "{ { \"o\" 1 2 } }\n1 -1 1 1", `line 3, column 3: want an outcome index (an integer ≥ 0), got "-1"`},
		{"too few outcome indices", head + "{ { \"o\" 1 2 } }\n1 1 1", `line 3, column 6: 3 outcome indices, want 4 (one per pure profile)`},
		{"too many outcome indices", head + "{ { \"o\" 1 2 } }\n1 1 1 1 1", `line 3, column 9: want end of file after the 4 outcome indices, got "1"`},
		{"truncated outcomes", head + "{ { \"o\" 1 2 }", `line 2, column 14: want "{" to open an outcome or "}" to close the outcomes, got end of file`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ReadNFG(strings.NewReader(tc.in))
			require.Error(t, err)
			assert.Nil(t, g)
			assert.Equal(t, "games: ReadNFG: "+tc.want, err.Error())
			var e *NFGError
			require.True(t, errors.As(err, &e))
			assert.Positive(t, e.Line)
		})
	}
}

func TestNFGStringsNumbersAndLayout(t *testing.T) {
	// Escaped quotes and backslashes, CRLF line ends, tabs, a byte-order
	// mark, a UTF-8 title, all number syntaxes, one line per token.
	in := "\xEF\xBB\xBFNFG\r\n1\tR \"A \\\"quoted\\\" title ∑ \\\\ and \\n\"\r\n" +
		"{ \"P \\\"1\\\"\" \"P2\" }\r\n{ { \"a\" \"b\" \"c\" }\n{ \"d\" } }\r\n\"\"\n" +
		"3/2 -1/3\n.5 -2.\n+1e2\n-0\n"
	g, err := ReadNFG(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, `A "quoted" title ∑ \ and \n`, g.Title)
	assert.Equal(t, `P "1"`, g.PlayerName(0))
	assert.Equal(t, "b", g.StrategyName(0, 1))
	want := []float64{1.5, -1.0 / 3, 0.5, -2, 100, math.Copysign(0, -1)}
	require.Len(t, g.Payoffs(), len(want))
	for k, w := range want {
		assert.Equal(t, math.Float64bits(w), math.Float64bits(g.Payoffs()[k]), "payoff %d", k)
	}
	// Columns count characters, not bytes: the error after "∑" is placed
	// one column per character.
	_, err = ReadNFG(strings.NewReader("NFG 1 R \"∑∑\" { \"A\" } { 1 } ∑"))
	require.Error(t, err)
	assert.Equal(t, `games: ReadNFG: line 1, column 28: want a number, got "∑"`, err.Error())

	// Awkward floats survive a write and a read bit for bit.
	odd := []float64{0.1, 1.0 / 3, 1e-300, 5e-324, math.Copysign(0, -1), math.MaxFloat64, -math.SmallestNonzeroFloat64, 123456789012345680000, 2.5e-7}
	g, err = NewNormalFormGame([]int{len(odd)}, odd)
	require.NoError(t, err)
	g.Title = "back\\slash \"and\" quote"
	g.Comment = "line one\nline two"
	require.NoError(t, g.SetPlayerNames([]string{`\`}))
	require.NoError(t, g.SetStrategyNames(0, []string{"x", "", "\"", "y", "z", "1", "2", "3", "4"}))
	var buf bytes.Buffer
	require.NoError(t, WriteNFG(&buf, g))
	back, err := ReadNFG(&buf)
	require.NoError(t, err)
	nfgRequireSameGame(t, g, back)
}

func TestNFGWriteFormat(t *testing.T) {
	g, err := NewNormalFormGame([]int{2, 2}, []float64{9, 9, 10, 0, 0, 10, 1, 1})
	require.NoError(t, err)
	g.Title = "PD"
	var buf bytes.Buffer
	require.NoError(t, WriteNFG(&buf, g))
	assert.Equal(t, "NFG 1 R \"PD\" { \"Player 1\" \"Player 2\" } { 2 2 }\n\"\"\n\n9 9\n10 0\n0 10\n1 1\n", buf.String())
	require.NoError(t, g.SetStrategyNames(1, []string{"C", "D"}))
	buf.Reset()
	require.NoError(t, WriteNFGOutcomes(&buf, g))
	assert.Equal(t, "NFG 1 R \"PD\" { \"Player 1\" \"Player 2\" }\n\n{ { \"1\" \"2\" }\n { \"C\" \"D\" }\n}\n\"\"\n\n"+
		"{\n{ \"\" 9, 9 }\n{ \"\" 10, 0 }\n{ \"\" 0, 10 }\n{ \"\" 1, 1 }\n}\n1 2 3 4\n", buf.String())
}

func TestNFGLoadNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.nfg")
	require.NoError(t, os.WriteFile(path, []byte("NFG 1 R \"t\" { \"A\" } { 2 }\n1 x\n"), 0o644))
	_, err := LoadNFG(path)
	require.Error(t, err)
	assert.Equal(t, "games: LoadNFG: "+path+": line 2, column 3: want a number, got \"x\"", err.Error())

	_, err = LoadNFG(filepath.Join(dir, "missing.nfg"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, fs.ErrNotExist))
	assert.Contains(t, err.Error(), "games: LoadNFG: ")
}

// nfgFailingReader fails after its text.
type nfgFailingReader struct{ text string }

func (r *nfgFailingReader) Read(p []byte) (int, error) {
	if r.text == "" {
		return 0, errors.New("disk on fire")
	}
	n := copy(p, r.text)
	r.text = r.text[n:]
	return n, nil
}

func TestNFGReadErrorIsReported(t *testing.T) {
	_, err := ReadNFG(&nfgFailingReader{text: "NFG 1 R \"t\" { \"A\" } { 2 }\n1"})
	require.Error(t, err)
	assert.Equal(t, "games: ReadNFG: line 2, column 2: read failed: disk on fire", err.Error())
}
