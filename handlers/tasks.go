package handlers

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// taskPage is the data of a task page.
type taskPage struct {
	basePage
	Task     taskView
	Programs []programView
}

// programView is a programme with its indicators, in the page's language.
type programView struct {
	*models.Program
	Name        string
	Description string
	Indicators  []indicatorView
	// Class is its 분야, 대상, budget, spending and 집행률.
	Class      fieldProgramView
	SpendingID uint
}

// Task shows one core task: its standing, programmes and indicators.
func (h *Handler) Task(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	code := c.Param("code")
	path := fmt.Sprintf("/plans/%d/tasks/%s", year, url.PathEscape(code))
	return h.serveCached(c, req.key(path), func() (int, string, []byte, error) {
		ctx := c.Request().Context()
		years, sum, err := h.yearSummary(ctx, year, req.asof, req.drafts())
		if err != nil {
			return 0, "", nil, err
		}
		p := &taskPage{}
		p.basePage = h.base(req, sum, years, path, "")
		for _, tv := range p.tasks(sum) {
			if tv.Task.Code == code {
				p.Task = tv
			}
		}
		if p.Task.Task == nil {
			return 0, "", nil, notFound("error.task", code)
		}
		p.Title = p.Task.Name
		p.Crumbs = []crumb{{Name: p.T("plan.title.year", year), URL: p.URL(fmt.Sprintf("/plans/%d", year))}, {Name: p.Task.Name}}
		if _, err := h.nameFields(ctx, &p.basePage); err != nil {
			return 0, "", nil, err
		}
		for _, ps := range p.Task.Programs {
			pv := programView{Program: ps.Program, Name: p.Pick(ps.Program.Name, ps.Program.NameEn),
				Description: p.Pick(ps.Program.Description, ps.Program.DescriptionEn), Class: p.programClass(ps)}
			if ps.Spending != nil {
				pv.SpendingID = ps.Spending.Indicator.ID
			}
			for _, is := range ps.Indicators {
				pv.Indicators = append(pv.Indicators, p.indicator(is, false))
			}
			p.Programs = append(p.Programs, pv)
		}
		return h.html("task", p)
	})
}

// indicatorPage is the data of an indicator page.
type indicatorPage struct {
	basePage
	Ind     indicatorView
	Task    taskView
	Program programView
	// CanEdit and Form: the milestone form, for users who may edit the
	// indicator's department.
	CanEdit bool
	Form    *formPage
	// Unlocked is the month an official just unlocked, for the notice;
	// LockedMonths are the months an official may unlock (locked, with
	// no unlock in force), latest first.
	Unlocked     string
	LockedMonths []int
	// TargetForm changes the annual target (officials); TargetChanged
	// says it was just done.
	TargetForm    *formPage
	TargetChanged bool
	// BasisForm changes what a count of people counts (officials), with
	// the choices; BasisChanged says it was just done.
	BasisForm    *formPage
	Bases        []models.Basis
	BasisChanged bool
	// Commentaries by month, and the form to add one for those who may.
	Commentaries []models.Commentary
	CanComment   bool
	Comment      *formPage
	// Pending holds values not yet approved, shown labelled 미승인 to
	// council members and officials; the public sees approved values only.
	Pending    [models.Months]*models.Figure
	HasPending bool
	// Terms lists the targets the indicator has had (original and
	// revised), when a revision changed it.
	Terms []termView
	// Published says the plan is published: its target changes by
	// revision. Queued is this indicator's change in the draft revision.
	Published bool
	Queued    *revisionChange
}

// termView is one target of an indicator's history.
type termView struct {
	When, Target, Reason, ReasonLabel string
	InForce                           bool // the one the page's numbers are measured against
}

// Indicator shows one indicator: definition, source, chart and monthly table.
func (h *Handler) Indicator(c echo.Context) error {
	req, err := h.readPageRequest(c)
	if err != nil {
		return err
	}
	year, id, err := indicatorPath(c)
	if err != nil {
		return err
	}
	return h.serveCached(c, req.key(fmt.Sprintf("/plans/%d/indicators/%d", year, id)), func() (int, string, []byte, error) {
		p, err := h.indicatorPage(c, req, year, id)
		if err != nil {
			return 0, "", nil, err
		}
		return h.html("indicator", p)
	})
}

