package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// TestPlanImportLanguage imports a bad plan file under several LANG
// values: the problems come in English when LANG names English, and in
// Korean otherwise, each in one language only.
func TestPlanImportLanguage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"year":2022,"city":"c","title":"t","tasks":[{"code":"A","name":"a","programs":[
		{"name":"p","indicators":[{"name":"i","kind":"flow","unit":"명","target":-5}]}]},{"code":"A","name":"b"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang  string // "unset" leaves LANG out of the environment
		want  []string
		other string // a phrase of the other language, which must not show
	}{
		{"en_US.UTF-8", []string{
			"tasks[0].programs[0].indicators[0].target: must be 0 or more",
			`tasks[1].code: duplicate task code "A" (also at tasks[0])`,
		}, "0 이상"},
		{"unset", []string{
			"tasks[0].programs[0].indicators[0].target: 0 이상이어야 합니다",
			`tasks[1].code: 과제 코드 "A"가 tasks[0]과 겹칩니다`,
		}, "must be 0 or more"},
		{"ko_KR.UTF-8", []string{"target: 0 이상이어야 합니다"}, "must be 0 or more"},
		{"C.UTF-8", []string{"target: 0 이상이어야 합니다"}, "must be 0 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			t.Setenv("LANG", tt.lang)
			if tt.lang == "unset" {
				os.Unsetenv("LANG")
			}
			var out bytes.Buffer
			code := run(context.Background(), []string{"plan", "import", "-db", storetest.DSN(t), bad}, &out, &out)
			if code != 1 || !strings.Contains(out.String(), "nothing was written") {
				t.Errorf("plan import of a bad file: exit %d, output %q", code, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("plan import output does not say %q:\n%s", w, out.String())
				}
			}
			if strings.Contains(out.String(), tt.other) || strings.Contains(out.String(), "problem.") {
				t.Errorf("plan import output mixes in %q or a message key:\n%s", tt.other, out.String())
			}
			if english := strings.HasPrefix(tt.lang, "en"); english && hangul.MatchString(out.String()) {
				t.Errorf("plan import output under LANG=%s has Korean:\n%s", tt.lang, out.String())
			}
		})
	}
}

// TestFigureAPIProblemLanguage sends bad figure bodies to the write API:
// each problem, whether the API's own decoding or the store's, answers in
// the request's language.
func TestFigureAPIProblemLanguage(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	staff := s.loginAs(t, "staff")
	path := fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month()))
	tests := []struct {
		body   string
		ko, en string
	}{
		{`{"value": 1, "value": 2, "version": 0}`, "같은 항목이 두 번 나옵니다", "This field appears twice. Send it once."},
		{`{"value": 1, "version": 0, "approved": 1}`, "알 수 없는 항목입니다", "Unknown field. Send only value, note, version, confirm and reason."},
		{`{"value": 1,`, "JSON 본문을 읽을 수 없습니다", "The body is not readable JSON."},
		{`{"value": "12", "version": 0}`, "value는 따옴표 없는 숫자여야 합니다", "value must be a number without quotes"},
		{`{"value": 1}`, "version이 필요합니다", "version is required"},
		{`{"value": 1.5, "version": 0}`, "단위가 명인 지표는 정수만 입력할 수 있습니다.", "An indicator counted in people takes whole numbers only."},
		{`{"value": 1e3, "version": 0}`, "지수 표기", "Exponents (such as 1e3) are not accepted"},
	}
	for _, tt := range tests {
		for _, lang := range []string{"", "en"} {
			want, other := tt.ko, tt.en
			if lang == "en" {
				want, other = tt.en, tt.ko
			}
			a := staff.putFigure(t, path+"?lang="+lang, tt.body, "")
			if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, want) || strings.Contains(a.body, other) {
				t.Errorf("PUT %s?lang=%s = %d %s, want 422 saying %q", tt.body, lang, a.status, a.body, want)
			}
			if lang == "en" && hangul.MatchString(a.body) {
				t.Errorf("PUT %s?lang=en answers in Korean: %s", tt.body, a.body)
			}
		}
	}
}
