package main

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
)

// TestEntryFlow goes through the grid as staff and official: save drafts,
// see field errors, submit a month, return it, submit again, approve, and
// find the value on the public API.
func TestEntryFlow(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, other := entryPlan(t, s, year)
	staff := s.loginAs(t, "staff")
	grid := fmt.Sprintf("/entry/%d", year)
	cell := func(id uint, m int) string { return fmt.Sprintf("%d-%d", id, m) }

	a := staff.get(t, grid)
	if a.status != http.StatusOK || !strings.Contains(a.body, `id="v-`+cell(own, month)+`"`) || strings.Contains(a.body, `id="v-`+cell(other, month)+`"`) {
		t.Fatalf("grid = %d; want own department's cell and not the other's", a.status)
	}
	owed := badge(t, a.body)
	if owed < 1 {
		t.Errorf("the header badge does not count this month, which is owed")
	}
	if month < 12 && strings.Contains(a.body, `id="v-`+cell(own, month+1)+`"`) {
		t.Error("the grid offers an input for a future month")
	}
	// A fraction for a count unit: 422, the error next to its cell, nothing
	// saved.
	save := func(value, orig, version, note string, confirm bool) answer {
		form := url.Values{"action": {"save"}, "dept": {"일자리경제과"}, "v-" + cell(own, month): {value},
			"o-" + cell(own, month): {orig}, "ver-" + cell(own, month): {version}, fmt.Sprintf("note-%d", own): {note}}
		if confirm {
			form.Set("c-"+cell(own, month), "1")
		}
		return staff.post(t, grid, form)
	}
	a = save("1.5", "", "0", "", false)
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `id="e-`+cell(own, month)+`"`) || !strings.Contains(a.body, "정수만") {
		t.Fatalf("a fraction = %d; want 422 with the error next to the cell", a.status)
	}
	// The same problem on the English page is in English.
	en := staff.post(t, grid+"?lang=en", url.Values{"action": {"save"}, "dept": {"일자리경제과"}, "v-" + cell(own, month): {"1.5"},
		"o-" + cell(own, month): {""}, "ver-" + cell(own, month): {"0"}})
	if en.status != http.StatusUnprocessableEntity || !strings.Contains(en.body, "takes whole numbers only") || strings.Contains(en.body, "정수만") {
		t.Errorf("a fraction on the English grid = %d; want the problem in English", en.status)
	}
	if _, err := s.store.Figure(t.Context(), own, year, month); err == nil {
		t.Error("a refused save stored a value")
	}
	// Over twice the target needs the confirmation and a note.
	if a := save("300", "", "0", "", false); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `name="c-`+cell(own, month)+`"`) {
		t.Errorf("a value over twice the target = %d; want 422 offering a confirmation", a.status)
	}
	if a := save("300", "", "0", "", true); a.status != http.StatusUnprocessableEntity {
		t.Errorf("confirmed without a note = %d, want 422", a.status)
	}
	if a := save("300", "", "0", "행사 특별 채용", true); a.status != http.StatusSeeOther {
		t.Fatalf("confirmed with a note = %d: %.300s", a.status, a.body)
	}
	// A stale version (another tab) gets the conflict next to the cell.
	if a := save("8", "", "0", "", false); a.status != http.StatusConflict || !strings.Contains(a.body, `name="ow-`+cell(own, month)+`"`) {
		t.Errorf("a stale save = %d; want 409 offering to overwrite", a.status)
	}
	if a := save("7", "300", "1", "11월 선발", false); a.status != http.StatusSeeOther {
		t.Fatalf("save = %d: %.300s", a.status, a.body)
	}
	if a := staff.post(t, grid, url.Values{"action": {"submit"}, "dept": {"일자리경제과"}, "month": {fmt.Sprint(month)}}); a.status != http.StatusSeeOther {
		t.Fatalf("submit = %d: %.300s", a.status, a.body)
	}
	if n := badge(t, staff.get(t, "/my").body); n != owed-1 {
		t.Errorf("the header badge says %d months owed after submitting one of %d", n, owed)
	}
	// The draft disclosure counts the submitted value; the published
	// report does not, and says where the draft is.
	council := s.loginAs(t, "council")
	report := fmt.Sprintf("/reports/%d?asof=%d", year, month)
	published, draft := council.get(t, report), council.get(t, report+"&draft=1")
	if published.status != http.StatusOK || draft.status != http.StatusOK {
		t.Fatalf("report = %d, draft = %d", published.status, draft.status)
	}
	if !strings.Contains(draft.body, "공시 초안") || !strings.Contains(draft.body, "<td>7명</td>") || strings.Contains(published.body, "<td>7명</td>") ||
		!strings.Contains(published.body, "draft=1") {
		t.Errorf("the draft report does not count the submitted 7명, or the published one does")
	}
	if !strings.Contains(draft.body, `<input type="hidden" name="draft" value="1">`) || !strings.Contains(draft.body, "draft=1&amp;lang=en") {
		t.Errorf("the draft report's month form or language switch drops draft=1")
	}
	if !strings.Contains(draft.body, "승인되었거나 제출된 실적으로") || !strings.Contains(published.body, "승인된 실적으로 계산합니다") {
		t.Errorf("the month hint does not say what each report counts")
	}
	if a := council.get(t, report+"&draft=yes"); a.status != http.StatusBadRequest || !strings.Contains(a.body, "draft=1") {
		t.Errorf("draft=yes = %d, want 400 saying what draft takes", a.status)
	}
	official := s.loginAs(t, "official")
	// An official starts on their own department's grid and may switch.
	if a := official.get(t, grid); !strings.Contains(a.body, "실적 입력: 일자리경제과") {
		t.Errorf("the official's grid does not open on their own department")
	}
	if a := official.get(t, grid+"?dept="+url.QueryEscape("노인장애인과")); !strings.Contains(a.body, "실적 입력: 노인장애인과") {
		t.Errorf("the official cannot switch department")
	}
	review := official.get(t, "/review")
	if !strings.Contains(review.body, "공공근로 선발") {
		t.Fatalf("the submitted value is not on /review")
	}
	f, _ := s.store.Figure(t.Context(), own, year, month)
	decide := func(action, comment string, version int) answer {
		return official.post(t, "/review", url.Values{"id": {fmt.Sprint(own)}, "year": {fmt.Sprint(year)}, "month": {fmt.Sprint(month)},
			"version": {fmt.Sprint(version)}, "action": {action}, "comment": {comment}})
	}
	if a := decide("return", "", f.Version); a.status != http.StatusUnprocessableEntity {
		t.Errorf("return without a reason = %d, want 422", a.status)
	}
	if a := decide("return", "증빙 첨부 필요", f.Version); a.status != http.StatusSeeOther {
		t.Fatalf("return = %d", a.status)
	}
	if a := staff.get(t, grid); !strings.Contains(a.body, "증빙 첨부 필요") {
		t.Error("the staff grid does not show the return comment")
	}
	staff.post(t, grid, url.Values{"action": {"submit"}, "dept": {"일자리경제과"}, "month": {fmt.Sprint(month)}})
	f, _ = s.store.Figure(t.Context(), own, year, month)
	if a := decide("approve", "", f.Version-1); a.status != http.StatusConflict {
		t.Errorf("approve with a stale version = %d, want 409", a.status)
	}
	if a := decide("approve", "", f.Version); a.status != http.StatusSeeOther {
		t.Fatalf("approve = %d", a.status)
	}
	_, _, body := s.get(t, fmt.Sprintf("/api/v1/plans/%d?asof=%d", year, month))
	if !strings.Contains(body, `"value":7`) {
		t.Errorf("the approved value is not public: %.300s", body)
	}
	history := official.get(t, fmt.Sprintf("/plans/%d/indicators/%d/history.csv", year, own))
	if history.status != http.StatusOK || strings.Count(history.body, "\n") != 7 {
		t.Errorf("history CSV = %d with %d lines, want a header and 6 changes: %s", history.status, strings.Count(history.body, "\n"), history.body)
	}
	// Times are shown as Korea's clock reads, on the page and in the CSV.
	changes, err := s.store.FigureHistory(t.Context(), own)
	if err != nil || len(changes) == 0 {
		t.Fatalf("history: %v", err)
	}
	at := changes[0].At.In(models.KST)
	page := official.get(t, fmt.Sprintf("/plans/%d/indicators/%d/history", year, own))
	// html/template writes the offset's "+" as &#43; inside an attribute.
	stamp := `datetime="` + strings.ReplaceAll(at.Format(time.RFC3339), "+", "&#43;") + `">` + at.Format("2006-01-02 15:04") + `</time>`
	if !strings.Contains(page.body, stamp) ||
		!strings.Contains(page.body, "시각 (한국 시간)") {
		t.Errorf("the history page does not show %s in KST", changes[0].At)
	}
	if !strings.Contains(history.body, at.Format(time.RFC3339)) {
		t.Errorf("the history CSV does not carry %s with the +09:00 offset", at.Format(time.RFC3339))
	}
}

