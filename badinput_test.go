package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"jobkpi/data"
	"jobkpi/models"
	"jobkpi/models/storetest"
)

// badInput is one row of testdata/bad-inputs.json: either a request (path,
// optional method) or a plan file for `jobkpi plan import`.
type badInput struct {
	Name    string  `json:"name"`
	Method  string  `json:"method"`
	Path    string  `json:"path"`
	Plan    *string `json:"plan"`
	Status  int     `json:"status"`  // expected status; plan imports must exit 1
	Message string  `json:"message"` // a phrase the answer must contain
	Problem bool    `json:"problem"` // the answer is application/problem+json
	// For requests that need them: sign in first as a demo account, send
	// a form (POST), replace the CSRF token ("none" or "wrong"), or send a
	// raw Cookie header.
	As   string            `json:"as"`
	Form map[string]string `json:"form"`
	JSON *string           `json:"json"` // a raw JSON body (PUT), sent with the CSRF header
	// Sheet uploads a plan spreadsheet made bad in the named way
	// (badPlanSheet) as the form's file.
	Sheet string `json:"sheet"`
	// ContentType replaces application/json on a JSON body; "none" sends
	// no Content-Type at all.
	ContentType string `json:"content_type"`
	CSRF        string `json:"csrf"`
	Cookie      string `json:"cookie"`
	// MayLog allows the access log (and sessions) to change: a failed login
	// must be recorded.
	MayLog bool `json:"may_log"`
	// Start runs the program with these arguments (the server, or a
	// command), which must exit with Exit and say Message on its output,
	// without the text Absent. The placeholders BADHOST, BADPASSWORD and
	// NEWERDB name databases made bad in that way (badStartDB).
	Start  []string `json:"start"`
	Exit   int      `json:"exit"`
	Absent string   `json:"absent"`
}

func loadBadInputs(t *testing.T) []badInput {
	t.Helper()
	b, err := os.ReadFile("testdata/bad-inputs.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []badInput
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("testdata/bad-inputs.json: %v", err)
	}
	return rows
}

// TestBadInputs sends every bad input to its endpoint and checks three
// things: the status (never 5xx), a message that says what is wrong, and
// that the database did not change.
func TestBadInputs(t *testing.T) {
	parallelShort(t)
	s := newTestServer(t, true)
	// Mid-June of this year on the program's one clock: the open month
	// and the month after it are in the same plan year whatever the date
	// the tests run on.
	now := time.Date(time.Now().In(models.KST).Year(), 6, 15, 12, 0, 0, 0, models.KST)
	s.store.SetClock(func() time.Time { return now })
	own, other := entryPlan(t, s, now.Year())
	draftInd := cyclePlans(t, s)
	changedSinceResults(t, s)
	spending := budgetedSpending(t, s, own, `{"city":10}`)
	prog2020, ind2020 := indicatorTargeted(t, s, 2020, 170)
	sheets := newBadSheets(t, s)
	figUpload, planUpload := othersUploads(t, s, now.Year())
	placeholders := strings.NewReplacer("FIGTOKEN", figUpload, "PLANTOKEN", planUpload, "PROG2020", fmt.Sprint(prog2020), "IND2020", fmt.Sprint(ind2020), "OWN", fmt.Sprint(own), "OTHER", fmt.Sprint(other), "DRAFTIND", fmt.Sprint(draftInd), "YEAR", fmt.Sprint(now.Year()),
		"SPENDING", fmt.Sprint(spending),
		"NEXTMONTH", fmt.Sprint(int(now.Month())%12+1), "MONTH", fmt.Sprint(int(now.Month())))
	for _, row := range loadBadInputs(t) {
		row.Path = placeholders.Replace(row.Path)
		form := map[string]string{}
		for k, v := range row.Form {
			form[placeholders.Replace(k)] = placeholders.Replace(v)
		}
		if row.Form != nil {
			row.Form = form
		}
		t.Run(row.Name, func(t *testing.T) {
			client := s.newClient(t)
			if row.As != "" {
				client = s.loginAs(t, row.As)
			}
			var skip []string
			if row.MayLog {
				skip = []string{"access_events", "sessions", "sqlite_sequence"}
			}
			before := dbChecksum(t, s.db, skip...)
			switch {
			case row.Start != nil:
				checkBadStart(t, row)
			case row.Plan != nil:
				checkBadPlanImport(t, s, row)
			case row.Sheet != "":
				checkBadSheet(t, client, row, sheets.make(t, row.Sheet))
			default:
				checkBadRequest(t, client, row)
			}
			if after := dbChecksum(t, s.db, skip...); after != before {
				t.Errorf("the database changed: %s → %s", before, after)
			}
		})
	}
}

