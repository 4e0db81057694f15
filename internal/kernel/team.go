package kernel

import "sync"

// teamMinEntries is the size below which a Team evaluates on the caller
// alone. Measured on 2 cores: at 1000×1000 (8 MB, within the shared L3)
// two goroutines gain nothing over one; at 2000×2000 and 3000×3000 they
// run 1.6–1.8× faster when the second core is idle.
const teamMinEntries = 1 << 21

// A Team evaluates Bilinear on several goroutines started once, each on a
// block of rows, so that a large dense evaluation can use the memory
// bandwidth of several cores. Each helper keeps its own Aᵀx accumulator,
// added to the caller's at the end. Matrices with fewer than 2²¹ entries,
// fewer than four rows per member, or more columns than the team was made
// for run on the caller alone.
//
// Team.Bilinear allocates nothing; calls from several goroutines are
// serialized. Close stops the helpers.
type Team struct {
	mu      sync.Mutex
	size    int
	work    []chan struct{} // one per helper, index 1..size−1
	done    chan struct{}
	partial [][]float64 // Aᵀx accumulators of the helpers
	job     teamJob
	closed  bool
}

// teamJob is the evaluation in progress, written by the caller before it
// signals the helpers and read by them after.
type teamJob struct {
	ay, a, x, y []float64
	stride, n   int
	bounds      []int // member i takes rows bounds[i] ≤ row < bounds[i+1]
}

// NewTeam starts size−1 helper goroutines (the caller is the first member)
// for matrices of up to n columns. size < 1 counts as 1.
func NewTeam(size, n int) *Team {
	size = max(size, 1)
	t := &Team{
		size:    size,
		work:    make([]chan struct{}, size),
		done:    make(chan struct{}, size),
		partial: make([][]float64, size),
	}
	t.job.bounds = make([]int, size+1)
	for i := 1; i < size; i++ {
		t.work[i] = make(chan struct{})
		t.partial[i] = make([]float64, n)
		go t.helper(i)
	}
	return t
}

func (t *Team) helper(i int) {
	for range t.work[i] {
		j := &t.job
		lo, hi := j.bounds[i], j.bounds[i+1]
		Bilinear(j.ay[lo:hi], t.partial[i][:j.n], j.a[lo*j.stride:], j.stride, hi-lo, j.n, j.x[lo:hi], j.y)
		t.done <- struct{}{}
	}
}

// Size returns the number of goroutines that share an evaluation.
func (t *Team) Size() int { return t.size }

// Bilinear is Bilinear with the rows split across the team. It panics on
// the same inconsistent arguments, before any helper starts.
func (t *Team) Bilinear(ay, atx, a []float64, stride, m, n int, x, y []float64) {
	checkBilinear(ay, atx, a, stride, m, n, x, y)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.size == 1 || m*n < teamMinEntries || m < 4*t.size || n > len(t.partial[1]) {
		Bilinear(ay, atx, a, stride, m, n, x, y)
		return
	}
	j := &t.job
	j.ay, j.a, j.x, j.y, j.stride, j.n = ay, a, x, y, stride, n
	for i := range t.size {
		j.bounds[i] = (m * i / t.size) &^ 3 // blocks of whole groups of 4 rows
	}
	j.bounds[t.size] = m
	for i := 1; i < t.size; i++ {
		t.work[i] <- struct{}{}
	}
	hi := j.bounds[1]
	Bilinear(ay[:hi], atx, a, stride, hi, n, x[:hi], y)
	for i := 1; i < t.size; i++ {
		<-t.done
	}
	for i := 1; i < t.size; i++ {
		for k, v := range t.partial[i][:n] {
			atx[k] += v
		}
	}
	j.ay, j.a, j.x, j.y = nil, nil, nil, nil // keep no caller memory
}

// Close stops the helpers; later calls run on the caller alone. Close may
// be called more than once.
func (t *Team) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	t.closed = true
	for i := 1; i < t.size; i++ {
		close(t.work[i])
	}
}
