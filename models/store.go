package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Sentinel errors that the web layer maps to status codes.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

// Store reads and writes the plan database. All writes go through one
// connection in immediate transactions; reads use a separate pool.
type Store struct {
	w       *gorm.DB
	r       *gorm.DB
	version atomic.Int64
	now     func() time.Time
	due     dueCounts
}

// Open opens (and creates or migrates) the SQLite database at path.
func Open(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("models: create folder for database: %w", err)
		}
	}
	s := &Store{now: func() time.Time { return time.Now().UTC() }}
	cfg := &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true, TranslateError: true,
		NowFunc: func() time.Time { return s.now() }}
	w, err := gorm.Open(sqlite.Open(dsn(path, writerParams)), cfg)
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", path, err)
	}
	s.w = w
	if err := s.setup(path); err != nil {
		s.Close()
		return nil, err
	}
	s.version.Store(1)
	return s, nil
}

// The connection parameters. WAL lets readers work during a write,
// synchronous=FULL keeps committed figures through a power cut and
// txlock=immediate takes the write lock at BEGIN, so read-then-write
// transactions wait for each other instead of failing with "database is
// locked".
const (
	writerParams = "_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_synchronous=FULL"
	readerParams = "_busy_timeout=10000&_foreign_keys=on&_query_only=on"
)

func dsn(path, params string) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	return "file:" + escaped + "?" + params
}

func (s *Store) setup(path string) error {
	wdb, err := s.w.DB()
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)
	if err := s.w.AutoMigrate(&Plan{}, &Task{}, &Program{}, &Indicator{}, &Figure{}, &ContextFact{},
		&User{}, &Session{}, &AccessEvent{}, &Setting{}, &SetupToken{},
		&FigureChange{}, &Unlock{}, &APIToken{}, &Commentary{}, &Department{}, &PlanVersion{}, &PlanChange{}, &PlanEdit{}, &ProgramField{},
		&Outcome{}, &OutcomeResult{}, &ResultsVersion{}, &writeProbe{}); err != nil {
		return fmt.Errorf("models: prepare database %s: %w", path, err)
	}
	if err := errors.Join(ensureFields(s.w), ensureSpending(s.w), ensureBasis(s.w)); err != nil {
		return fmt.Errorf("models: prepare database %s: %w", path, err)
	}
	r, err := gorm.Open(sqlite.Open(dsn(path, readerParams)), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true, PrepareStmt: true})
	if err != nil {
		return fmt.Errorf("models: open %s for reading: %w", path, err)
	}
	s.r = r
	rdb, err := r.DB()
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	n := max(runtime.NumCPU(), 2)
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	return nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	var errs []error
	for _, db := range []*gorm.DB{s.r, s.w} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// Pools are the store's two connection pools, the writer's and the
// readers', for their statistics.
func (s *Store) Pools() (writer, reader *sql.DB, err error) {
	if writer, err = s.w.DB(); err == nil {
		reader, err = s.r.DB()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("models: pools: %w", err)
	}
	return writer, reader, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil {
		return fmt.Errorf("models: ping: %w", err)
	}
	return nil
}

// Version is a counter that changes after every committed write, so that
// callers can cache what they derive from the data.
func (s *Store) Version() int64 { return s.version.Load() }

// write runs fn in one immediate transaction and bumps the data version
// when it commits.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.w.WithContext(ctx).Transaction(fn)
	if err == nil {
		s.version.Add(1)
	}
	return err
}

// writeMeta runs fn in one immediate transaction without touching the data
// version: accounts, sessions and the access log do not change what the
// plan pages show.
func (s *Store) writeMeta(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.w.WithContext(ctx).Transaction(fn)
}

// Now is the store's clock, in UTC: the one clock of the whole program,
// which the web layer reads too.
func (s *Store) Now() time.Time { return s.now() }

// SetClock replaces the store's clock, for tests.
func (s *Store) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// ImportPlan stores a validated plan file in one transaction. A file that
// says when the plan was published (pf.Published: a date, or
// PublishedUnknown) makes a published plan whose 원공시 has that date;
// one that does not makes a draft (작성 중) to check and publish. It never
// overwrites: if a plan for that year exists it returns ErrExists and
// writes nothing.
func (s *Store) ImportPlan(ctx context.Context, pf *PlanFile) (*Plan, error) {
	plan := pf.Plan()
	plan.State = PlanDraft
	if pf.Published != "" {
		plan.State = PlanPublished
		plan.Versions = []PlanVersion{{Number: 1, Published: true, Date: parseDate(pf.Published), Effective: 1,
			PublishedBy: "plan import", SourceRef: pf.PublishedRef, CreatedBy: "plan import", CreatedAt: s.now()}}
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Plan{}).Where("year = ?", pf.Year).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("plan for %d: %w", pf.Year, ErrExists)
		}
		if err := createPlan(tx, plan); err != nil {
			return err
		}
		if err := createPlanFigures(tx, plan, pf); err != nil {
			return err
		}
		return ensureSpending(tx)
	})
	if err != nil {
		return nil, fmt.Errorf("models: import plan %d: %w", pf.Year, err)
	}
	return plan, nil
}

