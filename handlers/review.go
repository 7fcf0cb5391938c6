package handlers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

func urlEscape(s string) string { return url.QueryEscape(s) }

// reviewPage lists the submitted figures for officials.
type reviewPage struct {
	*formPage
	Items  []models.ReviewItem
	Picked map[string]bool // ticked rows ("id-year-month"), kept when an approval is refused
}

// Name is a listed indicator's name in the page's language.
func (p *reviewPage) Name(it models.ReviewItem) string {
	return p.Pick(it.IndicatorName, it.IndicatorNameEn)
}

// Qty writes a value of a listed indicator with its unit.
func (p *reviewPage) Qty(v float64, it models.ReviewItem) string {
	return p.Amount(v, &models.Indicator{Unit: it.Unit, UnitEn: it.UnitEn})
}

// Unusual says why a value stands out: against the latest level for a
// stock, against a usual month for a flow.
func (p *reviewPage) Unusual(it models.ReviewItem) string {
	if it.Usual == nil {
		return ""
	}
	if it.Kind.CarriesForward() {
		return p.T("review.unusual.level", p.Qty(*it.Usual, it))
	}
	return p.T("review.unusual.month", p.Qty(*it.Usual, it))
}

// pickID is the key of a row's tick box; the box's value adds the version.
func pickID(f models.PendingFigure) string { return pickKey(f.IndicatorID, f.Year, f.Month) }

func pickKey(id uint, year, month int) string { return fmt.Sprintf("%d-%d-%d", id, year, month) }

func (h *Handler) reviewPage(c echo.Context) (*reviewPage, error) {
	items, err := h.store.ForReview(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &reviewPage{formPage: newFormPage(h.page(c, "review.title")), Items: items}
	p.Crumbs = []crumb{{Name: p.Title}}
	return p, nil
}

// Review shows what waits for approval.
func (h *Handler) Review(c echo.Context) error {
	p, err := h.reviewPage(c)
	if err != nil {
		return err
	}
	switch c.QueryParam("done") {
	case "approve", "return":
		p.Notice = p.T("review.done." + c.QueryParam("done"))
	case "many":
		if n, ok := parseSmallInt(c.QueryParam("n"), 4); ok {
			p.Notice = p.T("review.done.many", n)
		}
	}
	return h.renderForm(c, http.StatusOK, "review", p)
}

// Decide approves or returns one submitted figure.
func (h *Handler) Decide(c echo.Context) error {
	id, ok1 := parseSmallInt(c.FormValue("id"), 9)
	year, err := parseYear(c.FormValue("year"))
	month, ok2 := parseSmallInt(c.FormValue("month"), 2)
	version, ok3 := parseSmallInt(c.FormValue("version"), 9)
	if !ok1 || !ok2 || !ok3 || err != nil {
		return badRequest("error.action")
	}
	step := models.Transition(c.FormValue("action"))
	if step != models.Approve && step != models.Return {
		return badRequest("error.action")
	}
	_, err = h.store.MoveFigure(c.Request().Context(), currentUser(c), uint(id), year, month, version, step, c.FormValue("comment"))
	if err != nil {
		return h.reviewError(c, err, func(p *reviewPage, se storeErr) {
			p.fail(fmt.Sprintf("comment-%d-%d", id, month), se.Message)
		})
	}
	return back(c, withLang("/review?done="+string(step), parseLang(c.FormValue("lang"))))
}

// ApproveMany approves the values ticked on /review in one go: all of
// them, or none when any one has changed or is no longer submitted.
func (h *Handler) ApproveMany(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return badRequest("error.action")
	}
	picks := form["pick"]
	if len(picks) > models.MaxApproveBatch {
		return badRequest("error.action")
	}
	refs := make([]models.FigureRef, 0, len(picks))
	seen := map[string]bool{}
	for _, pick := range picks {
		r, ok := parsePick(pick)
		if !ok {
			return badRequest("error.action")
		}
		key := pickKey(r.IndicatorID, r.Year, r.Month)
		if !seen[key] {
			seen[key] = true
			refs = append(refs, r)
		}
	}
	err = h.store.ApproveFigures(c.Request().Context(), currentUser(c), refs)
	if err != nil {
		return h.reviewError(c, err, func(p *reviewPage, se storeErr) {
			p.Picked = seen
			var ref *models.RefError
			switch {
			case !errors.As(err, &ref):
				p.fail("pick", se.Message)
			case se.Status == http.StatusConflict:
				p.fail("pick", p.T("review.conflict.many", ref.Name, ref.Ref.Month))
			default:
				p.fail("pick", p.T("review.refused.many", ref.Name, ref.Ref.Month, se.Message))
			}
		})
	}
	return back(c, withLang(fmt.Sprintf("/review?done=many&n=%d", len(refs)), parseLang(c.FormValue("lang"))))
}

