package handlers

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// ResultsCSV answers GET /plans/{year}/results.csv: one row per indicator
// with its target and where it stands at the as-of month, in the page's
// language, for a spreadsheet. Values are rounded as the pages show them
// (models.Indicator.Round); the JSON API has the exact ones. Like the plan pages it counts approved
// figures only, and it is cached per data version.
func (h *Handler) ResultsCSV(c echo.Context) error {
	req, year, err := h.readYearRequest(c)
	if err != nil {
		return err
	}
	ascii, name := fmt.Sprintf("jobkpi-%d-results", year), req.lang.T("download.results", year)
	if h.demo {
		ascii, name = ascii+"-sample", req.lang.T("download.results.sample", year)
	}
	attachment(c, ascii, name, ".csv")
	return h.serveCached(c, req.key(fmt.Sprintf("csv|%d", year)), func() (int, string, []byte, error) {
		ctx := c.Request().Context()
		_, sum, err := h.yearSummary(ctx, year, req.asof, req.drafts())
		if err != nil {
			return 0, "", nil, err
		}
		body, err := resultsCSV(sum, req.lang)
		return http.StatusOK, "text/csv; charset=utf-8", body, err
	})
}

// resultsCSV writes a plan's results, with a byte-order mark so that
// spreadsheets read the Korean as UTF-8.
func resultsCSV(sum *models.Summary, l Lang) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Write([]string{l.T("csv.asof"), l.T("ind.task"), l.T("ind.program"), l.T("ind.dept"), l.T("ind.name"), l.T("ind.kind"),
		l.T("ind.unit"), l.T("ind.target"), l.T("ind.actual.cum"), l.T("ind.expected.by"), l.T("csv.achievement"),
		l.T("csv.pace"), l.T("ind.forecast"), l.T("ind.status"), l.T("csv.milestone.due"), l.T("csv.milestone.done"), l.T("basis.title")})
	pct := func(r float64) string {
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return ""
		}
		return strconv.FormatFloat(math.Round(r*1000)/10, 'f', -1, 64)
	}
	asof := fmt.Sprintf("%d-%02d", sum.Plan.Year, sum.AsOf)
	for _, ts := range sum.Tasks {
		for _, ps := range ts.Programs {
			for _, is := range ps.Indicators {
				ind, pr := is.Indicator, is.Progress
				// Rounded as the pages round it: whole in a count unit.
				num := func(v float64) string { return strconv.FormatFloat(ind.Round(v), 'f', -1, 64) }
				row := []string{asof, ts.Task.Code + " " + l.Text(ts.Task.Name, ts.Task.NameEn), l.Text(ps.Program.Name, ps.Program.NameEn),
					ps.Program.Department, l.Text(ind.Name, ind.NameEn), l.T("ind.kind." + string(ind.Kind)), ind.Unit}
				if !ind.Kind.Monthly() {
					row = append(row, "", "", "", "", "", "", l.T("status."+string(pr.Status)), date(ind.DueDate), date(ind.DoneDate))
				} else {
					forecast := ""
					if pr.Forecast != nil {
						forecast = num(*pr.Forecast)
					}
					row = append(row, num(ind.Target), num(pr.Actual), num(pr.Expected), pct(pr.Achievement), pct(pr.Pace), forecast,
						l.T("status."+string(pr.Status)), "", "")
				}
				basis := ""
				if ind.Basis != "" {
					basis = l.T("basis." + string(ind.Basis))
				}
				w.Write(safeCSV(append(row, basis)))
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// date writes a plan date as YYYY-MM-DD, or nothing.
func date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
