package models

// Changes to a plan's records other than an indicator's target: a
// programme's 분야, 대상 and budget, an indicator's 집계 기준, an outcome's
// target. Like a target, such a field changes in place while the plan is
// a draft and by revision (수정공시) once it is published, and every
// published change keeps the old and the new value with the month it took
// effect from.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PlanEdit is one change in a revision to a field of a plan's record. Old
// and New are the field's value as text (see editable).
//
// An addition has the field DeltaAdd followed by a serial and the path it
// came from, the parent's ID as its record and the added record's plan
// file as New; once published, Old holds the ID it was given. A removal
// has the field DeltaRemove and the removed record's plan file as Old.
type PlanEdit struct {
	ID        uint   `gorm:"primaryKey"`
	VersionID uint   `gorm:"not null;uniqueIndex:idx_edit_field"`
	Record    string `gorm:"not null;uniqueIndex:idx_edit_field"` // the table: programs, indicators, outcomes
	RecordID  uint   `gorm:"not null;uniqueIndex:idx_edit_field"`
	Field     string `gorm:"not null;uniqueIndex:idx_edit_field"` // the column
	Old       string
	New       string
	Reason    string `gorm:"not null"`
	By        string
	At        time.Time
}

// EditRef names a field of a plan's record.
type EditRef struct {
	Record   string
	RecordID uint
	Field    string
}

// editable lists the fields that change by revision, by table and
// column, with how each column stores its text.
var editable = map[string]map[string]columnType{
	"tasks": {"code": colText, "name": colText, "name_en": colText, "sort_order": colInt},
	"programs": {"name": colText, "name_en": colText, "description": colText, "description_en": colText,
		"department": colText, "field": colText, "groups": colText, "new": colBool, "budget": colText,
		"source_ref": colText, "source_quote": colText, "task_id": colInt, "sort_order": colInt},
	"indicators": {"name": colText, "name_en": colText, "unit": colText, "unit_en": colText, "basis": colText,
		"kind": colText, "headline": colBool, "baseline": colNumber, "baseline_year": colInt, "target_note": colText,
		"target_note_en": colText, "due_date": colDate, "weight": colNumber, "source_ref": colText,
		"source_quote": colText, "program_id": colInt, "sort_order": colInt},
	"outcomes": {"code": colText, "name": colText, "name_en": colText, "unit": colText, "unit_en": colText,
		"target": colNumber, "baseline": colNumber, "baseline_year": colInt, "source_ref": colText,
		"source_quote": colText, "sort_order": colInt},
}

// columnValue is the text of an editable field as its column takes it.
func columnValue(ref EditRef, text string) (any, error) {
	typ, ok := editable[ref.Record][ref.Field]
	switch {
	case !ok:
		return nil, fmt.Errorf("models: %s.%s is not editable", ref.Record, ref.Field)
	case typ == colText:
		return text, nil
	case text == "" && (typ == colNumber || typ == colDate):
		return nil, nil
	case typ == colNumber:
		return strconv.ParseFloat(text, 64)
	case typ == colInt:
		return strconv.Atoi(text)
	case typ == colBool:
		return strconv.ParseBool(text)
	}
	d, err := time.Parse(time.DateOnly, text)
	return d, err
}

// editField changes one field of a plan's record from old to value, with
// its reason. In a draft plan it changes in place. In a published plan the
// change goes into the draft revision (started if there is none),
// replacing an earlier change of the same field there; it reports that it
// did. A value equal to the one in force is refused, at the path given.
func editField(tx *gorm.DB, u *User, plan *Plan, ref EditRef, old, value, reason, path string, now time.Time) (bool, error) {
	nv, err := columnValue(ref, value)
	if err != nil {
		return false, err
	}
	if !plan.Published() {
		if err := tx.Table(ref.Record).Where("id = ?", ref.RecordID).Update(ref.Field, nv).Error; err != nil {
			return false, err
		}
		return false, nil
	}
	if old == value {
		return false, invalid(path, "problem.edit.same")
	}
	if strings.TrimSpace(reason) == "" {
		return false, invalid("reason", "problem.target.reason")
	}
	draft, err := draftRevision(tx, u, plan.ID, now)
	if err != nil {
		return false, err
	}
	if err := tx.Where("version_id = ? AND record = ? AND record_id = ? AND field = ?", draft.ID, ref.Record, ref.RecordID, ref.Field).
		Delete(&PlanEdit{}).Error; err != nil {
		return false, err
	}
	return true, tx.Create(&PlanEdit{VersionID: draft.ID, Record: ref.Record, RecordID: ref.RecordID, Field: ref.Field,
		Old: old, New: value, Reason: strings.TrimSpace(reason), By: u.Login, At: now}).Error
}

