package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// testServer is the real router over a fresh SQLite file.
type testServer struct {
	*httptest.Server
	store *models.Store
	db    string
}

func newTestServer(t testing.TB, demo bool) *testServer {
	t.Helper()
	return newTestServerWith(t, config{demo: demo, public: true, noSampleYear: true})
}

func newTestServerWith(t testing.TB, cfg config) *testServer {
	t.Helper()
	return newTestServerLog(t, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// newTestServerLog is newTestServerWith with the server's log going to log.
func newTestServerLog(t testing.TB, cfg config, log *slog.Logger) *testServer {
	t.Helper()
	db := copySeeded(t, cfg)
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	// The copy is already seeded; seeding again must find nothing to do.
	if err := seed(context.Background(), store, cfg, log); err != nil {
		t.Fatal(err)
	}
	e, err := newServer(store, log, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &testServer{Server: srv, store: store, db: db}
}

// seededDBs are databases seeded once per test binary, without and with
// -demo: the plans, the sample figures and the demo accounts (whose
// argon2id hashes take most of the time). Each test server starts from a
// fresh copy of one, so that every test still has a database of its own.
// They are SQLite files in dir, or PostgreSQL databases (storetest).
var seededDBs struct {
	once sync.Once
	dir  string
	dsns map[string]string
	err  error
}

// seededConfigs are the seedings the template databases are made with:
// none, -demo without the current year's sample plan, and -demo.
var seededConfigs = []config{{}, {demo: true, noSampleYear: true}, {demo: true}}

// seededPath is the template database for cfg's seeding.
func seededPath(cfg config) string {
	name := fmt.Sprintf("seeded-%t-%t.db", cfg.demo, cfg.demo && !cfg.noSampleYear)
	if storetest.Postgres() {
		return seededDBs.dsns[name]
	}
	return filepath.Join(seededDBs.dir, name)
}

// copySeeded is a fresh copy of the seeded template database for cfg.
func copySeeded(t testing.TB, cfg config) string {
	t.Helper()
	seededDBs.once.Do(func() { seededDBs.dir, seededDBs.err = makeSeeded() })
	if seededDBs.err != nil {
		t.Fatalf("seed the template databases: %v", seededDBs.err)
	}
	return storetest.Copy(t, seededPath(cfg))
}

// makeSeeded seeds the template databases, in a new folder or on the
// PostgreSQL server; TestMain removes them.
func makeSeeded() (string, error) {
	dir, err := os.MkdirTemp("", "jobkpi-seeded-")
	if err != nil {
		return "", err
	}
	seededDBs.dir = dir
	seededDBs.dsns = map[string]string{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, cfg := range seededConfigs {
		if storetest.Postgres() {
			dsn, err := storetest.Create("")
			if err != nil {
				return dir, err
			}
			seededDBs.dsns[fmt.Sprintf("seeded-%t-%t.db", cfg.demo, cfg.demo && !cfg.noSampleYear)] = dsn
		}
		store, err := models.Open(seededPath(cfg))
		if err != nil {
			return dir, err
		}
		err = seed(context.Background(), store, cfg, log)
		// Closing the last connection checkpoints the WAL into the file.
		if cerr := store.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return dir, err
		}
		if _, err := os.Stat(seededPath(cfg) + "-wal"); err == nil {
			return dir, fmt.Errorf("%s-wal is left after closing: the copy would miss data", seededPath(cfg))
		}
	}
	return dir, nil
}

// dropSeeded removes the template databases.
func dropSeeded() {
	if seededDBs.dir != "" {
		os.RemoveAll(seededDBs.dir)
	}
	for _, dsn := range seededDBs.dsns {
		storetest.Drop(dsn)
	}
}

// get fetches path and returns the status and the (decompressed) body.
func (s *testServer) get(t testing.TB, path string) (int, http.Header, string) {
	t.Helper()
	res, err := s.Client().Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(body)
}

func TestAPIReturnsSeededTargets(t *testing.T) {
	s := newTestServer(t, false)
	status, hdr, body := s.get(t, "/api/v1/plans/2020")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/plans/2020 = %d %s", status, hdr.Get("Content-Type"))
	}
	var plan struct {
		Demo       bool `json:"demo"`
		Indicators []struct {
			Name     string   `json:"name"`
			Headline bool     `json:"headline"`
			Target   float64  `json:"target"`
			Baseline *float64 `json:"baseline"`
			Status   string   `json:"status"`
			Months   []any    `json:"months"`
		} `json:"indicators"`
		Tasks []struct {
			Name string `json:"name"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal([]byte(body), &plan); err != nil {
		t.Fatal(err)
	}
	var targets, baselines []float64
	for _, ind := range plan.Indicators {
		if ind.Headline {
			targets = append(targets, ind.Target)
			if ind.Baseline != nil {
				baselines = append(baselines, *ind.Baseline)
			}
		}
		if len(ind.Months) != 12 {
			t.Errorf("indicator %q has %d months, want 12", ind.Name, len(ind.Months))
		}
	}
	if got, want := targets, []float64{170, 2163, 100}; !equalFloats(got, want) {
		t.Errorf("headline targets = %v, want %v", got, want)
	}
	if got, want := baselines, []float64{110, 1935}; !equalFloats(got, want) {
		t.Errorf("headline baselines = %v, want %v", got, want)
	}
	if len(plan.Tasks) != 5 || plan.Demo {
		t.Errorf("tasks = %d, demo = %v; want 5 tasks and no demo flag without -demo", len(plan.Tasks), plan.Demo)
	}
	// Without -demo there are no invented figures.
	if n := figureCount(t, s); n != 0 {
		t.Errorf("%d figures exist without -demo, want none", n)
	}
}

func figureCount(t testing.TB, s *testServer) int {
	t.Helper()
	sum, err := s.store.Summary(context.Background(), 2020, 12)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, is := range sum.Indicators {
		for _, v := range is.Figures {
			if v != nil {
				n++
			}
		}
	}
	return n
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAPIPlanList(t *testing.T) {
	s := newTestServer(t, true)
	status, _, body := s.get(t, "/api/v1/plans")
	if status != http.StatusOK || !strings.Contains(body, `"year":2020`) || !strings.Contains(body, `"demo":true`) {
		t.Errorf("GET /api/v1/plans = %d %s", status, body)
	}
	_, _, body = s.get(t, "/api/v1/plans/2020")
	if !strings.Contains(body, `"demo":true`) || !strings.Contains(body, `"asof":9`) {
		t.Errorf("demo plan API lacks demo flag or default as-of 9: %.200s", body)
	}
}

// pages lists every page the app serves, in both languages.
func pages(t testing.TB, s *testServer) []string {
	t.Helper()
	sum, err := s.store.Summary(context.Background(), 2020, 0)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/", "/plans/2020", "/plans/2020?asof=3", "/plans/2020/groups", "/plans/2020/groups?group=youth", "/plans/2021"}
	for _, ts := range sum.Tasks {
		paths = append(paths, "/plans/2020/tasks/"+ts.Task.Code)
	}
	for id := range sum.Indicators {
		paths = append(paths, "/plans/2020/indicators/"+strconv.Itoa(int(id)))
	}
	var out []string
	for _, p := range paths {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		out = append(out, p, p+sep+"lang=en")
	}
	return out
}

var (
	inlineScript   = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	styleAttribute = regexp.MustCompile(`\sstyle\s*=`)
	missingKey     = regexp.MustCompile(`![a-z]+\.[a-z.]+`)
)

func TestEveryPageRenders(t *testing.T) {
	s := newTestServer(t, true)
	for _, path := range pages(t, s) {
		t.Run(path, func(t *testing.T) {
			status, hdr, body := s.get(t, path)
			if status != http.StatusOK {
				t.Fatalf("GET %s = %d", path, status)
			}
			if k := missingKey.FindString(body); k != "" {
				t.Errorf("page shows a missing catalogue key: %s", k)
			}
			if !strings.Contains(body, "예시 데이터") {
				t.Error("demo page has no sample-data banner")
			}
			for _, tag := range inlineScript.FindAllString(body, -1) {
				if !strings.Contains(tag, " src=") && !strings.Contains(tag, `type="application/json"`) {
					t.Errorf("inline script tag %s", tag)
				}
			}
			if styleAttribute.MatchString(body) {
				t.Error("page has a style attribute, which the CSP blocks")
			}
			if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
				t.Errorf("CSP = %q", csp)
			}
			if hdr.Get("X-Frame-Options") != "DENY" || hdr.Get("X-Content-Type-Options") != "nosniff" || hdr.Get("Referrer-Policy") == "" {
				t.Errorf("security headers missing: %v", hdr)
			}
			wantLang := `<html lang="ko">`
			if strings.Contains(path, "lang=en") {
				wantLang = `<html lang="en">`
			}
			if !strings.Contains(body, wantLang) {
				t.Errorf("page lacks %s", wantLang)
			}
			// Every chart is followed by a table with a caption.
			for _, chunk := range strings.Split(body, `class="chart"`)[1:] {
				tbl := strings.Index(chunk, "<table")
				if tbl < 0 || !strings.Contains(chunk[tbl:min(len(chunk), tbl+200)], "<caption>") {
					t.Error("a chart is not followed by a table with a caption")
				}
			}
		})
	}
}

func TestUnknownLangFallsBackToKorean(t *testing.T) {
	s := newTestServer(t, false)
	status, _, body := s.get(t, "/?lang=xx")
	if status != http.StatusOK || !strings.Contains(body, `<html lang="ko">`) || !strings.Contains(body, "핵심 목표") {
		t.Errorf("GET /?lang=xx = %d, not Korean", status)
	}
}

func TestNamesAreEscapedEverywhere(t *testing.T) {
	s := newTestServer(t, false)
	const evil = `</script><script>alert(1)</script>`
	plan := `{"year":2019,"city":"c","title":"t","published":"unknown","tasks":[{"code":"A","name":"` + jsonEsc(evil) + `","programs":[{"name":"` + jsonEsc(evil) +
		`","indicators":[{"name":"` + jsonEsc(evil) + `","headline":true,"kind":"flow","unit":"명","target":10,"figures":[{"month":1,"value":3}]}]}]}],` +
		`"outcomes":[{"code":"o","name":"` + jsonEsc(evil) + `","unit":"%","target":60,"results":[{"year":2019,"period":"year","value":59,"released":"","source":"` + jsonEsc(evil) + `"}]}]}`
	pf, err := models.ParsePlanFile(strings.NewReader(plan))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ImportPlan(context.Background(), pf); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/plans/2019?asof=1", "/plans/2019/tasks/A", "/api/v1/plans/2019"} {
		_, _, body := s.get(t, path)
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("GET %s writes the name unescaped", path)
		}
	}
	_, _, body := s.get(t, "/plans/2019?asof=1")
	if !strings.Contains(body, `\u003c/script\u003e\u003cscript\u003ealert(1)`) {
		t.Error("chart JSON does not carry the escaped name")
	}
	if !strings.Contains(body, "&lt;/script&gt;&lt;script&gt;alert(1)") {
		t.Error("page text does not carry the HTML-escaped name")
	}
}

func jsonEsc(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

var outsideHost = regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//`)

func TestNoOutsideHosts(t *testing.T) {
	s := newTestServer(t, true)
	assets := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	seen := map[string]bool{}
	check := func(path string) string {
		status, _, body := s.get(t, path)
		if status >= 500 {
			t.Errorf("GET %s = %d", path, status)
		}
		if m := outsideHost.FindString(body); m != "" {
			t.Errorf("%s points at an outside host: %s", path, m)
		}
		return body
	}
	for _, path := range append(pages(t, s), "/no/such/page", "/?asof=99") {
		body := check(path)
		for _, m := range assets.FindAllStringSubmatch(body, -1) {
			if !seen[m[1]] && strings.HasSuffix(m[1], ".css") {
				seen[m[1]] = true
				check(m[1])
			}
		}
	}
	if len(seen) < 3 {
		t.Errorf("checked %d stylesheets, want at least 3", len(seen))
	}
}

func TestAssetsAreVersionedAndCompressed(t *testing.T) {
	s := newTestServer(t, false)
	_, _, body := s.get(t, "/")
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/css/app.css)"`).FindStringSubmatch(body)
	if css == nil {
		t.Fatal("no versioned app.css link")
	}
	req, _ := http.NewRequest("GET", s.URL+css[1], nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("app.css headers = %v", res.Header)
	}
	// Pages revalidate with an ETag.
	res, err = s.Client().Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	req, _ = http.NewRequest("GET", s.URL+"/", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	res, err = s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET / = %d, want 304", res.StatusCode)
	}
}

func TestHealthz(t *testing.T) {
	s := newTestServer(t, false)
	status, _, body := s.get(t, "/healthz")
	if status != http.StatusOK || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Errorf("GET /healthz = %d %s", status, body)
	}
	// An answer of the database stands for a quarter of a second.
	s.store.Close()
	time.Sleep(300 * time.Millisecond)
	status, hdr, _ := s.get(t, "/healthz")
	if status != http.StatusServiceUnavailable || hdr.Get("Content-Type") != "application/problem+json" {
		t.Errorf("GET /healthz with the database closed = %d %s, want 503 problem", status, hdr.Get("Content-Type"))
	}
}

func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	runCmd := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := run(context.Background(), args, &out, &out)
		return code, out.String()
	}
	if code, out := runCmd("-bogus"); code != 2 || !strings.Contains(out, "Usage") {
		t.Errorf("bad flag: exit %d, output %q", code, out)
	}
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	if code, out := runCmd("-db", filepath.Join(blocker, "x.db"), "-addr", "127.0.0.1:0"); code != 1 || !strings.Contains(out, "-db") {
		t.Errorf("unwritable database: exit %d, output %q", code, out)
	}
	db := storetest.DSN(t)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"year":2022,"city":"c","title":"t","tasks":[{"code":"A","name":"a","programs":[{"name":"p","indicators":[{"name":"i","kind":"flow","unit":"명","target":-5}]}]}]}`), 0o644)
	code, out := runCmd("plan", "import", "-db", db, bad)
	if code != 1 || !strings.Contains(out, "tasks[0].programs[0].indicators[0].target") {
		t.Errorf("plan import of a bad file: exit %d, output %q", code, out)
	}
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"year":2022,"city":"c","title":"t","tasks":[{"code":"A","name":"a"}]}`), 0o644)
	if code, out := runCmd("plan", "import", "-db", db, good); code != 0 || !strings.Contains(out, "imported") {
		t.Errorf("plan import: exit %d, output %q", code, out)
	}
	if code, out := runCmd("plan", "import", "-db", db, good); code != 1 || !strings.Contains(out, "never overwritten") {
		t.Errorf("second plan import: exit %d, output %q", code, out)
	}
	if code, _ := runCmd("plan", "export"); code != 2 {
		t.Errorf("unknown plan subcommand: exit %d, want 2", code)
	}
}

func BenchmarkDashboard(b *testing.B) {
	s := newTestServer(b, true)
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			req, _ := http.NewRequest("GET", s.URL+"/", nil)
			req.Header.Set("Accept-Encoding", enc)
			for b.Loop() {
				res, err := s.Client().Transport.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("GET / = %d", res.StatusCode)
				}
			}
		})
	}
}

