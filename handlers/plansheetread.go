package handlers

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"jobkpi/models"
)

// maxSheetProblems bounds the problems ReadPlanSheet gathers; past it, it
// stops reading.
const maxSheetProblems = 1000

// PlanSheet is a read spreadsheet: the plan file, and where each record
// and field came from. File is whole only when ReadPlanSheet found no
// problem.
type PlanSheet struct {
	File *models.PlanFile

	tables map[*planTable]*readTable
	guide  *readGuide
	// The row of each record, as the plan file holds them.
	tasks      []int
	programs   [][]int
	indicators [][][]int
	outcomes   []int
}

// SheetCell is a place in the plan spreadsheet: a sheet, a row (1-based,
// as Excel shows it; 0 for the sheet as a whole) and a column by its
// heading text and its cell reference ("" when no column).
type SheetCell struct {
	Sheet  string
	Row    int
	Column string
	Ref    string
}

// SheetProblem is a problem of the spreadsheet's shape or of a cell's
// syntax: where, and its catalogue key and arguments.
type SheetProblem struct {
	Cell SheetCell
	Key  string
	Args []any
}

// String is the problem for logs and tests.
func (p SheetProblem) String() string {
	return fmt.Sprintf("%s!%s (row %d, %q): %s %v", p.Cell.Sheet, p.Cell.Ref, p.Cell.Row, p.Cell.Column, p.Key, p.Args)
}

// readTable is a data sheet as read: where its columns are and its
// non-blank rows.
type readTable struct {
	spec  *planTable
	name  string   // the sheet's name in the file
	head  int      // the heading's row
	at    []int    // the file column of each spec column, -1 if absent
	heads []string // each spec column's heading as the file has it
	rows  []sheetRow
	bad   bool // its shape is wrong: its rows are not read
}

// sheetRow is a non-blank row of a data sheet by spec column.
type sheetRow struct {
	line     int
	cells    []string
	formulas uint64 // spec columns whose cell holds a formula
}

// readGuide is the plan's header block on the guide sheet.
type readGuide struct {
	name      string
	valueHead string
	lines     map[string]int    // item field → row
	values    map[string]string // item field → value
}

// ReadPlanSheet reads an uploaded plan spreadsheet. It returns every
// problem of shape and cell syntax at once; a file that is not a readable
// xlsx gives one problem with no cell and no sheet. It does not validate
// the plan: pf.Validate does, and Locate places its problems.
func ReadPlanSheet(data []byte) (*PlanSheet, []SheetProblem) {
	f, werr := openPlanSheet(data)
	if werr != nil {
		return nil, []SheetProblem{{Key: werr.Key, Args: werr.Args}}
	}
	defer f.Close()
	r := &planReader{f: f, sheets: f.GetSheetList(), formulas: hasFormulas(data), ps: &PlanSheet{tables: map[*planTable]*readTable{}}}
	r.read()
	return r.ps, r.problems
}

// openPlanSheet opens an xlsx file within the upload's unzip limits.
func openPlanSheet(data []byte) (*excelize.File, *webError) {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, &webError{Key: "upload.xls"}
	case !isZip(data):
		return nil, &webError{Key: "upload.xlsx.bad"}
	}
	f, _, werr := openXLSX(data)
	return f, werr
}

type planReader struct {
	f        *excelize.File
	sheets   []string
	ps       *PlanSheet
	problems []SheetProblem
	lines    int  // rows read, over every sheet
	stopped  bool // too many rows or problems: reading stopped
	formulas bool // some sheet has formulas: look for them cell by cell
	fields   map[string]string
}

func (r *planReader) read() {
	r.ps.File = &models.PlanFile{}
	r.fields = r.fieldCodes()
	r.readGuide()
	for _, t := range planTables {
		if rt := r.table(t); rt != nil {
			r.ps.tables[t] = rt
		}
	}
	if r.stopped {
		return
	}
	r.header()
	r.tasksAndPrograms(r.ps.tables[planTasks], r.ps.tables[planPrograms])
	r.outcomeRows(r.ps.tables[planOutcomes])
}

