package rl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/saddlepoint/saddle/internal/textpos"
)

// cmdpFile is the CMDP JSON format (SPEC.md "File formats"). Pointers and
// nil slices tell a missing field from a zero one.
type cmdpFile struct {
	States      *int             `json:"states"`
	Actions     *int             `json:"actions"`
	Discount    *float64         `json:"discount"`
	Initial     []float64        `json:"initial"`
	Transitions [][][]float64    `json:"transitions"`
	Reward      [][]float64      `json:"reward"`
	Constraints []constraintFile `json:"constraints"`
}

type constraintFile struct {
	Cost      [][]float64 `json:"cost"`
	Threshold *float64    `json:"threshold"`
}

var (
	cmdpFields       = []string{"states", "actions", "discount", "initial", "transitions", "reward", "constraints"}
	constraintFields = []string{"cost", "threshold"}
)

// LoadJSON reads the file at path with ReadJSON; errors name the file.
func LoadJSON(path string) (*MDP, []Constraint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("rl: %w", err)
	}
	defer f.Close()
	m, cons, err := ReadJSON(f)
	if err != nil {
		var in ErrInput
		if errors.As(err, &in) {
			in.File = path
			return nil, nil, in
		}
		return nil, nil, fmt.Errorf("rl: %s: %w", path, err)
	}
	return m, cons, nil
}

// ReadJSON reads one MDP with its cost constraints in the CMDP JSON format
//
//	{"states": S, "actions": A, "discount": γ, "initial": [S],
//	 "transitions": [S][A][S], "reward": [S][A],
//	 "constraints": [{"cost": [S][A], "threshold": b}, …]}
//
// where transitions[s][a][s′] = P(s′ | s, a), values are discounted sums
// from the initial distribution (not normalized by 1 − γ) and a constraint
// holds when V_c(π) ≤ b. "constraints" may be missing or empty (a plain
// MDP); every other field is required, and no other field is allowed.
//
// Every error is an ErrInput naming the value and its line and column:
// syntax errors, values of the wrong JSON type, unknown or missing fields,
// wrong shapes and the checks of NewMDP and CheckConstraints, as in
//
//	rl: line 7, column 12: transitions[2][1] sums to 0.9, want 1 (tolerance 1e-9)
func ReadJSON(r io.Reader) (*MDP, []Constraint, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("rl: reading: %w", err)
	}
	m, cons, err := parseCMDP(data)
	if err != nil {
		var in ErrInput
		if errors.As(err, &in) && in.Line == 0 && in.Path != "" {
			in.Line, in.Column = textpos.Position(data, locate(data, in.Path))
			return nil, nil, in
		}
		return nil, nil, err
	}
	return m, cons, nil
}

