//go:build unix

package main

// The crash tests kill a real jobkpi process with SIGKILL at random moments
// and then check that the database kept every write it acknowledged, holds no
// half-written one and passes PRAGMA integrity_check.
//
// The program under test is this test binary itself: TestMain runs the real
// program instead of the tests when JOBKPI_TEST_MAIN=1 is set, taking its
// arguments from after the first "--":
//
//	JOBKPI_TEST_MAIN=1 ./jobkpi.test -- plan import -db x.db plan.json
//
// so the child is built exactly like the tests (with -race it is
// race-instrumented too) and needs no separate `go build`.
//
// Harness, for reuse by other crash tests:
//
//	startProgram(t, args...) *program      run jobkpi as a child process
//	startServer(t, db) (*program, string)  run the server, return its base URL
//	(*program).kill9After(d, beforeKill)   SIGKILL it after d unless it has exited
//	(*program).wait(t) (code int, killed bool)
//	runKill9(t, db, delay, args...)        start, kill after delay, wait
//	killPoints(rng, n)                     n random points spread over [0, 1)
//	runtimes                               a running estimate of how long a run takes
//	holdsWriteLock(db) bool                a process is inside a write transaction
//	integrityCheck(t, db)                  PRAGMA integrity_check must say ok
//	crashTally                             counts and the summary line

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// testMainEnv makes the test binary run the real program (see TestMain).
const testMainEnv = "JOBKPI_TEST_MAIN"

// TestMain runs the tests, or, when JOBKPI_TEST_MAIN=1, the real program with
// the arguments after "--", exiting with its exit code. The crash tests start
// the test binary that way to get a jobkpi process they can kill.
func TestMain(m *testing.M) {
	if os.Getenv(testMainEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, argsAfterDashes(os.Args[1:]), os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	code := m.Run()
	dropSeeded()
	os.Exit(code)
}

func argsAfterDashes(args []string) []string {
	if i := slices.Index(args, "--"); i >= 0 {
		return args[i+1:]
	}
	return nil
}

// program is a jobkpi child process: this test binary run with
// JOBKPI_TEST_MAIN=1.
type program struct {
	cmd     *exec.Cmd
	started time.Time
	done    chan struct{} // closed once the process has exited and its output is read
	lines   chan string   // stdout lines, for waitLine; lines beyond its buffer are dropped

	mu     sync.Mutex
	stdout strings.Builder

	stderr  strings.Builder // read only after done
	waitErr error           // set before done is closed
	ended   time.Time
}

// startProgram starts jobkpi with args. The process is killed at the end of
// the test if it is still running.
func startProgram(t testing.TB, args ...string) *program {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--"}, args...)...)
	// Under -race the child would sleep a second before exiting
	// (GORACE atexit_sleep_ms); that would only slow the tests down.
	cmd.Env = append(os.Environ(), testMainEnv+"=1", "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
	p := &program{cmd: cmd, done: make(chan struct{}), lines: make(chan string, 64)}
	cmd.Stderr = &p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start jobkpi %s: %v", strings.Join(args, " "), err)
	}
	p.started = time.Now()
	go p.read(out)
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// read copies stdout until the process closes it, then reaps the process.
func (p *program) read(out io.Reader) {
	r := bufio.NewReader(out)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			p.mu.Lock()
			p.stdout.WriteString(line)
			p.mu.Unlock()
			select {
			case p.lines <- strings.TrimRight(line, "\n"):
			default:
			}
		}
		if err != nil {
			break
		}
	}
	p.waitErr = p.cmd.Wait()
	p.ended = time.Now()
	close(p.done)
}

// Stdout returns what the program has printed on stdout so far.
func (p *program) Stdout() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

// waitLine waits up to timeout for a stdout line that matches re and returns
// its submatches.
func (p *program) waitLine(t testing.TB, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case line := <-p.lines:
			if m := re.FindStringSubmatch(line); m != nil {
				return m
			}
		case <-p.done:
			t.Fatalf("jobkpi exited before printing a line matching %s: %v\nstdout: %s\nstderr: %s", re, p.waitErr, p.Stdout(), p.stderr.String())
		case <-deadline:
			t.Fatalf("jobkpi printed no line matching %s within %v\nstdout: %s", re, timeout, p.Stdout())
		}
	}
}

// kill9After waits d and then, unless the program has exited by itself,
// calls beforeKill (if not nil) and sends SIGKILL. It does not wait for the
// exit; call wait, whose killed result says whether the kill landed.
func (p *program) kill9After(d time.Duration, beforeKill func()) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-p.done:
		return
	case <-timer.C:
	}
	if beforeKill != nil {
		beforeKill()
	}
	p.cmd.Process.Signal(syscall.SIGKILL) // fails harmlessly if it has just exited
}

