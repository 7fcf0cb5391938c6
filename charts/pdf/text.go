package pdf

import "strings"

// wrap breaks s into lines no wider than maxW at size points: at a line
// break, then between words, and inside a word only when the word alone
// is wider than the line (a long programme name, a run of digits). Every
// call returns at least one line.
func (f *face) wrap(s string, size, maxW float64) []string {
	limit := int(maxW * 1000 / size)
	if !strings.ContainsRune(s, '\n') {
		return f.wrapLine(nil, strings.TrimRight(s, " \t\r"), limit)
	}
	var lines []string
	for para := range strings.SplitSeq(s, "\n") {
		lines = f.wrapLine(lines, strings.TrimRight(para, " \t\r"), limit)
	}
	return lines
}

// wrapLine appends the lines of s, which holds no line break.
func (f *face) wrapLine(lines []string, s string, limit int) []string {
	start := 0      // where the current line starts, in bytes
	w := 0          // width of s[start:i]
	space := -1     // the last space after start, where the line may break
	afterSpace := 0 // width of s[start:space+1]
	for i, r := range s {
		rw := int(f.runeWidth(r))
		if r != ' ' && w+rw > limit && i > start {
			if space > start {
				lines = append(lines, s[start:space])
				start, w = space+1, w-afterSpace
				space = -1
			}
			if w+rw > limit && i > start {
				lines = append(lines, s[start:i])
				start, w = i, 0
			}
		}
		if r == ' ' {
			space, afterSpace = i, w+rw
		}
		w += rw
	}
	return append(lines, s[start:])
}

// ellipsis shortens s to one line no wider than maxW, ending in "…" when
// something was cut.
func (f *face) ellipsis(s string, size, maxW float64) string {
	if f.width(s, size) <= maxW {
		return s
	}
	limit := int(maxW*1000/size) - int(f.runeWidth('…'))
	w := 0
	for i, r := range s {
		w += int(f.runeWidth(r))
		if w > limit {
			return strings.TrimRight(s[:i], " ") + "…"
		}
	}
	return s
}
