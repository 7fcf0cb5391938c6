package models

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestPeriodAt(t *testing.T) {
	kst := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, KST) }
	tests := []struct {
		name   string
		month  int
		until  time.Time
		now    time.Time
		want   MonthState
		lockAt time.Time
	}{
		{"before the month begins", 6, time.Time{}, kst(5, 31, 23), MonthFuture, kst(7, 10, 0)},
		{"its first hour", 6, time.Time{}, kst(6, 1, 0), MonthOpen, kst(7, 10, 0)},
		{"the last hour before the lock", 5, time.Time{}, kst(6, 9, 23), MonthOpen, kst(6, 10, 0)},
		{"at the lock", 5, time.Time{}, kst(6, 10, 0), MonthLocked, kst(6, 10, 0)},
		{"unlocked", 5, kst(6, 20, 0), kst(6, 15, 0), MonthUnlocked, kst(6, 10, 0)},
		{"after the unlock ended", 5, kst(6, 20, 0), kst(6, 20, 0), MonthLocked, kst(6, 10, 0)},
		{"an unlock before the lock changes nothing", 5, kst(6, 20, 0), kst(6, 5, 0), MonthOpen, kst(6, 10, 0)},
		{"December locks in January", 12, time.Time{}, time.Date(2027, 1, 9, 23, 0, 0, 0, KST), MonthOpen, time.Date(2027, 1, 10, 0, 0, 0, 0, KST)},
		{"9 UTC hours matter", 6, time.Time{}, time.Date(2026, 5, 31, 15, 0, 0, 0, time.UTC), MonthOpen, kst(7, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := PeriodAt(2026, tt.month, 10, tt.until, tt.now)
			if p.State != tt.want || !p.LockAt.Equal(tt.lockAt) {
				t.Errorf("PeriodAt(2026, %d, 10, %v, %v) = %s locking %v, want %s locking %v", tt.month, tt.until, tt.now, p.State, p.LockAt, tt.want, tt.lockAt)
			}
			if p.Writable() != (tt.want == MonthOpen || tt.want == MonthUnlocked) {
				t.Errorf("Writable() = %v in state %s", p.Writable(), p.State)
			}
		})
	}
}

// TestMonthStateEverywhere: an unlock opens the month for the store's
// writes, the grid and the indicator page alike, and its end closes it for
// all of them.
func TestMonthStateEverywhere(t *testing.T) {
	s, c, users, id := entryStore(t) // 5 May 2026
	ctx := context.Background()
	c.t = time.Date(2026, 5, 20, 12, 0, 0, 0, KST) // April locked on 10 May
	states := func() string {
		t.Helper()
		rows, err := s.EntryRows(ctx, 2026, "일자리경제과")
		if err != nil {
			t.Fatal(err)
		}
		ps, err := s.Periods(ctx, id, 2026)
		if err != nil {
			t.Fatal(err)
		}
		// A stale version: refused as locked, or else as a conflict.
		_, _, err = s.SaveFigure(ctx, users["staff"], FigureInput{IndicatorID: id, Year: 2026, Month: 4, Value: "1", Version: -1})
		write := "open"
		if errors.Is(err, ErrLocked) {
			write = "locked"
		}
		return fmt.Sprintf("grid %s, page %s, write %s", rows[0].Cells[3].State, ps[3].State, write)
	}
	if got, want := states(), "grid locked, page locked, write locked"; got != want {
		t.Errorf("before the unlock: %s, want %s", got, want)
	}
	if err := s.UnlockMonth(ctx, users["official"], id, 2026, 4, "늦게 온 자료"); err != nil {
		t.Fatal(err)
	}
	if got, want := states(), "grid unlocked, page unlocked, write open"; got != want {
		t.Errorf("unlocked: %s, want %s", got, want)
	}
	c.t = c.t.Add(UnlockLife)
	if got, want := states(), "grid locked, page locked, write locked"; got != want {
		t.Errorf("after the unlock ended: %s, want %s", got, want)
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		in     string
		typed  bool
		want   float64
		refuse string // the refusal's message key, or "" to accept
	}{
		{"12", Strict, 12, ""},
		{" 12.5 ", Strict, 12.5, ""},
		{"1,000", Strict, 0, "problem.number.plain"},
		{"1,000", Typed, 1000, ""},
		{"12,345.5", Typed, 12345.5, ""},
		{"1,00", Typed, 0, "problem.number.comma"},
		{"１２", Strict, 0, "problem.number.digits"},
		{"２０", Typed, 20, ""},
		{"１，０００．５", Typed, 1000.5, ""},
		{"1e3", Strict, 0, "problem.number.exponent"},
		{"1e3", Typed, 0, "problem.number.exponent"},
		{"١٢", Typed, 0, "problem.number.digits"},
		{"-5", Strict, 0, "problem.number.negative"},
		{"-5", Typed, 0, "problem.number.negative"},
		{"－5", Typed, 0, "problem.number.negative"},
		{"+5", Typed, 0, "problem.number.typed"},
		{"Inf", Typed, 0, "problem.number.typed"},
		{"열둘", Typed, 0, "problem.number.typed"},
		{"", Typed, 0, "problem.number.typed"},
		{".5", Strict, 0, "problem.number.plain"},
	}
	for _, tt := range tests {
		got, bad := ParseValue(tt.in, tt.typed)
		switch {
		case tt.refuse == "" && (bad != nil || got != tt.want):
			t.Errorf("ParseValue(%q, %v) = %v, %v; want %v", tt.in, tt.typed, got, bad, tt.want)
		case tt.refuse != "" && (bad == nil || bad.Key != tt.refuse || bad.Path != "value"):
			t.Errorf("ParseValue(%q, %v) = %v, %v; want a refusal at value with the key %q", tt.in, tt.typed, got, bad, tt.refuse)
		}
	}
}

func TestInForceYear(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 30, 0, 0, KST) // still 2025 in UTC
	tests := []struct {
		years []int
		want  int
	}{
		{nil, 0},
		{[]int{2026}, 2026},
		{[]int{2020, 2026, 2027}, 2026},
		{[]int{2020, 2027}, 2020}, // not the plan of next year
		{[]int{2027, 2028}, 2027},
	}
	for _, tt := range tests {
		if got := InForceYear(tt.years, now); got != tt.want {
			t.Errorf("InForceYear(%v) = %d, want %d", tt.years, got, tt.want)
		}
	}
}
