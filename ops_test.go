package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// badNext are redirect targets that a browser would follow to another
// host, as the raw parameter of a query string.
var badNext = []string{
	"%2F%09%2Fevil.example", // "/\t/evil.example": browsers drop the tab
	"%2F%0D%2Fevil.example", // CR
	"%2F%0A%2Fevil.example", // LF
	"%2F%5Cevil.example",    // "/\evil.example": a backslash reads as a slash
	"%5C%5Cevil.example",
	"%2F%2Fevil.example",        // "//evil.example"
	"%2F%252F%252Fevil.example", // "/%2F%2Fevil.example"
	"%2F%255Cevil.example",      // "/%5Cevil.example"
	"https%3A%2F%2Fevil.example",
	"https%3Aevil.example",
	"javascript%3Aalert(1)",
	"%09%2F%2Fevil.example",
}

// TestLoginNextStaysLocal signs in with each bad next and checks that the
// redirect stays on the site; so does the session-extend back field.
func TestLoginNextStaysLocal(t *testing.T) {
	s := newTestServer(t, true)
	for _, next := range badNext {
		raw, _ := url.QueryUnescape(next)
		b := s.newClient(t)
		if a := b.get(t, "/login?next="+next); !strings.Contains(a.body, `name="next" value="/">`) {
			t.Errorf("GET /login?next=%s keeps the target in the form: %s", next, between(a.body, `name="next"`, ">"))
		}
		a := b.post(t, "/login", url.Values{"login": {"council"}, "password": {demoPassword(t, "council")}, "next": {raw}})
		if a.status != http.StatusSeeOther || a.location != "/" {
			t.Errorf("login with next=%s redirects to %q, want /", next, a.location)
		}
		if a := b.post(t, "/session/extend", url.Values{"back": {raw}}); a.status != http.StatusSeeOther || a.location != "/" {
			t.Errorf("session extend with back=%s redirects to %q, want /", next, a.location)
		}
	}
	b := s.newClient(t)
	a := b.post(t, "/login", url.Values{"login": {"council"}, "password": {demoPassword(t, "council")}, "next": {"/plans/2020?asof=9"}})
	if a.location != "/plans/2020?asof=9" {
		t.Errorf("a good next redirects to %q", a.location)
	}
}

