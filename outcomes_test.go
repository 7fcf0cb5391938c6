package main

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jobkpi/data"
	"jobkpi/models"
)

// shippedPlan reads a shipped plan file.
func shippedPlan(t *testing.T, year int) *models.PlanFile {
	t.Helper()
	pf, err := loadPlanFile(data.Plans, fmt.Sprintf("plans/gimpo-%d.json", year))
	if err != nil {
		t.Fatal(err)
	}
	return pf
}

// grouped writes a number as the pages do: thousands separated, no
// trailing zeros.
func grouped(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if frac != "" {
		return whole + "." + frac
	}
	return whole
}

var outcomeTag = regexp.MustCompile(`<[^>]+>`)

// outcomeText is a page's text: tags dropped, entities unescaped.
func outcomeText(page string) string {
	return html.UnescapeString(outcomeTag.ReplaceAllString(page, ""))
}

// outcomeSection is the 공통목표 section of a page, as text.
func outcomeSection(t *testing.T, page string) string {
	t.Helper()
	start := strings.Index(page, `<section class="outcomes"`)
	if start < 0 {
		t.Fatalf("no 공통목표 section: %.400s", page)
	}
	end := strings.Index(page[start:], "</section>")
	return outcomeText(page[start : start+end])
}

// TestPlanShowsOutcomes: the 2020 plan page and the dashboard open with
// the plan's outcome targets as the shipped file gives them: target, the
// 2019 baseline, and the 2020 result with its period, unknown release date
// and source; the API carries them too.
func TestPlanShowsOutcomes(t *testing.T) {
	s := newTestServer(t, false)
	pf := shippedPlan(t, 2020)
	if len(pf.Outcomes) != 3 {
		t.Fatalf("the 2020 file has %d outcomes, want 3", len(pf.Outcomes))
	}
	for _, path := range []string{"/plans/2020", "/"} {
		status, _, page := s.get(t, path)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, status)
		}
		sec := outcomeSection(t, page)
		if strings.Index(page, `<section class="outcomes"`) > strings.Index(page, `id="headlines-h"`) {
			t.Errorf("%s: the outcome targets come after the headline indicators", path)
		}
		for _, o := range pf.Outcomes {
			amount := func(v float64) string {
				if o.Unit == "%" {
					return grouped(v) + "%"
				}
				return grouped(v) + o.Unit
			}
			want := []string{o.Name, amount(*o.Target), fmt.Sprintf("%s (%d년)", amount(*o.Baseline), o.BaselineYear)}
			for _, r := range o.Results {
				want = append(want, fmt.Sprintf("%s (%d년 연간)", amount(r.Value), r.Year), "출처: "+r.Source)
			}
			for _, w := range want {
				if !strings.Contains(sec, w) {
					t.Errorf("%s: the 공통목표 section does not say %q", path, w)
				}
			}
		}
		if n := strings.Count(sec, "발표일 미상"); n != 2 {
			t.Errorf("%s: 발표일 미상 %d times, want 2 (the two released results)", path, n)
		}
	}
	_, _, en := s.get(t, "/plans/2020?lang=en")
	if sec := outcomeSection(t, en); !strings.Contains(sec, "64.9% (2020, full year)") || !strings.Contains(sec, "release date unknown") {
		t.Errorf("the English section: %s", sec)
	}

	var api struct {
		Outcomes []struct {
			Code         string   `json:"code"`
			Target       *float64 `json:"target"`
			Baseline     *float64 `json:"baseline"`
			BaselineYear int      `json:"baseline_year"`
			Results      []struct {
				Year     int     `json:"year"`
				Period   string  `json:"period"`
				Value    float64 `json:"value"`
				Released *string `json:"released"`
				Source   string  `json:"source"`
			} `json:"results"`
		} `json:"outcomes"`
	}
	_, _, body := s.get(t, "/api/v1/plans/2020")
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Outcomes) != len(pf.Outcomes) {
		t.Fatalf("the API has %d outcomes, want %d", len(api.Outcomes), len(pf.Outcomes))
	}
	for i, o := range pf.Outcomes {
		a := api.Outcomes[i]
		if a.Code != o.Code || *a.Target != *o.Target || *a.Baseline != *o.Baseline || a.BaselineYear != o.BaselineYear || len(a.Results) != len(o.Results) {
			t.Errorf("API outcome %d = %+v, want the file's %s", i, a, o.Code)
			continue
		}
		for j, r := range o.Results {
			if got := a.Results[j]; got.Value != r.Value || got.Period != string(r.Period) || got.Released != nil || got.Source != r.Source {
				t.Errorf("API result %s %d = %+v, want %v %s, released null", o.Code, j, got, r.Value, r.Period)
			}
		}
	}
}

