package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// groupView is the programmes of one 분야 or 대상 as a page shows them.
type groupView struct {
	models.GroupSummary
	Name     string
	Programs []fieldProgramView
	Budget   string // the budget total, or "" without one
	Spent    string // the spending to date, or "" without any
	Rate     string // 집행률, or what there is instead
	// Subtotals are the sums of like numbers, each named by its measure.
	Subtotals []subtotalView
}

// fieldProgramView is one programme in a 분야 or 대상 table.
type fieldProgramView struct {
	models.ProgramSummary
	Name   string
	Field  string
	Groups string
	Budget string
	Spent  string
	Rate   string
}

// subtotalView is a sum of like numbers with its measure named.
type subtotalView struct {
	models.Subtotal
	Measure string
	Target  string
	Actual  string
}

// GroupName names a 대상.
func (p *basePage) GroupName(g models.Group) string { return p.T("group." + string(g)) }

// groupNames names a programme's 대상, or says it has none.
func (p *basePage) groupNames(prog *models.Program) string {
	gs := prog.GroupList()
	if len(gs) == 0 {
		return p.T("group.none")
	}
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = p.GroupName(g)
	}
	return strings.Join(names, ", ")
}

// millionWon is the unit of budgets and spending, for rounding them as
// every amount of its unit is rounded.
var millionWon = &models.Indicator{Unit: models.UnitMillionWon}

// million writes an amount of 백만원, or "" for none.
func million(v *float64) string {
	if v == nil {
		return ""
	}
	return formatNumber(millionWon.Round(*v))
}

// Rate writes 집행률, or says why there is none.
func (p *basePage) Rate(e models.Execution) string {
	r := e.Rate()
	switch {
	case r != nil:
		return formatPercent(*r)
	case e.Budget == nil:
		return p.T("budget.none")
	case e.Spent == nil:
		return p.T("spending.none")
	}
	return p.T("ind.none")
}

// programClass is a programme's 분야, 대상, budget and spending as a page
// shows them; the page's 분야 names are loaded (nameFields).
func (p *basePage) programClass(ps models.ProgramSummary) fieldProgramView {
	return fieldProgramView{ProgramSummary: ps, Name: p.Pick(ps.Program.Name, ps.Program.NameEn),
		Field: p.fieldLabel(ps.Program.Field), Groups: p.groupNames(ps.Program), Budget: million(ps.Execution.Budget),
		Spent: million(ps.Execution.AllSpent()), Rate: p.Rate(ps.Execution)}
}

// groupView builds the view of a roll-up named name.
func (p *basePage) groupView(g models.GroupSummary, name string) groupView {
	v := groupView{GroupSummary: g, Name: name, Budget: million(g.Execution.Budget), Spent: million(g.Execution.AllSpent()), Rate: p.Rate(g.Execution)}
	for _, ps := range g.Programs {
		v.Programs = append(v.Programs, p.programClass(ps))
	}
	for _, st := range g.Subtotals {
		ind := &models.Indicator{Unit: st.Unit, UnitEn: st.UnitEn, Basis: st.Basis}
		v.Subtotals = append(v.Subtotals, subtotalView{Subtotal: st, Measure: p.MeasureName(st.Measure),
			Target: p.Number(st.Target, ind), Actual: p.Number(st.Actual, ind)})
	}
	return v
}

// fieldViews is the plan's 분야 table.
func (h *Handler) fieldViews(ctx context.Context, p *basePage, sum *models.Summary) ([]groupView, error) {
	fields, err := h.nameFields(ctx, p)
	if err != nil {
		return nil, err
	}
	var out []groupView
	for _, g := range sum.ByField(fieldCodes(fields)) {
		out = append(out, p.groupView(g, p.fieldLabel(g.Code)))
	}
	return out, nil
}

// groupsPage lists the programmes of each 대상.
type groupsPage struct {
	basePage
	Plan     *models.Plan
	Sections []groupSection
	// Shown is the one group shown, or "" for all.
	Shown   models.Group
	Choices []models.Group
}

// groupSection is one 대상's programmes and their table.
type groupSection struct {
	View  groupView
	Table groupTable
}

