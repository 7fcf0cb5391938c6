package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jobkpi/models"
)

// secondInstance opens another store and server on s's database file, as a
// second instance of the program behind a round-robin load balancer would.
// It runs on the same clock as s.
func (s *testServer) secondInstance(t testing.TB, cfg config) *testServer {
	t.Helper()
	store, err := models.Open(s.db)
	if err != nil {
		t.Fatal(err)
	}
	store.SetClock(s.store.Now)
	e, err := newServer(store, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	if err != nil {
		store.Close()
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		srv.Close()
		store.Close()
	})
	return &testServer{Server: srv, store: store, db: s.db}
}

// on is the same browser (its cookies, so its session) talking to another
// instance.
func (b *browserClient) on(s *testServer) *browserClient {
	return &browserClient{b.Client, s}
}

// sessionOf finds the session a signed-in client's cookie names.
func sessionOf(t *testing.T, b *browserClient) *models.Session {
	t.Helper()
	u, _ := url.Parse(b.s.URL)
	for _, ck := range b.Jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "jobkpi_session") {
			sess, _, err := b.s.store.SessionUser(context.Background(), ck.Value)
			if err != nil {
				t.Fatal(err)
			}
			return sess
		}
	}
	t.Fatal("the client has no session cookie")
	return nil
}

