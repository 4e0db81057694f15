// Package kernel holds the numerical kernels behind saddle's operators that
// no user imports directly: the fused bilinear evaluation that reads a dense
// matrix once to give both A·y and Aᵀ·x, and its counterparts for sparse
// matrices in CSR form (csr.go).
//
// Kernels take raw row-major data and caller-owned outputs, allocate
// nothing, and panic on inconsistent lengths (their callers validate
// shapes first).
package kernel
