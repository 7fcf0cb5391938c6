package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

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
	figs, milestones := demoFigures(plan, DemoAsOf, demoProfiles)
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

// demoIndicators lists a plan's flow and stock indicators, headlines
// first and then in plan order, and its milestones.
func demoIndicators(plan *Plan) (measured, milestones []*Indicator) {
	for _, headline := range []bool{true, false} {
		for _, ind := range plan.Indicators() {
			switch {
			case ind.Headline != headline:
			case !ind.Kind.Monthly():
				milestones = append(milestones, ind)
			default:
				measured = append(measured, ind)
			}
		}
	}
	return measured, milestones
}

// demoFigures builds the sample figures of months 1..asof and the
// milestone updates for a plan, applying profiles to its flow and stock
// indicators in order.
func demoFigures(plan *Plan, asof int, profiles []demoProfile) ([]Figure, []Indicator) {
	measured, milestones := demoIndicators(plan)
	var figs []Figure
	for i, ind := range measured {
		figs = append(figs, demoSeries(ind, plan.Year, asof, profiles[i%len(profiles)])...)
	}
	var done []Indicator
	for _, ind := range milestones {
		done = append(done, demoMilestone(ind, plan.Year, asof))
	}
	return figs, done
}

// demoSeries makes whole-number monthly figures for months 1..asof whose
// running actual follows the indicator's pacing scaled by the profile.
func demoSeries(ind *Indicator, year, asof int, p demoProfile) []Figure {
	if asof < 1 {
		return nil
	}
	scale := p.pace
	if planned := ind.Pacing.Expected(ind.Target, asof); p.reach && planned > 0 {
		scale = math.Ceil(ind.Target*1.02) / planned
	}
	var figs []Figure
	prev := 0.0
	for m := 1; m <= asof; m++ {
		level := math.Round(scale * ind.Pacing.Expected(ind.Target, m))
		v := level
		if !ind.Kind.CarriesForward() {
			v = level - prev
		}
		prev = level
		if p.skip && m == asof-1 {
			continue
		}
		figs = append(figs, Figure{
			IndicatorID: ind.ID, Year: year, Month: m, Value: v, Note: demoNote,
			Status: FigureApproved, Version: 1, UpdatedBy: demoLogin, Approved: &v,
		})
	}
	return figs
}

// The author and note of the sample figures.
const (
	demoLogin = "demo"
	demoNote  = "예시 데이터 (sample data)"
)

// demoMilestone marks a milestone done a few days before its due date when
// that falls within months 1..asof, and in progress otherwise.
func demoMilestone(ind *Indicator, year, asof int) Indicator {
	out := Indicator{ID: ind.ID, MilestoneState: MilestoneInProgress}
	if ind.DueDate != nil && !ind.DueDate.After(MonthEnd(year, asof)) {
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

// demoYearProfiles shapes the current year's sample figures like
// demoProfiles, in another order: in the shipped plan the 부진 profile
// then falls on a headline whose target is in the thousands, which
// rounding to whole numbers cannot lift out of 부진 in any month. No month
// is left empty (the figure waiting for approval is the one gap), so that
// the dashboard opens on the month before last, the latest whose figures
// are all approved.
var demoYearProfiles = []demoProfile{
	{pace: 0.98},
	{pace: 0.7},
	{reach: true},
	{pace: 0.9},
	{pace: 1},
}

// The reasons of the sample target changes.
const (
	demoRevisionReason = "예시: 추가경정예산 반영 (sample data)"
	demoDraftReason    = "예시: 하반기 사업량 조정 검토 (sample data)"
)

// SeedDemoYear makes a sample plan for the current year in Korea (the
// store clock) from the published plan of year from, so that the demo has
// months open for entry on the day it runs. It does nothing unless the
// current year is later than from, the plan of from exists and is
// published, and the current year has no plan yet, so it is safe at every
// start.
//
// The sample plan is a copy of from (CopyPlan) with the copied targets and
// due dates kept, marked Demo and published as of 1 January. It holds:
//   - approved whole-number figures for every month before the current
//     one, shaped by demoYearProfiles so that the statuses vary and one
//     indicator is 부진, except one figure of last month that is submitted
//     and waits for approval; milestones due by then are done;
//   - one published 수정공시 that raises a target by about 10%, dated the
//     1st of last month and in force from that month;
//   - one draft revision that lowers another target, not published.
//
// The current month stays open. In January there are no earlier months:
// the plan has no figures and none waits for approval, and the revision is
// dated 1 January and in force from January.
//
// Each step is its own transaction. If one fails, the sample plan is
// removed again, so that the next start tries anew, and the error is
// returned.
func (s *Store) SeedDemoYear(ctx context.Context, from int) error {
	now := s.now().In(KST)
	year := now.Year()
	if year <= from {
		return nil
	}
	var plans []Plan
	if err := s.r.WithContext(ctx).Select("year", "state").Where("year IN ?", []int{from, year}).Find(&plans).Error; err != nil {
		return fmt.Errorf("models: seed demo year %d: %w", year, err)
	}
	src := -1
	for i := range plans {
		if plans[i].Year == year {
			return nil
		}
		src = i
	}
	if src < 0 || !plans[src].Published() {
		return nil
	}
	u := &User{Login: demoLogin, DisplayName: "예시", Role: RoleAdmin}
	plan, err := s.CopyPlan(ctx, u, from, year, Origin{IP: "demo"})
	if err != nil {
		return fmt.Errorf("models: seed demo year %d: %w", year, err)
	}
	if err := s.fillDemoYear(ctx, u, year, int(now.Month())-1); err != nil {
		if derr := s.dropPlan(ctx, plan.ID); derr != nil {
			err = errors.Join(err, derr)
		}
		return fmt.Errorf("models: seed demo year %d: %w", year, err)
	}
	return nil
}

// fillDemoYear decides, publishes, revises and fills the copied sample
// plan of year, with figures for months 1..last.
func (s *Store) fillDemoYear(ctx context.Context, u *User, year, last int) error {
	plan, err := s.Plan(ctx, year)
	if err != nil {
		return err
	}
	measured, milestones := demoIndicators(plan)
	var ds []TargetDecision
	for _, ind := range measured {
		ds = append(ds, TargetDecision{ID: ind.ID, Target: strconv.FormatFloat(ind.Target, 'f', -1, 64)})
	}
	for _, ind := range milestones {
		due := time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC)
		if ind.DueDate != nil {
			due = *ind.DueDate
		}
		ds = append(ds, TargetDecision{ID: ind.ID, Due: due.Format(time.DateOnly)})
	}
	if err := s.DecideTargets(ctx, u, year, ds); err != nil {
		return err
	}
	if err := s.keepOutcomeTargets(ctx, u, plan); err != nil {
		return err
	}
	if err := s.PublishPlan(ctx, u, PublishInput{Year: year, Date: fmt.Sprintf("%d-01-01", year)}); err != nil {
		return err
	}
	if err := s.demoRevisions(ctx, u, year, max(last, 1), measured); err != nil {
		return err
	}
	figs, states := demoFigures(plan, last, demoYearProfiles)
	if i := demoWaiting(plan, figs, last); i >= 0 {
		figs[i].Status, figs[i].Approved = FigureSubmitted, nil
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		if len(figs) > 0 {
			if err := tx.CreateInBatches(figs, 500).Error; err != nil {
				return err
			}
		}
		if err := demoDepartments(tx, plan); err != nil {
			return err
		}
		for _, m := range states {
			if err := tx.Model(&Indicator{}).Where("id = ?", m.ID).
				Updates(map[string]any{"done_date": m.DoneDate, "milestone_state": m.MilestoneState}).Error; err != nil {
				return err
			}
		}
		return tx.Model(&Plan{}).Where("id = ?", plan.ID).Update("demo", true).Error
	})
}

