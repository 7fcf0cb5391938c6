package handlers

// The plan's yearly cycle as officials work it: a draft plan's targets
// decided and published (공시), a published plan's changes gathered in a
// draft revision and published (수정공시), the next year's plan copied from
// this one, and every published version readable (?version=N).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// VersionName is a version's name: 원공시, or the revision's number.
func (l Lang) VersionName(n int) string {
	if n <= 1 {
		return l.T("version.name.original")
	}
	return l.T("version.name.revision", n-1)
}

// VersionDate is a version's publication date, or says it was not
// recorded.
func (l Lang) VersionDate(d *time.Time) string {
	if d == nil {
		return l.T("version.date.unknown")
	}
	return d.Format(time.DateOnly)
}

// VersionWhen says when version n was published and from which month it
// is in force: "2020-07-15 1차 수정공시 (7월부터 적용)".
func (p *basePage) VersionWhen(n int, d *time.Time, effective int) string {
	if n <= 1 {
		return p.T("version.when.original", p.Lang.VersionDate(d), p.Lang.VersionName(n))
	}
	return p.T("version.when", p.Lang.VersionDate(d), p.Lang.VersionName(n), p.Lang.Month(effective))
}

// TermWhen says what put a target in force: the 원공시 or a revision,
// with its date; a draft plan's target has no version yet.
func (p *basePage) TermWhen(t models.Term) string {
	if t.Version == nil {
		return p.T("version.draft")
	}
	return p.VersionWhen(t.Version.Number, t.Version.Date, t.From)
}

// TermsNote says which published targets the page's numbers are measured
// against: those in force in the as-of month.
func (p *basePage) TermsNote() string {
	if p.sum == nil || p.AsOf == 0 {
		return ""
	}
	plan := p.sum.Plan
	v := plan.VersionAt(p.AsOf)
	if v == nil {
		return p.T("terms.draft")
	}
	return p.T("terms.note", p.Lang.Month(p.AsOf), p.VersionWhen(v.Number, v.Date, v.Effective))
}

// termNote marks an indicator whose target a revision changed: what the
// number is measured against in the as-of month, and what changed.
func (p *basePage) termNote(is *models.IndicatorSummary) string {
	if !is.TargetChanged() {
		return ""
	}
	if is.Term.Revised() {
		return p.T("term.revised", p.Lang.VersionName(is.Term.Version.Number), p.Amount(is.Original().Target, is.Indicator))
	}
	for _, t := range is.Terms[1:] {
		if t.From > p.AsOf {
			return p.T("term.later", p.Lang.Month(t.From), p.Amount(t.Target, is.Indicator))
		}
	}
	return ""
}

// versionView is a published version as the plan page lists it.
type versionView struct {
	Number  int
	Shown   bool // the version the page shows (?version=N)
	When    string
	URL     string
	Changes []revisionChange
	// Edits are the version's changes of other fields: 분야, 대상,
	// budgets, 집계 기준, outcome targets.
	Edits []revisionEdit
	Ref   string
}

// revisionChange is one change of a revision: the indicator, old → new, why.
type revisionChange struct {
	ID            uint
	IndicatorID   uint
	Name          string
	URL           string
	Old, New      string
	PacingChanged bool
	Reason        string
}

// indicatorsByID indexes a plan's indicators.
func indicatorsByID(plan *models.Plan) map[uint]*models.Indicator {
	out := map[uint]*models.Indicator{}
	for _, ind := range plan.Indicators() {
		out[ind.ID] = ind
	}
	return out
}

