package main

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// hangul matches a run of Hangul syllables or letters.
var hangul = regexp.MustCompile(`[\x{1100}-\x{11FF}\x{3130}-\x{318F}\x{AC00}-\x{D7A3}]+`)

// englishExceptions lists the Korean an English page may show, because it
// is data, not a message:
//   - plan content that has no English version (a name, unit or note whose
//     ...En field is empty);
//   - department names and people's display names;
//   - source quotes and their references;
//   - notes and comments people wrote;
//   - the Korean half of the bilingual sample-data banner;
//   - the link back to Korean.
func englishExceptions(t *testing.T, s *testServer) []string {
	t.Helper()
	ctx := context.Background()
	out := []string{"예시 데이터", "한국어"}
	years, err := s.store.Years(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range years {
		plan, err := s.store.Plan(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, dataTexts(reflect.ValueOf(plan))...)
		depts, err := s.store.Departments(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range depts {
			rows, err := s.store.EntryRows(ctx, year, d)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, dataTexts(reflect.ValueOf(rows))...)
		}
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		out = append(out, u.DisplayName, u.Department)
	}
	names, err := s.store.DepartmentNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, names...)
	// Longest first, so that a name is removed before a shorter one inside it.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(out)
}

// dataFields are the string fields that hold data with no English version.
var dataFields = map[string]bool{"Department": true, "SourceQuote": true, "SourceRef": true, "Note": true,
	"MilestoneNote": true, "ReturnComment": true, "UpdatedBy": true}

// dataTexts walks v and collects its Korean data: the fields in dataFields,
// and every field X whose sibling XEn is empty.
func dataTexts(v reflect.Value) []string {
	var out []string
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = append(out, dataTexts(v.Elem())...)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = append(out, dataTexts(v.Index(i))...)
		}
	case reflect.Struct:
		typ := v.Type()
		for i := range v.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if fv.Kind() != reflect.String {
				out = append(out, dataTexts(fv)...)
				continue
			}
			en := v.FieldByName(f.Name + "En")
			if s := fv.String(); s != "" && (dataFields[f.Name] || en.IsValid() && en.String() == "") {
				out = append(out, s)
			}
		}
	}
	return out
}

// pageText is everything a page says to a reader: the visible text, the
// title and the words in attributes that assistive technology reads.
const pageText = `[document.title, document.body.innerText].concat(
	Array.from(document.querySelectorAll('[title],[aria-label],[placeholder],[alt],[aria-description]')).flatMap(function (n) {
		return ['title', 'aria-label', 'placeholder', 'alt', 'aria-description'].map(function (a) { return n.getAttribute(a) || ''; });
	})).join('\n')`

// TestBrowserEnglishHasNoHangul opens every page in English, signed out
// and as each role, and fails on any Korean that is not data.
func TestBrowserEnglishHasNoHangul(t *testing.T) {
	parallelShort(t)
	s := newTestServer(t, true)
	ctx := context.Background()
	exceptions := englishExceptions(t, s)
	ms, prog := demoIDs(t, s)
	sum, err := s.store.Summary(ctx, 2020, 0)
	if err != nil {
		t.Fatal(err)
	}
	var planPages []string
	for _, ts := range sum.Tasks {
		planPages = append(planPages, "/plans/2020/tasks/"+ts.Task.Code)
	}
	for _, is := range append(sum.Headlines[:1], sum.Milestones[:1]...) {
		planPages = append(planPages, fmt.Sprintf("/plans/2020/indicators/%d", is.Indicator.ID))
	}
	// A signed-out visit to /reports/2020 lands on the login form.
	public := append([]string{"/", "/reports/2020", "/disclosure/2020", "/plans/2019", "/plans/2020", "/plans/2021", "/login", "/no/such/page",
		"/plans/2031", "/plans/2020?asof=13"}, planPages...)
	signedIn := []string{"/", "/plans/2020", "/account", "/account/password", fmt.Sprintf("/plans/2020/indicators/%d", ms),
		fmt.Sprintf("/plans/2020/indicators/%d/history", ms)}
	roles := map[string][]string{
		"":        public,
		"council": append(signedIn, "/reports", "/reports/2020", "/reports/2020?draft=1"),
		"staff":   append(signedIn, "/entry/2020", "/entry/2020/upload", "/my"),
		"official": append(signedIn, "/review", "/entry/2020?dept=노인장애인과", fmt.Sprintf("/plans/2020/programs/%d", prog),
			"/reports/2020"),
		"admin": append(signedIn, "/admin/users", "/admin/users/1", "/admin/users/2/disable", "/admin/departments",
			"/admin/audit", "/admin/settings"),
	}
	// A short run reads the first pages of two roles; the full gate reads
	// every page of every role.
	order := []string{"", "council", "staff", "official", "admin"}
	if !fullGates() {
		order = []string{"", "staff"}
		roles[""], roles["staff"] = roles[""][:3], roles["staff"][len(signedIn):]
	}
	for _, role := range order {
		t.Run("as "+cmp.Or(role, "anyone"), func(t *testing.T) {
			browser := newBrowser(t)
			if role != "" {
				signIn(t, browser, s.URL, role)
			}
			for _, path := range roles[role] {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				tab, v := visit(t, browser, s.URL+path+sep+"lang=en")
				text, err := chromedp.Run(tab, chromedp.Evaluate[string](pageText))
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				for _, ex := range exceptions {
					text = strings.ReplaceAll(text, ex, "")
				}
				if lines := hangulLines(text); len(lines) > 0 {
					v.saveArtifacts(t, tab)
					t.Errorf("%s in English shows Korean that is not data:\n  %s", path, strings.Join(lines, "\n  "))
				}
			}
		})
	}
}

// hangulLines are the lines of text that hold Hangul.
func hangulLines(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if hangul.MatchString(line) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return slices.Compact(out)
}
