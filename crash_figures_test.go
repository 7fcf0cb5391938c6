//go:build unix

package main

// The figure-write crash test. Eight writers, one per indicator, write the
// current month through the API while the server is killed with SIGKILL at
// a random moment. After every kill the database must hold, for each
// writer, its last acknowledged value or a newer one it sent without an
// answer, and an audit row for every acknowledged write and for the figure
// it holds: a figure and its audit row are one transaction.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// The figure-write crash test runs 24 cycles under .ci/run and 6 in the
// plain go test ./... (see fullGates).
var (
	figureCrashCycles  = gateSize(6, 24)
	figureCrashMinAcks = figureCrashCycles * 100 / 24 // fewer, and the test proves little
)

const (
	figureCrashWriters = 8
	// figureCrashDept is the department of the indicators and the writer.
	figureCrashDept = "일자리경제과"
)

// TestCrashFigureWrites kills the server with SIGKILL while eight writers
// save figures concurrently, and checks after every kill that each
// acknowledged write and its audit row survived.
func TestCrashFigureWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: starts and kills the server two dozen times")
	}
	seed := crashSeed(t)
	rng := rand.New(rand.NewPCG(seed, seed))
	t.Logf("seed %d (rerun with JOBKPI_CRASH_SEED=%d)", seed, seed)
	now := time.Now().In(models.KST)
	db := storetest.DSN(t)
	ids, token := prepareFigureCrashDB(t, db, now.Year())
	writers := make([]*figureWriter, len(ids))
	for i, id := range ids {
		writers[i] = &figureWriter{id: id, year: now.Year(), month: int(now.Month()), token: token, next: 1}
	}
	var tally figureTally
	for i, point := range killPoints(rng, figureCrashCycles) {
		// Kills between 100 and 600 ms after the server listens land
		// while every writer has a request in flight.
		delay := 100*time.Millisecond + time.Duration(point*float64(500*time.Millisecond))
		midWrite, unanswered := runFigureCycle(t, db, writers, delay)
		for j, w := range writers {
			if w.err != nil {
				t.Fatalf("cycle %d, writer %d: %v", i, j, w.err)
			}
		}
		c := checkFigureWriters(t, db, writers)
		c.midWrite = midWrite
		tally.add(c)
		t.Logf("cycle %2d: kill at %3dms, mid-write=%-5v acked=%3d unanswered=%d stored-unacked=%d lost=%d audit-missing=%d",
			i, delay.Milliseconds(), midWrite, c.acked, unanswered, c.unacked, c.lost, c.missing)
	}
	integrityCheck(t, db)
	tally.report(t)
}

