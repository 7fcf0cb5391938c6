package handlers

// Every request has an ID, sent back in X-Request-ID and written on each
// log line about it. Only failed (5xx) and slow requests are logged: the
// others are counted in the metrics.

import (
	"crypto/rand"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
)

// headerRequestID is echo.HeaderXRequestID in its canonical form, which
// net/http looks up without making a new string.
const headerRequestID = "X-Request-Id"

// slowRequest is how long a request may take before it is logged.
const slowRequest = time.Second

// maxRequestID is the longest X-Request-ID taken from a client or proxy.
const maxRequestID = 64

// Observe is the outermost middleware, run before routing: it gives the
// request its ID, answers an error here so that the status is known,
// counts the request in the metrics by its route pattern, and logs it if
// it failed (5xx) or took longer than slowRequest.
func (h *Handler) Observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := req.Header.Get(headerRequestID)
		if !saneRequestID(id) {
			id = rand.Text()
		}
		c.Response().Header().Set(headerRequestID, id)
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		d := time.Since(start)
		status := c.Response().Status
		h.metrics.observe(c.Echo(), req.Method, c.Path(), status, d)
		if status >= 500 || d > slowRequest {
			h.logRequest(c, status, d, err)
		}
		return nil
	}
}

// saneRequestID says whether a request ID from outside can go into the
// logs as it is: 1 to 64 letters, digits, '.', '_' or '-'.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '.', b == '_', b == '-':
		default:
			return false
		}
	}
	return true
}

// logFor is the logger for what happens in the request of c: each of its
// lines carries the request's ID.
func (h *Handler) logFor(c echo.Context) *slog.Logger {
	if id := c.Response().Header().Get(headerRequestID); id != "" {
		return h.log.With("request_id", id)
	}
	return h.log
}

// logRequest writes the access-log line of a failed or slow request.
func (h *Handler) logRequest(c echo.Context, status int, d time.Duration, err error) {
	level := slog.LevelWarn
	if status >= 500 {
		level = slog.LevelError
	}
	req := c.Request()
	args := []any{"method", req.Method, "route", c.Path(), "path", req.URL.Path, "status", status, "duration", d, "ip", c.RealIP()}
	if err != nil {
		args = append(args, "err", err)
	}
	h.logFor(c).Log(req.Context(), level, "request", args...)
}
