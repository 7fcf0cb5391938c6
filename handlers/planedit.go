package handlers

// The plan editor: officials write a plan's tasks, programmes, indicators
// and outcome targets (공통목표) on forms, and add, move and remove them.
// Every change is the stored plan as a plan file (models.Plan.File) with
// the one change made, which Store.ApplyPlanFile writes: in place in a
// draft plan, into the draft revision (수정공시 초안) of a published one.
// This file holds the tree, the new plan, moves and removals; the record
// forms are in planedit_forms.go.

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// The records the editor changes, by their plan-file names.
const (
	recTasks      = "tasks"
	recPrograms   = "programs"
	recIndicators = "indicators"
	recOutcomes   = "outcomes"
)

// editNode is one record in the editor's tree: what it is, its name, and
// the positions it may move to.
type editNode struct {
	Record string
	ID     uint
	Name   string
	// Up and Down are its 1-based positions one step up and one step
	// down among its siblings; 0 where it cannot go.
	Up, Down int
	// Removing says the draft revision removes it; Changing that it
	// changes its fields.
	Removing, Changing bool
}

// Anchor is the id of the record's place on the editor page.
func (n editNode) Anchor() string { return fmt.Sprintf("%s-%d", n.Record, n.ID) }

// node is the record at index i of n siblings.
func node(record string, id uint, name string, i, n int) editNode {
	e := editNode{Record: record, ID: id, Name: name}
	if i > 0 {
		e.Up = i
	}
	if i < n-1 {
		e.Down = i + 2
	}
	return e
}

type editTask struct {
	Node     editNode
	Code     string
	Programs []editProgram
	// Adding names the programmes the draft revision adds to it.
	Adding string
}

type editProgram struct {
	Node                              editNode
	Department, Field, Groups, Budget string
	New                               bool
	Indicators                        []editIndicator
	Adding                            string // the indicators the draft revision adds
}

type editIndicator struct {
	Node                  editNode
	Measure, Kind, Target string
	Headline              bool
}

type editOutcome struct {
	Node         editNode
	Code, Target string
}

// planEditPage is the editor's tree of a plan.
type planEditPage struct {
	*formPage
	Plan     *models.Plan
	Tasks    []editTask
	Outcomes []editOutcome
	// Revising says changes go into the draft revision; Fills says the
	// programmes added complete the 원공시 instead of revising it.
	Revising, Fills bool
	// Waiting counts the changes the draft revision holds.
	Waiting int
	// AddingTasks and AddingOutcomes name the tasks and outcome targets
	// the draft revision adds.
	AddingTasks, AddingOutcomes string
	// pending are the draft revision's additions and removals, by the
	// anchor of the parent and of the record removed.
	pending pendingEdits
}

// pendingEdits are the records a draft revision adds and removes, for the
// tree to show where they will be once it is published.
type pendingEdits struct {
	adds     map[string][]string // by the parent's anchor and the kind added: programs-12>indicators
	removing map[string]bool     // by the record's anchor
	changing map[string]bool     // by the record's anchor
}

func (p *planEditPage) readPending(plan *models.Plan) {
	p.pending = pendingEdits{adds: map[string][]string{}, removing: map[string]bool{}, changing: map[string]bool{}}
	d := plan.DraftRevision()
	if d == nil {
		return
	}
	p.Waiting = len(d.Changes) + len(d.Edits)
	for _, e := range d.Edits {
		switch {
		case strings.HasPrefix(e.Field, models.DeltaAdd):
			key := fmt.Sprintf("%s>%s", editNode{Record: parentOf(e.Record), ID: e.RecordID}.Anchor(), e.Record)
			name := models.EditName(e)
			p.pending.adds[key] = append(p.pending.adds[key], p.Pick(name.Ko, name.En))
		case e.Field == models.DeltaRemove:
			p.pending.removing[editNode{Record: e.Record, ID: e.RecordID}.Anchor()] = true
		default:
			p.pending.changing[editNode{Record: e.Record, ID: e.RecordID}.Anchor()] = true
		}
	}
	for _, ch := range d.Changes {
		p.pending.changing[editNode{Record: recIndicators, ID: ch.IndicatorID}.Anchor()] = true
	}
}

