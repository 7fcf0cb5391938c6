package handlers

import (
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// CSP allows only the app's own scripts, styles, fonts and images: no
// inline script and no style attributes.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// SecureHeaders sets the security headers on every response; over TLS also
// HSTS.
func SecureHeaders(tls bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			if tls {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			h.Set("Content-Security-Policy", CSP)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			return next(c)
		}
	}
}

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