// say adds a problem; past maxSheetProblems it stops reading.
func (r *planReader) say(at SheetCell, key string, args ...any) {
	if r.stopped {
		return
	}
	if len(r.problems) == maxSheetProblems {
		r.problems = append(r.problems, SheetProblem{Cell: at, Key: "plansheet.problems.more", Args: []any{maxSheetProblems}})
		r.stopped = true
		return
	}
	r.problems = append(r.problems, SheetProblem{Cell: at, Key: key, Args: args})
}

// sheet finds a sheet by its name, in any language, ignoring case and
// spaces; "" if the file has none.
func (r *planReader) sheet(name, key string) string {
	for _, s := range r.sheets {
		if s == name {
			return s
		}
	}
	for _, s := range r.sheets {
		n := squash(s)
		if n == squash(name) || slices.ContainsFunc(Languages(), func(l Lang) bool { return n == squash(l.T(key)) }) {
			return s
		}
	}
	return ""
}

// squash is a heading or name folded for matching: lower case, without
// spaces.
func squash(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
}

// rowsOf calls fn with each row of a sheet (raw values) and its row
// number, until fn returns false. It counts the rows towards
// MaxUploadRows and stops past it.
func (r *planReader) rowsOf(sheet string, fn func(cells []string, line int) bool) {
	rows, err := r.f.Rows(sheet)
	if err != nil {
		r.say(SheetCell{Sheet: sheet}, "upload.unreadable")
		return
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		if r.lines+line > MaxUploadRows {
			r.say(SheetCell{Sheet: sheet, Row: line}, "upload.rows", formatNumber(MaxUploadRows))
			r.stopped = true
			return
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			r.say(SheetCell{Sheet: sheet, Row: line}, "upload.unreadable")
			return
		}
		if !fn(cells, line) || r.stopped {
			break
		}
	}
	r.lines += line
	if rows.Error() != nil {
		r.say(SheetCell{Sheet: sheet, Row: line}, "upload.unreadable")
	}
}

// table reads a data sheet: the heading in its first non-blank row, then
// its non-blank rows, and marks the cells that hold formulas.
func (r *planReader) table(t *planTable) *readTable {
	name := r.sheet(t.name, "plansheet.sheet."+t.key)
	if name == "" {
		if t.required {
			r.say(SheetCell{Sheet: t.name}, "plansheet.sheet.missing", t.label())
		}
		return nil
	}
	rt := &readTable{spec: t, name: name}
	r.rowsOf(name, func(cells []string, line int) bool {
		if blank(cells) {
			return true
		}
		if rt.at == nil {
			r.heading(rt, cells, line)
			return !rt.bad
		}
		row := sheetRow{line: line, cells: make([]string, len(t.columns))}
		empty := true
		for i, at := range rt.at {
			if at >= 0 && at < len(cells) {
				row.cells[i] = strings.TrimSpace(cells[at])
				empty = empty && row.cells[i] == ""
			}
		}
		if !empty {
			rt.rows = append(rt.rows, row)
		}
		return true
	})
	if rt.at == nil {
		if t.required {
			r.say(SheetCell{Sheet: name}, "plansheet.sheet.empty", t.label())
		}
		rt.bad = true
	}
	if rt.bad {
		rt.rows = nil
		return rt
	}
	r.markFormulas(rt)
	return rt
}

// heading maps the spec columns to the file's by their headings, written
// whole or in one language. Other columns are left alone; a missing or a
// repeated column is a problem.
func (r *planReader) heading(rt *readTable, cells []string, line int) {
	t := rt.spec
	rt.head = line
	rt.at = make([]int, len(t.columns))
	rt.heads = make([]string, len(t.columns))
	names := map[string]int{}
	for i, c := range t.columns {
		rt.at[i] = -1
		rt.heads[i] = c.heading()
		names[squash(c.heading())] = i
		for _, l := range Languages() {
			names[squash(l.T("plansheet.col."+c.key, c.args...))] = i
		}
	}
	for at, s := range cells {
		i, ok := names[squash(strings.TrimPrefix(s, "\ufeff"))]
		switch {
		case !ok:
		case rt.at[i] >= 0:
			if t.required {
				r.say(SheetCell{Sheet: rt.name, Row: line, Column: strings.TrimSpace(s), Ref: cellName(at, line)}, "plansheet.col.twice", t.columns[i].name())
			}
			rt.bad = true
		default:
			rt.at[i], rt.heads[i] = at, strings.TrimSpace(s)
		}
	}
	for i, c := range t.columns {
		if rt.at[i] < 0 {
			if t.required {
				r.say(SheetCell{Sheet: rt.name, Row: line, Column: c.heading()}, "plansheet.col.missing", c.name())
			}
			rt.bad = true
		}
	}
}

