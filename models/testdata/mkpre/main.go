// Command mkpre makes models/testdata/pre-versions.db, a database written
// by jobkpi as it was before plans had versions (commit 278f787), through
// that code's own API: the 2020 plan with approved figures, a commentary,
// an unlock and target changes made by the old SetTarget (which overwrote
// the target, its note and the monthly plan), and a second plan that was
// never shipped. TestUpgradeVersions upgrades a copy of it.
//
// It builds only against commit 278f787 (it sits in testdata, so the
// project's build ignores it). To make the file again, from the project
// root:
//
//	git worktree add /tmp/pre 278f787
//	mkdir /tmp/pre/mkpre && cp models/testdata/mkpre/main.go /tmp/pre/mkpre/
//	(cd /tmp/pre && go run ./mkpre -out /tmp/pre-versions.db)
//	cp /tmp/pre-versions.db models/testdata/pre-versions.db
//	git worktree remove --force /tmp/pre
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"jobkpi/models"
)

// The departments of the sample users.
const (
	deptJobs    = "일자리경제과"
	deptSeniors = "노인장애인과"
)

// other is a plan that was never shipped: another city, 2021.
const other = `{"year":2021,"city":"예시시","city_en":"Example City","title":"2021년 예시시 일자리대책","source":{},
"tasks":[{"code":"A1","name":"청년 일자리","source":{},"programs":[{"name":"청년 인턴","department":"일자리경제과","source":{},
"indicators":[{"name":"청년 인턴 채용","kind":"flow","unit":"명","target":50,"target_note":"2020년 40명 대비 확대",
"pacing":[0,0,5,10,15,20,25,30,35,40,45,50],"source":{}}]}]}]}`

func main() {
	out := flag.String("out", "pre-versions.db", "the database file to write (replaced)")
	flag.Parse()
	if err := run(context.Background(), *out); err != nil {
		log.Fatal(err)
	}
}

// gen is the store being written and its clock.
type gen struct {
	ctx context.Context
	s   *models.Store
	now time.Time
}

// at sets the clock to a moment in Korea.
func (g *gen) at(date string, hour, minute int) {
	d, err := time.ParseInLocation(time.DateOnly, date, models.KST)
	if err != nil {
		panic(err)
	}
	g.now = d.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

func run(ctx context.Context, path string) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	s, err := models.Open(path)
	if err != nil {
		return err
	}
	g := &gen{ctx: ctx, s: s}
	s.SetClock(func() time.Time { return g.now })
	if err := g.build(); err != nil {
		s.Close()
		return err
	}
	return s.Close() // closing checkpoints the WAL into the file
}

// must stops at the first error.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