// badge reads the header's count of owed months from a signed-in page.
func badge(t *testing.T, body string) int {
	t.Helper()
	m := regexp.MustCompile(`<span class="sr-only">\(입력할 달 (\d+)개\)</span>`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestSafeCSV(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	staff := s.loginAs(t, "staff")
	path := fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month()))
	staff.putFigure(t, path, `{"value": 1, "note": "=HYPERLINK(\"http://x\")", "version": 0, "reason": "@SUM(A1)"}`, "")
	a := staff.get(t, fmt.Sprintf("/plans/%d/indicators/%d/history.csv", now.Year(), own))
	if !strings.Contains(a.body, ",'@SUM(A1)") {
		t.Errorf("a formula-like cell is not neutralised: %s", a.body)
	}
}

func TestTokensAndCommentary(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	staff := s.loginAs(t, "staff")
	a := staff.post(t, "/account/tokens", url.Values{"name": {"script"}})
	m := regexp.MustCompile(`value="(jk_[A-Za-z0-9_-]+)"`).FindStringSubmatch(a.body)
	if a.status != http.StatusOK || m == nil {
		t.Fatalf("make token = %d, token shown: %v", a.status, m != nil)
	}
	if again := staff.get(t, "/account"); strings.Contains(again.body, m[1]) {
		t.Error("the token is shown again after it was made")
	}
	path := fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month()))
	script := s.newClient(t)
	if a := script.putFigure(t, path, `{"value": 3, "note": "", "version": 0}`, m[1]); a.status != http.StatusCreated {
		t.Fatalf("PUT with the new token = %d %s", a.status, a.body)
	}
	users, _ := s.store.Users(t.Context())
	var tokens []models.APIToken
	for i := range users {
		if users[i].Login == "staff" {
			tokens, _ = s.store.APITokens(t.Context(), &users[i])
		}
	}
	if len(tokens) != 1 {
		t.Fatalf("staff has %d tokens, want 1", len(tokens))
	}
	for _, tk := range tokens {
		staff.post(t, fmt.Sprintf("/account/tokens/%d/delete", tk.ID), nil)
	}
	if a := script.putFigure(t, path, `{"value": 4, "note": "", "version": 1}`, m[1]); a.status != http.StatusUnauthorized {
		t.Errorf("PUT with a revoked token = %d, want 401", a.status)
	}

	comment := fmt.Sprintf("/plans/%d/indicators/%d/commentary", now.Year(), own)
	if a := staff.post(t, comment, url.Values{"month": {fmt.Sprint(int(now.Month()))}}); a.status != http.StatusUnprocessableEntity {
		t.Errorf("empty commentary = %d, want 422", a.status)
	}
	if a := s.loginAs(t, "staff2").post(t, comment, url.Values{"month": {"1"}, "analysis": {"x"}}); a.status != http.StatusForbidden {
		t.Errorf("commentary on another department = %d, want 403", a.status)
	}
	form := url.Values{"month": {fmt.Sprint(int(now.Month()))}, "analysis": {"상반기 선발 지연"}, "action": {"하반기 추가 모집"}}
	if a := staff.post(t, comment, form); a.status != http.StatusSeeOther {
		t.Fatalf("commentary = %d %.300s", a.status, a.body)
	}
	_, _, body := s.get(t, fmt.Sprintf("/plans/%d/indicators/%d", now.Year(), own))
	if !strings.Contains(body, "상반기 선발 지연") || !strings.Contains(body, "하반기 추가 모집") {
		t.Error("the public indicator page does not show the commentary")
	}
	for _, lang := range []string{"", "?lang=en"} {
		r := s.loginAs(t, "council").get(t, fmt.Sprintf("/reports/%d%s", now.Year(), lang))
		if r.status != http.StatusOK || !strings.Contains(r.body, "상반기 선발 지연") || !strings.Contains(r.body, "하반기 추가 모집") {
			t.Errorf("report%s = %d, or it lacks the commentary", lang, r.status)
		}
	}
	for _, lang := range []string{"", "?lang=en"} {
		h := staff.get(t, fmt.Sprintf("/plans/%d/indicators/%d/history%s", now.Year(), own, lang))
		if h.status != http.StatusOK || !strings.Contains(h.body, "하반기 추가 모집") {
			t.Errorf("history%s = %d, or it lacks the commentary change", lang, h.status)
		}
		if k := missingKey.FindString(h.body); k != "" {
			t.Errorf("history%s shows a missing catalogue key %s", lang, k)
		}
	}
}

