package handlers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/korean"

	"jobkpi/models"
)

// rowSource yields the rows of the data sheet with their row numbers in
// the file, and io.EOF at the end.
type rowSource func() (cells []string, line int, err error)

// readUpload reads the data sheet of an xlsx or CSV file into rows of the
// data columns.
func readUpload(job *importJob, data []byte) (*importResult, *webError) {
	res := &importResult{format: "csv", sheet: "CSV"}
	var next rowSource
	var werr *webError
	var f *excelize.File
	if isZip(data) {
		res.format = "xlsx"
		f, res.sheet, werr = openXLSX(data)
		if werr != nil {
			return nil, werr
		}
		defer f.Close()
		var rows *excelize.Rows
		rows, next, werr = xlsxRows(f, res.sheet, job)
		if rows != nil {
			defer rows.Close()
		}
	} else {
		next, res.format, werr = csvRows(data, job)
	}
	if werr != nil {
		return nil, werr
	}
	if werr := readRows(res, next, job); werr != nil {
		return nil, werr
	}
	if f != nil {
		markFormulas(f, res)
	}
	return res, nil
}

// markFormulas finds formula cells among the input of changed rows: the
// row reader sees only their last computed values.
func markFormulas(f *excelize.File, res *importResult) {
	for _, r := range res.table {
		if sameValue(r.cells[colCurrent], r.cells[colValue]) {
			continue
		}
		for _, col := range []int{colValue, colNote} {
			if at := res.cols[col]; at >= 0 {
				if formula, err := f.GetCellFormula(res.sheet, cellName(at, r.line)); err == nil && formula != "" {
					res.formulas = append(res.formulas, [2]int{r.line, col})
				}
			}
		}
	}
}

func openXLSX(data []byte) (*excelize.File, string, *webError) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, "", &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.unzip", Args: []any{unzipLimit >> 20}}
		}
		return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.xlsx.bad"}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.xlsx.bad"}
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if inAnyLanguage(s, "excel.sheet.data") {
			sheet = s
		}
	}
	return f, sheet, nil
}

func xlsxRows(f *excelize.File, sheet string, job *importJob) (*excelize.Rows, rowSource, *webError) {
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, end, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(end); err == nil {
				job.total.Store(int64(min(row, MaxUploadRows+1)))
			}
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, &webError{Status: http.StatusUnprocessableEntity, Key: "upload.xlsx.bad"}
	}
	line := 0
	return rows, func() ([]string, int, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, line, err
			}
			return nil, line, io.EOF
		}
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		return cells, line, err
	}, nil
}

// csvRows reads UTF-8, with or without a BOM, or else EUC-KR (CP949).
func csvRows(data []byte, job *importJob) (rowSource, string, *webError) {
	format := "csv"
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		dec, err := korean.EUCKR.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return nil, "", &webError{Status: http.StatusUnprocessableEntity, Key: "upload.encoding"}
		}
		data, format = dec, "csv-euckr"
	}
	job.total.Store(int64(min(bytes.Count(data, []byte("\n"))+1, MaxUploadRows+1)))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	return func() ([]string, int, error) {
		rec, err := r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, pe.Line, &webError{Status: http.StatusUnprocessableEntity, Key: "upload.csv.bad", Args: []any{pe.Line}}
			}
			return nil, 0, err
		}
		line, _ := r.FieldPos(0)
		return rec, line, nil
	}, format, nil
}

// readRows finds the heading in the first non-empty row, maps it to the
// data columns, and keeps each later non-empty row's data cells.
func readRows(res *importResult, next rowSource, job *importJob) *webError {
	var rows []tableRow
	heading := false
	for n := 1; ; n++ {
		cells, line, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		var werr *webError
		if errors.As(err, &werr) {
			return werr
		}
		if err != nil {
			return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.unreadable"}
		}
		if n > MaxUploadRows || line > MaxUploadRows {
			return &webError{Status: http.StatusRequestEntityTooLarge, Key: "upload.rows", Args: []any{formatNumber(MaxUploadRows)}}
		}
		job.read.Store(int64(n))
		if blank(cells) {
			continue
		}
		if !heading {
			if werr := mapHeading(res, cells); werr != nil {
				return werr
			}
			heading = true
			continue
		}
		var row tableRow
		row.line = line
		for i, at := range res.cols {
			if at >= 0 && at < len(cells) {
				row.cells[i] = strings.TrimSpace(cells[at])
			}
		}
		rows = append(rows, row)
	}
	if !heading {
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.empty"}
	}
	res.rows = len(rows)
	res.table = rows
	return nil
}

// tableRow is a row of the data sheet reduced to the data columns.
type tableRow struct {
	line  int
	cells [numCols]string
}

