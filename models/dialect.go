package models

// What differs between the two databases the store speaks, SQLite (a file,
// the default) and PostgreSQL (a postgres:// URL), kept in this one place:
// how to connect, how writers are kept from each other, which migrations
// apply, and what a full disk looks like. Every query of the store is the
// same on both.

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// dialect is one of the two databases.
type dialect struct {
	name  string // "sqlite" or "postgres": the folder of its migrations
	goose goose.Dialect
	// writer opens the connection pool that writes.
	writer func(dsn string) gorm.Dialector
	// reader opens the pool that reads. It is a pool of its own, so that
	// a read made while a write transaction waits or runs never waits
	// for the writers' connections.
	reader func(dsn string) gorm.Dialector
	// writers is how many connections may write at once.
	writers int
	// lockWrites runs first in every write transaction. On SQLite the
	// transaction already holds the one write lock from its BEGIN
	// IMMEDIATE. On PostgreSQL it takes a transaction-scoped advisory
	// lock, so that write transactions run one after another across
	// every connection and every instance, as on SQLite: each reads what
	// the one before it committed (READ COMMITTED), so read-then-write
	// checks such as a figure's version cannot interleave.
	lockWrites func(tx *gorm.DB) error
}

// WriteLockKey is the PostgreSQL advisory lock that write transactions
// take, as pg_locks shows it (classid 0x6a6f, objid 0x626b7069); advisory
// locks are per database, so each city's database has its own.
const WriteLockKey int64 = 0x6a6f626b7069 // "jobkpi"

var (
	sqliteDialect = dialect{
		name: "sqlite", goose: goose.DialectSQLite3,
		writer:     func(path string) gorm.Dialector { return sqlite.Open(sqliteDSN(path, writerParams)) },
		reader:     func(path string) gorm.Dialector { return sqlite.Open(sqliteDSN(path, readerParams)) },
		writers:    1,
		lockWrites: func(*gorm.DB) error { return nil },
	}
	postgresDialect = dialect{
		name: "postgres", goose: goose.DialectPostgres,
		writer:  func(dsn string) gorm.Dialector { return postgres.Open(dsn) },
		reader:  func(dsn string) gorm.Dialector { return postgres.Open(dsn) },
		writers: max(runtime.NumCPU(), 2) * 4,
		lockWrites: func(tx *gorm.DB) error {
			return tx.Exec("SELECT pg_advisory_xact_lock(?)", WriteLockKey).Error
		},
	}
)

// dialectOf says which database dsn names: a postgres:// (or
// postgresql://) URL, or else a SQLite file path.
func dialectOf(dsn string) dialect {
	if IsPostgresURL(dsn) {
		return postgresDialect
	}
	return sqliteDialect
}

// IsPostgresURL reports whether dsn is a PostgreSQL URL rather than a
// SQLite file path.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Redact is dsn safe to print: a URL without its password.
func Redact(dsn string) string {
	if !IsPostgresURL(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// prepare makes what the database needs before it can be opened: the
// folder of a SQLite file.
func (d dialect) prepare(dsn string) error {
	if d.name != "sqlite" {
		return nil
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("models: create folder for database: %w", err)
		}
	}
	return nil
}

// The SQLite connection parameters. WAL lets readers work during a
// write, synchronous=FULL keeps committed figures through a power cut and
// txlock=immediate takes the write lock at BEGIN, so read-then-write
// transactions wait for each other instead of failing with "database is
// locked".
const (
	writerParams = "_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_synchronous=FULL"
	readerParams = "_busy_timeout=10000&_foreign_keys=on&_query_only=on"
)

func sqliteDSN(path, params string) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	return "file:" + escaped + "?" + params
}

// IsStorageFull reports whether err says that the database could not be
// written because the disk (or a quota) is full or failing: SQLite's
// SQLITE_FULL ("database or disk is full") and SQLITE_IOERR, and
// PostgreSQL's disk_full (53100) and io_error (58030). The transaction
// that met it was rolled back, so nothing was saved.
func IsStorageFull(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrIoErr
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "53100" || pe.Code == "58030")
}
