package models

import (
	"context"
	"fmt"
	"math"
	"strings"

	"gorm.io/gorm"
)

// DemoAsOf is the last month that the sample figures cover.
const DemoAsOf = 9

// demoProfile shapes one indicator's sample figures: its actual at DemoAsOf
// is pace × expected (or just above the target when reach is set), and
// skip leaves one due month empty.
type demoProfile struct {
	pace  float64
	reach bool
	skip  bool
}

// demoProfiles is applied to the flow and stock indicators in order,
// headlines first, so that the sample shows every status: reached, on
// track, watch, behind and missing.
var demoProfiles = []demoProfile{
	{reach: true},
	{pace: 0.98},
	{pace: 0.9},
	{pace: 0.7},
	{pace: 1, skip: true},
}

// SeedDemo adds deterministic sample figures to the plan of a year and marks
// the plan as carrying sample data. It does nothing if the plan is already
// marked, so it is safe to run at every start.
func (s *Store) SeedDemo(ctx context.Context, year int) error {
	plan, err := s.Plan(ctx, year)
	if err != nil {
		return err
	}
	if plan.Demo {
		return nil
	}
	figs, milestones := demoFigures(plan)
	err = s.write(ctx, func(tx *gorm.DB) error {
		if len(figs) > 0 {
			if err := tx.CreateInBatches(figs, 500).Error; err != nil {
				return err
			}
		}
		if err := demoDepartments(tx, plan); err != nil {
			return err
		}
		for _, m := range milestones {
			if err := tx.Model(&Indicator{}).Where("id = ?", m.ID).
				Updates(map[string]any{"done_date": m.DoneDate, "milestone_state": m.MilestoneState}).Error; err != nil {
				return err
			}
		}
		return tx.Model(&Plan{}).Where("id = ?", plan.ID).Update("demo", true).Error
	})
	if err != nil {
		return fmt.Errorf("models: seed demo figures %d: %w", year, err)
	}
	return nil
}

// demoFigures builds the sample figures and milestone updates for a plan.
func demoFigures(plan *Plan) ([]Figure, []Indicator) {
	var measured, milestones []*Indicator
	for _, headline := range []bool{true, false} {
		for ti := range plan.Tasks {
			for pi := range plan.Tasks[ti].Programs {
				for ii := range plan.Tasks[ti].Programs[pi].Indicators {
					ind := &plan.Tasks[ti].Programs[pi].Indicators[ii]
					switch {
					case ind.Headline != headline:
					case !ind.Kind.Monthly():
						milestones = append(milestones, ind)
					default:
						measured = append(measured, ind)
					}
				}
			}
		}
	}
	var figs []Figure
	for i, ind := range measured {
		figs = append(figs, demoSeries(ind, plan.Year, demoProfiles[i%len(demoProfiles)])...)
	}
	var done []Indicator
	for _, ind := range milestones {
		done = append(done, demoMilestone(ind, plan.Year))
	}
	return figs, done
}

// demoSeries makes whole-number monthly figures for months 1..DemoAsOf
// whose running actual follows the indicator's pacing scaled by the profile.
func demoSeries(ind *Indicator, year int, p demoProfile) []Figure {
	scale := p.pace
	if planned := ind.Pacing.Expected(ind.Target, DemoAsOf); p.reach && planned > 0 {
		scale = math.Ceil(ind.Target*1.02) / planned
	}
	var figs []Figure
	prev := 0.0
	for m := 1; m <= DemoAsOf; m++ {
		level := math.Round(scale * ind.Pacing.Expected(ind.Target, m))
		v := level
		if !ind.Kind.CarriesForward() {
			v = level - prev
		}
		prev = level
		if p.skip && m == DemoAsOf-1 {
			continue
		}
		figs = append(figs, Figure{
			IndicatorID: ind.ID, Year: year, Month: m, Value: v, Note: "예시 데이터 (sample data)",
			Status: FigureApproved, Version: 1, UpdatedBy: "demo", Approved: &v,
		})
	}
	return figs
}

// demoMilestone marks a milestone done a few days before its due date when
// that falls within the sample months, and in progress otherwise.
func demoMilestone(ind *Indicator, year int) Indicator {
	out := Indicator{ID: ind.ID, MilestoneState: MilestoneInProgress}
	if ind.DueDate != nil && !ind.DueDate.After(MonthEnd(year, DemoAsOf)) {
		d := ind.DueDate.AddDate(0, 0, -4)
		out.DoneDate = &d
		out.MilestoneState = MilestoneDone
	}
	return out
}

// DemoAccount is a demo login: -demo creates it, and the login page shows
// its password.
type DemoAccount struct {
	Login    string
	Password string
	Role     Role
	Dept     string
}

// DemoAccounts are the accounts -demo creates, one per role. Their
// passwords are public on the login page, so they exist only in -demo.
var DemoAccounts = []DemoAccount{
	{"admin", "demo-admin-pass-2020", RoleAdmin, ""},
	{"official", "demo-official-pass-2020", RoleOfficial, demoDeptJobs},
	{"staff", "demo-staff-pass-2020", RoleStaff, demoDeptJobs},
	{"staff2", "demo-staff2-pass-2020", RoleStaff, demoDeptSeniors},
	{"council", "demo-council-pass-2020", RoleCouncil, ""},
}

// The sample departments of the demo.
const (
	demoDeptJobs    = "일자리경제과"
	demoDeptSeniors = "노인장애인과"
)

// SeedDemoAccounts creates the demo accounts that do not exist yet. Only
// -demo calls it.
func (s *Store) SeedDemoAccounts(ctx context.Context) error {
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, u := range users {
		have[u.Login] = true
	}
	for _, a := range DemoAccounts {
		if have[a.Login] {
			continue
		}
		in := UserInput{Login: a.Login, DisplayName: "예시 " + string(a.Role), Department: a.Dept, Role: a.Role, Password: a.Password}
		if _, err := s.CreateUser(ctx, in, true, nil, Origin{IP: "demo"}); err != nil {
			return err
		}
	}
	return nil
}

// demoDepartments gives the programmes that have no department a sample
// one, so that demo staff accounts have indicators of their own: senior
// and disability jobs go to 노인장애인과, the rest to 일자리경제과.
func demoDepartments(tx *gorm.DB, plan *Plan) error {
	for _, t := range plan.Tasks {
		for _, p := range t.Programs {
			if p.Department != "" {
				continue
			}
			dept := demoDeptJobs
			if strings.Contains(p.Name, "노인") || strings.Contains(p.Name, "장애인") {
				dept = demoDeptSeniors
			}
			if err := tx.Model(&Program{}).Where("id = ?", p.ID).Update("department", dept).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// SeedDemoYear makes the sample plan of the current year from the plan of
// year from. (Being written.)
func (s *Store) SeedDemoYear(ctx context.Context, from int) error { return nil }