// changes words a version's changes.
func (p *basePage) changes(plan *models.Plan, v *models.PlanVersion) []revisionChange {
	inds := indicatorsByID(plan)
	var out []revisionChange
	for _, ch := range v.Changes {
		ind := inds[ch.IndicatorID]
		if ind == nil {
			continue
		}
		out = append(out, revisionChange{
			ID: ch.ID, IndicatorID: ch.IndicatorID, Name: p.Pick(ind.Name, ind.NameEn), URL: p.URL(fmt.Sprintf("/plans/%d/indicators/%d", plan.Year, ind.ID)),
			Old: p.Amount(ch.OldTarget, ind), New: p.Amount(ch.NewTarget, ind),
			PacingChanged: ch.OldTarget == ch.NewTarget, Reason: ch.Reason,
		})
	}
	return out
}

// versions lists a plan's published versions, oldest first, marking
// version shown (0: none).
func (p *basePage) versions(plan *models.Plan, shown int) []versionView {
	vs := plan.PublishedVersions()
	out := make([]versionView, 0, len(vs))
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		out = append(out, versionView{
			Number: v.Number, Shown: v.Number == shown, When: p.VersionWhen(v.Number, v.Date, v.Effective), Ref: v.SourceRef,
			URL:     p.URL(fmt.Sprintf("/plans/%d?version=%d", plan.Year, v.Number)),
			Changes: p.changes(plan, v), Edits: p.edits(plan, v),
		})
	}
	return out
}

// planVersionPage is a plan as one version published it.
type planVersionPage struct {
	basePage
	Plan     *models.Plan
	Version  *models.PlanVersion
	When     string
	Latest   bool
	Tasks    []versionTask
	Versions []versionView
	Outcomes outcomeBox
}

type versionTask struct {
	Code, Name string
	Rows       []versionRow
}

type versionRow struct {
	Program, Name, Target, Baseline, Basis string
	Due                                    string // a milestone's due date, in place of a target
	Changed                                bool
}

// parseVersion reads ?version=N: 0 when absent, 400 when not a number.
func parseVersion(c echo.Context) (int, error) {
	s := c.QueryParam("version")
	if s == "" {
		return 0, nil
	}
	n, ok := parseSmallInt(s, 4)
	if !ok || n < 1 {
		return 0, badRequest("error.version.format", s)
	}
	return n, nil
}

// renderPlanVersion shows the plan of year as version n published it.
func (h *Handler) renderPlanVersion(ctx context.Context, req pageRequest, years []int, year, n int) (int, string, []byte, error) {
	plan, err := h.store.Plan(ctx, year)
	if errors.Is(err, models.ErrNotFound) || err == nil && !slices.Contains(years, year) {
		return 0, "", nil, yearMissing(years, year)
	}
	if err != nil {
		return 0, "", nil, err
	}
	v := plan.Version(n)
	if v == nil {
		latest := 0
		if l := plan.Latest(); l != nil {
			latest = l.Number
		}
		return 0, "", nil, notFound("error.version.missing", n, plan.Year, latest)
	}
	p := &planVersionPage{Version: v, Latest: v == plan.Latest()}
	p.basePage = basePage{Lang: req.lang, Demo: h.demo || plan.Demo, Path: fmt.Sprintf("/plans/%d?version=%d", year, n),
		Year: year, Years: years, account: req.account}
	p.Plan = plan.AsPublished(n)
	p.When = p.VersionWhen(v.Number, v.Date, v.Effective)
	p.Title = p.T("version.title", p.Pick(plan.Title, plan.TitleEn), p.When)
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", plan.Year), URL: p.URL(fmt.Sprintf("/plans/%d", plan.Year))}, {Name: p.Lang.VersionName(n)}}
	for _, t := range p.Plan.Tasks {
		vt := versionTask{Code: t.Code, Name: p.Pick(t.Name, t.NameEn)}
		for _, prog := range t.Programs {
			if len(prog.Indicators) == 0 {
				vt.Rows = append(vt.Rows, versionRow{Program: p.Pick(prog.Name, prog.NameEn), Name: p.T("version.no.indicator")})
			}
			for i := range prog.Indicators {
				ind := &prog.Indicators[i]
				term := plan.TermIn(ind, n)
				row := versionRow{Program: p.Pick(prog.Name, prog.NameEn), Name: p.Pick(ind.Name, ind.NameEn), Changed: term.Revised()}
				switch {
				case !ind.Kind.Monthly():
					row.Due = p.Date(ind.DueDate)
				default:
					row.Target = p.Amount(ind.Target, ind)
					row.Baseline = p.Change(ind)
				}
				if term.Revised() {
					row.Basis = p.T("version.reason", term.Change.Reason)
				} else {
					row.Basis = p.basis(ind)
				}
				vt.Rows = append(vt.Rows, row)
			}
		}
		p.Tasks = append(p.Tasks, vt)
	}
	if _, err := h.nameFields(ctx, &p.basePage); err != nil {
		return 0, "", nil, err
	}
	p.Versions = p.versions(plan, n)
	p.Outcomes = p.outcomeBox(plan, n)
	return h.html("plan_version", p)
}

