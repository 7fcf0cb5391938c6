package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// browserClient is an HTTP client with a cookie jar that does not follow
// redirects, so tests see each answer.
type browserClient struct {
	*http.Client
	s *testServer
}

func (s *testServer) newClient(t testing.TB) *browserClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browserClient{&http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}, s}
}

type answer struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (b *browserClient) do(t testing.TB, req *http.Request) answer {
	t.Helper()
	res, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header.Get("Location"), string(body), res.Header}
}

func (b *browserClient) get(t testing.TB, path string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.s.URL+path, nil)
	return b.do(t, req)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf fetches a CSRF token the way a form would carry it.
func (b *browserClient) csrf(t testing.TB) string {
	t.Helper()
	a := b.get(t, "/login")
	if m := csrfField.FindStringSubmatch(a.body); m != nil {
		return m[1]
	}
	// Signed in, /login redirects; any page with a form has the token.
	a = b.get(t, "/account/password")
	m := csrfField.FindStringSubmatch(a.body)
	if m == nil {
		t.Fatalf("no CSRF token on /login or /account/password: %.300s", a.body)
	}
	return m[1]
}

// post sends a form with a valid CSRF token unless form sets _csrf.
func (b *browserClient) post(t testing.TB, path string, form url.Values, header ...string) answer {
	t.Helper()
	copied := url.Values{}
	for k, v := range form {
		copied[k] = v
	}
	form = copied
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.csrf(t))
	}
	req, _ := http.NewRequest(http.MethodPost, b.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(t, req)
}

func demoPassword(t testing.TB, login string) string {
	t.Helper()
	for _, a := range models.DemoAccounts {
		if a.Login == login {
			return a.Password
		}
	}
	t.Fatalf("no demo account %q", login)
	return ""
}

// loginAs signs a new client in as a demo account.
func (s *testServer) loginAs(t testing.TB, login string) *browserClient {
	t.Helper()
	b := s.newClient(t)
	a := b.post(t, "/login", url.Values{"login": {login}, "password": {demoPassword(t, login)}})
	if a.status != http.StatusSeeOther || a.location != "/" {
		t.Fatalf("login as %s = %d %s: %.300s", login, a.status, a.location, a.body)
	}
	return b
}

