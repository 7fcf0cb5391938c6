package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// apiPlanList is the answer of GET /api/v1/plans.
type apiPlanList struct {
	Demo  bool      `json:"demo"`
	Plans []apiYear `json:"plans"`
}

type apiYear struct {
	Year int    `json:"year"`
	URL  string `json:"url"`
}

// apiPlan is the answer of GET /api/v1/plans/{year}.
type apiPlan struct {
	Demo       bool           `json:"demo"`
	AsOf       int            `json:"asof"`
	Plan       apiPlanInfo    `json:"plan"`
	Overall    apiRollup      `json:"overall"`
	Tasks      []apiTask      `json:"tasks"`
	Programs   []apiProgram   `json:"programs"`
	Milestones []apiMilestone `json:"milestones"`
	Indicators []apiIndicator `json:"indicators"`
	Facts      []apiFact      `json:"facts"`
	Outcomes   []apiOutcome   `json:"outcomes"`
	// Fields rolls the programmes up by 분야.
	Fields []apiGroup `json:"fields"`
}

// apiExecution is spending against budget, in 백만원.
type apiExecution struct {
	Budget     *float64 `json:"budget"`
	Spent      *float64 `json:"spent"`
	Unbudgeted *float64 `json:"unbudgeted_spent"`
	Rate       *float64 `json:"rate"`
}

// apiBudget is a programme's budget by source, in 백만원.
type apiBudget struct {
	National   *float64 `json:"national"`
	Provincial *float64 `json:"provincial"`
	City       *float64 `json:"city"`
	Other      *float64 `json:"other"`
	Total      *float64 `json:"total"`
}

// apiGroup is the programmes of one 분야 rolled up.
type apiGroup struct {
	Code      string        `json:"code"`
	Programs  []uint        `json:"programs"`
	Rollup    apiRollup     `json:"rollup"`
	Execution apiExecution  `json:"execution"`
	Subtotals []apiSubtotal `json:"subtotals"`
}

// apiSubtotal adds like numbers only: one unit and 집계 기준.
type apiSubtotal struct {
	Unit   string       `json:"unit"`
	Basis  models.Basis `json:"basis,omitempty"`
	Count  int          `json:"count"`
	Added  bool         `json:"added"`
	Target *float64     `json:"target"`
	Actual *float64     `json:"actual"`
}

type apiPlanInfo struct {
	Year   int           `json:"year"`
	City   string        `json:"city"`
	Title  string        `json:"title"`
	Vision string        `json:"vision"`
	Source models.Source `json:"source"`
}

type apiRollup struct {
	Achievement float64        `json:"achievement"`
	Pace        float64        `json:"pace"`
	Status      models.Status  `json:"status"`
	Counts      map[string]int `json:"counts"`
}

type apiTask struct {
	Code      string       `json:"code"`
	Name      string       `json:"name"`
	NameEn    string       `json:"name_en,omitempty"`
	Execution apiExecution `json:"execution"`
	apiRollup
}

type apiProgram struct {
	ID          uint      `json:"id"`
	TaskCode    string    `json:"task_code"`
	Name        string    `json:"name"`
	NameEn      string    `json:"name_en,omitempty"`
	Department  string    `json:"department"`
	Description string    `json:"description"`
	New         bool      `json:"new"`
	Field       string    `json:"field"`
	Groups      []string  `json:"groups"`
	Classified  bool      `json:"classified"`
	Budget      apiBudget `json:"budget"`
	// SpendingID is the indicator that takes the programme's spending.
	SpendingID uint          `json:"spending_indicator_id,omitempty"`
	Execution  apiExecution  `json:"execution"`
	Source     models.Source `json:"source"`
}

type apiMilestone struct {
	ID     uint          `json:"id"`
	Name   string        `json:"name"`
	Due    string        `json:"due"`
	Done   *string       `json:"done"`
	State  string        `json:"state"`
	Status models.Status `json:"status"`
}

