package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ErrForbidden reports a write the user's role or department does not
// allow. It is checked inside the store call that writes, for every record.
var ErrForbidden = errors.New("not allowed")

// MayEdit reports whether u may write to an indicator of a programme owned
// by dept: officials and admins for every department, staff only for
// their own.
func (u *User) MayEdit(dept string) bool {
	switch {
	case u == nil || u.Disabled:
		return false
	case u.Role.AtLeast(RoleOfficial):
		return true
	}
	return u.Role == RoleStaff && dept != "" && u.Department == dept
}

// MilestoneInput is a milestone update from the indicator page.
type MilestoneInput struct {
	State MilestoneState
	Done  string // YYYY-MM-DD, required when done
	Note  string // evidence when done, the reason when delayed
}

// Validate returns every problem at once.
func (in *MilestoneInput) Validate(year int, today time.Time) error {
	v := &ValidationError{}
	switch in.State {
	case MilestonePlanned, MilestoneInProgress, MilestoneDone, MilestoneDelayed:
	default:
		v.say("state", "problem.milestone.state")
	}
	if in.State == MilestoneDone {
		d, err := time.Parse(time.DateOnly, in.Done)
		switch {
		case in.Done == "":
			v.say("done", "problem.milestone.done.required")
		case err != nil:
			v.say("done", "problem.milestone.done.format")
		case in.Done > today.In(KST).Format(time.DateOnly): // the date in Korea, not in UTC
			v.say("done", "problem.milestone.done.future")
		case d.Year() < year-1:
			v.say("done", "problem.milestone.done.early", year)
		}
		if strings.TrimSpace(in.Note) == "" {
			v.say("note", "problem.milestone.evidence")
		}
	}
	if in.State == MilestoneDelayed && strings.TrimSpace(in.Note) == "" {
		v.say("note", "problem.milestone.delay.reason")
	}
	if len(in.Note) > 2000 {
		v.say("note", "problem.milestone.note.too.long")
	}
	return v.orNil()
}

// indicatorDept finds an indicator's department and kind within a
// transaction.
func indicatorDept(tx *gorm.DB, id uint) (string, Kind, error) {
	var row struct {
		Department string
		Kind       Kind
	}
	err := tx.Table("indicators").Select("programs.department, indicators.kind").
		Joins("JOIN programs ON programs.id = indicators.program_id").
		Where("indicators.id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", "", ErrNotFound
	}
	return row.Department, row.Kind, err
}

// CheckEditIndicator returns ErrForbidden unless u may write to the
// indicator, and ErrNotFound for an unknown one. Handlers call it before
// validating input, so that nobody learns more than "not allowed"; the
// write itself checks again inside its transaction.
func (s *Store) CheckEditIndicator(ctx context.Context, u *User, id uint) error {
	dept, _, err := indicatorDept(s.r.WithContext(ctx), id)
	if err != nil {
		return fmt.Errorf("models: indicator %d: %w", id, err)
	}
	if !u.MayEdit(dept) {
		return ErrForbidden
	}
	return nil
}

// UpdateMilestone records a milestone's progress. Only a user who may edit
// the indicator's department may do it; the check and the write share one
// transaction.
func (s *Store) UpdateMilestone(ctx context.Context, u *User, id uint, in MilestoneInput) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		info, err := loadIndicatorInfo(tx, id)
		if err != nil {
			return err
		}
		if !u.MayEdit(info.Department) {
			return ErrForbidden
		}
		switch {
		case info.Kind.Monthly():
			return invalid("state", "problem.milestone.not.milestone")
		case info.PlanState == PlanDraft:
			return invalid("state", "problem.figure.draft", info.PlanYear)
		}
		var done *time.Time
		if in.State == MilestoneDone {
			done = parseDate(in.Done)
		}
		var before Indicator
		if err := tx.Select("milestone_state", "done_date", "milestone_note", "due_date").First(&before, id).Error; err != nil {
			return err
		}
		if err := tx.Model(&Indicator{}).Where("id = ?", id).Updates(map[string]any{
			"milestone_state": in.State, "done_date": done, "milestone_note": strings.TrimSpace(in.Note),
		}).Error; err != nil {
			return err
		}
		// The audit trail keeps the milestone's old and new state.
		year, month := 0, 0
		if before.DueDate != nil {
			year, month = before.DueDate.Year(), int(before.DueDate.Month())
		}
		now := s.now()
		return tx.Create(&FigureChange{IndicatorID: id, Year: year, Month: month, Action: "milestone",
			OldStatus: FigureStatus(before.MilestoneState), NewStatus: FigureStatus(in.State), OldNote: before.MilestoneNote,
			NewNote: strings.TrimSpace(in.Note), Who: u.Login, At: now,
			Why: truncate(fmt.Sprintf("%s → %s, 완료일 %s: %s", before.MilestoneState, in.State, in.Done, strings.TrimSpace(in.Note)), 500)}).Error
	})
	if err != nil {
		return fmt.Errorf("models: update milestone %d: %w", id, err)
	}
	return nil
}

// SetProgramDepartment assigns a programme to a department. Editing the
// plan is for officials and admins. It changes no published number, so
// it is no revision, in a draft or a published plan alike; the access log
// keeps the old and the new department.
func (s *Store) SetProgramDepartment(ctx context.Context, u *User, id uint, dept string, from Origin) error {
	dept = strings.TrimSpace(dept)
	if len(dept) > 100 {
		return invalid("department", "problem.department.too.long")
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if !mayEditPlan(u) {
			return ErrForbidden
		}
		var prog Program
		if err := tx.Select("id", "name", "department").Take(&prog, id).Error; err != nil {
			return err
		}
		if prog.Department == dept {
			return nil
		}
		if err := tx.Model(&Program{}).Where("id = ?", id).Update("department", dept).Error; err != nil {
			return err
		}
		return recordEvent(tx, EventDeptAssign, nil, u, from, fmt.Sprintf("%s: %s → %s", prog.Name, prog.Department, dept))
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("models: set department of programme %d: %w", id, err)
	}
	return nil
}
