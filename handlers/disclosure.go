package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/charts/doc"
	"jobkpi/models"
)

// disclosurePage is a page of the public 공시: the years, a year's plan,
// or a year's published results. Its content is a document, the same
// one its PDF, xlsx and CSV carry.
type disclosurePage struct {
	basePage
	Doc      *doc.Document
	Sections []docSectionView
	// Files are the downloads of the page's document.
	Files []fileLink
	// Links are the page's other versions and reports.
	Links []fileLink
	// Entries lists the years, on the index.
	Entries []disclosureEntry
	// Publish links an official to the results to publish.
	Publish []fileLink
}

// fileLink is a labelled link.
type fileLink struct {
	Label, URL string
	Current    bool
}

// disclosureEntry is one year on the index.
type disclosureEntry struct {
	Year        int
	Title, Plan string
	Links       []fileLink
}

// publishedYear reads the published plan years, and refuses a year that
// is not one of them with a 404 that lists them.
func (h *Handler) publishedYear(ctx context.Context, year int) ([]int, error) {
	years, err := h.store.Years(ctx, false)
	if err == nil && !slices.Contains(years, year) {
		err = yearMissing(years, year)
	}
	return years, err
}

// disclosureBase is the layout data of a 공시 page.
func (h *Handler) disclosureBase(req pageRequest, years []int, year int, path, title string) basePage {
	return basePage{Lang: req.lang, Title: title, Demo: h.demo, Path: path, Year: year, Years: years, account: req.account}
}

// Disclosures lists the years of the public 공시 (GET /disclosure).
func (h *Handler) Disclosures(c echo.Context) error {
	req, err := h.readPageRequest(c)
	if err != nil {
		return err
	}
	return h.serveCached(c, req.key("/disclosure"), func() (int, string, []byte, error) {
		ctx := c.Request().Context()
		years, err := h.store.Years(ctx, false)
		if err != nil {
			return 0, "", nil, err
		}
		p := &disclosurePage{basePage: h.disclosureBase(req, years, 0, "/disclosure", req.lang.T("disclosure.title"))}
		p.Crumbs = []crumb{{Name: p.Title}}
		for i := len(years) - 1; i >= 0; i-- {
			e, err := h.disclosureEntry(ctx, p, years[i])
			if err != nil {
				return 0, "", nil, err
			}
			p.Entries = append(p.Entries, e)
		}
		return h.html("disclosure", p)
	})
}

func (h *Handler) disclosureEntry(ctx context.Context, p *disclosurePage, year int) (disclosureEntry, error) {
	plan, err := h.store.Plan(ctx, year)
	if err != nil {
		return disclosureEntry{}, err
	}
	e := disclosureEntry{Year: year, Title: p.T("disclosure.year", year), Plan: p.Pick(plan.Title, plan.TitleEn)}
	if v := plan.Latest(); v != nil {
		e.Links = append(e.Links, fileLink{Label: p.T("disclosure.plan.link", p.Lang.VersionName(v.Number), p.Lang.VersionDate(v.Date)),
			URL: p.URL(fmt.Sprintf("/disclosure/%d", year))})
	}
	versions, err := h.store.ResultsVersions(ctx, year, "")
	if err != nil {
		return disclosureEntry{}, err
	}
	for _, code := range []string{"h1", "year"} {
		if v := latestResults(versions, code); v != nil {
			per, _ := models.ResultsPeriod(code, year)
			e.Links = append(e.Links, fileLink{Label: p.T("disclosure.results.link", periodName(&p.basePage, per.String(), year),
				v.Number, p.Lang.Date(v.PublishedAt.In(models.KST))), URL: p.URL(fmt.Sprintf("/disclosure/%d/%s", year, code))})
		}
	}
	return e, nil
}

// latestResults is the latest published version of a period, or nil.
func latestResults(all []models.ResultsVersion, code string) *models.ResultsVersion {
	var out *models.ResultsVersion
	for i := range all {
		if all[i].Period == code && (out == nil || all[i].Number > out.Number) {
			out = &all[i]
		}
	}
	return out
}

