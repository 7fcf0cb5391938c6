package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// MaxPlanFileSize bounds a plan file, so a huge upload cannot exhaust memory.
const MaxPlanFileSize = 4 << 20

// PlanFile is the JSON shape of a plan, as kept in data/plans and taken by
// `jobkpi plan import`.
type PlanFile struct {
	Year     int        `json:"year"`
	City     string     `json:"city"`
	CityEn   string     `json:"city_en,omitempty"`
	Title    string     `json:"title"`
	TitleEn  string     `json:"title_en,omitempty"`
	Vision   string     `json:"vision,omitempty"`
	VisionEn string     `json:"vision_en,omitempty"`
	Source   Source     `json:"source"`
	Facts    []FactFile `json:"facts,omitempty"`
	Tasks    []TaskFile `json:"tasks"`
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
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	NameEn   string        `json:"name_en,omitempty"`
	Source   Source        `json:"source"`
	Programs []ProgramFile `json:"programs"`
}

// ProgramFile is a programme in a plan file.
type ProgramFile struct {
	Name          string          `json:"name"`
	NameEn        string          `json:"name_en,omitempty"`
	Department    string          `json:"department,omitempty"`
	Description   string          `json:"description,omitempty"`
	DescriptionEn string          `json:"description_en,omitempty"`
	New           bool            `json:"new,omitempty"`
	Source        Source          `json:"source"`
	Indicators    []IndicatorFile `json:"indicators,omitempty"`
}

