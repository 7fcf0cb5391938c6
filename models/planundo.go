package models

// Undoing published revisions on a copy of a plan, to read it as an
// earlier version published it (Plan.AsPublished).

import (
	"cmp"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gorm.io/gorm/schema"
)

// planTree is a plan's tasks, programmes and indicators as flat lists of
// copies.
type planTree struct {
	tasks []Task
	progs []Program
	inds  []Indicator
}

func flattenPlan(p *Plan) *planTree {
	t := &planTree{}
	for _, task := range p.Tasks {
		for _, prog := range task.Programs {
			t.inds = append(t.inds, prog.Indicators...)
			prog.Indicators = nil
			t.progs = append(t.progs, prog)
		}
		task.Programs = nil
		t.tasks = append(t.tasks, task)
	}
	return t
}

// build makes the tree again, each list in its order.
func (t *planTree) build() []Task {
	order := func(ao, bo int, aid, bid uint) int { return cmp.Or(cmp.Compare(ao, bo), cmp.Compare(aid, bid)) }
	slices.SortStableFunc(t.tasks, func(a, b Task) int { return order(a.Order, b.Order, a.ID, b.ID) })
	slices.SortStableFunc(t.progs, func(a, b Program) int { return order(a.Order, b.Order, a.ID, b.ID) })
	slices.SortStableFunc(t.inds, func(a, b Indicator) int { return order(a.Order, b.Order, a.ID, b.ID) })
	tasks := slices.Clone(t.tasks)
	for ti := range tasks {
		for _, prog := range t.progs {
			if prog.TaskID != tasks[ti].ID {
				continue
			}
			prog.Indicators = nil
			for _, ind := range t.inds {
				if ind.ProgramID == prog.ID {
					prog.Indicators = append(prog.Indicators, ind)
				}
			}
			tasks[ti].Programs = append(tasks[ti].Programs, prog)
		}
	}
	return tasks
}

// undo takes one published edit back.
func (t *planTree) undo(e *PlanEdit) {
	switch {
	case strings.HasPrefix(e.Field, DeltaAdd):
		id, _ := strconv.ParseUint(e.Old, 10, 64)
		t.drop(e.Record, uint(id))
	case e.Field == DeltaRemove:
		var r removal
		if json.Unmarshal([]byte(e.Old), &r) == nil {
			t.restore(e.Record, e.RecordID, r)
		}
	default:
		if rec := t.find(e.Record, e.RecordID); rec != nil {
			setColumn(rec, EditRef{e.Record, e.RecordID, e.Field}, e.Old)
		}
	}
}

func (t *planTree) find(record string, id uint) any {
	switch record {
	case "tasks":
		if i := slices.IndexFunc(t.tasks, func(x Task) bool { return x.ID == id }); i >= 0 {
			return &t.tasks[i]
		}
	case "programs":
		if i := slices.IndexFunc(t.progs, func(x Program) bool { return x.ID == id }); i >= 0 {
			return &t.progs[i]
		}
	case "indicators":
		if i := slices.IndexFunc(t.inds, func(x Indicator) bool { return x.ID == id }); i >= 0 {
			return &t.inds[i]
		}
	}
	return nil
}

func (t *planTree) drop(record string, id uint) {
	switch record {
	case "tasks":
		t.tasks = slices.DeleteFunc(t.tasks, func(x Task) bool { return x.ID == id })
	case "programs":
		t.progs = slices.DeleteFunc(t.progs, func(x Program) bool { return x.ID == id })
	case "indicators":
		t.inds = slices.DeleteFunc(t.inds, func(x Indicator) bool { return x.ID == id })
	}
}

// restore puts a removed record back with everything under it.
func (t *planTree) restore(record string, id uint, r removal) {
	switch record {
	case "tasks":
		var tf TaskFile
		if json.Unmarshal(r.File, &tf) != nil {
			return
		}
		task := (&PlanFile{Tasks: []TaskFile{tf}}).Plan().Tasks[0]
		task.ID, task.PlanID, task.Order = id, r.Parent, r.Order
		for j, prog := range task.Programs {
			t.restoreProgram(prog, tf.Programs[j], id, prog.Order)
		}
		task.Programs = nil
		t.tasks = append(t.tasks, task)
	case "programs":
		var pf ProgramFile
		if json.Unmarshal(r.File, &pf) != nil {
			return
		}
		prog := (&PlanFile{Tasks: []TaskFile{{Programs: []ProgramFile{pf}}}}).Plan().Tasks[0].Programs[0]
		t.restoreProgram(prog, pf, r.Parent, r.Order)
	case "indicators":
		var f IndicatorFile
		if json.Unmarshal(r.File, &f) != nil {
			return
		}
		ind := f.indicator(r.Order)
		ind.ID, ind.ProgramID = id, r.Parent
		t.inds = append(t.inds, ind)
	}
}

func (t *planTree) restoreProgram(prog Program, f ProgramFile, task uint, order int) {
	prog.ID, prog.TaskID, prog.Order = f.ID, task, order
	for k, ind := range prog.Indicators {
		ind.ID, ind.ProgramID = f.Indicators[k].ID, f.ID
		t.inds = append(t.inds, ind)
	}
	prog.Indicators = nil
	t.progs = append(t.progs, prog)
}

// removal is a removed record as its revision keeps it: its plan file,
// its parent and its place there, and its name.
type removal struct {
	Parent uint            `json:"parent"`
	Order  int             `json:"order"`
	Name   string          `json:"name"`
	NameEn string          `json:"name_en,omitempty"`
	File   json.RawMessage `json:"file"`
}

// EditName is the name of the record an addition or a removal of a
// revision is about.
func EditName(e PlanEdit) PlanText {
	var r struct {
		Name   string `json:"name"`
		NameEn string `json:"name_en"`
	}
	data := e.New
	if e.Field == DeltaRemove {
		data = e.Old
	}
	_ = json.Unmarshal([]byte(data), &r)
	return PlanText{r.Name, r.NameEn}
}

var schemas sync.Map

// setColumn sets the field of a record (a *Task, *Program or *Indicator)
// stored in a column to the value its text says.
func setColumn(rec any, ref EditRef, text string) {
	s, err := schema.Parse(rec, &schemas, schema.NamingStrategy{})
	if err != nil {
		return
	}
	f := s.LookUpField(ref.Field)
	v, err := columnValue(ref, text)
	if f == nil || err != nil {
		return
	}
	_ = f.Set(context.Background(), reflect.ValueOf(rec).Elem(), v)
}