func blank(cells []string) bool {
	for _, s := range cells {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// mapHeading finds each data column by its heading, in either language,
// and refuses unknown, repeated or missing columns.
func mapHeading(res *importResult, cells []string) *webError {
	for i := range res.cols {
		res.cols[i] = -1
	}
	var unknown []string
	for at, s := range cells {
		s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
		if s == "" {
			continue
		}
		col := slices.IndexFunc(dataColumns[:], func(c sheetColumn) bool {
			return inAnyLanguage(s, "excel.col."+c.key)
		})
		switch {
		case col < 0:
			unknown = append(unknown, s)
		case res.cols[col] >= 0:
			return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.col.twice", Args: []any{s}}
		default:
			res.cols[col] = at
		}
	}
	if len(unknown) > 0 {
		if len(unknown) > 5 {
			unknown = append(unknown[:5], "…")
		}
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.col.unknown", Args: []any{strings.Join(unknown, ", ")}}
	}
	var missing keyList
	for i, c := range dataColumns {
		if c.required && res.cols[i] < 0 {
			missing = append(missing, "excel.col."+c.key)
		}
	}
	if len(missing) > 0 {
		return &webError{Status: http.StatusUnprocessableEntity, Key: "upload.col.missing", Args: []any{missing}}
	}
	return nil
}

// compare finds the rows whose value differs from what the template
// carried, and what is wrong with them that the store would not see.
func compare(res *importResult, job *importJob, rows []entryRow) {
	type key struct{ id, month int }
	cells := map[key]*entryRow{}
	for i := range rows {
		for m := 1; m <= models.Months; m++ {
			cells[key{int(rows[i].Indicator.ID), m}] = &rows[i]
		}
	}
	seen := map[key]int{}
	t := job.lang.T
	for _, r := range res.table {
		c := r.cells
		id, ok := parseSmallInt(c[colID], 9)
		if !ok {
			res.fail(r.line, colID, t("upload.bad.id"))
			continue
		}
		m, ok := parseSmallInt(c[colMonth], 2)
		if !ok || m < 1 || m > models.Months {
			res.fail(r.line, colMonth, t("error.month"))
			continue
		}
		k := key{id, m}
		row := cells[k]
		if row == nil {
			res.fail(r.line, colID, t("upload.not.dept"))
			continue
		}
		if prev, dup := seen[k]; dup {
			res.fail(r.line, colID, t("upload.twice", prev))
			continue
		}
		seen[k] = r.line
		cell := &row.Cells[m-1]
		// A value equal to what the template carried, or to what is
		// stored now (the same file uploaded again after saving), is no
		// change.
		f := cell.Figure
		if sameValue(c[colCurrent], c[colValue]) || f != nil && sameValue(formatValue(f.Value), c[colValue]) {
			if f != nil && c[colNote] != f.Note && strconv.Itoa(f.Version) == c[colVersion] {
				res.noteOnly++
			}
			continue
		}
		in := changeInput(res, t, r, job.year)
		res.changes = append(res.changes, importChange{line: r.line, ind: row.Indicator, old: cell.Original, in: in})
	}
	res.table = nil
}

// changeInput checks a changed row's own cells and builds its input.
func changeInput(res *importResult, t func(string, ...any) string, r tableRow, year int) models.FigureInput {
	c := r.cells
	id, _ := parseSmallInt(c[colID], 9)
	m, _ := parseSmallInt(c[colMonth], 2)
	in := models.FigureInput{IndicatorID: uint(id), Year: year, Month: m, Value: c[colValue], Typed: models.Typed, Note: c[colNote]}
	bad := func(col int, key string) { res.fail(r.line, col, t(key)) }
	var ok bool
	if in.Version, ok = parseSmallInt(c[colVersion], 9); !ok {
		bad(colVersion, "upload.bad.version")
	}
	switch {
	case in.Value == "":
		bad(colValue, "entry.no.clear")
	case formulaLike(in.Value) && !negative(in.Value):
		bad(colValue, "upload.formula") // a negative number is the store's to refuse, as in the grid
	}
	if formulaLike(in.Note) {
		bad(colNote, "upload.formula")
	}
	for _, at := range res.formulas {
		if at[0] == r.line {
			bad(at[1], "upload.formula")
		}
	}
	switch v := strings.ToLower(c[colConfirm]); {
	case v == "":
	case inAnyLanguage(v, "excel.yes"), slices.Contains([]string{"y", "o", "1", "true", "v", "✓", "✔"}, v):
		in.Confirm = true
	default:
		bad(colConfirm, "upload.bad.confirm")
	}
	return in
}

// sameValue reports whether an input cell equals what the template
// carried: the same text, or the same number read as typed.
func sameValue(carried, value string) bool {
	if carried == value {
		return true
	}
	a, err := strconv.ParseFloat(carried, 64)
	b, bad := models.ParseValue(value, models.Typed)
	return err == nil && bad == nil && a == b
}

// negative is a cell that starts as a negative number does.
func negative(s string) bool { return len(s) > 1 && s[0] == '-' && s[1] >= '0' && s[1] <= '9' }

// formulaLike is a cell a spreadsheet would read as a formula.
func formulaLike(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}
