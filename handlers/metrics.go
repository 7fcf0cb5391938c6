package handlers

// The server's metrics, in Prometheus' text format at /metrics, for the
// TCP peers that -metrics-from lists and no one else.

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"jobkpi/models"
)

// unmatched is the route label of a request that matched no route, so
// that unknown paths cannot add label values.
const unmatched = "unmatched"

// metricsPath is where Endpoint answers.
const metricsPath = "/metrics"

// Results of a figure write, the values of its result label.
const (
	figureSaved = iota
	figureConflict
	figureLocked
)

// Results of reading an uploaded file, the values of its result label.
const (
	uploadReady    = "ready"    // read, and can be saved as it is
	uploadProblems = "problems" // read, with problems to fix first
	uploadFailed   = "failed"   // refused as a whole
)

// Metrics are the server's counters and gauges, in a registry of their
// own: never Prometheus' global one, so that many servers can live in one
// process.
type Metrics struct {
	reg      *prometheus.Registry
	serve    http.Handler
	allow    []*net.IPNet
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	figures  [3]prometheus.Counter
	uploads  *prometheus.CounterVec

	// Every route, known from the first request on, when all are
	// registered; the maps are read-only after that.
	once      sync.Once
	routes    map[routeKey]*routeStats
	unmatched map[string]*routeStats // by method
}

// routeKey is a registered route: its method and its path pattern.
type routeKey struct{ method, path string }

// routeStats are a route's metrics with their labels resolved, each on
// its first use, so that a route never asked for adds no series.
type routeStats struct {
	route, method string
	mu            sync.Mutex // held to resolve; reading needs no lock
	resolved      atomic.Pointer[resolvedStats]
}

// resolvedStats are a route's duration histogram and its counter of each
// status seen so far; never changed once stored, only replaced.
type resolvedStats struct {
	duration prometheus.Observer
	byStatus map[int]prometheus.Counter
}

// newMetrics makes the metrics of a server over store; only TCP peers in
// allow may read them.
func newMetrics(store *models.Store, allow []*net.IPNet, log *slog.Logger) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), allow: allow}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jobkpi_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "jobkpi_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by route pattern and method.", Buckets: prometheus.DefBuckets}, []string{"route", "method"})
	writes := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jobkpi_figure_writes_total",
		Help: "Monthly figures saved, and refused for a stale version (conflict) or a locked month (locked)."}, []string{"result"})
	for i, result := range []string{"saved", "conflict", "locked"} {
		m.figures[i] = writes.WithLabelValues(result)
	}
	m.uploads = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jobkpi_upload_jobs_total",
		Help: "Uploaded files read, by kind (figures, plan) and result (ready, problems, failed)."}, []string{"kind", "result"})
	for _, kind := range []string{"figures", "plan"} {
		for _, result := range []string{uploadReady, uploadProblems, uploadFailed} {
			m.uploads.WithLabelValues(kind, result) // shown as 0 before the first upload
		}
	}
	m.reg.MustRegister(m.requests, m.duration, writes, m.uploads, &sessionsCollector{store: store},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if w, r, err := store.Pools(); err == nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(w, "writer"), collectors.NewDBStatsCollector(r, "reader"))
	} else {
		log.Error("metrics without database pool statistics", "err", err)
	}
	m.serve = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError})
	return m
}

// Endpoint is the middleware, run before routing, that answers GET
// /metrics to the TCP peers -metrics-from lists. For anyone else the path
// is not a route at all, so it answers exactly as any unknown path does.
// The peer is the connection's own address, never X-Forwarded-For: a
// proxy in front must not open the metrics to the world.
func (m *Metrics) Endpoint(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.URL.Path != metricsPath || req.Method != http.MethodGet || !m.allowed(req.RemoteAddr) {
			return next(c)
		}
		c.SetPath(metricsPath) // the route counted
		m.serve.ServeHTTP(c.Response(), req)
		return nil
	}
}

