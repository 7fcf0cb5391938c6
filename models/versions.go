package models

// A plan's yearly cycle under 지역 일자리 목표 공시제: a plan is written as a
// draft (작성 중), published (공시, version 1, the 원공시) and then revised
// (수정공시, versions 2, 3, …). A revision never rewrites the past: the
// indicator keeps its current target and monthly plan, and every published
// change keeps the old and the new ones with the month it took effect
// from, so that any month is judged against what was in force then.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// PlanState is where a plan stands in its yearly cycle.
type PlanState string

// The plan states.
const (
	// PlanDraft is being written: only officials see it, and it takes no
	// figures.
	PlanDraft PlanState = "draft"
	// PlanPublished has been published (공시); it changes only by revision.
	PlanPublished PlanState = "published"
)

// Published reports whether the plan has been published.
func (p *Plan) Published() bool { return p.State != PlanDraft }

// PlanVersion is one publication of a plan: number 1 is the 원공시, later
// numbers are 수정공시. A revision being prepared is a version that is not
// published yet; a plan has at most one.
type PlanVersion struct {
	ID        uint `gorm:"primaryKey"`
	PlanID    uint `gorm:"not null;uniqueIndex:idx_plan_version"`
	Number    int  `gorm:"not null;uniqueIndex:idx_plan_version"`
	Published bool `gorm:"not null"`
	// Date is the publication date (a calendar date, at 00:00 UTC); nil
	// when it was not recorded.
	Date *time.Time
	// Effective is the first month of the plan year its changes are in
	// force; 1 for the 원공시.
	Effective   int `gorm:"not null;default:1"`
	PublishedBy string
	// SourceRef cites where a seeded publication date comes from.
	SourceRef string
	CreatedBy string
	CreatedAt time.Time

	Changes []PlanChange `gorm:"foreignKey:VersionID;constraint:OnDelete:CASCADE"`
	Edits   []PlanEdit   `gorm:"foreignKey:VersionID;constraint:OnDelete:CASCADE"`
}

// Empty reports whether the version changes nothing.
func (v *PlanVersion) Empty() bool { return len(v.Changes) == 0 && len(v.Edits) == 0 }

// Original reports whether the version is the 원공시.
func (v *PlanVersion) Original() bool { return v.Number == 1 }

// PlanChange is one change in a revision: an indicator's target and
// monthly plan, old and new, and why.
type PlanChange struct {
	ID          uint    `gorm:"primaryKey"`
	VersionID   uint    `gorm:"not null;uniqueIndex:idx_change_indicator"`
	IndicatorID uint    `gorm:"not null;uniqueIndex:idx_change_indicator;index"`
	OldTarget   float64 `gorm:"not null"`
	NewTarget   float64 `gorm:"not null"`
	OldPacing   Pacing  `gorm:"type:text"`
	NewPacing   Pacing  `gorm:"type:text"`
	Reason      string  `gorm:"not null"`
	By          string
	At          time.Time
}

// Term is a target and monthly plan of an indicator with what put it in
// force: the 원공시 (Change nil) or a revision.
type Term struct {
	Version *PlanVersion // nil in a draft plan
	Change  *PlanChange  // nil for the plan's own target
	Target  float64
	Pacing  Pacing
	From    int // the first month it is in force
}

// Revised reports whether a revision set the term.
func (t Term) Revised() bool { return t.Change != nil }

// publishedVersions lists the plan's published versions, by number.
func (p *Plan) publishedVersions() []*PlanVersion {
	var out []*PlanVersion
	for i := range p.Versions {
		if p.Versions[i].Published {
			out = append(out, &p.Versions[i])
		}
	}
	slices.SortFunc(out, func(a, b *PlanVersion) int { return a.Number - b.Number })
	return out
}

// PublishedVersions lists the plan's published versions, newest first.
func (p *Plan) PublishedVersions() []*PlanVersion {
	out := p.publishedVersions()
	slices.Reverse(out)
	return out
}

