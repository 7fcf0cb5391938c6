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

// APIToken lets a script write figures as its user. Only the token's
// SHA-256 is stored; the token itself is shown once, when it is made.
type APIToken struct {
	ID        uint   `gorm:"primaryKey"`
	UserID    uint   `gorm:"not null;index"`
	User      User   `gorm:"constraint:OnDelete:CASCADE"`
	Name      string `gorm:"not null"`
	TokenHash string `gorm:"uniqueIndex;not null"`
	CreatedAt time.Time
	LastUsed  *time.Time
}

// apiTokenPrefix marks jobkpi tokens, so a leaked one is easy to find.
const apiTokenPrefix = "jk_"

// NewAPIToken makes a token for u and returns it; it cannot be read again.
func (s *Store) NewAPIToken(ctx context.Context, u *User, name string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("models: api token: %w", err)
	}
	token := apiTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	if name == "" {
		name = "API"
	}
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Create(&APIToken{UserID: u.ID, Name: truncate(name, 100), TokenHash: hashToken(token), CreatedAt: s.now()}).Error
	})
	if err != nil {
		return "", fmt.Errorf("models: api token: %w", err)
	}
	return token, nil
}

// APITokens lists a user's tokens (without the tokens themselves).
func (s *Store) APITokens(ctx context.Context, u *User) ([]APIToken, error) {
	var out []APIToken
	if err := s.r.WithContext(ctx).Where("user_id = ?", u.ID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: api tokens: %w", err)
	}
	return out, nil
}

// DeleteAPIToken revokes one of u's tokens.
func (s *Store) DeleteAPIToken(ctx context.Context, u *User, id uint) error {
	return s.writeMeta(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND user_id = ?", id, u.ID).Delete(&APIToken{})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
}

// TokenUser finds the enabled user of an API token; ErrNotFound otherwise.
func (s *Store) TokenUser(ctx context.Context, token string) (*User, error) {
	if len(token) < len(apiTokenPrefix)+40 || len(token) > 100 {
		return nil, ErrNotFound
	}
	var t APIToken
	err := s.r.WithContext(ctx).Preload("User").Where("token_hash = ?", hashToken(token)).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && t.User.Disabled {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("models: api token: %w", err)
	}
	return &t.User, nil
}
