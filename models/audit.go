package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// EventKind names an access-log event.
type EventKind string

// The access-log events.
const (
	EventLoginOK         EventKind = "login"
	EventLoginFailed     EventKind = "login_failed"
	EventLoginDisabled   EventKind = "login_disabled"
	EventLoginThrottled  EventKind = "login_throttled"
	EventLogout          EventKind = "logout"
	EventPasswordChange  EventKind = "password_change"
	EventPasswordReset   EventKind = "password_reset"
	EventRoleChange      EventKind = "role_change"
	EventUserCreate      EventKind = "user_create"
	EventUserDisable     EventKind = "user_disable"
	EventUserEnable      EventKind = "user_enable"
	EventSetup           EventKind = "setup"
	EventDeptAdd         EventKind = "department_add"
	EventDeptRemove      EventKind = "department_remove"
	EventDeptAssign      EventKind = "department_assign"
	EventPlanCopy        EventKind = "plan_copy"
	EventPlanPublish     EventKind = "plan_publish"
	EventRevisionPublish EventKind = "revision_publish"
	EventFieldAdd        EventKind = "field_add"
	EventPlanEdit        EventKind = "plan_edit"
)

// EventKinds lists every kind, for filters.
var EventKinds = []EventKind{EventLoginOK, EventLoginFailed, EventLoginDisabled, EventLoginThrottled, EventLogout,
	EventPasswordChange, EventPasswordReset, EventRoleChange, EventUserCreate, EventUserDisable, EventUserEnable, EventSetup,
	EventDeptAdd, EventDeptRemove, EventDeptAssign, EventPlanCopy, EventPlanPublish, EventRevisionPublish, EventFieldAdd, EventPlanEdit}

// AccessEvent is one entry of the access log: who, when, from where.
type AccessEvent struct {
	ID        uint      `gorm:"primaryKey"`
	At        time.Time `gorm:"index;not null"`
	Kind      EventKind `gorm:"index;not null"`
	Login     string    `gorm:"index"` // the account the event is about
	ActorID   *uint     // who did it, when someone else did (an admin)
	Actor     string
	IP        string `gorm:"index"`
	UserAgent string
	Detail    string
}

func recordEvent(tx *gorm.DB, kind EventKind, subject, actor *User, from Origin, detail string) error {
	ev := AccessEvent{
		At: tx.NowFunc(), Kind: kind, IP: from.IP, UserAgent: truncate(from.UserAgent, 300), Detail: truncate(detail, 300),
	}
	if subject != nil {
		ev.Login = subject.Login
	}
	if actor != nil && actor.ID != 0 {
		ev.ActorID, ev.Actor = &actor.ID, actor.Login
	}
	return tx.Create(&ev).Error
}

// RecordEvent adds an access-log entry on its own, for events with no other
// write, such as a logout or a throttled login.
func (s *Store) RecordEvent(ctx context.Context, kind EventKind, subject *User, from Origin, detail string) error {
	return s.writeMeta(ctx, func(tx *gorm.DB) error { return recordEvent(tx, kind, subject, nil, from, detail) })
}

// EventFilter selects access-log entries. Empty fields match everything.
type EventFilter struct {
	Login string
	Kind  EventKind
	IP    string
	From  time.Time
	To    time.Time // exclusive
	Limit int
}

// Events lists access-log entries, newest first.
func (s *Store) Events(ctx context.Context, f EventFilter) ([]AccessEvent, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var out []AccessEvent
	if err := s.eventQuery(ctx, f).Order("at DESC, id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list access events: %w", err)
	}
	return out, nil
}

func (s *Store) eventQuery(ctx context.Context, f EventFilter) *gorm.DB {
	q := s.r.WithContext(ctx).Model(&AccessEvent{})
	if f.Login != "" {
		q = q.Where("login = ?", NormalizeLogin(f.Login))
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.IP != "" {
		q = q.Where("ip = ?", strings.TrimSpace(f.IP))
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To)
	}
	return q
}

// EventPage is one page of the access log.
type EventPage struct {
	Events []AccessEvent
	Page   int   // from 1
	Pages  int   // at least 1, also when nothing matches
	Total  int64 // entries that match, on every page
}

// EventsPage lists one page of the entries f selects, newest first, size
// to a page (f.Limit is ignored). A page past the last gives the last.
func (s *Store) EventsPage(ctx context.Context, f EventFilter, page, size int) (*EventPage, error) {
	size = max(size, 1)
	p := &EventPage{}
	if err := s.eventQuery(ctx, f).Count(&p.Total).Error; err != nil {
		return nil, fmt.Errorf("models: count access events: %w", err)
	}
	p.Pages = max(int((p.Total+int64(size)-1)/int64(size)), 1)
	p.Page = min(max(page, 1), p.Pages)
	err := s.eventQuery(ctx, f).Order("at DESC, id DESC").Offset((p.Page - 1) * size).Limit(size).Find(&p.Events).Error
	if err != nil {
		return nil, fmt.Errorf("models: list access events: %w", err)
	}
	return p, nil
}

// Throttle limits failed logins within a window.
type Throttle struct {
	PerLogin int
	PerIP    int
	Window   time.Duration
}

// DefaultThrottle allows 5 failures per account and 20 per IP in 5 minutes.
var DefaultThrottle = Throttle{PerLogin: 5, PerIP: 20, Window: 5 * time.Minute}

