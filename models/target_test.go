package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestSetTargetScalesMonthlyPlan checks that a monthly plan follows a new
// target in proportion, and the refusals that name their field.
func TestSetTargetScalesMonthlyPlan(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	pf, err := ParsePlanFile(strings.NewReader(`{"year":2026,"city":"c","title":"t","published":"unknown","tasks":[{"code":"A","name":"a","programs":[
		{"name":"p","department":"일자리경제과","indicators":[
			{"name":"만남의 날","kind":"flow","unit":"회","target":2,"pacing":[0,0,0,0,0,1,1,1,1,1,1,2]},
			{"name":"설립","kind":"milestone","due":"2026-12-31"},
			{"name":"영","kind":"flow","unit":"회","target":0,"pacing":[0,0,0,0,0,0,0,0,0,0,0,0]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.ImportPlan(ctx, pf)
	if err != nil {
		t.Fatal(err)
	}
	inds := plan.Tasks[0].Programs[0].Indicators
	official, staff := newUser(t, s, "official", RoleOfficial), newUser(t, s, "staff", RoleStaff)
	set := func(u *User, i int, year int, target string) error {
		_, err := s.SetTarget(ctx, u, inds[i].ID, TargetInput{Year: year, Target: target, Reason: "상·하반기 각 2회로 확대"})
		return err
	}
	if err := set(staff, 0, 2026, "4"); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff: %v, want ErrForbidden", err)
	}
	for _, tc := range []struct {
		i, year int
		target  string
		path    string
	}{{1, 2026, "1", "target"}, {2, 2026, "3", "target"}, {0, 2020, "4", "year"}} {
		var v *ValidationError
		if err := set(official, tc.i, tc.year, tc.target); !errors.As(err, &v) || v.Problems[0].Path != tc.path {
			t.Errorf("indicator %d, year %d, target %s: %v, want a problem with %s", tc.i, tc.year, tc.target, err, tc.path)
		}
	}
	if err := set(official, 0, 2026, "4"); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishRevision(ctx, official, PublishInput{Year: 2026}); err != nil {
		t.Fatal(err)
	}
	var got Indicator
	if err := s.r.First(&got, inds[0].ID).Error; err != nil {
		t.Fatal(err)
	}
	if want := (Pacing{0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 4}); got.Target != 4 || !slices.Equal(got.Pacing, want) || got.TargetNote != "" {
		t.Errorf("after 2 → 4: target %v, plan %v, note %q; want 4, %v and the plan's own note kept", got.Target, got.Pacing, got.TargetNote, want)
	}
}
