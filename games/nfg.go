package games

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"
)

// The Gambit .nfg format, as implemented here (checked against the Gambit
// documentation, "Game representation formats": "The strategic game (.nfg)
// file format, payoff version" and "…, outcome version", and against the
// 60 files of Gambit's game catalog in testdata/nfg):
//
//	NFG 1 R "title" { "player" … } STRATEGIES ["comment"] BODY
//
// The version must be 1; the data-type letter R or D (an obsolete
// distinction: every number is read as a real either way). STRATEGIES is
// either a list of positive counts, { 3 2 }, or one list of quoted
// strategy names per player, { { "U" "D" } { "L" "R" } }. BODY decides the
// form:
//
//   - payoff form: a flat list of N·Π n_i numbers, the payoffs of all
//     players at each pure profile, profiles with player 1's strategy
//     changing fastest (NormalFormGame's order);
//   - outcome form: a list of outcomes { { "name" u_1, u_2, … } … } (the
//     commas between payoffs are optional), then one outcome index per
//     pure profile in the same order; 0 is the null outcome, zero payoffs
//     to all.
//
// Whitespace (space, tab, newline, carriage return, vertical tab, form
// feed) separates tokens and is otherwise insignificant; a quoted string
// may span lines and writes a quote as \" and a backslash as \\ (any other
// backslash stands for itself, as in Gambit's reader). The format has no
// comment syntax besides the comment string after the strategies. Numbers
// are integers, decimals with an optional exponent (1.5, -.25, 3e-2) or
// rationals p/q of integers (3/2), converted to the nearest float64; NaN,
// infinities and values beyond the float64 range are errors. Nothing but
// whitespace may follow the body.

// An NFGError is a problem in .nfg input, with its place (1-based line and
// column, the column counting characters) when it has one.
type NFGError struct {
	// Path is the file name for LoadNFG, "" for ReadNFG.
	Path string
	// Line and Column locate the problem; 0 when it has no place.
	Line, Column int
	// Msg says what is wrong.
	Msg string
	// Err is the underlying read error, if any.
	Err error
}

