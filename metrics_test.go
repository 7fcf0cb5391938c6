package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// scrape reads /metrics as the test client (127.0.0.1) and fails unless
// it answers 200.
func (s *testServer) scrape(t *testing.T) string {
	t.Helper()
	status, hdr, body := s.get(t, "/metrics")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics from 127.0.0.1 = %d %s, want 200 text/plain: %.300s", status, hdr.Get("Content-Type"), body)
	}
	return body
}

// metricValue is the value of one series of a scrape, such as
// `jobkpi_figure_writes_total{result="conflict"}`; -1 when it is absent.
func metricValue(t *testing.T, body, series string) float64 {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", series, err)
			}
			return f
		}
	}
	return -1
}

// TestMetrics: a peer that -metrics-from lists reads the metrics, with
// requests counted by route pattern (never by raw path), the database
// pools and the live sessions.
func TestMetrics(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, public: true, noSampleYear: true, metricsFrom: "10.0.0.0/8, 127.0.0.1"})
	if status, _, _ := s.get(t, "/plans/2020"); status != http.StatusOK {
		t.Fatalf("GET /plans/2020 = %d", status)
	}
	s.get(t, "/plans/2020")
	s.get(t, "/no/such/page-4711")
	s.loginAs(t, "staff")
	body := s.scrape(t)
	for _, name := range []string{"jobkpi_http_requests_total", "jobkpi_http_request_duration_seconds", "jobkpi_figure_writes_total",
		"jobkpi_upload_jobs_total", "jobkpi_sessions_active", "go_sql_open_connections"} {
		if !strings.Contains(body, "# TYPE "+name+" ") {
			t.Errorf("/metrics has no %s", name)
		}
	}
	for series, want := range map[string]float64{
		`jobkpi_http_requests_total{method="GET",route="/plans/:year",status="200"}`:    2,
		`jobkpi_http_request_duration_seconds_count{method="GET",route="/plans/:year"}`: 2,
		`jobkpi_http_requests_total{method="GET",route="unmatched",status="404"}`:       1,
		`jobkpi_http_requests_total{method="POST",route="/login",status="303"}`:         1,
		`jobkpi_sessions_active`:                                  1,
		`jobkpi_upload_jobs_total{kind="figures",result="ready"}`: 0,
	} {
		if got := metricValue(t, body, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	writers := 1.0 // SQLite's one writer
	if storetest.Postgres() {
		writers = 8 // four per core on this machine's two cores, at least
	}
	if got := metricValue(t, body, `go_sql_max_open_connections{db_name="writer"}`); got < writers {
		t.Errorf("the writer pool's max_open_connections = %v, want %v or more", got, writers)
	}
	if got := metricValue(t, body, `go_sql_max_open_connections{db_name="reader"}`); got < 2 {
		t.Errorf("the reader pool's max_open_connections = %v, want it exported (2 or more)", got)
	}
	if strings.Contains(body, "/plans/2020") || strings.Contains(body, "4711") {
		t.Error("/metrics names a raw path, not its route pattern")
	}
	// The scrape itself is counted under its own route.
	if got := metricValue(t, s.scrape(t), `jobkpi_http_requests_total{method="GET",route="/metrics",status="200"}`); got != 1 {
		t.Errorf("scrapes counted = %v, want 1", got)
	}
}

// TestMetricsHiddenFromOtherPeers: a peer that -metrics-from does not
// list gets the ordinary 404 page of an unknown path, whatever
// X-Forwarded-For says, even from a trusted proxy.
func TestMetricsHiddenFromOtherPeers(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, public: true, noSampleYear: true, metricsFrom: "10.0.0.0/8", trustedProxies: "127.0.0.1"})
	send := func(method, path string) answer {
		req, _ := http.NewRequest(method, s.URL+path, nil)
		req.Header.Set("X-Forwarded-For", "10.1.2.3")
		return s.newClient(t).do(t, req)
	}
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodHead} {
		got, unknown := send(method, "/metrics"), send(method, "/metricz")
		if got.status != http.StatusNotFound || strings.Contains(got.body, "jobkpi_") {
			t.Errorf("%s /metrics from 127.0.0.1 with X-Forwarded-For 10.1.2.3 = %d %.200s, want 404", method, got.status, got.body)
		}
		if got.status != unknown.status || got.body != strings.ReplaceAll(unknown.body, "metricz", "metrics") {
			t.Errorf("%s /metrics = %d %.300s\nunlike the unknown path /metricz = %d %.300s", method, got.status, got.body, unknown.status, unknown.body)
		}
		for _, h := range []string{"Content-Type", "Content-Security-Policy", "Allow", "Cache-Control"} {
			if got.header.Get(h) != unknown.header.Get(h) {
				t.Errorf("%s /metrics has %s %q, the unknown path %q", method, h, got.header.Get(h), unknown.header.Get(h))
			}
		}
	}
	if status, _, body := s.get(t, "/metrics"); status != http.StatusNotFound || !strings.Contains(body, "페이지를 찾을 수 없습니다") {
		t.Errorf("GET /metrics from 127.0.0.1 = %d, want the 404 page: %.300s", status, body)
	}
}