// DisclosureYear shows a year's published plan with its versions, its
// 공통목표, target changes and published results (GET /disclosure/{year}).
func (h *Handler) DisclosureYear(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/disclosure/%d", year)
	return h.serveCached(c, req.key(path), func() (int, string, []byte, error) {
		p, d, _, err := h.planDisclosure(c, req, year)
		if err != nil {
			return 0, "", nil, err
		}
		p.setDocument(d, path)
		return h.html("disclosure_doc", p)
	})
}

// DisclosureYearDownload sends a year's plan disclosure as a file.
func (h *Handler) DisclosureYearDownload(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	format, err := downloadFormat(c, "pdf", "xlsx", "csv", "json")
	if err != nil {
		return err
	}
	if err := h.checkPDFSize(c.Request().Context(), format, year); err != nil {
		return err
	}
	_, d, data, err := h.planDisclosure(c, req, year)
	if err != nil {
		return err
	}
	return download{format: format, ascii: fmt.Sprintf("jobkpi-disclosure-%d-plan", year), name: d.Title, doc: d,
		table: &d.Sections[0].Tables[0], data: data}.send(c)
}

// planDisclosure makes the page, the document and the open data of a
// year's plan.
func (h *Handler) planDisclosure(c echo.Context, req pageRequest, year int) (*disclosurePage, *doc.Document, *planDisclosureJSON, error) {
	ctx := c.Request().Context()
	years, err := h.publishedYear(ctx, year)
	if err != nil {
		return nil, nil, nil, err
	}
	plan, err := h.store.Plan(ctx, year)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := h.store.Results(ctx, models.YearPeriod(year), false)
	if err != nil {
		return nil, nil, nil, err
	}
	versions, err := h.store.ResultsVersions(ctx, year, "")
	if err != nil {
		return nil, nil, nil, err
	}
	p := &disclosurePage{basePage: h.disclosureBase(req, years, year, fmt.Sprintf("/disclosure/%d", year), "")}
	d, err := h.docPage(ctx, &p.basePage, docSource{Results: r})
	if err != nil {
		return nil, nil, nil, err
	}
	out := d.planDocument(plan, versions)
	p.Title = out.Title
	p.Crumbs = []crumb{{Name: p.T("disclosure.title"), URL: p.URL("/disclosure")}, {Name: p.Title}}
	for _, v := range plan.PublishedVersions() {
		p.Links = append(p.Links, fileLink{Label: p.T("disclosure.plan.version", p.Lang.VersionName(v.Number), p.Lang.VersionDate(v.Date)),
			URL: p.URL(fmt.Sprintf("/plans/%d?version=%d", year, v.Number)), Current: v == plan.Latest()})
	}
	for _, v := range versions {
		per, _ := models.ResultsPeriod(v.Period, year)
		p.Links = append(p.Links, fileLink{Label: p.T("disclosure.results.link", periodName(&p.basePage, per.String(), year), v.Number,
			p.Lang.Date(v.PublishedAt.In(models.KST))), URL: p.URL(fmt.Sprintf("/disclosure/%d/%s?version=%d", year, v.Period, v.Number))})
	}
	if u := req.account.User; u != nil && u.Role.AtLeast(models.RoleOfficial) {
		for _, code := range []string{"h1", "year"} {
			per, _ := models.ResultsPeriod(code, year)
			p.Publish = append(p.Publish, fileLink{Label: p.T("results.publish.link", periodName(&p.basePage, per.String(), year)),
				URL: p.URL(fmt.Sprintf("/plans/%d/results/%s", year, code))})
		}
	}
	return p, out, planJSON(plan, r, versions), nil
}

// setDocument puts the document on the page with its download links.
func (p *disclosurePage) setDocument(d *doc.Document, path string) {
	p.Doc = d
	for i, s := range d.Sections {
		p.Sections = append(p.Sections, sectionView(s, fmt.Sprintf("doc-%d", i)))
	}
	base, query := path+"/download?format=", ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		base, query = path[:i]+"/download?format=", "&"+path[i+1:]
	}
	for _, f := range []string{"pdf", "xlsx", "csv", "json"} {
		p.Files = append(p.Files, fileLink{Label: p.T("disclosure.file." + f), URL: withLang(base+f+query, p.Lang)})
	}
}