// markFormulas finds the read cells that hold a formula: the row reader
// sees only their last computed values.
func (r *planReader) markFormulas(rt *readTable) {
	if !r.formulas {
		return
	}
	for n := range rt.rows {
		row := &rt.rows[n]
		for i, at := range rt.at {
			if formula, err := r.f.GetCellFormula(rt.name, cellName(at, row.line)); err == nil && formula != "" {
				row.formulas |= 1 << i
				r.say(rt.cell(i, row.line), "plansheet.formula")
			}
		}
	}
}

// hasFormulas reports whether any worksheet of an xlsx file (a part with
// sheetData) has a formula among its cells, or might have: looking for
// them cell by cell parses each whole sheet, which most files can skip.
func hasFormulas(data []byte) bool {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return true
	}
	for _, zf := range z.File {
		if !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return true
		}
		part, err := io.ReadAll(io.LimitReader(rc, unzipLimit))
		rc.Close()
		if err != nil || formulaElement(part) {
			return true
		}
	}
	return false
}

// formulaElement reports whether the sheetData of a part has an f element
// (with any namespace prefix).
func formulaElement(part []byte) bool {
	start, end := bytes.Index(part, []byte("sheetData")), bytes.LastIndex(part, []byte("sheetData"))
	if start < 0 {
		return false
	}
	part = part[start:end]
	for {
		i := bytes.IndexByte(part, '<')
		if i < 0 {
			return false
		}
		part = part[i+1:]
		name := part
		if j := bytes.IndexAny(part, " \t\r\n/>"); j >= 0 {
			name = part[:j]
		}
		if k := bytes.LastIndexByte(name, ':'); k >= 0 {
			name = name[k+1:]
		}
		if string(name) == "f" {
			return true
		}
	}
}

func (rt *readTable) cell(i, line int) SheetCell {
	return SheetCell{Sheet: rt.name, Row: line, Column: rt.heads[i], Ref: cellName(rt.at[i], line)}
}

// fieldCodes maps each 분야 of the lists sheet, by its name in either
// language or its code, to its code.
func (r *planReader) fieldCodes() map[string]string {
	codes := map[string]string{}
	rt := r.table(planLists)
	if rt == nil || rt.bad {
		return codes
	}
	for _, row := range rt.rows {
		code := row.cells[planLists.index["field.code"]]
		if code == "" {
			continue
		}
		for _, id := range []string{"field", "field.en", "field.code"} {
			if name := squash(row.cells[planLists.index[id]]); name != "" {
				codes[name] = code
			}
		}
	}
	return codes
}

// readGuide reads the header block of the guide sheet: each item's label
// in the first column, its value in the second.
func (r *planReader) readGuide() {
	name := r.sheet(planSheetGuide, "plansheet.sheet.guide")
	if name == "" {
		r.say(SheetCell{Sheet: planSheetGuide}, "plansheet.sheet.missing", keyList{"plansheet.sheet.guide"})
		return
	}
	g := &readGuide{name: name, valueHead: planHeading("plansheet.col.value"), lines: map[string]int{}, values: map[string]string{}}
	labels := map[string]string{}
	for _, it := range planItems {
		labels[squash(planHeading("plansheet.item."+it.key))] = it.field
		for _, l := range Languages() {
			labels[squash(l.T("plansheet.item."+it.key))] = it.field
		}
	}
	r.rowsOf(name, func(cells []string, line int) bool {
		if len(cells) == 0 {
			return true
		}
		field, ok := labels[squash(cells[0])]
		if !ok || g.lines[field] > 0 {
			return true
		}
		g.lines[field] = line
		if len(cells) > 1 {
			g.values[field] = strings.TrimSpace(cells[1])
		}
		return len(g.lines) < len(planItems)
	})
	for _, it := range planItems {
		line := g.lines[it.field]
		if line == 0 {
			r.say(SheetCell{Sheet: name}, "plansheet.item.missing", models.PlanText{Ko: Korean.T("plansheet.item." + it.key),
				En: English.T("plansheet.item." + it.key)}, keyList{"plansheet.sheet.guide"})
			continue
		}
		if formula, err := r.f.GetCellFormula(name, cellName(1, line)); r.formulas && err == nil && formula != "" {
			r.say(g.cell(it.field), "plansheet.formula")
			g.values[it.field] = ""
		}
	}
	r.ps.guide = g
}

