package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jobkpi/models"
)

// The demo plan's indicators that these tests follow.
const (
	publicWorks = "공공근로·지역공동체 일자리 선발 인원" // 일자리경제과
	seniors     = "노인일자리 참여 인원"          // 노인장애인과, on track with a forecast short of its target
	disabled    = "장애인일자리 선발 인원"         // no previous-year baseline
)

var selectedMonth = regexp.MustCompile(`<option value="(\d+)" selected>`)

// asofShown is the as-of month a plan page has selected in its form.
func asofShown(t *testing.T, body string) int {
	t.Helper()
	m := selectedMonth.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page has no selected as-of month")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// demoUser is a demo account as the store knows it.
func demoUser(t *testing.T, s *testServer, login string) *models.User {
	t.Helper()
	users, err := s.store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range users {
		if users[i].Login == login {
			return &users[i]
		}
	}
	t.Fatalf("no demo user %q", login)
	return nil
}

// indicatorID finds a 2020 indicator by its Korean name.
func indicatorID(t *testing.T, s *testServer, name string) uint {
	t.Helper()
	for _, ind := range planIndicators(t, s, "/api/v1/plans/2020") {
		if ind.Name == name {
			return ind.ID
		}
	}
	t.Fatalf("no indicator %q in 2020", name)
	return 0
}

// approveOctober has one department report a value for October 2020 the
// way the workflow does it (approveMonth).
func approveOctober(t *testing.T, s *testServer, id uint, staff, dept, value string) {
	t.Helper()
	approveMonth(t, s, id, staff, dept, 10, value)
}

// approveMonth has one department report a value for a month of 2020 the
// way the workflow does it: an official unlocks the month (it locked long
// ago), staff save and submit, and an official approves.
func approveMonth(t *testing.T, s *testServer, id uint, staff, dept string, month int, value string) {
	t.Helper()
	ctx := context.Background()
	official, clerk := demoUser(t, s, "official"), demoUser(t, s, staff)
	if err := s.store.UnlockMonth(ctx, official, id, 2020, month, "늦게 온 자료"); err != nil {
		t.Fatal(err)
	}
	in := models.FigureInput{IndicatorID: id, Year: 2020, Month: month, Value: value}
	if f, err := s.store.Figure(ctx, id, 2020, month); err == nil {
		in.Version = f.Version
	}
	if _, _, err := s.store.SaveFigure(ctx, clerk, in); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.SubmitMonth(ctx, clerk, 2020, dept, month); err != nil {
		t.Fatal(err)
	}
	f, err := s.store.Figure(ctx, id, 2020, month)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.ApproveFigures(ctx, official, []models.FigureRef{{IndicatorID: id, Year: 2020, Month: month, Version: f.Version}}); err != nil {
		t.Fatal(err)
	}
}

// apiIndicator reads one indicator's exact values from the plan API.
type apiIndicator struct {
	ID       uint     `json:"id"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Status   string   `json:"status"`
	Expected float64  `json:"expected"`
	Forecast *float64 `json:"forecast"`
}

func apiIndicators(t *testing.T, s *testServer, path string) map[string]apiIndicator {
	t.Helper()
	status, _, body := s.get(t, path)
	var plan struct {
		Indicators []apiIndicator `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(body), &plan); status != http.StatusOK || err != nil {
		t.Fatalf("GET %s = %d: %v", path, status, err)
	}
	out := map[string]apiIndicator{}
	for _, ind := range plan.Indicators {
		out[ind.Name] = ind
	}
	return out
}

