package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"jobkpi/models"
)

// entryPlan imports a plan for year with flow indicators of target 120 명:
// own (일자리경제과, followed by a second one of the same department) and
// other (노인장애인과). It returns own and other.
func entryPlan(t testing.TB, s *testServer, year int) (own, other uint) {
	t.Helper()
	pf, err := models.ParsePlanFile(strings.NewReader(fmt.Sprintf(`{"year":%d,"city":"김포시","title":"%d년 계획","published":"unknown","tasks":[{"code":"T1","name":"공공 일자리 창출","programs":[
		{"name":"공공근로","department":"일자리경제과","indicators":[{"name":"공공근로 선발","kind":"flow","unit":"명","unit_en":"people","target":120,"headline":true},
			{"name":"공공근로 교육","kind":"flow","unit":"회","unit_en":"times","target":12}]},
		{"name":"노인일자리","department":"노인장애인과","indicators":[{"name":"노인일자리 참여","kind":"flow","unit":"명","target":120}]}]}]}`, year, year)))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := s.store.ImportPlan(context.Background(), pf)
	if err != nil {
		t.Fatal(err)
	}
	return plan.Tasks[0].Programs[0].Indicators[0].ID, plan.Tasks[0].Programs[1].Indicators[0].ID
}

// putFigure sends a figure with the session's CSRF token in the header,
// or with a bearer token when token is set.
func (b *browserClient) putFigure(t testing.TB, path, body, token string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, b.s.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set("X-CSRF-Token", b.csrf(t))
	}
	return b.do(t, req)
}

func TestFigureAPI(t *testing.T) {
	s := newTestServer(t, true)
	now := time.Now().In(models.KST)
	own, other := entryPlan(t, s, now.Year())
	staff := s.loginAs(t, "staff")
	path := fmt.Sprintf("/api/v1/figures/%d/%d/%d", own, now.Year(), int(now.Month()))

	a := staff.putFigure(t, path, `{"value": 12, "note": "선발", "version": 0}`, "")
	var f struct {
		Value   float64 `json:"value"`
		Version int     `json:"version"`
		Status  string  `json:"status"`
	}
	if a.status != http.StatusCreated || json.Unmarshal([]byte(a.body), &f) != nil || f.Value != 12 || f.Version != 1 || f.Status != "draft" {
		t.Fatalf("first PUT = %d %s", a.status, a.body)
	}
	a = staff.putFigure(t, path, `{"value": 13, "note": "", "version": 1}`, "")
	if a.status != http.StatusOK {
		t.Fatalf("second PUT = %d %s", a.status, a.body)
	}
	a = staff.putFigure(t, path, `{"value": 14, "note": "", "version": 1}`, "")
	if a.status != http.StatusConflict || !strings.Contains(a.body, `"current"`) || !strings.Contains(a.body, "staff") {
		t.Errorf("stale PUT = %d %s, want 409 naming who changed it", a.status, a.body)
	}
	if a := staff.get(t, path); a.status != http.StatusOK || !strings.Contains(a.body, `"version":2`) {
		t.Errorf("GET figure = %d %s", a.status, a.body)
	}
	otherPath := fmt.Sprintf("/api/v1/figures/%d/%d/%d", other, now.Year(), int(now.Month()))
	if a := staff.putFigure(t, otherPath, `{"value": 1, "note": "", "version": 0}`, ""); a.status != http.StatusForbidden {
		t.Errorf("another department's indicator = %d, want 403", a.status)
	}
	// A bearer token works without a cookie or CSRF token.
	users, _ := s.store.Users(context.Background())
	var staffUser *models.User
	for i := range users {
		if users[i].Login == "staff" {
			staffUser = &users[i]
		}
	}
	token, err := s.store.NewAPIToken(context.Background(), staffUser, "script")
	if err != nil {
		t.Fatal(err)
	}
	script := s.newClient(t)
	if a := script.putFigure(t, path, `{"value": 20, "note": "", "version": 2}`, token); a.status != http.StatusOK {
		t.Errorf("PUT with an API token = %d %s", a.status, a.body)
	}
	if a := script.putFigure(t, path, `{"value": 21, "note": "", "version": 3}`, "jk_wrong"); a.status != http.StatusUnauthorized {
		t.Errorf("PUT with a wrong token = %d, want 401", a.status)
	}
	// Only the approved value reaches the public API.
	_, _, body := s.get(t, fmt.Sprintf("/api/v1/plans/%d", now.Year()))
	if strings.Contains(body, `"value":20`) {
		t.Error("a draft value is public")
	}
}

