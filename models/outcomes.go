package models

// The plan's outcome targets (공통목표): 고용률, 취업자 수 and 일자리 창출.
// They are measured for the whole plan, not paced month by month: their
// results come from 통계청's 지역별고용조사 (twice a year) or the city's own
// count, each with its reference period, release date and source. A
// corrected release adds a row; the newest row for an outcome, year and
// period is the current one and the older ones are its history.

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// OutcomePeriod is the reference period of an outcome's result.
type OutcomePeriod string

// The reference periods.
const (
	PeriodFirstHalf  OutcomePeriod = "h1"   // 상반기, to 06-30
	PeriodSecondHalf OutcomePeriod = "h2"   // 하반기, to 12-31
	PeriodYear       OutcomePeriod = "year" // 연간, to 12-31
)

// periodOrder ranks the periods of a year, the latest last.
var periodOrder = map[OutcomePeriod]int{PeriodFirstHalf: 1, PeriodSecondHalf: 2, PeriodYear: 3}

// Valid reports whether p is a known period.
func (p OutcomePeriod) Valid() bool { return periodOrder[p] > 0 }

// Bounds are the first and the last day of the period in year.
func (p OutcomePeriod) Bounds(year int) (start, end time.Time) {
	start = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	end = time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC)
	switch p {
	case PeriodFirstHalf:
		end = time.Date(year, time.June, 30, 0, 0, 0, 0, time.UTC)
	case PeriodSecondHalf:
		start = time.Date(year, time.July, 1, 0, 0, 0, 0, time.UTC)
	}
	return start, end
}

// Outcome is one of a plan's outcome targets (공통목표).
type Outcome struct {
	ID           uint   `gorm:"primaryKey"`
	PlanID       uint   `gorm:"not null;uniqueIndex:idx_outcome_code"`
	Code         string `gorm:"not null;uniqueIndex:idx_outcome_code"`
	Name         string `gorm:"not null"`
	NameEn       string
	Unit         string `gorm:"not null"`
	UnitEn       string
	Order        int `gorm:"column:sort_order;not null"`
	Target       *float64
	Baseline     *float64
	BaselineYear int
	// NeedsReview says the target was copied and not decided yet: a plan
	// with any is not published.
	NeedsReview bool
	Source      `gorm:"embedded"`

	Results []OutcomeResult `gorm:"constraint:OnDelete:CASCADE"`
}

// OutcomeResult is one released value of an outcome for a reference
// period. Rows are never changed: a correction is a newer row.
type OutcomeResult struct {
	ID          uint          `gorm:"primaryKey"`
	OutcomeID   uint          `gorm:"not null;index"`
	Year        int           `gorm:"not null"`
	Period      OutcomePeriod `gorm:"not null"`
	Value       float64       `gorm:"not null"`
	Released    *time.Time    // the release date; nil when not known (발표일 미상)
	Provisional bool          // 잠정
	SourceText  string        `gorm:"column:source;not null"`
	By          string
	At          time.Time
}

// IsPercent reports whether the outcome is a rate in percent.
func (o *Outcome) IsPercent() bool { return o.Unit == "%" }

// Round rounds a value of the outcome as people read it: whole in a count
// unit, one decimal otherwise.
func (o *Outcome) Round(v float64) float64 {
	ind := Indicator{Unit: o.Unit}
	return ind.Round(v)
}

// Current lists the outcome's current results, one per year and period
// (the newest row of each), latest period first.
func (o *Outcome) Current() []*OutcomeResult {
	var out []*OutcomeResult
	for i := range o.Results {
		r := &o.Results[i]
		j := slices.IndexFunc(out, func(c *OutcomeResult) bool { return c.Year == r.Year && c.Period == r.Period })
		switch {
		case j < 0:
			out = append(out, r)
		case r.ID > out[j].ID:
			out[j] = r
		}
	}
	slices.SortFunc(out, func(a, b *OutcomeResult) int {
		if a.Year != b.Year {
			return b.Year - a.Year
		}
		return periodOrder[b.Period] - periodOrder[a.Period]
	})
	return out
}

// Latest is the current result of the latest period, or nil.
func (o *Outcome) Latest() *OutcomeResult {
	if cur := o.Current(); len(cur) > 0 {
		return cur[0]
	}
	return nil
}

