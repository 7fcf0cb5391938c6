package handlers

import (
	"math"

	"jobkpi/charts/doc"
	"jobkpi/models"
)

// reportDocument is the council report: cover, summary, charts, tables per
// task, department and 분야, the year before, commentary, milestones and
// target changes.
func (d *docPage) reportDocument() *doc.Document {
	out := d.document(d.docTitle("doc.report.title"))
	out.Sections = append(out.Sections, d.summarySection(), d.chartsSection(), d.tasksSection(), d.departmentsSection(),
		d.fieldsSection(),
		d.previousSection(), d.notesSection(), d.milestonesSection(),
		doc.Section{Heading: d.T("doc.changes"), Sheet: d.T("doc.changes.sheet"), Tables: []doc.Table{d.changesTable()}})
	if v := d.src.Version; v != nil && v.Number > 1 {
		out.Sections = append(out.Sections, doc.Section{Heading: d.T("doc.corrections.title"), Sheet: d.T("doc.corrections.sheet"),
			Tables: []doc.Table{d.correctionsTable(v)}})
	}
	return out
}

// fieldsSection is the 공시 table: each 분야's programmes with budget,
// 집행률 and results, and like-unit subtotals.
func (d *docPage) fieldsSection() doc.Section {
	return doc.Section{Heading: d.T("doc.fields"), Sheet: d.T("doc.fields.sheet"), NewPage: true, Tables: []doc.Table{d.disclosureTable()}}
}

// summarySection is the one-page summary: the whole plan, the 공통목표,
// the headline targets and the tasks.
func (d *docPage) summarySection() doc.Section {
	r := d.r
	s := doc.Section{Heading: d.T("doc.summary"), Sheet: d.T("doc.summary.sheet"), NewPage: true, Facts: []doc.Field{
		{Label: d.T("doc.overall"), Value: formatPercent(r.Overall.Achievement) + " · " + d.T("status."+string(r.Overall.Status))},
		{Label: d.T("doc.counts"), Value: d.Counts(r.Overall.Rollup())},
		{Label: d.T("doc.budget.total"), Value: d.budgetLine(r.Budget, r.Spent)},
	}}
	head := doc.Table{Caption: d.T("doc.headlines"), Empty: d.T("doc.none"), Columns: d.indicatorColumns()}
	for _, ri := range r.Indicators() {
		if ri.Headline {
			head.Rows = append(head.Rows, d.indicatorRow(ri))
		}
	}
	tasks := doc.Table{Caption: d.T("doc.tasks"), Columns: []doc.Column{{Heading: d.T("ind.task"), Width: 3},
		{Heading: d.T("doc.indicators"), Format: doc.Int}, {Heading: d.T("ind.achievement"), Format: doc.Percent}, {Heading: d.T("ind.status")}}}
	for _, rt := range r.Tasks {
		n := 0
		for _, rp := range rt.Programs {
			n += len(rp.Indicators)
		}
		tasks.Rows = append(tasks.Rows, doc.Row{Cells: []doc.Cell{doc.Str(rt.Code + " " + d.Pick(rt.Name, rt.NameEn)), count(n),
			pct(rt.Rollup.Achievement), d.status(rt.Rollup.Status)}})
	}
	s.Tables = []doc.Table{d.outcomesTable(), head, tasks}
	return s
}

// budgetLine says the budget, the spending and 집행률, or that there is
// no budget.
func (d *docPage) budgetLine(budget, spent *float64) string {
	if budget == nil {
		return d.T("budget.none")
	}
	spentText := d.T("spending.none")
	if spent != nil {
		spentText = d.T("doc.million", mil(spent).Text)
	}
	return d.T("doc.budget.value", d.T("doc.million", mil(budget).Text), spentText, rate(budget, spent).Text)
}

func (d *docPage) indicatorColumns() []doc.Column {
	return []doc.Column{{Heading: d.T("ind.name"), Width: 3}, {Heading: d.T("ind.unit"), Width: 1.2},
		{Heading: d.T("doc.target.due"), Format: doc.Decimal}, {Heading: d.T("doc.actual.standing"), Format: doc.Decimal},
		{Heading: d.T("ind.achievement"), Format: doc.Percent}, {Heading: d.T("ind.status")}}
}

func (d *docPage) indicatorRow(ri *models.ResultIndicator) doc.Row {
	return doc.Row{Cells: append([]doc.Cell{doc.Str(d.Pick(ri.Name, ri.NameEn)), doc.Str(d.unitBasis(ri))}, d.indicatorCells(ri)...)}
}