// DisclosureResults shows a published results version of 상반기 or 연간,
// the latest unless ?version=N (GET /disclosure/{year}/{period}).
func (h *Handler) DisclosureResults(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	version, err := parseVersion(c)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/disclosure/%d/%s", year, c.Param("period"))
	if version > 0 {
		path += fmt.Sprintf("?version=%d", version)
	}
	return h.serveCached(c, req.key(path), func() (int, string, []byte, error) {
		p, d, _, err := h.resultsDisclosure(c, req, year, c.Param("period"), version)
		if err != nil {
			return 0, "", nil, err
		}
		p.setDocument(d, path)
		return h.html("disclosure_doc", p)
	})
}

// DisclosureResultsDownload sends a published results version as a file.
func (h *Handler) DisclosureResultsDownload(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	format, err := downloadFormat(c, "pdf", "xlsx", "csv", "json")
	if err != nil {
		return err
	}
	version, err := parseVersion(c)
	if err != nil {
		return err
	}
	if err := h.checkPDFSize(c.Request().Context(), format, year); err != nil {
		return err
	}
	_, d, v, err := h.resultsDisclosure(c, req, year, c.Param("period"), version)
	if err != nil {
		return err
	}
	data, err := resultsJSON(v)
	if err != nil {
		return err
	}
	return download{format: format, ascii: fmt.Sprintf("jobkpi-disclosure-%d-%s-v%d", year, v.Period, v.Number), name: d.Title, doc: d,
		table: &d.Sections[0].Tables[0], data: data}.send(c)
}

// resultsDisclosure makes the page and document of a published results
// version: the latest when version is 0.
func (h *Handler) resultsDisclosure(c echo.Context, req pageRequest, year int, code string, version int) (*disclosurePage, *doc.Document, *models.ResultsVersion, error) {
	ctx := c.Request().Context()
	years, err := h.publishedYear(ctx, year)
	if err != nil {
		return nil, nil, nil, err
	}
	per, ok := models.ResultsPeriod(code, year)
	if !ok {
		return nil, nil, nil, notFound("error.results.period", code)
	}
	all, err := h.store.ResultsVersions(ctx, year, code)
	if err != nil {
		return nil, nil, nil, err
	}
	p := &disclosurePage{basePage: h.disclosureBase(req, years, year, fmt.Sprintf("/disclosure/%d/%s", year, code), "")}
	name := periodName(&p.basePage, per.String(), year)
	if len(all) == 0 {
		return nil, nil, nil, notFound("error.results.none", name)
	}
	v := &all[len(all)-1]
	if version > 0 {
		i := slices.IndexFunc(all, func(x models.ResultsVersion) bool { return x.Number == version })
		if i < 0 {
			return nil, nil, nil, notFound("error.results.version", name, version)
		}
		v = &all[i]
	}
	r, err := v.Results()
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := h.docPage(ctx, &p.basePage, docSource{Results: r, Version: v})
	if err != nil {
		return nil, nil, nil, err
	}
	out := d.resultsDocument(all)
	p.Title = out.Title
	p.Crumbs = []crumb{{Name: p.T("disclosure.title"), URL: p.URL("/disclosure")}, {Name: p.T("disclosure.year", year), URL: p.URL(fmt.Sprintf("/disclosure/%d", year))},
		{Name: p.Title}}
	for _, x := range all {
		p.Links = append(p.Links, fileLink{Label: p.T("disclosure.results.version", x.Number, p.Lang.Date(x.PublishedAt.In(models.KST))),
			URL: p.URL(fmt.Sprintf("/disclosure/%d/%s?version=%d", year, code, x.Number)), Current: x.Number == v.Number})
	}
	return p, out, v, nil
}