// Version is the published version numbered n, or nil.
func (p *Plan) Version(n int) *PlanVersion {
	for _, v := range p.publishedVersions() {
		if v.Number == n {
			return v
		}
	}
	return nil
}

// Latest is the plan's latest published version, or nil for a draft.
func (p *Plan) Latest() *PlanVersion {
	vs := p.publishedVersions()
	if len(vs) == 0 {
		return nil
	}
	return vs[len(vs)-1]
}

// DraftRevision is the revision being prepared, or nil.
func (p *Plan) DraftRevision() *PlanVersion {
	for i := range p.Versions {
		if !p.Versions[i].Published {
			return &p.Versions[i]
		}
	}
	return nil
}

// Terms lists the targets an indicator has had, in order: the one the
// plan was published with, then one per published revision that changed
// it. The indicator itself holds the last.
func (p *Plan) Terms(ind *Indicator) []Term {
	vs := p.publishedVersions()
	var first *PlanVersion
	if len(vs) > 0 {
		first = vs[0]
	}
	var terms []Term
	for _, v := range vs {
		for i := range v.Changes {
			ch := &v.Changes[i]
			if ch.IndicatorID != ind.ID {
				continue
			}
			if len(terms) == 0 {
				terms = append(terms, Term{Version: first, Target: ch.OldTarget, Pacing: ch.OldPacing, From: 1})
			}
			terms = append(terms, Term{Version: v, Change: ch, Target: ch.NewTarget, Pacing: ch.NewPacing, From: v.Effective})
		}
	}
	if len(terms) == 0 {
		terms = append(terms, Term{Version: first, Target: ind.Target, Pacing: ind.Pacing, From: 1})
	}
	return terms
}

// TermAt is the term in force in month m (1–12) of the plan year.
func (p *Plan) TermAt(ind *Indicator, m int) Term {
	terms := p.Terms(ind)
	t := terms[0]
	for _, term := range terms[1:] {
		if term.From <= m {
			t = term
		}
	}
	return t
}

// TermIn is the term that version n published.
func (p *Plan) TermIn(ind *Indicator, n int) Term {
	terms := p.Terms(ind)
	t := terms[0]
	for _, term := range terms[1:] {
		if term.Version.Number <= n {
			t = term
		}
	}
	return t
}

// withTerm is ind measured against t: a copy when t differs from what ind
// holds.
func withTerm(ind *Indicator, t Term) *Indicator {
	if t.Target == ind.Target && slices.Equal(t.Pacing, ind.Pacing) {
		return ind
	}
	c := *ind
	c.Target, c.Pacing = t.Target, t.Pacing
	return &c
}

// AsPublished is a copy of the plan as version n published it: every
// indicator holds the target and monthly plan of that version, and every
// record the fields it had then. The revisions after n are undone on the
// copy: their field changes, the records they added and the records they
// removed (kept with the revision).
func (p *Plan) AsPublished(n int) *Plan {
	c := *p
	tree := flattenPlan(p)
	vs := p.publishedVersions()
	for i := len(vs) - 1; i >= 0 && vs[i].Number > n; i-- {
		for j := len(vs[i].Edits) - 1; j >= 0; j-- {
			tree.undo(&vs[i].Edits[j])
		}
	}
	c.Tasks = tree.build()
	for _, ind := range c.Indicators() {
		*ind = *withTerm(ind, p.TermIn(ind, n))
	}
	return &c
}

// ErrDraft reports a plan being written where a published one is needed:
// a draft takes no figures.
var ErrDraft = errors.New("plan is a draft")

// ErrPublished reports a change to a published plan made in place rather
// than by revision.
var ErrPublished = errors.New("plan is published")

// PublishInput is an official's publication of a plan or a revision, as
// the form sends it.
type PublishInput struct {
	Year      int
	Date      string // YYYY-MM-DD; empty means today in Korea
	Effective string // YYYY-MM, for a revision; empty means the month of the date
	From      Origin // where the request came from, for the access log
}