// demoIDs finds a milestone of 일자리경제과 and its programme.
func demoIDs(t testing.TB, s *testServer) (milestone, program uint) {
	t.Helper()
	sum, err := s.store.Summary(context.Background(), 2020, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, is := range sum.Milestones {
		if is.Program.Department == "일자리경제과" {
			return is.Indicator.ID, is.Program.ID
		}
	}
	t.Fatal("no milestone of 일자리경제과 in the demo plan")
	return 0, 0
}

// TestRoleRouteMatrix sends every protected route as every role and checks
// the answer: the test that catches a forgotten check.
func TestRoleRouteMatrix(t *testing.T) {
	parallelShort(t)
	s := newTestServer(t, true)
	ms, prog := demoIDs(t, s)
	users := []string{"", "council", "staff", "staff2", "official", "admin"}
	clients := map[string]*browserClient{"": s.newClient(t)}
	for _, u := range users[1:] {
		clients[u] = s.loginAs(t, u)
	}
	type route struct {
		method, path string
		form         url.Values        // for PUT, form["json"] is the body
		want         map[string]string // by user; "login" = redirect to the login page
	}
	all := func(anon, signedIn string) map[string]string {
		m := map[string]string{"": anon}
		for _, u := range users[1:] {
			m[u] = signedIn
		}
		return m
	}
	only := func(anon, allowed, others string, who ...string) map[string]string {
		m := all(anon, others)
		for _, u := range who {
			m[u] = allowed
		}
		return m
	}
	milestone := fmt.Sprintf("/plans/2020/indicators/%d/milestone", ms)
	program := fmt.Sprintf("/plans/2020/programs/%d", prog)
	ind := fmt.Sprintf("/plans/2020/indicators/%d", ms)
	editors := []string{"staff", "staff2", "official", "admin"}
	routes := []route{
		{"GET", "/", nil, all("200", "200")},
		{"GET", "/plans/2020", nil, all("200", "200")},
		{"GET", "/plans/2020/tasks/T1", nil, all("200", "200")},
		{"GET", "/plans/2020/results.csv", nil, all("200", "200")},
		{"GET", ind, nil, all("200", "200")},
		{"GET", "/api/v1/plans", nil, all("200", "200")},
		{"GET", "/api/v1/plans/2020", nil, all("200", "200")},
		{"GET", "/account", nil, all("login", "200")},
		{"POST", "/account/tokens", url.Values{"name": {strings.Repeat("가", 101)}}, all("401", "422")},
		{"POST", "/account/tokens/999999/delete", url.Values{}, all("401", "404")},
		{"GET", "/account/password", nil, all("login", "200")},
		{"POST", "/account/password", url.Values{}, all("401", "422")},
		{"POST", "/session/extend", url.Values{}, all("401", "303")},
		{"GET", "/reports", nil, only("login", "303", "403", "council", "official", "admin")},
		{"GET", "/reports/2020", nil, only("login", "200", "403", "council", "official", "admin")},
		{"GET", "/reports/2020?draft=1", nil, only("login", "200", "403", "council", "official", "admin")},
		{"GET", "/reports/2020/download?format=xlsx&period=2020-Q1", nil, only("login", "200", "403", "council", "official", "admin")},
		{"GET", "/disclosure", nil, all("200", "200")},
		{"GET", "/disclosure/2020", nil, all("200", "200")},
		{"GET", "/disclosure/2020/download?format=json", nil, all("200", "200")},
		{"GET", "/disclosure/2020/h1", nil, all("404", "404")},
		{"GET", "/disclosure/2020/h1/download?format=json", nil, all("404", "404")},
		{"GET", "/plans/2020/results/h1", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/results/year", url.Values{"expect": {"stale"}}, only("401", "409", "403", "official", "admin")},
		{"POST", milestone, url.Values{"state": {"bogus"}}, only("401", "422", "403", "staff", "official", "admin")},
		{"GET", program, nil, only("login", "200", "403", "official", "admin")},
		{"GET", "/plans/2020/revision", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/revision", url.Values{"date": {"bogus"}}, only("401", "422", "403", "official", "admin")},
		{"POST", "/plans/2020/revision/changes/999999/delete", url.Values{}, only("401", "404", "403", "official", "admin")},
		{"POST", "/plans/2020/revision/edits/999999/delete", url.Values{}, only("401", "404", "403", "official", "admin")},
		{"GET", "/plans/2020/outcomes", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/outcomes/1/values", url.Values{"o1-value": {"101"}}, only("401", "422", "403", "official", "admin")},
		{"POST", "/plans/2020/outcomes/1/target", url.Values{"o1-target": {"-1"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/draft", nil, only("login", "303", "403", "official", "admin")},
		{"GET", "/plans/2020/plan.xlsx", nil, only("login", "200", "403", "official", "admin")},
		{"GET", "/plans/2020/plan-upload", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/plan-upload", url.Values{}, only("401", "422", "403", "official", "admin")},
		{"POST", "/plans/2020/plan-upload/0123456789abcdef", url.Values{"action": {"commit"}}, only("401", "404", "403", "official", "admin")},
		{"POST", "/plans/2020/targets", url.Values{"target-1": {"5"}}, only("401", "409", "403", "official", "admin")},
		{"POST", "/plans/2020/publish", url.Values{}, only("401", "422", "403", "official", "admin")},
		{"POST", "/plans/2020/copy", url.Values{"to": {"2019"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2040/edit/new", url.Values{"city": {"김포시"}, "title": {" "}}, only("401", "422", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/move", url.Values{"record": {"tasks"}, "id": {"1"}, "position": {"0"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/remove", nil, only("login", "404", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/remove?record=tasks&id=1", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/remove", url.Values{"record": {"tasks"}, "id": {"2"}, "reason": {"폐지"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/tasks/new", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/tasks/new", url.Values{"code": {""}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/tasks/1", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/tasks/1", url.Values{"code": {""}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/tasks/1/programs/new", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/tasks/1/programs/new", url.Values{"name": {""}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/programs/1", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/programs/1", url.Values{"budget_city": {"x"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/programs/1/indicators/new", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/programs/1/indicators/new", url.Values{"kind": {"bogus"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/indicators/1", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/indicators/1", url.Values{"name": {""}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/outcomes/new", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/outcomes/new", url.Values{"code": {""}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/edit/outcomes/1", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/plans/2020/edit/outcomes/1", url.Values{"target": {"x"}}, only("401", "422", "403", "official", "admin")},
		{"POST", program, url.Values{"department": {"일자리경제과"}}, only("401", "303", "403", "official", "admin")},
		{"GET", "/entry", nil, only("login", "303", "403", editors...)},
		{"GET", "/entry/2020", nil, only("login", "200", "403", editors...)},
		{"POST", "/entry/2020", url.Values{"action": {"save"}}, only("401", "303", "403", editors...)},
		{"GET", "/entry/2020/template.xlsx", nil, only("login", "200", "403", editors...)},
		{"GET", "/entry/2020/export.xlsx", nil, only("login", "200", "403", editors...)},
		{"GET", "/entry/2020/export.csv", nil, only("login", "200", "403", editors...)},
		{"GET", "/entry/2020/upload", nil, only("login", "200", "403", editors...)},
		{"POST", "/entry/2020/upload", url.Values{}, only("401", "422", "403", editors...)},
		{"GET", "/entry/2020/upload/nosuchtoken", nil, only("login", "404", "403", editors...)},
		{"POST", "/entry/2020/upload/nosuchtoken", url.Values{}, only("401", "404", "403", editors...)},
		{"GET", "/my", nil, only("login", "200", "403", editors...)},
		{"POST", ind + "/commentary", url.Values{"month": {"3"}}, only("401", "422", "403", "staff", "official", "admin")},
		{"GET", "/review", nil, only("login", "200", "403", "official", "admin")},
		{"POST", "/review", url.Values{"action": {"bogus"}}, only("401", "400", "403", "official", "admin")},
		{"POST", "/review/approve", url.Values{}, only("401", "422", "403", "official", "admin")},
		{"GET", fmt.Sprintf("/plans/2020/indicators/%d/history", ms), nil, all("login", "200")},
		{"GET", fmt.Sprintf("/plans/2020/indicators/%d/history.csv", ms), nil, all("login", "200")},
		{"POST", "/plans/2020/indicators/4/unlock", url.Values{"month": {"3"}}, only("401", "422", "403", "official", "admin")},
		{"POST", "/entry/2020/unlock", url.Values{"month": {"3"}}, only("401", "422", "403", "official", "admin")},
		{"POST", "/plans/2020/indicators/4/target", url.Values{"target": {"abc"}}, only("401", "422", "403", "official", "admin")},
		{"POST", "/plans/2020/indicators/4/basis", url.Values{"basis": {"bogus"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/plans/2020/groups", nil, all("200", "200")},
		{"POST", program + "/plan", url.Values{"field": {"bogus"}}, only("401", "422", "403", "official", "admin")},
		{"GET", "/api/v1/figures/4/2020/3", nil, only("401", "200", "403", editors...)},
		{"PUT", fmt.Sprintf("/api/v1/figures/%d/2020/3", ms), url.Values{"json": {`{"value": 1, "version": 0}`}}, only("401", "422", "403", "staff", "official", "admin")},
		{"GET", "/admin/users", nil, only("login", "200", "403", "admin")},
		{"POST", "/admin/users", url.Values{}, only("401", "422", "403", "admin")},
		{"GET", "/admin/users/1", nil, only("login", "200", "403", "admin")},
		{"POST", "/admin/users/1", url.Values{"action": {"bogus"}}, only("401", "400", "403", "admin")},
		{"GET", "/admin/users/2/disable", nil, only("login", "200", "403", "admin")},
		{"GET", "/admin/departments", nil, only("login", "200", "403", "admin")},
		{"POST", "/admin/departments", url.Values{"name": {""}}, only("401", "422", "403", "admin")},
		{"POST", "/admin/departments/999999/delete", url.Values{}, only("401", "404", "403", "admin")},
		{"GET", "/admin/fields", nil, only("login", "200", "403", "admin")},
		{"POST", "/admin/fields", url.Values{"name": {""}}, only("401", "422", "403", "admin")},
		{"GET", "/admin/audit", nil, only("login", "200", "403", "admin")},
		{"GET", "/admin/settings", nil, only("login", "200", "403", "admin")},
		{"POST", "/admin/settings", url.Values{"retention_days": {"1"}}, only("401", "422", "403", "admin")},
	}
	for _, r := range routes {
		for _, u := range users {
			name := u
			if name == "" {
				name = "anonymous"
			}
			t.Run(r.method+" "+r.path+" as "+name, func(t *testing.T) {
				b := clients[u]
				var a answer
				switch r.method {
				case "POST":
					a = b.post(t, r.path, r.form)
				case "PUT":
					a = b.putFigure(t, r.path, r.form.Get("json"), "")
				default:
					a = b.get(t, r.path)
				}
				got := fmt.Sprint(a.status)
				if a.status == http.StatusSeeOther && strings.HasPrefix(a.location, "/login") {
					got = "login"
				}
				if want := r.want[u]; got != want {
					t.Errorf("%s %s as %s = %s (%s), want %s", r.method, r.path, name, got, a.location, want)
				}
			})
		}
	}

	// Every route the server registers has a row, so a new route cannot
	// arrive without its access rule being checked.
	e, err := newServer(s.store, discardLog(), config{public: true})
	if err != nil {
		t.Fatal(err)
	}
	exempt := map[string]bool{ // public by design, or before any session exists
		"GET /static/:version/*": true, "GET /healthz": true, "GET /readyz": true, "GET /api/openapi.json": true,
		"GET /login": true, "POST /login": true, "POST /logout": true, "GET /setup": true, "POST /setup": true,
	}
	param := regexp.MustCompile(`:[a-z]+`)
	for _, er := range e.Routes() {
		key := er.Method + " " + er.Path
		if exempt[key] || strings.HasPrefix(er.Name, "github.com/labstack/echo") {
			continue
		}
		pattern := regexp.MustCompile("^" + param.ReplaceAllString(regexp.QuoteMeta(er.Path), "[^/]+") + "$")
		found := false
		for _, r := range routes {
			path, _, _ := strings.Cut(r.path, "?")
			found = found || (r.method == er.Method && pattern.MatchString(path))
		}
		if !found {
			t.Errorf("route %s has no row in the role matrix", key)
		}
	}
}

func TestLoginThrottle(t *testing.T) {
	s := newTestServer(t, true)
	b := s.newClient(t)
	for i := range 5 {
		// A forged X-Forwarded-For must not make each try look new.
		a := b.post(t, "/login", url.Values{"login": {"staff"}, "password": {"wrong password " + fmt.Sprint(i)}},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		if a.status != http.StatusUnauthorized {
			t.Fatalf("failed login %d = %d, want 401", i+1, a.status)
		}
	}
	a := b.post(t, "/login", url.Values{"login": {"staff"}, "password": {demoPassword(t, "staff")}},
		"X-Forwarded-For", "198.51.100.7")
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, "분 뒤에 다시 시도하세요") {
		t.Fatalf("6th login = %d, Retry-After %q; want 429 with a wait and a Korean message", a.status, a.header.Get("Retry-After"))
	}
	// Per IP: 20 failures over many logins block the address.
	for i := range 20 {
		b.post(t, "/login", url.Values{"login": {fmt.Sprintf("nobody%d", i)}, "password": {"wrong password!"}})
	}
	a = b.post(t, "/login", url.Values{"login": {"official"}, "password": {demoPassword(t, "official")}})
	if a.status != http.StatusTooManyRequests {
		t.Errorf("login after 20 failures from one IP = %d, want 429", a.status)
	}
}

func TestSessionEndsOnLogout(t *testing.T) {
	s := newTestServer(t, true)
	b := s.loginAs(t, "official")
	u, _ := url.Parse(s.URL)
	old := b.Jar.Cookies(u)
	if a := b.get(t, "/account/password"); a.status != http.StatusOK {
		t.Fatalf("signed in /account/password = %d", a.status)
	}
	if a := b.post(t, "/logout", nil); a.status != http.StatusSeeOther {
		t.Fatalf("logout = %d", a.status)
	}
	replay := s.newClient(t)
	replay.Jar.SetCookies(u, old)
	if a := replay.get(t, "/account/password"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.location, "/login") {
		t.Errorf("old cookie after logout = %d %s, want a redirect to login", a.status, a.location)
	}
}

func TestBadSessionCookieIsAnonymous(t *testing.T) {
	s := newTestServer(t, true)
	for _, v := range []string{"garbage", strings.Repeat("A", 43), strings.Repeat("x", 5000), "%00"} {
		req, _ := http.NewRequest("GET", s.URL+"/", nil)
		req.Header.Set("Cookie", "jobkpi_session="+v)
		a := s.newClient(t).do(t, req)
		if a.status != http.StatusOK || !strings.Contains(a.body, "로그인") {
			t.Errorf("GET / with session cookie %.20q = %d, want 200 as anonymous", v, a.status)
		}
	}
}

func TestCSRFRequired(t *testing.T) {
	s := newTestServer(t, true)
	b := s.loginAs(t, "admin")
	for _, token := range []string{"", "wrong-token"} {
		a := b.post(t, "/logout", url.Values{"_csrf": {token}})
		if a.status != http.StatusForbidden || !strings.Contains(a.body, "새로 고친 뒤") {
			t.Errorf("logout with CSRF token %q = %d, want 403 asking to reload", token, a.status)
		}
	}
	if a := b.get(t, "/admin/users"); a.status != http.StatusOK {
		t.Errorf("the session ended without a valid CSRF token: /admin/users = %d", a.status)
	}
}

func TestDisabledUserCannotLogIn(t *testing.T) {
	s := newTestServer(t, true)
	admin := s.loginAs(t, "admin")
	staff := s.loginAs(t, "staff")
	users, _ := s.store.Users(context.Background())
	var id uint
	for _, u := range users {
		if u.Login == "staff" {
			id = u.ID
		}
	}
	path := fmt.Sprintf("/admin/users/%d", id)
	// Disabling asks first, without script: a post without confirm=yes
	// shows the confirmation page and changes nothing.
	if a := admin.post(t, path, url.Values{"action": {"disable"}}); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, `name="confirm" value="yes"`) {
		t.Fatalf("disable without confirmation = %d, want 422 with the confirmation form: %.300s", a.status, a.body)
	}
	if a := staff.get(t, "/account/password"); a.status != http.StatusOK {
		t.Fatalf("an unconfirmed disable ended the session: %d %s", a.status, a.location)
	}
	if a := admin.get(t, path); !strings.Contains(a.body, `href="`+path+`/disable"`) {
		t.Errorf("the user page does not lead to the confirmation page: %.300s", a.body)
	}
	if a := admin.get(t, path+"/disable"); a.status != http.StatusOK || !strings.Contains(a.body, "이 계정의 사용을 중지할까요?") {
		t.Fatalf("GET %s/disable = %d, want the question", path, a.status)
	}
	if a := admin.post(t, path, url.Values{"action": {"disable"}, "confirm": {"yes"}}); a.status != http.StatusSeeOther {
		t.Fatalf("disable = %d: %.300s", a.status, a.body)
	}
	if a := staff.get(t, "/account/password"); !strings.HasPrefix(a.location, "/login") {
		t.Errorf("a disabled user's session still works: %d", a.status)
	}
	// The right password of a disabled account gets the answer of a wrong
	// one: the page does not tell a stranger that the account exists.
	wrong := s.newClient(t).post(t, "/login", url.Values{"login": {"staff"}, "password": {"not the password 1"}})
	a := s.newClient(t).post(t, "/login", url.Values{"login": {"staff"}, "password": {demoPassword(t, "staff")}})
	if a.status != wrong.status || a.status != http.StatusUnauthorized || !strings.Contains(a.body, "아이디 또는 비밀번호가 맞지 않습니다") ||
		strings.Contains(a.body, "중지") {
		t.Errorf("disabled login = %d, want 401 saying the login or password is wrong, as for a wrong password (%d)", a.status, wrong.status)
	}
	events, _ := s.store.Events(context.Background(), models.EventFilter{Login: "staff"})
	kinds := map[models.EventKind]bool{}
	for _, e := range events {
		kinds[e.Kind] = true
	}
	for _, k := range []models.EventKind{models.EventLoginOK, models.EventUserDisable, models.EventLoginDisabled} {
		if !kinds[k] {
			t.Errorf("access log lacks %s for staff: %v", k, kinds)
		}
	}
}

func TestAdminCreatesUserWhoMustChangePassword(t *testing.T) {
	s := newTestServer(t, true)
	admin := s.loginAs(t, "admin")
	a := admin.post(t, "/admin/users", url.Values{"login": {"kim.jy"}, "display_name": {"김주영"}, "department": {"일자리경제과"},
		"role": {"staff"}, "password": {"temporary pass 2026"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("create user = %d: %.400s", a.status, a.body)
	}
	b := s.newClient(t)
	a = b.post(t, "/login", url.Values{"login": {"kim.jy"}, "password": {"temporary pass 2026"}})
	if a.location != "/account/password" {
		t.Fatalf("first login goes to %q, want /account/password", a.location)
	}
	if a := b.get(t, "/plans/2020"); a.location != "/account/password" {
		t.Errorf("before changing the password /plans/2020 goes to %q, want /account/password", a.location)
	}
	a = b.post(t, "/account/password", url.Values{"current": {"temporary pass 2026"}, "new": {"short"}, "confirm": {"short"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `id="new-error"`) || !strings.Contains(a.body, "error-summary") {
		t.Errorf("a short new password = %d, want 422 with the error next to the field and in a summary", a.status)
	}
	a = b.post(t, "/account/password", url.Values{"current": {"temporary pass 2026"}, "new": {"my own long passphrase"}, "confirm": {"my own long passphrase"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("change password = %d: %.300s", a.status, a.body)
	}
	if a := b.get(t, "/plans/2020"); a.status != http.StatusOK {
		t.Errorf("after the change /plans/2020 = %d", a.status)
	}
}

func TestPasswordsAreArgon2id(t *testing.T) {
	s := newTestServer(t, true)
	db := storetest.Open(t, s.db)
	hashes, err := queryStrings(db, "SELECT password_hash FROM users")
	if err != nil || len(hashes) != len(models.DemoAccounts) {
		t.Fatalf("password hashes: %v, %d rows", err, len(hashes))
	}
	for _, h := range hashes {
		if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("stored password %q is not an argon2id hash", h)
		}
		for _, a := range models.DemoAccounts {
			if strings.Contains(h, a.Password) {
				t.Errorf("a password is stored in the clear")
			}
		}
	}
}

func TestFirstAdminSetup(t *testing.T) {
	s := newTestServer(t, false)
	ctx := context.Background()
	token, err := s.store.NewSetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := s.newClient(t)
	if a := b.get(t, "/setup?token="+token); a.status != http.StatusOK {
		t.Fatalf("GET /setup = %d", a.status)
	}
	form := url.Values{"token": {token}, "login": {"boss"}, "display_name": {"관리자"}, "password": {"first admin passphrase"}, "confirm": {"first admin passphrase"}}
	if a := b.post(t, "/setup", form); a.status != http.StatusSeeOther || a.location != "/admin/users" {
		t.Fatalf("POST /setup = %d %s: %.300s", a.status, a.location, a.body)
	}
	if a := b.get(t, "/admin/users"); a.status != http.StatusOK {
		t.Errorf("the new admin cannot open /admin/users: %d", a.status)
	}
	form.Set("login", "boss2")
	a := s.newClient(t).post(t, "/setup", form)
	if a.status != http.StatusGone || !strings.Contains(a.body, "이미 쓰였거나 만료") {
		t.Errorf("second use of the setup token = %d, want 410 with a message", a.status)
	}
	if a := s.newClient(t).get(t, "/setup?token=nope"); a.status != http.StatusGone {
		t.Errorf("unknown setup token = %d, want 410", a.status)
	}
}

func TestPrivateMode(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, public: false})
	b := s.newClient(t)
	if a := b.get(t, "/plans/2020"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.location, "/login") {
		t.Errorf("private /plans/2020 = %d %s, want a redirect to login", a.status, a.location)
	}
	if a := b.get(t, "/api/v1/plans/2020"); a.status != http.StatusUnauthorized {
		t.Errorf("private API = %d, want 401", a.status)
	}
	if a := s.loginAs(t, "council").get(t, "/plans/2020"); a.status != http.StatusOK {
		t.Errorf("signed-in private /plans/2020 = %d", a.status)
	}
}

func TestStaffEditsOnlyOwnDepartment(t *testing.T) {
	s := newTestServer(t, true)
	ms, _ := demoIDs(t, s)
	path := fmt.Sprintf("/plans/2020/indicators/%d/milestone", ms)
	form := url.Values{"state": {"delayed"}, "note": {"예산 집행 지연"}}
	if a := s.loginAs(t, "staff2").post(t, path, form); a.status != http.StatusForbidden || !strings.Contains(a.body, "다른 부서") {
		t.Errorf("staff of another department = %d, want 403", a.status)
	}
	staff := s.loginAs(t, "staff")
	if a := staff.post(t, path, url.Values{"state": {"delayed"}}); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `id="note-error"`) {
		t.Errorf("delayed without a reason = %d, want 422 with the error next to the field", a.status)
	}
	if a := staff.post(t, path, form); a.status != http.StatusSeeOther {
		t.Fatalf("own department = %d: %.300s", a.status, a.body)
	}
	if a := s.newClient(t).get(t, fmt.Sprintf("/plans/2020/indicators/%d", ms)); !strings.Contains(a.body, "예산 집행 지연") {
		t.Error("the public indicator page does not show the recorded reason")
	}
}

func TestUserAddCommand(t *testing.T) {
	db := storetest.DSN(t)
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.AddDepartment(context.Background(), "일자리경제과", nil, models.Origin{}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	var out strings.Builder
	code := runUser(context.Background(), []string{"add", "-db", db, "-login", "typo", "-role", "staff", "-dept", "일자리 경제과"},
		strings.NewReader("a long enough passphrase\n"), &out, &out)
	if code != 1 || !strings.Contains(out.String(), "nothing was written") || !strings.Contains(out.String(), `If you meant "일자리경제과"`) ||
		!strings.Contains(out.String(), "Departments on the list: 일자리경제과") {
		t.Errorf("user add with an unknown department = %d: %s", code, out.String())
	}
	out.Reset()
	code = runUser(context.Background(), []string{"add", "-db", db, "-login", "lee", "-role", "staff", "-dept", "일자리경제과"},
		strings.NewReader("a long enough passphrase\n"), &out, &out)
	if code != 0 {
		t.Fatalf("user add = %d: %s", code, out.String())
	}
	out.Reset()
	code = runUser(context.Background(), []string{"add", "-db", db, "-login", "lee2", "-role", "staff"},
		strings.NewReader("password\n"), &out, &out)
	if code != 1 || !strings.Contains(out.String(), "nothing was written") || !strings.Contains(out.String(), "department") {
		t.Errorf("user add with a common password and no department = %d: %s", code, out.String())
	}
}

func TestTLSCookiesAndHSTS(t *testing.T) {
	db := storetest.DSN(t)
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := seed(context.Background(), store, config{demo: true}, log); err != nil {
		t.Fatal(err)
	}
	e, err := newServer(store, log, config{demo: true, public: true, tlsCert: "served by httptest"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(e)
	defer srv.Close()
	b := (&testServer{Server: srv, store: store, db: db}).newClient(t)
	b.Transport = srv.Client().Transport
	a := b.post(t, "/login", url.Values{"login": {"official"}, "password": {demoPassword(t, "official")}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("login over TLS = %d", a.status)
	}
	if !strings.Contains(a.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS header over TLS: %v", a.header)
	}
	var found bool
	for _, c := range a.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "__Host-jobkpi_session=") {
			found = true
			for _, attr := range []string{"Secure", "HttpOnly", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(c, attr) {
					t.Errorf("session cookie lacks %s: %s", attr, c)
				}
			}
		}
	}
	if !found {
		t.Errorf("no __Host- session cookie: %v", a.header.Values("Set-Cookie"))
	}
}

// TestAuditDateFilter checks that the access log's dates are days in
// Korea, as the log shows its times: a failure at 00:30 KST on 2 March
// (15:30 UTC on 1 March) is on the 2nd.
func TestAuditDateFilter(t *testing.T) {
	s := newTestServer(t, true)
	at := time.Date(2026, 3, 1, 15, 30, 0, 0, time.UTC)
	s.store.SetClock(func() time.Time { return at })
	if a := s.newClient(t).post(t, "/login", url.Values{"login": {"council"}, "password": {"wrong password 1"}}); a.status != http.StatusUnauthorized {
		t.Fatalf("failed login = %d, want 401", a.status)
	}
	s.store.SetClock(time.Now)
	admin := s.loginAs(t, "admin")
	rows := func(from, to string) int {
		t.Helper()
		a := admin.get(t, "/admin/audit?login=council&from="+from+"&to="+to)
		if a.status != http.StatusOK {
			t.Fatalf("audit %s..%s = %d", from, to, a.status)
		}
		return strings.Count(a.body, `datetime="2026-03-02T00:30:00&#43;09:00">2026-03-02 00:30</time>`)
	}
	if n := rows("2026-03-02", "2026-03-02"); n != 1 {
		t.Errorf("2 March (KST) lists the 00:30 failure %d times, want once", n)
	}
	if n := rows("2026-03-01", "2026-03-01"); n != 0 {
		t.Errorf("1 March (KST) lists the 00:30 failure of 2 March %d times", n)
	}
}
