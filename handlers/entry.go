package handlers

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

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
	// status is the answer of a refused save: the status every refusal
	// agrees on, else 422.
	status int
	// LockedMonths are the months past their lock day, latest first, that
	// an official may unlock for the whole department at once; Unlock
	// holds that form's values and problems.
	LockedMonths []int
	Unlock       *formPage
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
	// Note is what the row's note box holds: the stored note of the
	// latest month with a value, or what was typed. NoteShown is what
	// the box held when the page was loaded, to tell whether it was
	// changed.
	Note, NoteShown string
	// FirstSpending marks the first spending row, which the grid heads
	// with the section of the programmes' spending.
	FirstSpending bool
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
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil, notFound("error.year.missing", year, "")
	case errors.Is(err, models.ErrDraft):
		return nil, notFound("error.entry.draft", year)
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
	u := currentUser(c)
	spending := false
	for _, r := range rows {
		er := entryRow{EntryRow: r, Name: p.Pick(r.Indicator.Name, r.Indicator.NameEn), Unit: p.Unit(&r.Indicator)}
		if r.Indicator.Kind == models.KindSpending && !spending {
			er.FirstSpending, spending = true, true
		}
		for m, cell := range r.Cells {
			ec := entryCell{EntryCell: cell, ID: cellID(r.Indicator.ID, m+1), Status: "empty"}
			if f := cell.Figure; f != nil {
				ec.Value, ec.Original, ec.Version, ec.Status, ec.Note, ec.Returned = formatValue(f.Value), formatValue(f.Value), f.Version, string(f.Status), f.Note, f.ReturnComment
				er.Note = f.Note
			}
			ec.Editable = cell.Writable() && u.MayEdit(r.Program.Department)
			er.Cells[m] = ec
		}
		er.NoteShown = er.Note
		p.Rows = append(p.Rows, er)
	}
	p.SubmitMonth = p.defaultSubmitMonth()
	p.Unlock = newFormPage(p.basePage)
	if u.Role.AtLeast(models.RoleOfficial) && len(p.Rows) > 0 {
		for m := models.Months; m >= 1; m-- {
			if p.Rows[0].Cells[m-1].PastLock() { // every indicator of a year locks on the same day
				p.LockedMonths = append(p.LockedMonths, m)
			}
		}
	}
	return p, nil
}

// defaultSubmitMonth is the month the submit box offers: the latest one
// with a draft or returned value that can still be submitted, else the
// latest open one.
func (p *entryPage) defaultSubmitMonth() int {
	drafts, open := 0, 0
	for _, r := range p.Rows {
		for _, c := range r.Cells {
			if !c.Editable {
				continue
			}
			open = max(open, c.Month)
			if f := c.Figure; f != nil && (f.Status == models.FigureDraft || f.Status == models.FigureReturned) {
				drafts = max(drafts, c.Month)
			}
		}
	}
	return cmp.Or(drafts, open, models.Months)
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
	case "unlock":
		n, ok1 := parseSmallInt(c.QueryParam("n"), 4)
		m, ok2 := parseSmallInt(c.QueryParam("m"), 2)
		if ok1 && ok2 && m >= 1 && m <= models.Months {
			p.Notice = p.T("unlock.dept.done", p.Month(m), n)
		}
	}
	return h.renderForm(c, http.StatusOK, "entry", p)
}

