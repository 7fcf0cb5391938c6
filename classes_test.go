package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"jobkpi/models"
)

// TestLikeUnitSubtotals puts a 건 indicator and two 명 indicators (실인원
// and 미상) under one 분야. The plan's 분야 table shows a labelled subtotal
// for each unit and 집계 기준, and no page or API answer adds any two of
// them together.
func TestLikeUnitSubtotals(t *testing.T) {
	s := newTestServer(t, true)
	pf, err := models.ParsePlanFile(strings.NewReader(`{"year":2024,"city":"김포시","title":"2024년 계획","tasks":[{"code":"T1","name":"과제","programs":[
		{"name":"상담 사업","field":"service","groups":["youth","women"],"indicators":[
			{"name":"상담 건수","kind":"flow","unit":"건","target":7,"figures":[{"month":1,"value":3}]},
			{"name":"상담 참여자","kind":"flow","unit":"명","basis":"people","target":1234,"figures":[{"month":1,"value":111}]}]},
		{"name":"박람회","field":"service","groups":["youth"],"indicators":[
			{"name":"박람회 참가자","kind":"flow","unit":"명","basis":"unknown","target":4321,"figures":[{"month":1,"value":222}]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ImportPlan(context.Background(), pf); err != nil {
		t.Fatal(err)
	}
	plan := s.newClient(t).get(t, "/plans/2024?asof=1")
	_, table, _ := strings.Cut(plan.body, `id="fields"`)
	table, _, _ = strings.Cut(table, "</section>")
	for _, want := range []string{
		"고용서비스 소계",
		"건 합계(지표 1개): 실적 3 / 목표 7",
		"명, 실인원 합계(지표 1개): 실적 111 / 목표 1,234",
		"명, 집계 기준 미상 합계(지표 1개): 실적 222 / 목표 4,321",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the 분야 table lacks %q", want)
		}
	}
	// Any two of the three added together, or all three.
	sums := []string{"1,241", "4,328", "5,555", "5,562", "333", "225", "114", "336"}
	pages := []string{"/plans/2024?asof=1", "/?asof=1", "/plans/2024/tasks/T1?asof=1", "/plans/2024/groups?asof=1", "/plans/2024/results.csv?asof=1"}
	for _, path := range pages {
		body := s.newClient(t).get(t, path).body
		for _, sum := range sums {
			if strings.Contains(body, ">"+sum+"<") || strings.Contains(body, " "+sum+" ") || strings.Contains(body, " "+sum+"명") || strings.Contains(body, ","+sum+",") {
				t.Errorf("%s shows %s, a sum of numbers of different units or bases", path, sum)
			}
		}
	}
	council := s.loginAs(t, "council")
	if report := council.get(t, "/reports/2024?asof=1"); strings.Contains(report.body, "1,241") || strings.Contains(report.body, "5,555") || strings.Contains(report.body, "5,562") {
		t.Error("the council report adds numbers of different units or bases")
	}

	_, _, body := s.get(t, "/api/v1/plans/2024?asof=1")
	var answer struct {
		Fields []struct {
			Code      string `json:"code"`
			Subtotals []struct {
				Unit   string   `json:"unit"`
				Basis  string   `json:"basis"`
				Count  int      `json:"count"`
				Target *float64 `json:"target"`
				Actual *float64 `json:"actual"`
			} `json:"subtotals"`
		} `json:"fields"`
	}
	if err := json.Unmarshal([]byte(body), &answer); err != nil {
		t.Fatal(err)
	}
	if len(answer.Fields) != 1 || answer.Fields[0].Code != "service" || len(answer.Fields[0].Subtotals) != 3 {
		t.Fatalf("the API's 분야 roll-up = %s, want one 분야 with three subtotals", body)
	}
	want := map[string]float64{"건/": 7, "명/people": 1234, "명/unknown": 4321}
	for _, st := range answer.Fields[0].Subtotals {
		key := st.Unit + "/" + st.Basis
		if st.Target == nil || *st.Target != want[key] || st.Count != 1 {
			t.Errorf("the API's subtotal %s = %+v, want target %v of one indicator", key, st, want[key])
		}
		delete(want, key)
	}
	for _, n := range []string{"1241", "4328", "5555", "5562", "333"} {
		if strings.Contains(body, ":"+n+",") || strings.Contains(body, ":"+n+"}") {
			t.Errorf("the API answers %s, a sum of numbers of different units or bases", n)
		}
	}
	// The groups page lists a programme for two groups under each, and
	// says so.
	groups := s.newClient(t).get(t, "/plans/2024/groups?asof=1")
	if !strings.Contains(groups.body, "목록이 겹치므로") || strings.Count(groups.body, "<th scope=\"row\">상담 사업") != 2 {
		t.Errorf("the groups page does not list 상담 사업 under youth and women and say the lists overlap")
	}
}