// reviewError shows the review list again with a store's refusal, put in
// place by show, with its status. A refusal of the user's rights or of a
// figure that is gone goes to the error page, as does any other error.
func (h *Handler) reviewError(c echo.Context, err error, show func(*reviewPage, storeErr)) error {
	se, ok := storeError(err, parseLang(c.FormValue("lang")), "review.conflict.remedy")
	switch {
	case ok && se.Status == http.StatusNotFound:
		return notFound("error.figure")
	case !ok || se.Status == http.StatusForbidden:
		return err
	}
	p, perr := h.reviewPage(c)
	if perr != nil {
		return perr
	}
	show(p, se)
	return h.renderForm(c, se.Status, "review", p)
}

// parsePick reads a tick box's value: indicator-year-month-version.
func parsePick(s string) (models.FigureRef, bool) {
	parts := strings.Split(s, "-")
	if len(parts) != 4 {
		return models.FigureRef{}, false
	}
	id, ok1 := parseSmallInt(parts[0], 9)
	year, err := parseYear(parts[1])
	month, ok2 := parseSmallInt(parts[2], 2)
	version, ok3 := parseSmallInt(parts[3], 9)
	if !ok1 || !ok2 || !ok3 || err != nil || month < 1 || month > models.Months {
		return models.FigureRef{}, false
	}
	return models.FigureRef{IndicatorID: uint(id), Year: year, Month: month, Version: version}, true
}

// myPage lists what the user's department owes; for officials, what every
// department owes, with a count per department.
type myPage struct {
	basePage
	Items   []models.Due
	Overdue int
	LockDay int
	// ThisYear is the year in Korea now: months of other years are named
	// with their year.
	ThisYear int
	// AllDepts: the user sees every department (officials and admins),
	// counted in Departments.
	AllDepts    bool
	Departments []deptDue
}

// deptDue counts the months one department owes in one plan year.
type deptDue struct {
	Name          string
	Year          int
	Owed, Overdue int
}

// When names a due month, with its year when that is not this year.
func (p *myPage) When(d models.Due) string {
	if d.Year == p.ThisYear {
		return p.Month(d.Month)
	}
	return p.T("month.of.year", d.Year, p.Month(d.Month))
}

// YearName names a year in the page's language.
func (p *myPage) YearName(year int) string { return p.T("year.name", year) }

// EntryURL is the grid where a department's months are entered; officials,
// who may switch department, land on the one named.
func (p *myPage) EntryURL(year int, dept string) string {
	path := fmt.Sprintf("/entry/%d", year)
	if p.AllDepts {
		path += "?dept=" + url.QueryEscape(dept)
	}
	return p.URL(path)
}

// My shows what is due and overdue for the user's department.
func (h *Handler) My(c echo.Context) error {
	u := currentUser(c)
	dept := u.Department
	if u.Role.AtLeast(models.RoleOfficial) {
		dept = ""
	}
	items, err := h.store.DueFor(c.Request().Context(), dept)
	if err != nil {
		return err
	}
	lockDay, err := h.store.LockDay(c.Request().Context())
	if err != nil {
		return err
	}
	p := &myPage{basePage: h.page(c, "my.title"), Items: items, LockDay: lockDay, ThisYear: h.now().In(models.KST).Year()}
	p.Crumbs = []crumb{{Name: p.Title}}
	p.AllDepts = dept == ""
	for _, d := range items {
		if d.Overdue {
			p.Overdue++
		}
		if !p.AllDepts {
			continue
		}
		// Items come grouped by department, then year.
		if n := len(p.Departments); n == 0 || p.Departments[n-1].Name != d.Department || p.Departments[n-1].Year != d.Year {
			p.Departments = append(p.Departments, deptDue{Name: d.Department, Year: d.Year})
		}
		last := &p.Departments[len(p.Departments)-1]
		last.Owed++
		if d.Overdue {
			last.Overdue++
		}
	}
	return h.renderForm(c, http.StatusOK, "my", p)
}

