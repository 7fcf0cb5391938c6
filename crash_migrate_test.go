package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"jobkpi/models/storetest"
)

// The migration crash test runs 12 cycles under .ci/run and 3 in the
// README's go test ./....
var migrationCrashCycles = gateSize(3, 12)

// TestCrashMigration kills the server with SIGKILL while it starts on a
// database that needs migrating, at points spread over its start-up, and
// then starts it again: the next start must finish the migrations (each
// ran in one transaction, so a killed one left nothing half done) and
// serve, and the data must be whole. On SQLite the database is a copy of
// one made before migrations (models/testdata/pre-migrations.db.gz), so
// the kills land in its adoption as version 1 and in the migrations
// after; on PostgreSQL it is a new database, whose migrations all run.
func TestCrashMigration(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: starts and kills the server")
	}
	seed := crashSeed(t)
	rng := rand.New(rand.NewPCG(seed, seed))
	t.Logf("seed %d (rerun with JOBKPI_CRASH_SEED=%d)", seed, seed)
	est := &runtimes{}
	for range 2 {
		p, _ := startServer(t, migrationCrashDB(t))
		est.add(time.Since(p.started))
		p.kill9After(0, nil)
		p.wait(t)
	}
	var pendingAfterKill, killed int
	for i, point := range killPoints(rng, migrationCrashCycles) {
		db := migrationCrashDB(t)
		// The migrations run in the first part of the start-up, before
		// the seeding and the listening: kills spread over its first half.
		delay := time.Duration(point * 0.5 * float64(est.median()))
		p, run := runKill9(t, db, delay, "-addr", "127.0.0.1:0", "-db", db)
		if !run.killed {
			t.Fatalf("cycle %d: the server exited by itself (%d)\n%s", i, run.code, p.stderr.String())
		}
		killed++
		left := migrationStatus(t, db)
		if strings.Contains(left, "pending") {
			pendingAfterKill++
		}
		again, base := startServer(t, db)
		healthz(t, base)
		again.kill9After(0, nil)
		again.wait(t)
		if after := migrationStatus(t, db); !strings.Contains(after, "Up to date.") {
			t.Fatalf("cycle %d: after a start that served, the migrations are not all applied:\n%s", i, after)
		}
		checkMigratedData(t, db)
		t.Logf("cycle %2d: kill at %4dms (start-up takes %4dms), left %s", i, delay.Milliseconds(), est.median().Milliseconds(), summarizeStatus(left))
	}
	t.Logf("crash: migration kills=%d left-pending=%d finished-next-start=%d", killed, pendingAfterKill, killed)
	if fullGates() && pendingAfterKill == 0 {
		t.Errorf("no kill of %d landed before the migrations were done; the kill timing no longer fits the start-up", killed)
	}
}

// migrationCrashDB is a database that needs migrating: a copy of the one
// made before migrations on SQLite, a new one on PostgreSQL.
func migrationCrashDB(t *testing.T) string {
	t.Helper()
	if storetest.Postgres() {
		return storetest.DSN(t)
	}
	return storetest.Gunzipped(t, filepath.Join("models", "testdata", "pre-migrations.db.gz"), "pre-migrations.db")
}

// migrationStatus is what `jobkpi migrate status` says of db, which must
// always be able to read it.
func migrationStatus(t *testing.T, db string) string {
	t.Helper()
	var out bytes.Buffer
	if code := run(context.Background(), []string{"migrate", "status", "-db", db}, &out, &out); code != 0 {
		t.Fatalf("migrate status after a kill = exit %d: %s", code, out.String())
	}
	return out.String()
}

var statusLine = regexp.MustCompile(`(?m)^\s+(\d+)\s+\S+\s+(applied|pending)`)

// summarizeStatus is migrate status in a few words: which migrations were
// applied.
func summarizeStatus(status string) string {
	if strings.Contains(status, "made before schema versions") {
		return "a database made before schema versions"
	}
	var applied, pending []string
	for _, m := range statusLine.FindAllStringSubmatch(status, -1) {
		if m[2] == "applied" {
			applied = append(applied, strings.TrimLeft(m[1], "0"))
		} else {
			pending = append(pending, strings.TrimLeft(m[1], "0"))
		}
	}
	return "applied [" + strings.Join(applied, " ") + "] pending [" + strings.Join(pending, " ") + "]"
}

// checkMigratedData requires the data of a migrated crash database to be
// whole: on SQLite the fixture's plans, figures and accounts; on
// PostgreSQL the shipped plans the first start loaded.
func checkMigratedData(t *testing.T, db string) {
	t.Helper()
	conn := storetest.Open(t, db)
	defer conn.Close()
	var plans, figures, users, versions int
	for _, q := range []struct {
		dst   *int
		query string
	}{
		{&plans, "SELECT count(*) FROM plans"},
		{&figures, "SELECT count(*) FROM figures"},
		{&users, "SELECT count(*) FROM users"},
		{&versions, "SELECT n FROM data_versions WHERE id = 1"},
	} {
		if err := conn.QueryRow(q.query).Scan(q.dst); err != nil {
			t.Fatalf("%s: %v", q.query, err)
		}
	}
	want := [3]int{3, 95, 5} // the fixture's
	if storetest.Postgres() {
		want = [3]int{2, 0, 0} // the shipped plans, no sample figures or accounts
	}
	if got := [3]int{plans, figures, users}; got != want || versions < 1 {
		t.Errorf("after the crash and a start: %d plans, %d figures, %d users, data version %d; want %v", plans, figures, users, versions, want)
	}
}
