package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jobkpi/models"
	"jobkpi/models/storetest"
)

// roundRobin is a load balancer for the two-instance test: a reverse
// proxy that sends each request to the next live instance in turn. An
// instance it cannot connect to is marked down and the request goes to
// the next, as a load balancer's health check would have it; a request
// that reached an instance which then died gets 502, unanswered.
type roundRobin struct {
	backends []*url.URL
	down     []atomic.Bool
	next     atomic.Uint64
	served   []atomic.Int64 // answers per instance
	tr       *http.Transport
}

func newRoundRobin(t *testing.T, bases ...string) (*roundRobin, *httptest.Server) {
	t.Helper()
	rr := &roundRobin{down: make([]atomic.Bool, len(bases)), served: make([]atomic.Int64, len(bases)),
		tr: &http.Transport{MaxIdleConnsPerHost: 32}}
	for _, b := range bases {
		u, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		rr.backends = append(rr.backends, u)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetXForwarded()
			pr.Out.Host = pr.In.Host
		},
		Transport: rr,
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(func() { srv.Close(); rr.tr.CloseIdleConnections() })
	return rr, srv
}

func (rr *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	for range 2 * len(rr.backends) {
		i := int(rr.next.Add(1) % uint64(len(rr.backends)))
		if rr.down[i].Load() {
			continue
		}
		out := req.Clone(req.Context())
		out.URL.Scheme, out.URL.Host = rr.backends[i].Scheme, rr.backends[i].Host
		out.Body = io.NopCloser(strings.NewReader(string(body)))
		res, err := rr.tr.RoundTrip(out)
		var op *net.OpError
		if err != nil && errors.As(err, &op) && op.Op == "dial" {
			rr.down[i].Store(true)
			continue
		}
		if err == nil {
			rr.served[i].Add(1)
		}
		return res, err
	}
	return nil, errors.New("no instance is up")
}

// remote is a test client's view of a server at base that this process
// did not start.
func remote(base string) *testServer {
	return &testServer{Server: &httptest.Server{URL: base}}
}

