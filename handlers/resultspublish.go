package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// resultsPublishPage shows an official what publishing a period's results
// would freeze now, as a draft, with the reasons a correction needs.
type resultsPublishPage struct {
	*formPage
	Period      string
	Draft       *models.ResultsDraft
	Sections    []docSectionView
	Cover       []fieldView
	Corrections []correctionView
	Action      string
	Published   string // the published version's page, when there is one
}

type fieldView struct{ Label, Value string }

// correctionView is one changed number with its reason field.
type correctionView struct {
	Key, Name, Field, Old, New string
}

// ResultsForm shows the draft of a period's results (GET
// /plans/{year}/results/{period}).
func (h *Handler) ResultsForm(c echo.Context) error {
	p, err := h.resultsPublishPage(c)
	if err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, "results_publish", p)
}

// PublishResults freezes a period's results as a published version, or
// a correction of them (POST /plans/{year}/results/{period}).
func (h *Handler) PublishResults(c echo.Context) error {
	p, err := h.resultsPublishPage(c)
	if err != nil {
		return err
	}
	in := models.PublishResultsInput{Year: p.Year, Period: c.Param("period"), Reason: strings.TrimSpace(c.FormValue("reason")),
		Reasons: map[string]string{}, Expect: c.FormValue("expect")}
	p.Values["reason"] = in.Reason
	for _, cv := range p.Corrections {
		in.Reasons[cv.Key] = strings.TrimSpace(c.FormValue("reason." + cv.Key))
		p.Values["reason."+cv.Key] = in.Reasons[cv.Key]
	}
	v, err := h.store.PublishResults(c.Request().Context(), currentUser(c), in)
	switch {
	case errors.Is(err, models.ErrResultsChanged):
		p.fail("publish", p.T("results.changed"))
		return h.renderForm(c, http.StatusConflict, "results_publish", p)
	case p.failValidation(err):
		if msg, ok := p.Errors[""]; ok { // a problem of the whole publication
			delete(p.Errors, "")
			p.order = slices.DeleteFunc(p.order, func(f string) bool { return f == "" })
			p.fail("publish", msg)
		}
		return h.renderForm(c, http.StatusUnprocessableEntity, "results_publish", p)
	case err != nil:
		return err
	}
	return back(c, withLang(fmt.Sprintf("/disclosure/%d/%s?version=%d", p.Year, v.Period, v.Number), p.Lang))
}

func (h *Handler) resultsPublishPage(c echo.Context) (*resultsPublishPage, error) {
	year, err := parseYear(c.Param("year"))
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	code := c.Param("period")
	per, ok := models.ResultsPeriod(code, year)
	if !ok {
		return nil, notFound("error.results.period", code)
	}
	years, err := h.store.Years(ctx, true)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(years, year) {
		return nil, yearMissing(years, year)
	}
	draft, err := h.store.DraftResults(ctx, year, code)
	if err != nil {
		return nil, err
	}
	b := h.page(c, "")
	b.Year, b.Years = year, years
	p := &resultsPublishPage{formPage: newFormPage(b), Draft: draft, Action: fmt.Sprintf("/plans/%d/results/%s", year, code)}
	p.Period = periodName(&p.basePage, per.String(), year)
	p.Title = p.T("results.publish.title", p.Period)
	p.Crumbs = []crumb{{Name: p.T("disclosure.title"), URL: p.URL("/disclosure")}, {Name: p.T("disclosure.year", year), URL: p.URL(fmt.Sprintf("/disclosure/%d", year))},
		{Name: p.Title}}
	d, err := h.docPage(ctx, &p.basePage, docSource{Results: draft.Results, Draft: true})
	if err != nil {
		return nil, err
	}
	document := d.resultsDocument(nil)
	for _, f := range document.Cover {
		p.Cover = append(p.Cover, fieldView{f.Label, f.Value})
	}
	for i, s := range document.Sections {
		p.Sections = append(p.Sections, sectionView(s, fmt.Sprintf("draft-%d", i)))
	}
	for _, cr := range draft.Corrections {
		p.Corrections = append(p.Corrections, correctionView{Key: cr.Key, Name: p.Pick(cr.Name, cr.NameEn), Field: p.T("doc.field." + cr.Field),
			Old: d.correctionValue(cr.Field, cr.Old), New: d.correctionValue(cr.Field, cr.New)})
	}
	if draft.Latest != nil {
		p.Published = p.URL(fmt.Sprintf("/disclosure/%d/%s", year, code))
	}
	return p, nil
}
