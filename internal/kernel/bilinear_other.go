//go:build !amd64 || purego || noasm

package kernel

const hasFMA = false

// bilinearRows computes nothing without the assembly kernel.
func bilinearRows(ay, atx, a []float64, stride, m, n int, x, y []float64) int { return 0 }
