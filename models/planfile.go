package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// MaxPlanFileSize bounds a plan file, so a huge upload cannot exhaust memory.
const MaxPlanFileSize = 4 << 20

// PublishedUnknown is a plan file's publication date when it is not known.
const PublishedUnknown = "unknown"

// PlanFile is the JSON shape of a plan, as kept in data/plans and taken by
// `jobkpi plan import`.
type PlanFile struct {
	Year     int    `json:"year"`
	City     string `json:"city"`
	CityEn   string `json:"city_en,omitempty"`
	Title    string `json:"title"`
	TitleEn  string `json:"title_en,omitempty"`
	Vision   string `json:"vision,omitempty"`
	VisionEn string `json:"vision_en,omitempty"`
	// Published is the date the plan was published (공시), YYYY-MM-DD, or
	// PublishedUnknown.
	Published string `json:"published,omitempty"`
	// PublishedRef cites where the publication date comes from.
	PublishedRef string     `json:"published_ref,omitempty"`
	Source       Source     `json:"source"`
	Facts        []FactFile `json:"facts,omitempty"`
	Tasks        []TaskFile `json:"tasks"`
	// Outcomes are the plan's outcome targets (공통목표) with their results.
	Outcomes []OutcomeFile `json:"outcomes,omitempty"`
}

// FactFile is a context fact in a plan file.
type FactFile struct {
	Label   string  `json:"label"`
	LabelEn string  `json:"label_en,omitempty"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit,omitempty"`
	UnitEn  string  `json:"unit_en,omitempty"`
	Source  Source  `json:"source"`
}

// TaskFile is a core task in a plan file.
type TaskFile struct {
	// ID is the stored record's ID in a plan exported for revision (the
	// plan spreadsheet); 0 for a new record. A revision matches records
	// by ID, never by name.
	ID       uint          `json:"id,omitempty"`
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	NameEn   string        `json:"name_en,omitempty"`
	Source   Source        `json:"source"`
	Programs []ProgramFile `json:"programs"`
}

// ProgramFile is a programme in a plan file.
type ProgramFile struct {
	ID            uint   `json:"id,omitempty"`
	Name          string `json:"name"`
	NameEn        string `json:"name_en,omitempty"`
	Department    string `json:"department,omitempty"`
	Description   string `json:"description,omitempty"`
	DescriptionEn string `json:"description_en,omitempty"`
	New           bool   `json:"new,omitempty"`
	// Field is the code of the programme's 분야; Groups the codes of its
	// 대상; Classified says they were assigned, not quoted from the source.
	Field      string   `json:"field,omitempty"`
	Groups     []string `json:"groups,omitempty"`
	Classified bool     `json:"classified,omitempty"`
	// Budget is the planned budget by source, in 백만원.
	Budget     Budget          `json:"budget,omitzero"`
	Source     Source          `json:"source"`
	Indicators []IndicatorFile `json:"indicators,omitempty"`
}

