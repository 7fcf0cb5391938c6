package handlers

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"jobkpi/charts/doc"
	"jobkpi/models"
)

// docSource is what a report or a 공시 is made from: results, live or as
// published, with what the cover says about them.
type docSource struct {
	Results *models.Results
	Issuer  models.Issuer
	Printed time.Time
	// Version is the published results version shown; nil for live
	// numbers.
	Version *models.ResultsVersion
	// Draft is set on what publishing would freeze, not published yet.
	Draft bool
}

// docPage words a document in the page's language: p has the 분야 names
// loaded (nameFields).
type docPage struct {
	*basePage
	src docSource
	r   *models.Results
}

// docPage words src on page p: it loads the 분야 names into p and the
// issuer into src, and dates the document now.
func (h *Handler) docPage(ctx context.Context, p *basePage, src docSource) (*docPage, error) {
	if _, err := h.nameFields(ctx, p); err != nil {
		return nil, err
	}
	issuer, err := h.store.Issuer(ctx)
	if err != nil {
		return nil, err
	}
	src.Issuer, src.Printed = issuer, h.now()
	return &docPage{basePage: p, src: src, r: src.Results}, nil
}

// document starts a document with its title, cover and page furniture.
func (d *docPage) document(title string) *doc.Document {
	out := &doc.Document{Lang: string(d.Lang), Title: title, Cover: d.cover(), PageOf: "%d / %d",
		Footer: d.Pick(d.r.City, d.r.CityEn) + " · " + title}
	switch {
	case d.src.Draft:
		out.Draft = d.T("doc.draft.results")
	case d.src.Version == nil && d.r.Submitted:
		out.Draft = d.T("doc.draft.submitted")
	}
	return out
}

// PeriodName names a reporting period: 2020년 상반기 (1–6월).
func (d *docPage) PeriodName() string { return periodName(d.basePage, d.r.Period, d.r.Year) }

func periodName(p *basePage, text string, year int) string {
	per, err := models.ParseReportPeriod(text, year)
	if err != nil {
		return text
	}
	switch per.Kind {
	case models.HalfPeriod:
		return p.T("period.half", per.Year)
	case models.QuarterPeriod:
		return p.T("period.quarter", per.Year, per.N)
	case models.MonthPeriod:
		return p.T("period.month", per.Year, p.T(fmt.Sprintf("month.long.%d", per.N)))
	}
	return p.T("period.year", per.Year)
}

func (d *docPage) cover() []doc.Field {
	r := d.r
	f := []doc.Field{
		{Label: d.T("doc.city"), Value: d.Pick(r.City, r.CityEn)},
		{Label: d.T("doc.plan"), Value: d.Pick(r.Title, r.TitleEn)},
		{Label: d.T("doc.period"), Value: d.PeriodName()},
		{Label: d.T("doc.asof"), Value: d.Lang.MonthEnd(r.Year, r.AsOf)},
		{Label: d.T("doc.plan.version"), Value: d.Lang.VersionName(r.PlanVersion) + " · " + d.Lang.VersionDate(r.PlanVersionDate)},
	}
	if v := d.src.Version; v != nil {
		f = append(f, doc.Field{Label: d.T("doc.results.version"), Value: d.T("doc.results.version.value", v.Number, d.Lang.Date(v.PublishedAt.In(models.KST)))})
	}
	f = append(f,
		doc.Field{Label: d.T("doc.printed"), Value: d.Lang.Date(d.src.Printed.In(models.KST))},
		doc.Field{Label: d.T("doc.issuer"), Value: orNone(d.basePage, d.src.Issuer.Department, "doc.issuer.unset")},
		doc.Field{Label: d.T("doc.contact"), Value: orNone(d.basePage, d.src.Issuer.Contact, "doc.issuer.unset")},
		doc.Field{Label: d.T("doc.counted"), Value: d.counted()})
	if r.Demo {
		f = append(f, doc.Field{Label: d.T("doc.sample"), Value: d.T("doc.sample.value")})
	}
	return f
}

func orNone(p *basePage, v, key string) string {
	if v == "" {
		return p.T(key)
	}
	return v
}