// TestPlanWithoutProgrammes: the 2021 plan, shipped with its outcome
// targets and no programmes, says so with the number of programmes it
// has, shows its targets, and every page and answer about it works; the
// dashboard stays on the last plan with progress to show.
func TestPlanWithoutProgrammes(t *testing.T) {
	s := newTestServer(t, true)
	status, _, page := s.get(t, "/plans/2021")
	if status != http.StatusOK {
		t.Fatalf("GET /plans/2021 = %d", status)
	}
	for _, w := range []string{"이 계획의 세부사업은 아직 입력되지 않았습니다", "149개", "1,450.7억 원"} {
		if !strings.Contains(page, w) {
			t.Errorf("/plans/2021 does not say %q", w)
		}
	}
	sec := outcomeSection(t, page)
	for _, w := range []string{"65%", "237,724명", "20,563개", "64.9% (2020년)", "230,800명 (2020년)", "전년 기준값 없음"} {
		if !strings.Contains(sec, w) {
			t.Errorf("the 2021 공통목표 section does not say %q: %s", w, sec)
		}
	}
	if strings.Contains(page, `id="overall-h"`) {
		t.Error("/plans/2021 shows the progress of a plan with no indicator")
	}
	council := s.loginAs(t, "council")
	for _, path := range []string{"/plans/2021?lang=en", "/plans/2021?version=1", "/plans/2021/results.csv", "/api/v1/plans/2021", "/reports/2021", "/"} {
		if a := council.get(t, path); a.status != http.StatusOK {
			t.Errorf("GET %s = %d: %.300s", path, a.status, a.body)
		}
	}
	if _, _, home := s.get(t, "/"); !strings.Contains(home, "2020년 김포시 일자리대책") {
		t.Error("the dashboard does not stay on the 2020 plan, the last with indicators")
	}
	_, _, body := s.get(t, "/api/v1/plans/2021")
	var api struct {
		Indicators []json.RawMessage `json:"indicators"`
		Outcomes   []json.RawMessage `json:"outcomes"`
	}
	if err := json.Unmarshal([]byte(body), &api); err != nil || len(api.Indicators) != 0 || len(api.Outcomes) != 3 {
		t.Errorf("the 2021 API: %v, %d indicators, %d outcomes; want none and 3", err, len(api.Indicators), len(api.Outcomes))
	}
}

// outcomeID finds the ID of a 2020 outcome by code through the API.
func outcomeID(t *testing.T, s *testServer, code string) uint {
	t.Helper()
	var api struct {
		Outcomes []struct {
			ID   uint   `json:"id"`
			Code string `json:"code"`
		} `json:"outcomes"`
	}
	_, _, body := s.get(t, "/api/v1/plans/2020")
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	for _, o := range api.Outcomes {
		if o.Code == code {
			return o.ID
		}
	}
	t.Fatalf("no 2020 outcome %q", code)
	return 0
}

