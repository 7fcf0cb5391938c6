package models

// The workflow after saving: staff submit a month, officials approve or
// return each value (or approve many at once), and officials unlock a
// locked month. Every step writes its audit row in the same transaction.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SubmitMonth submits every draft or returned figure of a department's
// indicators for one month, in one transaction, and returns how many.
func (s *Store) SubmitMonth(ctx context.Context, u *User, year int, dept string, month int) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *gorm.DB) error {
		if !u.MayEdit(dept) {
			return ErrForbidden
		}
		var figs []Figure
		err := tx.Table("figures").Select("figures.*").
			Joins("JOIN indicators ON indicators.id = figures.indicator_id").
			Joins("JOIN programs ON programs.id = indicators.program_id").
			Where("programs.department = ? AND figures.year = ? AND figures.month = ? AND figures.status IN ?",
				dept, year, month, []FigureStatus{FigureDraft, FigureReturned}).Find(&figs).Error
		if err != nil {
			return err
		}
		now := s.now()
		for i := range figs {
			f := &figs[i]
			p, err := period(tx, f.IndicatorID, year, month, now)
			if err != nil {
				return err
			}
			if err := p.lockedError(); err != nil {
				return err
			}
			ch := FigureChange{Action: string(Submit), OldValue: &f.Value, OldStatus: f.Status, OldNote: f.Note}
			f.Status, f.Version, f.UpdatedBy, f.UpdatedAt = FigureSubmitted, f.Version+1, u.Login, now
			if err := tx.Save(f).Error; err != nil {
				return err
			}
			if err := s.recordChange(tx, f, ch, u, ""); err != nil {
				return err
			}
		}
		n = len(figs)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("models: submit %s %d/%02d: %w", dept, year, month, err)
	}
	return n, nil
}

// Transition names a workflow step.
type Transition string

// The workflow steps after saving.
const (
	Submit  Transition = "submit"
	Approve Transition = "approve"
	Return  Transition = "return"
)

// MoveFigure applies a workflow step: staff submit their department's
// draft (or returned) figure; officials approve or return a submitted one.
// The version the user read must be current.
func (s *Store) MoveFigure(ctx context.Context, u *User, id uint, year, month, version int, step Transition, comment string) (*Figure, error) {
	var out *Figure
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.moveFigure(tx, u, FigureRef{IndicatorID: id, Year: year, Month: month, Version: version}, step, comment)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("models: %s figure %d %d/%02d: %w", step, id, year, month, err)
	}
	return out, nil
}

// FigureRef names one figure as the user read it: indicator, period and
// version.
type FigureRef struct {
	IndicatorID uint
	Year, Month int
	Version     int
}

// RefError is why one figure of a batch was refused; Name is its
// indicator's name when the indicator exists.
type RefError struct {
	Ref  FigureRef
	Name string
	Err  error
}

func (e *RefError) Error() string {
	return fmt.Sprintf("figure %d %d/%02d: %v", e.Ref.IndicatorID, e.Ref.Year, e.Ref.Month, e.Err)
}

func (e *RefError) Unwrap() error { return e.Err }

// MaxApproveBatch bounds how many figures one approval may name.
const MaxApproveBatch = 1000