// counted says which figures the numbers count.
func (d *docPage) counted() string {
	if d.r.Submitted {
		return d.T("doc.counted.submitted")
	}
	return d.T("doc.counted.approved")
}

// num is a number cell of an indicator's value, rounded as pages round it.
func num(ind *models.Indicator, v float64) doc.Cell {
	v = ind.Round(v)
	return doc.Num(formatNumber(v), v)
}

// pct is a percentage cell of a ratio, rounded to 0.1%.
func pct(r float64) doc.Cell {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return doc.Str("—")
	}
	v := math.Round(r*1000) / 1000
	return doc.Num(formatPercent(r), v)
}

// mil is a 백만원 cell, or a dash.
func mil(v *float64) doc.Cell {
	if v == nil {
		return doc.Str("—")
	}
	r := millionWon.Round(*v)
	return doc.Num(formatNumber(r), r)
}

// rate is 집행률: spending over budget.
func rate(budget, spent *float64) doc.Cell {
	if budget == nil || spent == nil || *budget == 0 {
		return doc.Str("—")
	}
	return pct(*spent / *budget)
}

func (d *docPage) status(s models.Status) doc.Cell {
	return doc.Cell{Text: d.T("status." + string(s)), Status: string(s)}
}

func count(n int) doc.Cell { return doc.Num(formatNumber(float64(n)), float64(n)) }

// indicatorRow is an indicator's target, actual, achievement and status,
// or a milestone's due date and standing.
func (d *docPage) indicatorCells(ri *models.ResultIndicator) []doc.Cell {
	ind := ri.Indicator()
	if !ri.Monthly() {
		return []doc.Cell{doc.Str(d.Date(ri.Due)), doc.Str(d.Standing(ind)), doc.Str("—"), d.status(ri.Status)}
	}
	return []doc.Cell{num(ind, ri.Target), num(ind, ri.Actual), pct(ri.Achievement), d.status(ri.Status)}
}

// groupNames names a programme's 대상.
func (d *docPage) groupNames(codes []string) string {
	if len(codes) == 0 {
		return d.T("group.none")
	}
	names := make([]string, len(codes))
	for i, g := range codes {
		names[i] = d.GroupName(models.Group(g))
	}
	return strings.Join(names, ", ")
}

// unitBasis is 단위·집계 기준: 명 (실인원).
func (d *docPage) unitBasis(ri *models.ResultIndicator) string {
	if !ri.Monthly() {
		return d.T("doc.milestone")
	}
	return d.Unit(ri.Indicator())
}

// fieldGroup is a 분야 of the results with its programmes, in plan order.
type fieldGroup struct {
	models.ResultField
	Name     string
	Programs []models.ResultProgram
}

// fieldGroups are the results' 분야, named in the page's language.
func (d *docPage) fieldGroups() []fieldGroup {
	byID := map[uint]models.ResultProgram{}
	for _, rt := range d.r.Tasks {
		for _, rp := range rt.Programs {
			byID[rp.ID] = rp
		}
	}
	out := make([]fieldGroup, 0, len(d.r.Fields))
	for _, f := range d.r.Fields {
		g := fieldGroup{ResultField: f, Name: d.fieldLabel(f.Code)}
		for _, id := range f.Programs {
			g.Programs = append(g.Programs, byID[id])
		}
		out = append(out, g)
	}
	return out
}