// adding names what the draft revision adds of a kind under a parent.
func (p *planEditPage) adding(parent editNode, record string) string {
	names := p.pending.adds[parent.Anchor()+">"+record]
	if len(names) == 0 {
		return ""
	}
	return p.T("planedit.adding", strings.Join(names, ", "))
}

// parentOf is the kind of record a record goes under; the plan for tasks
// and outcome targets.
func parentOf(record string) string {
	switch record {
	case recPrograms:
		return recTasks
	case recIndicators:
		return recPrograms
	}
	return "plans"
}

// editActions carries the page and a record into the actions partial.
type editActions struct {
	Page *planEditPage
	Node editNode
}

// Acts is the data of a record's actions: edit, move, remove.
func (p *planEditPage) Acts(n editNode) editActions { return editActions{p, n} }

func (h *Handler) planEditPage(c echo.Context, plan *models.Plan) (*planEditPage, error) {
	p := &planEditPage{formPage: newFormPage(h.page(c, "planedit.title")), Plan: plan,
		Revising: plan.Published(), Fills: plan.FillsOriginal()}
	p.Year = plan.Year
	p.Title = p.T("planedit.title.year", plan.Year)
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", plan.Year), URL: p.URL(fmt.Sprintf("/plans/%d", plan.Year))}, {Name: p.T("planedit.title")}}
	p.readPending(plan)
	if _, err := h.nameFields(c.Request().Context(), &p.basePage); err != nil {
		return nil, err
	}
	for ti, t := range plan.Tasks {
		et := editTask{Node: p.node(recTasks, t.ID, p.Pick(t.Name, t.NameEn), ti, len(plan.Tasks)), Code: t.Code}
		for pi := range t.Programs {
			et.Programs = append(et.Programs, p.editProgram(&t.Programs[pi], pi, len(t.Programs)))
		}
		et.Adding = p.adding(et.Node, recPrograms)
		p.Tasks = append(p.Tasks, et)
	}
	planNode := editNode{Record: "plans", ID: plan.ID}
	p.AddingTasks, p.AddingOutcomes = p.adding(planNode, recTasks), p.adding(planNode, recOutcomes)
	for i, o := range plan.Outcomes {
		eo := editOutcome{Node: p.node(recOutcomes, o.ID, p.Pick(o.Name, o.NameEn), i, len(plan.Outcomes)), Code: o.Code,
			Target: p.T("ind.none")}
		if o.Target != nil {
			eo.Target = p.T("amount", formatNumber(*o.Target), p.Pick(o.Unit, o.UnitEn))
		}
		p.Outcomes = append(p.Outcomes, eo)
	}
	return p, nil
}

// editProgram is a programme as the tree shows it, the i-th of n.
func (p *planEditPage) editProgram(prog *models.Program, i, n int) editProgram {
	ep := editProgram{Node: p.node(recPrograms, prog.ID, p.Pick(prog.Name, prog.NameEn), i, n), Department: prog.Department,
		Field: p.fieldLabel(prog.Field), Groups: p.groupNames(prog), Budget: p.budgetText(prog.Budget.Text()), New: prog.New}
	if ep.Department == "" {
		ep.Department = p.T("dept.none")
	}
	for k := range prog.Indicators {
		ind := &prog.Indicators[k]
		ei := editIndicator{Node: p.node(recIndicators, ind.ID, p.Pick(ind.Name, ind.NameEn), k, len(prog.Indicators)),
			Measure: p.Unit(ind), Kind: p.T("ind.kind." + string(ind.Kind)), Headline: ind.Headline}
		if ei.Measure == "" {
			ei.Measure = p.T("ind.none")
		}
		if ind.Kind.Monthly() {
			ei.Target = p.Amount(ind.Target, ind)
		} else {
			ei.Target = p.T("planedit.due", p.Date(ind.DueDate))
		}
		ep.Indicators = append(ep.Indicators, ei)
	}
	ep.Adding = p.adding(ep.Node, recIndicators)
	return ep
}

