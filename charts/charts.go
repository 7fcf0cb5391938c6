// Package charts builds the ECharts options of the dashboard from evaluated
// plan data. Every function is pure: the same input gives the same option,
// which the page embeds as JSON for static/js/charts.js to draw.
package charts

import (
	"math"

	ec "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"jobkpi/models"
)

// FontFamily is the Korean font stack used inside charts; it matches the
// page's CSS.
const FontFamily = "PretendardGOV, 'Malgun Gothic', 'Apple SD Gothic Neo', 'Noto Sans KR', sans-serif"

// Colours from the KRDS palette. Series also differ by line type and
// symbol, so that they never rely on colour alone.
const (
	colorActual   = "#256ef4" // primary-50
	colorExpected = "#6d7882" // gray-50
	colorTarget   = "#d63d4a" // danger-50
)

// Labels holds the words a chart shows, in the page's language.
type Labels struct {
	Actual      string
	Expected    string
	Target      string
	Achievement string
	Months      [models.Months]string
	// Description is read out by screen readers (ECharts aria).
	Description string
}

// Option validates a chart and returns its option map, ready to be written
// into the page as JSON.
func Option(c interface {
	Validate()
	JSON() map[string]any
}) map[string]any {
	c.Validate()
	return c.JSON()
}

// Cumulative draws an indicator's actual to date against its expected pace
// and its target, month by month, rounded as the pages round them
// (models.Indicator.Round).
func Cumulative(id string, is *models.IndicatorSummary, l Labels) *ec.Line {
	line := ec.NewLine()
	line.Accept(visitor{})
	line.SetGlobalOptions(common(id, l)...)
	line.SetGlobalOptions(
		ec.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0}),
		ec.WithXAxisOpts(opts.XAxis{Type: "category"}),
	)
	line.SetXAxis(l.Months[:])
	actual := make([]opts.LineData, models.Months)
	expected := make([]opts.LineData, models.Months)
	ind := is.Indicator
	for m := range models.Months {
		expected[m] = opts.LineData{Value: ind.Round(is.Progress.Plan[m])}
		actual[m] = opts.LineData{Value: "-"}
		if c := is.Progress.Cumulative[m]; c != nil {
			actual[m] = opts.LineData{Value: ind.Round(*c)}
		}
	}
	line.AddSeries(l.Actual, actual,
		ec.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 7, ShowSymbol: opts.Bool(true)}),
		ec.WithLineStyleOpts(opts.LineStyle{Color: colorActual, Width: 3, Type: "solid"}),
		ec.WithItemStyleOpts(opts.ItemStyle{Color: colorActual}),
		ec.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: l.Target, YAxis: ind.Round(ind.Target)}),
		ec.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			LineStyle: &opts.LineStyle{Color: colorTarget, Type: "dotted", Width: 2},
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: l.Target + " {c}", Position: "insideEndTop"},
		}),
	)
	line.AddSeries(l.Expected, expected,
		ec.WithLineChartOpts(opts.LineChart{Symbol: "triangle", SymbolSize: 6, ShowSymbol: opts.Bool(true)}),
		ec.WithLineStyleOpts(opts.LineStyle{Color: colorExpected, Width: 2, Type: "dashed"}),
		ec.WithItemStyleOpts(opts.ItemStyle{Color: colorExpected}),
	)
	return line
}

// TaskProgress draws each task's achievement (capped, in %) as a bar.
// names holds the task names in the page's language, in task order.
func TaskProgress(id string, tasks []models.TaskSummary, names []string, l Labels) *ec.Bar {
	bar := ec.NewBar()
	bar.Accept(visitor{})
	bar.SetGlobalOptions(common(id, l)...)
	bar.SetGlobalOptions(
		ec.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100}),
		ec.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		ec.WithGridOpts(opts.Grid{Left: "3%", Right: "6%", ContainLabel: opts.Bool(true)}),
	)
	bar.SetXAxis(names)
	data := make([]opts.BarData, len(tasks))
	for i, t := range tasks {
		data[i] = opts.BarData{Value: round(100 * t.Rollup.Achievement)}
		if t.Rollup.Status == models.StatusNone {
			data[i] = opts.BarData{Value: "-"} // nothing measured: no bar rather than a 0% bar
		}
	}
	bar.AddSeries(l.Achievement, data,
		ec.WithItemStyleOpts(opts.ItemStyle{Color: colorActual}),
		ec.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}%"}),
	)
	bar.XYReversal()
	return bar
}

// common holds the options every chart shares: a fixed ID so that output is
// deterministic, no animation, a legend, an axis tooltip and aria.
func common(id string, l Labels) []ec.GlobalOpts {
	return []ec.GlobalOpts{
		ec.WithInitializationOpts(opts.Initialization{ChartID: id, AssetsHost: "/"}),
		ec.WithAnimation(false),
		ec.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		ec.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		ec.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: l.Description}}),
	}
}

// round keeps one decimal, so that JSON stays short and stable.
func round(v float64) float64 { return math.Round(v*10) / 10 }

// visitor adds what go-echarts has no field for: a plain-text tooltip (the
// HTML one needs inline styles, which the CSP forbids) and the Korean font.
type visitor struct{ ec.BaseConfigurationVisitor }

func (visitor) VisitTooltipOpt(t opts.Tooltip) any {
	return struct {
		opts.Tooltip
		RenderMode string `json:"renderMode"`
	}{t, "richText"}
}

func (visitor) Visit(chart map[string]any) {
	chart["textStyle"] = map[string]any{"fontFamily": FontFamily}
	delete(chart, "toolbox")
}