// History lists the rows that r replaced, newest first.
func (o *Outcome) History(r *OutcomeResult) []*OutcomeResult {
	var out []*OutcomeResult
	for i := len(o.Results) - 1; i >= 0; i-- {
		h := &o.Results[i]
		if h.ID < r.ID && h.Year == r.Year && h.Period == r.Period {
			out = append(out, h)
		}
	}
	return out
}

// TargetRef names the outcome's target for revisions (editField).
func (o *Outcome) TargetRef() EditRef {
	return EditRef{Record: "outcomes", RecordID: o.ID, Field: "target"}
}

// numberText is a number as an edit keeps it: "" for none.
func numberText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// TargetText is the outcome's current target as text (see EditRef).
func (o *Outcome) TargetText() string { return numberText(o.Target) }

// checkOutcomeValue says what is wrong with value as a number of an
// outcome in unit: out of range for a rate in percent, negative, or not
// whole in a count unit.
func checkOutcomeValue(v *ValidationError, path string, value float64, unit string) {
	switch {
	case math.IsNaN(value) || math.IsInf(value, 0) || math.Abs(value) > MaxValue:
		v.say(path, "problem.outcome.number")
	case unit == "%" && (value < 0 || value > 100):
		v.say(path, "problem.outcome.percent")
	case value < 0:
		v.say(path, "problem.outcome.negative")
	case IsCountUnit(unit) && value != math.Trunc(value):
		v.say(path, "problem.outcome.whole", unit)
	}
}

// parseSigned reads a plain decimal number that may be negative, so that
// a negative value is refused as such rather than as no number.
func parseSigned(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		v, ok := parseValue(rest)
		return -v, ok
	}
	return parseValue(s)
}

// checkResultDates says what is wrong with a result's period and release
// date: a period that has not begun by today, a release before the period
// ends or after today.
func checkResultDates(v *ValidationError, year int, period OutcomePeriod, released *time.Time, today time.Time) {
	start, end := period.Bounds(year)
	if start.After(today) {
		v.say("period", "problem.outcome.period.future", year)
	}
	switch {
	case released == nil:
	case released.Before(end):
		v.say("released", "problem.outcome.released.early", end.Format(time.DateOnly))
	case released.After(today):
		v.say("released", "problem.outcome.released.future")
	}
}

// OutcomeResultInput is an official's entry of an outcome's result, as
// the form sends it.
type OutcomeResultInput struct {
	Year        string
	Period      string
	Value       string
	Released    string // YYYY-MM-DD, or empty when not known
	Provisional bool
	Source      string
}

// MaxSourceLen bounds a result's source, in characters.
const MaxSourceLen = 300

// result checks the input against the outcome and the plan year, and is
// the row to store; every problem at once.
func (in *OutcomeResultInput) result(o *Outcome, planYear int, today time.Time) (*OutcomeResult, error) {
	v := &ValidationError{}
	r := &OutcomeResult{OutcomeID: o.ID, Period: OutcomePeriod(strings.TrimSpace(in.Period)), Provisional: in.Provisional,
		SourceText: strings.TrimSpace(in.Source)}
	year, err := strconv.Atoi(strings.TrimSpace(in.Year))
	if !r.Period.Valid() {
		v.say("period", "problem.outcome.period")
	}
	start, _ := r.Period.Bounds(year)
	switch {
	case err != nil:
		v.say("year", "problem.outcome.year.format")
	case r.Period.Valid() && start.After(today): // a period to come is said as such, whatever the year
	case year != planYear:
		v.say("year", "problem.outcome.year.plan", planYear)
	}
	r.Year = year
	value, ok := parseSigned(in.Value)
	if !ok {
		v.say("value", "problem.outcome.number")
	} else {
		checkOutcomeValue(v, "value", value, o.Unit)
	}
	r.Value = value
	if s := strings.TrimSpace(in.Released); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.say("released", "problem.outcome.released.format")
		} else {
			r.Released = &d
		}
	}
	if r.Period.Valid() && err == nil {
		checkResultDates(v, year, r.Period, r.Released, today)
	}
	switch {
	case r.SourceText == "":
		v.say("source", "problem.outcome.source")
	case utf8.RuneCountInString(r.SourceText) > MaxSourceLen:
		v.say("source", "problem.outcome.source.long", MaxSourceLen)
	}
	return r, v.orNil()
}

