package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/charts"
	"jobkpi/models"
)

// pageRequest is what every plan page reads from the request.
type pageRequest struct {
	lang    Lang
	asof    int    // 0: the default month
	month   string // the current month; the default as-of month depends on it
	account account
}

func (h *Handler) readPageRequest(c echo.Context) (pageRequest, error) {
	asof, err := parseAsOf(c)
	if err != nil {
		return pageRequest{}, err
	}
	return pageRequest{lang: parseLang(c.QueryParam("lang")), asof: asof, month: h.thisMonth(), account: h.account(c)}, nil
}

// thisMonth is the current month in Korea, on which the default as-of
// month depends.
func (h *Handler) thisMonth() string { return h.now().In(models.KST).Format("2006-01") }

// readYearRequest reads a page request for the plan year in the path.
func (h *Handler) readYearRequest(c echo.Context) (pageRequest, int, error) {
	req, err := h.readPageRequest(c)
	if err != nil {
		return pageRequest{}, 0, err
	}
	year, err := parseYear(c.Param("year"))
	return req, year, err
}

// drafts reports whether the reader may see plans being written:
// officials and admins.
func (r pageRequest) drafts() bool {
	return r.account.User != nil && r.account.User.Role.AtLeast(models.RoleOfficial)
}

// key identifies a rendered response in the page cache.
func (r pageRequest) key(path string) string {
	return fmt.Sprintf("%s|%s|%d|%s", path, r.lang, r.asof, r.month)
}

// Dashboard shows the latest published plan whose programmes are
// entered, or the latest published plan when none is.
func (h *Handler) Dashboard(c echo.Context) error {
	req, err := h.readPageRequest(c)
	if err != nil {
		return err
	}
	return h.serveCached(c, req.key("/"), func() (int, string, []byte, error) {
		ctx := c.Request().Context()
		years, err := h.store.Years(ctx, req.drafts())
		if err != nil {
			return 0, "", nil, err
		}
		published, err := h.store.Years(ctx, false)
		if err != nil {
			return 0, "", nil, err
		}
		if len(published) == 0 {
			return h.html("empty", &basePage{Lang: req.lang, Title: req.lang.T("site.name"), Demo: h.demo, Path: "/", account: req.account})
		}
		year := published[len(published)-1]
		tracked, err := h.store.TrackedYears(ctx)
		if err != nil {
			return 0, "", nil, err
		}
		if len(tracked) > 0 { // a plan whose programmes are not entered has no progress to open with
			year = tracked[len(tracked)-1]
		}
		return h.renderPlan(ctx, req, years, year, "/")
	})
}

// PlanYear shows the plan of one year.
func (h *Handler) PlanYear(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	version, err := parseVersion(c)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/plans/%d", year)
	return h.serveCached(c, req.key(fmt.Sprintf("%s?version=%d", path, version)), func() (int, string, []byte, error) {
		ctx := c.Request().Context()
		years, err := h.store.Years(ctx, req.drafts())
		if err != nil {
			return 0, "", nil, err
		}
		if version > 0 {
			return h.renderPlanVersion(ctx, req, years, year, version)
		}
		return h.renderPlan(ctx, req, years, year, path)
	})
}

func (h *Handler) html(name string, data any) (int, string, []byte, error) {
	body, err := h.views.Render(name, data)
	return http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body, err
}

// summary loads a plan's summary, turning an unknown year into a 404 that
// lists the years there are.
func (h *Handler) summary(ctx context.Context, years []int, year, asof int) (*models.Summary, error) {
	return h.loadSummary(ctx, years, year, asof, h.store.Summary)
}

// yearSummary loads the plan years the reader may see (with drafts or
// not) and evaluates one year's plan at asof.
func (h *Handler) yearSummary(ctx context.Context, year, asof int, drafts bool) ([]int, *models.Summary, error) {
	years, err := h.store.Years(ctx, drafts)
	if err != nil {
		return nil, nil, err
	}
	sum, err := h.summary(ctx, years, year, asof)
	return years, sum, err
}

// loadSummary evaluates a plan year with load, and answers 404 with the
// years there are when the year has no plan among years, the ones the
// reader may see.
func (h *Handler) loadSummary(ctx context.Context, years []int, year, asof int,
	load func(context.Context, int, int) (*models.Summary, error)) (*models.Summary, error) {
	sum, err := load(ctx, year, asof)
	if err == nil && !slices.Contains(years, year) {
		err = models.ErrNotFound
	}
	if errors.Is(err, models.ErrNotFound) {
		return nil, yearMissing(years, year)
	}
	return sum, err
}

// yearMissing is the 404 of a year with no plan the reader may see,
// listing the years there are.
func yearMissing(years []int, year int) error {
	list := make([]string, len(years))
	for i, y := range years {
		list[i] = strconv.Itoa(y)
	}
	return notFound("error.year.missing", year, strings.Join(list, ", "))
}

func (h *Handler) base(req pageRequest, sum *models.Summary, years []int, path, title string) basePage {
	return basePage{
		Lang: req.lang, Title: title, Demo: h.demo || sum.Plan.Demo, Path: path,
		Year: sum.Plan.Year, AsOf: sum.AsOf, Years: years, sum: sum, account: req.account,
	}
}