// changedSinceResults publishes 2020's 상반기 results and then changes a
// June figure, so that publishing them again is a correction that needs
// its reasons.
func changedSinceResults(t *testing.T, s *testServer) {
	t.Helper()
	if _, err := s.store.PublishResults(context.Background(), demoUser(t, s, "official"), models.PublishResultsInput{Year: 2020, Period: "h1"}); err != nil {
		t.Fatal(err)
	}
	id := indicatorID(t, s, publicWorks)
	june, err := s.store.Figure(context.Background(), id, 2020, 6)
	if err != nil {
		t.Fatal(err)
	}
	approveMonth(t, s, id, "staff", "일자리경제과", 6, fmt.Sprint(june.Value+1))
}

// cyclePlans sets up the plans that the yearly-cycle rows refuse to
// change: a 2022 draft copied from 2020 whose targets still need review,
// a 2031 draft with no indicator (copied from a 2030 plan of none), and a
// draft revision of 2020 holding one change. It returns an indicator of
// the 2022 draft.
func cyclePlans(t *testing.T, s *testServer) uint {
	t.Helper()
	ctx := context.Background()
	official := demoUser(t, s, "official")
	draft, err := s.store.CopyPlan(ctx, official, 2020, 2022, models.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	pf, err := models.ParsePlanFile(strings.NewReader(`{"year":2030,"city":"김포시","title":"2030년 계획","published":"unknown","tasks":[{"code":"T1","name":"과제","programs":[{"name":"사업"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ImportPlan(ctx, pf); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.CopyPlan(ctx, official, 2030, 2031, models.Origin{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.SetTarget(ctx, official, 6, models.TargetInput{Year: 2020, Target: "120", Reason: "추경 반영"}); err != nil {
		t.Fatal(err)
	}
	return draft.Tasks[1].Programs[0].Indicators[0].ID
}

// budgetedSpending gives the programme of indicator ind the budget given
// as stored text, in the database file itself, and returns the
// programme's spending indicator.
func budgetedSpending(t *testing.T, s *testServer, ind uint, budget string) uint {
	t.Helper()
	db := storetest.Open(t, s.db)
	if _, err := db.Exec(storetest.Q(`UPDATE programs SET budget = ? WHERE id = (SELECT program_id FROM indicators WHERE id = ?)`), budget, ind); err != nil {
		t.Fatal(err)
	}
	var id uint
	err := db.QueryRow(storetest.Q(`SELECT id FROM indicators WHERE kind = 'spending' AND program_id = (SELECT program_id FROM indicators WHERE id = ?)`), ind).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func checkBadRequest(t *testing.T, b *browserClient, row badInput) {
	t.Helper()
	method := row.Method
	if method == "" {
		method = http.MethodGet
	}
	path := strings.ReplaceAll(row.Path, "REPEAT3000", strings.Repeat("a", 3000))
	var body io.Reader
	var sent string // the request's own words, which an answer may quote
	if row.JSON != nil {
		sent = strings.ReplaceAll(*row.JSON, "REPEAT2M", strings.Repeat("x", 2<<20))
		body = strings.NewReader(sent)
	}
	if method == http.MethodPost {
		form := url.Values{}
		for k, v := range row.Form {
			form.Set(k, strings.ReplaceAll(v, "REPEAT1M", strings.Repeat("x", 1<<20)))
		}
		switch row.CSRF {
		case "":
			form.Set("_csrf", b.csrf(t))
		case "none":
		default:
			form.Set("_csrf", row.CSRF)
		}
		sent = form.Encode()
		body = strings.NewReader(sent)
	}
	req, err := http.NewRequest(method, b.s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case row.JSON != nil:
		switch row.ContentType {
		case "":
			req.Header.Set("Content-Type", "application/json")
		case "none":
		default:
			req.Header.Set("Content-Type", row.ContentType)
		}
		switch row.CSRF {
		case "":
			req.Header.Set("X-CSRF-Token", b.csrf(t))
		case "none":
		default:
			req.Header.Set("X-CSRF-Token", row.CSRF)
		}
	case body != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if row.Cookie != "" {
		req.Header.Set("Cookie", row.Cookie)
	}
	a := b.do(t, req)
	res := struct {
		StatusCode int
		Header     http.Header
	}{a.status, a.header}
	respBody := []byte(a.body)
	if res.StatusCode >= 500 || res.StatusCode != row.Status {
		t.Errorf("%s %s = %d, want %d", method, row.Path, res.StatusCode, row.Status)
	}
	if len(bytes.TrimSpace(respBody)) == 0 || !strings.Contains(string(respBody), row.Message) {
		t.Errorf("%s %s body does not say %q: %.300s", method, row.Path, row.Message, respBody)
	}
	if ct := res.Header.Get("Content-Type"); row.Problem && ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	if res.StatusCode >= 400 && !row.Problem && !strings.Contains(string(respBody), "<h1") {
		t.Errorf("error page has no heading: %.300s", respBody)
	}
	if row.Problem {
		checkEnglishProblem(t, b, req, sent, row)
	}
}

// checkEnglishProblem sends an API request again, asking for English by
// Accept-Language, and checks that the answer has the same status and no
// Korean but what the request itself carried.
func checkEnglishProblem(t *testing.T, b *browserClient, req *http.Request, sent string, row badInput) {
	t.Helper()
	en := req.Clone(req.Context())
	en.Body = io.NopCloser(strings.NewReader(sent))
	en.Header.Set("Accept-Language", "en-US,en;q=0.9")
	a := b.do(t, en)
	if a.status != row.Status {
		t.Errorf("in English: %s %s = %d, want %d", req.Method, row.Path, a.status, row.Status)
	}
	quoted, _ := url.QueryUnescape(row.Path + " " + sent)
	for _, run := range hangul.FindAllString(a.body, -1) {
		if !strings.Contains(quoted+sent, run) {
			t.Errorf("in English: %s %s answers in Korean (%q): %.300s", req.Method, row.Path, run, a.body)
			break
		}
	}
}

// badPassword is the password the bad -db URLs carry, which no output may
// show.
const badPassword = "SECRET-pw-4417"

// badStartDB is the database a placeholder of a start row names: a URL
// of a host that does not answer (BADHOST); one with a wrong password
// (BADPASSWORD, PostgreSQL only, where the server asks for one); or a
// copy of a seeded database marked with a schema version newer than the
// program's (NEWERDB).
func badStartDB(t *testing.T, placeholder string) string {
	t.Helper()
	switch placeholder {
	case "BADHOST":
		return "postgres://jobkpi:" + badPassword + "@127.0.0.1:1/jobkpi?connect_timeout=5"
	case "BADPASSWORD":
		if !storetest.Postgres() {
			t.Skip("a wrong password needs a PostgreSQL server (JOBKPI_TEST_DB)")
		}
		u, err := url.Parse(storetest.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(u.User.Username(), badPassword)
		if conn, err := sql.Open("pgx", u.String()); err == nil {
			defer conn.Close()
			if conn.Ping() == nil {
				t.Skip("the PostgreSQL server of JOBKPI_TEST_DB does not ask for a password (trust); .ci/run's does")
			}
		}
		return u.String()
	case "NEWERDB":
		seededDBs.once.Do(func() { seededDBs.dir, seededDBs.err = makeSeeded() })
		db := storetest.Copy(t, seededPath(config{}))
		conn := storetest.Open(t, db)
		if _, err := conn.Exec(storetest.Q("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)"), 999, true); err != nil {
			t.Fatal(err)
		}
		conn.Close()
		return db
	}
	return placeholder
}

// checkBadStart runs the program as a start row says, and checks its exit
// code, its message, that it does not show what it must not, and that
// the database it was given did not change.
func checkBadStart(t *testing.T, row badInput) {
	t.Helper()
	args := slices.Clone(row.Start)
	var db string
	for i, a := range args {
		if b := badStartDB(t, a); b != a {
			args[i], db = b, b
		}
	}
	var before string
	if !models.IsPostgresURL(db) || storetest.Postgres() && !strings.Contains(db, "127.0.0.1:1/") && !strings.Contains(db, badPassword) {
		before = dbChecksum(t, db)
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := run(ctx, args, &out, &out)
	if code != row.Exit {
		t.Errorf("exit code = %d, want %d: %s", code, row.Exit, out.String())
	}
	if !strings.Contains(out.String(), row.Message) {
		t.Errorf("the output does not say %q: %s", row.Message, out.String())
	}
	if row.Absent != "" && strings.Contains(out.String(), row.Absent) {
		t.Errorf("the output shows %q: %s", row.Absent, out.String())
	}
	if before != "" && dbChecksum(t, db) != before {
		t.Errorf("the database %s changed", db)
	}
}

func checkBadPlanImport(t *testing.T, s *testServer, row badInput) {
	t.Helper()
	content := []byte(*row.Plan)
	if *row.Plan == "SEED" {
		var err error
		if content, err = data.Plans.ReadFile("plans/gimpo-2020.json"); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(file, content, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := run(context.Background(), []string{"plan", "import", "-db", s.db, file}, &out, &out)
	if code != 1 {
		t.Errorf("plan import exit code = %d, want 1", code)
	}
	if !strings.Contains(out.String(), row.Message) || !strings.Contains(out.String(), "nothing was written") {
		t.Errorf("plan import output does not say %q and that nothing was written: %s", row.Message, out.String())
	}
}

// dbChecksum hashes every row of every table but the skipped ones, read
// through a separate connection, in an order of its own (the rows' text,
// sorted), so that it reads the same on SQLite and on PostgreSQL.
func dbChecksum(t testing.TB, dsn string, skip ...string) string {
	t.Helper()
	db := storetest.Open(t, dsn)
	defer db.Close()
	list := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if storetest.Postgres() {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	tables, err := queryStrings(db, list)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	// Uploaded files wait for their saving in the uploads table, as
	// sessions do in theirs: keeping one changes no data.
	skip = append(skip, "uploads")
	for _, table := range tables {
		if slices.Contains(skip, table) {
			continue
		}
		rows, err := db.Query(fmt.Sprintf(`SELECT * FROM %q`, table))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(h, "table %s\n%s\n", table, strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func queryStrings(db *sql.DB, query string) ([]string, error) {
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