// UnlockDepartment lets an official reopen one locked month of every
// indicator of the department shown, with one reason.
func (h *Handler) UnlockDepartment(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	m, ok := parseSmallInt(c.FormValue("month"), 2)
	p.Unlock.Values["reason"] = c.FormValue("reason")
	if !ok || m < 1 || m > models.Months {
		p.Unlock.fail("unlock-month", p.T("error.month"))
		return h.renderForm(c, http.StatusUnprocessableEntity, "entry", p)
	}
	p.Unlock.Values["month"] = strconv.Itoa(m)
	n, err := h.store.UnlockDepartment(c.Request().Context(), currentUser(c), p.Year, p.Dept, m, c.FormValue("reason"))
	if err != nil {
		se, ok := storeError(err, p.Lang, "")
		if !ok || se.Status != http.StatusUnprocessableEntity {
			return err // the error page, mapped by storeError too
		}
		field := "unlock-month"
		if se.Field == "reason" {
			field = "unlock-reason"
		}
		p.Unlock.fail(field, se.Message)
		return h.renderForm(c, se.Status, "entry", p)
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d?dept=%s&done=unlock&n=%d&m=%d", p.Year, urlEscape(p.Dept), n, m), p.Lang))
}

// SaveEntry saves every changed cell as a draft, all or nothing; or, with
// action=submit, submits the chosen month's drafts for approval.
func (h *Handler) SaveEntry(c echo.Context) error {
	form, err := bindEntryForm(c)
	if err != nil {
		return err
	}
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	if form.Action == "submit" {
		return h.submitEntry(c, p, form.Month)
	}
	inputs, cells, err := p.take(form)
	if err != nil {
		return err
	}
	if len(p.Errors) == 0 && len(inputs) > 0 {
		_, err := h.store.SaveFigures(c.Request().Context(), currentUser(c), inputs)
		h.metrics.figureWrites(len(inputs), err)
		var batch *models.BatchError
		switch {
		case errors.As(err, &batch):
			for i, e := range batch.Errs {
				if err := p.cellError(cells[i], e); err != nil {
					return err
				}
			}
		case err != nil:
			return err
		}
	}
	if len(p.Errors) > 0 {
		return h.renderForm(c, p.status, "entry", p)
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d?dept=%s&done=save&n=%d", p.Year, urlEscape(p.Dept), len(inputs)), p.Lang))
}

// take puts what was posted into the grid, so that the page shows it
// again on a problem, and returns the input of each changed cell with
// where it is. A changed cell that cannot be saved as it is gets its
// problem; a cell the grid does not have is a bad request.
func (p *entryPage) take(form *entryForm) ([]models.FigureInput, []gridCell, error) {
	var inputs []models.FigureInput
	var cells []gridCell
	found := 0
	for ri := range p.Rows {
		row := &p.Rows[ri]
		note, hasNote := form.Notes[row.Indicator.ID]
		if hasNote {
			row.Note, row.NoteShown = note.Text, note.Shown
		}
		for m := range row.Cells {
			cell := &row.Cells[m]
			in, posted := form.Cells[cell.ID]
			if !posted {
				continue
			}
			found++
			if cell.Editable {
				cell.Value, cell.Original, cell.Version, cell.Confirmed = in.Value, in.Shown, in.Version, in.Confirm
			}
			if !in.changed() {
				continue
			}
			at := gridCell{row, cell, in.Value}
			switch {
			case in.Value == "":
				p.failCell(at, p.T("entry.no.clear"), http.StatusUnprocessableEntity)
			case in.Overwrite && in.Reason == "":
				p.failCell(at, p.T("entry.need.reason"), http.StatusUnprocessableEntity)
			default:
				fi := models.FigureInput{IndicatorID: row.Indicator.ID, Year: p.Year, Month: cell.Month, Value: in.Value, Typed: models.Typed,
					Version: in.Version, Confirm: in.Confirm}
				if f := cell.Figure; f != nil {
					fi.Note = f.Note // an untouched note box keeps each month's own note
				}
				if hasNote && note.Text != note.Shown {
					fi.Note = note.Text
				}
				if in.Overwrite && cell.Figure != nil {
					fi.Version, fi.Reason = cell.Figure.Version, in.Reason
				}
				inputs, cells = append(inputs, fi), append(cells, at)
			}
		}
	}
	if found != len(form.Cells) {
		return nil, nil, badRequest("error.action")
	}
	return inputs, cells, nil
}

// gridCell is a changed cell of the grid with its row and what was typed.
type gridCell struct {
	row   *entryRow
	cell  *entryCell
	typed string
}

// failCell puts a problem next to its cell and into the summary, which
// names the indicator and the month. A cell that can no longer be edited
// says that the typed value was not saved.
func (p *entryPage) failCell(at gridCell, msg string, status int) {
	field := "v-" + at.cell.ID
	if !at.cell.Editable {
		field = "e-" + at.cell.ID
		msg += " " + p.T("entry.not.saved", at.typed)
	}
	at.cell.Error = msg
	p.fail(field, p.T("entry.cell.problem", at.row.Name, p.Month(at.cell.Month), msg))
	if p.status == 0 {
		p.status = status
	} else if p.status != status {
		p.status = http.StatusUnprocessableEntity
	}
}

// cellError puts a store's refusal of a cell next to it; an error the
// store did not refuse for the user is returned.
func (p *entryPage) cellError(at gridCell, err error) error {
	se, ok := storeError(err, p.Lang, "entry.conflict.remedy")
	if !ok {
		return err
	}
	for _, pr := range se.Problems {
		at.cell.NeedsOK = at.cell.NeedsOK || pr.Path == models.PathConfirm
	}
	at.cell.Conflict = se.Current
	p.failCell(at, se.Message, se.Status)
	return nil
}

func (h *Handler) submitEntry(c echo.Context, p *entryPage, month string) error {
	m, ok := parseSmallInt(month, 2)
	if !ok || m < 1 || m > models.Months {
		p.fail("month", p.T("error.month"))
		return h.renderForm(c, http.StatusUnprocessableEntity, "entry", p)
	}
	p.SubmitMonth = m
	n, err := h.store.SubmitMonth(c.Request().Context(), currentUser(c), p.Year, p.Dept, m)
	if err != nil {
		se, ok := storeError(err, p.Lang, "")
		if !ok {
			return err
		}
		p.fail("month", se.Message)
		return h.renderForm(c, se.Status, "entry", p)
	}
	if n == 0 {
		p.fail("month", p.T("entry.nothing.to.submit", m))
		return h.renderForm(c, http.StatusUnprocessableEntity, "entry", p)
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d?dept=%s&done=submit&n=%d&m=%d", p.Year, urlEscape(p.Dept), n, m), p.Lang))
}

// EntryLatest sends to the entry grid of the plan in force (see
// models.InForceYear), the one /my counts.
func (h *Handler) EntryLatest(c echo.Context) error {
	years, err := h.store.Years(c.Request().Context(), false)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		return notFound("plan.no.plans")
	}
	return back(c, withLang(fmt.Sprintf("/entry/%d", models.InForceYear(years, h.now())), parseLang(c.QueryParam("lang"))))
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

// entryForm is the grid's POST. Per cell {indicator}-{month} the page
// sends v- (the value typed), o- (the value it showed), ver- (its
// version), c- (a value over twice the target confirmed), ow- and r-
// (overwrite a newer value, and why); per row note- (the note box) and
// on- (what the box showed).
type entryForm struct {
	Action string
	Month  string // the month to submit
	Cells  map[string]cellInput
	Notes  map[uint]noteInput
}

// cellInput is one cell of the grid's POST.
type cellInput struct {
	Value, Shown       string
	Version            int
	Confirm, Overwrite bool
	Reason             string
}

func (in cellInput) changed() bool { return in.Value != in.Shown }

// noteInput is a row's note box: what it holds and what it showed.
type noteInput struct{ Text, Shown string }

// bindEntryForm reads the grid's POST. A field name or version that the
// page never renders is a bad request.
func bindEntryForm(c echo.Context) (*entryForm, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, badRequest("error.action")
	}
	f := &entryForm{Action: form.Get("action"), Month: form.Get("month"), Cells: map[string]cellInput{}, Notes: map[uint]noteInput{}}
	for key := range form {
		if id, ok := strings.CutPrefix(key, "v-"); ok {
			in := cellInput{Value: strings.TrimSpace(form.Get(key)), Shown: form.Get("o-" + id), Confirm: form.Get("c-"+id) != "",
				Overwrite: form.Get("ow-"+id) != "", Reason: strings.TrimSpace(form.Get("r-" + id))}
			ind, month, ok1 := strings.Cut(id, "-")
			_, ok2 := parseSmallInt(ind, 9)
			m, ok3 := parseSmallInt(month, 2)
			if ver := form.Get("ver-" + id); ver != "" {
				in.Version, ok = parseSmallInt(ver, 9)
			}
			if !ok || !ok1 || !ok2 || !ok3 || m < 1 || m > models.Months {
				return nil, badRequest("error.action")
			}
			f.Cells[id] = in
		}
		if id, ok := strings.CutPrefix(key, "note-"); ok {
			n, ok := parseSmallInt(id, 9)
			if !ok {
				return nil, badRequest("error.action")
			}
			f.Notes[uint(n)] = noteInput{Text: strings.TrimSpace(form.Get(key)), Shown: strings.TrimSpace(form.Get("on-" + id))}
		}
	}
	return f, nil
}
