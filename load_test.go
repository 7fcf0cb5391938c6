//go:build load

package main

// The load test serves the real router with demo data on a loopback TCP port
// and drives it with vegeta at a fixed request rate. A fixed (open-loop) rate
// means a slow server shows up as latency instead of as fewer requests sent,
// so coordinated omission does not hide it.
//
//	go test -tags load -run 'TestLoad$' -count=1 -v .
//	JOBKPI_LOAD_RATE=3000 JOBKPI_LOAD_DURATION=20s go test -tags load -run 'TestLoad$' -count=1 -v .
//	go test -tags load -run 'TestLoad$/ceiling' -count=1 -v .   # only the closed-loop part
//	JOBKPI_LOAD_HELLO=1 go test -tags load -run TestLoad -count=1 -v .   # also a bare Echo hello-world, to compare
//
// Settings: JOBKPI_LOAD_RATE (requests per second, default 300),
// JOBKPI_LOAD_DURATION (default 10s) and JOBKPI_LOAD_P99 (the bound on the
// 99th percentile latency, default 250ms) for the fixed rate;
// JOBKPI_LOAD_CLOSED (default 5s) for each closed-loop attack. Each attack
// prints one "load:" line; with a package argument such as ".", go test
// shows a passing test's output only under -v.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"jobkpi/models"
)

// loadConnections caps the load generator's TCP connections. Requests that
// wait for a free connection still count that wait in their latency, so the
// rate stays fixed; without a cap, a short stall on a small machine makes
// vegeta dial thousands of new connections on the CPU the server needs,
// and the run collapses into client timeouts.
const loadConnections = 64

// loadConfig is what the JOBKPI_LOAD_* variables say. The defaults are modest
// enough for a noisy two-core CI machine.
type loadConfig struct {
	rate     int
	duration time.Duration
	p99      time.Duration
}

func loadConfigFromEnv(t *testing.T) loadConfig {
	t.Helper()
	var errs []error
	cfg := loadConfig{rate: 300, duration: 10 * time.Second, p99: 250 * time.Millisecond}
	if v := os.Getenv("JOBKPI_LOAD_RATE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Errorf("JOBKPI_LOAD_RATE=%q: want a whole number of requests per second above 0, such as 300", v))
		}
		cfg.rate = n
	}
	for _, d := range []struct {
		key string
		dst *time.Duration
	}{{"JOBKPI_LOAD_DURATION", &cfg.duration}, {"JOBKPI_LOAD_P99", &cfg.p99}} {
		v := os.Getenv(d.key)
		if v == "" {
			continue
		}
		dur, err := time.ParseDuration(v)
		if err != nil || dur <= 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a duration above 0 with a unit, such as 10s or 250ms", d.key, v))
		}
		*d.dst = dur
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("bad load test settings:\n%v", err)
	}
	return cfg
}

// TestLoad has two parts on one server. "mix" drives the dashboard (80 %)
// and the plan API (20 %) at a fixed rate and fails on any non-2xx answer
// or transport error, or when the 99th percentile latency is over
// JOBKPI_LOAD_P99. "ceiling" loads each page as fast as it answers and
// compares it with the same bytes served from memory (runCeilings).
func TestLoad(t *testing.T) {
	h := newLoadRouter(t)
	t.Run("mix", func(t *testing.T) { runLoad(t, "load", h, true) })
	t.Run("ceiling", func(t *testing.T) { runCeilings(t, h) })
}

