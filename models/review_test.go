package models

import (
	"context"
	"testing"
	"time"
)

func TestReviewContext(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	flow := &Indicator{Kind: KindFlow, Target: 120} // linear plan: 10 a month
	stock := &Indicator{Kind: KindStock, Target: 50}
	months := func(vals ...*float64) *MonthValues {
		var mv MonthValues
		copy(mv[:], vals)
		return &mv
	}
	tests := []struct {
		name     string
		ind      *Indicator
		month    int
		value    float64
		approved *MonthValues
		prev     *float64
		toDate   float64
		plan     float64
		usual    *float64
		unusual  bool
	}{
		{"january: no month before, the plan's step is usual", flow, 1, 12, months(), nil, 12, 10, f(10), false},
		{"few months: the plan's step", flow, 3, 25, months(f(9), f(11)), f(11), 45, 30, f(10), true},
		{"median of the months before", flow, 5, 14, months(f(10), f(30), f(12), f(11)), f(11), 77, 50, f(11.5), false},
		{"far below the median", flow, 5, 5, months(f(10), f(30), f(12), f(11)), f(11), 68, 50, f(11.5), true},
		{"later months do not count", flow, 2, 10, months(f(10), nil, f(500)), f(10), 20, 20, f(10), false},
		{"a gap: no previous value", flow, 4, 10, months(f(10), f(10), nil), nil, 30, 40, f(10), false},
		{"stock: the latest level is usual", stock, 4, 45, months(f(20), nil, f(21)), f(21), 45, 50.0 * 4 / 12, f(21), true},
		{"stock with nothing before", stock, 2, 45, months(), nil, 45, 50.0 * 2 / 12, nil, false},
		{"a resubmitted month does not count itself", flow, 2, 10, months(f(10), f(99)), f(10), 20, 20, f(10), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := reviewContext(PendingFigure{Figure: Figure{Month: tt.month, Value: tt.value}}, tt.ind, tt.approved)
			if !sameFloat(it.Previous, tt.prev) || it.ToDate != tt.toDate || it.PlanToDate != tt.plan ||
				!sameFloat(it.Usual, tt.usual) || it.Unusual != tt.unusual {
				t.Errorf("reviewContext = previous %v, to date %v, plan %v, usual %v, unusual %v; want %v, %v, %v, %v, %v",
					show(it.Previous), it.ToDate, it.PlanToDate, show(it.Usual), it.Unusual,
					show(tt.prev), tt.toDate, tt.plan, show(tt.usual), tt.unusual)
			}
		})
	}
}

func sameFloat(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func TestForReview(t *testing.T) {
	s, c, users, id := entryStore(t) // flow target 120 명
	ctx := context.Background()
	for m, v := range []string{"10", "12", "11", "40"} {
		c.t = time.Date(2026, time.Month(m+1), 20, 3, 0, 0, 0, time.UTC) // each month while it is open
		in := FigureInput{IndicatorID: id, Year: 2026, Month: m + 1, Value: v, Note: "n", Confirm: true}
		f, _, err := s.SaveFigure(ctx, users["staff"], in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MoveFigure(ctx, users["staff"], id, 2026, m+1, f.Version, Submit, ""); err != nil {
			t.Fatal(err)
		}
		if m < 3 {
			if _, err := s.MoveFigure(ctx, users["official"], id, 2026, m+1, f.Version+1, Approve, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	items, err := s.ForReview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("ForReview = %d items, want the April value only", len(items))
	}
	it := items[0]
	if it.Month != 4 || it.Previous == nil || *it.Previous != 11 || it.ToDate != 73 || it.PlanToDate != 40 ||
		it.Usual == nil || *it.Usual != 11 || !it.Unusual {
		t.Errorf("April = month %d, previous %v, to date %v, plan %v, usual %v, unusual %v; want 4, 11, 73, 40, 11, true",
			it.Month, show(it.Previous), it.ToDate, it.PlanToDate, show(it.Usual), it.Unusual)
	}
}
