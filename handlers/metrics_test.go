package handlers

import (
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// newTestMetrics is the metrics of an Echo server with a few routes.
func newTestMetrics(t testing.TB) (*Metrics, *echo.Echo) {
	t.Helper()
	store, err := models.Open(filepath.Join(t.TempDir(), "metrics.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := echo.New()
	for _, path := range []string{"/", "/plans/:year", "/plans/:year/indicators/:id"} {
		e.GET(path, func(c echo.Context) error { return nil })
	}
	return newMetrics(store, nil, slog.New(slog.NewTextHandler(io.Discard, nil))), e
}

// TestObserveAllocatesNothing: counting a request on the hot path makes
// no garbage once its route has answered with that status.
func TestObserveAllocatesNothing(t *testing.T) {
	m, e := newTestMetrics(t)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/plans/:year"},
		{http.MethodGet, ""},              // the router never ran
		{"BREW", "/plans/:year"},          // a method no route has
		{http.MethodPost, "/plans/:year"}, // a 405
	} {
		m.observe(e, tc.method, tc.path, http.StatusOK, time.Millisecond)
		if n := testing.AllocsPerRun(100, func() { m.observe(e, tc.method, tc.path, http.StatusOK, time.Millisecond) }); n != 0 {
			t.Errorf("observe(%s %q) allocates %v times per request, want 0", tc.method, tc.path, n)
		}
	}
}

func TestSaneRequestID(t *testing.T) {
	for id, want := range map[string]bool{
		"abc-123": true, "A.b_C-9": true, strings.Repeat("x", 64): true,
		"": false, strings.Repeat("x", 65): false, "a b": false, "a\nb": false, "a/b": false, "ü": false, `"x"`: false,
	} {
		if got := saneRequestID(id); got != want {
			t.Errorf("saneRequestID(%q) = %v, want %v", id, got, want)
		}
	}
}

// TestObserveConcurrent: requests that resolve a route's statuses at the
// same time lose no count.
func TestObserveConcurrent(t *testing.T) {
	m, e := newTestMetrics(t)
	statuses := []int{200, 304, 404, 422, 500}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				m.observe(e, http.MethodGet, "/plans/:year", statuses[(g+i)%len(statuses)], time.Millisecond)
			}
		})
	}
	wg.Wait()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	total, series := 0.0, 0
	for _, f := range families {
		if f.GetName() == "jobkpi_http_requests_total" {
			for _, c := range f.GetMetric() {
				total += c.GetCounter().GetValue()
				series++
			}
		}
	}
	if total != 800 || series != len(statuses) {
		t.Errorf("requests counted = %v in %d series, want 800 in %d", total, series, len(statuses))
	}
}

// BenchmarkObserve is the cost that the metrics add to each request.
func BenchmarkObserve(b *testing.B) {
	m, e := newTestMetrics(b)
	b.ReportAllocs()
	for b.Loop() {
		m.observe(e, http.MethodGet, "/plans/:year/indicators/:id", http.StatusOK, time.Millisecond)
	}
}
