package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

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
