package handlers

// The plan's outcome targets (공통목표) as the pages show them, and the
// official's page that enters their results and changes their targets.

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// outcomeView is an outcome target as a page shows it.
type outcomeView struct {
	ID          uint
	Name        string
	Target      string
	Baseline    string // last year's result with its year, or that there is none
	Latest      *resultView
	NeedsReview bool
}

// resultView is one released result of an outcome.
type resultView struct {
	Period      string // 2020년 연간
	Value       string
	Released    string // the date, or 발표일 미상
	Provisional bool
	Source      string
	By          string
	History     []resultView // the releases it replaced (이전 발표), newest first
}

// outcomeBox is the 공통목표 section of a plan page: the outcomes, the
// link to their entry page for officials, and whether the plan's
// programmes are not entered yet.
type outcomeBox struct {
	Page       *basePage
	Items      []outcomeView
	EditURL    string
	NoPrograms bool
}

// outcomeAmount writes a value of an outcome with its unit: 66.9%,
// 227,630명; a dash for none.
func (p *basePage) outcomeAmount(o *models.Outcome, v *float64) string {
	if v == nil {
		return p.T("ind.none")
	}
	if o.IsPercent() {
		return p.T("outcome.percent", formatNumber(o.Round(*v)))
	}
	return p.T("amount", formatNumber(o.Round(*v)), p.Pick(o.Unit, o.UnitEn))
}

// PeriodName names a result's reference period: 2020년 상반기.
func (p *basePage) PeriodName(year int, period models.OutcomePeriod) string {
	return p.T("outcome.period."+string(period), year)
}

func (p *basePage) resultView(o *models.Outcome, r *models.OutcomeResult, history bool) *resultView {
	v := &resultView{Period: p.PeriodName(r.Year, r.Period), Value: p.outcomeAmount(o, &r.Value), Released: p.T("outcome.released.unknown"),
		Provisional: r.Provisional, Source: r.SourceText, By: r.By}
	if r.Released != nil {
		v.Released = p.Date(r.Released)
	}
	if history {
		for _, h := range o.History(r) {
			v.History = append(v.History, *p.resultView(o, h, false))
		}
	}
	return v
}

// outcomeView describes an outcome; version > 0 shows the target that
// version published.
func (p *basePage) outcomeView(plan *models.Plan, o *models.Outcome, version int) outcomeView {
	v := outcomeView{ID: o.ID, Name: p.Pick(o.Name, o.NameEn), NeedsReview: o.NeedsReview, Baseline: p.T("ind.baseline.no")}
	target := o.Target
	if version > 0 {
		target = parseNumberText(plan.FieldIn(o.TargetRef(), o.TargetText(), version))
	}
	v.Target = p.outcomeAmount(o, target)
	if o.Baseline != nil {
		v.Baseline = p.T("outcome.baseline", p.outcomeAmount(o, o.Baseline), o.BaselineYear)
	}
	if r := o.Latest(); r != nil {
		v.Latest = p.resultView(o, r, false)
	}
	return v
}

// parseNumberText reads a number an edit keeps as text; nil for none.
func parseNumberText(s string) *float64 {
	v, err := models.ParseValue(s, models.Strict)
	if s == "" || err != nil {
		return nil
	}
	return &v
}

// outcomeBox is the 공통목표 section of the plan as version published it
// (0: as it stands).
func (p *basePage) outcomeBox(plan *models.Plan, version int) outcomeBox {
	b := outcomeBox{Page: p}
	for i := range plan.Outcomes {
		b.Items = append(b.Items, p.outcomeView(plan, &plan.Outcomes[i], version))
	}
	if version == 0 && p.Can(models.RoleOfficial) && len(plan.Outcomes) > 0 {
		b.EditURL = p.URL(fmt.Sprintf("/plans/%d/outcomes", plan.Year))
	}
	b.NoPrograms = true
	for _, t := range plan.Tasks {
		if len(t.Programs) > 0 {
			b.NoPrograms = false
		}
	}
	return b
}

// outcomesPage is the officials' page of a plan's outcomes: every result
// with its history, a form that adds one, and a form that changes the
// target. Field ids carry the outcome (o12-value).
type outcomesPage struct {
	*formPage
	Plan  *models.Plan
	Items []outcomeEntry
}

type outcomeEntry struct {
	outcomeView
	Unit    string
	Results []*resultView
}

// F is the id of an outcome's form field.
func (p *outcomesPage) F(id uint, name string) string { return fmt.Sprintf("o%d-%s", id, name) }

// Periods lists the reference periods, for the form's select.
func (p *outcomesPage) Periods() []models.OutcomePeriod {
	return []models.OutcomePeriod{models.PeriodYear, models.PeriodFirstHalf, models.PeriodSecondHalf}
}

