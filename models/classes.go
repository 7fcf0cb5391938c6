package models

// What a 공시 plan says of each programme and number besides its target:
// the programme's 분야 and 대상, what a count of people counts (집계 기준)
// and the planned budget by source.

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ProgramField is a 분야, a type of programme in the 공시. The list starts
// with the seven the 공시 uses; admins can add to it.
type ProgramField struct {
	ID     uint   `gorm:"primaryKey"`
	Code   string `gorm:"uniqueIndex;not null"`
	Name   string `gorm:"uniqueIndex;not null"`
	NameEn string
	Order  int `gorm:"column:sort_order;not null"`
}

// defaultFields are the 분야 of the 공시.
var defaultFields = []ProgramField{
	{Code: "direct", Name: "직접일자리", NameEn: "Direct jobs"},
	{Code: "training", Name: "직업능력개발훈련", NameEn: "Vocational training"},
	{Code: "service", Name: "고용서비스", NameEn: "Employment services"},
	{Code: "subsidy", Name: "고용장려금", NameEn: "Employment subsidies"},
	{Code: "startup", Name: "창업지원", NameEn: "Start-up support"},
	{Code: "infra", Name: "일자리 인프라", NameEn: "Job infrastructure"},
	{Code: "other", Name: "기타", NameEn: "Other"},
}

// ensureFields stores the default 분야 list in a database that has none.
func ensureFields(tx *gorm.DB) (bool, error) {
	var n int64
	if err := tx.Model(&ProgramField{}).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	fields := slices.Clone(defaultFields)
	for i := range fields {
		fields[i].Order = i + 1
	}
	return true, tx.Create(&fields).Error
}

// Fields lists the 분야, in order.
func (s *Store) Fields(ctx context.Context) ([]ProgramField, error) {
	var out []ProgramField
	if err := s.r.WithContext(ctx).Order("sort_order, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: fields: %w", err)
	}
	return out, nil
}

// FieldInput is an admin's new 분야.
type FieldInput struct {
	Name   string
	NameEn string
	From   Origin
}

// AddField adds a 분야 at the end of the list. Only admins may.
func (s *Store) AddField(ctx context.Context, u *User, in FieldInput) error {
	if u == nil || u.Disabled || !u.Role.AtLeast(RoleAdmin) {
		return fmt.Errorf("models: add field: %w", ErrForbidden)
	}
	name, nameEn := strings.TrimSpace(in.Name), strings.TrimSpace(in.NameEn)
	v := &ValidationError{}
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.say("name", "problem.field.name")
	case n > 40:
		v.say("name", "problem.field.name.long", 40)
	}
	if utf8.RuneCountInString(nameEn) > 80 {
		v.say("name_en", "problem.field.name.long", 80)
	}
	if err := v.orNil(); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var fields []ProgramField
		if err := tx.Find(&fields).Error; err != nil {
			return err
		}
		next := 1
		for _, f := range fields {
			if f.Name == name {
				return invalid("name", "problem.field.exists", name)
			}
			next = max(next, f.Order+1)
		}
		f := ProgramField{Code: fmt.Sprintf("f%d", next), Name: name, NameEn: nameEn, Order: next}
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
		return recordEvent(tx, EventFieldAdd, nil, u, in.From, name)
	})
	if err != nil {
		return fmt.Errorf("models: add field: %w", err)
	}
	return nil
}

// Group is a 대상, a group a programme is for.
type Group string

// The groups of the 공시.
const (
	GroupYouth    Group = "youth"    // 청년
	GroupWomen    Group = "women"    // 여성
	GroupMidlife  Group = "midlife"  // 신중년
	GroupSenior   Group = "senior"   // 노인
	GroupDisabled Group = "disabled" // 장애인
	GroupAll      Group = "all"      // 전체
)

// Groups lists every group, in the order of the 공시.
var Groups = []Group{GroupYouth, GroupWomen, GroupMidlife, GroupSenior, GroupDisabled, GroupAll}

// Known reports whether g is one of Groups.
func (g Group) Known() bool { return slices.Contains(Groups, g) }

// GroupList is the programme's groups, in the order of Groups.
func (p *Program) GroupList() []Group { return parseGroups(p.Groups) }

// ForGroup reports whether the programme is for group g.
func (p *Program) ForGroup(g Group) bool { return slices.Contains(p.GroupList(), g) }

func parseGroups(s string) []Group {
	var out []Group
	for _, g := range Groups {
		if slices.Contains(strings.Split(s, ","), string(g)) {
			out = append(out, g)
		}
	}
	return out
}