func (g *readGuide) cell(field string) SheetCell {
	line := g.lines[field]
	return SheetCell{Sheet: g.name, Row: line, Column: g.valueHead, Ref: cellName(1, line)}
}

// header takes the plan's header from the guide sheet.
func (r *planReader) header() {
	g := r.ps.guide
	if g == nil {
		return
	}
	pf := r.ps.File
	pf.City, pf.CityEn = g.values["city"], g.values["city_en"]
	pf.Title, pf.TitleEn = g.values["title"], g.values["title_en"]
	pf.Vision, pf.VisionEn = g.values["vision"], g.values["vision_en"]
	if s := g.values["year"]; s != "" {
		if y, ok := parseSheetYear(s); ok {
			pf.Year = y
		} else {
			r.say(g.cell("year"), "plansheet.year", shown(s))
		}
	}
}

// rowReader reads the cells of a row, saying what is wrong with them.
type rowReader struct {
	r   *planReader
	t   *readTable
	row *sheetRow
}

// raw is a cell's text and its column; ok is false when the cell is empty
// or holds a formula (already a problem).
func (c rowReader) raw(id string) (string, int, bool) {
	i := c.t.spec.index[id]
	s := c.row.cells[i]
	return s, i, s != "" && c.row.formulas&(1<<i) == 0
}

func (c rowReader) bad(i int, key string, args ...any) {
	c.r.say(c.t.cell(i, c.row.line), key, args...)
}

func (c rowReader) text(id string) string {
	s, _, ok := c.raw(id)
	if !ok {
		return ""
	}
	return s
}

// number is a cell's number, nil when empty. A number may be written as
// text, with thousands separators.
func (c rowReader) number(id string) (*float64, bool) {
	s, i, ok := c.raw(id)
	if !ok {
		return nil, c.row.formulas&(1<<i) == 0
	}
	v, ok := parseSheetNumber(s)
	if !ok {
		c.bad(i, "plansheet.number", shown(s))
		return nil, false
	}
	return &v, true
}

func (c rowReader) num(id string) *float64 {
	v, _ := c.number(id)
	return v
}

func (c rowReader) id(id string) uint {
	s, i, ok := c.raw(id)
	if !ok {
		return 0
	}
	v, ok := parseSheetNumber(s)
	if !ok || v < 1 || v > math.MaxUint32 || v != math.Trunc(v) {
		c.bad(i, "plansheet.id", shown(s))
		return 0
	}
	return uint(v)
}

func (c rowReader) year(id string) int {
	s, i, ok := c.raw(id)
	if !ok {
		return 0
	}
	y, ok := parseSheetYear(s)
	if !ok {
		c.bad(i, "plansheet.year", shown(s))
	}
	return y
}

func (c rowReader) yesNo(id string) bool {
	s, i, ok := c.raw(id)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "y", "yes", "예", "o", "true", "1":
		return true
	case "n", "no", "아니오", "아니요", "x", "false", "0":
		return false
	}
	c.bad(i, "plansheet.yesno", shown(s))
	return false
}

func (c rowReader) mark(id string) bool {
	s, i, ok := c.raw(id)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "o", "○", "◯", "●", "v", "✓", "✔", "y":
		return true
	case "x", "n":
		return false
	}
	c.bad(i, "plansheet.mark", shown(s))
	return false
}

