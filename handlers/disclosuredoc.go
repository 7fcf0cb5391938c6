package handlers

import (
	"jobkpi/charts/doc"
	"jobkpi/models"
)

// planDocument is the 공시 of a year's plan: its programmes with budget
// and targets per 분야, its 공통목표, its versions, its target changes and
// the results published for it.
func (d *docPage) planDocument(plan *models.Plan, results []models.ResultsVersion) *doc.Document {
	out := &doc.Document{Lang: string(d.Lang), Title: d.T("disclosure.plan.title", d.Pick(plan.City, plan.CityEn), plan.Year), PageOf: "%d / %d"}
	out.Footer = d.Pick(plan.City, plan.CityEn) + " · " + out.Title
	out.Cover = []doc.Field{
		{Label: d.T("doc.city"), Value: d.Pick(plan.City, plan.CityEn)},
		{Label: d.T("doc.plan"), Value: d.Pick(plan.Title, plan.TitleEn)},
	}
	if v := plan.Latest(); v != nil {
		out.Cover = append(out.Cover, doc.Field{Label: d.T("doc.plan.version"), Value: d.Lang.VersionName(v.Number) + " · " + d.Lang.VersionDate(v.Date)})
	}
	out.Cover = append(out.Cover,
		doc.Field{Label: d.T("doc.printed"), Value: d.Lang.Date(d.src.Printed.In(models.KST))},
		doc.Field{Label: d.T("doc.issuer"), Value: orNone(d.basePage, d.src.Issuer.Department, "doc.issuer.unset")},
		doc.Field{Label: d.T("doc.contact"), Value: orNone(d.basePage, d.src.Issuer.Contact, "doc.issuer.unset")})
	out.Sections = []doc.Section{
		{Heading: d.T("disclosure.plan.table"), Sheet: d.T("doc.fields.sheet"), Tables: []doc.Table{d.planTable()}},
		{Heading: d.T("outcome.title"), Sheet: d.T("disclosure.outcomes.sheet"), Tables: []doc.Table{d.outcomesTable()}},
		{Heading: d.T("disclosure.versions"), Sheet: d.T("disclosure.versions.sheet"), Tables: []doc.Table{d.versionsTable(plan)}},
		{Heading: d.T("doc.changes"), Sheet: d.T("doc.changes.sheet"), Tables: []doc.Table{d.changesTable()}},
		{Heading: d.T("disclosure.results"), Sheet: d.T("disclosure.results.sheet"), Tables: []doc.Table{d.resultsTable(plan.Year, results)}},
	}
	return out
}

// planTable is the plan's programmes per 분야 with budget and targets.
func (d *docPage) planTable() doc.Table {
	t := doc.Table{Caption: d.T("disclosure.plan.caption", d.r.Year), Empty: d.T("doc.none"), Columns: []doc.Column{
		{Heading: d.T("doc.field.col"), Width: 1.2}, {Heading: d.T("ind.program"), Width: 2.4}, {Heading: d.T("ind.dept"), Width: 1.3},
		{Heading: d.T("doc.group.col"), Width: 1.2}, {Heading: d.T("doc.budget"), Format: doc.Million}, {Heading: d.T("ind.name"), Width: 2.4},
		{Heading: d.T("doc.target.due"), Format: doc.Decimal}, {Heading: d.T("doc.unit.basis.short"), Width: 1.2}}}
	for _, g := range d.fieldGroups() {
		t.Rows = append(t.Rows, doc.Row{Kind: doc.Group, Cells: []doc.Cell{doc.Str(g.Name)}})
		for _, rp := range g.Programs {
			prog := []doc.Cell{doc.Str(g.Name), doc.Str(d.Pick(rp.Name, rp.NameEn)), doc.Str(rp.Department), doc.Str(d.groupNames(rp.Groups)), mil(rp.Budget)}
			if len(rp.Indicators) == 0 {
				t.Rows = append(t.Rows, doc.Row{Cells: append(prog, doc.Str("—"), doc.Str("—"), doc.Str("—"))})
			}
			for i := range rp.Indicators {
				ri := &rp.Indicators[i]
				target := num(ri.Indicator(), ri.Target)
				if !ri.Monthly() {
					target = doc.Str(d.Date(ri.Due))
				}
				t.Rows = append(t.Rows, doc.Row{Cells: append(append([]doc.Cell{}, prog...), doc.Str(d.Pick(ri.Name, ri.NameEn)), target,
					doc.Str(d.unitBasis(ri)))})
			}
		}
	}
	return t
}

