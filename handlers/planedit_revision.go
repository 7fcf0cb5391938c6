package handlers

// How a revision words the changes the plan editor puts into it: records
// added and removed, tasks, and the fields of programmes, indicators and
// outcome targets that the older forms do not change.

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"jobkpi/models"
)

// wordedElsewhere are the fields whose changes the older forms make and
// word themselves (programEdit, indicatorEdit, outcomeEdit).
var wordedElsewhere = map[string][]string{
	recPrograms:   {"field", "groups", "budget"},
	recIndicators: {"basis"},
	recOutcomes:   {"target", "baseline"},
}

// editorEdit words a revision's change that the plan editor makes and no
// older form does; ok is false for the others.
func (p *basePage) editorEdit(plan *models.Plan, e models.PlanEdit) (out revisionEdit, ok bool) {
	out = revisionEdit{ID: e.ID, Record: p.recordLabel(e.Record), Reason: e.Reason, Old: e.Old, New: e.New}
	switch {
	case strings.HasPrefix(e.Field, models.DeltaAdd):
		out.Field, out.Old, out.New = p.T("planedit.revision.add"), p.T("ind.none"), p.snapshotName(e.New)
		out.Name = out.New
		return out, true
	case e.Field == models.DeltaRemove:
		out.Field, out.Old, out.New = p.T("planedit.revision.remove"), p.snapshotName(e.Old), p.T("ind.none")
		out.Name = out.Old
		return out, true
	}
	for _, f := range wordedElsewhere[e.Record] {
		if f == e.Field {
			return out, false
		}
	}
	out.Name = p.recordName(plan, e.Record, e.RecordID)
	out.Field = p.T("planedit.field." + strings.TrimSuffix(e.Field, "_date"))
	out.Old, out.New = p.editValue(plan, e.Field, e.Old), p.editValue(plan, e.Field, e.New)
	switch e.Field {
	case "sort_order":
		out.Field = p.T("planedit.revision.order")
	case "task_id", "program_id":
		out.Field = p.T("planedit.revision.parent")
	}
	return out, true
}

// recordLabel names a kind of record as the revision lists it.
func (p *basePage) recordLabel(record string) string {
	switch record {
	case recTasks:
		return p.T("table.task")
	case recPrograms:
		return p.T("class.program")
	case recIndicators:
		return p.T("ind.name")
	case recOutcomes:
		return p.T("outcome.title")
	}
	return record
}

// snapshotName is the name in a record's plan-file JSON.
func (p *basePage) snapshotName(data string) string {
	var rec struct {
		Code   string `json:"code"`
		Name   string `json:"name"`
		NameEn string `json:"name_en"`
	}
	_ = json.Unmarshal([]byte(data), &rec)
	return strings.TrimSpace(rec.Code + " " + p.Pick(rec.Name, rec.NameEn))
}

// recordName names a record of the plan, or says its ID when the plan no
// longer has it.
func (p *basePage) recordName(plan *models.Plan, record string, id uint) string {
	switch record {
	case recTasks:
		for _, t := range plan.Tasks {
			if t.ID == id {
				return t.Code + " " + p.Pick(t.Name, t.NameEn)
			}
		}
	case recPrograms:
		if prog := plan.Program(id); prog != nil {
			return p.Pick(prog.Name, prog.NameEn)
		}
	case recIndicators:
		if ind := indicatorsByID(plan)[id]; ind != nil {
			return p.Pick(ind.Name, ind.NameEn)
		}
	case recOutcomes:
		for _, o := range plan.Outcomes {
			if o.ID == id {
				return p.Pick(o.Name, o.NameEn)
			}
		}
	}
	return strconv.FormatUint(uint64(id), 10)
}

// editValue writes a field's stored text for the reader.
func (p *basePage) editValue(plan *models.Plan, field, text string) string {
	switch field {
	case "new", "headline":
		if text == "true" {
			return p.T("planedit.yes")
		}
		return p.T("planedit.no")
	case "kind":
		return p.T("ind.kind." + text)
	case "sort_order":
		if n, err := strconv.Atoi(text); err == nil {
			return strconv.Itoa(n + 1)
		}
	case "task_id":
		if id, err := strconv.Atoi(text); err == nil {
			return p.recordName(plan, recTasks, uint(id))
		}
	case "program_id":
		if id, err := strconv.Atoi(text); err == nil {
			return p.recordName(plan, recPrograms, uint(id))
		}
	case "due_date":
		if d, err := time.Parse(time.DateOnly, text); err == nil {
			return p.Date(&d)
		}
	}
	if text == "" {
		return p.T("ind.none")
	}
	return text
}
