package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ProgramInput is an official's 분야, 대상 and budget of a programme, as
// the programme page sends them.
type ProgramInput struct {
	Year   int // the plan year the page showed
	Field  string
	Groups []string
	// Budget holds the amounts typed for each of BudgetSources, in 백만원.
	Budget []string
	Reason string // why: a 수정공시 shows it beside the change
	From   Origin
}

// SetProgram changes a programme's 분야, 대상 and budget: in place in a
// draft plan, by revision in a published one (a 추경 is a 수정공시). It
// reports whether the changes went into a revision. Editing the plan is
// for officials and admins.
func (s *Store) SetProgram(ctx context.Context, u *User, id uint, in ProgramInput) (bool, error) {
	if !mayEditPlan(u) {
		return false, fmt.Errorf("models: set programme %d: %w", id, ErrForbidden)
	}
	v := &ValidationError{}
	var groups []Group
	for _, g := range in.Groups {
		if !Group(g).Known() {
			v.say("groups", "problem.group.unknown", g)
			continue
		}
		groups = append(groups, Group(g))
	}
	budget := parseBudget(v, in.Budget)
	reason := strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(reason) > MaxReasonLen {
		v.say("reason", "problem.target.reason.too.long", MaxReasonLen)
	}
	var revised bool
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, err := loadPlan(tx, in.Year)
		if err != nil {
			return err
		}
		prog := plan.Program(id)
		if prog == nil {
			return ErrNotFound
		}
		fields, err := fieldCodes(tx)
		if err != nil {
			return err
		}
		if in.Field != "" && !slices.Contains(fields, in.Field) {
			v.say("field", "problem.field.unknown", in.Field)
		}
		if err := v.orNil(); err != nil {
			return err
		}
		edits := []struct{ field, old, new string }{
			{"field", prog.Field, in.Field},
			{"groups", prog.Groups, groupsText(groups)},
			{"budget", prog.Budget.Text(), budget.Text()},
		}
		changed := false
		for _, e := range edits {
			if e.old == e.new {
				continue
			}
			changed = true
			rev, err := editField(tx, u, plan, EditRef{"programs", id, e.field}, e.old, e.new, reason, e.field, s.now())
			if err != nil {
				return err
			}
			revised = revised || rev
		}
		if !changed {
			return invalid("field", "problem.edit.same")
		}
		return recordEvent(tx, EventPlanEdit, nil, u, in.From, fmt.Sprintf("%d %s: %s %s %s", in.Year, prog.Name, in.Field,
			groupsText(groups), budget.Text()))
	})
	if err != nil {
		return false, fmt.Errorf("models: set programme %d: %w", id, err)
	}
	return revised, nil
}

// Program is the plan's programme id, or nil.
func (p *Plan) Program(id uint) *Program {
	for ti := range p.Tasks {
		for pi := range p.Tasks[ti].Programs {
			if prog := &p.Tasks[ti].Programs[pi]; prog.ID == id {
				return prog
			}
		}
	}
	return nil
}

// BasisInput is an official's 집계 기준 of an indicator.
type BasisInput struct {
	Year   int
	Basis  string
	Reason string
	From   Origin
}

// SetBasis changes what an indicator's count of people counts: in place
// in a draft plan, by revision in a published one. Only counts of people
// have a basis.
func (s *Store) SetBasis(ctx context.Context, u *User, id uint, in BasisInput) (bool, error) {
	if !mayEditPlan(u) {
		return false, fmt.Errorf("models: set basis of %d: %w", id, ErrForbidden)
	}
	var revised bool
	err := s.write(ctx, func(tx *gorm.DB) error {
		plan, err := loadPlan(tx, in.Year)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(plan.Indicators(), func(ind *Indicator) bool { return ind.ID == id })
		if i < 0 {
			return ErrNotFound
		}
		ind := plan.Indicators()[i]
		if key := basisProblem(ind.Unit, Basis(in.Basis)); key != "" {
			return invalid("basis", key, PlanText{ind.Unit, ind.UnitEn})
		}
		if utf8.RuneCountInString(strings.TrimSpace(in.Reason)) > MaxReasonLen {
			return invalid("reason", "problem.target.reason.too.long", MaxReasonLen)
		}
		if string(ind.Basis) == in.Basis {
			return invalid("basis", "problem.edit.same")
		}
		revised, err = editField(tx, u, plan, EditRef{"indicators", id, "basis"}, string(ind.Basis), in.Basis, in.Reason, "basis", s.now())
		if err != nil {
			return err
		}
		return recordEvent(tx, EventPlanEdit, nil, u, in.From, fmt.Sprintf("%d %s: %s → %s", in.Year, ind.Name, ind.Basis, in.Basis))
	})
	if err != nil {
		return false, fmt.Errorf("models: set basis of %d: %w", id, err)
	}
	return revised, nil
}