// TestOutcomeValueEntry: an official enters a result, which the plan page
// shows; a corrected release replaces it and the entry page keeps the
// earlier one as history; staff are refused and nothing changes.
func TestOutcomeValueEntry(t *testing.T) {
	s := newTestServer(t, true)
	id := outcomeID(t, s, "jobs")
	form := func(value, released string) url.Values {
		f := url.Values{}
		for k, v := range map[string]string{"year": "2020", "period": "year", "value": value, "released": released, "source": "김포시 자체 집계"} {
			f.Set(fmt.Sprintf("o%d-%s", id, k), v)
		}
		return f
	}
	path := fmt.Sprintf("/plans/2020/outcomes/%d/values", id)

	staff := s.loginAs(t, "staff")
	before := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence")
	if a := staff.post(t, path, form("20000", "2021-03-05")); a.status != http.StatusForbidden {
		t.Errorf("staff POST = %d, want 403", a.status)
	}
	if after := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence"); after != before {
		t.Error("a refused staff entry changed the database")
	}

	official := s.loginAs(t, "official")
	bad := official.post(t, path, form("-5", "2020-12-01"))
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "0보다 작을 수 없습니다") ||
		!strings.Contains(bad.body, fmt.Sprintf(`id="o%d-released-error"`, id)) || !strings.Contains(bad.body, `id="error-summary"`) {
		t.Errorf("bad entry = %d, want 422 with the problems next to the fields and in a summary: %.500s", bad.status, bad.body)
	}
	if a := official.post(t, path, form("20000", "2021-03-05")); a.status != http.StatusSeeOther {
		t.Fatalf("official POST = %d: %.500s", a.status, a.body)
	}
	_, _, page := s.get(t, "/plans/2020")
	if sec := outcomeSection(t, page); !strings.Contains(sec, "20,000개 (2020년 연간)") || !strings.Contains(sec, "2021. 3. 5.") {
		t.Errorf("the plan page after entry: %s", sec)
	}
	if a := official.post(t, path, form("20100", "2021-04-01")); a.status != http.StatusSeeOther {
		t.Fatalf("correction POST = %d", a.status)
	}
	_, _, page = s.get(t, "/plans/2020")
	if sec := outcomeSection(t, page); !strings.Contains(sec, "20,100개 (2020년 연간)") || strings.Contains(sec, "20,000개") {
		t.Errorf("the plan page after the correction: %s", sec)
	}
	entry := official.get(t, "/plans/2020/outcomes")
	hist := regexp.MustCompile(`(?s)<tr class="outcome-history">.*?</tr>`).FindString(entry.body)
	if entry.status != http.StatusOK || !strings.Contains(hist, "이전 발표") || !strings.Contains(hist, "20,000개") {
		t.Errorf("the entry page's history row: %q", hist)
	}
}

// TestOutcomeTargetRevision: an official's new outcome target in the
// published 2020 plan waits in the draft revision, which lists it with a
// button that takes it out; published, it applies, while the 원공시 still
// shows the old target.
func TestOutcomeTargetRevision(t *testing.T) {
	s := newTestServer(t, true)
	rate, jobs := outcomeID(t, s, "employment-rate"), outcomeID(t, s, "jobs")
	official := s.loginAs(t, "official")
	target := func(id uint, v, reason string) answer {
		return official.post(t, fmt.Sprintf("/plans/2020/outcomes/%d/target", id),
			url.Values{fmt.Sprintf("o%d-target", id): {v}, fmt.Sprintf("o%d-reason", id): {reason}})
	}
	if a := target(rate, "101", "오타"); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "0에서 100 사이") {
		t.Errorf("a target above 100%% = %d", a.status)
	}
	if a := target(rate, "67.5", "경기 회복 반영"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.location, "/plans/2020/revision") {
		t.Fatalf("change the target = %d %s: %.300s", a.status, a.location, a.body)
	}
	if a := target(jobs, "22000", "사업 추가"); a.status != http.StatusSeeOther {
		t.Fatalf("change the jobs target = %d", a.status)
	}
	rev := official.get(t, "/plans/2020/revision")
	body := outcomeText(rev.body)
	for _, w := range []string{"고용률 (15–64세) (공통목표)", "66.9% → 67.5%", "경기 회복 반영", "21,348개 → 22,000개"} {
		if !strings.Contains(body, w) {
			t.Errorf("the revision page does not list %q", w)
		}
	}
	remove := regexp.MustCompile(`/plans/2020/revision/edits/(\d+)/delete`).FindAllStringSubmatch(rev.body, -1)
	if len(remove) != 2 {
		t.Fatalf("%d 빼기 buttons for outcome edits, want 2", len(remove))
	}
	if a := official.post(t, remove[1][0], url.Values{}); a.status != http.StatusSeeOther {
		t.Fatalf("빼기 = %d", a.status)
	}
	if body := official.get(t, "/plans/2020/revision").body; strings.Contains(outcomeText(body), "22,000개") {
		t.Error("the removed edit is still in the draft revision")
	}
	plan := official.get(t, "/plans/2020").body
	if !strings.Contains(outcomeText(plan), "수정공시 초안에 변경 1건이 공시를 기다립니다") {
		t.Error("the plan page does not count the outcome edit waiting in the draft revision")
	}
	if sec := outcomeSection(t, plan); !strings.Contains(sec, "66.9%") || strings.Contains(sec, "67.5%") {
		t.Error("the plan page shows the new target before the revision is published")
	}
	if a := official.post(t, "/plans/2020/revision", url.Values{"date": {""}, "effective": {"2020-12"}}); a.status != http.StatusSeeOther {
		t.Fatalf("publish the revision = %d: %.500s", a.status, a.body)
	}
	if sec := outcomeSection(t, official.get(t, "/plans/2020").body); !strings.Contains(sec, "67.5%") {
		t.Errorf("after publishing, the plan page: %s", sec)
	}
	if sec := outcomeSection(t, official.get(t, "/plans/2020?version=1").body); !strings.Contains(sec, "66.9%") || strings.Contains(sec, "67.5%") {
		t.Errorf("the 원공시 view: %s", sec)
	}
	if sec := outcomeSection(t, official.get(t, "/plans/2020?version=2").body); !strings.Contains(sec, "67.5%") {
		t.Errorf("the revision's view: %s", sec)
	}
}

