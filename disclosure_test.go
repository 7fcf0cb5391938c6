package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jobkpi/models"
)

// publishedResults reads a published results version's JSON download.
type publishedResults struct {
	Period      string                     `json:"period"`
	Version     int                        `json:"version"`
	Reason      string                     `json:"reason"`
	Corrections []models.ResultsCorrection `json:"corrections"`
	Results     models.Results             `json:"results"`
}

func readPublished(t *testing.T, s *testServer, path string) publishedResults {
	t.Helper()
	status, _, body := s.get(t, path)
	var out publishedResults
	if err := json.Unmarshal([]byte(body), &out); status != http.StatusOK || err != nil {
		t.Fatalf("GET %s = %d: %v\n%.300s", path, status, err, body)
	}
	return out
}

func (p publishedResults) actual(t *testing.T, name string) float64 {
	t.Helper()
	for _, ri := range p.Results.Indicators() {
		if ri.Name == name {
			return ri.Actual
		}
	}
	t.Fatalf("no indicator %q in the published results", name)
	return 0
}

// publishH1 publishes 2020's 상반기 results as the official and returns
// the page it lands on.
func publishH1(t *testing.T, official *browserClient, form url.Values) answer {
	t.Helper()
	return official.post(t, "/plans/2020/results/h1", form)
}

// TestResultsFreeze publishes 상반기, changes and approves a June figure,
// and checks that the published 상반기 does not change; a correction with
// its reasons is a second version, and both stay readable.
func TestResultsFreeze(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	if a := publishH1(t, official, url.Values{}); a.status != http.StatusSeeOther || !strings.HasSuffix(a.location, "/disclosure/2020/h1?version=1") {
		t.Fatalf("publish 상반기 = %d → %q, want 303 → /disclosure/2020/h1?version=1\n%.500s", a.status, a.location, a.body)
	}
	v1 := readPublished(t, s, "/disclosure/2020/h1/download?format=json&version=1")
	before := v1.actual(t, publicWorks)

	id := indicatorID(t, s, publicWorks)
	june, err := s.store.Figure(context.Background(), id, 2020, 6)
	if err != nil {
		t.Fatal(err)
	}
	approveMonth(t, s, id, "staff", "일자리경제과", 6, strconv.FormatFloat(june.Value+7, 'f', -1, 64))

	if got := readPublished(t, s, "/disclosure/2020/h1/download?format=json&version=1").actual(t, publicWorks); got != before {
		t.Errorf("published 상반기 actual of %s = %v after a June change, want %v as published", publicWorks, got, before)
	}
	_, _, page := s.get(t, "/disclosure/2020/h1")
	if !strings.Contains(page, formatWhole(before)) {
		t.Errorf("the public 상반기 page does not show the published %v", before)
	}

	// A second publication is a correction: refused without reasons.
	if a := publishH1(t, official, url.Values{}); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "정정 사유를 적으세요") {
		t.Fatalf("correction without a reason = %d, want 422 asking for the reason\n%.300s", a.status, a.body)
	}
	if a := publishH1(t, official, url.Values{"reason": {"6월 실적 늦게 승인"}}); a.status != http.StatusSeeOther || !strings.HasSuffix(a.location, "version=2") {
		t.Fatalf("correction with a reason = %d → %q, want 303 to version 2\n%.300s", a.status, a.location, a.body)
	}
	v2 := readPublished(t, s, "/disclosure/2020/h1/download?format=json&version=2")
	if got, want := v2.actual(t, publicWorks), before+7; got != want {
		t.Errorf("corrected actual = %v, want %v", got, want)
	}
	if len(v2.Corrections) == 0 || v2.Corrections[0].Reason != "6월 실적 늦게 승인" {
		t.Errorf("corrections = %+v, want each with the reason", v2.Corrections)
	}
	if got := readPublished(t, s, "/disclosure/2020/h1/download?format=json&version=1").actual(t, publicWorks); got != before {
		t.Errorf("version 1 after the correction = %v, want %v", got, before)
	}
	_, _, page = s.get(t, "/disclosure/2020/h1")
	for _, want := range []string{"제1판", "제2판", "6월 실적 늦게 승인", formatWhole(before + 7)} {
		if !strings.Contains(page, want) {
			t.Errorf("the 상반기 page lacks %q", want)
		}
	}
}