// choice is the code a cell chooses: the code itself or its label
// (prefix+code in the catalogue) in any language.
func (c rowReader) choice(id, prefix string, codes []string) string {
	s, i, ok := c.raw(id)
	if !ok {
		return ""
	}
	for _, code := range codes {
		if strings.EqualFold(s, code) || inAnyLanguage(s, prefix+code) {
			return code
		}
	}
	labels := make(keyList, len(codes))
	for j, code := range codes {
		labels[j] = prefix + code
	}
	c.bad(i, "plansheet.choice", labels, shown(s))
	return ""
}

func (c rowReader) date(id string) string {
	s, i, ok := c.raw(id)
	if !ok {
		return ""
	}
	d, ok := parseSheetDate(s)
	if !ok {
		c.bad(i, "plansheet.date", shown(s))
	}
	return d
}

func (c rowReader) source() models.Source {
	return models.Source{SourceRef: c.text("source.ref"), SourceQuote: c.text("source.quote")}
}

// ids finds the IDs given twice in a sheet.
type ids map[uint]int

func (seen ids) check(c rowReader, id uint) {
	if id == 0 {
		return
	}
	if first, dup := seen[id]; dup {
		c.bad(c.t.spec.index["id"], "plansheet.id.twice", first)
		return
	}
	seen[id] = c.row.line
}

// tasksAndPrograms reads the tasks, their programmes by task code and
// the programmes' indicators by programme ID or name.
func (r *planReader) tasksAndPrograms(tasks, programs *readTable) {
	pf := r.ps.File
	byCode := map[string]int{}
	if tasks != nil && !tasks.bad {
		seen := ids{}
		for n := range tasks.rows {
			c := rowReader{r, tasks, &tasks.rows[n]}
			t := models.TaskFile{ID: c.id("id"), Code: c.text("task.code"), Name: c.text("task.name"), NameEn: c.text("task.name_en")}
			seen.check(c, t.ID)
			if _, dup := byCode[t.Code]; !dup {
				byCode[t.Code] = len(pf.Tasks)
			}
			pf.Tasks = append(pf.Tasks, t)
			r.ps.tasks = append(r.ps.tasks, c.row.line)
		}
	}
	r.ps.programs = make([][]int, len(pf.Tasks))
	r.ps.indicators = make([][][]int, len(pf.Tasks))
	if programs == nil || programs.bad {
		r.indicatorRows(nil)
		return
	}
	// placed is where each programme row went: task and position, or -1.
	placed := make([][2]int, len(programs.rows))
	find := programRows{byID: map[uint]int{}, byName: map[string][]int{}}
	seen := ids{}
	for n := range programs.rows {
		c := rowReader{r, programs, &programs.rows[n]}
		p := r.program(c)
		seen.check(c, p.ID)
		if _, dup := find.byID[p.ID]; !dup && p.ID > 0 {
			find.byID[p.ID] = n
		}
		find.byName[p.Name] = append(find.byName[p.Name], n)
		placed[n] = [2]int{-1, -1}
		code, i, _ := c.raw("task.code")
		ti, ok := byCode[code]
		switch {
		case tasks == nil || tasks.bad:
			continue
		case code == "":
			c.bad(i, "plansheet.task.missing", planTasks.label())
			continue
		case !ok:
			c.bad(i, "plansheet.task.unknown", shown(code), planTasks.label())
			continue
		}
		placed[n] = [2]int{ti, len(pf.Tasks[ti].Programs)}
		pf.Tasks[ti].Programs = append(pf.Tasks[ti].Programs, p)
		r.ps.programs[ti] = append(r.ps.programs[ti], c.row.line)
		r.ps.indicators[ti] = append(r.ps.indicators[ti], nil)
	}
	r.indicatorRows(func(c rowReader, ind models.IndicatorFile) {
		n := find.of(c)
		if n < 0 || placed[n][0] < 0 {
			return
		}
		ti, pj := placed[n][0], placed[n][1]
		prog := &pf.Tasks[ti].Programs[pj]
		prog.Indicators = append(prog.Indicators, ind)
		r.ps.indicators[ti][pj] = append(r.ps.indicators[ti][pj], c.row.line)
	})
}