// demoRevisions publishes a 수정공시 dated the 1st of month and in force
// from it, raising the first target of 10 or more by about 10%, and
// leaves a draft revision lowering the next one by about 5%.
func (s *Store) demoRevisions(ctx context.Context, u *User, year, month int, measured []*Indicator) error {
	var big []*Indicator
	for _, ind := range measured {
		if ind.Target >= 10 {
			big = append(big, ind)
		}
	}
	if len(big) == 0 {
		return nil
	}
	raise := TargetInput{Year: year, Target: strconv.FormatFloat(math.Round(big[0].Target*1.1), 'f', -1, 64), Reason: demoRevisionReason}
	if _, err := s.SetTarget(ctx, u, big[0].ID, raise); err != nil {
		return err
	}
	ym := fmt.Sprintf("%d-%02d", year, month)
	if err := s.PublishRevision(ctx, u, PublishInput{Year: year, Date: ym + "-01", Effective: ym}); err != nil {
		return err
	}
	if len(big) == 1 {
		return nil
	}
	lower := TargetInput{Year: year, Target: strconv.FormatFloat(math.Floor(big[1].Target*0.95), 'f', -1, 64), Reason: demoDraftReason}
	_, err := s.SetTarget(ctx, u, big[1].ID, lower)
	return err
}

// demoWaiting picks the figure of month last that is left waiting for
// approval: that of the first indicator of the demo official's department
// (or of any, when none is), so that the official has one to approve. It
// is -1 when there is none.
func demoWaiting(plan *Plan, figs []Figure, last int) int {
	dept := map[uint]string{}
	for _, t := range plan.Tasks {
		for _, p := range t.Programs {
			for _, ind := range p.Indicators {
				dept[ind.ID] = p.Department
			}
		}
	}
	pick := -1
	for i, f := range figs {
		if f.Month != last {
			continue
		}
		if dept[f.IndicatorID] == demoDeptJobs {
			return i
		}
		if pick < 0 {
			pick = i
		}
	}
	return pick
}

// dropPlan removes a plan with everything under it and the history of its
// indicators.
func (s *Store) dropPlan(ctx context.Context, id uint) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		ids := tx.Table("indicators").Select("indicators.id").
			Joins("JOIN programs ON programs.id = indicators.program_id").
			Joins("JOIN tasks ON tasks.id = programs.task_id").
			Where("tasks.plan_id = ?", id)
		if err := tx.Where("indicator_id IN (?)", ids).Delete(&FigureChange{}).Error; err != nil {
			return err
		}
		return tx.Delete(&Plan{}, id).Error
	})
}