// node is a record of the tree, marked when the draft revision removes it.
func (p *planEditPage) node(record string, id uint, name string, i, n int) editNode {
	e := node(record, id, name, i, n)
	e.Removing, e.Changing = p.pending.removing[e.Anchor()], p.pending.changing[e.Anchor()]
	return e
}

// Help says where the page's changes go.
func (p *planEditPage) Help() string { return editHelp(&p.basePage, p.Revising, p.Fills) }

func editHelp(p *basePage, revising, fills bool) string {
	switch {
	case fills:
		return p.T("planedit.help.fills")
	case revising:
		return p.T("planedit.help.revision")
	}
	return p.T("planedit.help.draft")
}

// PlanEditor shows the plan of the path's year as a tree to edit, or the
// form that starts one when the year has none.
func (h *Handler) PlanEditor(c echo.Context) error {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return err
	}
	plan, err := h.store.Plan(c.Request().Context(), year)
	if errors.Is(err, models.ErrNotFound) {
		p, err := h.newPlanPage(c, year)
		if err != nil {
			return err
		}
		return h.renderForm(c, http.StatusOK, "plan_edit_new", p)
	}
	if err != nil {
		return err
	}
	p, err := h.planEditPage(c, plan)
	if err != nil {
		return err
	}
	if done := c.QueryParam("done"); slices.Contains(editDone, done) {
		p.Notice = p.T("planedit.done." + done)
	}
	return h.renderForm(c, http.StatusOK, "plan_edit", p)
}

// editDone are the notices the editor shows after a change (?done=).
var editDone = []string{"created", "saved", "added", "moved", "removed", "revised"}

// editedPath is where the editor goes after a change: the tree, saying
// what was done, at the record's place.
func editedPath(year int, written *models.PlanWritten, done, anchor string, lang Lang) string {
	if written != nil && written.Revised {
		done = "revised"
	}
	path := withLang(fmt.Sprintf("/plans/%d/edit?done=%s", year, done), lang)
	if anchor != "" {
		path += "#" + anchor
	}
	return path
}

// newPlanPage is the form that starts a plan for a year without one.
type newPlanPage struct {
	*formPage
}

func (h *Handler) newPlanPage(c echo.Context, year int) (*newPlanPage, error) {
	p := &newPlanPage{formPage: newFormPage(h.page(c, "planedit.new.title"))}
	p.Year = year
	p.Title = p.T("planedit.new.title.year", year)
	p.Crumbs = []crumb{{Name: p.Title}}
	ctx := c.Request().Context()
	years, err := h.store.Years(ctx, true)
	if err != nil || len(years) == 0 {
		return p, err
	}
	latest, err := h.store.Plan(ctx, years[len(years)-1])
	if err != nil {
		return nil, err
	}
	p.Values["city"], p.Values["city_en"] = latest.City, latest.CityEn
	from, to := strconv.Itoa(latest.Year), strconv.Itoa(year)
	if strings.Contains(latest.Title, from) {
		p.Values["title"] = strings.ReplaceAll(latest.Title, from, to)
	}
	if strings.Contains(latest.TitleEn, from) {
		p.Values["title_en"] = strings.ReplaceAll(latest.TitleEn, from, to)
	}
	return p, nil
}

// CreatePlan starts an empty draft plan for the path's year from the
// editor's form.
func (h *Handler) CreatePlan(c echo.Context) error {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return err
	}
	p, err := h.newPlanPage(c, year)
	if err != nil {
		return err
	}
	fields := []string{"city", "city_en", "title", "title_en"}
	for _, f := range fields {
		p.Values[f] = strings.TrimSpace(c.FormValue(f))
	}
	in := models.PlanHeader{Year: year, City: p.Values["city"], CityEn: p.Values["city_en"], Title: p.Values["title"],
		TitleEn: p.Values["title_en"], From: origin(c)}
	_, err = h.store.CreatePlan(c.Request().Context(), currentUser(c), in)
	if p.failEdit(err, fields) {
		return h.renderForm(c, http.StatusUnprocessableEntity, "plan_edit_new", p)
	}
	if err != nil {
		return err
	}
	return back(c, withLang(fmt.Sprintf("/plans/%d/edit?done=created", year), p.Lang))
}

