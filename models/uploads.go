package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// UploadKind names the flow an uploaded file belongs to.
type UploadKind string

// The two upload flows.
const (
	UploadFigures UploadKind = "figures" // a department's figures, from the entry template
	UploadPlan    UploadKind = "plan"    // a plan spreadsheet
)

// UploadState is where an uploaded file is between its upload and its
// saving.
type UploadState string

// The states of an upload. A file is read (reading), then shows its
// preview (ready) or why it cannot be read (failed); once saved, its row
// stays without the file until it expires, so that a second save is told
// so.
const (
	UploadReading UploadState = "reading"
	UploadReady   UploadState = "ready"
	UploadFailed  UploadState = "failed"
	UploadSaved   UploadState = "saved"
)

// Errors of the uploads table, mapped to 404, 409 and 429 at the edge.
var (
	ErrUploadBusy     = errors.New("the session's previous file is still being read")
	ErrUploadsFull    = errors.New("too many uploaded files are kept")
	ErrUploadSaving   = errors.New("the upload is being saved")
	ErrUploadSaved    = errors.New("the upload is saved already")
	ErrUploadNotReady = errors.New("the upload has no preview to save")
)

// Upload is an uploaded file kept between its preview and its saving, in
// the database, so that every instance of the program behind a load
// balancer can show, poll and save it. Only the session that uploaded it
// finds it, by a random token.
type Upload struct {
	Token      string     `gorm:"primaryKey;not null"`
	Kind       UploadKind `gorm:"not null;index:idx_upload_owner"`
	SessionID  uint       `gorm:"not null;index:idx_upload_owner"`
	UserID     uint       `gorm:"not null"`
	Year       int        `gorm:"not null"`
	Department string
	FileName   string `gorm:"not null"`
	Lang       string
	Content    []byte      // the file, while a save may need to read it again
	State      UploadState `gorm:"not null"`
	Read       int64       `gorm:"not null;default:0"` // rows read so far
	Total      int64       `gorm:"not null;default:0"` // rows expected, 0 while unknown
	Result     []byte      // JSON of what the preview shows and the save needs
	Fatal      []byte      // JSON of why the file cannot be read
	Saving     bool        `gorm:"not null;default:false"`
	// Beat is when the instance reading the file last said it is alive.
	Beat      time.Time `gorm:"not null"`
	Expires   time.Time `gorm:"not null;index"`
	CreatedAt time.Time `gorm:"not null"`
}

// UploadLimits bound CreateUpload.
type UploadLimits struct {
	// Max bounds the unsaved uploads of the kind kept at once, across
	// users; 0 for no bound.
	Max int
	// OnePerSession refuses a file while another of the session is being
	// read by an instance that beat after Alive.
	OnePerSession bool
	Alive         time.Time
	// Replace drops the user's earlier uploads of the kind and year that
	// are not being saved.
	Replace bool
}

// newUploadToken is 144 random bits: an upload cannot be guessed.
func newUploadToken() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CreateUpload keeps a new upload, gives it its token and drops the
// expired ones. up.Expires is the caller's. It refuses with ErrUploadBusy
// or ErrUploadsFull what lim bounds.
func (s *Store) CreateUpload(ctx context.Context, up *Upload, lim UploadLimits) error {
	token, err := newUploadToken()
	if err != nil {
		return fmt.Errorf("models: upload token: %w", err)
	}
	now := s.now()
	up.Token, up.CreatedAt, up.Beat, up.Saving, up.Expires = token, now, now, false, up.Expires.UTC()
	alive := lim.Alive.UTC()
	err = s.writeMeta(ctx, func(tx *gorm.DB) error {
		if _, err := purgeUploads(tx, now); err != nil {
			return err
		}
		if lim.OnePerSession {
			var n int64
			if err := tx.Model(&Upload{}).Where("kind = ? AND session_id = ? AND state = ? AND beat > ?",
				up.Kind, up.SessionID, UploadReading, alive).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return ErrUploadBusy
			}
		}
		if lim.Replace {
			if err := tx.Where("kind = ? AND user_id = ? AND year = ? AND saving = ?", up.Kind, up.UserID, up.Year, false).
				Delete(&Upload{}).Error; err != nil {
				return err
			}
		}
		if lim.Max > 0 {
			var n int64
			if err := tx.Model(&Upload{}).Where("kind = ? AND state <> ?", up.Kind, UploadSaved).Count(&n).Error; err != nil {
				return err
			}
			if n >= int64(lim.Max) {
				return ErrUploadsFull
			}
		}
		return tx.Create(up).Error
	})
	if err != nil {
		return fmt.Errorf("models: keep upload %s: %w", up.FileName, err)
	}
	return nil
}

// purgeUploads deletes the uploads that expired, with their files, and
// says how many.
func purgeUploads(tx *gorm.DB, now time.Time) (int64, error) {
	res := tx.Where("expires <= ?", now).Delete(&Upload{})
	return res.RowsAffected, res.Error
}

