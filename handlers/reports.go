package handlers

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jobkpi/charts/doc"
	"jobkpi/models"
)

// reportPage is the printable report: every indicator of a plan in one
// table, grouped by task.
type reportPage struct {
	basePage
	Plan  *models.Plan
	Sum   *models.Summary
	Tasks []reportTask
	// Draft is the coming disclosure: submitted values count as approved.
	Draft bool
	// ReportURL and DraftURL switch between the two.
	ReportURL, DraftURL string
	// TargetChanges are the year's target changes, with their reasons.
	TargetChanges []models.PlanChangeRow
	// Sections are the report's parts the tables above do not show, as
	// the PDF and xlsx show them.
	Sections []docSectionView
	// Periods are the choices of the download form; Published links the
	// files of each published results version.
	Periods   []option
	Published []publishedFiles
}

// publishedFiles are the files of one published results version.
type publishedFiles struct {
	Label, PDF, XLSX string
}

// option is a choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// docSectionView is a document section as a page shows it: its heading
// and each table have an ID, for the labels of the scrolling regions.
type docSectionView struct {
	doc.Section
	ID     string
	Tables []docTableView
}

// docTableView is a document table as a page shows it.
type docTableView struct {
	doc.Table
	ID string
}

// sectionView names a section and its tables with IDs from id.
func sectionView(s doc.Section, id string) docSectionView {
	v := docSectionView{Section: s, ID: id}
	for i, t := range s.Tables {
		v.Tables = append(v.Tables, docTableView{Table: t, ID: fmt.Sprintf("%s-t%d", id, i)})
	}
	return v
}

type reportTask struct {
	taskView
	Items []indicatorView
	Notes []reportNote
}

// reportNote is an indicator's latest analysis and action plan.
type reportNote struct {
	Name string
	models.Commentary
}

// Reports sends to the report of the latest plan.
func (h *Handler) Reports(c echo.Context) error {
	years, err := h.store.Years(c.Request().Context(), false)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		return notFound("plan.no.plans")
	}
	return back(c, withLang(fmt.Sprintf("/reports/%d", years[len(years)-1]), parseLang(c.QueryParam("lang"))))
}

// Report shows the printable report of a plan year for council members
// and officials.
func (h *Handler) Report(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	years, err := h.store.Years(ctx, false)
	if err != nil {
		return err
	}
	draft, err := parseDraft(c)
	if err != nil {
		return err
	}
	load := h.store.Summary
	if draft {
		load = h.store.DraftSummary
	}
	sum, err := h.loadSummary(ctx, years, year, req.asof, load)
	if err != nil {
		return err
	}
	notes, err := h.store.LatestCommentaries(ctx, year, sum.AsOf)
	if err != nil {
		return err
	}
	changes, err := h.store.TargetChanges(ctx, year)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/reports/%d", year)
	p := &reportPage{Plan: sum.Plan, Sum: sum, Draft: draft, TargetChanges: changes}
	p.basePage = h.base(req, sum, years, path, "")
	p.ReportURL, p.DraftURL = p.URL(path), p.URL(path+"?draft=1")
	p.Title = p.T("report.title", year)
	if draft {
		p.Path, p.asofHint = path+"?draft=1", "asof.hint.draft"
		p.Title = p.T("report.draft.title", year)
	}
	p.Crumbs = []crumb{{Name: p.Title}}
	for _, tv := range p.tasks(sum) {
		rt := reportTask{taskView: tv}
		for _, ps := range tv.Programs {
			for _, is := range ps.Indicators {
				v := p.indicator(is, false)
				rt.Items = append(rt.Items, v)
				if n, ok := notes[is.Indicator.ID]; ok {
					rt.Notes = append(rt.Notes, reportNote{Name: v.Name, Commentary: n})
				}
			}
		}
		p.Tasks = append(p.Tasks, rt)
	}
	if err := h.reportSections(ctx, p, year, sum.AsOf, draft); err != nil {
		return err
	}
	body, err := h.views.Render("report", p)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, body)
}

