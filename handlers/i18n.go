package handlers

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"jobkpi/models"
	"jobkpi/static"
)

// Lang is a page language: the BCP 47 tag of one of the catalogues, such
// as "ko" or "en".
type Lang string

// The two languages the binary carries. Korean is the default; more
// languages come as catalogue files (see AddCatalogues).
const (
	Korean  Lang = "ko"
	English Lang = "en"
)

// A catalogue holds the messages of every loaded language. Each language
// is one file, static/i18n/<tag>.json, in go-i18n's format: a key maps to
// a message, or to its CLDR plural forms ("one", "other", ...). Messages
// are fmt formats, so a percent sign is written "%%" and "%[2]s" takes
// the second argument; a message with plural forms counts by its first
// argument. Korean writes a particle after a value with both forms,
// "(으)로", and withParticles chooses one.
type catalogue struct {
	bundle     *i18n.Bundle
	langs      []Lang
	localizers map[Lang]*i18n.Localizer
	messages   map[Lang]map[string]*i18n.Message
	// korean marks the languages whose particles withParticles chooses.
	korean map[Lang]bool
}

// catalogues is the catalogue in use. It is built once from the embedded
// files, and AddCatalogues replaces it whole before the server starts.
var catalogues atomic.Pointer[catalogue]

func init() {
	c, err := loadCatalogues(static.Catalogues)
	if err != nil {
		panic("handlers: load the embedded catalogues: " + err.Error())
	}
	catalogues.Store(c)
}

// AddCatalogues adds the languages whose files (<tag>.json) are in fsys to
// the embedded Korean and English ones. A file for "ko" or "en" replaces
// the embedded one. It is called from main, before serving.
func AddCatalogues(fsys fs.FS) error {
	c, err := loadCatalogues(static.Catalogues, fsys)
	if err != nil {
		return err
	}
	catalogues.Store(c)
	return nil
}

// loadCatalogues reads every *.json file of each fsys in turn; a later
// file for the same language replaces an earlier one.
func loadCatalogues(fsyss ...fs.FS) (*catalogue, error) {
	files := map[Lang]*i18n.MessageFile{}
	for _, fsys := range fsyss {
		names, err := fs.Glob(fsys, "*.json")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			f, err := i18n.ParseMessageFileBytes(b, name, map[string]i18n.UnmarshalFunc{"json": json.Unmarshal})
			if err != nil {
				return nil, fmt.Errorf("catalogue %s: %w", name, err)
			}
			if f.Tag == language.Und || f.Tag.String() != strings.TrimSuffix(path.Base(name), ".json") {
				return nil, fmt.Errorf("catalogue %s: the file name must be a language tag such as ko.json or en.json", name)
			}
			files[Lang(f.Tag.String())] = f
		}
	}
	c := &catalogue{
		bundle:     i18n.NewBundle(language.Korean),
		localizers: map[Lang]*i18n.Localizer{},
		messages:   map[Lang]map[string]*i18n.Message{},
		korean:     map[Lang]bool{},
	}
	for _, lang := range sortedLangs(files) {
		f := files[lang]
		if err := c.bundle.AddMessages(f.Tag, f.Messages...); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", f.Path, err)
		}
		c.messages[lang] = map[string]*i18n.Message{}
		for _, m := range f.Messages {
			c.messages[lang][m.ID] = m
		}
		c.langs = append(c.langs, lang)
		base, _ := f.Tag.Base()
		c.korean[lang] = base.String() == "ko"
	}
	for _, lang := range c.langs {
		c.localizers[lang] = i18n.NewLocalizer(c.bundle, string(lang))
	}
	if c.messages[Korean] == nil {
		return nil, fmt.Errorf("no Korean catalogue (ko.json)")
	}
	if problems := c.disagreements(); len(problems) > 0 {
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("and %d more", len(problems)-10))
		}
		return nil, fmt.Errorf("the catalogues disagree with ko.json:\n  %s", strings.Join(problems, "\n  "))
	}
	return c, nil
}

