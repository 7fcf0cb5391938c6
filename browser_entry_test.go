package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"jobkpi/models"
)

// TestBrowserEntryApproval has a staff member type a month's value into
// the grid with the keyboard, save and submit it, an official approve it,
// and then the public dashboard show it.
func TestBrowserEntryApproval(t *testing.T) {
	parallelShort(t)
	browser := newBrowser(t)
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, _ := entryPlan(t, s, year)
	session := func(login string) context.Context {
		own, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(own); err != nil {
			t.Fatal(err)
		}
		signIn(t, own, s.URL, login)
		return own
	}
	staff := session("staff")
	tab, v := visit(t, staff, fmt.Sprintf("%s/entry/%d", s.URL, year))
	checkAxe(t, tab, v)
	input := fmt.Sprintf("#v-%d-%d", own, month)
	err := chromedp.Do(tab,
		chromedp.Focus(chromedp.CSS(input)),
		chromedp.SendKeys(chromedp.CSS(input), "42"),
		chromedp.KeyEvent("\r"), // Enter moves on instead of submitting
	)
	if err != nil {
		t.Fatal(err)
	}
	// Enter moves down to the next indicator's cell without submitting;
	// ArrowUp comes back.
	below := fmt.Sprintf("v-%d-%d", own+1, month)
	where, err := chromedp.Run(tab, chromedp.Evaluate[string](`location.search + '|' + document.activeElement.id`))
	if err != nil || where != "|"+below {
		t.Errorf("after Enter: %q, want no submission and focus on %s", where, below)
	}
	chromedp.Do(tab, chromedp.KeyEvent(kb.ArrowUp))
	if where, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.activeElement.id`)); where != strings.TrimPrefix(input, "#") {
		t.Errorf("after ArrowUp: focus on %q, want %s", where, input)
	}
	// The programme's spending to date is a row of the same grid.
	spending := fmt.Sprintf("#v-%d-%d", spendingOf(t, s, year, own), month)
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS(spending), "7.5")); err != nil {
		v.failf(t, tab, "type the spending: %v", err)
	}
	clickAndLoad(t, tab, `button[name=action][value=save]`)
	if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#month"), fmt.Sprint(month))); err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, tab, `button[name=action][value=submit]`)
	status, _ := chromedp.Run(tab, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById('s-%d-%d').textContent`, own, month)))
	if !strings.Contains(status, "제출됨") {
		t.Errorf("cell status after submit = %q, want 제출됨", status)
	}
	// On a phone-wide screen the grid opens scrolled to the first open
	// month (the one still due when two are open, early in a month),
	// clear of the sticky indicator names.
	phone, v := visit(t, staff, fmt.Sprintf("%s/entry/%d", s.URL, year))
	err = chromedp.Do(phone, chromedp.EmulateViewport(390, 900), chromedp.Reload())
	if err != nil {
		t.Fatal(err)
	}
	inView, err := chromedp.Run(phone, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const cell = document.querySelector('#entry-form input.cell-input').closest('td').getBoundingClientRect();
		const wrap = document.querySelector('.krds-table-wrap').getBoundingClientRect();
		const head = document.querySelector('.krds-table-wrap th[scope=row]').getBoundingClientRect();
		return cell.width > 0 && cell.left >= head.right && cell.right <= wrap.right;
	})()`)))
	if err != nil || !inView {
		v.failf(t, phone, "at 390 px the open month's cell is not in view: %v", err)
	}
	for _, path := range []string{"/my", fmt.Sprintf("/plans/%d/indicators/%d/history", year, own)} {
		ptab, pv := visit(t, staff, s.URL+path)
		checkAxe(t, ptab, pv)
	}

	official := session("official")
	rtab, rv := visit(t, official, s.URL+"/review")
	checkAxe(t, rtab, rv)
	// "Select all" appears with the script and ticks every row.
	err = chromedp.Do(rtab, chromedp.Click(chromedp.CSS("#pick-all")))
	ticked, _ := chromedp.Run(rtab, chromedp.Evaluate[bool](`[...document.querySelectorAll('input[name=pick]')].every(b => b.checked)`))
	if err != nil || !ticked {
		rv.failf(t, rtab, "select all did not tick every row: %v", err)
	}
	clickAndLoad(t, rtab, `#pick`) // approve every ticked value: the figure and the spending

	public, pv := visit(t, browser, s.URL+"/")
	text, err := chromedp.Run(public, chromedp.Evaluate[string](`document.querySelector('.kpi-card').textContent`))
	if err != nil || !strings.Contains(text, "42명") {
		pv.failf(t, public, "the public dashboard's headline card does not show 42명: %q %v", text, err)
	}
	// The approved spending shows on the public task page, with no budget
	// to set it against.
	task, tv := visit(t, browser, fmt.Sprintf("%s/plans/%d/tasks/T1?asof=%d", s.URL, year, month))
	facts, err := chromedp.Run(task, chromedp.Evaluate[string](`document.querySelector('.program-facts').textContent`))
	if err != nil || !strings.Contains(facts, "7.5") || !strings.Contains(facts, "예산 없음") {
		tv.failf(t, task, "the task page does not show the approved spending 7.5 with 예산 없음: %q %v", facts, err)
	}
}