// percentPoints is a ratio in per cent, to 0.1 as pages show it.
func percentPoints(r float64) *float64 {
	v := math.Round(r*1000) / 10
	return &v
}

// chartsSection draws each headline indicator's cumulative actual against
// its plan, and achievement by task and by 분야.
func (d *docPage) chartsSection() doc.Section {
	s := doc.Section{Heading: d.T("doc.charts"), Sheet: d.T("doc.charts.sheet"), NewPage: true}
	months := make([]string, models.Months)
	for m := 1; m <= models.Months; m++ {
		months[m-1] = d.Lang.Month(m)
	}
	for _, ri := range d.r.Indicators() {
		if !ri.Headline || !ri.Monthly() {
			continue
		}
		actual, plan := make([]*float64, models.Months), make([]*float64, models.Months)
		for m := 0; m < models.Months; m++ {
			if v := ri.Cumulative[m]; v != nil && m < d.r.AsOf {
				x := ri.Round(*v)
				actual[m] = &x
			}
			p := ri.Round(ri.Plan[m])
			plan[m] = &p
		}
		s.Charts = append(s.Charts, doc.Chart{Title: d.Pick(ri.Name, ri.NameEn), Kind: doc.Line, Unit: d.unitBasis(ri), Categories: months,
			Series: []doc.Series{{Name: d.T("doc.series.actual"), Values: actual}, {Name: d.T("doc.series.plan"), Values: plan}}})
	}
	byTask := doc.Chart{Title: d.T("doc.chart.tasks"), Kind: doc.Bar, Unit: "%"}
	var ach []*float64
	for _, rt := range d.r.Tasks {
		byTask.Categories = append(byTask.Categories, rt.Code)
		ach = append(ach, percentPoints(rt.Rollup.Achievement))
	}
	byTask.Series = []doc.Series{{Name: d.T("ind.achievement"), Values: ach}}
	byField := doc.Chart{Title: d.T("doc.chart.fields"), Kind: doc.Bar, Unit: "%"}
	var fach []*float64
	for _, g := range d.fieldGroups() {
		byField.Categories = append(byField.Categories, g.Name)
		fach = append(fach, percentPoints(g.Rollup.Achievement))
	}
	byField.Series = []doc.Series{{Name: d.T("ind.achievement"), Values: fach}}
	s.Charts = append(s.Charts, byTask, byField)
	return s
}

// tasksSection is every indicator, grouped by task.
func (d *docPage) tasksSection() doc.Section {
	t := doc.Table{Caption: d.T("doc.indicators.caption"), Columns: append([]doc.Column{{Heading: d.T("ind.program"), Width: 2},
		{Heading: d.T("ind.dept"), Width: 1.2}}, d.indicatorColumns()...)}
	for _, rt := range d.r.Tasks {
		t.Rows = append(t.Rows, doc.Row{Kind: doc.Group, Cells: []doc.Cell{doc.Str(rt.Code + " " + d.Pick(rt.Name, rt.NameEn))}})
		for _, rp := range rt.Programs {
			for i := range rp.Indicators {
				row := d.indicatorRow(&rp.Indicators[i])
				row.Cells = append([]doc.Cell{doc.Str(d.Pick(rp.Name, rp.NameEn)), doc.Str(rp.Department)}, row.Cells...)
				t.Rows = append(t.Rows, row)
			}
		}
	}
	return doc.Section{Heading: d.T("doc.indicators.title"), Sheet: d.T("doc.indicators.sheet"), NewPage: true, Tables: []doc.Table{t}}
}

// departmentsSection is each department's indicators by status and the
// months it owes.
func (d *docPage) departmentsSection() doc.Section {
	cols := []doc.Column{{Heading: d.T("ind.dept"), Width: 2}}
	for _, st := range models.Statuses() {
		cols = append(cols, doc.Column{Heading: d.T("status." + string(st)), Format: doc.Int})
	}
	cols = append(cols, doc.Column{Heading: d.T("doc.owed"), Format: doc.Int}, doc.Column{Heading: d.T("doc.late"), Format: doc.Int})
	t := doc.Table{Caption: d.T("doc.departments"), Columns: cols, Note: d.T("doc.owed.note"), Empty: d.T("doc.none")}
	for _, dep := range d.r.Departments {
		row := []doc.Cell{doc.Str(orNone(d.basePage, dep.Name, "doc.dept.none"))}
		for _, st := range models.Statuses() {
			row = append(row, count(dep.Counts[st]))
		}
		t.Rows = append(t.Rows, doc.Row{Cells: append(row, count(dep.Owed), count(dep.Late))})
	}
	return doc.Section{Heading: d.T("doc.departments"), Sheet: d.T("doc.departments.sheet"), Tables: []doc.Table{t}}
}