// loadOutcome loads the plan of year through tx with its outcome id;
// ErrNotFound when the plan has no such outcome.
func loadOutcome(tx *gorm.DB, year int, id uint) (*Plan, *Outcome, error) {
	plan, err := loadPlan(tx, year)
	if err != nil {
		return nil, nil, err
	}
	for i := range plan.Outcomes {
		if plan.Outcomes[i].ID == id {
			return plan, &plan.Outcomes[i], nil
		}
	}
	return nil, nil, ErrNotFound
}

// AddOutcomeResult records a released result of an outcome of the plan
// of year: a new row, which replaces the current one of the same year and
// period while keeping it as history. Only officials and admins enter
// results.
func (s *Store) AddOutcomeResult(ctx context.Context, u *User, year int, id uint, in OutcomeResultInput) error {
	if !mayEditPlan(u) {
		return fmt.Errorf("models: add result of outcome %d: %w", id, ErrForbidden)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, o, err := loadOutcome(tx, year, id)
		if err != nil {
			return err
		}
		r, err := in.result(o, plan.Year, today(s.now()))
		if err != nil {
			return err
		}
		r.By, r.At = u.Login, s.now()
		return tx.Create(r).Error
	})
	if err != nil {
		return fmt.Errorf("models: add result of outcome %d: %w", id, err)
	}
	return nil
}

// OutcomeTargetInput is an official's change of an outcome's target.
type OutcomeTargetInput struct {
	Target string
	Reason string // required once the plan is published: the 수정공시 shows it
}

// SetOutcomeTarget changes an outcome's target. In a draft plan it
// changes in place and no longer needs review; in a published plan the
// change goes into the draft revision (editField). It reports whether it
// went into a revision.
func (s *Store) SetOutcomeTarget(ctx context.Context, u *User, year int, id uint, in OutcomeTargetInput) (bool, error) {
	if !mayEditPlan(u) {
		return false, fmt.Errorf("models: set target of outcome %d: %w", id, ErrForbidden)
	}
	reason := strings.TrimSpace(in.Reason)
	var revised bool
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, o, err := loadOutcome(tx, year, id)
		if err != nil {
			return err
		}
		v := &ValidationError{}
		target, ok := parseSigned(in.Target)
		if !ok {
			v.say("target", "problem.outcome.number")
		} else {
			checkOutcomeValue(v, "target", target, o.Unit)
		}
		if utf8.RuneCountInString(reason) > MaxReasonLen {
			v.say("reason", "problem.target.reason.too.long", MaxReasonLen)
		}
		if err := v.orNil(); err != nil {
			return err
		}
		revised, err = editField(tx, u, plan, o.TargetRef(), o.TargetText(), numberText(&target), reason, "target", s.now())
		if err != nil || plan.Published() {
			return err
		}
		return tx.Model(&Outcome{}).Where("id = ?", o.ID).Update("needs_review", false).Error
	})
	if err != nil {
		return false, fmt.Errorf("models: set target of outcome %d: %w", id, err)
	}
	return revised, nil
}

