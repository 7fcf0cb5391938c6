package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Results is where a plan stands at the end of a reporting period, in
// numbers and words of no one language: what a report or a 공시 shows.
// Published results keep one as JSON (ResultsVersion), so that later
// edits to figures do not change what was published. Values are exact;
// writers round them as the pages do (Indicator.Round).
type Results struct {
	Year   int    `json:"year"`
	Period string `json:"period"` // as ParseReportPeriod reads it: "2020-H1"
	// AsOf is the last month the period counts.
	AsOf int `json:"asOfMonth"`
	// Submitted says submitted figures are counted as if approved; a
	// published report counts approved figures only.
	Submitted bool      `json:"includesSubmitted"`
	Made      time.Time `json:"madeAt"`
	City      string    `json:"city"`
	CityEn    string    `json:"cityEn,omitempty"`
	Title     string    `json:"title"`
	TitleEn   string    `json:"titleEn,omitempty"`
	Demo      bool      `json:"sample,omitempty"`
	// PlanVersion is the plan version in force at the end of the period,
	// with its publication date (nil when not recorded).
	PlanVersion     int        `json:"planVersion"`
	PlanVersionDate *time.Time `json:"planVersionDate,omitempty"`

	Overall ResultRollup `json:"overall"`
	Budget  *float64     `json:"budget,omitempty"`
	Spent   *float64     `json:"spent,omitempty"`
	// Fields are the 분야 in the order of the 분야 list, then the
	// unclassified programmes; a 분야 without programmes is left out.
	Fields        []ResultField      `json:"fields"`
	Tasks         []ResultTask       `json:"tasks"`
	Outcomes      []ResultOutcome    `json:"outcomes"`
	TargetChanges []ResultChange     `json:"targetChanges"`
	Departments   []ResultDepartment `json:"departments"`
}

// ResultRollup is a roll-up's achievement, status and count of
// indicators per status, of Total indicators.
type ResultRollup struct {
	Achievement float64        `json:"achievement"`
	Status      Status         `json:"status"`
	Counts      map[Status]int `json:"counts"`
	Total       int            `json:"total"`
}

// Rollup is the roll-up as Summary has it, for wording its counts.
func (ru ResultRollup) Rollup() Rollup {
	return Rollup{Achievement: ru.Achievement, Status: ru.Status, Counts: ru.Counts, Total: ru.Total}
}

// ResultField is one 분야 (Summary.ByField): its programmes, rolled up,
// with their budget and spending.
type ResultField struct {
	Code     string       `json:"code"`
	Rollup   ResultRollup `json:"rollup"`
	Budget   *float64     `json:"budget,omitempty"`
	Spent    *float64     `json:"spent,omitempty"`
	Programs []uint       `json:"programs"`
}

// ResultTask is a task with its programmes.
type ResultTask struct {
	Code     string          `json:"code"`
	Name     string          `json:"name"`
	NameEn   string          `json:"nameEn,omitempty"`
	Rollup   ResultRollup    `json:"rollup"`
	Budget   *float64        `json:"budget,omitempty"`
	Spent    *float64        `json:"spent,omitempty"`
	Programs []ResultProgram `json:"programs"`
}

// ResultProgram is a programme (세부사업) with its indicators, its 분야
// and 대상 codes, and its budget in force and spending to date, in 백만원.
type ResultProgram struct {
	ID         uint              `json:"id"`
	Name       string            `json:"name"`
	NameEn     string            `json:"nameEn,omitempty"`
	Department string            `json:"department"`
	Field      string            `json:"field,omitempty"`
	Groups     []string          `json:"groups"`
	New        bool              `json:"new,omitempty"`
	Rollup     ResultRollup      `json:"rollup"`
	Budget     *float64          `json:"budget,omitempty"`
	Spent      *float64          `json:"spent,omitempty"`
	Indicators []ResultIndicator `json:"indicators"`
}