// editRef names a record of a plan by its kind and ID.
type editRef struct {
	Record string
	ID     uint
}

// readEditRef reads the record and id of a move or a removal: 404 when
// they name nothing.
func readEditRef(c echo.Context) (editRef, error) {
	r := editRef{Record: c.FormValue("record")}
	id, ok := parseSmallInt(c.FormValue("id"), 9)
	if !ok || !slices.Contains([]string{recTasks, recPrograms, recIndicators, recOutcomes}, r.Record) {
		return r, notFound("planedit.record.missing", c.FormValue("id"))
	}
	r.ID = uint(id)
	return r, nil
}

// spot is where a record is in a plan file: its indexes, -1 below its
// level.
type spot struct{ task, prog, ind, outcome int }

// find locates the record in pf.
func (r editRef) find(pf *models.PlanFile) (spot, bool) {
	for ti, t := range pf.Tasks {
		if r.Record == recTasks && t.ID == r.ID {
			return spot{ti, -1, -1, -1}, true
		}
		for pi, prog := range t.Programs {
			if r.Record == recPrograms && prog.ID == r.ID {
				return spot{ti, pi, -1, -1}, true
			}
			for ii, ind := range prog.Indicators {
				if r.Record == recIndicators && ind.ID == r.ID {
					return spot{ti, pi, ii, -1}, true
				}
			}
		}
	}
	for oi, o := range pf.Outcomes {
		if r.Record == recOutcomes && o.ID == r.ID {
			return spot{-1, -1, -1, oi}, true
		}
	}
	return spot{}, false
}

// moveTo moves the element at from to index to.
func moveTo[T any](s []T, from, to int) []T {
	x := s[from]
	s = slices.Delete(s, from, from+1)
	return slices.Insert(s, to, x)
}

// move moves the record at s to 1-based position pos among its siblings;
// it reports the number of siblings and whether pos is one of theirs.
func (r editRef) move(pf *models.PlanFile, s spot, pos int) (int, bool) {
	var n int
	do := func(count int, move func(to int)) {
		n = count
		if pos >= 1 && pos <= count {
			move(pos - 1)
		}
	}
	switch r.Record {
	case recTasks:
		do(len(pf.Tasks), func(to int) { pf.Tasks = moveTo(pf.Tasks, s.task, to) })
	case recPrograms:
		t := &pf.Tasks[s.task]
		do(len(t.Programs), func(to int) { t.Programs = moveTo(t.Programs, s.prog, to) })
	case recIndicators:
		p := &pf.Tasks[s.task].Programs[s.prog]
		do(len(p.Indicators), func(to int) { p.Indicators = moveTo(p.Indicators, s.ind, to) })
	case recOutcomes:
		do(len(pf.Outcomes), func(to int) { pf.Outcomes = moveTo(pf.Outcomes, s.outcome, to) })
	}
	return n, pos >= 1 && pos <= n
}

// remove takes the record at s out of pf.
func (r editRef) remove(pf *models.PlanFile, s spot) {
	switch r.Record {
	case recTasks:
		pf.Tasks = slices.Delete(pf.Tasks, s.task, s.task+1)
	case recPrograms:
		t := &pf.Tasks[s.task]
		t.Programs = slices.Delete(t.Programs, s.prog, s.prog+1)
	case recIndicators:
		p := &pf.Tasks[s.task].Programs[s.prog]
		p.Indicators = slices.Delete(p.Indicators, s.ind, s.ind+1)
	case recOutcomes:
		pf.Outcomes = slices.Delete(pf.Outcomes, s.outcome, s.outcome+1)
	}
}

