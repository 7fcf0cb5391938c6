package handlers

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// UpdateMilestone records a milestone's progress from the indicator page.
// The store checks that the user may edit the indicator's department.
func (h *Handler) UpdateMilestone(c echo.Context) error {
	year, id, err := indicatorPath(c)
	if err != nil {
		return err
	}
	in := models.MilestoneInput{
		State: models.MilestoneState(c.FormValue("state")), Done: strings.TrimSpace(c.FormValue("done")), Note: c.FormValue("note"),
	}
	lang := parseLang(c.FormValue("lang"))
	path := withLang(fmt.Sprintf("/plans/%d/indicators/%d", year, id), lang)
	if err := h.editError(h.store.CheckEditIndicator(c.Request().Context(), currentUser(c), uint(id)), c.Param("id")); err != nil {
		return err
	}
	typed := map[string]string{"state": string(in.State), "done": in.Done, "note": in.Note}
	if verr := in.Validate(year, h.now()); verr != nil {
		return h.indicatorFormError(c, year, id, lang, milestoneForm, typed, verr)
	}
	err = h.store.UpdateMilestone(c.Request().Context(), currentUser(c), uint(id), in)
	if errors.Is(err, models.ErrInvalid) {
		return h.indicatorFormError(c, year, id, lang, milestoneForm, typed, err)
	}
	if err := h.editError(err, c.Param("id")); err != nil {
		return err
	}
	return back(c, path+"#milestone-form")
}

// editError names the indicator when a write on it finds none; every
// other store error reaches the error handler, which maps it with
// storeError.
func (h *Handler) editError(err error, id string) error {
	if errors.Is(err, models.ErrNotFound) {
		return notFound("error.indicator", id)
	}
	return err
}

// indicatorFormError shows the indicator page again with one of its forms
// (picked by form) holding what was typed and each problem next to its
// field (422). A page without that form answers with the problems alone.
func (h *Handler) indicatorFormError(c echo.Context, year, id int, lang Lang, form func(*indicatorPage) *formPage,
	values map[string]string, problems error) error {
	req := pageRequest{lang: lang, month: h.thisMonth(), account: h.account(c)}
	p, err := h.indicatorPage(c, req, year, id)
	var we *webError
	if errors.As(err, &we) && we.Status == http.StatusNotFound {
		return problems // an indicator without a page of its own: spending
	}
	if err != nil {
		return err
	}
	f := form(p)
	if f == nil {
		return problems
	}
	maps.Copy(f.Values, values)
	f.failValidation(problems)
	return h.renderForm(c, http.StatusUnprocessableEntity, "indicator", p)
}

func milestoneForm(p *indicatorPage) *formPage { return p.Form }

// programPage is the forms of a programme: its department, and its 분야,
// 대상 and budget.
type programPage struct {
	*formPage
	deptChoice
	Program *models.Program
	Year    int
	// Published says a change of the plan fields is a 수정공시.
	Published bool
	Fields    []models.ProgramField
	Groups    []models.Group
	Sources   []string // the budget sources, in order
	Checked   map[string]bool
}

// BudgetID is the form field of a budget source (budget-fields).
func (p *programPage) BudgetID(src string) string { return "budget." + src }

func (h *Handler) programPage(c echo.Context) (*programPage, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return nil, err
	}
	id, ok := parseSmallInt(c.Param("id"), 9)
	if !ok {
		return nil, notFound("error.program", c.Param("id"))
	}
	plan, err := h.store.Plan(c.Request().Context(), year)
	if err != nil {
		return nil, err
	}
	prog := plan.Program(uint(id))
	if prog == nil {
		return nil, notFound("error.program", c.Param("id"))
	}
	depts, err := h.deptChoice(c.Request().Context(), prog.Department, true)
	if err != nil {
		return nil, err
	}
	fields, err := h.store.Fields(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &programPage{formPage: newFormPage(h.page(c, "program.title")), deptChoice: depts, Program: prog, Year: year,
		Published: plan.Published(), Fields: fields, Groups: models.Groups, Sources: models.BudgetSources, Checked: map[string]bool{}}
	p.Title = p.Pick(prog.Name, prog.NameEn)
	p.Values["department"] = prog.Department
	p.Values["field"] = prog.Field
	for _, g := range prog.GroupList() {
		p.Checked[string(g)] = true
	}
	for i, v := range prog.Budget.Amounts() {
		if v != nil {
			p.Values["budget."+models.BudgetSources[i]] = strconv.FormatFloat(*v, 'f', -1, 64)
		}
	}
	return p, nil
}