// ResultIndicator is an indicator's target in force, actual, achievement
// and status at the end of the period, with the latest commentary.
type ResultIndicator struct {
	ID       uint    `json:"id"`
	Name     string  `json:"name"`
	NameEn   string  `json:"nameEn,omitempty"`
	Kind     Kind    `json:"kind"`
	Unit     string  `json:"unit"`
	UnitEn   string  `json:"unitEn,omitempty"`
	Basis    Basis   `json:"basis,omitempty"`
	Headline bool    `json:"headline,omitempty"`
	Target   float64 `json:"target"`
	// Original is the target the plan was published with, when a
	// revision changed it.
	Original    *float64 `json:"originalTarget,omitempty"`
	Actual      float64  `json:"actual"`
	Expected    float64  `json:"expected"`
	Achievement float64  `json:"achievement"`
	Status      Status   `json:"status"`
	Forecast    *float64 `json:"forecast,omitempty"`
	// Cumulative is the actual at the end of each month to AsOf; Plan is
	// the pace planned for each month.
	Cumulative MonthValues     `json:"cumulative"`
	Plan       [Months]float64 `json:"plan"`
	// Milestone fields.
	Due            *time.Time     `json:"dueDate,omitempty"`
	Done           *time.Time     `json:"doneDate,omitempty"`
	MilestoneState MilestoneState `json:"milestoneState,omitempty"`
	Analysis       string         `json:"analysis,omitempty"`
	Action         string         `json:"action,omitempty"`
	// Previous is the same period of the year before, for an indicator
	// copied from one.
	Previous *ResultPrevious `json:"previousYear,omitempty"`
}

// ResultPrevious is the indicator it was copied from, at the same month
// of the year before.
type ResultPrevious struct {
	Year        int     `json:"year"`
	Target      float64 `json:"target"`
	Actual      float64 `json:"actual"`
	Achievement float64 `json:"achievement"`
	Status      Status  `json:"status"`
}

// ResultOutcome is a 공통목표 with the latest survey release known when
// the results were made.
type ResultOutcome struct {
	Code         string         `json:"code"`
	Name         string         `json:"name"`
	NameEn       string         `json:"nameEn,omitempty"`
	Unit         string         `json:"unit"`
	UnitEn       string         `json:"unitEn,omitempty"`
	Baseline     *float64       `json:"baseline,omitempty"`
	BaselineYear int            `json:"baselineYear,omitempty"`
	Target       *float64       `json:"target,omitempty"`
	Latest       *ResultRelease `json:"latest,omitempty"`
}

// ResultRelease is one survey release of a 공통목표.
type ResultRelease struct {
	Year        int           `json:"year"`
	Period      OutcomePeriod `json:"period"`
	Value       float64       `json:"value"`
	Released    *time.Time    `json:"released,omitempty"`
	Provisional bool          `json:"provisional,omitempty"`
	Source      string        `json:"source"`
}

// ResultChange is a published target change.
type ResultChange struct {
	Indicator uint       `json:"indicatorId"`
	Name      string     `json:"name"`
	NameEn    string     `json:"nameEn,omitempty"`
	Unit      string     `json:"unit"`
	Version   int        `json:"planVersion"`
	Date      *time.Time `json:"date,omitempty"`
	Effective int        `json:"effectiveMonth"`
	Old       float64    `json:"old"`
	New       float64    `json:"new"`
	Reason    string     `json:"reason"`
}

// ResultDepartment is a department's indicators by status, and the
// indicator-months it owes: due without a figure, and of those, the ones
// past their lock date.
type ResultDepartment struct {
	Name   string         `json:"name"`
	Counts map[Status]int `json:"counts"`
	Owed   int            `json:"owed"`
	Late   int            `json:"late"`
}

// Results makes the results of period from the store as it is now:
// approved figures only, or submitted ones too.
func (s *Store) Results(ctx context.Context, p ReportPeriod, submitted bool) (*Results, error) {
	sum, err := s.summary(ctx, p.Year, p.End(), submitted)
	if err != nil {
		return nil, err
	}
	notes, err := s.LatestCommentaries(ctx, p.Year, p.End())
	if err != nil {
		return nil, err
	}
	changes, err := s.TargetChanges(ctx, p.Year)
	if err != nil {
		return nil, err
	}
	prev, prevYear, err := s.previousYear(ctx, sum.Plan, p.End())
	if err != nil {
		return nil, err
	}
	lock, err := s.LockDay(ctx)
	if err != nil {
		return nil, err
	}
	fields, err := s.Fields(ctx)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(fields))
	for i, f := range fields {
		codes[i] = f.Code
	}
	r := resultsOf(sum, p, notes, previous{prev, prevYear}, lock, s.now())
	for _, g := range sum.ByField(codes) {
		rf := ResultField{Code: g.Code, Rollup: rollupOf(g.Rollup), Budget: g.Execution.Budget, Spent: g.Execution.Spent}
		for _, ps := range g.Programs {
			rf.Programs = append(rf.Programs, ps.Program.ID)
		}
		r.Fields = append(r.Fields, rf)
	}
	r.Submitted = submitted
	for _, c := range changes {
		r.TargetChanges = append(r.TargetChanges, ResultChange{Indicator: c.IndicatorID, Name: c.IndicatorName, NameEn: c.IndicatorNameEn,
			Unit: c.Unit, Version: c.Number, Date: c.Date, Effective: c.Effective, Old: c.OldTarget, New: c.NewTarget, Reason: c.Reason})
	}
	return r, nil
}