// spendingOf is the spending indicator of indicator ind's programme.
func spendingOf(t testing.TB, s *testServer, year int, ind uint) uint {
	t.Helper()
	if p := programOf(t, s, year, ind); p.Spending != nil {
		return p.Spending.ID
	}
	t.Fatalf("the programme of indicator %d has no spending", ind)
	return 0
}

// TestBrowserEntryNotes types a value over twice the target with a note:
// the page that asks for the confirmation still holds the note; once
// saved, the note box shows the stored note, and changing the value
// without touching the box keeps it.
func TestBrowserEntryNotes(t *testing.T) {
	parallelShort(t)
	browser := newBrowser(t)
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, _ := entryPlan(t, s, year)
	staff, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(staff); err != nil {
		t.Fatal(err)
	}
	signIn(t, staff, s.URL, "staff")
	tab, v := visit(t, staff, fmt.Sprintf("%s/entry/%d", s.URL, year))
	cell, note := fmt.Sprintf("#v-%d-%d", own, month), fmt.Sprintf("#note-%d", own)
	noteValue := func() string {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).value`, note)))
		if err != nil {
			v.failf(t, tab, "read the note box: %v", err)
		}
		return got
	}
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS(cell), "300"), chromedp.SendKeys(chromedp.CSS(note), "행사 특별 채용")); err != nil {
		t.Fatal(err)
	}
	clickUntil(t, tab, `button[name=action][value=save]`, `document.getElementById('error-summary') !== null`)
	if got := noteValue(); got != "행사 특별 채용" {
		v.failf(t, tab, "the page asking for the confirmation shows the note %q, want the one typed", got)
	}
	checkAxe(t, tab, v)
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="c-%d-%d"]`, own, month)))); err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, tab, `button[name=action][value=save]`)
	if got := noteValue(); got != "행사 특별 채용" {
		v.failf(t, tab, "after saving, the note box shows %q, want the stored note", got)
	}
	if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS(cell), "7")); err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, tab, `button[name=action][value=save]`)
	if f, err := s.store.Figure(t.Context(), own, year, month); err != nil || f.Value != 7 || f.Note != "행사 특별 채용" {
		v.failf(t, tab, "after changing the value alone: %+v, %v; want 7 with the note kept", f, err)
	}
}

// clickUntil clicks button and waits for the next page, known by the
// script expression ready. It marks the old document first, so that
// nothing left on the old page is taken for the answer; a check that meets
// the navigation itself is tried again.
func clickUntil(t *testing.T, tab context.Context, button, ready string) {
	t.Helper()
	_, err := chromedp.Run(tab, chromedp.Evaluate[bool](`window.__old = true`))
	if err == nil {
		err = chromedp.Do(tab, chromedp.Click(chromedp.CSS(button)))
	}
	if err != nil {
		t.Fatalf("click %s: %v", button, err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		loaded, err := chromedp.Run(tab, chromedp.Evaluate[bool](`!window.__old && document.readyState === 'complete' && (`+ready+`)`))
		if err == nil && loaded {
			return
		}
	}
	t.Fatalf("click %s: the next page did not load in 20 s", button)
}
