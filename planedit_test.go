package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jobkpi/models"
)

// editYear is a year the test databases have no plan for.
const editYear = 2029

// edited posts a form of the plan editor and requires the redirect back
// to the editor's tree.
func edited(t *testing.T, b *browserClient, path string, form url.Values) answer {
	t.Helper()
	a := b.post(t, path, form)
	if a.status != http.StatusSeeOther || !strings.HasPrefix(a.location, fmt.Sprintf("/plans/%d/edit?done=", yearOf(path))) {
		t.Fatalf("POST %s %v = %d %s, want 303 to the editor: %s", path, form, a.status, a.location, formErrors(a.body))
	}
	return a
}

// yearOf reads the year of a /plans/YYYY/… path.
func yearOf(path string) int {
	var y int
	fmt.Sscanf(strings.TrimPrefix(path, "/plans/"), "%d", &y)
	return y
}

// formErrors is the error summary of a page, for failure messages.
func formErrors(body string) string {
	_, summary, ok := strings.Cut(body, `class="error-summary"`)
	if !ok {
		return "(no error summary)"
	}
	summary, _, _ = strings.Cut(summary, "</div>")
	return html.UnescapeString(summary)
}

// loadPlan reads a year's plan from the store.
func loadPlan(t *testing.T, s *testServer, year int) *models.Plan {
	t.Helper()
	plan, err := s.store.Plan(context.Background(), year)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// indicatorNames lists a programme's indicators in plan order.
func indicatorNames(prog *models.Program) []string {
	var out []string
	for _, ind := range prog.Indicators {
		out = append(out, ind.Name)
	}
	return out
}

// buildEditedPlan writes a small plan into an empty year through the
// editor: two tasks, three programmes, four indicators.
func buildEditedPlan(t *testing.T, s *testServer, b *browserClient) *models.Plan {
	t.Helper()
	base := fmt.Sprintf("/plans/%d/edit", editYear)
	page := b.get(t, base)
	if page.status != http.StatusOK || !strings.Contains(page.body, `action="`+base+`/new"`) || !strings.Contains(page.body, `value="김포시"`) {
		t.Fatalf("GET %s without a plan = %d, want the new-plan form with 김포시 filled in: %.500s", base, page.status, page.body)
	}
	edited(t, b, base+"/new", url.Values{"city": {"김포시"}, "city_en": {"Gimpo"}, "title": {"2029년 김포시 일자리대책"}})
	edited(t, b, base+"/tasks/new", url.Values{"code": {"T1"}, "name": {"일자리 인프라"}, "name_en": {"Job infrastructure"}})
	edited(t, b, base+"/tasks/new", url.Values{"code": {"T2"}, "name": {"공공 일자리"}})
	plan := loadPlan(t, s, editYear)
	t1, t2 := plan.Tasks[0].ID, plan.Tasks[1].ID
	edited(t, b, fmt.Sprintf("%s/tasks/%d/programs/new", base, t1), url.Values{"name": {"청년 취업 지원"}, "department": {"일자리경제과"},
		"field": {"service"}, "groups": {"youth", "women"}, "new": {"1"}, "budget_city": {"1,200"}, "budget_national": {"300"}})
	edited(t, b, fmt.Sprintf("%s/tasks/%d/programs/new", base, t2), url.Values{"name": {"노인 일자리"}, "department": {"노인장애인과"},
		"field": {"direct"}, "groups": {"senior"}})
	edited(t, b, fmt.Sprintf("%s/tasks/%d/programs/new", base, t2), url.Values{"name": {"공공근로"}, "department": {"일자리경제과"}})
	plan = loadPlan(t, s, editYear)
	youth, senior, public := plan.Tasks[0].Programs[0].ID, plan.Tasks[1].Programs[0].ID, plan.Tasks[1].Programs[1].ID
	edited(t, b, fmt.Sprintf("%s/programs/%d/indicators/new", base, youth), url.Values{"name": {"청년 취업자 수"}, "unit": {"명"},
		"basis": {"people"}, "kind": {"flow"}, "target": {"300"}, "headline": {"1"}, "pacing": {"10,20,30,40,50,60,70,80,90,100,200,300"}})
	edited(t, b, fmt.Sprintf("%s/programs/%d/indicators/new", base, youth), url.Values{"name": {"상담 건수"}, "unit": {"건"},
		"kind": {"flow"}, "target": {"1,000"}})
	edited(t, b, fmt.Sprintf("%s/programs/%d/indicators/new", base, senior), url.Values{"name": {"노인 일자리 참여자"}, "unit": {"명"},
		"basis": {"visits"}, "kind": {"stock"}, "target": {"2500"}})
	edited(t, b, fmt.Sprintf("%s/programs/%d/indicators/new", base, public), url.Values{"name": {"공공근로 착수"}, "kind": {"milestone"},
		"due": {"2029-03-31"}})
	return loadPlan(t, s, editYear)
}

// TestPlanEditorBuildsAPlan writes a plan from nothing with the editor's
// forms, then renames, moves and removes records, each change checked in
// the store, on the editor page and in the audit trail.
func TestPlanEditorBuildsAPlan(t *testing.T) {
	s := newTestServer(t, true)
	b := s.loginAs(t, "official")
	plan := buildEditedPlan(t, s, b)
	if plan.Published() || len(plan.Tasks) != 2 || len(plan.Tasks[0].Programs) != 1 || len(plan.Tasks[1].Programs) != 2 || len(plan.Indicators()) != 4 {
		t.Fatalf("the plan built has %d tasks and %d indicators (published %t), want a draft of 2 tasks, 3 programmes, 4 indicators",
			len(plan.Tasks), len(plan.Indicators()), plan.Published())
	}
	youth := &plan.Tasks[0].Programs[0]
	if youth.Department != "일자리경제과" || youth.Field != "service" || youth.Groups != "youth,women" || !youth.New ||
		youth.Budget.Text() != `{"national":300,"city":1200}` {
		t.Errorf("청년 취업 지원 = %s %s %s new=%t %s, want 일자리경제과 service youth,women new {national 300, city 1200}",
			youth.Department, youth.Field, youth.Groups, youth.New, youth.Budget.Text())
	}
	first := youth.Indicators[0]
	if first.Basis != models.BasisPeople || first.Target != 300 || !first.Headline || len(first.Pacing) != models.Months || first.Pacing[0] != 10 {
		t.Errorf("청년 취업자 수 = basis %s target %v headline %t pacing %v", first.Basis, first.Target, first.Headline, first.Pacing)
	}
	ms := plan.Tasks[1].Programs[1].Indicators[0]
	if ms.Kind != models.KindMilestone || ms.DueDate == nil || ms.DueDate.Format("2006-01-02") != "2029-03-31" {
		t.Errorf("공공근로 착수 = %s due %v, want a milestone due 2029-03-31", ms.Kind, ms.DueDate)
	}
	// Every record added takes the next place: the spending indicator a
	// programme has takes none.
	for _, p := range []*models.Program{youth, &plan.Tasks[1].Programs[0], &plan.Tasks[1].Programs[1]} {
		for i, ind := range p.Indicators {
			if ind.Order != i {
				t.Errorf("%s is stored at place %d, want %d", ind.Name, ind.Order, i)
			}
		}
	}
	base := fmt.Sprintf("/plans/%d/edit", editYear)
	tree := b.get(t, base)
	for _, want := range []string{"T1", "일자리 인프라", "청년 취업 지원", "일자리경제과", "고용서비스", "청년, 여성", "1,500백만원", "명, 실인원", "300명", "공공근로 착수"} {
		if !strings.Contains(tree.body, want) {
			t.Errorf("the editor's tree lacks %q", want)
		}
	}

	// Rename a task; move an indicator up and a programme down.
	edited(t, b, fmt.Sprintf("%s/tasks/%d", base, plan.Tasks[0].ID), url.Values{"code": {"T1"}, "name": {"일자리 기반 구축"}, "name_en": {"Job infrastructure"}})
	edited(t, b, base+"/move", url.Values{"record": {"indicators"}, "id": {fmt.Sprint(youth.Indicators[1].ID)}, "position": {"1"}})
	edited(t, b, base+"/move", url.Values{"record": {"programs"}, "id": {fmt.Sprint(plan.Tasks[1].Programs[0].ID)}, "position": {"2"}})
	after := loadPlan(t, s, editYear)
	if got := after.Tasks[0].Name; got != "일자리 기반 구축" {
		t.Errorf("task T1 is named %q after the rename, want 일자리 기반 구축", got)
	}
	if got := strings.Join(indicatorNames(&after.Tasks[0].Programs[0]), ", "); got != "상담 건수, 청년 취업자 수" {
		t.Errorf("indicators after moving 상담 건수 up: %s", got)
	}
	if got := after.Tasks[1].Programs[0].Name + ", " + after.Tasks[1].Programs[1].Name; got != "공공근로, 노인 일자리" {
		t.Errorf("programmes of T2 after moving 노인 일자리 down: %s", got)
	}
	tree = b.get(t, base)
	if i, j := strings.Index(tree.body, "상담 건수"), strings.Index(tree.body, "청년 취업자 수"); i < 0 || j < i {
		t.Errorf("the tree does not list 상담 건수 before 청년 취업자 수 after the move")
	}

	// Remove an indicator.
	gone := after.Tasks[0].Programs[0].Indicators[0]
	confirm := b.get(t, fmt.Sprintf("%s/remove?record=indicators&id=%d", base, gone.ID))
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "상담 건수") || strings.Contains(confirm.body, `name="reason"`) {
		t.Errorf("the removal page of a draft's indicator = %d, want it named and no reason asked: %.300s", confirm.status, confirm.body)
	}
	edited(t, b, base+"/remove", url.Values{"record": {"indicators"}, "id": {fmt.Sprint(gone.ID)}})
	if got := strings.Join(indicatorNames(&loadPlan(t, s, editYear).Tasks[0].Programs[0]), ", "); got != "청년 취업자 수" {
		t.Errorf("indicators after removing 상담 건수: %s", got)
	}

	// The audit trail has each change with its old and new value.
	audit := s.loginAs(t, "admin").get(t, "/admin/audit")
	for _, want := range []string{"일자리 인프라 → 일자리 기반 구축", "상담 건수 삭제", "2029 계획 작성 시작"} {
		if !strings.Contains(html.UnescapeString(audit.body), want) {
			t.Errorf("the audit trail lacks %q", want)
		}
	}
}