// previousYear is the standing, at the same month, of the plan the
// indicators were copied from (CopyPlan: usually the year before), by
// indicator ID; empty when no indicator was copied.
func (s *Store) previousYear(ctx context.Context, plan *Plan, asof int) (map[uint]*IndicatorSummary, int, error) {
	from := plan.CopiedFrom
	if from == 0 {
		from = plan.Year - 1
	}
	out := map[uint]*IndicatorSummary{}
	if !copiesAny(plan) {
		return out, from, nil
	}
	sum, err := s.summary(ctx, from, asof, false)
	if errors.Is(err, ErrNotFound) {
		return out, from, nil
	}
	if err != nil {
		return nil, 0, err
	}
	return sum.Indicators, from, nil
}

func copiesAny(plan *Plan) bool {
	for _, t := range plan.Tasks {
		for _, p := range t.Programs {
			for _, ind := range p.Indicators {
				if ind.CopiedFrom != 0 {
					return true
				}
			}
		}
	}
	return false
}

// resultsOf turns an evaluated plan into results. It does no I/O.
// previous is the standing of the plan copied from, and its year.
type previous struct {
	indicators map[uint]*IndicatorSummary
	year       int
}

func resultsOf(sum *Summary, p ReportPeriod, notes map[uint]Commentary, prev previous, lockDay int, now time.Time) *Results {
	plan := sum.Plan
	r := &Results{Year: plan.Year, Period: p.String(), AsOf: sum.AsOf, Made: now, City: plan.City, CityEn: plan.CityEn,
		Title: plan.Title, TitleEn: plan.TitleEn, Demo: plan.Demo, Overall: rollupOf(sum.Overall),
		Budget: sum.Execution.Budget, Spent: sum.Execution.Spent, Tasks: []ResultTask{}, Outcomes: []ResultOutcome{},
		Fields: []ResultField{}, TargetChanges: []ResultChange{}, Departments: []ResultDepartment{}}
	if v := plan.VersionAt(sum.AsOf); v != nil {
		r.PlanVersion, r.PlanVersionDate = v.Number, v.Date
	}
	depts := map[string]*ResultDepartment{}
	for _, ts := range sum.Tasks {
		rt := ResultTask{Code: ts.Task.Code, Name: ts.Task.Name, NameEn: ts.Task.NameEn, Rollup: rollupOf(ts.Rollup),
			Budget: ts.Execution.Budget, Spent: ts.Execution.Spent, Programs: []ResultProgram{}}
		for _, ps := range ts.Programs {
			prog := ps.Program
			rp := ResultProgram{ID: prog.ID, Name: prog.Name, NameEn: prog.NameEn, Department: prog.Department, Field: prog.Field,
				Groups: groupCodes(prog.Groups), New: prog.New, Rollup: rollupOf(summarizeGroup(prog.Field, []ProgramSummary{ps}).Rollup),
				Budget: ps.Execution.Budget, Spent: ps.Execution.Spent, Indicators: []ResultIndicator{}}
			d := depts[prog.Department]
			if d == nil {
				d = &ResultDepartment{Name: prog.Department, Counts: map[Status]int{}}
				depts[prog.Department] = d
			}
			for _, is := range ps.Indicators {
				ri := resultIndicator(is, notes[is.Indicator.ID], prev.indicators[is.Current.CopiedFrom], prev.year)
				rp.Indicators = append(rp.Indicators, ri)
				d.Counts[ri.Status]++
				d.Owed += len(is.Progress.Missing)
				d.Late += lateMonths(plan.Year, is.Progress.Missing, lockDay, now)
			}
			rt.Programs = append(rt.Programs, rp)
		}
		r.Tasks = append(r.Tasks, rt)
	}
	for _, d := range depts {
		r.Departments = append(r.Departments, *d)
	}
	slices.SortFunc(r.Departments, func(a, b ResultDepartment) int { return strings.Compare(a.Name, b.Name) })
	for i := range plan.Outcomes {
		r.Outcomes = append(r.Outcomes, resultOutcome(&plan.Outcomes[i]))
	}
	return r
}

func rollupOf(ru Rollup) ResultRollup {
	counts := map[Status]int{}
	for k, v := range ru.Counts {
		counts[k] = v
	}
	return ResultRollup{Achievement: ru.Achievement, Status: ru.Status, Counts: counts, Total: ru.Total}
}

