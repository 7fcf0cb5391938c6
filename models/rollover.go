package models

// The next year's plan (다음 연도 계획): a copy of a published plan as a
// draft, with the year's results as the new baselines and every target
// marked for review.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CopyPlan makes a draft plan for year to from the published plan of
// year from: its tasks, programmes with their departments, indicators
// with their units, kinds, targets and monthly plans, and context facts.
// to must be later than from and have no plan yet.
//
// Each indicator records the one it was copied from (CopiedFrom). Its
// baseline becomes from's actual, with from as the baseline year: the
// latest approved actual, marked provisional while December is not
// approved. Every target is marked as needing review, and a milestone's
// due date moves by the years between.
func (s *Store) CopyPlan(ctx context.Context, u *User, from, to int, origin Origin) (*Plan, error) {
	if !mayEditPlan(u) {
		return nil, fmt.Errorf("models: copy plan %d to %d: %w", from, to, ErrForbidden)
	}
	if to <= from || to > from+50 {
		return nil, fmt.Errorf("models: copy plan %d to %d: %w", from, to, invalid("year", "problem.copy.year", from))
	}
	var out *Plan
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Plan{}).Where("year = ?", to).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return invalid("year", "problem.copy.exists", to)
		}
		src, err := loadPlan(tx, from)
		if err != nil {
			return err
		}
		if !src.Published() {
			return invalid("from", "problem.copy.draft", from)
		}
		var ids []uint
		for _, ind := range src.Indicators() {
			ids = append(ids, ind.ID)
		}
		figs, err := monthValues(tx, ids, src.Year, false)
		if err != nil {
			return err
		}
		out = copyPlan(src, to, figs)
		if err := createPlan(tx, out); err != nil {
			return err
		}
		if _, err := ensureSpending(tx); err != nil {
			return err
		}
		return recordEvent(tx, EventPlanCopy, nil, u, origin, fmt.Sprintf("%d → %d", from, to))
	})
	if err != nil {
		return nil, fmt.Errorf("models: copy plan %d to %d: %w", from, to, err)
	}
	return out, nil
}