// TestLockDaySetting changes the lock day on the settings page and checks
// that writes follow it.
func TestLockDaySetting(t *testing.T) {
	s := newTestServer(t, true)
	year := time.Now().In(models.KST).Year()
	own, _ := entryPlan(t, s, year)
	s.store.SetClock(func() time.Time { return time.Date(year, 6, 5, 12, 0, 0, 0, models.KST) })
	admin, staff := s.loginAs(t, "admin"), s.loginAs(t, "staff")
	settings := func(lockDay string) answer {
		return admin.post(t, "/admin/settings", url.Values{"retention_days": {"400"}, "lock_day": {lockDay}})
	}
	put := func(value int) answer {
		f, _ := s.store.Figure(t.Context(), own, year, 5)
		version := 0
		if f != nil {
			version = f.Version
		}
		return staff.putFigure(t, fmt.Sprintf("/api/v1/figures/%d/%d/5", own, year), fmt.Sprintf(`{"value": %d, "version": %d}`, value, version), "")
	}
	if a := put(1); a.status != http.StatusCreated {
		t.Fatalf("May on 5 June with the default lock day = %d, want 201", a.status)
	}
	if a := admin.get(t, "/admin/settings"); !strings.Contains(a.body, `name="lock_day"`) || !strings.Contains(a.body, `value="10"`) {
		t.Errorf("the settings page does not show the lock day 10")
	}
	for _, bad := range []string{"0", "29", "", "5일"} {
		if a := settings(bad); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "1부터 28 사이") {
			t.Errorf("lock day %q = %d, want 422 with the range", bad, a.status)
		}
	}
	if a := settings("3"); a.status != http.StatusSeeOther {
		t.Fatalf("lock day 3 = %d: %.300s", a.status, a.body)
	}
	if a := put(2); a.status != http.StatusLocked || !strings.Contains(a.body, fmt.Sprintf("%d-06-03", year)) {
		t.Errorf("May after the lock day moved to 3 = %d %s, want 423 locked since %d-06-03", a.status, a.body, year)
	}
	if a := settings("28"); a.status != http.StatusSeeOther {
		t.Fatalf("lock day 28 = %d", a.status)
	}
	if a := put(3); a.status != http.StatusOK {
		t.Errorf("May with the lock day 28 = %d, want 200", a.status)
	}
}

// TestEntryListsMilestones: the grid page lists the department's
// milestones with a link to where they are updated.
func TestEntryListsMilestones(t *testing.T) {
	s := newTestServer(t, true)
	ms, _ := demoIDs(t, s)
	link := fmt.Sprintf(`href="/plans/2020/indicators/%d#milestone-form"`, ms)
	if a := s.loginAs(t, "staff").get(t, "/entry/2020"); a.status != http.StatusOK || !strings.Contains(a.body, "일정형 지표") || !strings.Contains(a.body, link) {
		t.Errorf("/entry/2020 = %d, or it lacks the milestone link %s", a.status, link)
	} else if !strings.Contains(a.body, "<td>완료일 2020. 3. 27.</td>") || !strings.Contains(a.body, "<td>추진 중</td>") {
		t.Errorf("/entry/2020 does not say which milestones are done (with the date) and which are in progress")
	}
	if a := s.loginAs(t, "staff2").get(t, "/entry/2020"); strings.Contains(a.body, link) {
		t.Errorf("another department's grid lists the milestone")
	}
}

