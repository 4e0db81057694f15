package kernel

// Bilinear sets ay = A·y and atx = Aᵀ·x for the m×n matrix A stored row
// by row in a, row i in a[i·stride : i·stride+n]. It reads A once: row i
// gives (A·y)_i = ⟨A_i, y⟩ and adds x_i·A_i to atx while it is in cache,
// four rows at a time so that y and atx are read once per four rows.
//
// Lengths: ay and x m, atx and y n, a at least (m−1)·stride + n; stride
// ≥ n. ay and atx must not overlap each other or the inputs. Bilinear
// panics on wrong lengths and allocates nothing. On amd64 processors with
// AVX2 and FMA it runs an assembly kernel; elsewhere (or with the purego
// or noasm build tag) a Go loop. The two sum in different orders, so results agree
// to rounding, not bit for bit.
func Bilinear(ay, atx, a []float64, stride, m, n int, x, y []float64) {
	checkBilinear(ay, atx, a, stride, m, n, x, y)
	clear(atx)
	if m == 0 || n == 0 {
		clear(ay)
		return
	}
	done := bilinearRows(ay, atx, a, stride, m, n, x, y)
	if done < m {
		bilinearGo(ay[done:], atx, a[done*stride:], stride, m-done, n, x[done:], y)
	}
}

// checkBilinear panics unless the arguments of Bilinear are consistent.
func checkBilinear(ay, atx, a []float64, stride, m, n int, x, y []float64) {
	switch {
	case m < 0 || n < 0:
		panic("kernel: negative dimension")
	case stride < max(n, 1):
		panic("kernel: stride smaller than the number of columns")
	case len(ay) != m || len(x) != m:
		panic("kernel: ay or x length differs from the number of rows")
	case len(atx) != n || len(y) != n:
		panic("kernel: atx or y length differs from the number of columns")
	case m > 0 && len(a) < (m-1)*stride+n:
		panic("kernel: matrix data too short")
	}
}

// bilinearGo is the portable kernel: it adds Aᵀ·x to atx and sets ay = A·y,
// four rows at a time, then one.
func bilinearGo(ay, atx, a []float64, stride, m, n int, x, y []float64) {
	atx = atx[:n]
	y = y[:n]
	i := 0
	for ; i+4 <= m; i += 4 {
		r0 := a[i*stride : i*stride+n]
		r1 := a[(i+1)*stride : (i+1)*stride+n]
		r2 := a[(i+2)*stride : (i+2)*stride+n]
		r3 := a[(i+3)*stride : (i+3)*stride+n]
		x0, x1, x2, x3 := x[i], x[i+1], x[i+2], x[i+3]
		var s0, s1, s2, s3 float64
		for j, yj := range y {
			a0, a1, a2, a3 := r0[j], r1[j], r2[j], r3[j]
			s0 += a0 * yj
			s1 += a1 * yj
			s2 += a2 * yj
			s3 += a3 * yj
			atx[j] += x0*a0 + x1*a1 + x2*a2 + x3*a3
		}
		ay[i], ay[i+1], ay[i+2], ay[i+3] = s0, s1, s2, s3
	}
	for ; i < m; i++ {
		row := a[i*stride : i*stride+n]
		xi := x[i]
		var s float64
		for j, yj := range y {
			s += row[j] * yj
			atx[j] += xi * row[j]
		}
		ay[i] = s
	}
}
