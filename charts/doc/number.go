package doc

import (
	"math"
	"strconv"
	"strings"
)

// Number writes a number as people read it: thousands separators and
// at most one decimal: 2163 → 2,163; 42.1 → 42.1.
func Number(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	if math.Abs(v) < 1e15 { // beyond, v*10 could overflow and there is no decimal left to round
		v = math.Round(v*10) / 10
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
