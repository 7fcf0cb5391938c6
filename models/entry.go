package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// EntryCell is one month of one indicator in the entry grid.
type EntryCell struct {
	Month  int
	Figure *Figure // nil when nothing was entered
	Future bool    // the month has not started
	Locked bool    // past its lock with no unlock in force
	LockAt time.Time
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
// and whether the month is open.
func (s *Store) EntryRows(ctx context.Context, year int, dept string) ([]EntryRow, error) {
	plan, err := s.Plan(ctx, year)
	if err != nil {
		return nil, err
	}
	return s.entryRows(ctx, plan, func(d string) bool { return d == dept })
}

// entryRows builds the grid rows of the programmes whose department keep
// says yes, with one query for their figures and one for their unlocks.
// cols, when given, are the only figure columns read.
func (s *Store) entryRows(ctx context.Context, plan *Plan, keep func(dept string) bool, cols ...string) ([]EntryRow, error) {
	lockDay, err := s.LockDay(ctx)
	if err != nil {
		return nil, err
	}
	year := plan.Year
	var rows []EntryRow
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
		}
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
	now := s.now()
	var unlocks []Unlock
	if err := s.r.WithContext(ctx).Where("indicator_id IN ? AND year = ? AND until > ?", ids, year, now).Find(&unlocks).Error; err != nil {
		return nil, fmt.Errorf("models: unlocks: %w", err)
	}
	for i := range rows {
		id := rows[i].Indicator.ID
		for m := 1; m <= Months; m++ {
			c := &rows[i].Cells[m-1]
			c.Month, c.LockAt = m, LockTime(year, m, lockDay)
			c.Future = time.Date(year, time.Month(m), 1, 0, 0, 0, 0, KST).After(now)
			c.Locked = !now.Before(c.LockAt) && !slices.ContainsFunc(unlocks, func(u Unlock) bool {
				return u.IndicatorID == id && u.Month == m
			})
		}
	}
	index := map[uint]int{}
	for i, r := range rows {
		index[r.Indicator.ID] = i
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

// Due is a month a department still owes: not yet submitted or approved.
type Due struct {
	Indicator  Indicator
	Department string
	Month      int
	Year       int
	LockAt     time.Time
	Overdue    bool // past the lock without an approved value
	Status     FigureStatus
}

// DueFor lists, for a department and the plan of the current year, every
// open or overdue month: the months up to the current one that have no
// submitted or approved value. Officials and admins (dept "") see every
// department.
func (s *Store) DueFor(ctx context.Context, dept string) ([]Due, error) {
	now := s.now().In(KST)
	year := now.Year()
	plan, err := s.Plan(ctx, year)
	if errors.Is(err, ErrNotFound) {
		return nil, nil // no plan this year: nothing is due
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.entryRows(ctx, plan, func(d string) bool { return d != "" && (dept == "" || d == dept) },
		"indicator_id", "month", "status")
	if err != nil {
		return nil, err
	}
	// Rows come in plan order; the list goes by department, then plan order.
	slices.SortStableFunc(rows, func(a, b EntryRow) int { return strings.Compare(a.Program.Department, b.Program.Department) })
	var out []Due
	for _, r := range rows {
		for _, c := range r.Cells {
			if c.Future {
				continue
			}
			f := c.Figure
			approved := f != nil && f.Status == FigureApproved
			if approved || f != nil && f.Status == FigureSubmitted && now.Before(c.LockAt) {
				continue
			}
			status := FigureStatus("")
			if f != nil {
				status = f.Status
			}
			out = append(out, Due{Indicator: r.Indicator, Department: r.Program.Department, Month: c.Month, Year: year, LockAt: c.LockAt, Overdue: !now.Before(c.LockAt), Status: status})
		}
	}
	return out, nil
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
