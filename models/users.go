package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role is what a user may do. Anonymous visitors have no user at all.
type Role string

// The roles, from least to most powerful.
const (
	RoleCouncil  Role = "council"  // 의원: reads reports and drafts
	RoleStaff    Role = "staff"    // 실무자: enters figures for their own department
	RoleOfficial Role = "official" // 담당관: all departments, approves, edits the plan
	RoleAdmin    Role = "admin"    // 관리자: users and settings, and everything else
)

// Roles lists every role, least powerful first.
var Roles = []Role{RoleCouncil, RoleStaff, RoleOfficial, RoleAdmin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r includes everything role min may do. Staff and
// council are separate lines: staff enter figures, council read reports;
// officials and admins may do both.
func (r Role) AtLeast(min Role) bool {
	if r == RoleStaff && min == RoleCouncil || r == RoleCouncil && min == RoleStaff {
		return false
	}
	return r.rank() >= min.rank() && min.Valid()
}

// User is an account.
type User struct {
	ID                 uint   `gorm:"primaryKey"`
	Login              string `gorm:"uniqueIndex;not null"`
	DisplayName        string `gorm:"not null"`
	Department         string
	Role               Role `gorm:"not null"`
	Disabled           bool
	PasswordHash       string `gorm:"not null"`
	MustChangePassword bool
	Demo               bool // a demo account, whose password the login page shows
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Errors of the account store. ErrDisabled is also an ErrBadCredentials:
// signing in to a disabled account must not tell a stranger that the
// account exists, so callers that only check ErrBadCredentials answer
// both alike.
var (
	ErrBadCredentials = errors.New("wrong login or password")
	ErrDisabled       = fmt.Errorf("%w: account disabled", ErrBadCredentials)
	ErrThrottled      = errors.New("too many failed logins")
)

var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NormalizeLogin lowercases and trims a login.
func NormalizeLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// UserInput is a new or changed account, as a form or the command line
// gives it.
type UserInput struct {
	Login       string
	DisplayName string
	Department  string
	Role        Role
	Password    string
	// MustChange makes the user choose a new password at the next login,
	// for a temporary password set by an admin.
	MustChange bool
}

// Validate returns every problem at once, keyed by field.
func (in *UserInput) Validate(policy *PasswordPolicy) error {
	v := &ValidationError{}
	if !loginPattern.MatchString(NormalizeLogin(in.Login)) {
		v.say("login", "problem.user.login.pattern")
	}
	if strings.TrimSpace(in.DisplayName) == "" || len(in.DisplayName) > 100 {
		v.say("display_name", "problem.user.name.length")
	}
	if !in.Role.Valid() {
		v.say("role", "problem.user.role")
	}
	if in.Role == RoleStaff && strings.TrimSpace(in.Department) == "" {
		v.say("department", "problem.user.department.required")
	}
	if len(in.Department) > 100 {
		v.say("department", "problem.department.too.long")
	}
	if pr, ok := policy.Check(in.Password, NormalizeLogin(in.Login)); !ok {
		v.Problems = append(v.Problems, pr)
	}
	return v.orNil()
}

// CreateUser stores a new account. The caller validates in first; the
// department must be on the list of departments (CheckDepartment).
func (s *Store) CreateUser(ctx context.Context, in UserInput, demo bool, actor *User, from Origin) (*User, error) {
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &User{
		Login: NormalizeLogin(in.Login), DisplayName: strings.TrimSpace(in.DisplayName),
		Department: strings.TrimSpace(in.Department), Role: in.Role, PasswordHash: hash, Demo: demo,
		MustChangePassword: in.MustChange,
	}
	err = s.writeMeta(ctx, func(tx *gorm.DB) error {
		if err := checkDepartment(tx, u.Department); err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return invalid("login", "problem.user.login.exists")
			}
			return err
		}
		return recordEvent(tx, EventUserCreate, u, actor, from, string(u.Role))
	})
	if err != nil {
		return nil, fmt.Errorf("models: create user %q: %w", u.Login, err)
	}
	return u, nil
}

// User loads an account by ID.
func (s *Store) User(ctx context.Context, id uint) (*User, error) {
	var u User
	err := s.r.WithContext(ctx).First(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("models: user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("models: user %d: %w", id, err)
	}
	return &u, nil
}

// Users lists every account by login.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var users []User
	if err := s.r.WithContext(ctx).Order("login").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("models: list users: %w", err)
	}
	return users, nil
}

