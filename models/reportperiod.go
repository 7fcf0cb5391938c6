package models

import (
	"fmt"
	"strconv"
	"strings"
)

// PeriodKind is the length of a reporting period.
type PeriodKind string

// The reporting periods: a month, a quarter, the first half (상반기) or the
// whole year.
const (
	MonthPeriod   PeriodKind = "month"
	QuarterPeriod PeriodKind = "quarter"
	HalfPeriod    PeriodKind = "half"
	YearlyPeriod  PeriodKind = "year"
)

// ReportPeriod is a period of a plan year that a report covers: from
// January to the end of the period, as every figure is cumulative.
type ReportPeriod struct {
	Year int
	Kind PeriodKind
	// N is the month (1–12) or the quarter (1–4); 1 for the half, 0 for
	// the year.
	N int
}

// YearPeriod is the whole of a plan year.
func YearPeriod(year int) ReportPeriod { return ReportPeriod{Year: year, Kind: YearlyPeriod} }

// ParseReportPeriod reads a period of the plan year: "2020" (the year),
// "2020-H1" (상반기), "2020-Q2" or "2020-06". An empty text is the year.
func ParseReportPeriod(s string, year int) (ReportPeriod, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return YearPeriod(year), nil
	}
	head, tail, _ := strings.Cut(s, "-")
	y, err := strconv.Atoi(head)
	if err != nil || len(head) != 4 {
		return ReportPeriod{}, invalid("period", "problem.period.syntax")
	}
	if y != year {
		return ReportPeriod{}, invalid("period", "problem.period.year", year)
	}
	p := ReportPeriod{Year: y, Kind: YearlyPeriod}
	switch {
	case tail == "":
		return p, nil
	case tail == "H1":
		p.Kind, p.N = HalfPeriod, 1
		return p, nil
	case strings.HasPrefix(tail, "Q"):
		n, err := strconv.Atoi(tail[1:])
		if err != nil || n < 1 || n > 4 || len(tail) != 2 {
			return ReportPeriod{}, invalid("period", "problem.period.quarter")
		}
		p.Kind, p.N = QuarterPeriod, n
		return p, nil
	}
	n, err := strconv.Atoi(tail)
	if err != nil || len(tail) != 2 || n < 1 || n > Months {
		return ReportPeriod{}, invalid("period", "problem.period.month")
	}
	p.Kind, p.N = MonthPeriod, n
	return p, nil
}

// String is the period as ParseReportPeriod reads it.
func (p ReportPeriod) String() string {
	switch p.Kind {
	case HalfPeriod:
		return fmt.Sprintf("%d-H1", p.Year)
	case QuarterPeriod:
		return fmt.Sprintf("%d-Q%d", p.Year, p.N)
	case MonthPeriod:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	}
	return strconv.Itoa(p.Year)
}

// End is the last month of the period.
func (p ReportPeriod) End() int {
	switch p.Kind {
	case HalfPeriod:
		return 6
	case QuarterPeriod:
		return 3 * p.N
	case MonthPeriod:
		return p.N
	}
	return Months
}

// Publishable says results are published for the period: 상반기 and the
// year.
func (p ReportPeriod) Publishable() bool { return p.Kind == HalfPeriod || p.Kind == YearlyPeriod }

// ResultsPeriod reads the period code of published results: "h1" or
// "year".
func ResultsPeriod(code string, year int) (ReportPeriod, bool) {
	switch code {
	case "h1":
		return ReportPeriod{Year: year, Kind: HalfPeriod, N: 1}, true
	case "year":
		return YearPeriod(year), true
	}
	return ReportPeriod{}, false
}

// Code is the period code of published results ("h1", "year"); empty for
// a period that is not published.
func (p ReportPeriod) Code() string {
	switch p.Kind {
	case HalfPeriod:
		return "h1"
	case YearlyPeriod:
		return "year"
	}
	return ""
}