func TestFigureAPILockedMonth(t *testing.T) {
	s := newTestServer(t, true)
	year := time.Now().Year() - 1
	own, _ := entryPlan(t, s, year)
	a := s.loginAs(t, "staff").putFigure(t, fmt.Sprintf("/api/v1/figures/%d/%d/1", own, year), `{"value": 1, "note": "", "version": 0}`, "")
	if a.status != http.StatusLocked || !strings.Contains(a.body, fmt.Sprintf(`"locked_since":"%d-02-10"`, year)) {
		t.Errorf("PUT to a locked month = %d %s, want 423 with the lock date", a.status, a.body)
	}
}

// TestOpenAPICoversEveryRoute checks that every API route the router has is
// documented, with its method.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	s := newTestServer(t, false)
	status, hdr, body := s.get(t, "/api/openapi.json")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json = %d %s", status, hdr.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("not an OpenAPI 3 document: %v", err)
	}
	e, err := newServer(s.store, discardLog(), config{public: true})
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([a-z]+)`)
	checked := 0
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" {
			continue
		}
		path := param.ReplaceAllString(r.Path, "{$1}")
		path = strings.Replace(path, "/figures/{id}/", "/figures/{indicatorID}/", 1)
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in /api/openapi.json (as %s)", r.Method, r.Path, path)
		}
		checked++
	}
	if checked < 6 {
		t.Errorf("checked %d API routes, want at least 6", checked)
	}
	checkPlanFieldsDocumented(t, s, body)
}

// checkPlanFieldsDocumented checks that every field of a plan's answer,
// of its outcomes and of their results is in the schema that documents it.
func checkPlanFieldsDocumented(t *testing.T, s *testServer, doc string) {
	t.Helper()
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(doc), &spec); err != nil {
		t.Fatal(err)
	}
	var plan map[string]json.RawMessage
	_, _, body := s.get(t, "/api/v1/plans/2020")
	if err := json.Unmarshal([]byte(body), &plan); err != nil {
		t.Fatal(err)
	}
	var outcomes []map[string]json.RawMessage
	if err := json.Unmarshal(plan["outcomes"], &outcomes); err != nil || len(outcomes) == 0 {
		t.Fatalf("the 2020 plan's answer has no outcomes: %v", err)
	}
	var results []map[string]json.RawMessage
	if err := json.Unmarshal(outcomes[0]["results"], &results); err != nil || len(results) == 0 {
		t.Fatalf("the 2020 employment rate has no results in the answer: %v", err)
	}
	for schema, fields := range map[string]map[string]json.RawMessage{"Plan": plan, "Outcome": outcomes[0], "OutcomeResult": results[0]} {
		for f := range fields {
			if _, ok := spec.Components.Schemas[schema].Properties[f]; !ok {
				t.Errorf("field %q of the plan's answer is not in the %s schema of /api/openapi.json", f, schema)
			}
		}
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestOpenAPIDocumentsPlanFields checks that every field of a real plan
// answer, its programmes, indicators and 분야 groups is documented in
// /api/openapi.json, so a new field cannot go undocumented.
func TestOpenAPIDocumentsPlanFields(t *testing.T) {
	s := newTestServer(t, true)
	_, _, body := s.get(t, "/api/openapi.json")
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	status, _, plan := s.get(t, "/api/v1/plans/2020")
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/plans/2020 = %d", status)
	}
	var answer map[string]json.RawMessage
	if err := json.Unmarshal([]byte(plan), &answer); err != nil {
		t.Fatal(err)
	}
	check := func(schema string, raw json.RawMessage) {
		t.Helper()
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Fatalf("%s: %v", schema, err)
		}
		props := doc.Components.Schemas[schema].Properties
		for key := range obj {
			if _, ok := props[key]; !ok {
				t.Errorf("the API answers %s.%s, which /api/openapi.json does not document", schema, key)
			}
		}
	}
	first := func(key string) json.RawMessage {
		var items []json.RawMessage
		if err := json.Unmarshal(answer[key], &items); err != nil || len(items) == 0 {
			t.Fatalf("the plan answer has no %s", key)
		}
		return items[0]
	}
	check("Plan", json.RawMessage(plan))
	check("Program", first("programs"))
	check("Indicator", first("indicators"))
	check("FieldGroup", first("fields"))
}
