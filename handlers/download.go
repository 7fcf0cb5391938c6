package handlers

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// attachment names a download: ascii for old clients (filename) and name
// in the page's language for the rest (filename*, UTF-8), both ending in
// ext (".xlsx", ".csv") so that Windows opens the file and a file picker
// shows it.
func attachment(c echo.Context, ascii, name, ext string) {
	withExt := func(s string) string {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return s
		}
		return s + ext
	}
	// A quote or backslash would end the quoted ASCII name early.
	ascii = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, withExt(ascii))
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(withExt(name))))
}
