package handlers

import (
	"errors"
	"net/http"
	"strings"

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
	if msg := h.policy.Check(next, u.Login); msg != "" {
		p.fail("new", msg)
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
	Token string
}

// SetupForm shows the first-admin form when the token is still good.
func (h *Handler) SetupForm(c echo.Context) error {
	token := c.QueryParam("token")
	if err := h.store.CheckSetupToken(c.Request().Context(), token); err != nil {
		return setupError(err)
	}
	return h.renderForm(c, http.StatusOK, "setup", &setupPage{newFormPage(h.page(c, "setup.title")), token})
}

// Setup creates the first admin with a one-time token.
func (h *Handler) Setup(c echo.Context) error {
	p := &setupPage{newFormPage(h.page(c, "setup.title")), c.FormValue("token")}
	ctx := c.Request().Context()
	if err := h.store.CheckSetupToken(ctx, p.Token); err != nil {
		return setupError(err)
	}
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
