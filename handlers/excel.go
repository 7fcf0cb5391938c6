package handlers

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"jobkpi/models"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// The columns of the data sheet, in order. id, month, version and current
// are what the template carried; value, confirm and note are the input.
const (
	colID = iota
	colName
	colUnit
	colTarget
	colMonth
	colStatus
	colVersion
	colCurrent
	colValue
	colConfirm
	colNote
	numCols
)

// sheetColumn is a column of the data sheet; its heading is the catalogue
// message "excel.col."+key, in either language.
type sheetColumn struct {
	key      string
	required bool
	width    float64
}

var dataColumns = [numCols]sheetColumn{
	{"id", true, 10}, {"name", false, 34}, {"unit", false, 8}, {"target", false, 10}, {"month", true, 6},
	{"status", false, 14}, {"version", true, 8}, {"current", true, 11}, {"value", true, 11}, {"confirm", false, 14}, {"note", false, 40},
}

// SkipBodyLimit tells the global body limit to leave the upload to its own,
// larger one (Imports.Limit).
func SkipBodyLimit(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && (c.Path() == "/entry/:year/upload" || c.Path() == "/plans/:year/plan-upload")
}

// EntryTemplate sends the upload template of a department's year: one row
// per indicator and month with the current value and version, the key
// columns protected, and a sheet of instructions.
func (h *Handler) EntryTemplate(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	lockDay, err := h.store.LockDay(c.Request().Context())
	if err != nil {
		return err
	}
	f, err := buildTemplate(p, lockDay)
	if err != nil {
		return err
	}
	defer f.Close()
	return sendXLSX(c, f, fmt.Sprintf("figures-%d-template", p.Year), p.T("excel.file.template", p.Year, p.Dept))
}

func buildTemplate(p *entryPage, lockDay int) (*excelize.File, error) {
	f := excelize.NewFile()
	sheet := p.T("excel.sheet.data")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	keep, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}})
	input, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
		Protection: &excelize.Protection{Locked: false}, Border: []excelize.Border{{Type: "bottom", Color: "BFBFBF", Style: 1}}})
	heading := make([]any, numCols)
	for i, col := range dataColumns {
		heading[i] = p.T("excel.col." + col.key)
	}
	if err := f.SetSheetRow(sheet, "A1", &heading); err != nil {
		return nil, err
	}
	last := 1
	for _, r := range p.Rows {
		for m, cell := range r.Cells {
			last++
			row := []any{int(r.Indicator.ID), r.Name, r.Unit, r.Indicator.Target, m + 1, templateStatus(p, &cell), cell.Version, "", "", "", cell.Note}
			if cell.Figure != nil {
				row[colCurrent], row[colValue] = cell.Figure.Value, cell.Figure.Value
			}
			if err := f.SetSheetRow(sheet, cellName(0, last), &row); err != nil {
				return nil, err
			}
			style := keep
			if cell.Editable {
				style = input
			}
			if err := f.SetCellStyle(sheet, cellName(colValue, last), cellName(colNote, last), style); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetCellStyle(sheet, "A1", cellName(numCols-1, 1), head); err != nil {
		return nil, err
	}
	for i, col := range dataColumns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, col.width); err != nil {
			return nil, err
		}
	}
	if err := templateRules(f, p, sheet, last); err != nil {
		return nil, err
	}
	if err := addGuide(f, p, lockDay); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	return f, nil
}

// templateRules freezes the heading, checks the input in Excel as a first
// help (the server checks again), and protects every cell but the input.
func templateRules(f *excelize.File, p *entryPage, sheet string, last int) error {
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if last > 1 {
		value := excelize.NewDataValidation(true)
		value.SetSqref(cellName(colValue, 2) + ":" + cellName(colValue, last))
		if err := value.SetRange(0, float64(models.MaxValue), excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		value.SetError(excelize.DataValidationErrorStyleStop, p.T("excel.col.value"), p.T("excel.rule.value"))
		confirm := excelize.NewDataValidation(true)
		confirm.SetSqref(cellName(colConfirm, 2) + ":" + cellName(colConfirm, last))
		if err := confirm.SetDropList([]string{p.T("excel.yes")}); err != nil {
			return err
		}
		for _, dv := range []*excelize.DataValidation{value, confirm} {
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true})
}

// addGuide writes the instructions sheet.
func addGuide(f *excelize.File, p *entryPage, lockDay int) error {
	guide := p.T("excel.sheet.guide")
	if _, err := f.NewSheet(guide); err != nil {
		return err
	}
	lines := []string{p.T("excel.guide.title", p.Year, p.Dept), "",
		p.T("excel.guide.cells"), p.T("excel.guide.numbers"), p.T("excel.guide.counts"), p.T("excel.guide.months", lockDay),
		p.T("excel.guide.twice"), p.T("excel.guide.clear"), p.T("excel.guide.versions"), p.T("excel.guide.changes"),
		p.T("excel.guide.save"), p.T("excel.guide.csv", MaxUploadBytes>>20, formatNumber(MaxUploadRows))}
	for i, line := range lines {
		if err := f.SetCellStr(guide, cellName(0, i+1), line); err != nil {
			return err
		}
	}
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err := f.SetColWidth(guide, "A", "A", 110); err != nil {
		return err
	}
	if err := f.SetCellStyle(guide, "A2", cellName(0, len(lines)), wrap); err != nil {
		return err
	}
	return f.SetCellStyle(guide, "A1", "A1", title)
}

func templateStatus(p *entryPage, c *entryCell) string {
	switch {
	case c.Future():
		return p.T("excel.future")
	case c.Locked() && !c.Editable:
		return p.T("figure."+c.Status) + " · " + p.T("entry.locked")
	}
	return p.T("figure." + c.Status)
}

// cellName names the cell of a 0-based column and a 1-based row: A1.
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

// sendXLSX sends a workbook named ascii and name (see attachment).
func sendXLSX(c echo.Context, f *excelize.File, ascii, name string) error {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	attachment(c, ascii, name, ".xlsx")
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, xlsxType, buf.Bytes())
}