// wait waits for the program to exit and returns its exit code, and whether
// SIGKILL ended it.
func (p *program) wait(t testing.TB) (code int, killed bool) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		t.Fatalf("jobkpi %v did not exit within a minute", p.cmd.Args[2:])
	}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal() == syscall.SIGKILL
	}
	var exit *exec.ExitError
	if p.waitErr != nil && !errors.As(p.waitErr, &exit) {
		t.Fatalf("jobkpi: %v", p.waitErr)
	}
	return p.cmd.ProcessState.ExitCode(), false
}

// runtime is how long the process ran; valid after wait.
func (p *program) runtime() time.Duration { return p.ended.Sub(p.started) }

// killedRun is how a program run under runKill9 ended.
type killedRun struct {
	code     int  // exit code, or -1 when a signal ended it
	killed   bool // SIGKILL ended it: the kill landed before it exited by itself
	midWrite bool // it held db's write lock just before the kill was sent
}

// runKill9 runs jobkpi with args, kills it with SIGKILL after delay unless
// it has exited by then, and waits for it. db is the database it writes,
// whose write lock is probed just before the kill.
func runKill9(t testing.TB, db string, delay time.Duration, args ...string) (*program, killedRun) {
	t.Helper()
	p := startProgram(t, args...)
	var run killedRun
	p.kill9After(delay, func() { run.midWrite = holdsWriteLock(db) })
	run.code, run.killed = p.wait(t)
	return p, run
}

// serving matches the server's start-up line.
var serving = regexp.MustCompile(`^jobkpi: serving http://(\S+)/ `)

// startServer starts `jobkpi -addr 127.0.0.1:0 -db db` and waits until it
// listens. It returns the process and the base URL, e.g. http://127.0.0.1:43127.
func startServer(t testing.TB, db string, args ...string) (*program, string) {
	t.Helper()
	p := startProgram(t, append([]string{"-addr", "127.0.0.1:0", "-db", db}, args...)...)
	m := p.waitLine(t, serving, 30*time.Second)
	return p, "http://" + m[1]
}

// killPoints returns n random points in [0, 1) in random order, one in each
// of n equal slices, so that even a short run hits every part of the kill
// window. Multiply by the window to get the delays.
func killPoints(rng *rand.Rand, n int) []float64 {
	out := make([]float64, n)
	for i, slot := range rng.Perm(n) {
		out[i] = (float64(slot) + rng.Float64()) / float64(n)
	}
	return out
}

// runtimes estimates how long a program run takes, as the median of the
// last five samples: running times of runs that finished by themselves, and
// lower bounds (the kill delay) of runs killed later than expected. Feeding
// it as the test goes keeps the kill window in step with the machine's load,
// which changes when other packages' tests start or finish.
type runtimes struct{ last []time.Duration }

func (r *runtimes) add(d time.Duration) {
	r.last = append(r.last, d)
	if len(r.last) > 5 {
		r.last = r.last[1:]
	}
}

func (r *runtimes) median() time.Duration {
	sorted := slices.Sorted(slices.Values(r.last))
	return sorted[len(sorted)/2]
}

// holdsWriteLock reports whether some process holds the write lock of
// db, i.e. is inside a write transaction. On PostgreSQL that is the
// store's advisory lock, as pg_locks shows it. On SQLite it is the WAL
// write lock: it asks the kernel with fcntl(F_GETLK) for byte 120 of the
// -shm file, where SQLite's unix VFS takes that lock. Call it only while
// this process has no connection open to db: closing any descriptor of a
// file drops the process's POSIX locks on it.
func holdsWriteLock(db string) bool {
	if storetest.Postgres() {
		return storetest.HoldsAdvisoryLock(db, models.WriteLockKey)
	}
	f, err := os.Open(db + "-shm")
	if err != nil {
		return false
	}
	defer f.Close()
	const walWriteLock = 120 // UNIX_SHM_BASE + WAL_WRITE_LOCK in sqlite3.c
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart, Start: walWriteLock, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false
	}
	return lk.Type != syscall.F_UNLCK
}

// openReadOnly opens db through database/sql, to read. Its queries are
// written with storetest.Q.
func openReadOnly(t testing.TB, db string) *sql.DB {
	t.Helper()
	return storetest.Open(t, db)
}

// integrityCheck requires PRAGMA integrity_check on a SQLite db to answer
// ok. PostgreSQL keeps its own files whole when a client dies, and has no
// such check to run.
func integrityCheck(t testing.TB, db string) {
	t.Helper()
	if storetest.Postgres() {
		return
	}
	conn := openReadOnly(t, db)
	defer conn.Close()
	got, err := queryStrings(conn, "PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity_check %s: %v", db, err)
	}
	if len(got) != 1 || got[0] != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, want ok", got)
	}
}

