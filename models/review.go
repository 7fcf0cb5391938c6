package models

import (
	"context"
	"fmt"
	"slices"
)

// ReviewItem is a submitted figure with what an official needs to decide
// on it without leaving the list: the month before, the actual to date
// once it is approved, the plan to date, and whether it is far from the
// indicator's usual monthly value.
type ReviewItem struct {
	PendingFigure
	Kind Kind
	// IndicatorNameEn and UnitEn are the English names, when the plan
	// has them.
	IndicatorNameEn, UnitEn string
	// Previous is the approved value of the month before; nil in January
	// or when that month has none.
	Previous *float64
	// ToDate is the actual to date at this month if the value is
	// approved: the sum of the approved months before it and this value
	// for a flow, this value for a stock.
	ToDate float64
	// PlanToDate is what the plan expects by the end of this month.
	PlanToDate float64
	// Usual is the indicator's usual value for a month (see usualValue);
	// nil when there is nothing to compare with.
	Usual *float64
	// Unusual: the value is more than twice the usual one or less than
	// half of it.
	Unusual bool
}

// MinUsualMonths is how many approved months a flow needs before their
// median counts as its usual monthly value; with fewer, the plan's own
// monthly step is the usual value.
const MinUsualMonths = 3

// ForReview lists the submitted figures of every department, oldest
// first (as Pending), each with its context.
func (s *Store) ForReview(ctx context.Context) ([]ReviewItem, error) {
	pending, err := s.Pending(ctx)
	if err != nil {
		return nil, err
	}
	if len(pending) == 0 {
		return nil, nil
	}
	var ids []uint
	for _, p := range pending {
		if !slices.Contains(ids, p.IndicatorID) {
			ids = append(ids, p.IndicatorID)
		}
	}
	// Each value is set against the target and monthly plan in force in
	// its month, which its year's plan knows.
	plans := map[int]*Plan{}
	byID := map[uint]*Indicator{}
	for _, p := range pending {
		if plans[p.Year] != nil {
			continue
		}
		plan, err := s.Plan(ctx, p.Year)
		if err != nil {
			return nil, fmt.Errorf("models: review: %w", err)
		}
		plans[p.Year] = plan
		for _, ind := range append(plan.Indicators(), plan.Spendings()...) {
			byID[ind.ID] = ind
		}
	}
	var figs []Figure
	if err := s.r.WithContext(ctx).Select("indicator_id", "year", "month", "approved").
		Where("indicator_id IN ? AND approved IS NOT NULL", ids).Find(&figs).Error; err != nil {
		return nil, fmt.Errorf("models: review figures: %w", err)
	}
	type period struct {
		id   uint
		year int
	}
	approved := map[period]*MonthValues{}
	for _, f := range figs {
		if f.Month < 1 || f.Month > Months {
			continue
		}
		k := period{f.IndicatorID, f.Year}
		if approved[k] == nil {
			approved[k] = &MonthValues{}
		}
		approved[k][f.Month-1] = f.Approved
	}
	out := make([]ReviewItem, len(pending))
	for i, p := range pending {
		mv := approved[period{p.IndicatorID, p.Year}]
		if mv == nil {
			mv = &MonthValues{}
		}
		ind := byID[p.IndicatorID]
		if ind != nil {
			ind = withTerm(ind, plans[p.Year].TermAt(ind, p.Month))
		}
		out[i] = reviewContext(p, ind, mv)
	}
	return out, nil
}

// reviewContext works out the context of one submitted figure from its
// indicator and the approved values of its year.
func reviewContext(p PendingFigure, ind *Indicator, approved *MonthValues) ReviewItem {
	it := ReviewItem{PendingFigure: p}
	if ind == nil || p.Month < 1 || p.Month > Months {
		return it
	}
	m := p.Month
	it.Kind, it.IndicatorNameEn, it.UnitEn = ind.Kind, ind.NameEn, ind.UnitEn
	if m > 1 {
		it.Previous = copyFloat(approved[m-2])
	}
	before := *approved
	before[m-1] = nil
	for i := m; i < Months; i++ {
		before[i] = nil // only the months before count
	}
	with := before
	with[m-1] = &p.Value
	it.ToDate = Evaluate(ind, with, m).Actual
	it.PlanToDate = ind.Pacing.Expected(ind.Target, m)
	it.Usual = usualValue(ind, &before, m)
	it.Unusual = it.Usual != nil && *it.Usual > 0 && (p.Value > 2**it.Usual || p.Value < *it.Usual/2)
	return it
}

// usualValue is what a month of the indicator usually brings, to compare
// a new value with: for a stock, the latest approved level before month
// m; for a flow, the median of the approved months before m when there
// are at least MinUsualMonths of them, else the plan's step for month m.
func usualValue(ind *Indicator, before *MonthValues, m int) *float64 {
	var vals []float64
	for i := range m - 1 {
		if v := before[i]; v != nil {
			vals = append(vals, *v)
		}
	}
	if ind.Kind.CarriesForward() {
		if len(vals) == 0 {
			return nil
		}
		return &vals[len(vals)-1]
	}
	if len(vals) >= MinUsualMonths {
		slices.Sort(vals)
		mid := len(vals) / 2
		med := vals[mid]
		if len(vals)%2 == 0 {
			med = (vals[mid-1] + vals[mid]) / 2
		}
		return &med
	}
	step := ind.Pacing.Expected(ind.Target, m)
	if m > 1 {
		step -= ind.Pacing.Expected(ind.Target, m-1)
	}
	if step <= 0 {
		return nil
	}
	return &step
}