// TestPlanEditorRefusals checks what the editor refuses and how it says
// so: next to the field with aria-invalid and in the summary that links
// to it, with what was typed kept, status 422 and nothing changed.
func TestPlanEditorRefusals(t *testing.T) {
	s := newTestServer(t, true)
	b := s.loginAs(t, "official")
	plan := buildEditedPlan(t, s, b)
	base := fmt.Sprintf("/plans/%d/edit", editYear)
	prog := plan.Tasks[0].Programs[0]
	ind := prog.Indicators[0]
	before := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence")
	cases := []struct {
		name, path string
		form       url.Values
		field      string // the field marked invalid; "" for none
		says, kept string
	}{
		{"a task with no code", fmt.Sprintf("%s/tasks/%d", base, plan.Tasks[1].ID), url.Values{"code": {" "}, "name": {"공공 일자리"}},
			"code", "코드를 입력하세요", ""},
		{"a task code another task has", base + "/tasks/new", url.Values{"code": {"T2"}, "name": {"세 번째"}},
			"code", "코드 T2는 이 계획의 다른 항목이 이미 씁니다", `value="세 번째"`},
		{"a budget that is no number", fmt.Sprintf("%s/programs/%d", base, prog.ID), url.Values{"name": {prog.Name}, "budget_city": {"많이"}},
			"budget_city", "숫자만 입력하세요", `value="많이"`},
		{"a department not on the list", fmt.Sprintf("%s/programs/%d", base, prog.ID), url.Values{"name": {prog.Name}, "department": {"미래일자리과"}},
			"department", "'미래일자리과'는 부서 목록에 없습니다", `name="add_department"`},
		{"a monthly plan that does not end at the target", fmt.Sprintf("%s/indicators/%d", base, ind.ID),
			url.Values{"name": {ind.Name}, "kind": {"flow"}, "unit": {"명"}, "basis": {"people"}, "target": {"300"}, "pacing": {"1,2,3,4,5,6,7,8,9,10,11,12"}},
			"pacing", "목표 300과 같아야", `value="1,2,3,4,5,6,7,8,9,10,11,12"`},
		{"a target that is no number and a year of two digits", fmt.Sprintf("%s/indicators/%d", base, ind.ID),
			url.Values{"name": {ind.Name}, "kind": {"flow"}, "unit": {"명"}, "basis": {"people"}, "target": {"abc"}, "baseline_year": {"29"}},
			"target", "숫자만 입력하세요", "네 자리 연도로"},
		{"a milestone with no due date", fmt.Sprintf("%s/programs/%d/indicators/new", base, prog.ID),
			url.Values{"name": {"착수"}, "kind": {"milestone"}}, "due", "기한을 입력하세요", ""},
		{"a move to place 0", base + "/move", url.Values{"record": {"tasks"}, "id": {fmt.Sprint(plan.Tasks[0].ID)}, "position": {"0"}},
			"", "1에서 2 사이여야", ""},
		{"a move past the last place", base + "/move", url.Values{"record": {"tasks"}, "id": {fmt.Sprint(plan.Tasks[0].ID)}, "position": {"3"}},
			"", "1에서 2 사이여야", ""},
		{"a move to no number", base + "/move", url.Values{"record": {"tasks"}, "id": {fmt.Sprint(plan.Tasks[0].ID)}, "position": {"위"}},
			"", "1에서 2 사이여야", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := b.post(t, c.path, c.form)
			if a.status != http.StatusUnprocessableEntity {
				t.Fatalf("POST %s = %d %s, want 422", c.path, a.status, a.location)
			}
			body := html.UnescapeString(a.body)
			if !strings.Contains(formErrors(a.body), c.says) {
				t.Errorf("the error summary does not say %q: %s", c.says, formErrors(a.body))
			}
			if c.kept != "" && !strings.Contains(body, c.kept) {
				t.Errorf("the page does not keep %s", c.kept)
			}
			if c.field != "" {
				if !strings.Contains(body, `<a href="#`+c.field+`">`) {
					t.Errorf("the summary does not link to #%s", c.field)
				}
				marked := regexp.MustCompile(`id="` + c.field + `"[^>]*aria-describedby="[^"]*` + c.field + `-error"[^>]*aria-invalid="true"`)
				if !marked.MatchString(a.body) || !strings.Contains(a.body, `id="`+c.field+`-error"`) {
					t.Errorf("the field %s is not marked invalid with its message", c.field)
				}
			}
		})
	}
	if after := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence"); after != before {
		t.Errorf("a refused edit changed the database: %s → %s", before, after)
	}

	// Ticking 부서 목록에 추가 adds the department with the change.
	edited(t, b, fmt.Sprintf("%s/programs/%d", base, prog.ID), url.Values{"name": {prog.Name}, "department": {"미래일자리과"}, "add_department": {"1"}})
	names, err := s.store.DepartmentNames(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(names, ","), "미래일자리과") || loadPlan(t, s, editYear).Tasks[0].Programs[0].Department != "미래일자리과" {
		t.Errorf("after ticking 부서 목록에 추가: departments %v, programme in %q", names, loadPlan(t, s, editYear).Tasks[0].Programs[0].Department)
	}

	// Staff and council have no editor.
	for _, login := range []string{"staff", "council"} {
		c := s.loginAs(t, login)
		if a := c.get(t, base); a.status != http.StatusForbidden {
			t.Errorf("GET %s as %s = %d, want 403", base, login, a.status)
		}
		if a := c.post(t, base+"/tasks/new", url.Values{"code": {"T9"}, "name": {"몰래"}}); a.status != http.StatusForbidden {
			t.Errorf("POST %s/tasks/new as %s = %d, want 403", base, login, a.status)
		}
	}
}