func (r *planReader) program(c rowReader) models.ProgramFile {
	p := models.ProgramFile{ID: c.id("id"), Name: c.text("program.name"), NameEn: c.text("program.name_en"),
		Description: c.text("description"), DescriptionEn: c.text("description_en"), Department: c.text("department"),
		New: c.yesNo("new"), Classified: c.yesNo("classified"), Source: c.source()}
	if s := c.text("field"); s != "" {
		p.Field = s
		if code, ok := r.fields[squash(s)]; ok {
			p.Field = code
		}
	}
	for _, g := range models.Groups {
		if c.mark("group." + string(g)) {
			p.Groups = append(p.Groups, string(g))
		}
	}
	p.Budget = models.Budget{National: c.num("budget.national"), Provincial: c.num("budget.provincial"),
		City: c.num("budget.city"), Other: c.num("budget.other")}
	return p
}

// programRows finds the programme rows by ID and by name.
type programRows struct {
	byID   map[uint]int
	byName map[string][]int
}

// of is the programme row of an indicator row: by programme ID when
// given, else by a name that exactly one programme row has; -1 (a
// problem) if none.
func (p programRows) of(c rowReader) int {
	if s, i, ok := c.raw("program.id"); ok {
		id := c.id("program.id")
		if id == 0 {
			return -1
		}
		if n, ok := p.byID[id]; ok {
			return n
		}
		c.bad(i, "plansheet.program.unknown.id", shown(s), planPrograms.label())
		return -1
	}
	name, i, ok := c.raw("program.name")
	if !ok {
		c.bad(i, "plansheet.program.missing")
		return -1
	}
	switch rows := p.byName[name]; len(rows) {
	case 0:
		c.bad(i, "plansheet.program.unknown.name", shown(name), planPrograms.label())
		return -1
	case 1:
		return rows[0]
	default:
		c.bad(i, "plansheet.program.ambiguous", shown(name), planPrograms.label(), len(rows))
		return -1
	}
}

// indicatorRows reads the indicator rows and hands each to place (nil when
// the programmes could not be read).
func (r *planReader) indicatorRows(place func(rowReader, models.IndicatorFile)) {
	rt := r.ps.tables[planIndicators]
	if rt == nil || rt.bad {
		return
	}
	seen := ids{}
	for n := range rt.rows {
		c := rowReader{r, rt, &rt.rows[n]}
		ind := models.IndicatorFile{ID: c.id("id"), Name: c.text("indicator.name"), NameEn: c.text("indicator.name_en"),
			Unit: c.text("unit"), UnitEn: c.text("unit_en"), Headline: c.yesNo("headline"),
			Target: c.num("target"), Baseline: c.num("baseline"), BaselineYear: c.year("baseline_year"),
			TargetNote: c.text("target_note"), TargetNoteEn: c.text("target_note_en"), Pacing: c.pacing(),
			Due: c.date("due"), Weight: c.num("weight"), Source: c.source()}
		ind.Basis = models.Basis(c.choice("basis", "plansheet.basis.", codes(planBases)))
		ind.Kind = models.Kind(c.choice("kind", "plansheet.kind.", codes(planKinds)))
		seen.check(c, ind.ID)
		if place != nil {
			place(c, ind)
		}
		if r.stopped {
			return
		}
	}
}

