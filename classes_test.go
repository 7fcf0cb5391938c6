package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
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
	pf, err := models.ParsePlanFile(strings.NewReader(`{"year":2024,"city":"김포시","title":"2024년 계획","published":"unknown","tasks":[{"code":"T1","name":"과제","programs":[
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

// TestAdminAddsField: an admin adds a 분야; an official classifies a
// programme of the published 2020 plan with it, which waits in the draft
// revision worded by the 분야's name.
func TestAdminAddsField(t *testing.T) {
	s := newTestServer(t, true)
	admin, official := s.loginAs(t, "admin"), s.loginAs(t, "official")
	if a := admin.post(t, "/admin/fields", url.Values{"name": {"고용서비스"}}); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "고용서비스 분야가 이미 있습니다") {
		t.Errorf("adding an existing 분야 = %d, want 422 saying it exists", a.status)
	}
	if a := admin.post(t, "/admin/fields", url.Values{"name": {"사회적경제"}, "name_en": {"Social economy"}}); a.status != http.StatusSeeOther {
		t.Fatalf("add a 분야 = %d: %.300s", a.status, a.body)
	}
	fields, err := s.store.Fields(t.Context())
	if err != nil || len(fields) != 8 || fields[7].Name != "사회적경제" {
		t.Fatalf("the 분야 list = %+v, %v; want the seven and 사회적경제 last", fields, err)
	}
	a := official.post(t, "/plans/2020/programs/1/plan", url.Values{"field": {fields[7].Code}, "reason": {"사회적경제 사업으로 분류"}})
	if a.status != http.StatusSeeOther || !strings.Contains(a.location, "/plans/2020/revision") {
		t.Fatalf("classify a programme of a published plan = %d %s, want the draft revision", a.status, a.location)
	}
	if page := official.get(t, "/plans/2020/revision"); !strings.Contains(page.body, "미분류 → 사회적경제") {
		t.Error("the draft revision does not word the change by the 분야's name")
	}
	if page := official.get(t, "/plans/2020/revision?lang=en"); !strings.Contains(page.body, "Unclassified → Social economy") {
		t.Error("the English draft revision does not word the change by the 분야's English name")
	}
}
