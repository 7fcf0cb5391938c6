package models

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"jobkpi/data"
	"jobkpi/models/storetest"
)

func openTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func seedPlanFile(t testing.TB) *PlanFile {
	t.Helper()
	f, err := data.Plans.Open("plans/gimpo-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := ParsePlanFile(f)
	if err != nil {
		t.Fatalf("ParsePlanFile(seed) = %v", err)
	}
	return pf
}

func TestSeedPlanHeadlines(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	if _, err := s.ImportPlan(ctx, seedPlanFile(t)); err != nil {
		t.Fatal(err)
	}
	sum, err := s.Summary(ctx, 2020, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Tasks) != 5 {
		t.Errorf("tasks = %d, want 5", len(sum.Tasks))
	}
	type hl struct {
		target, baseline float64
	}
	var got []hl
	for _, h := range sum.Headlines {
		b := -1.0
		if h.Indicator.Baseline != nil {
			b = *h.Indicator.Baseline
		}
		got = append(got, hl{h.Indicator.Target, b})
	}
	want := []hl{{170, 110}, {2163, 1935}, {100, -1}}
	if len(got) != len(want) {
		t.Fatalf("headlines = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("headline %d = %v, want %v", i, got[i], want[i])
		}
	}
	if len(sum.Milestones) != 5 {
		t.Errorf("milestones = %d, want 5", len(sum.Milestones))
	}
	if len(sum.Plan.Facts) != 10 {
		t.Errorf("facts = %d, want 10", len(sum.Plan.Facts))
	}
	for _, is := range sum.Indicators {
		if is.Indicator.SourceQuote == "" || is.Indicator.SourceRef == "" {
			t.Errorf("indicator %q has no source", is.Indicator.Name)
		}
	}
}

func TestImportNeverOverwrites(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	pf := seedPlanFile(t)
	if created, err := s.EnsurePlan(ctx, pf); err != nil || !created {
		t.Fatalf("first EnsurePlan = %v, %v, want true, nil", created, err)
	}
	if err := s.SeedDemo(ctx, 2020); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s)
	pf.Title = "changed"
	if created, err := s.EnsurePlan(ctx, pf); err != nil || created {
		t.Fatalf("second EnsurePlan = %v, %v, want false, nil", created, err)
	}
	if _, err := s.ImportPlan(ctx, pf); !errors.Is(err, ErrExists) {
		t.Fatalf("ImportPlan over an existing year = %v, want ErrExists", err)
	}
	after, err := s.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	if after.Title == "changed" {
		t.Errorf("plan title = %q after a second import, want the first one kept", after.Title)
	}
	if got := countRows(t, s); !maps.Equal(got, before) {
		t.Errorf("rows after a second import = %v, want %v", got, before)
	}
}

