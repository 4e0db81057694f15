// Package textpos converts byte offsets in a text into the line and column
// numbers that error messages about input files name.
package textpos

// Position returns the 1-based line and column of the byte at offset off
// in data; columns count bytes, and an offset past the end gives the
// position after the last byte.
func Position(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