func (h *Handler) outcomesPage(c echo.Context, plan *models.Plan) *outcomesPage {
	p := &outcomesPage{formPage: newFormPage(h.page(c, "outcome.page.title")), Plan: plan}
	p.Year = plan.Year
	p.Title = p.T("outcome.page.title.year", plan.Year)
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", plan.Year), URL: p.URL(fmt.Sprintf("/plans/%d", plan.Year))}, {Name: p.T("outcome.title")}}
	for i := range plan.Outcomes {
		o := &plan.Outcomes[i]
		e := outcomeEntry{outcomeView: p.outcomeView(plan, o, 0), Unit: p.Pick(o.Unit, o.UnitEn)}
		for _, r := range o.Current() {
			e.Results = append(e.Results, p.resultView(o, r, true))
		}
		p.Values[p.F(o.ID, "year")] = fmt.Sprint(plan.Year)
		p.Values[p.F(o.ID, "target")] = o.TargetText()
		p.Items = append(p.Items, e)
	}
	return p
}

// outcomeForm reads the fields of outcome id's form, whose names carry
// the outcome (o12-value) as their ids do.
func outcomeForm(c echo.Context, id uint) func(string) string {
	return func(name string) string { return c.FormValue(fmt.Sprintf("o%d-%s", id, name)) }
}

// outcomePath reads /plans/:year/outcomes/:id.
func outcomePath(c echo.Context) (int, uint, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return 0, 0, err
	}
	id, ok := parseSmallInt(c.Param("id"), 9)
	if !ok {
		return 0, 0, notFound("error.outcome", c.Param("id"))
	}
	return year, uint(id), nil
}

// Outcomes shows a plan's outcomes with their results, for officials.
func (h *Handler) Outcomes(c echo.Context) error {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return err
	}
	p := h.outcomesPage(c, plan)
	if c.QueryParam("added") != "" {
		p.Notice = p.T("outcome.added")
	}
	return h.renderForm(c, http.StatusOK, "outcomes", p)
}

