package models

// Writing a plan's content: its tasks, programmes, indicators and outcome
// targets. The plan spreadsheet and the editor both say what the plan
// should be as a plan file whose records carry their IDs; DiffPlan finds
// what differs from the stored plan, record by record and field by
// field, and ApplyPlanFile writes it: in place in a draft plan, into the
// draft revision (수정공시) of a published one. A programme's 담당부서 is
// the one field that changes in place either way: it changes no
// published number.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// The fields of a PlanDelta that are not columns.
const (
	// DeltaAdd adds the record (and everything under it).
	DeltaAdd = "+"
	// DeltaRemove removes the record and everything under it.
	DeltaRemove = "-"
)

// PlanDelta is one difference between a stored plan and a plan file: a
// field of a record, or a record added or removed.
type PlanDelta struct {
	Record string // tasks, programs, indicators or outcomes
	// ID is the record's; for an add, its parent's (the plan of a task
	// or an outcome target, the task of a programme, the programme of an
	// indicator).
	ID       uint
	Field    string // the column, DeltaAdd or DeltaRemove
	Old, New string // the field's value as text (see columnValue)
	// OldPacing and NewPacing go with a target: its monthly plan.
	OldPacing, NewPacing Pacing
	Name                 PlanText // the record's name
	// Path is the record's place in the plan file, such as
	// tasks[0].programs[2]; with Field it keys the delta.
	Path string
	// Direct says the field changes in place even in a published plan.
	Direct bool
	// Add is the added record as JSON: a TaskFile, ProgramFile,
	// IndicatorFile or OutcomeFile, with everything under it.
	Add string
}

// Key names the delta among those of one plan file, for the reasons an
// official gives per change.
func (d PlanDelta) Key() string { return d.Path + ":" + d.Field }

// columnType is how an editable column's text is stored.
type columnType int

const (
	colText   columnType = iota
	colNumber            // a decimal, or NULL when empty
	colInt
	colBool
	colDate // YYYY-MM-DD, or NULL when empty
)

// planColumn is a field of a plan's record that a plan file carries: its
// column and its value as text.
type planColumn[T any] struct {
	name string
	get  func(*T) string
}

