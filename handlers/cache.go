package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// cachedPage is a rendered response, kept with its gzip form and the
// header values it is sent with, made once.
type cachedPage struct {
	status int
	body   []byte
	gz     []byte
	etag   string
	// The header values, shared by every response (see fixedValue).
	ctype, etagHdr, bodyLen, gzLen []string
}

// pageCache keeps rendered responses for one data version. A write to the
// store changes the version, which empties the cache.
type pageCache struct {
	mu      sync.RWMutex
	max     int
	version int64
	entries map[string]*cachedPage
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, entries: map[string]*cachedPage{}}
}

func (pc *pageCache) get(version int64, key string) *cachedPage {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	if pc.version != version {
		return nil
	}
	return pc.entries[key]
}

func (pc *pageCache) put(version int64, key string, p *cachedPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.version != version || len(pc.entries) >= pc.max {
		pc.version = version
		pc.entries = map[string]*cachedPage{}
	}
	pc.entries[key] = p
}

// render produces a response body: status, content type and bytes.
type render func() (status int, ctype string, body []byte, err error)

// serveCached answers from the cache when it holds the response for the
// current data version, and otherwise renders, stores and sends it. Only
// successful responses are cached, and never one that hands out a CSRF
// token.
func (h *Handler) serveCached(c echo.Context, key string, fn render) error {
	if currentUser(c) != nil {
		// Signed-in pages name the user and carry a CSRF token: never shared.
		status, ctype, body, err := fn()
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Blob(status, ctype, body)
	}
	version := h.store.Version()
	p := h.cache.get(version, key)
	if p == nil {
		status, ctype, body, err := fn()
		if err != nil {
			return err
		}
		if csrfIssued(c) {
			// A form for this visitor alone.
			c.Response().Header().Set("Cache-Control", "no-store")
			return c.Blob(status, ctype, body)
		}
		p, err = newCachedPage(status, ctype, body, strconv.FormatInt(version, 10))
		if err != nil {
			return err
		}
		if status == http.StatusOK {
			h.cache.put(version, key, p)
		}
	}
	return writeCached(c, p)
}

// newCachedPage compresses body and, when tag is not empty, makes an ETag
// of tag and a hash of body.
func newCachedPage(status int, ctype string, body []byte, tag string) (*cachedPage, error) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	p := &cachedPage{
		status: status, body: body, gz: gz.Bytes(),
		ctype: fixedValue(ctype), bodyLen: fixedValue(strconv.Itoa(len(body))), gzLen: fixedValue(strconv.Itoa(gz.Len())),
	}
	if tag != "" {
		sum := fnv.New64a()
		sum.Write(body)
		p.etag = fmt.Sprintf(`"%s-%x"`, tag, sum.Sum64())
		p.etagHdr = fixedValue(p.etag)
	}
	return p, nil
}

// Header values that never change, shared by every response.
var (
	varyEncoding = fixedValue("Accept-Encoding")
	noCache      = fixedValue("no-cache")
	gzipEncoding = fixedValue("gzip")
)

// writeCached sends p, gzipped when the client takes gzip, with its length.
// A page with an ETag is sent with it and "no-cache", and a matching
// If-None-Match gets 304. The header values are p's own, assigned without
// canonicalising the keys again (they are written canonical here).
func writeCached(c echo.Context, p *cachedPage) error {
	w := c.Response()
	hdr := w.Header()
	hdr["Vary"] = varyEncoding
	if p.etag != "" {
		hdr["Cache-Control"] = noCache
		hdr["Etag"] = p.etagHdr
		if p.status == http.StatusOK && c.Request().Header.Get("If-None-Match") == p.etag {
			return c.NoContent(http.StatusNotModified)
		}
	}
	hdr["Content-Type"] = p.ctype
	body := p.body
	hdr["Content-Length"] = p.bodyLen
	if acceptsGzip(c.Request()) {
		hdr["Content-Encoding"] = gzipEncoding
		hdr["Content-Length"] = p.gzLen
		body = p.gz
	}
	w.WriteHeader(p.status)
	_, err := w.Write(body)
	return err
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// healthCache remembers when the database last answered a health check,
// so that a burst of checks asks it at most once per healthFresh. Only an
// answer is remembered: while the database fails, every check asks again.
type healthCache struct {
	okAt atomic.Int64 // Unix nanoseconds
}

// healthFresh is how long a database answer stands for the next health
// checks.
const healthFresh = 250 * time.Millisecond

// statusOK is the body of a good health check, as c.JSON would write it.
var statusOK = []byte(`{"status":"ok"}` + "\n")

// check returns nil when the database answered within healthFresh, and
// otherwise what ping says now.
func (hc *healthCache) check(ctx context.Context, ping func(context.Context) error) error {
	now := time.Now().UnixNano()
	if age := now - hc.okAt.Load(); age >= 0 && age < int64(healthFresh) {
		return nil
	}
	if err := ping(ctx); err != nil {
		return err
	}
	hc.okAt.Store(now)
	return nil
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}