// IndicatorFile is an indicator in a plan file. Pacing is the string
// "linear" (or absent) or an array of 12 cumulative monthly values.
type IndicatorFile struct {
	ID     uint   `json:"id,omitempty"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
	Unit   string `json:"unit"`
	UnitEn string `json:"unit_en,omitempty"`
	// Basis is what a count of people counts: people, visits or unknown
	// (the default); no other unit has one.
	Basis        Basis           `json:"basis,omitempty"`
	Kind         Kind            `json:"kind"`
	Headline     bool            `json:"headline,omitempty"`
	Target       *float64        `json:"target"`
	Baseline     *float64        `json:"baseline,omitempty"`
	BaselineYear int             `json:"baseline_year,omitempty"`
	TargetNote   string          `json:"target_note,omitempty"`
	TargetNoteEn string          `json:"target_note_en,omitempty"`
	Weight       *float64        `json:"weight,omitempty"`
	Pacing       json.RawMessage `json:"pacing,omitempty"`
	Due          string          `json:"due,omitempty"`
	Done         string          `json:"done,omitempty"`
	State        MilestoneState  `json:"state,omitempty"`
	Source       Source          `json:"source"`
	Figures      []FigureFile    `json:"figures,omitempty"`
}

// FigureFile is a reported monthly value carried in a plan file.
type FigureFile struct {
	Month int     `json:"month"`
	Value float64 `json:"value"`
	Note  string  `json:"note,omitempty"`
}

// PlanText is a text of the plan, such as a unit, as an argument of a
// problem: Korean, with an optional English version. The handlers show
// the version that fits the reader's language.
type PlanText struct{ Ko, En string }

// Problem is one thing wrong with an input, at a field path such as
// tasks[1].programs[0].indicators[0].target. models never words a
// problem: Key names its message in the catalogue (static/i18n) and Args
// are the message's arguments, values such as numbers and names. The
// handlers say it in the reader's language.
type Problem struct {
	Path string `json:"path"`
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// String is the problem for logs: path: key [args].
func (p Problem) String() string {
	s := p.Key
	if len(p.Args) > 0 {
		s += fmt.Sprintf(" %v", p.Args)
	}
	if p.Path == "" {
		return s
	}
	return p.Path + ": " + s
}

// ValidationError lists every problem found in an input at once.
type ValidationError struct {
	Problems []Problem
}

// ErrInvalid is wrapped by every ValidationError.
var ErrInvalid = errors.New("invalid input")

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// say adds a problem: the catalogue key of its message and the message's
// arguments.
func (e *ValidationError) say(path, key string, args ...any) {
	e.Problems = append(e.Problems, Problem{Path: path, Key: key, Args: args})
}

// invalid is a ValidationError with one problem.
func invalid(path, key string, args ...any) *ValidationError {
	v := &ValidationError{}
	v.say(path, key, args...)
	return v
}

func (e *ValidationError) orNil() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

// ParsePlanFile reads and validates a plan file. On any problem it returns a
// *ValidationError that lists all of them.
func ParsePlanFile(r io.Reader) (*PlanFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxPlanFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("models: read plan file: %w", err)
	}
	verr := &ValidationError{}
	if len(data) > MaxPlanFileSize {
		verr.say("", "problem.planfile.too.large", MaxPlanFileSize>>20)
		return nil, verr
	}
	var pf PlanFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pf); err != nil {
		verr.Problems = append(verr.Problems, decodeProblem(data, err))
		return nil, verr
	}
	if dec.More() {
		verr.say("", "problem.planfile.json.extra")
		return nil, verr
	}
	if err := pf.Validate(); err != nil {
		return nil, err
	}
	return &pf, nil
}

// decodeProblem turns a JSON decoding error into a problem that says where.
func decodeProblem(data []byte, err error) Problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset-1) // Offset is just after the bad byte
		return Problem{Key: "problem.planfile.json.syntax", Args: []any{line, col}}
	case errors.As(err, &typ):
		return Problem{Path: typ.Field, Key: "problem.planfile.json.type", Args: []any{typ.Value, typ.Type.String()}}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Problem{Key: "problem.planfile.json.empty"}
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Problem{Path: field, Key: "problem.planfile.json.unknown.field"}
	}
	return Problem{Key: "problem.planfile.json.unreadable", Args: []any{err.Error()}}
}

func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Validate checks every field and returns all problems at once.
func (pf *PlanFile) Validate() error {
	v := &ValidationError{}
	codes := make([]string, len(defaultFields))
	for i, f := range defaultFields {
		codes[i] = f.Code
	}
	pf.check(v, codes)
	return v.orNil()
}

// check adds every problem of the plan file to v; fields are the codes
// of the 분야 it may use.
func (pf *PlanFile) check(v *ValidationError, fields []string) {
	if pf.Year < 2000 || pf.Year > 2100 {
		v.say("year", "problem.planfile.year.range")
	}
	required(v, "city", pf.City)
	required(v, "title", pf.Title)
	if _, err := time.Parse(time.DateOnly, pf.Published); pf.Published != "" && pf.Published != PublishedUnknown && err != nil {
		v.say("published", "problem.planfile.published", pf.Published)
	}
	if len(pf.Tasks) == 0 {
		v.say("tasks", "problem.planfile.tasks.none")
	}
	codes := map[string]int{}
	for i, t := range pf.Tasks {
		path := fmt.Sprintf("tasks[%d]", i)
		required(v, path+".code", t.Code)
		required(v, path+".name", t.Name)
		if j, dup := codes[t.Code]; dup && t.Code != "" {
			v.say(path+".code", "problem.planfile.task.code.duplicate", t.Code, j)
		}
		codes[t.Code] = i
		for j, p := range t.Programs {
			p.validate(v, fmt.Sprintf("%s.programs[%d]", path, j), pf.Year, fields)
		}
	}
	for i, f := range pf.Facts {
		path := fmt.Sprintf("facts[%d]", i)
		required(v, path+".label", f.Label)
		finite(v, path+".value", f.Value)
	}
	pf.validateOutcomes(v)
}

func (p *ProgramFile) validate(v *ValidationError, path string, year int, fields []string) {
	required(v, path+".name", p.Name)
	if p.Field != "" && !slices.Contains(fields, p.Field) {
		v.say(path+".field", "problem.field.unknown", p.Field)
	}
	for _, g := range p.Groups {
		if !Group(g).Known() {
			v.say(path+".groups", "problem.group.unknown", g)
		}
	}
	for i, a := range p.Budget.Amounts() {
		if a != nil && finite(v, path+".budget."+BudgetSources[i], *a) && *a < 0 {
			v.say(path+".budget."+BudgetSources[i], "problem.budget.negative")
		}
	}
	names := map[string]bool{}
	for k, ind := range p.Indicators {
		ipath := fmt.Sprintf("%s.indicators[%d]", path, k)
		ind.validate(v, ipath, year)
		if name := strings.TrimSpace(ind.Name); names[name] && name != "" {
			v.say(ipath+".name", "problem.planfile.indicator.duplicate", name)
		}
		names[strings.TrimSpace(ind.Name)] = true
	}
}

func (ind *IndicatorFile) validate(v *ValidationError, path string, year int) {
	required(v, path+".name", ind.Name)
	if ind.Basis != "" {
		if key := basisProblem(ind.Unit, ind.Basis); key != "" {
			v.say(path+".basis", key, PlanText{ind.Unit, ind.UnitEn})
		}
	}
	switch ind.Kind {
	case KindFlow, KindStock:
		required(v, path+".unit", ind.Unit)
		if ind.Target == nil {
			v.say(path+".target", "problem.planfile.target.required")
		} else if finite(v, path+".target", *ind.Target) && *ind.Target < 0 {
			v.say(path+".target", "problem.planfile.negative")
		}
		p, pr := ind.pacing()
		if pr == nil && ind.Target != nil {
			pr = p.endProblem(*ind.Target)
		}
		if pr != nil {
			v.say(path+".pacing", pr.Key, pr.Args...)
		}
	case KindMilestone:
		if ind.Target != nil && finite(v, path+".target", *ind.Target) && *ind.Target < 0 {
			v.say(path+".target", "problem.planfile.negative")
		}
		if _, pr := ind.pacing(); pr != nil {
			v.say(path+".pacing", pr.Key, pr.Args...)
		}
		if ind.Due == "" {
			v.say(path+".due", "problem.planfile.due.required")
		}
		checkDate(v, path+".due", ind.Due, year)
		checkDate(v, path+".done", ind.Done, year)
		switch ind.State {
		case "", MilestonePlanned, MilestoneInProgress, MilestoneDone, MilestoneDelayed:
		default:
			v.say(path+".state", "problem.planfile.state")
		}
	default:
		v.say(path+".kind", "problem.planfile.kind")
	}
	ind.validateFigures(v, path)
	if ind.Baseline != nil && finite(v, path+".baseline", *ind.Baseline) && *ind.Baseline < 0 {
		v.say(path+".baseline", "problem.planfile.negative")
	}
	if ind.Weight != nil && finite(v, path+".weight", *ind.Weight) && *ind.Weight < 0 {
		v.say(path+".weight", "problem.planfile.negative")
	}
}

func (ind *IndicatorFile) validateFigures(v *ValidationError, path string) {
	if len(ind.Figures) > 0 && !ind.Kind.Monthly() {
		v.say(path+".figures", "problem.planfile.figures.milestone")
		return
	}
	seen := map[int]bool{}
	for i, f := range ind.Figures {
		fp := fmt.Sprintf("%s.figures[%d]", path, i)
		if f.Month < 1 || f.Month > Months {
			v.say(fp+".month", "problem.planfile.month.range")
		} else if seen[f.Month] {
			v.say(fp+".month", "problem.planfile.month.twice", f.Month)
		}
		seen[f.Month] = true
		if finite(v, fp+".value", f.Value) && f.Value < 0 {
			v.say(fp+".value", "problem.planfile.negative")
		}
	}
}

// pacing decodes the pacing field: absent or "linear", or 12 cumulative
// values. A field it cannot use gives a problem without a path.
func (ind *IndicatorFile) pacing() (Pacing, *Problem) {
	raw := bytes.TrimSpace(ind.Pacing)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `"linear"` {
		return nil, nil
	}
	var p Pacing
	if err := json.Unmarshal(raw, (*[]float64)(&p)); err != nil {
		return nil, &Problem{Key: "problem.pacing.shape"}
	}
	if pr := p.problem(); pr != nil {
		return nil, pr
	}
	return p, nil
}

func required(v *ValidationError, path, s string) {
	if strings.TrimSpace(s) == "" {
		v.say(path, "problem.planfile.empty")
	}
}

func finite(v *ValidationError, path string, f float64) bool {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxValue {
		v.say(path, "problem.planfile.number.range")
		return false
	}
	return true
}

func checkDate(v *ValidationError, path, s string, year int) {
	if s == "" {
		return
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.say(path, "problem.planfile.date.format")
		return
	}
	if d.Year() < year-1 || d.Year() > year+5 {
		v.say(path, "problem.planfile.date.far", year)
	}
}

func parseDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil
	}
	return &d
}

// Plan converts a validated plan file into the stored shape.
func (pf *PlanFile) Plan() *Plan {
	plan := &Plan{
		Year: pf.Year, City: pf.City, CityEn: pf.CityEn, Title: pf.Title, TitleEn: pf.TitleEn,
		Vision: pf.Vision, VisionEn: pf.VisionEn, Source: pf.Source,
	}
	for i, f := range pf.Facts {
		plan.Facts = append(plan.Facts, ContextFact{
			Label: f.Label, LabelEn: f.LabelEn, Value: f.Value, Unit: f.Unit, UnitEn: f.UnitEn, Order: i, Source: f.Source,
		})
	}
	for i, t := range pf.Tasks {
		task := Task{Code: t.Code, Name: t.Name, NameEn: t.NameEn, Order: i, Source: t.Source}
		for j, p := range t.Programs {
			prog := Program{
				Name: p.Name, NameEn: p.NameEn, Department: p.Department, Description: p.Description,
				DescriptionEn: p.DescriptionEn, New: p.New, Order: j, Source: p.Source,
				Field: p.Field, Groups: groupsText(parseGroups(strings.Join(p.Groups, ","))), Classified: p.Classified, Budget: p.Budget,
			}
			for k, in := range p.Indicators {
				prog.Indicators = append(prog.Indicators, in.indicator(k))
			}
			task.Programs = append(task.Programs, prog)
		}
		plan.Tasks = append(plan.Tasks, task)
	}
	plan.Outcomes = pf.outcomes()
	return plan
}

func (in *IndicatorFile) indicator(order int) Indicator {
	ind := Indicator{
		Name: in.Name, NameEn: in.NameEn, Unit: in.Unit, UnitEn: in.UnitEn, Basis: in.Basis, Kind: in.Kind, Headline: in.Headline,
		Order: order, Baseline: in.Baseline, BaselineYear: in.BaselineYear, TargetNote: in.TargetNote,
		TargetNoteEn: in.TargetNoteEn, Weight: 1, DueDate: parseDate(in.Due), DoneDate: parseDate(in.Done),
		MilestoneState: in.State, Source: in.Source,
	}
	if in.Target != nil {
		ind.Target = *in.Target
	}
	if NeedsBasis(ind.Unit) && ind.Basis == "" {
		ind.Basis = BasisUnknown
	}
	if in.Weight != nil {
		ind.Weight = *in.Weight
	}
	if !ind.Kind.Monthly() {
		ind.Target = 1
		if ind.MilestoneState == "" {
			ind.MilestoneState = MilestonePlanned
		}
	}
	ind.Pacing, _ = in.pacing()
	return ind
}
