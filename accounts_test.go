package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"jobkpi/models"
)

// TestDepartmentList: users and programmes pick their department from one
// list, the plans' departments and those an admin adds, so that a typo
// such as 일자리 경제과 cannot make a staff member with no indicators.
func TestDepartmentList(t *testing.T) {
	s := newTestServer(t, true)
	admin := s.loginAs(t, "admin")
	a := admin.get(t, "/admin/departments")
	if a.status != http.StatusOK || !strings.Contains(a.body, "<th scope=\"row\">일자리경제과</th>") || !strings.Contains(a.body, "노인장애인과") {
		t.Fatalf("GET /admin/departments = %d, want the plan's departments: %.300s", a.status, a.body)
	}
	if a := admin.post(t, "/admin/departments", url.Values{"name": {" 복지과 "}}); a.status != http.StatusSeeOther {
		t.Fatalf("add 복지과 = %d: %.300s", a.status, a.body)
	}
	if a := admin.post(t, "/admin/departments", url.Values{"name": {"일자리 경제과"}}); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, `이미 목록에 있는 부서입니다: &#34;일자리경제과&#34;`) || !strings.Contains(a.body, `id="name-error"`) {
		t.Errorf("add 일자리 경제과 = %d, want 422 naming 일자리경제과 next to the field: %.400s", a.status, a.body)
	}
	if a := admin.get(t, "/admin/users"); !strings.Contains(a.body, `<option value="복지과">복지과</option>`) {
		t.Errorf("the new-user form does not offer 복지과")
	}

	user := url.Values{"login": {"kim.typo"}, "display_name": {"김오타"}, "department": {"일자리 경제과"}, "role": {"staff"}, "password": {"temporary pass 2026"}}
	a = admin.post(t, "/admin/users", user)
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `id="department-error"`) || !strings.Contains(a.body, "&#34;일자리경제과&#34; 부서를 뜻했다면") {
		t.Errorf("a user of 일자리 경제과 = %d, want 422 pointing to 일자리경제과: %.400s", a.status, a.body)
	}
	a = admin.post(t, "/admin/users?lang=en", withForm(user, "lang", "en"))
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "is not on the list of departments. If you meant") {
		t.Errorf("in English, a user of 일자리 경제과 = %d: %.400s", a.status, a.body)
	}
	if a := admin.post(t, "/admin/users", withForm(user, "department", "복지과")); a.status != http.StatusSeeOther {
		t.Fatalf("a user of 복지과 = %d: %.300s", a.status, a.body)
	}
	kim := userID(t, s, "kim.typo")
	if a := admin.post(t, fmt.Sprintf("/admin/users/%d", kim), url.Values{"action": {"role"}, "role": {"staff"}, "department": {"복지 과"}}); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, `id="department-error"`) {
		t.Errorf("moving a user to an unknown department = %d, want 422", a.status)
	}

	// A department in use stays; an unused one an admin added can go.
	list, _ := s.store.DepartmentList(context.Background())
	ids := map[string]uint{}
	for _, d := range list {
		ids[d.Name] = d.ID
	}
	if a := admin.post(t, fmt.Sprintf("/admin/departments/%d/delete", ids["복지과"]), url.Values{}); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, "사용자 1명") || !strings.Contains(a.body, `href="#dept-list"`) {
		t.Errorf("removing 복지과 with a user = %d, want 422: %.400s", a.status, a.body)
	}
	if a := admin.post(t, "/admin/departments", url.Values{"name": {"교통과"}}); a.status != http.StatusSeeOther {
		t.Fatal(a.status)
	}
	list, _ = s.store.DepartmentList(context.Background())
	for _, d := range list {
		ids[d.Name] = d.ID
	}
	if a := admin.post(t, fmt.Sprintf("/admin/departments/%d/delete", ids["교통과"]), url.Values{}); a.status != http.StatusSeeOther {
		t.Errorf("removing the unused 교통과 = %d: %.300s", a.status, a.body)
	}
	events, _ := s.store.Events(context.Background(), models.EventFilter{Kind: models.EventDeptRemove})
	if len(events) != 1 || events[0].Detail != "교통과" || events[0].Actor != "admin" {
		t.Errorf("the access log of removals = %+v", events)
	}
}

// TestProgramDepartmentFromList: the programme form picks from the list.
func TestProgramDepartmentFromList(t *testing.T) {
	s := newTestServer(t, true)
	_, prog := demoIDs(t, s)
	official := s.loginAs(t, "official")
	path := fmt.Sprintf("/plans/2020/programs/%d", prog)
	if a := official.get(t, path); !strings.Contains(a.body, `<option value="일자리경제과" selected>일자리경제과</option>`) {
		t.Errorf("the programme form does not offer its department as chosen: %.300s", a.body)
	}
	for _, dept := range []string{"일자리 경제과", "없는과", ""} {
		if a := official.post(t, path, url.Values{"department": {dept}}); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `id="department-error"`) {
			t.Errorf("programme department %q = %d, want 422 next to the field", dept, a.status)
		}
	}
	if a := official.post(t, path, url.Values{"department": {"노인장애인과"}}); a.status != http.StatusSeeOther {
		t.Errorf("programme department 노인장애인과 = %d", a.status)
	}
}