// TestPlanEditorRevisesPublishedPlan edits the published 2020 plan: a
// change goes into the draft revision with its reason and the plan keeps
// its published value until the revision is published; the 담당부서
// changes at once; a task with figures is not removed.
func TestPlanEditorRevisesPublishedPlan(t *testing.T) {
	s := newTestServer(t, true)
	b := s.loginAs(t, "official")
	plan := loadPlan(t, s, 2020)
	task := plan.Tasks[0]
	prog := task.Programs[0]
	path := fmt.Sprintf("/plans/2020/edit/programs/%d", prog.ID)

	form := b.get(t, path)
	if form.status != http.StatusOK || !strings.Contains(form.body, `name="reason"`) || !strings.Contains(form.body, `value="`+prog.Name+`"`) {
		t.Fatalf("GET %s = %d, want the programme's form with a reason field", path, form.status)
	}
	noReason := b.post(t, path, url.Values{"name": {"새 이름 사업"}})
	if noReason.status != http.StatusUnprocessableEntity || !strings.Contains(formErrors(noReason.body), "변경 사유를 적어 주세요") ||
		!strings.Contains(noReason.body, `<a href="#reason">`) || !strings.Contains(noReason.body, `value="새 이름 사업"`) {
		t.Errorf("a published plan's change without a reason = %d: %s", noReason.status, formErrors(noReason.body))
	}
	a := edited(t, b, path, url.Values{"name": {"새 이름 사업"}, "department": {"노인장애인과"}, "reason": {"사업명 정비"}})
	if !strings.Contains(a.location, "done=revised") {
		t.Errorf("after a published plan's change the editor says %s, want done=revised", a.location)
	}
	after := loadPlan(t, s, 2020)
	if got := after.Program(prog.ID); got.Name != prog.Name || got.Department != "노인장애인과" {
		t.Errorf("the programme is %q in %q, want its published name %q kept and the department changed at once", got.Name, got.Department, prog.Name)
	}
	taskPage := s.newClient(t).get(t, "/plans/2020/tasks/"+task.Code)
	if !strings.Contains(taskPage.body, prog.Name) || strings.Contains(taskPage.body, "새 이름 사업") {
		t.Errorf("the public task page shows the new name before the revision is published")
	}
	rev := html.UnescapeString(b.get(t, "/plans/2020/revision").body)
	for _, want := range []string{prog.Name + " → 새 이름 사업", "사업명 정비"} {
		if !strings.Contains(rev, want) {
			t.Errorf("the draft revision lacks %q", want)
		}
	}
	if strings.Contains(rev, "!edit.field") || strings.Contains(rev, "!planedit") {
		t.Error("the draft revision shows a catalogue key instead of a field's name")
	}
	if tree := b.get(t, "/plans/2020/edit"); !strings.Contains(tree.body, "수정공시 초안") {
		t.Error("the editor of a published plan does not say that changes go into the draft revision")
	}

	// A task with figures stays.
	withFigures := plan.Tasks[1]
	before := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence")
	removal := b.post(t, "/plans/2020/edit/remove", url.Values{"record": {"tasks"}, "id": {fmt.Sprint(withFigures.ID)}, "reason": {"폐지"}})
	if removal.status != http.StatusUnprocessableEntity || !strings.Contains(formErrors(removal.body), "입력된 실적") {
		t.Errorf("removing %s with figures = %d: %s", withFigures.Code, removal.status, formErrors(removal.body))
	}
	if after := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence"); after != before {
		t.Error("the refused removal changed the database")
	}

	audit := html.UnescapeString(s.loginAs(t, "admin").get(t, "/admin/audit").body)
	for _, want := range []string{"name: " + prog.Name + " → 새 이름 사업 (사업명 정비)", "department: " + prog.Department + " → 노인장애인과"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit trail lacks %q", want)
		}
	}
}

