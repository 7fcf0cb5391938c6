package models

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// TargetInput is an official's change of an indicator's annual target,
// as the indicator page sends it.
type TargetInput struct {
	Year   int // the plan year the page showed
	Target string
	Reason string // shown as the target's reason for change, and kept in the history
}

// MaxReasonLen bounds a reason for change, in characters.
const MaxReasonLen = 300

// SetTarget changes an indicator's annual target. Editing the plan is for
// officials and admins. The reason replaces the indicator's note on why
// the target changed, and the history keeps the old and the new target
// with who, when and why, in the same transaction. A monthly plan of
// cumulative values is scaled to the new target, so that pace and status
// keep their meaning; one cannot be scaled from a target of 0.
func (s *Store) SetTarget(ctx context.Context, u *User, id uint, in TargetInput) error {
	if u == nil || u.Disabled || !u.Role.AtLeast(RoleOfficial) {
		return fmt.Errorf("models: set target of %d: %w", id, ErrForbidden)
	}
	v := &ValidationError{}
	target, ok := parseValue(in.Target)
	if !ok || target > MaxValue {
		v.say("target", "problem.target.number")
	}
	reason := strings.TrimSpace(in.Reason)
	switch {
	case reason == "":
		v.say("reason", "problem.target.reason")
	case utf8.RuneCountInString(reason) > MaxReasonLen:
		v.say("reason", "problem.target.reason.too.long", MaxReasonLen)
	}
	// Every problem at once: those of the indicator's kind, unit and year
	// too (they never change after import, so the read pool may tell).
	info, err := loadIndicatorInfo(s.r.WithContext(ctx), id)
	if err != nil {
		return fmt.Errorf("models: set target of %d: %w", id, err)
	}
	switch {
	case info.PlanYear != in.Year:
		v.say("year", "problem.indicator.other.year", info.PlanYear)
	case !info.Kind.Monthly():
		v.say("target", "problem.target.milestone")
	case ok && IsCountUnit(info.Unit) && target != float64(int64(target)):
		v.say("target", "problem.target.whole", PlanText{info.Unit, info.UnitEn})
	}
	if err := v.orNil(); err != nil {
		return err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var ind Indicator
		if err := tx.Select("id", "target", "pacing").First(&ind, id).Error; err != nil {
			return err
		}
		switch {
		case target == ind.Target:
			return invalid("target", "problem.target.same")
		case len(ind.Pacing) == Months && ind.Target == 0:
			return invalid("target", "problem.target.pacing.zero")
		}
		updates := map[string]any{"target": target, "target_note": reason, "target_note_en": ""}
		if len(ind.Pacing) == Months {
			scaled := make(Pacing, Months)
			for m, p := range ind.Pacing {
				scaled[m] = p * target / ind.Target
			}
			updates["pacing"] = scaled
		}
		if err := tx.Model(&Indicator{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return err
		}
		old := ind.Target
		return tx.Create(&FigureChange{IndicatorID: id, Year: info.PlanYear, Action: "target", OldValue: &old, NewValue: &target,
			Who: u.Login, At: s.now(), Why: reason}).Error
	})
	if err != nil {
		return fmt.Errorf("models: set target of %d: %w", id, err)
	}
	return nil
}

// TargetChange is a target change of a plan year, with the indicator's
// name, for the report.
type TargetChange struct {
	FigureChange
	IndicatorName   string
	IndicatorNameEn string
	Unit            string
}

// TargetChanges lists the target changes of a plan year, oldest first.
func (s *Store) TargetChanges(ctx context.Context, year int) ([]TargetChange, error) {
	var out []TargetChange
	err := s.r.WithContext(ctx).Table("figure_changes").
		Select("figure_changes.*, indicators.name AS indicator_name, indicators.name_en AS indicator_name_en, indicators.unit").
		Joins("JOIN indicators ON indicators.id = figure_changes.indicator_id").
		Where("figure_changes.action = ? AND figure_changes.year = ?", "target", year).
		Order("figure_changes.at, figure_changes.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: target changes of %d: %w", year, err)
	}
	return out, nil
}