// name is the record's name in the page's language, and what goes with
// it when it is removed.
func (r editRef) name(p *basePage, pf *models.PlanFile, s spot) (name, under string) {
	switch r.Record {
	case recTasks:
		t := pf.Tasks[s.task]
		inds := 0
		for _, prog := range t.Programs {
			inds += len(prog.Indicators)
		}
		if len(t.Programs) > 0 {
			under = p.T("planedit.remove.under.task", len(t.Programs), inds)
		}
		return t.Code + " " + p.Pick(t.Name, t.NameEn), under
	case recPrograms:
		prog := pf.Tasks[s.task].Programs[s.prog]
		if len(prog.Indicators) > 0 {
			under = p.T("planedit.remove.under.program", len(prog.Indicators))
		}
		return p.Pick(prog.Name, prog.NameEn), under
	case recIndicators:
		ind := pf.Tasks[s.task].Programs[s.prog].Indicators[s.ind]
		return p.Pick(ind.Name, ind.NameEn), ""
	}
	o := pf.Outcomes[s.outcome]
	return p.Pick(o.Name, o.NameEn), ""
}

// confirmPage asks for a move or a removal to be confirmed, with its
// reason when the plan is published.
type confirmPage struct {
	*formPage
	Action     string // move or remove
	Ref        editRef
	Position   int
	What, Name string
	Under      string // what goes with a removed record
	NeedReason bool
}

// Anchor is the record's place in the tree, for the way back.
func (p *confirmPage) Anchor() string { return editNode{Record: p.Ref.Record, ID: p.Ref.ID}.Anchor() }

func (h *Handler) confirmPage(c echo.Context, plan *models.Plan, action string, ref editRef) (*confirmPage, *models.PlanFile, spot, error) {
	pf := plan.File()
	s, ok := ref.find(pf)
	if !ok {
		return nil, nil, s, notFound("planedit.record.missing", strconv.Itoa(int(ref.ID)))
	}
	p := &confirmPage{formPage: newFormPage(h.page(c, "planedit.confirm."+action)), Action: action, Ref: ref,
		NeedReason: plan.NeedsReasons()}
	p.Year = plan.Year
	p.What = p.T("planedit.record." + ref.Record)
	p.Name, p.Under = ref.name(&p.basePage, pf, s)
	p.Crumbs = []crumb{{Name: p.T("plan.title.year", plan.Year), URL: p.URL(fmt.Sprintf("/plans/%d", plan.Year))},
		{Name: p.T("planedit.title"), URL: p.URL(fmt.Sprintf("/plans/%d/edit", plan.Year))}, {Name: p.Title}}
	return p, pf, s, nil
}

// confirmed reads the plan and the record a move or removal is about,
// with the page that asks for it to be confirmed.
func (h *Handler) confirmed(c echo.Context, action string) (*models.Plan, *confirmPage, *models.PlanFile, editRef, spot, error) {
	plan, err := h.planForOfficial(c)
	if err != nil {
		return nil, nil, nil, editRef{}, spot{}, err
	}
	ref, err := readEditRef(c)
	if err != nil {
		return nil, nil, nil, editRef{}, spot{}, err
	}
	p, pf, s, err := h.confirmPage(c, plan, action, ref)
	return plan, p, pf, ref, s, err
}

// writeConfirmed writes the plan file a confirmed move or removal made,
// with the reason the page asked for, and goes back to the tree.
func (h *Handler) writeConfirmed(c echo.Context, plan *models.Plan, p *confirmPage, pf *models.PlanFile, done, anchor string) error {
	p.Values["reason"] = c.FormValue("reason")
	written, err := h.store.ApplyPlanFile(c.Request().Context(), currentUser(c),
		models.PlanWrite{Year: plan.Year, File: pf, Reason: p.Values["reason"], From: origin(c)})
	if p.failEdit(err, []string{"reason"}) {
		return h.renderForm(c, http.StatusUnprocessableEntity, "plan_edit_confirm", p)
	}
	if err != nil {
		return err
	}
	return back(c, editedPath(plan.Year, written, done, anchor, p.Lang))
}