// crashTally counts what the crash cycles found.
type crashTally struct {
	Cycles         int // programs started and killed (or left to finish)
	Acked          int // writes the program confirmed before the kill landed
	Lost           int // acknowledged writes missing, in part or in full, afterwards
	Partial        int // writes found neither wholly present nor wholly absent
	KilledMidWrite int // kills that landed while the program held the SQLite write lock
}

// add counts one cycle: whether the write was acknowledged, what was found
// afterwards (all, none or partial) and whether the kill landed mid-write.
func (c *crashTally) add(acked bool, found presence, midWrite bool) {
	c.Cycles++
	if acked {
		c.Acked++
		if found != presentAll {
			c.Lost++
		}
	}
	if found == presentPartial {
		c.Partial++
	}
	if midWrite {
		c.KilledMidWrite++
	}
}

func (c crashTally) String() string {
	return fmt.Sprintf("crash: cycles=%d acked=%d lost=%d partial=%d killed-mid-write=%d",
		c.Cycles, c.Acked, c.Lost, c.Partial, c.KilledMidWrite)
}

// report prints the summary line to the test log and to stdout, so that it
// shows in `go test` output without -v, and fails the test on any lost or
// partial write.
func (c crashTally) report(t testing.TB) {
	t.Helper()
	t.Logf("%s", c)
	fmt.Printf("%s\n", c)
	if c.Lost > 0 || c.Partial > 0 {
		t.Errorf("%d acknowledged writes lost and %d writes left half done; every write must be all or nothing", c.Lost, c.Partial)
	}
}

// presence is how much of one write the database holds.
type presence int

const (
	presentNone presence = iota
	presentAll
	presentPartial
)

func (p presence) String() string { return [...]string{"none", "all", "partial"}[p] }

// The plan-import crash test. Each cycle imports a large plan for a new year
// into one shared database and kills the import at a random moment.
const (
	crashCycles    = 24
	crashTasks     = 5
	crashPrograms  = 20 // per task
	crashIndicator = 5  // per programme, each with 12 monthly figures
)

// planCounts is how many rows of each kind one year's plan has.
type planCounts struct{ Plans, Tasks, Programs, Indicators, Figures int }

var crashPlanRows = planCounts{
	Plans:      1,
	Tasks:      crashTasks,
	Programs:   crashTasks * crashPrograms,
	Indicators: crashTasks * crashPrograms * (crashIndicator + 1), // and each programme's spending
	Figures:    crashTasks * crashPrograms * crashIndicator * models.Months,
}

// TestCrashPlanImport kills `jobkpi plan import` with SIGKILL before, during
// and after its transaction. A plan must then be stored in full or not at
// all, and in full whenever the import said "imported".
func TestCrashPlanImport(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: starts and kills dozens of processes")
	}
	dir := t.TempDir()
	est := measureImport(t, dir)
	seed := crashSeed(t)
	rng := rand.New(rand.NewPCG(seed, seed))
	t.Logf("seed %d (rerun with JOBKPI_CRASH_SEED=%d); an import takes %v", seed, seed, est.median())

	db := storetest.DSN(t)
	createDB(t, db)
	var tally crashTally
	for i, point := range killPoints(rng, crashCycles) {
		// Kills spread over 1.5 times the import time land before, during
		// and after the transaction.
		expect := est.median()
		delay := time.Duration(point * 1.5 * float64(expect))
		year := 2031 + i
		p, run := runKill9(t, db, delay, "plan", "import", "-db", db, writeCrashPlan(t, dir, year))
		acked := run.code == 0 && strings.Contains(p.Stdout(), "imported")
		switch {
		case run.killed && delay > expect:
			est.add(delay) // it ran longer than expected: at least this long
		case !run.killed:
			est.add(p.runtime())
			if !acked {
				t.Fatalf("cycle %d: import exited %d without being killed\n%s%s", i, run.code, p.Stdout(), p.stderr.String())
			}
		}
		found := planPresence(t, db, year)
		tally.add(acked, found, run.killed && run.midWrite)
		t.Logf("cycle %2d: expect %4dms, kill at %4dms, ran %4dms, killed=%-5v mid-write=%-5v acked=%-5v found=%s",
			i, expect.Milliseconds(), delay.Milliseconds(), p.runtime().Milliseconds(), run.killed, run.midWrite, acked, found)
	}
	integrityCheck(t, db)
	tally.report(t)
	if tally.KilledMidWrite < 3 || tally.Acked < 3 {
		t.Errorf("only %d kills landed mid-write and %d imports were acknowledged, want 3 or more of each; the kill timing no longer fits the import", tally.KilledMidWrite, tally.Acked)
	}
}