// applyEdits puts a revision's edits in force. An edit whose field moved
// since it was made is refused.
func applyEdits(tx *gorm.DB, edits []PlanEdit) error {
	for _, e := range edits {
		switch {
		case strings.HasPrefix(e.Field, DeltaAdd):
			_, path, _ := strings.Cut(e.Field, "@")
			id, err := addRecord(tx, e.Record, e.RecordID, e.New, pathPlace(path))
			if err != nil {
				return err
			}
			if err := tx.Model(&PlanEdit{}).Where("id = ?", e.ID).Update("old", strconv.Itoa(int(id))).Error; err != nil {
				return err
			}
			continue
		case e.Field == DeltaRemove:
			n, err := numbersUnder(tx, e.Record, e.RecordID)
			if err != nil {
				return err
			}
			if n > 0 {
				return invalid(fmt.Sprintf("edits[%d]", e.ID), "problem.plan.remove.figures", EditName(e), n)
			}
			if err := removeRecord(tx, e.Record, e.RecordID); err != nil {
				return err
			}
			continue
		}
		ref := EditRef{e.Record, e.RecordID, e.Field}
		ov, err := columnValue(ref, e.Old)
		if err != nil {
			return err
		}
		nv, err := columnValue(ref, e.New)
		if err != nil {
			return err
		}
		col := clause.Column{Name: e.Field}
		was := clause.Expression(clause.Eq{Column: col, Value: ov}) // nil: IS NULL
		if ov == "" {                                               // a column added to rows stored before it holds NULL
			was = clause.Or(was, clause.Eq{Column: col, Value: nil})
		}
		q := tx.Table(e.Record).Where("id = ?", e.RecordID).Where(was)
		res := q.Update(e.Field, nv)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return invalid(fmt.Sprintf("edits[%d]", e.ID), "problem.revision.stale")
		}
	}
	return nil
}

// EditTerm is a value a field has had, with the version that published it
// (nil for the plan's own) and the first month it was in force.
type EditTerm struct {
	Version *PlanVersion
	Edit    *PlanEdit // nil for the plan's own value
	Value   string
	From    int
}

// FieldTerms lists the values a field has had, in order: the one the plan
// was published with, then one per published revision that changed it.
// current is the value the record holds now, the last.
func (p *Plan) FieldTerms(ref EditRef, current string) []EditTerm {
	vs := p.publishedVersions()
	var terms []EditTerm
	for _, v := range vs {
		for i := range v.Edits {
			e := &v.Edits[i]
			if e.Record != ref.Record || e.RecordID != ref.RecordID || e.Field != ref.Field {
				continue
			}
			if len(terms) == 0 {
				terms = append(terms, EditTerm{Version: vs[0], Value: e.Old, From: 1})
			}
			terms = append(terms, EditTerm{Version: v, Edit: e, Value: e.New, From: v.Effective})
		}
	}
	if len(terms) == 0 {
		var first *PlanVersion
		if len(vs) > 0 {
			first = vs[0]
		}
		terms = append(terms, EditTerm{Version: first, Value: current, From: 1})
	}
	return terms
}

// FieldAt is the value of a field in force in month m (1–12).
func (p *Plan) FieldAt(ref EditRef, current string, m int) string {
	terms := p.FieldTerms(ref, current)
	v := terms[0].Value
	for _, t := range terms[1:] {
		if t.From <= m {
			v = t.Value
		}
	}
	return v
}

// FieldIn is the value of a field that version n published.
func (p *Plan) FieldIn(ref EditRef, current string, n int) string {
	terms := p.FieldTerms(ref, current)
	v := terms[0].Value
	for _, t := range terms[1:] {
		if t.Version.Number <= n {
			v = t.Value
		}
	}
	return v
}
