package handlers

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// loginPage is the login form, with the demo accounts in -demo.
type loginPage struct {
	*formPage
	Next         string
	DemoAccounts []models.DemoAccount
}

func (h *Handler) loginPage(c echo.Context) *loginPage {
	p := &loginPage{formPage: newFormPage(h.page(c, "login.title")), Next: localPath(c.FormValue("next"))}
	if h.demo {
		p.DemoAccounts = models.DemoAccounts
	}
	return p
}

// LoginForm shows the login form.
func (h *Handler) LoginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return back(c, withLang("/", parseLang(c.QueryParam("lang"))))
	}
	return h.renderForm(c, http.StatusOK, "login", h.loginPage(c))
}

// Login checks the login and password, and starts a new session.
func (h *Handler) Login(c echo.Context) error {
	p := h.loginPage(c)
	login, password := strings.TrimSpace(c.FormValue("login")), c.FormValue("password")
	p.Values["login"] = login
	if login == "" {
		p.fail("login", p.T("login.need.login"))
	}
	switch {
	case password == "":
		p.fail("password", p.T("login.need.password"))
	case len(password) > models.MaxPasswordLen:
		p.fail("password", p.T("login.too.long", models.MaxPasswordLen))
	}
	if len(p.Errors) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, "login", p)
	}
	ctx := c.Request().Context()
	user, wait, err := h.store.Authenticate(ctx, login, password, origin(c), h.throttle)
	switch {
	case errors.Is(err, models.ErrThrottled):
		if err := h.store.RecordEvent(ctx, models.EventLoginThrottled, &models.User{Login: models.NormalizeLogin(login)}, origin(c), ""); err != nil {
			return err
		}
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		p.fail("login", p.T("login.throttled", (secs+59)/60))
		return h.renderForm(c, http.StatusTooManyRequests, "login", p)
	case errors.Is(err, models.ErrBadCredentials):
		// A disabled account (models.ErrDisabled) gets this answer too:
		// a stranger must not learn that the account exists.
		p.fail("password", p.T("login.bad"))
		return h.renderForm(c, http.StatusUnauthorized, "login", p)
	case err != nil:
		return err
	}
	// A new session ID at every login; an old session of this browser ends.
	if ck, err := c.Cookie(h.sessionCookieName()); err == nil && ck.Value != "" {
		if err := h.store.EndSession(ctx, ck.Value); err != nil {
			return err
		}
	}
	token, err := h.store.NewSession(ctx, user, origin(c))
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token)
	if user.MustChangePassword {
		return back(c, withLang("/account/password", p.Lang))
	}
	return back(c, p.Next)
}

// Logout ends the session on the server and clears the cookie.
func (h *Handler) Logout(c echo.Context) error {
	ctx := c.Request().Context()
	if ck, err := c.Cookie(h.sessionCookieName()); err == nil && ck.Value != "" {
		if err := h.store.EndSession(ctx, ck.Value); err != nil {
			return err
		}
	}
	if u := currentUser(c); u != nil {
		if err := h.store.RecordEvent(ctx, models.EventLogout, u, origin(c), ""); err != nil {
			return err
		}
	}
	h.clearSessionCookie(c)
	return back(c, withLang("/", parseLang(c.FormValue("lang"))))
}

// ExtendSession restarts the idle timer. Scripts get the new end as JSON;
// a plain form post goes back to the page.
func (h *Handler) ExtendSession(c echo.Context) error {
	sess := currentSession(c)
	if err := h.store.ExtendSession(c.Request().Context(), sess); err != nil {
		return err
	}
	if strings.Contains(c.Request().Header.Get("Accept"), "application/json") {
		return c.JSON(http.StatusOK, map[string]string{"session_end": sess.IdleEnd().UTC().Format("2006-01-02T15:04:05Z")})
	}
	return back(c, localPath(c.FormValue("back")))
}

// EnforcePasswordChange sends a user who must change their password to
// the password form before anything else.
func (h *Handler) EnforcePasswordChange(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		path := c.Request().URL.Path
		if u == nil || !u.MustChangePassword || path == "/account/password" || path == "/logout" ||
			strings.HasPrefix(path, "/static/") || path == "/session/extend" {
			return next(c)
		}
		if isAPI(path) {
			return &webError{Status: http.StatusForbidden, Key: "error.password.change"}
		}
		return back(c, "/account/password")
	}
}

// withLang keeps a redirect in the page's language. It appends to the
// path as written, so that the rest of its query stays as it is.
func withLang(path string, lang Lang) string {
	if l := lang.Param(); l != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		return path + sep + "lang=" + url.QueryEscape(l)
	}
	return path
}
