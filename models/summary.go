package models

import (
	"context"
	"slices"
	"time"
)

// Summary is a plan's standing at an as-of month: every indicator evaluated
// and rolled up to its task and to the plan.
type Summary struct {
	Plan *Plan
	AsOf int
	// Picked says the as-of month was asked for; otherwise it is Default.
	Picked bool
	// Default is the as-of month shown when none is asked for (see
	// DefaultAsOf).
	Default int
	// Coverage counts the figures of each month, for saying why the
	// default is what it is and which later month is partial.
	Coverage    Coverage
	LatestMonth int // the latest month that has any approved figure; 0 if none
	Overall     Rollup
	// Execution is the plan's spending against budget.
	Execution  Execution
	Tasks      []TaskSummary
	Headlines  []*IndicatorSummary
	Milestones []*IndicatorSummary
	Indicators map[uint]*IndicatorSummary
}

// TaskSummary is one task's standing.
type TaskSummary struct {
	Task      *Task
	Rollup    Rollup
	Execution Execution
	Programs  []ProgramSummary
}

// ProgramSummary is one programme with its evaluated indicators.
type ProgramSummary struct {
	Program    *Program
	Task       *Task
	Indicators []*IndicatorSummary
	// Spending is the programme's spending indicator evaluated, nil if it
	// has none; Execution sets it against the budget in force.
	Spending  *IndicatorSummary
	Execution Execution
}

// IndicatorSummary is one indicator with its monthly figures and progress.
type IndicatorSummary struct {
	Indicator *Indicator
	Task      *Task
	Program   *Program
	Figures   MonthValues
	Progress  Progress
	// Term is the target and monthly plan in force at the as-of month,
	// which Indicator holds and Progress is measured against.
	Term Term
	// Terms lists every target the indicator has had (Plan.Terms).
	Terms []Term
	// Current is the indicator as it stands now, with the latest target.
	Current *Indicator
}

// Find is the indicator id evaluated: one of the plan's or a programme's
// spending indicator; nil when the plan has none such.
func (s *Summary) Find(id uint) *IndicatorSummary {
	if is := s.Indicators[id]; is != nil {
		return is
	}
	for _, ts := range s.Tasks {
		for _, ps := range ts.Programs {
			if ps.Spending != nil && ps.Spending.Indicator.ID == id {
				return ps.Spending
			}
		}
	}
	return nil
}

// TargetChanged reports whether a published revision changed the target.
func (is *IndicatorSummary) TargetChanged() bool { return len(is.Terms) > 1 }

// Original is the target the plan was published with.
func (is *IndicatorSummary) Original() Term { return is.Terms[0] }

// Latest is the latest target.
func (is *IndicatorSummary) Latest() Term { return is.Terms[len(is.Terms)-1] }

