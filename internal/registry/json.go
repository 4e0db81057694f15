package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/saddlepoint/saddle/games"
	"github.com/saddlepoint/saddle/internal/textpos"
	"github.com/saddlepoint/saddle/monotone"
	"github.com/saddlepoint/saddle/vi"
	"gonum.org/v1/gonum/mat"
)

// problemFile is the JSON form of a problem (SPEC.md "Problem JSON").
type problemFile struct {
	Kind string      `json:"kind"`
	M    [][]float64 `json:"M"`
	Q    []float64   `json:"q"`
	A    [][]float64 `json:"A"`
	B    []float64   `json:"b"`
	C    []float64   `json:"c"`
	Set  *setFile    `json:"set"`
	XSet *setFile    `json:"x_set"`
	YSet *setFile    `json:"y_set"`
	Z0   []float64   `json:"z0"`
}

type setFile struct {
	Kind   string    `json:"kind"`
	Lo     []float64 `json:"lo"`
	Hi     []float64 `json:"hi"`
	Radius *float64  `json:"radius"`
	Center []float64 `json:"center"`
	Scale  *float64  `json:"scale"`
}

// LoadProblem reads a problem file: a .json problem (kinds "affine",
// "bilinear", "matrix-game") or a Gambit .nfg game. Errors name the file
// and the place.
func LoadProblem(path string) (*Instance, error) {
	if strings.HasSuffix(strings.ToLower(path), ".nfg") {
		return loadNFG(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	if !strings.HasSuffix(strings.ToLower(path), ".json") {
		return nil, fmt.Errorf("registry: %s: unknown file type (want .json or .nfg)", path)
	}
	in, err := ReadProblemJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("registry: %s: %w", path, err)
	}
	in.Name = path
	return in, nil
}

// ReadProblemJSON reads one problem object from r.
func ReadProblemJSON(r io.Reader) (*Instance, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f problemFile
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(data, err)
	}
	if dec.More() {
		return nil, errors.New("unexpected data after the problem object")
	}
	switch f.Kind {
	case "affine":
		return f.affine()
	case "bilinear":
		return f.bilinear()
	case "matrix-game":
		return f.matrixGame()
	case "":
		return nil, errors.New(`field "kind": missing (want "affine", "bilinear" or "matrix-game")`)
	default:
		return nil, fmt.Errorf(`field "kind": %q is not a problem kind (want "affine", "bilinear" or "matrix-game")`, f.Kind)
	}
}

// jsonError turns a decoding error into one that says where.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := textpos.Position(data, syn.Offset)
		return fmt.Errorf("line %d, column %d: %v", line, col, syn)
	case errors.As(err, &typ):
		line, col := textpos.Position(data, typ.Offset)
		return fmt.Errorf("line %d, column %d: field %q: got a JSON %s, want %v", line, col, typ.Field, typ.Value, typ.Type)
	case errors.Is(err, io.EOF):
		return errors.New("empty file")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("unexpected end of file")
	}
	return err
}

// matrix checks a JSON matrix for shape and builds it.
func matrix(field string, rows [][]float64, wantRows, wantCols int) (*mat.Dense, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("field %q: missing or empty", field)
	}
	cols := len(rows[0])
	if wantRows > 0 && len(rows) != wantRows {
		return nil, fmt.Errorf("field %q: %d rows, want %d", field, len(rows), wantRows)
	}
	if wantCols > 0 {
		cols = wantCols
	}
	if cols == 0 {
		return nil, fmt.Errorf("field %q: row 0 is empty", field)
	}
	m := mat.NewDense(len(rows), cols, nil)
	for i, row := range rows {
		if len(row) != cols {
			return nil, fmt.Errorf("field %q: row %d has %d entries, want %d", field, i, len(row), cols)
		}
		m.SetRow(i, row)
	}
	return m, nil
}

// vector checks an optional JSON vector's length.
func vector(field string, v []float64, n int) error {
	if v != nil && len(v) != n {
		return fmt.Errorf("field %q: %d entries, want %d", field, len(v), n)
	}
	return nil
}