// planPage is the data of the dashboard and the plan-year page.
type planPage struct {
	basePage
	Plan       *models.Plan
	Sum        *models.Summary
	Headlines  []indicatorView
	Tasks      []taskView
	TaskChart  chartView
	Milestones []indicatorView
	// Fields is the table by 분야.
	Fields []groupView
	// Versions lists the published versions (공시 이력), oldest first.
	Versions []versionView
	// Revision is the draft revision waiting, for officials.
	Revision *models.PlanVersion
	// CopyYears are the years this plan can be copied into, for officials.
	CopyYears []int
	// Home says the page is the dashboard rather than the plan page.
	Home bool
	// Outcomes is the 공통목표 section.
	Outcomes outcomeBox
}

// taskView is a task with its name in the page's language.
type taskView struct {
	models.TaskSummary
	Name      string
	URL       string
	PctCapped int
	// NotDue explains the figures of a task whose indicators are all
	// milestones not yet due: achievement 0%, pace 100%, on track.
	NotDue string
}

func (h *Handler) renderPlan(ctx context.Context, req pageRequest, years []int, year int, path string) (int, string, []byte, error) {
	sum, err := h.summary(ctx, years, year, req.asof)
	if err != nil {
		return 0, "", nil, err
	}
	p := &planPage{Plan: sum.Plan, Sum: sum}
	p.basePage = h.base(req, sum, years, path, "")
	p.Title = p.Pick(sum.Plan.Title, sum.Plan.TitleEn)
	if path != "/" {
		p.Crumbs = []crumb{{Name: p.T("plan.title.year", year)}}
	}
	for _, is := range sum.Headlines {
		p.Headlines = append(p.Headlines, p.indicator(is, true))
	}
	for _, is := range sum.Milestones {
		p.Milestones = append(p.Milestones, p.indicator(is, false))
	}
	p.Tasks = p.tasks(sum)
	p.TaskChart = p.taskChart(sum.Overall, sum.Tasks, p.Tasks)
	if p.Fields, err = h.fieldViews(ctx, &p.basePage, sum); err != nil {
		return 0, "", nil, err
	}
	p.Home = path == "/"
	p.Versions = p.versions(sum.Plan, 0)
	p.Outcomes = p.outcomeBox(sum.Plan, 0)
	if req.drafts() && sum.Plan.Published() {
		p.Revision = sum.Plan.DraftRevision()
		p.CopyYears = copyYears(sum.Plan, years, h.store.Now())
	}
	return h.html("plan", p)
}

func (p *basePage) tasks(sum *models.Summary) []taskView {
	out := make([]taskView, len(sum.Tasks))
	for i, ts := range sum.Tasks {
		out[i] = taskView{
			TaskSummary: ts,
			Name:        p.Pick(ts.Task.Name, ts.Task.NameEn),
			URL:         p.URL(fmt.Sprintf("/plans/%d/tasks/%s", p.Year, url.PathEscape(ts.Task.Code))),
			PctCapped:   pctCapped(ts.Rollup.Achievement),
			NotDue:      p.notDue(ts),
		}
	}
	return out
}

// notDue explains why a task of milestones none of which is due yet reads
// 0% achieved and 100% pace, naming the earliest due date; empty for any
// other task.
func (p *basePage) notDue(ts models.TaskSummary) string {
	var n int
	var first *time.Time
	for _, ps := range ts.Programs {
		for _, is := range ps.Indicators {
			if is.Indicator.Kind.Monthly() || is.Progress.Expected > 0 {
				return ""
			}
			n++
			if d := is.Indicator.DueDate; d != nil && (first == nil || d.Before(*first)) {
				first = d
			}
		}
	}
	if n == 0 {
		return ""
	}
	return p.T("task.notdue", n, p.Date(first))
}

// taskChart draws the tasks' achievement, with a sentence that gives the
// plan's own figure (the same roll-up as the plan overall, so that the two
// never seem to disagree), says what each figure averages, and names the
// highest and lowest measured task.
func (p *basePage) taskChart(overall models.Rollup, tasks []models.TaskSummary, views []taskView) chartView {
	names := make([]string, len(views))
	var measured []taskView
	for i, v := range views {
		names[i] = v.Name
		if v.Rollup.Status != models.StatusNone {
			measured = append(measured, v)
		}
	}
	summary := ""
	if len(measured) > 0 {
		hi, lo := measured[0], measured[0]
		for _, v := range measured[1:] {
			if v.Rollup.Achievement > hi.Rollup.Achievement {
				hi = v
			}
			if v.Rollup.Achievement < lo.Rollup.Achievement {
				lo = v
			}
		}
		summary = p.T("summary.tasks", p.AsOfLabel(), formatPercent(overall.Achievement), overall.Total,
			hi.Name, formatPercent(hi.Rollup.Achievement), lo.Name, formatPercent(lo.Rollup.Achievement))
	}
	const id = "chart-tasks"
	return chartView{ID: id, Summary: summary, Option: charts.Option(charts.TaskProgress(id, tasks, names, p.chartLabels(summary)))}
}
