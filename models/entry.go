package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// EntryCell is one month of one indicator in the entry grid: its state
// (Future, Locked, Writable, LockAt) and its figure.
type EntryCell struct {
	Period
	Figure *Figure // nil when nothing was entered
}

// EntryRow is one indicator in the entry grid.
type EntryRow struct {
	Indicator Indicator
	Program   Program
	Cells     [Months]EntryCell
}

// Departments lists the departments that own programmes in a year's plan.
func (s *Store) Departments(ctx context.Context, year int) ([]string, error) {
	var out []string
	err := s.r.WithContext(ctx).Table("programs").Distinct("programs.department").
		Joins("JOIN tasks ON tasks.id = programs.task_id").Joins("JOIN plans ON plans.id = tasks.plan_id").
		Where("plans.year = ? AND programs.department <> ''", year).Order("programs.department").Pluck("programs.department", &out).Error
	if err != nil {
		return nil, fmt.Errorf("models: departments %d: %w", year, err)
	}
	return out, nil
}

// DepartmentMilestones lists a department's milestone indicators of a plan
// year, in plan order: what it records on the indicator pages rather than
// in the grid.
func (s *Store) DepartmentMilestones(ctx context.Context, year int, dept string) ([]Indicator, error) {
	plan, err := s.Plan(ctx, year)
	if err != nil {
		return nil, err
	}
	var out []Indicator
	for _, t := range plan.Tasks {
		for _, p := range t.Programs {
			for _, ind := range p.Indicators {
				if p.Department == dept && !ind.Kind.Monthly() {
					out = append(out, ind)
				}
			}
		}
	}
	return out, nil
}

// EntryRows builds the entry grid of a department for a plan year: its
// flow and stock indicators, each with every month's figure (any status)
// and whether the month is open. A draft plan takes no figures: ErrDraft.
func (s *Store) EntryRows(ctx context.Context, year int, dept string) ([]EntryRow, error) {
	plan, err := s.Plan(ctx, year)
	if err != nil {
		return nil, err
	}
	if !plan.Published() {
		return nil, fmt.Errorf("models: entry rows of %d: %w", year, ErrDraft)
	}
	return s.entryRows(ctx, plan, func(d string) bool { return d == dept })
}

// entryRows builds the grid rows of the programmes whose department keep
// says yes, with one query for their figures and one for their unlocks:
// the indicators in plan order, then the programmes' spending.
// cols, when given, are the only figure columns read.
func (s *Store) entryRows(ctx context.Context, plan *Plan, keep func(dept string) bool, cols ...string) ([]EntryRow, error) {
	year := plan.Year
	var rows, spending []EntryRow // spending rows follow the indicators
	var ids []uint
	for _, t := range plan.Tasks {
		for _, p := range t.Programs {
			if !keep(p.Department) {
				continue
			}
			for _, ind := range p.Indicators {
				if !ind.Kind.Monthly() {
					continue
				}
				rows = append(rows, EntryRow{Indicator: ind, Program: p})
				ids = append(ids, ind.ID)
			}
			if p.Spending != nil {
				spending = append(spending, EntryRow{Indicator: *p.Spending, Program: p})
			}
		}
	}
	for _, r := range spending {
		rows = append(rows, r)
		ids = append(ids, r.Indicator.ID)
	}
	if len(rows) == 0 {
		return rows, nil
	}
	var figs []Figure
	q := s.r.WithContext(ctx).Where("indicator_id IN ? AND year = ?", ids, year)
	if len(cols) > 0 {
		q = q.Select(cols)
	}
	if err := q.Find(&figs).Error; err != nil {
		return nil, fmt.Errorf("models: entry figures: %w", err)
	}
	states, err := periods(s.r.WithContext(ctx), ids, year, s.now())
	if err != nil {
		return nil, err
	}
	index := map[uint]int{}
	for i := range rows {
		ps := states[rows[i].Indicator.ID]
		for m := range rows[i].Cells {
			rows[i].Cells[m].Period = ps[m]
		}
		index[rows[i].Indicator.ID] = i
	}
	for i := range figs {
		f := &figs[i]
		if f.Month >= 1 && f.Month <= Months {
			rows[index[f.IndicatorID]].Cells[f.Month-1].Figure = f
		}
	}
	return rows, nil
}

