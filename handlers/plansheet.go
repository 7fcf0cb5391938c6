package handlers

// The plan spreadsheet: a city's yearly plan as an xlsx file that officials
// download, fill in and upload. Each record is a row of its sheet (과제,
// 세부사업, 지표, 공통목표) with its ID first, in plan order; the plan's own
// header is a block of labelled cells on the guide sheet, and a hidden
// sheet holds the drop-down lists. WritePlanSheet writes it; ReadPlanSheet
// (plansheetread.go) reads it back. The sheet carries every field of the
// plan's content, the programmes' Classified included (column 분류 지정);
// not the facts, figures, milestone progress, outcome results, the plan's
// and the tasks' sources or the publication date.

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"jobkpi/models"
)

// The sheets of the plan spreadsheet, by their names in the file.
const (
	planSheetGuide      = "입력 안내"
	planSheetTasks      = "과제"
	planSheetPrograms   = "세부사업"
	planSheetIndicators = "지표"
	planSheetOutcomes   = "공통목표"
	planSheetLists      = "목록"
)

// The marks of the plan sheet's coded cells.
const (
	planYes  = "Y"
	planNo   = "N"
	planMark = "O"
)

// PlanSheetLists are the choices the sheet offers in its drop-down lists.
type PlanSheetLists struct {
	Fields      []models.ProgramField // 분야: Code, Name, NameEn
	Departments []string              // the department list; other departments are still accepted
}

// planCellType is how a column's cells are written and read.
type planCellType int

const (
	planCellText planCellType = iota
	planCellID
	planCellNumber
	planCellYear
	planCellYesNo
	planCellMark
	planCellDate
	planCellField
	planCellBasis
	planCellKind
	planCellDepartment
)

// planColumn is a column of a plan sheet. Its heading is the catalogue
// message "plansheet.col."+key (with args) in Korean, then in English in
// parentheses; field is the field of a models.Problem path that names its
// cell, such as "target" or "budget.city".
type planColumn struct {
	id    string // the column among its sheet's: key, or key.arg
	key   string
	args  []any
	field string
	width float64
	kind  planCellType
}

func column(key, field string, width float64, kind planCellType) planColumn {
	return planColumn{id: key, key: key, field: field, width: width, kind: kind}
}

// heading is the column's heading as the sheet writes it.
func (c planColumn) heading() string { return planHeading("plansheet.col."+c.key, c.args...) }

// name is the column's heading as a message argument, in the reader's
// language.
func (c planColumn) name() models.PlanText {
	return models.PlanText{Ko: Korean.T("plansheet.col."+c.key, c.args...), En: English.T("plansheet.col."+c.key, c.args...)}
}

// planHeading is a heading in Korean with the English in parentheses.
func planHeading(key string, args ...any) string {
	ko, en := Korean.T(key, args...), English.T(key, args...)
	if ko == en {
		return ko
	}
	return ko + " (" + en + ")"
}

// planTable is a data sheet of the plan spreadsheet: one record a row.
type planTable struct {
	name     string // the sheet's name in the file
	key      string // plansheet.sheet.<key> names it in messages
	required bool
	columns  []planColumn
	index    map[string]int // column id → position in columns
}

func newPlanTable(name, key string, required bool, cols ...planColumn) *planTable {
	t := &planTable{name: name, key: key, required: required, columns: cols, index: map[string]int{}}
	for i, c := range cols {
		t.index[c.id] = i
	}
	return t
}

// label names the sheet as a message argument.
func (t *planTable) label() keyList { return keyList{"plansheet.sheet." + t.key} }

func sourceColumns() []planColumn {
	return []planColumn{column("source.ref", "source.ref", 36, planCellText), column("source.quote", "source.quote", 48, planCellText)}
}

func groupColumns() []planColumn {
	var out []planColumn
	for i, g := range models.Groups {
		c := planColumn{id: "group." + string(g), key: "group", args: []any{keyList{"group." + string(g)}}, width: 9, kind: planCellMark}
		if i == 0 {
			c.field = "groups"
		}
		out = append(out, c)
	}
	return out
}