// mayEditPlan reports whether u may write the plan: officials and admins.
func mayEditPlan(u *User) bool { return u != nil && !u.Disabled && u.Role.AtLeast(RoleOfficial) }

// today is the calendar date in Korea at now, at 00:00 UTC.
func today(now time.Time) time.Time {
	d, _ := time.Parse(time.DateOnly, now.In(KST).Format(time.DateOnly))
	return d
}

// parsePublishDate reads a publication date: empty is today; a date after
// today cannot be a publication.
func parsePublishDate(v *ValidationError, s string, now time.Time) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return today(now)
	}
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		v.say("date", "problem.publish.date.format")
	case d.After(today(now)):
		v.say("date", "problem.publish.date.future", s)
	}
	return d
}

// PublishPlan publishes a draft plan: it records the publication date and
// who published it as version 1, the 원공시. It is refused while any target
// still needs review or while the plan has no indicator; the refusal
// lists what is missing.
func (s *Store) PublishPlan(ctx context.Context, u *User, in PublishInput) error {
	if !mayEditPlan(u) {
		return fmt.Errorf("models: publish plan %d: %w", in.Year, ErrForbidden)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, err := loadPlan(tx, in.Year)
		if err != nil {
			return err
		}
		if plan.Published() {
			return invalid("plan", "problem.publish.already", in.Year)
		}
		inds := plan.Indicators()
		v := &ValidationError{}
		date := parsePublishDate(v, in.Date, s.now())
		if len(inds) == 0 {
			v.say("plan", "problem.publish.empty")
		}
		for _, ind := range inds {
			if ind.NeedsReview {
				v.say(fmt.Sprintf("indicators[%d]", ind.ID), "problem.publish.review", PlanText{ind.Name, ind.NameEn})
			}
		}
		outcomesToReview(v, plan)
		if err := v.orNil(); err != nil {
			return err
		}
		if err := tx.Create(&PlanVersion{PlanID: plan.ID, Number: 1, Published: true, Date: &date, Effective: 1,
			PublishedBy: u.Login, CreatedBy: u.Login, CreatedAt: s.now()}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Plan{}).Where("id = ?", plan.ID).Update("state", PlanPublished).Error; err != nil {
			return err
		}
		return recordEvent(tx, EventPlanPublish, nil, u, in.From, fmt.Sprintf("%d 원공시 %s", in.Year, date.Format(time.DateOnly)))
	})
	if err != nil {
		return fmt.Errorf("models: publish plan %d: %w", in.Year, err)
	}
	return nil
}

// TargetInput is an official's change of an indicator's annual target,
// as the indicator page sends it.
type TargetInput struct {
	Year   int // the plan year the page showed
	Target string
	// Pacing is an optional new monthly plan: 12 cumulative values,
	// separated by commas or spaces. Empty scales the current one.
	Pacing string
	Reason string // why: the 수정공시 shows it beside the change
}

// MaxReasonLen bounds a reason for change, in characters.
const MaxReasonLen = 300