// resultsVersionJSON is a published results version as open data.
type resultsVersionJSON struct {
	Year        int                        `json:"year"`
	Period      string                     `json:"period"`
	Version     int                        `json:"version"`
	PublishedAt time.Time                  `json:"publishedAt"`
	Reason      string                     `json:"reason,omitempty"`
	Corrections []models.ResultsCorrection `json:"corrections"`
	Results     *models.Results            `json:"results"`
}

func resultsJSON(v *models.ResultsVersion) (*resultsVersionJSON, error) {
	r, err := v.Results()
	if err != nil {
		return nil, err
	}
	out := &resultsVersionJSON{Year: r.Year, Period: v.Period, Version: v.Number, PublishedAt: v.PublishedAt, Reason: v.Reason,
		Corrections: v.Changes(), Results: r}
	if out.Corrections == nil {
		out.Corrections = []models.ResultsCorrection{}
	}
	return out, nil
}

// planDisclosureJSON is a year's published plan as open data: its
// versions, targets and published results.
type planDisclosureJSON struct {
	Year     int                    `json:"year"`
	City     string                 `json:"city"`
	Title    string                 `json:"title"`
	Versions []planVersionJSON      `json:"planVersions"`
	Results  []resultsEntryJSON     `json:"publishedResults"`
	Programs []planProgramJSON      `json:"programs"`
	Outcomes []models.ResultOutcome `json:"outcomes"`
	Changes  []models.ResultChange  `json:"targetChanges"`
}

type planVersionJSON struct {
	Number int        `json:"number"`
	Date   *time.Time `json:"date,omitempty"`
}

type resultsEntryJSON struct {
	Period      string    `json:"period"`
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"publishedAt"`
}

type planProgramJSON struct {
	ID         uint                `json:"id"`
	Task       string              `json:"task"`
	Name       string              `json:"name"`
	NameEn     string              `json:"nameEn,omitempty"`
	Department string              `json:"department"`
	Field      string              `json:"field,omitempty"`
	Groups     []string            `json:"groups"`
	Budget     *float64            `json:"budget,omitempty"`
	Indicators []planIndicatorJSON `json:"indicators"`
}

type planIndicatorJSON struct {
	ID       uint         `json:"id"`
	Name     string       `json:"name"`
	NameEn   string       `json:"nameEn,omitempty"`
	Kind     models.Kind  `json:"kind"`
	Unit     string       `json:"unit"`
	Basis    models.Basis `json:"basis,omitempty"`
	Target   float64      `json:"target"`
	Original *float64     `json:"originalTarget,omitempty"`
	Due      *time.Time   `json:"dueDate,omitempty"`
}

// planJSON is a year's published plan as open data.
func planJSON(plan *models.Plan, r *models.Results, versions []models.ResultsVersion) *planDisclosureJSON {
	out := &planDisclosureJSON{Year: plan.Year, City: plan.City, Title: plan.Title, Versions: []planVersionJSON{}, Results: []resultsEntryJSON{},
		Programs: []planProgramJSON{}, Outcomes: r.Outcomes, Changes: r.TargetChanges}
	for _, v := range plan.PublishedVersions() {
		out.Versions = append(out.Versions, planVersionJSON{Number: v.Number, Date: v.Date})
	}
	for _, v := range versions {
		out.Results = append(out.Results, resultsEntryJSON{Period: v.Period, Version: v.Number, PublishedAt: v.PublishedAt})
	}
	for _, t := range r.Tasks {
		for _, rp := range t.Programs {
			pj := planProgramJSON{ID: rp.ID, Task: t.Code, Name: rp.Name, NameEn: rp.NameEn, Department: rp.Department, Field: rp.Field,
				Groups: rp.Groups, Budget: rp.Budget, Indicators: []planIndicatorJSON{}}
			for _, ri := range rp.Indicators {
				pj.Indicators = append(pj.Indicators, planIndicatorJSON{ID: ri.ID, Name: ri.Name, NameEn: ri.NameEn, Kind: ri.Kind, Unit: ri.Unit,
					Basis: ri.Basis, Target: ri.Target, Original: ri.Original, Due: ri.Due})
			}
			out.Programs = append(out.Programs, pj)
		}
	}
	return out
}