func monthColumns() []planColumn {
	var out []planColumn
	for m := 1; m <= models.Months; m++ {
		c := planColumn{id: fmt.Sprintf("month.%d", m), key: "month", args: []any{m}, width: 8, kind: planCellNumber}
		if m == 1 {
			c.field = "pacing"
		}
		out = append(out, c)
	}
	return out
}

var (
	planTasks = newPlanTable(planSheetTasks, "tasks", true,
		column("id", "id", 8, planCellID), column("task.code", "code", 10, planCellText),
		column("task.name", "name", 40, planCellText), column("task.name_en", "name_en", 40, planCellText))
	planPrograms = newPlanTable(planSheetPrograms, "programs", true, concat(
		[]planColumn{column("id", "id", 8, planCellID), column("task.code", "", 10, planCellText),
			column("program.name", "name", 36, planCellText), column("program.name_en", "name_en", 36, planCellText),
			column("description", "description", 48, planCellText), column("description_en", "description_en", 48, planCellText),
			column("department", "department", 16, planCellDepartment), column("field", "field", 18, planCellField)},
		groupColumns(),
		[]planColumn{column("new", "new", 8, planCellYesNo), column("classified", "classified", 10, planCellYesNo),
			column("budget.national", "budget.national", 12, planCellNumber), column("budget.provincial", "budget.provincial", 12, planCellNumber),
			column("budget.city", "budget.city", 12, planCellNumber), column("budget.other", "budget.other", 12, planCellNumber)},
		sourceColumns())...)
	planIndicators = newPlanTable(planSheetIndicators, "indicators", true, concat(
		[]planColumn{column("id", "id", 8, planCellID), column("program.id", "", 10, planCellID), column("program.name", "", 30, planCellText),
			column("indicator.name", "name", 32, planCellText), column("indicator.name_en", "name_en", 32, planCellText),
			column("unit", "unit", 8, planCellText), column("unit_en", "unit_en", 10, planCellText),
			column("basis", "basis", 12, planCellBasis), column("kind", "kind", 12, planCellKind), column("headline", "headline", 10, planCellYesNo),
			column("target", "target", 10, planCellNumber), column("baseline", "baseline", 10, planCellNumber), column("baseline_year", "baseline_year", 10, planCellYear),
			column("target_note", "target_note", 30, planCellText), column("target_note_en", "target_note_en", 30, planCellText)},
		monthColumns(),
		[]planColumn{column("due", "due", 12, planCellDate), column("weight", "weight", 8, planCellNumber)},
		sourceColumns())...)
	planOutcomes = newPlanTable(planSheetOutcomes, "outcomes", true, concat(
		[]planColumn{column("id", "id", 8, planCellID), column("outcome.code", "code", 18, planCellText),
			column("indicator.name", "name", 32, planCellText), column("indicator.name_en", "name_en", 32, planCellText),
			column("unit", "unit", 8, planCellText), column("unit_en", "unit_en", 10, planCellText),
			column("target", "target", 10, planCellNumber), column("baseline", "baseline", 10, planCellNumber), column("baseline_year", "baseline_year", 10, planCellYear)},
		sourceColumns())...)
	// planLists is the hidden sheet of the drop-down lists. The reader
	// takes the 분야 names back from it.
	planLists = newPlanTable(planSheetLists, "lists", false,
		column("field", "", 20, planCellText), column("field.code", "", 12, planCellText), column("field.en", "", 24, planCellText),
		column("department", "", 20, planCellText), column("yesno", "", 8, planCellText), column("mark", "", 8, planCellText),
		column("basis", "", 12, planCellText), column("kind", "", 12, planCellText))
	planTables = []*planTable{planTasks, planPrograms, planIndicators, planOutcomes}
)

