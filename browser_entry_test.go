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
	clickAndLoad(t, tab, `button[name=action][value=save]`)
	if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#month"), fmt.Sprint(month))); err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, tab, `button[name=action][value=submit]`)
	status, _ := chromedp.Run(tab, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById('s-%d-%d').textContent`, own, month)))
	if !strings.Contains(status, "제출됨") {
		t.Errorf("cell status after submit = %q, want 제출됨", status)
	}
	// On a phone-wide screen the grid opens scrolled to the open month,
	// clear of the sticky indicator names.
	phone, v := visit(t, staff, fmt.Sprintf("%s/entry/%d", s.URL, year))
	err = chromedp.Do(phone, chromedp.EmulateViewport(390, 900), chromedp.Reload())
	if err != nil {
		t.Fatal(err)
	}
	inView, err := chromedp.Run(phone, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const cell = document.getElementById('v-%d-%d').getBoundingClientRect();
		const wrap = document.querySelector('.krds-table-wrap').getBoundingClientRect();
		const head = document.querySelector('.krds-table-wrap th[scope=row]').getBoundingClientRect();
		return cell.width > 0 && cell.left >= head.right && cell.right <= wrap.right;
	})()`, own+1, month)))
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
	clickAndLoad(t, rtab, `button[name=action][value=approve]`)

	public, pv := visit(t, browser, s.URL+"/")
	text, err := chromedp.Run(public, chromedp.Evaluate[string](`document.querySelector('.kpi-card').textContent`))
	if err != nil || !strings.Contains(text, "42명") {
		pv.failf(t, public, "the public dashboard's headline card does not show 42명: %q %v", text, err)
	}
}
