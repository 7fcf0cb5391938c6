package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keyboard drives one tab with the keyboard alone: Tab to move the
// focus, keys to type, Space to tick and Enter to follow a link or send
// a form.
type keyboard struct {
	t   *testing.T
	tab context.Context
	v   *pageVisit
}

// press sends keys to the focused element.
func (k keyboard) press(keys string) {
	k.t.Helper()
	if err := chromedp.Do(k.tab, chromedp.KeyEvent(keys)); err != nil {
		k.v.failf(k.t, k.tab, "press %q: %v", keys, err)
		k.t.FailNow()
	}
}

// focused reports whether the focused element matches the CSS selector.
func (k keyboard) focused(sel string) bool {
	k.t.Helper()
	ok, err := chromedp.Run(k.tab, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel)))
	if err != nil {
		k.t.Fatal(err)
	}
	return ok
}

// tabTo presses Tab until the element sel has the focus.
func (k keyboard) tabTo(sel string) {
	k.t.Helper()
	for range 400 {
		if k.focused(sel) {
			return
		}
		k.press(kb.Tab)
	}
	k.v.failf(k.t, k.tab, "Tab never reached %s", sel)
	k.t.FailNow()
}

// fill tabs to a field and types text into it.
func (k keyboard) fill(sel, text string) {
	k.t.Helper()
	k.tabTo(sel)
	k.press(text)
}

// choose tabs to a select and moves its choice down n times.
func (k keyboard) choose(sel string, n int) {
	k.t.Helper()
	k.tabTo(sel)
	for range n {
		k.press(kb.ArrowDown)
	}
}

// tick tabs to a checkbox and ticks it.
func (k keyboard) tick(sel string) {
	k.t.Helper()
	k.tabTo(sel)
	k.press(" ")
}

// enter tabs to a link or a button, presses Enter and waits until the
// new page has loaded and ready (a script) holds on it.
func (k keyboard) enter(sel, ready string) {
	k.t.Helper()
	k.tabTo(sel)
	if _, err := chromedp.Run(k.tab, chromedp.Evaluate[bool](`window.__old = true`)); err != nil {
		k.t.Fatal(err)
	}
	k.press(kb.Enter)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		loaded, err := chromedp.Run(k.tab, chromedp.Evaluate[bool](`!window.__old && document.readyState === 'complete' && (`+ready+`)`))
		if err == nil && loaded {
			return
		}
	}
	at, _ := chromedp.Run(k.tab, chromedp.Evaluate[string](`location.href + ' ' + (document.querySelector('.error-summary') || {textContent: ''}).textContent`))
	k.v.failf(k.t, k.tab, "Enter on %s: the next page did not load in 20 s (at %s)", sel, at)
	k.t.FailNow()
}

// eval is the text a script gives on the page.
func (k keyboard) eval(js string) string {
	k.t.Helper()
	got, err := chromedp.Run(k.tab, chromedp.Evaluate[string](js))
	if err != nil {
		k.v.failf(k.t, k.tab, "%s: %v", js, err)
	}
	return got
}

// at requires the page's path and heading.
func (k keyboard) at(path, heading string) {
	k.t.Helper()
	got, err := chromedp.Run(k.tab, chromedp.Evaluate[string](`location.pathname + '|' + document.querySelector('h1').textContent.trim()`))
	if err != nil {
		k.t.Fatal(err)
	}
	if got != path+"|"+heading {
		k.v.failf(k.t, k.tab, "at %q, want %q", got, path+"|"+heading)
	}
}