// previousSection compares each indicator copied from the year before
// with that indicator at the same month.
func (d *docPage) previousSection() doc.Section {
	from := d.r.Year - 1
	for _, ri := range d.r.Indicators() {
		if ri.Previous != nil {
			from = ri.Previous.Year
			break
		}
	}
	t := doc.Table{Caption: d.T("doc.previous.caption", from, d.r.Year), Empty: d.T("doc.previous.none"), Columns: []doc.Column{
		{Heading: d.T("ind.name"), Width: 3}, {Heading: d.T("doc.previous.target", from), Format: doc.Decimal},
		{Heading: d.T("doc.previous.actual", from), Format: doc.Decimal}, {Heading: d.T("doc.previous.achievement", from), Format: doc.Percent},
		{Heading: d.T("ind.target"), Format: doc.Decimal}, {Heading: d.T("ind.actual"), Format: doc.Decimal},
		{Heading: d.T("ind.achievement"), Format: doc.Percent}, {Heading: d.T("doc.difference"), Format: doc.Decimal}}}
	for _, ri := range d.r.Indicators() {
		pv := ri.Previous
		if pv == nil || !ri.Monthly() {
			continue
		}
		ind := ri.Indicator()
		diff := ind.Round(ri.Actual) - ind.Round(pv.Actual)
		t.Rows = append(t.Rows, doc.Row{Cells: []doc.Cell{doc.Str(d.Pick(ri.Name, ri.NameEn)), num(ind, pv.Target), num(ind, pv.Actual),
			pct(pv.Achievement), num(ind, ri.Target), num(ind, ri.Actual), pct(ri.Achievement), doc.Num(signed(diff), diff)}})
	}
	return doc.Section{Heading: d.T("doc.previous"), Sheet: d.T("doc.previous.sheet"), Tables: []doc.Table{t}}
}

func signed(v float64) string {
	if v > 0 {
		return "+" + formatNumber(v)
	}
	return formatNumber(v)
}

// notesSection is each indicator's latest analysis and action plan.
func (d *docPage) notesSection() doc.Section {
	s := doc.Section{Heading: d.T("doc.notes"), Sheet: d.T("doc.notes.sheet")}
	for _, ri := range d.r.Indicators() {
		if ri.Analysis == "" && ri.Action == "" {
			continue
		}
		name := d.Pick(ri.Name, ri.NameEn)
		if ri.Analysis != "" {
			s.Paragraphs = append(s.Paragraphs, doc.Paragraph{Title: name + " · " + d.T("comment.analysis"), Text: ri.Analysis})
		}
		if ri.Action != "" {
			s.Paragraphs = append(s.Paragraphs, doc.Paragraph{Title: name + " · " + d.T("comment.action"), Text: ri.Action})
		}
	}
	if len(s.Paragraphs) == 0 {
		s.Paragraphs = []doc.Paragraph{{Text: d.T("doc.notes.none")}}
	}
	return s
}

// milestonesSection lists the milestones by due date.
func (d *docPage) milestonesSection() doc.Section {
	t := doc.Table{Caption: d.T("doc.milestones"), Empty: d.T("doc.none"), Columns: []doc.Column{{Heading: d.T("ind.name"), Width: 3},
		{Heading: d.T("doc.due")}, {Heading: d.T("doc.standing"), Width: 1.5}, {Heading: d.T("ind.status")}}}
	for _, ri := range d.r.Indicators() {
		if ri.Monthly() {
			continue
		}
		t.Rows = append(t.Rows, doc.Row{Cells: []doc.Cell{doc.Str(d.Pick(ri.Name, ri.NameEn)), doc.Str(d.Date(ri.Due)),
			doc.Str(d.Standing(ri.Indicator())), d.status(ri.Status)}})
	}
	return doc.Section{Heading: d.T("doc.milestones"), Sheet: d.T("doc.milestones.sheet"), Tables: []doc.Table{t}}
}