// TestApproveMany approves several submitted values at once from /review:
// all of them, or none when one has changed since the list was read.
func TestApproveMany(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, _ := entryPlan(t, s, year)
	staff := s.loginAs(t, "staff")
	for _, id := range []uint{own, own + 1} {
		if a := staff.putFigure(t, fmt.Sprintf("/api/v1/figures/%d/%d/%d", id, year, month), `{"value": 5, "version": 0}`, ""); a.status != http.StatusCreated {
			t.Fatalf("put %d = %d: %s", id, a.status, a.body)
		}
	}
	if a := staff.post(t, fmt.Sprintf("/entry/%d", year), url.Values{"action": {"submit"}, "dept": {"일자리경제과"}, "month": {fmt.Sprint(month)}}); a.status != http.StatusSeeOther {
		t.Fatalf("submit = %d", a.status)
	}
	official := s.loginAs(t, "official")
	pick := func(id uint, version int) string { return fmt.Sprintf("%d-%d-%d-%d", id, year, month, version) }
	approve := func(picks ...string) answer { return official.post(t, "/review/approve", url.Values{"pick": picks}) }
	status := func(id uint) models.FigureStatus {
		f, err := s.store.Figure(t.Context(), id, year, month)
		if err != nil {
			t.Fatal(err)
		}
		return f.Status
	}
	before := dbChecksum(t, s.db, "sessions")
	if a := approve(); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "하나 이상 고르세요") {
		t.Errorf("nothing ticked = %d, want 422 asking to choose", a.status)
	}
	if a := approve("1-2-3"); a.status != http.StatusBadRequest {
		t.Errorf("a malformed pick = %d, want 400", a.status)
	}
	// One stale version: nothing is approved, and both ticks stay.
	a := approve(pick(own+1, 2), pick(own, 1)) // the stale one last
	if a.status != http.StatusConflict || !strings.Contains(a.body, "공공근로 선발 "+fmt.Sprint(month)+"월 값이 그 사이 바뀌어") {
		t.Errorf("a stale pick = %d, want 409 naming the value: %.300s", a.status, a.body)
	}
	for _, id := range []uint{own, own + 1} {
		if !strings.Contains(a.body, fmt.Sprintf(`id="pick-%d-%d-%d" value="%s" checked>`, id, year, month, pick(id, 2))) {
			t.Errorf("the refused page lost the tick of %d", id)
		}
	}
	if dbChecksum(t, s.db, "sessions") != before {
		t.Error("a refused approval changed the database")
	}
	// Both current, one named twice: both approved once.
	a = approve(pick(own, 2), pick(own+1, 2), pick(own, 2))
	if a.status != http.StatusSeeOther || !strings.Contains(a.location, "done=many&n=2") {
		t.Fatalf("approve two = %d %s: %.300s", a.status, a.location, a.body)
	}
	if status(own) != models.FigureApproved || status(own+1) != models.FigureApproved {
		t.Errorf("after approving both: %s, %s", status(own), status(own+1))
	}
	if page := official.get(t, a.location); !strings.Contains(page.body, "2건을 승인했습니다") {
		t.Error("/review does not say how many were approved")
	}
	// Approving again: no longer submitted, 422, nothing changes.
	before = dbChecksum(t, s.db, "sessions")
	if a := approve(pick(own, 3)); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "제출된 값만") {
		t.Errorf("approving an approved value = %d, want 422 saying why", a.status)
	}
	if dbChecksum(t, s.db, "sessions") != before {
		t.Error("a refused approval changed the database")
	}
}

// TestMyForOfficials checks the official's /my: a count per department
// that agrees with each department's own list, and rows that link to the
// department's grid. Staff see only their own list.
func TestMyForOfficials(t *testing.T) {
	s := newTestServer(t, true)
	year := time.Now().In(models.KST).Year()
	entryPlan(t, s, year)
	page := s.loginAs(t, "official").get(t, "/my")
	if page.status != http.StatusOK || !strings.Contains(page.body, "부서별 입력 현황") {
		t.Fatalf("official /my = %d without the count per department", page.status)
	}
	for _, dept := range []string{"일자리경제과", "노인장애인과"} {
		due, err := s.store.DueFor(t.Context(), dept)
		if err != nil || len(due) == 0 {
			t.Fatalf("due for %s: %d, %v", dept, len(due), err)
		}
		link := fmt.Sprintf("/entry/%d?dept=%s", year, url.QueryEscape(dept))
		row := fmt.Sprintf(`<th scope="row"><a href="%s">%s</a></th><td class="number">%d</td>`, link, dept, len(due))
		if !strings.Contains(page.body, row) {
			t.Errorf("the count for %s is not %d with a link to its grid", dept, len(due))
		}
	}
	if staff := s.loginAs(t, "staff").get(t, "/my"); strings.Contains(staff.body, "부서별 입력 현황") || strings.Contains(staff.body, "노인장애인과") {
		t.Error("a staff member's /my shows other departments")
	}
}