// parseCMDP decodes and checks data. Errors without a position are
// located by ReadJSON from their Path.
func parseCMDP(data []byte) (*MDP, []Constraint, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, ErrInput{Msg: "empty input, want a CMDP object"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var f cmdpFile
	if err := dec.Decode(&f); err != nil {
		return nil, nil, decodeError(data, err)
	}
	if off := valueStart(data, dec.InputOffset()); off < int64(len(data)) {
		line, col := textpos.Position(data, off)
		return nil, nil, ErrInput{Line: line, Column: col, Msg: "unexpected data after the CMDP object"}
	}
	if err := unknownFields(data); err != nil {
		return nil, nil, err
	}
	switch {
	case f.States == nil:
		return nil, nil, inputErr("states", "is missing or null")
	case f.Actions == nil:
		return nil, nil, inputErr("actions", "is missing or null")
	case f.Discount == nil:
		return nil, nil, inputErr("discount", "is missing or null")
	case f.Initial == nil:
		return nil, nil, inputErr("initial", "is missing or null")
	case f.Transitions == nil:
		return nil, nil, inputErr("transitions", "is missing or null")
	case f.Reward == nil:
		return nil, nil, inputErr("reward", "is missing or null")
	}
	m, err := NewMDP(*f.States, *f.Actions, *f.Discount, f.Initial, f.Transitions, f.Reward)
	if err != nil {
		return nil, nil, err
	}
	var cons []Constraint
	for k, c := range f.Constraints {
		field := fmt.Sprintf("constraints[%d]", k)
		switch {
		case c.Cost == nil:
			return nil, nil, inputErr(field+".cost", "is missing or null")
		case c.Threshold == nil:
			return nil, nil, inputErr(field+".threshold", "is missing or null")
		case len(c.Cost) != m.states:
			return nil, nil, inputErr(field+".cost", "has %d rows, want %d (states)", len(c.Cost), m.states)
		}
		cost := make([]float64, 0, m.Size())
		for s, row := range c.Cost {
			if len(row) != m.actions {
				return nil, nil, inputErr(index1(field+".cost", s), "has %d entries, want %d (actions)", len(row), m.actions)
			}
			cost = append(cost, row...)
		}
		cons = append(cons, Constraint{Cost: cost, Threshold: *c.Threshold})
	}
	if err := m.CheckConstraints(cons); err != nil {
		return nil, nil, err
	}
	return m, cons, nil
}

// decodeError turns an error of encoding/json into a located ErrInput.
func decodeError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := textpos.Position(data, max(syn.Offset-1, 0)) // Offset is just past the bad byte
		return ErrInput{Line: line, Column: col, Msg: "invalid JSON: " + strings.TrimPrefix(syn.Error(), "json: ")}
	case errors.As(err, &typ):
		start := tokenStart(data, typ.Offset)
		line, col := textpos.Position(data, start)
		path, ok := pathAt(data, start)
		if !ok {
			path = typ.Field
		}
		if path == "" {
			return ErrInput{Line: line, Column: col, Msg: fmt.Sprintf("the document is %s, want a CMDP object", jsonKind(typ.Value))}
		}
		msg := fmt.Sprintf("is %s, want %s", jsonKind(typ.Value), goKind(typ.Type.Kind().String()))
		if strings.HasPrefix(typ.Value, "number") && typ.Type.Kind().String() == "float64" {
			msg = fmt.Sprintf("= %s is out of the range of float64", strings.TrimPrefix(typ.Value, "number "))
		}
		return ErrInput{Line: line, Column: col, Path: path, Msg: msg}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := textpos.Position(data, int64(len(data)))
		return ErrInput{Line: line, Column: col, Msg: "unexpected end of input"}
	}
	return fmt.Errorf("rl: %w", err)
}

// jsonKind spells encoding/json's description of a JSON value.
func jsonKind(v string) string {
	switch {
	case strings.HasPrefix(v, "number "):
		return "the number " + strings.TrimPrefix(v, "number ")
	case v == "array", v == "object":
		return "an " + v
	case v == "bool":
		return "a boolean"
	}
	return "a " + v
}

// goKind spells the JSON type wanted for a Go kind.
func goKind(kind string) string {
	switch kind {
	case "float64":
		return "a number"
	case "int":
		return "an integer"
	case "slice":
		return "an array"
	case "struct", "ptr":
		return "an object"
	}
	return kind
}

// unknownFields rejects fields that are not part of the format.
func unknownFields(data []byte) error {
	var bad error
	walkJSON(data, func(path []pathStep, start int64) walkAction {
		switch {
		case len(path) == 0:
			return walkDescend
		case len(path) == 1 && !isField(path[0], cmdpFields):
			bad = ErrInput{Path: formatPath(path), Msg: "is not a CMDP field (want " + strings.Join(cmdpFields, ", ") + ")"}
			return walkStop
		case len(path) == 1 && path[0].key == "constraints", len(path) == 2:
			return walkDescend
		case len(path) == 3 && !isField(path[2], constraintFields):
			bad = ErrInput{Path: formatPath(path), Msg: "is not a constraint field (want " + strings.Join(constraintFields, ", ") + ")"}
			return walkStop
		}
		return walkSkip
	})
	return bad
}

func isField(st pathStep, fields []string) bool {
	for _, f := range fields {
		if st.index < 0 && st.key == f {
			return true
		}
	}
	return false
}

// A pathStep is one step into a JSON value: an object key (index < 0) or
// an array index.
type pathStep struct {
	key   string
	index int
}

// formatPath spells a path as ErrInput.Path does: constraints[0].cost[1].
func formatPath(path []pathStep) string {
	var b strings.Builder
	for i, st := range path {
		switch {
		case st.index >= 0:
			fmt.Fprintf(&b, "[%d]", st.index)
		case i > 0:
			b.WriteString("." + st.key)
		default:
			b.WriteString(st.key)
		}
	}
	return b.String()
}

type walkAction int

const (
	walkDescend walkAction = iota // visit the children of this value
	walkSkip                      // skip this value's children
	walkStop                      // end the walk
)