// formatWhole writes a whole number with thousands separators.
func formatWhole(v float64) string {
	s := strconv.FormatFloat(v, 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestPublishResultsRefusals: a draft plan's results, and staff, are
// refused, and nothing is published.
func TestPublishResultsRefusals(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	if _, err := s.store.CopyPlan(context.Background(), demoUser(t, s, "official"), 2020, 2022, models.Origin{}); err != nil {
		t.Fatal(err)
	}
	if a := official.post(t, "/plans/2022/results/h1", url.Values{}); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "계획이 아직 공시되지 않아") {
		t.Errorf("publishing a draft plan's results = %d, want 422\n%.300s", a.status, a.body)
	}
	if a := s.loginAs(t, "staff").post(t, "/plans/2020/results/h1", url.Values{}); a.status != http.StatusForbidden {
		t.Errorf("staff publishing = %d, want 403", a.status)
	}
	versions, err := s.store.ResultsVersions(context.Background(), 2020, "")
	if err != nil || len(versions) != 0 {
		t.Errorf("versions after refusals = %d (%v), want none", len(versions), err)
	}
}

// TestDisclosureIsPublic: the 공시 pages and files answer without
// signing in, even on a site whose plan pages need it.
func TestDisclosureIsPublic(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, noSampleYear: true})
	for _, path := range []string{"/disclosure", "/disclosure/2020", "/disclosure/2020?lang=en", "/disclosure/2020/download?format=csv",
		"/disclosure/2020/download?format=json"} {
		if status, _, body := s.get(t, path); status != http.StatusOK {
			t.Errorf("GET %s = %d, want 200\n%.200s", path, status, body)
		}
	}
	if _, _, body := s.get(t, "/disclosure/2020"); !strings.Contains(body, "김포시 2020년 일자리대책 공시") {
		t.Errorf("/disclosure/2020 on a private site is not the 공시")
	}
	_, _, home := s.get(t, "/disclosure")
	if !strings.Contains(home, `href="/disclosure/2020"`) {
		t.Errorf("the 공시 index does not link 2020")
	}
}

// TestDisclosureCSV: UTF-8 with a byte-order mark, the 공시 columns, and
// formula-like text neutralised.
func TestDisclosureCSV(t *testing.T) {
	s := newTestServer(t, true)
	ctx := context.Background()
	_, prog := demoIDs(t, s)
	if err := s.store.SetProgramDepartment(ctx, demoUser(t, s, "official"), prog, "=HYPERLINK(\"x\")", models.Origin{}); err != nil {
		t.Fatal(err)
	}
	status, h, body := s.get(t, "/disclosure/2020/download?format=csv")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV = %d %s", status, h.Get("Content-Type"))
	}
	if !strings.HasPrefix(body, "\ufeff분야,세부사업,") {
		t.Errorf("CSV starts %q, want a BOM and the 공시 columns", body[:min(40, len(body))])
	}
	if strings.Contains(body, ",=HYPERLINK") || !strings.Contains(body, "'=HYPERLINK") {
		t.Errorf("a formula-like department is not neutralised")
	}
	if !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Errorf("Content-Disposition = %q", h.Get("Content-Disposition"))
	}
}