// TestDefaultMonthHoldsWhenOneDepartmentReportsANewMonth replays the
// sequence of the complaint: one department's October figure is approved.
// The public dashboard stays on September, the last month every indicator
// has reported, with the same statuses and forecasts, and links to the
// partial October; October, when asked for, keeps every forecast that has
// no October figure where September put it.
func TestDefaultMonthHoldsWhenOneDepartmentReportsANewMonth(t *testing.T) {
	s := newTestServer(t, true)
	counts := regexp.MustCompile(`<p class="counts">[^<]*</p>`)
	_, _, before := s.get(t, "/")
	if got := asofShown(t, before); got != models.DemoAsOf {
		t.Fatalf("the demo dashboard shows month %d, want %d", got, models.DemoAsOf)
	}
	if !strings.Contains(before, "2,120명") {
		t.Fatal("the seniors' forecast is not 2,120명 before October")
	}
	sepAPI := apiIndicators(t, s, "/api/v1/plans/2020?asof=9")

	approveOctober(t, s, indicatorID(t, s, publicWorks), "staff", "일자리경제과", "19")

	_, _, after := s.get(t, "/")
	if got := asofShown(t, after); got != models.DemoAsOf {
		t.Fatalf("after approving one October value the dashboard shows month %d, want %d", got, models.DemoAsOf)
	}
	if a, b := counts.FindString(before), counts.FindString(after); a != b {
		t.Errorf("the statuses moved: %s, then %s", a, b)
	}
	if !strings.Contains(after, "2,120명") || strings.Contains(after, "1,908명") {
		t.Error("the seniors' year-end forecast moved off 2,120명")
	}
	for _, want := range []string{
		"2020년 9월 말 기준입니다. 모든 지표의 실적이 승인된 마지막 달입니다.",
		`<a href="/?asof=10">더 최근인 2020년 10월 말 기준으로 보기 (지표 1개만 실적 승인, 전체 5개)</a>`,
	} {
		if !strings.Contains(after, want) {
			t.Errorf("the dashboard does not say %s", want)
		}
	}
	_, _, en := s.get(t, "/?lang=en")
	if !strings.Contains(en, "Show the end of October 2020 instead (partial: 1 of 5 indicators have an approved figure)") {
		t.Error("the English dashboard does not link to the partial October")
	}

	// October as asked for: it stays October, says it is partial, and a
	// forecast never counts the missing October as zero.
	_, _, oct := s.get(t, "/?asof=10")
	if got := asofShown(t, oct); got != 10 {
		t.Errorf("?asof=10 shows month %d", got)
	}
	if !strings.Contains(oct, "10월 실적이 승인된 지표: 1개 (전체 5개).") || !strings.Contains(oct, `<a href="/">기본 기준월(2020년 9월 말)로 보기</a>`) {
		t.Error("October does not say it is partial, or does not link back to the default month")
	}
	if !strings.Contains(oct, "2,120명") || !strings.Contains(oct, "1–9월 실적 기준") {
		t.Error("as of October the seniors' forecast is not 2,120명 projected from Jan–Sep")
	}
	octAPI := apiIndicators(t, s, "/api/v1/plans/2020?asof=10")
	for _, name := range []string{seniors, disabled} {
		sep, oct := sepAPI[name], octAPI[name]
		if oct.Status != "missing" || oct.Forecast == nil || *oct.Forecast != *sep.Forecast {
			t.Errorf("%s as of October: status %s, forecast %v; want missing and September's %v", name, oct.Status, oct.Forecast, *sep.Forecast)
		}
	}
}

var (
	expectedBy = regexp.MustCompile(`<dt>기준월 계획</dt><dd>([^<]*)</dd>`)
	forecastDD = regexp.MustCompile(`<dt>연말 전망</dt><dd>([^<]*)`)
)

// pageNumber reads an amount the page writes (1,622명, 540.8억원) as the
// number a spreadsheet would hold.
func pageNumber(amount string) string {
	return strings.TrimRight(strings.ReplaceAll(strings.TrimSpace(amount), ",", ""), "명개소회억원 ")
}

