package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Errors of figure writes, mapped to 409 and 423 at the edge.
var (
	ErrConflict = errors.New("stale version")
	ErrLocked   = errors.New("period locked")
)

// ConflictError carries the figure as it is now, so the page can show who
// changed it and when.
type ConflictError struct{ Current *Figure }

func (e *ConflictError) Error() string { return "stale version" }

// Unwrap makes errors.Is(err, ErrConflict) match.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// LockedError says when the month locked.
type LockedError struct{ Since time.Time }

func (e *LockedError) Error() string { return "period locked since " + e.Since.Format(time.DateOnly) }

// Unwrap makes errors.Is(err, ErrLocked) match.
func (e *LockedError) Unwrap() error { return ErrLocked }

// KST is the time zone of the lock dates.
var KST = time.FixedZone("KST", 9*60*60)

// Lock settings.
const (
	SettingLockDay = "lock_day"
	DefaultLockDay = 10
	// UnlockLife is how long an official's unlock keeps a month open.
	UnlockLife = 7 * 24 * time.Hour
)

// FigureChange is one row of the audit trail: every change to a figure, in
// the same transaction as the change.
type FigureChange struct {
	ID          uint   `gorm:"primaryKey"`
	IndicatorID uint   `gorm:"not null;index:idx_change_period"`
	Year        int    `gorm:"not null;index:idx_change_period"`
	Month       int    `gorm:"not null;index:idx_change_period"`
	Action      string `gorm:"not null"` // save, submit, approve, return, unlock
	OldValue    *float64
	NewValue    *float64
	OldStatus   FigureStatus
	NewStatus   FigureStatus
	OldNote     string
	NewNote     string
	Version     int       // the figure's version after the change
	Who         string    `gorm:"not null"`
	At          time.Time `gorm:"not null;index"`
	Why         string
}

// Unlock opens a locked indicator-month for a while.
type Unlock struct {
	ID          uint   `gorm:"primaryKey"`
	IndicatorID uint   `gorm:"not null;index:idx_unlock_period"`
	Year        int    `gorm:"not null;index:idx_unlock_period"`
	Month       int    `gorm:"not null;index:idx_unlock_period"`
	By          string `gorm:"not null"`
	Reason      string `gorm:"not null"`
	At          time.Time
	Until       time.Time
}

// FigureInput is one month's value as the grid, an upload or the API gives
// it. Version is the version the writer read; 0 for a new figure.
type FigureInput struct {
	IndicatorID uint
	Year        int
	Month       int
	Value       string // as written: see Typed
	// Typed says a person typed or pasted Value (the grid, an upload):
	// thousands separators and full-width digits are read. Otherwise
	// (the API) Value is a plain decimal number.
	Typed   bool
	Note    string
	Version int
	// Confirm accepts a value above twice the annual target (with a note).
	Confirm bool
	// Reason is recorded in the audit trail (an overwrite after a conflict).
	Reason string
}

// indicatorInfo is what a figure write needs to know of its indicator.
type indicatorInfo struct {
	ID         uint
	Name       string
	Kind       Kind
	Unit       string
	UnitEn     string
	Target     float64
	Department string
	PlanID     uint
	PlanYear   int
	PlanState  PlanState
	Budget     Budget // the programme's budget, against which spending is checked
}

func loadIndicatorInfo(tx *gorm.DB, id uint) (*indicatorInfo, error) {
	var info indicatorInfo
	err := tx.Table("indicators").
		Select("indicators.id, indicators.name, indicators.kind, indicators.unit, indicators.unit_en, indicators.target, programs.department, programs.budget, plans.id AS plan_id, plans.year AS plan_year, plans.state AS plan_state").
		Joins("JOIN programs ON programs.id = indicators.program_id").
		Joins("JOIN tasks ON tasks.id = programs.task_id").
		Joins("JOIN plans ON plans.id = tasks.plan_id").
		Where("indicators.id = ?", id).Take(&info).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &info, err
}

