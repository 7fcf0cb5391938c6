// Package storetest gives each test a database of its own: a SQLite file
// in the test's temporary folder, or, when JOBKPI_TEST_DB names a
// PostgreSQL server (a postgres:// URL of a database the user may create
// databases from), a new database on that server, dropped after the test.
// The same tests thus run on either store.
package storetest

import (
	"compress/gzip"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, for the server's admin connection
	_ "github.com/mattn/go-sqlite3"    // the sqlite3 driver, for SQL
)

// Env is the variable that names the PostgreSQL server.
const Env = "JOBKPI_TEST_DB"

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool {
	u := os.Getenv(Env)
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// SkipOnPostgres skips a test of something only SQLite has.
func SkipOnPostgres(t testing.TB, why string) {
	t.Helper()
	if Postgres() {
		t.Skip("SQLite only: " + why)
	}
}

// DSN is a new, empty database for t: what -db takes.
func DSN(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		return filepath.Join(t.TempDir(), "jobkpi.db")
	}
	dsn, err := Create("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Drop(dsn) })
	return dsn
}

// Copy is a new database for t that starts as a copy of the database
// src, which nothing may be connected to: a copy of the SQLite file, or
// a PostgreSQL database made with src as its template.
func Copy(t testing.TB, src string) string {
	t.Helper()
	if !Postgres() {
		dst := filepath.Join(t.TempDir(), "jobkpi.db")
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	dsn, err := Create(src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Drop(dsn) })
	return dsn
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
	made      atomic.Int64
)

// server is the admin connection to the PostgreSQL server.
func server() (*sql.DB, error) {
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", os.Getenv(Env))
		if adminErr == nil {
			admin.SetMaxOpenConns(4)
			adminErr = admin.Ping()
		}
		if adminErr != nil {
			adminErr = fmt.Errorf("storetest: %s: %w", Env, adminErr)
		}
	})
	return admin, adminErr
}

// Create makes a new PostgreSQL database, a copy of the database template
// names if it is not "", and returns its URL. Drop removes it.
func Create(template string) (string, error) {
	db, err := server()
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("jobkpi_test_%d_%d", os.Getpid(), made.Add(1))
	q := "CREATE DATABASE " + name
	if template != "" {
		q += " TEMPLATE " + dbName(template)
	}
	if _, err := db.Exec(q); err != nil {
		return "", fmt.Errorf("storetest: %s: %w", q, err)
	}
	return withDB(os.Getenv(Env), name), nil
}

// Drop removes a database Create made, closing what is still connected.
func Drop(dsn string) {
	if db, err := server(); err == nil {
		db.Exec("DROP DATABASE IF EXISTS " + dbName(dsn) + " WITH (FORCE)")
	}
}

// withDB is the URL u with its database changed to name.
func withDB(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	p.Path = "/" + name
	return p.String()
}

func dbName(dsn string) string {
	p, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	return strings.TrimPrefix(p.Path, "/")
}

// Open opens dsn with database/sql, for a test that looks at the rows
// themselves. Write its queries with Q, which numbers the ? placeholders
// as PostgreSQL wants.
func Open(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err = sql.Open("pgx", dsn)
	} else {
		db, err = sql.Open("sqlite3", "file:"+dsn+"?_busy_timeout=10000&_foreign_keys=on")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Q is query with its ? placeholders written as $1, $2, … on PostgreSQL.
func Q(query string) string {
	if !Postgres() {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// HoldsAdvisoryLock reports whether a session holds the advisory lock key
// in the PostgreSQL database dsn.
func HoldsAdvisoryLock(dsn string, key int64) bool {
	db, err := server()
	if err != nil {
		return false
	}
	var n int
	err = db.QueryRow(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = $1)
		AND classid = $2 AND objid = $3 AND objsubid = 1`, dbName(dsn), uint32(key>>32), uint32(key)).Scan(&n)
	return err == nil && n > 0
}

// Gunzipped is the gzipped file src unpacked into t's temporary folder,
// under the name name: a fresh copy of a fixture database.
func Gunzipped(t testing.TB, src, name string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
