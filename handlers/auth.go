package handlers

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"jobkpi/models"
)

// Context keys.
const (
	ctxUser    = "user"
	ctxSession = "session"
	ctxCSRF    = "csrf"
)

func (h *Handler) sessionCookieName() string {
	if h.secure {
		return "__Host-jobkpi_session"
	}
	return "jobkpi_session"
}

// CSRFCookieName is the cookie that carries the CSRF token.
func (h *Handler) CSRFCookieName() string {
	if h.secure {
		return "__Host-jobkpi_csrf"
	}
	return "jobkpi_csrf"
}

// currentUser is the signed-in user, or nil for an anonymous visitor.
func currentUser(c echo.Context) *models.User {
	u, _ := c.Get(ctxUser).(*models.User)
	return u
}

func currentSession(c echo.Context) *models.Session {
	s, _ := c.Get(ctxSession).(*models.Session)
	return s
}

// csrfToken is the request's CSRF token, for a form to carry. A
// state-changing request has the one the CSRF middleware checked. Any other
// request gets one only here, when a page asks for it: the token from the
// cookie, or a new one, and the cookie is set (or its expiry renewed) on the
// response. So a page without a form sets no cookie, and a shared cache may
// keep it.
func (h *Handler) csrfToken(c echo.Context) string {
	if t, ok := c.Get(ctxCSRF).(string); ok {
		return t
	}
	t := ""
	if ck, err := c.Cookie(h.CSRFCookieName()); err == nil && ck.Value != "" {
		t = ck.Value
	} else {
		t = rand.Text()
	}
	// The cookie the CSRF middleware sets after a check, as it sets it.
	c.SetCookie(&http.Cookie{
		Name: h.CSRFCookieName(), Value: t, Path: "/", Expires: time.Now().Add(csrfCookieMaxAge),
		Secure: h.secure, HttpOnly: true, SameSite: http.SameSiteStrictMode,
	})
	c.Set(ctxCSRF, t)
	return t
}

// csrfCookieMaxAge is how long the CSRF cookie lasts: the CSRF
// middleware's default.
const csrfCookieMaxAge = 24 * time.Hour

// csrfIssued reports whether this request has a CSRF token: checked, or
// handed to a form.
func csrfIssued(c echo.Context) bool {
	_, ok := c.Get(ctxCSRF).(string)
	return ok
}

func origin(c echo.Context) models.Origin {
	return models.Origin{IP: c.RealIP(), UserAgent: c.Request().UserAgent()}
}

// LoadSession puts the signed-in user into the context. A tampered,
// expired or unknown cookie is cleared and the visitor is anonymous.
func (h *Handler) LoadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(h.sessionCookieName())
		if err != nil || ck.Value == "" {
			return next(c)
		}
		sess, user, err := h.store.SessionUser(c.Request().Context(), ck.Value)
		switch {
		case errors.Is(err, models.ErrNotFound):
			h.clearSessionCookie(c)
		case err != nil:
			return err
		default:
			c.Set(ctxUser, user)
			c.Set(ctxSession, sess)
		}
		return next(c)
	}
}

func (h *Handler) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name: h.sessionCookieName(), Value: token, Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(models.AbsoluteTimeout.Seconds()),
	})
}

func (h *Handler) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: h.sessionCookieName(), Value: "", Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
}

// CSRF checks a token on every state-changing request: from the form field
// _csrf or the X-CSRF-Token header, against the token cookie. The token is
// always required; a browser's Sec-Fetch-Site header alone is not enough.
// A safe request (GET, HEAD, OPTIONS, TRACE) is not checked and gets no
// token here: a page that has a form asks csrfToken for one.
func (h *Handler) CSRF() echo.MiddlewareFunc {
	csrf := middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			// A bearer token is not sent by browsers on their own, so a
			// request that carries one cannot be forged across sites.
			bearer := strings.HasPrefix(p, "/api/") && c.Request().Header.Get(echo.HeaderAuthorization) != ""
			return strings.HasPrefix(p, "/static/") || p == "/healthz" || bearer
		},
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     ctxCSRF,
		CookieName:     h.CSRFCookieName(),
		CookiePath:     "/",
		CookieMaxAge:   int(csrfCookieMaxAge.Seconds()),
		CookieHTTPOnly: true,
		CookieSecure:   h.secure,
		CookieSameSite: http.SameSiteStrictMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return &webError{Status: http.StatusForbidden, Key: "error.csrf"}
		},
	})
	// Echo builds the middleware chain for every request: the check is
	// built only for a request that needs it.
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
				return next(c)
			}
			c.Request().Header.Del(echo.HeaderSecFetchSite)
			return csrf(next)(c)
		}
	}
}

// RequireLogin sends anonymous visitors to the login page (or answers 401
// under /api). With public off it guards every plan page too.
func (h *Handler) RequireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) != nil {
			return next(c)
		}
		return h.toLogin(c)
	}
}

// Readable lets anonymous visitors through only in public mode.
func (h *Handler) Readable(next echo.HandlerFunc) echo.HandlerFunc {
	if h.public {
		return next
	}
	return h.RequireLogin(next)
}

func (h *Handler) toLogin(c echo.Context) error {
	if isAPI(c.Request().URL.Path) {
		return &webError{Status: http.StatusUnauthorized, Key: "error.login"}
	}
	if c.Request().Method != http.MethodGet {
		return &webError{Status: http.StatusUnauthorized, Key: "error.login"}
	}
	next := c.Request().URL.RequestURI()
	return c.Redirect(http.StatusSeeOther, withLang("/login?next="+url.QueryEscape(next), parseLang(c.QueryParam("lang"))))
}

// RequireRole lets through signed-in users whose role includes min, and
// answers 403 to the others.
func (h *Handler) RequireRole(min models.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				return h.toLogin(c)
			}
			if !u.Role.AtLeast(min) {
				return &webError{Status: http.StatusForbidden, Key: "error.forbidden"}
			}
			return next(c)
		}
	}
}

// localPath keeps a redirect target on this site: a path that starts with
// one slash, or "/". Browsers drop tabs and line breaks from a URL and read
// a backslash as a slash, so "/\t/evil.example" or "/\\evil.example" would
// take them to another host; any control character or backslash, before
// or after decoding, makes the target "/". So does anything with a scheme
// or a host, and a path that decodes to start with "//".
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || hasControlOrBackslash(s) {
		return "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		strings.HasPrefix(u.Path, "//") || hasControlOrBackslash(u.Path) {
		return "/"
	}
	return s
}

func hasControlOrBackslash(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r == '\\' || unicode.IsControl(r) }) >= 0
}
