package handlers

import (
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// CSP allows only the app's own scripts, styles, fonts and images: no
// inline script and no style attributes.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// fixedValue is a header value to assign to many responses as it is:
// hdr[key] = v, with key written canonical, saves Header.Set's
// canonicalising and its allocation on every request. The slice has no
// room to grow, so a later Header.Add on one response copies it and never
// changes the others; nothing may write to v[0].
func fixedValue(v string) []string { return []string{v}[:1:1] }

// fixedHeader is a canonical header key with a fixed value.
type fixedHeader struct {
	key   string
	value []string
}

// fixedHeaders pairs keys with values: key, value, key, value...
func fixedHeaders(kv ...string) []fixedHeader {
	out := make([]fixedHeader, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, fixedHeader{http.CanonicalHeaderKey(kv[i]), fixedValue(kv[i+1])})
	}
	return out
}

// securityHeaders go on every response; hsts too over TLS.
var (
	securityHeaders = fixedHeaders(
		"Content-Security-Policy", CSP,
		"X-Content-Type-Options", "nosniff",
		"X-Frame-Options", "DENY",
		"Referrer-Policy", "same-origin",
		"Cross-Origin-Opener-Policy", "same-origin",
		"Permissions-Policy", "camera=(), microphone=(), geolocation=()",
	)
	hsts = fixedHeaders("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
)

// SecureHeaders sets the security headers on every response; over TLS also
// HSTS.
func SecureHeaders(tls bool) echo.MiddlewareFunc {
	set := securityHeaders
	if tls {
		set = append(slices.Clone(hsts), securityHeaders...)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			for _, f := range set {
				h[f.key] = f.value
			}
			return next(c)
		}
	}
}

// noBody reports whether the request came without a body, which net/http
// gives as http.NoBody: a body limit has nothing to count.
func noBody(c echo.Context) bool { return c.Request().Body == http.NoBody }

// LimitQuery rejects query strings longer than MaxQueryLen with 414.
func LimitQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(c.Request().URL.RawQuery) > MaxQueryLen {
			return &webError{Status: http.StatusRequestURITooLong, Key: "error.query"}
		}
		return next(c)
	}
}

// RequireJSON answers 415 to a request whose body is not declared as
// application/json (parameters such as charset=utf-8 may follow; a charset
// must be UTF-8, as JSON is). The error handler writes it as
// application/problem+json under /api.
func RequireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		media, params, err := mime.ParseMediaType(ct)
		if err != nil || media != echo.MIMEApplicationJSON ||
			params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
			return &webError{Status: http.StatusUnsupportedMediaType, Key: "error.415", Args: []any{ct}}
		}
		return next(c)
	}
}