// Groups shows the programmes of a plan year by 대상 (/plans/:year/groups),
// or of one (?group=youth).
func (h *Handler) Groups(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	shown := models.Group(c.QueryParam("group"))
	if shown != "" && !shown.Known() {
		return badRequest("error.group", string(shown))
	}
	path := fmt.Sprintf("/plans/%d/groups", year)
	return h.serveCached(c, req.key(path+"?group="+url.QueryEscape(string(shown))), func() (int, string, []byte, error) {
		ctx := c.Request().Context()
		years, sum, err := h.yearSummary(ctx, year, req.asof, req.drafts())
		if err != nil {
			return 0, "", nil, err
		}
		p := &groupsPage{Plan: sum.Plan, Shown: shown, Choices: models.Groups}
		p.basePage = h.base(req, sum, years, path, "")
		p.Title = p.T("groups.title")
		p.Crumbs = []crumb{{Name: p.T("plan.title.year", year), URL: p.URL(fmt.Sprintf("/plans/%d", year))}, {Name: p.Title}}
		if _, err := h.nameFields(ctx, &p.basePage); err != nil {
			return 0, "", nil, err
		}
		for _, g := range sum.ByGroup() {
			if shown == "" || models.Group(g.Code) == shown {
				v := p.groupView(g, p.GroupName(models.Group(g.Code)))
				p.Sections = append(p.Sections, groupSection{View: v,
					Table: p.GroupTable(p.T("groups.caption", v.Name, p.AsOfLabel()), []groupView{v}, false)})
			}
		}
		return h.html("groups", p)
	})
}

// groupTable carries the page into the group-table partial.
type groupTable struct {
	Page    *basePage
	Caption string
	Groups  []groupView
	// ByField says the rows are grouped by 분야: the field column is left
	// out. Otherwise each programme names its 분야.
	ByField bool
}

// GroupTable is the data of the group-table partial.
func (p *basePage) GroupTable(caption string, groups []groupView, byField bool) groupTable {
	return groupTable{Page: p, Caption: caption, Groups: groups, ByField: byField}
}

// fieldCodes lists the codes of the 분야, in order.
func fieldCodes(fields []models.ProgramField) []string {
	codes := make([]string, len(fields))
	for i, f := range fields {
		codes[i] = f.Code
	}
	return codes
}

// fieldsPage is the admin's list of 분야 with the form that adds one.
type fieldsPage struct {
	*formPage
	List []models.ProgramField
}

func (h *Handler) fieldsPage(c echo.Context) (*fieldsPage, error) {
	list, err := h.store.Fields(c.Request().Context())
	if err != nil {
		return nil, err
	}
	p := &fieldsPage{formPage: newFormPage(h.page(c, "fields.admin.title")), List: list}
	p.Crumbs = []crumb{{Name: p.Title}}
	return p, nil
}

// AdminFields lists the 분야 for admins.
func (h *Handler) AdminFields(c echo.Context) error {
	p, err := h.fieldsPage(c)
	if err != nil {
		return err
	}
	if c.QueryParam("done") == "add" {
		p.Notice = p.T("fields.added")
	}
	return h.renderForm(c, http.StatusOK, "admin_fields", p)
}

// AddField puts a 분야 at the end of the list.
func (h *Handler) AddField(c echo.Context) error {
	p, err := h.fieldsPage(c)
	if err != nil {
		return err
	}
	in := models.FieldInput{Name: c.FormValue("name"), NameEn: c.FormValue("name_en"), From: origin(c)}
	p.Values["name"], p.Values["name_en"] = strings.TrimSpace(in.Name), strings.TrimSpace(in.NameEn)
	err = h.store.AddField(c.Request().Context(), currentUser(c), in)
	if p.failValidation(err) {
		return h.renderForm(c, http.StatusUnprocessableEntity, "admin_fields", p)
	}
	if err != nil {
		return err
	}
	return back(c, withLang("/admin/fields?done=add", p.Lang))
}

// nameFields loads the 분야 list and their names into the page, for the
// 분야 it shows (fieldLabel).
func (h *Handler) nameFields(ctx context.Context, p *basePage) ([]models.ProgramField, error) {
	fields, err := h.store.Fields(ctx)
	if err != nil {
		return nil, err
	}
	p.fields = map[string]string{"": p.T("field.none")}
	for _, f := range fields {
		p.fields[f.Code] = p.Pick(f.Name, f.NameEn)
	}
	return fields, nil
}

// fieldLabel names a 분야 code: 미분류 for none.
func (p *basePage) fieldLabel(code string) string {
	if name, ok := p.fields[code]; ok {
		return name
	}
	if code == "" {
		return p.T("field.none")
	}
	return code // a 분야 the list does not have: never stored, as the store checks the list
}

// budgetText writes a stored budget as its total with each source.
func (p *basePage) budgetText(text string) string {
	b, err := models.ParseBudgetText(text)
	if err != nil || b.Empty() {
		return p.T("budget.none")
	}
	var parts []string
	for i, v := range b.Amounts() {
		if v != nil {
			parts = append(parts, p.T("budget."+models.BudgetSources[i])+" "+million(v))
		}
	}
	return p.T("budget.total", million(b.Total()), strings.Join(parts, ", "))
}
