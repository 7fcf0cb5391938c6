package handlers

import (
	"time"

	"jobkpi/models"
)

// VersionName is a version's name: 원공시, or the revision's number.
func (l Lang) VersionName(n int) string {
	if n <= 1 {
		return l.T("version.name.original")
	}
	return l.T("version.name.revision", n-1)
}

// VersionDate is a version's publication date, or says it was not
// recorded.
func (l Lang) VersionDate(d *time.Time) string {
	if d == nil {
		return l.T("version.date.unknown")
	}
	return d.Format(time.DateOnly)
}

// VersionWhen says when version n was published and from which month it
// is in force: "2020-07-15 1차 수정공시 (7월부터 적용)".
func (p *basePage) VersionWhen(n int, d *time.Time, effective int) string {
	if n <= 1 {
		return p.T("version.when.original", p.Lang.VersionDate(d), p.Lang.VersionName(n))
	}
	return p.T("version.when", p.Lang.VersionDate(d), p.Lang.VersionName(n), p.Lang.Month(effective))
}

// TermWhen says what put a target in force: the 원공시 or a revision,
// with its date; a draft plan's target has no version yet.
func (p *basePage) TermWhen(t models.Term) string {
	if t.Version == nil {
		return p.T("version.draft")
	}
	return p.VersionWhen(t.Version.Number, t.Version.Date, t.From)
}