// parseDraft reads ?draft=1, the coming disclosure instead of the
// published one.
func parseDraft(c echo.Context) (bool, error) {
	vals, ok := c.QueryParams()["draft"]
	switch {
	case !ok:
		return false, nil
	case len(vals) == 1 && (vals[0] == "1" || vals[0] == "0"):
		return vals[0] == "1", nil
	}
	return false, badRequest("error.draft")
}

// reportSections adds the report's department, 분야, year-on-year and
// milestone sections, and the download form's choices.
func (h *Handler) reportSections(ctx context.Context, p *reportPage, year, asof int, draft bool) error {
	per := models.ReportPeriod{Year: year, Kind: models.MonthPeriod, N: asof}
	d, err := h.reportDoc(ctx, &p.basePage, per, 0, draft)
	if err != nil {
		return err
	}
	for i, s := range []doc.Section{d.departmentsSection(), d.fieldsSection(), d.previousSection(), d.milestonesSection()} {
		p.Sections = append(p.Sections, sectionView(s, fmt.Sprintf("report-doc-%d", i)))
	}
	for m := 1; m <= models.Months; m++ {
		p.Periods = append(p.Periods, option{Value: fmt.Sprintf("%d-%02d", year, m), Label: periodName(&p.basePage, fmt.Sprintf("%d-%02d", year, m), year), Selected: m == asof})
	}
	for q := 1; q <= 4; q++ {
		p.Periods = append(p.Periods, option{Value: fmt.Sprintf("%d-Q%d", year, q), Label: periodName(&p.basePage, fmt.Sprintf("%d-Q%d", year, q), year)})
	}
	for _, v := range []string{fmt.Sprintf("%d-H1", year), fmt.Sprint(year)} {
		p.Periods = append(p.Periods, option{Value: v, Label: periodName(&p.basePage, v, year)})
	}
	versions, err := h.store.ResultsVersions(ctx, year, "")
	if err != nil {
		return err
	}
	for _, v := range versions {
		per, _ := models.ResultsPeriod(v.Period, year)
		link := func(format string) string {
			return withLang(fmt.Sprintf("/reports/%d/download?format=%s&period=%s&version=%d", year, format, per, v.Number), p.Lang)
		}
		p.Published = append(p.Published, publishedFiles{Label: p.T("report.download.version", periodName(&p.basePage, per.String(), year),
			v.Number, p.Lang.Date(v.PublishedAt.In(models.KST))), PDF: link("pdf"), XLSX: link("xlsx")})
	}
	return nil
}

// reportDoc words the results of a period, live (version 0) or a
// published results version.
func (h *Handler) reportDoc(ctx context.Context, p *basePage, per models.ReportPeriod, version int, submitted bool) (*docPage, error) {
	r, v, err := h.resultsFor(ctx, per, version, submitted)
	if err != nil {
		return nil, err
	}
	return h.docPage(ctx, p, docSource{Results: r, Version: v})
}

// ReportDownload sends the council report of a period as PDF or xlsx:
// GET /reports/{year}/download?format=pdf&period=2020-H1[&version=2][&draft=1].
// period is a month (2020-06), a quarter (2020-Q2), 상반기 (2020-H1) or
// the year (2020); version picks a published results version instead of
// the live numbers.
func (h *Handler) ReportDownload(c echo.Context) error {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return err
	}
	format, err := downloadFormat(c, "pdf", "xlsx")
	if err != nil {
		return err
	}
	per, err := models.ParseReportPeriod(c.QueryParam("period"), year)
	if err != nil {
		return err
	}
	version, err := parseVersion(c)
	if err != nil {
		return err
	}
	draft, err := parseDraft(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := h.publishedYear(ctx, year); err != nil {
		return err
	}
	if err := h.checkPDFSize(ctx, format, year); err != nil {
		return err
	}
	p := h.page(c, "report.title")
	dp, err := h.reportDoc(ctx, &p, per, version, draft && version == 0)
	if err != nil {
		return err
	}
	d := dp.reportDocument()
	ascii := fmt.Sprintf("jobkpi-report-%s", per)
	if version > 0 {
		ascii += fmt.Sprintf("-v%d", version)
	}
	return download{format: format, ascii: ascii, name: d.Title, doc: d}.send(c)
}
