package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Commentary is the analysis and action plan (분석 / 조치계획) for an
// indicator's month.
type Commentary struct {
	ID          uint `gorm:"primaryKey"`
	IndicatorID uint `gorm:"not null;uniqueIndex:idx_commentary_period"`
	Year        int  `gorm:"not null;uniqueIndex:idx_commentary_period"`
	Month       int  `gorm:"not null;uniqueIndex:idx_commentary_period"`
	Analysis    string
	Action      string
	UpdatedBy   string
	UpdatedAt   time.Time
}

// CommentaryInput is a commentary from the indicator page.
type CommentaryInput struct {
	IndicatorID uint
	Year, Month int
	Analysis    string
	Action      string
}

// SaveCommentary stores the analysis and action plan of a month, checked
// like a figure write, with a row in the audit trail.
func (s *Store) SaveCommentary(ctx context.Context, u *User, in CommentaryInput) error {
	v := &ValidationError{}
	if in.Month < 1 || in.Month > Months {
		v.say("month", "problem.month.range")
	}
	in.Analysis, in.Action = strings.TrimSpace(in.Analysis), strings.TrimSpace(in.Action)
	if in.Analysis == "" && in.Action == "" {
		v.say("analysis", "problem.commentary.empty")
	}
	if len(in.Analysis) > 4000 || len(in.Action) > 4000 {
		v.say("analysis", "problem.commentary.too.long")
	}
	if err := v.orNil(); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		info, err := loadIndicatorInfo(tx, in.IndicatorID)
		if err != nil {
			return err
		}
		if !u.MayEdit(info.Department) {
			return ErrForbidden
		}
		if in.Year != info.PlanYear {
			return invalid("year", "problem.indicator.other.year", info.PlanYear)
		}
		if info.PlanState == PlanDraft {
			return invalid("year", "problem.figure.draft", info.PlanYear)
		}
		var c Commentary
		if err := tx.Where("indicator_id = ? AND year = ? AND month = ?", in.IndicatorID, in.Year, in.Month).Limit(1).Find(&c).Error; err != nil {
			return err
		}
		c.IndicatorID, c.Year, c.Month, c.Analysis, c.Action = in.IndicatorID, in.Year, in.Month, in.Analysis, in.Action
		c.UpdatedBy, c.UpdatedAt = u.Login, s.now()
		if err := tx.Save(&c).Error; err != nil {
			return err
		}
		return tx.Create(&FigureChange{IndicatorID: in.IndicatorID, Year: in.Year, Month: in.Month, Action: "comment",
			Who: u.Login, At: c.UpdatedAt, Why: truncate("분석: "+in.Analysis+" / 조치: "+in.Action, 500)}).Error
	})
	if err != nil {
		return fmt.Errorf("models: commentary %d %d/%02d: %w", in.IndicatorID, in.Year, in.Month, err)
	}
	return nil
}

// Commentaries lists an indicator's commentaries of a year, by month.
func (s *Store) Commentaries(ctx context.Context, id uint, year int) ([]Commentary, error) {
	var out []Commentary
	if err := s.r.WithContext(ctx).Where("indicator_id = ? AND year = ?", id, year).Order("month").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: commentaries %d: %w", id, err)
	}
	return out, nil
}

// LatestCommentaries returns, for each indicator of a year that has one,
// the commentary of the latest month up to upTo.
func (s *Store) LatestCommentaries(ctx context.Context, year, upTo int) (map[uint]Commentary, error) {
	var all []Commentary
	err := s.r.WithContext(ctx).Where("year = ? AND month <= ?", year, upTo).Order("month").Find(&all).Error
	if err != nil {
		return nil, fmt.Errorf("models: commentaries of %d: %w", year, err)
	}
	out := make(map[uint]Commentary, len(all))
	for _, c := range all {
		out[c.IndicatorID] = c // later months replace earlier ones
	}
	return out, nil
}
