package xlsx

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"jobkpi/charts/doc"
)

// maxSheetName is Excel's limit on a sheet name, in UTF-16 units.
const maxSheetName = 31

// sheetNames names the cover and then each section: its Sheet, or its
// Heading, or its number, made valid and unique (Excel compares names
// without case; a clash gets " (2)", " (3)", ...). "History" is kept free,
// as Excel reserves it.
func sheetNames(cover string, sections []doc.Section) []string {
	taken := map[string]bool{"history": true}
	names := make([]string, 0, len(sections)+1)
	add := func(base string) {
		name := base
		for n := 2; taken[strings.ToLower(name)]; n++ {
			suffix := " (" + strconv.Itoa(n) + ")"
			name = cutName(base, maxSheetName-len(suffix)) + suffix
		}
		taken[strings.ToLower(name)] = true
		names = append(names, name)
	}
	add(cleanName(cover, "1"))
	for i, s := range sections {
		base := cleanName(s.Sheet, "")
		if base == "" {
			base = cleanName(s.Heading, strconv.Itoa(i+1))
		}
		add(base)
	}
	return names
}

// cleanName makes s a valid sheet name: brackets become parentheses, the
// other characters Excel refuses (:*?/\) become "-", control characters
// and runs of spaces become one space, no quote at either end, at most 31
// UTF-16 units. An empty result is fallback.
func cleanName(s, fallback string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '[':
			return '('
		case r == ']':
			return ')'
		case strings.ContainsRune(`:*?/\`, r):
			return '-'
		case unicode.IsControl(r) || unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
	s = cutName(strings.Join(strings.Fields(s), " "), maxSheetName)
	if s == "" {
		return fallback
	}
	return s
}

// cutName shortens s to at most n UTF-16 units, without a space or quote
// at either end.
func cutName(s string, n int) string {
	used := 0
	for i, r := range s {
		if used += utf16.RuneLen(r); used > n {
			s = s[:i]
			break
		}
	}
	return strings.Trim(s, " '")
}
