package models

import (
	"strings"
)

// Browser is the entry's browser and system in a few words, such as
// "Chrome 156 / Windows" (see ShortAgent).
func (e AccessEvent) Browser() string { return ShortAgent(e.UserAgent) }

// browserTokens are the product tokens that name a browser, most specific
// first: Edge, Whale, Opera and Samsung Internet also send Chrome/ and
// Safari/, and Chrome sends Safari/.
var browserTokens = []struct{ token, name string }{
	{"Whale/", "Whale"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"EdgA/", "Edge"}, {"EdgiOS/", "Edge"}, {"Edg/", "Edge"}, {"Edge/", "Edge"},
	{"OPR/", "Opera"}, {"OPiOS/", "Opera"},
	{"FxiOS/", "Firefox"}, {"Firefox/", "Firefox"},
	{"CriOS/", "Chrome"}, {"HeadlessChrome/", "Headless Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
	{"MSIE ", "Internet Explorer"},
}

// systems names the operating system by a word of the header, in order:
// an iPhone's header also says "like Mac OS X", and Android's "Linux".
var systems = []struct{ token, name string }{
	{"Windows", "Windows"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Android", "Android"},
	{"CrOS", "ChromeOS"}, {"Macintosh", "macOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
}

// ShortAgent names a browser, its major version and its system in a few
// words from a User-Agent header: "Chrome 156 / Windows", "Safari 17 /
// iOS". A client that is not a known browser is named by its first
// product, "curl 8"; an empty header gives "".
func ShortAgent(ua string) string {
	ua = strings.TrimSpace(ua)
	if ua == "" {
		return ""
	}
	name := browserName(ua)
	if name == "" {
		return productName(ua)
	}
	for _, s := range systems {
		if strings.Contains(ua, s.token) {
			return name + " / " + s.name
		}
	}
	return name
}

func browserName(ua string) string {
	for _, b := range browserTokens {
		if v, ok := versionAfter(ua, b.token); ok {
			return strings.TrimSpace(b.name + " " + v)
		}
	}
	if strings.Contains(ua, "Trident/") {
		v, _ := versionAfter(ua, "rv:")
		return strings.TrimSpace("Internet Explorer " + v)
	}
	if strings.Contains(ua, "Safari/") {
		v, _ := versionAfter(ua, "Version/")
		return strings.TrimSpace("Safari " + v)
	}
	return ""
}

// versionAfter finds token in ua and returns the major version that
// follows it: "156" of "Chrome/156.0.7000.1".
func versionAfter(ua, token string) (string, bool) {
	i := strings.Index(ua, token)
	if i < 0 {
		return "", false
	}
	rest := ua[i+len(token):]
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	return rest[:min(end, 6)], true
}

// productName is the first product of a header, with its major version:
// "curl 8" of "curl/8.5.0".
func productName(ua string) string {
	first, _, _ := strings.Cut(ua, " ")
	name, version, _ := strings.Cut(first, "/")
	major, _, _ := strings.Cut(version, ".")
	return strings.TrimSpace(truncate(name, 40) + " " + truncate(major, 10))
}
