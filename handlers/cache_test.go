package handlers

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

func newCacheTestHandler(t *testing.T) *Handler {
	t.Helper()
	store, err := models.Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	views, err := NewViews()
	if err != nil {
		t.Fatal(err)
	}
	return New(store, views, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Public: true})
}

// TestServeCachedKeepsNoToken checks that an anonymous page whose render
// hands out a CSRF token is sent to that visitor alone: rendered each time,
// marked no-store, with its own token and cookie. A page without a form is
// rendered once and sets no cookie.
func TestServeCachedKeepsNoToken(t *testing.T) {
	h := newCacheTestHandler(t)
	e := echo.New()
	// serve GETs the page n times and returns the last answer and how
	// often the page was rendered.
	serve := func(key string, withForm bool, n int) (last *httptest.ResponseRecorder, renders int) {
		for range n {
			last = httptest.NewRecorder()
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), last)
			err := h.serveCached(c, key, func() (int, string, []byte, error) {
				renders++
				body := "<p>page</p>"
				if withForm {
					body += `<input name="_csrf" value="` + h.csrfToken(c) + `">`
				}
				return http.StatusOK, echo.MIMETextHTMLCharsetUTF8, []byte(body), nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		return last, renders
	}

	rec, renders := serve("form", true, 2)
	if renders != 2 || rec.Header().Get("Cache-Control") != "no-store" || !strings.Contains(rec.Header().Get("Set-Cookie"), "jobkpi_csrf=") {
		t.Errorf("a page with a form: rendered %d times for 2 visits, Cache-Control %q, Set-Cookie %q; want each visit rendered, no-store, the CSRF cookie",
			renders, rec.Header().Get("Cache-Control"), rec.Header().Get("Set-Cookie"))
	}

	rec, renders = serve("plain", false, 3)
	if renders != 1 || rec.Header().Get("Set-Cookie") != "" || rec.Header().Get("Cache-Control") != "no-cache" || rec.Header().Get("ETag") == "" {
		t.Errorf("a page without a form: rendered %d times for 3 visits, Set-Cookie %q, Cache-Control %q, ETag %q; want it rendered once, no cookie, no-cache and an ETag",
			renders, rec.Header().Get("Set-Cookie"), rec.Header().Get("Cache-Control"), rec.Header().Get("ETag"))
	}
	if rec.Header().Get("Content-Length") != "11" || rec.Body.String() != "<p>page</p>" {
		t.Errorf("Content-Length %q for body %q", rec.Header().Get("Content-Length"), rec.Body.String())
	}
}

// TestFixedValuesStayFixed checks that adding to a header that holds a
// shared value leaves the value of other responses alone.
func TestFixedValuesStayFixed(t *testing.T) {
	a, b := http.Header{}, http.Header{}
	a["Vary"], b["Vary"] = varyEncoding, varyEncoding
	a.Add("Vary", "Accept-Language")
	if got := b.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" || len(varyEncoding) != 1 {
		t.Errorf("after an Add to another response, Vary = %q and the shared value %q", got, varyEncoding)
	}
	for _, f := range append(securityHeaders, hsts...) {
		if f.key != http.CanonicalHeaderKey(f.key) {
			t.Errorf("header key %q is not canonical: Header.Get would not find it", f.key)
		}
	}
}