// validate checks the input against its indicator and the month's state
// and returns every problem, with fields value, note, month and year.
func (in *FigureInput) validate(info *indicatorInfo, p Period) (float64, error) {
	v := &ValidationError{}
	if info.PlanState == PlanDraft {
		v.say("year", "problem.figure.draft", info.PlanYear)
		return 0, v
	}
	if !info.Kind.Monthly() {
		v.say("value", "problem.figure.milestone")
		return 0, v
	}
	if in.Year != info.PlanYear {
		v.say("year", "problem.figure.other.year", info.PlanYear)
	}
	if in.Month < 1 || in.Month > Months {
		v.say("month", "problem.month.range")
	} else if p.Future() {
		v.say("month", "problem.figure.future", in.Year, in.Month)
	}
	val, bad := ParseValue(in.Value, in.Typed)
	switch {
	case bad != nil:
		v.Problems = append(v.Problems, *bad)
	case val > MaxValue:
		v.say("value", "problem.figure.too.large")
	case IsCountUnit(info.Unit) && val != math.Trunc(val):
		v.say("value", "problem.figure.whole", PlanText{info.Unit, info.UnitEn})
	case info.Target > 0 && val > 2*info.Target && (!in.Confirm || strings.TrimSpace(in.Note) == ""):
		v.say(PathConfirm, "problem.figure.over.twice", strconv.FormatFloat(info.Target, 'f', -1, 64))
	case info.Kind == KindSpending && info.Budget.Total() != nil && val > *info.Budget.Total() && (!in.Confirm || strings.TrimSpace(in.Note) == ""):
		v.say(PathConfirm, "problem.spending.over.budget", strconv.FormatFloat(*info.Budget.Total(), 'f', -1, 64))
	}
	if len(in.Note) > 2000 {
		v.say("note", "problem.figure.note.too.long")
	}
	return val, v.orNil()
}

// LockDay is the day of the next month on which a month locks.
func (s *Store) LockDay(ctx context.Context) (int, error) {
	return lockDay(s.r.WithContext(ctx))
}

// lockDay reads the lock-day setting through db (a read or a write
// transaction); the default when it is unset or out of range.
func lockDay(db *gorm.DB) (int, error) {
	var st Setting
	if err := db.Where("key = ?", SettingLockDay).Limit(1).Find(&st).Error; err != nil {
		return 0, fmt.Errorf("models: read lock day: %w", err)
	}
	day, err := strconv.Atoi(st.Value)
	if err != nil || day < 1 || day > 28 {
		return DefaultLockDay, nil
	}
	return day, nil
}

// PathConfirm is the field of the problem "over twice the target": the
// value is saved once the user confirms it and gives a reason.
const PathConfirm = "confirm"

// SetLockDay changes the lock day (1–28).
func (s *Store) SetLockDay(ctx context.Context, day int) error {
	if day < 1 || day > 28 {
		return invalid("lock_day", "problem.lock.day.range")
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Save(&Setting{Key: SettingLockDay, Value: strconv.Itoa(day)}).Error
	})
}

func (s *Store) figure(tx *gorm.DB, id uint, year, month int) (*Figure, error) {
	var f Figure
	err := tx.Where("indicator_id = ? AND year = ? AND month = ?", id, year, month).Limit(1).Find(&f).Error
	if err != nil || f.ID == 0 {
		return nil, err
	}
	return &f, nil
}

// Figure reads one month's figure; ErrNotFound when there is none yet.
func (s *Store) Figure(ctx context.Context, id uint, year, month int) (*Figure, error) {
	f, err := s.figure(s.r.WithContext(ctx), id, year, month)
	if err != nil {
		return nil, fmt.Errorf("models: figure %d %d/%02d: %w", id, year, month, err)
	}
	if f == nil {
		return nil, fmt.Errorf("models: figure %d %d/%02d: %w", id, year, month, ErrNotFound)
	}
	return f, nil
}

// SaveFigure stores a draft value. In one transaction it checks the
// user's department, the input, the period lock and the version the
// writer read, writes the figure and its audit row. It reports whether the
// figure was created.
func (s *Store) SaveFigure(ctx context.Context, u *User, in FigureInput) (*Figure, bool, error) {
	var out *Figure
	var created bool
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		out, created, err = s.saveFigure(tx, u, in, s.now())
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("models: save figure %d %d/%02d: %w", in.IndicatorID, in.Year, in.Month, err)
	}
	return out, created, nil
}

// BatchError holds the error of each failed input of a batch, by index.
// Nothing of the batch was written.
type BatchError struct{ Errs map[int]error }

func (e *BatchError) Error() string {
	return fmt.Sprintf("%d of the values were refused; nothing was saved", len(e.Errs))
}