// IndicatorFile is an indicator in a plan file. Pacing is the string
// "linear" (or absent) or an array of 12 cumulative monthly values.
type IndicatorFile struct {
	Name         string          `json:"name"`
	NameEn       string          `json:"name_en,omitempty"`
	Unit         string          `json:"unit"`
	UnitEn       string          `json:"unit_en,omitempty"`
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

// Problem is one thing wrong with an input, at a field path such as
// tasks[1].programs[0].indicators[0].target. Message is in Korean;
// MessageEn, when set, says the same in English for English pages.
type Problem struct {
	Path      string `json:"path"`
	Message   string `json:"message"`
	MessageEn string `json:"-"`
	// Key names the problem's message in the catalogue, and Args are
	// its arguments; the handler words it in the page's language.
	Key  string `json:"-"`
	Args []any  `json:"-"`
}

// In gives the message in English when english is true and there is one.
func (p Problem) In(english bool) string {
	if english && p.MessageEn != "" {
		return p.MessageEn
	}
	return p.Message
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
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

func (e *ValidationError) add(path, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// say adds a problem shown on the web pages, in Korean and in English.
func (e *ValidationError) say(path, ko, en string, args ...any) {
	e.Problems = append(e.Problems, Problem{Path: path, Message: fmt.Sprintf(ko, args...), MessageEn: fmt.Sprintf(en, args...)})
}

// invalid is a ValidationError with one problem, in both languages.
func invalid(path, ko, en string, args ...any) *ValidationError {
	v := &ValidationError{}
	v.say(path, ko, en, args...)
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
		verr.add("", "파일이 %d MB보다 큽니다 (file is larger than %d MB)", MaxPlanFileSize>>20, MaxPlanFileSize>>20)
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
		verr.add("", "JSON 값 뒤에 다른 내용이 있습니다 (extra data after the JSON value)")
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
		line, col := lineCol(data, syn.Offset)
		return Problem{Message: fmt.Sprintf("JSON 형식 오류, %d행 %d열 (malformed JSON at line %d, column %d): %v", line, col, line, col, syn)}
	case errors.As(err, &typ):
		return Problem{Path: typ.Field, Message: fmt.Sprintf("%s 값이 올 수 없습니다 (expected %s, got %s)", typ.Value, typ.Type, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Problem{Message: "JSON이 비었거나 중간에 끝났습니다 (empty or truncated JSON)"}
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Problem{Path: field, Message: "알 수 없는 항목입니다 (unknown field)"}
	}
	return Problem{Message: fmt.Sprintf("JSON을 읽을 수 없습니다 (cannot read JSON): %v", err)}
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
	if pf.Year < 2000 || pf.Year > 2100 {
		v.add("year", "2000에서 2100 사이의 연도여야 합니다 (must be a year from 2000 to 2100)")
	}
	required(v, "city", pf.City)
	required(v, "title", pf.Title)
	if len(pf.Tasks) == 0 {
		v.add("tasks", "중점과제가 하나 이상 있어야 합니다 (needs at least one task)")
	}
	codes := map[string]int{}
	for i, t := range pf.Tasks {
		path := fmt.Sprintf("tasks[%d]", i)
		required(v, path+".code", t.Code)
		required(v, path+".name", t.Name)
		if j, dup := codes[t.Code]; dup && t.Code != "" {
			v.add(path+".code", "과제 코드 %q가 tasks[%d]와 겹칩니다 (duplicate task code)", t.Code, j)
		}
		codes[t.Code] = i
		for j, p := range t.Programs {
			p.validate(v, fmt.Sprintf("%s.programs[%d]", path, j), pf.Year)
		}
	}
	for i, f := range pf.Facts {
		path := fmt.Sprintf("facts[%d]", i)
		required(v, path+".label", f.Label)
		finite(v, path+".value", f.Value)
	}
	return v.orNil()
}

func (p *ProgramFile) validate(v *ValidationError, path string, year int) {
	required(v, path+".name", p.Name)
	for k, ind := range p.Indicators {
		ind.validate(v, fmt.Sprintf("%s.indicators[%d]", path, k), year)
	}
}

func (ind *IndicatorFile) validate(v *ValidationError, path string, year int) {
	required(v, path+".name", ind.Name)
	switch ind.Kind {
	case KindFlow, KindStock:
		required(v, path+".unit", ind.Unit)
		if ind.Target == nil {
			v.add(path+".target", "목표값이 필요합니다 (target is required)")
		} else if finite(v, path+".target", *ind.Target) && *ind.Target < 0 {
			v.add(path+".target", "0 이상이어야 합니다 (must be 0 or more)")
		}
		if _, err := ind.pacing(); err != nil {
			v.add(path+".pacing", "%v", err)
		}
	case KindMilestone:
		if ind.Target != nil && finite(v, path+".target", *ind.Target) && *ind.Target < 0 {
			v.add(path+".target", "0 이상이어야 합니다 (must be 0 or more)")
		}
		if _, err := ind.pacing(); err != nil {
			v.add(path+".pacing", "%v", err)
		}
		if ind.Due == "" {
			v.add(path+".due", "마일스톤에는 기한(YYYY-MM-DD)이 필요합니다 (a milestone needs a due date)")
		}
		checkDate(v, path+".due", ind.Due, year)
		checkDate(v, path+".done", ind.Done, year)
		switch ind.State {
		case "", MilestonePlanned, MilestoneInProgress, MilestoneDone, MilestoneDelayed:
		default:
			v.add(path+".state", "planned, in_progress, done, delayed 중 하나여야 합니다 (must be planned, in_progress, done or delayed)")
		}
	default:
		v.add(path+".kind", "flow, stock, milestone 중 하나여야 합니다 (must be flow, stock or milestone)")
	}
	ind.validateFigures(v, path)
	if ind.Baseline != nil && finite(v, path+".baseline", *ind.Baseline) && *ind.Baseline < 0 {
		v.add(path+".baseline", "0 이상이어야 합니다 (must be 0 or more)")
	}
	if ind.Weight != nil && finite(v, path+".weight", *ind.Weight) && *ind.Weight < 0 {
		v.add(path+".weight", "0 이상이어야 합니다 (must be 0 or more)")
	}
}

func (ind *IndicatorFile) validateFigures(v *ValidationError, path string) {
	if len(ind.Figures) > 0 && !ind.Kind.Monthly() {
		v.add(path+".figures", "마일스톤에는 월별 수치를 넣을 수 없습니다 (a milestone takes no monthly figures)")
		return
	}
	seen := map[int]bool{}
	for i, f := range ind.Figures {
		fp := fmt.Sprintf("%s.figures[%d]", path, i)
		if f.Month < 1 || f.Month > Months {
			v.add(fp+".month", "1에서 12 사이여야 합니다 (must be from 1 to 12)")
		} else if seen[f.Month] {
			v.add(fp+".month", "%d월이 두 번 나옵니다 (month %d appears twice)", f.Month, f.Month)
		}
		seen[f.Month] = true
		if finite(v, fp+".value", f.Value) && f.Value < 0 {
			v.add(fp+".value", "0 이상이어야 합니다 (must be 0 or more)")
		}
	}
}

// pacing decodes the pacing field: absent or "linear", or 12 cumulative values.
func (ind *IndicatorFile) pacing() (Pacing, error) {
	raw := bytes.TrimSpace(ind.Pacing)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `"linear"` {
		return nil, nil
	}
	var p Pacing
	if err := json.Unmarshal(raw, (*[]float64)(&p)); err != nil {
		return nil, errors.New(`"linear"이거나 12개월 누적 계획값 배열이어야 합니다 (must be "linear" or an array of 12 cumulative monthly values)`)
	}
	if err := p.Check(); err != nil {
		return nil, fmt.Errorf("월별 누적 계획이 잘못되었습니다 (%v)", err)
	}
	return p, nil
}

func required(v *ValidationError, path, s string) {
	if strings.TrimSpace(s) == "" {
		v.add(path, "비어 있을 수 없습니다 (must not be empty)")
	}
}

func finite(v *ValidationError, path string, f float64) bool {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxValue {
		v.add(path, "-1조에서 1조 사이의 숫자여야 합니다 (must be a number from -10^12 to 10^12)")
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
		v.add(path, "날짜는 YYYY-MM-DD 형식이어야 합니다 (date must be YYYY-MM-DD)")
		return
	}
	if d.Year() < year-1 || d.Year() > year+5 {
		v.add(path, "계획 연도와 너무 먼 날짜입니다 (date is far from the plan year %d)", year)
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
			}
			for k, in := range p.Indicators {
				prog.Indicators = append(prog.Indicators, in.indicator(k))
			}
			task.Programs = append(task.Programs, prog)
		}
		plan.Tasks = append(plan.Tasks, task)
	}
	return plan
}

func (in *IndicatorFile) indicator(order int) Indicator {
	ind := Indicator{
		Name: in.Name, NameEn: in.NameEn, Unit: in.Unit, UnitEn: in.UnitEn, Kind: in.Kind, Headline: in.Headline,
		Order: order, Baseline: in.Baseline, BaselineYear: in.BaselineYear, TargetNote: in.TargetNote,
		TargetNoteEn: in.TargetNoteEn, Weight: 1, DueDate: parseDate(in.Due), DoneDate: parseDate(in.Done),
		MilestoneState: in.State, Source: in.Source,
	}
	if in.Target != nil {
		ind.Target = *in.Target
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