// crashSeed is JOBKPI_CRASH_SEED, or a new seed.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv("JOBKPI_CRASH_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("JOBKPI_CRASH_SEED=%q: %v", s, err)
		}
		return seed
	}
	return rand.Uint64()
}

// measureImport runs three imports to completion into a scratch database
// and returns their running times, from start to exit.
func measureImport(t *testing.T, dir string) *runtimes {
	t.Helper()
	db := storetest.DSN(t)
	createDB(t, db)
	est := &runtimes{}
	for year := 2001; year <= 2003; year++ {
		p := startProgram(t, "plan", "import", "-db", db, writeCrashPlan(t, dir, year))
		if code, _ := p.wait(t); code != 0 {
			t.Fatalf("import of the %d plan: exit %d\n%s", year, code, p.stderr.String())
		}
		est.add(p.runtime())
	}
	if got := planPresence(t, db, 2002); got != presentAll {
		t.Fatalf("after a completed import the plan is %s, want all; the row counts in this test are out of date", got)
	}
	return est
}

// createDB creates the database and its tables, as every program run would.
func createDB(t *testing.T, db string) {
	t.Helper()
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeCrashPlan writes the plan file for year and returns its path.
func writeCrashPlan(t *testing.T, dir string, year int) string {
	t.Helper()
	pf := models.PlanFile{Year: year, City: "crash", Title: fmt.Sprintf("crash test plan %d", year), Published: models.PublishedUnknown}
	for ti := range crashTasks {
		task := models.TaskFile{Code: fmt.Sprintf("T%d", ti+1), Name: fmt.Sprintf("task %d", ti+1)}
		for pi := range crashPrograms {
			prog := models.ProgramFile{Name: fmt.Sprintf("programme %d-%d", ti+1, pi+1)}
			for ii := range crashIndicator {
				target := float64(100 + ii)
				ind := models.IndicatorFile{Name: fmt.Sprintf("indicator %d", ii+1), Unit: "명", Kind: models.KindFlow, Target: &target}
				for m := 1; m <= models.Months; m++ {
					ind.Figures = append(ind.Figures, models.FigureFile{Month: m, Value: float64(8 + (m+ii)%5)})
				}
				prog.Indicators = append(prog.Indicators, ind)
			}
			task.Programs = append(task.Programs, prog)
		}
		pf.Tasks = append(pf.Tasks, task)
	}
	content, err := json.Marshal(pf)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("plan-%d.json", year))
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// planPresence reads how much of year's plan db holds, through a separate
// read-only connection.
func planPresence(t *testing.T, db string, year int) presence {
	t.Helper()
	conn := openReadOnly(t, db)
	defer conn.Close()
	const (
		tasks    = ` FROM tasks JOIN plans ON plans.id = tasks.plan_id WHERE plans.year = ?`
		programs = ` FROM programs JOIN tasks ON tasks.id = programs.task_id JOIN plans ON plans.id = tasks.plan_id WHERE plans.year = ?`
	)
	var got planCounts
	for _, q := range []struct {
		dst   *int
		query string
	}{
		{&got.Plans, `SELECT COUNT(*) FROM plans WHERE year = ?`},
		{&got.Tasks, `SELECT COUNT(*)` + tasks},
		{&got.Programs, `SELECT COUNT(*)` + programs},
		{&got.Indicators, `SELECT COUNT(*) FROM indicators WHERE program_id IN (SELECT programs.id` + programs + `)`},
		{&got.Figures, `SELECT COUNT(*) FROM figures WHERE year = ?`},
	} {
		if err := conn.QueryRow(storetest.Q(q.query), year).Scan(q.dst); err != nil {
			t.Fatalf("count rows of the %d plan: %v", year, err)
		}
	}
	switch got {
	case crashPlanRows:
		return presentAll
	case planCounts{}:
		return presentNone
	}
	t.Logf("the %d plan is partly stored: %+v, want %+v or none", year, got, crashPlanRows)
	return presentPartial
}

// TestCrashServerRestart kills the server with SIGKILL and starts it again on
// the same database.
func TestCrashServerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: starts and kills server processes")
	}
	db := storetest.DSN(t)
	for range 2 {
		p, base := startServer(t, db)
		healthz(t, base)
		p.kill9After(0, nil)
		if _, killed := p.wait(t); !killed {
			t.Fatalf("the server was not killed: %v\n%s", p.waitErr, p.stderr.String())
		}
	}
	integrityCheck(t, db)
}

// healthz requires GET base/healthz to answer 200.
func healthz(t *testing.T, base string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if body, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/healthz = %d %s", base, res.StatusCode, body)
	}
}
