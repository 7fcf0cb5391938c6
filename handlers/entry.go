package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// entryPage is the monthly entry grid of one department.
type entryPage struct {
	*formPage
	Year        int
	Dept        string
	Depts       []string
	Rows        []entryRow
	SubmitMonth int
	// Milestones are the department's milestone indicators, updated on
	// their own pages.
	Milestones []models.Indicator
}

// AnyOpen tells whether the grid has a cell that can be changed.
func (p *entryPage) AnyOpen() bool {
	for _, r := range p.Rows {
		for _, c := range r.Cells {
			if c.Editable {
				return true
			}
		}
	}
	return false
}

// entryRow is an indicator with its twelve cells as the grid shows them.
type entryRow struct {
	models.EntryRow
	Name  string
	Unit  string
	Cells [models.Months]entryCell
}

// entryCell is one input of the grid.
type entryCell struct {
	models.EntryCell
	ID        string // the field name suffix: {indicator}-{month}
	Value     string // what the input shows
	Version   int
	Original  string
	Status    string // empty, draft, submitted, approved, returned
	Error     string
	NeedsOK   bool // the error asks to confirm a value over twice the target
	Conflict  *models.Figure
	Editable  bool
	Note      string
	Returned  string
	Confirmed bool
}

func cellID(id uint, m int) string { return fmt.Sprintf("%d-%d", id, m) }

func formatValue(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// entryDept decides whose grid a user sees: staff their own department,
// officials and admins the one they choose, at first their own when the
// plan has it.
func (h *Handler) entryDept(c echo.Context, year int) (string, []string, error) {
	u := currentUser(c)
	if u.Role == models.RoleStaff {
		return u.Department, []string{u.Department}, nil
	}
	depts, err := h.store.Departments(c.Request().Context(), year)
	if err != nil {
		return "", nil, err
	}
	dept := strings.TrimSpace(c.FormValue("dept"))
	switch {
	case dept != "":
	case slices.Contains(depts, u.Department):
		dept = u.Department
	case len(depts) > 0:
		dept = depts[0]
	}
	if dept != "" && !slices.Contains(depts, dept) {
		return "", nil, notFound("error.dept", dept)
	}
	return dept, depts, nil
}

func (h *Handler) entryPage(c echo.Context) (*entryPage, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return nil, err
	}
	dept, depts, err := h.entryDept(c, year)
	if err != nil {
		return nil, err
	}
	rows, err := h.store.EntryRows(c.Request().Context(), year, dept)
	if errors.Is(err, models.ErrNotFound) {
		return nil, notFound("error.year.missing", year, "")
	}
	if err != nil {
		return nil, err
	}
	milestones, err := h.store.DepartmentMilestones(c.Request().Context(), year, dept)
	if err != nil {
		return nil, err
	}
	p := &entryPage{formPage: newFormPage(h.page(c, "entry.title")), Year: year, Dept: dept, Depts: depts, Milestones: milestones}
	p.Title = p.T("entry.heading", year, dept)
	p.Crumbs = []crumb{{Name: p.Title}}
	now := h.now().In(models.KST)
	p.SubmitMonth = int(now.Month())
	if year != now.Year() {
		p.SubmitMonth = models.Months
	}
	u := currentUser(c)
	for _, r := range rows {
		er := entryRow{EntryRow: r, Name: p.Pick(r.Indicator.Name, r.Indicator.NameEn), Unit: p.Unit(&r.Indicator)}
		for m, cell := range r.Cells {
			ec := entryCell{EntryCell: cell, ID: cellID(r.Indicator.ID, m+1), Status: "empty"}
			if f := cell.Figure; f != nil {
				ec.Value, ec.Original, ec.Version, ec.Status, ec.Note, ec.Returned = formatValue(f.Value), formatValue(f.Value), f.Version, string(f.Status), f.Note, f.ReturnComment
			}
			ec.Editable = !cell.Future && !cell.Locked && u.MayEdit(r.Program.Department)
			er.Cells[m] = ec
		}
		p.Rows = append(p.Rows, er)
	}
	return p, nil
}

// EntryGrid shows the entry grid.
func (h *Handler) EntryGrid(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	switch c.QueryParam("done") {
	case "save":
		p.Notice = p.T("entry.saved", c.QueryParam("n"))
	case "submit":
		p.Notice = p.T("entry.submitted", c.QueryParam("n"), c.QueryParam("m"))
	}
	return h.renderForm(c, http.StatusOK, "entry", p)
}