// SetTarget changes an indicator's annual target. Editing the plan is for
// officials and admins.
//
// In a draft plan the target changes in place, the reason becomes the
// target's note, and a copied target no longer needs review. In a
// published plan the change goes into the draft revision instead (a
// 수정공시 being prepared; one is started if there is none), replacing an
// earlier change of the same indicator there; it takes force only when
// the revision is published (PublishRevision). It reports whether the
// change went into a revision.
//
// A monthly plan of cumulative values is scaled to the new target unless
// a new one is given, so that pace and status keep their meaning; one
// cannot be scaled from a target of 0.
func (s *Store) SetTarget(ctx context.Context, u *User, id uint, in TargetInput) (bool, error) {
	if !mayEditPlan(u) {
		return false, fmt.Errorf("models: set target of %d: %w", id, ErrForbidden)
	}
	v := &ValidationError{}
	target, ok := parseValue(in.Target)
	if !ok || target > MaxValue {
		v.say("target", "problem.target.number")
	}
	pacing := parsePacingText(v, in.Pacing)
	reason := strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(reason) > MaxReasonLen {
		v.say("reason", "problem.target.reason.too.long", MaxReasonLen)
	}
	// Every problem at once: those of the indicator's kind, unit and year
	// too (they never change after import, so the read pool may tell).
	info, err := loadIndicatorInfo(s.r.WithContext(ctx), id)
	if err != nil {
		return false, fmt.Errorf("models: set target of %d: %w", id, err)
	}
	switch {
	case info.PlanYear != in.Year:
		v.say("year", "problem.indicator.other.year", info.PlanYear)
	case info.Kind == KindSpending:
		v.say("target", "problem.target.spending")
	case !info.Kind.Monthly():
		v.say("target", "problem.target.milestone")
	case ok && IsCountUnit(info.Unit) && target != float64(int64(target)):
		v.say("target", "problem.target.whole", PlanText{info.Unit, info.UnitEn})
	}
	if pr := pacing.endProblem(target); pr != nil && ok {
		v.say("pacing", pr.Key, pr.Args...)
	}
	if reason == "" && info.PlanState != PlanDraft {
		v.say("reason", "problem.target.reason")
	}
	if err := v.orNil(); err != nil {
		return false, err
	}
	revised := info.PlanState != PlanDraft
	err = s.write(ctx, func(tx *gorm.DB) error {
		var ind Indicator
		if err := tx.Select("id", "target", "pacing", "needs_review").First(&ind, id).Error; err != nil {
			return err
		}
		if pacing == nil && len(ind.Pacing) == Months {
			if ind.Target == 0 && target != 0 {
				return invalid("target", "problem.target.pacing.zero")
			}
			pacing = scalePacing(ind.Pacing, ind.Target, target)
		}
		if !revised {
			return setDraftTarget(tx, u, info, &ind, target, pacing, reason, s.now())
		}
		if target == ind.Target && slices.Equal(pacing, ind.Pacing) {
			return invalid("target", "problem.target.same")
		}
		draft, err := draftRevision(tx, u, info.PlanID, s.now())
		if err != nil {
			return err
		}
		ch := PlanChange{VersionID: draft.ID, IndicatorID: id, OldTarget: ind.Target, NewTarget: target,
			OldPacing: ind.Pacing, NewPacing: pacing, Reason: reason, By: u.Login, At: s.now()}
		if err := tx.Where("version_id = ? AND indicator_id = ?", draft.ID, id).Delete(&PlanChange{}).Error; err != nil {
			return err
		}
		return tx.Create(&ch).Error
	})
	if err != nil {
		return false, fmt.Errorf("models: set target of %d: %w", id, err)
	}
	return revised, nil
}

// scalePacing is a monthly plan for target scaled from one for old.
func scalePacing(p Pacing, old, target float64) Pacing {
	if len(p) != Months {
		return nil
	}
	if old == target {
		return p
	}
	scaled := make(Pacing, Months)
	for m, v := range p {
		if old != 0 {
			scaled[m] = v * target / old
		}
	}
	return scaled
}

// ParsePacingText reads a monthly plan typed in one field, as the target
// form takes it (see parsePacingText); its problems are at "pacing".
func ParsePacingText(s string) (Pacing, error) {
	v := &ValidationError{}
	p := parsePacingText(v, s)
	return p, v.orNil()
}

// parsePacingText reads 12 cumulative monthly values typed in one field,
// separated by commas, spaces or new lines; nil when the field is empty.
func parsePacingText(v *ValidationError, s string) Pacing {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	if len(fields) == 0 {
		return nil
	}
	if len(fields) != Months {
		v.say("pacing", "problem.pacing.count", len(fields))
		return nil
	}
	p := make(Pacing, Months)
	for i, f := range fields {
		x, ok := parseValue(f)
		if !ok {
			v.say("pacing", "problem.pacing.number", i+1)
			return nil
		}
		p[i] = x
	}
	if pr := p.problem(); pr != nil {
		v.say("pacing", pr.Key, pr.Args...)
		return nil
	}
	return p
}

