package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"jobkpi/models/storetest"
)

// fillDisk caps the database at its size and writes access-log entries
// until one fails, as on a full disk. It returns how many entries were
// written and the failure.
func fillDisk(t *testing.T, s *Store) (int, error) {
	t.Helper()
	storetest.SkipOnPostgres(t, "a full disk is simulated with SQLite's max_page_count")
	ctx := context.Background()
	if err := s.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	for i := range 10000 {
		from := Origin{IP: "10.0.0.1", UserAgent: strings.Repeat("x", 300)}
		if err := s.RecordEvent(ctx, EventLogout, &User{Login: fmt.Sprintf("user%d", i)}, from, ""); err != nil {
			return i, err
		}
	}
	t.Fatal("10,000 writes fit in a database capped at its size")
	return 0, nil
}

// TestPostgresStorageFull: PostgreSQL's disk_full and io_error are
// storage-full errors, other errors of it are not.
func TestPostgresStorageFull(t *testing.T) {
	for code, want := range map[string]bool{"53100": true, "58030": true, "23505": false, "40001": false} {
		err := fmt.Errorf("models: save: %w", &pgconn.PgError{Code: code})
		if IsStorageFull(err) != want {
			t.Errorf("IsStorageFull(PostgreSQL %s) = %v, want %v", code, !want, want)
		}
	}
}

func TestIsStorageFull(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	written, err := fillDisk(t, s)
	t.Logf("%d writes fit", written)
	if !IsStorageFull(err) || !strings.Contains(err.Error(), "database or disk is full") {
		t.Fatalf("write on a full disk = %v, want SQLITE_FULL that IsStorageFull knows", err)
	}
	var n int64
	s.r.Model(&AccessEvent{}).Count(&n)
	if n != int64(written) {
		t.Errorf("the access log has %d entries after %d writes and one failure: the failed write left something", n, written)
	}
	for _, other := range []error{nil, errors.New("database or disk is full"), ErrNotFound, fmt.Errorf("x: %w", ErrBadCredentials)} {
		if IsStorageFull(other) {
			t.Errorf("IsStorageFull(%v) = true", other)
		}
	}
	if err := s.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordEvent(ctx, EventLogout, &User{Login: "after"}, Origin{}, ""); err != nil {
		t.Errorf("with room again, a write = %v", err)
	}
}

// TestProbeWrite: the probe commits without changing the data version or
// leaving a row, and fails like a real write when the disk is full.
func TestProbeWrite(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	v := s.Version()
	for range 3 {
		if err := s.ProbeWrite(ctx); err != nil {
			t.Fatalf("ProbeWrite = %v", err)
		}
	}
	var n int64
	s.r.Model(&writeProbe{}).Count(&n)
	if s.Version() != v || n != 0 {
		t.Errorf("after the probes the version is %d (was %d) and %d probe rows remain", s.Version(), v, n)
	}
	fillDisk(t, s)
	if err := s.ProbeWrite(ctx); !IsStorageFull(err) {
		t.Errorf("ProbeWrite on a full disk = %v, want a storage-full error", err)
	}
}