// Error returns "games: ReadNFG: line L, column C: MSG", or with LoadNFG
// and the file name in place of ReadNFG.
func (e *NFGError) Error() string {
	var b strings.Builder
	if e.Path == "" {
		b.WriteString("games: ReadNFG: ")
	} else {
		b.WriteString("games: LoadNFG: ")
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying read error.
func (e *NFGError) Unwrap() error { return e.Err }

// LoadNFG reads the .nfg file at path (ReadNFG); its errors name the file.
func LoadNFG(path string) (*NormalFormGame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("games: LoadNFG: %w", err)
	}
	defer f.Close()
	g, err := ReadNFG(f)
	var e *NFGError
	if errors.As(err, &e) {
		e.Path = path
	}
	return g, err
}

// ReadNFG reads a game in Gambit's .nfg format, payoff or outcome form
// (see the format notes in nfg.go and the Gambit documentation). Errors
// are *NFGError values that give the line and column and say what was
// expected, such as
//
//	games: ReadNFG: line 3, column 14: want a number, got "x"
//
// It never returns a game whose payoff count disagrees with its strategy
// counts, and never panics. Games with more than 2²⁶ payoffs are refused.
func ReadNFG(r io.Reader) (*NormalFormGame, error) {
	p := &nfgParser{lx: nfgLexer{r: bufio.NewReader(r), line: 1, col: 1}}
	g, err := p.parse()
	if err != nil {
		return nil, err
	}
	return g, nil
}

// nfgKind is a token kind.
type nfgKind int

const (
	nfgEOF nfgKind = iota
	nfgLBrace
	nfgRBrace
	nfgComma
	nfgString
	nfgWord // any other run of characters: numbers, NFG, R, …
)

type nfgToken struct {
	kind      nfgKind
	text      string
	line, col int
}

// describe renders a token for "got …" in messages.
func (t nfgToken) describe() string {
	switch t.kind {
	case nfgEOF:
		return "end of file"
	case nfgLBrace:
		return `"{"`
	case nfgRBrace:
		return `"}"`
	case nfgComma:
		return `","`
	case nfgString:
		s := t.text
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return "the string " + strconv.Quote(s)
	}
	s := t.text
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// nfgLexer splits .nfg input into tokens, counting lines and columns.
type nfgLexer struct {
	r         *bufio.Reader
	line, col int
	err       *NFGError // a read or string error, reported once
	started   bool
}

// next returns the next byte and advances the position; ok is false at
// the end of input or on a read error (then lx.err is set).
func (lx *nfgLexer) next() (c byte, ok bool) {
	c, err := lx.r.ReadByte()
	if err != nil {
		if err != io.EOF && lx.err == nil {
			lx.err = &NFGError{Line: lx.line, Column: lx.col, Msg: "read failed", Err: err}
		}
		return 0, false
	}
	switch {
	case c == '\n':
		lx.line++
		lx.col = 1
	case c&0xC0 != 0x80: // not a UTF-8 continuation byte: a new character
		lx.col++
	}
	return c, true
}

// peek returns the next byte without consuming it.
func (lx *nfgLexer) peek() (byte, bool) {
	b, err := lx.r.Peek(1)
	if err != nil {
		if err != io.EOF && lx.err == nil {
			lx.err = &NFGError{Line: lx.line, Column: lx.col, Msg: "read failed", Err: err}
		}
		return 0, false
	}
	return b[0], true
}

func nfgSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// token returns the next token.
func (lx *nfgLexer) token() (nfgToken, error) {
	if !lx.started {
		lx.started = true
		if b, err := lx.r.Peek(3); err == nil && string(b) == "\xEF\xBB\xBF" {
			lx.r.Discard(3) // a UTF-8 byte-order mark
		}
	}
	for {
		c, ok := lx.peek()
		if !ok {
			if lx.err != nil {
				return nfgToken{}, lx.err
			}
			return nfgToken{kind: nfgEOF, line: lx.line, col: lx.col}, nil
		}
		if !nfgSpace(c) {
			break
		}
		lx.next()
	}
	t := nfgToken{line: lx.line, col: lx.col}
	c, _ := lx.next()
	switch c {
	case '{':
		t.kind = nfgLBrace
	case '}':
		t.kind = nfgRBrace
	case ',':
		t.kind = nfgComma
	case '"':
		t.kind = nfgString
		var b strings.Builder
		for {
			c, ok := lx.next()
			if !ok {
				if lx.err != nil {
					return t, lx.err
				}
				return t, &NFGError{Line: t.line, Column: t.col, Msg: "string opened here is not closed before the end of file"}
			}
			if c == '"' {
				break
			}
			if c == '\\' {
				if d, ok := lx.peek(); ok && (d == '"' || d == '\\') {
					lx.next()
					c = d
				}
			}
			b.WriteByte(c)
		}
		t.text = b.String()
	default:
		t.kind = nfgWord
		var b strings.Builder
		b.WriteByte(c)
		for {
			d, ok := lx.peek()
			if !ok || nfgSpace(d) || d == '{' || d == '}' || d == ',' || d == '"' {
				break
			}
			lx.next()
			b.WriteByte(d)
		}
		t.text = b.String()
		if lx.err != nil {
			return t, lx.err
		}
	}
	return t, nil
}

// nfgParser reads one game.
type nfgParser struct {
	lx  nfgLexer
	tok nfgToken // the current token
}

// advance moves to the next token.
func (p *nfgParser) advance() error {
	t, err := p.lx.token()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// errAt returns an error placed at t.
func (p *nfgParser) errAt(t nfgToken, format string, args ...any) error {
	return &NFGError{Line: t.line, Column: t.col, Msg: fmt.Sprintf(format, args...)}
}

// want returns an error placed at the current token: want WHAT, got TOKEN.
func (p *nfgParser) want(what string) error {
	return p.errAt(p.tok, "want %s, got %s", what, p.tok.describe())
}

// expect checks the current token's kind and moves past it.
func (p *nfgParser) expect(k nfgKind, what string) error {
	if p.tok.kind != k {
		return p.want(what)
	}
	return p.advance()
}

func (p *nfgParser) parse() (*NormalFormGame, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != nfgWord || p.tok.text != "NFG" {
		return nil, p.want(`"NFG" (a Gambit strategic-form file starts with NFG 1 R)`)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != nfgWord || p.tok.text != "1" {
		return nil, p.want("version 1")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != nfgWord || (p.tok.text != "R" && p.tok.text != "D") {
		return nil, p.want(`the data type "R" or "D"`)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != nfgString {
		return nil, p.want("the title (a quoted string)")
	}
	title := p.tok.text
	if err := p.advance(); err != nil {
		return nil, err
	}

	// Players.
	if err := p.expect(nfgLBrace, `"{" to open the list of players`); err != nil {
		return nil, err
	}
	var players []string
	for p.tok.kind == nfgString {
		players = append(players, p.tok.text)
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if p.tok.kind != nfgRBrace {
		return nil, p.want(`a player name (a quoted string) or "}"`)
	}
	if len(players) == 0 {
		return nil, p.errAt(p.tok, "the list of players is empty, want at least one player")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	n := len(players)

	// Strategies: counts or named lists.
	if err := p.expect(nfgLBrace, `"{" to open the strategies`); err != nil {
		return nil, err
	}
	counts := make([]int, 0, min(n, 1<<16))
	var names [][]string
	if p.tok.kind == nfgLBrace {
		names = make([][]string, 0, min(n, 1<<16))
		for p.tok.kind == nfgLBrace {
			open := p.tok
			if len(names) == n {
				return nil, p.errAt(open, "more strategy lists than the %d players", n)
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
			var list []string
			for p.tok.kind == nfgString {
				list = append(list, p.tok.text)
				if err := p.advance(); err != nil {
					return nil, err
				}
			}
			if p.tok.kind != nfgRBrace {
				return nil, p.want(`a strategy name (a quoted string) or "}"`)
			}
			if len(list) == 0 {
				return nil, p.errAt(p.tok, "player %d has no strategies, want at least one", len(names)+1)
			}
			names = append(names, list)
			counts = append(counts, len(list))
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if p.tok.kind != nfgRBrace {
			return nil, p.want(`"{" or "}" in the list of strategy lists`)
		}
		if len(names) != n {
			return nil, p.errAt(p.tok, "%d strategy lists for %d players", len(names), n)
		}
	} else {
		for p.tok.kind == nfgWord {
			if len(counts) == n {
				return nil, p.errAt(p.tok, "more strategy counts than the %d players", n)
			}
			c, err := strconv.Atoi(p.tok.text)
			if err != nil || c < 1 {
				return nil, p.errAt(p.tok, "player %d's strategy count is %s, want a positive integer", len(counts)+1, p.tok.describe())
			}
			counts = append(counts, c)
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if p.tok.kind != nfgRBrace {
			return nil, p.want(`a strategy count or "}"`)
		}
		if len(counts) != n {
			return nil, p.errAt(p.tok, "%d strategy counts for %d players", len(counts), n)
		}
	}
	g, err := nfgNewGame(counts)
	if err != nil {
		return nil, p.errAt(p.tok, "%v", err)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	g.Title = title
	copy(g.players, players)
	for i, list := range names {
		if !nfgDefaultNames(list) {
			g.strategies[i] = list
		}
	}
	if p.tok.kind == nfgString {
		g.Comment = p.tok.text
		if err := p.advance(); err != nil {
			return nil, err
		}
	}

	switch p.tok.kind {
	case nfgLBrace:
		err = p.outcomes(g)
	case nfgWord:
		err = p.payoffList(g)
	default:
		return nil, p.want(`the payoffs: a number (payoff form) or "{" (outcome form)`)
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// nfgDefaultNames reports whether list is "1", …, "n".
func nfgDefaultNames(list []string) bool {
	for s, name := range list {
		if name != strconv.Itoa(s+1) {
			return false
		}
	}
	return true
}

// number parses the current token as a payoff.
func (p *nfgParser) number(what string) (float64, error) {
	if p.tok.kind != nfgWord {
		return 0, p.want(what)
	}
	v, msg := nfgParseNumber(p.tok.text)
	if msg != "" {
		if msg == "syntax" {
			return 0, p.want(what)
		}
		return 0, p.errAt(p.tok, "%s %s", p.tok.describe(), msg)
	}
	return v, nil
}

// payoffList reads the body of the payoff form.
func (p *nfgParser) payoffList(g *NormalFormGame) error {
	n := len(g.counts)
	want := n * g.profiles
	pay := make([]float64, 0, min(want, 1<<16))
	for p.tok.kind != nfgEOF {
		if len(pay) == want {
			if p.tok.kind == nfgWord {
				return p.errAt(p.tok, "the payoff list has more than %d numbers (%d players × %d profiles)", want, n, g.profiles)
			}
			return p.want("end of file after the payoff list")
		}
		v, err := p.number("a number")
		if err != nil {
			return err
		}
		pay = append(pay, v)
		if err := p.advance(); err != nil {
			return err
		}
	}
	if len(pay) != want {
		return p.errAt(p.tok, "the payoff list has %d numbers, want %d (%d players × %d profiles)", len(pay), want, n, g.profiles)
	}
	g.payoffs = pay
	return nil
}

// outcomes reads the body of the outcome form.
func (p *nfgParser) outcomes(g *NormalFormGame) error {
	n := len(g.counts)
	if err := p.advance(); err != nil { // the outer "{"
		return err
	}
	var table []float64 // outcome k (1-based) at table[(k−1)·n:]
	for p.tok.kind == nfgLBrace {
		k := len(table)/n + 1
		if err := p.advance(); err != nil {
			return err
		}
		if p.tok.kind != nfgString {
			return p.want(fmt.Sprintf("the name of outcome %d (a quoted string)", k))
		}
		if err := p.advance(); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if p.tok.kind == nfgRBrace {
				return p.errAt(p.tok, "outcome %d has %d payoffs, want %d (one per player)", k, i, n)
			}
			v, err := p.number(fmt.Sprintf("a number (payoff %d of outcome %d)", i+1, k))
			if err != nil {
				return err
			}
			table = append(table, v)
			if err := p.advance(); err != nil {
				return err
			}
			if p.tok.kind == nfgComma {
				if err := p.advance(); err != nil {
					return err
				}
			}
		}
		if p.tok.kind != nfgRBrace {
			return p.want(fmt.Sprintf(`"}" to close outcome %d after its %d payoffs`, k, n))
		}
		if err := p.advance(); err != nil {
			return err
		}
	}
	if err := p.expect(nfgRBrace, `"{" to open an outcome or "}" to close the outcomes`); err != nil {
		return err
	}
	defined := len(table) / n
	idx := make([]int, 0, min(g.profiles, 1<<16))
	for p.tok.kind != nfgEOF {
		if len(idx) == g.profiles {
			return p.want(fmt.Sprintf("end of file after the %d outcome indices", g.profiles))
		}
		k, err := strconv.Atoi(p.tok.text)
		if p.tok.kind != nfgWord || err != nil || k < 0 {
			return p.want("an outcome index (an integer ≥ 0)")
		}
		if k > defined {
			return p.errAt(p.tok, "outcome %d is not defined (%d outcomes; 0 is the null outcome)", k, defined)
		}
		idx = append(idx, k)
		if err := p.advance(); err != nil {
			return err
		}
	}
	if len(idx) != g.profiles {
		return p.errAt(p.tok, "%d outcome indices, want %d (one per pure profile)", len(idx), g.profiles)
	}
	g.payoffs = make([]float64, n*g.profiles)
	for q, k := range idx {
		if k > 0 {
			copy(g.payoffs[q*n:q*n+n], table[(k-1)*n:k*n])
		}
	}
	return nil
}

// nfgParseNumber parses an .nfg number: [+-] digits [. digits] [e [+-]
// digits] (a digit on at least one side of the point) or [+-] digits /
// digits. msg is "" on success, "syntax" when s is not a number at all,
// or says why the number is unusable.
func nfgParseNumber(s string) (v float64, msg string) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	whole := digits()
	if i < len(s) && s[i] == '/' {
		i++
		if whole == 0 || digits() == 0 || i != len(s) {
			return 0, "syntax"
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			return 0, "divides by zero"
		}
		v, _ = r.Float64()
		if math.IsInf(v, 0) {
			return 0, "is beyond the float64 range"
		}
		return v, ""
	}
	frac := 0
	if i < len(s) && s[i] == '.' {
		i++
		frac = digits()
	}
	if whole+frac == 0 {
		return 0, "syntax"
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return 0, "syntax"
		}
	}
	if i != len(s) {
		return 0, "syntax"
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, "is beyond the float64 range"
	}
	return v, ""
}

// WriteNFG writes g in Gambit's .nfg payoff form: the header with the
// title, the player names and either the strategy counts ({ 2 2 }, when
// every player's strategies have the default names "1", …, "n_i") or the
// strategy names, the comment, then one line per pure profile with every
// player's payoff, player 1's strategy changing fastest. Payoffs are
// written with strconv's shortest round-trip formatting ('g', −1), so
// ReadNFG gives back bit-identical values (exponents such as 1e+21 may
// appear); strings escape " and \ with a backslash. The data type is
// always R, as the Gambit documentation asks of new files. (Gambit's own
// reader takes \\ as two backslashes, so names containing a backslash do
// not survive a trip through Gambit; nothing else is affected.)
func WriteNFG(w io.Writer, g *NormalFormGame) error {
	bw := bufio.NewWriter(w)
	nfgHeader(bw, g)
	n := len(g.counts)
	var buf []byte
	for q := 0; q < g.profiles; q++ {
		buf = buf[:0]
		for i, v := range g.payoffs[q*n : q*n+n] {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("games: WriteNFG: %w", err)
	}
	return nil
}

// WriteNFGOutcomes writes g in Gambit's .nfg outcome form: the header as
// WriteNFG writes it, one unnamed outcome per distinct payoff vector
// (compared bit for bit), in order of first appearance, then the outcome
// index of every pure profile. Outcome names are not kept by
// NormalFormGame, so they are written as "". ReadNFG gives back the same
// game.
func WriteNFGOutcomes(w io.Writer, g *NormalFormGame) error {
	bw := bufio.NewWriter(w)
	nfgHeader(bw, g)
	n := len(g.counts)
	index := make(map[string]int)
	idx := make([]int, g.profiles)
	key := make([]byte, 8*n)
	var buf []byte
	bw.WriteString("{\n")
	for q := range idx {
		u := g.payoffs[q*n : q*n+n]
		for i, v := range u {
			b := math.Float64bits(v)
			for k := 0; k < 8; k++ {
				key[8*i+k] = byte(b >> (8 * k))
			}
		}
		k, ok := index[string(key)]
		if !ok {
			k = len(index) + 1
			index[string(key)] = k
			buf = append(buf[:0], `{ ""`...)
			for i, v := range u {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, ' ')
				buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
			}
			buf = append(buf, " }\n"...)
			bw.Write(buf)
		}
		idx[q] = k
	}
	bw.WriteString("}\n")
	for q, k := range idx {
		if q > 0 {
			bw.WriteByte(' ')
		}
		bw.WriteString(strconv.Itoa(k))
	}
	bw.WriteByte('\n')
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("games: WriteNFGOutcomes: %w", err)
	}
	return nil
}

// nfgHeader writes everything before the body.
func nfgHeader(w *bufio.Writer, g *NormalFormGame) {
	w.WriteString("NFG 1 R ")
	nfgQuote(w, g.Title)
	w.WriteString(" {")
	for _, name := range g.players {
		w.WriteByte(' ')
		nfgQuote(w, name)
	}
	w.WriteString(" }")
	named := false
	for _, s := range g.strategies {
		named = named || s != nil
	}
	if !named {
		w.WriteString(" {")
		for _, c := range g.counts {
			w.WriteByte(' ')
			w.WriteString(strconv.Itoa(c))
		}
		w.WriteString(" }\n")
	} else {
		w.WriteString("\n\n{")
		for i, c := range g.counts {
			w.WriteString(" {")
			for s := 0; s < c; s++ {
				w.WriteByte(' ')
				nfgQuote(w, g.StrategyName(i, s))
			}
			w.WriteString(" }\n")
		}
		w.WriteString("}\n")
	}
	nfgQuote(w, g.Comment)
	w.WriteString("\n\n")
}

// nfgQuote writes s as an .nfg string.
func nfgQuote(w *bufio.Writer, s string) {
	w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			w.WriteByte('\\')
		}
		w.WriteByte(s[i])
	}
	w.WriteByte('"')
}