// versionsTable lists the plan's published versions with their dates.
func (d *docPage) versionsTable(plan *models.Plan) doc.Table {
	t := doc.Table{Caption: d.T("disclosure.versions"), Empty: d.T("doc.none"), Columns: []doc.Column{{Heading: d.T("doc.version")},
		{Heading: d.T("doc.date")}, {Heading: d.T("disclosure.versions.changes"), Format: doc.Int}}}
	for _, v := range plan.PublishedVersions() {
		t.Rows = append(t.Rows, doc.Row{Cells: []doc.Cell{doc.Str(d.Lang.VersionName(v.Number)), doc.Str(d.Lang.VersionDate(v.Date)),
			count(len(v.Changes) + len(v.Edits))}})
	}
	return t
}

// resultsTable lists the results published for the year.
func (d *docPage) resultsTable(year int, all []models.ResultsVersion) doc.Table {
	t := doc.Table{Caption: d.T("disclosure.results"), Empty: d.T("disclosure.results.none"), Columns: []doc.Column{
		{Heading: d.T("doc.period"), Width: 1.5}, {Heading: d.T("doc.version")}, {Heading: d.T("doc.date")}, {Heading: d.T("doc.reason"), Width: 3}}}
	for _, v := range all {
		per, _ := models.ResultsPeriod(v.Period, year)
		reason := v.Reason
		if v.Number == 1 {
			reason = d.T("disclosure.results.first")
		}
		t.Rows = append(t.Rows, doc.Row{Cells: []doc.Cell{doc.Str(periodName(d.basePage, per.String(), year)), doc.Str(d.T("disclosure.results.number", v.Number)),
			doc.Str(d.Lang.Date(v.PublishedAt.In(models.KST))), doc.Str(reason)}})
	}
	return t
}

// resultsDocument is the 공시 of a published results version: the 공시
// table per 분야, the 공통목표, target changes, the 대상 view, what the
// version corrected and every version of the period.
func (d *docPage) resultsDocument(all []models.ResultsVersion) *doc.Document {
	out := d.document(d.docTitle("disclosure.results.title"))
	out.Sections = []doc.Section{
		d.fieldsSection(),
		{Heading: d.T("outcome.title"), Sheet: d.T("disclosure.outcomes.sheet"), Tables: []doc.Table{d.outcomesTable()}},
		{Heading: d.T("doc.changes"), Sheet: d.T("doc.changes.sheet"), Tables: []doc.Table{d.changesTable()}},
		{Heading: d.T("disclosure.groups"), Sheet: d.T("disclosure.groups.sheet"), Facts: []doc.Field{{Label: d.T("disclosure.groups.note.label"),
			Value: d.T("disclosure.groups.note")}}, Tables: d.groupsTables()},
	}
	if v := d.src.Version; v != nil && v.Number > 1 {
		out.Sections = append(out.Sections, doc.Section{Heading: d.T("doc.corrections.title"), Sheet: d.T("doc.corrections.sheet"),
			Tables: []doc.Table{d.correctionsTable(v)}})
	}
	if len(all) > 0 {
		per, _ := models.ParseReportPeriod(d.r.Period, d.r.Year)
		out.Sections = append(out.Sections, doc.Section{Heading: d.T("disclosure.results.versions"), Sheet: d.T("disclosure.results.sheet"),
			Tables: []doc.Table{d.resultsTable(per.Year, all)}})
	}
	return out
}
