package models

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// The fixture testdata/pre-versions.db was written by the code before
// plans had versions (see testdata/mkpre). Its target changes, by the
// indicators' names.
const (
	preDisabled = "장애인일자리 선발 인원"         // 100 → 120 on 2020-07-15
	preMeetings = "만남의 날 개최 횟수"          // 2 → 3 on 2020-05-10, 3 → 4 on 2020-10-01
	prePublic   = "공공근로·지역공동체 일자리 선발 인원" // 170 → 180 on 2021-02-03, after the plan year
	preIntern   = "청년 인턴 채용"             // the 2021 plan, not shipped: 50 → 60
)

// TestUpgradeVersions upgrades a database made before plans had versions:
// the 원공시, one revision per recorded change, the months judged against
// the target then in force, the original note and monthly plan, and
// nothing else changed; a second run changes nothing.
func TestUpgradeVersions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pre.db")
	copyFile(t, filepath.Join("testdata", "pre-versions.db"), path)
	before := readTables(t, path)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	pf := seedPlanFile(t)
	if err := s.UpgradeVersions(ctx, []*PlanFile{pf}); err != nil {
		t.Fatal(err)
	}

	plan, err := s.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	inds := indicatorsByName(plan)
	v1 := plan.Version(1)
	if v1 == nil || v1.Date == nil || v1.Date.Format(time.DateOnly) != "2020-03-30" || v1.SourceRef != pf.PublishedRef || v1.Effective != 1 {
		t.Fatalf("2020 version 1 = %+v, want the 원공시 of 2020-03-30 citing the shipped file", v1)
	}
	for _, want := range []struct {
		number         int
		date           string
		effective      int
		indicator      string
		oldT, newT     float64
		reasonContains string
	}{
		{2, "2020-05-10", 5, preMeetings, 2, 3, "하반기 1회"},
		{3, "2020-07-15", 7, preDisabled, 100, 120, "20명 확대"},
		{4, "2020-10-01", 10, preMeetings, 3, 4, "온라인"},
		{5, "2021-02-03", 12, prePublic, 170, 180, "사후 정정"},
	} {
		v := plan.Version(want.number)
		if v == nil || len(v.Changes) != 1 {
			t.Errorf("2020 version %d = %+v, want a revision of one change", want.number, v)
			continue
		}
		ch := v.Changes[0]
		if v.Date == nil || v.Date.Format(time.DateOnly) != want.date || v.Effective != want.effective ||
			ch.IndicatorID != inds[want.indicator].ID || ch.OldTarget != want.oldT || ch.NewTarget != want.newT ||
			!strings.Contains(ch.Reason, want.reasonContains) {
			t.Errorf("2020 version %d: date %v, in force from %d, change %+v; want %s, from %d, %s %v → %v (%q)", want.number,
				v.Date, v.Effective, ch, want.date, want.effective, want.indicator, want.oldT, want.newT, want.reasonContains)
		}
	}
	if n := len(plan.Versions); n != 5 {
		t.Errorf("2020 has %d versions, want the 원공시 and 4 revisions", n)
	}

	disabled := inds[preDisabled]
	for _, tc := range []struct {
		asof   int
		target float64
	}{{3, 100}, {6, 100}, {7, 120}, {12, 120}} {
		sum, err := s.Summary(ctx, 2020, tc.asof)
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.Indicators[disabled.ID].Indicator.Target; got != tc.target {
			t.Errorf("Summary(2020, %d): %s measured against %v, want %v", tc.asof, preDisabled, got, tc.target)
		}
	}
	file := shippedIndicatorNamed(t, pf, preDisabled)
	if disabled.Target != 120 || disabled.TargetNote != file.TargetNote || disabled.TargetNoteEn != file.TargetNoteEn || disabled.TargetNoteUnrecorded {
		t.Errorf("%s: target %v, note %q / %q (unrecorded %v); want 120 and the shipped note %q / %q",
			preDisabled, disabled.Target, disabled.TargetNote, disabled.TargetNoteEn, disabled.TargetNoteUnrecorded, file.TargetNote, file.TargetNoteEn)
	}

	meetings := inds[preMeetings]
	orig, _ := shippedIndicatorNamed(t, pf, preMeetings).pacing()
	terms := plan.Terms(meetings)
	if len(terms) != 3 {
		t.Fatalf("%s has %d terms, want 3", preMeetings, len(terms))
	}
	for i, want := range []Pacing{orig, scaled(orig, 1.5), scaled(orig, 2)} {
		if !closePacing(terms[i].Pacing, want) {
			t.Errorf("%s term %d: monthly plan %v, want %v", preMeetings, i, terms[i].Pacing, want)
		}
	}

	p21, err := s.Plan(ctx, 2021)
	if err != nil {
		t.Fatal(err)
	}
	intern := indicatorsByName(p21)[preIntern]
	if !intern.TargetNoteUnrecorded || intern.TargetNote != "" {
		t.Errorf("2021 %s: note %q, unrecorded %v; want no note, marked not recorded", preIntern, intern.TargetNote, intern.TargetNoteUnrecorded)
	}
	if v := p21.Version(1); v == nil || v.Date != nil {
		t.Errorf("2021 version 1 = %+v, want one with no date", v)
	}
	if v := p21.Version(2); v == nil || len(v.Changes) != 1 || v.Effective != 4 ||
		!slices.Equal(v.Changes[0].OldPacing, Pacing{0, 0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50}) {
		t.Errorf("2021 version 2 = %+v, want the change of April from the plan of 50", v)
	}

	after := readTables(t, path)
	for name, old := range before.tables {
		skip := map[string]bool{}
		now := after.tables[name]
		if name == "indicators" {
			skip["target_note"], skip["target_note_en"], skip["basis"] = true, true, true
			now = now.without("kind", string(KindSpending)) // every programme gains its spending indicator
		}
		if diff := old.diff(now, skip); diff != "" {
			t.Errorf("table %s changed: %s", name, diff)
		}
	}

	counts := func() [2]int64 {
		var c [2]int64
		s.r.Model(&PlanVersion{}).Count(&c[0])
		s.r.Model(&PlanChange{}).Count(&c[1])
		return c
	}
	first := counts()
	if err := s.UpgradeVersions(ctx, []*PlanFile{pf}); err != nil {
		t.Fatal(err)
	}
	if again := counts(); again != first || readTables(t, path).sum != after.sum {
		t.Errorf("a second upgrade changed the database: versions and changes %v, then %v", first, again)
	}

	// A draft has no version until it is published: the upgrade leaves it.
	var official User
	if err := s.r.Where("login = ?", "official").Take(&official).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.CopyPlan(ctx, &official, 2021, 2022, Origin{}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpgradeVersions(ctx, []*PlanFile{pf}); err != nil {
		t.Fatal(err)
	}
	draft, err := s.Plan(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	if len(draft.Versions) != 0 || draft.Published() {
		t.Errorf("the 2022 draft after an upgrade: state %s, %d versions; want a draft with none", draft.State, len(draft.Versions))
	}
}

// TestPacingChain checks the monthly plans rebuilt along a chain of
// target changes, also across a change to 0 that cannot be undone.
func TestPacingChain(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	orig := Pacing{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2}
	chain := []FigureChange{{OldValue: f(2), NewValue: f(4)}, {OldValue: f(4), NewValue: f(0)}}
	for _, tc := range []struct {
		name  string
		cur   Pacing
		chain []FigureChange
		orig  Pacing
		want  []Pacing
	}{
		{"undone", scaled(orig, 2), chain[:1], nil, []Pacing{orig, scaled(orig, 2)}},
		{"linear", nil, chain[:1], orig, []Pacing{nil, nil}},
		{"to 0, shipped", scaled(orig, 0), chain[:2], orig, []Pacing{orig, scaled(orig, 2), scaled(orig, 0)}},
		{"to 0, not shipped", scaled(orig, 0), chain[:2], nil, []Pacing{nil, nil, scaled(orig, 0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pacingChain(tc.cur, tc.chain, tc.orig)
			if len(got) != len(tc.want) {
				t.Fatalf("pacingChain = %v, want %v", got, tc.want)
			}
			for i := range got {
				if !closePacing(got[i], tc.want[i]) {
					t.Errorf("pacingChain = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// scaled is p times k.
func scaled(p Pacing, k float64) Pacing {
	out := make(Pacing, len(p))
	for i, v := range p {
		out[i] = v * k
	}
	return out
}

// closePacing reports whether two monthly plans agree within 1e-9.
func closePacing(a, b Pacing) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Abs(x-y) <= 1e-9 })
}

// indicatorsByName lists a loaded plan's indicators by name.
func indicatorsByName(plan *Plan) map[string]*Indicator {
	out := map[string]*Indicator{}
	for _, ind := range planIndicatorsOf(plan) {
		out[ind.Name] = ind.Indicator
	}
	return out
}

// shippedIndicatorNamed is the indicator of a plan file by name.
func shippedIndicatorNamed(t *testing.T, pf *PlanFile, name string) *IndicatorFile {
	t.Helper()
	for _, task := range pf.Tasks {
		for _, p := range task.Programs {
			for i := range p.Indicators {
				if p.Indicators[i].Name == name {
					return &p.Indicators[i]
				}
			}
		}
	}
	t.Fatalf("the plan file has no indicator %s", name)
	return nil
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// dbTables is every row of every table of a database, read with plain
// SQL, and a checksum of it all.
type dbTables struct {
	tables map[string]*tableRows
	sum    [sha256.Size]byte
}

// tableRows is the rows of one table in rowid order.
type tableRows struct {
	cols []string
	rows [][]any
}

// readTables reads the database at path through its own connection.
func readTables(t *testing.T, path string) dbTables {
	t.Helper()
	db, err := gorm.Open(sqlite.Open(path), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}()
	var names []string
	if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	out := dbTables{tables: map[string]*tableRows{}}
	h := sha256.New()
	for _, name := range names {
		rows, err := db.Raw(`SELECT * FROM "` + name + `" ORDER BY rowid`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		tr := &tableRows{}
		tr.cols, _ = rows.Columns()
		for rows.Next() {
			row := make([]any, len(tr.cols))
			ptrs := make([]any, len(row))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			tr.rows = append(tr.rows, row)
			fmt.Fprintf(h, "%s %#v\n", name, row)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		out.tables[name] = tr
	}
	h.Sum(out.sum[:0])
	return out
}

// diff says how the columns of old other than skip read in now: "" when
// every row is the same.
// without is the table without the rows whose column col holds value.
func (tr *tableRows) without(col, value string) *tableRows {
	if tr == nil {
		return nil
	}
	i := slices.Index(tr.cols, col)
	out := &tableRows{cols: tr.cols}
	for _, row := range tr.rows {
		if v, ok := row[i].(string); i >= 0 && ok && v == value {
			continue
		}
		out.rows = append(out.rows, row)
	}
	return out
}

func (old *tableRows) diff(now *tableRows, skip map[string]bool) string {
	if now == nil {
		return "the table is gone"
	}
	if len(now.rows) != len(old.rows) {
		return fmt.Sprintf("%d rows, want %d", len(now.rows), len(old.rows))
	}
	at := map[string]int{}
	for i, c := range now.cols {
		at[c] = i
	}
	for ci, c := range old.cols {
		j, ok := at[c]
		switch {
		case skip[c]:
			continue
		case !ok:
			return "column " + c + " is gone"
		}
		for ri := range old.rows {
			if a, b := old.rows[ri][ci], now.rows[ri][j]; !reflect.DeepEqual(a, b) {
				return fmt.Sprintf("row %d, %s = %#v, want %#v", ri+1, c, b, a)
			}
		}
	}
	return ""
}