// disagreements lists the messages that are not valid formats, that
// Korean lacks, or that take other arguments than the Korean, so that a
// translator's slip stops the server at start, not a page later. A key a
// language lacks is not one: it falls back to Korean.
func (c *catalogue) disagreements() []string {
	var out []string
	for _, l := range c.langs {
		for _, key := range slices.Sorted(maps.Keys(c.messages[l])) {
			ko := c.messages[Korean][key]
			if ko == nil {
				out = append(out, fmt.Sprintf("%s.json: %q is not a key of ko.json", l, key))
				continue
			}
			want := formatArity(ko.Other)
			for _, form := range forms(c.messages[l][key]) {
				switch got := formatArity(form); {
				case got < 0:
					out = append(out, fmt.Sprintf("%s.json: %q is not a valid format: %q", l, key, form))
				case got != want && want >= 0:
					out = append(out, fmt.Sprintf("%s.json: %q takes %d arguments in %q, the Korean %d", l, key, got, form, want))
				}
			}
		}
	}
	return out
}

// formatArity is the number of arguments a message format takes: its
// highest argument index, counting %[n] as argument n.
func formatArity(s string) int {
	arity, next := 0, 1
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.ContainsRune("+-# 0.123456789", rune(s[j])) {
			j++
		}
		if j < len(s) && s[j] == '[' {
			end := strings.IndexByte(s[j:], ']')
			n, err := strconv.Atoi(s[j+1 : j+end])
			if end < 0 || err != nil {
				return -1
			}
			next, j = n, j+end+1
		}
		if j >= len(s) {
			return -1
		}
		if s[j] != '%' {
			arity = max(arity, next)
			next++
		}
		i = j
	}
	return arity
}

// forms lists a message's texts: its plural forms, or its one text.
func forms(m *i18n.Message) []string {
	var out []string
	for _, s := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sortedLangs puts Korean first, English second and the rest by tag.
func sortedLangs(files map[Lang]*i18n.MessageFile) []Lang {
	var langs []Lang
	for l := range files {
		langs = append(langs, l)
	}
	rank := func(l Lang) int {
		switch l {
		case Korean:
			return 0
		case English:
			return 1
		}
		return 2
	}
	slices.SortFunc(langs, func(a, b Lang) int {
		if r := rank(a) - rank(b); r != 0 {
			return r
		}
		return strings.Compare(string(a), string(b))
	})
	return langs
}

// Languages lists the loaded languages, Korean first.
func Languages() []Lang { return catalogues.Load().langs }

// parseLang maps a lang parameter to a loaded language; anything else
// falls back to Korean.
func parseLang(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Languages() {
		if strings.ToLower(string(l)) == s {
			return l
		}
	}
	return Korean
}

// acceptLang is the loaded language that best fits an Accept-Language
// header, or Korean.
func acceptLang(header string) Lang {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return Korean
	}
	langs := Languages()
	supported := make([]language.Tag, len(langs))
	for i, l := range langs {
		supported[i] = language.Make(string(l))
	}
	_, i, conf := language.NewMatcher(supported).Match(tags...)
	if conf == language.No {
		return Korean
	}
	return langs[i]
}

// apiLang is the language of an API answer: the lang parameter when the
// request has one, else the best fit for its Accept-Language header, else
// Korean.
func apiLang(r *http.Request) Lang {
	if q := r.URL.Query().Get("lang"); q != "" {
		return parseLang(q)
	}
	return acceptLang(r.Header.Get("Accept-Language"))
}

// Problem is a models problem in the language.
func (l Lang) Problem(p models.Problem) string { return l.T(p.Key, p.Args...) }

// T returns the message for key in the language, formatted with args. A
// key the language lacks falls back to Korean; a key missing from every
// catalogue is a programming error and shows as the marked key, so that
// tests catch it. A message with plural forms takes the form for its
// first argument. In Korean, each particle written as "(으)로" is chosen
// by the word before it (see withParticles).
func (l Lang) T(key string, args ...any) string {
	var count any
	if len(args) > 0 {
		count = args[0]
	}
	return l.format(key, count, args)
}

// format is T with the count that chooses a plural form given apart from
// the arguments.
func (l Lang) format(key string, count any, args []any) string {
	c := catalogues.Load()
	loc, ok := c.localizers[l]
	if !ok {
		l, loc = Korean, c.localizers[Korean]
	}
	m := c.message(l, key)
	if m == nil {
		return "!" + key
	}
	s := m.Other
	if isPlural(m) {
		// go-i18n chooses the form by the language's CLDR rule.
		if form, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: pluralCount(count)}); err == nil {
			s = form
		}
	}
	if strings.Contains(s, "%") {
		s = fmt.Sprintf(s, l.planTexts(args)...)
	}
	if c.korean[l] {
		s = withParticles(s)
	}
	return s
}