// TestMetricsCountFigureWrites: saved figures, a stale version's 409 and
// a locked month's 423 are counted.
func TestMetricsCountFigureWrites(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, public: true, noSampleYear: true, metricsFrom: "127.0.0.1"})
	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	lastYear, _ := entryPlan(t, s, now.Year()-1)
	staff := s.loginAs(t, "staff")
	path := fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month()))
	for _, step := range []struct {
		path, body string
		status     int
	}{
		{path, `{"value": 12, "note": "", "version": 0}`, http.StatusCreated},
		{path, `{"value": 13, "note": "", "version": 0}`, http.StatusConflict},
		{path, `{"value": 14, "note": "", "version": 0}`, http.StatusConflict},
		{fmt.Sprintf("/api/v1/figures/%d/%d/1", lastYear, now.Year()-1), `{"value": 1, "note": "", "version": 0}`, http.StatusLocked},
	} {
		if a := staff.putFigure(t, step.path, step.body, ""); a.status != step.status {
			t.Fatalf("PUT %s %s = %d %s, want %d", step.path, step.body, a.status, a.body, step.status)
		}
	}
	body := s.scrape(t)
	for result, want := range map[string]float64{"saved": 1, "conflict": 2, "locked": 1} {
		if got := metricValue(t, body, fmt.Sprintf(`jobkpi_figure_writes_total{result=%q}`, result)); got != want {
			t.Errorf("figure writes %s = %v, want %v", result, got, want)
		}
	}
}

// TestRequestID: a sane X-Request-ID is sent back as it came; a missing
// or unsafe one is replaced by a new random one.
func TestRequestID(t *testing.T) {
	s := newTestServer(t, true)
	send := func(id string) string {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/plans/2020", nil)
		if id != "" {
			req.Header.Set("X-Request-ID", id)
		}
		return s.newClient(t).do(t, req).header.Get("X-Request-ID")
	}
	long := strings.Repeat("a", 64)
	for _, id := range []string{"abc-123", "0f.A_z-9", long} {
		if got := send(id); got != id {
			t.Errorf("X-Request-ID %q came back as %q", id, got)
		}
	}
	seen := map[string]bool{}
	for _, id := range []string{"", long + "a", "a b", "x\"y", "한글", "../etc"} {
		got := send(id)
		if got == "" || got == id || seen[got] || len(got) > 64 || strings.Trim(got, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
			t.Errorf("X-Request-ID %q came back as %q, want a new random ID", id, got)
		}
		seen[got] = true
	}
}

// TestJSONLogCarriesRequestID: with -log-format json every line is JSON;
// a failed request's lines (the handler's own and the access line) carry
// its request ID, and a request that went well writes nothing.
func TestJSONLogCarriesRequestID(t *testing.T) {
	logs := &syncBuffer{}
	s := newTestServerLog(t, config{public: true}, newLogger("json", logs))
	get := func(path, id string) int {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("X-Request-ID", id)
		return s.newClient(t).do(t, req).status
	}
	if status := get("/healthz", "fine-1"); status != http.StatusOK {
		t.Fatalf("GET /healthz = %d", status)
	}
	if logs.String() != "" {
		t.Errorf("a request that went well was logged: %s", logs.String())
	}
	s.store.Close()
	time.Sleep(300 * time.Millisecond) // a good health check counts for a quarter second
	if status := get("/healthz", "probe-7"); status != http.StatusServiceUnavailable {
		t.Fatalf("GET /healthz with the database closed = %d, want 503", status)
	}
	found := map[string]bool{}
	for line := range bytes.Lines([]byte(logs.String())) {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("a log line is not JSON: %v: %s", err, line)
		}
		if rec["request_id"] == "probe-7" {
			found[fmt.Sprint(rec["msg"])] = true
			if rec["msg"] == "request" && (rec["level"] != "ERROR" || rec["status"] != float64(503) || rec["route"] != "/healthz") {
				t.Errorf("the access line = %s, want level ERROR, status 503, route /healthz", line)
			}
		}
	}
	if !found["health check"] || !found["request"] {
		t.Errorf("the lines with request_id probe-7 are %v, want the handler's (health check) and the access line (request):\n%s", found, logs.String())
	}
}

