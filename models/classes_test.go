package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestProgramRevision: a published plan's 분야, 대상 and budget change by
// revision (a 추경 is a 수정공시). Until the revision takes effect the old
// budget is in force; the 원공시 still reads as published; a draft plan
// changes in place.
func TestProgramRevision(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	s.SetClock(func() time.Time { return time.Date(2026, 7, 15, 10, 0, 0, 0, KST) })
	plan := cyclePlan(t, s, 2026, "2026-03-30", false)
	prog := plan.Tasks[0].Programs[0]
	// A programme stored before it had these columns holds NULL in them.
	if err := s.w.Exec(`UPDATE programs SET field = NULL, "groups" = NULL, budget = NULL`).Error; err != nil {
		t.Fatal(err)
	}
	official, staff := newUser(t, s, "official", RoleOfficial), newUser(t, s, "staff", RoleStaff)
	in := ProgramInput{Year: 2026, Field: "direct", Groups: []string{"youth", "senior"}, Budget: []string{"40", "", "1,000.5", ""}, Reason: "추경 반영"}

	if _, err := s.SetProgram(ctx, staff, prog.ID, in); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff change a budget: %v, want ErrForbidden", err)
	}
	noReason := in
	noReason.Reason = ""
	if _, err := s.SetProgram(ctx, official, prog.ID, noReason); problemKeys(err) != "problem.target.reason" {
		t.Errorf("a revision without a reason: %s", problemKeys(err))
	}
	revised, err := s.SetProgram(ctx, official, prog.ID, in)
	if err != nil || !revised {
		t.Fatalf("SetProgram = %v, %v; want a revision", revised, err)
	}
	p, _ := s.Plan(ctx, 2026)
	if got := p.Tasks[0].Programs[0]; got.Field != "" || !got.Budget.Empty() || len(p.DraftRevision().Edits) != 3 {
		t.Fatalf("before publication the programme = %+v with %d edits; want it unchanged and three edits waiting", got, len(p.DraftRevision().Edits))
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2026, Date: "2026-07-15", Effective: "2026-08"}); err != nil {
		t.Fatal(err)
	}
	p, _ = s.Plan(ctx, 2026)
	got := &p.Tasks[0].Programs[0]
	if got.Field != "direct" || got.Groups != "youth,senior" || *got.Budget.Total() != 1040.5 {
		t.Errorf("after publication the programme = %+v", got)
	}
	if b := p.BudgetAt(got, 7); !b.Empty() {
		t.Errorf("July's budget = %+v, want none: the revision takes effect in August", b)
	}
	if b := p.BudgetAt(got, 8); b.Total() == nil || *b.Total() != 1040.5 {
		t.Errorf("August's budget = %+v, want 1040.5", b)
	}
	if orig := p.AsPublished(1).Tasks[0].Programs[0]; orig.Field != "" || !orig.Budget.Empty() || orig.Groups != "" {
		t.Errorf("the 원공시 reads %+v, want no 분야, 대상 or budget", orig)
	}
	if _, err := s.SetProgram(ctx, official, prog.ID, in); problemKeys(err) != "problem.edit.same" {
		t.Errorf("the same values again: %s, want problem.edit.same", problemKeys(err))
	}
	// An edit whose field moved after it was made is refused on
	// publication, and changes nothing.
	other := in
	other.Field, other.Reason = "training", "재분류"
	if _, err := s.SetProgram(ctx, official, prog.ID, other); err != nil {
		t.Fatal(err)
	}
	if err := s.w.Exec(`UPDATE programs SET field = 'service' WHERE id = ?`, prog.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2026, Date: "2026-07-15", Effective: "2026-08"}); problemKeys(err) != "problem.revision.stale" {
		t.Errorf("publish a stale edit: %s, want problem.revision.stale", problemKeys(err))
	}
	if p, _ := s.Plan(ctx, 2026); p.Tasks[0].Programs[0].Field != "service" || p.DraftRevision() == nil {
		t.Errorf("a refused publication changed the plan: 분야 %q", p.Tasks[0].Programs[0].Field)
	}

	// 집계 기준: a count of people only, in place in a draft.
	draft, err := s.CopyPlan(ctx, official, 2026, 2027, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := draft.Tasks[0].Programs[0].Indicators[0], draft.Tasks[0].Programs[0].Indicators[1]
	if a.Basis != BasisUnknown || draft.Tasks[0].Programs[0].Field != "service" || *draft.Tasks[0].Programs[0].Budget.Total() != 1040.5 {
		t.Errorf("the copy lost the basis, 분야 or budget: %+v", draft.Tasks[0].Programs[0])
	}
	if _, err := s.SetBasis(ctx, official, b.ID, BasisInput{Year: 2027, Basis: "people"}); problemKeys(err) != "problem.basis.unit" {
		t.Errorf("a basis on 회: %s, want problem.basis.unit", problemKeys(err))
	}
	if revised, err := s.SetBasis(ctx, official, a.ID, BasisInput{Year: 2027, Basis: "people"}); err != nil || revised {
		t.Fatalf("SetBasis in a draft = %v, %v; want in place", revised, err)
	}
	if p, _ := s.Plan(ctx, 2027); p.Tasks[0].Programs[0].Indicators[0].Basis != BasisPeople {
		t.Errorf("the draft's basis = %q, want people", p.Tasks[0].Programs[0].Indicators[0].Basis)
	}
}

// TestSubtotals adds only like numbers: a basis of unknown is never added,
// even to another unknown.
func TestSubtotals(t *testing.T) {
	is := func(unit string, basis Basis, target, actual float64) *IndicatorSummary {
		return &IndicatorSummary{Indicator: &Indicator{Kind: KindFlow, Unit: unit, Basis: basis, Target: target}, Progress: Progress{Actual: actual}}
	}
	got := Subtotals([]*IndicatorSummary{
		is("명", BasisPeople, 10, 1), is("건", "", 5, 2), is("명", BasisPeople, 20, 3),
		is("명", BasisUnknown, 7, 4), is("명", BasisUnknown, 9, 5), is("명", BasisVisits, 100, 6),
	})
	want := []Subtotal{
		{Measure: Measure{Unit: "명", Basis: BasisPeople}, Count: 2, Added: true, Target: 30, Actual: 4},
		{Measure: Measure{Unit: "건"}, Count: 1, Added: true, Target: 5, Actual: 2},
		{Measure: Measure{Unit: "명", Basis: BasisUnknown}, Count: 2},
		{Measure: Measure{Unit: "명", Basis: BasisVisits}, Count: 1, Added: true, Target: 100, Actual: 6},
	}
	if len(got) != len(want) {
		t.Fatalf("subtotals = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("subtotal %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
