package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"jobkpi/models"
)

// MaxQueryLen bounds the query string; longer ones get 414.
const MaxQueryLen = 1024

// parseAsOf reads the asof query parameter. Absent means 0 (the default
// month); present, it must be 1–12 written in ASCII digits.
func parseAsOf(c echo.Context) (int, error) {
	vals, ok := c.QueryParams()["asof"]
	if !ok {
		return 0, nil
	}
	m, ok := parseSmallInt(vals[0], 2)
	if !ok || len(vals) > 1 || m < 1 || m > models.Months {
		return 0, badRequest("error.asof")
	}
	return m, nil
}

// parseYear reads a plan year from the path.
func parseYear(s string) (int, error) {
	y, ok := parseSmallInt(s, 4)
	if !ok || y < 2000 || y > 2100 {
		return 0, badRequest("error.year")
	}
	return y, nil
}

// parseSmallInt accepts only 1 to maxDigits ASCII digits: no sign, no
// spaces, no exponent, no full-width digits.
func parseSmallInt(s string, maxDigits int) (int, bool) {
	if len(s) == 0 || len(s) > maxDigits {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// indicatorPath reads /plans/:year/indicators/:id.
func indicatorPath(c echo.Context) (year, id int, err error) {
	if year, err = parseYear(c.Param("year")); err != nil {
		return 0, 0, err
	}
	id, ok := parseSmallInt(c.Param("id"), 9)
	if !ok {
		return 0, 0, notFound("error.indicator", c.Param("id"))
	}
	return year, id, nil
}