// copyOutcomes is src's outcomes for the next year's draft: their targets
// need review, and their baselines are src's latest results of its own
// year, with src's year as the baseline year.
func copyOutcomes(src *Plan) []Outcome {
	var out []Outcome
	for _, o := range src.Outcomes {
		c := Outcome{Code: o.Code, Name: o.Name, NameEn: o.NameEn, Unit: o.Unit, UnitEn: o.UnitEn, Order: o.Order,
			Target: o.Target, NeedsReview: true, BaselineYear: src.Year}
		for _, r := range o.Current() {
			if r.Year == src.Year {
				value := r.Value
				c.Baseline = &value
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// outcomesToReview says which outcome targets of a draft plan still need
// review, so that the plan is not published; each at its field on the
// draft page (o12-target).
func outcomesToReview(v *ValidationError, plan *Plan) {
	for _, o := range plan.Outcomes {
		if o.NeedsReview {
			v.say(fmt.Sprintf("o%d-target", o.ID), "problem.publish.outcome.review", PlanText{o.Name, o.NameEn})
		}
	}
}

// OutcomeFile is an outcome target in a plan file.
type OutcomeFile struct {
	ID           uint                `json:"id,omitempty"`
	Code         string              `json:"code"`
	Name         string              `json:"name"`
	NameEn       string              `json:"name_en,omitempty"`
	Unit         string              `json:"unit"`
	UnitEn       string              `json:"unit_en,omitempty"`
	Target       *float64            `json:"target"`
	Baseline     *float64            `json:"baseline,omitempty"`
	BaselineYear int                 `json:"baseline_year,omitempty"`
	Source       Source              `json:"source"`
	Results      []OutcomeResultFile `json:"results,omitempty"`
}

// OutcomeResultFile is a released result of an outcome in a plan file.
type OutcomeResultFile struct {
	Year        int           `json:"year"`
	Period      OutcomePeriod `json:"period"`
	Value       float64       `json:"value"`
	Released    string        `json:"released"` // YYYY-MM-DD, or "" when not known
	Provisional bool          `json:"provisional,omitempty"`
	Source      string        `json:"source"`
}

// validateOutcomes checks a plan file's outcomes.
func (pf *PlanFile) validateOutcomes(v *ValidationError) {
	codes := map[string]bool{}
	for i, o := range pf.Outcomes {
		path := fmt.Sprintf("outcomes[%d]", i)
		required(v, path+".code", o.Code)
		required(v, path+".name", o.Name)
		required(v, path+".unit", o.Unit)
		if codes[o.Code] && o.Code != "" {
			v.say(path+".code", "problem.planfile.outcome.code.duplicate", o.Code)
		}
		codes[o.Code] = true
		for name, x := range map[string]*float64{"target": o.Target, "baseline": o.Baseline} {
			if x != nil {
				checkOutcomeValue(v, path+"."+name, *x, o.Unit)
			}
		}
		for j, r := range o.Results {
			rp := fmt.Sprintf("%s.results[%d]", path, j)
			checkOutcomeValue(v, rp+".value", r.Value, o.Unit)
			required(v, rp+".source", r.Source)
			if !r.Period.Valid() {
				v.say(rp+".period", "problem.outcome.period")
				continue
			}
			if r.Released == "" {
				continue
			}
			d, err := time.Parse(time.DateOnly, r.Released)
			if err != nil {
				v.say(rp+".released", "problem.planfile.date.format")
				continue
			}
			if _, end := r.Period.Bounds(r.Year); d.Before(end) {
				v.say(rp+".released", "problem.outcome.released.early", end.Format(time.DateOnly))
			}
		}
	}
}

// outcomes converts a plan file's outcomes into the stored shape.
func (pf *PlanFile) outcomes() []Outcome {
	var out []Outcome
	for i, o := range pf.Outcomes {
		oc := Outcome{Code: o.Code, Name: o.Name, NameEn: o.NameEn, Unit: o.Unit, UnitEn: o.UnitEn, Order: i,
			Target: o.Target, Baseline: o.Baseline, BaselineYear: o.BaselineYear, Source: o.Source}
		for _, r := range o.Results {
			oc.Results = append(oc.Results, OutcomeResult{Year: r.Year, Period: r.Period, Value: r.Value,
				Released: parseDate(r.Released), Provisional: r.Provisional, SourceText: r.Source, By: "plan import"})
		}
		out = append(out, oc)
	}
	return out
}

// keepOutcomeTargets decides a draft plan's copied outcome targets as
// they are, for the sample plan.
func (s *Store) keepOutcomeTargets(ctx context.Context, u *User, plan *Plan) error {
	for _, o := range plan.Outcomes {
		if o.Target == nil {
			continue
		}
		if _, err := s.SetOutcomeTarget(ctx, u, plan.Year, o.ID, OutcomeTargetInput{Target: o.TargetText()}); err != nil {
			return err
		}
	}
	return nil
}

// TrackedYears lists the years of published plans whose programmes are
// entered with at least one indicator, oldest first: the plans there is
// progress to show. A plan of outcome targets alone (its programmes not
// entered yet) is left out.
func (s *Store) TrackedYears(ctx context.Context) ([]int, error) {
	var years []int
	err := s.r.WithContext(ctx).Model(&Plan{}).Distinct("plans.year").
		Joins("JOIN tasks ON tasks.plan_id = plans.id").
		Joins("JOIN programs ON programs.task_id = tasks.id").
		Joins("JOIN indicators ON indicators.program_id = programs.id").
		Where("plans.state <> ? AND indicators.kind <> ?", PlanDraft, KindSpending).Order("plans.year").Pluck("plans.year", &years).Error
	if err != nil {
		return nil, fmt.Errorf("models: list tracked plan years: %w", err)
	}
	return years, nil
}