// PurgeUploads deletes the uploads that expired and says how many.
func (s *Store) PurgeUploads(ctx context.Context) (int64, error) {
	var n int64
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		var err error
		n, err = purgeUploads(tx, s.now())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("models: purge uploads: %w", err)
	}
	return n, nil
}

// ownUpload selects the live upload of a kind and token that belongs to a
// session.
func ownUpload(db *gorm.DB, kind UploadKind, token string, session uint, now time.Time) *gorm.DB {
	return db.Where("token = ? AND kind = ? AND session_id = ? AND expires > ?", token, kind, session, now)
}

// FindUpload loads a session's upload of a kind. Any other token, an
// expired one or another session's is ErrNotFound.
func (s *Store) FindUpload(ctx context.Context, kind UploadKind, token string, session uint) (*Upload, error) {
	var up Upload
	err := ownUpload(s.r.WithContext(ctx), kind, token, session, s.now()).Take(&up).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("models: upload: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("models: load upload: %w", err)
	}
	return &up, nil
}

// UploadProgress records how far the reading of a file has come, and that
// its reader is alive.
func (s *Store) UploadProgress(ctx context.Context, token string, read, total int64) error {
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Upload{}).Where("token = ? AND state = ?", token, UploadReading).
			Updates(map[string]any{"read": read, "total": total, "beat": s.now()}).Error
	})
	if err != nil {
		return fmt.Errorf("models: upload progress: %w", err)
	}
	return nil
}

// FinishUpload ends the reading of a file: with its result (ready), or
// with why it cannot be read (fatal, failed). An upload dropped meanwhile
// is ErrNotFound.
func (s *Store) FinishUpload(ctx context.Context, token string, result, fatal []byte) error {
	state := UploadReady
	if fatal != nil {
		state = UploadFailed
	}
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Upload{}).Where("token = ? AND state = ?", token, UploadReading).
			Updates(map[string]any{"state": state, "result": result, "fatal": fatal, "beat": s.now()})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
	if err != nil {
		return fmt.Errorf("models: finish upload: %w", err)
	}
	return nil
}

// FailStaleUpload fails an upload whose reader last beat before before: it
// stopped, and nobody will finish the reading. It reports whether it did.
func (s *Store) FailStaleUpload(ctx context.Context, token string, before time.Time, fatal []byte) (bool, error) {
	var done bool
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Upload{}).Where("token = ? AND state = ? AND beat < ?", token, UploadReading, before.UTC()).
			Updates(map[string]any{"state": UploadFailed, "fatal": fatal, "content": nil})
		done = res.RowsAffected > 0
		return res.Error
	})
	if err != nil {
		return false, fmt.Errorf("models: fail stale upload: %w", err)
	}
	return done, nil
}

// ClaimUpload marks a session's ready upload as being saved and returns it
// as it is then, so that two saves of one preview, on any instances,
// cannot both apply. It refuses with ErrNotFound, ErrUploadSaved,
// ErrUploadSaving or ErrUploadNotReady.
func (s *Store) ClaimUpload(ctx context.Context, kind UploadKind, token string, session uint) (*Upload, error) {
	var up Upload
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := ownUpload(tx.Model(&Upload{}), kind, token, session, now).
			Where("state = ? AND saving = ?", UploadReady, false).Update("saving", true)
		if res.Error != nil {
			return res.Error
		}
		err := ownUpload(tx, kind, token, session, now).Take(&up).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return ErrNotFound
		case err != nil:
			return err
		case res.RowsAffected == 1:
			return nil
		case up.State == UploadSaved:
			return ErrUploadSaved
		case up.Saving:
			return ErrUploadSaving
		}
		return ErrUploadNotReady
	})
	if err != nil {
		return nil, fmt.Errorf("models: claim upload: %w", err)
	}
	return &up, nil
}

// ReleaseUpload ends a save that did not apply, so that the upload can be
// saved again; a result that is not nil replaces the preview's.
func (s *Store) ReleaseUpload(ctx context.Context, token string, result []byte) error {
	set := map[string]any{"saving": false}
	if result != nil {
		set["result"] = result
	}
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Upload{}).Where("token = ? AND state = ?", token, UploadReady).Updates(set).Error
	})
	if err != nil {
		return fmt.Errorf("models: release upload: %w", err)
	}
	return nil
}

// SavedUpload records that an upload was saved and deletes its file and
// result; the row stays until it expires, to refuse a second save.
func (s *Store) SavedUpload(ctx context.Context, token string) error {
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Upload{}).Where("token = ?", token).
			Updates(map[string]any{"state": UploadSaved, "saving": false, "content": nil, "result": nil, "fatal": nil}).Error
	})
	if err != nil {
		return fmt.Errorf("models: mark upload saved: %w", err)
	}
	return nil
}

// DeleteUpload drops a session's upload of a kind with its file.
func (s *Store) DeleteUpload(ctx context.Context, kind UploadKind, token string, session uint) error {
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Where("token = ? AND kind = ? AND session_id = ?", token, kind, session).Delete(&Upload{}).Error
	})
	if err != nil {
		return fmt.Errorf("models: drop upload: %w", err)
	}
	return nil
}
