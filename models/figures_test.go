package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// entryStore has a 2026 plan with one flow indicator (target 120 명) of
// 일자리경제과, a staff user of that department and one of another, an
// official, and a clock at 2026-05-05.
func entryStore(t *testing.T) (*Store, *clock, map[string]*User, uint) {
	return entryStoreB(t)
}

func entryStoreB(t testing.TB) (*Store, *clock, map[string]*User, uint) {
	t.Helper()
	s := openTestStore(t)
	c := &clock{time.Date(2026, 5, 5, 3, 0, 0, 0, time.UTC)}
	s.SetClock(c.now)
	pf, err := ParsePlanFile(strings.NewReader(`{"year":2026,"city":"c","title":"t","published":"unknown","tasks":[{"code":"A","name":"a","programs":[
		{"name":"p","department":"일자리경제과","indicators":[{"name":"i","kind":"flow","unit":"명","target":120}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.ImportPlan(context.Background(), pf)
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]*User{
		"staff":    newUser(t, s, "staff", RoleStaff),
		"official": newUser(t, s, "official", RoleOfficial),
		"council":  newUser(t, s, "council", RoleCouncil),
	}
	other := UserInput{Login: "other", DisplayName: "o", Department: "복지과", Role: RoleStaff, Password: "long enough password 1"}
	if err := s.AddDepartment(context.Background(), other.Department, nil, Origin{}); err != nil {
		t.Fatal(err)
	}
	users["other"], _ = s.CreateUser(context.Background(), other, false, nil, Origin{})
	return s, c, users, plan.Tasks[0].Programs[0].Indicators[0].ID
}

func TestSaveFigureRules(t *testing.T) {
	s, _, users, id := entryStore(t)
	ctx := context.Background()
	in := func(m int, v string) FigureInput { return FigureInput{IndicatorID: id, Year: 2026, Month: m, Value: v} }
	tests := []struct {
		name  string
		user  string
		input FigureInput
		want  error
		field string
	}{
		{"another department", "other", in(5, "10"), ErrForbidden, ""},
		{"council", "council", in(5, "10"), ErrForbidden, ""},
		{"negative", "staff", in(5, "-1"), ErrInvalid, "value"},
		{"fraction of a count", "staff", in(5, "1.5"), ErrInvalid, "value"},
		{"exponent", "staff", in(5, "1e3"), ErrInvalid, "value"},
		{"full-width", "staff", in(5, "１２"), ErrInvalid, "value"},
		{"hangul", "staff", in(5, "열"), ErrInvalid, "value"},
		{"empty", "staff", in(5, ""), ErrInvalid, "value"},
		{"huge", "staff", in(5, "100000000000000000000"), ErrInvalid, "value"},
		{"future month", "staff", in(6, "1"), ErrInvalid, "month"},
		{"month 13", "staff", in(13, "1"), ErrInvalid, "month"},
		{"wrong year", "staff", FigureInput{IndicatorID: id, Year: 2025, Month: 5, Value: "1"}, ErrInvalid, "year"},
		{"over twice the target without confirmation", "staff", in(5, "241"), ErrInvalid, PathConfirm},
		{"locked month", "staff", in(3, "1"), ErrLocked, ""},
		{"stale version", "staff", FigureInput{IndicatorID: id, Year: 2026, Month: 5, Value: "1", Version: 3}, ErrConflict, ""},
		{"unknown indicator", "staff", FigureInput{IndicatorID: 999, Year: 2026, Month: 5, Value: "1"}, ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.SaveFigure(ctx, users[tt.user], tt.input)
			if !errors.Is(err, tt.want) {
				t.Fatalf("SaveFigure = %v, want %v", err, tt.want)
			}
			var v *ValidationError
			if tt.field != "" && (!errors.As(err, &v) || v.Problems[0].Path != tt.field) {
				t.Errorf("SaveFigure problems = %v, want one on %s", err, tt.field)
			}
		})
	}
	var n int64
	s.r.Model(&Figure{}).Count(&n)
	if n != 0 {
		t.Errorf("%d figures written by rejected saves", n)
	}
}

func TestFigureWorkflow(t *testing.T) {
	s, c, users, id := entryStore(t)
	ctx := context.Background()
	staff, official := users["staff"], users["official"]
	f, created, err := s.SaveFigure(ctx, staff, FigureInput{IndicatorID: id, Year: 2026, Month: 4, Value: "12", Note: "4월 선발"})
	if err != nil || !created || f.Version != 1 || f.Status != FigureDraft {
		t.Fatalf("first save = %+v, %v, %v", f, created, err)
	}
	if _, err := s.MoveFigure(ctx, staff, id, 2026, 4, 1, Approve, ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff approving = %v, want ErrForbidden", err)
	}
	f, err = s.MoveFigure(ctx, staff, id, 2026, 4, 1, Submit, "")
	if err != nil || f.Status != FigureSubmitted {
		t.Fatalf("submit = %v, %v", f, err)
	}
	if _, err := s.MoveFigure(ctx, official, id, 2026, 4, 2, Return, " "); !errors.Is(err, ErrInvalid) {
		t.Errorf("return without a comment = %v, want ErrInvalid", err)
	}
	f, err = s.MoveFigure(ctx, official, id, 2026, 4, 2, Approve, "")
	if err != nil || f.Status != FigureApproved || f.Approved == nil || *f.Approved != 12 {
		t.Fatalf("approve = %+v, %v", f, err)
	}
	// Editing keeps the approved value public until the new one is approved.
	f, _, err = s.SaveFigure(ctx, staff, FigureInput{IndicatorID: id, Year: 2026, Month: 4, Value: "15", Version: 3})
	if err != nil || *f.Approved != 12 || f.Value != 15 {
		t.Fatalf("edit after approval = %+v, %v", f, err)
	}
	// After the lock (10 May), only an official's unlock opens April again.
	c.t = time.Date(2026, 5, 10, 0, 0, 0, 0, KST)
	_, _, err = s.SaveFigure(ctx, staff, FigureInput{IndicatorID: id, Year: 2026, Month: 4, Value: "16", Version: 4})
	var locked *LockedError
	if !errors.As(err, &locked) || !locked.Since.Equal(time.Date(2026, 5, 10, 0, 0, 0, 0, KST)) {
		t.Fatalf("save after the lock = %v, want LockedError since 10 May", err)
	}
	if err := s.UnlockMonth(ctx, staff, id, 2026, 4, "late"); !errors.Is(err, ErrForbidden) {
		t.Errorf("staff unlock = %v, want ErrForbidden", err)
	}
	if err := s.UnlockMonth(ctx, official, id, 2026, 4, "늦게 온 자료"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SaveFigure(ctx, staff, FigureInput{IndicatorID: id, Year: 2026, Month: 4, Value: "16", Version: 4}); err != nil {
		t.Errorf("save after an unlock = %v", err)
	}
	history, _ := s.FigureHistory(ctx, id)
	var actions []string
	for _, h := range history {
		actions = append(actions, h.Action)
	}
	if got := strings.Join(actions, ","); got != "save,unlock,save,approve,submit,save" {
		t.Errorf("history = %s", got)
	}
	if history[0].OldValue == nil || *history[0].OldValue != 15 || *history[0].NewValue != 16 || history[0].Who != "staff" {
		t.Errorf("last change = %+v, want 15 → 16 by staff", history[0])
	}
}

func TestBatchSaveAndCheck(t *testing.T) {
	s, _, users, id := entryStore(t)
	ctx := context.Background()
	in := func(m int, v string) FigureInput { return FigureInput{IndicatorID: id, Year: 2026, Month: m, Value: v} }
	count := func() (figures, changes int64) {
		s.r.Model(&Figure{}).Count(&figures)
		s.r.Model(&FigureChange{}).Count(&changes)
		return
	}
	batch := []FigureInput{in(4, "3"), in(5, "-1"), in(6, "1")}
	errs, err := s.CheckFigures(ctx, users["staff"], batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || !errors.Is(errs[1], ErrInvalid) || !errors.Is(errs[2], ErrInvalid) {
		t.Errorf("CheckFigures = %v, want the negative (1) and the future month (2) refused", errs)
	}
	_, err = s.SaveFigures(ctx, users["staff"], batch)
	var be *BatchError
	if !errors.As(err, &be) || len(be.Errs) != 2 {
		t.Errorf("SaveFigures = %v, want a BatchError with the same two", err)
	}
	if f, c := count(); f != 0 || c != 0 {
		t.Fatalf("after a check and a refused batch: %d figures, %d changes; want none", f, c)
	}

	good := []FigureInput{in(4, "3"), in(5, "4")}
	if errs, err := s.CheckFigures(ctx, users["staff"], good); err != nil || len(errs) != 0 {
		t.Fatalf("CheckFigures(good) = %v, %v", errs, err)
	}
	if f, c := count(); f != 0 || c != 0 {
		t.Fatalf("a check wrote %d figures and %d changes", f, c)
	}
	if _, err := s.SaveFigures(ctx, users["staff"], good); err != nil {
		t.Fatal(err)
	}
	if f, c := count(); f != 2 || c != 2 {
		t.Errorf("after saving two: %d figures, %d changes; want 2 and 2", f, c)
	}
}

func TestDueFor(t *testing.T) {
	s, _, users, id := entryStore(t) // 5 May 2026, lock day 10
	ctx := context.Background()
	summary := func(dept string) string {
		due, err := s.DueFor(ctx, dept)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, d := range due {
			if d.Indicator.ID != id {
				t.Errorf("due item of indicator %d", d.Indicator.ID)
			}
			mark := ""
			if d.Overdue {
				mark = "!"
			}
			parts = append(parts, fmt.Sprintf("%d%s%s", d.Month, mark, d.Status))
		}
		return strings.Join(parts, " ")
	}
	if got, want := summary("일자리경제과"), "1! 2! 3! 4 5"; got != want {
		t.Errorf("nothing entered: due = %q, want %q", got, want)
	}
	in := func(m int, v string) FigureInput { return FigureInput{IndicatorID: id, Year: 2026, Month: m, Value: v} }
	for _, m := range []int{4, 5} {
		if _, _, err := s.SaveFigure(ctx, users["staff"], in(m, "3")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SubmitMonth(ctx, users["staff"], 2026, "일자리경제과", 4); err != nil {
		t.Fatal(err)
	}
	// April is submitted before its lock: not owed; May is only a draft.
	want := "1! 2! 3! 5draft"
	if got := summary("일자리경제과"); got != want {
		t.Errorf("after saving April and May and submitting April: due = %q, want %q", got, want)
	}
	// An official also sees April, which waits for their approval.
	if got, want := summary(""), "1! 2! 3! 4submitted 5draft"; got != want {
		t.Errorf("an official's list = %q, want %q", got, want)
	}
	if got := summary("복지과"); got != "" {
		t.Errorf("a department without indicators owes %q", got)
	}
}

// TestDueCount checks that the kept count follows every write and the
// change of day in Korea, and matches DueFor.
func TestDueCount(t *testing.T) {
	s, c, users, id := entryStore(t) // 5 May 2026 12:00 KST, lock day 10
	ctx := context.Background()
	count := func(what string, want int) {
		t.Helper()
		n, err := s.DueCount(ctx, "일자리경제과")
		if err != nil {
			t.Fatal(err)
		}
		due, err := s.DueFor(ctx, "일자리경제과")
		if err != nil {
			t.Fatal(err)
		}
		if n != want || n != len(due) {
			t.Errorf("%s: DueCount = %d, DueFor lists %d, want %d", what, n, len(due), want)
		}
	}
	count("nothing entered", 5)
	count("asked again", 5)
	if _, _, err := s.SaveFigure(ctx, users["staff"], FigureInput{IndicatorID: id, Year: 2026, Month: 4, Value: "3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitMonth(ctx, users["staff"], 2026, "일자리경제과", 4); err != nil {
		t.Fatal(err)
	}
	count("April submitted", 4)
	c.t = time.Date(2026, 5, 9, 14, 59, 0, 0, time.UTC) // 9 May 23:59 KST
	count("the day before April locks", 4)
	c.t = time.Date(2026, 5, 9, 15, 0, 0, 0, time.UTC) // 10 May 00:00 KST
	count("April locked without approval", 5)
	c.t = time.Date(2026, 5, 31, 15, 0, 0, 0, time.UTC) // 1 June KST
	count("June opens", 6)
}

// TestMilestoneDoneToday checks that "today" for a done date is the date
// in Korea: at 00:30 KST on 2 March it is still 1 March in UTC.
func TestMilestoneDoneToday(t *testing.T) {
	now := time.Date(2026, 3, 1, 15, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		done string
		ok   bool
	}{{"2026-03-01", true}, {"2026-03-02", true}, {"2026-03-03", false}} {
		in := MilestoneInput{State: MilestoneDone, Done: tt.done, Note: "준공 검사 완료"}
		if err := in.Validate(2026, now); (err == nil) != tt.ok {
			t.Errorf("done %s at 00:30 KST on 2 March: err = %v, want ok=%v", tt.done, err, tt.ok)
		}
	}
}
