package models

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestPublishResultsAtOnce: two officials publishing the same 상반기 at
// once make one version; the other is told the results changed, or that
// nothing changed since, and nothing else is written.
func TestPublishResultsAtOnce(t *testing.T) {
	s := openTestStore(t)
	s.SetClock(func() time.Time { return time.Date(2031, 1, 15, 0, 0, 0, 0, time.UTC) })
	cyclePlan(t, s, 2030, "2030-03-30", true)
	a, b := newUser(t, s, "official", RoleOfficial), newUser(t, s, "official2", RoleOfficial)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, u := range []*User{a, b} {
		wg.Go(func() { _, errs[i] = s.PublishResults(ctx, u, PublishResultsInput{Year: 2030, Period: "h1"}) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var v *ValidationError
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrResultsChanged), errors.As(err, &v):
		default:
			t.Errorf("publishing at once: %v, want a refusal the user can act on", err)
		}
	}
	versions, err := s.ResultsVersions(ctx, 2030, "h1")
	if err != nil || ok != 1 || len(versions) != 1 {
		t.Errorf("published %d times, %d versions (%v), want exactly one", ok, len(versions), err)
	}
}

// TestResultsPeriods reads the periods a report covers.
func TestResultsPeriods(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		end  int
	}{{"", "2020", 12}, {"2020", "2020", 12}, {"2020-h1", "2020-H1", 6}, {"2020-Q2", "2020-Q2", 6}, {"2020-03", "2020-03", 3}} {
		p, err := ParseReportPeriod(c.in, 2020)
		if err != nil || p.String() != c.want || p.End() != c.end {
			t.Errorf("ParseReportPeriod(%q) = %v (end %d), %v; want %s ending %d", c.in, p, p.End(), err, c.want, c.end)
		}
	}
	for _, bad := range []string{"2019-Q1", "2020-Q5", "2020-Q0", "2020-13", "2020-6", "20-H1", "2020-H2", "year"} {
		if _, err := ParseReportPeriod(bad, 2020); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseReportPeriod(%q) = %v, want a problem", bad, err)
		}
	}
}
