package handlers

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"jobkpi/models"
)

// problemKeys finds every "problem.…" key written in the Go files of dir,
// leaving out tests.
func problemKeys(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(problem\.[a-z0-9.]+)"`)
	keys := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = f
		}
	}
	return keys
}

// TestProblemKeysInCatalogues checks that every problem key models and
// the handlers use is in the Korean and the English catalogue.
func TestProblemKeysInCatalogues(t *testing.T) {
	keys := problemKeys(t, "../models")
	if len(keys) < 50 {
		t.Fatalf("found %d problem keys in models, want every problem to have one", len(keys))
	}
	for k, f := range problemKeys(t, ".") {
		keys[k] = f
	}
	for k, f := range keys {
		for _, l := range []Lang{Korean, English} {
			if !l.Has(k) {
				t.Errorf("%s uses %q, which the %s catalogue lacks", f, k, l)
			}
		}
	}
}

// TestProblemInLanguage words one models problem in both languages: the
// Korean particle follows the value, and each language takes its own
// argument.
func TestProblemInLanguage(t *testing.T) {
	for _, tt := range []struct {
		p    models.Problem
		lang Lang
		want string
	}{
		{models.Problem{Key: "problem.figure.whole", Args: []any{models.PlanText{Ko: "명", En: "people"}}}, Korean, "단위가 명인 지표는 정수만 입력할 수 있습니다."},
		{models.Problem{Key: "problem.figure.whole", Args: []any{models.PlanText{Ko: "명", En: "people"}}}, English, "An indicator counted in people takes whole numbers only."},
		{models.Problem{Key: "problem.figure.whole", Args: []any{models.PlanText{Ko: "명"}}}, English, "An indicator counted in 명 takes whole numbers only."},
		{models.Problem{Key: "problem.planfile.task.code.duplicate", Args: []any{"A", 0}}, Korean, `과제 코드 "A"가 tasks[0]과 겹칩니다`},
		{models.Problem{Key: "problem.planfile.task.code.duplicate", Args: []any{"B1", 2}}, Korean, `과제 코드 "B1"이 tasks[2]와 겹칩니다`},
		{models.Problem{Key: "problem.planfile.task.code.duplicate", Args: []any{"A", 0}}, English, `duplicate task code "A" (also at tasks[0])`},
		{models.Problem{Key: "problem.planfile.json.type", Args: []any{"string", "int"}}, English, "expected int, got string"},
	} {
		if got := tt.lang.Problem(tt.p); got != tt.want {
			t.Errorf("%s.Problem(%v) = %q, want %q", tt.lang, tt.p, got, tt.want)
		}
	}
}

func TestLangFromEnv(t *testing.T) {
	for env, want := range map[string]Lang{
		"en_US.UTF-8": English, "en_GB": English, "en": English, "en_US.UTF-8@euro": English,
		"": Korean, "C": Korean, "C.UTF-8": Korean, "POSIX": Korean, "ko_KR.UTF-8": Korean, "fr_FR.UTF-8": Korean,
	} {
		if got := LangFromEnv(env); got != want {
			t.Errorf("LangFromEnv(%q) = %q, want %q", env, got, want)
		}
	}
}