// AdminExists reports whether any enabled admin account exists.
func (s *Store) AdminExists(ctx context.Context) (bool, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&User{}).Where("role = ? AND disabled = ?", RoleAdmin, false).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("models: count admins: %w", err)
	}
	return n > 0, nil
}

// Authenticate checks a login and password. Every attempt is recorded in
// the access log. Too many recent failures for the login, or from the IP,
// give ErrThrottled with the time to wait, before any password is hashed.
func (s *Store) Authenticate(ctx context.Context, login, password string, from Origin, limits Throttle) (*User, time.Duration, error) {
	login = NormalizeLogin(login)
	if wait, err := s.throttled(ctx, login, from.IP, limits); err != nil || wait > 0 {
		if err == nil {
			err = ErrThrottled
		}
		return nil, wait, err
	}
	var u User
	err := s.r.WithContext(ctx).Where("login = ?", login).First(&u).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, 0, fmt.Errorf("models: find user: %w", err)
	}
	hash := u.PasswordHash
	if !found {
		hash = dummyHash()
	}
	ok := VerifyPassword(hash, password) && found
	result := ErrBadCredentials
	kind := EventLoginFailed
	switch {
	case ok && u.Disabled:
		result, kind = ErrDisabled, EventLoginDisabled
	case ok:
		result, kind = nil, EventLoginOK
	}
	who := &User{Login: login}
	if found {
		who = &u
	}
	if err := s.writeMeta(ctx, func(tx *gorm.DB) error { return recordEvent(tx, kind, who, nil, from, "") }); err != nil {
		return nil, 0, err
	}
	if result != nil {
		return nil, 0, result
	}
	return &u, 0, nil
}

// ChangePassword sets a user's own new password after checking the
// current one, and clears the must-change flag.
func (s *Store) ChangePassword(ctx context.Context, u *User, current, next string, from Origin) error {
	if !VerifyPassword(u.PasswordHash, current) {
		return ErrBadCredentials
	}
	return s.setPassword(ctx, u, next, false, u, from, EventPasswordChange)
}

// ResetPassword sets a password chosen by an admin; the user must change
// it at the next login.
func (s *Store) ResetPassword(ctx context.Context, u *User, next string, actor *User, from Origin) error {
	return s.setPassword(ctx, u, next, true, actor, from, EventPasswordReset)
}

func (s *Store) setPassword(ctx context.Context, u *User, next string, mustChange bool, actor *User, from Origin, kind EventKind) error {
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	return s.writeMeta(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"password_hash": hash, "must_change_password": mustChange}).Error; err != nil {
			return err
		}
		// A new password ends every other session of the user.
		if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return recordEvent(tx, kind, u, actor, from, "")
	})
}

// SetDisabled disables or enables an account; disabling ends its sessions.
func (s *Store) SetDisabled(ctx context.Context, u *User, disabled bool, actor *User, from Origin) error {
	kind := EventUserEnable
	if disabled {
		kind = EventUserDisable
	}
	return s.writeMeta(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("disabled", disabled).Error; err != nil {
			return err
		}
		if disabled {
			if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		return recordEvent(tx, kind, u, actor, from, "")
	})
}

// SetRole changes an account's role and department. A new department
// must be on the list; the one the user has may stay.
func (s *Store) SetRole(ctx context.Context, u *User, role Role, dept string, actor *User, from Origin) error {
	if !role.Valid() {
		return invalid("role", "problem.user.role")
	}
	if role == RoleStaff && strings.TrimSpace(dept) == "" {
		return invalid("department", "problem.user.department.required")
	}
	dept = strings.TrimSpace(dept)
	if len(dept) > MaxDepartmentLen {
		return invalid("department", "problem.department.too.long")
	}
	detail := fmt.Sprintf("%s/%s → %s/%s", u.Role, u.Department, role, dept)
	return s.writeMeta(ctx, func(tx *gorm.DB) error {
		if dept != u.Department {
			if err := checkDepartment(tx, dept); err != nil {
				return err
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"role": role, "department": dept}).Error; err != nil {
			return err
		}
		return recordEvent(tx, EventRoleChange, u, actor, from, detail)
	})
}