func concat(parts ...[]planColumn) []planColumn {
	var out []planColumn
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// planItem is a line of the plan's header on the guide sheet: its label is
// "plansheet.item."+key; field is its models.Problem path.
type planItem struct{ key, field string }

var planItems = []planItem{{"year", "year"}, {"city", "city"}, {"city_en", "city_en"}, {"title", "title"},
	{"title_en", "title_en"}, {"vision", "vision"}, {"vision_en", "vision_en"}}

// planBases and planKinds are the choices of the 집계 기준 and 종류
// columns; their labels are plansheet.basis.* and plansheet.kind.*.
var (
	planBases = models.Bases
	planKinds = []models.Kind{models.KindFlow, models.KindStock, models.KindMilestone}
)

// WritePlanSheet builds the plan spreadsheet of pf (pf may have no tasks:
// the blank template).
func WritePlanSheet(pf *models.PlanFile, lists PlanSheetLists) (*excelize.File, error) {
	f := excelize.NewFile()
	w := &planWriter{f: f, pf: pf, lists: lists}
	if err := w.write(); err != nil {
		f.Close()
		return nil, fmt.Errorf("plan sheet: %w", err)
	}
	return f, nil
}

type planWriter struct {
	f     *excelize.File
	pf    *models.PlanFile
	lists PlanSheetLists
	head  int            // the heading style
	keep  int            // the style of the ID columns
	drops map[string]int // list column id → its last row on the lists sheet
}

func (w *planWriter) write() error {
	var err error
	if w.head, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}); err != nil {
		return err
	}
	if w.keep, err = w.f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}); err != nil {
		return err
	}
	if err := w.f.SetSheetName("Sheet1", planSheetGuide); err != nil {
		return err
	}
	if err := w.guide(); err != nil {
		return err
	}
	lists := w.listValues()
	for _, t := range planTables {
		if err := w.table(t, w.rows(t)); err != nil {
			return err
		}
	}
	if err := w.listSheet(lists); err != nil {
		return err
	}
	w.f.SetActiveSheet(0)
	return nil
}

// guide writes the plan's header as a block of labelled cells at the top
// of the guide sheet, then how to fill in the sheets, in Korean and in
// English.
func (w *planWriter) guide() error {
	s, pf := planSheetGuide, w.pf
	values := map[string]any{"year": yearCell(pf.Year), "city": pf.City, "city_en": pf.CityEn, "title": pf.Title,
		"title_en": pf.TitleEn, "vision": pf.Vision, "vision_en": pf.VisionEn}
	rows := [][]any{{planHeading("plansheet.col.item"), planHeading("plansheet.col.value")}}
	for _, it := range planItems {
		rows = append(rows, []any{planHeading("plansheet.item." + it.key), values[it.field]})
	}
	var titles []int
	city := models.PlanText{Ko: pf.City, En: pf.CityEn}
	for _, l := range []Lang{Korean, English} {
		rows = append(rows, nil)
		titles = append(titles, len(rows)+1)
		rows = append(rows, []any{l.T("plansheet.guide.title", pf.Year, city)})
		for _, key := range []string{"ids", "links", "lists", "numbers", "months", "header"} {
			rows = append(rows, []any{"· " + l.T("plansheet.guide."+key)})
		}
	}
	for i, row := range rows {
		if row == nil {
			continue
		}
		if err := w.f.SetSheetRow(s, cellName(0, i+1), &row); err != nil {
			return err
		}
	}
	if err := w.f.SetCellStyle(s, "A1", "B1", w.head); err != nil {
		return err
	}
	bold, err := w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for _, r := range titles {
		if err := w.f.SetCellStyle(s, cellName(0, r), cellName(0, r), bold); err != nil {
			return err
		}
	}
	if err := w.f.SetColWidth(s, "A", "A", 24); err != nil {
		return err
	}
	return w.f.SetColWidth(s, "B", "B", 60)
}

// listValues are the lists the drop-downs offer, by their column on the
// lists sheet.
func (w *planWriter) listValues() map[string][]any {
	lists := map[string][]any{"yesno": {planYes, planNo}, "mark": {planMark}}
	for _, fl := range w.lists.Fields {
		lists["field"] = append(lists["field"], fl.Name)
		lists["field.code"] = append(lists["field.code"], fl.Code)
		lists["field.en"] = append(lists["field.en"], fl.NameEn)
	}
	for _, d := range w.lists.Departments {
		lists["department"] = append(lists["department"], d)
	}
	for _, b := range planBases {
		lists["basis"] = append(lists["basis"], Korean.T("plansheet.basis."+string(b)))
	}
	for _, k := range planKinds {
		lists["kind"] = append(lists["kind"], Korean.T("plansheet.kind."+string(k)))
	}
	w.drops = map[string]int{}
	for id, l := range lists {
		w.drops[id] = len(l) + 1
	}
	return lists
}

