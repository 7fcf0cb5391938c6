package models

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cyclePlan imports a published plan of year with two flow indicators of
// 일자리경제과 (A: 100명, linear; B: 12회) and, when figs, approved figures
// of A for January to November (10 each).
func cyclePlan(t *testing.T, s *Store, year int, published string, figs bool) *Plan {
	t.Helper()
	a := `{"name":"A 선발","kind":"flow","unit":"명","target":100,"target_note":"전년 실적 기준"`
	if figs {
		a += `,"figures":[{"month":1,"value":10},{"month":2,"value":10},{"month":3,"value":10},{"month":4,"value":10},{"month":5,"value":10},
			{"month":6,"value":10},{"month":7,"value":10},{"month":8,"value":10},{"month":9,"value":10},{"month":10,"value":10},{"month":11,"value":10}]`
	}
	a += `}`
	pf, err := ParsePlanFile(strings.NewReader(`{"year":` + itoa(year) + `,"city":"김포시","title":"` + itoa(year) + `년 계획","published":"` + published + `",
		"tasks":[{"code":"T1","name":"과제","programs":[{"name":"사업","department":"일자리경제과","indicators":[` + a + `,
		{"name":"B 교육","kind":"flow","unit":"회","target":12,"pacing":[1,2,3,4,5,6,7,8,9,10,11,12]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.ImportPlan(context.Background(), pf)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func itoa(n int) string { return strconv.Itoa(n) }

// problemKeys lists a validation error's problem keys, or the error.
func problemKeys(err error) string {
	var v *ValidationError
	if !errors.As(err, &v) {
		if err == nil {
			return "<nil>"
		}
		return err.Error()
	}
	keys := make([]string, len(v.Problems))
	for i, p := range v.Problems {
		keys[i] = p.Key
	}
	return strings.Join(keys, " ")
}

// TestRevisionRules: a published plan's target changes by revision; the
// revision's effective month is checked against the 원공시, the plan year
// and its own date; months before it keep the old target.
func TestRevisionRules(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 7, 15, 10, 0, 0, 0, KST)
	s.SetClock(func() time.Time { return now })
	plan := cyclePlan(t, s, 2026, "2026-03-30", false)
	a, b := plan.Tasks[0].Programs[0].Indicators[0], plan.Tasks[0].Programs[0].Indicators[1]
	official, staff := newUser(t, s, "official", RoleOfficial), newUser(t, s, "staff", RoleStaff)

	if _, err := s.SetTarget(ctx, staff, a.ID, TargetInput{Year: 2026, Target: "200", Reason: "추경"}); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff change a target: %v, want ErrForbidden", err)
	}
	if _, err := s.SetTarget(ctx, official, a.ID, TargetInput{Year: 2026, Target: "200"}); problemKeys(err) != "problem.target.reason" {
		t.Errorf("a revision without a reason: %s, want problem.target.reason", problemKeys(err))
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2026}); problemKeys(err) != "problem.revision.empty" {
		t.Errorf("publish an empty revision: %s", problemKeys(err))
	}
	revised, err := s.SetTarget(ctx, official, a.ID, TargetInput{Year: 2026, Target: "200", Reason: "추경"})
	if err != nil || !revised {
		t.Fatalf("change a published target = %v, %v; want a revision", revised, err)
	}
	if cur, _ := s.Plan(ctx, 2026); cur.Tasks[0].Programs[0].Indicators[0].Target != 100 {
		t.Error("a change in the draft revision took force before publication")
	}
	for _, tc := range []struct{ date, effective, key string }{
		{"", "2026-02", "problem.revision.effective.original"},
		{"", "2026-06", "problem.revision.effective.past"},
		{"", "2025-07", "problem.revision.effective.year"},
		{"", "July", "problem.revision.effective.format"},
		{"2026-03-01", "2026-07", "problem.revision.date.before"},
		{"2026-07-16", "2026-07", "problem.publish.date.future"},
	} {
		if err := s.PublishRevision(ctx, official, PublishInput{Year: 2026, Date: tc.date, Effective: tc.effective}); !strings.Contains(problemKeys(err), tc.key) {
			t.Errorf("date %q, effective %q: %s, want %s", tc.date, tc.effective, problemKeys(err), tc.key)
		}
	}
	if err := s.PublishRevision(ctx, staff, PublishInput{Year: 2026}); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff publish a revision: %v, want ErrForbidden", err)
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2026}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		asof   int
		target float64
		number int
	}{{3, 100, 1}, {6, 100, 1}, {7, 200, 2}, {12, 200, 2}} {
		sum, err := s.Summary(ctx, 2026, tc.asof)
		if err != nil {
			t.Fatal(err)
		}
		is := sum.Indicators[a.ID]
		if is.Indicator.Target != tc.target || sum.Plan.VersionAt(tc.asof).Number != tc.number {
			t.Errorf("month %d: measured against %v of version %d, want %v of version %d",
				tc.asof, is.Indicator.Target, sum.Plan.VersionAt(tc.asof).Number, tc.target, tc.number)
		}
		// Each month's plan is the one in force then: 100 × m / 12 before
		// July, 200 × m / 12 from July.
		if got := is.Progress.Plan[5]; got != 50 {
			t.Errorf("month %d: June's plan %v, want 50 (of the target then)", tc.asof, got)
		}
		if got := is.Progress.Plan[6]; got != 200*7.0/12 {
			t.Errorf("month %d: July's plan %v, want %v", tc.asof, got, 200*7.0/12)
		}
	}
	// A March value sent for review after the revision is set against
	// March's plan: 100 × 3 / 12.
	if err := s.UnlockMonth(ctx, official, a.ID, 2026, 3, "늦은 입력"); err != nil {
		t.Fatal(err)
	}
	f, _, err := s.SaveFigure(ctx, staff, FigureInput{IndicatorID: a.ID, Year: 2026, Month: 3, Value: "30"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveFigure(ctx, staff, a.ID, 2026, 3, f.Version, Submit, ""); err != nil {
		t.Fatal(err)
	}
	items, err := s.ForReview(ctx)
	if err != nil || len(items) != 1 || items[0].PlanToDate != 25 {
		t.Errorf("the review of March = %+v, %v; want one item planned at 25", items, err)
	}
	sum, _ := s.Summary(ctx, 2026, 3)
	if is := sum.Indicators[a.ID]; !is.TargetChanged() || is.Original().Target != 100 || is.Latest().Target != 200 || is.Latest().Change.Reason != "추경" {
		t.Errorf("terms: %+v", is.Terms)
	}
	if v1 := sum.Plan.AsPublished(1); v1.Tasks[0].Programs[0].Indicators[0].Target != 100 {
		t.Error("version 1 as published does not hold the original target")
	}
	// One change at a time can be taken out of the draft revision; the
	// revision goes with its last change.
	if _, err := s.SetTarget(ctx, official, b.ID, TargetInput{Year: 2026, Target: "24", Reason: "확대"}); err != nil {
		t.Fatal(err)
	}
	cur, _ := s.Plan(ctx, 2026)
	draft := cur.DraftRevision()
	if draft == nil || draft.Number != 3 || len(draft.Changes) != 1 || !slices.Equal(draft.Changes[0].NewPacing, Pacing{2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}) {
		t.Fatalf("draft revision after a change of B: %+v", draft)
	}
	if err := s.RemoveChange(ctx, official, 2026, draft.Changes[0].ID); err != nil {
		t.Fatal(err)
	}
	if cur, _ := s.Plan(ctx, 2026); cur.DraftRevision() != nil {
		t.Error("the draft revision is left after its last change was taken out")
	}
}

// TestCopyPlanBaselines: next year's draft copies the plan with lineage,
// takes this year's latest approved actual as a provisional baseline,
// updates it when December is approved, and is not published while a
// target needs review. A draft takes no figures.
func TestCopyPlanBaselines(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, KST)
	s.SetClock(func() time.Time { return now })
	src := cyclePlan(t, s, 2025, "2025-03-30", true)
	a := src.Tasks[0].Programs[0].Indicators[0]
	official, staff := newUser(t, s, "official", RoleOfficial), newUser(t, s, "staff", RoleStaff)
	if _, err := s.CopyPlan(ctx, staff, 2025, 2026, Origin{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff copy a plan: %v, want ErrForbidden", err)
	}
	if _, err := s.CopyPlan(ctx, official, 2025, 2025, Origin{}); problemKeys(err) != "problem.copy.year" {
		t.Errorf("copy into the same year: %s", problemKeys(err))
	}
	draft, err := s.CopyPlan(ctx, official, 2025, 2026, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CopyPlan(ctx, official, 2025, 2026, Origin{}); problemKeys(err) != "problem.copy.exists" {
		t.Errorf("copy into a year that has a plan: %s", problemKeys(err))
	}
	c := draft.Tasks[0].Programs[0].Indicators[0]
	if c.CopiedFrom != a.ID || !c.NeedsReview || c.Baseline == nil || *c.Baseline != 110 || !c.BaselineProvisional || c.BaselineYear != 2025 || c.Target != 100 {
		t.Fatalf("copied A: from %d, review %v, baseline %s (provisional %v) of %d, target %v; want from %d, review, 110 provisional of 2025, 100",
			c.CopiedFrom, c.NeedsReview, ptrText(c.Baseline), c.BaselineProvisional, c.BaselineYear, c.Target, a.ID)
	}
	if years, _ := s.Years(ctx, false); len(years) != 1 {
		t.Errorf("published years %v, want only 2025", years)
	}
	if _, _, err := s.SaveFigure(ctx, official, FigureInput{IndicatorID: c.ID, Year: 2026, Month: 1, Value: "5"}); problemKeys(err) != "problem.figure.draft" {
		t.Errorf("a figure into the draft: %s, want problem.figure.draft", problemKeys(err))
	}
	if err := s.PublishPlan(ctx, official, PublishInput{Year: 2026}); problemKeys(err) != "problem.publish.review problem.publish.review" {
		t.Errorf("publish with targets to review: %s", problemKeys(err))
	}

	// December is approved: the provisional baseline becomes the year's.
	f, _, err := s.SaveFigure(ctx, staff, FigureInput{IndicatorID: a.ID, Year: 2025, Month: 12, Value: "15"})
	if err != nil {
		t.Fatal(err)
	}
	if f, err = s.MoveFigure(ctx, staff, a.ID, 2025, 12, f.Version, Submit, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = s.MoveFigure(ctx, official, a.ID, 2025, 12, f.Version, Approve, ""); err != nil {
		t.Fatal(err)
	}
	cur, _ := s.Plan(ctx, 2026)
	c = cur.Tasks[0].Programs[0].Indicators[0]
	if c.Baseline == nil || *c.Baseline != 125 || c.BaselineProvisional {
		t.Errorf("after December's approval the baseline is %s (provisional %v), want 125, final", ptrText(c.Baseline), c.BaselineProvisional)
	}
	var ds []TargetDecision
	for _, ind := range cur.Tasks[0].Programs[0].Indicators {
		ds = append(ds, TargetDecision{ID: ind.ID, Target: "130"})
	}
	if err := s.DecideTargets(ctx, official, 2026, ds); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishPlan(ctx, official, PublishInput{Year: 2026, Date: "2026-01-02"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DecideTargets(ctx, official, 2026, ds); !errors.Is(err, ErrPublished) {
		t.Errorf("decide the targets of a published plan: %v, want ErrPublished", err)
	}
	cur, _ = s.Plan(ctx, 2026)
	if v := cur.Latest(); v == nil || v.Number != 1 || v.Date.Format(time.DateOnly) != "2026-01-02" || v.PublishedBy != "official" {
		t.Errorf("the 원공시: %+v", v)
	}
}

func ptrText(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