// planForOfficial loads the plan of the path's year for an official's
// page.
func (h *Handler) planForOfficial(c echo.Context) (*models.Plan, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return nil, err
	}
	plan, err := h.store.Plan(c.Request().Context(), year)
	if errors.Is(err, models.ErrNotFound) {
		return nil, notFound("error.plan.missing", year)
	}
	return plan, err
}

// revisionPage is the draft revision of a published plan, to review and
// publish.
type revisionPage struct {
	*formPage
	Plan     *models.Plan
	Draft    *models.PlanVersion
	Changes  []revisionChange
	Edits    []revisionEdit
	Versions []versionView
}

type monthChoice struct {
	Value, Label string
	Selected     bool
}

func (h *Handler) revisionPage(c echo.Context, plan *models.Plan) (*revisionPage, error) {
	p := &revisionPage{formPage: newFormPage(h.page(c, "revision.title")), Plan: plan, Draft: plan.DraftRevision()}
	if _, err := h.nameFields(c.Request().Context(), &p.basePage); err != nil {
		return nil, err
	}
	p.Year = plan.Year
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", plan.Year), URL: p.URL(fmt.Sprintf("/plans/%d", plan.Year))}, {Name: p.Title}}
	if p.Draft != nil {
		p.Changes = p.changes(plan, p.Draft)
		p.Edits = p.edits(plan, p.Draft)
	}
	today := h.store.Today()
	p.Values["date"] = today.Format(time.DateOnly)
	p.Values["effective"] = fmt.Sprintf("%d-%02d", plan.Year, models.EffectiveDefault(plan.Year, today))
	p.Versions = p.versions(plan, 0)
	return p, nil
}

// Months are the choices of the effective month: the plan year's, the
// one in the form selected.
func (p *revisionPage) Months() []monthChoice {
	out := make([]monthChoice, models.Months)
	for m := 1; m <= models.Months; m++ {
		v := fmt.Sprintf("%d-%02d", p.Plan.Year, m)
		out[m-1] = monthChoice{Value: v, Label: p.Lang.Month(m), Selected: v == p.Values["effective"]}
	}
	return out
}

// Revision shows a published plan's draft revision with the form that
// publishes it; a draft plan's page is its own (DraftPlan).
func (h *Handler) Revision(c echo.Context) error {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return err
	}
	if !plan.Published() {
		return back(c, withLang(fmt.Sprintf("/plans/%d/draft", plan.Year), parseLang(c.QueryParam("lang"))))
	}
	p, err := h.revisionPage(c, plan)
	if err != nil {
		return err
	}
	if c.QueryParam("added") != "" {
		p.Notice = p.T("revision.added")
	}
	return h.renderForm(c, http.StatusOK, "revision", p)
}

