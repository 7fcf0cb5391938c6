package models

import "math"

// countUnits are units that count whole things: people, places, times.
var countUnits = map[string]bool{"명": true, "개소": true, "회": true, "건": true, "개": true, "곳": true, "개교": true, "개사": true}

// IsCountUnit reports whether unit counts whole things (명, 개소, 회 …).
// Figures and targets in such a unit take whole numbers only, and the
// values people read in it are shown as whole numbers (see
// Indicator.Round).
func IsCountUnit(unit string) bool { return countUnits[unit] }

// CountsWhole reports whether the indicator's unit counts whole things
// (see IsCountUnit).
func (ind *Indicator) CountsWhole() bool { return IsCountUnit(ind.Unit) }

// Round rounds a value of the indicator the way people read it on the
// pages and in the files they download (CSV, xlsx): to a whole number in
// a count unit (no 1,622.3명 or 90.7명), to one decimal otherwise. The JSON
// API keeps the exact value.
func (ind *Indicator) Round(v float64) float64 {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return v
	case ind.CountsWhole():
		return math.Round(v)
	case math.Abs(v) >= 1e15: // v*10 could overflow, and no decimal is left to round
		return v
	}
	return math.Round(v*10) / 10
}