// TestTwoInstances runs two jobkpi processes on one PostgreSQL database
// behind a round-robin load balancer: sign-in failures spread over both
// count together, an approval made on one shows on the other's public
// page within a second, and when one is killed with SIGKILL in the middle
// of figure writes, the other serves every request after it and no
// acknowledged write is lost.
func TestTwoInstances(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("several instances share a PostgreSQL database (JOBKPI_TEST_DB); a SQLite file has one")
	}
	year := time.Now().In(models.KST).Year()
	db := storetest.DSN(t)
	store, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed(context.Background(), store, config{demo: true, noSampleYear: true}, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	store.Close()
	ids, token := prepareFigureCrashDB(t, db, year)

	procA, baseA := startServer(t, db, "-trusted-proxies", "127.0.0.1")
	procB, baseB := startServer(t, db, "-trusted-proxies", "127.0.0.1")
	if u, err := url.Parse(db); err == nil {
		if pw, ok := u.User.Password(); ok && strings.Contains(procA.Stdout()+procA.stderr.String(), pw) {
			t.Errorf("the server's output shows the database password: %s", procA.Stdout())
		}
	}
	rr, lb := newRoundRobin(t, baseA, baseB)
	via := remote(lb.URL)

	t.Run("sign-in failures count across instances", func(t *testing.T) {
		client := via.newClient(t)
		for i := range 5 {
			a := client.post(t, "/login", url.Values{"login": {"council"}, "password": {"not the password"}})
			if a.status != http.StatusUnauthorized && a.status != http.StatusOK {
				t.Fatalf("failed sign-in %d = %d, want the form again", i+1, a.status)
			}
		}
		if a := client.post(t, "/login", url.Values{"login": {"council"}, "password": {demoPassword(t, "council")}}); a.status != http.StatusTooManyRequests {
			t.Errorf("the sixth sign-in, after five failures spread over both instances = %d, want 429", a.status)
		}
		if rr.served[0].Load() == 0 || rr.served[1].Load() == 0 {
			t.Errorf("the balancer sent %d requests to A and %d to B, want both", rr.served[0].Load(), rr.served[1].Load())
		}
	})

	t.Run("an upload made on one is saved on the other", func(t *testing.T) {
		id, month := ids[len(ids)-2], int(time.Now().In(models.KST).Month())
		onA := remote(baseA).newClient(t)
		if a := onA.post(t, "/login", url.Values{"login": {"crash-writer"}, "password": {"kill nine, then count"}}); a.status != http.StatusSeeOther {
			t.Fatalf("crash-writer sign-in on A = %d", a.status)
		}
		onB := onA.on(remote(baseB)) // the same browser, so the same session
		tpl := onA.get(t, fmt.Sprintf("/entry/%d/template.xlsx", year))
		if tpl.status != http.StatusOK {
			t.Fatalf("template from A = %d", tpl.status)
		}
		f, err := excelize.OpenReader(strings.NewReader(tpl.body))
		if err != nil {
			t.Fatal(err)
		}
		setTemplateCell(t, f, id, month, "I", 2468)
		up := onA.upload(t, fmt.Sprintf("/entry/%d/upload", year), "실적.xlsx", workbookBytes(t, f))
		if up.status != http.StatusSeeOther {
			t.Fatalf("upload on A = %d: %.500s", up.status, up.body)
		}
		if p := onB.preview(t, up); p.status != http.StatusOK || !saveButton.MatchString(p.body) {
			t.Fatalf("preview on B = %d: %.1000s", p.status, p.body)
		}
		if c := onB.post(t, up.location, url.Values{"action": {"commit"}}); c.status != http.StatusSeeOther || !strings.Contains(c.location, "done=save&n=1") {
			t.Fatalf("save on B = %d %s: %.500s", c.status, c.location, c.body)
		}
		conn := openReadOnly(t, db)
		defer conn.Close()
		var value float64
		var version int
		if err := conn.QueryRow(storetest.Q("SELECT value, version FROM figures WHERE indicator_id = ? AND year = ? AND month = ?"), id, year, month).Scan(&value, &version); err != nil || value != 2468 || version != 1 {
			t.Errorf("the uploaded figure = %v v%d (%v), want 2468 saved once (v1)", value, version, err)
		}
	})

	t.Run("an approval on one shows on the other", func(t *testing.T) {
		id, month := ids[len(ids)-1], int(time.Now().In(models.KST).Month())
		page := fmt.Sprintf("/plans/%d/indicators/%d", year, id)
		onB := remote(baseB).newClient(t)
		if a := onB.get(t, page); a.status != http.StatusOK || strings.Contains(a.body, "4,321") {
			t.Fatalf("B's page before = %d, shows 4,321: %v", a.status, strings.Contains(a.body, "4,321"))
		}
		staff := remote(baseA).newClient(t)
		if a := staff.post(t, "/login", url.Values{"login": {"crash-writer"}, "password": {"kill nine, then count"}}); a.status != http.StatusSeeOther {
			t.Fatalf("crash-writer sign-in on A = %d", a.status)
		}
		if a := staff.putFigure(t, fmt.Sprintf("/api/v1/figures/%d/%d/%d", id, year, month), `{"value": 4321, "version": 0}`, token); a.status != http.StatusCreated {
			t.Fatalf("save on A = %d: %s", a.status, a.body)
		}
		if a := staff.post(t, fmt.Sprintf("/entry/%d", year), url.Values{"action": {"submit"}, "dept": {figureCrashDept}, "month": {fmt.Sprint(month)}}); a.status != http.StatusSeeOther {
			t.Fatalf("submit on A = %d: %.300s", a.status, a.body)
		}
		official := remote(baseA).newClient(t)
		if a := official.post(t, "/login", url.Values{"login": {"official"}, "password": {demoPassword(t, "official")}}); a.status != http.StatusSeeOther {
			t.Fatalf("official sign-in on A = %d", a.status)
		}
		if a := official.post(t, "/review/approve", url.Values{"pick": {fmt.Sprintf("%d-%d-%d-2", id, year, month)}}); a.status != http.StatusSeeOther {
			t.Fatalf("approve on A = %d: %.300s", a.status, a.body)
		}
		approved := time.Now()
		for {
			a := onB.get(t, page)
			if strings.Contains(a.body, "4,321") {
				t.Logf("B's public page showed the approval made on A after %v", time.Since(approved).Round(time.Millisecond))
				break
			}
			if time.Since(approved) > 3*time.Second {
				t.Fatalf("B's public page does not show the approval made on A %v later", time.Since(approved).Round(time.Millisecond))
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("one instance killed mid-run", func(t *testing.T) {
		writers := make([]*figureWriter, len(ids)-2) // the last two took the upload and the approval
		for i := range writers {
			writers[i] = &figureWriter{id: ids[i], year: year, month: int(time.Now().In(models.KST).Month()), token: token, next: 1}
		}
		client := &http.Client{Timeout: 10 * time.Second}
		conn := openReadOnly(t, db)
		var mu sync.Mutex // checkFigureWriter reconciles one writer at a time
		var acked atomic.Int64
		killed := make(chan struct{})
		const after = 25 // writes each writer makes once the kill is done
		unanswered := make([]int, len(writers))
		var wg sync.WaitGroup
		for i, w := range writers {
			wg.Go(func() {
				u := fmt.Sprintf("%s/api/v1/figures/%d/%d/%d", lb.URL, w.id, w.year, w.month)
				if !w.resync(client, u) {
					return
				}
				sinceKill := 0
				for sinceKill < after {
					select {
					case <-killed:
						sinceKill++
					default:
					}
					sent := figureState{Value: float64(w.next), Version: w.version + 1}
					w.next++
					w.unanswered = append(w.unanswered, sent)
					status, raw, err := w.send(client, http.MethodPut, u, fmt.Sprintf(`{"value": %d, "version": %d}`, int(sent.Value), w.version))
					if err != nil || status == http.StatusBadGateway {
						// The instance it reached died: find what was stored.
						unanswered[i]++
						mu.Lock()
						_, _, err := checkFigureWriter(conn, w)
						mu.Unlock()
						if err != nil || !w.resync(client, u) {
							w.err = fmt.Errorf("after an unanswered write: %v %v", err, w.err)
							return
						}
						continue
					}
					var got figureState
					if status != http.StatusOK && status != http.StatusCreated || json.Unmarshal(raw, &got) != nil || got != sent {
						w.err = fmt.Errorf("PUT = %d %s, want %+v", status, raw, sent)
						return
					}
					w.held, w.unanswered, w.version = &got, nil, got.Version
					w.acked = append(w.acked, got)
					acked.Add(1)
				}
			})
		}
		for acked.Load() < 50 {
			time.Sleep(5 * time.Millisecond)
		}
		procA.cmd.Process.Signal(syscall.SIGKILL)
		procA.wait(t)
		servedByB := rr.served[1].Load()
		close(killed)
		wg.Wait()
		for i, w := range writers {
			if w.err != nil {
				t.Fatalf("writer %d: %v", i, w.err)
			}
			if unanswered[i] > 2 {
				t.Errorf("writer %d had %d writes unanswered; only those in flight at the kill may be", i, unanswered[i])
			}
		}
		c := checkFigureWriters(t, db, writers)
		t.Logf("two instances: acked=%d lost=%d audit-missing=%d unanswered-at-kill=%v; B answered %d requests after the kill",
			c.acked, c.lost, c.missing, unanswered, rr.served[1].Load()-servedByB)
		if c.lost > 0 || c.missing > 0 {
			t.Errorf("%d acknowledged writes lost, %d audit rows missing", c.lost, c.missing)
		}
		if a := remote(baseB).newClient(t).get(t, "/healthz"); a.status != http.StatusOK {
			t.Errorf("B after A's death: /healthz = %d", a.status)
		}
	})
	procB.kill9After(0, nil)
	procB.wait(t)
}
