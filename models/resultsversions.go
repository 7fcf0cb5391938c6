package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ResultsVersion is one published version of a plan's results for a
// period (상반기 or 연간): the Results frozen as JSON when it was
// published. Version 1 is the first publication; each later one is a
// correction, with its reason and a reason per changed number. Versions
// are never changed or deleted.
type ResultsVersion struct {
	ID          uint      `gorm:"primaryKey"`
	PlanID      uint      `gorm:"not null;uniqueIndex:idx_results_version"`
	Period      string    `gorm:"not null;uniqueIndex:idx_results_version"` // "h1" or "year"
	Number      int       `gorm:"not null;uniqueIndex:idx_results_version"`
	PublishedAt time.Time `gorm:"not null"`
	PublishedBy string    `gorm:"not null"`
	// Reason is why a correction was published; empty for version 1.
	Reason string
	// Corrections lists the numbers a correction changed, as JSON.
	Corrections string `gorm:"type:text"`
	// Data is the Results as published, as JSON.
	Data string `gorm:"type:text;not null"`
}

// ResultsCorrection is one number a correction changed, with its reason.
type ResultsCorrection struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	NameEn string `json:"nameEn,omitempty"`
	Field  string `json:"field"`
	Old    string `json:"old"`
	New    string `json:"new"`
	Reason string `json:"reason"`
}

// Results reads the frozen results of the version.
func (v *ResultsVersion) Results() (*Results, error) {
	var r Results
	if err := json.Unmarshal([]byte(v.Data), &r); err != nil {
		return nil, fmt.Errorf("models: read results version %d: %w", v.ID, err)
	}
	return &r, nil
}

// Changes reads the numbers the version corrected.
func (v *ResultsVersion) Changes() []ResultsCorrection {
	var out []ResultsCorrection
	if v.Corrections != "" {
		_ = json.Unmarshal([]byte(v.Corrections), &out) // written by PublishResults only
	}
	return out
}

// ResultsVersions lists a year's published results versions of a period
// ("h1", "year"; empty for both), oldest first.
func (s *Store) ResultsVersions(ctx context.Context, year int, period string) ([]ResultsVersion, error) {
	var out []ResultsVersion
	q := s.r.WithContext(ctx).Joins("JOIN plans ON plans.id = results_versions.plan_id").Where("plans.year = ?", year)
	if period != "" {
		q = q.Where("results_versions.period = ?", period)
	}
	err := q.Order("results_versions.period, results_versions.number").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: results versions of %d: %w", year, err)
	}
	return out, nil
}

// ResultsVersion reads one published version; ErrNotFound if there is no
// such version.
func (s *Store) ResultsVersion(ctx context.Context, year int, period string, n int) (*ResultsVersion, error) {
	all, err := s.ResultsVersions(ctx, year, period)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Number == n {
			return &all[i], nil
		}
	}
	return nil, ErrNotFound
}

// PublishResultsInput is an official's publication of a period's
// results, or a correction of them.
type PublishResultsInput struct {
	Year   int
	Period string // "h1" or "year"
	// Reason is the correction's reason, and the reason of any changed
	// number that has none of its own.
	Reason string
	// Reasons are the reasons per changed number, by ResultsCorrection.Key.
	Reasons map[string]string
	// Expect is the Fingerprint of the results the official saw; the
	// publication is refused if they changed since (empty: not checked).
	Expect string
}

// ErrResultsChanged says the results changed since they were shown.
var ErrResultsChanged = errors.New("results changed since shown")

// ResultsDraft is what publishing a period would freeze now: the results,
// the version it would be, and the numbers it changes from the latest
// published version.
type ResultsDraft struct {
	Results     *Results
	Number      int
	Latest      *ResultsVersion
	Corrections []ResultsCorrection
	Fingerprint string
}

// DraftResults makes what publishing the period would freeze now.
func (s *Store) DraftResults(ctx context.Context, year int, period string) (*ResultsDraft, error) {
	p, ok := ResultsPeriod(period, year)
	if !ok {
		return nil, ErrNotFound
	}
	r, err := s.Results(ctx, p, false)
	if err != nil {
		return nil, err
	}
	all, err := s.ResultsVersions(ctx, year, period)
	if err != nil {
		return nil, err
	}
	d := &ResultsDraft{Results: r, Number: len(all) + 1}
	if len(all) > 0 {
		d.Latest = &all[len(all)-1]
		old, err := d.Latest.Results()
		if err != nil {
			return nil, err
		}
		d.Corrections = CompareResults(old, r)
	}
	d.Fingerprint = resultsFingerprint(r)
	return d, nil
}