func codes[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// pacing is the monthly plan: 12 cumulative values or none.
func (c rowReader) pacing() json.RawMessage {
	values := make([]float64, 0, models.Months)
	firstEmpty := -1
	ok := true
	for m := 1; m <= models.Months; m++ {
		id := fmt.Sprintf("month.%d", m)
		v, good := c.number(id)
		ok = ok && good
		switch {
		case v != nil:
			values = append(values, *v)
		case good && firstEmpty < 0:
			firstEmpty = c.t.spec.index[id]
		}
	}
	switch {
	case !ok || len(values) == 0:
		return nil
	case len(values) < models.Months:
		c.bad(firstEmpty, "plansheet.months.partial")
		return nil
	}
	b, _ := json.Marshal(values)
	return b
}

func (r *planReader) outcomeRows(rt *readTable) {
	if rt == nil || rt.bad {
		return
	}
	seen := ids{}
	for n := range rt.rows {
		c := rowReader{r, rt, &rt.rows[n]}
		o := models.OutcomeFile{ID: c.id("id"), Code: c.text("outcome.code"), Name: c.text("indicator.name"),
			NameEn: c.text("indicator.name_en"), Unit: c.text("unit"), UnitEn: c.text("unit_en"),
			Target: c.num("target"), Baseline: c.num("baseline"), BaselineYear: c.year("baseline_year"), Source: c.source()}
		seen.check(c, o.ID)
		r.ps.File.Outcomes = append(r.ps.File.Outcomes, o)
		r.ps.outcomes = append(r.ps.outcomes, c.row.line)
	}
}

// parseSheetNumber reads a number as a cell holds it or as it was typed:
// "1500", "1,500", " 1 500 ", "-3.5".
func parseSheetNumber(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ',' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

func parseSheetYear(s string) (int, bool) {
	v, ok := parseSheetNumber(s)
	if !ok || v != math.Trunc(v) || v < 1000 || v > 9999 {
		return 0, false
	}
	return int(v), true
}

// excelDateMin is the first Excel date number read as a date (1927-05-18):
// smaller numbers are more likely typing slips.
const excelDateMin = 10000

// parseSheetDate reads a date as YYYY-MM-DD: an Excel date, or text such
// as 2020-03-31, 2020.3.31. or 2020/3/31.
func parseSheetDate(s string) (string, bool) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v < excelDateMin || v > 2958465 { // 9999-12-31
			return "", false
		}
		t, err := excelize.ExcelDateToTime(math.Floor(v), false)
		return t.Format(time.DateOnly), err == nil
	}
	s = strings.TrimSuffix(strings.ReplaceAll(s, " ", ""), ".")
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '.' || r == '/' })
	if len(parts) != 3 || len(parts[0]) != 4 {
		return "", false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 2 && i > 0 {
			return "", false
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// shown is a cell's text as a message quotes it: cut short when long.
func shown(s string) string {
	const most = 40
	if utf8.RuneCountInString(s) <= most {
		return s
	}
	return string([]rune(s)[:most]) + "…"
}

// planPath is a models.Problem path of a plan file's record and field.
var planPath = regexp.MustCompile(`^(?:tasks\[(\d+)\](?:\.programs\[(\d+)\](?:\.indicators\[(\d+)\])?)?|outcomes\[(\d+)\])(?:\.(.+))?$`)

// Locate turns a models.Problem path such as
// "tasks[1].programs[0].indicators[2].target", "outcomes[0].unit" or
// "year" into the sheet, row and column heading where the value was; ok
// is false if the path names nothing the sheet holds. A field the sheet
// does not carry gives the record's row with no column.
func (s *PlanSheet) Locate(path string) (SheetCell, bool) {
	if s.guide != nil {
		if line := s.guide.lines[path]; line > 0 {
			return s.guide.cell(path), true
		}
	}
	if path == "tasks" {
		if rt := s.tables[planTasks]; rt != nil && !rt.bad {
			return SheetCell{Sheet: rt.name, Row: rt.head + 1}, true
		}
		return SheetCell{}, false
	}
	m := planPath.FindStringSubmatch(path)
	if m == nil {
		return SheetCell{}, false
	}
	idx := func(i int) int {
		n, err := strconv.Atoi(m[i])
		if err != nil {
			return -1
		}
		return n
	}
	var t *planTable
	line := 0
	switch ti, pj, ik, oi := idx(1), idx(2), idx(3), idx(4); {
	case oi >= 0:
		t, line = planOutcomes, at(s.outcomes, oi)
	case ik >= 0:
		if ti < len(s.indicators) && pj < len(s.indicators[ti]) {
			t, line = planIndicators, at(s.indicators[ti][pj], ik)
		}
	case pj >= 0:
		if ti < len(s.programs) {
			t, line = planPrograms, at(s.programs[ti], pj)
		}
	default:
		t, line = planTasks, at(s.tasks, ti)
	}
	rt := s.tables[t]
	if line == 0 || rt == nil {
		return SheetCell{}, false
	}
	cell := SheetCell{Sheet: rt.name, Row: line}
	for i, c := range t.columns {
		if m[5] != "" && c.field == m[5] {
			return rt.cell(i, line), true
		}
	}
	return cell, true
}

// at is the row of the n-th record, 0 if none.
func at(rows []int, n int) int {
	if n < 0 || n >= len(rows) {
		return 0
	}
	return rows[n]
}
