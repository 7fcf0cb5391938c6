package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/static"
)

// pseudoCatalogue writes eo.json into a new folder: every English message
// wrapped in ⟦ ⟧, so that a test can tell each message of this made-up
// language from the English it was made from.
func pseudoCatalogue(t *testing.T) string {
	t.Helper()
	b, err := fs.ReadFile(static.Catalogues, "en.json")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	if err := json.Unmarshal(b, &en); err != nil {
		t.Fatal(err)
	}
	wrap := func(s string) string { return "⟦" + s + "⟧" }
	for k, v := range en {
		switch v := v.(type) {
		case string:
			en[k] = wrap(v)
		case map[string]any:
			for form, s := range v {
				v[form] = wrap(s.(string))
			}
		}
	}
	en["lang.name"] = "Pseŭdo"
	out, err := json.Marshal(en)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "eo.json"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestThirdLanguage adds a language as one catalogue file, through the
// -locales folder and no code, and reads the dashboard, an entry-grid
// error and an API error in it.
func TestThirdLanguage(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, public: true, noSampleYear: true, locales: pseudoCatalogue(t)})

	status, _, body := s.get(t, "/?lang=eo")
	if status != http.StatusOK || !strings.Contains(body, `<html lang="eo">`) || !strings.Contains(body, "⟦Dashboard⟧") {
		t.Fatalf("dashboard in eo = %d, want the page in the made-up language:\n%.600s", status, body)
	}
	for _, other := range []string{`hreflang="ko"`, `hreflang="en"`} {
		if !strings.Contains(body, other) {
			t.Errorf("the eo dashboard has no link %s", other)
		}
	}
	if _, _, ko := s.get(t, "/"); !strings.Contains(ko, `hreflang="eo"`) || !strings.Contains(ko, "Pseŭdo") {
		t.Error("the Korean dashboard does not offer the new language by its own name")
	}

	staff := s.loginAs(t, "staff")
	a := staff.post(t, "/entry/2020?lang=eo", url.Values{"action": {"save"}, "v-4-3": {"1e3"}, "o-4-3": {"14"}, "ver-4-3": {"1"}, "lang": {"eo"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "⟦Exponents") {
		t.Errorf("entry grid error in eo = %d, want 422 with the problem in the made-up language:\n%.3000s", a.status, a.body)
	}

	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	req, _ := http.NewRequest(http.MethodPut, s.URL+fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month())),
		strings.NewReader(`{"value": 1e3, "note": "", "version": 0}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", staff.csrf(t))
	req.Header.Set("Accept-Language", "eo, en;q=0.5")
	a = staff.do(t, req)
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "⟦Exponents") || !strings.Contains(a.body, `"detail":"⟦`) {
		t.Errorf("API error with Accept-Language: eo = %d %s, want 422 in the made-up language", a.status, a.body)
	}
}

// TestNameFallbackNote checks that an English page showing a plan name the
// plan has only in Korean says so, once, and that a page with every name
// in English, or a Korean page, does not.
func TestNameFallbackNote(t *testing.T) {
	s := newTestServer(t, false)
	entryPlan(t, s, 2025) // its names have no English version
	note := "No English name"
	_, _, body := s.get(t, "/plans/2025?lang=en")
	if n := strings.Count(body, note); n != 1 || !strings.Contains(body, "공공 일자리 창출") {
		t.Errorf("/plans/2025?lang=en says %q %d times, want once beside the Korean name", note, n)
	}
	_, _, body = s.get(t, "/plans/2025")
	if strings.Contains(body, note) || strings.Contains(body, "name-fallback") {
		t.Error("the Korean page carries the English-name note")
	}
	_, _, body = s.get(t, "/plans/2020?lang=en")
	if strings.Contains(body, "name-fallback") {
		t.Error("/plans/2020 has every name in English, yet its English page carries the note")
	}
}
