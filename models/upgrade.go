package models

// Upgrading a database made before plans had versions. Such a plan was
// in use, so it reads as published, but it has no 원공시, and its target
// changes were made in place: SetTarget overwrote the target, put the
// reason in the target's note and scaled the monthly plan, and kept only
// an audit row (action "target") with the old and the new target. The
// upgrade gives the plan its 원공시 and turns every recorded change into
// a published revision of its own, so that each month is judged against
// the target in force then.

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// upgradeBy is who the upgrade records as having published a 원공시.
const upgradeBy = "upgrade"

// UpgradeVersions gives every published plan that has no version yet (one
// stored before plans had versions) its 원공시, dated as the shipped plan
// file of the same year and city says (not recorded when none matches),
// and one published revision per target change its audit trail recorded,
// numbered in the order they were made, each in force from the month it
// was made. The indicators keep their current target and monthly plan;
// the note the plan was published with comes back from the shipped file,
// or is marked as not recorded. Nothing else changes, and a plan that has
// a version is left alone, so running it again does nothing.
func (s *Store) UpgradeVersions(ctx context.Context, shipped []*PlanFile) error {
	unversioned := func(db *gorm.DB) *gorm.DB {
		return db.Where("state <> ? AND NOT EXISTS (SELECT 1 FROM plan_versions WHERE plan_versions.plan_id = plans.id)", PlanDraft)
	}
	// Most starts find nothing to do: a read, not a write that would
	// empty the page cache.
	var n int64
	if err := s.r.WithContext(ctx).Model(&Plan{}).Scopes(unversioned).Count(&n).Error; err != nil || n == 0 {
		if err != nil {
			return fmt.Errorf("models: upgrade plan versions: %w", err)
		}
		return nil
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var plans []Plan
		err := tx.Preload("Tasks.Programs.Indicators", "kind <> ?", KindSpending).Scopes(unversioned).Order("year").Find(&plans).Error
		if err != nil {
			return err
		}
		for i := range plans {
			if err := upgradePlan(tx, &plans[i], shippedFile(shipped, &plans[i])); err != nil {
				return fmt.Errorf("plan %d: %w", plans[i].Year, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("models: upgrade plan versions: %w", err)
	}
	return nil
}

// shippedFile is the shipped plan file of plan's year and city, or nil.
func shippedFile(shipped []*PlanFile, plan *Plan) *PlanFile {
	for _, pf := range shipped {
		if pf.Year == plan.Year && pf.City == plan.City {
			return pf
		}
	}
	return nil
}

// upgradePlan gives one plan its 원공시 and its recorded target changes as
// revisions, with pf the plan's shipped file or nil.
func upgradePlan(tx *gorm.DB, plan *Plan, pf *PlanFile) error {
	original := PlanVersion{PlanID: plan.ID, Number: 1, Published: true, Effective: 1,
		PublishedBy: upgradeBy, CreatedBy: upgradeBy, CreatedAt: plan.CreatedAt}
	if pf != nil {
		original.Date, original.SourceRef = parseDate(pf.Published), pf.PublishedRef
	}
	if err := tx.Create(&original).Error; err != nil {
		return err
	}
	changes, err := recordedTargetChanges(tx, plan)
	if err != nil {
		return err
	}
	chains := map[uint][]FigureChange{}
	for _, c := range changes {
		chains[c.IndicatorID] = append(chains[c.IndicatorID], c)
	}
	// Each change's old and new monthly plan, by audit row.
	pacings := map[uint][2]Pacing{}
	for _, ind := range planIndicatorsOf(plan) {
		chain := chains[ind.ID]
		if len(chain) == 0 {
			continue
		}
		file := shippedIndicator(pf, ind)
		var orig Pacing
		if file != nil {
			orig, _ = file.pacing()
		}
		steps := pacingChain(ind.Pacing, chain, orig)
		for i, c := range chain {
			pacings[c.ID] = [2]Pacing{steps[i], steps[i+1]}
		}
		if err := restoreTargetNote(tx, ind.ID, file); err != nil {
			return err
		}
	}
	for i, c := range changes {
		date := today(c.At)
		rev := PlanVersion{PlanID: plan.ID, Number: i + 2, Published: true, Date: &date,
			// A revision takes force in the month it was made: the
			// default of a revision published on that date.
			Effective:   parseEffective(&ValidationError{}, "", plan.Year, date),
			PublishedBy: c.Who, CreatedBy: c.Who, CreatedAt: c.At,
			Changes: []PlanChange{{IndicatorID: c.IndicatorID, OldTarget: value(c.OldValue), NewTarget: value(c.NewValue),
				OldPacing: pacings[c.ID][0], NewPacing: pacings[c.ID][1], Reason: c.Why, By: c.Who, At: c.At}},
		}
		if err := tx.Create(&rev).Error; err != nil {
			return err
		}
	}
	return nil
}

// recordedTargetChanges lists the target changes the audit trail holds for
// the indicators of plan, in the order they were made.
func recordedTargetChanges(tx *gorm.DB, plan *Plan) ([]FigureChange, error) {
	var ids []uint
	for _, ind := range planIndicatorsOf(plan) {
		ids = append(ids, ind.ID)
	}
	var out []FigureChange
	if len(ids) == 0 {
		return out, nil
	}
	err := tx.Where("action = ? AND month = 0 AND year = ? AND indicator_id IN ?", "target", plan.Year, ids).
		Order("at, id").Find(&out).Error
	return out, err
}

// planIndicatorsOf lists the indicators of a loaded plan with where they
// sit, in plan order.
func planIndicatorsOf(plan *Plan) []placedIndicator {
	var out []placedIndicator
	for ti := range plan.Tasks {
		t := &plan.Tasks[ti]
		for pi := range t.Programs {
			p := &t.Programs[pi]
			for ii := range p.Indicators {
				out = append(out, placedIndicator{Indicator: &p.Indicators[ii], Task: t.Code, Program: p.Name})
			}
		}
	}
	return out
}

// placedIndicator is an indicator with its task's code and programme's
// name, which find it in a plan file.
type placedIndicator struct {
	*Indicator
	Task, Program string
}

// shippedIndicator is ind in the shipped plan file pf (the same task
// code, programme name and indicator name), or nil.
func shippedIndicator(pf *PlanFile, ind placedIndicator) *IndicatorFile {
	if pf == nil {
		return nil
	}
	for ti := range pf.Tasks {
		t := &pf.Tasks[ti]
		if t.Code != ind.Task {
			continue
		}
		for pi := range t.Programs {
			p := &t.Programs[pi]
			if p.Name != ind.Program {
				continue
			}
			for ii := range p.Indicators {
				if p.Indicators[ii].Name == ind.Name {
					return &p.Indicators[ii]
				}
			}
		}
	}
	return nil
}

// pacingChain rebuilds the monthly plans an indicator had along its chain
// of target changes: out[0] before the first change, out[i] after change
// i, and out[len(chain)] is cur, the plan it holds now.
//
// The old SetTarget scaled a monthly plan by new/old at each change, so
// each step is undone by old/new, from the current plan backwards; a
// linear plan (nil) stayed linear. A change to a target of 0 left a plan
// of zeros, which cannot be undone: the plans before it are then rebuilt
// forwards from orig, the plan the indicator was published with as the
// shipped file has it, scaled through the earlier changes as the old code
// did, or left linear (nil) when no shipped file has the indicator.
func pacingChain(cur Pacing, chain []FigureChange, orig Pacing) []Pacing {
	out := make([]Pacing, len(chain)+1)
	out[len(chain)] = cur
	for i := len(chain); i > 0; i-- {
		after, old, nw := out[i], value(chain[i-1].OldValue), value(chain[i-1].NewValue)
		switch {
		case len(after) != Months:
			out[i-1] = nil
		case nw != 0:
			out[i-1] = scalePacing(after, nw, old)
		default:
			out[0] = orig
			for j := 1; j < i; j++ {
				out[j] = scalePacing(out[j-1], value(chain[j-1].OldValue), value(chain[j-1].NewValue))
			}
			return out
		}
	}
	return out
}

// value is *p, or 0 when p is nil.
func value(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// restoreTargetNote puts back the note an indicator's target was published
// with, which the old SetTarget overwrote with a reason: the shipped file's
// (file), or none, marked as not recorded, when file is nil.
func restoreTargetNote(tx *gorm.DB, id uint, file *IndicatorFile) error {
	updates := map[string]any{"target_note": "", "target_note_en": "", "target_note_unrecorded": true}
	if file != nil {
		updates = map[string]any{"target_note": file.TargetNote, "target_note_en": file.TargetNoteEn, "target_note_unrecorded": false}
	}
	return tx.Model(&Indicator{}).Where("id = ?", id).Updates(updates).Error
}