// MovePlanRecord moves a record to another place among its siblings
// (위로, 아래로). In a published plan it first asks for the reason.
func (h *Handler) MovePlanRecord(c echo.Context) error {
	plan, p, pf, ref, s, err := h.confirmed(c, "move")
	if err != nil {
		return err
	}
	pos, ok := parseSmallInt(c.FormValue("position"), 4)
	n, ok2 := ref.move(pf, s, pos)
	if !ok || !ok2 {
		tree, err := h.planEditPage(c, plan)
		if err != nil {
			return err
		}
		tree.fail(p.Anchor(), p.T("planedit.move.position", p.Name, n, c.FormValue("position")))
		return h.renderForm(c, http.StatusUnprocessableEntity, "plan_edit", tree)
	}
	p.Position = pos
	if p.NeedReason && c.FormValue("confirm") == "" {
		return h.renderForm(c, http.StatusOK, "plan_edit_confirm", p)
	}
	return h.writeConfirmed(c, plan, p, pf, "moved", p.Anchor())
}

// RemoveForm asks an official to confirm the removal of a record.
func (h *Handler) RemoveForm(c echo.Context) error {
	_, p, _, _, _, err := h.confirmed(c, "remove")
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, "plan_edit_confirm", p)
}

// RemovePlanRecord removes a record and everything under it; one that
// has figures stays (422).
func (h *Handler) RemovePlanRecord(c echo.Context) error {
	plan, p, pf, ref, s, err := h.confirmed(c, "remove")
	if err != nil {
		return err
	}
	ref.remove(pf, s)
	return h.writeConfirmed(c, plan, p, pf, "removed", "")
}

// failEdit records a write's problems next to the fields of the page's
// form, each by the last segment of its path; a problem about no field of
// the form goes to the summary, linked to the page's heading. It reports
// whether err was such a refusal.
func (f *formPage) failEdit(err error, fields []string) bool {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return false
	}
	for _, pr := range v.Problems {
		field := editField(pr.Path)
		if !slices.Contains(fields, field) {
			field = "record"
		}
		f.fail(field, f.editProblem(pr, field))
	}
	return true
}

// editField is the form field a problem's path is about:
// tasks[1].programs[0].indicators[2].target → target,
// ….budget.city → budget_city, reasons.… → reason, departments →
// department.
func editField(path string) string {
	if strings.HasPrefix(path, "reasons.") {
		return "reason"
	}
	if path == "departments" {
		return "department"
	}
	parts := strings.Split(path, ".")
	last := parts[len(parts)-1]
	if len(parts) > 1 && parts[len(parts)-2] == "budget" {
		return "budget_" + last
	}
	return last
}

// editorWords are the editor's own words for problems the models word
// for a plan file: the catalogue key, and how many of the problem's
// arguments it takes.
var editorWords = map[string]struct {
	key  string
	args int
}{
	"problem.planfile.task.code.duplicate":    {"planedit.say.code.duplicate", 1},
	"problem.planfile.outcome.code.duplicate": {"planedit.say.code.duplicate", 1},
	"problem.planfile.kind":                   {"planedit.say.kind", 0},
	"problem.planfile.target.required":        {"planedit.say.target.required", 0},
	"problem.planfile.due.required":           {"planedit.say.due.required", 0},
	"problem.planfile.date.format":            {"planedit.say.date.format", 0},
	"problem.planfile.date.far":               {"planedit.say.date.far", 1},
	"problem.planfile.negative":               {"planedit.say.negative", 0},
	"problem.planfile.number.range":           {"planedit.say.number.range", 0},
	"problem.planfile.tasks.none":             {"planedit.say.tasks.none", 0},
	"problem.target.reason":                   {"planedit.say.reason", 0},
}

// editProblem words a problem with field for the editor's reader.
func (f *formPage) editProblem(pr models.Problem, field string) string {
	if pr.Key == "problem.planfile.empty" {
		return f.T("planedit.say.empty", f.T("planedit.field."+field))
	}
	if w, ok := editorWords[pr.Key]; ok {
		return f.T(w.key, pr.Args[:min(w.args, len(pr.Args))]...)
	}
	return f.Lang.Problem(pr)
}
