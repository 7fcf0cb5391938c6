package models

import (
	"context"
	"slices"
	"time"
)

// Summary is a plan's standing at an as-of month: every indicator evaluated
// and rolled up to its task and to the plan.
type Summary struct {
	Plan        *Plan
	AsOf        int
	LatestMonth int // the latest month that has any approved figure; 0 if none
	Overall     Rollup
	Tasks       []TaskSummary
	Headlines   []*IndicatorSummary
	Milestones  []*IndicatorSummary
	Indicators  map[uint]*IndicatorSummary
}

// TaskSummary is one task's standing.
type TaskSummary struct {
	Task     *Task
	Rollup   Rollup
	Programs []ProgramSummary
}

// ProgramSummary is one programme with its evaluated indicators.
type ProgramSummary struct {
	Program    *Program
	Indicators []*IndicatorSummary
}

// IndicatorSummary is one indicator with its monthly figures and progress.
type IndicatorSummary struct {
	Indicator *Indicator
	Task      *Task
	Program   *Program
	Figures   MonthValues
	Progress  Progress
}

// Summarize evaluates a loaded plan at as-of month asof using figs (as
// returned by ApprovedFigures). It does no I/O.
func Summarize(plan *Plan, figs map[uint]*MonthValues, asof int) *Summary {
	s := &Summary{Plan: plan, AsOf: clampMonth(asof), Indicators: map[uint]*IndicatorSummary{}}
	s.LatestMonth = latestMonth(figs)
	var all []Weighted
	for ti := range plan.Tasks {
		task := &plan.Tasks[ti]
		ts := TaskSummary{Task: task}
		var children []Weighted
		for pi := range task.Programs {
			prog := &task.Programs[pi]
			ps := ProgramSummary{Program: prog}
			for ii := range prog.Indicators {
				is := summarizeIndicator(task, prog, &prog.Indicators[ii], figs, plan.Year, s.AsOf)
				ps.Indicators = append(ps.Indicators, is)
				s.Indicators[is.Indicator.ID] = is
				children = append(children, Weighted{Weight: is.Indicator.Weight, Progress: is.Progress})
				if is.Indicator.Headline {
					s.Headlines = append(s.Headlines, is)
				}
				if !is.Indicator.Kind.Monthly() {
					s.Milestones = append(s.Milestones, is)
				}
			}
			ts.Programs = append(ts.Programs, ps)
		}
		ts.Rollup = RollUp(children)
		all = append(all, children...)
		s.Tasks = append(s.Tasks, ts)
	}
	s.Overall = RollUp(all)
	sortByDue(s.Milestones)
	return s
}

func summarizeIndicator(task *Task, prog *Program, ind *Indicator, figs map[uint]*MonthValues, year, asof int) *IndicatorSummary {
	is := &IndicatorSummary{Indicator: ind, Task: task, Program: prog}
	if mv := figs[ind.ID]; mv != nil {
		is.Figures = *mv
	}
	if !ind.Kind.Monthly() {
		is.Progress = EvaluateMilestone(ind, year, asof)
	} else {
		is.Progress = Evaluate(ind, is.Figures, asof)
	}
	return is
}

func latestMonth(figs map[uint]*MonthValues) int {
	latest := 0
	for _, mv := range figs {
		for m := Months; m > latest; m-- {
			if mv[m-1] != nil {
				latest = m
				break
			}
		}
	}
	return latest
}

// sortByDue orders milestones by due date, keeping plan order for equal
// dates; undated ones go last.
func sortByDue(ms []*IndicatorSummary) {
	slices.SortStableFunc(ms, func(a, b *IndicatorSummary) int {
		da, db := a.Indicator.DueDate, b.Indicator.DueDate
		switch {
		case da == nil && db == nil:
			return 0
		case da == nil:
			return 1
		case db == nil:
			return -1
		}
		return da.Compare(*db)
	})
}

// DefaultAsOf picks the as-of month to show when none is asked for: the
// current month when the plan year is the current year, otherwise the
// latest month that has figures; a past year with no figures shows
// December and a future year January.
func DefaultAsOf(year, latest int, now time.Time) int {
	now = now.In(KST) // the month as it is in Korea
	switch {
	case year == now.Year():
		return int(now.Month())
	case latest > 0:
		return latest
	case year < now.Year():
		return Months
	}
	return 1
}

// Summary loads the plan of a year and evaluates it at asof; asof 0 means
// the default month (see DefaultAsOf).
func (s *Store) Summary(ctx context.Context, year, asof int) (*Summary, error) {
	return s.summary(ctx, year, asof, false)
}

// DraftSummary is the Summary of the coming disclosure: values submitted
// and not yet approved count as if they were approved.
func (s *Store) DraftSummary(ctx context.Context, year, asof int) (*Summary, error) {
	return s.summary(ctx, year, asof, true)
}

func (s *Store) summary(ctx context.Context, year, asof int, draft bool) (*Summary, error) {
	plan, err := s.Plan(ctx, year)
	if err != nil {
		return nil, err
	}
	figs, err := s.planFigures(ctx, plan, draft)
	if err != nil {
		return nil, err
	}
	if asof == 0 {
		asof = DefaultAsOf(year, latestMonth(figs), s.now())
	}
	return Summarize(plan, figs, asof), nil
}
