package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jobkpi/models"
)

// TestBrowserDemo walks the demo as a newcomer would on the day it runs,
// with the real clock: staff sign in, open the entry grid, which goes to
// the current year's sample plan, type a value into the current month's
// cell of one of their indicators and save it; the value is there after
// the page is loaded again.
func TestBrowserDemo(t *testing.T) {
	parallelShort(t)
	browser := newBrowser(t)
	s := newTestServerWith(t, config{demo: true, public: true})
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())

	staff, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(staff); err != nil {
		t.Fatal(err)
	}
	signIn(t, staff, s.URL, "staff")
	tab, v := visit(t, staff, s.URL+"/entry")
	if path, err := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname`)); err != nil || path != fmt.Sprintf("/entry/%d", year) {
		v.failf(t, tab, "/entry went to %q (%v), want the grid of %d, the current year", path, err, year)
	}
	cells, err := chromedp.Run(tab, chromedp.Evaluate[[]string](fmt.Sprintf(
		`[...document.querySelectorAll('input.cell-input')].map(n => n.id).filter(id => id.endsWith('-%d'))`, month)))
	if err != nil || len(cells) == 0 {
		v.failf(t, tab, "the grid of %d has no open cell of month %d for staff (%v)", year, month, err)
		t.FailNow()
	}
	var id uint
	if _, err := fmt.Sscanf(cells[0], "v-%d-", &id); err != nil {
		t.Fatalf("cell id %q: %v", cells[0], err)
	}
	if dept := indicatorDepartment(t, s, year, id); dept != "일자리경제과" {
		t.Errorf("the open cell %s is of an indicator of %q, want one of staff's 일자리경제과", cells[0], dept)
	}

	cell := "#" + cells[0]
	if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS(cell)), chromedp.SendKeys(chromedp.CSS(cell), "37")); err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, tab, `button[name=action][value=save]`)
	notice, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector('.notice').textContent`))
	if err != nil || !strings.Contains(notice, "임시 저장했습니다") {
		v.failf(t, tab, "after saving, the notice says %q (%v), want 임시 저장했습니다", notice, err)
	}

	again, av := visit(t, staff, s.URL+"/entry")
	got, err := chromedp.Run(again, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).value`, cell)))
	if err != nil || got != "37" {
		av.failf(t, again, "the grid loaded again shows %q in %s (%v), want the saved 37", got, cell, err)
	}
	if f, err := s.store.Figure(t.Context(), id, year, month); err != nil || f == nil || f.Value != 37 || f.Status != models.FigureDraft || f.UpdatedBy != "staff" {
		t.Errorf("stored figure %+v, %v; want 37, a draft by staff", f, err)
	}
}

// indicatorDepartment is the department of the programme of indicator id
// in the plan of year.
func indicatorDepartment(t *testing.T, s *testServer, year int, id uint) string {
	t.Helper()
	return programOf(t, s, year, id).Department
}

// programOf is the programme of a plan year that indicator id (one of its
// indicators or its spending) belongs to.
func programOf(t testing.TB, s *testServer, year int, id uint) *models.Program {
	t.Helper()
	plan, err := s.store.Plan(context.Background(), year)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range plan.Tasks {
		for _, p := range task.Programs {
			for _, ind := range p.Indicators {
				if ind.ID == id {
					return &p
				}
			}
			if p.Spending != nil && p.Spending.ID == id {
				return &p
			}
		}
	}
	t.Fatalf("indicator %d is not in the plan of %d", id, year)
	return nil
}
