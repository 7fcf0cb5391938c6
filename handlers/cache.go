package handlers

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// cachedPage is a rendered response, kept with its gzip form.
type cachedPage struct {
	status int
	ctype  string
	body   []byte
	gz     []byte
	etag   string
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
// successful responses are cached.
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
		p, err = newCachedPage(version, status, ctype, body)
		if err != nil {
			return err
		}
		if status == http.StatusOK {
			h.cache.put(version, key, p)
		}
	}
	return writeCached(c, p)
}

func newCachedPage(version int64, status int, ctype string, body []byte) (*cachedPage, error) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := fnv.New64a()
	sum.Write(body)
	return &cachedPage{
		status: status, ctype: ctype, body: body, gz: gz.Bytes(),
		etag: fmt.Sprintf(`"%d-%x"`, version, sum.Sum64()),
	}, nil
}

func writeCached(c echo.Context, p *cachedPage) error {
	hdr := c.Response().Header()
	hdr.Set("Vary", "Accept-Encoding")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", p.etag)
	if p.status == http.StatusOK && c.Request().Header.Get("If-None-Match") == p.etag {
		return c.NoContent(http.StatusNotModified)
	}
	if acceptsGzip(c.Request()) {
		hdr.Set(echo.HeaderContentEncoding, "gzip")
		return c.Blob(p.status, p.ctype, p.gz)
	}
	return c.Blob(p.status, p.ctype, p.body)
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

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}
