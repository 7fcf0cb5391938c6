package models

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Status is the judgement shown for an indicator, task or plan.
type Status string

// The statuses, from best to worst. StatusNone is only used for a roll-up
// that has no indicators under it.
const (
	StatusReached Status = "reached"  // 달성: actual ≥ target
	StatusOnTrack Status = "on_track" // 정상: pace ≥ 0.95
	StatusWatch   Status = "watch"    // 주의: 0.85 ≤ pace < 0.95
	StatusBehind  Status = "behind"   // 부진: pace < 0.85
	StatusMissing Status = "missing"  // 미입력: a month that is due has no figure
	StatusNone    Status = "none"     // 지표 없음: nothing to measure
)

// Pace thresholds.
const (
	OnTrackPace = 0.95
	WatchPace   = 0.85
)

// Months is the number of months in a plan year.
const Months = 12

// MonthValues holds one value per month; nil means no figure for that month.
type MonthValues [Months]*float64

// Pacing is the planned cumulative value at the end of each month. An empty
// Pacing means linear pacing: target × m / 12.
type Pacing []float64

// MaxValue bounds every target, figure, weight and planned value, so that
// sums, ratios and forecasts stay finite.
const MaxValue = 1e12

// MaxRatio caps achievement and pace: a ratio beyond it means nothing and
// could overflow to +Inf against a tiny target.
const MaxRatio = 1e6

// ErrPacing reports a monthly plan that cannot be used.
var ErrPacing = errors.New("invalid pacing")

// Check reports whether p is linear (empty) or 12 non-negative cumulative
// values that never go down.
func (p Pacing) Check() error {
	if pr := p.problem(); pr != nil {
		return fmt.Errorf("%w: %s", ErrPacing, pr)
	}
	return nil
}

// problem is what is wrong with p, as a catalogue key and its arguments,
// or nil.
func (p Pacing) problem() *Problem {
	if len(p) == 0 {
		return nil
	}
	if len(p) != Months {
		return &Problem{Key: "problem.pacing.count", Args: []any{len(p)}}
	}
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxValue {
			return &Problem{Key: "problem.pacing.range", Args: []any{i + 1, v}}
		}
		if i > 0 && v < p[i-1] {
			return &Problem{Key: "problem.pacing.down", Args: []any{i + 1, v, i, p[i-1]}}
		}
	}
	return nil
}

// endProblem says that a monthly plan does not end at its target, or nil:
// by December the plan reaches what the year sets out.
func (p Pacing) endProblem(target float64) *Problem {
	if len(p) != Months || p[Months-1] == target {
		return nil
	}
	return &Problem{Key: "problem.target.pacing.end", Args: []any{strconv.FormatFloat(target, 'f', -1, 64)}}
}

// Expected returns the value planned by the end of month m (1–12).
func (p Pacing) Expected(target float64, m int) float64 {
	m = clampMonth(m)
	if len(p) == Months {
		return p[m-1]
	}
	return target * float64(m) / Months
}

// Value stores the pacing as JSON text; linear pacing is stored as NULL.
func (p Pacing) Value() (driver.Value, error) {
	if len(p) == 0 {
		return nil, nil
	}
	b, err := json.Marshal([]float64(p))
	return string(b), err
}

// Scan reads the pacing back from JSON text.
func (p *Pacing) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*p = nil
		return nil
	case string:
		return json.Unmarshal([]byte(v), (*[]float64)(p))
	case []byte:
		return json.Unmarshal(v, (*[]float64)(p))
	}
	return fmt.Errorf("models: scan pacing from %T", src)
}

// Progress is an indicator's standing at an as-of month.
type Progress struct {
	AsOf        int
	Actual      float64
	Expected    float64
	Achievement float64 // actual / target
	Pace        float64 // actual / expected
	Status      Status
	// Forecast is the year-end value projected from the months that have
	// a figure (see Evaluate); nil when it cannot be told.
	Forecast *float64
	// ForecastFrom lists the months the forecast projects from: a flow's
	// months that have a figure, or the month of a stock's latest level.
	ForecastFrom []int
	Missing      []int // due months that have no figure
	// Cumulative is the actual to date at the end of each month up to AsOf
	// (nil after AsOf, and nil before the first figure of a stock).
	Cumulative MonthValues
	// Plan is the expected value at the end of each month.
	Plan [Months]float64
}

// Evaluate computes an indicator's progress at as-of month asof (1–12) from
// its monthly figures. Milestones are judged by their dates instead; see
// EvaluateMilestone.
//
// The forecast never counts a month without a figure as zero: it projects
// from the months up to asof that have one. A flow's actual over those
// months is set against the plan for those same months (the plan's
// monthly increments) and scaled to the target; a stock's latest level is
// set against the plan at that level's month. There is no forecast when
// no month with a figure had anything planned.
func Evaluate(ind *Indicator, figs MonthValues, asof int) Progress {
	asof = clampMonth(asof)
	p := Progress{AsOf: asof}
	for m := 1; m <= Months; m++ {
		p.Plan[m-1] = ind.Pacing.Expected(ind.Target, m)
	}
	var sum float64
	var level *float64
	for m := 1; m <= asof; m++ {
		v := figs[m-1]
		if v != nil {
			sum += *v
			level = v
		}
		if ind.Kind.CarriesForward() {
			p.Cumulative[m-1] = copyFloat(level)
		} else {
			p.Cumulative[m-1] = copyFloat(&sum)
		}
	}
	p.Missing = missingMonths(ind.Kind, figs, asof)
	if c := p.Cumulative[asof-1]; c != nil {
		p.Actual = *c
	}
	p.Expected = p.Plan[asof-1]
	p.Achievement = ratio(p.Actual, ind.Target)
	p.Pace = ratio(p.Actual, p.Expected)
	p.Status = judge(p.Actual, ind.Target, p.Pace, len(p.Missing) > 0)
	p.Forecast, p.ForecastFrom = forecast(ind, figs, &p.Plan, asof)
	return p
}

