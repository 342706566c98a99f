// Package jsonshape looks over JSON text before it is decoded, to refuse
// what would cost too much to decode: nesting deeper than a bound, or an
// array with more items than a bound. It reads the bytes once, keeps no
// copy and does not recurse, so a hostile record costs nothing but the
// scan to refuse.
package jsonshape

// Problem says what is wrong with the shape of some JSON text.
type Problem struct {
	TooDeep  bool // nesting deeper than the bound
	Items    int  // an array has more items than the bound: how many were counted (bound+1)
	Position int  // the byte where the problem was found
}

// Check scans raw and reports the first array with more than maxItems
// items, or the first nesting deeper than maxDepth; nil when there is
// neither. It does not check that raw is valid JSON: the decoder does.
func Check[T string | []byte](raw T, maxItems, maxDepth int) *Problem {
	// counts[d] is the items counted in the array open at depth d, or −1
	// for an object; seen[d] whether the current container has a value yet
	counts := make([]int, 0, 8)
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			if n := len(counts); n > 0 && counts[n-1] == 0 {
				counts[n-1] = 1 // the first item of an array
			}
		case '[', '{':
			if n := len(counts); n > 0 && counts[n-1] == 0 {
				counts[n-1] = 1
			}
			if len(counts) == maxDepth {
				return &Problem{TooDeep: true, Position: i}
			}
			if c == '[' {
				counts = append(counts, 0)
			} else {
				counts = append(counts, -1)
			}
		case ']', '}':
			if len(counts) > 0 {
				counts = counts[:len(counts)-1]
			}
		case ',':
			if n := len(counts); n > 0 && counts[n-1] >= 0 {
				counts[n-1]++
				if counts[n-1] > maxItems {
					return &Problem{Items: counts[n-1], Position: i}
				}
			}
		case ' ', '\t', '\n', '\r', ':':
		default:
			// a number or a literal: the first item of an array
			if n := len(counts); n > 0 && counts[n-1] == 0 {
				counts[n-1] = 1
			}
		}
	}
	return nil
}