// ApproveFigures approves several submitted figures in one transaction:
// all of them, or none when any one is refused (changed since it was read,
// no longer submitted, outside the user's scope). The error of the first
// refused figure is a *RefError that names it.
func (s *Store) ApproveFigures(ctx context.Context, u *User, refs []FigureRef) error {
	switch {
	case len(refs) == 0:
		return invalid("pick", "problem.approve.none")
	case len(refs) > MaxApproveBatch:
		return invalid("pick", "problem.approve.too.many", MaxApproveBatch)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		for _, r := range refs {
			if _, err := s.moveFigure(tx, u, r, Approve, ""); err != nil {
				refused := &RefError{Ref: r, Err: err}
				if info, ierr := loadIndicatorInfo(tx, r.IndicatorID); ierr == nil {
					refused.Name = info.Name
				}
				return refused
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("models: approve %d figures: %w", len(refs), err)
	}
	return nil
}

// moveFigure applies one workflow step inside a write transaction.
func (s *Store) moveFigure(tx *gorm.DB, u *User, r FigureRef, step Transition, comment string) (*Figure, error) {
	info, err := loadIndicatorInfo(tx, r.IndicatorID)
	if err != nil {
		return nil, err
	}
	if !u.MayEdit(info.Department) || step != Submit && !u.Role.AtLeast(RoleOfficial) {
		return nil, ErrForbidden
	}
	f, err := s.figure(tx, r.IndicatorID, r.Year, r.Month)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, ErrNotFound
	}
	if f.Version != r.Version {
		return nil, &ConflictError{Current: f}
	}
	ch := FigureChange{Action: string(step), OldValue: &f.Value, OldStatus: f.Status, OldNote: f.Note}
	switch step {
	case Submit:
		if f.Status != FigureDraft && f.Status != FigureReturned {
			return nil, invalid("status", "problem.submit.status")
		}
		p, err := period(tx, r.IndicatorID, r.Year, r.Month, s.now())
		if err != nil {
			return nil, err
		}
		if err := p.lockedError(); err != nil {
			return nil, err
		}
		f.Status = FigureSubmitted
	case Approve, Return:
		if f.Status != FigureSubmitted {
			return nil, invalid("status", "problem.review.status")
		}
		if step == Return && strings.TrimSpace(comment) == "" {
			return nil, invalid("comment", "problem.return.reason")
		}
		f.Status, f.ReturnComment = FigureApproved, ""
		if step == Return {
			f.Status, f.ReturnComment = FigureReturned, strings.TrimSpace(comment)
		} else {
			v := f.Value
			f.Approved = &v
		}
	default:
		return nil, fmt.Errorf("unknown step %q", step)
	}
	f.Version++
	f.UpdatedBy, f.UpdatedAt = u.Login, s.now()
	if err := tx.Save(f).Error; err != nil {
		return nil, err
	}
	if step == Approve {
		if err := refreshBaselines(tx, r.IndicatorID, r.Year); err != nil {
			return nil, err
		}
	}
	return f, s.recordChange(tx, f, ch, u, comment)
}

// UnlockMonth lets the indicator-month be changed for UnlockLife after its
// lock. Officials only; the reason goes into the audit trail.
func (s *Store) UnlockMonth(ctx context.Context, u *User, id uint, year, month int, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return invalid("reason", "problem.unlock.reason")
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if u == nil || !u.Role.AtLeast(RoleOfficial) {
			return ErrForbidden
		}
		info, err := loadIndicatorInfo(tx, id)
		if err != nil {
			return err
		}
		if info.PlanYear != year {
			return invalid("year", "problem.indicator.other.year", info.PlanYear)
		}
		return s.unlock(tx, u, []uint{id}, year, month, reason)
	})
	if err != nil {
		return fmt.Errorf("models: unlock %d %d/%02d: %w", id, year, month, err)
	}
	return nil
}

// UnlockDepartment opens one locked month of every indicator of a
// department's plan year that takes monthly figures, for UnlockLife, with
// one reason: all of them in one transaction, each with its audit row. It
// returns how many indicators it opened. Officials only.
func (s *Store) UnlockDepartment(ctx context.Context, u *User, year int, dept string, month int, reason string) (int, error) {
	if strings.TrimSpace(reason) == "" {
		return 0, invalid("reason", "problem.unlock.reason")
	}
	if month < 1 || month > Months {
		return 0, invalid("month", "problem.month.range")
	}
	var n int
	err := s.write(ctx, func(tx *gorm.DB) error {
		if u == nil || !u.Role.AtLeast(RoleOfficial) {
			return ErrForbidden
		}
		var ids []uint
		err := tx.Table("indicators").
			Joins("JOIN programs ON programs.id = indicators.program_id").
			Joins("JOIN tasks ON tasks.id = programs.task_id").
			Joins("JOIN plans ON plans.id = tasks.plan_id").
			Where("plans.year = ? AND programs.department = ? AND indicators.kind IN ?", year, dept, monthlyKinds()).
			Order("indicators.id").Pluck("indicators.id", &ids).Error
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return invalid("dept", "problem.unlock.no.indicators", year, dept)
		}
		n = len(ids)
		return s.unlock(tx, u, ids, year, month, reason)
	})
	if err != nil {
		return 0, fmt.Errorf("models: unlock %s %d/%02d: %w", dept, year, month, err)
	}
	return n, nil
}

// unlock opens month of year for each indicator of ids inside a write
// transaction, after checking that the month has locked.
func (s *Store) unlock(tx *gorm.DB, u *User, ids []uint, year, month int, reason string) error {
	now := s.now()
	for _, id := range ids {
		p, err := period(tx, id, year, month, now)
		if err != nil {
			return err
		}
		if !p.PastLock() {
			return invalid("month", "problem.unlock.not.locked", month, p.LockAt.Format(time.DateOnly))
		}
		un := Unlock{IndicatorID: id, Year: year, Month: month, By: u.Login, Reason: strings.TrimSpace(reason), At: now, Until: now.Add(UnlockLife)}
		if err := tx.Create(&un).Error; err != nil {
			return err
		}
		ch := FigureChange{IndicatorID: id, Year: year, Month: month, Action: "unlock", Who: u.Login, At: now, Why: un.Reason}
		if err := tx.Create(&ch).Error; err != nil {
			return err
		}
	}
	return nil
}