// PublishRevision publishes the draft revision as a 수정공시.
func (h *Handler) PublishRevision(c echo.Context) error {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return err
	}
	in := models.PublishInput{Year: plan.Year, Date: strings.TrimSpace(c.FormValue("date")), Effective: c.FormValue("effective"), From: origin(c)}
	err = h.store.PublishRevision(c.Request().Context(), currentUser(c), in)
	if err != nil {
		p, perr := h.revisionPage(c, plan)
		if perr != nil {
			return perr
		}
		p.Values["date"], p.Values["effective"] = in.Date, in.Effective
		if p.failValidation(err) {
			return h.renderForm(c, http.StatusUnprocessableEntity, "revision", p)
		}
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d?published=revision#versions", plan.Year), parseLang(c.FormValue("lang"))))
}

// RemoveChange takes a target change out of the draft revision.
func (h *Handler) RemoveChange(c echo.Context) error {
	return h.removeFromDraft(c, h.store.RemoveChange)
}

// RemoveEdit takes a field change out of the draft revision.
func (h *Handler) RemoveEdit(c echo.Context) error { return h.removeFromDraft(c, h.store.RemoveEdit) }

// removeFromDraft takes the change the path names out of the draft
// revision with remove, and goes back to the revision.
func (h *Handler) removeFromDraft(c echo.Context, remove func(context.Context, *models.User, int, uint) error) error {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return err
	}
	id, ok := parseSmallInt(c.Param("id"), 9)
	if !ok {
		return notFound("error.change", c.Param("id"))
	}
	if err := remove(c.Request().Context(), currentUser(c), year, uint(id)); err != nil {
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/revision", year), parseLang(c.FormValue("lang"))))
}

// RevisionSize counts the changes the draft revision waiting holds:
// targets and other fields alike.
func (p *planPage) RevisionSize() int {
	if p.Revision == nil {
		return 0
	}
	return len(p.Revision.Changes) + len(p.Revision.Edits)
}

// revisionEdit is one field change of a revision: the record and field,
// old → new, why.
type revisionEdit struct {
	ID                  uint
	Record, Field, Name string
	Old, New, Reason    string
}

// edits words a version's field changes.
func (p *basePage) edits(plan *models.Plan, v *models.PlanVersion) []revisionEdit {
	out := make([]revisionEdit, 0, len(v.Edits))
	for _, e := range v.Edits {
		out = append(out, p.editLabel(plan, e))
	}
	return out
}

// editLabel names a revision change's record and field and words its
// values: a field's old → new, or a record added or removed.
func (p *basePage) editLabel(plan *models.Plan, e models.PlanEdit) revisionEdit {
	if e.Record == "outcomes" && (e.Field == "target" || e.Field == "baseline") {
		return p.outcomeEdit(plan, e)
	}
	out := revisionEdit{ID: e.ID, Record: p.T("planupload.record." + e.Record), Field: p.T("edit.field." + e.Field),
		Name: p.recordName(plan, e.Record, e.RecordID), Reason: e.Reason}
	switch {
	case strings.HasPrefix(e.Field, models.DeltaAdd):
		name := models.EditName(e)
		out.Field, out.Name, out.Old, out.New = p.T("planupload.add"), p.Pick(name.Ko, name.En), p.T("ind.none"), p.Pick(name.Ko, name.En)
	case e.Field == models.DeltaRemove:
		name := models.EditName(e)
		out.Field, out.Name, out.Old, out.New = p.T("planupload.remove"), p.Pick(name.Ko, name.En), p.Pick(name.Ko, name.En), p.T("ind.none")
	default:
		out.Old, out.New = p.columnText(plan, e.Field, e.Old, nil), p.columnText(plan, e.Field, e.New, nil)
	}
	return out
}

// recordName is the name of a plan's record, or its ID when the plan has
// it no more.
func (p *basePage) recordName(plan *models.Plan, record string, id uint) string {
	switch record {
	case "tasks":
		for _, t := range plan.Tasks {
			if t.ID == id {
				return t.Code + " " + p.Pick(t.Name, t.NameEn)
			}
		}
	case "programs":
		if prog := plan.Program(id); prog != nil {
			return p.Pick(prog.Name, prog.NameEn)
		}
	case "indicators":
		if ind := indicatorsByID(plan)[id]; ind != nil {
			return p.Pick(ind.Name, ind.NameEn)
		}
	case "outcomes":
		for _, o := range plan.Outcomes {
			if o.ID == id {
				return p.Pick(o.Name, o.NameEn)
			}
		}
	case "plans":
		return p.Pick(plan.Title, plan.TitleEn)
	}
	return fmt.Sprint(id)
}

