package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
)

// TestReviewShowsContext checks that each row of /review carries what an
// official needs to decide: the month before, the total to date if the
// value is approved, the plan to date, and a flag for a value far from the
// usual month, in Korean and in English.
func TestReviewShowsContext(t *testing.T) {
	s := newTestServer(t, true)
	s.store.SetClock(func() time.Time { return time.Date(2026, 6, 5, 12, 0, 0, 0, models.KST) })
	own, _ := entryPlan(t, s, 2026) // flow, 120 명 a year: the plan's step is 10 a month
	staff := s.loginAs(t, "staff")
	official := s.loginAs(t, "official")
	put := func(id uint, month int, value string) {
		t.Helper()
		if a := staff.putFigure(t, fmt.Sprintf("/api/v1/figures/%d/2026/%d", id, month), `{"value": `+value+`, "version": 0}`, ""); a.status != http.StatusCreated {
			t.Fatalf("put %d = %d: %s", month, a.status, a.body)
		}
		if a := staff.post(t, "/entry/2026", url.Values{"action": {"submit"}, "dept": {"일자리경제과"}, "month": {fmt.Sprint(month)}}); a.status != http.StatusSeeOther {
			t.Fatalf("submit %d = %d", month, a.status)
		}
	}
	put(own, 5, "10")
	if a := official.post(t, "/review/approve", url.Values{"pick": {fmt.Sprintf("%d-2026-5-2", own)}}); a.status != http.StatusSeeOther {
		t.Fatalf("approve May = %d: %.300s", a.status, a.body)
	}
	put(own, 6, "40")
	put(own+1, 6, "1") // 12 회 a year: a usual month
	ko := official.get(t, "/review")
	row := tableRow(t, ko.body, "공공근로 선발")
	for _, want := range []string{"40명", "평소와 다름", "평소 한 달 10명", ">10명<", ">50명<", ">60명<"} {
		if !strings.Contains(row, want) {
			t.Errorf("the June row lacks %q: %s", want, row)
		}
	}
	en := official.get(t, "/review?lang=en")
	row = tableRow(t, en.body, "공공근로 선발") // the plan has no English name
	for _, want := range []string{"Month before", "Unusual", "a usual month is 10"} {
		if !strings.Contains(en.body, want) {
			t.Errorf("the English list lacks %q: %s", want, row)
		}
	}
	if row := tableRow(t, ko.body, "공공근로 교육"); strings.Contains(row, "평소와 다름") || !strings.Contains(row, ">1회<") {
		t.Errorf("a usual value is flagged, or the plan to date is missing: %s", row)
	}
}

// tableRow returns the <tr> of a table body that contains text.
func tableRow(t *testing.T, body, text string) string {
	t.Helper()
	i := strings.Index(body, text)
	if i < 0 {
		t.Fatalf("no row with %q", text)
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	if start < 0 || end < 0 {
		t.Fatalf("%q is not in a table row", text)
	}
	return body[start : i+end]
}
