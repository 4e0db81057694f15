package kernel

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTeamMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	// Large enough to split (≥ 2²¹ entries), with row counts that are not
	// multiples of 4 and a padded stride; small ones run on the caller.
	shapes := []struct{ m, n, stride int }{
		{1025, 2049, 2049}, {2051, 1030, 1033}, {3, 5, 5}, {100, 100, 100},
	}
	for _, size := range []int{0, 1, 2, 3} {
		team := NewTeam(size, 2049)
		for _, s := range shapes {
			t.Run(fmt.Sprintf("size=%d/%dx%d", size, s.m, s.n), func(t *testing.T) {
				a, x, y := kernelRandom(rng, s.m, s.n, s.stride)
				wantAy, wantAtx := kernelNaive(a, s.stride, s.m, s.n, x, y)
				ay, atx := make([]float64, s.m), make([]float64, s.n)
				for range 2 { // the second call reuses the helpers' buffers
					team.Bilinear(ay, atx, a, s.stride, s.m, s.n, x, y)
					assert.InDeltaSlice(t, wantAy, ay, 1e-10)
					assert.InDeltaSlice(t, wantAtx, atx, 1e-10)
				}
			})
		}
		team.Close()
		team.Close()
	}
}

func TestTeamAfterCloseAndConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	m, n := 1100, 2000
	a, x, y := kernelRandom(rng, m, n, n)
	wantAy, wantAtx := kernelNaive(a, n, m, n, x, y)
	team := NewTeam(2, n)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			ay, atx := make([]float64, m), make([]float64, n)
			team.Bilinear(ay, atx, a, n, m, n, x, y)
			assert.InDeltaSlice(t, wantAy, ay, 1e-10)
			assert.InDeltaSlice(t, wantAtx, atx, 1e-10)
		})
	}
	wg.Wait()
	team.Close()
	ay, atx := make([]float64, m), make([]float64, n)
	team.Bilinear(ay, atx, a, n, m, n, x, y)
	assert.InDeltaSlice(t, wantAtx, atx, 1e-10)
}

func TestTeamPanicsBeforeHelpersStart(t *testing.T) {
	team := NewTeam(2, 2048)
	defer team.Close()
	a := make([]float64, 1024*2048)
	x, y := make([]float64, 1024), make([]float64, 2048)
	assert.Panics(t, func() { team.Bilinear(make([]float64, 1023), make([]float64, 2048), a, 2048, 1024, 2048, x, y) })
	// The team still works after the panic.
	ay, atx := make([]float64, 1024), make([]float64, 2048)
	require.NotPanics(t, func() { team.Bilinear(ay, atx, a, 2048, 1024, 2048, x, y) })
}

func TestTeamDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	m, n := 1024, 2048
	a, x, y := kernelRandom(rng, m, n, n)
	ay, atx := make([]float64, m), make([]float64, n)
	team := NewTeam(2, n)
	defer team.Close()
	allocs := testing.AllocsPerRun(50, func() { team.Bilinear(ay, atx, a, n, m, n, x, y) })
	assert.Zero(t, allocs)
}
