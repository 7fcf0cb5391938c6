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

// SetupTokenLife is how long the first-admin setup link works.
const SetupTokenLife = time.Hour

// ErrSetupToken reports a setup token that is unknown, used or expired.
var ErrSetupToken = errors.New("setup token unknown, used or expired")

// SetupToken is a one-time token that creates the first admin.
type SetupToken struct {
	ID        uint   `gorm:"primaryKey"`
	TokenHash string `gorm:"uniqueIndex;not null"`
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// NewSetupToken makes a one-time token, valid for an hour, that creates the
// first admin. Earlier unused tokens stop working.
func (s *Store) NewSetupToken(ctx context.Context) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("models: setup token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := s.writeMeta(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("used_at IS NULL").Delete(&SetupToken{}).Error; err != nil {
			return err
		}
		return tx.Create(&SetupToken{TokenHash: hashToken(token), ExpiresAt: s.now().Add(SetupTokenLife)}).Error
	})
	if err != nil {
		return "", fmt.Errorf("models: setup token: %w", err)
	}
	return token, nil
}

// CheckSetupToken reports whether a token may still create the first admin.
func (s *Store) CheckSetupToken(ctx context.Context, token string) error {
	var st SetupToken
	err := s.r.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Limit(1).Find(&st).Error
	if err != nil {
		return fmt.Errorf("models: setup token: %w", err)
	}
	if st.ID == 0 || st.UsedAt != nil || !s.now().Before(st.ExpiresAt) {
		return ErrSetupToken
	}
	return nil
}

// UseSetupToken creates the first admin with a valid token, and uses the
// token up, in one transaction. The caller validates in first.
func (s *Store) UseSetupToken(ctx context.Context, token string, in UserInput, from Origin) (*User, error) {
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &User{Login: NormalizeLogin(in.Login), DisplayName: in.DisplayName, Department: in.Department, Role: RoleAdmin, PasswordHash: hash}
	err = s.writeMeta(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Model(&SetupToken{}).
			Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hashToken(token), now).
			Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrSetupToken
		}
		var admins int64
		if err := tx.Model(&User{}).Where("role = ?", RoleAdmin).Count(&admins).Error; err != nil {
			return err
		}
		if admins > 0 {
			return ErrSetupToken
		}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		return recordEvent(tx, EventSetup, u, nil, from, "first admin")
	})
	if err != nil {
		return nil, fmt.Errorf("models: first admin: %w", err)
	}
	return u, nil
}
