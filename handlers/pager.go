package handlers

import (
	"fmt"
	"net/url"
)

// pagerLink is one link of a pager: a page number, or previous and next.
type pagerLink struct {
	Label   string
	Aria    string // the accessible name, when Label alone is too short
	URL     string // empty for the current page and for an edge with no page beyond
	Current bool
	Rel     string
}

// pagerWindow is how many page numbers a pager shows around the current.
const pagerWindow = 2

// pager builds the links of a paged list: previous, the page numbers near
// the current one (and the first and last), next. link gives a page's URL.
func pager(lang Lang, page, pages int, link func(int) string) []pagerLink {
	if pages <= 1 {
		return nil
	}
	out := []pagerLink{{Label: lang.T("pager.prev"), Rel: "prev"}}
	if page > 1 {
		out[0].URL = link(page - 1)
	}
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-pagerWindow || n > page+pagerWindow) {
			if n == page-pagerWindow-1 || n == page+pagerWindow+1 {
				out = append(out, pagerLink{Label: "…"})
			}
			continue
		}
		out = append(out, pagerLink{Label: fmt.Sprint(n), Aria: lang.T("pager.page", n), URL: link(n), Current: n == page})
	}
	next := pagerLink{Label: lang.T("pager.next"), Rel: "next"}
	if page < pages {
		next.URL = link(page + 1)
	}
	return append(out, next)
}

// Pager is the access log's page links, keeping its filters.
func (p *auditPage) Pager() []pagerLink {
	if p.Paging == nil {
		return nil
	}
	return pager(p.Lang, p.Paging.Page, p.Paging.Pages, func(n int) string {
		q := url.Values{}
		for _, k := range []string{"login", "kind", "ip", "from", "to"} {
			if v := p.Values[k]; v != "" {
				q.Set(k, v)
			}
		}
		if l := p.Lang.Param(); l != "" {
			q.Set("lang", l)
		}
		if n > 1 {
			q.Set("page", fmt.Sprint(n))
		}
		if len(q) == 0 {
			return "/admin/audit"
		}
		return "/admin/audit?" + q.Encode()
	})
}

// EventsCaption says which entries of how many the table shows.
func (p *auditPage) EventsCaption() string {
	if p.Paging == nil || p.Paging.Total == 0 {
		return p.T("admin.audit.caption", len(p.Events))
	}
	first := (p.Paging.Page-1)*auditPageSize + 1
	return p.T("admin.audit.range", first, first+len(p.Events)-1, p.Paging.Total)
}

// EventsCaption says how many recent entries the table shows.
func (p *userPage) EventsCaption() string { return p.T("admin.audit.caption", len(p.Events)) }
