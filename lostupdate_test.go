package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jobkpi/models"
)

// TestNoLostUpdates has 16 editors each make 200 read-then-write attempts
// on one figure, adding 1 to what they read. With optimistic versions every
// stale write gets 409, so the final value equals the number of successes.
func TestNoLostUpdates(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 3,200 writes")
	}
	const editors, attempts = 16, 200
	s := newTestServer(t, false)
	now := time.Now().In(models.KST)
	own, _ := entryPlan(t, s, now.Year())
	ctx := context.Background()
	u, err := s.store.CreateUser(ctx, models.UserInput{Login: "editor", DisplayName: "e", Department: "일자리경제과",
		Role: models.RoleStaff, Password: "editor passphrase 1"}, false, nil, models.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.store.NewAPIToken(ctx, u, "editors")
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("%s/api/v1/figures/%d/%d/%d", s.URL, own, now.Year(), int(now.Month()))
	send := func(method, body string) (int, string) {
		req, _ := http.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := s.Client().Do(req)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	// The target is 120 명, so values above 240 need the confirmation.
	if code, body := send("PUT", `{"value": 0, "note": "start", "version": 0}`); code != http.StatusCreated {
		t.Fatalf("first PUT = %d %s", code, body)
	}
	var ok, conflicts, other atomic.Int64
	var wg sync.WaitGroup
	for range editors {
		wg.Go(func() {
			for range attempts {
				code, body := send("GET", "")
				var f struct {
					Value   float64 `json:"value"`
					Version int     `json:"version"`
				}
				if code != http.StatusOK || json.Unmarshal([]byte(body), &f) != nil {
					other.Add(1)
					continue
				}
				put := fmt.Sprintf(`{"value": %d, "note": "counting", "version": %d, "confirm": true}`, int(f.Value)+1, f.Version)
				switch code, body := send("PUT", put); code {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusConflict:
					conflicts.Add(1)
				default:
					other.Add(1)
					t.Errorf("PUT = %d %s", code, body)
				}
			}
		})
	}
	wg.Wait()
	f, err := s.store.Figure(ctx, own, now.Year(), int(now.Month()))
	if err != nil {
		t.Fatal(err)
	}
	lost := ok.Load() - int64(f.Value)
	summary := fmt.Sprintf("lost-updates: editors=%d attempts=%d ok=%d conflicts=%d other=%d final=%v lost=%d",
		editors, editors*attempts, ok.Load(), conflicts.Load(), other.Load(), f.Value, lost)
	fmt.Println(summary)
	t.Log(summary)
	if lost != 0 || other.Load() != 0 || ok.Load()+conflicts.Load() != editors*attempts {
		t.Errorf("%s: want lost=0, other=0 and every attempt either 200 or 409", summary)
	}
	history, err := s.store.FigureHistory(ctx, own)
	if err != nil || int64(len(history)) != ok.Load()+1 {
		t.Errorf("audit rows = %d, want one per successful write (%d): %v", len(history), ok.Load()+1, err)
	}
}