// TestResultsCSV checks the plan's results download: one row per
// indicator with the same numbers as the API, in the page's language,
// formula-safe, and an error page (not a file) for an unknown year.
func TestResultsCSV(t *testing.T) {
	s := newTestServer(t, true)
	status, hdr, body := s.get(t, "/plans/2020/results.csv?asof=6")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") ||
		!strings.Contains(hdr.Get("Content-Disposition"), "jobkpi-2020-results-sample.csv") || !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("results.csv = %d %q %q", status, hdr.Get("Content-Type"), hdr.Get("Content-Disposition"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	indicators := planIndicators(t, s, "/api/v1/plans/2020?asof=6")
	if len(rows) != len(indicators)+1 || rows[0][0] != "기준월" {
		t.Fatalf("results.csv has %d rows (header %q), want a header and %d indicators", len(rows), rows[0], len(indicators))
	}
	for i, ind := range indicators {
		row := rows[i+1]
		if row[0] != "2020-06" || row[4] != ind.Name {
			t.Errorf("row %d = %q, want %s as of 2020-06", i+1, row[:5], ind.Name)
			continue
		}
		if ind.Kind != "milestone" && (row[7] != strconv.FormatFloat(ind.Target, 'f', -1, 64) || row[8] != strconv.FormatFloat(ind.Actual, 'f', -1, 64)) {
			t.Errorf("%s: target, actual = %s, %s; the API says %v, %v", ind.Name, row[7], row[8], ind.Target, ind.Actual)
		}
	}
	if _, _, en := s.get(t, "/plans/2020/results.csv?lang=en"); !strings.Contains(en, "As of,Core task") {
		t.Errorf("the English download's header is not in English: %.80q", en)
	}
	status, hdr, body = s.get(t, "/plans/2031/results.csv")
	if status != http.StatusNotFound || hdr.Get("Content-Disposition") != "" || !strings.Contains(body, "2020") {
		t.Errorf("unknown year = %d %q; want a 404 page listing the years, not a file", status, hdr.Get("Content-Disposition"))
	}
}

// planIndicator is what tests read of an indicator in the plan API.
type planIndicator struct {
	ID     uint    `json:"id"`
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	Target float64 `json:"target"`
	Actual float64 `json:"actual"`
	Status string  `json:"status"`
}

// planIndicators reads the indicators of a plan through the public API.
func planIndicators(t *testing.T, s *testServer, path string) []planIndicator {
	t.Helper()
	status, _, body := s.get(t, path)
	var plan struct {
		Indicators []planIndicator `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(body), &plan); status != http.StatusOK || err != nil {
		t.Fatalf("GET %s = %d: %v", path, status, err)
	}
	return plan.Indicators
}
