package main

import (
	"os"
	"testing"
)

// fullGatesEnv makes the slow gates run in full: every browser journey in
// both languages and both widths, and every kill -9 cycle. .ci/run sets it.
// Without it, go test ./... runs a short slice of each that still checks
// the same things, so that the README's test command stays quick.
const fullGatesEnv = "JOBKPI_FULL"

// fullGates reports whether the slow gates run in full.
func fullGates() bool { return os.Getenv(fullGatesEnv) == "1" }

// gateSize is full in a full run and short otherwise.
func gateSize(short, full int) int {
	if fullGates() {
		return full
	}
	return short
}

// parallelShort lets a slow test run beside another in the short run, so
// that the README's go test ./... uses both cores of a small machine;
// .ci/run's full run keeps every test to itself, as its timings assume.
// Only tests that share nothing but the seeded template databases use it.
func parallelShort(t *testing.T) {
	if !fullGates() {
		t.Parallel()
	}
}