func (m *Metrics) allowed(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range m.allow {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// learn lists every route of e, /metrics, and requests that match none.
func (m *Metrics) learn(routes []*echo.Route) {
	m.routes = map[routeKey]*routeStats{{http.MethodGet, metricsPath}: m.stats(metricsPath, http.MethodGet)}
	for _, r := range routes {
		if r.Method != echo.RouteNotFound {
			m.routes[routeKey{r.Method, r.Path}] = m.stats(r.Path, r.Method)
		}
	}
	m.unmatched = map[string]*routeStats{}
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, "other"} {
		m.unmatched[method] = m.stats(unmatched, method)
	}
}

func (m *Metrics) stats(route, method string) *routeStats {
	return &routeStats{route: route, method: method}
}

// observe counts a request to e answered by the route path (Echo's
// pattern, "" when the router never ran) with status in d. It allocates
// nothing once the route has answered with that status.
func (m *Metrics) observe(e *echo.Echo, method, path string, status int, d time.Duration) {
	m.once.Do(func() { m.learn(e.Routes()) })
	rs := m.routes[routeKey{method, path}]
	if rs == nil {
		if rs = m.unmatched[method]; rs == nil {
			rs = m.unmatched["other"]
		}
	}
	duration, count := rs.resolve(m, status)
	duration.Observe(d.Seconds())
	count.Inc()
}

// resolve returns the route's duration histogram and its counter of
// status, made on their first use.
func (rs *routeStats) resolve(m *Metrics, status int) (prometheus.Observer, prometheus.Counter) {
	if r := rs.resolved.Load(); r != nil {
		if count := r.byStatus[status]; count != nil {
			return r.duration, count
		}
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r := rs.resolved.Load()
	if r == nil {
		r = &resolvedStats{duration: m.duration.WithLabelValues(rs.route, rs.method)}
	}
	if count := r.byStatus[status]; count != nil {
		return r.duration, count
	}
	next := &resolvedStats{duration: r.duration, byStatus: maps.Clone(r.byStatus)}
	if next.byStatus == nil {
		next.byStatus = map[int]prometheus.Counter{}
	}
	count := m.requests.WithLabelValues(rs.route, rs.method, strconv.Itoa(status))
	next.byStatus[status] = count
	rs.resolved.Store(next)
	return next.duration, count
}

// figureWrites counts a save of n figures: all saved, or, for each one
// the store refused, a stale version or a locked month. Other refusals
// (invalid values, another department's indicator) are not counted.
func (m *Metrics) figureWrites(n int, err error) {
	var batch *models.BatchError
	switch {
	case err == nil:
		m.figures[figureSaved].Add(float64(n))
	case errors.As(err, &batch):
		for _, e := range batch.Errs {
			m.figureRefused(e)
		}
	default:
		m.figureRefused(err)
	}
}

func (m *Metrics) figureRefused(err error) {
	switch {
	case errors.Is(err, models.ErrConflict):
		m.figures[figureConflict].Inc()
	case errors.Is(err, models.ErrLocked):
		m.figures[figureLocked].Inc()
	}
}

// uploadJob counts an uploaded file of kind (figures, plan) read to
// result (uploadReady, uploadProblems, uploadFailed).
func (m *Metrics) uploadJob(kind, result string) {
	m.uploads.WithLabelValues(kind, result).Inc()
}

// figureUpload is the result of reading a figures file: failed when it
// could not be read at all.
func figureUpload(res *importResult, fatal *webError) string {
	switch {
	case fatal != nil || res == nil:
		return uploadFailed
	case len(res.problems) > 0 || res.more > 0:
		return uploadProblems
	}
	return uploadReady
}

// sessionsCollector reads the number of live sessions from the database
// at each scrape.
type sessionsCollector struct{ store *models.Store }

var sessionsDesc = prometheus.NewDesc("jobkpi_sessions_active", "Signed-in sessions that have not ended.", nil, nil)

func (sc *sessionsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- sessionsDesc }

func (sc *sessionsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := sc.store.ActiveSessions(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(sessionsDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(sessionsDesc, prometheus.GaugeValue, float64(n))
}