type apiIndicator struct {
	ID           uint          `json:"id"`
	ProgramID    uint          `json:"program_id"`
	Name         string        `json:"name"`
	NameEn       string        `json:"name_en,omitempty"`
	Unit         string        `json:"unit"`
	Basis        models.Basis  `json:"basis,omitempty"`
	Kind         models.Kind   `json:"kind"`
	Headline     bool          `json:"headline"`
	Target       float64       `json:"target"`
	Baseline     *float64      `json:"baseline"`
	BaselineYear int           `json:"baseline_year,omitempty"`
	TargetNote   string        `json:"target_note"`
	Weight       float64       `json:"weight"`
	Actual       float64       `json:"actual"`
	Expected     float64       `json:"expected"`
	Achievement  float64       `json:"achievement"`
	Pace         float64       `json:"pace"`
	Status       models.Status `json:"status"`
	Forecast     *float64      `json:"forecast"`
	Missing      []int         `json:"missing_months"`
	Months       []apiMonth    `json:"months"`
	Source       models.Source `json:"source"`
}

type apiMonth struct {
	Month    int      `json:"month"`
	Value    *float64 `json:"value"`
	Actual   *float64 `json:"actual"`
	Expected float64  `json:"expected"`
}

type apiFact struct {
	Label  string        `json:"label"`
	Value  float64       `json:"value"`
	Unit   string        `json:"unit"`
	Source models.Source `json:"source"`
}

// APIPlans lists the plan years.
func (h *Handler) APIPlans(c echo.Context) error {
	return h.serveCached(c, "api|plans", func() (int, string, []byte, error) {
		years, err := h.store.Years(c.Request().Context(), false)
		if err != nil {
			return 0, "", nil, err
		}
		out := apiPlanList{Demo: h.demo, Plans: []apiYear{}}
		for _, y := range years {
			out.Plans = append(out.Plans, apiYear{Year: y, URL: fmt.Sprintf("/api/v1/plans/%d", y)})
		}
		return jsonBody(out)
	})
}

// APIPlan returns a plan evaluated at an as-of month.
func (h *Handler) APIPlan(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	return h.serveCached(c, req.key(fmt.Sprintf("api|%d", year)), func() (int, string, []byte, error) {
		ctx := c.Request().Context()
		_, sum, err := h.yearSummary(ctx, year, req.asof, false)
		if err != nil {
			return 0, "", nil, err
		}
		fields, err := h.store.Fields(ctx)
		if err != nil {
			return 0, "", nil, err
		}
		return jsonBody(h.apiPlan(sum, fieldCodes(fields)))
	})
}

func (h *Handler) apiPlan(sum *models.Summary, fields []string) apiPlan {
	p := sum.Plan
	out := apiPlan{
		Demo: h.demo || p.Demo, AsOf: sum.AsOf,
		Plan:    apiPlanInfo{Year: p.Year, City: p.City, Title: p.Title, Vision: p.Vision, Source: p.Source},
		Overall: rollupJSON(sum.Overall),
		Tasks:   []apiTask{}, Programs: []apiProgram{}, Milestones: []apiMilestone{}, Indicators: []apiIndicator{}, Facts: []apiFact{},
		Fields:   []apiGroup{},
		Outcomes: outcomesJSON(p),
	}
	for _, ts := range sum.Tasks {
		out.Tasks = append(out.Tasks, apiTask{Code: ts.Task.Code, Name: ts.Task.Name, NameEn: ts.Task.NameEn, apiRollup: rollupJSON(ts.Rollup),
			Execution: executionJSON(ts.Execution)})
		for _, ps := range ts.Programs {
			pr := ps.Program
			b := pr.Budget
			ap := apiProgram{ID: pr.ID, TaskCode: ts.Task.Code, Name: pr.Name, NameEn: pr.NameEn,
				Department: pr.Department, Description: pr.Description, New: pr.New, Source: pr.Source,
				Field: pr.Field, Groups: []string{}, Classified: pr.Classified, Execution: executionJSON(ps.Execution),
				Budget: apiBudget{National: b.National, Provincial: b.Provincial, City: b.City, Other: b.Other, Total: b.Total()}}
			for _, g := range pr.GroupList() {
				ap.Groups = append(ap.Groups, string(g))
			}
			if pr.Spending != nil {
				ap.SpendingID = pr.Spending.ID
			}
			out.Programs = append(out.Programs, ap)
			for _, is := range ps.Indicators {
				out.Indicators = append(out.Indicators, indicatorJSON(is))
			}
		}
	}
	for _, is := range sum.Milestones {
		out.Milestones = append(out.Milestones, milestoneJSON(is))
	}
	for _, f := range p.Facts {
		out.Facts = append(out.Facts, apiFact{Label: f.Label, Value: f.Value, Unit: f.Unit, Source: f.Source})
	}
	for _, g := range sum.ByField(fields) {
		ag := apiGroup{Code: g.Code, Programs: []uint{}, Rollup: rollupJSON(g.Rollup), Execution: executionJSON(g.Execution), Subtotals: []apiSubtotal{}}
		for _, ps := range g.Programs {
			ag.Programs = append(ag.Programs, ps.Program.ID)
		}
		for _, st := range g.Subtotals {
			as := apiSubtotal{Unit: st.Unit, Basis: st.Basis, Count: st.Count, Added: st.Added}
			if st.Added {
				as.Target, as.Actual = &st.Target, &st.Actual
			}
			ag.Subtotals = append(ag.Subtotals, as)
		}
		out.Fields = append(out.Fields, ag)
	}
	return out
}

