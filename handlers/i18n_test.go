package handlers

import (
	"io/fs"
	"regexp"
	"testing"

	"jobkpi/models"
	"jobkpi/static"
)

// TestTemplatesUseKnownKeys finds every literal key passed to T in the
// templates and checks that the catalogue has it.
func TestTemplatesUseKnownKeys(t *testing.T) {
	call := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	err := fs.WalkDir(static.Templates, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.Templates.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			if !Korean.Has(m[1]) {
				t.Errorf("%s uses unknown message key %q", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]Lang{"en": English, "EN": English, " en ": English, "": Korean, "ko": Korean, "xx": Korean, "en-US": Korean} {
		if got := parseLang(in); got != want {
			t.Errorf("parseLang(%q) = %q, want %q", in, got, want)
		}
	}
	if got := English.T("no.such.key"); got != "!no.such.key" {
		t.Errorf("T(unknown) = %q, want the marked key", got)
	}
	if got := Korean.Month(9); got != "9월" {
		t.Errorf("Korean.Month(9) = %q", got)
	}
	if got := English.MonthEnd(2020, 9); got != "end of September 2020" {
		t.Errorf("English.MonthEnd(2020, 9) = %q", got)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {170, "170"}, {2163, "2,163"}, {1234567, "1,234,567"}, {42.1, "42.1"},
		{127.46, "127.5"}, {-1935, "-1,935"}, {999.96, "1,000"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.in); got != tt.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := formatPercent(0.8525); got != "85.3%" {
		t.Errorf("formatPercent(0.8525) = %q, want 85.3%%", got)
	}
}

func TestParseSmallInt(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"1", true}, {"12", true}, {"", false}, {"123", false}, {"-1", false}, {"+1", false},
		{"1e3", false}, {"３", false}, {" 1", false}, {"0x1", false},
	}
	for _, tt := range tests {
		if _, ok := parseSmallInt(tt.in, 2); ok != tt.ok {
			t.Errorf("parseSmallInt(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

// TestEnglishPlural checks that counts of one read in the singular.
func TestEnglishPlural(t *testing.T) {
	tests := []struct {
		key  string
		n    int
		want string
	}{
		{"review.caption", 1, "1 submitted value, oldest first"},
		{"review.caption", 2, "2 submitted values, oldest first"},
		{"review.caption", 0, "0 submitted values, oldest first"},
		{"form.errors", 1, "There is 1 problem to fix"},
	}
	for _, tt := range tests {
		if got := English.T(tt.key, tt.n); got != tt.want {
			t.Errorf("English.T(%q, %d) = %q, want %q", tt.key, tt.n, got, tt.want)
		}
	}
	if got := Korean.T("review.caption", 1); got != "제출된 값 1건 (오래된 순)" {
		t.Errorf("Korean.T(review.caption, 1) = %q", got)
	}
}

func TestAmountSingularUnit(t *testing.T) {
	ind := &models.Indicator{Unit: "회", UnitEn: "times"}
	for _, tt := range []struct {
		lang Lang
		v    float64
		want string
	}{
		{English, 1, "1 time"},
		{English, 2, "2 times"},
		{English, 0, "0 times"},
		{English, 1.5, "2 times"}, // a count unit reads as whole numbers
		{English, 0.6, "1 time"},
		{Korean, 1, "1회"},
	} {
		p := &basePage{Lang: tt.lang}
		if got := p.Amount(tt.v, ind); got != tt.want {
			t.Errorf("%s Amount(%v) = %q, want %q", tt.lang, tt.v, got, tt.want)
		}
	}
}
