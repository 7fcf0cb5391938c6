package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobkpi/charts/doc"
	"jobkpi/charts/pdf"
	"jobkpi/charts/xlsx"
	"jobkpi/models"
)

// MaxPDFIndicators is the most indicators a PDF is made for: beyond, it
// would run to hundreds of pages and take too long, and the xlsx or CSV
// carries the same numbers.
const MaxPDFIndicators = 2000

// download is one file of a document: its format and names.
type download struct {
	format string // pdf, xlsx, csv or json
	ascii  string // the file name without extension, in ASCII
	name   string // the file name without extension, in the page's language
	doc    *doc.Document
	// table is what the CSV holds; data is what the JSON holds.
	table *doc.Table
	data  any
}

// downloadFormat reads ?format=, one of those allowed.
func downloadFormat(c echo.Context, allowed ...string) (string, error) {
	f := c.QueryParam("format")
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", badRequest("error.format", strings.Join(allowed, ", "))
}

// send writes the download in its format.
func (dl download) send(c echo.Context) error {
	var buf bytes.Buffer
	var ctype string
	switch dl.format {
	case "pdf":
		ctype = "application/pdf"
		if err := pdf.Write(&buf, dl.doc); err != nil {
			return err
		}
	case "xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		if err := xlsx.Write(&buf, dl.doc); err != nil {
			return err
		}
	case "csv":
		ctype = "text/csv; charset=utf-8"
		if err := tableCSV(&buf, dl.table); err != nil {
			return err
		}
	case "json":
		ctype = "application/json"
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(dl.data); err != nil {
			return err
		}
	default:
		return badRequest("error.format", "pdf, xlsx, csv, json")
	}
	attachment(c, dl.ascii, dl.name, "."+dl.format)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, ctype, buf.Bytes())
}

// tableCSV writes a table as CSV: UTF-8 with a byte-order mark so that
// spreadsheets read the Korean, numbers as the page rounds them, and
// formula-like text neutralised.
func tableCSV(buf *bytes.Buffer, t *doc.Table) error {
	buf.WriteString("\ufeff")
	w := csv.NewWriter(buf)
	head := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		head[i] = col.Heading
	}
	w.Write(safeCSV(head))
	for _, r := range t.Rows {
		row := make([]string, len(t.Columns))
		for i, cell := range r.Cells {
			if i >= len(row) {
				break
			}
			row[i] = cell.Text
			if cell.Number != nil {
				row[i] = strconv.FormatFloat(*cell.Number, 'f', -1, 64)
			}
		}
		w.Write(safeCSV(row))
	}
	w.Flush()
	return w.Error()
}

// checkPDFSize refuses at once a PDF of a plan too big for one.
func (h *Handler) checkPDFSize(ctx context.Context, format string, year int) error {
	if format != "pdf" {
		return nil
	}
	n, err := h.store.IndicatorCount(ctx, year)
	if err != nil {
		return err
	}
	if n > MaxPDFIndicators {
		return &webError{Status: http.StatusUnprocessableEntity, Key: "error.pdf.too.big", Args: []any{n, MaxPDFIndicators}}
	}
	return nil
}

// resultsFor reads the results a document shows: a published version of
// a 상반기 or 연간 report (version > 0), or the live numbers of period.
func (h *Handler) resultsFor(ctx context.Context, per models.ReportPeriod, version int, submitted bool) (*models.Results, *models.ResultsVersion, error) {
	if version == 0 {
		r, err := h.store.Results(ctx, per, submitted)
		return r, nil, err
	}
	if !per.Publishable() {
		return nil, nil, notFound("error.results.version", per.String(), version)
	}
	v, err := h.store.ResultsVersion(ctx, per.Year, per.Code(), version)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, notFound("error.results.version", per.String(), version)
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := v.Results()
	return r, v, err
}