// TestPlanEditorFillsOriginal writes the programmes of the shipped 2021
// plan, published with none: they need no reason, wait in the draft
// revision where the editor shows them, and publishing it completes the
// 원공시 instead of making a revision.
func TestPlanEditorFillsOriginal(t *testing.T) {
	s := newTestServer(t, true)
	b := s.loginAs(t, "official")
	plan := loadPlan(t, s, 2021)
	if !plan.FillsOriginal() {
		t.Fatal("the shipped 2021 plan has programmes; the test needs one published without")
	}
	tree := b.get(t, "/plans/2021/edit")
	if !strings.Contains(tree.body, "원공시에 세부사업이 아직 없습니다") {
		t.Error("the editor of a plan published without programmes does not say they complete the 원공시")
	}
	task := plan.Tasks[0]
	add := fmt.Sprintf("/plans/2021/edit/tasks/%d/programs/new", task.ID)
	if form := b.get(t, add); strings.Contains(form.body, `name="reason"`) {
		t.Error("the programme form of a plan published without programmes asks for a reason")
	}
	edited(t, b, add, url.Values{"name": {"첫째 사업"}, "department": {"일자리경제과"}})
	edited(t, b, add, url.Values{"name": {"둘째 사업"}, "department": {"일자리경제과"}})
	tree = b.get(t, "/plans/2021/edit")
	if !strings.Contains(tree.body, "수정공시 초안에 추가됨(공시하면 반영): 첫째 사업, 둘째 사업") {
		t.Error("the editor does not show the programmes waiting in the draft revision under their task")
	}
	if a := b.post(t, "/plans/2021/revision", url.Values{"date": {""}, "effective": {"2021-12"}}); a.status != http.StatusSeeOther {
		t.Fatalf("publishing the draft revision = %d: %s", a.status, formErrors(a.body))
	}
	plan = loadPlan(t, s, 2021)
	if got := plan.Tasks[0].Programs; len(got) != 2 || got[0].Name != "첫째 사업" || got[1].Name != "둘째 사업" || got[0].Order != 0 || got[1].Order != 1 {
		t.Errorf("T1 of 2021 after the 원공시 is completed: %+v", got)
	}
	if n := len(plan.PublishedVersions()); n != 1 || plan.FillsOriginal() {
		t.Errorf("the plan has %d published versions (fills original %t), want the 원공시 alone, completed", n, plan.FillsOriginal())
	}
	// From now on a change is a revision, and a move asks why first.
	move := url.Values{"record": {"tasks"}, "id": {fmt.Sprint(task.ID)}, "position": {"2"}}
	ask := b.post(t, "/plans/2021/edit/move", move)
	if ask.status != http.StatusOK || !strings.Contains(ask.body, `name="reason"`) || !strings.Contains(ask.body, `name="confirm"`) {
		t.Fatalf("a move in a published plan = %d, want the page that asks for its reason", ask.status)
	}
	move.Set("confirm", "1")
	if a := b.post(t, "/plans/2021/edit/move", move); a.status != http.StatusUnprocessableEntity || !strings.Contains(formErrors(a.body), "변경 사유") {
		t.Errorf("a confirmed move without a reason = %d: %s", a.status, formErrors(a.body))
	}
	move.Set("reason", "순서 정리")
	edited(t, b, "/plans/2021/edit/move", move)
	if loadPlan(t, s, 2021).Tasks[0].ID != task.ID {
		t.Error("the move changed the published order before the revision is published")
	}
	if rev := html.UnescapeString(b.get(t, "/plans/2021/revision").body); !strings.Contains(rev, "순서") || !strings.Contains(rev, "1 → 2") {
		t.Error("the draft revision does not list the move")
	}
}