// setDraftTarget changes a draft plan's target in place: the reason, when
// given, becomes the target's note, and the target no longer needs review.
// The history keeps the old and the new target.
func setDraftTarget(tx *gorm.DB, u *User, info *indicatorInfo, ind *Indicator, target float64, pacing Pacing, reason string, now time.Time) error {
	updates := map[string]any{"target": target, "pacing": pacing, "needs_review": false}
	if reason != "" {
		updates["target_note"], updates["target_note_en"], updates["target_note_unrecorded"] = reason, "", false
	}
	if err := tx.Model(&Indicator{}).Where("id = ?", ind.ID).Updates(updates).Error; err != nil {
		return err
	}
	if target == ind.Target && !ind.NeedsReview {
		return nil
	}
	old := ind.Target
	return tx.Create(&FigureChange{IndicatorID: ind.ID, Year: info.PlanYear, Action: "target", OldValue: &old, NewValue: &target,
		Who: u.Login, At: now, Why: reason}).Error
}

// draftRevision is the plan's revision being prepared, started now if
// there is none.
func draftRevision(tx *gorm.DB, u *User, planID uint, now time.Time) (*PlanVersion, error) {
	var vs []PlanVersion
	if err := tx.Where("plan_id = ?", planID).Order("number").Find(&vs).Error; err != nil {
		return nil, err
	}
	if len(vs) > 0 && !vs[len(vs)-1].Published {
		return &vs[len(vs)-1], nil
	}
	draft := &PlanVersion{PlanID: planID, Number: len(vs) + 1, CreatedBy: u.Login, CreatedAt: now}
	return draft, tx.Create(draft).Error
}

// RemoveChange takes one target change out of a plan's draft revision.
// The revision goes when its last change does.
func (s *Store) RemoveChange(ctx context.Context, u *User, year int, changeID uint) error {
	return s.removeFromDraft(ctx, u, year, "change", changeID, &PlanChange{},
		func(v *PlanVersion) bool {
			return slices.ContainsFunc(v.Changes, func(c PlanChange) bool { return c.ID == changeID })
		})
}

// RemoveEdit takes one field change out of a plan's draft revision, as
// RemoveChange does a target change.
func (s *Store) RemoveEdit(ctx context.Context, u *User, year int, editID uint) error {
	return s.removeFromDraft(ctx, u, year, "edit", editID, &PlanEdit{},
		func(v *PlanVersion) bool {
			return slices.ContainsFunc(v.Edits, func(e PlanEdit) bool { return e.ID == editID })
		})
}