// prepareFigureCrashDB creates db with a plan for year of eight flow
// indicators of figureCrashDept, and a staff user of that department. It
// returns the indicator IDs and the user's API token.
func prepareFigureCrashDB(t *testing.T, db string, year int) ([]uint, string) {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	plan, err := store.ImportPlan(ctx, figureCrashPlan(t, year))
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint
	for _, ind := range plan.Tasks[0].Programs[0].Indicators {
		ids = append(ids, ind.ID)
	}
	u, err := store.CreateUser(ctx, models.UserInput{Login: "crash-writer", DisplayName: "crash writer",
		Department: figureCrashDept, Role: models.RoleStaff, Password: "kill nine, then count"}, false, nil, models.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	token, err := store.NewAPIToken(ctx, u, "crash writers")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	return ids, token
}

// figureCrashPlan is a plan for year with one programme of
// figureCrashWriters flow indicators, targets high enough that no value
// needs confirming.
func figureCrashPlan(t *testing.T, year int) *models.PlanFile {
	t.Helper()
	target := 1_000_000.0
	prog := models.ProgramFile{Name: "crash writers", Department: figureCrashDept}
	for i := range figureCrashWriters {
		prog.Indicators = append(prog.Indicators, models.IndicatorFile{Name: fmt.Sprintf("indicator %d", i+1),
			Unit: "명", Kind: models.KindFlow, Target: &target, Headline: i == 0})
	}
	pf := models.PlanFile{Year: year, City: "crash", Title: fmt.Sprintf("figure crash plan %d", year), Published: models.PublishedUnknown,
		Tasks: []models.TaskFile{{Code: "T1", Name: "crash", Programs: []models.ProgramFile{prog}}}}
	content, err := json.Marshal(pf)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := models.ParsePlanFile(strings.NewReader(string(content)))
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

// runFigureCycle starts the server, runs the writers until it is killed
// after delay, and waits for all of them. It reports whether the server held
// the write lock when the kill was sent, and how many writers were left with
// a request unanswered.
func runFigureCycle(t *testing.T, db string, writers []*figureWriter, delay time.Duration) (midWrite bool, unanswered int) {
	t.Helper()
	p, base := startServer(t, db)
	// A new transport each cycle: no connection outlives its server.
	tr := &http.Transport{MaxIdleConnsPerHost: len(writers)}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	var wg sync.WaitGroup
	for _, w := range writers {
		wg.Go(func() { w.run(client, base) })
	}
	p.kill9After(delay, func() { midWrite = holdsWriteLock(db) })
	_, killed := p.wait(t)
	wg.Wait()
	if !killed {
		t.Fatalf("the server exited before the kill: %v\n%s", p.waitErr, p.stderr.String())
	}
	for _, w := range writers {
		if len(w.unanswered) > 0 {
			unanswered++
		}
	}
	return midWrite, unanswered
}

// figureState is a figure's value and version, as the API returns them and
// the database holds them.
type figureState struct {
	Value   float64 `json:"value"`
	Version int     `json:"version"`
}

// figureWriter writes one indicator's figure for one month, value 1, 2, 3
// and so on, each with the version it knows.
type figureWriter struct {
	id          uint
	year, month int
	token       string
	next        int // the next value to send

	version    int           // the version the writer knows
	held       *figureState  // what the database must hold at least; nil before the first write
	unanswered []figureState // sent after held without an answer: perhaps stored
	acked      []figureState // acknowledged in this cycle
	err        error         // an answer the API should never give; stops the writer
}

// run resyncs with the server, then writes until a request fails.
func (w *figureWriter) run(client *http.Client, base string) {
	url := fmt.Sprintf("%s/api/v1/figures/%d/%d/%d", base, w.id, w.year, w.month)
	if !w.resync(client, url) {
		return
	}
	for {
		sent := figureState{Value: float64(w.next), Version: w.version + 1}
		w.next++
		w.unanswered = append(w.unanswered, sent)
		body := fmt.Sprintf(`{"value": %d, "note": "crash", "version": %d}`, int(sent.Value), w.version)
		status, raw, err := w.send(client, http.MethodPut, url, body)
		if err != nil {
			return // the server is gone
		}
		var got figureState
		if status != http.StatusOK && status != http.StatusCreated || json.Unmarshal(raw, &got) != nil || got != sent {
			w.err = fmt.Errorf("PUT %s = %d %s, want 200 or 201 with %+v", body, status, raw, sent)
			return
		}
		w.held, w.unanswered, w.version = &got, nil, got.Version
		w.acked = append(w.acked, got)
	}
}

// resync reads the figure, which must be what the check after the last
// kill found, and takes its version. It reports false when the writer
// cannot go on.
func (w *figureWriter) resync(client *http.Client, url string) bool {
	status, raw, err := w.send(client, http.MethodGet, url, "")
	if err != nil {
		return false
	}
	var got *figureState
	switch status {
	case http.StatusOK:
		got = new(figureState)
		if err := json.Unmarshal(raw, got); err != nil {
			w.err = fmt.Errorf("GET = %s: %v", raw, err)
			return false
		}
	case http.StatusNotFound:
	default:
		w.err = fmt.Errorf("GET = %d %s, want 200 or 404", status, raw)
		return false
	}
	if !sameFigure(got, w.held) {
		w.err = fmt.Errorf("GET = %s, want %s, as the database held after the kill", describeFigure(got), describeFigure(w.held))
		return false
	}
	w.version = 0
	if got != nil {
		w.version = got.Version
	}
	return true
}

// send makes one request with the writer's token and reads the answer.
func (w *figureWriter) send(client *http.Client, method, url, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, raw, err
}

// figureCycle is what the check after one kill found.
type figureCycle struct {
	acked    int // writes acknowledged in the cycle
	lost     int // acknowledged writes whose figure or audit row is missing
	missing  int // audit rows missing
	unacked  int // writes stored although their answer never came
	midWrite bool
}

// checkFigureWriters opens db read-only and checks every writer; see
// checkFigureWriter.
func checkFigureWriters(t *testing.T, db string, writers []*figureWriter) figureCycle {
	t.Helper()
	conn := openReadOnly(t, db)
	defer conn.Close()
	var c figureCycle
	for i, w := range writers {
		sent := w.unanswered
		lost, missing, err := checkFigureWriter(conn, w)
		if err != nil {
			t.Errorf("writer %d (indicator %d): %v", i, w.id, err)
		}
		if w.held != nil && slices.Contains(sent, *w.held) {
			c.unacked++
		}
		c.acked += len(w.acked)
		c.lost += lost
		c.missing += missing
		w.acked = nil
	}
	return c
}

// checkFigureWriter compares what db holds for w with what w was told and
// sent. The figure must be the last one held or one sent after it without
// an answer. Every acknowledged write, and the stored figure, must have its
// audit row. Lost counts acknowledged writes whose figure or audit row is
// missing. The stored figure becomes what w holds.
func checkFigureWriter(conn *sql.DB, w *figureWriter) (lost, missing int, err error) {
	f, ok, err := storedFigure(conn, w)
	if err != nil {
		return 0, 0, err
	}
	var stored *figureState
	if ok {
		stored = &f
	}
	audit, err := auditedFigures(conn, w)
	if err != nil {
		return 0, 0, err
	}
	defer func() { w.held, w.unanswered = stored, nil }()
	older := w.held != nil && (stored == nil || stored.Version < w.held.Version)
	var unaudited []figureState
	for _, a := range w.acked {
		overwritten := older && (stored == nil || a.Version > stored.Version)
		if !audit[a] {
			unaudited = append(unaudited, a)
		}
		if !audit[a] || overwritten {
			lost++
		}
	}
	if stored != nil && !audit[*stored] && !slices.Contains(w.acked, *stored) && !sameFigure(stored, w.held) {
		unaudited = append(unaudited, *stored) // a figure saved without its audit row: half a write
	}
	missing = len(unaudited)
	switch {
	case older:
		lost = max(lost, 1) // held since an earlier cycle, gone now
		return lost, missing, fmt.Errorf("the database holds %s, older than %s, acknowledged or found before", describeFigure(stored), describeFigure(w.held))
	case !sameFigure(stored, w.held) && (stored == nil || !slices.Contains(w.unanswered, *stored)):
		return lost, missing, fmt.Errorf("the database holds %s; want %s or one of the unanswered %v", describeFigure(stored), describeFigure(w.held), w.unanswered)
	case missing > 0:
		return lost, missing, fmt.Errorf("no audit row for %v (value, version), stored %s", unaudited, describeFigure(stored))
	}
	return lost, missing, nil
}

// storedFigure reads w's figure; ok is false when there is none.
func storedFigure(conn *sql.DB, w *figureWriter) (f figureState, ok bool, err error) {
	err = conn.QueryRow(storetest.Q(`SELECT value, version FROM figures WHERE indicator_id = ? AND year = ? AND month = ?`),
		w.id, w.year, w.month).Scan(&f.Value, &f.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, fmt.Errorf("read figure: %w", err)
	}
	return f, true, nil
}

// auditedFigures returns the value and version after every change in the
// audit trail of w's figure.
func auditedFigures(conn *sql.DB, w *figureWriter) (map[figureState]bool, error) {
	rows, err := conn.Query(storetest.Q(`SELECT new_value, version FROM figure_changes WHERE indicator_id = ? AND year = ? AND month = ? AND new_value IS NOT NULL`),
		w.id, w.year, w.month)
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	out := map[figureState]bool{}
	for rows.Next() {
		var f figureState
		if err := rows.Scan(&f.Value, &f.Version); err != nil {
			return nil, fmt.Errorf("read audit trail: %w", err)
		}
		out[f] = true
	}
	return out, rows.Err()
}

func sameFigure(a, b *figureState) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func describeFigure(f *figureState) string {
	if f == nil {
		return "no figure"
	}
	return fmt.Sprintf("value %v version %d", f.Value, f.Version)
}

// figureTally counts what the figure-write crash cycles found.
type figureTally struct {
	cycles, acked, lost, auditMissing, unacked, killedMidWrite int
}

func (c *figureTally) add(cycle figureCycle) {
	c.cycles++
	c.acked += cycle.acked
	c.lost += cycle.lost
	c.auditMissing += cycle.missing
	c.unacked += cycle.unacked
	if cycle.midWrite {
		c.killedMidWrite++
	}
}

func (c figureTally) String() string {
	return fmt.Sprintf("crash: figure-writes cycles=%d writers=%d acked=%d lost=%d audit-missing=%d",
		c.cycles, figureCrashWriters, c.acked, c.lost, c.auditMissing)
}

// report prints the summary line to the test log and to stdout, and fails
// the test on any lost write or missing audit row, or when too few writes
// were acknowledged for the test to mean anything.
func (c figureTally) report(t *testing.T) {
	t.Helper()
	t.Logf("%s", c)
	fmt.Printf("%s\n", c)
	t.Logf("%d of %d kills landed while the server held the write lock; %d writes were stored without an answer",
		c.killedMidWrite, c.cycles, c.unacked)
	if c.lost > 0 || c.auditMissing > 0 {
		t.Errorf("%d acknowledged writes lost and %d audit rows missing; a figure and its audit row must commit together", c.lost, c.auditMissing)
	}
	if c.acked < figureCrashMinAcks {
		t.Errorf("only %d writes acknowledged in %d cycles, want %d or more; the kills come too early", c.acked, c.cycles, figureCrashMinAcks)
	}
}