// PendingFigure is a submitted figure waiting for an official, with what
// the review page shows of it.
type PendingFigure struct {
	Figure
	IndicatorName string
	Unit          string
	Department    string
	PlanYear      int
}

// Pending lists the submitted figures of every department, oldest first.
func (s *Store) Pending(ctx context.Context) ([]PendingFigure, error) {
	var out []PendingFigure
	err := s.r.WithContext(ctx).Table("figures").
		Select("figures.*, indicators.name AS indicator_name, indicators.unit, programs.department, plans.year AS plan_year").
		Joins("JOIN indicators ON indicators.id = figures.indicator_id").
		Joins("JOIN programs ON programs.id = indicators.program_id").
		Joins("JOIN tasks ON tasks.id = programs.task_id").
		Joins("JOIN plans ON plans.id = tasks.plan_id").
		Where("figures.status = ?", FigureSubmitted).Order("figures.updated_at, figures.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: pending figures: %w", err)
	}
	return out, nil
}

// Due is an indicator-month that asks something of a department: a value
// to enter, a draft or returned value to submit, or, for officials, a
// submitted value to approve.
type Due struct {
	Indicator  Indicator
	Department string
	Year       int
	Month      int
	LockAt     time.Time
	Overdue    bool         // past the lock without an approved value
	Status     FigureStatus // "" when nothing was entered
}

// Waiting tells whether the value waits for an official's approval.
func (d Due) Waiting() bool { return d.Status == FigureSubmitted }

// DueFor lists what a department owes, by department, year, plan order
// and month:
//   - in the plan in force (this year's, or else the latest before it),
//     every begun month without a submitted or approved value, and
//     submitted months past their lock that are not yet approved;
//   - in any other plan, the months still open for entry (last December
//     until its lock day, or a month an official unlocked) and the drafts
//     and returned values not yet submitted.
//
// Officials and admins (dept "") see every department, and every
// submitted value that waits for their approval.
func (s *Store) DueFor(ctx context.Context, dept string) ([]Due, error) {
	years, inForce, err := s.dueYears(ctx, dept == "")
	if err != nil {
		return nil, err
	}
	keep := func(d string) bool { return d != "" && (dept == "" || d == dept) }
	var out []Due
	for _, year := range years {
		plan, err := s.Plan(ctx, year)
		if err != nil {
			return nil, err
		}
		rows, err := s.entryRows(ctx, plan, keep, "indicator_id", "month", "status")
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			// Spending is owed only where there is a budget to spend.
			optional := r.Indicator.Kind == KindSpending && r.Program.Budget.Empty()
			for _, c := range r.Cells {
				if !owes(c, year == inForce, dept == "") || optional && c.Figure == nil {
					continue
				}
				d := Due{Indicator: r.Indicator, Department: r.Program.Department, Year: year, Month: c.Month, LockAt: c.LockAt, Overdue: c.PastLock()}
				if c.Figure != nil {
					d.Status = c.Figure.Status
				}
				out = append(out, d)
			}
		}
	}
	// Years come in order and rows in plan order; the list goes by
	// department first.
	slices.SortStableFunc(out, func(a, b Due) int {
		return cmp.Or(strings.Compare(a.Department, b.Department), cmp.Compare(a.Year, b.Year))
	})
	return out, nil
}

// owes tells whether a cell asks something of the user. inForce: the cell
// is of the plan in force, whose missing months are owed even when locked.
// official: the user approves submitted values.
func owes(c EntryCell, inForce, official bool) bool {
	if c.Future() {
		return false
	}
	var status FigureStatus
	if c.Figure != nil {
		status = c.Figure.Status
	}
	switch status {
	case FigureApproved:
		return false
	case FigureDraft, FigureReturned:
		return true
	case FigureSubmitted:
		return official || inForce && c.PastLock()
	}
	return inForce || c.Writable()
}

