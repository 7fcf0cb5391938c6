package models

// Versioned schema migrations: numbered SQL files per dialect under
// migrations/, embedded in the binary and applied by goose at open, one
// transaction each. A database made before there were migrations has the
// tables but no version table: it is brought to version 1 by the upgrade
// that came before (AutoMigrate of the models as they were then), checked
// against version 1, and marked as being at it.

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

//go:embed migrations
var migrationFiles embed.FS

// versionTable is where goose records the migrations applied.
const versionTable = "goose_db_version"

// legacyModels are the tables of schema version 1, the schema before
// migrations, as GORM models: what the upgrade of a database made before
// then runs AutoMigrate with.
func legacyModels() []any {
	return []any{&Plan{}, &Task{}, &Program{}, &Indicator{}, &Figure{}, &ContextFact{},
		&User{}, &Session{}, &AccessEvent{}, &Setting{}, &SetupToken{},
		&FigureChange{}, &Unlock{}, &APIToken{}, &Commentary{}, &Department{}, &PlanVersion{}, &PlanChange{}, &PlanEdit{}, &ProgramField{},
		&Outcome{}, &OutcomeResult{}, &ResultsVersion{}, &writeProbe{}}
}

// schemaModels are every table of the database as GORM models: the
// schema the migrations must build (TestMigrationsMatchModels).
func schemaModels() []any {
	return append(legacyModels(), &DataVersion{}, &Upload{})
}

// SchemaNewerError is a database whose schema is newer than this program
// knows.
type SchemaNewerError struct{ DB, Known int64 }

func (e *SchemaNewerError) Error() string {
	return fmt.Sprintf("the database is at schema version %d, but this jobkpi knows versions up to %d: "+
		"run the newer jobkpi that last opened it, or restore a backup made with this version", e.DB, e.Known)
}

// provider is goose over the store's writer, with the migrations of its
// dialect. On PostgreSQL it holds a session advisory lock while it
// migrates, so that instances starting at once migrate one after another
// (the later ones find nothing to do).
func (s *Store) provider(log *slog.Logger) (*goose.Provider, error) {
	sqlDB, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	fsys, err := fs.Sub(migrationFiles, "migrations/"+s.d.name)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithSlog(log)}
	if s.d.name == "postgres" {
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 600)) // try each second for ten minutes
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(s.d.goose, sqlDB, fsys, opts...)
}

// migrate brings the schema up to date, logging each migration it
// applies, and refuses a database newer than the program.
func (s *Store) migrate(ctx context.Context, log *slog.Logger) error {
	if err := s.adoptLegacy(ctx, log); err != nil {
		return err
	}
	p, err := s.provider(log)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if known := lastVersion(p); current > known {
		return &SchemaNewerError{DB: current, Known: known}
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		if r.Error == nil {
			log.Info("applied database migration", "version", r.Source.Version, "file", path.Base(r.Source.Path), "took", r.Duration)
		}
	}
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

func lastVersion(p *goose.Provider) int64 {
	src := p.ListSources()
	return src[len(src)-1].Version
}

// MigrationStatus is one migration and whether the database has it.
type MigrationStatus struct {
	Version int64
	File    string
	Applied bool
	At      string // when it was applied, or ""
}

// ReadMigrations lists the migrations the program knows, in order, and
// which of them the database dsn has, without changing it. legacy says
// that it was made before schema versions (it is adopted as version 1 at
// the next open).
func ReadMigrations(ctx context.Context, dsn string) (list []MigrationStatus, legacy bool, err error) {
	d := dialectOf(dsn)
	db, err := gorm.Open(d.writer(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, false, fmt.Errorf("models: open %s: %w", Redact(dsn), err)
	}
	defer closeDB(db)
	s := &Store{d: d, w: db}
	m := db.WithContext(ctx).Migrator()
	if !m.HasTable(versionTable) {
		p, err := s.provider(slog.New(slog.DiscardHandler))
		if err != nil {
			return nil, false, fmt.Errorf("models: migrations: %w", err)
		}
		for _, src := range p.ListSources() {
			list = append(list, MigrationStatus{Version: src.Version, File: path.Base(src.Path)})
		}
		return list, m.HasTable(&Plan{}), nil
	}
	list, err = s.Migrations(ctx)
	return list, false, err
}

// Migrations lists the migrations the program knows, in order, and which
// of them the database has.
func (s *Store) Migrations(ctx context.Context) ([]MigrationStatus, error) {
	p, err := s.provider(slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, fmt.Errorf("models: migrations: %w", err)
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("models: migration status: %w", err)
	}
	out := make([]MigrationStatus, len(st))
	for i, m := range st {
		out[i] = MigrationStatus{Version: m.Source.Version, File: path.Base(m.Source.Path), Applied: m.State == goose.StateApplied}
		if out[i].Applied {
			out[i].At = m.AppliedAt.UTC().Format("2006-01-02 15:04:05 UTC")
		}
	}
	return out, nil
}

// adoptLegacy marks a database made before migrations as being at
// version 1, after bringing it there with the upgrade of that time
// (AutoMigrate of legacyModels; the plan-versions data upgrade runs at
// every start, see UpgradeVersions) and checking that its schema is
// version 1's. It is one transaction: a crash leaves the database as it
// was. A database that has a version table, or no tables, is left to
// goose.
func (s *Store) adoptLegacy(ctx context.Context, log *slog.Logger) error {
	m := s.w.WithContext(ctx).Migrator()
	if !m.HasTable(&Plan{}) || m.HasTable(versionTable) {
		return nil
	}
	want, err := s.versionOneSchema(ctx)
	if err != nil {
		return err
	}
	store, err := database.NewStore(s.d.goose, versionTable)
	if err != nil {
		return err
	}
	err = s.writeMeta(ctx, func(tx *gorm.DB) error {
		if err := tx.AutoMigrate(legacyModels()...); err != nil {
			return fmt.Errorf("upgrade the tables: %w", err)
		}
		got, err := schemaOf(tx, s.d)
		if err != nil {
			return err
		}
		if diff := diffSchema(want, got); diff != "" {
			return fmt.Errorf("the upgraded tables are not schema version 1: %s", diff)
		}
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("mark schema version 1: not in a transaction")
		}
		if err := store.CreateVersionTable(ctx, sqlTx); err != nil {
			return err
		}
		for _, v := range []int64{0, 1} {
			if err := store.Insert(ctx, sqlTx, database.InsertRequest{Version: v}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("upgrade a database made before schema versions: %w", err)
	}
	log.Info("marked a database made before schema versions as version 1", "version", 1)
	return nil
}

// versionOneSchema is the schema migration 1 builds, read from a scratch
// database: an in-memory SQLite one, or a temporary schema of the
// PostgreSQL database that is dropped again.
func (s *Store) versionOneSchema(ctx context.Context) (map[string][]string, error) {
	ddl, err := fs.ReadFile(migrationFiles, "migrations/"+s.d.name+"/00001_schema.sql")
	if err != nil {
		return nil, err
	}
	var out map[string][]string
	err = s.scratch(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(string(ddl)).Error; err != nil {
			return fmt.Errorf("build schema version 1: %w", err)
		}
		out, err = schemaOf(tx, s.d)
		return err
	})
	return out, err
}

// scratch runs fn on a database of its own that is thrown away after.
func (s *Store) scratch(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.d.name == "sqlite" {
		db, err := gorm.Open(sqliteDialect.writer(":memory:"), &gorm.Config{Logger: s.w.Config.Logger})
		if err != nil {
			return err
		}
		defer closeDB(db)
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.SetMaxOpenConns(1) // one in-memory database
		}
		return fn(db.WithContext(ctx))
	}
	// A rolled-back transaction in a schema of its own.
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("CREATE SCHEMA jobkpi_scratch; SET LOCAL search_path TO jobkpi_scratch").Error; err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		return errScratch
	})
	if err == errScratch {
		return nil
	}
	return err
}