// walkJSON calls visit for every value of the valid JSON document data, in
// document order, with its path and the offset of its first byte.
func walkJSON(data []byte, visit func(path []pathStep, start int64) walkAction) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var path []pathStep
	var walk func() (stop bool)
	walk = func() bool {
		start := valueStart(data, dec.InputOffset())
		act := visit(path, start)
		if act == walkStop {
			return true
		}
		tok, err := dec.Token()
		if err != nil {
			return true
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return false
		}
		if act == walkSkip {
			return skipContainer(dec) != nil
		}
		for i := 0; dec.More(); i++ {
			st := pathStep{index: i}
			if d == '{' {
				key, err := dec.Token()
				if err != nil {
					return true
				}
				st = pathStep{key: fmt.Sprint(key), index: -1}
			}
			path = append(path, st)
			if walk() {
				return true
			}
			path = path[:len(path)-1]
		}
		_, err = dec.Token() // the closing delimiter
		return err != nil
	}
	walk()
}

// skipContainer reads tokens up to the end of the array or object whose
// opening delimiter was just read.
func skipContainer(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// locate returns the offset of the value named by an ErrInput path in
// data, or of the deepest enclosing value present when it is missing (the
// start of the document for "").
func locate(data []byte, target string) int64 {
	best := valueStart(data, 0)
	walkJSON(data, func(path []pathStep, start int64) walkAction {
		p := formatPath(path)
		switch {
		case p == target:
			best = start
			return walkStop
		case p == "" || strings.HasPrefix(target, p+"[") || strings.HasPrefix(target, p+"."):
			best = start
			return walkDescend
		}
		return walkSkip
	})
	return best
}

// pathAt returns the path of the value starting at offset off.
func pathAt(data []byte, off int64) (string, bool) {
	var found string
	ok := false
	walkJSON(data, func(path []pathStep, start int64) walkAction {
		if start == off {
			found, ok = formatPath(path), true
			return walkStop
		}
		return walkDescend
	})
	return found, ok
}

// valueStart skips white space and the separators ':' and ',' from off.
func valueStart(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\n', '\r', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// tokenStart returns the first byte of the token that ends just before
// off, the offset encoding/json reports with a type error: an opening
// delimiter, a string or a literal.
func tokenStart(data []byte, off int64) int64 {
	if off <= 0 || off > int64(len(data)) {
		return valueStart(data, 0)
	}
	i := off - 1
	switch data[i] {
	case '[', '{':
		return i
	case '"':
		for i--; i >= 0; i-- {
			if data[i] == '"' && (i == 0 || data[i-1] != '\\') {
				return i
			}
		}
		return 0
	}
	for i > 0 && bytes.IndexByte([]byte("0123456789+-.eEtruefalsn"), data[i-1]) >= 0 {
		i--
	}
	return i
}

// WriteJSON writes m and its constraints cons (which may be empty) in the
// CMDP JSON format read by ReadJSON, one transition row per line. Numbers
// are written in the shortest form that reads back to the same float64,
// so a round trip is exact.
func WriteJSON(w io.Writer, m *MDP, cons []Constraint) error {
	if err := m.CheckConstraints(cons); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var buf []byte
	num := func(v float64) {
		buf = strconv.AppendFloat(buf[:0], v, 'g', -1, 64)
		bw.Write(buf)
	}
	list := func(x []float64) {
		bw.WriteByte('[')
		for i, v := range x {
			if i > 0 {
				bw.WriteString(", ")
			}
			num(v)
		}
		bw.WriteByte(']')
	}
	// matrix writes an S×A array given flat, one row per line.
	matrix := func(x []float64, indent string) {
		bw.WriteString("[\n")
		for s := 0; s < m.states; s++ {
			bw.WriteString(indent + "  ")
			list(x[s*m.actions : (s+1)*m.actions])
			if s < m.states-1 {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString(indent + "]")
	}
	fmt.Fprintf(bw, "{\n  \"states\": %d,\n  \"actions\": %d,\n  \"discount\": ", m.states, m.actions)
	num(m.discount)
	bw.WriteString(",\n  \"initial\": ")
	list(m.initial)
	bw.WriteString(",\n  \"transitions\": [\n")
	for s := 0; s < m.states; s++ {
		bw.WriteString("    [")
		for a := 0; a < m.actions; a++ {
			if a > 0 {
				bw.WriteString(", ")
			}
			list(m.Next(s, a))
		}
		bw.WriteByte(']')
		if s < m.states-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("  ],\n  \"reward\": ")
	matrix(m.reward, "  ")
	bw.WriteString(",\n  \"constraints\": [")
	for k, c := range cons {
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    {\n      \"cost\": ")
		matrix(c.Cost, "      ")
		bw.WriteString(",\n      \"threshold\": ")
		num(c.Threshold)
		bw.WriteString("\n    }")
	}
	if len(cons) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}