// removeFromDraft deletes row id of model from the plan's draft revision
// when holds says the revision has it, and the revision when it was its
// last change.
func (s *Store) removeFromDraft(ctx context.Context, u *User, year int, what string, id uint, model any, holds func(*PlanVersion) bool) error {
	if !mayEditPlan(u) {
		return fmt.Errorf("models: remove %s %d: %w", what, id, ErrForbidden)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, err := loadPlan(tx, year)
		if err != nil {
			return err
		}
		draft := plan.DraftRevision()
		if draft == nil || !holds(draft) {
			return ErrNotFound
		}
		if err := tx.Delete(model, id).Error; err != nil {
			return err
		}
		if len(draft.Changes)+len(draft.Edits) == 1 {
			return tx.Delete(&PlanVersion{}, draft.ID).Error
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("models: remove %s %d: %w", what, id, err)
	}
	return nil
}

// parseEffective reads the month a revision takes force from, YYYY-MM.
func parseEffective(v *ValidationError, s string, year int, date time.Time) int {
	s = strings.TrimSpace(s)
	if s == "" {
		switch {
		case date.Year() > year:
			return Months
		case date.Year() < year:
			return 1
		}
		return int(date.Month())
	}
	m, err := time.Parse("2006-01", s)
	switch {
	case err != nil:
		v.say("effective", "problem.revision.effective.format")
		return 0
	case m.Year() != year:
		v.say("effective", "problem.revision.effective.year", year)
		return 0
	}
	return int(m.Month())
}

// PublishRevision publishes the plan's draft revision as a 수정공시 dated
// in.Date, in force from in.Effective: every change it holds becomes the
// indicator's target and monthly plan, and the history keeps each with
// its reason. The months before it keep the targets they had.
//
// The effective month lies in the plan year, not before the 원공시 nor
// before the previous revision, and not before the month of the revision
// itself: a revision never rewrites what a past month was judged against
// (one published after its plan year takes force in December).
func (s *Store) PublishRevision(ctx context.Context, u *User, in PublishInput) error {
	if !mayEditPlan(u) {
		return fmt.Errorf("models: publish revision %d: %w", in.Year, ErrForbidden)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, err := loadPlan(tx, in.Year)
		if err != nil {
			return err
		}
		draft, latest := plan.DraftRevision(), plan.Latest()
		if draft == nil || draft.Empty() || latest == nil {
			return invalid("changes", "problem.revision.empty")
		}
		v := &ValidationError{}
		date := parsePublishDate(v, in.Date, s.now())
		effective := parseEffective(v, in.Effective, in.Year, date)
		if latest.Date != nil && date.Before(*latest.Date) {
			v.say("date", "problem.revision.date.before", latest.Date.Format(time.DateOnly))
		}
		if effective > 0 {
			checkEffective(v, plan, in.Year, effective, date)
		}
		fills := plan.FillsOriginal()
		for _, ch := range draft.Changes {
			if strings.TrimSpace(ch.Reason) == "" && !fills {
				v.say(fmt.Sprintf("changes[%d].reason", ch.ID), "problem.target.reason")
			}
		}
		for _, e := range draft.Edits {
			if strings.TrimSpace(e.Reason) == "" && !fills {
				v.say(fmt.Sprintf("edits[%d].reason", e.ID), "problem.target.reason")
			}
		}
		if err := v.orNil(); err != nil {
			return err
		}
		now := s.now()
		for _, ch := range draft.Changes {
			res := tx.Model(&Indicator{}).Where("id = ? AND target = ?", ch.IndicatorID, ch.OldTarget).
				Updates(map[string]any{"target": ch.NewTarget, "pacing": ch.NewPacing})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 { // the target moved since the change was made
				return invalid(fmt.Sprintf("changes[%d]", ch.ID), "problem.revision.stale")
			}
			old, nw := ch.OldTarget, ch.NewTarget
			if err := tx.Create(&FigureChange{IndicatorID: ch.IndicatorID, Year: in.Year, Action: "target", OldValue: &old, NewValue: &nw,
				Who: u.Login, At: now, Why: ch.Reason}).Error; err != nil {
				return err
			}
		}
		if err := applyEdits(tx, draft.Edits); err != nil {
			return err
		}
		if _, err := ensureSpending(tx); err != nil {
			return err
		}
		if err := renumber(tx, plan.ID); err != nil {
			return err
		}
		if fills {
			return fillOriginal(tx, u, in, plan, draft)
		}
		if err := tx.Model(&PlanVersion{}).Where("id = ?", draft.ID).Updates(map[string]any{
			"published": true, "date": date, "effective": effective, "published_by": u.Login}).Error; err != nil {
			return err
		}
		return recordEvent(tx, EventRevisionPublish, nil, u, in.From,
			fmt.Sprintf("%d 수정공시 %d %s (%d월부터)", in.Year, draft.Number, date.Format(time.DateOnly), effective))
	})
	if err != nil {
		return fmt.Errorf("models: publish revision %d: %w", in.Year, err)
	}
	return nil
}

// FillsOriginal reports whether the plan was published without its
// programmes (its 원공시 is known only by its outcome targets and tasks):
// the programmes written into it then complete the 원공시 rather than
// revise it, as nothing of them had been published.
func (p *Plan) FillsOriginal() bool {
	if !p.Published() {
		return false
	}
	for _, t := range p.Tasks {
		if len(t.Programs) > 0 {
			return false
		}
	}
	return true
}

