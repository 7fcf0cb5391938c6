package models

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Backup writes a copy of the database at dbPath to out, which must not
// exist yet. It reads through a read-only connection of its own, so the
// server may keep running and writing: the copy is one moment of the
// database (VACUUM INTO), with every write committed before it and nothing
// half done. The copy is flushed to disk and checked before Backup
// returns; a copy that fails is removed.
func Backup(ctx context.Context, dbPath, out string) (err error) {
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("models: backup: cannot read the database %s: %w", dbPath, err)
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("models: backup: %s: %w", out, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("models: backup: %w", err)
	}
	src, err := openReadOnly(dbPath)
	if err != nil {
		return err
	}
	defer closeDB(src)
	if err := src.WithContext(ctx).Exec("VACUUM INTO ?", out).Error; err != nil {
		os.Remove(out)
		return fmt.Errorf("models: backup to %s: %w", out, err)
	}
	defer func() {
		if err != nil {
			os.Remove(out)
		}
	}()
	f, err := os.Open(out)
	if err != nil {
		return fmt.Errorf("models: backup: %w", err)
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return fmt.Errorf("models: backup: flush %s: %w", out, err)
	}
	return CheckIntegrity(ctx, out)
}

// CheckIntegrity runs SQLite's integrity check on the database at path,
// read-only.
func CheckIntegrity(ctx context.Context, path string) error {
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer closeDB(db)
	var result string
	if err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil {
		return fmt.Errorf("models: integrity check of %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("models: integrity check of %s: %s", path, result)
	}
	return nil
}

func openReadOnly(path string) (*gorm.DB, error) {
	db, err := gorm.Open(sqlite.Open(sqliteDSN(path, "mode=ro&_busy_timeout=10000")), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", path, err)
	}
	return db, nil
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
