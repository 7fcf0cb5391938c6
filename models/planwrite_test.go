package models

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

// TestWritePlanDraftAndRevision writes a plan file over a draft in place
// and over a published plan as a revision that a publication puts in
// force, with an addition and a removal, and keeps the 원공시 readable.
func TestWritePlanDraftAndRevision(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	s.SetClock(func() time.Time { return time.Date(2020, 6, 10, 3, 0, 0, 0, time.UTC) })
	if _, err := s.ImportPlan(ctx, seedPlanFile(t)); err != nil {
		t.Fatal(err)
	}
	official := newUser(t, s, "official", RoleOfficial)
	plan, err := s.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	pf := plan.File()

	// Nothing changed is refused.
	if _, err := s.ApplyPlanFile(ctx, official, PlanWrite{Year: 2020, File: plan.File(), Reason: "r"}); !hasProblem(err, "problem.plan.unchanged") {
		t.Fatalf("unchanged file = %v, want problem.plan.unchanged", err)
	}

	// One target, one name, one new indicator and one removed programme.
	ind := &pf.Tasks[1].Programs[0].Indicators[0]
	if ind.Target == nil {
		t.Fatalf("first indicator %q has no target", ind.Name)
	}
	oldTarget := *ind.Target
	nt := oldTarget + 10
	ind.Target, ind.Pacing = &nt, nil
	pf.Tasks[1].Name = "바뀐 과제명"
	ten := 10.0
	pf.Tasks[1].Programs[0].Indicators = append(pf.Tasks[1].Programs[0].Indicators,
		IndicatorFile{Name: "새 지표", Unit: "건", Kind: KindFlow, Target: &ten})
	// A programme in the middle goes: those after it keep their order,
	// and no move is reported for them.
	const gone = 1
	removed := pf.Tasks[4].Programs[gone]
	count := len(pf.Tasks[4].Programs)
	pf.Tasks[4].Programs = append(pf.Tasks[4].Programs[:gone:gone], pf.Tasks[4].Programs[gone+1:]...)

	written, err := s.ApplyPlanFile(ctx, official, PlanWrite{Year: 2020, File: pf, Reason: "추경"})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]int{}
	for _, d := range written.Deltas {
		fields[d.Record+" "+d.Field]++
	}
	want := map[string]int{"indicators target": 1, "tasks name": 1, "indicators +": 1, "programs -": 1}
	if !reflect.DeepEqual(fields, want) || !written.Revised {
		t.Fatalf("deltas = %v (revised %v), want %v in a revision", fields, written.Revised, want)
	}
	plan, _ = s.Plan(ctx, 2020)
	if got := plan.Tasks[1].Name; got == "바뀐 과제명" {
		t.Fatalf("a published plan changed in place")
	}
	draft := plan.DraftRevision()
	if draft == nil || len(draft.Changes) != 1 || len(draft.Edits) != 3 {
		t.Fatalf("draft revision = %+v", draft)
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2020, Date: "2020-06-10"}); err != nil {
		t.Fatal(err)
	}
	plan, _ = s.Plan(ctx, 2020)
	if plan.Tasks[1].Name != "바뀐 과제명" || plan.Tasks[1].Programs[0].Indicators[0].Target != nt {
		t.Errorf("after publication: task %q, target %v", plan.Tasks[1].Name, plan.Tasks[1].Programs[0].Indicators[0].Target)
	}
	inds := plan.Tasks[1].Programs[0].Indicators
	if got := inds[len(inds)-1]; got.Name != "새 지표" || got.Target != 10 {
		t.Errorf("added indicator = %+v", got)
	}
	if plan.Program(removed.ID) != nil {
		t.Errorf("programme %d still there", removed.ID)
	}
	if plan.Tasks[0].Programs[0].Spending == nil {
		t.Errorf("no spending indicator")
	}
	if got := plan.TermIn(&plan.Tasks[1].Programs[0].Indicators[0], 1).Target; got != oldTarget {
		t.Errorf("원공시 target = %v, want %v", got, oldTarget)
	}

	// The 원공시 reads as it was published.
	original := plan.AsPublished(1)
	if original.Tasks[1].Name == "바뀐 과제명" {
		t.Errorf("원공시 task name = %q", original.Tasks[1].Name)
	}
	oinds := original.Tasks[1].Programs[0].Indicators
	if oinds[0].Target != oldTarget || oinds[len(oinds)-1].Name == "새 지표" {
		t.Errorf("원공시 indicators: target %v, last %q", oinds[0].Target, oinds[len(oinds)-1].Name)
	}
	back := original.Program(removed.ID)
	if back == nil || back.Name != removed.Name || len(original.Tasks[4].Programs) != count || original.Tasks[4].Programs[gone].ID != removed.ID {
		t.Errorf("원공시 lost the removed programme %d %q: %+v", removed.ID, removed.Name, back)
	}
	if latest := plan.AsPublished(2); latest.Tasks[1].Name != "바뀐 과제명" || latest.Program(removed.ID) != nil {
		t.Errorf("version 2 reads %q, removed programme %v", latest.Tasks[1].Name, latest.Program(removed.ID))
	}
	// One indicator was added; the removed programme had none.
	if got, want := len(original.Indicators()), len(plan.Indicators())-1; got != want || len(removed.Indicators) != 0 {
		t.Errorf("원공시 has %d indicators, want %d", got, want)
	}
}