// loadPlan loads a plan with everything under it through db.
func loadPlan(db *gorm.DB, year int) (*Plan, error) {
	var plan Plan
	err := db.Preload("Facts", orderBy).
		Preload("Tasks", orderBy).
		Preload("Tasks.Programs", orderBy).
		Preload("Tasks.Programs.Indicators", func(db *gorm.DB) *gorm.DB { return orderBy(db).Where("kind <> ?", KindSpending) }).
		Preload("Versions", func(db *gorm.DB) *gorm.DB { return db.Order("number") }).
		Preload("Versions.Changes", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Versions.Edits", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Outcomes", orderBy).Preload("Outcomes.Results", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("year = ?", year).Take(&plan).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &plan, attachSpending(db, &plan)
}

// yearActual is an indicator's actual for its whole year from approved
// figures, and whether it is provisional because December is not
// approved. It is nil when nothing is approved.
func yearActual(ind *Indicator, figs *MonthValues) (*float64, bool) {
	if figs == nil {
		return nil, true
	}
	p := Evaluate(ind, *figs, Months)
	if p.Cumulative[Months-1] == nil {
		return nil, true
	}
	actual := p.Actual
	return &actual, figs[Months-1] == nil
}

// copyPlan builds the draft for year to from src.
func copyPlan(src *Plan, to int, figs map[uint]*MonthValues) *Plan {
	from := src.Year
	retitle := func(s string) string { return strings.ReplaceAll(s, strconv.Itoa(from), strconv.Itoa(to)) }
	out := &Plan{Year: to, City: src.City, CityEn: src.CityEn, Title: retitle(src.Title), TitleEn: retitle(src.TitleEn),
		Vision: src.Vision, VisionEn: src.VisionEn, State: PlanDraft, CopiedFrom: from}
	for _, f := range src.Facts {
		f.ID, f.PlanID = 0, 0
		out.Facts = append(out.Facts, f)
	}
	out.Outcomes = copyOutcomes(src)
	for _, t := range src.Tasks {
		task := Task{Code: t.Code, Name: t.Name, NameEn: t.NameEn, Order: t.Order}
		for _, p := range t.Programs {
			prog := Program{Name: p.Name, NameEn: p.NameEn, Department: p.Department, Description: p.Description,
				DescriptionEn: p.DescriptionEn, Order: p.Order, Field: p.Field, Groups: p.Groups, Classified: p.Classified,
				Budget: p.Budget}
			for _, ind := range p.Indicators {
				prog.Indicators = append(prog.Indicators, copyIndicator(&ind, from, to, figs[ind.ID]))
			}
			task.Programs = append(task.Programs, prog)
		}
		out.Tasks = append(out.Tasks, task)
	}
	return out
}

// copyIndicator is ind as a draft for year to: lineage, baseline and the
// mark that its target needs review.
func copyIndicator(ind *Indicator, from, to int, figs *MonthValues) Indicator {
	c := Indicator{Name: ind.Name, NameEn: ind.NameEn, Unit: ind.Unit, UnitEn: ind.UnitEn, Basis: ind.Basis, Kind: ind.Kind,
		Headline: ind.Headline, Order: ind.Order, Target: ind.Target, Weight: ind.Weight, Pacing: ind.Pacing,
		CopiedFrom: ind.ID, NeedsReview: true}
	if ind.Kind.Monthly() {
		c.Baseline, c.BaselineProvisional = yearActual(ind, figs)
		c.BaselineYear = from
		return c
	}
	c.MilestoneState = MilestonePlanned
	if ind.DueDate != nil {
		due := ind.DueDate.AddDate(to-from, 0, 0)
		c.DueDate = &due
	}
	return c
}

// refreshBaselines sets again the provisional baselines copied from
// indicator id into plans still being written, from its approved figures:
// an approval in the year before changes them until the plan is published.
func refreshBaselines(tx *gorm.DB, id uint, year int) error {
	var copies []uint
	err := tx.Table("indicators").Select("indicators.id").
		Joins("JOIN programs ON programs.id = indicators.program_id").
		Joins("JOIN tasks ON tasks.id = programs.task_id").
		Joins("JOIN plans ON plans.id = tasks.plan_id").
		Where("indicators.copied_from = ? AND indicators.baseline_provisional AND indicators.baseline_year = ? AND plans.state = ?",
			id, year, PlanDraft).Pluck("indicators.id", &copies).Error
	if err != nil || len(copies) == 0 {
		return err
	}
	var src Indicator
	if err := tx.Take(&src, id).Error; err != nil {
		return err
	}
	figs, err := monthValues(tx, []uint{id}, year, false)
	if err != nil {
		return err
	}
	baseline, provisional := yearActual(&src, figs[id])
	return tx.Model(&Indicator{}).Where("id IN ?", copies).
		Updates(map[string]any{"baseline": baseline, "baseline_provisional": provisional}).Error
}

// TargetDecision is an official's decision on one copied target of a
// draft plan: a monthly indicator's target, or a milestone's due date.
type TargetDecision struct {
	ID     uint
	Target string
	Due    string // YYYY-MM-DD
}

// DecideTargets sets the targets of a draft plan in place, all or
// nothing, and marks them reviewed. A published plan changes only by
// revision (SetTarget), so it is refused here with ErrPublished.
func (s *Store) DecideTargets(ctx context.Context, u *User, year int, ds []TargetDecision) error {
	if !mayEditPlan(u) {
		return fmt.Errorf("models: decide targets of %d: %w", year, ErrForbidden)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, err := loadPlan(tx, year)
		if err != nil {
			return err
		}
		if plan.Published() {
			return ErrPublished
		}
		byID := map[uint]*Indicator{}
		for _, ind := range plan.Indicators() {
			byID[ind.ID] = ind
		}
		v := &ValidationError{}
		type update struct {
			ind     *Indicator
			updates map[string]any
		}
		var ups []update
		for _, d := range ds {
			ind := byID[d.ID]
			path := fmt.Sprintf("target-%d", d.ID) // the draft form's field
			if ind == nil {
				v.say("targets", "problem.decide.unknown", d.ID)
				continue
			}
			if !ind.Kind.Monthly() {
				path = fmt.Sprintf("due-%d", d.ID)
				due, err := time.Parse(time.DateOnly, strings.TrimSpace(d.Due))
				switch {
				case err != nil:
					v.say(path, "problem.decide.due", PlanText{ind.Name, ind.NameEn})
				case due.Year() != year:
					v.say(path, "problem.decide.due.year", PlanText{ind.Name, ind.NameEn}, year)
				default:
					ups = append(ups, update{ind, map[string]any{"due_date": due, "needs_review": false}})
				}
				continue
			}
			target, ok := parseValue(d.Target)
			switch {
			case !ok || target > MaxValue:
				v.say(path, "problem.decide.target", PlanText{ind.Name, ind.NameEn})
			case IsCountUnit(ind.Unit) && target != float64(int64(target)):
				v.say(path, "problem.decide.whole", PlanText{ind.Name, ind.NameEn}, PlanText{ind.Unit, ind.UnitEn})
			case len(ind.Pacing) == Months && ind.Target == 0 && target != 0:
				v.say(path, "problem.decide.pacing.zero", PlanText{ind.Name, ind.NameEn})
			default:
				ups = append(ups, update{ind, map[string]any{"target": target, "pacing": scalePacing(ind.Pacing, ind.Target, target), "needs_review": false}})
			}
		}
		if err := v.orNil(); err != nil {
			return err
		}
		now := s.now()
		for _, up := range ups {
			if err := tx.Model(&Indicator{}).Where("id = ?", up.ind.ID).Updates(up.updates).Error; err != nil {
				return err
			}
			if t, ok := up.updates["target"].(float64); ok && t != up.ind.Target {
				old := up.ind.Target
				if err := tx.Create(&FigureChange{IndicatorID: up.ind.ID, Year: year, Action: "target", OldValue: &old, NewValue: &t,
					Who: u.Login, At: now, Why: "목표 검토"}).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("models: decide targets of %d: %w", year, err)
	}
	return nil
}
