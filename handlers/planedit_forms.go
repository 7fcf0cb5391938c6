package handlers

// The plan editor's record forms: a task, a programme, an indicator or an
// outcome target, edited or added. A form shows the record as the plan
// file has it; its answer changes that record in the plan file, which
// the store checks whole and writes (see planedit.go).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// recordFields are the form fields of each record, in the form's order.
var recordFields = map[string][]string{
	recTasks: {"code", "name", "name_en"},
	recPrograms: {"name", "name_en", "description", "description_en", "department", "field", "groups", "new",
		"budget_national", "budget_provincial", "budget_city", "budget_other", "source_ref", "source_quote"},
	recIndicators: {"name", "name_en", "unit", "unit_en", "basis", "kind", "headline", "target", "baseline",
		"baseline_year", "target_note", "target_note_en", "pacing", "due", "weight", "source_ref", "source_quote"},
	recOutcomes: {"code", "name", "name_en", "unit", "unit_en", "target", "baseline", "baseline_year", "source_ref",
		"source_quote"},
}

// checkboxes are the fields that a form leaves out when they are not
// ticked.
var checkboxes = []string{"new", "headline", "groups"}

// recordPage is the form of one record of a plan, to edit or to add.
type recordPage struct {
	*formPage
	Plan   *models.Plan
	Record string // tasks, programs, indicators or outcomes
	ID     uint   // the record's; 0 for a new one
	// Parent names what a new record goes under.
	Parent string
	Action string // the form's path
	// Revising says the change goes into the draft revision; Fills that
	// it completes the 원공시.
	Revising, Fills bool
	Fields          []models.ProgramField
	Groups          []models.Group
	Checked         map[string]bool
	Departments     []string
	Sources         []string // the budget sources
	// back is the anchor of the record (or its parent) in the tree.
	back string
}

// BudgetID is the form field of a budget source (budget-fields).
func (p *recordPage) BudgetID(src string) string { return "budget_" + src }

// NeedReason says the form asks why: a change of a published plan that
// does not complete its 원공시.
func (p *recordPage) NeedReason() bool { return p.Revising && !p.Fills }

// Help says where the change goes.
func (p *recordPage) Help() string { return editHelp(&p.basePage, p.Revising, p.Fills) }

// BackURL is the editor's tree at the record.
func (p *recordPage) BackURL() string {
	return p.URL(fmt.Sprintf("/plans/%d/edit", p.Year)) + "#" + p.back
}

// NewDepartment is the typed 담당부서 when the department list lacks it:
// the form then offers to add it.
func (p *recordPage) NewDepartment() string {
	d := strings.TrimSpace(p.Values["department"])
	if d == "" || slices.Contains(p.Departments, d) {
		return ""
	}
	return d
}

// choice is an option of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

// editSelect is a select field for the form's select partial.
type editSelect struct {
	textField
	Options []choice
}

// Select describes the select field name with its options.
func (p *recordPage) Select(name, label, hint string) editSelect {
	s := editSelect{textField: p.TF(name, label, "", hint)}
	add := func(value, label string) {
		s.Options = append(s.Options, choice{value, label, value == p.Values[name]})
	}
	switch name {
	case "field":
		add("", p.T("field.none"))
		for _, f := range p.Fields {
			add(f.Code, p.Pick(f.Name, f.NameEn))
		}
	case "kind":
		for _, k := range []models.Kind{models.KindFlow, models.KindStock, models.KindMilestone} {
			add(string(k), p.T("ind.kind."+string(k)))
		}
	case "basis":
		add("", p.T("planedit.basis.none"))
		for _, b := range models.Bases {
			add(string(b), p.Basis(b))
		}
	}
	return s
}

// Check describes a single checkbox.
func (p *recordPage) Check(name, label, hint string) textField {
	return p.TF(name, label, "", hint)
}

func (h *Handler) recordPage(c echo.Context, plan *models.Plan, record string, id uint) (*recordPage, error) {
	ctx := c.Request().Context()
	p := &recordPage{formPage: newFormPage(h.page(c, "planedit.title")), Plan: plan, Record: record, ID: id,
		Revising: plan.Published(), Fills: plan.FillsOriginal(), Groups: models.Groups, Checked: map[string]bool{},
		Sources: models.BudgetSources}
	p.Year = plan.Year
	var err error
	if p.Fields, err = h.store.Fields(ctx); err != nil {
		return nil, err
	}
	if record == recPrograms {
		if p.Departments, err = h.store.DepartmentNames(ctx); err != nil {
			return nil, err
		}
	}
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", plan.Year), URL: p.URL(fmt.Sprintf("/plans/%d", plan.Year))},
		{Name: p.T("planedit.title"), URL: p.URL(fmt.Sprintf("/plans/%d/edit", plan.Year))}}
	return p, nil
}

