package games

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
)

// FuzzReadNFG feeds ReadNFG arbitrary input, seeded with the Gambit
// catalog and malformed variants. It must never panic, and every game it
// returns must have N·Π n_i finite payoffs and survive a write and a read
// unchanged. Run it with go test -run '^$' -fuzz FuzzReadNFG ./games.
func FuzzReadNFG(f *testing.F) {
	for _, path := range nfgFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	for _, s := range []string{
		"", "NFG", "NFG 1 R \"", "NFG 1 R \"t\" { \"A\" } { 1 }\n1",
		"NFG 1 R \"t\" { \"A\" \"B\" } { 2 -1 }\n",
		"NFG 1 R \"t\" { \"A\" \"B\" } { { \"a\" } { \"b\" } }\n{ { \"o\" 1, 2 } }\n0",
		"NFG 1 R \"t\\\\\" { \"A\\\"\" } { 3 }\n1/3 2.5e-3 -0",
		"NFG 1 D \"t\" { \"A\" } { 99999999999999999999 }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ReadNFG(bytes.NewReader(data))
		if err != nil {
			if g != nil {
				t.Fatal("a game returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "games: ReadNFG: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		profiles := 1
		for i := 0; i < g.NumPlayers(); i++ {
			if g.NumStrategies(i) < 1 {
				t.Fatalf("player %d has %d strategies", i, g.NumStrategies(i))
			}
			profiles *= g.NumStrategies(i)
		}
		if profiles != g.NumProfiles() || len(g.Payoffs()) != g.NumPlayers()*profiles {
			t.Fatalf("%d payoffs for %d players and %d profiles", len(g.Payoffs()), g.NumPlayers(), profiles)
		}
		for _, v := range g.Payoffs() {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("payoff %v", v)
			}
		}
		var buf bytes.Buffer
		if err := WriteNFG(&buf, g); err != nil {
			t.Fatal(err)
		}
		back, err := ReadNFG(&buf)
		if err != nil {
			t.Fatalf("reading what WriteNFG wrote: %v", err)
		}
		if back.Title != g.Title || back.Comment != g.Comment || back.NumPlayers() != g.NumPlayers() {
			t.Fatal("header changed in a round trip")
		}
		for i := 0; i < g.NumPlayers(); i++ {
			if back.PlayerName(i) != g.PlayerName(i) || back.NumStrategies(i) != g.NumStrategies(i) {
				t.Fatalf("player %d changed in a round trip", i)
			}
			for s := 0; s < g.NumStrategies(i); s++ {
				if back.StrategyName(i, s) != g.StrategyName(i, s) {
					t.Fatalf("strategy %d of player %d changed in a round trip", s, i)
				}
			}
		}
		for k, v := range g.Payoffs() {
			if math.Float64bits(v) != math.Float64bits(back.Payoffs()[k]) {
				t.Fatalf("payoff %d: %v became %v", k, v, back.Payoffs()[k])
			}
		}
	})
}
