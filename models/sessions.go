package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session lengths.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// touchEvery limits how often a busy session's last-seen time is
	// written: at most once a minute.
	touchEvery = time.Minute
)

// Session is a signed-in browser. The cookie holds a 256-bit random token;
// only its SHA-256 is stored, so a copy of the database cannot sign in.
type Session struct {
	ID         uint   `gorm:"primaryKey"`
	TokenHash  string `gorm:"uniqueIndex;not null"`
	UserID     uint   `gorm:"not null;index"`
	User       User   `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute end
	IP         string
	UserAgent  string
}

// IdleEnd is when the session ends unless it is used again.
func (s *Session) IdleEnd() time.Time {
	end := s.LastSeenAt.Add(IdleTimeout)
	if s.ExpiresAt.Before(end) {
		return s.ExpiresAt
	}
	return end
}

// Origin is where a request came from, for the access log.
type Origin struct {
	IP        string
	UserAgent string
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewSession starts a session for u and returns the token for the cookie.
func (s *Store) NewSession(ctx context.Context, u *User, from Origin) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("models: session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	sess := &Session{
		TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(AbsoluteTimeout), IP: from.IP, UserAgent: truncate(from.UserAgent, 300),
	}
	if err := s.writeMeta(ctx, func(tx *gorm.DB) error { return tx.Create(sess).Error }); err != nil {
		return "", fmt.Errorf("models: new session: %w", err)
	}
	return token, nil
}

// SessionUser finds the live session of a token and its user. An unknown,
// idle, expired or disabled one gives ErrNotFound (and is deleted). Using a
// session keeps it alive.
func (s *Store) SessionUser(ctx context.Context, token string) (*Session, *User, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, ErrNotFound
	}
	var sess Session
	err := s.r.WithContext(ctx).Preload("User").Where("token_hash = ?", hashToken(token)).First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("models: find session: %w", err)
	}
	now := s.now()
	if !now.Before(sess.IdleEnd()) || sess.User.Disabled {
		if err := s.EndSession(ctx, token); err != nil {
			return nil, nil, err
		}
		return nil, nil, ErrNotFound
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.touchSession(ctx, sess.ID, now); err != nil {
			return nil, nil, err
		}
		sess.LastSeenAt = now
	}
	return &sess, &sess.User, nil
}

func (s *Store) touchSession(ctx context.Context, id uint, now time.Time) error {
	return s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Session{}).Where("id = ?", id).Update("last_seen_at", now).Error
	})
}

// ExtendSession marks the session used now, restarting its idle time (up
// to its absolute end).
func (s *Store) ExtendSession(ctx context.Context, sess *Session) error {
	now := s.now()
	if err := s.touchSession(ctx, sess.ID, now); err != nil {
		return fmt.Errorf("models: extend session: %w", err)
	}
	sess.LastSeenAt = now
	return nil
}

// EndSession deletes a session on the server, so its cookie stops working.
func (s *Store) EndSession(ctx context.Context, token string) error {
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Where("token_hash = ?", hashToken(token)).Delete(&Session{}).Error
	})
	if err != nil {
		return fmt.Errorf("models: end session: %w", err)
	}
	return nil
}

// PurgeSessions deletes sessions that have ended.
func (s *Store) PurgeSessions(ctx context.Context) error {
	now := s.now()
	return s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-IdleTimeout)).Delete(&Session{}).Error
	})
}

// ActiveSessions counts the sessions that have not ended: the ones
// PurgeSessions would keep.
func (s *Store) ActiveSessions(ctx context.Context) (int64, error) {
	now := s.now()
	var n int64
	err := s.r.WithContext(ctx).Model(&Session{}).Where("expires_at > ? AND last_seen_at > ?", now, now.Add(-IdleTimeout)).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("models: count sessions: %w", err)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
