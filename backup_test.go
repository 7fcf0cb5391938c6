package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// TestBackupWhileWriting takes a backup with `jobkpi backup` while one
// figure is being rewritten, and checks the copy: it passes SQLite's
// integrity check; every other figure is as in the live database; the
// rewritten figure holds an acknowledged value (or one in flight) with
// exactly one audit row per save, as one moment of the database must; and
// a second backup to the same file is refused without touching it.
func TestBackupWhileWriting(t *testing.T) {
	storetest.SkipOnPostgres(t, "jobkpi backup copies SQLite files; TestBackupPostgresSaysPgDump covers PostgreSQL")
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	year, month := now.Year(), int(now.Month())
	own, _ := entryPlan(t, s, year)
	staff := storeStaff(t, s)
	ctx := context.Background()
	if _, _, err := s.store.SaveFigure(ctx, staff, models.FigureInput{IndicatorID: own + 1, Year: year, Month: month, Value: "7", Note: "백업 전"}); err != nil {
		t.Fatal(err)
	}
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		version := 0
		for v := 1; ; v++ {
			select {
			case <-stop:
				return
			default:
			}
			f, _, err := s.store.SaveFigure(ctx, staff, models.FigureInput{IndicatorID: own, Year: year, Month: month, Value: fmt.Sprint(v), Version: version})
			if err != nil {
				return
			}
			version = f.Version
			acked.Store(int64(v))
		}
	}()
	for acked.Load() < 20 { // the writer is going
		time.Sleep(time.Millisecond)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	var log bytes.Buffer
	code := run(ctx, []string{"backup", "-db", s.db, out}, &log, &log)
	during := acked.Load()
	time.Sleep(20 * time.Millisecond)
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(log.String(), "integrity check ok") {
		t.Fatalf("backup = exit %d: %s", code, log.String())
	}
	if acked.Load() == during {
		t.Fatal("no write was acknowledged after the backup; the test proves nothing")
	}
	if err := models.CheckIntegrity(ctx, out); err != nil {
		t.Fatal(err)
	}
	copied, err := sql.Open("sqlite3", "file:"+out+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	live, err := sql.Open("sqlite3", "file:"+s.db+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	others := func(db *sql.DB) string {
		t.Helper()
		rows, err := db.Query(`SELECT indicator_id, year, month, value, version, status, note FROM figures
			WHERE NOT (indicator_id = ? AND year = ? AND month = ?) ORDER BY indicator_id, year, month`, own, year, month)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var id, y, m, ver int
			var v float64
			var st, note string
			if err := rows.Scan(&id, &y, &m, &v, &ver, &st, &note); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%d %d %d %v %d %s %s\n", id, y, m, v, ver, st, note)
		}
		return b.String()
	}
	if got, want := others(copied), others(live); got != want || !strings.Contains(got, "백업 전") {
		t.Errorf("the other figures differ between the copy and the live database")
	}
	var value float64
	var version, audits int
	err = copied.QueryRow(`SELECT value, version FROM figures WHERE indicator_id = ? AND year = ? AND month = ?`, own, year, month).Scan(&value, &version)
	if err == nil {
		err = copied.QueryRow(`SELECT COUNT(*) FROM figure_changes WHERE indicator_id = ? AND year = ? AND month = ?`, own, year, month).Scan(&audits)
	}
	if err != nil {
		t.Fatal(err)
	}
	if value < 20 || value > float64(during+1) || int(value) != version || audits != version {
		t.Errorf("the figure being written is %v at version %d with %d audit rows in the copy; want a value from 20 to %d, one save per version and one audit row per save",
			value, version, audits, during+1)
	}
	t.Logf("backup: the copy holds save %v of the figure being written (acknowledged when the backup returned: %d; at the end: %d)", value, during, acked.Load())
	// A second backup to the same file is refused and leaves it alone.
	stat, _ := os.Stat(out)
	log.Reset()
	if code := run(ctx, []string{"backup", "-db", s.db, out}, &log, &log); code != 1 || !strings.Contains(log.String(), "already exists") {
		t.Errorf("backup over an existing file = exit %d: %s", code, log.String())
	}
	if again, _ := os.Stat(out); again.ModTime() != stat.ModTime() || again.Size() != stat.Size() {
		t.Error("a refused backup touched the existing file")
	}
}

// TestBackupPostgresSaysPgDump: backup of a PostgreSQL database writes
// nothing and says how to take one with pg_dump, never showing the
// password.
func TestBackupPostgresSaysPgDump(t *testing.T) {
	out := filepath.Join(t.TempDir(), "backup.dump")
	var log bytes.Buffer
	code := run(context.Background(), []string{"backup", "-db", "postgres://jobkpi:hunter2-secret@db.example.go.kr:5432/gimpo", out}, &log, &log)
	if code != 1 {
		t.Errorf("backup of a PostgreSQL database = exit %d, want 1", code)
	}
	for _, want := range []string{"pg_dump --format=custom --file=" + out + " 'postgres://jobkpi@db.example.go.kr:5432/gimpo'", "pg_restore", "no backup was written"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("backup output does not say %q: %s", want, log.String())
		}
	}
	if strings.Contains(log.String(), "hunter2-secret") {
		t.Errorf("backup output shows the password: %s", log.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a backup file was written")
	}
}