func num(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func dateText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

var taskColumns = []planColumn[Task]{
	{"code", func(t *Task) string { return t.Code }},
	{"name", func(t *Task) string { return t.Name }},
	{"name_en", func(t *Task) string { return t.NameEn }},
}

var programColumns = []planColumn[Program]{
	{"name", func(p *Program) string { return p.Name }},
	{"name_en", func(p *Program) string { return p.NameEn }},
	{"description", func(p *Program) string { return p.Description }},
	{"description_en", func(p *Program) string { return p.DescriptionEn }},
	{"department", func(p *Program) string { return p.Department }},
	{"field", func(p *Program) string { return p.Field }},
	{"groups", func(p *Program) string { return p.Groups }},
	{"new", func(p *Program) string { return strconv.FormatBool(p.New) }},
	{"budget", func(p *Program) string { return p.Budget.Text() }},
	{"source_ref", func(p *Program) string { return p.SourceRef }},
	{"source_quote", func(p *Program) string { return p.SourceQuote }},
}

var indicatorColumns = []planColumn[Indicator]{
	{"name", func(i *Indicator) string { return i.Name }},
	{"name_en", func(i *Indicator) string { return i.NameEn }},
	{"unit", func(i *Indicator) string { return i.Unit }},
	{"unit_en", func(i *Indicator) string { return i.UnitEn }},
	{"basis", func(i *Indicator) string { return string(i.Basis) }},
	{"kind", func(i *Indicator) string { return string(i.Kind) }},
	{"headline", func(i *Indicator) string { return strconv.FormatBool(i.Headline) }},
	{"baseline", func(i *Indicator) string { return num(i.Baseline) }},
	{"baseline_year", func(i *Indicator) string { return strconv.Itoa(i.BaselineYear) }},
	{"target_note", func(i *Indicator) string { return i.TargetNote }},
	{"target_note_en", func(i *Indicator) string { return i.TargetNoteEn }},
	{"due_date", func(i *Indicator) string { return dateText(i.DueDate) }},
	{"weight", func(i *Indicator) string { return num(&i.Weight) }},
	{"source_ref", func(i *Indicator) string { return i.SourceRef }},
	{"source_quote", func(i *Indicator) string { return i.SourceQuote }},
}

var outcomeColumns = []planColumn[Outcome]{
	{"code", func(o *Outcome) string { return o.Code }},
	{"name", func(o *Outcome) string { return o.Name }},
	{"name_en", func(o *Outcome) string { return o.NameEn }},
	{"unit", func(o *Outcome) string { return o.Unit }},
	{"unit_en", func(o *Outcome) string { return o.UnitEn }},
	{"target", func(o *Outcome) string { return num(o.Target) }},
	{"baseline", func(o *Outcome) string { return num(o.Baseline) }},
	{"baseline_year", func(o *Outcome) string { return strconv.Itoa(o.BaselineYear) }},
	{"source_ref", func(o *Outcome) string { return o.SourceRef }},
	{"source_quote", func(o *Outcome) string { return o.SourceQuote }},
}

// diffColumns adds a delta for every column whose text differs.
func diffColumns[T any](out []PlanDelta, cols []planColumn[T], record string, id uint, name PlanText, path string, old, nw *T) []PlanDelta {
	for _, c := range cols {
		if o, n := c.get(old), c.get(nw); o != n {
			out = append(out, PlanDelta{Record: record, ID: id, Field: c.name, Old: o, New: n, Name: name, Path: path,
				Direct: record == "programs" && c.name == "department"})
		}
	}
	return out
}

// planDiff compares a stored plan with a plan file for it.
type planDiff struct {
	plan   *Plan
	file   *PlanFile
	want   *Plan // the plan file in the stored shape
	v      *ValidationError
	out    []PlanDelta
	kept   map[string]map[uint]bool // record → IDs the file keeps
	fields []string
}

// DiffPlan lists what a plan file changes in the stored plan, matching
// records by ID: fields changed, records added (ID 0) and records
// removed (stored, absent from the file). A plan file that does not fit
// the plan (an ID of another plan, a record moved under a new one, an
// unknown 분야) gives a *ValidationError listing every problem.
func DiffPlan(plan *Plan, pf *PlanFile, fields []string) ([]PlanDelta, error) {
	v := &ValidationError{}
	pf.check(v, fields)
	if err := v.orNil(); err != nil {
		return nil, err
	}
	d := &planDiff{plan: plan, file: pf, want: pf.Plan(), v: v, fields: fields,
		kept: map[string]map[uint]bool{"tasks": {}, "programs": {}, "indicators": {}, "outcomes": {}}}
	d.tasks()
	d.outcomes()
	if len(v.Problems) == 0 {
		d.orders()
	}
	d.removed()
	return d.out, v.orNil()
}

func (d *planDiff) tasks() {
	for i := range d.file.Tasks {
		tf, want := &d.file.Tasks[i], &d.want.Tasks[i]
		path := fmt.Sprintf("tasks[%d]", i)
		name := PlanText{tf.Name, tf.NameEn}
		if tf.ID == 0 {
			d.add("tasks", d.plan.ID, name, path, tf)
			continue
		}
		task := d.task(tf.ID)
		if task == nil {
			d.v.say(path+".id", "problem.plan.id.unknown", tf.ID)
			continue
		}
		d.kept["tasks"][tf.ID] = true
		d.out = diffColumns(d.out, taskColumns, "tasks", tf.ID, name, path, task, want)
		for j := range tf.Programs {
			d.program(task, &tf.Programs[j], &want.Programs[j], fmt.Sprintf("%s.programs[%d]", path, j), j)
		}
	}
}

func (d *planDiff) program(task *Task, pf *ProgramFile, want *Program, path string, at int) {
	name := PlanText{pf.Name, pf.NameEn}
	if pf.ID == 0 {
		d.add("programs", task.ID, name, path, pf)
		return
	}
	prog := d.plan.Program(pf.ID)
	if prog == nil {
		d.v.say(path+".id", "problem.plan.id.unknown", pf.ID)
		return
	}
	d.kept["programs"][pf.ID] = true
	d.out = diffColumns(d.out, programColumns, "programs", pf.ID, name, path, prog, want)
	if prog.TaskID != task.ID {
		d.out = append(d.out, PlanDelta{Record: "programs", ID: pf.ID, Field: "task_id", Old: strconv.Itoa(int(prog.TaskID)),
			New: strconv.Itoa(int(task.ID)), Name: name, Path: path})
	}
	for k := range pf.Indicators {
		d.indicator(prog, &pf.Indicators[k], &want.Indicators[k], fmt.Sprintf("%s.indicators[%d]", path, k), k)
	}
}

func (d *planDiff) indicator(prog *Program, f *IndicatorFile, want *Indicator, path string, at int) {
	name := PlanText{f.Name, f.NameEn}
	if f.ID == 0 {
		d.add("indicators", prog.ID, name, path, f)
		return
	}
	ind := d.plan.indicator(f.ID)
	if ind == nil {
		d.v.say(path+".id", "problem.plan.id.unknown", f.ID)
		return
	}
	d.kept["indicators"][f.ID] = true
	d.out = diffColumns(d.out, indicatorColumns, "indicators", f.ID, name, path, ind, want)
	if ind.Kind.Monthly() && (ind.Target != want.Target || !slices.Equal(ind.Pacing, want.Pacing)) {
		d.out = append(d.out, PlanDelta{Record: "indicators", ID: f.ID, Field: "target", Old: num(&ind.Target),
			New: num(&want.Target), OldPacing: ind.Pacing, NewPacing: want.Pacing, Name: name, Path: path})
	}
	if ind.ProgramID != prog.ID {
		d.out = append(d.out, PlanDelta{Record: "indicators", ID: f.ID, Field: "program_id", Old: strconv.Itoa(int(ind.ProgramID)),
			New: strconv.Itoa(int(prog.ID)), Name: name, Path: path})
	}
}

func (d *planDiff) outcomes() {
	for i := range d.file.Outcomes {
		of, want := &d.file.Outcomes[i], &d.want.Outcomes[i]
		path := fmt.Sprintf("outcomes[%d]", i)
		name := PlanText{of.Name, of.NameEn}
		if of.ID == 0 {
			d.add("outcomes", d.plan.ID, name, path, of)
			continue
		}
		o := d.plan.outcome(of.ID)
		if o == nil {
			d.v.say(path+".id", "problem.plan.id.unknown", of.ID)
			continue
		}
		d.kept["outcomes"][of.ID] = true
		d.out = diffColumns(d.out, outcomeColumns, "outcomes", of.ID, name, path, o, want)
	}
}

// sibling is a record of a plan file among its siblings, with its place
// in the file and, when it is stored, its place there.
type sibling struct {
	id     uint // 0 for a new record
	name   PlanText
	path   string
	stored int  // its stored place (sort_order)
	here   bool // stored among these siblings (not new, not moved in)
}

// order adds the moves of one group of siblings (the tasks of the plan,
// the programmes of a task, …), in the file's order. Records keep their
// places while the ones stored here stay in the same order and new ones
// come after them; otherwise each record whose place differs moves to
// its place in the file. Records removed from the group move nothing.
func (d *planDiff) order(record string, sibs []sibling) {
	var kept []int
	newSeen, newBefore := false, false
	for _, s := range sibs {
		switch {
		case !s.here:
			newSeen = true
		case newSeen:
			newBefore = true
		}
		if s.here {
			kept = append(kept, s.stored)
		}
	}
	if !newBefore && slices.IsSorted(kept) && !hasMovedIn(sibs) {
		return
	}
	for at, s := range sibs {
		if s.id != 0 && s.stored != at {
			d.out = append(d.out, PlanDelta{Record: record, ID: s.id, Field: "sort_order", Old: strconv.Itoa(s.stored),
				New: strconv.Itoa(at), Name: s.name, Path: s.path})
		}
	}
}

// hasMovedIn says a record of the group was stored under another parent.
func hasMovedIn(sibs []sibling) bool {
	return slices.ContainsFunc(sibs, func(s sibling) bool { return s.id != 0 && !s.here })
}

// orders adds the moves of every group of siblings.
func (d *planDiff) orders() {
	type place struct {
		parent uint
		order  int
	}
	stored := map[string]map[uint]place{"tasks": {}, "programs": {}, "indicators": {}, "outcomes": {}}
	for _, t := range d.plan.Tasks {
		stored["tasks"][t.ID] = place{0, t.Order}
		for _, p := range t.Programs {
			stored["programs"][p.ID] = place{t.ID, p.Order}
			for _, ind := range p.Indicators {
				stored["indicators"][ind.ID] = place{p.ID, ind.Order}
			}
		}
	}
	for _, o := range d.plan.Outcomes {
		stored["outcomes"][o.ID] = place{0, o.Order}
	}
	sib := func(record string, id, parent uint, name PlanText, path string) sibling {
		s := sibling{id: id, name: name, path: path, stored: -1}
		if st, ok := stored[record][id]; ok && id != 0 {
			s.stored, s.here = st.order, st.parent == parent
		}
		return s
	}
	var tasks []sibling
	for i, t := range d.file.Tasks {
		path := fmt.Sprintf("tasks[%d]", i)
		tasks = append(tasks, sib("tasks", t.ID, 0, PlanText{t.Name, t.NameEn}, path))
		var progs []sibling
		for j, p := range t.Programs {
			ppath := fmt.Sprintf("%s.programs[%d]", path, j)
			progs = append(progs, sib("programs", p.ID, t.ID, PlanText{p.Name, p.NameEn}, ppath))
			var inds []sibling
			for k, ind := range p.Indicators {
				inds = append(inds, sib("indicators", ind.ID, p.ID, PlanText{ind.Name, ind.NameEn}, fmt.Sprintf("%s.indicators[%d]", ppath, k)))
			}
			if p.ID != 0 {
				d.order("indicators", inds)
			}
		}
		if t.ID != 0 {
			d.order("programs", progs)
		}
	}
	d.order("tasks", tasks)
	var outcomes []sibling
	for i, o := range d.file.Outcomes {
		outcomes = append(outcomes, sib("outcomes", o.ID, 0, PlanText{o.Name, o.NameEn}, fmt.Sprintf("outcomes[%d]", i)))
	}
	d.order("outcomes", outcomes)
}

func (d *planDiff) add(record string, parent uint, name PlanText, path string, rec any) {
	data, _ := json.Marshal(rec)
	d.out = append(d.out, PlanDelta{Record: record, ID: parent, Field: DeltaAdd, New: string(data), Name: name, Path: path, Add: string(data)})
}

// removed adds a delta for every stored record the file leaves out: the
// highest one only, as everything under it goes with it.
func (d *planDiff) removed() {
	for ti, t := range d.plan.Tasks {
		path := fmt.Sprintf("tasks[%d]", ti)
		if !d.kept["tasks"][t.ID] {
			d.remove("tasks", t.ID, PlanText{t.Name, t.NameEn}, path, &t)
		}
		for pi, p := range t.Programs {
			path := fmt.Sprintf("%s.programs[%d]", path, pi)
			if !d.kept["programs"][p.ID] {
				if d.kept["tasks"][t.ID] {
					d.remove("programs", p.ID, PlanText{p.Name, p.NameEn}, path, &p)
				}
				continue
			}
			for ii, ind := range p.Indicators {
				if !d.kept["indicators"][ind.ID] {
					d.remove("indicators", ind.ID, PlanText{ind.Name, ind.NameEn}, fmt.Sprintf("%s.indicators[%d]", path, ii), &ind)
				}
			}
		}
	}
	for oi, o := range d.plan.Outcomes {
		if !d.kept["outcomes"][o.ID] {
			d.remove("outcomes", o.ID, PlanText{o.Name, o.NameEn}, fmt.Sprintf("outcomes[%d]", oi), &o)
		}
	}
}

// remove adds the removal of a record, kept with a copy of what it was.
// A programme kept under another task is a move, not a removal.
func (d *planDiff) remove(record string, id uint, name PlanText, path string, rec any) {
	var snap any
	var parent uint
	var order int
	switch r := rec.(type) {
	case *Task:
		parent, order = r.PlanID, r.Order
		tf := TaskFile{ID: r.ID, Code: r.Code, Name: r.Name, NameEn: r.NameEn, Source: r.Source}
		for _, p := range r.Programs {
			if d.kept["programs"][p.ID] {
				d.v.say(path, "problem.plan.remove.kept", PlanText{p.Name, p.NameEn})
			}
			tf.Programs = append(tf.Programs, p.file())
		}
		snap = tf
	case *Program:
		parent, order = r.TaskID, r.Order
		for _, ind := range r.Indicators {
			if d.kept["indicators"][ind.ID] {
				d.v.say(path, "problem.plan.remove.kept", PlanText{ind.Name, ind.NameEn})
			}
		}
		snap = r.file()
	case *Indicator:
		parent, order = r.ProgramID, r.Order
		snap = r.file()
	case *Outcome:
		parent, order = r.PlanID, r.Order
		snap = r.file()
	}
	file, _ := json.Marshal(snap)
	data, _ := json.Marshal(removal{Parent: parent, Order: order, Name: name.Ko, NameEn: name.En, File: file})
	d.out = append(d.out, PlanDelta{Record: record, ID: id, Field: DeltaRemove, Old: string(data), Name: name, Path: path})
}

func (d *planDiff) task(id uint) *Task {
	for i := range d.plan.Tasks {
		if d.plan.Tasks[i].ID == id {
			return &d.plan.Tasks[i]
		}
	}
	return nil
}

func (p *Plan) indicator(id uint) *Indicator {
	for _, ind := range p.Indicators() {
		if ind.ID == id {
			return ind
		}
	}
	return nil
}

func (p *Plan) outcome(id uint) *Outcome {
	for i := range p.Outcomes {
		if p.Outcomes[i].ID == id {
			return &p.Outcomes[i]
		}
	}
	return nil
}

// PlanWrite is an official's change to a plan's content: what the plan
// should be, and why.
type PlanWrite struct {
	Year int
	File *PlanFile
	// Reasons are the reasons per change (PlanDelta.Key); Reason is the
	// one for every change without its own.
	Reasons map[string]string
	Reason  string
	// Replace discards the draft revision being prepared before the
	// changes go into a new one: the plan spreadsheet says the whole plan.
	Replace bool
	// Departments are new 담당부서 the official agreed to add to the list.
	Departments []string
	// Expect is the Fingerprint of the changes the official saw (a
	// preview); if the plan changed since, so that they differ, nothing
	// is written. Empty writes whatever the file changes.
	Expect string
	From   Origin
}

// Fingerprint names a list of changes: equal lists, equal fingerprints.
func Fingerprint(deltas []PlanDelta) string {
	h := sha256.New()
	for _, d := range deltas {
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s\x00%s\x00%v\x00%v\n", d.Record, d.Key(), d.ID, d.Old, d.New, d.OldPacing, d.NewPacing)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// PlanWritten says what ApplyPlanFile did.
type PlanWritten struct {
	Deltas  []PlanDelta
	Revised bool // the changes went into the draft revision
}

// ApplyPlanFile writes a plan file over the stored plan of its year, all
// or nothing. In a draft plan every change is made in place. In a
// published plan they go into the draft revision, each with its reason,
// and take force when it is published; the 담당부서 changes in place. A
// record with figures is never removed. Every change is in the audit
// trail.
func (s *Store) ApplyPlanFile(ctx context.Context, u *User, in PlanWrite) (*PlanWritten, error) {
	if !mayEditPlan(u) {
		return nil, fmt.Errorf("models: write plan %d: %w", in.Year, ErrForbidden)
	}
	out := &PlanWritten{}
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, err := loadPlan(tx, in.Year)
		if err != nil {
			return err
		}
		fields, err := fieldCodes(tx)
		if err != nil {
			return err
		}
		in.File.Year = in.Year
		deltas, err := DiffPlan(plan, in.File, fields)
		if err != nil {
			return err
		}
		if in.Expect != "" && in.Expect != Fingerprint(deltas) {
			return invalid("plan", "problem.plan.changed")
		}
		if err := s.checkDepartments(tx, u, in.From, DeltaDepartments(deltas), in.Departments); err != nil {
			return err
		}
		if in.Replace && plan.Published() {
			if err := discardDraftRevision(tx, plan); err != nil {
				return err
			}
		}
		if len(deltas) == 0 {
			return invalid("plan", "problem.plan.unchanged")
		}
		w := &planWriter{tx: tx, u: u, plan: plan, in: &in, now: s.now(), v: &ValidationError{}}
		for _, d := range deltas {
			if err := w.apply(d); err != nil {
				return err
			}
		}
		if err := w.v.orNil(); err != nil {
			return err
		}
		if _, err := ensureSpending(tx); err != nil {
			return err
		}
		if !plan.Published() { // a published plan's places change by revision only
			if err := renumber(tx, plan.ID); err != nil {
				return err
			}
		}
		out.Deltas, out.Revised = deltas, plan.Published()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("models: write plan %d: %w", in.Year, err)
	}
	return out, nil
}

// fieldCodes lists the codes of the 분야 the plan may use.
func fieldCodes(tx *gorm.DB) ([]string, error) {
	var codes []string
	return codes, tx.Model(&ProgramField{}).Order("sort_order, id").Pluck("code", &codes).Error
}

// NewDepartments lists the names that the department list does not have,
// each once.
func (s *Store) NewDepartments(ctx context.Context, names []string) ([]string, error) {
	known, err := departmentNames(s.r.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	return newNames(names, known), nil
}

func newNames(names, known []string) []string {
	var out []string
	for _, name := range names {
		if name != "" && !slices.Contains(known, name) && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// DeltaDepartments lists the 담당부서 that deltas set or add.
func DeltaDepartments(deltas []PlanDelta) []string {
	var out []string
	for _, d := range deltas {
		switch {
		case d.Record == "programs" && d.Field == "department":
			out = append(out, d.New)
		case d.Field == DeltaAdd && d.Record == "programs":
			var pf ProgramFile
			_ = json.Unmarshal([]byte(d.Add), &pf)
			out = append(out, pf.Department)
		case d.Field == DeltaAdd && d.Record == "tasks":
			var tf TaskFile
			_ = json.Unmarshal([]byte(d.Add), &tf)
			out = append(out, (&PlanFile{Tasks: []TaskFile{tf}}).Departments()...)
		}
	}
	return out
}

// Departments lists the 담당부서 of the plan file's programmes.
func (pf *PlanFile) Departments() []string {
	var out []string
	for _, t := range pf.Tasks {
		for _, p := range t.Programs {
			out = append(out, p.Department)
		}
	}
	return out
}

// DiffPlanFile lists what a plan file would change in the stored plan of
// its year (DiffPlan), without writing anything.
func (s *Store) DiffPlanFile(ctx context.Context, year int, pf *PlanFile) ([]PlanDelta, error) {
	db := s.r.WithContext(ctx)
	plan, err := loadPlan(db, year)
	if err != nil {
		return nil, fmt.Errorf("models: diff plan %d: %w", year, err)
	}
	fields, err := fieldCodes(db)
	if err != nil {
		return nil, fmt.Errorf("models: diff plan %d: %w", year, err)
	}
	pf.Year = year
	deltas, err := DiffPlan(plan, pf, fields)
	if err != nil {
		return nil, fmt.Errorf("models: diff plan %d: %w", year, err)
	}
	return deltas, nil
}

// CheckPlanFile lists every problem of a plan file for a new plan: those
// of its fields, against the 분야 the store has.
func (s *Store) CheckPlanFile(ctx context.Context, pf *PlanFile) error {
	fields, err := fieldCodes(s.r.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("models: check plan %d: %w", pf.Year, err)
	}
	v := &ValidationError{}
	pf.check(v, fields)
	return v.orNil()
}

// checkDepartments adds to the list the new departments the official
// agreed to, and refuses the write while any other is new.
func (s *Store) checkDepartments(tx *gorm.DB, u *User, from Origin, names, agreed []string) error {
	known, err := departmentNames(tx)
	if err != nil {
		return err
	}
	v := &ValidationError{}
	for _, name := range newNames(names, known) {
		if !slices.Contains(agreed, name) {
			v.say("departments", "problem.plan.department.new", name)
			continue
		}
		if err := validDepartmentName(name); err != nil {
			return err
		}
		if err := addDepartment(tx, name, "departments", u, from); err != nil {
			return err
		}
	}
	return v.orNil()
}

// discardDraftRevision deletes the plan's draft revision with what it
// holds.
func discardDraftRevision(tx *gorm.DB, plan *Plan) error {
	draft := plan.DraftRevision()
	if draft == nil {
		return nil
	}
	return tx.Delete(&PlanVersion{}, draft.ID).Error
}

// planWriter applies deltas to one plan in one transaction.
type planWriter struct {
	tx   *gorm.DB
	u    *User
	plan *Plan
	in   *PlanWrite
	now  time.Time
	v    *ValidationError
}

func (w *planWriter) reason(d PlanDelta) string {
	if r := strings.TrimSpace(w.in.Reasons[d.Key()]); r != "" {
		return r
	}
	return strings.TrimSpace(w.in.Reason)
}

func (w *planWriter) apply(d PlanDelta) error {
	reason := w.reason(d)
	if utf8.RuneCountInString(reason) > MaxReasonLen {
		w.v.say("reasons."+d.Key(), "problem.target.reason.too.long", MaxReasonLen)
		return nil
	}
	published := w.plan.Published()
	if w.plan.NeedsReasons() && !d.Direct && reason == "" {
		w.v.say("reasons."+d.Key(), "problem.target.reason")
		return nil
	}
	if d.Field == DeltaRemove {
		if err := w.checkRemove(d); err != nil {
			return err
		}
	}
	if published && d.Record == "indicators" && d.Field == "kind" {
		w.v.say(d.Path+".kind", "problem.plan.kind.published")
		return nil
	}
	if err := recordEvent(w.tx, EventPlanEdit, nil, w.u, w.in.From, deltaDetail(w.plan.Year, d, reason)); err != nil {
		return err
	}
	switch {
	case !published || d.Direct:
		return applyDelta(w.tx, w.u, w.plan.Year, d, reason, w.now)
	case d.Record == "indicators" && d.Field == "target":
		return w.reviseTarget(d, reason)
	}
	return w.revise(d, reason)
}

// deltaDetail is the audit trail's line for a delta.
func deltaDetail(year int, d PlanDelta, reason string) string {
	what := fmt.Sprintf("%d %s %d %s", year, d.Record, d.ID, d.Name.Ko)
	switch d.Field {
	case DeltaAdd:
		what = fmt.Sprintf("%d %s 추가: %s", year, d.Record, d.Name.Ko)
	case DeltaRemove:
		what += " 삭제"
	default:
		what += fmt.Sprintf(" %s: %s → %s", d.Field, truncate(d.Old, 60), truncate(d.New, 60))
	}
	if reason != "" {
		what += " (" + reason + ")"
	}
	return what
}

// checkRemove refuses to remove a record that has figures or milestone
// progress under it: they are acknowledged numbers.
func (w *planWriter) checkRemove(d PlanDelta) error {
	n, err := numbersUnder(w.tx, d.Record, d.ID)
	if n > 0 {
		w.v.say(d.Path, "problem.plan.remove.figures", d.Name, n)
	}
	return err
}

// numbersUnder counts the acknowledged numbers under a record: figures,
// milestones under way or done, and an outcome target's results.
func numbersUnder(tx *gorm.DB, record string, id uint) (int64, error) {
	if record == "outcomes" {
		var n int64
		return n, tx.Model(&OutcomeResult{}).Where("outcome_id = ?", id).Count(&n).Error
	}
	ids, err := indicatorsUnder(tx, record, id)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	var n, started int64
	if err := tx.Model(&Figure{}).Where("indicator_id IN ?", ids).Count(&n).Error; err != nil {
		return 0, err
	}
	err = tx.Model(&Indicator{}).Where("id IN ? AND kind = ? AND milestone_state <> ?", ids, KindMilestone, MilestonePlanned).
		Count(&started).Error
	return n + started, err
}

// indicatorsUnder lists the indicators (spending ones too) of a record.
func indicatorsUnder(tx *gorm.DB, record string, id uint) ([]uint, error) {
	var ids []uint
	q := tx.Model(&Indicator{})
	switch record {
	case "indicators":
		q = q.Where("id = ?", id)
	case "programs":
		q = q.Where("program_id = ?", id)
	case "tasks":
		q = q.Where("program_id IN (?)", tx.Model(&Program{}).Select("id").Where("task_id = ?", id))
	default:
		return nil, nil
	}
	return ids, q.Pluck("id", &ids).Error
}

// reviseTarget puts a target change into the draft revision.
func (w *planWriter) reviseTarget(d PlanDelta, reason string) error {
	target, _ := strconv.ParseFloat(d.New, 64)
	old, _ := strconv.ParseFloat(d.Old, 64)
	draft, err := draftRevision(w.tx, w.u, w.plan.ID, w.now)
	if err != nil {
		return err
	}
	if err := w.tx.Where("version_id = ? AND indicator_id = ?", draft.ID, d.ID).Delete(&PlanChange{}).Error; err != nil {
		return err
	}
	return w.tx.Create(&PlanChange{VersionID: draft.ID, IndicatorID: d.ID, OldTarget: old, NewTarget: target,
		OldPacing: d.OldPacing, NewPacing: d.NewPacing, Reason: reason, By: w.u.Login, At: w.now}).Error
}

// revise puts a field change, an addition or a removal into the draft
// revision.
func (w *planWriter) revise(d PlanDelta, reason string) error {
	switch d.Field {
	case DeltaAdd:
		draft, err := draftRevision(w.tx, w.u, w.plan.ID, w.now)
		if err != nil {
			return err
		}
		serial, err := nextAdd(w.tx, draft.ID)
		if err != nil {
			return err
		}
		return w.tx.Create(&PlanEdit{VersionID: draft.ID, Record: d.Record, RecordID: d.ID,
			Field: DeltaAdd + strconv.Itoa(serial) + "@" + d.Path, New: d.Add, Reason: reason, By: w.u.Login, At: w.now}).Error
	case DeltaRemove:
		draft, err := draftRevision(w.tx, w.u, w.plan.ID, w.now)
		if err != nil {
			return err
		}
		if err := w.tx.Where("version_id = ? AND record = ? AND record_id = ? AND field = ?", draft.ID, d.Record, d.ID, DeltaRemove).
			Delete(&PlanEdit{}).Error; err != nil {
			return err
		}
		return w.tx.Create(&PlanEdit{VersionID: draft.ID, Record: d.Record, RecordID: d.ID, Field: DeltaRemove,
			Old: d.Old, Reason: reason, By: w.u.Login, At: w.now}).Error
	}
	_, err := editField(w.tx, w.u, w.plan, EditRef{d.Record, d.ID, d.Field}, d.Old, d.New, reason, d.Path+"."+d.Field, w.now)
	return err
}

// nextAdd is the serial of the next addition to a draft revision: one
// more than the highest it holds, so that additions under one parent,
// made by separate writes, stay apart.
func nextAdd(tx *gorm.DB, versionID uint) (int, error) {
	var fields []string
	if err := tx.Model(&PlanEdit{}).Where("version_id = ? AND field LIKE ?", versionID, DeltaAdd+"%").
		Pluck("field", &fields).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, f := range fields {
		serial, _, _ := strings.Cut(strings.TrimPrefix(f, DeltaAdd), "@")
		if k, err := strconv.Atoi(serial); err == nil {
			n = max(n, k)
		}
	}
	return n + 1, nil
}

// applyDelta makes one change in place.
func applyDelta(tx *gorm.DB, u *User, year int, d PlanDelta, reason string, now time.Time) error {
	switch d.Field {
	case DeltaAdd:
		_, err := addRecord(tx, d.Record, d.ID, d.Add, pathPlace(d.Path))
		return err
	case DeltaRemove:
		return removeRecord(tx, d.Record, d.ID)
	case "target":
		if d.Record != "indicators" {
			break // an outcome target's is a column like any other
		}
		target, _ := strconv.ParseFloat(d.New, 64)
		old, _ := strconv.ParseFloat(d.Old, 64)
		if err := tx.Model(&Indicator{}).Where("id = ?", d.ID).
			Updates(map[string]any{"target": target, "pacing": d.NewPacing, "needs_review": false}).Error; err != nil {
			return err
		}
		if old == target {
			return nil
		}
		return tx.Create(&FigureChange{IndicatorID: d.ID, Year: year, Action: "target", OldValue: &old, NewValue: &target,
			Who: u.Login, At: now, Why: reason}).Error
	}
	nv, err := columnValue(EditRef{d.Record, d.ID, d.Field}, d.New)
	if err != nil {
		return err
	}
	return tx.Table(d.Record).Where("id = ?", d.ID).Update(d.Field, nv).Error
}

// addRecord creates a record from its plan-file JSON under parent at
// place (or after the others when place is negative), with everything
// under it, and says its new ID.
func addRecord(tx *gorm.DB, record string, parent uint, data string, place int) (uint, error) {
	at := func(table, parentCol string) int {
		if place >= 0 {
			return place
		}
		return nextOrder(tx, table, parentCol, parent)
	}
	var planID uint
	if record == "tasks" || record == "outcomes" {
		planID = parent
	}
	switch record {
	case "tasks":
		var tf TaskFile
		if err := json.Unmarshal([]byte(data), &tf); err != nil {
			return 0, err
		}
		pf := PlanFile{Tasks: []TaskFile{tf}}
		task := pf.Plan().Tasks[0]
		task.PlanID, task.Order = planID, at("tasks", "plan_id")
		err := batched(tx).Create(&task).Error
		return task.ID, err
	case "programs":
		var f ProgramFile
		if err := json.Unmarshal([]byte(data), &f); err != nil {
			return 0, err
		}
		pf := PlanFile{Tasks: []TaskFile{{Programs: []ProgramFile{f}}}}
		prog := pf.Plan().Tasks[0].Programs[0]
		prog.TaskID, prog.Order = parent, at("programs", "task_id")
		err := batched(tx).Create(&prog).Error
		return prog.ID, err
	case "indicators":
		var f IndicatorFile
		if err := json.Unmarshal([]byte(data), &f); err != nil {
			return 0, err
		}
		ind := f.indicator(0)
		ind.ProgramID, ind.Order = parent, at("indicators", "program_id")
		err := batched(tx).Create(&ind).Error
		return ind.ID, err
	case "outcomes":
		var f OutcomeFile
		if err := json.Unmarshal([]byte(data), &f); err != nil {
			return 0, err
		}
		pf := PlanFile{Outcomes: []OutcomeFile{f}}
		o := pf.outcomes()[0]
		o.PlanID, o.Order = planID, at("outcomes", "plan_id")
		err := batched(tx).Create(&o).Error
		return o.ID, err
	}
	return 0, fmt.Errorf("models: add to %s", record)
}

// nextOrder is the position after the last record under a parent. A
// programme's spending indicator is not among its indicators and takes
// no place.
func nextOrder(tx *gorm.DB, table, parentCol string, parent uint) int {
	var n int64
	q := tx.Table(table).Where(parentCol+" = ?", parent)
	if table == "indicators" {
		q = q.Where("kind <> ?", KindSpending)
	}
	q.Count(&n)
	return int(n)
}

// pathPlace is the place a plan-file path gives its record among its
// siblings (the last index: 2 in tasks[0].programs[2]), or -1.
func pathPlace(path string) int {
	i := strings.LastIndexByte(path, '[')
	if i < 0 || !strings.HasSuffix(path, "]") {
		return -1
	}
	n, err := strconv.Atoi(path[i+1 : len(path)-1])
	if err != nil {
		return -1
	}
	return n
}

// renumber gives every record of a plan the place it holds among its
// siblings (0, 1, 2 …), so that a plan file's positions compare with
// stored places after removals and insertions.
func renumber(tx *gorm.DB, planID uint) error {
	type row struct {
		ID     uint
		Parent uint
		Order  int `gorm:"column:sort_order"`
	}
	groups := []struct{ table, parent, where string }{
		{"tasks", "plan_id", "plan_id = ?"},
		{"outcomes", "plan_id", "plan_id = ?"},
		{"programs", "task_id", "task_id IN (SELECT id FROM tasks WHERE plan_id = ?)"},
		{"indicators", "program_id", "kind <> 'spending' AND program_id IN (SELECT programs.id FROM programs JOIN tasks ON tasks.id = programs.task_id WHERE tasks.plan_id = ?)"},
	}
	for _, g := range groups {
		var rows []row
		if err := tx.Table(g.table).Select("id, "+g.parent+" AS parent, sort_order").Where(g.where, planID).
			Order(g.parent + ", sort_order, id").Scan(&rows).Error; err != nil {
			return err
		}
		place, parent := 0, uint(0)
		for i, r := range rows {
			if i == 0 || r.Parent != parent {
				place, parent = 0, r.Parent
			}
			if r.Order != place {
				if err := tx.Table(g.table).Where("id = ?", r.ID).Update("sort_order", place).Error; err != nil {
					return err
				}
			}
			place++
		}
	}
	return nil
}

// removeRecord deletes a record and everything under it.
func removeRecord(tx *gorm.DB, record string, id uint) error {
	ids, err := indicatorsUnder(tx, record, id)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		if err := tx.Where("indicator_id IN ?", ids).Delete(&PlanChange{}).Error; err != nil {
			return err
		}
		if err := tx.Where("id IN ?", ids).Delete(&Indicator{}).Error; err != nil {
			return err
		}
	}
	switch record {
	case "tasks":
		if err := tx.Where("task_id = ?", id).Delete(&Program{}).Error; err != nil {
			return err
		}
		return tx.Delete(&Task{}, id).Error
	case "programs":
		return tx.Delete(&Program{}, id).Error
	case "outcomes":
		return tx.Delete(&Outcome{}, id).Error
	}
	return nil
}

// PlanHeader is what names a new plan: its year, city and title.
type PlanHeader struct {
	Year    int
	City    string
	CityEn  string
	Title   string
	TitleEn string
	From    Origin
}

// CreatePlan starts an empty draft plan for a year that has none, for
// officials to write in the editor or fill from the plan spreadsheet.
func (s *Store) CreatePlan(ctx context.Context, u *User, in PlanHeader) (*Plan, error) {
	if !mayEditPlan(u) {
		return nil, fmt.Errorf("models: create plan %d: %w", in.Year, ErrForbidden)
	}
	pf := &PlanFile{Year: in.Year, City: strings.TrimSpace(in.City), CityEn: strings.TrimSpace(in.CityEn),
		Title: strings.TrimSpace(in.Title), TitleEn: strings.TrimSpace(in.TitleEn)}
	v := &ValidationError{}
	if in.Year < 2000 || in.Year > 2100 {
		v.say("year", "problem.planfile.year.range")
	}
	required(v, "city", pf.City)
	required(v, "title", pf.Title)
	if err := v.orNil(); err != nil {
		return nil, fmt.Errorf("models: create plan %d: %w", in.Year, err)
	}
	return s.createDraft(ctx, u, pf, nil, in.From)
}

// CreateDraftPlan stores a plan file as the draft plan of a year that has
// none, all or nothing: the plan spreadsheet uploaded for a new year.
// Departments are the new 담당부서 the official agreed to add to the list.
func (s *Store) CreateDraftPlan(ctx context.Context, u *User, pf *PlanFile, departments []string, from Origin) (*Plan, error) {
	if !mayEditPlan(u) {
		return nil, fmt.Errorf("models: create plan %d: %w", pf.Year, ErrForbidden)
	}
	if err := s.CheckPlanFile(ctx, pf); err != nil {
		return nil, fmt.Errorf("models: create plan %d: %w", pf.Year, err)
	}
	return s.createDraft(ctx, u, pf, departments, from)
}

func (s *Store) createDraft(ctx context.Context, u *User, pf *PlanFile, departments []string, from Origin) (*Plan, error) {
	plan := pf.Plan()
	plan.State = PlanDraft
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Plan{}).Where("year = ?", pf.Year).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return invalid("year", "problem.plan.exists", pf.Year)
		}
		if err := s.checkDepartments(tx, u, from, pf.Departments(), departments); err != nil {
			return err
		}
		if err := createPlan(tx, plan); err != nil {
			return err
		}
		if _, err := ensureSpending(tx); err != nil {
			return err
		}
		return recordEvent(tx, EventPlanEdit, nil, u, from, fmt.Sprintf("%d 계획 작성 시작: %s", pf.Year, pf.Title))
	})
	if err != nil {
		return nil, fmt.Errorf("models: create plan %d: %w", pf.Year, err)
	}
	return plan, nil
}