// SaveFigures saves many values all or nothing: if any is refused, none
// is written and the BatchError tells which and why.
func (s *Store) SaveFigures(ctx context.Context, u *User, ins []FigureInput) ([]*Figure, error) {
	out, batch, err := s.saveFigures(ctx, u, ins, false)
	if err != nil {
		return nil, fmt.Errorf("models: save figures: %w", err)
	}
	if len(batch.Errs) > 0 {
		return nil, batch
	}
	return out, nil
}

// CheckFigures gives the verdict SaveFigures would give on each input, by
// index, and writes nothing: the batch runs in a transaction that is always
// rolled back. Only a database failure is returned as the error.
func (s *Store) CheckFigures(ctx context.Context, u *User, ins []FigureInput) (map[int]error, error) {
	_, batch, err := s.saveFigures(ctx, u, ins, true)
	if err != nil {
		return nil, fmt.Errorf("models: check figures: %w", err)
	}
	return batch.Errs, nil
}

// errDryRun rolls back a batch that was only checked.
var errDryRun = errors.New("models: dry run")

func (s *Store) saveFigures(ctx context.Context, u *User, ins []FigureInput, dryRun bool) ([]*Figure, *BatchError, error) {
	out := make([]*Figure, len(ins))
	batch := &BatchError{Errs: map[int]error{}}
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now()
		for i, in := range ins {
			f, _, err := s.saveFigure(tx, u, in, now)
			if err != nil {
				var v *ValidationError
				var c *ConflictError
				var l *LockedError
				if !errors.As(err, &v) && !errors.As(err, &c) && !errors.As(err, &l) &&
					!errors.Is(err, ErrForbidden) && !errors.Is(err, ErrNotFound) {
					return err // a database failure: stop at once
				}
				batch.Errs[i] = err
				continue
			}
			out[i] = f
		}
		switch {
		case dryRun:
			return errDryRun
		case len(batch.Errs) > 0:
			return batch
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) && !errors.Is(err, batch) {
		return nil, batch, err
	}
	return out, batch, nil
}

func (s *Store) saveFigure(tx *gorm.DB, u *User, in FigureInput, now time.Time) (*Figure, bool, error) {
	info, err := loadIndicatorInfo(tx, in.IndicatorID)
	if err != nil {
		return nil, false, err
	}
	if !u.MayEdit(info.Department) {
		return nil, false, ErrForbidden
	}
	var p Period
	if in.Month >= 1 && in.Month <= Months {
		if p, err = period(tx, in.IndicatorID, in.Year, in.Month, now); err != nil {
			return nil, false, err
		}
	}
	val, err := in.validate(info, p)
	if err != nil {
		return nil, false, err
	}
	if err := p.lockedError(); err != nil {
		return nil, false, err
	}
	old, err := s.figure(tx, in.IndicatorID, in.Year, in.Month)
	if err != nil {
		return nil, false, err
	}
	if old == nil && in.Version != 0 || old != nil && old.Version != in.Version {
		return nil, false, &ConflictError{Current: old}
	}
	f := Figure{IndicatorID: in.IndicatorID, Year: in.Year, Month: in.Month}
	ch := FigureChange{Action: "save"}
	if old != nil {
		f = *old
		ch.OldValue, ch.OldStatus, ch.OldNote = &old.Value, old.Status, old.Note
	}
	f.Value, f.Note, f.Status, f.ReturnComment = val, strings.TrimSpace(in.Note), FigureDraft, ""
	f.Version++
	f.UpdatedBy, f.UpdatedAt = u.Login, now
	if err := tx.Save(&f).Error; err != nil {
		return nil, false, err
	}
	return &f, old == nil, s.recordChange(tx, &f, ch, u, in.Reason)
}

func (s *Store) recordChange(tx *gorm.DB, f *Figure, ch FigureChange, u *User, why string) error {
	ch.IndicatorID, ch.Year, ch.Month = f.IndicatorID, f.Year, f.Month
	nv := f.Value
	ch.NewValue, ch.NewStatus, ch.NewNote, ch.Version = &nv, f.Status, f.Note, f.Version
	ch.Who, ch.At, ch.Why = u.Login, s.now(), strings.TrimSpace(why)
	return tx.Create(&ch).Error
}

// FigureHistory lists the audit trail of an indicator, newest first.
func (s *Store) FigureHistory(ctx context.Context, id uint) ([]FigureChange, error) {
	var out []FigureChange
	if err := s.r.WithContext(ctx).Where("indicator_id = ?", id).Order("at DESC, id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: history %d: %w", id, err)
	}
	return out, nil
}