// TestBrowserPlanEditor is the editor's journey, done with the keyboard
// alone: an official starts the 2029 plan, writes two tasks, three
// programmes and four indicators into it, and publishes it from the
// draft page. Every editor page passes axe and reads at 1280 and 390 px,
// a form's refusal too.
//
// A full browser journey: it runs in the full gates of .ci/run
// (JOBKPI_FULL=1), which keeps the plain go test ./... within its time.
func TestBrowserPlanEditor(t *testing.T) {
	if !fullGates() {
		t.Skip("a full browser journey: run with JOBKPI_FULL=1, as .ci/run does")
	}
	browser := newBrowser(t)
	s := newTestServer(t, true)
	base := fmt.Sprintf("/plans/%d/edit", editYear)
	tab, v := visit(t, browser, s.URL+"/login?next="+base)
	k := keyboard{t, tab, v}
	k.fill("#login", "official")
	k.fill("#password", demoPassword(t, "official"))
	k.enter(`main form[method=post] button[type=submit]`, fmt.Sprintf(`location.pathname === %q`, base))
	checkPage := func() {
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
	tree := fmt.Sprintf(`location.pathname === %q`, base)
	saved := tree + ` && document.querySelector('.notice') !== null`
	form := func(path string) string { return fmt.Sprintf(`location.pathname === %q`, path) }
	submit := `main form[method=post] button[type=submit]`

	// The year has no plan: the editor offers to start one, 김포시 filled in.
	k.at(base, "2029년 계획 작성 시작")
	checkPage()
	k.enter(submit, saved)
	k.at(base, "2029년 계획 편집")
	checkPage()

	// Two tasks; the first try forgets the code and is refused.
	k.enter(`a[href="`+base+`/tasks/new"]`, form(base+"/tasks/new"))
	k.fill("#name", "일자리 인프라")
	k.enter(submit, `document.querySelector('.error-summary') !== null`)
	checkPage()
	k.fill("#code", "T1")
	k.enter(submit, saved)
	k.enter(`a[href="`+base+`/tasks/new"]`, form(base+"/tasks/new"))
	k.fill("#code", "T2")
	k.fill("#name", "공공 일자리")
	k.enter(submit, saved)

	// Three programmes: one under T1, two under T2.
	plan := loadPlan(t, s, editYear)
	addProgram := func(task uint, name, dept string, field int, group string, budget string) {
		t.Helper()
		path := fmt.Sprintf("%s/tasks/%d/programs/new", base, task)
		k.enter(`a[href="`+path+`"]`, form(path))
		k.fill("#name", name)
		k.fill("#department", dept)
		k.choose("#field", field)
		if group != "" {
			k.tick("#group-" + group)
		}
		if budget != "" {
			k.fill("#budget_city", budget)
		}
		k.enter(submit, saved)
	}
	addProgram(plan.Tasks[0].ID, "청년 취업 지원", "일자리경제과", 3, "youth", "1200")
	checkPage()
	addProgram(plan.Tasks[1].ID, "노인 일자리", "노인장애인과", 1, "senior", "5000")
	addProgram(plan.Tasks[1].ID, "공공근로", "일자리경제과", 0, "", "")

	// Four indicators: two of the youth programme, one each of the others.
	plan = loadPlan(t, s, editYear)
	addIndicator := func(prog uint, name, unit string, kind, basis int, target, due string, check bool) {
		t.Helper()
		path := fmt.Sprintf("%s/programs/%d/indicators/new", base, prog)
		k.enter(`a[href="`+path+`"]`, form(path))
		k.fill("#name", name)
		k.choose("#kind", kind)
		if unit != "" {
			k.fill("#unit", unit)
		}
		k.choose("#basis", basis)
		if target != "" {
			k.fill("#target", target)
		}
		if due != "" {
			k.fill("#due", due)
		}
		if check {
			checkPage()
		}
		k.enter(submit, saved)
	}
	youth := plan.Tasks[0].Programs[0].ID
	addIndicator(youth, "청년 취업자 수", "명", 0, 1, "300", "", true)
	addIndicator(youth, "상담 건수", "건", 0, 0, "1000", "", false)
	addIndicator(plan.Tasks[1].Programs[0].ID, "노인 일자리 참여자", "명", 1, 2, "2500", "", false)
	addIndicator(plan.Tasks[1].Programs[1].ID, "공공근로 착수", "", 2, 0, "", "2029-03-31", false)
	checkPage()

	plan = loadPlan(t, s, editYear)
	var got []string
	for _, tk := range plan.Tasks {
		for _, p := range tk.Programs {
			for _, ind := range p.Indicators {
				got = append(got, fmt.Sprintf("%s/%s/%s %s %s %s %v", tk.Code, p.Name, ind.Name, ind.Kind, ind.Unit, ind.Basis, ind.Target))
			}
		}
	}
	want := []string{
		"T1/청년 취업 지원/청년 취업자 수 flow 명 people 300",
		"T1/청년 취업 지원/상담 건수 flow 건  1000",
		"T2/노인 일자리/노인 일자리 참여자 stock 명 visits 2500",
		"T2/공공근로/공공근로 착수 milestone   1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		v.failf(t, tab, "the plan written with the keyboard:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := plan.Tasks[0].Programs[0]; p.Department != "일자리경제과" || p.Field != "service" || p.Groups != "youth" || p.Budget.Text() != `{"city":1200}` {
		v.failf(t, tab, "청년 취업 지원 = %s %s %s %s", p.Department, p.Field, p.Groups, p.Budget.Text())
	}
	if due := plan.Tasks[1].Programs[1].Indicators[0].DueDate; due == nil || due.Format(time.DateOnly) != "2029-03-31" {
		v.failf(t, tab, "공공근로 착수 is due %v, want 2029-03-31", due)
	}

	// The removal page, then back; then publish from the draft page.
	k.enter(fmt.Sprintf(`a[href="%s/remove?id=%d&record=indicators"]`, base, plan.Tasks[0].Programs[0].Indicators[1].ID), form(base+"/remove"))
	checkPage()
	k.enter(`a[href^="`+base+`#"]`, tree)
	k.enter(fmt.Sprintf(`a[href="/plans/%d/draft"]`, editYear), form(fmt.Sprintf("/plans/%d/draft", editYear)))
	checkPage()
	k.enter(fmt.Sprintf(`form[action="/plans/%d/publish"] button[type=submit]`, editYear), form(fmt.Sprintf("/plans/%d", editYear)))
	if plan := loadPlan(t, s, editYear); !plan.Published() || plan.Latest() == nil || plan.Latest().Number != 1 {
		v.failf(t, tab, "the 2029 plan is not published as its 원공시 after the publish form")
	}
}