// TestEmptyDepartmentListSaysWhatToDo: without -demo no plan names a
// department, so the first-admin setup, the user form and the programme
// form say to add departments first, and where.
func TestEmptyDepartmentListSaysWhatToDo(t *testing.T) {
	s := newTestServer(t, false)
	ctx := context.Background()
	token, err := s.store.NewSetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := s.newClient(t)
	if a := b.get(t, "/setup?token="+token); !strings.Contains(a.body, "부서부터 추가하세요") || !strings.Contains(a.body, `href="/admin/departments"`) {
		t.Errorf("the setup page does not say to add departments first: %.300s", a.body)
	}
	form := url.Values{"token": {token}, "login": {"boss"}, "display_name": {"관리자"}, "password": {"first admin passphrase"}, "confirm": {"first admin passphrase"}}
	if a := b.post(t, "/setup", form); a.status != http.StatusSeeOther {
		t.Fatalf("POST /setup = %d", a.status)
	}
	if a := b.get(t, "/admin/users?lang=en"); !strings.Contains(a.body, "The list of departments is empty") || !strings.Contains(a.body, `href="/admin/departments?lang=en"`) {
		t.Errorf("the user form does not say the list is empty: %.300s", a.body)
	}
	plan, err := s.store.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	prog := plan.Tasks[0].Programs[0].ID
	if a := b.get(t, fmt.Sprintf("/plans/2020/programs/%d", prog)); !strings.Contains(a.body, "부서 목록이 비어 있습니다") || !strings.Contains(a.body, `href="/admin/departments"`) {
		t.Errorf("the programme form does not say the list is empty: %.300s", a.body)
	}
}

// TestAuditPaging: the access log comes a page at a time, keeping the
// filters, and names the browser in a few words with the full string a
// click away.
func TestAuditPaging(t *testing.T) {
	s := newTestServer(t, true)
	ctx := context.Background()
	chrome := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.7390.54 Safari/537.36"
	for i := range 120 {
		if err := s.store.RecordEvent(ctx, models.EventLogout, &models.User{Login: "council"}, models.Origin{IP: fmt.Sprintf("10.0.0.%d", i), UserAgent: chrome}, ""); err != nil {
			t.Fatal(err)
		}
	}
	admin := s.loginAs(t, "admin")
	rows := regexp.MustCompile(`<tr><td><time`)
	a := admin.get(t, "/admin/audit?login=council&kind=logout")
	if a.status != http.StatusOK || len(rows.FindAllString(a.body, -1)) != 50 {
		t.Fatalf("page 1 = %d with %d rows, want 50", a.status, len(rows.FindAllString(a.body, -1)))
	}
	if !strings.Contains(a.body, "접속 기록 1–50번째 (전체 120건, 최신순)") || !strings.Contains(a.body, "1 / 3쪽") {
		t.Errorf("page 1 does not say which entries it shows")
	}
	if !strings.Contains(a.body, `href="/admin/audit?kind=logout&amp;login=council&amp;page=2" rel="next"`) {
		t.Errorf("page 1 has no next link keeping the filters: %s", between(a.body, `<nav class="pager"`, "</nav>"))
	}
	if !strings.Contains(a.body, "<details><summary>Chrome 156 / Windows</summary>") || !strings.Contains(a.body, chrome+"</p></details>") {
		t.Errorf("the browser is not named in short with the full string on demand: %s", between(a.body, `<td class="agent">`, "</td>"))
	}
	a = admin.get(t, "/admin/audit?login=council&kind=logout&page=3&lang=en")
	if n := len(rows.FindAllString(a.body, -1)); a.status != http.StatusOK || n != 20 || !strings.Contains(a.body, "10.0.0.0<") ||
		!strings.Contains(a.body, "Access-log entries 101–120 of 120, newest first") || !strings.Contains(a.body, `aria-current="page"`) {
		t.Errorf("page 3 = %d with %d rows, want the 20 oldest", a.status, n)
	}
	for _, bad := range []string{"0", "abc", "-1", "1e3", "9999999"} {
		if a := admin.get(t, "/admin/audit?page="+bad); a.status != http.StatusBadRequest || !strings.Contains(a.body, `id="page"`) {
			t.Errorf("page=%s = %d, want 400 with the problem", bad, a.status)
		}
	}
	if a := admin.get(t, "/admin/audit?page=999"); a.status != http.StatusOK || !strings.Contains(a.body, `aria-current="page"`) {
		t.Errorf("a page past the last = %d, want the last page", a.status)
	}
}

func withForm(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string{}, vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func userID(t testing.TB, s *testServer, login string) uint {
	t.Helper()
	users, err := s.store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Login == login {
			return u.ID
		}
	}
	t.Fatalf("no user %q", login)
	return 0
}

// between is the part of s from the first start to the end after it, for
// failure messages.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return "(no " + start + ")"
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(end)]
}
