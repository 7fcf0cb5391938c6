package main

import (
	"context"
	"database/sql"
	"fmt"
	"jobkpi/models"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// signIn fills the login form in the browser as a real user would.
func signIn(t *testing.T, browser context.Context, base, login string) context.Context {
	t.Helper()
	tab, v := visit(t, browser, base+"/login")
	err := chromedp.Do(tab,
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), demoPassword(t, login)),
		chromedp.Submit(chromedp.CSS("#password")),
	)
	if err == nil {
		wctx, cancel := context.WithTimeout(tab, 15*time.Second)
		defer cancel()
		err = chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(".account-name")))
	}
	if err != nil {
		v.saveArtifacts(t, tab)
		t.Fatalf("sign in as %s: %v", login, err)
	}
	return tab
}

// TestBrowserRoles signs in as each demo account and checks that the
// pages show exactly what the role may do, and that every signed-in page
// passes the same browser checks as the public ones.
func TestBrowserRoles(t *testing.T) {
	parallelShort(t)
	browser := newBrowser(t)
	s := newTestServer(t, true)
	ms, prog := demoIDs(t, s)
	type want struct {
		reports, admin, milestoneForm, programEdit bool
		pages                                      []string
	}
	roles := map[string]want{
		"council": {reports: true, pages: []string{"/reports/2020", "/reports/2020?lang=en", "/reports/2020?draft=1", "/account/password"}},
		"staff":   {milestoneForm: true, pages: []string{"/entry/2020", "/account/password?lang=en", "/entry/2020?lang=en", "/account"}},
		"staff2":  {},
		"official": {reports: true, milestoneForm: true, programEdit: true,
			pages: []string{"/plans/2020/programs/" + itoa(prog), "/plans/2020/indicators/4", "/plans/2020/indicators/4?lang=en", "/my", "/review"}},
		"admin": {reports: true, admin: true, milestoneForm: true, programEdit: true,
			pages: []string{"/admin/users", "/admin/departments?lang=en", "/admin/users?lang=en", "/admin/users/1", "/admin/users/2/disable",
				"/admin/users/2/disable?lang=en", "/admin/departments", "/admin/audit", "/admin/audit?kind=login&lang=en", "/admin/settings"}},
	}
	// The plain go test ./... checks the first page of each role; .ci/run
	// checks them all (see fullGates).
	for login, w := range roles {
		w.pages = w.pages[:gateSize(min(1, len(w.pages)), len(w.pages))]
		roles[login] = w
	}
	for login, w := range roles {
		t.Run(login, func(t *testing.T) {
			// Each account gets its own browser context: its own cookies.
			own, cancelOwn := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
			defer cancelOwn()
			if err := chromedp.Do(own); err != nil {
				t.Fatal(err)
			}
			tab := signIn(t, own, s.URL, login)
			ctx, cancel := context.WithTimeout(tab, 30*time.Second)
			defer cancel()
			check := func(path, selector string, want bool) {
				t.Helper()
				if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+path)); err != nil {
					t.Fatal(err)
				}
				n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(selector)+`).length`))
				if err != nil {
					t.Fatal(err)
				}
				if (n > 0) != want {
					t.Errorf("as %s, %s on %s: found %d, want present=%v", login, selector, path, n, want)
				}
			}
			check("/", `a[href^="/reports"]`, w.reports)
			check("/", `a[href^="/admin/users"]`, w.admin)
			check("/plans/2020/indicators/"+itoa(ms), `#milestone-form form`, w.milestoneForm)
			check("/plans/2020/tasks/T1", `a[href^="/plans/2020/programs/"]`, w.programEdit)
			check("/plans/2020/indicators/4", `#target-form form`, w.programEdit) // editing the plan: officials and admins
			for _, path := range w.pages {
				t.Run(path, func(t *testing.T) {
					ptab, v := visit(t, own, s.URL+path)
					for _, msg := range v.console {
						v.failf(t, ptab, "console error: %s", msg)
					}
					for _, msg := range v.csp {
						v.failf(t, ptab, "CSP violation: %s", msg)
					}
					checkCharts(t, ptab, v)
					checkStatusWords(t, ptab, v)
					checkAxe(t, ptab, v)
					checkLayout(t, ptab, v, "at 1280 px")
				})
			}
		})
	}
}