// Summarize evaluates a loaded plan at as-of month asof using figs (as
// returned by ApprovedFigures). It does no I/O.
func Summarize(plan *Plan, figs map[uint]*MonthValues, asof int) *Summary {
	s := &Summary{Plan: plan, AsOf: clampMonth(asof), Indicators: map[uint]*IndicatorSummary{}}
	s.Coverage = CoverageOf(plan, figs)
	s.LatestMonth = s.Coverage.Latest()
	var all []Weighted
	for ti := range plan.Tasks {
		task := &plan.Tasks[ti]
		ts := TaskSummary{Task: task}
		var children []Weighted
		for pi := range task.Programs {
			prog := &task.Programs[pi]
			ps := ProgramSummary{Program: prog, Task: task, Execution: executionOf(plan, prog, figs, s.AsOf)}
			if prog.Spending != nil {
				ps.Spending = summarizeIndicator(plan, task, prog, prog.Spending, figs, s.AsOf)
			}
			ts.Execution.add(ps.Execution)
			for ii := range prog.Indicators {
				is := summarizeIndicator(plan, task, prog, &prog.Indicators[ii], figs, s.AsOf)
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
		s.Execution.add(ts.Execution)
		all = append(all, children...)
		s.Tasks = append(s.Tasks, ts)
	}
	s.Overall = RollUp(all)
	sortByDue(s.Milestones)
	return s
}

// summarizeIndicator evaluates one indicator at asof against the target
// and monthly plan in force in that month (Plan.TermAt).
func summarizeIndicator(plan *Plan, task *Task, prog *Program, cur *Indicator, figs map[uint]*MonthValues, asof int) *IndicatorSummary {
	is := &IndicatorSummary{Task: task, Program: prog, Current: cur, Terms: plan.Terms(cur), Term: plan.TermAt(cur, asof)}
	ind := withTerm(cur, is.Term)
	is.Indicator = ind
	if mv := figs[ind.ID]; mv != nil {
		is.Figures = *mv
	}
	if !ind.Kind.Monthly() {
		is.Progress = EvaluateMilestone(ind, plan.Year, asof)
	} else {
		is.Progress = Evaluate(ind, is.Figures, asof)
		// Each month's plan is the one in force in that month, so that
		// the months before a revision show what they were planned at.
		for m := 1; m <= Months && len(is.Terms) > 1; m++ {
			t := plan.TermAt(cur, m)
			is.Progress.Plan[m-1] = t.Pacing.Expected(t.Target, m)
		}
	}
	return is
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

// Coverage counts, month by month, how many of a plan's indicators that
// take monthly figures have one for that month itself.
type Coverage struct {
	Due      int         // indicators that take monthly figures (Kind.Monthly)
	Reported [Months]int // of those, how many have a figure for each month
}

// CoverageOf counts the figures of a plan's indicators that take monthly
// figures. A stock counts only in the months it has a figure for: its
// carried level does not fill a month.
func CoverageOf(plan *Plan, figs map[uint]*MonthValues) Coverage {
	var c Coverage
	for _, t := range plan.Tasks {
		for _, p := range t.Programs {
			for _, ind := range p.Indicators {
				if !ind.Kind.Monthly() {
					continue
				}
				c.Due++
				mv := figs[ind.ID]
				for m := 0; mv != nil && m < Months; m++ {
					if mv[m] != nil {
						c.Reported[m]++
					}
				}
			}
		}
	}
	return c
}

// Complete reports whether every indicator due in month m (1–12) has a
// figure for m itself.
func (c Coverage) Complete(m int) bool { return c.Reported[clampMonth(m)-1] == c.Due }

// Latest is the latest month that has any figure; 0 if none.
func (c Coverage) Latest() int {
	for m := Months; m >= 1; m-- {
		if c.Reported[m-1] > 0 {
			return m
		}
	}
	return 0
}

// DefaultAsOf picks the as-of month to show when none is asked for: the
// latest month m for which every indicator that takes monthly figures has
// a figure for m itself (Coverage.Complete), so that the page never jumps
// to a month only some departments have reported. An older gap (one
// indicator's missing August) does not hold it back; that indicator shows
// as missing.
//
// Only months that have begun count: all twelve of a past year, those up
// to the current month in Korea of the current year. When none of them is
// complete it is the latest of them with the most indicators reported, so
// that one indicator that never reports does not send the page back to
// January; with no figures at all that is the latest of them (December of
// a past year, the current month of this year). A future year, which has
// no month begun, shows January. A plan with no indicator that takes
// monthly figures is complete in every month.
func DefaultAsOf(year int, cov Coverage, now time.Time) int {
	now = now.In(KST) // the month as it is in Korea
	last := 0
	switch {
	case year < now.Year():
		last = Months
	case year == now.Year():
		last = int(now.Month())
	}
	best := 1
	for m := last; m >= 1; m-- {
		if cov.Reported[m-1] > cov.Reported[best-1] || m == last {
			best = m
		}
		if cov.Complete(m) {
			break
		}
	}
	return best
}

// Summary loads the plan of a year and evaluates it at asof; asof 0 means
// the default month (see DefaultAsOf). A month asked for stays as asked.
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
	def := DefaultAsOf(year, CoverageOf(plan, figs), s.now())
	picked := asof != 0
	if !picked {
		asof = def
	}
	sum := Summarize(plan, figs, asof)
	sum.Picked, sum.Default = picked, def
	return sum, nil
}
