package charts

import (
	"encoding/json"
	"strings"
	"testing"

	"jobkpi/models"
)

func sample() *models.IndicatorSummary {
	ind := &models.Indicator{Kind: models.KindFlow, Target: 120, Name: "</script><b>x"}
	var figs models.MonthValues
	for m := range 3 {
		v := 10.0
		figs[m] = &v
	}
	return &models.IndicatorSummary{Indicator: ind, Figures: figs, Progress: models.Evaluate(ind, figs, 3)}
}

func marshal(t *testing.T, opt map[string]any) string {
	t.Helper()
	b, err := json.Marshal(opt)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCumulativeIsDeterministic(t *testing.T) {
	l := Labels{Actual: "실적", Expected: "계획", Target: "목표"}
	a := marshal(t, Option(Cumulative("c", sample(), l)))
	b := marshal(t, Option(Cumulative("c", sample(), l)))
	if a != b {
		t.Errorf("Cumulative gives different options for the same input:\n%s\n%s", a, b)
	}
}

func TestCumulativeOption(t *testing.T) {
	opt := Option(Cumulative("c", sample(), Labels{Actual: "실적", Expected: "계획", Target: "목표", Description: "</script>"}))
	js := marshal(t, opt)
	for _, want := range []string{
		`"renderMode":"richText"`, `"fontFamily":"PretendardGOV`, `"animation":false`,
		`"data":[{"value":10},{"value":20},{"value":30},{"value":"-"}`, // actual to date, then gaps
		`"yAxis":120`, // the target line
		`"aria":{"enabled":true`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("option lacks %s:\n%s", want, js)
		}
	}
	if _, ok := opt["toolbox"]; ok {
		t.Error("option has a toolbox")
	}
	if strings.Contains(js, "</script>") {
		t.Error("option JSON carries an unescaped </script>")
	}
}

func TestTaskProgressSkipsUnmeasuredTasks(t *testing.T) {
	tasks := []models.TaskSummary{
		{Rollup: models.Rollup{Achievement: 0.5, Status: models.StatusWatch}},
		{Rollup: models.Rollup{Status: models.StatusNone}},
	}
	js := marshal(t, Option(TaskProgress("t", tasks, []string{"a", "b"}, Labels{Achievement: "달성률"})))
	if !strings.Contains(js, `"data":[{"value":50},{"value":"-"}]`) {
		t.Errorf("task bars = %s, want 50 then no bar", js)
	}
	if !strings.Contains(js, `"yAxis":[{"type":"category","inverse":true,"data":["a","b"]}]`) {
		t.Errorf("task names are not on the category axis: %s", js)
	}
}
