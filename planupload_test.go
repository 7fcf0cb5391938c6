package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// uploadToken finds the token of an uploaded plan's preview.
func uploadToken(t *testing.T, body string, year int) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`action="/plans/%d/plan-upload/([A-Za-z0-9_-]+)"`, year)).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no preview form in:\n%s", body)
	}
	return m[1]
}

// givenBudgets gives two 2020 programmes budgets, and one indicator a
// monthly plan, by a published revision.
func givenBudgets(t *testing.T, s *testServer) {
	t.Helper()
	ctx := context.Background()
	official := demoUser(t, s, "official")
	plan, err := s.store.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	for i, prog := range []*models.Program{&plan.Tasks[1].Programs[0], &plan.Tasks[4].Programs[1]} {
		in := models.ProgramInput{Year: 2020, Field: prog.Field, Groups: strings.Split(prog.Groups, ","),
			Budget: []string{fmt.Sprint(100 * (i + 1)), "", "1,500.5", ""}, Reason: "본예산"}
		if prog.Groups == "" {
			in.Groups = nil
		}
		if _, err := s.store.SetProgram(ctx, official, prog.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	_, ind := indicatorTargeted(t, s, 2020, 170)
	if _, err := s.store.SetTarget(ctx, official, ind, models.TargetInput{Year: 2020, Target: "170",
		Pacing: "0 0 20 40 60 80 100 120 140 150 160 170", Reason: "월별 계획"}); err != nil {
		t.Fatal(err)
	}
	if err := s.store.PublishRevision(ctx, official, models.PublishInput{Year: 2020, Date: "2020-04-01", Effective: "2020-04"}); err != nil {
		t.Fatal(err)
	}
}

// TestPlanSpreadsheetRoundTrip downloads the 2020 plan as a spreadsheet
// and uploads it as the draft of a year with no plan: the new plan equals
// it on every field the sheet carries, its dates moved by the years.
func TestPlanSpreadsheetRoundTrip(t *testing.T) {
	s := newTestServer(t, true)
	givenBudgets(t, s)
	official := s.loginAs(t, "official")
	sheet := official.get(t, "/plans/2020/plan.xlsx")
	if sheet.status != http.StatusOK || !strings.Contains(sheet.header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("plan.xlsx = %d %s", sheet.status, sheet.header.Get("Content-Type"))
	}
	a := official.upload(t, "/plans/2023/plan-upload", "plan-2020.xlsx", []byte(sheet.body))
	if a.status != http.StatusOK || !strings.Contains(a.body, "초안") {
		t.Fatalf("upload = %d:\n%s", a.status, a.body)
	}
	token := uploadToken(t, a.body, 2023)
	saved := official.post(t, "/plans/2023/plan-upload/"+token, url.Values{"action": {"commit"}})
	if saved.status != http.StatusSeeOther || !strings.Contains(saved.location, "/plans/2023/draft") {
		t.Fatalf("save = %d %s:\n%s", saved.status, saved.location, saved.body)
	}
	ctx := context.Background()
	src, err := s.store.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.store.Plan(ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if got.Published() {
		t.Fatalf("the uploaded plan is published, want a draft")
	}
	want := src.File()
	want.MoveTo(2023)
	have := got.File()
	have.MoveTo(2023)
	budgets, pacings := 0, 0
	for ti := range want.Tasks {
		w, h := want.Tasks[ti], have.Tasks[ti]
		w.Source = models.Source{} // a task's source is not on the sheet
		h.Source = models.Source{}
		for pi := range w.Programs {
			if !w.Programs[pi].Budget.Empty() {
				budgets++
			}
			for _, ind := range w.Programs[pi].Indicators {
				if len(ind.Pacing) > 0 {
					pacings++
				}
			}
		}
		if !reflect.DeepEqual(w, h) {
			t.Errorf("task %s differs:\nwant %+v\n got %+v", w.Code, w, h)
		}
	}
	if !reflect.DeepEqual(want.Outcomes, have.Outcomes) {
		t.Errorf("outcomes differ:\nwant %+v\n got %+v", want.Outcomes, have.Outcomes)
	}
	if budgets != 2 || pacings < 1 || len(have.Tasks) != 5 || have.Title != strings.ReplaceAll(src.Title, "2020", "2023") {
		t.Errorf("budgets %d, monthly plans %d, tasks %d, title %q", budgets, pacings, len(have.Tasks), have.Title)
	}
	var dues int
	for _, ind := range got.Indicators() {
		if ind.DueDate != nil {
			dues++
			if ind.DueDate.Year() < 2023 {
				t.Errorf("%s due %v, want moved to 2023", ind.Name, ind.DueDate)
			}
		}
	}
	if dues == 0 {
		t.Errorf("no due dates")
	}
}

// TestPlanSpreadsheetRevision uploads the 2020 plan with one target
// changed: the preview shows that one change, and saving and publishing
// it makes a 수정공시.
func TestPlanSpreadsheetRevision(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	sheet := official.get(t, "/plans/2020/plan.xlsx")
	f, err := excelize.OpenReader(strings.NewReader(sheet.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("지표")
	if err != nil {
		t.Fatal(err)
	}
	targetCol, nameCol := -1, -1
	for i, h := range rows[0] {
		switch {
		case strings.HasPrefix(h, "목표") && !strings.HasPrefix(h, "목표 근거") && targetCol < 0:
			targetCol = i
		case strings.HasPrefix(h, "지표명") && !strings.Contains(h, "영문") && nameCol < 0:
			nameCol = i
		}
	}
	changed := -1
	for r, row := range rows[1:] {
		if targetCol < len(row) && row[targetCol] == "170" {
			changed = r + 2
		}
	}
	if targetCol < 0 || changed < 0 {
		t.Fatalf("no 목표 column or no row with 170 in %v", rows[0])
	}
	cell, _ := excelize.CoordinatesToCellName(targetCol+1, changed)
	f.SetCellValue("지표", cell, 180)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	a := official.upload(t, "/plans/2020/plan-upload", "plan-2020.xlsx", buf.Bytes())
	if a.status != http.StatusOK {
		t.Fatalf("upload = %d:\n%s", a.status, a.body)
	}
	if n := strings.Count(a.body, `name="reason-`) - strings.Count(a.body, `name="reason-all"`); n != 1 {
		t.Fatalf("preview lists %d changes, want 1:\n%s", n, a.body)
	}
	if !strings.Contains(a.body, "170") || !strings.Contains(a.body, "180") {
		t.Errorf("the change does not read 170 → 180")
	}
	token := uploadToken(t, a.body, 2020)
	// Without a reason, nothing is saved.
	refused := official.post(t, "/plans/2020/plan-upload/"+token, url.Values{"action": {"commit"}})
	if refused.status != http.StatusUnprocessableEntity || !strings.Contains(refused.body, "사유") {
		t.Fatalf("save without a reason = %d", refused.status)
	}
	saved := official.post(t, "/plans/2020/plan-upload/"+token, url.Values{"action": {"commit"}, "reason-all": {"추경 반영"}})
	if saved.status != http.StatusSeeOther || !strings.Contains(saved.location, "/plans/2020/revision") {
		t.Fatalf("save = %d %s:\n%s", saved.status, saved.location, saved.body)
	}
	pub := official.post(t, "/plans/2020/revision", url.Values{"date": {"2020-07-01"}, "effective": {"2020-07"}})
	if pub.status != http.StatusSeeOther {
		t.Fatalf("publish = %d:\n%s", pub.status, pub.body)
	}
	plan, err := s.store.Plan(context.Background(), 2020)
	if err != nil {
		t.Fatal(err)
	}
	vs := plan.PublishedVersions()
	if len(vs) != 2 || len(vs[0].Changes) != 1 || vs[0].Changes[0].NewTarget != 180 || vs[0].Changes[0].Reason != "추경 반영" {
		t.Fatalf("versions = %d, latest %+v", len(vs), vs[0])
	}
}

// TestPlanImportCommand imports the 2020 plan's spreadsheet with `jobkpi
// plan import`: a draft without -published, a published plan with it,
// and a sheet's problems at their sheet, row and column.
func TestPlanImportCommand(t *testing.T) {
	s := newTestServer(t, true)
	sheet := s.loginAs(t, "official").get(t, "/plans/2020/plan.xlsx")
	dir := t.TempDir()
	file := filepath.Join(dir, "plan-2020.xlsx")
	if err := os.WriteFile(file, []byte(sheet.body), 0o644); err != nil {
		t.Fatal(err)
	}
	runCmd := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := run(context.Background(), args, &out, &out)
		return code, out.String()
	}
	open := func(db string) *models.Plan {
		t.Helper()
		st, err := models.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		plan, err := st.Plan(context.Background(), 2020)
		if err != nil {
			t.Fatal(err)
		}
		return plan
	}
	draftDB := storetest.DSN(t)
	if code, out := runCmd("plan", "import", "-db", draftDB, file); code != 0 || !strings.Contains(out, "as a draft") {
		t.Fatalf("plan import: exit %d, output %q", code, out)
	}
	if plan := open(draftDB); plan.Published() || len(plan.Indicators()) == 0 {
		t.Errorf("imported without -published: published %v, %d indicators", plan.Published(), len(plan.Indicators()))
	}
	pubDB := storetest.DSN(t)
	if code, out := runCmd("plan", "import", "-db", pubDB, "-published", "2020-03-30", file); code != 0 || !strings.Contains(out, "as published") {
		t.Fatalf("plan import -published: exit %d, output %q", code, out)
	}
	if plan := open(pubDB); !plan.Published() || plan.Latest().Date == nil || plan.Latest().Date.Format(time.DateOnly) != "2020-03-30" {
		t.Errorf("imported with -published: %+v", plan.Latest())
	}
	if code, out := runCmd("plan", "import", "-db", storetest.DSN(t), "-published", "someday", file); code != 1 || !strings.Contains(out, "someday") {
		t.Errorf("plan import -published someday: exit %d, output %q", code, out)
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("지표", "A2", "abc")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	code, out := runCmd("plan", "import", "-db", storetest.DSN(t), file)
	if code != 1 || !strings.Contains(out, "지표 시트 2행") || !strings.Contains(out, "nothing was written") {
		t.Errorf("plan import of a bad sheet: exit %d, output %q", code, out)
	}
}

// TestPlanSpreadsheetFillsOriginal gives the 2021 plan, published with its
// tasks and no programmes, its first programmes from the spreadsheet:
// publishing them completes the 원공시, and no 수정공시 is made.
func TestPlanSpreadsheetFillsOriginal(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	sheet := official.get(t, "/plans/2021/plan.xlsx")
	f, err := excelize.OpenReader(strings.NewReader(sheet.body))
	if err != nil {
		t.Fatal(err)
	}
	tasks, _ := f.GetRows("과제")
	code := tasks[1][sheetColumn(t, f, "과제", "과제 코드")-1]
	setCell(t, f, "세부사업", sheetColumn(t, f, "세부사업", "과제 코드"), 2, code)
	setCell(t, f, "세부사업", sheetColumn(t, f, "세부사업", "세부사업명", "세부사업명(영문)"), 2, "청년 일자리 사업")
	setCell(t, f, "세부사업", sheetColumn(t, f, "세부사업", "담당부서"), 2, "일자리경제과")
	setCell(t, f, "지표", sheetColumn(t, f, "지표", "세부사업명"), 2, "청년 일자리 사업")
	setCell(t, f, "지표", sheetColumn(t, f, "지표", "지표명", "지표명(영문)"), 2, "참여 청년")
	setCell(t, f, "지표", sheetColumn(t, f, "지표", "단위", "단위(영문)"), 2, "명")
	setCell(t, f, "지표", sheetColumn(t, f, "지표", "집계 기준"), 2, "실인원")
	setCell(t, f, "지표", sheetColumn(t, f, "지표", "종류"), 2, "누적형")
	setCell(t, f, "지표", sheetColumn(t, f, "지표", "목표", "목표 근거"), 2, 50)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	a := official.upload(t, "/plans/2021/plan-upload", "plan-2021.xlsx", buf.Bytes())
	if a.status != http.StatusOK || !strings.Contains(a.body, "원공시") {
		t.Fatalf("upload = %d:\n%s", a.status, a.body)
	}
	saved := official.post(t, "/plans/2021/plan-upload/"+uploadToken(t, a.body, 2021), url.Values{"action": {"commit"}})
	if saved.status != http.StatusSeeOther || !strings.Contains(saved.location, "/plans/2021/revision") {
		t.Fatalf("save = %d %s:\n%s", saved.status, saved.location, saved.body)
	}
	rev := official.get(t, "/plans/2021/revision")
	if !strings.Contains(rev.body, "수정공시가 되지 않습니다") || !strings.Contains(rev.body, "청년 일자리 사업") {
		t.Errorf("the revision page does not say it completes the 원공시:\n%s", rev.body)
	}
	pub := official.post(t, "/plans/2021/revision", url.Values{"date": {"2026-11-30"}, "effective": {"2021-12"}})
	if pub.status != http.StatusSeeOther {
		t.Fatalf("publish = %d:\n%s", pub.status, pub.body)
	}
	plan, err := s.store.Plan(context.Background(), 2021)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(plan.PublishedVersions()); n != 1 || plan.DraftRevision() != nil {
		t.Errorf("versions = %d, want the 원공시 alone", n)
	}
	inds := plan.Indicators()
	if len(inds) != 1 || inds[0].Name != "참여 청년" || inds[0].Target != 50 || inds[0].Basis != models.BasisPeople {
		t.Errorf("indicators = %+v", inds)
	}
	if got := plan.AsPublished(1).Indicators(); len(got) != 1 {
		t.Errorf("the 원공시 reads %d indicators, want 1", len(got))
	}
}

// TestPlanSpreadsheetNewDepartment shows a 담당부서 the department list
// does not have, and adds it only when the official ticks it.
func TestPlanSpreadsheetNewDepartment(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	f, err := excelize.OpenReader(strings.NewReader(official.get(t, "/plans/2020/plan.xlsx").body))
	if err != nil {
		t.Fatal(err)
	}
	setCell(t, f, "세부사업", sheetColumn(t, f, "세부사업", "담당부서"), 2, "미래일자리과")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	a := official.upload(t, "/plans/2020/plan-upload", "plan.xlsx", buf.Bytes())
	if a.status != http.StatusOK || !strings.Contains(a.body, `name="department-add" value="미래일자리과"`) {
		t.Fatalf("upload = %d, the new department is not offered:\n%s", a.status, a.body)
	}
	token := uploadToken(t, a.body, 2020)
	refused := official.post(t, "/plans/2020/plan-upload/"+token, url.Values{"action": {"commit"}})
	if refused.status != http.StatusUnprocessableEntity || !strings.Contains(refused.body, "미래일자리과") {
		t.Fatalf("save without ticking = %d", refused.status)
	}
	names, _ := s.store.DepartmentNames(context.Background())
	if slices.Contains(names, "미래일자리과") {
		t.Fatalf("the department was added without the tick")
	}
	saved := official.post(t, "/plans/2020/plan-upload/"+token, url.Values{"action": {"commit"}, "department-add": {"미래일자리과"}})
	if saved.status != http.StatusSeeOther {
		t.Fatalf("save with the tick = %d:\n%s", saved.status, saved.body)
	}
	plan, _ := s.store.Plan(context.Background(), 2020)
	names, _ = s.store.DepartmentNames(context.Background())
	if !slices.Contains(names, "미래일자리과") || plan.Tasks[0].Programs[0].Department != "미래일자리과" {
		t.Errorf("department list %v, programme's %q", names, plan.Tasks[0].Programs[0].Department)
	}
}

// TestPlanSpreadsheetChangedSincePreview refuses to save an upload whose
// changes are no longer those its preview showed, and saves the new
// preview's.
func TestPlanSpreadsheetChangedSincePreview(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	f, err := excelize.OpenReader(strings.NewReader(official.get(t, "/plans/2020/plan.xlsx").body))
	if err != nil {
		t.Fatal(err)
	}
	setCell(t, f, "과제", sheetColumn(t, f, "과제", "과제명", "과제명(영문)"), 2, "일자리 기반 구축")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	a := official.upload(t, "/plans/2020/plan-upload", "plan.xlsx", buf.Bytes())
	token := uploadToken(t, a.body, 2020)
	// Meanwhile another official's change of T2's name is published.
	other := s.loginAs(t, "admin")
	sheet2, _ := excelize.OpenReader(strings.NewReader(other.get(t, "/plans/2020/plan.xlsx").body))
	setCell(t, sheet2, "과제", sheetColumn(t, sheet2, "과제", "과제명", "과제명(영문)"), 3, "공공 일자리")
	buf2, _ := sheet2.WriteToBuffer()
	b := other.upload(t, "/plans/2020/plan-upload", "plan.xlsx", buf2.Bytes())
	if r := other.post(t, "/plans/2020/plan-upload/"+uploadToken(t, b.body, 2020), url.Values{"action": {"commit"}, "reason-all": {"명칭 정비"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the other save = %d", r.status)
	}
	if r := other.post(t, "/plans/2020/revision", url.Values{"date": {""}, "effective": {""}}); r.status != http.StatusSeeOther {
		t.Fatalf("publish = %d:\n%s", r.status, r.body)
	}
	stale := official.post(t, "/plans/2020/plan-upload/"+token, url.Values{"action": {"commit"}, "reason-all": {"명칭 정비"}})
	if stale.status != http.StatusUnprocessableEntity || !strings.Contains(stale.body, "미리보기 뒤에 계획이 바뀌어") {
		t.Fatalf("a save after the plan changed = %d:\n%s", stale.status, stale.body)
	}
	if !strings.Contains(stale.body, `<span class="old-value">공공 일자리</span>`) {
		t.Errorf("the new preview does not show that the upload would undo T2's new name:\n%s", stale.body)
	}
	if again := official.post(t, "/plans/2020/plan-upload/"+token, url.Values{"action": {"commit"}, "reason-all": {"명칭 정비"}}); again.status != http.StatusSeeOther {
		t.Errorf("saving the new preview = %d", again.status)
	}
}
