package rl

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// An Instance is an MDP with cost constraints and its exact constrained
// optimum: a test problem with a known answer.
type Instance struct {
	Name        string
	MDP         *MDP
	Constraints []Constraint
	// Optimum is the exact optimum of the constrained problem: from a
	// closed form for the hand-made instances (OneStateCMDP,
	// TwoStateCMDP), from SolveLP for the generated ones.
	Optimum *Optimum
}

// defaultSrc is the source used when a generator is given a nil one.
func defaultSrc() rand.Source { return rand.NewPCG(1, 2) }

// RandomMDP returns an MDP with the given numbers of states and actions
// and discount whose transition rows and initial distribution are drawn
// uniformly from the probability simplex (Dirichlet(1, …, 1): normalized
// exponential variables, so every entry is positive) and whose rewards are
// uniform on [0, 1). A nil src means rand.NewPCG(1, 2); the same source
// state gives the same MDP.
func RandomMDP(states, actions int, discount float64, src rand.Source) (*MDP, error) {
	if err := checkDims(states, actions, discount); err != nil {
		return nil, err
	}
	if src == nil {
		src = defaultSrc()
	}
	rng := rand.New(src)
	initial := make([]float64, states)
	dirichlet(rng, initial)
	trans := make([]float64, states*actions*states)
	for i := 0; i < states*actions; i++ {
		dirichlet(rng, trans[i*states:(i+1)*states])
	}
	reward := make([]float64, states*actions)
	for i := range reward {
		reward[i] = rng.Float64()
	}
	return newMDP(states, actions, discount, initial, trans, reward)
}