// SaveEntry saves every changed cell as a draft, all or nothing; or, with
// action=submit, submits the chosen month's drafts for approval.
func (h *Handler) SaveEntry(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	if c.FormValue("action") == "submit" {
		return h.submitEntry(c, p)
	}
	var inputs []models.FigureInput
	var cells []*entryCell
	for ri := range p.Rows {
		row := &p.Rows[ri]
		note := strings.TrimSpace(c.FormValue("note-" + strconv.Itoa(int(row.Indicator.ID))))
		for m := range row.Cells {
			cell := &row.Cells[m]
			if !cell.Editable {
				continue
			}
			v := strings.TrimSpace(c.FormValue("v-" + cell.ID))
			orig := c.FormValue("o-" + cell.ID)
			cell.Value, cell.Confirmed = v, c.FormValue("c-"+cell.ID) != ""
			if v == orig {
				continue
			}
			if v == "" {
				cell.Error = p.T("entry.no.clear")
				p.fail("v-"+cell.ID, fmt.Sprintf("%s %s: %s", row.Name, p.Month(m+1), cell.Error))
				continue
			}
			version, _ := strconv.Atoi(c.FormValue("ver-" + cell.ID))
			in := models.FigureInput{IndicatorID: row.Indicator.ID, Year: p.Year, Month: m + 1, Value: v, Note: note,
				Version: version, Confirm: cell.Confirmed}
			if c.FormValue("ow-"+cell.ID) != "" && cell.Figure != nil {
				in.Version, in.Reason = cell.Figure.Version, strings.TrimSpace(c.FormValue("r-"+cell.ID))
				if in.Reason == "" {
					cell.Error = p.T("entry.need.reason")
					p.fail("v-"+cell.ID, fmt.Sprintf("%s %s: %s", row.Name, p.Month(m+1), cell.Error))
					continue
				}
			}
			inputs = append(inputs, in)
			cells = append(cells, cell)
		}
	}
	if len(p.Errors) == 0 && len(inputs) > 0 {
		_, err := h.store.SaveFigures(c.Request().Context(), currentUser(c), inputs)
		var batch *models.BatchError
		switch {
		case errors.As(err, &batch):
			for i, e := range batch.Errs {
				h.cellError(p, cells[i], inputs[i], e)
			}
		case err != nil:
			return err
		}
	}
	if len(p.Errors) > 0 {
		return h.renderForm(c, http.StatusUnprocessableEntity, "entry", p)
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d?dept=%s&done=save&n=%d", p.Year, urlEscape(p.Dept), len(inputs)), p.Lang))
}

// cellError puts a store error next to its cell and into the summary.
func (h *Handler) cellError(p *entryPage, cell *entryCell, in models.FigureInput, err error) {
	var v *models.ValidationError
	var conflict *models.ConflictError
	var locked *models.LockedError
	switch {
	case errors.As(err, &v):
		msgs := make([]string, len(v.Problems))
		for i, pr := range v.Problems {
			msgs[i] = p.Lang.Problem(pr)
			cell.NeedsOK = cell.NeedsOK || pr.Path == models.PathConfirm
		}
		cell.Error = strings.Join(msgs, " ")
	case errors.As(err, &conflict):
		cell.Conflict = conflict.Current
		if cur := conflict.Current; cur != nil {
			cell.Error = p.T("entry.conflict", cur.UpdatedBy, cur.UpdatedAt.In(models.KST).Format("2006-01-02 15:04"), formatValue(cur.Value))
		} else {
			cell.Error = p.T("error.409.new")
		}
	case errors.As(err, &locked):
		cell.Error = p.T("error.423", locked.Since.Format(time.DateOnly))
	case errors.Is(err, models.ErrForbidden):
		cell.Error = p.T("error.department")
	default:
		cell.Error = p.T("error.500.help")
		h.log.Error("save figure", "err", err)
	}
	p.fail("v-"+cell.ID, fmt.Sprintf("%s %d월: %s", p.indicatorName(in.IndicatorID), in.Month, cell.Error))
}

func (p *entryPage) indicatorName(id uint) string {
	for _, r := range p.Rows {
		if r.Indicator.ID == id {
			return r.Name
		}
	}
	return ""
}

func (h *Handler) submitEntry(c echo.Context, p *entryPage) error {
	m, ok := parseSmallInt(c.FormValue("month"), 2)
	if !ok || m < 1 || m > models.Months {
		p.fail("month", p.T("error.month"))
		return h.renderForm(c, http.StatusUnprocessableEntity, "entry", p)
	}
	n, err := h.store.SubmitMonth(c.Request().Context(), currentUser(c), p.Year, p.Dept, m)
	var locked *models.LockedError
	switch {
	case errors.As(err, &locked):
		p.fail("month", p.T("error.423", locked.Since.Format(time.DateOnly)))
		return h.renderForm(c, http.StatusLocked, "entry", p)
	case errors.Is(err, models.ErrForbidden):
		return &webError{Status: http.StatusForbidden, Key: "error.department"}
	case err != nil:
		return err
	}
	if n == 0 {
		p.SubmitMonth = m
		p.fail("month", p.T("entry.nothing.to.submit", m))
		return h.renderForm(c, http.StatusUnprocessableEntity, "entry", p)
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d?dept=%s&done=submit&n=%d&m=%d", p.Year, urlEscape(p.Dept), n, m), p.Lang))
}

// EntryLatest sends to the entry grid of the current year's plan, or of
// the latest plan.
func (h *Handler) EntryLatest(c echo.Context) error {
	years, err := h.store.Years(c.Request().Context())
	if err != nil {
		return err
	}
	if len(years) == 0 {
		return notFound("plan.no.plans")
	}
	year := years[len(years)-1]
	if now := h.now().In(models.KST).Year(); slices.Contains(years, now) {
		year = now
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d", year), parseLang(c.QueryParam("lang"))))
}

// Unlock lets an official reopen a locked indicator-month, with a reason.
func (h *Handler) Unlock(c echo.Context) error {
	year, id, err := indicatorPath(c)
	if err != nil {
		return err
	}
	m, ok := parseSmallInt(c.FormValue("month"), 2)
	if !ok || m < 1 || m > models.Months {
		return badRequest("error.month")
	}
	err = h.store.UnlockMonth(c.Request().Context(), currentUser(c), uint(id), year, m, c.FormValue("reason"))
	if err := h.editError(err, c.Param("id")); err != nil {
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/indicators/%d?unlocked=%d#unlock-form", year, id, m), parseLang(c.FormValue("lang"))))
}
