package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Sentinel errors that the web layer maps to status codes.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

// Store reads and writes the plan database: a SQLite file, or a
// PostgreSQL database that several instances of the program share. Writes
// run one at a time in transactions (see dialect.lockWrites); reads use a
// pool of their own on SQLite.
type Store struct {
	d   dialect
	w   *gorm.DB
	r   *gorm.DB
	now func() time.Time
	due dueCounts
	// version is the data version this process last saw, and checked
	// when (on the monotonic clock of start) it last read it from the
	// database; see Version.
	version atomic.Int64
	checked atomic.Int64
	start   time.Time
}

// Options are how Open opens a database.
type Options struct {
	// Log is where the migrations applied at open are reported; nil
	// reports nothing.
	Log *slog.Logger
}

// Open opens the database dsn, a SQLite file path or a postgres:// URL,
// creating it or bringing its schema up to date.
func Open(dsn string) (*Store, error) { return OpenWith(dsn, Options{}) }

// OpenWith is Open with options.
func OpenWith(dsn string, o Options) (*Store, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	d := dialectOf(dsn)
	if err := d.prepare(dsn); err != nil {
		return nil, err
	}
	s := &Store{d: d, now: func() time.Time { return time.Now().UTC() }, start: time.Now()}
	cfg := &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true, TranslateError: true,
		NowFunc: func() time.Time { return s.now() }}
	w, err := gorm.Open(d.writer(dsn), cfg)
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", Redact(dsn), err)
	}
	s.w = w
	if err := s.setup(dsn, o.Log); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) setup(dsn string, log *slog.Logger) error {
	ctx := context.Background()
	wdb, err := s.w.DB()
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	wdb.SetMaxOpenConns(s.d.writers)
	wdb.SetMaxIdleConns(s.d.writers)
	wdb.SetConnMaxIdleTime(0)
	if err := s.migrate(ctx, log); err != nil {
		return fmt.Errorf("models: prepare database %s: %w", Redact(dsn), err)
	}
	if err := s.ensureData(ctx); err != nil {
		return fmt.Errorf("models: prepare database %s: %w", Redact(dsn), err)
	}
	r, err := gorm.Open(s.d.reader(dsn), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true, PrepareStmt: true})
	if err != nil {
		return fmt.Errorf("models: open %s for reading: %w", Redact(dsn), err)
	}
	s.r = r
	rdb, err := r.DB()
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	readers := max(runtime.NumCPU(), 2)
	rdb.SetMaxOpenConns(readers)
	rdb.SetMaxIdleConns(readers)
	var n int64
	if err := s.r.WithContext(ctx).Model(&DataVersion{}).Where("id = 1").Pluck("n", &n).Error; err != nil {
		return fmt.Errorf("models: read the data version of %s: %w", Redact(dsn), err)
	}
	s.saw(n)
	return nil
}

// ensureData runs the data steps every start runs: the default 분야 of a
// new database, and what databases of earlier versions lack (spending
// indicators, the basis of counts of people). Most starts find nothing to
// do, and then the data version stays as it was.
func (s *Store) ensureData(ctx context.Context) error {
	return s.writeIf(ctx, func(tx *gorm.DB) (bool, error) {
		changed := false
		for _, ensure := range []func(*gorm.DB) (bool, error){ensureFields, ensureSpending, ensureBasis} {
			did, err := ensure(tx)
			if err != nil {
				return false, err
			}
			changed = changed || did
		}
		return changed, nil
	})
}

// Close closes the connection pools.
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

// DataVersion is the one row that counts committed changes to the data
// the pages show, shared by every instance that uses the database.
type DataVersion struct {
	ID uint  `gorm:"primaryKey"`
	N  int64 `gorm:"not null"`
}

// versionCheck is how often Version reads the data version from the
// database: a write on another instance shows here within this time.
const versionCheck = time.Second

// Version is a counter that changes after every committed write of the
// data the pages show, so that callers can cache what they derive from
// the data. A write through this store changes it at once; a write by
// another instance sharing the database shows within versionCheck, when
// Version next reads the counter from the database.
func (s *Store) Version() int64 {
	now := int64(time.Since(s.start))
	last := s.checked.Load()
	if now-last >= int64(versionCheck) && s.checked.CompareAndSwap(last, now) {
		ctx, cancel := context.WithTimeout(context.Background(), versionCheck)
		defer cancel()
		var n int64
		if err := s.r.WithContext(ctx).Model(&DataVersion{}).Where("id = 1").Pluck("n", &n).Error; err == nil {
			s.saw(n)
		}
	}
	return s.version.Load()
}

// saw records data version n, which never goes back.
func (s *Store) saw(n int64) {
	for {
		v := s.version.Load()
		if n <= v || s.version.CompareAndSwap(v, n) {
			return
		}
	}
}

// write runs fn in one write transaction and counts a new data version
// with it, which this store sees as soon as it commits.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.writeIf(ctx, func(tx *gorm.DB) (bool, error) { return true, fn(tx) })
}

// writeIf is write for a fn that may find nothing to change: it counts a
// new data version only when fn reports that it changed something.
func (s *Store) writeIf(ctx context.Context, fn func(tx *gorm.DB) (changed bool, err error)) error {
	var n int64
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		changed, err := fn(tx)
		if err != nil || !changed {
			return err
		}
		n, err = nextVersion(tx)
		return err
	})
	if err == nil {
		s.saw(n) // 0, nothing changed, leaves the version as it was
	}
	return err
}

// nextVersion counts a new data version in tx and returns it.
func nextVersion(tx *gorm.DB) (int64, error) {
	var n int64
	if err := tx.Model(&DataVersion{}).Where("id = 1").UpdateColumn("n", gorm.Expr("n + 1")).Error; err != nil {
		return 0, err
	}
	return n, tx.Model(&DataVersion{}).Where("id = 1").Pluck("n", &n).Error
}

// writeMeta runs fn in one write transaction without changing the data
// version: accounts, sessions and the access log do not change what the
// plan pages show.
func (s *Store) writeMeta(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.d.lockWrites(tx); err != nil {
			return err
		}
		return fn(tx)
	})
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
		_, err := ensureSpending(tx)
		return err
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
