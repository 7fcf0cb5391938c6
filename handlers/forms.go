package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// formPage is the data of a page with a form: the values to show again,
// and the problems, each next to its field and in a summary at the top.
type formPage struct {
	basePage
	Values map[string]string
	Errors map[string]string
	order  []string
	Notice string
}

func newFormPage(b basePage) *formPage {
	return &formPage{basePage: b, Values: map[string]string{}, Errors: map[string]string{}}
}

// fail records a problem with a field; the first one per field wins.
func (f *formPage) fail(field, msg string) {
	if _, ok := f.Errors[field]; ok {
		return
	}
	f.Errors[field] = msg
	f.order = append(f.order, field)
}

// failValidation records every problem of a models.ValidationError.
func (f *formPage) failValidation(err error) bool {
	se, ok := storeError(err, f.Lang, "")
	if !ok || se.Status != http.StatusUnprocessableEntity {
		return false
	}
	for _, p := range se.Problems {
		f.fail(p.Path, p.Message)
	}
	return true
}

// Err is the problem with a field, or "".
func (f *formPage) Err(field string) string { return f.Errors[field] }

// Invalid is "true" when the field has a problem, for aria-invalid.
func (f *formPage) Invalid(field string) string {
	if f.Errors[field] != "" {
		return "true"
	}
	return "false"
}

type fieldError struct {
	Field   string
	Message string
}

// Summary lists the problems in the order they were found.
func (f *formPage) Summary() []fieldError {
	out := make([]fieldError, 0, len(f.order))
	for _, k := range f.order {
		out = append(out, fieldError{k, f.Errors[k]})
	}
	return out
}

// page builds the layout data of a page outside the plan pages.
func (h *Handler) page(c echo.Context, title string) basePage {
	lang := parseLang(c.FormValue("lang"))
	return basePage{Lang: lang, Title: lang.T(title), Demo: h.demo, Path: c.Request().URL.Path, account: h.account(c)}
}

// renderForm renders a form page with a status: 200 for a fresh form, 4xx
// with the problems.
func (h *Handler) renderForm(c echo.Context, status int, name string, data any) error {
	body, err := h.views.Render(name, data)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, body)
}

// back redirects after a successful POST (303, so a reload does not post
// again).
func back(c echo.Context, path string) error {
	return c.Redirect(http.StatusSeeOther, path)
}

// FE is a field's problem, for the field-error partial.
func (f *formPage) FE(field string) fieldError { return fieldError{field, f.Errors[field]} }

// passwordField and textField feed the shared field partials.
type passwordField struct{ Name, Label, Auto, Error string }

type textField struct{ Type, Name, Label, Value, Auto, Hint, Error string }

// PF describes a password field: name, label key, autocomplete value.
func (f *formPage) PF(name, label, auto string) passwordField {
	return passwordField{name, f.T(label), auto, f.Errors[name]}
}

// TF describes a text field: name, label key, autocomplete value and an
// optional hint key.
func (f *formPage) TF(name, label, auto, hint string) textField {
	tf := textField{"text", name, f.T(label), f.Values[name], auto, "", f.Errors[name]}
	if hint != "" {
		tf.Hint = f.T(hint)
	}
	return tf
}