// throttled returns how long to wait before the next attempt for this
// login or IP, or 0.
func (s *Store) throttled(ctx context.Context, login, ip string, t Throttle) (time.Duration, error) {
	since := s.now().Add(-t.Window)
	failed := []EventKind{EventLoginFailed, EventLoginDisabled}
	wait := func(col, val string, limit int) (time.Duration, error) {
		var times []time.Time
		err := s.r.WithContext(ctx).Model(&AccessEvent{}).
			Where(col+" = ? AND kind IN ? AND at > ?", val, failed, since).
			Order("at DESC").Limit(limit).Pluck("at", &times).Error
		if err != nil || len(times) < limit {
			return 0, err
		}
		// The oldest of the last `limit` failures leaves the window first.
		return max(times[limit-1].Add(t.Window).Sub(s.now()), time.Second), nil
	}
	w1, err := wait("login", login, t.PerLogin)
	if err != nil {
		return 0, fmt.Errorf("models: throttle: %w", err)
	}
	w2, err := wait("ip", ip, t.PerIP)
	if err != nil {
		return 0, fmt.Errorf("models: throttle: %w", err)
	}
	return max(w1, w2), nil
}

// Setting keys.
const (
	SettingAuditRetentionDays = "audit_retention_days"
)

// MinAuditRetentionDays is the shortest retention the settings allow.
const MinAuditRetentionDays = 365

// Setting is a key and value set by an admin.
type Setting struct {
	Key   string `gorm:"primaryKey"`
	Value string `gorm:"not null"`
}

// AuditRetentionDays is how long access-log entries are kept.
func (s *Store) AuditRetentionDays(ctx context.Context) (int, error) {
	var st Setting
	err := s.r.WithContext(ctx).Where("key = ?", SettingAuditRetentionDays).Limit(1).Find(&st).Error
	if err != nil {
		return 0, fmt.Errorf("models: read setting: %w", err)
	}
	days, err := strconv.Atoi(st.Value)
	if err != nil || days < MinAuditRetentionDays {
		return MinAuditRetentionDays, nil
	}
	return days, nil
}

// SetAuditRetentionDays changes the retention; at least one year.
func (s *Store) SetAuditRetentionDays(ctx context.Context, days int) error {
	if days < MinAuditRetentionDays || days > 36500 {
		return invalid("retention_days", "problem.audit.retention.range", MinAuditRetentionDays)
	}
	return s.writeMeta(ctx, func(tx *gorm.DB) error {
		return tx.Save(&Setting{Key: SettingAuditRetentionDays, Value: strconv.Itoa(days)}).Error
	})
}

// PurgeEvents deletes access-log entries older than the retention.
func (s *Store) PurgeEvents(ctx context.Context) (int64, error) {
	days, err := s.AuditRetentionDays(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.writeMeta(ctx, func(tx *gorm.DB) error {
		res := tx.Where("at < ?", s.now().AddDate(0, 0, -days)).Delete(&AccessEvent{})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// Issuer is who issues the city's 공시: the department and its contact
// line, as an admin set them. Empty until set; nothing is made up.
type Issuer struct {
	Department string
	Contact    string
}

// Issuer setting keys.
const (
	SettingIssuerDepartment = "issuer_department"
	SettingIssuerContact    = "issuer_contact"
)

// Issuer reads the issuing department and its contact line.
func (s *Store) Issuer(ctx context.Context) (Issuer, error) {
	var all []Setting
	err := s.r.WithContext(ctx).Where("key IN ?", []string{SettingIssuerDepartment, SettingIssuerContact}).Find(&all).Error
	if err != nil {
		return Issuer{}, fmt.Errorf("models: read issuer: %w", err)
	}
	var out Issuer
	for _, st := range all {
		switch st.Key {
		case SettingIssuerDepartment:
			out.Department = st.Value
		case SettingIssuerContact:
			out.Contact = st.Value
		}
	}
	return out, nil
}

// CheckIssuer returns every problem of an issuer at once.
func CheckIssuer(in Issuer) error {
	v := &ValidationError{}
	if n := len([]rune(in.Department)); n > 100 {
		v.say("issuer_department", "problem.issuer.long", 100)
	}
	if n := len([]rune(in.Contact)); n > 200 {
		v.say("issuer_contact", "problem.issuer.long", 200)
	}
	if strings.ContainsAny(in.Department+in.Contact, "\r\n") {
		v.say("issuer_contact", "problem.issuer.line")
	}
	if len(v.Problems) > 0 {
		return v
	}
	return nil
}

// SetIssuer changes the issuing department and its contact line; empty
// values clear them.
func (s *Store) SetIssuer(ctx context.Context, in Issuer) error {
	in.Department, in.Contact = strings.TrimSpace(in.Department), strings.TrimSpace(in.Contact)
	if err := CheckIssuer(in); err != nil {
		return err
	}
	// A write, not writeMeta: the 공시 pages show the issuer, and their
	// cache is kept per data version.
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Save(&Setting{Key: SettingIssuerDepartment, Value: in.Department}).Error; err != nil {
			return err
		}
		return tx.Save(&Setting{Key: SettingIssuerContact, Value: in.Contact}).Error
	})
}