// titled names the page: what it does to what.
func (p *recordPage) titled(name string) {
	if p.ID == 0 {
		p.Title = p.T("planedit.add." + p.Record)
	} else {
		p.Title = p.T("planedit.edit.title", p.T("planedit.record."+p.Record), name)
	}
	p.Crumbs = append(p.Crumbs, crumb{Name: p.Title})
}

// recordRoute is one record form's route: how it finds its record (or
// its parent) in the plan file, and where the record goes.
type recordRoute struct {
	record string
	add    bool // the path's ID is the parent's: the form adds a record
}

// The record forms: each edits a record, or adds one under the path's ID.
var (
	editTaskForm      = recordRoute{recTasks, false}
	addTask           = recordRoute{recTasks, true}
	editProgramForm   = recordRoute{recPrograms, false}
	addProgram        = recordRoute{recPrograms, true}
	editIndicatorForm = recordRoute{recIndicators, false}
	addIndicator      = recordRoute{recIndicators, true}
	editOutcomeForm   = recordRoute{recOutcomes, false}
	addOutcome        = recordRoute{recOutcomes, true}
)

// parent is the record a new one of this route goes under.
func (r recordRoute) parent() string {
	switch r.record {
	case recPrograms:
		return recTasks
	case recIndicators:
		return recPrograms
	}
	return "" // the plan itself
}

// load finds the route's record (or, to add, its parent) in the plan of
// the path's year and builds its form page.
func (h *Handler) loadRecordForm(c echo.Context, r recordRoute) (*recordPage, *models.PlanFile, spot, error) {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return nil, nil, spot{}, err
	}
	ref := editRef{Record: r.record}
	if r.add {
		ref.Record = r.parent()
	}
	if ref.Record != "" {
		id, ok := parseSmallInt(c.Param("id"), 9)
		if !ok {
			return nil, nil, spot{}, notFound("planedit.record.missing", c.Param("id"))
		}
		ref.ID = uint(id)
	}
	pf := plan.File()
	s := spot{-1, -1, -1, -1}
	if ref.Record != "" {
		var ok bool
		if s, ok = ref.find(pf); !ok {
			return nil, nil, s, notFound("planedit.record.missing", c.Param("id"))
		}
	}
	id := ref.ID
	if r.add {
		id = 0
	}
	p, err := h.recordPage(c, plan, r.record, id)
	if err != nil {
		return nil, nil, s, err
	}
	p.Action = c.Request().URL.Path
	if ref.Record != "" {
		p.back = editNode{Record: ref.Record, ID: ref.ID}.Anchor()
	}
	if r.add && ref.Record != "" {
		name, _ := ref.name(&p.basePage, pf, s)
		p.Parent = p.T("planedit.add.under", p.T("planedit.record."+ref.Record), name)
	}
	return p, pf, s, nil
}

// RecordForm shows the form of a record, or of a new one.
func (h *Handler) RecordForm(r recordRoute) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, pf, s, err := h.loadRecordForm(c, r)
		if err != nil {
			return err
		}
		name := ""
		if r.add {
			p.newValues()
		} else {
			name = p.fill(pf, s)
		}
		p.titled(name)
		return h.renderForm(c, http.StatusOK, "plan_edit_record", p)
	}
}

// SaveRecord changes a record, or adds one, from its form.
func (h *Handler) SaveRecord(r recordRoute) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, pf, s, err := h.loadRecordForm(c, r)
		if err != nil {
			return err
		}
		form, err := c.FormParams()
		if err != nil {
			return badRequest("error.form")
		}
		name := ""
		if !r.add {
			name = p.fill(pf, s) // the name the record has, for the title
		}
		p.titled(name)
		path := p.place(pf, s, r.add, form)
		if len(p.Errors) > 0 {
			p.checkFile(pf)
			return h.renderForm(c, http.StatusUnprocessableEntity, "plan_edit_record", p)
		}
		in := models.PlanWrite{Year: p.Year, File: pf, Reason: p.Values["reason"], From: origin(c)}
		if form.Get("add_department") != "" && p.Values["department"] != "" {
			in.Departments = []string{p.Values["department"]}
		}
		written, err := h.store.ApplyPlanFile(c.Request().Context(), currentUser(c), in)
		if p.failEdit(err, p.fieldNames()) {
			return h.renderForm(c, http.StatusUnprocessableEntity, "plan_edit_record", p)
		}
		if err != nil {
			return err
		}
		done, anchor := "saved", path
		if r.add {
			done, anchor = "added", p.back
		}
		return back(c, editedPath(p.Year, written, done, anchor, p.Lang))
	}
}