// listSheet writes the lists, one a column, on a hidden last sheet.
func (w *planWriter) listSheet(lists map[string][]any) error {
	s := planSheetLists
	if _, err := w.f.NewSheet(s); err != nil {
		return err
	}
	for i, c := range planLists.columns {
		col := append([]any{c.heading()}, lists[c.id]...)
		if err := w.f.SetSheetCol(s, cellName(i, 1), &col); err != nil {
			return err
		}
		if err := w.f.SetColWidth(s, colLetter(i), colLetter(i), c.width); err != nil {
			return err
		}
	}
	if err := w.f.SetCellStyle(s, "A1", cellName(len(planLists.columns)-1, 1), w.head); err != nil {
		return err
	}
	return w.f.SetSheetVisible(s, false)
}

// table writes a data sheet: the heading, a row per record, the column
// widths, the frozen heading and the drop-down lists.
func (w *planWriter) table(t *planTable, records []map[string]any) error {
	s := t.name
	if _, err := w.f.NewSheet(s); err != nil {
		return err
	}
	heading := make([]any, len(t.columns))
	for i, c := range t.columns {
		heading[i] = c.heading()
	}
	if err := w.f.SetSheetRow(s, "A1", &heading); err != nil {
		return err
	}
	row := make([]any, len(t.columns))
	for n, rec := range records {
		for i, c := range t.columns {
			row[i] = rec[c.id]
			if row[i] == "" {
				row[i] = nil // no empty text cells
			}
		}
		if err := w.f.SetSheetRow(s, cellName(0, n+2), &row); err != nil {
			return err
		}
	}
	if err := w.f.SetCellStyle(s, "A1", cellName(len(t.columns)-1, 1), w.head); err != nil {
		return err
	}
	if err := w.f.SetRowHeight(s, 1, 32); err != nil {
		return err
	}
	for i, c := range t.columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := w.f.SetColWidth(s, name, name, c.width); err != nil {
			return err
		}
		if c.kind == planCellID && len(records) > 0 {
			if err := w.f.SetCellStyle(s, cellName(i, 2), cellName(i, len(records)+1), w.keep); err != nil {
				return err
			}
		}
	}
	if err := w.f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return w.dropDowns(t)
}

// dropDowns adds a drop-down list to every coded column of the sheet, down
// to its last row. The department list only warns: a department not on it
// is taken as a new one.
func (w *planWriter) dropDowns(t *planTable) error {
	list := map[planCellType]string{planCellField: "field", planCellMark: "mark", planCellYesNo: "yesno", planCellBasis: "basis", planCellKind: "kind", planCellDepartment: "department"}
	for i, c := range t.columns {
		from, ok := list[c.kind]
		if !ok || w.drops[from] < 2 {
			continue
		}
		at := planLists.index[from]
		ref := fmt.Sprintf("'%s'!$%s$2:$%s$%d", planSheetLists, colLetter(at), colLetter(at), w.drops[from])
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", colLetter(i), colLetter(i), excelize.TotalRows))
		dv.SetSqrefDropList(ref)
		style, msg := excelize.DataValidationErrorStyleStop, "plansheet.rule.list"
		if c.kind == planCellDepartment {
			style, msg = excelize.DataValidationErrorStyleWarning, "plansheet.rule.department"
		}
		dv.SetError(style, Korean.T("plansheet.col."+c.key, c.args...), Korean.T(msg)+"\n"+English.T(msg))
		if err := w.f.AddDataValidation(t.name, dv); err != nil {
			return err
		}
	}
	return nil
}

