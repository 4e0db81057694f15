package kernel

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// The CSR kernels take a sparse matrix in compressed sparse row form: row
// i holds the entries val[ptr[i]:ptr[i+1]] in the columns
// idx[ptr[i]:ptr[i+1]]. The number of rows is len(ptr) − 1; every column
// index must lie in [0, n), n the number of columns, which the callers
// guarantee (a bad index panics on Go's bounds check). Offsets in ptr are
// absolute, so ptr[lo:hi+1] describes rows lo to hi−1 of the same arrays.

// CSRMul sets dst = A·x. len(dst) must be the number of rows and len(x)
// the number of columns. It panics on a wrong length of dst and allocates
// nothing.
func CSRMul(dst []float64, ptr []int, idx []int32, val, x []float64) {
	if len(dst) != len(ptr)-1 {
		panic("kernel: CSRMul: dst length differs from the number of rows")
	}
	lo := ptr[0]
	for i := range dst {
		hi := ptr[i+1]
		var s float64
		for k, j := range idx[lo:hi] {
			s += val[lo+k] * x[j]
		}
		dst[i] = s
		lo = hi
	}
}

// CSRMulTrans sets dst = Aᵀ·x, a scatter over the rows: row i adds
// x_i·A_i to dst. len(x) must be the number of rows and len(dst) the
// number of columns. It panics on a wrong length of x and allocates
// nothing.
func CSRMulTrans(dst []float64, ptr []int, idx []int32, val, x []float64) {
	if len(x) != len(ptr)-1 {
		panic("kernel: CSRMulTrans: x length differs from the number of rows")
	}
	clear(dst)
	csrScatter(dst, ptr, idx, val, x)
}

// csrScatter adds Aᵀ·x to dst.
func csrScatter(dst []float64, ptr []int, idx []int32, val, x []float64) {
	lo := ptr[0]
	for i, xi := range x {
		hi := ptr[i+1]
		if xi != 0 {
			for k, j := range idx[lo:hi] {
				dst[j] += xi * val[lo+k]
			}
		}
		lo = hi
	}
}

// CSRBilinear sets ay = A·y and atx = Aᵀ·x in one pass over the nonzeros:
// each entry a_ij, read once, adds a_ij·y_j to (A·y)_i and x_i·a_ij to
// (Aᵀ·x)_j. Lengths: ay and x the number of rows, atx and y the number of
// columns. ay and atx must not overlap each other or the inputs. It panics
// on a wrong length of ay or x and allocates nothing.
func CSRBilinear(ay, atx []float64, ptr []int, idx []int32, val, x, y []float64) {
	clear(atx)
	csrBilinearAdd(ay, atx, ptr, idx, val, x, y)
}

// csrBilinearAdd sets ay = A·y and adds Aᵀ·x to atx.
func csrBilinearAdd(ay, atx []float64, ptr []int, idx []int32, val, x, y []float64) {
	if len(ay) != len(ptr)-1 || len(x) != len(ay) {
		panic("kernel: CSRBilinear: ay or x length differs from the number of rows")
	}
	lo := ptr[0]
	for i, xi := range x {
		hi := ptr[i+1]
		vals := val[lo:hi]
		var s float64
		for k, j := range idx[lo:hi] {
			v := vals[k]
			s += v * y[j]
			atx[j] += xi * v
		}
		ay[i] = s
		lo = hi
	}
}

// A CSRTeam evaluates the CSR kernels of one fixed matrix on several
// goroutines started once, each on a block of consecutive rows holding
// about the same number of nonzeros. For A·y the blocks write disjoint
// parts of the result. For Aᵀ·x each helper scatters its rows into its
// own accumulator of length n, which the caller adds to its own at the
// end: (size − 1)·n additions per evaluation, against a second copy of
// the matrix in column form that the alternative, a column split of a CSC
// copy, would have to read in full besides the rows.
//
// Hand-off: a sparse evaluation is short (about 100 µs for 10⁵ nonzeros),
// and a goroutine woken through a channel first waits in the waker's run
// queue, which on 2 cores cost about as much as the split saved. So
// members wait for the next job, and the caller for the helpers, by
// polling an atomic counter with runtime.Gosched between polls for about
// csrSpin polls (some 80 µs), and only then sleep on a channel. Between
// the evaluations of an iterative method the helpers are still polling
// and start at once; an idle team sleeps.
//
// The methods allocate nothing; calls from several goroutines are
// serialized. Close stops the helpers; later calls run on the caller.
type CSRTeam struct {
	mu     sync.Mutex
	size   int
	ptr    []int
	idx    []int32
	val    []float64
	n      int   // columns
	bounds []int // member i takes rows bounds[i] ≤ row < bounds[i+1]
	job    csrJob
	closed bool // under mu

	seq      atomic.Uint64   // number of the job posted last
	left     atomic.Int32    // helpers still working on it
	stop     atomic.Bool     // set by Close
	sleeping []atomic.Bool   // helper i is about to sleep or asleep on wake[i]
	wake     []chan struct{} // one per helper, capacity 1
	waiting  atomic.Bool     // the caller is about to sleep or asleep on done
	done     chan struct{}   // capacity 1
	partial  [][]float64     // Aᵀx accumulators, the caller's first
}

// csrSpin is the number of polls, each followed by runtime.Gosched
// (about 80 ns), before a waiting member sleeps.
const csrSpin = 1000