// keyList is a message argument that lists catalogue keys; it reads as
// their messages in the language, joined by commas.
type keyList []string

// planTexts puts each argument that is worded by language, a
// models.PlanText or a keyList, in the language.
func (l Lang) planTexts(args []any) []any {
	for i, a := range args {
		var s string
		switch a := a.(type) {
		case models.PlanText:
			s = l.Text(a.Ko, a.En)
		case keyList:
			words := make([]string, len(a))
			for j, k := range a {
				words[j] = l.T(k)
			}
			s = strings.Join(words, ", ")
		default:
			continue
		}
		args = slices.Clone(args)
		args[i] = s
	}
	return args
}

func isPlural(m *i18n.Message) bool {
	return m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != ""
}

// pluralCount is a count as go-i18n takes it: an integer, or a number
// written out. Anything else counts as many.
func pluralCount(v any) any {
	switch n := v.(type) {
	case int, int8, int16, int32, int64:
		return n
	case float64:
		return strconv.FormatFloat(n, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(n), 'f', -1, 32)
	}
	return "2"
}

// message is the key's message in the language, or in Korean when the
// language lacks it.
func (c *catalogue) message(l Lang, key string) *i18n.Message {
	if m := c.messages[l][key]; m != nil {
		return m
	}
	return c.messages[Korean][key]
}

// inAnyLanguage reports whether s is the key's message in one of the
// loaded languages, ignoring case: a spreadsheet made in any language
// reads back.
func inAnyLanguage(s, key string) bool {
	for _, l := range Languages() {
		if strings.EqualFold(s, l.T(key)) {
			return true
		}
	}
	return false
}

// Has reports whether the language's own catalogue has the key.
func (l Lang) Has(key string) bool { return catalogues.Load().messages[l][key] != nil }

// Param is the lang parameter of a link in the language: empty for
// Korean, the default.
func (l Lang) Param() string {
	if l == Korean {
		return ""
	}
	return string(l)
}

// Month names month m (1–12): 9월 or Sep.
func (l Lang) Month(m int) string { return l.T("month.name", l.T(fmt.Sprintf("month.short.%d", m))) }

// Months names months as runs: 1–9월, 1–7·9월; Jan–Sep, Jan–Jul, Sep.
func (l Lang) Months(months []int) string {
	var runs []string
	for i := 0; i < len(months); {
		j := i
		for j+1 < len(months) && months[j+1] == months[j]+1 {
			j++
		}
		run := l.T(fmt.Sprintf("month.short.%d", months[i]))
		if j > i {
			run += "–" + l.T(fmt.Sprintf("month.short.%d", months[j]))
		}
		runs = append(runs, run)
		i = j + 1
	}
	return l.T("months.runs", strings.Join(runs, l.T("months.sep")))
}

// MonthEnd names the end of month m of year: 2020년 9월 말 or end of
// September 2020.
func (l Lang) MonthEnd(year, m int) string {
	return l.T("month.end", year, l.T(fmt.Sprintf("month.long.%d", m)))
}

// Date writes a date in the language's layout (the Go time layout in
// date.layout): 2020. 3. 27. or 27 Mar 2020.
func (l Lang) Date(t time.Time) string { return t.Format(l.T("date.layout")) }

// Pick is the plan's own text in the language: plan names, units and
// notes are data, written in Korean with an optional English version. Every
// language but Korean takes the English version when there is one, and the
// Korean otherwise; fellBack says which. Pages read plan text through
// basePage.Pick, which notes the fallback once on the page.
func (l Lang) Pick(ko, en string) (text string, fellBack bool) {
	if l == Korean || en == "" {
		return ko, l != Korean && ko != ""
	}
	return en, false
}

// Text is Pick for a file, such as a CSV, that has no page to carry the
// note.
func (l Lang) Text(ko, en string) string {
	text, _ := l.Pick(ko, en)
	return text
}

// LangFromEnv is the language of the command line's messages, from a LANG
// environment value such as en_US.UTF-8: a loaded language named by its
// first part, else Korean.
func LangFromEnv(env string) Lang {
	tag, _, _ := strings.Cut(env, ".")
	tag, _, _ = strings.Cut(tag, "@")
	base, _, _ := strings.Cut(strings.ReplaceAll(tag, "-", "_"), "_")
	return parseLang(base)
}