func resultIndicator(is *IndicatorSummary, note Commentary, prev *IndicatorSummary, prevYear int) ResultIndicator {
	ind, pr := is.Indicator, is.Progress
	ri := ResultIndicator{ID: ind.ID, Name: ind.Name, NameEn: ind.NameEn, Kind: ind.Kind, Unit: ind.Unit, UnitEn: ind.UnitEn,
		Basis: ind.Basis, Headline: ind.Headline, Target: ind.Target, Actual: pr.Actual, Expected: pr.Expected,
		Achievement: pr.Achievement, Status: pr.Status, Forecast: copyFloat(pr.Forecast), Cumulative: pr.Cumulative, Plan: pr.Plan,
		Due: ind.DueDate, Done: ind.DoneDate, MilestoneState: ind.MilestoneState, Analysis: note.Analysis, Action: note.Action}
	if is.TargetChanged() {
		orig := is.Original().Target
		ri.Original = &orig
	}
	if prev != nil {
		ri.Previous = &ResultPrevious{Year: prevYear, Target: prev.Indicator.Target, Actual: prev.Progress.Actual,
			Achievement: prev.Progress.Achievement, Status: prev.Progress.Status}
	}
	return ri
}

// lateMonths counts the months owed whose figures locked before now.
func lateMonths(year int, missing []int, lockDay int, now time.Time) int {
	n := 0
	for _, m := range missing {
		if now.After(MonthEnd(year, m).AddDate(0, 0, lockDay)) {
			n++
		}
	}
	return n
}

func groupCodes(s string) []string {
	out := []string{}
	for _, g := range strings.Split(s, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

func resultOutcome(o *Outcome) ResultOutcome {
	ro := ResultOutcome{Code: o.Code, Name: o.Name, NameEn: o.NameEn, Unit: o.Unit, UnitEn: o.UnitEn, Baseline: copyFloat(o.Baseline),
		BaselineYear: o.BaselineYear, Target: copyFloat(o.Target)}
	if l := o.Latest(); l != nil {
		ro.Latest = &ResultRelease{Year: l.Year, Period: l.Period, Value: l.Value, Released: l.Released, Provisional: l.Provisional,
			Source: l.SourceText}
	}
	return ro
}

// Indicators lists every indicator of the results in plan order.
func (r *Results) Indicators() []*ResultIndicator {
	var out []*ResultIndicator
	for ti := range r.Tasks {
		for pi := range r.Tasks[ti].Programs {
			p := &r.Tasks[ti].Programs[pi]
			for ii := range p.Indicators {
				out = append(out, &p.Indicators[ii])
			}
		}
	}
	return out
}

// Round rounds a value of the indicator as the pages show it
// (Indicator.Round).
func (ri *ResultIndicator) Round(v float64) float64 { return ri.Indicator().Round(v) }

// Indicator is the indicator as the results keep it: its names, unit,
// kind, target in force and milestone dates, for writing its numbers as
// the pages do.
func (ri *ResultIndicator) Indicator() *Indicator {
	return &Indicator{ID: ri.ID, Name: ri.Name, NameEn: ri.NameEn, Unit: ri.Unit, UnitEn: ri.UnitEn, Basis: ri.Basis, Kind: ri.Kind,
		Headline: ri.Headline, Target: ri.Target, DueDate: ri.Due, DoneDate: ri.Done, MilestoneState: ri.MilestoneState}
}

// Monthly says the indicator is measured by monthly figures, not a
// milestone.
func (ri *ResultIndicator) Monthly() bool { return ri.Kind.Monthly() }

// sortedStatuses lists the statuses from best to worst.
var sortedStatuses = []Status{StatusReached, StatusOnTrack, StatusWatch, StatusBehind, StatusMissing}

// Statuses lists the statuses an indicator can have, from best to worst.
func Statuses() []Status { return slices.Clone(sortedStatuses) }

// IndicatorCount is the number of indicators of a year's plan, spending
// ones left out; 0 when there is no plan.
func (s *Store) IndicatorCount(ctx context.Context, year int) (int, error) {
	var n int64
	err := s.r.WithContext(ctx).Table("indicators").
		Joins("JOIN programs ON programs.id = indicators.program_id").
		Joins("JOIN tasks ON tasks.id = programs.task_id").
		Joins("JOIN plans ON plans.id = tasks.plan_id").
		Where("plans.year = ? AND indicators.kind <> ?", year, KindSpending).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("models: count indicators of %d: %w", year, err)
	}
	return int(n), nil
}