func (f *problemFile) affine() (*Instance, error) {
	if err := f.only("affine", "M", "q", "set", "z0"); err != nil {
		return nil, err
	}
	if len(f.M) == 0 {
		return nil, errors.New(`field "M": missing or empty`)
	}
	n := len(f.M)
	m, err := matrix("M", f.M, n, n)
	if err != nil {
		return nil, err
	}
	if err := vector("q", f.Q, n); err != nil {
		return nil, err
	}
	op, err := monotone.NewAffine(m, f.Q)
	if err != nil {
		return nil, err
	}
	c, bounded, err := f.Set.build("set", n)
	if err != nil {
		return nil, err
	}
	in := &Instance{Problem: &vi.Problem{F: op, C: c}, Bounded: bounded}
	mu := symMin(m)
	in.Monotone, in.StronglyMonotone = mu >= -1e-12, mu > 1e-12
	if in.StronglyMonotone {
		if sol, ok := solveAffine(op, c); ok {
			in.Solution = sol
		}
	}
	return in, f.start(in, n)
}

func (f *problemFile) bilinear() (*Instance, error) {
	if err := f.only("bilinear", "A", "b", "c", "x_set", "y_set", "z0"); err != nil {
		return nil, err
	}
	a, err := matrix("A", f.A, 0, 0)
	if err != nil {
		return nil, err
	}
	m, n := a.Dims()
	if err := vector("b", f.B, m); err != nil {
		return nil, err
	}
	if err := vector("c", f.C, n); err != nil {
		return nil, err
	}
	op, err := monotone.NewBilinear(a, f.B, f.C)
	if err != nil {
		return nil, err
	}
	xs, xb, err := f.XSet.build("x_set", m)
	if err != nil {
		return nil, err
	}
	ys, yb, err := f.YSet.build("y_set", n)
	if err != nil {
		return nil, err
	}
	var c vi.Set
	if xs != nil || ys != nil {
		c = vi.Product{Blocks: []vi.Set{xs, ys}, Dims: []int{m, n}}
	}
	in := &Instance{Problem: &vi.Problem{F: op, C: c}, Split: m, Monotone: true, Bounded: xb && yb}
	return in, f.start(in, m+n)
}

func (f *problemFile) matrixGame() (*Instance, error) {
	if err := f.only("matrix-game", "A", "z0"); err != nil {
		return nil, err
	}
	a, err := matrix("A", f.A, 0, 0)
	if err != nil {
		return nil, err
	}
	g, err := games.NewMatrixGame(a)
	if err != nil {
		return nil, err
	}
	in := gameInstance(g, false)
	m, n := g.Dims()
	return in, f.start(in, m+n)
}

// only rejects fields that belong to other kinds.
func (f *problemFile) only(kind string, allowed ...string) error {
	present := map[string]bool{
		"M": f.M != nil, "q": f.Q != nil, "A": f.A != nil, "b": f.B != nil, "c": f.C != nil,
		"set": f.Set != nil, "x_set": f.XSet != nil, "y_set": f.YSet != nil, "z0": f.Z0 != nil,
	}
	for _, k := range allowed {
		delete(present, k)
	}
	for _, k := range []string{"M", "q", "A", "b", "c", "set", "x_set", "y_set", "z0"} {
		if present[k] {
			return fmt.Errorf("field %q: not part of a %q problem", k, kind)
		}
	}
	return nil
}

// start installs z0 when given.
func (f *problemFile) start(in *Instance, n int) error {
	if f.Z0 == nil {
		return nil
	}
	if err := vector("z0", f.Z0, n); err != nil {
		return err
	}
	in.Problem.Z0 = f.Z0
	return nil
}

