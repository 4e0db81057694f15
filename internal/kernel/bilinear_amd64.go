//go:build amd64 && !purego && !noasm

package kernel

// hasFMA reports whether the processor and the operating system support
// AVX2 and FMA (x86-64-v3), which bilinearFMA needs.
var hasFMA = detectFMA()

func detectFMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	// The operating system must save the XMM and YMM registers.
	if xgetbv()&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const avx2 = 1 << 5
	return ebx7&avx2 != 0
}

//go:noescape
func bilinearFMA(ay, atx, a []float64, stride, m, n int, x, y []float64)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax uint32)

// bilinearRows computes the first m rows, m a multiple of 4, and returns
// how many it did.
func bilinearRows(ay, atx, a []float64, stride, m, n int, x, y []float64) int {
	if !hasFMA {
		return 0
	}
	m4 := m &^ 3
	if m4 > 0 {
		bilinearFMA(ay, atx, a, stride, m4, n, x, y)
	}
	return m4
}
