package models

// The state of an indicator-month: whether it has begun, whether it has
// locked, and whether an official has reopened it. PeriodAt is the one
// place that decides it; the grid, the store's writes, unlocking, the
// indicator page and /my all ask it.

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MonthState is where an indicator-month stands for entry at a moment.
type MonthState string

// The states of an indicator-month.
const (
	// MonthFuture has not begun: nothing can be entered yet.
	MonthFuture MonthState = "future"
	// MonthOpen has begun and has not locked.
	MonthOpen MonthState = "open"
	// MonthLocked is past its lock, with no unlock in force.
	MonthLocked MonthState = "locked"
	// MonthUnlocked is past its lock and reopened by an official.
	MonthUnlocked MonthState = "unlocked"
)

// Period is the state of one indicator-month at a moment, with the times
// that decide it.
type Period struct {
	Year, Month int
	State       MonthState
	// LockAt is when the month locks: 00:00 KST on the lock day of the
	// next month.
	LockAt time.Time
	// Until is when the unlock in force ends, for MonthUnlocked.
	Until time.Time
}

// PeriodAt says what state month m of year is in at now, given the lock
// day and the end of the latest unlock of the indicator-month (zero when
// there is none).
func PeriodAt(year, month, lockDay int, unlockedUntil, now time.Time) Period {
	p := Period{Year: year, Month: month, LockAt: time.Date(year, time.Month(month)+1, lockDay, 0, 0, 0, 0, KST)}
	switch {
	case time.Date(year, time.Month(month), 1, 0, 0, 0, 0, KST).After(now):
		p.State = MonthFuture
	case now.Before(p.LockAt):
		p.State = MonthOpen
	case unlockedUntil.After(now):
		p.State, p.Until = MonthUnlocked, unlockedUntil
	default:
		p.State = MonthLocked
	}
	return p
}

// Future tells whether the month has not begun.
func (p Period) Future() bool { return p.State == MonthFuture }

// Locked tells whether the month is past its lock with no unlock in force.
func (p Period) Locked() bool { return p.State == MonthLocked }

// Writable tells whether values of the month can be written now: it is
// open, or unlocked.
func (p Period) Writable() bool { return p.State == MonthOpen || p.State == MonthUnlocked }

// PastLock tells whether the month's lock day has come, unlocked or not.
func (p Period) PastLock() bool { return p.State == MonthLocked || p.State == MonthUnlocked }

// lockedError is the error of a write to a locked month, or nil.
func (p Period) lockedError() error {
	if p.Locked() {
		return &LockedError{Since: p.LockAt}
	}
	return nil
}

// period reads the state of one indicator-month at now through tx (a
// read or a write transaction).
func period(tx *gorm.DB, id uint, year, month int, now time.Time) (Period, error) {
	day, err := lockDay(tx)
	if err != nil {
		return Period{}, err
	}
	var un Unlock
	err = tx.Where("indicator_id = ? AND year = ? AND month = ?", id, year, month).Order("until DESC").Limit(1).Find(&un).Error
	if err != nil {
		return Period{}, fmt.Errorf("models: unlocks %d %d/%02d: %w", id, year, month, err)
	}
	return PeriodAt(year, month, day, un.Until, now), nil
}

// unlockKey names an indicator-month among unlocks.
type unlockKey struct {
	id    uint
	month int
}

// periods gives the state of every month of the indicators ids in year at
// now, with one query for the lock day and one for the unlocks.
func periods(db *gorm.DB, ids []uint, year int, now time.Time) (map[uint]*[Months]Period, error) {
	day, err := lockDay(db)
	if err != nil {
		return nil, err
	}
	var unlocks []Unlock
	if err := db.Where("indicator_id IN ? AND year = ? AND until > ?", ids, year, now).Find(&unlocks).Error; err != nil {
		return nil, fmt.Errorf("models: unlocks %d: %w", year, err)
	}
	until := map[unlockKey]time.Time{}
	for _, u := range unlocks {
		k := unlockKey{u.IndicatorID, u.Month}
		if u.Until.After(until[k]) {
			until[k] = u.Until
		}
	}
	out := make(map[uint]*[Months]Period, len(ids))
	for _, id := range ids {
		var ps [Months]Period
		for m := 1; m <= Months; m++ {
			ps[m-1] = PeriodAt(year, m, day, until[unlockKey{id, m}], now)
		}
		out[id] = &ps
	}
	return out, nil
}

// Periods gives the state of each month of an indicator's year now.
func (s *Store) Periods(ctx context.Context, id uint, year int) ([Months]Period, error) {
	ps, err := periods(s.r.WithContext(ctx), []uint{id}, year, s.now())
	if err != nil {
		return [Months]Period{}, err
	}
	return *ps[id], nil
}
