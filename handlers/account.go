package handlers

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// PasswordForm shows the form to change one's own password.
func (h *Handler) PasswordForm(c echo.Context) error {
	p := newFormPage(h.page(c, "password.title"))
	if c.QueryParam("done") == "1" {
		p.Notice = p.T("password.done")
	}
	return h.renderForm(c, http.StatusOK, "password", p)
}

// ChangePassword sets a new password for the signed-in user. Every session
// of the user ends; this browser gets a new one.
func (h *Handler) ChangePassword(c echo.Context) error {
	p := newFormPage(h.page(c, "password.title"))
	u := currentUser(c)
	current, next, confirm := c.FormValue("current"), c.FormValue("new"), c.FormValue("confirm")
	if current == "" || len(current) > models.MaxPasswordLen {
		p.fail("current", p.T("password.need.current"))
	}
	if pr, ok := h.policy.Check(next, u.Login); !ok {
		p.fail("new", p.Lang.Problem(pr))
	} else if next == current {
		p.fail("new", p.T("password.same"))
	}
	if confirm != next {
		p.fail("confirm", p.T("password.mismatch"))
	}
	if len(p.Errors) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, "password", p)
	}
	ctx := c.Request().Context()
	err := h.store.ChangePassword(ctx, u, current, next, origin(c))
	if errors.Is(err, models.ErrBadCredentials) {
		p.fail("current", p.T("password.wrong.current"))
		return h.renderForm(c, http.StatusUnprocessableEntity, "password", p)
	}
	if err != nil {
		return err
	}
	u.MustChangePassword = false
	token, err := h.store.NewSession(ctx, u, origin(c))
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token)
	return back(c, withLang("/account/password?done=1", p.Lang))
}

// setupPage is the first-admin form.
type setupPage struct {
	*formPage
	deptChoice // the page says to add departments next when there are none
	Token      string
}

// setupPage checks the one-time token and builds the form.
func (h *Handler) setupPage(c echo.Context, token string) (*setupPage, error) {
	ctx := c.Request().Context()
	if err := h.store.CheckSetupToken(ctx, token); err != nil {
		return nil, setupError(err)
	}
	depts, err := h.deptChoice(ctx, "", false)
	if err != nil {
		return nil, err
	}
	return &setupPage{formPage: newFormPage(h.page(c, "setup.title")), deptChoice: depts, Token: token}, nil
}

// SetupForm shows the first-admin form when the token is still good.
func (h *Handler) SetupForm(c echo.Context) error {
	p, err := h.setupPage(c, c.QueryParam("token"))
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, "setup", p)
}

// Setup creates the first admin with a one-time token.
func (h *Handler) Setup(c echo.Context) error {
	p, err := h.setupPage(c, c.FormValue("token"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in := models.UserInput{
		Login: c.FormValue("login"), DisplayName: c.FormValue("display_name"), Role: models.RoleAdmin,
		Password: c.FormValue("password"),
	}
	p.Values["login"], p.Values["display_name"] = strings.TrimSpace(in.Login), strings.TrimSpace(in.DisplayName)
	if err := in.Validate(h.policy); err != nil {
		p.failValidation(err)
	}
	if c.FormValue("confirm") != in.Password {
		p.fail("confirm", p.T("password.mismatch"))
	}
	if len(p.Errors) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, "setup", p)
	}
	u, err := h.store.UseSetupToken(ctx, p.Token, in, origin(c))
	if err != nil {
		return setupError(err)
	}
	token, err := h.store.NewSession(ctx, u, origin(c))
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token)
	return back(c, "/admin/users")
}

func setupError(err error) error {
	if errors.Is(err, models.ErrSetupToken) {
		return &webError{Status: http.StatusGone, Key: "error.setup"}
	}
	return err
}

// accountPage is the user's own page: password and API tokens.
type accountPage struct {
	*formPage
	Tokens   []models.APIToken
	NewToken string // shown once, right after it is made
}

func (h *Handler) accountPage(c echo.Context) (*accountPage, error) {
	tokens, err := h.store.APITokens(c.Request().Context(), currentUser(c))
	if err != nil {
		return nil, err
	}
	p := &accountPage{formPage: newFormPage(h.page(c, "account.title")), Tokens: tokens}
	p.Crumbs = []crumb{{Name: p.Title}}
	return p, nil
}

// Account shows the user's own page.
func (h *Handler) Account(c echo.Context) error {
	p, err := h.accountPage(c)
	if err != nil {
		return err
	}
	if c.QueryParam("deleted") == "1" {
		p.Notice = p.T("token.deleted")
	}
	return h.renderForm(c, http.StatusOK, "account", p)
}

// CreateToken makes an API token and shows it once. The page is answered
// directly (not redirected) so that the token never appears in a URL.
func (h *Handler) CreateToken(c echo.Context) error {
	name := strings.TrimSpace(c.FormValue("name"))
	if utf8.RuneCountInString(name) > maxTokenName {
		p, err := h.accountPage(c)
		if err != nil {
			return err
		}
		p.Values["name"] = name
		p.fail("name", p.T("token.name.long", maxTokenName))
		return h.renderForm(c, http.StatusUnprocessableEntity, "account", p)
	}
	token, err := h.store.NewAPIToken(c.Request().Context(), currentUser(c), name)
	if err != nil {
		return err
	}
	p, err := h.accountPage(c)
	if err != nil {
		return err
	}
	p.NewToken = token
	return h.renderForm(c, http.StatusOK, "account", p)
}

// maxTokenName bounds the label a user gives a token.
const maxTokenName = 100

// DeleteToken revokes one of the user's tokens.
func (h *Handler) DeleteToken(c echo.Context) error {
	id, ok := parseSmallInt(c.Param("id"), 9)
	if !ok {
		return notFound("error.token.id")
	}
	err := h.store.DeleteAPIToken(c.Request().Context(), currentUser(c), uint(id))
	if errors.Is(err, models.ErrNotFound) {
		return notFound("error.token.id")
	}
	if err != nil {
		return err
	}
	return back(c, withLang("/account?deleted=1", parseLang(c.FormValue("lang"))))
}