// disclosureTable is the table of the 공시: per 분야, each programme's
// indicators with budget and execution, and subtotals of like units.
func (d *docPage) disclosureTable() doc.Table {
	t := doc.Table{Caption: d.T("doc.disclosure.caption", d.PeriodName()), Empty: d.T("doc.none"),
		Columns: []doc.Column{{Heading: d.T("doc.field.col"), Width: 1.2}, {Heading: d.T("doc.program.col"), Width: 3.2},
			{Heading: d.T("ind.dept"), Width: 1.3}, {Heading: d.T("doc.group.col"), Width: 1.1}, {Heading: d.T("doc.budget"), Format: doc.Million},
			{Heading: d.T("doc.rate"), Format: doc.Percent}, {Heading: d.T("ind.target"), Format: doc.Decimal},
			{Heading: d.T("ind.actual"), Format: doc.Decimal}, {Heading: d.T("ind.achievement"), Format: doc.Percent},
			{Heading: d.T("doc.unit.basis.short"), Width: 1.3}},
		Note: d.T("doc.subtotal.note")}
	for _, g := range d.fieldGroups() {
		t.Rows = append(t.Rows, doc.Row{Kind: doc.Group, Cells: []doc.Cell{doc.Str(g.Name)}})
		var items []*models.ResultIndicator
		for _, rp := range g.Programs {
			prog := []doc.Cell{doc.Str(g.Name), doc.Str(d.Pick(rp.Name, rp.NameEn)), doc.Str(rp.Department), doc.Str(d.groupNames(rp.Groups)),
				mil(rp.Budget), rate(rp.Budget, rp.Spent)}
			if len(rp.Indicators) == 0 {
				t.Rows = append(t.Rows, doc.Row{Cells: append(prog, doc.Str("—"), doc.Str("—"), doc.Str("—"), doc.Str("—"))})
			}
			for i := range rp.Indicators {
				ri := &rp.Indicators[i]
				items = append(items, ri)
				row := append(append([]doc.Cell{}, prog...), d.indicatorCells(ri)[:3]...)
				row[1] = doc.Str(d.T("doc.program.indicator", d.Pick(rp.Name, rp.NameEn), d.Pick(ri.Name, ri.NameEn)))
				t.Rows = append(t.Rows, doc.Row{Cells: append(row, doc.Str(d.unitBasis(ri)))})
			}
		}
		budget, spent := g.Budget, g.Spent
		for _, st := range models.ResultSubtotals(items) {
			ind := &models.Indicator{Unit: st.Unit, UnitEn: st.UnitEn, Basis: st.Basis}
			row := []doc.Cell{doc.Str(d.T("doc.subtotal", g.Name, st.Count)), doc.Str(""), doc.Str(""), doc.Str(""), mil(budget), rate(budget, spent)}
			if st.Added {
				row = append(row, num(ind, st.Target), num(ind, st.Actual), pct(ratio(st.Actual, st.Target)))
			} else {
				row = append(row, doc.Str(d.T("doc.subtotal.not.added")), doc.Str("—"), doc.Str("—"))
			}
			t.Rows = append(t.Rows, doc.Row{Kind: doc.Subtotal, Cells: append(row, doc.Str(d.MeasureName(st.Measure)))})
			budget, spent = nil, nil // the budget is said once per 분야
		}
	}
	return t
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// outcomesTable is the 공통목표 against their latest survey release.
func (d *docPage) outcomesTable() doc.Table {
	t := doc.Table{Caption: d.T("outcome.title"), Empty: d.T("doc.outcomes.none"), Columns: []doc.Column{
		{Heading: d.T("ind.name"), Width: 2}, {Heading: d.T("doc.baseline"), Format: doc.Decimal}, {Heading: d.T("ind.target"), Format: doc.Decimal},
		{Heading: d.T("doc.latest"), Format: doc.Decimal}, {Heading: d.T("doc.reference"), Width: 1.2}, {Heading: d.T("doc.released")},
		{Heading: d.T("doc.provisional")}, {Heading: d.T("doc.source"), Width: 2}}}
	for _, o := range d.r.Outcomes {
		oc := &models.Outcome{Unit: o.Unit}
		val := func(v *float64) doc.Cell {
			if v == nil {
				return doc.Str("—")
			}
			x := oc.Round(*v)
			return doc.Num(formatNumber(x), x)
		}
		row := []doc.Cell{doc.Str(d.Pick(o.Name, o.NameEn) + " (" + d.Pick(o.Unit, o.UnitEn) + ")"), val(o.Baseline), val(o.Target)}
		if l := o.Latest; l != nil {
			prov := d.T("doc.no")
			if l.Provisional {
				prov = d.T("doc.yes")
			}
			row = append(row, val(&l.Value), doc.Str(d.T("outcome.period."+string(l.Period), l.Year)),
				doc.Str(d.Date(l.Released)), doc.Str(prov), doc.Str(l.Source))
		} else {
			row = append(row, doc.Str("—"), doc.Str("—"), doc.Str("—"), doc.Str("—"), doc.Str(d.T("doc.latest.none")))
		}
		t.Rows = append(t.Rows, doc.Row{Cells: row})
	}
	return t
}

// changesTable lists the published target changes, original → changed.
func (d *docPage) changesTable() doc.Table {
	t := doc.Table{Caption: d.T("doc.changes"), Empty: d.T("doc.changes.none"), Columns: []doc.Column{
		{Heading: d.T("ind.name"), Width: 2}, {Heading: d.T("doc.version")}, {Heading: d.T("doc.date")},
		{Heading: d.T("doc.original"), Format: doc.Decimal}, {Heading: d.T("doc.changed"), Format: doc.Decimal}, {Heading: d.T("doc.reason"), Width: 3}}}
	for _, c := range d.r.TargetChanges {
		ind := &models.Indicator{Unit: c.Unit}
		t.Rows = append(t.Rows, doc.Row{Cells: []doc.Cell{doc.Str(d.Pick(c.Name, c.NameEn)), doc.Str(d.Lang.VersionName(c.Version)),
			doc.Str(d.Date(c.Date)), num(ind, c.Old), num(ind, c.New), doc.Str(c.Reason)}})
	}
	return t
}

// groupsTables lists the programmes for each 대상 with their status; a
// programme for several groups is in each list, and nothing is summed.
func (d *docPage) groupsTables() []doc.Table {
	var out []doc.Table
	for _, g := range models.Groups {
		t := doc.Table{Caption: d.GroupName(g), Empty: d.T("doc.group.none"), Columns: []doc.Column{
			{Heading: d.T("ind.program"), Width: 2.5}, {Heading: d.T("ind.dept"), Width: 1.3}, {Heading: d.T("doc.also.for"), Width: 1.5},
			{Heading: d.T("doc.indicators")}, {Heading: d.T("ind.status")}}}
		for _, rt := range d.r.Tasks {
			for _, rp := range rt.Programs {
				if !slices.Contains(rp.Groups, string(g)) {
					continue
				}
				var others []string
				for _, o := range rp.Groups {
					if o != string(g) {
						others = append(others, o)
					}
				}
				also := "—"
				if len(others) > 0 {
					also = d.groupNames(others)
				}
				t.Rows = append(t.Rows, doc.Row{Cells: []doc.Cell{doc.Str(d.Pick(rp.Name, rp.NameEn)), doc.Str(rp.Department), doc.Str(also),
					count(len(rp.Indicators)), d.status(rp.Rollup.Status)}})
			}
		}
		out = append(out, t)
	}
	return out
}

// correctionsTable lists what a correction changed, with the reasons.
func (d *docPage) correctionsTable(v *models.ResultsVersion) doc.Table {
	t := doc.Table{Caption: d.T("doc.corrections", v.Number), Empty: d.T("doc.none"), Columns: []doc.Column{
		{Heading: d.T("ind.name"), Width: 2}, {Heading: d.T("doc.field")}, {Heading: d.T("doc.original")}, {Heading: d.T("doc.changed")},
		{Heading: d.T("doc.reason"), Width: 3}}}
	for _, c := range v.Changes() {
		t.Rows = append(t.Rows, doc.Row{Cells: []doc.Cell{doc.Str(d.Pick(c.Name, c.NameEn)), doc.Str(d.T("doc.field." + c.Field)),
			doc.Str(d.correctionValue(c.Field, c.Old)), doc.Str(d.correctionValue(c.Field, c.New)), doc.Str(c.Reason)}})
	}
	return t
}

func (d *docPage) correctionValue(field, v string) string {
	switch {
	case v == "":
		return "—"
	case field == "status":
		return d.T("status." + v)
	}
	return v
}

// sheetName keeps a section's heading short enough for a sheet tab.
func sheetName(s string) string {
	r := []rune(s)
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}

// docTitle is the document's title: 김포시 2020년 상반기 일자리 목표 공시.
func (d *docPage) docTitle(key string) string {
	return d.T(key, d.Pick(d.r.City, d.r.CityEn), d.PeriodName())
}