// groupsText is the stored text of a set of groups, in the order of Groups.
func groupsText(gs []Group) string {
	var parts []string
	for _, g := range Groups {
		if slices.Contains(gs, g) {
			parts = append(parts, string(g))
		}
	}
	return strings.Join(parts, ",")
}

// Basis is what a count of people counts (집계 기준).
type Basis string

// The bases of a count of people.
const (
	BasisPeople  Basis = "people"  // 실인원: distinct people
	BasisVisits  Basis = "visits"  // 연인원: person-times
	BasisUnknown Basis = "unknown" // 미상: the source does not say
)

// Bases lists the bases of a count of people.
var Bases = []Basis{BasisPeople, BasisVisits, BasisUnknown}

// UnitPeople is the unit whose numbers need a basis.
const UnitPeople = "명"

// NeedsBasis reports whether numbers in unit must say their basis.
func NeedsBasis(unit string) bool { return unit == UnitPeople }

// basisProblem says what is wrong with basis b for unit, or "".
func basisProblem(unit string, b Basis) string {
	switch {
	case NeedsBasis(unit) && !slices.Contains(Bases, b):
		return "problem.basis.people"
	case !NeedsBasis(unit) && b != "":
		return "problem.basis.unit"
	}
	return ""
}

// Measure is what a number is: its unit and, for a count of people, its
// basis. Only numbers of the same measure are ever added together.
type Measure struct {
	Unit   string
	UnitEn string
	Basis  Basis
}

// Measure is the indicator's measure.
func (ind *Indicator) Measure() Measure {
	return Measure{Unit: ind.Unit, UnitEn: ind.UnitEn, Basis: ind.Basis}
}

// Addable reports whether numbers of the measure may be added to each
// other: a count whose basis is unknown may not, as it could mix people
// with person-times.
func (m Measure) Addable() bool { return m.Basis != BasisUnknown }

// Subtotal adds the targets and actuals of indicators of one measure.
// When the measure is not addable and more than one indicator has it, it
// adds nothing (Added false) and only counts them.
type Subtotal struct {
	Measure
	Count  int
	Added  bool
	Target float64
	Actual float64
}

// Subtotals adds the monthly indicators of items by measure, in the order
// each measure first appears. Milestones and spending are not counted.
func Subtotals(items []*IndicatorSummary) []Subtotal {
	ms := make([]measured, len(items))
	for i, is := range items {
		ms[i] = measured{is.Indicator, is.Progress.Actual}
	}
	return subtotals(ms)
}

// ResultSubtotals adds results' indicators as Subtotals does.
func ResultSubtotals(items []*ResultIndicator) []Subtotal {
	ms := make([]measured, len(items))
	for i, ri := range items {
		ms[i] = measured{ri.Indicator(), ri.Actual}
	}
	return subtotals(ms)
}

// measured is an indicator with its actual.
type measured struct {
	ind    *Indicator
	actual float64
}

func subtotals(items []measured) []Subtotal {
	var out []Subtotal
	for _, it := range items {
		ind := it.ind
		if ind.Kind != KindFlow && ind.Kind != KindStock {
			continue
		}
		m := ind.Measure()
		i := slices.IndexFunc(out, func(s Subtotal) bool { return s.Unit == m.Unit && s.Basis == m.Basis })
		if i < 0 {
			out = append(out, Subtotal{Measure: m, Added: true})
			i = len(out) - 1
		}
		st := &out[i]
		st.Count++
		st.Target += ind.Target
		st.Actual += it.actual
		if st.Count > 1 && !m.Addable() {
			st.Added, st.Target, st.Actual = false, 0, 0
		}
	}
	return out
}

// Budget is a programme's planned budget by source, in 백만원; a source
// without an amount is nil.
type Budget struct {
	National   *float64 `json:"national,omitempty"`   // 국비
	Provincial *float64 `json:"provincial,omitempty"` // 도비
	City       *float64 `json:"city,omitempty"`       // 시비
	Other      *float64 `json:"other,omitempty"`      // 기타
}

// BudgetSources names the sources of a budget, in the order of the 공시.
var BudgetSources = []string{"national", "provincial", "city", "other"}

// Amounts are the budget's amounts in the order of BudgetSources.
func (b Budget) Amounts() []*float64 { return []*float64{b.National, b.Provincial, b.City, b.Other} }

// Total is the budget of all sources; nil when there is none.
func (b Budget) Total() *float64 {
	var total *float64
	for _, v := range b.Amounts() {
		if v != nil {
			t := *v
			if total != nil {
				t += *total
			}
			total = &t
		}
	}
	return total
}