func colLetter(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

// rows are the sheet's records as cell values by column id, in plan order.
func (w *planWriter) rows(t *planTable) []map[string]any {
	var out []map[string]any
	switch t {
	case planTasks:
		for _, task := range w.pf.Tasks {
			out = append(out, map[string]any{"id": idCell(task.ID), "task.code": task.Code, "task.name": task.Name, "task.name_en": task.NameEn})
		}
	case planPrograms:
		for _, task := range w.pf.Tasks {
			for i := range task.Programs {
				out = append(out, w.program(task.Code, &task.Programs[i]))
			}
		}
	case planIndicators:
		for _, task := range w.pf.Tasks {
			for _, p := range task.Programs {
				for i := range p.Indicators {
					out = append(out, indicatorCells(&p, &p.Indicators[i]))
				}
			}
		}
	case planOutcomes:
		for _, o := range w.pf.Outcomes {
			rec := map[string]any{"id": idCell(o.ID), "outcome.code": o.Code, "indicator.name": o.Name, "indicator.name_en": o.NameEn,
				"unit": o.Unit, "unit_en": o.UnitEn, "target": numberCell(o.Target), "baseline": numberCell(o.Baseline),
				"baseline_year": yearCell(o.BaselineYear)}
			sourceCells(rec, o.Source)
			out = append(out, rec)
		}
	}
	return out
}

func (w *planWriter) program(task string, p *models.ProgramFile) map[string]any {
	rec := map[string]any{"id": idCell(p.ID), "task.code": task, "program.name": p.Name, "program.name_en": p.NameEn,
		"description": p.Description, "description_en": p.DescriptionEn, "department": p.Department, "field": w.fieldName(p.Field),
		"new": yesNo(p.New), "classified": yesNo(p.Classified)}
	for _, g := range p.Groups {
		rec["group."+g] = planMark
	}
	for i, a := range p.Budget.Amounts() {
		rec["budget."+models.BudgetSources[i]] = numberCell(a)
	}
	sourceCells(rec, p.Source)
	return rec
}

// fieldName is the Korean name of a 분야 code, or the code when the list
// does not have it.
func (w *planWriter) fieldName(code string) string {
	for _, fl := range w.lists.Fields {
		if fl.Code == code {
			return fl.Name
		}
	}
	return code
}

func indicatorCells(p *models.ProgramFile, ind *models.IndicatorFile) map[string]any {
	rec := map[string]any{"id": idCell(ind.ID), "program.id": idCell(p.ID), "program.name": p.Name,
		"indicator.name": ind.Name, "indicator.name_en": ind.NameEn, "unit": ind.Unit, "unit_en": ind.UnitEn,
		"headline": yesNo(ind.Headline), "target": numberCell(ind.Target), "baseline": numberCell(ind.Baseline),
		"baseline_year": yearCell(ind.BaselineYear), "target_note": ind.TargetNote, "target_note_en": ind.TargetNoteEn,
		"due": ind.Due, "weight": numberCell(ind.Weight)}
	if slices.Contains(planBases, ind.Basis) {
		rec["basis"] = Korean.T("plansheet.basis." + string(ind.Basis))
	} else {
		rec["basis"] = string(ind.Basis)
	}
	if slices.Contains(planKinds, ind.Kind) {
		rec["kind"] = Korean.T("plansheet.kind." + string(ind.Kind))
	} else {
		rec["kind"] = string(ind.Kind)
	}
	var pacing []float64
	if json.Unmarshal(ind.Pacing, &pacing) == nil && len(pacing) == models.Months {
		for m, v := range pacing {
			rec[fmt.Sprintf("month.%d", m+1)] = v
		}
	}
	sourceCells(rec, ind.Source)
	return rec
}

func sourceCells(rec map[string]any, src models.Source) {
	rec["source.ref"], rec["source.quote"] = src.SourceRef, src.SourceQuote
}

// idCell, numberCell and yearCell write an empty cell for no value.
func idCell(id uint) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

func numberCell(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func yearCell(y int) any {
	if y == 0 {
		return nil
	}
	return y
}

func yesNo(b bool) string {
	if b {
		return planYes
	}
	return planNo
}
