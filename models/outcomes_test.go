package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"jobkpi/data"
)

// importShipped imports the shipped plan file of year.
func importShipped(t *testing.T, s *Store, year int) *Plan {
	t.Helper()
	f, err := data.Plans.Open("plans/gimpo-" + itoa(year) + ".json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := ParsePlanFile(f)
	if err != nil {
		t.Fatalf("ParsePlanFile(%d) = %v", year, err)
	}
	if _, err := s.ImportPlan(context.Background(), pf); err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background(), year)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// outcomeNumbers is an outcome's target, baseline and latest result as
// text, for comparison.
func outcomeNumbers(o *Outcome) string {
	latest := "none"
	if r := o.Latest(); r != nil {
		latest = ptrText(&r.Value) + " " + itoa(r.Year) + " " + string(r.Period)
		if r.Released != nil {
			latest += " " + r.Released.Format(time.DateOnly)
		}
	}
	return o.Code + ": " + ptrText(o.Target) + " / " + ptrText(o.Baseline) + " of " + itoa(o.BaselineYear) + " / " + latest
}

// TestShippedOutcomes: importing the shipped plans stores the sourced
// outcome targets, baselines and results exactly, each with its source,
// and 2021 with its tasks but no programmes.
func TestShippedOutcomes(t *testing.T) {
	s := openTestStore(t)
	want := map[int][]string{
		2020: {"employment-rate: 66.9 / 66.8 of 2019 / 64.9 2020 year", "employed: 227630 / 221000 of 2019 / 230800 2020 year",
			"jobs: 21348 / 19700 of 2019 / none"},
		2021: {"employment-rate: 65 / 64.9 of 2020 / none", "employed: 237724 / 230800 of 2020 / none", "jobs: 20563 / none of 0 / none"},
	}
	for _, year := range []int{2020, 2021} {
		plan := importShipped(t, s, year)
		if len(plan.Outcomes) != 3 {
			t.Fatalf("%d: %d outcomes, want 3", year, len(plan.Outcomes))
		}
		for i := range plan.Outcomes {
			o := &plan.Outcomes[i]
			if got := outcomeNumbers(o); got != want[year][i] {
				t.Errorf("%d outcome %d = %q, want %q", year, i, got, want[year][i])
			}
			if o.SourceRef == "" {
				t.Errorf("%d %s has no source", year, o.Code)
			}
			for _, r := range o.Results {
				if r.SourceText == "" || r.Released != nil {
					t.Errorf("%d %s result %v: source %q, released %v; want a source and no release date", year, o.Code, r.Value, r.SourceText, r.Released)
				}
			}
		}
	}
	plan, _ := s.Plan(context.Background(), 2021)
	if len(plan.Tasks) != 5 || len(plan.Indicators()) != 0 || !plan.Published() || plan.Latest() == nil || plan.Latest().Date != nil {
		t.Errorf("2021: %d tasks, %d indicators, published %v; want 5 tasks, none, published on an unknown date", len(plan.Tasks), len(plan.Indicators()), plan.Published())
	}
	facts := map[string]float64{}
	for _, f := range plan.Facts {
		facts[f.Label+" "+f.Unit] = f.Value
	}
	if facts["세부사업 개"] != 149 || facts["일자리대책 예산 억 원"] != 1450.7 {
		t.Errorf("2021 facts %v, want 149 programmes and a budget of 1,450.7억 원", facts)
	}
}

// outcomePlan imports a plan of year with one rate and one count outcome
// and one indicator, published.
func outcomePlan(t *testing.T, s *Store, year int) *Plan {
	t.Helper()
	pf, err := ParsePlanFile(strings.NewReader(`{"year":` + itoa(year) + `,"city":"시","title":"계획","published":"` + itoa(year) + `-03-01",
		"tasks":[{"code":"T1","name":"과제","programs":[{"name":"사업","indicators":[{"name":"A","unit":"명","kind":"flow","target":10}]}]}],
		"outcomes":[{"code":"rate","name":"고용률","unit":"%","target":60,"baseline":59,"baseline_year":` + itoa(year-1) + `,"source":{"ref":"r"}},
		{"code":"jobs","name":"일자리","unit":"개","target":100,"source":{"ref":"r"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportPlan(context.Background(), pf); err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(context.Background(), year)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestOutcomeResults: an official's result is stored with its period, a
// correction replaces it and keeps it as history, and bad input is
// refused whole with a problem at its field.
func TestOutcomeResults(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2025, 5, 10, 3, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	plan := outcomePlan(t, s, 2025)
	rate, jobs := plan.Outcomes[0].ID, plan.Outcomes[1].ID
	official, staff := newUser(t, s, "official", RoleOfficial), newUser(t, s, "staff", RoleStaff)
	good := OutcomeResultInput{Year: "2025", Period: "h1", Value: "61.2", Released: "2025-08-20", Provisional: true, Source: "통계청 지역별고용조사"}
	if err := s.AddOutcomeResult(ctx, staff, 2025, rate, good); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff enter a result: %v, want ErrForbidden", err)
	}
	if err := s.AddOutcomeResult(ctx, official, 2025, rate, OutcomeResultInput{Year: "2025", Period: "h2", Value: "61", Source: "s"}); problemKeys(err) != "problem.outcome.period.future" {
		t.Errorf("in May, a result of the second half: %s, want problem.outcome.period.future", problemKeys(err))
	}
	now = time.Date(2025, 9, 1, 3, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		id   uint
		edit func(*OutcomeResultInput)
		want string
	}{
		{"released before the half ends", rate, func(in *OutcomeResultInput) { in.Released = "2025-06-29" }, "problem.outcome.released.early"},
		{"released after today", rate, func(in *OutcomeResultInput) { in.Released = "2025-09-02" }, "problem.outcome.released.future"},
		{"rate above 100", rate, func(in *OutcomeResultInput) { in.Value = "100.5" }, "problem.outcome.percent"},
		{"rate below 0", rate, func(in *OutcomeResultInput) { in.Value = "-1" }, "problem.outcome.percent"},
		{"negative count", jobs, func(in *OutcomeResultInput) { in.Value = "-3" }, "problem.outcome.negative"},
		{"part of a job", jobs, func(in *OutcomeResultInput) { in.Value = "3.5" }, "problem.outcome.whole"},
		{"no source", rate, func(in *OutcomeResultInput) { in.Source = " " }, "problem.outcome.source"},
		{"another year", rate, func(in *OutcomeResultInput) { in.Year = "2024" }, "problem.outcome.year.plan"},
		{"unknown period", rate, func(in *OutcomeResultInput) { in.Period = "q3" }, "problem.outcome.period"},
	} {
		in := good
		c.edit(&in)
		if err := s.AddOutcomeResult(ctx, official, 2025, c.id, in); problemKeys(err) != c.want {
			t.Errorf("%s: %s, want %s", c.name, problemKeys(err), c.want)
		}
	}
	if err := s.AddOutcomeResult(ctx, official, 2025, 999, good); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown outcome: %v, want ErrNotFound", err)
	}
	if err := s.AddOutcomeResult(ctx, official, 2025, rate, good); err != nil {
		t.Fatal(err)
	}
	fix := good
	fix.Value, fix.Provisional, fix.Released = "61.4", false, ""
	if err := s.AddOutcomeResult(ctx, official, 2025, rate, fix); err != nil {
		t.Fatal(err)
	}
	plan, _ = s.Plan(ctx, 2025)
	o := &plan.Outcomes[0]
	cur := o.Current()
	if len(o.Results) != 2 || len(cur) != 1 || cur[0].Value != 61.4 || cur[0].Provisional || cur[0].Released != nil || cur[0].By != "official" {
		t.Fatalf("after a correction: %d rows, current %+v; want 2 rows, 61.4 final with no release date", len(o.Results), cur)
	}
	if h := o.History(cur[0]); len(h) != 1 || h[0].Value != 61.2 || !h[0].Provisional {
		t.Errorf("history %+v, want the provisional 61.2", h)
	}
}

// TestOutcomeTargetRevision: in a published plan an outcome's new target
// waits in the draft revision and applies when it is published, while
// the 원공시 keeps the old one; the plan's next year copies the outcomes
// with their targets to review and this year's results as baselines.
func TestOutcomeTargetRevision(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	s.SetClock(func() time.Time { return time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC) })
	plan := outcomePlan(t, s, 2025)
	rate := &plan.Outcomes[0]
	official, staff := newUser(t, s, "official", RoleOfficial), newUser(t, s, "staff", RoleStaff)
	if _, err := s.SetOutcomeTarget(ctx, staff, 2025, rate.ID, OutcomeTargetInput{Target: "61", Reason: "r"}); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff change a target: %v, want ErrForbidden", err)
	}
	if _, err := s.SetOutcomeTarget(ctx, official, 2025, rate.ID, OutcomeTargetInput{Target: "101", Reason: "r"}); problemKeys(err) != "problem.outcome.percent" {
		t.Errorf("a rate target above 100: %s", problemKeys(err))
	}
	if _, err := s.SetOutcomeTarget(ctx, official, 2025, rate.ID, OutcomeTargetInput{Target: "61"}); problemKeys(err) != "problem.target.reason" {
		t.Errorf("a published target changed without a reason: %s", problemKeys(err))
	}
	revised, err := s.SetOutcomeTarget(ctx, official, 2025, rate.ID, OutcomeTargetInput{Target: "61.5", Reason: "경기 회복"})
	if err != nil || !revised {
		t.Fatalf("SetOutcomeTarget = %v, %v; want a revision", revised, err)
	}
	plan, _ = s.Plan(ctx, 2025)
	if got := ptrText(plan.Outcomes[0].Target); got != "60" || plan.DraftRevision() == nil || len(plan.DraftRevision().Edits) != 1 {
		t.Fatalf("before publishing: target %s, draft %+v; want 60 and one edit waiting", got, plan.DraftRevision())
	}
	if err := s.AddOutcomeResult(ctx, official, 2025, rate.ID, OutcomeResultInput{Year: "2025", Period: "year", Value: "60.8", Source: "s"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2025, Date: "2026-03-01"}); err != nil {
		t.Fatal(err)
	}
	plan, _ = s.Plan(ctx, 2025)
	o := &plan.Outcomes[0]
	if got, first := ptrText(o.Target), plan.FieldIn(o.TargetRef(), o.TargetText(), 1); got != "61.5" || first != "60" {
		t.Errorf("after publishing: target %s, 원공시 %s; want 61.5 and 60", got, first)
	}

	draft, err := s.CopyPlan(ctx, official, 2025, 2026, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	if len(draft.Outcomes) != 2 {
		t.Fatalf("the copy has %d outcomes, want 2", len(draft.Outcomes))
	}
	got := []string{outcomeNumbers(&draft.Outcomes[0]), outcomeNumbers(&draft.Outcomes[1])}
	want := []string{"rate: 61.5 / 60.8 of 2025 / none", "jobs: 100 / none of 2025 / none"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") || !draft.Outcomes[0].NeedsReview || !draft.Outcomes[1].NeedsReview {
		t.Errorf("copied outcomes %q (review %v, %v), want %q, both to review", got, draft.Outcomes[0].NeedsReview, draft.Outcomes[1].NeedsReview, want)
	}
	ind := draft.Indicators()[0]
	if err := s.DecideTargets(ctx, official, 2026, []TargetDecision{{ID: ind.ID, Target: "10"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishPlan(ctx, official, PublishInput{Year: 2026}); problemKeys(err) != "problem.publish.outcome.review problem.publish.outcome.review" {
		t.Errorf("publish with outcome targets to review: %s", problemKeys(err))
	}
	for _, o := range draft.Outcomes {
		if revised, err := s.SetOutcomeTarget(ctx, official, 2026, o.ID, OutcomeTargetInput{Target: o.TargetText()}); err != nil || revised {
			t.Fatalf("decide %s in the draft: %v, %v", o.Code, revised, err)
		}
	}
	if err := s.PublishPlan(ctx, official, PublishInput{Year: 2026}); err != nil {
		t.Errorf("publish once every outcome target is decided: %v", err)
	}
}

// TestPlanFileOutcomes: a plan file's outcomes are checked like any
// input, and a plan of tasks without programmes imports.
func TestPlanFileOutcomes(t *testing.T) {
	base := `{"year":2021,"city":"시","title":"계획","published":"unknown","tasks":[{"code":"T1","name":"과제","programs":[]}],"outcomes":[%s]}`
	for _, c := range []struct{ outcome, want string }{
		{`{"code":"r","name":"고용률","unit":"%","target":65}`, "<nil>"},
		{`{"code":"r","name":"고용률","unit":"%","target":101}`, "problem.outcome.percent"},
		{`{"code":"r","name":"일자리","unit":"개","target":-1}`, "problem.outcome.negative"},
		{`{"code":"r","name":"고용률","unit":"%","target":65,"results":[{"year":2021,"period":"h1","value":64,"released":"2021-06-01","source":"s"}]}`, "problem.outcome.released.early"},
		{`{"code":"r","name":"고용률","unit":"%","target":65,"results":[{"year":2021,"period":"year","value":64,"released":"","source":""}]}`, "problem.planfile.empty"},
	} {
		_, err := ParsePlanFile(strings.NewReader(strings.Replace(base, "%s", c.outcome, 1)))
		if problemKeys(err) != c.want {
			t.Errorf("%s: %s, want %q", c.outcome, problemKeys(err), c.want)
		}
	}
}
