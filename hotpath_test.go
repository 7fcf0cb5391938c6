package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// hotPaths are the requests an anonymous visitor makes most, each with the
// status it must answer.
var hotPaths = []struct {
	name   string
	path   string
	status int
}{
	{"dashboard", "/", http.StatusOK},
	{"plan", "/plans/2020", http.StatusOK},
	{"api", "/api/v1/plans/2020", http.StatusOK},
	{"disclosure", "/disclosure", http.StatusOK},
	{"healthz", "/healthz", http.StatusOK},
	{"404", "/no/such/page", http.StatusNotFound},
}

// BenchmarkHotPath serves each hot path through the real router in
// process, asking for gzip like a browser; "ceiling" is a bare Echo without
// middleware writing the same headers and body from memory. The gap
// between the two is what the app spends per request:
//
//	go test -run '^$' -bench HotPath -cpuprofile /tmp/cpu.out .
func BenchmarkHotPath(b *testing.B) {
	s := newTestServer(b, true)
	h := s.Config.Handler
	for _, p := range hotPaths {
		req := httptest.NewRequest(http.MethodGet, p.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
		first := httptest.NewRecorder()
		h.ServeHTTP(first, req)
		if first.Code != p.status {
			b.Fatalf("GET %s = %d, want %d", p.path, first.Code, p.status)
		}
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				serveOnce(h, req)
			}
		})
		b.Run(p.name+"/ceiling", func(b *testing.B) {
			hdr, body := first.Result().Header, first.Body.Bytes()
			ceiling := echo.New()
			ceiling.GET(p.path, func(c echo.Context) error {
				w := c.Response()
				for k, v := range hdr {
					w.Header()[k] = v
				}
				w.WriteHeader(first.Code)
				_, err := w.Write(body)
				return err
			})
			b.ReportAllocs()
			for b.Loop() {
				serveOnce(ceiling, req)
			}
		})
	}
}

// sink is a ResponseWriter that drops the body, with a fresh header map
// per request as net/http gives.
type sink struct {
	header http.Header
	code   int
	n      int
}

func (w *sink) Header() http.Header { return w.header }
func (w *sink) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *sink) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}

func serveOnce(h http.Handler, req *http.Request) *sink {
	w := &sink{header: http.Header{}}
	h.ServeHTTP(w, req)
	return w
}
