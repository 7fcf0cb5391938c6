package models

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"
)

func vals(vs ...float64) MonthValues {
	var out MonthValues
	for i, v := range vs {
		if !math.IsNaN(v) {
			out[i] = &v
		}
	}
	return out
}

var gap = math.NaN()

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// show writes an optional value for a failure message.
func show(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func TestEvaluate(t *testing.T) {
	stairs := Pacing{0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}
	tests := []struct {
		name         string
		ind          Indicator
		figs         MonthValues
		asof         int
		actual       float64
		expected     float64
		achievement  float64
		pace         float64
		status       Status
		forecast     float64 // NaN: no forecast
		missingCount int
	}{
		{"flow linear on track", Indicator{Kind: KindFlow, Target: 120}, vals(10, 10, 10), 3,
			30, 30, 0.25, 1, StatusOnTrack, 120, 0},
		{"flow watch", Indicator{Kind: KindFlow, Target: 120}, vals(9, 9, 9), 3,
			27, 30, 0.225, 0.9, StatusWatch, 108, 0},
		{"pace exactly 0.95 is on track", Indicator{Kind: KindFlow, Target: 120}, vals(10, 10, 8.5), 3,
			28.5, 30, 28.5 / 120, 0.95, StatusOnTrack, 114, 0},
		{"pace exactly 0.85 is watch", Indicator{Kind: KindFlow, Target: 120}, vals(10, 10, 5.5), 3,
			25.5, 30, 25.5 / 120, 0.85, StatusWatch, 102, 0},
		{"flow behind", Indicator{Kind: KindFlow, Target: 120}, vals(8, 8, 8), 3,
			24, 30, 0.2, 0.8, StatusBehind, 96, 0},
		{"flow reached beats pace", Indicator{Kind: KindFlow, Target: 10}, vals(11), 1,
			11, 10.0 / 12, 1.1, 13.2, StatusReached, 132, 0},
		{"flow with a missing month projects from the other two", Indicator{Kind: KindFlow, Target: 120}, vals(10, gap, 20), 3,
			30, 30, 0.25, 1, StatusMissing, 180, 1},
		{"no figures at all: no forecast, not zero", Indicator{Kind: KindFlow, Target: 120}, MonthValues{}, 4,
			0, 40, 0, 0, StatusMissing, gap, 4},
		{"target 0 is reached by anything", Indicator{Kind: KindFlow, Target: 0}, vals(0), 1,
			0, 0, 1, 1, StatusReached, gap, 0},
		{"stock carries forward over a gap", Indicator{Kind: KindStock, Target: 3, Pacing: stairs}, vals(gap, gap, 2, gap, 3), 5,
			3, 3, 1, 1, StatusReached, 3, 0},
		{"stock gap in the as-of month is missing", Indicator{Kind: KindStock, Target: 3, Pacing: stairs}, vals(gap, gap, 2, 2, gap), 5,
			2, 3, 2.0 / 3, 2.0 / 3, StatusMissing, 2, 1},
		{"stock before the plan starts", Indicator{Kind: KindStock, Target: 3, Pacing: stairs}, vals(0, 0), 2,
			0, 0, 0, 1, StatusOnTrack, gap, 0},
		{"as-of month clamped to 12", Indicator{Kind: KindFlow, Target: 12}, vals(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 99,
			12, 12, 1, 1, StatusReached, 12, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(&tt.ind, tt.figs, tt.asof)
			if !near(p.Actual, tt.actual) || !near(p.Expected, tt.expected) {
				t.Errorf("Evaluate actual, expected = %v, %v, want %v, %v", p.Actual, p.Expected, tt.actual, tt.expected)
			}
			if !near(p.Achievement, tt.achievement) || !near(p.Pace, tt.pace) {
				t.Errorf("Evaluate achievement, pace = %v, %v, want %v, %v", p.Achievement, p.Pace, tt.achievement, tt.pace)
			}
			if p.Status != tt.status {
				t.Errorf("Evaluate status = %s, want %s", p.Status, tt.status)
			}
			switch {
			case math.IsNaN(tt.forecast) && p.Forecast != nil:
				t.Errorf("Evaluate forecast = %v, want none", *p.Forecast)
			case !math.IsNaN(tt.forecast) && (p.Forecast == nil || !near(*p.Forecast, tt.forecast)):
				t.Errorf("Evaluate forecast = %s, want %v", show(p.Forecast), tt.forecast)
			}
			if len(p.Missing) != tt.missingCount {
				t.Errorf("Evaluate missing = %v, want %d months", p.Missing, tt.missingCount)
			}
		})
	}
}

// TestForecastIgnoresMonthsWithoutFigures: a month that has no figure
// yet (the as-of month a department has not reported, or an older gap)
// leaves the forecast where the months with figures put it, and the
// forecast names the months it projects from.
func TestForecastIgnoresMonthsWithoutFigures(t *testing.T) {
	seniors := Indicator{Kind: KindFlow, Target: 2163} // linear: 180.25 a month
	upToSep := vals(177, 176, 177, 177, 176, 177, 177, 176, 177)
	stairs := Pacing{0, 0, 3, 3, 3, 3, 3, 6, 6, 6, 6, 6}
	tests := []struct {
		name string
		ind  Indicator
		figs MonthValues
		asof int
		want float64 // NaN: no forecast
		from []int
	}{
		{"flow through September", seniors, upToSep, 9, 1590 / (2163 * 9.0 / 12) * 2163, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"flow as of an October with no figure yet", seniors, upToSep, 10, 1590 / (2163 * 9.0 / 12) * 2163, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{"flow with August missing", Indicator{Kind: KindFlow, Target: 120}, vals(10, 10, 10, 10, 10, 10, 10, gap, 10), 9, 120, []int{1, 2, 3, 4, 5, 6, 7, 9}},
		{"flow with only a month that planned nothing", Indicator{Kind: KindFlow, Target: 6, Pacing: stairs}, vals(1), 2, gap, nil},
		{"flow with monthly plan and a gap", Indicator{Kind: KindFlow, Target: 6, Pacing: stairs}, vals(0, 0, 3, gap, gap, gap, gap, 1), 8, 4.0 / 6 * 6, []int{1, 2, 3, 8}},
		{"stock from its latest level's month", Indicator{Kind: KindStock, Target: 6, Pacing: stairs}, vals(gap, gap, 2, gap, gap, gap, gap, gap, gap), 9, 2.0 / 3 * 6, []int{3}},
		{"stock with no level yet", Indicator{Kind: KindStock, Target: 6, Pacing: stairs}, MonthValues{}, 9, gap, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Evaluate(&tt.ind, tt.figs, tt.asof)
			switch {
			case math.IsNaN(tt.want) && p.Forecast != nil:
				t.Errorf("Evaluate forecast = %v, want none", *p.Forecast)
			case !math.IsNaN(tt.want) && (p.Forecast == nil || !near(*p.Forecast, tt.want)):
				t.Errorf("Evaluate forecast = %s, want %v", show(p.Forecast), tt.want)
			}
			if !slices.Equal(p.ForecastFrom, tt.from) {
				t.Errorf("Evaluate forecast from months %v, want %v", p.ForecastFrom, tt.from)
			}
		})
	}
	// The seniors' forecast of the issue: 2,120 as of September, and
	// still 2,120 as of an October that has no figure yet.
	sep, oct := Evaluate(&seniors, upToSep, 9), Evaluate(&seniors, upToSep, 10)
	if math.Round(*sep.Forecast) != 2120 || *oct.Forecast != *sep.Forecast {
		t.Errorf("seniors' forecast = %v in September, %v in October; want 2,120 both", *sep.Forecast, *oct.Forecast)
	}
}

func TestEvaluateCumulative(t *testing.T) {
	ind := Indicator{Kind: KindFlow, Target: 100}
	p := Evaluate(&ind, vals(5, gap, 7), 3)
	want := []float64{5, 5, 12}
	for i, w := range want {
		if p.Cumulative[i] == nil || *p.Cumulative[i] != w {
			t.Errorf("Cumulative[%d] = %v, want %v", i, p.Cumulative[i], w)
		}
	}
	if p.Cumulative[3] != nil {
		t.Errorf("Cumulative[3] = %v, want nil after the as-of month", *p.Cumulative[3])
	}
	stock := Indicator{Kind: KindStock, Target: 3}
	p = Evaluate(&stock, vals(gap, 2, gap), 3)
	if p.Cumulative[0] != nil || *p.Cumulative[2] != 2 {
		t.Errorf("stock Cumulative = %v, %v, want nil then carried 2", p.Cumulative[0], p.Cumulative[2])
	}
}

func TestPacingCheck(t *testing.T) {
	tests := []struct {
		name string
		p    Pacing
		ok   bool
	}{
		{"linear", nil, true},
		{"monotone steps", Pacing{0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, true},
		{"goes down", Pacing{1, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3}, false},
		{"too short", Pacing{1, 2, 3}, false},
		{"negative", Pacing{-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false},
		{"not a number", Pacing{math.NaN(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Check()
			if (err == nil) != tt.ok {
				t.Fatalf("Pacing%v.Check() = %v, want ok=%v", []float64(tt.p), err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrPacing) {
				t.Errorf("Check() error %v does not wrap ErrPacing", err)
			}
		})
	}
}

func TestEvaluateMilestone(t *testing.T) {
	d := func(s string) *time.Time {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	tests := []struct {
		name   string
		ind    Indicator
		asof   int
		status Status
		actual float64
	}{
		{"done before due", Indicator{Kind: KindMilestone, DueDate: d("2020-03-31"), DoneDate: d("2020-03-20")}, 3, StatusReached, 1},
		{"done after the as-of month does not count yet", Indicator{Kind: KindMilestone, DueDate: d("2020-12-31"), DoneDate: d("2020-05-02")}, 4, StatusOnTrack, 0},
		{"overdue", Indicator{Kind: KindMilestone, DueDate: d("2020-03-31")}, 4, StatusBehind, 0},
		{"not yet due", Indicator{Kind: KindMilestone, DueDate: d("2020-12-31")}, 6, StatusOnTrack, 0},
		{"marked delayed", Indicator{Kind: KindMilestone, DueDate: d("2020-12-31"), MilestoneState: MilestoneDelayed}, 6, StatusBehind, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := EvaluateMilestone(&tt.ind, 2020, tt.asof)
			if p.Status != tt.status || p.Actual != tt.actual {
				t.Errorf("EvaluateMilestone = %s/%v, want %s/%v", p.Status, p.Actual, tt.status, tt.actual)
			}
		})
	}
}

func TestRollUp(t *testing.T) {
	pr := func(ach, pace float64, s Status) Progress { return Progress{Achievement: ach, Pace: pace, Status: s} }
	tests := []struct {
		name     string
		children []Weighted
		ach      float64
		pace     float64
		status   Status
	}{
		{"empty", nil, 0, 0, StatusNone},
		{"capped at 1", []Weighted{{1, pr(2, 3, StatusReached)}, {1, pr(0.5, 0.9, StatusWatch)}}, 0.75, 0.95, StatusOnTrack},
		{"weights", []Weighted{{3, pr(1, 1, StatusReached)}, {1, pr(0, 0, StatusBehind)}}, 0.75, 0.75, StatusBehind},
		{"all reached", []Weighted{{1, pr(1, 1, StatusReached)}, {1, pr(1.2, 2, StatusReached)}}, 1, 1, StatusReached},
		{"zero weights", []Weighted{{0, pr(1, 1, StatusOnTrack)}}, 0, 0, StatusBehind},
		{"watch band", []Weighted{{1, pr(0.5, 0.9, StatusWatch)}}, 0.5, 0.9, StatusWatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := RollUp(tt.children)
			if !near(r.Achievement, tt.ach) || !near(r.Pace, tt.pace) || r.Status != tt.status {
				t.Errorf("RollUp = %v/%v/%s, want %v/%v/%s", r.Achievement, r.Pace, r.Status, tt.ach, tt.pace, tt.status)
			}
		})
	}
}