// TestDraftDecidesOutcomeTargets: next year's draft lists the copied
// outcome targets to review; deciding one on the draft page clears it.
func TestDraftDecidesOutcomeTargets(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	if a := official.post(t, "/plans/2020/copy", url.Values{"to": {"2022"}}); a.status != http.StatusSeeOther {
		t.Fatalf("copy = %d: %.300s", a.status, a.body)
	}
	draft, err := s.store.Plan(t.Context(), 2022)
	if err != nil || len(draft.Outcomes) != 3 {
		t.Fatalf("the 2022 draft: %v", err)
	}
	o := draft.Outcomes[0]
	page := official.get(t, "/plans/2022/draft")
	field := fmt.Sprintf(`id="o%d-target"`, o.ID)
	if !strings.Contains(page.body, field) || !strings.Contains(page.body, "64.9% (2020년)") {
		t.Fatalf("the draft page has no outcome form with the 2020 result as baseline")
	}
	path := fmt.Sprintf("/plans/2022/outcomes/%d/target", o.ID)
	if a := official.post(t, path, url.Values{fmt.Sprintf("o%d-target", o.ID): {"-1"}, "from": {"draft"}}); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, fmt.Sprintf(`id="o%d-target-error"`, o.ID)) {
		t.Errorf("a bad draft target = %d, want 422 next to its field", a.status)
	}
	if a := official.post(t, path, url.Values{fmt.Sprintf("o%d-target", o.ID): {"65.5"}, "from": {"draft"}}); a.status != http.StatusSeeOther ||
		!strings.HasPrefix(a.location, "/plans/2022/draft") {
		t.Fatalf("decide = %d %s", a.status, a.location)
	}
	draft, _ = s.store.Plan(t.Context(), 2022)
	if d := draft.Outcomes[0]; d.NeedsReview || d.Target == nil || *d.Target != 65.5 || !draft.Outcomes[1].NeedsReview {
		t.Errorf("after deciding: %+v", d)
	}
}

// TestBrowserOutcomes: the officials' outcome page, with a refused entry
// and its problems shown, and the public page of the plan without
// programmes pass the browser checks (axe, layout, CSP).
func TestBrowserOutcomes(t *testing.T) {
	if !fullGates() {
		t.Skip("a full browser journey: run with JOBKPI_FULL=1, as .ci/run does")
	}
	browser := newBrowser(t)
	s := newTestServer(t, true)
	own, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(own); err != nil {
		t.Fatal(err)
	}
	signIn(t, own, s.URL, "official")
	id := outcomeID(t, s, "employment-rate")
	tab, v := visit(t, own, s.URL+"/plans/2020/outcomes?lang=en")
	value := fmt.Sprintf("#o%d-value", id)
	err := chromedp.Do(tab,
		chromedp.SetValue(chromedp.CSS(value), "100.5"),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#o%d-source", id)), "Statistics Korea"),
		chromedp.Submit(chromedp.CSS(value)),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	if err != nil {
		v.saveArtifacts(t, tab)
		t.Fatal(err)
	}
	n, err := chromedp.Run(tab, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('%s[aria-invalid=true]').length`, value)))
	if err != nil || n != 1 {
		t.Errorf("the value field is not marked invalid: %d, %v", n, err)
	}
	checkAxe(t, tab, v)
	for _, path := range []string{"/plans/2021", "/plans/2020?lang=en"} {
		ptab, pv := visit(t, own, s.URL+path)
		for _, msg := range pv.csp {
			pv.failf(t, ptab, "CSP violation: %s", msg)
		}
		checkAxe(t, ptab, pv)
		checkLayout(t, ptab, pv, "at 1280 px")
	}
}