// Empty reports whether no source has an amount.
func (b Budget) Empty() bool { return b.Total() == nil }

// Text is the stored text of the budget: JSON, or "" when empty.
func (b Budget) Text() string {
	if b.Empty() {
		return ""
	}
	data, _ := json.Marshal(b)
	return string(data)
}

// ParseBudgetText reads a budget's stored text (Budget.Text).
func ParseBudgetText(s string) (Budget, error) {
	var b Budget
	if s == "" {
		return b, nil
	}
	err := json.Unmarshal([]byte(s), &b)
	return b, err
}

// Value stores the budget as its text.
func (b Budget) Value() (driver.Value, error) { return b.Text(), nil }

// Scan reads the budget from its text.
func (b *Budget) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return errors.New("models: budget is not text")
	}
	out, err := ParseBudgetText(s)
	if err != nil {
		return fmt.Errorf("models: budget: %w", err)
	}
	*b = out
	return nil
}

// parseBudget reads four typed amounts (in the order of BudgetSources),
// each empty or a non-negative number of 백만원.
func parseBudget(v *ValidationError, amounts []string) Budget {
	var out [4]*float64
	for i, s := range amounts {
		if i >= len(out) {
			break
		}
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if neg, err := strconv.ParseFloat(s, 64); err == nil && neg < 0 {
			v.say("budget."+BudgetSources[i], "problem.budget.negative")
			continue
		}
		x, bad := ParseValue(s, Typed)
		if bad != nil || math.IsNaN(x) || math.IsInf(x, 0) || x > MaxValue {
			v.say("budget."+BudgetSources[i], "problem.budget.number")
			continue
		}
		out[i] = &x
	}
	return Budget{National: out[0], Provincial: out[1], City: out[2], Other: out[3]}
}

// ensureBasis marks the counts of people stored before they had a basis
// as 미상: nothing said what they counted.
func ensureBasis(tx *gorm.DB) (bool, error) {
	var n int64
	q := func() *gorm.DB {
		return tx.Model(&Indicator{}).Where("unit = ? AND (basis = '' OR basis IS NULL)", UnitPeople)
	}
	if err := q().Count(&n).Error; err != nil || n == 0 {
		return false, err
	}
	return true, q().Update("basis", BasisUnknown).Error
}

// GroupSummary is the standing of the programmes of one 분야 (or of one
// 대상): their indicators rolled up, spending against budget, and
// subtotals of like numbers.
type GroupSummary struct {
	Code      string // the 분야 or 대상 code; "" for programmes without one
	Programs  []ProgramSummary
	Rollup    Rollup
	Execution Execution
	Subtotals []Subtotal
}

// summarizeGroup rolls up programmes.
func summarizeGroup(code string, progs []ProgramSummary) GroupSummary {
	g := GroupSummary{Code: code, Programs: progs}
	var children []Weighted
	var items []*IndicatorSummary
	for _, ps := range progs {
		g.Execution.add(ps.Execution)
		for _, is := range ps.Indicators {
			children = append(children, Weighted{Weight: is.Indicator.Weight, Progress: is.Progress})
			items = append(items, is)
		}
	}
	g.Rollup = RollUp(children)
	g.Subtotals = Subtotals(items)
	return g
}

// ByField groups the programmes by 분야, in the order of fields (the
// codes of the 분야 list), then the unclassified ones; a 분야 without
// programmes is left out.
func (s *Summary) ByField(fields []string) []GroupSummary {
	by := map[string][]ProgramSummary{}
	for _, ts := range s.Tasks {
		for _, ps := range ts.Programs {
			code := ps.Program.Field
			if !slices.Contains(fields, code) {
				code = ""
			}
			by[code] = append(by[code], ps)
		}
	}
	var out []GroupSummary
	for _, code := range append(slices.Clone(fields), "") {
		if progs := by[code]; len(progs) > 0 {
			out = append(out, summarizeGroup(code, progs))
		}
	}
	return out
}

// ByGroup lists the programmes for each 대상, in the order of Groups. A
// programme for several groups is in each of their lists, so the lists
// overlap and are never added together.
func (s *Summary) ByGroup() []GroupSummary {
	var out []GroupSummary
	for _, g := range Groups {
		var progs []ProgramSummary
		for _, ts := range s.Tasks {
			for _, ps := range ts.Programs {
				if ps.Program.ForGroup(g) {
					progs = append(progs, ps)
				}
			}
		}
		out = append(out, summarizeGroup(string(g), progs))
	}
	return out
}
