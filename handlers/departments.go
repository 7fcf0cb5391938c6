package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// deptChoice is the department field of a form: the list to choose from,
// fed to the department-select partial.
type deptChoice struct {
	Departments []string
	// Unlisted is a department the record has that the list lacks, shown
	// as a choice so that saving other fields keeps it.
	Unlisted string
	// DeptRequired drops the "none" choice (a programme must have one).
	DeptRequired bool
}

func (h *Handler) deptChoice(ctx context.Context, current string, required bool) (deptChoice, error) {
	names, err := h.store.DepartmentNames(ctx)
	if err != nil {
		return deptChoice{}, err
	}
	d := deptChoice{Departments: names, DeptRequired: required}
	if current != "" && !slices.Contains(names, current) {
		d.Unlisted = current
	}
	return d, nil
}

// departmentsPage lists the departments with the form to add one.
type departmentsPage struct {
	*formPage
	List []models.DepartmentUse
}

func (h *Handler) departmentsPage(c echo.Context) (*departmentsPage, error) {
	list, err := h.store.DepartmentList(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &departmentsPage{formPage: newFormPage(h.page(c, "dept.title")), List: list}
	p.Crumbs = []crumb{{Name: p.T("admin.users.title"), URL: withLang("/admin/users", p.Lang)}, {Name: p.Title}}
	return p, nil
}

// Departments lists the departments users and programmes may belong to.
func (h *Handler) Departments(c echo.Context) error {
	p, err := h.departmentsPage(c)
	if err != nil {
		return err
	}
	switch name := c.QueryParam("name"); c.QueryParam("done") {
	case "add":
		// Only a name the list has: the link cannot make the page say
		// that something else was added.
		if slices.ContainsFunc(p.List, func(d models.DepartmentUse) bool { return d.Name == name }) {
			p.Notice = p.T("dept.added", name)
		}
	case "remove":
		p.Notice = p.T("dept.removed")
	}
	return h.renderForm(c, http.StatusOK, "admin_departments", p)
}

// AddDepartment puts a department on the list.
func (h *Handler) AddDepartment(c echo.Context) error {
	p, err := h.departmentsPage(c)
	if err != nil {
		return err
	}
	name := c.FormValue("name")
	p.Values["name"] = strings.TrimSpace(name)
	err = h.store.AddDepartment(c.Request().Context(), name, currentUser(c), origin(c))
	if p.failValidation(err) {
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_departments", p)
	}
	if err != nil {
		return err
	}
	return back(c, withLang("/admin/departments?done=add&name="+url.QueryEscape(strings.Join(strings.Fields(name), " ")), p.Lang))
}

// RemoveDepartment takes an unused department an admin added off the
// list.
func (h *Handler) RemoveDepartment(c echo.Context) error {
	p, err := h.departmentsPage(c)
	if err != nil {
		return err
	}
	id, ok := parseSmallInt(c.Param("id"), 9)
	var name string
	for _, d := range p.List {
		if ok && d.ID == uint(id) {
			name = d.Name
		}
	}
	if name == "" {
		return notFound("dept.unknown", c.Param("id"))
	}
	err = h.store.RemoveDepartment(c.Request().Context(), uint(id), currentUser(c), origin(c))
	if se, ok := storeError(err, p.Lang, ""); ok && se.Status == http.StatusUnprocessableEntity {
		// Said above the list, which the summary's link points to.
		p.fail("dept-list", se.Message)
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_departments", p)
	}
	if errors.Is(err, models.ErrNotFound) {
		return notFound("dept.unknown", c.Param("id"))
	}
	if err != nil {
		return err
	}
	return back(c, withLang("/admin/departments?done=remove", p.Lang))
}