func executionJSON(e models.Execution) apiExecution {
	return apiExecution{Budget: e.Budget, Spent: e.Spent, Unbudgeted: e.Unbudgeted, Rate: e.Rate()}
}

func rollupJSON(r models.Rollup) apiRollup {
	counts := map[string]int{}
	for s, n := range r.Counts {
		counts[string(s)] = n
	}
	return apiRollup{Achievement: r.Achievement, Pace: r.Pace, Status: r.Status, Counts: counts}
}

func indicatorJSON(is *models.IndicatorSummary) apiIndicator {
	ind, pr := is.Indicator, is.Progress
	out := apiIndicator{
		ID: ind.ID, ProgramID: ind.ProgramID, Name: ind.Name, NameEn: ind.NameEn, Unit: ind.Unit, Basis: ind.Basis, Kind: ind.Kind,
		Headline: ind.Headline, Target: ind.Target, Baseline: ind.Baseline, BaselineYear: ind.BaselineYear,
		TargetNote: ind.TargetNote, Weight: ind.Weight, Actual: pr.Actual, Expected: pr.Expected,
		Achievement: pr.Achievement, Pace: pr.Pace, Status: pr.Status, Forecast: pr.Forecast,
		Missing: append([]int{}, pr.Missing...), Source: ind.Source,
	}
	for m := range models.Months {
		out.Months = append(out.Months, apiMonth{Month: m + 1, Value: is.Figures[m], Actual: pr.Cumulative[m], Expected: pr.Plan[m]})
	}
	return out
}

func milestoneJSON(is *models.IndicatorSummary) apiMilestone {
	ind := is.Indicator
	out := apiMilestone{ID: ind.ID, Name: ind.Name, State: string(ind.MilestoneState), Status: is.Progress.Status}
	if ind.DueDate != nil {
		out.Due = ind.DueDate.Format(time.DateOnly)
	}
	if ind.DoneDate != nil {
		d := ind.DoneDate.Format(time.DateOnly)
		out.Done = &d
	}
	return out
}

func jsonBody(v any) (int, string, []byte, error) {
	var buf bytes.Buffer
	if err := jsonEncode(&buf, v); err != nil {
		return 0, "", nil, err
	}
	return http.StatusOK, echo.MIMEApplicationJSON, buf.Bytes(), nil
}

// Healthz answers {"status":"ok"} when the database answers, and 503
// otherwise: the server is alive. Readyz says whether it can also save.
// A database that answered within healthFresh is not asked again.
func (h *Handler) Healthz(c echo.Context) error {
	if err := h.health.check(c.Request().Context(), h.store.Ping); err != nil {
		h.logFor(c).Error("health check", "err", err)
		return &webError{Status: http.StatusServiceUnavailable, Key: "error.503"}
	}
	return c.JSONBlob(http.StatusOK, statusOK)
}

// Readyz answers {"status":"ok"} when the database answers and a write
// transaction commits (a probe that changes no data, so the page cache is
// kept), and 503 otherwise, with the cause in the log.
func (h *Handler) Readyz(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.store.Ping(ctx); err != nil {
		h.logFor(c).Error("readiness check: read", "err", err)
		return &webError{Status: http.StatusServiceUnavailable, Key: "error.503"}
	}
	if err := h.store.ProbeWrite(ctx); err != nil {
		h.logFor(c).Error("readiness check: write", "err", err)
		return &webError{Status: http.StatusServiceUnavailable, Key: "error.write"}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