// exportRow is one figure as the export lists it.
type exportRow struct {
	id, month       int
	name, unit      string
	value, approved *float64
	status, note    string
	by, at          string
}

func exportRows(p *entryPage) ([]string, []exportRow) {
	head := []string{p.T("excel.col.id"), p.T("excel.col.name"), p.T("excel.col.unit"), p.T("excel.col.month"), p.T("excel.col.figure"),
		p.T("excel.col.status"), p.T("excel.col.approved"), p.T("excel.col.note"), p.T("excel.col.by"), p.T("excel.col.at")}
	var out []exportRow
	for _, r := range p.Rows {
		for _, cell := range r.Cells {
			f := cell.Figure
			if f == nil {
				continue
			}
			v := f.Value
			out = append(out, exportRow{id: int(r.Indicator.ID), month: cell.Month, name: r.Name, unit: r.Unit, value: &v, approved: f.Approved,
				status: p.T("figure." + cell.Status), note: f.Note, by: f.UpdatedBy, at: f.UpdatedAt.In(models.KST).Format("2006-01-02 15:04")})
		}
	}
	return head, out
}

// ExportCSV sends a department's figures of a year as CSV (UTF-8 with BOM,
// for Excel), with formula-like cells neutralised.
func (h *Handler) ExportCSV(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	head, rows := exportRows(p)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Write(head)
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return formatValue(*v)
	}
	for _, r := range rows {
		w.Write(safeCSV([]string{strconv.Itoa(r.id), r.name, r.unit, strconv.Itoa(r.month), num(r.value), r.status, num(r.approved), r.note, r.by, r.at}))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	attachment(c, fmt.Sprintf("figures-%d", p.Year), p.T("excel.file.export", p.Year, p.Dept), ".csv")
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// ExportXLSX sends a department's figures of a year as xlsx. Text goes in
// as text, never as a formula.
func (h *Handler) ExportXLSX(c echo.Context) error {
	p, err := h.entryPage(c)
	if err != nil {
		return err
	}
	head, rows := exportRows(p)
	f := excelize.NewFile()
	defer f.Close()
	sheet := p.T("excel.sheet.data")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for i, s := range head {
		f.SetCellStr(sheet, cellName(i, 1), s)
	}
	for i, r := range rows {
		line := i + 2
		f.SetCellInt(sheet, cellName(0, line), int64(r.id))
		f.SetCellStr(sheet, cellName(1, line), r.name)
		f.SetCellStr(sheet, cellName(2, line), r.unit)
		f.SetCellInt(sheet, cellName(3, line), int64(r.month))
		f.SetCellFloat(sheet, cellName(4, line), *r.value, -1, 64)
		f.SetCellStr(sheet, cellName(5, line), r.status)
		if r.approved != nil {
			f.SetCellFloat(sheet, cellName(6, line), *r.approved, -1, 64)
		}
		f.SetCellStr(sheet, cellName(7, line), r.note)
		f.SetCellStr(sheet, cellName(8, line), r.by)
		f.SetCellStr(sheet, cellName(9, line), r.at)
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetCellStyle(sheet, "A1", cellName(len(head)-1, 1), bold)
	f.SetColWidth(sheet, "B", "B", 34)
	f.SetColWidth(sheet, "H", "H", 40)
	f.SetColWidth(sheet, "J", "J", 17)
	return sendXLSX(c, f, fmt.Sprintf("figures-%d", p.Year), p.T("excel.file.export", p.Year, p.Dept))
}