func (h *Handler) indicatorPage(c echo.Context, req pageRequest, year, id int) (*indicatorPage, error) {
	ctx := c.Request().Context()
	years, sum, err := h.yearSummary(ctx, year, req.asof, req.drafts())
	if err != nil {
		return nil, err
	}
	is := sum.Indicators[uint(id)]
	if is == nil {
		return nil, notFound("error.indicator", strconv.Itoa(id))
	}
	p := &indicatorPage{}
	p.basePage = h.base(req, sum, years, fmt.Sprintf("/plans/%d/indicators/%d", year, id), "")
	p.Ind = p.indicator(is, true)
	p.Title = p.Ind.Name
	for _, tv := range p.tasks(sum) {
		if tv.Task.ID == is.Task.ID {
			p.Task = tv
		}
	}
	p.Program = programView{Program: is.Program, Name: p.Pick(is.Program.Name, is.Program.NameEn),
		Description: p.Pick(is.Program.Description, is.Program.DescriptionEn)}
	p.Crumbs = []crumb{
		{Name: p.T("plan.title.year", year), URL: p.URL(fmt.Sprintf("/plans/%d", year))},
		{Name: p.Task.Name, URL: p.Task.URL},
		{Name: p.Ind.Name},
	}
	if m, ok := parseSmallInt(c.QueryParam("unlocked"), 2); ok {
		p.Unlocked = strconv.Itoa(m)
	}
	if p.User != nil && p.User.Role.AtLeast(models.RoleOfficial) && is.Indicator.Kind.Monthly() {
		periods, err := h.store.Periods(ctx, is.Indicator.ID, year)
		if err != nil {
			return nil, err
		}
		for m := models.Months; m >= 1; m-- {
			if periods[m-1].Locked() {
				p.LockedMonths = append(p.LockedMonths, m)
			}
		}
	}
	if p.Commentaries, err = h.store.Commentaries(ctx, is.Indicator.ID, year); err != nil {
		return nil, err
	}
	if p.User != nil && (p.User.Role.AtLeast(models.RoleCouncil) || p.User.MayEdit(is.Program.Department)) {
		if p.Pending, err = h.store.PendingValues(ctx, is.Indicator.ID, year); err != nil {
			return nil, err
		}
		for _, f := range p.Pending {
			p.HasPending = p.HasPending || f != nil
		}
	}
	p.terms(is)
	p.Published = sum.Plan.Published()
	if draft := sum.Plan.DraftRevision(); draft != nil && p.Can(models.RoleOfficial) {
		for _, ch := range p.changes(sum.Plan, draft) {
			if ch.IndicatorID == is.Indicator.ID {
				p.Queued = &ch
			}
		}
	}
	p.TargetForm = newFormPage(p.basePage)
	p.TargetForm.Values["target"] = strconv.FormatFloat(is.Current.Target, 'f', -1, 64)
	p.TargetChanged = c.QueryParam("target") == "changed"
	if models.NeedsBasis(is.Current.Unit) {
		p.BasisForm, p.Bases = newFormPage(p.basePage), models.Bases
		p.BasisForm.Values["basis"] = string(is.Current.Basis)
		p.BasisChanged = c.QueryParam("basis") == "changed"
	}
	p.CanComment = p.User.MayEdit(is.Program.Department)
	p.Comment = newFormPage(p.basePage)
	p.Comment.Values["month"] = strconv.Itoa(sum.AsOf)
	p.CanEdit = !is.Indicator.Kind.Monthly() && p.User.MayEdit(is.Program.Department)
	p.Form = newFormPage(p.basePage)
	ind := is.Indicator
	p.Form.Values["state"], p.Form.Values["note"] = string(ind.MilestoneState), ind.MilestoneNote
	if ind.DoneDate != nil {
		p.Form.Values["done"] = ind.DoneDate.Format("2006-01-02")
	}
	return p, nil
}

// terms lists the targets of an indicator a revision changed: the
// original beside each revised one, with its date and reason.
func (p *indicatorPage) terms(is *models.IndicatorSummary) {
	if !is.TargetChanged() {
		return
	}
	for i, t := range is.Terms {
		tv := termView{When: p.TermWhen(t), Target: p.Amount(t.Target, is.Indicator), InForce: t.Change == is.Term.Change}
		if t.Revised() {
			tv.Reason, tv.ReasonLabel = t.Change.Reason, p.T("ind.reason")
		} else {
			tv.Reason, tv.ReasonLabel = p.basis(is.Current), p.T("ind.basis")
		}
		if i == 0 {
			tv.When = p.T("terms.original", tv.When)
		}
		p.Terms = append(p.Terms, tv)
	}
}
