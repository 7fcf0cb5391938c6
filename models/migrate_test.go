package models

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"jobkpi/models/storetest"
)

// The fixture testdata/pre-migrations.db.gz was written by the program as
// it was before schema migrations (commit 244ce16): `jobkpi -demo` on a new
// file, then, through the web pages, the staff and the admin signed in (two
// sessions), the staff saved one figure (2026, November, 17) and the
// admin set the issuing department and contact.

// preMigrations is a fresh copy of the fixture, as a file path.
func preMigrations(t *testing.T) string {
	t.Helper()
	return storetest.Gunzipped(t, filepath.Join("testdata", "pre-migrations.db.gz"), "pre-migrations.db")
}

// TestUpgradeFromBeforeMigrations opens a database made before schema
// migrations: it is adopted as version 1 and migrated to the last, and
// every row it held (plans, figures, users, sessions, the audit trail,
// settings) is still there and reads the same, through the store too.
func TestUpgradeFromBeforeMigrations(t *testing.T) {
	ctx := context.Background()
	path := preMigrations(t)
	before := readTables(t, path)
	for _, table := range []string{"plans", "figures", "users", "sessions", "figure_changes", "access_events", "settings"} {
		if before.tables[table] == nil || len(before.tables[table].rows) == 0 {
			t.Fatalf("the fixture has no rows in %s", table)
		}
	}
	if _, ok := before.tables[versionTable]; ok {
		t.Fatal("the fixture has a version table: it is not from before migrations")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	list, err := s.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if !m.Applied {
			t.Errorf("migration %d (%s) is not applied", m.Version, m.File)
		}
	}
	after := readTables(t, path)
	for name, tr := range before.tables {
		got := after.tables[name]
		if got == nil {
			t.Errorf("table %s is gone", name)
			continue
		}
		if !reflect.DeepEqual(tr.cols, got.cols) || !reflect.DeepEqual(tr.rows, got.rows) {
			t.Errorf("table %s changed: %d rows of %v before, %d rows of %v after", name, len(tr.rows), tr.cols, len(got.rows), got.cols)
		}
	}

	// Through the store.
	years, err := s.Years(ctx, true)
	if err != nil || !reflect.DeepEqual(years, []int{2020, 2021, 2026}) {
		t.Errorf("plan years = %v, %v; want 2020, 2021, 2026", years, err)
	}
	plan, err := s.Plan(ctx, 2020)
	if err != nil || plan.Title == "" || len(plan.Tasks) != 5 {
		t.Fatalf("the 2020 plan = %v, %v", plan, err)
	}
	u, _, err := s.Authenticate(ctx, "staff", "demo-staff-pass-2020", Origin{IP: "10.0.0.9"}, DefaultThrottle)
	if err != nil || u.Login != "staff" {
		t.Errorf("the staff account signs in = %v, %v", u, err)
	}
	issuer, err := s.Issuer(ctx)
	if err != nil || issuer.Department != "김포시 일자리경제과" || issuer.Contact != "031-980-0000" {
		t.Errorf("issuer = %+v, %v", issuer, err)
	}
	var saved Figure
	if err := s.r.Where("year = ? AND month = ? AND value = ?", 2026, 11, 17).Take(&saved).Error; err != nil {
		t.Errorf("the figure saved before the upgrade: %v", err)
	}
	var audit int64
	s.r.Model(&FigureChange{}).Where("indicator_id = ? AND year = ? AND month = ?", saved.IndicatorID, 2026, 11).Count(&audit)
	if audit == 0 {
		t.Error("the saved figure has no audit row after the upgrade")
	}

	// A second open finds nothing to do and changes nothing.
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if again := readTables(t, path); !reflect.DeepEqual(again.tables[versionTable], after.tables[versionTable]) {
		t.Error("a second open changed the version table")
	}
}

// TestLegacyNotVersionOneRefused: a database made before migrations whose
// tables, once upgraded, are not version 1's is refused, saying how, and
// left as it was.
func TestLegacyNotVersionOneRefused(t *testing.T) {
	path := preMigrations(t)
	db, err := gorm.Open(sqliteDialect.writer(path), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("ALTER TABLE plans ADD COLUMN mystery text").Error; err != nil {
		t.Fatal(err)
	}
	closeDB(db)
	before := readTables(t, path)
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "plans: column mystery text") || !strings.Contains(err.Error(), "is extra") {
		t.Fatalf("open = %v, want a refusal naming the extra column", err)
	}
	if after := readTables(t, path); !reflect.DeepEqual(before.tables, after.tables) {
		t.Error("the refused database changed")
	}
}

// TestMigrationsMatchModels: the schema the migrations build is the one
// AutoMigrate builds from the models, so that the two cannot drift.
func TestMigrationsMatchModels(t *testing.T) {
	s := openTestStore(t)
	built, err := schemaOf(s.w, s.d)
	if err != nil {
		t.Fatal(err)
	}
	other := storetest.DSN(t)
	db, err := gorm.Open(s.d.writer(other), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeDB(db) })
	if err := db.AutoMigrate(schemaModels()...); err != nil {
		t.Fatal(err)
	}
	auto, err := schemaOf(db, s.d)
	if err != nil {
		t.Fatal(err)
	}
	if len(built) < 20 {
		t.Fatalf("the migrations built %d tables", len(built))
	}
	if diff := diffSchema(auto, built); diff != "" {
		t.Errorf("the migrations' schema differs from the models' (AutoMigrate): %s", diff)
	}
}

// TestConcurrentStartsMigrateOnce: instances that start at once on one
// new PostgreSQL database all open it, and each migration is applied once.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("several instances share a PostgreSQL database; a SQLite file has one")
	}
	dsn := storetest.DSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	db := storetest.Open(t, dsn)
	var versions, applied int
	if err := db.QueryRow("SELECT count(DISTINCT version_id), count(*) FROM goose_db_version WHERE version_id > 0").Scan(&versions, &applied); err != nil {
		t.Fatal(err)
	}
	if applied != versions {
		t.Errorf("the version table has %d rows for %d migrations: one was applied twice", applied, versions)
	}
	var fields int
	db.QueryRow("SELECT count(*) FROM program_fields").Scan(&fields)
	if fields != len(defaultFields) {
		t.Errorf("%d 분야 after concurrent starts, want %d", fields, len(defaultFields))
	}
}

// TestNewerSchemaRefused: a database whose schema is newer than the
// program is refused with what to do, and not changed.
func TestNewerSchemaRefused(t *testing.T) {
	dsn := storetest.DSN(t)
	s, err := Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.w.Exec("INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (?, ?, ?)", 999, true, time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(dsn)
	var newer *SchemaNewerError
	if !errors.As(err, &newer) || newer.DB != 999 || !strings.Contains(err.Error(), "run the newer jobkpi") {
		t.Fatalf("open = %v, want a SchemaNewerError at 999 saying what to do", err)
	}
}
