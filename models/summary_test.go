package models

import (
	"testing"
	"time"
)

// reported builds a Coverage of due indicators from the counts of months
// 1, 2, …; later months have no figure.
func reported(due int, counts ...int) Coverage {
	c := Coverage{Due: due}
	copy(c.Reported[:], counts)
	return c
}

func TestDefaultAsOf(t *testing.T) {
	// 00:30 KST on 1 March 2026 is still February in UTC.
	now := time.Date(2026, 2, 28, 15, 30, 0, 0, time.UTC)
	demo := reported(5, 5, 5, 5, 5, 5, 5, 5, 4, 5) // August is one short
	tests := []struct {
		name string
		year int
		cov  Coverage
		want int
	}{
		{"a past year: the latest complete month", 2020, demo, 9},
		{"an older gap does not hold it back", 2020, reported(5, 5, 4, 5), 3},
		{"one department's new month does not move it", 2020, reported(5, 5, 5, 5, 5, 5, 5, 5, 4, 5, 1), 9},
		{"a past year with every month complete: December", 2020, reported(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2), 12},
		{"a past year with no figures: December", 2020, reported(5), 12},
		{"one indicator never reports: the latest month with the most", 2020, reported(5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 1), 9},
		{"this year: the latest complete month so far", 2026, reported(3, 3, 1), 1},
		{"this year: the current month in Korea once complete", 2026, reported(3, 3, 3, 3), 3},
		{"this year with no complete month yet: the latest with the most", 2026, reported(3, 2, 1), 1},
		{"this year with no figures: the current month in Korea", 2026, reported(3), 3},
		{"this year with milestones only: the current month", 2026, reported(0), 3},
		{"a past year with milestones only: December", 2020, reported(0), 12},
		{"a future year: January", 2027, reported(3), 1},
		{"a future year with milestones only: January", 2027, reported(0), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultAsOf(tt.year, tt.cov, now); got != tt.want {
				t.Errorf("DefaultAsOf(%d, %v) = %d, want %d", tt.year, tt.cov.Reported, got, tt.want)
			}
		})
	}
}

// TestCoverageOf counts a month only for the indicators that have a
// figure in it: a stock's carried level and a milestone do not count.
func TestCoverageOf(t *testing.T) {
	plan := &Plan{Tasks: []Task{{Programs: []Program{{Indicators: []Indicator{
		{ID: 1, Kind: KindFlow}, {ID: 2, Kind: KindStock}, {ID: 3, Kind: KindMilestone},
	}}}}}}
	figs := map[uint]*MonthValues{1: new(vals(1, 1, 1)), 2: new(vals(4, gap, 4))}
	c := CoverageOf(plan, figs)
	if c.Due != 2 || c.Reported[0] != 2 || c.Reported[1] != 1 || c.Reported[2] != 2 || c.Reported[3] != 0 {
		t.Errorf("CoverageOf = %+v, want 2 due and 2, 1, 2, 0 reported", c)
	}
	if !c.Complete(3) || c.Complete(2) || c.Latest() != 3 {
		t.Errorf("Complete(3), Complete(2), Latest() = %v, %v, %d; want true, false, 3", c.Complete(3), c.Complete(2), c.Latest())
	}
}

func TestIndicatorRound(t *testing.T) {
	tests := []struct {
		unit string
		in   float64
		want float64
	}{
		{"명", 1622.25, 1622},
		{"명", 90.666, 91},
		{"개소", 2.5, 3},
		{"억원", 540.75, 540.8},
		{"%", 12.34, 12.3},
		{"명", 2120, 2120},
	}
	for _, tt := range tests {
		ind := &Indicator{Unit: tt.unit}
		if got := ind.Round(tt.in); got != tt.want {
			t.Errorf("Indicator{Unit: %q}.Round(%v) = %v, want %v", tt.unit, tt.in, got, tt.want)
		}
	}
	if !IsCountUnit("명") || IsCountUnit("억원") || !(&Indicator{Unit: "회"}).CountsWhole() {
		t.Error("IsCountUnit: 명 and 회 count whole things, 억원 does not")
	}
}