func TestDemoShowsEveryStatus(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	if _, err := s.ImportPlan(ctx, seedPlanFile(t)); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second run must change nothing
		if err := s.SeedDemo(ctx, 2020); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := s.Summary(ctx, 2020, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sum.AsOf != DemoAsOf || !sum.Plan.Demo {
		t.Errorf("demo as-of = %d, demo = %v, want %d, true", sum.AsOf, sum.Plan.Demo, DemoAsOf)
	}
	seen := map[Status]int{}
	for _, is := range sum.Indicators {
		if is.Indicator.Kind != KindMilestone {
			seen[is.Progress.Status]++
		}
	}
	for _, st := range []Status{StatusReached, StatusOnTrack, StatusWatch, StatusBehind, StatusMissing} {
		if seen[st] != 1 {
			t.Errorf("demo indicators with status %s = %d, want 1 (all: %v)", st, seen[st], seen)
		}
	}
	var n int64
	s.r.Model(&Figure{}).Count(&n)
	if n != 5*DemoAsOf-1 {
		t.Errorf("demo figures = %d, want %d", n, 5*DemoAsOf-1)
	}
}

func TestParsePlanFileErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string // each must appear in the error: path: key [args]
	}{
		{"truncated", `{"year": 2020,`, []string{"problem.planfile.json.empty"}},
		{"empty", ``, []string{"problem.planfile.json.empty"}},
		{"malformed", "{\n\"year\": 2020 x}", []string{"problem.planfile.json.syntax [2 14]"}},
		{"extra data", `{"year":2020} 1`, []string{"problem.planfile.json.extra"}},
		{"negative target", planJSON(`"kind":"flow","unit":"명","target":-1`), []string{"tasks[0].programs[0].indicators[0].target: problem.planfile.negative"}},
		{"duplicate task code", `{"year":2020,"city":"c","title":"t","tasks":[{"code":"A","name":"a"},{"code":"A","name":"b"}]}`, []string{"tasks[1].code: problem.planfile.task.code.duplicate [A 0]"}},
		{"month outside 1-12", planJSON(`"kind":"flow","unit":"명","target":1,"figures":[{"month":13,"value":1}]`), []string{"figures[0].month: problem.planfile.month.range"}},
		{"month twice", planJSON(`"kind":"flow","unit":"명","target":1,"figures":[{"month":2,"value":1},{"month":2,"value":1}]`), []string{"figures[1].month: problem.planfile.month.twice [2]"}},
		{"non-monotone plan", planJSON(`"kind":"flow","unit":"명","target":3,"pacing":[1,2,1,3,3,3,3,3,3,3,3,3]`), []string{"pacing: problem.pacing.down [3 1 2 2]"}},
		{"short plan", planJSON(`"kind":"flow","unit":"명","target":3,"pacing":[1,2,3]`), []string{"pacing: problem.pacing.count [3]"}},
		{"pacing of words", planJSON(`"kind":"flow","unit":"명","target":3,"pacing":"steady"`), []string{"pacing: problem.pacing.shape"}},
		{"empty name", `{"year":2020,"city":"c","title":"t","tasks":[{"code":"A","name":" "}]}`, []string{"tasks[0].name: problem.planfile.empty"}},
		{"unknown field", `{"year":2020,"bogus":1}`, []string{"bogus: problem.planfile.json.unknown.field"}},
		{"wrong type", `{"year":"2020"}`, []string{"year: problem.planfile.json.type [string int]"}},
		{"several at once", `{"year":1,"city":"","title":"","tasks":[]}`, []string{"year: problem.planfile.year.range",
			"city: problem.planfile.empty", "title: problem.planfile.empty", "tasks: problem.planfile.tasks.none"}},
		{"bad kind", planJSON(`"kind":"rate","unit":"%","target":1`), []string{"kind: problem.planfile.kind"}},
		{"milestone without due", planJSON(`"kind":"milestone"`), []string{"due: problem.planfile.due.required"}},
		{"huge target", planJSON(`"kind":"flow","unit":"명","target":1e300`), []string{"target: problem.planfile.number.range"}},
		{"far date", planJSON(`"kind":"milestone","due":"2031-01-01"`), []string{"due: problem.planfile.date.far [2020]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlanFile(strings.NewReader(tt.json))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParsePlanFile = %v, want a validation error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParsePlanFile error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func planJSON(indicator string) string {
	return `{"year":2020,"city":"c","title":"t","published":"unknown","tasks":[{"code":"A","name":"a","programs":[{"name":"p","indicators":[{"name":"i",` + indicator + `}]}]}]}`
}

func TestImportIsAllOrNothing(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	pf := seedPlanFile(t)
	// Two figures for the same month pass the struct (validation is
	// skipped here on purpose) but break the unique index after the plan
	// rows are written, so the whole import must roll back.
	ind := &pf.Tasks[4].Programs[3].Indicators[0]
	ind.Figures = []FigureFile{{Month: 1, Value: 1}, {Month: 1, Value: 2}}
	if _, err := s.ImportPlan(ctx, pf); err == nil {
		t.Fatal("ImportPlan with a duplicate figure succeeded")
	}
	for table, n := range countRows(t, s) {
		if n != 0 {
			t.Errorf("%s has %d rows after a failed import, want 0", table, n)
		}
	}
}

func countRows(t testing.TB, s *Store) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"plans", "tasks", "programs", "indicators", "figures", "context_facts"} {
		var n int64
		if err := s.r.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}