// NeedsReasons reports whether a change of the plan must say why: it
// goes into a 수정공시, not into a draft nor into the 원공시 it completes.
func (p *Plan) NeedsReasons() bool { return p.Published() && !p.FillsOriginal() }

// fillOriginal makes a draft revision part of the 원공시 it completes.
func fillOriginal(tx *gorm.DB, u *User, in PublishInput, plan *Plan, draft *PlanVersion) error {
	first := plan.publishedVersions()[0]
	for _, model := range []any{&PlanEdit{}, &PlanChange{}} {
		if err := tx.Model(model).Where("version_id = ?", draft.ID).Update("version_id", first.ID).Error; err != nil {
			return err
		}
	}
	if err := tx.Delete(&PlanVersion{}, draft.ID).Error; err != nil {
		return err
	}
	return recordEvent(tx, EventPlanEdit, nil, u, in.From, fmt.Sprintf("%d 원공시 세부사업 입력", in.Year))
}

// checkEffective says what is wrong with a revision in force from month
// effective of year, published on date.
func checkEffective(v *ValidationError, plan *Plan, year, effective int, date time.Time) {
	vs := plan.publishedVersions()
	if first := vs[0]; first.Date != nil && first.Date.Year() == year && effective < int(first.Date.Month()) {
		v.say("effective", "problem.revision.effective.original", first.Date.Format(time.DateOnly))
		return
	}
	if prev := vs[len(vs)-1]; !prev.Original() && effective < prev.Effective {
		v.say("effective", "problem.revision.effective.order", year, prev.Effective)
		return
	}
	switch {
	case date.Year() > year && effective != Months:
		v.say("effective", "problem.revision.effective.late", year)
	case date.Year() == year && effective < int(date.Month()):
		v.say("effective", "problem.revision.effective.past", year, int(date.Month()))
	}
}

// PlanChanges lists the published changes of a plan year with their
// indicators' names, oldest first.
type PlanChangeRow struct {
	PlanChange
	Number          int
	Date            *time.Time
	Effective       int
	IndicatorName   string
	IndicatorNameEn string
	Unit            string
	UnitEn          string
}

// TargetChanges lists the target changes that the published revisions of
// a plan year made, oldest first, for the report.
func (s *Store) TargetChanges(ctx context.Context, year int) ([]PlanChangeRow, error) {
	var out []PlanChangeRow
	err := s.r.WithContext(ctx).Table("plan_changes").
		Select("plan_changes.*, plan_versions.number, plan_versions.date, plan_versions.effective, "+
			"indicators.name AS indicator_name, indicators.name_en AS indicator_name_en, indicators.unit, indicators.unit_en").
		Joins("JOIN plan_versions ON plan_versions.id = plan_changes.version_id").
		Joins("JOIN plans ON plans.id = plan_versions.plan_id").
		Joins("JOIN indicators ON indicators.id = plan_changes.indicator_id").
		Where("plans.year = ? AND plan_versions.published", year).
		Order("plan_versions.number, plan_changes.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: target changes of %d: %w", year, err)
	}
	return out, nil
}

// VersionAt is the latest published version in force in month m: the one
// whose targets a month's numbers are measured against; nil for a draft.
func (p *Plan) VersionAt(m int) *PlanVersion {
	var at *PlanVersion
	for _, v := range p.publishedVersions() {
		if v.Original() || v.Effective <= m {
			at = v
		}
	}
	return at
}

// EffectiveDefault is the month a revision published on date takes force
// from when none is chosen: the month of the date within the plan year,
// December after it and January before it.
func EffectiveDefault(year int, date time.Time) int {
	v := &ValidationError{}
	return parseEffective(v, "", year, date)
}

// Today is the calendar date in Korea at the store's clock.
func (s *Store) Today() time.Time { return today(s.now()) }