// build returns the set (nil for R^n) and whether it is bounded.
func (s *setFile) build(field string, n int) (vi.Set, bool, error) {
	if s == nil {
		return nil, false, nil
	}
	check := func(set vi.Set) error {
		if v, ok := set.(vi.Validator); ok {
			if err := v.Validate(n); err != nil {
				return fmt.Errorf("field %q: %w", field, err)
			}
		}
		return nil
	}
	extra := func(kind string, names ...string) error {
		has := map[string]bool{"lo": s.Lo != nil, "hi": s.Hi != nil, "radius": s.Radius != nil, "center": s.Center != nil, "scale": s.Scale != nil}
		for _, k := range names {
			delete(has, k)
		}
		for _, k := range []string{"lo", "hi", "radius", "center", "scale"} {
			if has[k] {
				return fmt.Errorf("field %q: %q is not part of a %q set", field, k, kind)
			}
		}
		return nil
	}
	switch s.Kind {
	case "reals":
		return nil, false, extra("reals")
	case "nonnegative":
		return vi.NonNegative{}, false, extra("nonnegative")
	case "box":
		if err := extra("box", "lo", "hi"); err != nil {
			return nil, false, err
		}
		if s.Lo == nil || s.Hi == nil {
			return nil, false, fmt.Errorf("field %q: a box needs \"lo\" and \"hi\"", field)
		}
		b := vi.Box{Lo: s.Lo, Hi: s.Hi}
		if err := check(b); err != nil {
			return nil, false, err
		}
		bounded := true
		for i := range s.Lo {
			bounded = bounded && !math.IsInf(s.Lo[i], 0) && !math.IsInf(s.Hi[i], 0)
		}
		return b, bounded, nil
	case "simplex":
		if err := extra("simplex", "scale"); err != nil {
			return nil, false, err
		}
		sx := vi.Simplex{}
		if s.Scale != nil {
			if !(*s.Scale > 0) {
				return nil, false, fmt.Errorf("field %q: scale = %v, want > 0", field, *s.Scale)
			}
			sx.Scale = *s.Scale
		}
		return sx, true, check(sx)
	case "ball":
		if err := extra("ball", "radius", "center"); err != nil {
			return nil, false, err
		}
		if s.Radius == nil || !(*s.Radius > 0) {
			return nil, false, fmt.Errorf("field %q: a ball needs \"radius\" > 0", field)
		}
		b := vi.Ball{Center: s.Center, Radius: *s.Radius}
		return b, true, check(b)
	case "":
		return nil, false, fmt.Errorf("field %q: missing \"kind\" (want reals, box, simplex, ball or nonnegative)", field)
	}
	return nil, false, fmt.Errorf("field %q: %q is not a set kind (want reals, box, simplex, ball or nonnegative)", field, s.Kind)
}

// symMin returns the smallest eigenvalue of (M + Mᵀ)/2.
func symMin(m *mat.Dense) float64 {
	n, _ := m.Dims()
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, (m.At(i, j)+m.At(j, i))/2)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(s, false) {
		return math.NaN()
	}
	return eig.Values(nil)[0]
}

// solveAffine returns the unique solution of a strongly monotone affine
// VI when it can be found exactly: unconstrained, by an LU solve.
func solveAffine(op *monotone.Affine, c vi.Set) ([]float64, bool) {
	if c != nil {
		return nil, false
	}
	m, q := op.Affine()
	n := len(q)
	var lu mat.LU
	lu.Factorize(m)
	x := mat.NewVecDense(n, nil)
	rhs := mat.NewVecDense(n, append([]float64(nil), q...))
	rhs.ScaleVec(-1, rhs)
	if err := lu.SolveVecTo(x, false, rhs); err != nil {
		return nil, false
	}
	return x.RawVector().Data, true
}

// loadNFG reads a Gambit .nfg game. A two-player constant-sum game becomes
// a matrix game with A = player 1's payoffs (SPEC: its value is player 1's
// equilibrium payoff), solved exactly by LP; any other game is the VI of
// its N players over their strategy simplices, with its Nash gap, and no
// monotonicity is claimed for it.
func loadNFG(path string) (*Instance, error) {
	g, err := games.LoadNFG(path)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	var in *Instance
	if mg, err := g.MatrixGame(); err == nil {
		in = gameInstance(mg, false)
	} else {
		in = &Instance{Problem: g.Problem(), Bounded: true, L: g.Lipschitz()}
		if g.NumPlayers() == 2 {
			in.Split = g.NumStrategies(0)
		}
	}
	in.NormalForm, in.Name = g, path
	return in, nil
}