// columnText words the value of a plan record's field, stored as text
// (models.PlanDelta, models.PlanEdit); a target carries its monthly plan.
// plan names the task or programme a record moves to; it may be nil.
func (p *basePage) columnText(plan *models.Plan, field, text string, pacing models.Pacing) string {
	switch field {
	case "field":
		return p.fieldLabel(text)
	case "groups":
		return p.groupNames(&models.Program{Groups: text})
	case "budget":
		return p.budgetText(text)
	case "new", "headline":
		if text == "true" {
			return p.T("excel.yes")
		}
		return p.T("planupload.no")
	case "basis":
		if text != "" {
			return p.Basis(models.Basis(text))
		}
	case "kind":
		return p.T("ind.kind." + text)
	case "target":
		if len(pacing) == 0 {
			return text
		}
		vals := make([]string, len(pacing))
		for i, x := range pacing {
			vals[i] = formatValue(x)
		}
		return p.T("planupload.target.pacing", text, strings.Join(vals, ", "))
	case "task_id", "program_id":
		id, err := strconv.Atoi(text)
		if plan == nil || err != nil {
			return p.T("planupload.moved")
		}
		return p.recordName(plan, strings.TrimSuffix(field, "_id")+"s", uint(id))
	case "sort_order":
		n, _ := strconv.Atoi(text)
		return strconv.Itoa(n + 1)
	case "due_date":
		if d, err := time.Parse(time.DateOnly, text); err == nil {
			return p.Date(&d)
		}
	}
	if text == "" {
		return p.T("ind.none")
	}
	return text
}

// draftPage is a plan being written: its targets to decide and the form
// that publishes it.
type draftPage struct {
	*formPage
	Plan   *models.Plan
	Rows   []draftRow
	Review int // targets still needing review
	// Outcomes are the plan's outcome targets, each decided by a form of
	// its own.
	Outcomes []outcomeView
}

type draftRow struct {
	ID                     uint
	Task, Program, Name    string
	Milestone, NeedsReview bool
	Unit, Baseline         string
	Provisional            bool
	Field                  string
}

func (h *Handler) draftPage(c echo.Context, plan *models.Plan) *draftPage {
	p := &draftPage{formPage: newFormPage(h.page(c, "draft.title")), Plan: plan}
	p.Year = plan.Year
	p.Title = p.T("draft.title.year", plan.Year)
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", plan.Year), URL: p.URL(fmt.Sprintf("/plans/%d", plan.Year))}, {Name: p.T("draft.title")}}
	p.Values["date"] = h.store.Today().Format(time.DateOnly)
	for _, t := range plan.Tasks {
		for _, prog := range t.Programs {
			for _, ind := range prog.Indicators {
				row := draftRow{ID: ind.ID, Task: t.Code, Program: p.Pick(prog.Name, prog.NameEn), Name: p.Pick(ind.Name, ind.NameEn),
					Milestone: !ind.Kind.Monthly(), NeedsReview: ind.NeedsReview, Unit: p.Unit(&ind), Provisional: ind.BaselineProvisional}
				if row.Milestone {
					row.Field = fmt.Sprintf("due-%d", ind.ID)
					if ind.DueDate != nil {
						p.Values[row.Field] = ind.DueDate.Format(time.DateOnly)
					}
				} else {
					row.Field = fmt.Sprintf("target-%d", ind.ID)
					p.Values[row.Field] = formatValue(ind.Target)
					if ind.Baseline != nil {
						row.Baseline = p.T("draft.baseline", p.Amount(*ind.Baseline, &ind), ind.BaselineYear)
					}
				}
				if ind.NeedsReview {
					p.Review++
				}
				p.Rows = append(p.Rows, row)
			}
		}
	}
	p.draftOutcomes(plan)
	return p
}

