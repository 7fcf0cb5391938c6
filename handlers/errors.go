package handlers

import (
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// webError is a request problem with a message from the catalogue, so that
// the error page and the API can say in the user's language what to do.
type webError struct {
	Status int
	Key    string
	Args   []any
}

func (e *webError) Error() string { return Korean.T(e.Key, e.Args...) }

func badRequest(key string, args ...any) error {
	return &webError{Status: http.StatusBadRequest, Key: key, Args: args}
}

func notFound(key string, args ...any) error {
	return &webError{Status: http.StatusNotFound, Key: key, Args: args}
}

// problem is an RFC 9457 problem detail.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// HandleError is Echo's HTTPErrorHandler: it turns any error a handler
// returns into an error page, or into application/problem+json under /api
// and /healthz, /readyz. Unexpected errors are logged and shown as 500 without
// details.
func (h *Handler) HandleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	lang := parseLang(c.QueryParam("lang"))
	if form := c.Request().PostForm; form != nil && form.Get("lang") != "" {
		lang = parseLang(form.Get("lang")) // a form already read: never read a body here
	}
	api := isAPI(c.Request().URL.Path)
	if api {
		lang = apiLang(c.Request())
		c.Response().Header().Add(echo.HeaderVary, "Accept-Language")
	}
	status, detail := h.classify(err, lang)
	if status >= 500 {
		h.logFor(c).Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	title := lang.T(titleKey(status))
	// A download that fails answers with an error page, not a file.
	c.Response().Header().Del(echo.HeaderContentDisposition)
	var werr error
	switch {
	case api:
		werr = writeProblem(c, status, title, detail)
	case status == http.StatusNotFound && detail == lang.T("error.404.help") && currentUser(c) == nil:
		werr = h.writeNotFound(c, lang, title, detail)
	default:
		werr = h.renderError(c, lang, status, title, detail)
	}
	if werr != nil {
		h.logFor(c).Error("write error response", "err", werr)
	}
}

func (h *Handler) classify(err error, lang Lang) (int, string) {
	var we *webError
	var he *echo.HTTPError
	if se, ok := storeError(err, lang, ""); ok {
		// A store's refusal, said in the page's language.
		return se.Status, se.Message
	}
	switch {
	case errors.As(err, &we):
		return we.Status, lang.T(we.Key, we.Args...)
	case models.IsStorageFull(err):
		// Logged with its cause by HandleError, as every 5xx.
		return http.StatusServiceUnavailable, lang.T("error.storage")
	case errors.As(err, &he):
		if he.Code == http.StatusNotFound {
			return he.Code, lang.T("error.404.help")
		}
		switch {
		case he.Code >= 500:
			return he.Code, lang.T("error.500.help")
		case he.Code == http.StatusRequestEntityTooLarge:
			return he.Code, lang.T("error.413")
		case he.Code == http.StatusMethodNotAllowed:
			return he.Code, lang.T("error.405")
		}
		// Echo's own words are English only; say it from the catalogue.
		return he.Code, lang.T("error.400")
	}
	return http.StatusInternalServerError, lang.T("error.500.help")
}

func titleKey(status int) string {
	switch {
	case status == http.StatusNotFound:
		return "error.404"
	case status == http.StatusServiceUnavailable:
		return "error.503"
	case status >= 500:
		return "error.500"
	case status == http.StatusBadRequest:
		return "error.400"
	}
	return "error.title"
}

func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz"
}

func writeProblem(c echo.Context, status int, title, detail string) error {
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(status)
	return jsonEncode(c.Response(), problem{Type: "about:blank", Title: title, Status: status, Detail: detail})
}

// errorPage is the data of the error template.
type errorPage struct {
	basePage
	Status  int
	Message string
}

func (h *Handler) renderError(c echo.Context, lang Lang, status int, title, detail string) error {
	p := &errorPage{
		basePage: basePage{Lang: lang, Title: title, Demo: h.demo, Path: c.Request().URL.Path, account: h.account(c)},
		Status:   status,
		Message:  detail,
	}
	body, err := h.views.Render("error", p)
	if err != nil {
		h.logFor(c).Error("render error page", "err", err)
		return c.String(status, title+"\n"+detail)
	}
	return c.HTMLBlob(status, body)
}

// errorPages are the prepared not-found pages, one per language.
type errorPages struct {
	mu    sync.RWMutex
	pages map[Lang]*cachedPage
}

// writeNotFound sends the not-found page an anonymous visitor gets for a
// path that is not there. It names no user and no path (its links to
// itself in other languages are relative, and signing in from it leads
// home), so it is rendered once per language and sent as bytes, gzipped
// when the client takes gzip.
func (h *Handler) writeNotFound(c echo.Context, lang Lang, title, detail string) error {
	h.errorPages.mu.RLock()
	p := h.errorPages.pages[lang]
	h.errorPages.mu.RUnlock()
	if p == nil {
		page := &errorPage{
			basePage: basePage{Lang: lang, Title: title, Demo: h.demo},
			Status:   http.StatusNotFound,
			Message:  detail,
		}
		body, err := h.views.Render("error", page)
		if err == nil {
			p, err = newCachedPage(http.StatusNotFound, echo.MIMETextHTMLCharsetUTF8, body, "")
		}
		if err != nil {
			h.logFor(c).Error("render not-found page", "err", err)
			return c.String(http.StatusNotFound, title+"\n"+detail)
		}
		h.errorPages.mu.Lock()
		if h.errorPages.pages == nil {
			h.errorPages.pages = map[Lang]*cachedPage{}
		}
		h.errorPages.pages[lang] = p
		h.errorPages.mu.Unlock()
	}
	return writeCached(c, p)
}