var errScratch = fmt.Errorf("scratch done")

// schemaOf describes the tables of the database tx is in, for comparing
// two schemas: each table's columns (name, type, not null, default,
// key), indexes and foreign keys, sorted, without goose's version table.
func schemaOf(tx *gorm.DB, d dialect) (map[string][]string, error) {
	q := schemaQueries[d.name]
	var tables []string
	if err := tx.Raw(q.tables, versionTable).Scan(&tables).Error; err != nil {
		return nil, fmt.Errorf("read the schema: %w", err)
	}
	out := map[string][]string{}
	for _, t := range tables {
		var lines []string
		for _, part := range q.parts {
			var rows []string
			if err := tx.Raw(part, t).Scan(&rows).Error; err != nil {
				return nil, fmt.Errorf("read the schema of %s: %w", t, err)
			}
			lines = append(lines, rows...)
		}
		slices.Sort(lines)
		out[t] = lines
	}
	return out, nil
}

// schemaQueries read a schema: the tables (given the version table to
// leave out), then each part of a table (given its name), one line a row.
var schemaQueries = map[string]struct {
	tables string
	parts  []string
}{
	"sqlite": {
		tables: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name",
		parts: []string{
			"SELECT 'column ' || name || ' ' || lower(type) || ' notnull=' || \"notnull\" || ' default=' || coalesce(dflt_value, '') || ' pk=' || pk FROM pragma_table_info(?)",
			"SELECT 'index ' || il.name || ' unique=' || il.\"unique\" || ' on ' || (SELECT group_concat(name, ',') FROM (SELECT ii.name FROM pragma_index_info(il.name) ii ORDER BY ii.seqno)) FROM pragma_index_list(?) il WHERE il.origin = 'c'",
			"SELECT 'foreign key ' || \"from\" || ' -> ' || \"table\" || '(' || \"to\" || ') on delete ' || on_delete FROM pragma_foreign_key_list(?)",
		},
	},
	"postgres": {
		tables: "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> ? ORDER BY table_name",
		parts: []string{
			"SELECT 'column ' || column_name || ' ' || data_type || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
			"SELECT 'index ' || indexname || ' ' || regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?",
			"SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ?",
		},
	},
}

// diffSchema says how got differs from want, or "" when it does not.
func diffSchema(want, got map[string][]string) string {
	var diffs []string
	for t, lines := range want {
		g, ok := got[t]
		if !ok {
			diffs = append(diffs, "table "+t+" is missing")
			continue
		}
		for _, l := range lines {
			if !slices.Contains(g, l) {
				diffs = append(diffs, t+": "+l+" is missing")
			}
		}
		for _, l := range g {
			if !slices.Contains(lines, l) {
				diffs = append(diffs, t+": "+l+" is extra")
			}
		}
	}
	for t := range got {
		if _, ok := want[t]; !ok {
			diffs = append(diffs, "table "+t+" is extra")
		}
	}
	slices.Sort(diffs)
	return strings.Join(diffs, "; ")
}