// resultsFingerprint identifies the numbers of results, not when they
// were made.
func resultsFingerprint(r *Results) string {
	c := *r
	c.Made = time.Time{}
	b, _ := json.Marshal(&c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// PublishResults freezes a period's results as a new published version.
// The plan must be published and the period over. A second version is a
// correction: it needs a reason for every number it changes, and is
// refused when no number changed.
func (s *Store) PublishResults(ctx context.Context, u *User, in PublishResultsInput) (*ResultsVersion, error) {
	if !mayEditPlan(u) {
		return nil, ErrForbidden
	}
	p, ok := ResultsPeriod(in.Period, in.Year)
	if !ok {
		return nil, ErrNotFound
	}
	plan, err := s.Plan(ctx, in.Year)
	if err != nil {
		return nil, err
	}
	if !plan.Published() {
		return nil, invalid("", "problem.results.draft.plan")
	}
	if !s.now().After(MonthEnd(in.Year, p.End())) {
		return nil, invalid("", "problem.results.not.over", in.Year, p.End())
	}
	d, err := s.DraftResults(ctx, in.Year, in.Period)
	if err != nil {
		return nil, err
	}
	if in.Expect != "" && in.Expect != d.Fingerprint {
		return nil, ErrResultsChanged
	}
	v := &ResultsVersion{PlanID: plan.ID, Period: in.Period, Number: d.Number, PublishedAt: s.now(), PublishedBy: u.Login}
	if err := d.explain(in, v); err != nil {
		return nil, err
	}
	data, err := json.Marshal(d.Results)
	if err != nil {
		return nil, fmt.Errorf("models: publish results: %w", err)
	}
	v.Data = string(data)
	err = s.write(ctx, func(tx *gorm.DB) error {
		// Another official may have published since the draft was made:
		// then this one is not the version it was checked as.
		var n int64
		if err := tx.Model(&ResultsVersion{}).Where("plan_id = ? AND period = ?", plan.ID, in.Period).Count(&n).Error; err != nil {
			return err
		}
		if int(n)+1 != v.Number {
			return ErrResultsChanged
		}
		return tx.Create(v).Error
	})
	if errors.Is(err, ErrResultsChanged) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("models: publish results %d %s: %w", in.Year, in.Period, err)
	}
	return v, nil
}

// explain checks a correction's reasons and keeps them in v.
func (d *ResultsDraft) explain(in PublishResultsInput, v *ResultsVersion) error {
	if d.Latest == nil {
		return nil
	}
	verr := &ValidationError{}
	reason := strings.TrimSpace(in.Reason)
	if len(d.Corrections) == 0 {
		return invalid("", "problem.results.unchanged", d.Latest.Number)
	}
	for i := range d.Corrections {
		c := &d.Corrections[i]
		c.Reason = strings.TrimSpace(in.Reasons[c.Key])
		if c.Reason == "" {
			c.Reason = reason
		}
		if c.Reason == "" {
			verr.say("reason."+c.Key, "problem.results.reason")
		}
		if len([]rune(c.Reason)) > 500 {
			verr.say("reason."+c.Key, "problem.results.reason.long", 500)
		}
	}
	if len(verr.Problems) > 0 {
		return verr
	}
	b, _ := json.Marshal(d.Corrections)
	v.Reason, v.Corrections = reason, string(b)
	return nil
}

// CompareResults lists the numbers that differ between two results of
// the same period: targets, actuals and statuses of indicators, budgets
// and spending of programmes, targets and latest releases of 공통목표.
func CompareResults(old, cur *Results) []ResultsCorrection {
	var out []ResultsCorrection
	add := func(key, name, nameEn, field, a, b string) {
		if a != b {
			out = append(out, ResultsCorrection{Key: key, Name: name, NameEn: nameEn, Field: field, Old: a, New: b})
		}
	}
	before := map[uint]*ResultIndicator{}
	for _, ri := range old.Indicators() {
		before[ri.ID] = ri
	}
	for _, ri := range cur.Indicators() {
		o := before[ri.ID]
		if o == nil {
			o = &ResultIndicator{}
		}
		key := "indicator-" + strconv.FormatUint(uint64(ri.ID), 10)
		add(key+"-target", ri.Name, ri.NameEn, "target", number(o.Target), number(ri.Target))
		add(key+"-actual", ri.Name, ri.NameEn, "actual", number(ri.Round(o.Actual)), number(ri.Round(ri.Actual)))
		add(key+"-status", ri.Name, ri.NameEn, "status", string(o.Status), string(ri.Status))
	}
	progs := map[uint]ResultProgram{}
	for _, t := range old.Tasks {
		for _, p := range t.Programs {
			progs[p.ID] = p
		}
	}
	for _, t := range cur.Tasks {
		for _, p := range t.Programs {
			o := progs[p.ID]
			key := "program-" + strconv.FormatUint(uint64(p.ID), 10)
			add(key+"-budget", p.Name, p.NameEn, "budget", numberText(o.Budget), numberText(p.Budget))
			add(key+"-spent", p.Name, p.NameEn, "spent", numberText(o.Spent), numberText(p.Spent))
		}
	}
	outcomes := map[string]ResultOutcome{}
	for _, o := range old.Outcomes {
		outcomes[o.Code] = o
	}
	for _, o := range cur.Outcomes {
		prev := outcomes[o.Code]
		key := "outcome-" + o.Code
		add(key+"-target", o.Name, o.NameEn, "target", numberText(prev.Target), numberText(o.Target))
		add(key+"-latest", o.Name, o.NameEn, "latest", releaseText(prev.Latest), releaseText(o.Latest))
	}
	return out
}

func number(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func releaseText(r *ResultRelease) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s (%d %s)", number(r.Value), r.Year, r.Period)
}
