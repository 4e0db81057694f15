//go:build race

package games

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// the scratch pools allocate and allocation counts say nothing.
const raceEnabled = true