// TestPutFigureNeedsJSON: the API writes only a body declared as JSON.
func TestPutFigureNeedsJSON(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	staff := s.loginAs(t, "staff")
	path := fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month()))
	send := func(ctype, body string) answer {
		req, _ := http.NewRequest(http.MethodPut, s.URL+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("X-CSRF-Token", staff.csrf(t))
		return staff.do(t, req)
	}
	body := `{"value": 12, "note": "", "version": 0}`
	for _, ctype := range []string{"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "",
		"application/json; charset=iso-8859-1", "application/jsonx", "application/json-patch+json", "multipart/form-data; boundary=x", "garbage;;"} {
		a := send(ctype, body)
		var p struct {
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		if a.status != http.StatusUnsupportedMediaType || a.header.Get("Content-Type") != "application/problem+json" ||
			json.Unmarshal([]byte(a.body), &p) != nil || p.Status != 415 || !strings.Contains(p.Detail, "Content-Type: application/json") {
			t.Errorf("PUT with Content-Type %q = %d %s %s, want 415 problem+json", ctype, a.status, a.header.Get("Content-Type"), a.body)
		}
	}
	if f, err := s.store.Figure(context.Background(), own, now.Year(), int(now.Month())); err == nil {
		t.Fatalf("a refused PUT saved %+v", f)
	}
	if a := send("application/json; charset=UTF-8", body); a.status != http.StatusCreated {
		t.Errorf("PUT with application/json; charset=UTF-8 = %d %s", a.status, a.body)
	}
	if a := send("Application/JSON", `{"value": 13, "note": "", "version": 1}`); a.status != http.StatusOK {
		t.Errorf("PUT with Application/JSON = %d %s", a.status, a.body)
	}
}

// syncBuffer is a log sink that tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// newLoggedServer is a demo server whose log the test can read.
func newLoggedServer(t *testing.T) (*testServer, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	return newTestServerLog(t, config{demo: true, public: true, noSampleYear: true}, slog.New(slog.NewTextHandler(logs, nil))), logs
}

// TestStorageFull: when the disk is full a save answers 503 with a
// sentence that says nothing was changed, the cause is logged, /healthz
// stays ok and /readyz says the server cannot save.
func TestStorageFull(t *testing.T) {
	storetest.SkipOnPostgres(t, "a full disk is simulated with SQLite's max_page_count")
	s, logs := newLoggedServer(t)
	ctx := context.Background()
	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	staff := s.loginAs(t, "staff")
	path := fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month()))
	if status, _, _ := s.get(t, "/readyz"); status != http.StatusOK {
		t.Fatal("/readyz is not ok before the disk fills")
	}
	if err := s.store.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	// Every save keeps the old value in the figure's history, which grows
	// until the capped file has no page left.
	var a answer
	version := 0
	note := strings.Repeat("가", 300)
	for i := range 2000 {
		a = staff.putFigure(t, path, fmt.Sprintf(`{"value": %d, "note": %q, "version": %d}`, i, note, version), "")
		if a.status != http.StatusOK && a.status != http.StatusCreated {
			break
		}
		version++
	}
	if a.status != http.StatusServiceUnavailable || a.header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(a.body, "지금은 서버에 저장할 수 없습니다") || !strings.Contains(a.body, "아무것도 바뀌지 않았습니다") {
		t.Fatalf("a save on a full disk = %d %s, want 503 saying nothing was changed", a.status, a.body)
	}
	if !strings.Contains(logs.String(), "database or disk is full") {
		t.Errorf("the log does not name the cause: %s", logs.String())
	}
	if f, err := s.store.Figure(ctx, own, now.Year(), int(now.Month())); err != nil || f.Version != version {
		t.Errorf("after the failed save the figure is %+v, %v; want version %d", f, err, version)
	}
	// A form says it in English too.
	admin := s.loginAs(t, "admin")
	var form answer
	for i := range 200 {
		form = admin.post(t, "/admin/departments?lang=en", url.Values{"name": {fmt.Sprintf("부서 %03d %s", i, strings.Repeat("x", 60))}, "lang": {"en"}})
		if form.status != http.StatusSeeOther {
			break
		}
	}
	if form.status != http.StatusServiceUnavailable || !strings.Contains(form.body, "<h1") || !strings.Contains(form.body, "Nothing was changed") {
		t.Errorf("a form on a full disk = %d %.300s, want 503 saying nothing was changed", form.status, form.body)
	}
	if status, _, _ := s.get(t, "/healthz"); status != http.StatusOK {
		t.Errorf("/healthz = %d on a full disk, want 200: the server is alive", status)
	}
	status, hdr, body := s.get(t, "/readyz")
	if status != http.StatusServiceUnavailable || hdr.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, "쓸 수 없습니다") {
		t.Errorf("/readyz = %d %s on a full disk, want 503 problem+json", status, body)
	}
	if err := s.store.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	if status, _, body := s.get(t, "/readyz"); status != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/readyz = %d %s with room again, want ok", status, body)
	}
}

// TestReadyzKeepsPageCache: a readiness probe every few seconds writes,
// but changes no data version, so the public pages stay cached.
func TestReadyzKeepsPageCache(t *testing.T) {
	s := newTestServer(t, true)
	_, hdr, _ := s.get(t, "/plans/2020")
	etag := hdr.Get("ETag")
	version := s.store.Version()
	for range 5 {
		if status, _, body := s.get(t, "/readyz"); status != http.StatusOK || strings.TrimSpace(body) != `{"status":"ok"}` {
			t.Fatalf("/readyz = %d %s", status, body)
		}
	}
	if v := s.store.Version(); v != version {
		t.Errorf("the data version moved from %d to %d after /readyz", version, v)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/plans/2020", nil)
	req.Header.Set("If-None-Match", etag)
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if etag == "" || res.StatusCode != http.StatusNotModified {
		t.Errorf("after /readyz the cached page answers %d to its ETag %q, want 304", res.StatusCode, etag)
	}
}