// TestPlanEditorOutcomes adds an outcome target to a draft and changes
// one of a published plan: the outcome changes, in place and by
// revision, and no indicator does.
func TestPlanEditorOutcomes(t *testing.T) {
	s := newTestServer(t, true)
	b := s.loginAs(t, "official")
	buildEditedPlan(t, s, b)
	base := fmt.Sprintf("/plans/%d/edit", editYear)
	edited(t, b, base+"/outcomes/new", url.Values{"code": {"O1"}, "name": {"고용률"}, "unit": {"%"}, "target": {"62.5"}, "baseline": {"61"}, "baseline_year": {"2028"}})
	draft := loadPlan(t, s, editYear)
	if len(draft.Outcomes) != 1 || *draft.Outcomes[0].Target != 62.5 {
		t.Fatalf("the draft's outcome targets after the addition: %+v", draft.Outcomes)
	}
	targets := func(p *models.Plan) string {
		var out []string
		for _, ind := range p.Indicators() {
			out = append(out, fmt.Sprint(ind.ID, ":", ind.Target))
		}
		return strings.Join(out, " ")
	}
	before := targets(draft)
	edited(t, b, fmt.Sprintf("%s/outcomes/%d", base, draft.Outcomes[0].ID), url.Values{"target": {"63"}})
	draft = loadPlan(t, s, editYear)
	if *draft.Outcomes[0].Target != 63 || targets(draft) != before {
		t.Errorf("after changing the draft's outcome target: outcome %v, indicators %s (were %s)", *draft.Outcomes[0].Target, targets(draft), before)
	}

	plan := loadPlan(t, s, 2020)
	o := plan.Outcomes[0]
	before = targets(plan)
	edited(t, b, fmt.Sprintf("/plans/2020/edit/outcomes/%d", o.ID), url.Values{"target": {"70"}, "reason": {"목표 상향"}})
	plan = loadPlan(t, s, 2020)
	if targets(plan) != before || *plan.Outcomes[0].Target != *o.Target {
		t.Errorf("a published outcome's change took effect at once or moved an indicator's target: %s (were %s)", targets(plan), before)
	}
	draftRev := plan.DraftRevision()
	if draftRev == nil || len(draftRev.Changes) != 0 || len(draftRev.Edits) != 1 || draftRev.Edits[0].Record != "outcomes" {
		t.Fatalf("the draft revision after an outcome's change: %+v", draftRev)
	}
	if rev := html.UnescapeString(b.get(t, "/plans/2020/revision").body); !strings.Contains(rev, o.Name) || !strings.Contains(rev, "목표 상향") {
		t.Errorf("the draft revision does not list the change of %s", o.Name)
	}
}