// csrJob is the evaluation in progress, written by the caller before it
// posts the job and read by the helpers after.
type csrJob struct {
	ay, x, y []float64
	fused    bool // CSRBilinear; otherwise CSRMul of y into ay
}

// NewCSRTeam starts size−1 helper goroutines (the caller is the first
// member) for the matrix (ptr, idx, val) with n columns, which must not
// change while the team lives. size < 1 counts as 1; a team never has
// more members than the matrix has rows.
func NewCSRTeam(size int, ptr []int, idx []int32, val []float64, n int) *CSRTeam {
	rows := len(ptr) - 1
	size = max(min(size, rows), 1)
	t := &CSRTeam{
		size:     size,
		ptr:      ptr,
		idx:      idx,
		val:      val,
		n:        n,
		bounds:   make([]int, size+1),
		sleeping: make([]atomic.Bool, size),
		wake:     make([]chan struct{}, size),
		done:     make(chan struct{}, 1),
		partial:  make([][]float64, size),
	}
	// Balance the nonzeros: member i starts at the first row whose offset
	// reaches i/size of them.
	nnz := ptr[rows] - ptr[0]
	for i := 1; i < size; i++ {
		target := ptr[0] + nnz*i/size
		r := sort.SearchInts(ptr[:rows], target)
		t.bounds[i] = max(r, t.bounds[i-1])
	}
	t.bounds[size] = rows
	for i := 1; i < size; i++ {
		t.wake[i] = make(chan struct{}, 1)
		t.partial[i] = make([]float64, n)
		go t.helper(i)
	}
	return t
}

func (t *CSRTeam) helper(i int) {
	var seen uint64
	for {
		// Wait for a job newer than the last one done.
		for spins := 0; t.seq.Load() == seen; spins++ {
			if t.stop.Load() {
				return
			}
			if spins < csrSpin {
				runtime.Gosched()
				continue
			}
			// Announce the sleep, then look again: a caller that posts
			// after the announcement sees it and sends a token.
			t.sleeping[i].Store(true)
			if t.seq.Load() == seen && !t.stop.Load() {
				<-t.wake[i]
			}
			t.sleeping[i].Store(false)
			spins = 0
		}
		seen = t.seq.Load()
		t.block(i)
		if t.left.Add(-1) == 0 && t.waiting.Load() {
			select {
			case t.done <- struct{}{}:
			default:
			}
		}
	}
}

// block evaluates member i's rows of the job.
func (t *CSRTeam) block(i int) {
	j := &t.job
	lo, hi := t.bounds[i], t.bounds[i+1]
	ptr := t.ptr[lo : hi+1]
	if j.fused {
		if i > 0 {
			clear(t.partial[i])
		}
		csrBilinearAdd(j.ay[lo:hi], t.partial[i], ptr, t.idx, t.val, j.x[lo:hi], j.y)
		return
	}
	CSRMul(j.ay[lo:hi], ptr, t.idx, t.val, j.y)
}

// Size returns the number of goroutines that share an evaluation.
func (t *CSRTeam) Size() int { return t.size }

// Mul is CSRMul of the team's matrix, dst = A·x, with the rows split
// across the team. It panics on wrong lengths before any helper starts.
func (t *CSRTeam) Mul(dst, x []float64) {
	if len(dst) != len(t.ptr)-1 || len(x) != t.n {
		panic("kernel: CSRTeam.Mul: dst or x length differs from the matrix")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.size == 1 {
		CSRMul(dst, t.ptr, t.idx, t.val, x)
		return
	}
	t.job = csrJob{ay: dst, y: x}
	t.run()
}

// Bilinear is CSRBilinear of the team's matrix, ay = A·y and atx = Aᵀ·x,
// with the rows split across the team. It panics on wrong lengths before
// any helper starts.
func (t *CSRTeam) Bilinear(ay, atx, x, y []float64) {
	if len(ay) != len(t.ptr)-1 || len(x) != len(ay) || len(atx) != t.n || len(y) != t.n {
		panic("kernel: CSRTeam.Bilinear: a length differs from the matrix")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.size == 1 {
		CSRBilinear(ay, atx, t.ptr, t.idx, t.val, x, y)
		return
	}
	clear(atx)
	t.partial[0] = atx
	t.job = csrJob{ay: ay, x: x, y: y, fused: true}
	t.run()
	for i := 1; i < t.size; i++ {
		for k, v := range t.partial[i] {
			atx[k] += v
		}
	}
	t.partial[0] = nil
}

// run posts the job, takes the first block, waits for the helpers and
// drops the job, so that the team keeps no caller memory.
func (t *CSRTeam) run() {
	t.left.Store(int32(t.size - 1))
	t.seq.Add(1)
	for i := 1; i < t.size; i++ {
		if t.sleeping[i].Load() {
			select {
			case t.wake[i] <- struct{}{}:
			default: // a token is already there
			}
		}
	}
	t.block(0)
	for spins := 0; t.left.Load() != 0; spins++ {
		if spins < csrSpin {
			runtime.Gosched()
			continue
		}
		t.waiting.Store(true)
		if t.left.Load() != 0 {
			<-t.done
		}
		t.waiting.Store(false)
		spins = 0
	}
	t.job = csrJob{}
}

// Close stops the helpers; later calls run on the caller alone. Close may
// be called more than once.
func (t *CSRTeam) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	t.closed = true
	t.stop.Store(true)
	for i := 1; i < t.size; i++ {
		close(t.wake[i])
	}
}