// DraftPlan shows a plan being written, for officials.
func (h *Handler) DraftPlan(c echo.Context) error {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return err
	}
	if plan.Published() {
		return back(c, withLang(fmt.Sprintf("/plans/%d", plan.Year), parseLang(c.QueryParam("lang"))))
	}
	p := h.draftPage(c, plan)
	switch c.QueryParam("done") {
	case "targets":
		p.Notice = p.T("draft.targets.done")
	case "copied":
		p.Notice = p.T("draft.copied", plan.CopiedFrom)
	case "uploaded":
		p.Notice = p.T("draft.uploaded")
	}
	return h.renderForm(c, http.StatusOK, "draft", p)
}

// DecideTargets sets a draft plan's targets from the draft page, all or
// nothing. A published plan's targets change only by revision: 409.
func (h *Handler) DecideTargets(c echo.Context) error {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return badRequest("error.form")
	}
	var ds []models.TargetDecision
	for key, vals := range form {
		kind, idText, ok := strings.Cut(key, "-")
		id, err := strconv.ParseUint(idText, 10, 32)
		if !ok || err != nil || (kind != "target" && kind != "due") {
			continue
		}
		d := models.TargetDecision{ID: uint(id)}
		if kind == "target" {
			d.Target = strings.TrimSpace(vals[0])
		} else {
			d.Due = strings.TrimSpace(vals[0])
		}
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].ID < ds[j].ID })
	if len(ds) == 0 {
		return badRequest("error.targets.none")
	}
	err = h.store.DecideTargets(c.Request().Context(), currentUser(c), plan.Year, ds)
	if err != nil {
		if errors.Is(err, models.ErrPublished) {
			return err
		}
		p := h.draftPage(c, plan)
		for key, vals := range form {
			if strings.HasPrefix(key, "target-") || strings.HasPrefix(key, "due-") {
				p.Values[key] = vals[0]
			}
		}
		if p.failValidation(err) {
			return h.renderForm(c, http.StatusUnprocessableEntity, "draft", p)
		}
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/draft?done=targets", plan.Year), parseLang(c.FormValue("lang"))))
}

// PublishPlan publishes a draft plan: its 원공시.
func (h *Handler) PublishPlan(c echo.Context) error {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return err
	}
	in := models.PublishInput{Year: plan.Year, Date: strings.TrimSpace(c.FormValue("date")), From: origin(c)}
	err = h.store.PublishPlan(c.Request().Context(), currentUser(c), in)
	if err != nil {
		p := h.draftPage(c, plan)
		p.Values["date"] = in.Date
		if p.failValidation(err) {
			return h.renderForm(c, http.StatusUnprocessableEntity, "draft", p)
		}
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d?published=plan#versions", plan.Year), parseLang(c.FormValue("lang"))))
}

// CopyPlan makes the draft of a later year from this published plan
// (다음 연도 계획 만들기).
func (h *Handler) CopyPlan(c echo.Context) error {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return err
	}
	to, ok := parseSmallInt(c.FormValue("to"), 4)
	if !ok {
		return badRequest("error.copy.year", c.FormValue("to"))
	}
	if _, err := h.store.CopyPlan(c.Request().Context(), currentUser(c), year, to, origin(c)); err != nil {
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/draft?done=copied", to), parseLang(c.FormValue("lang"))))
}

// copyYears are the years a published plan can be copied into: the
// following ones up to next year that have no plan.
func copyYears(plan *models.Plan, years []int, now time.Time) []int {
	var out []int
	last := max(now.In(models.KST).Year()+1, plan.Year+1)
	for y := plan.Year + 1; y <= last; y++ {
		if !slices.Contains(years, y) {
			out = append(out, y)
		}
	}
	return out
}