// TestLoadHelloWorld runs the same attack against a bare Echo hello-world,
// for comparison with TestLoad on the same machine.
func TestLoadHelloWorld(t *testing.T) {
	if os.Getenv("JOBKPI_LOAD_HELLO") != "1" {
		t.Skip("set JOBKPI_LOAD_HELLO=1 to load a bare Echo hello-world for comparison")
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	hello := func(c echo.Context) error { return c.String(http.StatusOK, "Hello, World!") }
	e.GET("/", hello)
	e.GET("/api/v1/plans/:year", hello)
	runLoad(t, "load-hello", e, false)
}

// newLoadRouter is the real router over a fresh SQLite file holding the
// seed plans with demo figures.
func newLoadRouter(t *testing.T) http.Handler {
	t.Helper()
	store, err := models.Open(filepath.Join(t.TempDir(), "jobkpi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := seed(context.Background(), store, config{demo: true}, log); err != nil {
		t.Fatal(err)
	}
	e, err := newServer(store, log, config{demo: true, public: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// startLoopback serves h on a TCP port of 127.0.0.1, with the timeouts of
// serve, and returns the base URL.
func startLoopback(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

// loadTargets is the request mix: eight dashboard requests for every two
// plan API requests, all asking for gzip like a browser does.
func loadTargets(base string) []vegeta.Target {
	paths := []string{
		"/", "/?asof=6", "/", "/?lang=en", "/api/v1/plans/2020",
		"/", "/?asof=3&lang=en", "/", "/?lang=en", "/api/v1/plans/2020",
	}
	tgts := make([]vegeta.Target, len(paths))
	for i, p := range paths {
		accept := "text/html,application/xhtml+xml,*/*;q=0.8"
		if strings.HasPrefix(p, "/api/") {
			accept = "application/json"
		}
		tgts[i] = vegeta.Target{Method: http.MethodGet, URL: base + p, Header: http.Header{
			"Accept":          {accept},
			"Accept-Encoding": {"gzip, deflate, br, zstd"},
		}}
	}
	return tgts
}

// warmUp sends one request per distinct target and checks that each answers
// 200, with a gzip body when wantGzip.
func warmUp(t *testing.T, tgts []vegeta.Target, wantGzip bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, tgt := range tgts {
		if seen[tgt.URL] {
			continue
		}
		seen[tgt.URL] = true
		req, err := tgt.Request()
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("warm-up GET %s: %v", tgt.URL, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("warm-up GET %s = %d, want 200", tgt.URL, res.StatusCode)
		}
		if wantGzip && res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("warm-up GET %s: Content-Encoding %q, want gzip", tgt.URL, res.Header.Get("Content-Encoding"))
		}
	}
}

// runLoad serves h on loopback, warms it up, attacks it at the configured
// rate, prints one summary line and checks errors and p99.
func runLoad(t *testing.T, name string, h http.Handler, wantGzip bool) {
	cfg := loadConfigFromEnv(t)
	tgts := loadTargets(startLoopback(t, h))
	warmUp(t, tgts, wantGzip)

	attacker := vegeta.NewAttacker(
		vegeta.Timeout(10*time.Second),
		vegeta.MaxBody(0), // bodies are drained, not kept: the load generator shares the CPU
		vegeta.Redirects(vegeta.NoFollow),
		vegeta.MaxConnections(loadConnections),
	)
	var m vegeta.Metrics
	for res := range attacker.Attack(vegeta.NewStaticTargeter(tgts...), vegeta.Rate{Freq: cfg.rate, Per: time.Second}, cfg.duration, "jobkpi") {
		m.Add(res)
	}
	m.Close()

	ok := 0
	for code, n := range m.StatusCodes {
		if c, _ := strconv.Atoi(code); c >= 200 && c < 300 {
			ok += n
		}
	}
	failed := int(m.Requests) - ok
	line := fmt.Sprintf("%s: rate=%d/s duration=%s requests=%d throughput=%.0f/s p50=%s p99=%s max=%s errors=%d",
		name, cfg.rate, cfg.duration, m.Requests, m.Throughput,
		m.Latencies.P50.Round(time.Microsecond), m.Latencies.P99.Round(time.Microsecond),
		m.Latencies.Max.Round(time.Microsecond), failed)
	fmt.Println(line)
	t.Log(line)

	if failed > 0 {
		t.Errorf("%d of %d requests failed; status codes %v (0 is a transport error); errors: %s",
			failed, m.Requests, m.StatusCodes, strings.Join(firstN(m.Errors, 5), "; "))
	}
	if m.Latencies.P99 > cfg.p99 {
		t.Errorf("p99 latency %s is over the bound %s (JOBKPI_LOAD_P99)", m.Latencies.P99.Round(time.Microsecond), cfg.p99)
	}
	// A load generator that cannot keep the rate would understate latency.
	if want := float64(cfg.rate) * cfg.duration.Seconds(); float64(m.Requests) < 0.95*want {
		t.Errorf("sent %d requests, want about %.0f: the machine could not keep %d/s, so latencies are understated", m.Requests, want, cfg.rate)
	}
}

func firstN(s []string, n int) []string {
	sort.Strings(s)
	return s[:min(n, len(s))]
}

// ceilingTarget is one page of the closed-loop test: its path and the
// status it must answer.
type ceilingTarget struct {
	name   string
	path   string
	status int
}

// ceilingTargets are the hot pages: the public dashboard, the read API
// and a path that is not there.
var ceilingTargets = []ceilingTarget{
	{"dashboard", "/", http.StatusOK},
	{"api", "/api/v1/plans/2020", http.StatusOK},
	{"404", "/no/such/page", http.StatusNotFound},
}

// ceilingWorkers is how many requests the closed loop keeps in flight: each
// worker sends its next request as soon as the last one is answered.
const ceilingWorkers = 64

// runCeilings measures, one target after the other, the real server and a
// bare Echo instance without middleware that answers with the very bytes
// the real server sent (status, headers, gzipped body), fetched once. Both
// run closed-loop for the same time in this process (so with the same
// garbage collector and heap), so their ratio says how much of the time per
// request the app's own work takes. It fails on any transport error or
// other status, or when a page reaches less than half of its ceiling.
func runCeilings(t *testing.T, h http.Handler) {
	dur := 5 * time.Second
	if v := os.Getenv("JOBKPI_LOAD_CLOSED"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("JOBKPI_LOAD_CLOSED=%q: want a duration above 0 with a unit, such as 5s", v)
		}
		dur = d
	}
	base := startLoopback(t, h)
	for _, tgt := range ceilingTargets {
		t.Run(tgt.name, func(t *testing.T) {
			snap := fetchSnapshot(t, base+tgt.path, tgt.status)
			res := closedLoop(t, dur, base+tgt.path, startLoopback(t, snap.echo(tgt.path))+tgt.path)
			app, ceiling := &res[0], &res[1]
			ratio := app.rate / ceiling.rate
			bad := wrongAnswers(app, tgt.status) + wrongAnswers(ceiling, tgt.status)
			line := fmt.Sprintf("load: %s %.0f req/s vs ceiling %.0f req/s (%.2fx), p99 %s (ceiling %s), %d errors",
				tgt.name, app.rate, ceiling.rate, ratio, ms(app.Latencies.P99), ms(ceiling.Latencies.P99), bad)
			fmt.Println(line)
			t.Log(line)
			if bad > 0 {
				t.Errorf("%s: want every answer %d; server %v, ceiling %v (0 is a transport error); errors: %s",
					tgt.path, tgt.status, app.StatusCodes, ceiling.StatusCodes, strings.Join(firstN(app.Errors, 5), "; "))
			}
			if ratio < 0.5 {
				t.Errorf("%s answers %.0f req/s, less than half of the %.0f req/s the same bytes take from memory", tgt.path, app.rate, ceiling.rate)
			}
		})
	}
}

// snapshot is one response as the client received it.
type snapshot struct {
	status int
	header http.Header
	body   []byte
}

// fetchSnapshot GETs url once, the way the closed loop will, and checks
// the status.
func fetchSnapshot(t *testing.T, url string, status int) snapshot {
	t.Helper()
	tgt := ceilingRequest(url)
	req, err := tgt.Request()
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if res.StatusCode != status {
		t.Fatalf("GET %s = %d, want %d", url, res.StatusCode, status)
	}
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("GET %s: Content-Encoding %q, want gzip", url, res.Header.Get("Content-Encoding"))
	}
	hdr := res.Header.Clone()
	// The server writes the date itself. Content-Length stays when the
	// real server sent one: without it, a long body goes chunked.
	hdr.Del("Date")
	return snapshot{status: res.StatusCode, header: hdr, body: body}
}

// echo is a bare Echo instance that answers path with the snapshot, from
// memory, with no middleware.
func (s snapshot) echo(path string) http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET(path, func(c echo.Context) error {
		w := c.Response()
		for k, v := range s.header {
			w.Header()[k] = v
		}
		w.WriteHeader(s.status)
		_, err := w.Write(s.body)
		return err
	})
	return e
}

func ceilingRequest(url string) vegeta.Target {
	return vegeta.Target{Method: http.MethodGet, URL: url, Header: http.Header{
		"Accept":          {"text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"},
		"Accept-Encoding": {"gzip"},
	}}
}

// closedLoop loads each of urls from ceilingWorkers workers, each sending
// its next GET as soon as its last answer came. After a one-second warm-up
// of each, the urls take turns in slices of closedSlice until each has had
// dur, each over its own kept-alive connections: other work on the machine
// then weighs on all of them alike. It returns one result per url.
func closedLoop(t *testing.T, dur time.Duration, urls ...string) []closedResult {
	t.Helper()
	clients := make([]*http.Client, len(urls))
	for i := range urls {
		tr := &http.Transport{MaxConnsPerHost: ceilingWorkers, MaxIdleConnsPerHost: ceilingWorkers, DisableCompression: true}
		t.Cleanup(tr.CloseIdleConnections)
		clients[i] = &http.Client{Transport: tr, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	attack := func(i int, d time.Duration, m *vegeta.Metrics) time.Duration {
		attacker := vegeta.NewAttacker(
			vegeta.Client(clients[i]),
			vegeta.MaxBody(0), // drained, not kept
			vegeta.Workers(ceilingWorkers),
			vegeta.MaxWorkers(ceilingWorkers),
		)
		start := time.Now()
		for res := range attacker.Attack(vegeta.NewStaticTargeter(ceilingRequest(urls[i])), vegeta.Rate{Freq: 0}, d, "jobkpi") {
			m.Add(res)
		}
		return time.Since(start)
	}
	for i := range urls {
		attack(i, time.Second, &vegeta.Metrics{})
	}
	out := make([]closedResult, len(urls))
	for left := dur; left > 0; left -= closedSlice {
		for i := range urls {
			out[i].elapsed += attack(i, min(left, closedSlice), &out[i].Metrics)
		}
	}
	for i := range out {
		out[i].Close()
		out[i].rate = float64(out[i].Requests) / out[i].elapsed.Seconds()
	}
	return out
}

// closedSlice is how long one url is loaded before the next takes its turn.
const closedSlice = 250 * time.Millisecond

// closedResult is a closed-loop measurement: the requests sent over the
// whole time spent sending them.
type closedResult struct {
	vegeta.Metrics
	elapsed time.Duration
	rate    float64
}

// wrongAnswers counts the answers with another status than want,
// transport errors included.
func wrongAnswers(m *closedResult, want int) int {
	n := 0
	for code, k := range m.StatusCodes {
		if code != strconv.Itoa(want) {
			n += k
		}
	}
	return n
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