func (g *gen) build() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	ctx, s := g.ctx, g.s

	g.at("2020-03-31", 9, 0)
	f, err := os.Open("data/plans/gimpo-2020.json")
	must(err)
	pf, err := models.ParsePlanFile(f)
	f.Close()
	must(err)
	_, err = s.EnsurePlan(ctx, pf)
	must(err)
	must(s.AddDepartment(ctx, deptJobs, nil, models.Origin{IP: "127.0.0.1"}))
	must(s.AddDepartment(ctx, deptSeniors, nil, models.Origin{IP: "127.0.0.1"}))
	official := g.user("official", models.RoleOfficial, deptJobs)
	staff := g.user("staff", models.RoleStaff, deptSeniors)
	_, err = s.NewSession(ctx, official, models.Origin{IP: "127.0.0.1", UserAgent: "mkpre"})
	must(err)
	must(s.SetLockDay(ctx, 10))

	plan, err := s.Plan(ctx, 2020)
	must(err)
	ids := map[string]uint{}
	for _, t := range plan.Tasks {
		for _, p := range t.Programs {
			dept := deptJobs
			if strings.Contains(p.Name, "노인") || strings.Contains(p.Name, "장애인") {
				dept = deptSeniors
			}
			must(s.SetProgramDepartment(ctx, official, p.ID, dept))
			for _, ind := range p.Indicators {
				ids[ind.Name] = ind.ID
			}
		}
	}
	disabled, seniors := ids["장애인일자리 선발 인원"], ids["노인일자리 참여 인원"]
	public, meetings := ids["공공근로·지역공동체 일자리 선발 인원"], ids["만남의 날 개최 횟수"]
	for _, id := range []uint{disabled, seniors, public, meetings} {
		if id == 0 {
			return fmt.Errorf("an indicator of the 2020 plan is missing: %v", ids)
		}
	}

	// Months 1–9, each entered on the 5th of the next month: staff submit
	// their department's month, officials approve; the official enters and
	// approves the others one by one.
	values := map[uint][]float64{
		disabled: {0, 0, 10, 12, 10, 8, 9, 11, 10},
		seniors:  {0, 150, 200, 210, 180, 170, 160, 150, 140},
		public:   {40, 20, 15, 10, 10, 10, 5, 5, 5},
		meetings: {0, 0, 0, 0, 0, 1, 0, 0, 0},
	}
	target := func(id uint, year int, value, reason string) func() {
		return func() {
			must(s.SetTarget(ctx, official, id, models.TargetInput{Year: year, Target: value, Reason: reason}))
		}
	}
	// What happens between the monthly entries, oldest first.
	events := []struct {
		date         string
		hour, minute int
		do           func()
	}{
		{"2020-05-10", 14, 0, target(meetings, 2020, "3", "하반기 1회 추가 개최")},
		{"2020-06-01", 9, 0, func() { must(s.UnlockMonth(ctx, official, public, 2020, 3, "3월 선발 인원 정정 요청")) }},
		// 08:30 in Korea is still the 14th in UTC.
		{"2020-07-15", 8, 30, target(disabled, 2020, "120", "장애인일자리 추경 예산 확보로 20명 확대")},
		{"2020-08-03", 11, 0, func() {
			must(s.SaveCommentary(ctx, staff, models.CommentaryInput{IndicatorID: disabled, Year: 2020, Month: 7,
				Analysis: "추경 확대분 선발이 8월에 몰림", Action: "9월까지 2차 모집 완료"}))
		}},
		// 07:00 in Korea is still September in UTC.
		{"2020-10-01", 7, 0, target(meetings, 2020, "4", "온라인 만남의 날 1회 추가")},
	}
	for m := 1; m <= 9; m++ {
		g.at(fmt.Sprintf("2020-%02d-05", m+1), 10, 0)
		g.month(staff, official, m, []uint{disabled, seniors}, values)
		g.month(official, official, m, []uint{public, meetings}, values)
		for len(events) > 0 && events[0].date < fmt.Sprintf("2020-%02d-05", m+2) {
			e := events[0]
			events = events[1:]
			g.at(e.date, e.hour, e.minute)
			e.do()
		}
	}

	g.at("2021-01-05", 9, 0)
	pf21, err := models.ParsePlanFile(strings.NewReader(other))
	must(err)
	_, err = s.EnsurePlan(ctx, pf21)
	must(err)
	p21, err := s.Plan(ctx, 2021)
	must(err)
	// After the plan year: the old code still let a target change.
	g.at("2021-02-03", 15, 0)
	target(public, 2020, "180", "2020년 2회 추경 반영 (사후 정정)")()
	g.at("2021-04-20", 16, 0)
	target(p21.Tasks[0].Programs[0].Indicators[0].ID, 2021, "60", "국비 추가 확보")()
	return nil
}

// user creates an account.
func (g *gen) user(login string, role models.Role, dept string) *models.User {
	u, err := g.s.CreateUser(g.ctx, models.UserInput{Login: login, DisplayName: "예시 " + login, Department: dept,
		Role: role, Password: "mkpre-" + login + "-password-2020"}, false, nil, models.Origin{IP: "127.0.0.1"})
	must(err)
	return u
}

// month enters month m of the indicators ids as by, submits and has
// official approve them.
func (g *gen) month(by, official *models.User, m int, ids []uint, values map[uint][]float64) {
	ctx, s := g.ctx, g.s
	var refs []models.FigureRef
	for _, id := range ids {
		v := strconv.FormatFloat(values[id][m-1], 'f', -1, 64)
		f, _, err := s.SaveFigure(ctx, by, models.FigureInput{IndicatorID: id, Year: 2020, Month: m, Value: v})
		must(err)
		f, err = s.MoveFigure(ctx, by, id, 2020, m, f.Version, models.Submit, "")
		must(err)
		refs = append(refs, models.FigureRef{IndicatorID: id, Year: 2020, Month: m, Version: f.Version})
	}
	must(s.ApproveFigures(ctx, official, refs))
}