// createPlan stores a plan with everything under it, in batches small
// enough for SQLite's limit on a statement's variables however large the
// plan.
func createPlan(tx *gorm.DB, plan *Plan) error {
	return batched(tx).Create(plan).Error
}

// batched is tx creating many rows (and the rows under them) in batches
// small enough for SQLite's limit on a statement's variables.
func batched(tx *gorm.DB) *gorm.DB { return tx.Session(&gorm.Session{CreateBatchSize: 500}) }

// createPlanFigures stores the monthly figures a plan file carries.
func createPlanFigures(tx *gorm.DB, plan *Plan, pf *PlanFile) error {
	var figs []Figure
	for i, t := range pf.Tasks {
		for j, p := range t.Programs {
			for k, in := range p.Indicators {
				id := plan.Tasks[i].Programs[j].Indicators[k].ID
				for _, f := range in.Figures {
					figs = append(figs, Figure{
						IndicatorID: id, Year: pf.Year, Month: f.Month, Value: f.Value, Note: f.Note,
						Status: FigureApproved, Version: 1, UpdatedBy: "plan import", Approved: &f.Value,
					})
				}
			}
		}
	}
	if len(figs) == 0 {
		return nil
	}
	return tx.CreateInBatches(figs, 500).Error
}

// EnsurePlan imports pf unless a plan for its year is already stored. It
// reports whether it imported.
func (s *Store) EnsurePlan(ctx context.Context, pf *PlanFile) (bool, error) {
	_, err := s.ImportPlan(ctx, pf)
	switch {
	case errors.Is(err, ErrExists):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// Years lists the years that have a published plan, oldest first; with
// drafts, also those whose plan is being written.
func (s *Store) Years(ctx context.Context, drafts bool) ([]int, error) {
	var years []int
	q := s.r.WithContext(ctx).Model(&Plan{}).Order("year")
	if !drafts {
		q = q.Where("state <> ?", PlanDraft)
	}
	if err := q.Pluck("year", &years).Error; err != nil {
		return nil, fmt.Errorf("models: list plan years: %w", err)
	}
	return years, nil
}

// Plan loads the plan of a year with its tasks, programmes, indicators,
// context facts and versions, all in their plan order.
func (s *Store) Plan(ctx context.Context, year int) (*Plan, error) {
	plan, err := loadPlan(s.r.WithContext(ctx), year)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("models: plan %d: %w", year, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("models: load plan %d: %w", year, err)
	}
	return plan, nil
}

func orderBy(db *gorm.DB) *gorm.DB { return db.Order("sort_order, id") }

// ApprovedFigures returns the approved monthly values of a plan's
// indicators for its year, keyed by indicator ID.
func (s *Store) ApprovedFigures(ctx context.Context, plan *Plan) (map[uint]*MonthValues, error) {
	return s.planFigures(ctx, plan, false)
}

func (s *Store) planFigures(ctx context.Context, plan *Plan, submitted bool) (map[uint]*MonthValues, error) {
	var ids []uint
	for _, ind := range plan.Indicators() {
		ids = append(ids, ind.ID)
	}
	for _, ind := range plan.Spendings() {
		ids = append(ids, ind.ID)
	}
	out, err := monthValues(s.r.WithContext(ctx), ids, plan.Year, submitted)
	if err != nil {
		return nil, fmt.Errorf("models: load figures %d: %w", plan.Year, err)
	}
	return out, nil
}

// monthValues loads the monthly values of indicators ids in year through
// db: the approved ones, and with submitted also the values submitted and
// waiting for approval, in place of what was approved before.
func monthValues(db *gorm.DB, ids []uint, year int, submitted bool) (map[uint]*MonthValues, error) {
	out := make(map[uint]*MonthValues, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var figs []Figure
	q := db.Select("indicator_id", "month", "approved", "value", "status").
		Where("indicator_id IN ? AND year = ?", ids, year)
	if submitted {
		q = q.Where("approved IS NOT NULL OR status = ?", FigureSubmitted)
	} else {
		q = q.Where("approved IS NOT NULL")
	}
	if err := q.Find(&figs).Error; err != nil {
		return nil, err
	}
	for _, f := range figs {
		if f.Month < 1 || f.Month > Months {
			continue
		}
		mv := out[f.IndicatorID]
		if mv == nil {
			mv = &MonthValues{}
			out[f.IndicatorID] = mv
		}
		mv[f.Month-1] = f.Approved
		if submitted && f.Status == FigureSubmitted {
			mv[f.Month-1] = &f.Value
		}
	}
	return out, nil
}
