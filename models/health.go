package models

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
)

// writeProbe is the row ProbeWrite writes and deletes again.
type writeProbe struct {
	ID  uint `gorm:"primaryKey"`
	At  time.Time
	Pad []byte
}

// probePad is larger than a database page, so that the probe's row needs
// pages of its own.
const probePad = 2 * 4096

// ProbeWrite commits one write transaction that leaves no data behind: it
// stores a row larger than a database page and deletes it again. A disk
// that cannot take a new page fails it as it fails a real write. It
// changes no data version, so the page cache is kept.
func (s *Store) ProbeWrite(ctx context.Context) error {
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&writeProbe{At: s.now(), Pad: make([]byte, probePad)}).Error; err != nil {
			return err
		}
		return tx.Where("1 = 1").Delete(&writeProbe{}).Error
	})
	if err != nil {
		return fmt.Errorf("models: write probe: %w", err)
	}
	return nil
}

// SimulateFullDisk caps the database file at its present size, as a full
// disk would (SQLite's max_page_count on the writer), or lifts the cap:
// for tests of what a user sees when the disk is full.
func (s *Store) SimulateFullDisk(ctx context.Context, full bool) error {
	pages := math.MaxUint32 - 1
	if full {
		pages = 1 // SQLite raises it to the pages in use
	}
	if err := s.w.WithContext(ctx).Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Error; err != nil {
		return fmt.Errorf("models: set max_page_count: %w", err)
	}
	return nil
}
