package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestNoCookieWithoutForm checks that an anonymous visitor gets a cookie
// only from a page with a form: the public pages, the API, the health
// check, the static files and the not-found page set none (so a shared
// cache may keep them), the login page sets the CSRF cookie, signing in
// with it works, and a POST without the token is still refused.
func TestNoCookieWithoutForm(t *testing.T) {
	s := newTestServer(t, true)
	b := s.newClient(t)
	home := b.get(t, "/")
	static := regexp.MustCompile(`href="(/static/[^"]+\.css)"`).FindStringSubmatch(home.body)
	if static == nil {
		t.Fatalf("no stylesheet link on /: %.300s", home.body)
	}
	for _, p := range []string{"/", "/?lang=en", "/plans/2020", "/plans/2020?asof=6", "/api/v1/plans/2020", "/api/v1/plans",
		"/disclosure", "/healthz", static[1], "/no/such/page", "/plans/2020/no-such-page"} {
		a := b.get(t, p)
		if a.status >= 400 && a.status != http.StatusNotFound {
			t.Errorf("GET %s = %d", p, a.status)
		}
		if c := a.header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("anonymous GET %s = %d sets cookies %q, want none", p, a.status, c)
		}
	}

	login := b.get(t, "/login")
	cookie := strings.Join(login.header.Values("Set-Cookie"), "; ")
	if !strings.Contains(cookie, "jobkpi_csrf=") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Errorf("GET /login sets %q, want the CSRF cookie, HttpOnly and SameSite=Strict", cookie)
	}
	m := csrfField.FindStringSubmatch(login.body)
	if m == nil {
		t.Fatalf("no CSRF token on /login: %.300s", login.body)
	}
	if !strings.Contains(cookie, "jobkpi_csrf="+m[1]+";") {
		t.Errorf("the login form carries %q, the cookie is %q", m[1], cookie)
	}
	if again := b.get(t, "/login"); csrfField.FindStringSubmatch(again.body)[1] != m[1] {
		t.Errorf("a second visit to /login changed the token")
	}

	// Without the token, with a wrong one, or with no cookie: 403.
	creds := url.Values{"login": {"admin"}, "password": {demoPassword(t, "admin")}}
	for name, c := range map[string]*browserClient{"with the cookie": b, "without the cookie": s.newClient(t)} {
		for _, token := range []string{"", "wrong"} {
			form := url.Values{"_csrf": {token}}
			for k, v := range creds {
				form[k] = v
			}
			if a := c.post(t, "/login", form); a.status != http.StatusForbidden || !strings.Contains(a.body, "새로 고친 뒤") {
				t.Errorf("POST /login %s and token %q = %d, want 403 asking to reload", name, token, a.status)
			}
		}
	}
	if a := s.newClient(t).post(t, "/login", url.Values{"_csrf": {m[1]}, "login": creds["login"], "password": creds["password"]}); a.status != http.StatusForbidden {
		t.Errorf("POST /login with the token but without its cookie = %d, want 403", a.status)
	}
	form := url.Values{"_csrf": {m[1]}}
	for k, v := range creds {
		form[k] = v
	}
	if a := b.post(t, "/login", form); a.status != http.StatusSeeOther || a.location != "/" {
		t.Fatalf("POST /login with the token of the form = %d %s, want 303 to /: %.300s", a.status, a.location, a.body)
	}
	// Signed in, every page has the sign-out form and so the token.
	if a := b.get(t, "/"); csrfField.FindStringSubmatch(a.body) == nil || a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("signed-in / has no CSRF token or is cacheable (%q)", a.header.Get("Cache-Control"))
	}
	if a := b.post(t, "/logout", url.Values{}); a.status != http.StatusSeeOther {
		t.Errorf("POST /logout with the token = %d, want 303", a.status)
	}
}

// TestNotFoundPage checks the page of a path that is not there: 404 with
// the security headers, gzipped for a client that takes gzip, in the
// language asked for, with links to itself in the other language and to
// the login page that work from any path.
func TestNotFoundPage(t *testing.T) {
	s := newTestServer(t, true)
	for _, path := range []string{"/no/such/page", "/plans/2020/nothing", "/x"} {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Encoding") != "gzip" ||
			res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s = %d %v, want 404 gzipped text/html with the security headers", path, res.StatusCode, res.Header)
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if !strings.Contains(string(body), `<html lang="ko">`) || !strings.Contains(string(body), "404") {
			t.Errorf("GET %s: not the Korean 404 page: %.300s", path, body)
		}

		// Followed as a browser resolves them, the links stay on this path.
		base, _ := url.Parse(s.URL + path)
		en := regexp.MustCompile(`class="lang-switch" href="([^"]+)"`).FindStringSubmatch(string(body))
		if en == nil {
			t.Fatalf("GET %s: no language link", path)
		}
		target := base.ResolveReference(mustURL(t, en[1]))
		a := s.newClient(t).get(t, target.RequestURI())
		if target.Path != path || a.status != http.StatusNotFound || !strings.Contains(a.body, `<html lang="en">`) || !strings.Contains(a.body, "Page not found") {
			t.Errorf("the language link %q of %s leads to %s = %d, want the English 404 page there", en[1], path, target, a.status)
		}
		ko := regexp.MustCompile(`class="lang-switch" href="([^"]+)"`).FindStringSubmatch(a.body)
		if back := base.ResolveReference(mustURL(t, htmlUnescape(ko[1]))); back.Path != path {
			t.Errorf("the Korean link %q of the English 404 page leads to %s, want %s", ko[1], back, path)
		} else if k := s.newClient(t).get(t, back.RequestURI()); !strings.Contains(k.body, `<html lang="ko">`) {
			t.Errorf("the Korean link of the English 404 page leads to a page in another language")
		}
		login := regexp.MustCompile(`href="(/login[^"]*)"`).FindStringSubmatch(a.body)
		if login == nil || htmlUnescape(login[1]) != "/login?lang=en" {
			t.Errorf("the English 404 page links to login as %v, want /login?lang=en", login)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func htmlUnescape(s string) string { return strings.ReplaceAll(s, "&amp;", "&") }