// AddOutcomeResult records a released result of an outcome.
func (h *Handler) AddOutcomeResult(c echo.Context) error {
	year, id, err := outcomePath(c)
	if err != nil {
		return err
	}
	fv := outcomeForm(c, id)
	in := models.OutcomeResultInput{Year: fv("year"), Period: fv("period"), Value: fv("value"),
		Released: fv("released"), Provisional: fv("provisional") != "", Source: fv("source")}
	err = h.store.AddOutcomeResult(c.Request().Context(), currentUser(c), year, id, in)
	if errors.Is(err, models.ErrNotFound) {
		return notFound("error.outcome", c.Param("id"))
	}
	if err != nil {
		return h.outcomeFormError(c, year, id, err, map[string]string{"year": in.Year, "period": in.Period, "value": in.Value,
			"released": in.Released, "provisional": fv("provisional"), "source": in.Source})
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/outcomes?added=1#outcome-%d", year, id), parseLang(c.FormValue("lang"))))
}

// SetOutcomeTarget changes an outcome's target: in place in a draft plan,
// by revision (수정공시) in a published one.
func (h *Handler) SetOutcomeTarget(c echo.Context) error {
	year, id, err := outcomePath(c)
	if err != nil {
		return err
	}
	fv := outcomeForm(c, id)
	in := models.OutcomeTargetInput{Target: strings.TrimSpace(fv("target")), Reason: fv("reason")}
	revised, err := h.store.SetOutcomeTarget(c.Request().Context(), currentUser(c), year, id, in)
	if errors.Is(err, models.ErrNotFound) {
		return notFound("error.outcome", c.Param("id"))
	}
	lang := parseLang(c.FormValue("lang"))
	switch {
	case err != nil:
		return h.outcomeFormError(c, year, id, err, map[string]string{"target": in.Target, "reason": in.Reason})
	case revised:
		return back(c, withLang(fmt.Sprintf("/plans/%d/revision?added=1", year), lang))
	case c.FormValue("from") == "draft":
		return back(c, withLang(fmt.Sprintf("/plans/%d/draft?done=targets", year), lang))
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/outcomes?added=1#outcome-%d", year, id), lang))
}

// outcomeFormError shows the outcomes page again with what was typed in
// outcome id's form and each problem next to its field (422); a draft
// plan's draft page when the form was there.
func (h *Handler) outcomeFormError(c echo.Context, year int, id uint, err error, typed map[string]string) error {
	plan, perr := h.store.Plan(c.Request().Context(), year)
	if perr != nil {
		return perr
	}
	if c.FormValue("from") == "draft" && !plan.Published() {
		p := h.draftPage(c, plan)
		if !p.failValidation(prefixProblems(err, fmt.Sprintf("o%d-", id))) {
			return err
		}
		p.Values[fmt.Sprintf("o%d-target", id)] = typed["target"]
		return h.renderForm(c, http.StatusUnprocessableEntity, "draft", p)
	}
	p := h.outcomesPage(c, plan)
	if !p.failValidation(prefixProblems(err, fmt.Sprintf("o%d-", id))) {
		return err
	}
	for k, v := range typed {
		p.Values[p.F(id, k)] = v
	}
	return h.renderForm(c, http.StatusUnprocessableEntity, "outcomes", p)
}

// prefixProblems is err with every problem's path prefixed, or err itself
// when it lists none.
func prefixProblems(err error, prefix string) error {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	out := &models.ValidationError{}
	for _, pr := range v.Problems {
		pr.Path = prefix + pr.Path
		out.Problems = append(out.Problems, pr)
	}
	return out
}

// outcomeEdit words a change of an outcome's field in a revision.
func (p *basePage) outcomeEdit(plan *models.Plan, e models.PlanEdit) revisionEdit {
	out := revisionEdit{ID: e.ID, Record: p.T("outcome.title"), Field: e.Field, Name: fmt.Sprint(e.RecordID), Old: e.Old, New: e.New, Reason: e.Reason}
	for i := range plan.Outcomes {
		if o := &plan.Outcomes[i]; o.ID == e.RecordID {
			out.Name, out.Field = p.Pick(o.Name, o.NameEn), p.T("outcome.field."+e.Field)
			out.Old, out.New = p.outcomeAmount(o, parseNumberText(e.Old)), p.outcomeAmount(o, parseNumberText(e.New))
		}
	}
	return out
}

// draftOutcomes gives the draft page its outcome targets to decide, each
// in a field of its own (o12-target).
func (p *draftPage) draftOutcomes(plan *models.Plan) {
	for i := range plan.Outcomes {
		o := &plan.Outcomes[i]
		p.Outcomes = append(p.Outcomes, p.outcomeView(plan, o, 0))
		p.Values[fmt.Sprintf("o%d-target", o.ID)] = o.TargetText()
		if o.NeedsReview {
			p.Review++
		}
	}
}

// apiOutcome is an outcome target in GET /api/v1/plans/{year}.
type apiOutcome struct {
	ID           uint               `json:"id"`
	Code         string             `json:"code"`
	Name         string             `json:"name"`
	NameEn       string             `json:"name_en,omitempty"`
	Unit         string             `json:"unit"`
	Target       *float64           `json:"target"`
	Baseline     *float64           `json:"baseline"`
	BaselineYear int                `json:"baseline_year,omitempty"`
	NeedsReview  bool               `json:"needs_review"`
	Source       models.Source      `json:"source"`
	Results      []apiOutcomeResult `json:"results"`
}

// apiOutcomeResult is an outcome's current result for a year and period.
type apiOutcomeResult struct {
	Year        int                  `json:"year"`
	Period      models.OutcomePeriod `json:"period"`
	Value       float64              `json:"value"`
	Released    *string              `json:"released"`
	Provisional bool                 `json:"provisional"`
	Source      string               `json:"source"`
}

func outcomesJSON(plan *models.Plan) []apiOutcome {
	out := []apiOutcome{}
	for i := range plan.Outcomes {
		o := &plan.Outcomes[i]
		a := apiOutcome{ID: o.ID, Code: o.Code, Name: o.Name, NameEn: o.NameEn, Unit: o.Unit, Target: o.Target, Baseline: o.Baseline,
			BaselineYear: o.BaselineYear, NeedsReview: o.NeedsReview, Source: o.Source, Results: []apiOutcomeResult{}}
		for _, r := range o.Current() {
			ar := apiOutcomeResult{Year: r.Year, Period: r.Period, Value: r.Value, Provisional: r.Provisional, Source: r.SourceText}
			if r.Released != nil {
				d := r.Released.Format(time.DateOnly)
				ar.Released = &d
			}
			a.Results = append(a.Results, ar)
		}
		out = append(out, a)
	}
	return out
}

// OF describes a text field of outcome id's form: its field name, label
// key, optional hint key and, for a value, the unit the label names.
func (p *outcomesPage) OF(id uint, name, label, hint string, unit ...string) textField {
	f := p.F(id, name)
	tf := textField{Type: "text", Name: f, Label: p.T(label, toAny(unit)...), Value: p.Values[f], Auto: "off", Error: p.Errors[f]}
	if hint != "" {
		tf.Hint = p.T(hint)
	}
	return tf
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// TargetHint is the catalogue key of the target form's hint: a published
// plan's target changes by revision, a draft's at once.
func (p *outcomesPage) TargetHint() string {
	if p.Plan.Published() {
		return "outcome.target.hint.true"
	}
	return "outcome.target.hint.false"
}