// forecast projects the year-end value from the months up to asof that
// have a figure, and names those months (see Evaluate).
func forecast(ind *Indicator, figs MonthValues, plan *[Months]float64, asof int) (*float64, []int) {
	var actual, planned float64
	var from []int
	if ind.Kind.CarriesForward() {
		for m := asof; m >= 1 && from == nil; m-- {
			if v := figs[m-1]; v != nil {
				actual, planned, from = *v, plan[m-1], []int{m}
			}
		}
	} else {
		// The plan for the months with a figure, run by run of
		// consecutive months, so that a year without gaps counts exactly
		// the plan to date.
		before := func(m int) float64 {
			if m == 1 {
				return 0
			}
			return plan[m-2]
		}
		run := 0 // the first month of the current run, 0 between runs
		for m := 1; m <= asof; m++ {
			v := figs[m-1]
			if v == nil {
				run = 0
				continue
			}
			if run == 0 {
				run = m
			}
			actual += *v
			from = append(from, m)
			if m == asof || figs[m] == nil {
				planned += plan[m-1] - before(run)
			}
		}
	}
	if planned <= 0 {
		return nil, nil
	}
	f := min(actual/planned, MaxRatio) * ind.Target
	return &f, from
}

// missingMonths lists the due months that have no figure. Every month up to
// the as-of month is due for a flow; a stock carries its level forward, so
// only the as-of month itself is due.
func missingMonths(kind Kind, figs MonthValues, asof int) []int {
	var out []int
	from := 1
	if kind.CarriesForward() {
		from = asof
	}
	for m := from; m <= asof; m++ {
		if figs[m-1] == nil {
			out = append(out, m)
		}
	}
	return out
}

// EvaluateMilestone judges a milestone at the end of as-of month asof of the
// plan year. Its actual is 1 once done and its target is 1.
func EvaluateMilestone(ind *Indicator, year, asof int) Progress {
	asof = clampMonth(asof)
	end := MonthEnd(year, asof)
	p := Progress{AsOf: asof}
	done := ind.DoneDate != nil && !ind.DoneDate.After(end)
	due := ind.DueDate != nil && !ind.DueDate.After(end)
	if done {
		p.Actual = 1
	}
	if due {
		p.Expected = 1
	}
	for m := 1; m <= Months; m++ {
		if ind.DueDate != nil && !ind.DueDate.After(MonthEnd(year, m)) {
			p.Plan[m-1] = 1
		}
	}
	p.Achievement = p.Actual
	p.Pace = ratio(p.Actual, p.Expected)
	switch {
	case done:
		p.Status = StatusReached
	case due || ind.MilestoneState == MilestoneDelayed:
		p.Status = StatusBehind
		p.Pace = 0
	default:
		p.Status = StatusOnTrack
	}
	return p
}

// MonthEnd is the last instant of month m of year.
func MonthEnd(year, m int) time.Time {
	return time.Date(year, time.Month(m)+1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
}

// judge applies the status rules: reached first, then a missing month, then
// the pace bands.
func judge(actual, target, pace float64, missing bool) Status {
	switch {
	case actual >= target:
		return StatusReached
	case missing:
		return StatusMissing
	}
	return band(pace)
}

// band maps a pace to on track, watch or behind.
func band(pace float64) Status {
	switch {
	case pace >= OnTrackPace:
		return StatusOnTrack
	case pace >= WatchPace:
		return StatusWatch
	}
	return StatusBehind
}

// ratio is a / b, with 1 when nothing was asked for (b ≤ 0) and a ≥ 0.
func ratio(a, b float64) float64 {
	if b <= 0 {
		if a >= 0 {
			return 1
		}
		return 0
	}
	return min(a/b, MaxRatio)
}

func clampMonth(m int) int {
	return min(max(m, 1), Months)
}

func copyFloat(v *float64) *float64 {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}

// Weighted is one child in a roll-up.
type Weighted struct {
	Weight   float64
	Progress Progress
}

// Rollup is the weighted standing of a task or of the whole plan.
type Rollup struct {
	Achievement float64 // weighted mean of children's achievement, each capped at 1
	Pace        float64 // weighted mean of children's pace, each capped at 1
	Status      Status
	Counts      map[Status]int
	Total       int
}

// RollUp combines children into one standing: the weighted mean of their
// capped achievement and pace. Its status is reached when every child is,
// otherwise it follows the pace bands. Children with weight 0 are counted
// but do not move the means.
func RollUp(children []Weighted) Rollup {
	r := Rollup{Counts: map[Status]int{}, Total: len(children)}
	if len(children) == 0 {
		r.Status = StatusNone
		return r
	}
	var wsum, ach, pace float64
	for _, c := range children {
		r.Counts[c.Progress.Status]++
		w := max(c.Weight, 0)
		wsum += w
		ach += w * min(c.Progress.Achievement, 1)
		pace += w * min(c.Progress.Pace, 1)
	}
	if wsum > 0 {
		r.Achievement = ach / wsum
		r.Pace = pace / wsum
	}
	if r.Counts[StatusReached] == len(children) {
		r.Status = StatusReached
		return r
	}
	r.Status = band(r.Pace)
	return r
}
