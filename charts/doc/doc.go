// Package doc is a document as its writers draw it: a report or a 공시 put
// together once, in one language, as headings, key facts, charts and
// tables of numbers and words. The HTML pages, the PDF writer
// (charts/pdf) and the xlsx writer (charts/xlsx) each draw the same
// Document, so that the three say the same thing.
package doc

// Document is one report or 공시 in one language.
type Document struct {
	// Lang is "ko" or "en".
	Lang string
	// Title is the document's title, e.g. "김포시 2020년 일자리대책 실적 보고서".
	Title string
	// Cover lists what the document is: city, plan, period, as-of date,
	// print date, issuing department, what the numbers count.
	Cover []Field
	// Draft marks a document that is not a published one; writers say so
	// on every page.
	Draft string
	// Footer is the line under every page, beside the page number.
	Footer string
	// PageOf formats a page number of a total, e.g. "%d / %d".
	PageOf string
	// Sections follow the cover in order.
	Sections []Section
}

// Field is one labelled value.
type Field struct {
	Label, Value string
}

// Section is one part of a document: a heading with its facts, charts,
// tables and paragraphs, drawn in that order. Sheet is its short name for
// a spreadsheet tab (at most 31 characters, no []:*?/\).
type Section struct {
	Heading string
	Sheet   string
	// NewPage starts the section on a new page in print.
	NewPage    bool
	Facts      []Field
	Charts     []Chart
	Tables     []Table
	Paragraphs []Paragraph
}

// Paragraph is a short titled text, such as an indicator's commentary.
type Paragraph struct {
	Title, Text string
}

// ChartKind says how a chart is drawn.
type ChartKind int

const (
	// Line draws each series as a line over the categories (a cumulative
	// chart over months).
	Line ChartKind = iota
	// Bar draws each series as bars per category (achievement by task).
	Bar
)

// Chart is a chart with its data; Table is the same data as a table for
// writers that cannot draw (and for readers who cannot see the chart).
type Chart struct {
	Title      string
	Kind       ChartKind
	Unit       string
	Categories []string
	Series     []Series
}

// Series is one named row of values; a nil value is a gap (no figure).
type Series struct {
	Name   string
	Values []*float64
}

// Format says how a column's numbers are written.
type Format int

const (
	// Text is words, not a number.
	Text Format = iota
	// Int is a whole number with thousands separators: 2,163.
	Int
	// Decimal is a number with up to one decimal place: 64.1.
	Decimal
	// Percent is a ratio shown as a percentage: 0.425 is 42.5%.
	Percent
	// Million is an amount in 백만원 with thousands separators.
	Million
)

// Column is a table column.
type Column struct {
	Heading string
	Format  Format
	// Width is the column's share of the table width, relative to the
	// others; 0 means 1.
	Width float64
}

// RowKind says what a row is.
type RowKind int

const (
	// Body is an ordinary row.
	Body RowKind = iota
	// Subtotal adds up the rows above it, back to the previous group.
	Subtotal
	// Group starts a group of rows (a task, a 분야); its first cell is
	// the group's name.
	Group
)

// Row is one table row.
type Row struct {
	Kind  RowKind
	Cells []Cell
}

// Cell is one table cell. Text is what is shown, rounded as the pages
// round it; Number, when set, is that same rounded value for writers that
// keep numbers (a spreadsheet), in the column's Format.
type Cell struct {
	Text   string
	Number *float64
	// Status is a status code ("ahead", "behind", ...) for writers that
	// colour it; the word itself is in Text.
	Status string
}

// Table is a captioned table; Note is a line under it (units, what a
// subtotal added).
type Table struct {
	Caption string
	Columns []Column
	Rows    []Row
	Note    string
	// Empty is said instead of the table when it has no rows.
	Empty string
}

// Num is a number cell shown as text.
func Num(text string, v float64) Cell { return Cell{Text: text, Number: &v} }

// Str is a text cell.
func Str(text string) Cell { return Cell{Text: text} }