// TestValuesPeopleReadAreRoundedAlike: the indicator page and the results
// CSV write the expected value and the forecast the same way, as whole
// numbers in a count unit and with one decimal otherwise, while the JSON
// API keeps the exact values.
func TestValuesPeopleReadAreRoundedAlike(t *testing.T) {
	s := newTestServer(t, true)
	pf, err := models.ParsePlanFile(strings.NewReader(`{"year":2019,"city":"김포시","title":"2019년 계획","published":"unknown","tasks":[{"code":"T1","name":"예산","programs":[
		{"name":"지원","department":"일자리경제과","indicators":[{"name":"지원 예산","kind":"flow","unit":"억원","target":721,"figures":[{"month":1,"value":60}]},
		{"name":"지원 인원","kind":"flow","unit":"명","target":2163,"figures":[{"month":1,"value":170}]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ImportPlan(context.Background(), pf); err != nil {
		t.Fatal(err)
	}
	check := func(year, asof int, want map[string][2]string) {
		t.Helper()
		q := fmt.Sprintf("?asof=%d", asof)
		_, _, body := s.get(t, fmt.Sprintf("/plans/%d/results.csv%s", year, q))
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		exact := apiIndicators(t, s, fmt.Sprintf("/api/v1/plans/%d%s", year, q))
		for _, row := range rows[1:] {
			name := row[4]
			ind := exact[name]
			if ind.Kind == "milestone" {
				continue
			}
			_, _, page := s.get(t, fmt.Sprintf("/plans/%d/indicators/%d%s", year, ind.ID, q))
			pe, pf := expectedBy.FindStringSubmatch(page), forecastDD.FindStringSubmatch(page)
			if pe == nil || pf == nil {
				t.Fatalf("%s: the page shows no expected value or forecast", name)
			}
			if pageNumber(pe[1]) != row[9] || pageNumber(pf[1]) != row[12] {
				t.Errorf("%s: the page says %s and %s, the CSV %s and %s", name, pe[1], pf[1], row[9], row[12])
			}
			if w, ok := want[name]; ok && (row[9] != w[0] || row[12] != w[1]) {
				t.Errorf("%s: the CSV says expected %s, forecast %s; want %s, %s", name, row[9], row[12], w[0], w[1])
			}
		}
	}
	// 2,163 × 9/12 = 1,622.25명 and 100 × 68/75 = 90.67명 are people.
	check(2020, 9, map[string][2]string{seniors: {"1622", "2120"}, disabled: {"75", "91"}})
	// 721 × 9/12 = 540.75억원 is not a count; 60 / 60.08 × 721 = 720.0억원.
	check(2019, 9, map[string][2]string{"지원 예산": {"540.8", "720"}, "지원 인원": {"1622", "2040"}})
	exact := apiIndicators(t, s, "/api/v1/plans/2020?asof=9")
	if got := exact[seniors].Expected; got != 1622.25 {
		t.Errorf("the API's expected value = %v, want the exact 1622.25", got)
	}
	if got := *exact[disabled].Forecast; math.Abs(got-68.0/75*100) > 1e-9 {
		t.Errorf("the API's forecast = %v, want the exact %v", got, 68.0/75*100)
	}
	_, _, dash := s.get(t, "/")
	for _, bad := range []string{"1,622.3명", "90.7명", "127.5명"} {
		if strings.Contains(dash, bad) {
			t.Errorf("the dashboard shows a fraction of people: %s", bad)
		}
	}
}

// TestPlanPageLabels checks the words around the figures: no label that
// repeats its value, the target's note named for what it is, the menu
// marking the page one is on, a word on a task of milestones not yet due,
// a forecast below target shown beside 정상, and a task chart that agrees
// with the plan's own figure.
func TestPlanPageLabels(t *testing.T) {
	s := newTestServer(t, true)
	dl := regexp.MustCompile(`<dt>([^<]*)</dt><dd>([^<]*)</dd>`)
	id := indicatorID(t, s, disabled)
	for _, lang := range []string{"", "&lang=en"} {
		_, _, page := s.get(t, fmt.Sprintf("/plans/2020/indicators/%d?asof=9%s", id, lang))
		for _, m := range dl.FindAllStringSubmatch(page, -1) {
			if m[1] == m[2] {
				t.Errorf("indicator page%s: <dt>%s</dt><dd>%s</dd> says the same thing twice", lang, m[1], m[2])
			}
		}
	}

	// The plan's own note is the basis for the target until an official
	// changes the target; then it is the reason for the change.
	sid := indicatorID(t, s, seniors)
	path := fmt.Sprintf("/plans/2020/indicators/%d", sid)
	_, _, page := s.get(t, path)
	_, _, dash := s.get(t, "/")
	_, _, dashEn := s.get(t, "/?lang=en")
	for where, body := range map[string]string{"indicator page": page, "dashboard": dash} {
		if !strings.Contains(body, "목표 설정 근거") || strings.Contains(body, "변경 사유") {
			t.Errorf("%s: the unchanged target's note is not labelled 목표 설정 근거", where)
		}
	}
	if _, _, en := s.get(t, path+"?lang=en"); !strings.Contains(en, "Basis for the target") {
		t.Error("the English indicator page does not label the note Basis for the target")
	}
	official := demoUser(t, s, "official")
	if _, err := s.store.SetTarget(context.Background(), official, sid, models.TargetInput{Year: 2020, Target: "2200", Reason: "예산 증액"}); err != nil {
		t.Fatal(err)
	}
	if err := s.store.PublishRevision(context.Background(), official, models.PublishInput{Year: 2020}); err != nil {
		t.Fatal(err)
	}
	// A revision published after its year takes force in December.
	if _, _, page := s.get(t, path+"?asof=12"); !strings.Contains(page, "<dt>변경 사유</dt><dd>예산 증액</dd>") {
		t.Error("after a target change the note is not labelled 변경 사유")
	}

	// The menu marks the page one is on.
	nav := func(body string) string {
		i, j := strings.Index(body, `<nav class="site-nav"`), strings.Index(body, "</nav>")
		return body[i:j]
	}
	for _, tt := range []struct{ path, want, notWant string }{
		{"/", `aria-current="page">현황판</a>`, `2020년 계획</a>`},
		{"/plans/2020", `aria-current="page">2020년 계획</a>`, `현황판</a>`},
		{"/plans/2020/tasks/T3", `aria-current="true">2020년 계획</a>`, `현황판</a>`},
	} {
		_, _, body := s.get(t, tt.path)
		n := nav(body)
		if !strings.Contains(n, tt.want) {
			t.Errorf("GET %s: the menu lacks %s", tt.path, tt.want)
		}
		if i := strings.Index(n, tt.notWant); i < 0 || strings.Contains(n[strings.LastIndex(n[:i], "<a "):i], "aria-current") {
			t.Errorf("GET %s: the menu also marks %s", tt.path, tt.notWant)
		}
	}

	// A task of milestones none of which is due says why it reads 0% and 100%.
	const notDue = "이 과제의 지표(1개)는 일정형이며 기준월까지 기한이 된 것이 없습니다(가장 이른 기한 2020. 12. 31.)."
	_, _, task := s.get(t, "/plans/2020/tasks/T3")
	if !strings.Contains(dash, notDue) || !strings.Contains(task, notDue) {
		t.Error("the milestones-only task does not explain its 0% achieved and 100% pace")
	}

	// An on-track forecast below target shows its shortfall.
	const short = `<span class="status-label">정상</span></span><span class="status-note"> · 연말 전망 목표 대비 −43명</span>`
	if !strings.Contains(dash, short) {
		t.Error("the seniors' card reads plainly 정상 with a forecast 43 short of the target")
	}
	if !strings.Contains(dashEn, "year-end forecast 43 people short of the target") {
		t.Error("the English card does not show the forecast's shortfall")
	}
}

// TestTaskChartAgreesWithThePlan: the sentence under the task chart gives
// the plan's own achievement, the same roll-up as the figure beside it,
// and says what each figure averages.
func TestTaskChartAgreesWithThePlan(t *testing.T) {
	s := newTestServer(t, true)
	for _, tt := range []struct{ lang, label, words string }{
		{"", "달성률", "지표 10개의 가중평균"},
		{"?lang=en", "Achieved", "the weighted mean of its 10 indicators"},
	} {
		_, _, body := s.get(t, "/"+tt.lang)
		overall := regexp.MustCompile(`<dt>` + tt.label + `</dt><dd>([0-9.]+%)</dd>`).FindStringSubmatch(body)
		chart := body[strings.Index(body, `id="chart-tasks"`):]
		caption := regexp.MustCompile(`<figcaption class="chart-summary">([^<]*)</figcaption>`).FindStringSubmatch(chart)
		if overall == nil || caption == nil {
			t.Fatalf("GET /%s: no plan achievement or task chart caption", tt.lang)
		}
		if !strings.Contains(caption[1], overall[1]) || !strings.Contains(caption[1], tt.words) {
			t.Errorf("GET /%s: the plan reads %s, the task chart says %q", tt.lang, overall[1], caption[1])
		}
	}
}

// TestSummarySentenceReadsWell checks the sentence under an indicator's
// chart: the amounts carry their unit in the singular when they are one
// (1 time, not 1 times) and the Korean particle fits the unit (1회로,
// 1,590명으로).
func TestSummarySentenceReadsWell(t *testing.T) {
	s := newTestServer(t, true)
	for _, tc := range []struct{ name, lang, want string }{
		{"만남의 날 개최 횟수", "?lang=en", "the total is 1 time against a target of 2 times: 50.0% achieved"},
		{"만남의 날 개최 횟수", "", "누계 실적은 1회로 목표 2회의 50.0%이며"},
		{"노인일자리 참여 인원", "", "누계 실적은 1,590명으로 목표 2,163명의 73.5%이며"},
	} {
		path := fmt.Sprintf("/plans/2020/indicators/%d%s", indicatorID(t, s, tc.name), tc.lang)
		if _, _, body := s.get(t, path); !strings.Contains(body, tc.want) {
			t.Errorf("%s does not say %q", path, tc.want)
		}
	}
}