// TestReportXLSXMatchesAPI downloads the council report of 2020-06 as
// xlsx and checks that every indicator's target, actual and achievement is
// the API's number for the same month, rounded as the pages round it.
func TestReportXLSXMatchesAPI(t *testing.T) {
	s := newTestServer(t, true)
	a := s.loginAs(t, "council").get(t, "/reports/2020/download?format=xlsx&period=2020-06")
	if a.status != http.StatusOK || !strings.Contains(a.header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx = %d %s\n%.300s", a.status, a.header.Get("Content-Type"), a.body)
	}
	f, err := excelize.OpenReader(strings.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("지표별")
	if err != nil {
		t.Fatal(err)
	}
	head := slices.IndexFunc(rows, func(r []string) bool { return slices.Contains(r, "지표명") })
	if head < 0 {
		t.Fatalf("no header row with 지표명 on 지표별: %q", rows)
	}
	col := func(name string) int {
		i := slices.Index(rows[head], name)
		if i < 0 {
			t.Fatalf("no column %q in %q", name, rows[head])
		}
		return i
	}
	nameCol, targetCol, actualCol, achCol := col("지표명"), col("목표·예정일"), col("실적·진행"), col("달성률")
	var api struct {
		Indicators []struct {
			Name        string  `json:"name"`
			Unit        string  `json:"unit"`
			Kind        string  `json:"kind"`
			Target      float64 `json:"target"`
			Actual      float64 `json:"actual"`
			Achievement float64 `json:"achievement"`
		} `json:"indicators"`
	}
	_, _, body := s.get(t, "/api/v1/plans/2020?asof=6")
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	number := func(row, c int) float64 {
		t.Helper()
		cell, _ := excelize.CoordinatesToCellName(c+1, row+1)
		raw, err := f.GetCellValue("지표별", cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if typ, _ := f.GetCellType("지표별", cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Fatalf("%s = %q is text, want a number", cell, raw)
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Fatalf("%s = %q: %v", cell, raw, err)
		}
		return v
	}
	checked := 0
	for _, ind := range api.Indicators {
		if ind.Kind == "milestone" {
			continue
		}
		r := slices.IndexFunc(rows, func(r []string) bool { return len(r) > nameCol && r[nameCol] == ind.Name })
		if r < 0 {
			t.Errorf("indicator %q is not on the 지표별 sheet", ind.Name)
			continue
		}
		round := (&models.Indicator{Unit: ind.Unit}).Round
		if got, want := number(r, targetCol), round(ind.Target); got != want {
			t.Errorf("%s target = %v, want the API's %v", ind.Name, got, want)
		}
		if got, want := number(r, actualCol), round(ind.Actual); got != want {
			t.Errorf("%s actual = %v, want the API's %v", ind.Name, got, want)
		}
		if got, want := number(r, achCol), math.Round(ind.Achievement*1000)/1000; got != want {
			t.Errorf("%s achievement = %v, want the API's %v", ind.Name, got, want)
		}
		checked++
	}
	if checked < 3 {
		t.Errorf("checked %d indicators, want the three headline ones at least", checked)
	}
}

// TestOpenAPIDocumentsDisclosureData checks every field of the 공시's
// open data, a year's plan and a published results version, against the
// schemas of /api/openapi.json, walking nested objects and arrays.
func TestOpenAPIDocumentsDisclosureData(t *testing.T) {
	s := newTestServer(t, true)
	if _, err := s.store.PublishResults(context.Background(), demoUser(t, s, "official"), models.PublishResultsInput{Year: 2020, Period: "h1"}); err != nil {
		t.Fatal(err)
	}
	_, _, spec := s.get(t, "/api/openapi.json")
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]schemaDoc `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(spec), &doc); err != nil {
		t.Fatal(err)
	}
	for path, schema := range map[string]string{"/disclosure/2020/download?format=json": "PlanDisclosure",
		"/disclosure/2020/h1/download?format=json": "PublishedResults"} {
		route := regexp.MustCompile(`/2020(/h1)?/`).ReplaceAllStringFunc(strings.Split(path, "?")[0], func(m string) string {
			if strings.Contains(m, "h1") {
				return "/{year}/{period}/"
			}
			return "/{year}/"
		})
		if _, ok := doc.Paths[route]["get"]; !ok {
			t.Errorf("%s is not documented in /api/openapi.json", route)
		}
		_, _, body := s.get(t, path)
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		checkDocumented(t, doc.Components.Schemas, schemaDoc{Ref: "#/components/schemas/" + schema}, v, schema)
	}
}

// schemaDoc is as much of an OpenAPI schema as the check needs.
type schemaDoc struct {
	Ref        string               `json:"$ref"`
	Type       string               `json:"type"`
	Properties map[string]schemaDoc `json:"properties"`
	Items      *schemaDoc           `json:"items"`
	// Additional is additionalProperties: a schema, or false.
	Additional json.RawMessage `json:"additionalProperties"`
}

func checkDocumented(t *testing.T, schemas map[string]schemaDoc, s schemaDoc, v any, at string) {
	t.Helper()
	for s.Ref != "" {
		s = schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p, ok := s.Properties[k]
			switch {
			case ok:
				checkDocumented(t, schemas, p, x, at+"."+k)
			case len(s.Additional) > 0 && s.Additional[0] == '{':
				var add schemaDoc
				if err := json.Unmarshal(s.Additional, &add); err != nil {
					t.Fatal(err)
				}
				checkDocumented(t, schemas, add, x, at+"."+k)
			default:
				t.Errorf("%s.%s is answered but not documented", at, k)
			}
		}
	case []any:
		if s.Items == nil {
			t.Errorf("%s is an array the schema does not describe", at)
			return
		}
		for _, x := range v {
			checkDocumented(t, schemas, *s.Items, x, at+"[]")
		}
	}
}

// TestIssuerOnDocuments: the issuing department and contact line an admin
// sets are on the 공시 and the report; unset, the documents say so.
func TestIssuerOnDocuments(t *testing.T) {
	s := newTestServer(t, true)
	if _, _, body := s.get(t, "/disclosure/2020"); !strings.Contains(body, "관리자가 아직 정하지 않았습니다") {
		t.Errorf("an unset issuer is not said on the 공시")
	}
	admin := s.loginAs(t, "admin")
	a := admin.post(t, "/admin/settings", url.Values{"retention_days": {"400"}, "lock_day": {"10"},
		"issuer_department": {"일자리경제과"}, "issuer_contact": {"일자리정책팀 (시청 본관 3층)"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("save settings = %d\n%.300s", a.status, a.body)
	}
	if a := admin.get(t, "/admin/settings"); !strings.Contains(a.body, `value="일자리정책팀 (시청 본관 3층)"`) {
		t.Errorf("the settings form does not show the saved contact")
	}
	_, _, body := s.get(t, "/disclosure/2020")
	for _, want := range []string{"일자리경제과", "일자리정책팀 (시청 본관 3층)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the 공시 lacks the issuer's %q", want)
		}
	}
	file := downloadReport(t, s, "format=pdf&period=2020-Q1")
	if text := runTool(t, "pdftotext", file, "-"); !strings.Contains(text, "일자리정책팀 (시청 본관 3층)") {
		t.Errorf("the report PDF's cover lacks the contact line")
	}
}

// TestReportComparesWithCopiedPlan: the sample plan of this year is
// copied from 2020, so its report compares each copied indicator with the
// 2020 indicator at the same month, and names the year.
func TestReportComparesWithCopiedPlan(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, public: true})
	year := s.store.Now().Year()
	a := s.loginAs(t, "council").get(t, fmt.Sprintf("/reports/%d/download?format=xlsx&period=%d-Q2", year, year))
	if a.status != http.StatusOK {
		t.Fatalf("xlsx = %d\n%.300s", a.status, a.body)
	}
	f, err := excelize.OpenReader(strings.NewReader(a.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("지난 계획 비교")
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	compared := 0
	for _, r := range rows {
		if slices.Contains(r, "지표명") {
			header = r
			continue
		}
		if header != nil && len(r) > 1 && r[0] == publicWorks {
			compared++
		}
	}
	if !slices.Contains(header, "2020년 실적") || compared != 1 {
		t.Errorf("comparison header %q with %d rows for %s, want the 2020 actual beside it", header, compared, publicWorks)
	}
}