// dirichlet fills p with a uniform sample from the probability simplex.
func dirichlet(rng *rand.Rand, p []float64) {
	sum := 0.0
	for i := range p {
		p[i] = rng.ExpFloat64()
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// RandomCMDP returns a RandomMDP (drawn first from src) with the given
// number of cost constraints, each cost uniform on [0, 1), and thresholds
// chosen so that the constraints are feasible and typically binding:
// with d_0 the occupancy measure that minimizes the total cost Σ_k c_k and
// d* the unconstrained optimum (both by SolveLP),
//
//	b_k = ½ (Σ d_0 c_k + Σ d* c_k),
//
// so the mixture ½(d_0 + d*), itself an occupancy measure, satisfies every
// constraint with equality. Optimum is the LP solution. A nil src means
// rand.NewPCG(1, 2).
func RandomCMDP(states, actions, constraints int, discount float64, src rand.Source) (*Instance, error) {
	if constraints < 0 {
		return nil, inputErr("constraints", "= %d, want ≥ 0", constraints)
	}
	if src == nil {
		src = defaultSrc()
	}
	m, err := RandomMDP(states, actions, discount, src)
	if err != nil {
		return nil, err
	}
	rng := rand.New(src)
	cons := make([]Constraint, constraints)
	total := make([]float64, m.Size())
	for k := range cons {
		cons[k].Cost = make([]float64, m.Size())
		for i := range cons[k].Cost {
			cons[k].Cost[i] = rng.Float64()
			total[i] -= cons[k].Cost[i]
		}
	}
	if err := setThresholds(m, cons, total, 0.5); err != nil {
		return nil, err
	}
	in := &Instance{
		Name:        fmt.Sprintf("random-cmdp:states=%d,actions=%d,constraints=%d", states, actions, constraints),
		MDP:         m,
		Constraints: cons,
	}
	if in.Optimum, err = SolveLP(m, nil, cons); err != nil {
		return nil, err
	}
	return in, nil
}

// setThresholds sets b_k = (1 − level)·Σ d_0 c_k + level·Σ d* c_k, with d_0
// the LP optimum for the reward negCost (minus the costs to keep low) and
// d* the unconstrained optimum of m.
func setThresholds(m *MDP, cons []Constraint, negCost []float64, level float64) error {
	if len(cons) == 0 {
		return nil
	}
	low, err := SolveLP(m, negCost, nil)
	if err != nil {
		return err
	}
	best, err := SolveLP(m, nil, nil)
	if err != nil {
		return err
	}
	for k := range cons {
		lo, hi := 0.0, 0.0
		for i, c := range cons[k].Cost {
			lo += low.Occupancy[i] * c
			hi += best.Occupancy[i] * c
		}
		cons[k].Threshold = (1-level)*lo + level*hi
	}
	return nil
}

// OneStateCMDP returns the one-state CMDP of ALGORITHMS.md B7.1, whose
// optimum must randomize: one state, two actions, discount γ,
//
//	action 0: reward 0, cost 0;   action 1: reward 1, cost 1;
//	constraint V_c ≤ b = 1/(2(1 − γ))   (normalized: (1 − γ)V_c ≤ ½).
//
// With p = π(1): V_r = V_c = p/(1 − γ). The optimum is p* = ½,
// V_r* = 1/(2(1 − γ)), the constraint binding, d* = (b, b), and the unique
// multiplier λ* = 1, at which both actions tie in r − λ*c — so λ* alone
// does not identify π*. The Lagrangian game in (p, λ),
// L = p − λ(p − ½) up to the factor 1/(1 − γ), is bilinear with the
// interior saddle point (½, 1).
func OneStateCMDP(discount float64) (*Instance, error) {
	m, err := NewMDP(1, 2, discount, []float64{1},
		[][][]float64{{{1}, {1}}}, [][]float64{{0, 1}})
	if err != nil {
		return nil, err
	}
	b := 1 / (2 * (1 - discount))
	pi, err := NewPolicy([][]float64{{0.5, 0.5}})
	if err != nil {
		return nil, err
	}
	return &Instance{
		Name:        fmt.Sprintf("one-state-cmdp:discount=%v", discount),
		MDP:         m,
		Constraints: []Constraint{{Cost: []float64{0, 1}, Threshold: b}},
		Optimum: &Optimum{
			Value:       b,
			Occupancy:   []float64{b, b},
			Policy:      pi,
			Costs:       []float64{b},
			Multipliers: []float64{1},
		},
	}, nil
}

// TwoStateCMDP returns the two-state CMDP of ALGORITHMS.md B7.2, with a
// binding constraint and a randomized optimum. States s0, s1; actions
// wait (0) and go (1); γ = 9/10; μ = (1, 0);
//
//	s0, wait: reward 1/5, cost 0, next s0
//	s0, go:   reward 0,   cost 1, next s1
//	s1, either action: reward 1, cost 0, next s0
//	constraint V_c ≤ 2.
//
// With p = π(go | s0): V_r(p) = (2 + 7p)/(1 + 0.9p) and
// V_c(p) = 10p/(1 + 0.9p). Unconstrained, always going is optimal
// (V_r = 90/19, V_c = 100/19). The constrained optimum is p* = 10/41,
// V_r* = 76/25 = 3.04, V_c* = 2, with occupancy d(s0, wait) = 31/5,
// d(s0, go) = 2, Σ_a d(s1, a) = 9/5 (split evenly here: at s1 both actions
// are identical, so π* and d* there are not unique), and the unique
// multiplier λ* = 13/25, at which wait and go tie at s0.
func TwoStateCMDP() *Instance {
	m, err := NewMDP(2, 2, 0.9, []float64{1, 0},
		[][][]float64{
			{{1, 0}, {0, 1}},
			{{1, 0}, {1, 0}},
		},
		[][]float64{{0.2, 0}, {1, 1}})
	if err != nil {
		panic(err) // constant data
	}
	p := 10.0 / 41
	pi, err := NewPolicy([][]float64{{1 - p, p}, {0.5, 0.5}})
	if err != nil {
		panic(err)
	}
	return &Instance{
		Name:        "two-state-cmdp",
		MDP:         m,
		Constraints: []Constraint{{Cost: []float64{0, 1, 0, 0}, Threshold: 2}},
		Optimum: &Optimum{
			Value:       76.0 / 25,
			Occupancy:   []float64{31.0 / 5, 2, 9.0 / 10, 9.0 / 10},
			Policy:      pi,
			Costs:       []float64{2},
			Multipliers: []float64{13.0 / 25},
		},
	}
}

// Gridworld describes a gridworld CMDP in the recipe of ALGORITHMS.md
// B7.3: reach a goal while a constraint limits the discounted time spent
// on hazard cells.
//
// Layout lists the rows of the grid from top to bottom, one character per
// cell:
//
//	.  free cell
//	#  wall (not a state)
//	S  start: the initial distribution is uniform over the S cells
//	G  goal
//	H  hazard
//
// Every non-wall cell is a state, numbered row by row, left to right. The
// actions are 0 up, 1 right, 2 down, 3 left. A move goes in the chosen
// direction with probability 1 − Slip and in each of the two perpendicular
// directions with probability Slip/2; a move into a wall or off the grid
// stays put. In a goal cell every action earns reward 1 and moves to the
// start distribution; all other rewards are 0. Every action taken in a
// hazard cell costs 1, and the one constraint is on that discounted cost:
//
//	V_c(π) ≤ b = c_min + Level·(c_opt − c_min),
//
// with c_min the least achievable hazard cost and c_opt the hazard cost of
// the unconstrained optimum that SolveLP finds (the "intermediate
// threshold" regime where Lagrangian methods oscillate most).
type Gridworld struct {
	Layout   []string // rows of the grid; nil means DefaultLayout()
	Slip     float64  // probability that a move slips sideways, in [0, 1]; zero means deterministic moves
	Discount float64  // γ; zero means 0.9
	Level    float64  // where the threshold lies between c_min (0) and c_opt (1), in (0, 1]; zero means ½
}

// DefaultLayout returns the gridworld layout used when Gridworld.Layout is
// nil (a fresh copy each call): the straight path from S to G crosses
// three hazards in 4 moves, the safe detour through the top row takes 6.
//
//	.....
//	SHHHG
func DefaultLayout() []string {
	return []string{
		".....",
		"SHHHG",
	}
}

// gridMoves are the row and column steps of up, right, down, left.
var gridMoves = [4][2]int{{-1, 0}, {0, 1}, {1, 0}, {0, -1}}

// Instance builds the gridworld CMDP. Its optimum comes from SolveLP.
func (g Gridworld) Instance() (*Instance, error) {
	layout := g.Layout
	if layout == nil {
		layout = DefaultLayout()
	}
	gamma, level := g.Discount, g.Level
	if gamma == 0 {
		gamma = 0.9
	}
	if level == 0 {
		level = 0.5
	}
	if !(g.Slip >= 0 && g.Slip <= 1) {
		return nil, inputErr("Gridworld.Slip", "= %v, want a probability in [0, 1]", g.Slip)
	}
	if !(level > 0 && level <= 1) {
		return nil, inputErr("Gridworld.Level", "= %v, want 0 < level ≤ 1", level)
	}
	state, n, err := gridStates(layout)
	if err != nil {
		return nil, err
	}
	const na = 4
	if err := checkDims(n, na, gamma); err != nil {
		return nil, err
	}
	initial := make([]float64, n)
	trans := make([]float64, n*na*n)
	reward := make([]float64, n*na)
	cost := make([]float64, n*na)
	starts := 0
	for _, row := range layout {
		starts += strings.Count(row, "S")
	}
	for i, row := range layout {
		for j, cell := range []byte(row) {
			s := state[i][j]
			if s < 0 {
				continue
			}
			if cell == 'S' {
				initial[s] = 1 / float64(starts)
			}
			for a := 0; a < na; a++ {
				next := trans[(s*na+a)*n : (s*na+a+1)*n]
				switch cell {
				case 'G':
					reward[s*na+a] = 1
					for r, rw := range layout { // back to the start distribution
						for c := range rw {
							if rw[c] == 'S' {
								next[state[r][c]] += 1 / float64(starts)
							}
						}
					}
					continue
				case 'H':
					cost[s*na+a] = 1
				}
				for k, p := range [3]float64{1 - g.Slip, g.Slip / 2, g.Slip / 2} {
					dir := [3]int{a, (a + 1) % 4, (a + 3) % 4}[k]
					r, c := i+gridMoves[dir][0], j+gridMoves[dir][1]
					to := s
					if r >= 0 && r < len(layout) && c >= 0 && c < len(layout[r]) && state[r][c] >= 0 {
						to = state[r][c]
					}
					next[to] += p
				}
			}
		}
	}
	m, err := newMDP(n, na, gamma, initial, trans, reward)
	if err != nil {
		return nil, err
	}
	negCost := make([]float64, len(cost))
	for i, c := range cost {
		negCost[i] = -c
	}
	cons := []Constraint{{Cost: cost}}
	if err := setThresholds(m, cons, negCost, level); err != nil {
		return nil, err
	}
	in := &Instance{
		Name:        fmt.Sprintf("gridworld-cmdp:slip=%v,discount=%v,level=%v", g.Slip, gamma, level),
		MDP:         m,
		Constraints: cons,
	}
	if in.Optimum, err = SolveLP(m, nil, cons); err != nil {
		return nil, err
	}
	return in, nil
}

// State returns the state number of the cell in the given row and column
// of the layout, or −1 for a wall or a cell outside the grid (or a bad
// layout).
func (g Gridworld) State(row, col int) int {
	layout := g.Layout
	if layout == nil {
		layout = DefaultLayout()
	}
	state, _, err := gridStates(layout)
	if err != nil || row < 0 || row >= len(state) || col < 0 || col >= len(state[row]) {
		return -1
	}
	return state[row][col]
}

// gridStates numbers the non-wall cells of a layout (−1 for walls) and
// checks it: equal row lengths, known characters, at least one S and G.
func gridStates(layout []string) (state [][]int, n int, err error) {
	if len(layout) == 0 || len(layout[0]) == 0 {
		return nil, 0, inputErr("Gridworld.Layout", "is empty")
	}
	var hasS, hasG bool
	for i, row := range layout {
		if len(row) != len(layout[0]) {
			return nil, 0, inputErr(index1("Gridworld.Layout", i), "has %d cells, want %d (the length of row 0)", len(row), len(layout[0]))
		}
		state = append(state, make([]int, len(row)))
		for j, cell := range []byte(row) {
			if strings.IndexByte(".#SGH", cell) < 0 {
				return nil, 0, inputErr(index2("Gridworld.Layout", i, j), "= %q is not a cell (want one of . # S G H)", cell)
			}
			hasS = hasS || cell == 'S'
			hasG = hasG || cell == 'G'
			state[i][j] = -1
			if cell != '#' {
				state[i][j] = n
				n++
			}
		}
	}
	if !hasS {
		return nil, 0, inputErr("Gridworld.Layout", "has no start cell S")
	}
	if !hasG {
		return nil, 0, inputErr("Gridworld.Layout", "has no goal cell G")
	}
	return state, n, nil
}