// fieldNames are the fields the page's form has.
func (p *recordPage) fieldNames() []string {
	fields := recordFields[p.Record]
	if p.NeedReason() {
		fields = append(slices.Clone(fields), "reason")
	}
	return fields
}

// checkFile adds the problems the store would find in the plan file to
// those of the form, so that the form says them all at once.
func (p *recordPage) checkFile(pf *models.PlanFile) {
	_, err := models.DiffPlan(p.Plan, pf, fieldCodes(p.Fields))
	p.failEdit(err, p.fieldNames())
}

// fill puts the record at s into the form's values and returns its name.
func (p *recordPage) fill(pf *models.PlanFile, s spot) string {
	v := p.Values
	switch p.Record {
	case recTasks:
		t := pf.Tasks[s.task]
		v["code"], v["name"], v["name_en"] = t.Code, t.Name, t.NameEn
		return t.Code + " " + p.Pick(t.Name, t.NameEn)
	case recPrograms:
		prog := pf.Tasks[s.task].Programs[s.prog]
		v["name"], v["name_en"], v["description"], v["description_en"] = prog.Name, prog.NameEn, prog.Description, prog.DescriptionEn
		v["department"], v["field"] = prog.Department, prog.Field
		v["source_ref"], v["source_quote"] = prog.Source.SourceRef, prog.Source.SourceQuote
		if prog.New {
			v["new"] = "1"
		}
		for _, g := range prog.Groups {
			p.Checked[g] = true
		}
		for i, a := range prog.Budget.Amounts() {
			v["budget_"+models.BudgetSources[i]] = numText(a)
		}
		return p.Pick(prog.Name, prog.NameEn)
	case recIndicators:
		ind := pf.Tasks[s.task].Programs[s.prog].Indicators[s.ind]
		v["name"], v["name_en"], v["unit"], v["unit_en"] = ind.Name, ind.NameEn, ind.Unit, ind.UnitEn
		v["basis"], v["kind"], v["target"], v["baseline"] = string(ind.Basis), string(ind.Kind), numText(ind.Target), numText(ind.Baseline)
		v["target_note"], v["target_note_en"], v["due"], v["weight"] = ind.TargetNote, ind.TargetNoteEn, ind.Due, numText(ind.Weight)
		v["source_ref"], v["source_quote"] = ind.Source.SourceRef, ind.Source.SourceQuote
		if ind.BaselineYear != 0 {
			v["baseline_year"] = strconv.Itoa(ind.BaselineYear)
		}
		if ind.Headline {
			v["headline"] = "1"
		}
		var pacing []float64
		if json.Unmarshal(ind.Pacing, &pacing) == nil && len(pacing) == models.Months {
			parts := make([]string, len(pacing))
			for i, x := range pacing {
				parts[i] = formatValue(x)
			}
			v["pacing"] = strings.Join(parts, ", ")
		}
		return p.Pick(ind.Name, ind.NameEn)
	}
	o := pf.Outcomes[s.outcome]
	v["code"], v["name"], v["name_en"], v["unit"], v["unit_en"] = o.Code, o.Name, o.NameEn, o.Unit, o.UnitEn
	v["target"], v["baseline"], v["source_ref"], v["source_quote"] = numText(o.Target), numText(o.Baseline), o.Source.SourceRef, o.Source.SourceQuote
	if o.BaselineYear != 0 {
		v["baseline_year"] = strconv.Itoa(o.BaselineYear)
	}
	return p.Pick(o.Name, o.NameEn)
}

// newValues are a new record's first values.
func (p *recordPage) newValues() {
	if p.Record == recIndicators {
		p.Values["kind"] = string(models.KindFlow)
	}
}

func numText(f *float64) string {
	if f == nil {
		return ""
	}
	return formatValue(*f)
}