// TestBrowserLoginErrors checks the login form with errors: the summary
// and the field messages pass axe, and focus can reach the summary links.
func TestBrowserLoginErrors(t *testing.T) {
	parallelShort(t)
	browser := newBrowser(t)
	s := newTestServer(t, true)
	tab, v := visit(t, browser, s.URL+"/login?lang=en")
	err := chromedp.Do(tab,
		chromedp.SendKeys(chromedp.CSS("#login"), "staff"),
		chromedp.Submit(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	if err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('#password[aria-invalid=true][aria-describedby=password-error]').length`))
	if err != nil || n != 1 {
		t.Errorf("the password field is not marked invalid with its message: %d, %v", n, err)
	}
	checkAxe(t, tab, v)
}

func jsString(s string) string {
	b := []byte{'\''}
	for _, r := range s {
		if r == '\'' || r == '\\' {
			b = append(b, '\\')
		}
		b = append(b, string(r)...)
	}
	return string(append(b, '\''))
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// TestBrowserSessionWarning shows the idle-timeout warning (KWCAG 6.2.1):
// it appears before the session ends, "extend" hides it by restarting the
// idle time on the server, and at the end it says to sign in again.
func TestBrowserSessionWarning(t *testing.T) {
	if !fullGates() {
		t.Skip("a full browser journey: run with JOBKPI_FULL=1, as .ci/run does")
	}
	browser := newBrowser(t)
	s := newTestServer(t, true)
	own, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(own); err != nil {
		t.Fatal(err)
	}
	signIn(t, own, s.URL, "staff")
	// idle makes the session look unused for the given time: its last use
	// moves back, and the server's clock stays within a minute of that use
	// so that rendering a page does not count as a new use.
	idle := func(d time.Duration) {
		db, err := sql.Open("sqlite3", "file:"+s.db+"?_busy_timeout=5000")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		seen := time.Now().Add(-d).UTC()
		if _, err := db.Exec(`UPDATE sessions SET last_seen_at = ?`, seen); err != nil {
			t.Fatal(err)
		}
		s.store.SetClock(func() time.Time { return seen.Add(10 * time.Second) })
	}
	visible := func(tab context.Context, sel string) bool {
		shown, err := chromedp.Run(tab, chromedp.Evaluate[bool](fmt.Sprintf(`!document.querySelector(%q).closest('[hidden]')`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		return shown
	}

	tab, v := visit(t, own, s.URL+"/my")
	if visible(tab, "#session-warning") {
		t.Error("the warning shows right after sign-in")
	}

	idle(models.IdleTimeout - 90*time.Second)
	tab, v = visit(t, own, s.URL+"/my")
	// The script decides as the page loads.
	if !visible(tab, "#session-warning") {
		v.failf(t, tab, "no warning 90 s before the end")
	}
	if left, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById('session-remaining').textContent`)); !strings.Contains(left, "분") {
		t.Errorf("the warning says %q, want the minutes left", left)
	}
	checkAxe(t, tab, v)
	s.store.SetClock(time.Now)
	err := chromedp.Do(tab,
		chromedp.Click(chromedp.CSS("#session-extend-form button")),
		chromedp.WaitNotVisible(chromedp.CSS("#session-warning")),
	)
	if err != nil {
		v.failf(t, tab, "extend did not hide the warning: %v", err)
	}
	if status, _, _ := s.get(t, "/healthz"); status != http.StatusOK {
		t.Fatal("server down")
	}

	idle(models.IdleTimeout - 3*time.Second)
	tab, v = visit(t, own, s.URL+"/my?lang=en")
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS("#session-ended"))); err != nil {
		v.failf(t, tab, "no 'session ended' message after the end: %v", err)
	}
	if visible(tab, "#session-extend-form") {
		t.Error("the extend button still shows after the session ended")
	}
	if len(v.console) > 0 {
		t.Errorf("console: %v", v.console)
	}
}