// TestOperationsFlags: a bad -metrics-from or -log-format is a usage
// error that names the flag and the value.
func TestOperationsFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-metrics-from", "127.0.0.1,prometheus"}, `-metrics-from: "prometheus" is not an IP address or CIDR range`},
		{[]string{"-metrics-from", "10.0.0.0/33"}, `-metrics-from: "10.0.0.0/33" is not an IP address or CIDR range`},
		{[]string{"-trusted-proxies", "proxy"}, `-trusted-proxies: "proxy" is not an IP address or CIDR range`},
		{[]string{"-log-format", "xml"}, `-log-format: "xml" is not a log format; use text or json`},
	} {
		var out bytes.Buffer
		if code := run(t.Context(), tc.args, &out, &out); code != 2 || !strings.Contains(out.String(), tc.want) {
			t.Errorf("jobkpi %s: exit %d, output %q; want exit 2 saying %q", strings.Join(tc.args, " "), code, out.String(), tc.want)
		}
	}
	for env, want := range map[string]string{"JOBKPI_METRICS_FROM": "-metrics-from", "JOBKPI_LOG_FORMAT": "-log-format"} {
		t.Setenv(env, "bogus")
		var out bytes.Buffer
		if code := run(t.Context(), nil, &out, &out); code != 2 || !strings.Contains(out.String(), want+`: "bogus"`) {
			t.Errorf("%s=bogus: exit %d, output %q; want a usage error", env, code, out.String())
		}
		t.Setenv(env, "")
	}
}

// TestMetricsCountUploads: each uploaded file read is counted by kind and
// result, and a save of an upload refused for a stale version counts as
// a conflict.
func TestMetricsCountUploads(t *testing.T) {
	s := newTestServerWith(t, config{demo: true, public: true, noSampleYear: true, metricsFrom: "127.0.0.1"})
	year := time.Now().In(models.KST).Year()
	s.store.SetClock(func() time.Time { return time.Date(year, 6, 15, 12, 0, 0, 0, models.KST) })
	own, other := entryPlan(t, s, year)
	env := &uploadEnv{s: s, year: year, own: own, other: other, staff: s.loginAs(t, "staff")}
	garbage := append([]byte("PK\x03\x04"), bytes.Repeat([]byte("x"), 100)...)

	f := env.template(t)
	setTemplateCell(t, f, own, 6, "I", 9)
	file := workbookBytes(t, f)
	ready := env.staff.upload(t, env.path("/upload"), "ready.xlsx", file)
	if p := env.staff.preview(t, ready); p.status != http.StatusOK || !saveButton.MatchString(p.body) {
		t.Fatalf("a clean upload's preview = %d: %.1000s", p.status, p.body)
	}
	if a := env.staff.upload(t, env.path("/upload"), "broken.xlsx", garbage); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("a broken file = %d, want 422: %.1000s", a.status, a.body)
	}
	// Someone saves the cell after the download: the file is now stale.
	if _, _, err := s.store.SaveFigure(t.Context(), storeStaff(t, s), models.FigureInput{IndicatorID: own, Year: year, Month: 6, Value: "2"}); err != nil {
		t.Fatal(err)
	}
	if p := env.staff.preview(t, env.staff.upload(t, env.path("/upload"), "stale.xlsx", file)); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a stale upload's preview = %d, want 422", p.status)
	}
	if c := env.staff.post(t, ready.location, url.Values{"action": {"commit"}}); c.status != http.StatusConflict {
		t.Fatalf("saving the clean upload after the change = %d, want 409", c.status)
	}

	official := s.loginAs(t, "official")
	sheet := official.get(t, "/plans/2020/plan.xlsx")
	if a := official.upload(t, "/plans/2023/plan-upload", "plan.xlsx", []byte(sheet.body)); a.status != http.StatusOK {
		t.Fatalf("a plan spreadsheet = %d, want its preview", a.status)
	}
	if a := official.upload(t, "/plans/2023/plan-upload", "broken.xlsx", garbage); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("a broken plan spreadsheet = %d, want 422 with its problems", a.status)
	}

	body := s.scrape(t)
	for series, want := range map[string]float64{
		`jobkpi_upload_jobs_total{kind="figures",result="ready"}`:    1,
		`jobkpi_upload_jobs_total{kind="figures",result="problems"}`: 1,
		`jobkpi_upload_jobs_total{kind="figures",result="failed"}`:   1,
		`jobkpi_upload_jobs_total{kind="plan",result="ready"}`:       1,
		`jobkpi_upload_jobs_total{kind="plan",result="problems"}`:    1,
		`jobkpi_upload_jobs_total{kind="plan",result="failed"}`:      0,
		`jobkpi_figure_writes_total{result="conflict"}`:              1,
		`jobkpi_figure_writes_total{result="saved"}`:                 0,
	} {
		if got := metricValue(t, body, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}