// place reads the form into the record at s, or into a new record under
// it, and returns the record's anchor in the tree ("" for a new one).
// Values it cannot read are problems of the page.
func (p *recordPage) place(pf *models.PlanFile, s spot, add bool, form map[string][]string) string {
	// A text field the form leaves out keeps its value; a checkbox left
	// out is not ticked.
	get := func(name string) string {
		vals, sent := form[name]
		if !sent && !slices.Contains(checkboxes, name) {
			return p.Values[name]
		}
		v := ""
		if len(vals) > 0 {
			v = strings.TrimSpace(vals[0])
		}
		p.Values[name] = v
		return v
	}
	if p.NeedReason() {
		get("reason")
	}
	for _, name := range recordFields[p.Record] {
		get(name)
	}
	clear(p.Checked)
	for _, g := range form["groups"] {
		p.Checked[g] = true
	}
	switch p.Record {
	case recTasks:
		var t *models.TaskFile
		if add {
			pf.Tasks = append(pf.Tasks, models.TaskFile{})
			t = &pf.Tasks[len(pf.Tasks)-1]
		} else {
			t = &pf.Tasks[s.task]
		}
		t.Code, t.Name, t.NameEn = p.Values["code"], p.Values["name"], p.Values["name_en"]
		return editNode{Record: recTasks, ID: t.ID}.Anchor()
	case recPrograms:
		t := &pf.Tasks[s.task]
		if add {
			t.Programs = append(t.Programs, models.ProgramFile{})
			s.prog = len(t.Programs) - 1
		}
		prog := &t.Programs[s.prog]
		p.readProgram(prog, form["groups"])
		return editNode{Record: recPrograms, ID: prog.ID}.Anchor()
	case recIndicators:
		prog := &pf.Tasks[s.task].Programs[s.prog]
		if add {
			prog.Indicators = append(prog.Indicators, models.IndicatorFile{})
			s.ind = len(prog.Indicators) - 1
		}
		ind := &prog.Indicators[s.ind]
		p.readIndicator(ind)
		return editNode{Record: recIndicators, ID: ind.ID}.Anchor()
	}
	if add {
		pf.Outcomes = append(pf.Outcomes, models.OutcomeFile{})
		s.outcome = len(pf.Outcomes) - 1
	}
	o := &pf.Outcomes[s.outcome]
	o.Code, o.Name, o.NameEn, o.Unit, o.UnitEn = p.Values["code"], p.Values["name"], p.Values["name_en"], p.Values["unit"], p.Values["unit_en"]
	o.Target, o.Baseline, o.BaselineYear = p.number("target"), p.number("baseline"), p.year("baseline_year")
	o.Source = models.Source{SourceRef: p.Values["source_ref"], SourceQuote: p.Values["source_quote"]}
	return editNode{Record: recOutcomes, ID: o.ID}.Anchor()
}

func (p *recordPage) readProgram(prog *models.ProgramFile, groups []string) {
	v := p.Values
	prog.Name, prog.NameEn, prog.Description, prog.DescriptionEn = v["name"], v["name_en"], v["description"], v["description_en"]
	prog.Department, prog.Field, prog.New = v["department"], v["field"], v["new"] != ""
	prog.Groups = groups
	prog.Budget = models.Budget{National: p.number("budget_national"), Provincial: p.number("budget_provincial"),
		City: p.number("budget_city"), Other: p.number("budget_other")}
	prog.Source = models.Source{SourceRef: v["source_ref"], SourceQuote: v["source_quote"]}
}

func (p *recordPage) readIndicator(ind *models.IndicatorFile) {
	v := p.Values
	ind.Name, ind.NameEn, ind.Unit, ind.UnitEn = v["name"], v["name_en"], v["unit"], v["unit_en"]
	ind.Basis, ind.Kind, ind.Headline = models.Basis(v["basis"]), models.Kind(v["kind"]), v["headline"] != ""
	ind.Target, ind.Baseline, ind.BaselineYear = p.number("target"), p.number("baseline"), p.year("baseline_year")
	ind.TargetNote, ind.TargetNoteEn, ind.Due, ind.Weight = v["target_note"], v["target_note_en"], v["due"], p.number("weight")
	ind.Source = models.Source{SourceRef: v["source_ref"], SourceQuote: v["source_quote"]}
	ind.Pacing = nil
	if !ind.Kind.Monthly() {
		ind.Target = nil // a milestone is done or not; File never gives it one
	}
	pacing, err := models.ParsePacingText(v["pacing"])
	switch {
	case p.failEdit(err, []string{"pacing"}):
	case pacing == nil:
	default:
		ind.Pacing, _ = json.Marshal([]float64(pacing))
	}
}

// number reads an optional number field: nil when it is empty or not a
// number, which is then a problem of the field.
func (p *recordPage) number(field string) *float64 {
	s := p.Values[field]
	if s == "" {
		return nil
	}
	x, pr := models.ParseValue(s, models.Typed)
	if pr != nil {
		p.fail(field, p.Lang.Problem(*pr))
		return nil
	}
	return &x
}

// year reads an optional year field: 0 when it is empty.
func (p *recordPage) year(field string) int {
	s := p.Values[field]
	if s == "" {
		return 0
	}
	y, ok := parseSmallInt(s, 4)
	if !ok || y < 1990 {
		p.fail(field, p.T("planedit.say.year"))
	}
	return y
}
