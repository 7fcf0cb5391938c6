package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestBrowserPlanUpload is the plan spreadsheet's journey in Chromium: an
// official uploads the 2020 plan with one target changed, reads the
// preview, gives a reason and saves it into the draft revision; a sheet
// with a formula gets its problems by sheet, row and column. The form,
// the preview and the problems pass axe and read at 1280 and 390 px.
//
// A full browser journey: it runs in the full gates of .ci/run.
func TestBrowserPlanUpload(t *testing.T) {
	if !fullGates() {
		t.Skip("a full browser journey: run with JOBKPI_FULL=1, as .ci/run does")
	}
	browser := newBrowser(t)
	s := newTestServer(t, true)
	sheet := s.loginAs(t, "official").get(t, "/plans/2020/plan.xlsx").body
	dir := t.TempDir()
	write := func(name, how string) string {
		t.Helper()
		f, err := excelize.OpenReader(strings.NewReader(sheet))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("지표")
		col := sheetColumn(t, f, "지표", "목표", "목표 근거")
		for r, row := range rows {
			if col-1 < len(row) && row[col-1] == "170" {
				cell, _ := excelize.CoordinatesToCellName(col, r+1)
				if how == "formula" {
					f.SetCellFormula("지표", cell, "=170+10")
				} else {
					f.SetCellValue("지표", cell, 180)
				}
			}
		}
		path := filepath.Join(dir, name)
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	changed, formula := write("plan-2020.xlsx", "value"), write("formula.xlsx", "formula")

	form := "/plans/2020/plan-upload"
	tab, v := visit(t, browser, s.URL+"/login?next="+form)
	k := keyboard{t, tab, v}
	k.fill("#login", "official")
	k.fill("#password", demoPassword(t, "official"))
	k.enter(`main form[method=post] button[type=submit]`, `location.pathname === '`+form+`'`)
	checkPage := func(what string) {
		t.Helper()
		checkAxe(t, tab, v)
		checkLayout(t, tab, v, what+" at 1280 px")
		if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		checkLayout(t, tab, v, what+" at 390 px")
		if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
	}
	checkPage("the form")
	upload := func(file, ready string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.SetUploadFiles("#file", []string{file})); err != nil {
			t.Fatal(err)
		}
		k.enter(`form[enctype] button[type=submit]`, ready)
	}

	upload(formula, `document.querySelector('.upload-problems') !== null`)
	if got := k.eval(`document.querySelector('.upload-problems tbody').textContent`); !strings.Contains(got, "지표") || !strings.Contains(got, "수식") {
		v.failf(t, tab, "the problems do not name the sheet and the formula: %q", got)
	}
	checkPage("the problems")

	if err := chromedp.Do(tab, chromedp.Navigate(s.URL+form)); err != nil {
		t.Fatal(err)
	}
	upload(changed, `document.querySelector('.plan-deltas') !== null`)
	if n := k.eval(`String(document.querySelectorAll('.plan-deltas tbody tr').length)`); n != "1" {
		v.failf(t, tab, "the preview lists %s changes, want 1", n)
	}
	checkPage("the preview")
	k.fill("#reason-all", "추경 반영")
	k.enter(`button[value=commit]`, `location.pathname === '/plans/2020/revision'`)
	if got := k.eval(`document.querySelector('main').textContent`); !strings.Contains(got, "180") || !strings.Contains(got, "추경 반영") {
		v.failf(t, tab, "the draft revision does not hold 170 → 180 with its reason")
	}
	os.Remove(changed)
}
