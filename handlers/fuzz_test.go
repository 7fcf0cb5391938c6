package handlers

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// FuzzParams checks every parser of request values: parseSmallInt,
// parseYear, parseAsOf and parseLang never panic and accept only what
// their documentation allows. Run it with
//
//	go test -run '^$' -fuzz '^FuzzParams$' -fuzztime 20s ./handlers
//
// Its helpers do not call t.Helper, which walks the stack on every call and
// would slow the fuzzer down; their messages name the input instead.
func FuzzParams(f *testing.F) {
	for _, s := range []string{"0", "1", "12", "13", "-1", "abc", "", "1e3", "３", "+3", " 3", "03", "2020", "99999999999999999999",
		strings.Repeat("9", 3000), "en", "EN", " en ", "xx", "<script>"} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, s string) {
		for _, digits := range []int{0, 1, 2, 4, 18, 19, 20} {
			fuzzCheckSmallInt(t, s, digits)
		}
		fuzzCheckYear(t, s)
		fuzzCheckAsOf(t, e, s)
		fuzzCheckLang(t, s)
	})
}

// fuzzDigits reports whether s is one or more ASCII digits.
func fuzzDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// fuzzCheckSmallInt checks that parseSmallInt accepts exactly the strings
// of 1 to digits ASCII digits whose value fits in an int, and returns that
// value. (On rejection the value is not promised: with 19 or more digits
// it can be strconv.Atoi's clamped result.)
func fuzzCheckSmallInt(t *testing.T, s string, digits int) {
	n, ok := parseSmallInt(s, digits)
	want, err := strconv.Atoi(s)
	wantOK := fuzzDigits(s) && len(s) <= digits && err == nil
	if ok != wantOK || (ok && (n != want || n < 0)) {
		t.Errorf("parseSmallInt(%q, %d) = %d, %v; want %d, %v", s, digits, n, ok, want, wantOK)
	}
}

// fuzzCheckYear checks that parseYear accepts exactly four ASCII digits from
// 2000 to 2100, and rejects everything else with a 400.
func fuzzCheckYear(t *testing.T, s string) {
	y, err := parseYear(s)
	n, _ := strconv.Atoi(s)
	wantOK := fuzzDigits(s) && len(s) <= 4 && n >= 2000 && n <= 2100
	switch {
	case err == nil && (!wantOK || y != n):
		t.Errorf("parseYear(%q) = %d, want an error", s, y)
	case err != nil && wantOK:
		t.Errorf("parseYear(%q) = %v, want %d", s, err, n)
	case err != nil:
		fuzzCheckBadRequest(t, "parseYear", s, err, "error.year")
	}
}

// fuzzCheckAsOf checks parseAsOf through a real Echo context: the asof query
// value is accepted exactly when it is one or two ASCII digits from 1 to 12.
func fuzzCheckAsOf(t *testing.T, e *echo.Echo, s string) {
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/", RawQuery: url.Values{"asof": {s}}.Encode()}, Header: http.Header{}}
	m, err := parseAsOf(e.NewContext(req, nil))
	n, _ := strconv.Atoi(s)
	wantOK := fuzzDigits(s) && len(s) <= 2 && n >= 1 && n <= 12
	switch {
	case err == nil && (!wantOK || m != n):
		t.Errorf("parseAsOf(asof=%q) = %d, want an error", s, m)
	case err != nil && wantOK:
		t.Errorf("parseAsOf(asof=%q) = %v, want %d", s, err, n)
	case err != nil:
		fuzzCheckBadRequest(t, "parseAsOf", s, err, "error.asof")
	}
}

func fuzzCheckBadRequest(t *testing.T, fn, s string, err error, key string) {
	var we *webError
	if !errors.As(err, &we) || we.Status != http.StatusBadRequest || we.Key != key {
		t.Errorf("%s(%q) error = %#v, want a 400 with message %s", fn, s, err, key)
		return
	}
	for _, lang := range []Lang{Korean, English} {
		if msg := lang.T(we.Key, we.Args...); strings.HasPrefix(msg, "!") || strings.TrimSpace(msg) == "" {
			t.Errorf("%s(%q) error message in %s = %q", fn, s, lang, msg)
		}
	}
}

// fuzzCheckLang checks that parseLang gives Korean or English, and English only
// for "en" in any case with surrounding space.
func fuzzCheckLang(t *testing.T, s string) {
	switch got := parseLang(s); got {
	case English:
		if strings.ToLower(strings.TrimSpace(s)) != "en" {
			t.Errorf("parseLang(%q) = English, want Korean", s)
		}
	case Korean:
		if strings.ToLower(strings.TrimSpace(s)) == "en" {
			t.Errorf("parseLang(%q) = Korean, want English", s)
		}
	default:
		t.Errorf("parseLang(%q) = %q, want ko or en", s, got)
	}
}

var (
	fuzzNumberText  = regexp.MustCompile(`^-?[0-9]{1,3}(,[0-9]{3})*(\.[0-9])?$`)
	fuzzPercentText = regexp.MustCompile(`^-?[0-9]+\.[0-9]%$`)
)

// FuzzFormat checks that the number formats of every page never panic and
// write any finite number as digits: formatNumber with thousands commas and
// at most one decimal, within 0.05 of the value, and formatPercent with one
// decimal. Run it with
//
//	go test -run '^$' -fuzz '^FuzzFormat$' -fuzztime 20s ./handlers
func FuzzFormat(f *testing.F) {
	for _, v := range []float64{0, 170, 2163, 1234567, 42.1, 127.46, -1935, 999.96, 0.8525, -0.04, 1e15, 1e300, math.NaN(), math.Inf(1)} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		num, pct := formatNumber(v), formatPercent(v)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			if num != "—" || pct != "—" {
				t.Errorf("formatNumber, formatPercent(%v) = %q, %q, want —", v, num, pct)
			}
			return
		}
		if !fuzzNumberText.MatchString(num) {
			t.Fatalf("formatNumber(%v) = %q, want digits with thousands commas", v, num)
		}
		if back, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64); err != nil || math.Abs(back-v) > 0.05+1e-12*math.Abs(v) {
			t.Errorf("formatNumber(%v) = %q, which reads back as %v", v, num, back)
		}
		if !fuzzPercentText.MatchString(pct) {
			t.Errorf("formatPercent(%v) = %q, want a percentage with one decimal", v, pct)
		}
	})
}
