package pdf

import (
	"fmt"
	"math"

	"github.com/go-analyze/charts"
	"github.com/signintech/gopdf"

	"jobkpi/charts/doc"
)

// Chart geometry: the image is drawn chartH points high across the text
// width, from a PNG of chartScale pixels a point.
const (
	chartH     = 200.0
	chartScale = 1.5
	chartFont  = 7.5 // labels and legend, in points on the page
	// chartDPI is go-analyze's resolution: a font size of n draws
	// n/72 inches at chartDPI pixels an inch.
	chartDPI = 96.0
)

// seriesColours are the KRDS colours of the pages' charts, in series
// order.
func seriesColours() []charts.Color {
	return []charts.Color{
		charts.ColorFromHex("#256ef4"), // primary-50
		charts.ColorFromHex("#d63d4a"), // point-50
		charts.ColorFromHex("#6d7882"), // gray-50
		charts.ColorFromHex("#228738"), // success-50
		charts.ColorFromHex("#ffb114"), // warning-30
		charts.ColorFromHex("#063a74"), // secondary-70
	}
}

// chartHeight is the room a chart takes with its title.
func (w *writer) chartHeight(c *doc.Chart) float64 {
	return 6 + w.captionHeight(c.Title) + chartH
}

// chart draws a chart's title and its image, kept on one page, and the
// unit over the value axis.
func (w *writer) chart(c *doc.Chart) {
	w.y += 6
	w.ensure(w.chartHeight(c) - 6)
	if c.Title != "" {
		w.lines(w.fonts.bold, sizeCaption, colText, c.Title)
		w.y += 2
	}
	if len(c.Categories) == 0 || len(c.Series) == 0 {
		w.lines(w.fonts.regular, sizeBody, colSubtle, "—")
		return
	}
	if w.err != nil {
		return
	}
	if err := w.image(c); err != nil {
		w.fail(fmt.Errorf("pdf: chart %q: %w", c.Title, err))
		return
	}
	if c.Unit != "" {
		r := w.fonts.regular
		unit := r.ellipsis(r.clean("("+c.Unit+")"), chartFont, contentW/4)
		w.text(r, chartFont, colSubtle, margin, w.y+2, unit)
	}
	w.y += chartH + 6
}

// image draws c's PNG at w.y.
func (w *writer) image(c *doc.Chart) error {
	png, err := renderChart(c, w.fonts.regular)
	if err != nil {
		return err
	}
	img, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		return err
	}
	if err := w.gp.ImageByHolder(img, margin, w.y, &gopdf.Rect{W: contentW, H: chartH}); err != nil {
		return err
	}
	w.images = append(w.images, placement{page: w.pages, x: margin, y: w.y, w: contentW, h: chartH})
	return nil
}

// renderChart draws c as a PNG with go-analyze: lines over the categories
// or grouped bars, a legend of the series and a gap for each missing
// value. The caller writes the unit over the value axis, as text.
func renderChart(c *doc.Chart, f *face) ([]byte, error) {
	font := f.chart
	values := make([][]float64, len(c.Series))
	names := make([]string, len(c.Series))
	nonNegative := true
	for i, s := range c.Series {
		names[i] = f.clean(s.Name)
		values[i] = make([]float64, len(c.Categories))
		for j := range values[i] {
			values[i][j] = charts.GetNullValue()
			if j < len(s.Values) && s.Values[j] != nil && !math.IsNaN(*s.Values[j]) && !math.IsInf(*s.Values[j], 0) {
				values[i][j] = *s.Values[j]
				nonNegative = nonNegative && *s.Values[j] >= 0
			}
		}
	}
	labels := make([]string, len(c.Categories))
	for i, l := range c.Categories {
		labels[i] = f.clean(l)
	}
	fs := charts.FontStyle{Font: font, FontSize: chartFont * chartScale * 72 / chartDPI, FontColor: charts.ColorFromHex("#33363d")}
	theme := charts.GetTheme(charts.ThemeLight).WithSeriesColors(seriesColours())
	legend := charts.LegendOption{SeriesNames: names, FontStyle: fs}
	axis := charts.ValueAxisOption{LabelFontStyle: fs, ValueFormatter: doc.Number}
	if nonNegative {
		axis.Min = charts.Ptr(0.0)
	}
	p := charts.NewPainter(charts.PainterOptions{
		OutputFormat: charts.ChartOutputPNG,
		Width:        int(math.Round(contentW * chartScale)),
		Height:       int(chartH * chartScale),
		Font:         font,
	})
	var err error
	if c.Kind == doc.Bar {
		opt := charts.NewBarChartOptionWithData(values)
		opt.Theme, opt.Legend = theme, legend
		opt.CategoryAxis.Labels, opt.CategoryAxis.LabelFontStyle = labels, fs
		opt.CategoryAxis.LabelRotation, opt.CategoryAxis.LabelCount = categoryLabels(labels, f)
		opt.ValueAxis = []charts.ValueAxisOption{axis}
		err = p.BarChart(opt)
	} else {
		opt := charts.NewLineChartOptionWithData(values)
		opt.Theme, opt.Legend = theme, legend
		opt.XAxis.Labels, opt.XAxis.LabelFontStyle = labels, fs
		opt.XAxis.LabelRotation, opt.XAxis.LabelCount = categoryLabels(labels, f)
		opt.YAxis = []charts.YAxisOption{axis}
		opt.LineStrokeWidth = 1.5 * chartScale
		err = p.LineChart(opt)
	}
	if err != nil {
		return nil, err
	}
	return p.Bytes()
}

// categoryLabels says how to draw n category labels: flat when the widest
// fits its share of the axis, turned 30° when they then clear each other,
// upright when only that leaves them room; past that go-analyze leaves out
// every other label (count 0) rather than overprint them.
func categoryLabels(labels []string, f *face) (rotation float64, count int) {
	widest := 0.0
	for _, l := range labels {
		widest = max(widest, f.width(l, chartFont))
	}
	slot := (contentW - 60) / float64(len(labels)) // the plot is about 60 pt narrower
	lineH := chartFont * 1.3
	switch {
	case widest < 0.9*slot:
		return 0, len(labels)
	case slot >= 2*lineH: // a label turned 30° needs its height / sin 30°
		return charts.DegreesToRadians(-30), len(labels)
	case slot >= lineH:
		return charts.DegreesToRadians(-90), len(labels)
	}
	return charts.DegreesToRadians(-90), 0
}
