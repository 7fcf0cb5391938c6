package handlers

import (
	"os"
	"slices"
	"strings"
	"testing/fstest"
	"time"

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

func TestFormatArity(t *testing.T) {
	for in, want := range map[string]int{"": 0, "100%%": 0, "%d명": 1, "%s, %d": 2, "%[2]s %[1]d": 2, "%[1]d년 %[2]s 말": 2, "%5.1f%%": 1, "%q %s": 2} {
		if got := formatArity(in); got != want {
			t.Errorf("formatArity(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestCataloguesAgree checks the catalogue files against each other and
// against the code: a message takes the same arguments in every language
// and plural form (loadCatalogues refuses files that do not, see
// catalogue.disagreements), every language has every key, and every key is
// used somewhere.
func TestCataloguesAgree(t *testing.T) {
	c, err := loadCatalogues(static.Catalogues)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.langs) < 2 {
		t.Fatalf("loaded %v, want Korean and English at least", c.langs)
	}
	keys := map[string]bool{}
	for _, l := range c.langs {
		for k := range c.messages[l] {
			keys[k] = true
		}
	}
	for k := range keys {
		for _, l := range c.langs {
			if c.messages[l][k] == nil {
				t.Errorf("%s.json lacks the key %q", l, k)
			}
		}
	}
	used := usedKeys(t)
	for k := range keys {
		if !used(k) {
			t.Errorf("the key %q is in the catalogues but no code or template uses it", k)
		}
	}
}

// usedKeys reads the Go code and the templates, and reports whether a key
// is used: written out as a string literal, or under a prefix that code
// completes at run time ("status." + s, printf "month.short.%d").
func usedKeys(t *testing.T) func(string) bool {
	var src strings.Builder
	read := func(fsys fs.FS, pattern func(string) bool) {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !pattern(p) {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			src.Write(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	goCode := func(p string) bool { return strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") }
	read(os.DirFS("."), goCode)
	read(os.DirFS("../models"), goCode)
	read(os.DirFS("../charts"), goCode)
	read(os.DirFS(".."), func(p string) bool { return p == "main.go" })
	read(static.Templates, func(string) bool { return true })
	code := src.String()
	literal := regexp.MustCompile(`"([a-z0-9_.-]+)"`)
	prefix := regexp.MustCompile(`"([a-z0-9_.-]+\.)(?:"\s*\+|%[ds]")`)
	literals := map[string]bool{}
	for _, m := range literal.FindAllStringSubmatch(code, -1) {
		literals[m[1]] = true
	}
	prefixes := prefix.FindAllStringSubmatch(code, -1)
	return func(key string) bool {
		if literals[key] {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(key, p[1]) {
				return true
			}
		}
		return false
	}
}

func TestAcceptLang(t *testing.T) {
	for in, want := range map[string]Lang{"": Korean, "en": English, "en-US,en;q=0.9": English, "ko-KR,ko;q=0.9,en;q=0.8": Korean,
		"fr-FR, en;q=0.5": English, "fr": Korean, "de, ja": Korean, "not a header;;": Korean} {
		if got := acceptLang(in); got != want {
			t.Errorf("acceptLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMonthsAndDates(t *testing.T) {
	for _, tt := range []struct {
		lang   Lang
		months []int
		want   string
	}{
		{Korean, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, "1–9월"},
		{Korean, []int{1, 2, 3, 4, 5, 6, 7, 9}, "1–7·9월"},
		{English, []int{1, 2, 3, 4, 5, 6, 7, 9}, "Jan–Jul, Sep"},
		{English, []int{12}, "Dec"},
	} {
		if got := tt.lang.Months(tt.months); got != tt.want {
			t.Errorf("%s.Months(%v) = %q, want %q", tt.lang, tt.months, got, tt.want)
		}
	}
	d := time.Date(2020, 3, 27, 0, 0, 0, 0, time.UTC)
	if got := Korean.Date(d); got != "2020. 3. 27." {
		t.Errorf("Korean.Date = %q", got)
	}
	if got := English.Date(d); got != "27 Mar 2020" {
		t.Errorf("English.Date = %q", got)
	}
	if got := Korean.MonthEnd(2020, 9); got != "2020년 9월 말" {
		t.Errorf("Korean.MonthEnd = %q", got)
	}
}

// TestArgumentsInLanguage checks that the arguments worded by language, a
// plan text and a list of keys, read in the message's language.
func TestArgumentsInLanguage(t *testing.T) {
	cols := keyList{"excel.col.approved", "excel.col.by"}
	if got, want := English.T("upload.col.missing", cols), "Required columns are missing: Approved value, Updated by."; !strings.HasPrefix(got, want) {
		t.Errorf("English: %q, want it to start %q", got, want)
	}
	if got, want := Korean.T("upload.col.missing", cols), "꼭 필요한 열이 없습니다: "+Korean.T("excel.col.approved")+", "+Korean.T("excel.col.by")+"."; !strings.HasPrefix(got, want) {
		t.Errorf("Korean: %q, want it to start %q", got, want)
	}
	unit := models.PlanText{Ko: "명", En: "people"}
	if got := English.T("problem.target.whole", unit); !strings.Contains(got, "people") {
		t.Errorf("English plan text: %q", got)
	}
	if got := Korean.T("problem.target.whole", unit); !strings.Contains(got, "명") {
		t.Errorf("Korean plan text: %q", got)
	}
}

// BenchmarkT measures one message: a plain one, one with arguments and
// Korean particles, and an English plural.
func BenchmarkT(b *testing.B) {
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			Korean.T("nav.dashboard")
		}
	})
	b.Run("args-ko", func(b *testing.B) {
		for b.Loop() {
			Korean.T("error.user", "17")
		}
	})
	b.Run("plural-en", func(b *testing.B) {
		for b.Loop() {
			English.T("review.caption", 3)
		}
	})
}

// TestLoadCataloguesRefusesSlips checks that a translator's slip stops the
// load with a message that names the file and the key.
func TestLoadCataloguesRefusesSlips(t *testing.T) {
	for name, tt := range map[string]struct {
		file, body, want string
	}{
		"extra argument": {"eo.json", `{"error.user": "uzanto %s %s"}`, `eo.json: "error.user" takes 2 arguments`},
		"unknown key":    {"eo.json", `{"no.such.key": "x"}`, `eo.json: "no.such.key" is not a key of ko.json`},
		"plural form":    {"eo.json", `{"review.caption": {"one": "%d valoro", "other": "valoroj"}}`, `"review.caption" takes 0 arguments in "valoroj"`},
		"not a tag":      {"esperanto.json", `{}`, "must be a language tag"},
		"bad JSON":       {"eo.json", `{"error.user": `, "eo.json"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadCatalogues(static.Catalogues, fstest.MapFS{tt.file: {Data: []byte(tt.body)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("load %s %s = %v, want an error saying %q", tt.file, tt.body, err, tt.want)
			}
		})
	}
	c, err := loadCatalogues(static.Catalogues, fstest.MapFS{"eo.json": {Data: []byte(`{"error.user": "Ne estas uzanto %s."}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.langs; !slices.Equal(got, []Lang{Korean, English, "eo"}) {
		t.Errorf("languages = %v, want ko, en, eo", got)
	}
}