// dueYears lists, oldest first, the plan years where something may be
// owed, and the year of the plan in force (0 when no plan has begun):
// that plan, last year's (whose December stays open into January), and
// any year with a value not yet submitted (or, for officials, not yet
// approved) or an unlock in force.
func (s *Store) dueYears(ctx context.Context, official bool) ([]int, int, error) {
	now := s.now()
	this := now.In(KST).Year()
	all, err := s.Years(ctx, false)
	if err != nil {
		return nil, 0, err
	}
	pending := []FigureStatus{FigureDraft, FigureReturned}
	if official {
		pending = append(pending, FigureSubmitted)
	}
	var busy, unlocked []int
	db := s.r.WithContext(ctx)
	if err := db.Model(&Figure{}).Distinct("year").Where("status IN ?", pending).Pluck("year", &busy).Error; err != nil {
		return nil, 0, fmt.Errorf("models: years with pending figures: %w", err)
	}
	if err := db.Model(&Unlock{}).Distinct("year").Where("until > ?", now).Pluck("year", &unlocked).Error; err != nil {
		return nil, 0, fmt.Errorf("models: years with unlocks: %w", err)
	}
	inForce := InForceYear(all, now)
	var years []int
	for _, y := range all {
		if y <= this && (y == inForce || y == this-1 || slices.Contains(busy, y) || slices.Contains(unlocked, y)) {
			years = append(years, y)
		}
	}
	return years, inForce, nil
}

// InForceYear is the plan year whose months are being entered at now: the
// current year in Korea when it has a plan, else the latest earlier one;
// with only later plans, the earliest of them (0 with none). years are in
// order, as Years gives them.
func InForceYear(years []int, now time.Time) int {
	this := now.In(KST).Year()
	inForce := 0
	for _, y := range years {
		if y <= this || inForce == 0 {
			inForce = y
		}
	}
	return inForce
}

// dueCounts keeps the number of owed months per department for one data
// version and one day in Korea. What is owed changes only with the data or
// at midnight KST, when a month opens or locks.
type dueCounts struct {
	mu      sync.Mutex
	version int64
	day     string
	n       map[string]int
}

// DueCount is len(DueFor(dept)), kept until the next write or the next day
// in Korea: the header badge asks for it on every signed-in page.
func (s *Store) DueCount(ctx context.Context, dept string) (int, error) {
	version, day := s.Version(), s.now().In(KST).Format(time.DateOnly)
	s.due.mu.Lock()
	n, ok := s.due.n[dept]
	ok = ok && s.due.version == version && s.due.day == day
	s.due.mu.Unlock()
	if ok {
		return n, nil
	}
	due, err := s.DueFor(ctx, dept)
	if err != nil {
		return 0, err
	}
	s.due.mu.Lock()
	defer s.due.mu.Unlock()
	if s.due.version != version || s.due.day != day || s.due.n == nil {
		s.due.version, s.due.day, s.due.n = version, day, map[string]int{}
	}
	s.due.n[dept] = len(due)
	return len(due), nil
}

// PendingValues returns, for each month of an indicator's year, the figure
// whose working value is not yet approved (a draft, submitted or returned
// value, or an edit of an approved one); nil where there is none.
func (s *Store) PendingValues(ctx context.Context, id uint, year int) ([Months]*Figure, error) {
	var out [Months]*Figure
	var figs []Figure
	err := s.r.WithContext(ctx).Where("indicator_id = ? AND year = ? AND (status <> ? OR approved IS NULL OR approved <> value)",
		id, year, FigureApproved).Find(&figs).Error
	if err != nil {
		return out, fmt.Errorf("models: pending values %d: %w", id, err)
	}
	for i := range figs {
		if m := figs[i].Month; m >= 1 && m <= Months {
			out[m-1] = &figs[i]
		}
	}
	return out, nil
}
