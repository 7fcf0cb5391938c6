package models

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"gorm.io/gorm"
)

// demoYearStore is a store holding the shipped 2020 plan with its sample
// figures, its clock at now.
func demoYearStore(t *testing.T, now time.Time) *Store {
	t.Helper()
	s := openTestStore(t)
	ctx := context.Background()
	if _, err := s.ImportPlan(ctx, seedPlanFile(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDemo(ctx, 2020); err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return now })
	return s
}

// demoTableRows counts the rows of every table the sample plan writes.
func demoTableRows(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"plans", "tasks", "programs", "indicators", "figures", "context_facts",
		"plan_versions", "plan_changes", "figure_changes"} {
		var n int64
		if err := s.r.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// demoYearFigures lists the stored figures of a year.
func demoYearFigures(t *testing.T, s *Store, year int) []Figure {
	t.Helper()
	var figs []Figure
	if err := s.r.Where("year = ?", year).Order("month, indicator_id").Find(&figs).Error; err != nil {
		t.Fatal(err)
	}
	return figs
}

func TestSeedDemoYear(t *testing.T) {
	ctx := context.Background()
	s := demoYearStore(t, time.Date(2026, 11, 30, 10, 0, 0, 0, KST))
	if err := s.SeedDemoYear(ctx, 2020); err != nil {
		t.Fatalf("SeedDemoYear(2020) = %v", err)
	}
	plan, err := s.Plan(ctx, 2026)
	if err != nil {
		t.Fatalf("Plan(2026) after SeedDemoYear = %v", err)
	}
	orig := plan.Version(1)
	if !plan.Published() || !plan.Demo || plan.CopiedFrom != 2020 || orig == nil || orig.Date == nil ||
		orig.Date.Format(time.DateOnly) != "2026-01-01" {
		t.Fatalf("2026 plan: state %s, demo %v, copied from %d, 원공시 %+v; want published, demo, from 2020, dated 2026-01-01",
			plan.State, plan.Demo, plan.CopiedFrom, orig)
	}

	figs := demoYearFigures(t, s, 2026)
	months := map[int]int{}
	var waiting []Figure
	for _, f := range figs {
		months[f.Month]++
		if f.Value != float64(int64(f.Value)) {
			t.Errorf("figure %d %d/%02d = %v, want a whole number", f.IndicatorID, f.Year, f.Month, f.Value)
		}
		switch {
		case f.Status == FigureSubmitted && f.Approved == nil:
			waiting = append(waiting, f)
		case f.Status != FigureApproved || f.Approved == nil || *f.Approved != f.Value || f.Version != 1 ||
			f.UpdatedBy != "demo" || f.Note != "예시 데이터 (sample data)":
			t.Errorf("figure %+v, want approved by demo as sample data", f)
		}
	}
	for m := 1; m <= 10; m++ {
		if months[m] == 0 {
			t.Errorf("month %d has no sample figure, want some for months 1–10", m)
		}
	}
	if months[11] != 0 || months[12] != 0 {
		t.Errorf("months 11 and 12 have %d and %d figures, want none", months[11], months[12])
	}
	if len(waiting) != 1 || waiting[0].Month != 10 {
		t.Errorf("figures waiting for approval: %+v, want exactly one, in October", waiting)
	}

	checkDemoStatuses(t, s, 10)
	if sum, err := s.Summary(ctx, 2026, 0); err != nil {
		t.Fatal(err)
	} else if sum.Default != 9 {
		t.Errorf("Summary(2026, 0) default month = %d, want 9, the latest whose figures are all approved", sum.Default)
	}

	rev, draft := plan.Version(2), plan.DraftRevision()
	if len(plan.PublishedVersions()) != 2 || rev == nil || rev.Date == nil || rev.Date.Format(time.DateOnly) != "2026-10-01" ||
		rev.Effective != 10 || len(rev.Changes) != 1 {
		t.Fatalf("published versions %d, 수정공시 %+v; want one dated 2026-10-01 in force from October with one change",
			len(plan.PublishedVersions()), rev)
	}
	ch := rev.Changes[0]
	if raise := ch.NewTarget / ch.OldTarget; ch.NewTarget != float64(int64(ch.NewTarget)) || raise < 1.09 || raise > 1.11 || ch.Reason == "" {
		t.Errorf("revision change %v → %v (%q), want a whole target about 10%% higher, with a reason", ch.OldTarget, ch.NewTarget, ch.Reason)
	}
	if draft == nil || draft.Published || len(draft.Changes) != 1 || draft.Changes[0].IndicatorID == ch.IndicatorID ||
		draft.Changes[0].Reason == "" {
		t.Errorf("draft revision %+v, want one unpublished change of another indicator, with a reason", draft)
	}

	ps, err := s.Periods(ctx, ch.IndicatorID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if ps[10].State != MonthOpen {
		t.Errorf("November 2026 of indicator %d is %s, want open", ch.IndicatorID, ps[10].State)
	}

	before := demoTableRows(t, s)
	if err := s.SeedDemoYear(ctx, 2020); err != nil {
		t.Fatalf("SeedDemoYear(2020) again = %v", err)
	}
	if after := demoTableRows(t, s); !maps.Equal(before, after) {
		t.Errorf("a second SeedDemoYear changed rows: %v, then %v", before, after)
	}
}

// checkDemoStatuses checks that the sample's monthly indicators show at
// least three statuses at month asof of 2026, one of them 부진.
func checkDemoStatuses(t *testing.T, s *Store, asof int) {
	t.Helper()
	sum, err := s.Summary(context.Background(), 2026, asof)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[Status]int{}
	for _, is := range sum.Indicators {
		if is.Indicator.Kind.Monthly() {
			statuses[is.Progress.Status]++
		}
	}
	if statuses[StatusBehind] == 0 || len(statuses) < 3 {
		t.Errorf("Summary(2026, %d) statuses of monthly indicators = %v, want one behind among at least 3 statuses", asof, statuses)
	}
}

// TestSeedDemoYearEveryMonth makes the sample on the 15th of each month
// but January: last month has the one figure waiting for approval and
// statuses that vary, one of them 부진.
func TestSeedDemoYearEveryMonth(t *testing.T) {
	for m := 2; m <= 12; m++ {
		t.Run(time.Month(m).String(), func(t *testing.T) {
			s := demoYearStore(t, time.Date(2026, time.Month(m), 15, 12, 0, 0, 0, KST))
			if err := s.SeedDemoYear(context.Background(), 2020); err != nil {
				t.Fatal(err)
			}
			var waiting []Figure
			for _, f := range demoYearFigures(t, s, 2026) {
				if f.Month >= m {
					t.Errorf("figure of month %d, want none from the current month on", f.Month)
				}
				if f.Status == FigureSubmitted {
					waiting = append(waiting, f)
				}
			}
			if len(waiting) != 1 || waiting[0].Month != m-1 {
				t.Errorf("figures waiting for approval: %+v, want one of month %d", waiting, m-1)
			}
			checkDemoStatuses(t, s, m-1)
		})
	}
}

func TestSeedDemoYearJanuary(t *testing.T) {
	ctx := context.Background()
	s := demoYearStore(t, time.Date(2026, 1, 10, 9, 0, 0, 0, KST))
	if err := s.SeedDemoYear(ctx, 2020); err != nil {
		t.Fatalf("SeedDemoYear(2020) in January = %v", err)
	}
	plan, err := s.Plan(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Published() || !plan.Demo {
		t.Errorf("2026 plan: state %s, demo %v; want published and demo", plan.State, plan.Demo)
	}
	if figs := demoYearFigures(t, s, 2026); len(figs) != 0 {
		t.Errorf("January sample has %d figures, want none", len(figs))
	}
	rev := plan.Version(2)
	if rev == nil || rev.Date == nil || rev.Date.Format(time.DateOnly) != "2026-01-01" || rev.Effective != 1 {
		t.Fatalf("수정공시 %+v, want one dated 2026-01-01 in force from January", rev)
	}
	if plan.DraftRevision() == nil {
		t.Error("no draft revision, want one waiting")
	}
	ps, err := s.Periods(ctx, rev.Changes[0].IndicatorID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].State != MonthOpen {
		t.Errorf("January 2026 is %s, want open", ps[0].State)
	}
}

func TestSeedDemoYearNothingToDo(t *testing.T) {
	ctx := context.Background()
	t.Run("no plan of from", func(t *testing.T) {
		s := openTestStore(t)
		s.SetClock(func() time.Time { return time.Date(2026, 11, 30, 10, 0, 0, 0, KST) })
		if err := s.SeedDemoYear(ctx, 2020); err != nil {
			t.Fatalf("SeedDemoYear(2020) without the 2020 plan = %v", err)
		}
		if years, err := s.Years(ctx, true); err != nil || len(years) != 0 {
			t.Errorf("years after SeedDemoYear = %v, %v; want none", years, err)
		}
	})
	t.Run("the year of from", func(t *testing.T) {
		s := demoYearStore(t, time.Date(2020, 11, 30, 10, 0, 0, 0, KST))
		before := demoTableRows(t, s)
		if err := s.SeedDemoYear(ctx, 2020); err != nil {
			t.Fatal(err)
		}
		if after := demoTableRows(t, s); !maps.Equal(before, after) {
			t.Errorf("SeedDemoYear in 2020 changed rows: %v, then %v", before, after)
		}
	})
}

// TestSeedDemoYearFailure makes one step of the sample fail: the error
// comes back, no sample plan is left half made, and the next start makes
// it.
func TestSeedDemoYearFailure(t *testing.T) {
	ctx := context.Background()
	s := demoYearStore(t, time.Date(2026, 11, 30, 10, 0, 0, 0, KST))
	before := demoTableRows(t, s)
	boom := errors.New("disk full")
	err := s.w.Callback().Create().Before("gorm:create").Register("test:fail", func(db *gorm.DB) {
		if _, ok := db.Statement.Dest.(*PlanChange); ok {
			db.AddError(boom)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDemoYear(ctx, 2020); !errors.Is(err, boom) {
		t.Fatalf("SeedDemoYear with a failing write = %v, want %v", err, boom)
	}
	if after := demoTableRows(t, s); !maps.Equal(before, after) {
		t.Errorf("a failed SeedDemoYear left rows: %v, then %v", before, after)
	}
	if err := s.w.Callback().Create().Remove("test:fail"); err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDemoYear(ctx, 2020); err != nil {
		t.Fatalf("SeedDemoYear after the failure = %v", err)
	}
	if plan, err := s.Plan(ctx, 2026); err != nil || !plan.Demo || !plan.Published() {
		t.Errorf("2026 plan after a second start: %v; want a published sample plan", err)
	}
}
