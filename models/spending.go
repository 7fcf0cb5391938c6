package models

// A programme's spending to date (집행액) is entered monthly by staff like
// any figure: it goes through the same grid, approval, lock and history,
// as the figures of the programme's spending indicator (KindSpending). It
// is cumulative, and is measured against the budget in force (집행률).

import (
	"gorm.io/gorm"
)

// The spending indicator's name and unit.
const (
	spendingName   = "집행액"
	spendingNameEn = "Spending to date"
	// UnitMillionWon is the unit of budgets and spending.
	UnitMillionWon   = "백만원"
	UnitMillionWonEn = "KRW million"
)

// ensureSpending gives every programme that has none its spending
// indicator, and reports whether there was one without.
func ensureSpending(tx *gorm.DB) (bool, error) {
	var progs []Program
	err := tx.Select("id", "name", "name_en").
		Where("NOT EXISTS (SELECT 1 FROM indicators WHERE indicators.program_id = programs.id AND indicators.kind = ?)", KindSpending).
		Order("id").Find(&progs).Error
	if err != nil || len(progs) == 0 {
		return false, err
	}
	inds := make([]Indicator, len(progs))
	for i, p := range progs {
		inds[i] = Indicator{ProgramID: p.ID, Name: p.Name + " " + spendingName, Unit: UnitMillionWon, UnitEn: UnitMillionWonEn,
			Kind: KindSpending, Weight: 0}
		if p.NameEn != "" {
			inds[i].NameEn = p.NameEn + ": " + spendingNameEn
		}
	}
	return true, batched(tx).Create(&inds).Error
}

// attachSpending loads the spending indicators of the plan's programmes
// into Program.Spending.
func attachSpending(db *gorm.DB, plan *Plan) error {
	var ids []uint
	for ti := range plan.Tasks {
		for _, p := range plan.Tasks[ti].Programs {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var inds []Indicator
	if err := db.Where("program_id IN ? AND kind = ?", ids, KindSpending).Order("id").Find(&inds).Error; err != nil {
		return err
	}
	byProgram := make(map[uint]*Indicator, len(inds))
	for i := range inds {
		if byProgram[inds[i].ProgramID] == nil {
			byProgram[inds[i].ProgramID] = &inds[i]
		}
	}
	for ti := range plan.Tasks {
		for pi := range plan.Tasks[ti].Programs {
			p := &plan.Tasks[ti].Programs[pi]
			p.Spending = byProgram[p.ID]
		}
	}
	return nil
}

// Spendings lists the plan's spending indicators in plan order.
func (p *Plan) Spendings() []*Indicator {
	var out []*Indicator
	for ti := range p.Tasks {
		for pi := range p.Tasks[ti].Programs {
			if s := p.Tasks[ti].Programs[pi].Spending; s != nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// budgetRef names a programme's budget field.
func budgetRef(prog *Program) EditRef {
	return EditRef{Record: "programs", RecordID: prog.ID, Field: "budget"}
}

// BudgetAt is the programme's budget in force in month m.
func (p *Plan) BudgetAt(prog *Program, m int) Budget {
	b, _ := ParseBudgetText(p.FieldAt(budgetRef(prog), prog.Budget.Text(), m))
	return b
}

// Execution is spending against budget (집행률) of one programme or of a
// group of them.
type Execution struct {
	// Budget is the budget in force; nil when no programme has one.
	Budget *float64
	// Spent is the spending to date of the programmes with a budget; nil
	// when none is reported.
	Spent *float64
	// Unbudgeted is the spending of programmes without a budget, which
	// the rate leaves out; nil when none is reported.
	Unbudgeted *float64
}

// Rate is spending against budget, as a fraction (1 is all of it); nil
// without a budget or without any spending reported.
func (e Execution) Rate() *float64 {
	if e.Budget == nil || *e.Budget == 0 || e.Spent == nil {
		return nil
	}
	r := *e.Spent / *e.Budget
	return &r
}

// Over reports whether spending exceeds the budget.
func (e Execution) Over() bool { return e.Budget != nil && e.Spent != nil && *e.Spent > *e.Budget }

// AllSpent is all the spending to date, of programmes with a budget or
// without; nil when none is reported.
func (e Execution) AllSpent() *float64 { return AddAmounts(e.Spent, e.Unbudgeted) }

// add adds another programme's or group's execution.
func (e *Execution) add(o Execution) {
	e.Budget = AddAmounts(e.Budget, o.Budget)
	e.Spent = AddAmounts(e.Spent, o.Spent)
	e.Unbudgeted = AddAmounts(e.Unbudgeted, o.Unbudgeted)
}

// AddAmounts adds two amounts that may be missing: nil when both are.
func AddAmounts(a, b *float64) *float64 {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	v := *a + *b
	return &v
}

// executionOf is one programme's execution at month asof.
func executionOf(plan *Plan, prog *Program, figs map[uint]*MonthValues, asof int) Execution {
	e := Execution{Budget: plan.BudgetAt(prog, asof).Total()}
	if prog.Spending == nil {
		return e
	}
	mv := figs[prog.Spending.ID]
	if mv == nil {
		return e
	}
	p := Evaluate(prog.Spending, *mv, asof)
	if p.Cumulative[clampMonth(asof)-1] == nil {
		return e
	}
	spent := p.Actual
	if e.Budget == nil {
		e.Unbudgeted = &spent
	} else {
		e.Spent = &spent
	}
	return e
}