// TestUnlockRules checks that an official's unlock names what is wrong, in
// the page's language: a month that has not locked yet, or a plan year the
// indicator is not in. Neither writes anything.
func TestUnlockRules(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, _ := entryPlan(t, s, year)
	official := s.loginAs(t, "official")
	before := dbChecksum(t, s.db, "sessions")
	path := fmt.Sprintf("/plans/%d/indicators/%d/unlock", year, own)
	a := official.post(t, path, url.Values{"month": {fmt.Sprint(month)}, "reason": {"자료 늦게 도착"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "아직 마감되지 않았습니다") {
		t.Errorf("unlocking this month = %d, want 422 saying it is not locked yet", a.status)
	}
	a = official.post(t, path, url.Values{"month": {fmt.Sprint(month)}, "reason": {"late data"}, "lang": {"en"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "is not locked yet") {
		t.Errorf("unlocking this month from the English page = %d, want the reason in English", a.status)
	}
	a = official.post(t, fmt.Sprintf("/plans/2020/indicators/%d/unlock", own), url.Values{"month": {"1"}, "reason": {"연도 착오"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, fmt.Sprintf("%d년 계획의 지표", year)) {
		t.Errorf("unlocking under another plan year = %d, want 422 naming the indicator's year", a.status)
	}
	if dbChecksum(t, s.db, "sessions") != before {
		t.Error("a refused unlock changed the database")
	}
	// The form offers only months that have locked, latest first.
	options := func(path string) string {
		t.Helper()
		body := official.get(t, path).body
		i := strings.Index(body, `<select id="unlock-month"`)
		if i < 0 {
			return "none"
		}
		j := strings.Index(body[i:], "</select>")
		return strings.Join(regexp.MustCompile(`value="(\d+)"`).FindAllString(body[i:i+j], -1), " ")
	}
	if got := options(fmt.Sprintf("/plans/%d/indicators/%d", year, own)); strings.Contains(got, fmt.Sprintf(`"%d"`, month)) {
		t.Errorf("the unlock form offers this month, which has not locked: %s", got)
	}
	if got, want := options("/plans/2020/indicators/4"), `value="12" value="11" value="10" value="9" value="8" value="7" value="6" value="5" value="4" value="3" value="2" value="1"`; got != want {
		t.Errorf("the 2020 unlock form offers %s, want every month, latest first", got)
	}
}

// TestSetTarget has an official change an indicator's annual target with a
// reason: the API and the page count the new target, the page shows the
// reason, and the history keeps old → new. Bad targets and a missing
// reason are refused next to their fields and change nothing.
func TestSetTarget(t *testing.T) {
	s := newTestServer(t, true)
	official := s.loginAs(t, "official")
	const ind = "/plans/2020/indicators/4" // 공공근로: 170명, linear
	// The API measures at an as-of month against the target in force then;
	// a revision published after 2020 takes force in its December.
	target := func() float64 {
		t.Helper()
		for _, i := range planIndicators(t, s, "/api/v1/plans/2020?asof=12") {
			if i.ID == 4 {
				return i.Target
			}
		}
		t.Fatal("indicator 4 is not in the API")
		return 0
	}
	if got := target(); got != 170 {
		t.Fatalf("seeded target = %v, want 170", got)
	}
	before := dbChecksum(t, s.db, "sessions", "access_events", "sqlite_sequence")
	for _, tc := range []struct{ value, reason, field, message string }{
		{"abc", "추경", "target", "0 이상의 숫자"},
		{"-5", "추경", "target", "0 이상의 숫자"},
		{"180.5", "추경", "target", "정수로"},
		{"180.5", "", "target", "정수로"}, // with the reason's problem: every problem at once
		{"170", "추경", "target", "지금 목표와 같습니다"},
		{"180", " ", "reason", "사유를 적어"},
	} {
		a := official.post(t, ind+"/target", url.Values{"target": {tc.value}, "reason": {tc.reason}})
		if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `id="`+tc.field+`-error"`) || !strings.Contains(a.body, tc.message) ||
			!strings.Contains(a.body, `value="`+tc.value+`"`) {
			t.Errorf("target %q, reason %q = %d; want 422 with %q next to %s and the value kept", tc.value, tc.reason, a.status, tc.message, tc.field)
		}
	}
	if a := s.loginAs(t, "staff").post(t, ind+"/target", url.Values{"target": {"180"}, "reason": {"추경"}}); a.status != http.StatusForbidden {
		t.Errorf("staff changing a target = %d, want 403", a.status)
	}
	if dbChecksum(t, s.db, "sessions", "access_events", "sqlite_sequence") != before {
		t.Fatal("a refused target change changed the database")
	}
	// A published plan's target changes by revision: the change waits in
	// the draft revision, and takes force when that is published.
	a := official.post(t, ind+"/target", url.Values{"target": {"180"}, "reason": {"추경 예산 반영으로 10명 증원"}})
	if a.status != http.StatusSeeOther || !strings.Contains(a.location, "/plans/2020/revision") {
		t.Fatalf("change the target = %d %s: %.300s", a.status, a.location, a.body)
	}
	if got := target(); got != 170 {
		t.Errorf("the API's target before the revision is published = %v, want 170", got)
	}
	if page := official.get(t, ind); !strings.Contains(page.body, "수정공시 초안에 담긴 변경: 170명 → 180명 (사유: 추경 예산 반영으로 10명 증원).") {
		t.Error("the indicator page does not say its change waits in the draft revision")
	}
	if a := official.post(t, "/plans/2020/revision", url.Values{"date": {""}, "effective": {""}}); a.status != http.StatusSeeOther {
		t.Fatalf("publish the revision = %d: %.300s", a.status, a.body)
	}
	if got := target(); got != 180 {
		t.Errorf("the API's target after the change = %v, want 180", got)
	}
	if _, _, page := s.get(t, ind); !strings.Contains(page, "추경 예산 반영으로 10명 증원") || !strings.Contains(page, "180명") {
		t.Error("the public indicator page does not show the new target and its reason")
	}
	history := official.get(t, ind+"/history")
	if !strings.Contains(history.body, "목표 변경") || !strings.Contains(history.body, "170 → 180") {
		t.Errorf("the history does not keep the target change 170 → 180")
	}
	// The council's report lists the year's target changes with the reason.
	report := s.loginAs(t, "council").get(t, "/reports/2020")
	if !strings.Contains(report.body, "목표 변경 내역") || !strings.Contains(report.body, "<td>170명 → 180명</td>") ||
		!strings.Contains(report.body, "<td>추경 예산 반영으로 10명 증원</td>") {
		t.Errorf("the report does not list the target change 170명 → 180명 with its reason")
	}
}

// gridForm is the grid's POST for one cell as the page offers it: the
// typed value, what the cell showed, its version, and the row's note box
// with what the box showed.
func gridForm(id uint, month int, value, shown string, version int, note, noteShown string) url.Values {
	c := fmt.Sprintf("%d-%d", id, month)
	return url.Values{"action": {"save"}, "v-" + c: {value}, "o-" + c: {shown}, "ver-" + c: {fmt.Sprint(version)},
		fmt.Sprintf("note-%d", id): {note}, fmt.Sprintf("on-%d", id): {noteShown}}
}

// noteBox is the value of a row's note box on a grid page.
func noteBox(t *testing.T, body string, id uint) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`<input type="text" id="note-%d" name="note-%d"[^>]*>`, id, id)).FindString(body)
	if m == "" {
		t.Fatalf("no note box for indicator %d", id)
	}
	v := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(m)
	if v == nil {
		return ""
	}
	return v[1]
}

// TestEntryNotes: a note typed with a value that comes back with a
// problem is still in its box, and the box shows the stored note, so that
// changing a value without touching the box keeps it.
func TestEntryNotes(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, _ := entryPlan(t, s, year)
	staff := s.loginAs(t, "staff")
	grid := fmt.Sprintf("/entry/%d", year)
	// Over twice the target without the confirmation: 422, the note kept.
	a := staff.post(t, grid, gridForm(own, month, "300", "", 0, "행사 특별 채용", ""))
	if a.status != http.StatusUnprocessableEntity {
		t.Fatalf("a value over twice the target = %d, want 422", a.status)
	}
	if got := noteBox(t, a.body, own); got != "행사 특별 채용" {
		t.Errorf("after a 422 the note box holds %q, want the typed note", got)
	}
	// Saved with its note, the note shows in the box.
	if a := staff.post(t, grid, gridForm(own, month, "7", "", 0, "11월 선발", "")); a.status != http.StatusSeeOther {
		t.Fatalf("save = %d: %.300s", a.status, a.body)
	}
	page := staff.get(t, grid)
	shown := noteBox(t, page.body, own)
	if shown != "11월 선발" {
		t.Errorf("the note box shows %q, want the stored note", shown)
	}
	// The value changes; the box is sent as it was shown: the note stays.
	if a := staff.post(t, grid, gridForm(own, month, "8", "7", 1, shown, shown)); a.status != http.StatusSeeOther {
		t.Fatalf("change = %d: %.300s", a.status, a.body)
	}
	if f, err := s.store.Figure(t.Context(), own, year, month); err != nil || f.Value != 8 || f.Note != "11월 선발" {
		t.Errorf("after changing the value = %+v, %v; want 8 with the note kept", f, err)
	}
}

// TestEntryEnglishSummary: the problem summary of the English grid names
// the month and the unit in English.
func TestEntryEnglishSummary(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, _ := entryPlan(t, s, year)
	a := s.loginAs(t, "staff").post(t, fmt.Sprintf("/entry/%d?lang=en", year), gridForm(own, month, "1.5", "", 0, "", ""))
	summary := regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`).FindString(a.body)
	want := fmt.Sprintf("공공근로 선발 %s: An indicator counted in people takes whole numbers only.", time.Month(month).String()[:3])
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(summary, want) {
		t.Errorf("English summary = %d %q, want %q", a.status, summary, want)
	}
}

// TestEntrySubmitMonth: the month offered for submitting is the one with
// drafts, else the open month; not December of a year that is over.
func TestEntrySubmitMonth(t *testing.T) {
	s := newTestServer(t, true)
	own, _ := entryPlan(t, s, 2030)
	at := func(y, m, d int) {
		s.store.SetClock(func() time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, models.KST) })
	}
	selected := func(b *browserClient) string {
		t.Helper()
		m := regexp.MustCompile(`<option value="(\d+)" selected>`).FindStringSubmatch(b.get(t, "/entry/2030").body)
		if m == nil {
			return "none"
		}
		return m[1]
	}
	at(2030, 6, 5) // May is open until 10 June, June has begun
	staff := s.loginAs(t, "staff")
	if got := selected(staff); got != "6" {
		t.Errorf("no drafts on 5 June: month %s offered, want 6", got)
	}
	if a := staff.post(t, "/entry/2030", gridForm(own, 5, "4", "", 0, "", "")); a.status != http.StatusSeeOther {
		t.Fatalf("save May = %d", a.status)
	}
	if got := selected(staff); got != "5" {
		t.Errorf("a May draft on 5 June: month %s offered, want 5", got)
	}
	// In the next January an official reopens October; staff draft it.
	at(2031, 1, 5)
	official := s.loginAs(t, "official")
	if a := official.post(t, fmt.Sprintf("/plans/2030/indicators/%d/unlock", own), url.Values{"month": {"10"}, "reason": {"자료 정정"}}); a.status != http.StatusSeeOther {
		t.Fatalf("unlock October = %d: %.300s", a.status, a.body)
	}
	staff = s.loginAs(t, "staff")
	if a := staff.post(t, "/entry/2030", gridForm(own, 10, "9", "", 0, "", "")); a.status != http.StatusSeeOther {
		t.Fatalf("save October = %d: %.300s", a.status, a.body)
	}
	got := selected(staff)
	if got != "10" {
		t.Errorf("an October draft in January: month %s offered, want 10", got)
	}
	if a := staff.post(t, "/entry/2030", url.Values{"action": {"submit"}, "month": {got}}); a.status != http.StatusSeeOther {
		t.Errorf("submitting the month offered = %d: %.300s", a.status, a.body)
	}
}

// TestEntryLockedMeanwhile: a value typed into a month that locks before
// the page is posted is refused with the lock message, not dropped.
func TestEntryLockedMeanwhile(t *testing.T) {
	s := newTestServer(t, true)
	own, _ := entryPlan(t, s, 2030)
	s.store.SetClock(func() time.Time { return time.Date(2030, 6, 9, 23, 50, 0, 0, models.KST) })
	staff := s.loginAs(t, "staff")
	if page := staff.get(t, "/entry/2030"); !strings.Contains(page.body, fmt.Sprintf(`id="v-%d-5"`, own)) {
		t.Fatal("May is not open at 23:50 on 9 June")
	}
	s.store.SetClock(func() time.Time { return time.Date(2030, 6, 10, 0, 0, 1, 0, models.KST) })
	before := dbChecksum(t, s.db, "sessions", "access_events")
	a := staff.post(t, "/entry/2030", gridForm(own, 5, "4", "", 0, "", ""))
	if a.status != http.StatusLocked || !strings.Contains(a.body, "2030-06-10에 마감되었습니다") {
		t.Errorf("a value for May posted after it locked = %d %s, want 423 saying it locked on 2030-06-10: %.300s", a.status, a.location, a.body)
	}
	if dbChecksum(t, s.db, "sessions", "access_events") != before {
		t.Error("the refused save changed the database")
	}
}

// TestEntryClosedNotice: the grid of a year whose months are all locked
// says so as a warning, not as a success.
func TestEntryClosedNotice(t *testing.T) {
	s := newTestServer(t, true)
	if a := s.loginAs(t, "staff").get(t, "/entry/2020"); !strings.Contains(a.body, `<p class="notice notice-warning entry-closed">`) {
		t.Errorf("/entry/2020 lacks the warning that every month is locked")
	}
}

// TestTypedNumbers: the grid reads "1,000" and full-width digits as
// people type and paste them, refuses an exponent and other scripts'
// digits with a message, and says the same about a negative number as the
// upload does. The API stays strict.
func TestTypedNumbers(t *testing.T) {
	env := newUploadEnv(t) // 15 June: June is open
	own, grid := env.own, env.path("")
	value := func(id uint) float64 {
		t.Helper()
		f, err := env.s.store.Figure(t.Context(), id, env.year, 6)
		if err != nil {
			t.Fatalf("figure %d: %v", id, err)
		}
		return f.Value
	}
	form := gridForm(own, 6, "1,000", "", 0, "행사 특별 채용", "")
	form.Set(fmt.Sprintf("c-%d-6", own), "1")
	if a := env.staff.post(t, grid, form); a.status != http.StatusSeeOther || value(own) != 1000 {
		t.Errorf(`"1,000" in the grid = %d: %.300s`, a.status, a.body)
	}
	if a := env.staff.post(t, grid, gridForm(own+1, 6, "２０", "", 0, "", "")); a.status != http.StatusSeeOther {
		t.Errorf(`"２０" in the grid = %d: %.300s`, a.status, a.body)
	} else if got := value(own + 1); got != 20 {
		t.Errorf(`"２０" in the grid stored %v, want 20`, got)
	}
	cellError := func(a answer) string {
		m := regexp.MustCompile(`<p id="e-[0-9-]+" class="cell-error">([^<]*)</p>`).FindStringSubmatch(a.body)
		if m == nil {
			return ""
		}
		return m[1]
	}
	for typed, want := range map[string]string{"1e3": "지수 표기", "١٢": "0–9", "1,00": "천 단위", "-5": "0 이상의 숫자만"} {
		a := env.staff.post(t, grid, gridForm(own, 6, typed, "1000", 1, "", ""))
		if a.status != http.StatusUnprocessableEntity || !strings.Contains(cellError(a), want) {
			t.Errorf("%q in the grid = %d %q, want 422 saying %q", typed, a.status, cellError(a), want)
		}
	}
	// The upload says the same about a negative number.
	f := env.template(t)
	setTemplateCell(t, f, own, 6, "I", "-5")
	up := env.staff.preview(t, env.staff.upload(t, env.path("/upload"), "neg.xlsx", workbookBytes(t, f)))
	if msg := cellError(env.staff.post(t, grid, gridForm(own, 6, "-5", "1000", 1, "", ""))); msg == "" || !strings.Contains(up.body, "<td>"+msg+"</td>") {
		t.Errorf("the upload does not say what the grid says of -5 (%q): %.2000s", msg, up.body)
	}
	// The API reads numbers as JSON has them: "1,000" is refused.
	path := fmt.Sprintf("/api/v1/figures/%d/%d/6", own, env.year)
	if a := env.staff.putFigure(t, path, `{"value": 1,000, "version": 1}`, ""); a.status != http.StatusUnprocessableEntity {
		t.Errorf(`the API with 1,000 = %d, want 422`, a.status)
	}
}

// TestMyBeyondThisYear: /my lists what is owed in the plan in force even
// when this year has none, last December until it locks, drafts not yet
// submitted in any year, and, for officials, values waiting for approval.
func TestMyBeyondThisYear(t *testing.T) {
	s := newTestServer(t, true)
	own, _ := entryPlan(t, s, 2030)
	at := func(y, m, d int) {
		s.store.SetClock(func() time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, models.KST) })
	}
	due := func(dept string, id uint) string {
		t.Helper()
		items, err := s.store.DueFor(t.Context(), dept)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range items {
			if d.Indicator.ID == id {
				out = append(out, fmt.Sprintf("%d/%d%s", d.Year, d.Month, d.Status))
			}
		}
		return strings.Join(out, " ")
	}
	// March 2031 and no 2031 plan: the 2030 plan is the one in force.
	at(2031, 3, 15)
	if got := due("일자리경제과", own); !strings.HasPrefix(got, "2030/1 2030/2") || !strings.HasSuffix(got, "2030/12") {
		t.Errorf("no plan this year: due = %q, want every month of the 2030 plan", got)
	}
	if page := s.loginAs(t, "staff").get(t, "/my"); strings.Contains(page.body, "지금 입력할 달이 없습니다") || !strings.Contains(page.body, "/entry/2030") {
		t.Errorf("/my with no plan this year says nothing is due")
	}
	// With a 2031 plan, on 5 January 2031 December 2030 is still open.
	own31, _ := entryPlan(t, s, 2031)
	at(2031, 1, 5)
	if got := due("일자리경제과", own); got != "2030/12" {
		t.Errorf("5 January: due of the 2030 indicator = %q, want only December 2030", got)
	}
	staff := s.loginAs(t, "staff")
	if page := staff.get(t, "/my"); !strings.Contains(page.body, "2030년 12월") {
		t.Errorf("/my on 5 January does not list December 2030")
	}
	if a := staff.post(t, "/entry/2030", gridForm(own, 12, "6", "", 0, "", "")); a.status != http.StatusSeeOther {
		t.Fatalf("save December 2030 = %d: %.300s", a.status, a.body)
	}
	// In February the draft was never submitted: staff still see it.
	at(2031, 2, 15)
	if got := due("일자리경제과", own); got != "2030/12draft" {
		t.Errorf("15 February: due of the 2030 indicator = %q, want the December draft", got)
	}
	// A value submitted before its lock waits for an official.
	at(2031, 2, 5)
	staff = s.loginAs(t, "staff")
	if a := staff.post(t, "/entry/2031", gridForm(own31, 1, "5", "", 0, "", "")); a.status != http.StatusSeeOther {
		t.Fatalf("save January 2031 = %d: %.300s", a.status, a.body)
	}
	if a := staff.post(t, "/entry/2031", url.Values{"action": {"submit"}, "month": {"1"}}); a.status != http.StatusSeeOther {
		t.Fatalf("submit January 2031 = %d", a.status)
	}
	// The header links to /review as 승인 대기 too: look in the table.
	waiting := `<td><a href="/review">승인 대기</a></td>`
	if page := s.loginAs(t, "official").get(t, "/my"); !strings.Contains(page.body, waiting) {
		t.Errorf("the official's /my does not list the value waiting for approval")
	}
	if got := due("", own31); !strings.Contains(got, "2031/1submitted") {
		t.Errorf("an official's due list = %q, want January 2031 waiting for approval", got)
	}
	if mine := staff.get(t, "/my"); strings.Contains(mine.body, waiting) {
		t.Errorf("a staff member's /my lists a submitted value as theirs to do")
	}
}

// TestUnlockDepartment checks that an official reopens one locked month of
// every monthly indicator of a department at once, with one reason and one
// audit row per indicator, and that a refusal changes nothing.
func TestUnlockDepartment(t *testing.T) {
	s := newTestServer(t, true)
	s.store.SetClock(func() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, models.KST) })
	own, other := entryPlan(t, s, 2026) // 일자리경제과 has own and own+1 and its programme's spending; other is 노인장애인과's
	official := s.loginAs(t, "official")
	staff := s.loginAs(t, "staff")
	unlock := func(b *browserClient, month, reason string) answer {
		return b.post(t, "/entry/2026/unlock", url.Values{"dept": {"일자리경제과"}, "month": {month}, "reason": {reason}})
	}
	grid := official.get(t, "/entry/2026?dept="+url.QueryEscape("일자리경제과"))
	_, months, _ := strings.Cut(grid.body, `id="unlock-month"`)
	months, _, _ = strings.Cut(months, "</select>")
	if !strings.Contains(months, `<option value="5">5월</option><option value="4">`) || strings.Contains(months, `value="6"`) {
		t.Fatalf("the official's grid does not offer the locked months, latest first (May, not June): %q", months)
	}
	if a := staff.get(t, "/entry/2026"); strings.Contains(a.body, `id="unlock-dept"`) {
		t.Error("staff are offered the department unlock")
	}
	before := dbChecksum(t, s.db, "sessions")
	for _, tc := range []struct{ month, reason, want string }{
		{"5", " ", "잠금 해제 사유를 적어 주세요"},
		{"6", "late", "6월은 아직 마감되지 않았습니다"},
		{"13", "late", "월은 1부터 12까지"},
	} {
		if a := unlock(official, tc.month, tc.reason); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, tc.want) {
			t.Errorf("unlock month %q with reason %q = %d, want 422 saying %q", tc.month, tc.reason, a.status, tc.want)
		}
	}
	if a := unlock(staff, "5", "late"); a.status != http.StatusForbidden {
		t.Errorf("staff unlocking = %d, want 403", a.status)
	}
	if dbChecksum(t, s.db, "sessions") != before {
		t.Error("a refused unlock changed the database")
	}
	a := unlock(official, "5", "감사 지적으로 정정")
	if a.status != http.StatusSeeOther || !strings.Contains(a.location, "done=unlock&n=3&m=5") {
		t.Fatalf("unlock May = %d %s: %.300s", a.status, a.location, a.body)
	}
	if page := official.get(t, a.location); !strings.Contains(page.body, "5월을 지표 3개에 대해 7일 동안 열었습니다") {
		t.Error("the grid does not say what was unlocked")
	}
	for id, want := range map[uint]models.MonthState{own: models.MonthUnlocked, own + 1: models.MonthUnlocked, other: models.MonthLocked} {
		ps, err := s.store.Periods(t.Context(), id, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if got := ps[4].State; got != want {
			t.Errorf("indicator %d in May = %s, want %s", id, got, want)
		}
	}
	hist, err := s.store.FigureHistory(t.Context(), own+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Action != "unlock" || hist[0].Why != "감사 지적으로 정정" || hist[0].Month != 5 {
		t.Errorf("the history of the second indicator = %+v, want one unlock of May with the reason", hist)
	}
	// Staff can now enter May.
	if a := staff.putFigure(t, fmt.Sprintf("/api/v1/figures/%d/2026/5", own), `{"value": 3, "version": 0}`, ""); a.status != http.StatusCreated {
		t.Errorf("a value for the unlocked May = %d: %s", a.status, a.body)
	}
}
