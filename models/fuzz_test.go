package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"jobkpi/data"
)

// The fuzz targets in this file share one property: the code never panics,
// and whatever it accepts satisfies the model's invariants. Run one at a
// time:
//
//	go test -run '^$' -fuzz '^FuzzParsePlanFile$' -fuzztime 20s -fuzzminimizetime 5s ./models
//	go test -run '^$' -fuzz '^FuzzEvaluate$' -fuzztime 20s ./models
//	go test -run '^$' -fuzz '^FuzzEvaluateMilestone$' -fuzztime 20s ./models
//
// Without -fuzzminimizetime, minimizing each new 25 kB plan can stall the
// workers for up to a minute. Plain `go test` runs the seed corpus in
// testdata/fuzz as regular tests.
//
// The helpers below do not call t.Helper, which walks the stack on every
// call and would halve the fuzzer's speed; their messages name what failed
// instead. They are named fuzz… so as not to clash with other tests.

// FuzzParsePlanFile feeds arbitrary bytes to the plan loader. A rejection
// must be a *ValidationError that says what is wrong; an accepted plan must
// satisfy every invariant of the model, and evaluating it at every as-of
// month must give finite, well-formed progress.
func FuzzParsePlanFile(f *testing.F) {
	names, err := fs.Glob(data.Plans, "plans/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		b, err := fs.ReadFile(data.Plans, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``,
		`{`,
		`null`,
		`{"year":2020,"city":"c","title":"t","tasks":[{"code":"A","name":"a","programs":[{"name":"p","indicators":[{"name":"i","kind":"flow","unit":"u","target":12,"figures":[{"month":1,"value":1}]}]}]}]}`,
		`{"year":2020,"city":"c","title":"t","tasks":[{"code":"A","name":"a","programs":[{"name":"p","indicators":[{"name":"m","kind":"milestone","due":"2020-06-30","done":"2020-05-01"}]}]}]}`,
		`{"year":2020,"city":"c","title":"t","tasks":[{"code":"A","name":"a","programs":[{"name":"p","indicators":[{"name":"i","kind":"stock","unit":"u","target":3,"pacing":[0,0,1,1,1,2,2,2,3,3,3,3]}]}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := ParsePlanFile(bytes.NewReader(b))
		if err != nil {
			fuzzCheckRejection(t, pf, err)
			return
		}
		fuzzCheckPlanFile(t, pf)
		plan := pf.Plan()
		fuzzCheckPlanShape(t, pf, plan)
		fuzzCheckPlanProgress(t, pf, plan)
	})
}

// fuzzCheckRejection checks that a rejected input gets a validation error that
// lists at least one problem in words.
func fuzzCheckRejection(t *testing.T, pf *PlanFile, err error) {
	var verr *ValidationError
	if !errors.As(err, &verr) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("ParsePlanFile error = %T %v, want a *ValidationError wrapping ErrInvalid", err, err)
	}
	if pf != nil {
		t.Errorf("ParsePlanFile returned a plan file and the error %v", err)
	}
	if len(verr.Problems) == 0 {
		t.Fatal("ParsePlanFile returned a ValidationError with no problems")
	}
	for i, p := range verr.Problems {
		if !strings.HasPrefix(p.Key, "problem.") {
			t.Errorf("problem %d (path %q) has no message key: %q", i, p.Path, p.Key)
		}
	}
	if strings.TrimSpace(err.Error()) == "" {
		t.Error("ParsePlanFile error message is empty")
	}
}

// fuzzCheckPlanFile checks the invariants of an accepted plan file.
func fuzzCheckPlanFile(t *testing.T, pf *PlanFile) {
	if pf.Year < 2000 || pf.Year > 2100 {
		t.Errorf("accepted year %d, want 2000–2100", pf.Year)
	}
	fuzzNonBlank(t, "city", pf.City)
	fuzzNonBlank(t, "title", pf.Title)
	if len(pf.Tasks) == 0 {
		t.Error("accepted a plan with no task")
	}
	codes := map[string]bool{}
	for i, task := range pf.Tasks {
		fuzzNonBlank(t, "tasks[%d].code", task.Code, i)
		fuzzNonBlank(t, "tasks[%d].name", task.Name, i)
		if codes[task.Code] {
			t.Errorf("tasks[%d].code %q is a duplicate", i, task.Code)
		}
		codes[task.Code] = true
		for j, prog := range task.Programs {
			fuzzNonBlank(t, "tasks[%d].programs[%d].name", prog.Name, i, j)
			for k := range prog.Indicators {
				fuzzCheckIndicatorFile(t, []any{i, j, k}, &prog.Indicators[k])
			}
		}
	}
	for i, fact := range pf.Facts {
		fuzzNonBlank(t, "facts[%d].label", fact.Label, i)
		fuzzFinite(t, "facts[%d].value", fact.Value, i)
	}
}

// fuzzIndPath is the format of an indicator's path; its arguments are the
// task, programme and indicator indexes.
const fuzzIndPath = "tasks[%d].programs[%d].indicators[%d]"

// fuzzCheckIndicatorFile checks an accepted indicator of a plan file; at
// holds its task, programme and indicator indexes.
func fuzzCheckIndicatorFile(t *testing.T, at []any, ind *IndicatorFile) {
	path := func() string { return fmt.Sprintf(fuzzIndPath, at...) }
	fuzzNonBlank(t, fuzzIndPath+".name", ind.Name, at...)
	// Every kind: a milestone ignores its target and pacing, but a file
	// that carries wrong ones should still be told so.
	if ind.Target != nil {
		fuzzNonNegative(t, fuzzIndPath+".target", *ind.Target, at...)
	}
	if p, pr := ind.pacing(); pr != nil || p.Check() != nil {
		t.Errorf("%s.pacing %s accepted but pacing() = %v, %v", path(), ind.Pacing, p, pr)
	}
	switch ind.Kind {
	case KindFlow, KindStock:
		fuzzNonBlank(t, fuzzIndPath+".unit", ind.Unit, at...)
		if ind.Target == nil {
			t.Errorf("%s.target is missing", path())
		}
		var seen [Months + 1]bool
		for i, fig := range ind.Figures {
			if fig.Month < 1 || fig.Month > Months || seen[fig.Month] {
				t.Fatalf("%s.figures[%d].month = %d: outside 1–12 or repeated", path(), i, fig.Month)
			}
			seen[fig.Month] = true
			if !fuzzValidNumber(fig.Value) {
				t.Errorf("%s.figures[%d].value = %v, want a finite number, 0 or more", path(), i, fig.Value)
			}
		}
	case KindMilestone:
		if _, err := time.Parse(time.DateOnly, ind.Due); err != nil {
			t.Errorf("%s.due %q does not parse: %v", path(), ind.Due, err)
		}
		if _, err := time.Parse(time.DateOnly, ind.Done); ind.Done != "" && err != nil {
			t.Errorf("%s.done %q does not parse: %v", path(), ind.Done, err)
		}
		if len(ind.Figures) > 0 {
			t.Errorf("%s: a milestone was accepted with %d figures", path(), len(ind.Figures))
		}
		switch ind.State {
		case "", MilestonePlanned, MilestoneInProgress, MilestoneDone, MilestoneDelayed:
		default:
			t.Errorf("%s.state %q accepted", path(), ind.State)
		}
	default:
		t.Errorf("%s.kind %q accepted", path(), ind.Kind)
	}
	if ind.Baseline != nil {
		fuzzNonNegative(t, fuzzIndPath+".baseline", *ind.Baseline, at...)
	}
	if ind.Weight != nil {
		fuzzNonNegative(t, fuzzIndPath+".weight", *ind.Weight, at...)
	}
}

// fuzzCheckPlanShape checks that Plan keeps every task, programme, indicator
// and fact, and that the stored indicators satisfy the model's invariants.
func fuzzCheckPlanShape(t *testing.T, pf *PlanFile, plan *Plan) {
	if plan.Year != pf.Year || plan.City != pf.City || plan.Title != pf.Title {
		t.Errorf("Plan() = %d %q %q, want %d %q %q", plan.Year, plan.City, plan.Title, pf.Year, pf.City, pf.Title)
	}
	if len(plan.Tasks) != len(pf.Tasks) || len(plan.Facts) != len(pf.Facts) {
		t.Fatalf("Plan() has %d tasks and %d facts, want %d and %d", len(plan.Tasks), len(plan.Facts), len(pf.Tasks), len(pf.Facts))
	}
	for i, task := range plan.Tasks {
		ft := pf.Tasks[i]
		if task.Code != ft.Code || len(task.Programs) != len(ft.Programs) {
			t.Fatalf("Plan() task %d = %q with %d programmes, want %q with %d", i, task.Code, len(task.Programs), ft.Code, len(ft.Programs))
		}
		for j, prog := range task.Programs {
			if len(prog.Indicators) != len(ft.Programs[j].Indicators) {
				t.Fatalf("Plan() tasks[%d].programs[%d] has %d indicators, want %d", i, j, len(prog.Indicators), len(ft.Programs[j].Indicators))
			}
			for k := range prog.Indicators {
				fuzzCheckIndicator(t, []any{i, j, k}, &prog.Indicators[k])
			}
		}
	}
}

// fuzzCheckIndicator checks an indicator as Plan stores it.
func fuzzCheckIndicator(t *testing.T, at []any, ind *Indicator) {
	fuzzNonNegative(t, "Plan() "+fuzzIndPath+".Target", ind.Target, at...)
	fuzzNonNegative(t, "Plan() "+fuzzIndPath+".Weight", ind.Weight, at...)
	if ind.Baseline != nil {
		fuzzNonNegative(t, "Plan() "+fuzzIndPath+".Baseline", *ind.Baseline, at...)
	}
	if err := ind.Pacing.Check(); err != nil {
		t.Errorf("Plan() %s.Pacing %v: %v", fmt.Sprintf(fuzzIndPath, at...), ind.Pacing, err)
	}
	if !ind.Kind.Monthly() {
		if ind.DueDate == nil || ind.Target != 1 || ind.MilestoneState == "" || len(ind.Pacing) != 0 {
			t.Errorf("Plan() %s milestone: due %v, target %v, state %q, pacing %v; want a due date, target 1, a state and no pacing",
				fmt.Sprintf(fuzzIndPath, at...), ind.DueDate, ind.Target, ind.MilestoneState, ind.Pacing)
		}
	}
}

// fuzzCheckPlanProgress evaluates every indicator of an accepted plan at every
// as-of month, with the figures the file carries, and rolls them up the way
// Summarize does.
func fuzzCheckPlanProgress(t *testing.T, pf *PlanFile, plan *Plan) {
	for asof := 1; asof <= Months; asof++ {
		var all []Weighted
		for i := range plan.Tasks {
			var children []Weighted
			for j := range plan.Tasks[i].Programs {
				prog := &plan.Tasks[i].Programs[j]
				for k := range prog.Indicators {
					ind := &prog.Indicators[k]
					var p Progress
					if !ind.Kind.Monthly() {
						p = EvaluateMilestone(ind, plan.Year, asof)
					} else {
						p = Evaluate(ind, fuzzFigures(pf.Tasks[i].Programs[j].Indicators[k].Figures), asof)
					}
					fuzzCheckProgress(t, p, fuzzIndPath+" at month %d", i, j, k, asof)
					children = append(children, Weighted{Weight: ind.Weight, Progress: p})
				}
			}
			fuzzCheckRollup(t, RollUp(children), len(children), "task %q at month %d", plan.Tasks[i].Code, asof)
			all = append(all, children...)
		}
		fuzzCheckRollup(t, RollUp(all), len(all), "plan at month %d", asof)
	}
}

// fuzzFigures puts a file's figures in their months.
func fuzzFigures(figs []FigureFile) MonthValues {
	var mv MonthValues
	for _, f := range figs {
		v := f.Value
		mv[f.Month-1] = &v
	}
	return mv
}

// fuzzCheckProgress checks what every evaluated progress must satisfy,
// and stops the test at the first progress that does not. The format and
// args name it; they are formatted only on failure, to keep the fuzzer
// fast.
func fuzzCheckProgress(t *testing.T, p Progress, format string, args ...any) {
	var bad []string
	if !fuzzIsFinite(p.Actual) || !fuzzIsFinite(p.Expected) {
		bad = append(bad, fmt.Sprintf("Actual, Expected = %v, %v, want finite", p.Actual, p.Expected))
	}
	if !fuzzValidNumber(p.Achievement) || !fuzzValidNumber(p.Pace) {
		bad = append(bad, fmt.Sprintf("Achievement, Pace = %v, %v, want finite, 0 or more", p.Achievement, p.Pace))
	}
	if p.Forecast != nil && !fuzzIsFinite(*p.Forecast) {
		bad = append(bad, fmt.Sprintf("Forecast = %v, want finite", *p.Forecast))
	}
	for m := range Months {
		if !fuzzIsFinite(p.Plan[m]) {
			bad = append(bad, fmt.Sprintf("Plan = %v, want finite", p.Plan))
			break
		}
	}
	for m := range Months {
		if c := p.Cumulative[m]; c != nil && !fuzzIsFinite(*c) {
			bad = append(bad, fmt.Sprintf("Cumulative[%d] = %v, want finite", m, *c))
			break
		}
	}
	switch p.Status {
	case StatusReached, StatusOnTrack, StatusWatch, StatusBehind, StatusMissing:
	default:
		bad = append(bad, fmt.Sprintf("Status = %q", p.Status))
	}
	if len(bad) > 0 {
		t.Fatalf("%s:\n\t%s", fmt.Sprintf(format, args...), strings.Join(bad, "\n\t"))
	}
}

// fuzzCheckRollup checks that a roll-up of n children stays within [0, 1].
func fuzzCheckRollup(t *testing.T, r Rollup, n int, format string, args ...any) {
	if !fuzzValidNumber(r.Achievement) || r.Achievement > 1 || !fuzzValidNumber(r.Pace) || r.Pace > 1 {
		t.Fatalf("%s: RollUp achievement, pace = %v, %v, want both within [0, 1]", fmt.Sprintf(format, args...), r.Achievement, r.Pace)
	}
	counted := 0
	for _, c := range r.Counts {
		counted += c
	}
	if r.Total != n || counted != n {
		t.Errorf("%s: RollUp total %d, counted %d, want %d", fmt.Sprintf(format, args...), r.Total, counted, n)
	}
	switch {
	case n == 0 && r.Status != StatusNone:
		t.Errorf("%s: RollUp of nothing has status %q, want none", fmt.Sprintf(format, args...), r.Status)
	case n > 0 && !slices.Contains([]Status{StatusReached, StatusOnTrack, StatusWatch, StatusBehind}, r.Status):
		t.Errorf("%s: RollUp status %q", fmt.Sprintf(format, args...), r.Status)
	}
}

// fuzzNonBlank reports a blank s, named by format and args.
func fuzzNonBlank(t *testing.T, format, s string, args ...any) {
	if strings.TrimSpace(s) == "" {
		t.Errorf("%s = %q accepted, want a non-blank value", fmt.Sprintf(format, args...), s)
	}
}

// fuzzFinite reports a NaN or infinite v, named by format and args.
func fuzzFinite(t *testing.T, format string, v float64, args ...any) bool {
	if !fuzzIsFinite(v) {
		t.Errorf("%s = %v, want a finite number", fmt.Sprintf(format, args...), v)
		return false
	}
	return true
}

// fuzzNonNegative reports a v that is not finite and 0 or more.
func fuzzNonNegative(t *testing.T, format string, v float64, args ...any) {
	if fuzzFinite(t, format, v, args...) && v < 0 {
		t.Errorf("%s = %v, want 0 or more", fmt.Sprintf(format, args...), v)
	}
}

func fuzzIsFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func fuzzValidNumber(v float64) bool { return fuzzIsFinite(v) && v >= 0 }

// FuzzEvaluate fuzzes the progress math directly: a target, flow or stock,
// an as-of month, twelve monthly figures (present says which months have
// one), a pacing built from twelve monthly increments (or linear), and two
// roll-up weights. Any input must not panic and must keep the shape of a
// Progress; valid input (finite, 0 or more, pacing that passes Check) must
// give finite numbers that follow the documented rules.
func FuzzEvaluate(f *testing.F) {
	f.Add(120.0, false, 3, true, uint16(0b111), 1.0, 1.0,
		10.0, 10.0, 10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
		0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(3.0, true, 5, false, uint16(0b10100), 2.0, 0.0,
		0.0, 0.0, 2.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
		0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(0.0, false, 99, true, uint16(0xfff), 0.0, 0.0,
		1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
		0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(-1.0, false, -5, false, uint16(0b1), math.NaN(), math.Inf(1),
		math.Inf(-1), math.NaN(), -3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
		1.0, -1.0, math.NaN(), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, target float64, stock bool, asof int, linear bool, present uint16, w1, w2 float64,
		v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12 float64,
		d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12 float64) {
		values := [Months]float64{v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12}
		steps := [Months]float64{d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12}
		ind := &Indicator{Kind: KindFlow, Target: target}
		if stock {
			ind.Kind = KindStock
		}
		if !linear {
			ind.Pacing = make(Pacing, Months)
			sum := 0.0
			for m, d := range steps {
				sum += d
				ind.Pacing[m] = sum
			}
		}
		var figs MonthValues
		for m, v := range values {
			if present&(1<<m) != 0 {
				figs[m] = &v
			}
		}
		p := Evaluate(ind, figs, asof)
		fuzzCheckEvaluateShape(t, ind, figs, asof, p)
		if !fuzzValidInput(ind, figs, 1) {
			return
		}
		fuzzCheckProgress(t, p, "Evaluate(%s, target %v, asof %d)", ind.Kind, ind.Target, asof)
		fuzzCheckEvaluateRules(t, ind, figs, p)
		if fuzzValidInput(ind, figs, w1) && fuzzValidInput(ind, figs, w2) {
			year := Evaluate(ind, figs, Months)
			fuzzCheckRollup(t, RollUp([]Weighted{{w1, p}, {w2, year}}), 2, "weights %v, %v", w1, w2)
		}
	})
}

// fuzzValidInput reports whether the plan loader accepts an indicator of
// this kind, target, pacing and weight with these figures: today that means
// finite numbers, 0 or more, and a pacing that passes Check. Asking the
// loader keeps this target in step with any bound it adds later.
func fuzzValidInput(ind *Indicator, figs MonthValues, weight float64) bool {
	in := IndicatorFile{Name: "i", Unit: "u", Kind: ind.Kind, Target: &ind.Target, Weight: &weight}
	if len(ind.Pacing) > 0 {
		raw, err := json.Marshal([]float64(ind.Pacing))
		if err != nil {
			return false // NaN or ±Inf
		}
		in.Pacing = raw
	}
	for m, v := range figs {
		if v != nil {
			in.Figures = append(in.Figures, FigureFile{Month: m + 1, Value: *v})
		}
	}
	v := &ValidationError{}
	in.validate(v, "", 2020)
	return len(v.Problems) == 0
}

// fuzzCheckEvaluateShape checks what holds for any input: the as-of month is
// clamped, the missing months are the due months without a figure, the
// cumulative values stop at the as-of month, and the plan follows the
// pacing.
func fuzzCheckEvaluateShape(t *testing.T, ind *Indicator, figs MonthValues, asof int, p Progress) {
	want := min(max(asof, 1), Months)
	if p.AsOf != want {
		t.Fatalf("Evaluate(asof %d).AsOf = %d, want %d", asof, p.AsOf, want)
	}
	var missing []int
	for m := 1; m <= p.AsOf; m++ {
		if figs[m-1] == nil && (ind.Kind != KindStock || m == p.AsOf) {
			missing = append(missing, m)
		}
	}
	if !slices.Equal(p.Missing, missing) {
		t.Errorf("Evaluate(%s, asof %d).Missing = %v, want %v", ind.Kind, p.AsOf, p.Missing, missing)
	}
	seen := false
	for m := 1; m <= Months; m++ {
		seen = seen || figs[m-1] != nil
		c := p.Cumulative[m-1]
		switch {
		case m > p.AsOf && c != nil:
			t.Errorf("Cumulative[%d] = %v after as-of month %d, want nil", m-1, *c, p.AsOf)
		case m <= p.AsOf && ind.Kind == KindFlow && c == nil:
			t.Errorf("flow Cumulative[%d] = nil up to the as-of month", m-1)
		case m <= p.AsOf && ind.Kind == KindStock && (c != nil) != seen:
			t.Errorf("stock Cumulative[%d] = %v, want a value only from the first figure on", m-1, c)
		}
	}
	for m := 1; m <= Months; m++ {
		want := ind.Target * float64(m) / Months
		if len(ind.Pacing) == Months {
			want = ind.Pacing[m-1]
		}
		if !fuzzSame(p.Plan[m-1], want) {
			t.Errorf("Plan[%d] = %v, want %v", m-1, p.Plan[m-1], want)
		}
	}
	if !fuzzSame(p.Expected, p.Plan[p.AsOf-1]) {
		t.Errorf("Expected = %v, want Plan[%d] = %v", p.Expected, p.AsOf-1, p.Plan[p.AsOf-1])
	}
}

// fuzzCheckEvaluateRules checks the documented rules on valid input.
func fuzzCheckEvaluateRules(t *testing.T, ind *Indicator, figs MonthValues, p Progress) {
	var actual, sum float64
	for m := 1; m <= p.AsOf; m++ {
		if v := figs[m-1]; v != nil {
			sum += *v
			actual = *v // a stock's actual is its latest level
		}
	}
	if ind.Kind == KindFlow {
		actual = sum
	}
	if p.Actual != actual {
		t.Errorf("Evaluate(%s).Actual = %v, want %v", ind.Kind, p.Actual, actual)
	}
	if c := p.Cumulative[p.AsOf-1]; c != nil && *c != p.Actual {
		t.Errorf("Cumulative[asof] = %v, Actual = %v", *c, p.Actual)
	}
	// A ratio is actual / asked, or 1 when nothing was asked for. Beyond a
	// million it means nothing, and a cap there is fine.
	checkRatio := func(name string, got, a, b float64) {
		want := 1.0
		if b > 0 {
			want = a / b
		}
		if got != want && (want <= 1e6 || got < 1e6) {
			t.Errorf("%s = %v, want %v / %v = %v", name, got, a, b, want)
		}
	}
	checkRatio("Achievement", p.Achievement, p.Actual, ind.Target)
	checkRatio("Pace", p.Pace, p.Actual, p.Expected)
	var status Status
	switch {
	case p.Actual >= ind.Target:
		status = StatusReached
	case len(p.Missing) > 0:
		status = StatusMissing
	case p.Pace >= 0.95:
		status = StatusOnTrack
	case p.Pace >= 0.85:
		status = StatusWatch
	default:
		status = StatusBehind
	}
	if p.Status != status {
		t.Errorf("Status = %s with actual %v, target %v, pace %v, missing %v; want %s", p.Status, p.Actual, ind.Target, p.Pace, p.Missing, status)
	}
	// The forecast projects from the months that have a figure: it names
	// them, it exists only when one of them planned something, and a month
	// without a figure never moves it.
	for _, m := range p.ForecastFrom {
		if m < 1 || m > p.AsOf || figs[m-1] == nil {
			t.Errorf("ForecastFrom = %v names month %d, which has no figure up to as-of %d", p.ForecastFrom, m, p.AsOf)
		}
	}
	if (p.Forecast == nil) != (len(p.ForecastFrom) == 0) && p.Forecast != nil {
		t.Errorf("Forecast = %v from months %v, want a forecast only from months with a figure", *p.Forecast, p.ForecastFrom)
	}
	if p.AsOf < Months && figs[p.AsOf] == nil {
		next := Evaluate(ind, figs, p.AsOf+1)
		if (next.Forecast == nil) != (p.Forecast == nil) || (p.Forecast != nil && *next.Forecast != *p.Forecast) {
			t.Errorf("Forecast as of %d = %v, as of %d (no figure) = %v; a month without a figure must not move it", p.AsOf, p.Forecast, p.AsOf+1, next.Forecast)
		}
	}
}

// fuzzSame is a == b, with NaN equal to NaN.
func fuzzSame(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// FuzzEvaluateMilestone fuzzes the milestone judgement: due and done dates
// given as days from the start of the plan year, a state and an as-of
// month.
func FuzzEvaluateMilestone(f *testing.F) {
	f.Add(2020, 3, true, int16(89), true, int16(79), "planned")
	f.Add(2020, 4, true, int16(89), false, int16(0), "")
	f.Add(2020, 6, true, int16(365), false, int16(0), "delayed")
	f.Add(2020, 13, false, int16(0), true, int16(-400), "done")
	f.Fuzz(func(t *testing.T, year, asof int, hasDue bool, due int16, hasDone bool, done int16, state string) {
		ind := &Indicator{Kind: KindMilestone, Target: 1, Weight: 1, MilestoneState: MilestoneState(state)}
		day := func(d int16) *time.Time {
			tm := time.Date(year, time.January, 1+int(d), 0, 0, 0, 0, time.UTC)
			return &tm
		}
		if hasDue {
			ind.DueDate = day(due)
		}
		if hasDone {
			ind.DoneDate = day(done)
		}
		p := EvaluateMilestone(ind, year, asof)
		if year < 2000 || year > 2100 {
			return // only the absence of a panic is promised
		}
		fuzzCheckProgress(t, p, "EvaluateMilestone(due %v, done %v, asof %d)", ind.DueDate, ind.DoneDate, asof)
		end := MonthEnd(year, p.AsOf)
		isDone := ind.DoneDate != nil && !ind.DoneDate.After(end)
		isDue := ind.DueDate != nil && !ind.DueDate.After(end)
		var status Status
		switch {
		case isDone:
			status = StatusReached
		case isDue || ind.MilestoneState == MilestoneDelayed:
			status = StatusBehind
		default:
			status = StatusOnTrack
		}
		if p.Status != status || p.Actual != fuzzBit(isDone) || p.Expected != fuzzBit(isDue) || p.Achievement != p.Actual {
			t.Errorf("EvaluateMilestone(due %v, done %v, %q, asof %d) = %s, actual %v, expected %v, achievement %v; want %s, %v, %v",
				ind.DueDate, ind.DoneDate, state, p.AsOf, p.Status, p.Actual, p.Expected, p.Achievement, status, fuzzBit(isDone), fuzzBit(isDue))
		}
		if p.Pace > 1 {
			t.Errorf("EvaluateMilestone pace = %v, want at most 1", p.Pace)
		}
		for m := 1; m < Months; m++ {
			if p.Plan[m-1] > p.Plan[m] || (p.Plan[m] != 0 && p.Plan[m] != 1) {
				t.Errorf("EvaluateMilestone plan = %v, want 0 then 1 from the due month", p.Plan)
				break
			}
		}
	})
}

func fuzzBit(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