// ProgramForm shows the department form of a programme.
func (h *Handler) ProgramForm(c echo.Context) error {
	p, err := h.programPage(c)
	if err != nil {
		return err
	}
	switch c.QueryParam("done") {
	case "1":
		p.Notice = p.T("program.done")
	case "plan":
		p.Notice = p.T("program.plan.done")
	}
	return h.renderForm(c, http.StatusOK, "program", p)
}

// SaveProgram assigns the programme to a department.
func (h *Handler) SaveProgram(c echo.Context) error {
	p, err := h.programPage(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	dept := strings.TrimSpace(c.FormValue("department"))
	p.Values["department"] = dept
	if dept == "" {
		p.fail("department", p.T("program.need.dept"))
		return h.renderForm(c, http.StatusUnprocessableEntity, "program", p)
	}
	err = h.store.CheckDepartment(ctx, dept)
	if err == nil {
		err = h.store.SetProgramDepartment(ctx, currentUser(c), p.Program.ID, dept, origin(c))
	}
	switch {
	case p.failValidation(err):
		return h.renderForm(c, http.StatusUnprocessableEntity, "program", p)
	case err != nil:
		return err // mapped by the error handler (storeError)
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/programs/%d?done=1", p.Year, p.Program.ID), p.Lang))
}

// SaveProgramPlan changes a programme's 분야, 대상 and budget: in place in
// a draft plan, into the draft revision (수정공시) in a published one.
func (h *Handler) SaveProgramPlan(c echo.Context) error {
	p, err := h.programPage(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	in := models.ProgramInput{Year: p.Year, Field: strings.TrimSpace(form.Get("field")), Groups: form["groups"],
		Reason: form.Get("reason"), From: origin(c)}
	p.Values["field"], p.Values["reason"] = in.Field, in.Reason
	clear(p.Checked)
	for _, g := range in.Groups {
		p.Checked[g] = true
	}
	for _, src := range models.BudgetSources {
		in.Budget = append(in.Budget, form.Get("budget."+src))
		p.Values["budget."+src] = form.Get("budget." + src)
	}
	revised, err := h.store.SetProgram(c.Request().Context(), currentUser(c), p.Program.ID, in)
	switch {
	case p.failValidation(err):
		return h.renderForm(c, http.StatusUnprocessableEntity, "program", p)
	case err != nil:
		return err // mapped by the error handler (storeError)
	}
	if revised {
		return back(c, withLang(fmt.Sprintf("/plans/%d/revision?added=1", p.Year), p.Lang))
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/programs/%d?done=plan", p.Year, p.Program.ID), p.Lang))
}

// SaveCommentary stores the analysis and action plan of an indicator's
// month.
func (h *Handler) SaveCommentary(c echo.Context) error {
	year, id, err := indicatorPath(c)
	if err != nil {
		return err
	}
	if err := h.editError(h.store.CheckEditIndicator(c.Request().Context(), currentUser(c), uint(id)), c.Param("id")); err != nil {
		return err
	}
	m, _ := parseSmallInt(c.FormValue("month"), 2)
	in := models.CommentaryInput{IndicatorID: uint(id), Year: year, Month: m, Analysis: c.FormValue("analysis"), Action: c.FormValue("action")}
	lang := parseLang(c.FormValue("lang"))
	err = h.store.SaveCommentary(c.Request().Context(), currentUser(c), in)
	if errors.Is(err, models.ErrInvalid) {
		typed := map[string]string{"month": c.FormValue("month"), "analysis": in.Analysis, "action": in.Action}
		return h.indicatorFormError(c, year, id, lang, func(p *indicatorPage) *formPage { return p.Comment }, typed, err)
	}
	if err := h.editError(err, c.Param("id")); err != nil {
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/indicators/%d", year, id), lang)+"#commentary")
}
