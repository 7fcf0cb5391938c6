package models

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestEventsPage(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	for i := range 7 {
		login := "kim"
		if i%2 == 1 {
			login = "lee"
		}
		if err := s.RecordEvent(ctx, EventLogout, &User{Login: login}, Origin{IP: fmt.Sprint(i)}, ""); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		f                   EventFilter
		page, size          int
		wantPage, wantPages int
		wantTotal           int64
		wantIPs             string
	}{
		{EventFilter{}, 1, 3, 1, 3, 7, "6,5,4"},
		{EventFilter{}, 3, 3, 3, 3, 7, "0"},
		{EventFilter{}, 99, 3, 3, 3, 7, "0"},
		{EventFilter{}, 0, 3, 1, 3, 7, "6,5,4"},
		{EventFilter{Login: "lee"}, 1, 2, 1, 2, 3, "5,3"},
		{EventFilter{Login: "nobody"}, 2, 3, 1, 1, 0, ""},
	}
	for _, tt := range tests {
		p, err := s.EventsPage(ctx, tt.f, tt.page, tt.size)
		if err != nil {
			t.Fatal(err)
		}
		var ips []string
		for _, e := range p.Events {
			ips = append(ips, e.IP)
		}
		got := fmt.Sprintf("%d/%d of %d: %s", p.Page, p.Pages, p.Total, strings.Join(ips, ","))
		want := fmt.Sprintf("%d/%d of %d: %s", tt.wantPage, tt.wantPages, tt.wantTotal, tt.wantIPs)
		if got != want {
			t.Errorf("EventsPage(%+v, %d, %d) = %s, want %s", tt.f, tt.page, tt.size, got, want)
		}
	}
}
