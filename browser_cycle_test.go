package main

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jobkpi/models"
)

// TestBrowserPlanCycle walks a plan's yearly cycle in Korean, in a
// database that holds only the 2020 plan: an official makes 2021 from
// 2020, sets a target and publishes it as of 2021-03-30; staff enter
// January to March and the official approves; in July the official
// publishes a 수정공시 that doubles the target from July. March stays 정상
// against the original target, July is measured against the new one, the
// indicator page shows both with the date and the reason, and the public
// plan page lists both versions, ?version=1 showing the 원공시.
//
// A full browser journey: it runs in the full gates of .ci/run
// (JOBKPI_FULL=1), which keeps the plain go test ./... within its time.
func TestBrowserPlanCycle(t *testing.T) {
	if !fullGates() {
		t.Skip("a full browser journey: run with JOBKPI_FULL=1, as .ci/run does")
	}
	browser := newBrowser(t)
	s := newTestServer(t, false)
	ctx := context.Background()
	// The journey makes 2021 from 2020: the shipped 2021 plan goes first.
	db, err := sql.Open("sqlite3", "file:"+s.db+"?_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM plans WHERE year = 2021`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, dept := range []string{"일자리경제과", "노인장애인과"} {
		if err := s.store.AddDepartment(ctx, dept, nil, models.Origin{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.store.SeedDemoAccounts(ctx); err != nil {
		t.Fatal(err)
	}
	var clock atomic.Int64
	at := func(day string) {
		d, err := time.ParseInLocation("2006-01-02 15:04", day, models.KST)
		if err != nil {
			t.Fatal(err)
		}
		clock.Store(d.UnixNano())
	}
	at("2021-04-02 10:00")
	s.store.SetClock(func() time.Time { return time.Unix(0, clock.Load()) })

	// The 2020 plan's 장애인일자리 goes to the staff member's department, so
	// that the copy carries it.
	official := demoUser(t, s, "official")
	plan2020, err := s.store.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	var source *models.Indicator
	for _, tk := range plan2020.Tasks {
		for _, p := range tk.Programs {
			for i := range p.Indicators {
				if p.Indicators[i].Name == "장애인일자리 선발 인원" {
					source = &p.Indicators[i]
					if err := s.store.SetProgramDepartment(ctx, official, p.ID, "일자리경제과", models.Origin{}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	if source == nil {
		t.Fatal("the 2020 plan has no 장애인일자리 선발 인원")
	}
	session := func(login string) context.Context {
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(tab); err != nil {
			t.Fatal(err)
		}
		if login != "" {
			signIn(t, tab, s.URL, login)
		}
		return tab
	}
	text := func(tab context.Context, v *pageVisit, js string) string {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			v.failf(t, tab, "%s: %v", js, err)
		}
		return got
	}
	// every page the cycle adds passes axe and reads at 1280 and 390 px.
	checkPage := func(tab context.Context, v *pageVisit) {
		t.Helper()
		checkAxe(t, tab, v)
		checkLayout(t, tab, v, "at 1280 px")
		if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		checkLayout(t, tab, v, "at 390 px")
		if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
	}
	typeInto := func(tab context.Context, v *pageVisit, sel, value string) {
		t.Helper()
		_, err := chromedp.Run(tab, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { document.querySelector(%q).value = ''; return true; })()`, sel)))
		if err == nil {
			err = chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS(sel), value))
		}
		if err != nil {
			v.failf(t, tab, "type %q into %s: %v", value, sel, err)
		}
	}

	// 1. The official makes 2021 from 2020, sets the target and publishes.
	off := session("official")
	tab, v := visit(t, off, s.URL+"/plans/2020")
	if got := text(tab, v, `document.querySelector('#copy-to').value`); got != "2021" {
		v.failf(t, tab, "the copy form offers %q first, want 2021", got)
	}
	press(t, tab, `.copy-form button[type=submit]`, `document.querySelector('.notice') !== null`)
	if got := text(tab, v, `location.pathname + '|' + document.querySelector('h1').textContent`); got != "/plans/2021/draft|2021년 계획 작성" {
		v.failf(t, tab, "after the copy: %q, want the 2021 draft page", got)
	}
	checkPage(tab, v)
	draft, err := s.store.Plan(ctx, 2021)
	if err != nil {
		t.Fatal(err)
	}
	var ind *models.Indicator
	for _, tk := range draft.Tasks {
		for _, p := range tk.Programs {
			for i := range p.Indicators {
				if p.Indicators[i].CopiedFrom == source.ID {
					ind = &p.Indicators[i]
				}
			}
		}
	}
	if ind == nil {
		t.Fatal("the 2021 draft has no indicator copied from 2020's 장애인일자리 선발 인원")
	}
	const target = 120.0
	typeInto(tab, v, fmt.Sprintf("#target-%d", ind.ID), "120")
	press(t, tab, `form[action$="/targets"] button[type=submit]`, `document.querySelector('.notice') !== null`)
	if got := text(tab, v, `location.search + '|' + document.querySelector('.notice').textContent`); !strings.Contains(got, "?done=targets|목표를 저장했습니다") {
		v.failf(t, tab, "after saving the targets: %q", got)
	}
	// The 공통목표 copied from 2020 are decided one by one, each form
	// reloading the page with one more decided.
	for i := range draft.Outcomes {
		press(t, tab, fmt.Sprintf(`.draft-outcomes li:nth-child(%d) button[type=submit]`, i+1),
			fmt.Sprintf(`document.querySelectorAll('.draft-outcomes .draft-decided').length === %d`, i+1))
	}
	typeInto(tab, v, "#date", "2021-03-30")
	press(t, tab, `form[action$="/publish"] button[type=submit]`, `location.pathname === '/plans/2021'`)
	if got := text(tab, v, `document.getElementById('versions').textContent`); !strings.Contains(got, "2021-03-30 원공시") {
		v.failf(t, tab, "the published plan's history reads %q, want 2021-03-30 원공시", got)
	}

	// 2. Staff enter January to March so that March is on track against
	// 120 and would be behind against 240; January and February had
	// locked before the plan was published, so the official reopens them.
	for _, m := range []int{1, 2} {
		if _, err := s.store.UnlockDepartment(ctx, official, 2021, "일자리경제과", m, "계획 공시 전의 달 입력"); err != nil {
			t.Fatal(err)
		}
	}
	planned := ind.Pacing.Expected(target, 3)
	each := math.Ceil(planned / 3)
	staff := session("staff")
	tab, v = visit(t, staff, s.URL+"/entry/2021")
	for m := 1; m <= 3; m++ {
		typeInto(tab, v, fmt.Sprintf("#v-%d-%d", ind.ID, m), fmt.Sprint(each))
	}
	press(t, tab, `button[name=action][value=save]`, `document.querySelector('.notice') !== null`)
	for m := 1; m <= 3; m++ {
		if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#month"), fmt.Sprint(m))); err != nil {
			t.Fatal(err)
		}
		press(t, tab, `button[name=action][value=submit]`, `document.querySelector('.notice') !== null`)
	}
	tab, v = visit(t, off, s.URL+"/review")
	if _, err := chromedp.Run(tab, chromedp.Evaluate[int](`(() => { const boxes = document.querySelectorAll('input[name=pick]'); boxes.forEach(b => { b.checked = true; }); return boxes.length; })()`)); err != nil {
		t.Fatal(err)
	}
	press(t, tab, `#pick`, `document.querySelector('.notice') !== null`)
	figs, err := s.store.PendingValues(ctx, ind.ID, 2021)
	if err != nil {
		t.Fatal(err)
	}
	for m := 1; m <= 3; m++ {
		if f := figs[m-1]; f != nil {
			t.Fatalf("month %d is still %s after the approval", m, f.Status)
		}
	}

	// 3. In July the official doubles the target from July, with a reason.
	at("2021-07-15 10:00")
	off = session("official")
	indPath := fmt.Sprintf("%s/plans/2021/indicators/%d", s.URL, ind.ID)
	tab, v = visit(t, off, indPath)
	typeInto(tab, v, "#target", "240")
	typeInto(tab, v, "#reason", "하반기 추경으로 선발 인원 두 배 확대")
	press(t, tab, `#target-form button[type=submit]`, `document.querySelector('.notice') !== null`)
	if got := text(tab, v, `location.pathname + '|' + document.querySelector('.notice').textContent`); !strings.HasPrefix(got, "/plans/2021/revision|변경을 수정공시 초안에 담았습니다") {
		v.failf(t, tab, "after adding the change: %q", got)
	}
	checkPage(tab, v)
	if got := text(tab, v, `document.querySelector('#date').value + '|' + document.querySelector('#effective').value`); got != "2021-07-15|2021-07" {
		v.failf(t, tab, "the revision form offers %q, want today and July", got)
	}
	press(t, tab, `form[action="/plans/2021/revision"] button[type=submit]`, `location.pathname === '/plans/2021'`)

	// 4. March is still judged against 120, July against 240, and the
	// indicator page shows both targets with the date and the reason.
	pub := session("")
	status := func(asof int) (string, string) {
		t.Helper()
		tab, v := visit(t, pub, fmt.Sprintf("%s?asof=%d", indPath, asof))
		return text(tab, v, `document.querySelector('.ind-status').textContent`),
			text(tab, v, `document.querySelector('.overall-figures dd').textContent`)
	}
	if st, tg := status(3); !strings.Contains(st, "정상") || !strings.HasPrefix(tg, "120명") {
		t.Errorf("March reads %q with target %q, want 정상 against 120명", st, tg)
	}
	if _, tg := status(7); !strings.HasPrefix(tg, "240명") {
		t.Errorf("July is measured against %q, want 240명", tg)
	}
	tab, v = visit(t, pub, indPath+"?asof=3")
	history := text(tab, v, `document.getElementById('terms').textContent`)
	for _, want := range []string{"원래 목표: 2021-03-30 원공시", "120명", "2021-07-15 1차 수정공시 (7월부터 적용)", "240명", "하반기 추경으로 선발 인원 두 배 확대"} {
		if !strings.Contains(history, want) {
			v.failf(t, tab, "the target history lacks %q: %q", want, history)
		}
	}
	checkPage(tab, v)

	// 5. The public plan page lists both versions; ?version=1 is the 원공시.
	tab, v = visit(t, pub, s.URL+"/plans/2021")
	versions := text(tab, v, `document.getElementById('versions').textContent`)
	for _, want := range []string{"2021-03-30 원공시", "2021-07-15 1차 수정공시 (7월부터 적용)", "120명 → 240명", "하반기 추경으로 선발 인원 두 배 확대"} {
		if !strings.Contains(versions, want) {
			v.failf(t, tab, "the public history lacks %q: %q", want, versions)
		}
	}
	press(t, tab, `.version-list a[href*="version=1"]`, `location.search.includes('version=1')`)
	row := text(tab, v, fmt.Sprintf(`Array.from(document.querySelectorAll('tbody tr')).map(r => r.textContent).find(s => s.includes(%q)) || ''`, ind.Name))
	if !strings.Contains(row, "120명") || strings.Contains(row, "240명") {
		v.failf(t, tab, "?version=1 shows %q for the indicator, want the 원공시's 120명", row)
	}
	checkPage(tab, v)
}

// press presses a button the way the keyboard does (the element's own
// click, which a pointer at the wrong place cannot miss) and waits until
// the next page has loaded and ready holds on it.
func press(t *testing.T, tab context.Context, button, ready string) {
	t.Helper()
	_, err := chromedp.Run(tab, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const b = document.querySelector(%q);
		if (!b) { return false; }
		window.__old = true;
		b.click();
		return true;
	})()`, button)))
	if err != nil {
		t.Fatalf("press %s: %v", button, err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		loaded, err := chromedp.Run(tab, chromedp.Evaluate[bool](`!window.__old && document.readyState === 'complete' && (`+ready+`)`))
		if err == nil && loaded {
			return
		}
	}
	url, _ := chromedp.Run(tab, chromedp.Evaluate[string](`location.href + ' ' + (document.querySelector('.error-summary') || {textContent: ''}).textContent`))
	t.Fatalf("press %s: the next page did not load in 20 s (at %s)", button, url)
}
