package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
)

// TestSpendingFlow enters a programme's spending to date through the grid
// like any figure: saved, submitted, approved by an official, then locked
// after the lock day, with every step in its history. Spending above the
// budget needs a confirmation and a note, and 집행률 sets the approved
// spending against the budget on the pages and in the API.
func TestSpendingFlow(t *testing.T) {
	s := newTestServer(t, true)
	s.store.SetClock(func() time.Time { return time.Date(2026, 6, 5, 12, 0, 0, 0, models.KST) })
	own, _ := entryPlan(t, s, 2026)
	spend := budgetedSpending(t, s, own, `{"national":40,"city":60}`) // 100 백만원
	staff := s.loginAs(t, "staff")
	official := s.loginAs(t, "official")

	grid := staff.get(t, "/entry/2026")
	if !strings.Contains(grid.body, fmt.Sprintf(`id="v-%d-5"`, spend)) || !strings.Contains(grid.body, "공공근로 집행액") {
		t.Fatalf("the grid has no spending row for the programme")
	}
	if a := staff.post(t, "/entry/2026", gridForm(spend, 5, "120", "", 0, "", "")); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, "예산 100백만원을 넘습니다") {
		t.Errorf("spending above the budget without confirmation = %d, want 422 saying it is above the budget", a.status)
	}
	if f, err := s.store.Figure(t.Context(), spend, 2026, 5); err == nil {
		t.Errorf("a refused value was stored: %+v", f)
	}
	if a := staff.post(t, "/entry/2026", gridForm(spend, 5, "35.5", "", 0, "", "")); a.status != http.StatusSeeOther {
		t.Fatalf("save spending = %d: %.300s", a.status, a.body)
	}
	if a := staff.post(t, "/entry/2026", url.Values{"action": {"submit"}, "dept": {"일자리경제과"}, "month": {"5"}}); a.status != http.StatusSeeOther {
		t.Fatalf("submit May = %d", a.status)
	}
	f, err := s.store.Figure(t.Context(), spend, 2026, 5)
	if err != nil || f.Status != models.FigureSubmitted {
		t.Fatalf("the spending after submit = %+v, %v; want submitted", f, err)
	}
	if review := official.get(t, "/review"); !strings.Contains(review.body, "공공근로 집행액") {
		t.Error("the submitted spending does not wait on /review")
	}
	if a := official.post(t, "/review/approve", url.Values{"pick": {fmt.Sprintf("%d-2026-5-%d", spend, f.Version)}}); a.status != http.StatusSeeOther {
		t.Fatalf("approve = %d: %.300s", a.status, a.body)
	}

	// 집행률: 35.5 of 100 in the API and on the task page, as of May.
	_, _, body := s.get(t, "/api/v1/plans/2026?asof=5")
	var plan struct {
		Programs []struct {
			ID         uint `json:"id"`
			SpendingID uint `json:"spending_indicator_id"`
			Execution  struct {
				Budget, Spent, Rate *float64
			} `json:"execution"`
		} `json:"programs"`
	}
	if err := json.Unmarshal([]byte(body), &plan); err != nil {
		t.Fatal(err)
	}
	e := plan.Programs[0].Execution
	if plan.Programs[0].SpendingID != spend || e.Budget == nil || *e.Budget != 100 || e.Spent == nil || *e.Spent != 35.5 || e.Rate == nil || *e.Rate != 0.355 {
		t.Errorf("the programme's execution = %s, want budget 100, spent 35.5, rate 0.355", body)
	}
	if task := s.newClient(t).get(t, "/plans/2026/tasks/T1?asof=5"); !strings.Contains(task.body, "35.5%") || !strings.Contains(task.body, "<dd>35.5") {
		t.Errorf("the task page does not show the spending 35.5 and 집행률 35.5%%")
	}

	// Above the budget with the confirmation and a note: accepted.
	put := staff.putFigure(t, fmt.Sprintf("/api/v1/figures/%d/2026/6", spend), `{"value": 101, "version": 0, "confirm": true, "note": "추경 전 선집행"}`, "")
	if put.status != http.StatusCreated {
		t.Errorf("confirmed spending above the budget = %d: %s", put.status, put.body)
	}

	// After the lock day May is closed to staff, like any figure.
	s.store.SetClock(func() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, models.KST) })
	staff, official = s.loginAs(t, "staff"), s.loginAs(t, "official")
	locked := staff.putFigure(t, fmt.Sprintf("/api/v1/figures/%d/2026/5", spend), `{"value": 40, "version": 2}`, "")
	if locked.status != http.StatusLocked {
		t.Errorf("spending in a locked month = %d, want 423", locked.status)
	}
	hist, err := s.store.FigureHistory(t.Context(), spend)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, h := range hist {
		actions = append(actions, h.Action)
	}
	if got := strings.Join(actions, ","); !strings.Contains(got, "save") || !strings.Contains(got, "submit") || !strings.Contains(got, "approve") {
		t.Errorf("the spending's history = %s, want save, submit and approve", got)
	}
	if page := official.get(t, fmt.Sprintf("/plans/2026/indicators/%d/history", spend)); page.status != http.StatusOK || !strings.Contains(page.body, "35.5") {
		t.Errorf("the spending's history page = %d, want 200 with the value", page.status)
	}
}