// TestWritePlanRefusesRemovingFigures keeps a record with figures.
func TestWritePlanRefusesRemovingFigures(t *testing.T) {
	s, _, users, id := entryStore(t)
	ctx := context.Background()
	if _, _, err := s.SaveFigure(ctx, users["staff"], FigureInput{IndicatorID: id, Year: 2026, Month: 4, Value: "3"}); err != nil {
		t.Fatal(err)
	}
	plan, _ := s.Plan(ctx, 2026)
	pf := plan.File()
	pf.Tasks[0].Programs[0].Indicators = nil
	_, err := s.ApplyPlanFile(ctx, users["official"], PlanWrite{Year: 2026, File: pf, Reason: "뺌"})
	if !hasProblem(err, "problem.plan.remove.figures") {
		t.Fatalf("removing an indicator with figures = %v", err)
	}
	if _, err := s.ApplyPlanFile(ctx, users["staff"], PlanWrite{Year: 2026, File: pf, Reason: "뺌"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("staff = %v, want ErrForbidden", err)
	}
}

// TestWritePlanFillsOriginal gives a published plan without programmes
// its first tree: publishing it completes the 원공시, no 수정공시.
func TestWritePlanFillsOriginal(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	pf := seedPlanFile(t)
	pf.Year, pf.Published = 2031, PublishedUnknown
	for i := range pf.Tasks {
		pf.Tasks[i].Programs = nil
	}
	if _, err := s.ImportPlan(ctx, pf); err != nil {
		t.Fatal(err)
	}
	official := newUser(t, s, "official", RoleOfficial)
	plan, _ := s.Plan(ctx, 2031)
	tree := plan.File()
	one := 1.0
	tree.Tasks[0].Programs = []ProgramFile{{Name: "새 사업", Indicators: []IndicatorFile{{Name: "참여", Unit: "명", Kind: KindFlow, Target: &one}}}}
	if _, err := s.ApplyPlanFile(ctx, official, PlanWrite{Year: 2031, File: tree}); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2031, Date: "2026-11-30", Effective: "2031-12"}); err != nil {
		t.Fatal(err)
	}
	plan, _ = s.Plan(ctx, 2031)
	if n := len(plan.PublishedVersions()); n != 1 || plan.DraftRevision() != nil {
		t.Errorf("versions = %d, want the 원공시 alone", n)
	}
	if len(plan.Tasks[0].Programs) != 1 || len(plan.Tasks[0].Programs[0].Indicators) != 1 {
		t.Errorf("tree = %+v", plan.Tasks[0].Programs)
	}
}

func hasProblem(err error, key string) bool {
	var v *ValidationError
	if !errors.As(err, &v) {
		return false
	}
	for _, p := range v.Problems {
		if p.Key == key {
			return true
		}
	}
	return false
}

// TestWritePlanPlaces keeps records in the places the plan file gives
// them: a removal leaves no gap that the next write would report as
// moves, and an insertion lands where it was put.
func TestWritePlanPlaces(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	pf := seedPlanFile(t)
	pf.Published = "" // a draft
	if _, err := s.ImportPlan(ctx, pf); err != nil {
		t.Fatal(err)
	}
	official := newUser(t, s, "official", RoleOfficial)
	plan, _ := s.Plan(ctx, 2020)
	file := plan.File()
	progs := file.Tasks[0].Programs
	file.Tasks[0].Programs = append(progs[:1:1], progs[2:]...) // the second goes
	if _, err := s.ApplyPlanFile(ctx, official, PlanWrite{Year: 2020, File: file}); err != nil {
		t.Fatal(err)
	}
	plan, _ = s.Plan(ctx, 2020)
	if deltas, err := s.DiffPlanFile(ctx, 2020, plan.File()); err == nil && len(deltas) != 0 || err != nil {
		t.Fatalf("the plan as stored differs from itself after a removal: %+v %v", deltas, err)
	}
	file = plan.File()
	progs = file.Tasks[0].Programs
	file.Tasks[0].Programs = append([]ProgramFile{progs[0], {Name: "끼운 사업"}}, progs[1:]...)
	if _, err := s.ApplyPlanFile(ctx, official, PlanWrite{Year: 2020, File: file}); err != nil {
		t.Fatal(err)
	}
	plan, _ = s.Plan(ctx, 2020)
	var names []string
	for _, p := range plan.Tasks[0].Programs {
		names = append(names, p.Name)
	}
	if len(names) != len(progs)+1 || names[1] != "끼운 사업" || names[2] != progs[1].Name {
		t.Errorf("programmes = %q, want 끼운 사업 second", names)
	}
	if deltas, _ := s.DiffPlanFile(ctx, 2020, plan.File()); len(deltas) != 0 {
		t.Errorf("the plan as stored differs from itself after an insertion: %+v", deltas)
	}
}