// historyPage is the audit trail of one indicator.
type historyPage struct {
	basePage
	Name    string
	Changes []models.FigureChange
	CSVURL  string
}

func (h *Handler) history(c echo.Context) (*models.Summary, *models.IndicatorSummary, []models.FigureChange, error) {
	year, id, err := indicatorPath(c)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx := c.Request().Context()
	sum, err := h.store.Summary(ctx, year, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	is := sum.Find(uint(id))
	if is == nil {
		return nil, nil, nil, notFound("error.indicator", c.Param("id"))
	}
	changes, err := h.store.FigureHistory(ctx, uint(id))
	return sum, is, changes, err
}

// History shows every change to an indicator's figures.
func (h *Handler) History(c echo.Context) error {
	sum, is, changes, err := h.history(c)
	if err != nil {
		return err
	}
	p := &historyPage{basePage: h.page(c, "history.title"), Changes: changes}
	p.Name = p.Pick(is.Indicator.Name, is.Indicator.NameEn)
	p.Title = p.Name
	p.Year = sum.Plan.Year
	p.CSVURL = fmt.Sprintf("/plans/%d/indicators/%d/history.csv", sum.Plan.Year, is.Indicator.ID)
	at := p.URL(fmt.Sprintf("/plans/%d/indicators/%d", p.Year, is.Indicator.ID))
	if is.Indicator.Kind == models.KindSpending { // spending has no page of its own: its programme's task has it
		at = p.URL(fmt.Sprintf("/plans/%d/tasks/%s", p.Year, url.PathEscape(is.Task.Code)))
	}
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", p.Year), URL: p.URL(fmt.Sprintf("/plans/%d", p.Year))},
		{Name: p.Name, URL: at}, {Name: p.T("history.title")}}
	return h.renderForm(c, http.StatusOK, "history", p)
}

// HistoryCSV exports an indicator's audit trail as CSV (UTF-8 with BOM,
// for Excel), with formula-like cells neutralised.
func (h *Handler) HistoryCSV(c echo.Context) error {
	_, is, changes, err := h.history(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Write([]string{"at", "indicator", "year", "month", "action", "old_value", "new_value", "old_status", "new_status", "version", "who", "why"})
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	for _, ch := range changes {
		w.Write(safeCSV([]string{ch.At.In(models.KST).Format(time.RFC3339), is.Indicator.Name, strconv.Itoa(ch.Year), strconv.Itoa(ch.Month),
			ch.Action, num(ch.OldValue), num(ch.NewValue), string(ch.OldStatus), string(ch.NewStatus), strconv.Itoa(ch.Version), ch.Who, ch.Why}))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	lang := parseLang(c.QueryParam("lang"))
	attachment(c, fmt.Sprintf("history-%d", is.Indicator.ID), lang.T("download.history", lang.Text(is.Indicator.Name, is.Indicator.NameEn)), ".csv")
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// safeCSV neutralises cells that a spreadsheet would read as a formula
// (starting with =, +, -, @, tab or carriage return) by prefixing a quote.
func safeCSV(cells []string) []string {
	out := make([]string, len(cells))
	for i, s := range cells {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			s = "'" + s
		}
		out[i] = s
	}
	return out
}

// StatusName names a status in the history: a milestone's state for
// milestone changes, a figure's workflow state otherwise.
func (p *historyPage) StatusName(action string, s models.FigureStatus) string {
	switch {
	case s == "":
		return p.T("ind.none")
	case action == "milestone":
		return p.State(models.MilestoneState(s))
	}
	return p.T("figure." + string(s))
}
