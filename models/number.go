package models

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Number spellings: people type and paste into the grid and the upload
// ("1,000", full-width "２０" from a Korean input method); programs send
// JSON to the API and get no such help.
const (
	// Strict takes plain decimal numbers only: digits and one point.
	Strict = false
	// Typed also reads thousands separators and full-width digits.
	Typed = true
)

// thousands is a number with a comma between each group of three digits.
var thousands = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)

// fullWidth maps the full-width forms a Korean input method gives to
// their ASCII ones.
var fullWidth = strings.NewReplacer(
	"０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"，", ",", "．", ".", "－", "-", "−", "-", "＋", "+")

// ParseValue reads a figure's value, spelled Strict or Typed. Every
// refusal is one Problem at "value" that says what to write instead, the
// same words wherever the number came from.
func ParseValue(s string, typed bool) (float64, *Problem) {
	s = strings.TrimSpace(s)
	if typed {
		s = fullWidth.Replace(s)
	}
	_, floatErr := strconv.ParseFloat(s, 64)
	switch {
	case strings.HasPrefix(s, "-") && len(s) > 1:
		return 0, numberProblem("problem.number.negative")
	case floatErr == nil && strings.ContainsAny(s, "eE") && !strings.ContainsAny(s, "nN"):
		return 0, numberProblem("problem.number.exponent")
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsDigit(r) && (r < '0' || r > '9') }) >= 0:
		return 0, numberProblem("problem.number.digits")
	case typed && strings.Contains(s, ","):
		if !thousands.MatchString(s) {
			return 0, numberProblem("problem.number.comma")
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	if !plainNumber(s) {
		if typed {
			return 0, numberProblem("problem.number.typed")
		}
		return 0, numberProblem("problem.number.plain")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, numberProblem("problem.number.unreadable")
	}
	return v, nil
}

func numberProblem(key string) *Problem {
	return &Problem{Path: "value", Key: key}
}

// plainNumber is digits with at most one decimal point between them, and
// at most 20 characters.
func plainNumber(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	dot := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}

// parseValue reads a plain decimal number (Strict), for inputs that give
// their own message.
func parseValue(s string) (float64, bool) {
	v, bad := ParseValue(s, Strict)
	return v, bad == nil
}