// racePost sends one form to each of two instances at once and returns
// the two statuses and bodies. The CSRF tokens are fetched first, so that
// the two posts leave together.
func racePost(t *testing.T, a, b *browserClient, path string, form url.Values) [2]answer {
	t.Helper()
	var reqs [2]*http.Request
	for i, c := range []*browserClient{a, b} {
		f := url.Values{"_csrf": {c.csrf(t)}}
		for k, v := range form {
			f[k] = v
		}
		req, err := http.NewRequest(http.MethodPost, c.s.URL+path, strings.NewReader(f.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		reqs[i] = req
	}
	var out [2]answer
	var errs [2]error
	var wg sync.WaitGroup
	for i, c := range []*browserClient{a, b} {
		wg.Go(func() {
			res, err := c.Do(reqs[i])
			if err != nil {
				errs[i] = err
				return
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			out[i] = answer{res.StatusCode, res.Header.Get("Location"), string(body), res.Header}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// oneSaved checks that of two saves of one preview exactly one applied and
// the other was refused in words, not written twice.
func oneSaved(t *testing.T, got [2]answer, saved, refusedKo string) {
	t.Helper()
	ok, refused := 0, 0
	for _, a := range got {
		switch {
		case a.status == http.StatusSeeOther && strings.Contains(a.location, saved):
			ok++
		case (a.status == http.StatusConflict || a.status == http.StatusNotFound) && strings.Contains(a.body, refusedKo):
			refused++
		}
	}
	if ok != 1 || refused != 1 {
		t.Errorf("two saves at once on two instances = %d %s and %d %s; want one saved and one refused saying %q:\n%.1500s\n---\n%.1500s",
			got[0].status, got[0].location, got[1].status, got[1].location, refusedKo, got[0].body, got[1].body)
	}
}

// TestFigureUploadAcrossInstances uploads a figures file through one
// instance and polls, previews and saves it through another that shares
// the database: the figures land once, a second save is refused in words,
// and no other session or user finds the upload.
func TestFigureUploadAcrossInstances(t *testing.T) {
	env := newUploadEnv(t)
	a := env.s
	b := a.secondInstance(t, config{demo: true, public: true, noSampleYear: true})
	onA, onB := env.staff, env.staff.on(b)
	before := planFigures(t, a, env.year)

	f := env.template(t)
	setTemplateCell(t, f, env.own, 6, "I", 7)
	setTemplateCell(t, f, env.own+1, 6, "I", 3)
	up := onA.upload(t, env.path("/upload"), "실적.xlsx", workbookBytes(t, f))
	if up.status != http.StatusSeeOther || !strings.HasPrefix(up.location, env.path("/upload/")) {
		t.Fatalf("upload on A = %d %s: %.500s", up.status, up.location, up.body)
	}
	p := onB.preview(t, up)
	if p.status != http.StatusOK || len(previewChange.FindAllString(p.body, -1)) != 2 || !saveButton.MatchString(p.body) {
		t.Fatalf("preview on B = %d with %d changes; want 200 with 2 changes and a save button: %.2000s", p.status, len(previewChange.FindAllString(p.body, -1)), p.body)
	}
	if other := b.loginAs(t, "staff").get(t, up.location); other.status != http.StatusNotFound || !strings.Contains(other.body, "다시 올리세요") {
		t.Errorf("another session of the same user opens the upload on B: %d, want 404", other.status)
	}
	official := b.loginAs(t, "official")
	if other := official.post(t, up.location, url.Values{"action": {"commit"}}); other.status != http.StatusNotFound {
		t.Errorf("another user saves the upload on B: %d, want 404", other.status)
	}

	c := onB.post(t, up.location, url.Values{"action": {"commit"}})
	if c.status != http.StatusSeeOther || !strings.Contains(c.location, "done=save&n=2") {
		t.Fatalf("save on B = %d %s: %.500s", c.status, c.location, c.body)
	}
	want := map[string]string{
		fmt.Sprintf("%d/6", env.own):   `7 v1 draft ""`,
		fmt.Sprintf("%d/6", env.own+1): `3 v1 draft ""`,
	}
	changed := func() map[string]string {
		out := map[string]string{}
		for k, v := range planFigures(t, a, env.year) {
			if before[k] != v {
				out[k] = v
			}
		}
		return out
	}
	if got := changed(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("changed figures = %v, want exactly %v", got, want)
	}
	again := onA.post(t, up.location, url.Values{"action": {"commit"}})
	if again.status != http.StatusNotFound || !strings.Contains(again.body, "두 번 저장하지 않") {
		t.Errorf("a second save of the same preview on A = %d, want 404 saying it was saved: %.1000s", again.status, again.body)
	}
	if got := changed(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after a second save, changed figures = %v, want exactly %v", got, want)
	}

	// Two clicks at once, one on each instance: one save applies.
	f = env.template(t)
	setTemplateCell(t, f, env.own, 6, "I", 9)
	up = onA.upload(t, env.path("/upload"), "실적.xlsx", workbookBytes(t, f))
	if p := onB.preview(t, up); p.status != http.StatusOK || !saveButton.MatchString(p.body) {
		t.Fatalf("second preview on B = %d: %.1000s", p.status, p.body)
	}
	oneSaved(t, racePost(t, onA, onB, up.location, url.Values{"action": {"commit"}}), "done=save&n=1", "두 번 저장하지 않")
	if got := planFigures(t, a, env.year)[fmt.Sprintf("%d/6", env.own)]; got != `9 v2 draft ""` {
		t.Errorf("after two saves at once the figure is %s, want 9 saved once (v2)", got)
	}
}

// TestUploadProgressAcrossInstances shows on one instance the progress
// that the instance reading the file writes, and says to upload again when
// that reader stops.
func TestUploadProgressAcrossInstances(t *testing.T) {
	env := newUploadEnv(t)
	a := env.s
	b := a.secondInstance(t, config{demo: true, public: true, noSampleYear: true})
	ctx := context.Background()
	sess := sessionOf(t, env.staff)
	// Instance A starts reading a file and reports its progress, as its
	// reader does.
	up := &models.Upload{Kind: models.UploadFigures, SessionID: sess.ID, UserID: sess.UserID, Year: env.year, Department: "일자리경제과",
		FileName: "big.csv", State: models.UploadReading, Expires: a.store.Now().Add(15 * time.Minute)}
	if err := a.store.CreateUpload(ctx, up, models.UploadLimits{}); err != nil {
		t.Fatal(err)
	}
	if err := a.store.UploadProgress(ctx, up.Token, 1200, 3000); err != nil {
		t.Fatal(err)
	}
	path := env.path("/upload/" + up.Token)
	onB := env.staff.on(b)
	p := onB.get(t, path)
	if p.status != http.StatusOK || p.header.Get("Refresh") != "1" || !strings.Contains(p.body, "40% 읽음 (1200 / 3000행)") {
		t.Fatalf("progress on B = %d, Refresh %q; want 200 with A's 40%%: %.1500s", p.status, p.header.Get("Refresh"), p.body)
	}
	// A dies: its row stops beating. Ten seconds on, B says so.
	now := a.store.Now().Add(11 * time.Second)
	b.store.SetClock(func() time.Time { return now })
	p = onB.get(t, path+"?lang=en")
	if p.status != http.StatusGone || p.header.Get("Refresh") != "" || !strings.Contains(p.body, "Upload the file again") {
		t.Fatalf("progress of a stopped reader on B = %d, Refresh %q; want 410 asking for the file again: %.1500s", p.status, p.header.Get("Refresh"), p.body)
	}
	if p := env.staff.get(t, path); p.status != http.StatusGone || !strings.Contains(p.body, "파일을 다시 올리세요") {
		t.Errorf("the stopped upload on A = %d, want 410 in Korean: %.1000s", p.status, p.body)
	}
	if c := onB.post(t, path, url.Values{"action": {"commit"}}); c.status != http.StatusSeeOther || c.location != path {
		t.Errorf("saving a stopped upload = %d %s, want back to its page", c.status, c.location)
	}
}

// TestPlanUploadAcrossInstances previews a plan spreadsheet on one
// instance and saves it on another: the plan is written once, a second
// save is refused in words, and another user's save finds nothing.
func TestPlanUploadAcrossInstances(t *testing.T) {
	s := newTestServer(t, true)
	b := s.secondInstance(t, config{demo: true, public: true, noSampleYear: true})
	official := s.loginAs(t, "official")
	onB := official.on(b)
	ctx := context.Background()

	// A year with no plan: a new draft.
	sheet := official.get(t, "/plans/2020/plan.xlsx")
	a := official.upload(t, "/plans/2023/plan-upload", "plan-2020.xlsx", []byte(sheet.body))
	if a.status != http.StatusOK {
		t.Fatalf("upload on A = %d:\n%.1000s", a.status, a.body)
	}
	token := uploadToken(t, a.body, 2023)
	if r := b.loginAs(t, "admin").post(t, "/plans/2023/plan-upload/"+token, url.Values{"action": {"commit"}}); r.status != http.StatusNotFound {
		t.Errorf("another user saves the upload on B = %d, want 404", r.status)
	}
	saved := onB.post(t, "/plans/2023/plan-upload/"+token, url.Values{"action": {"commit"}})
	if saved.status != http.StatusSeeOther || !strings.Contains(saved.location, "/plans/2023/draft") {
		t.Fatalf("save on B = %d %s:\n%.1500s", saved.status, saved.location, saved.body)
	}
	plan, err := s.store.Plan(ctx, 2023)
	if err != nil || len(plan.Tasks) != 5 {
		t.Fatalf("the 2023 draft = %v, %v; want the 5 tasks of the file", plan, err)
	}
	again := official.post(t, "/plans/2023/plan-upload/"+token, url.Values{"action": {"commit"}})
	if again.status != http.StatusNotFound || !strings.Contains(again.body, "두 번 저장하지 않") {
		t.Errorf("a second save on A = %d, want 404 saying it was saved:\n%.1000s", again.status, again.body)
	}

	// A published plan: a 수정공시 prepared from the file, saved by two
	// clicks at once on the two instances.
	f, err := excelize.OpenReader(strings.NewReader(sheet.body))
	if err != nil {
		t.Fatal(err)
	}
	setCell(t, f, "과제", sheetColumn(t, f, "과제", "과제명", "과제명(영문)"), 2, "일자리 기반 구축")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	a = official.upload(t, "/plans/2020/plan-upload", "plan.xlsx", buf.Bytes())
	if a.status != http.StatusOK || !strings.Contains(a.body, "일자리 기반 구축") {
		t.Fatalf("upload of a changed 2020 sheet on A = %d:\n%.1500s", a.status, a.body)
	}
	path := "/plans/2020/plan-upload/" + uploadToken(t, a.body, 2020)
	oneSaved(t, racePost(t, official, onB, path, url.Values{"action": {"commit"}, "reason-all": {"명칭 정비"}}), "/plans/2020/", "두 번 저장하지 않")
	plan, err = s.store.Plan(ctx, 2020)
	if err != nil {
		t.Fatal(err)
	}
	var edits []string
	if d := plan.DraftRevision(); d != nil {
		for _, e := range d.Edits {
			edits = append(edits, fmt.Sprintf("%s.%s %s→%s (%s)", e.Record, e.Field, e.Old, e.New, e.Reason))
		}
	}
	if want := []string{"tasks.name 일자리 인프라 구축→일자리 기반 구축 (명칭 정비)"}; fmt.Sprint(edits) != fmt.Sprint(want) {
		t.Errorf("the draft revision's edits = %q, want %q", edits, want)
	}
}

// othersUploads keeps a figures upload of another session of staff and a
// plan upload of admin's, for the bad-input rows that try their tokens.
func othersUploads(t *testing.T, s *testServer, year int) (figures, plan string) {
	t.Helper()
	ctx := context.Background()
	keep := func(login string, up *models.Upload) string {
		t.Helper()
		u := demoUser(t, s, login)
		token, err := s.store.NewSession(ctx, u, models.Origin{})
		if err != nil {
			t.Fatal(err)
		}
		sess, _, err := s.store.SessionUser(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		up.SessionID, up.UserID, up.Expires = sess.ID, u.ID, s.store.Now().Add(15*time.Minute)
		if err := s.store.CreateUpload(ctx, up, models.UploadLimits{}); err != nil {
			t.Fatal(err)
		}
		return up.Token
	}
	figures = keep("staff", &models.Upload{Kind: models.UploadFigures, Year: year, Department: "일자리경제과", FileName: "실적.xlsx",
		State: models.UploadReady, Result: []byte(`{"format":"xlsx","sheet":"실적","rows":1}`)})
	plan = keep("admin", &models.Upload{Kind: models.UploadPlan, Year: 2020, FileName: "plan.xlsx", Content: []byte("PK"),
		State: models.UploadReady, Result: []byte(`{"seen":"x"}`)})
	return figures, plan
}

// TestPlanUploadPlanMadeSincePreview previews a file as a year's new plan,
// and saves it after another official made that year's plan: the save is
// refused, and the plan made meanwhile stays as it was.
func TestPlanUploadPlanMadeSincePreview(t *testing.T) {
	s := newTestServer(t, true)
	official, admin := s.loginAs(t, "official"), s.loginAs(t, "admin")
	sheet := []byte(official.get(t, "/plans/2020/plan.xlsx").body)
	a := official.upload(t, "/plans/2023/plan-upload", "plan-2020.xlsx", sheet)
	path := "/plans/2023/plan-upload/" + uploadToken(t, a.body, 2023)
	f, err := excelize.OpenReader(bytes.NewReader(sheet))
	if err != nil {
		t.Fatal(err)
	}
	setCell(t, f, "과제", sheetColumn(t, f, "과제", "과제명", "과제명(영문)"), 2, "일자리 기반 구축")
	b := admin.upload(t, "/plans/2023/plan-upload", "plan.xlsx", workbookBytes(t, f))
	if r := admin.post(t, "/plans/2023/plan-upload/"+uploadToken(t, b.body, 2023), url.Values{"action": {"commit"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the other official's save = %d:\n%.1000s", r.status, r.body)
	}
	before := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence")
	stale := official.post(t, path, url.Values{"action": {"commit"}})
	if stale.status != http.StatusUnprocessableEntity || !strings.Contains(stale.body, "2023년 계획이 이미 있습니다") {
		t.Fatalf("a save after the year's plan was made = %d, want 422 saying so:\n%.3000s", stale.status, stale.body)
	}
	if after := dbChecksum(t, s.db, "access_events", "sessions", "sqlite_sequence"); after != before {
		t.Error("the refused save wrote to the database")
	}
	plan, err := s.store.Plan(context.Background(), 2023)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Tasks[0].Name != "일자리 기반 구축" {
		t.Errorf("task 1 of the 2023 draft = %q, want the name the other official saved", plan.Tasks[0].Name)
	}
}
