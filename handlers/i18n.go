package handlers

import (
	"fmt"
	"strings"
	"time"
)

// Lang is a page language.
type Lang string

// The supported languages. Korean is the default.
const (
	Korean  Lang = "ko"
	English Lang = "en"
)

// parseLang maps the lang query parameter to a language; anything but "en"
// falls back to Korean.
func parseLang(s string) Lang {
	if strings.EqualFold(strings.TrimSpace(s), "en") {
		return English
	}
	return Korean
}

// T returns the message for key in the language, formatted with args. A
// key missing from the catalogue is a programming error; it shows as the
// key itself so that tests catch it.
func (l Lang) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return "!" + key
	}
	s := m.ko
	if l == English {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Month names month m (1–12): 9월 or Sep.
func (l Lang) Month(m int) string {
	if l == English {
		return time.Month(m).String()[:3]
	}
	return fmt.Sprintf("%d월", m)
}

// MonthEnd names the end of month m of year: 2020년 9월 말 or end of
// September 2020.
func (l Lang) MonthEnd(year, m int) string {
	if l == English {
		return fmt.Sprintf("end of %s %d", time.Month(m), year)
	}
	return fmt.Sprintf("%d년 %d월 말", year, m)
}

// Pick returns en in English when it is set, and ko otherwise: the plan's
// own names are Korean first with an optional English version.
func (l Lang) Pick(ko, en string) string {
	if l == English && en != "" {
		return en
	}
	return ko
}

type message struct{ ko, en string }

// messages is the one catalogue of user-facing strings.
var messages = map[string]message{
	"site.name":     {"일자리 목표 공시", "Local job targets"},
	"site.tagline":  {"지역 일자리 목표 공시제 (고용정책 기본법 제9조의2)", "Local job-target disclosure (Framework Act on Employment Policy, Art. 9-2)"},
	"skip.main":     {"본문 바로가기", "Skip to main content"},
	"lang.switch":   {"English", "한국어"},
	"nav.label":     {"주 메뉴", "Main menu"},
	"nav.dashboard": {"현황판", "Dashboard"},
	"nav.years":     {"연도별 계획", "Plans by year"},
	"breadcrumb":    {"현재 위치", "You are here"},
	"home":          {"처음", "Home"},
	"demo.banner":   {"예시 데이터 (sample data): 이 화면의 월별 실적은 시연을 위해 만든 가상의 수치입니다. 목표와 기준값은 계획 원문을 따릅니다.", "Sample data (예시 데이터): the monthly figures on this page are invented for a demonstration. Targets and baselines follow the plan."},
	"footer.source": {"출처", "Source"},
	"footer.about":  {"jobkpi: 지역 일자리 목표 공시 현황판", "jobkpi: local job-target dashboard"},

	"asof.label":  {"기준월", "As of"},
	"asof.submit": {"조회", "Show"},
	"asof.hint":   {"선택한 달의 말일까지 승인된 실적으로 계산합니다.", "Figures approved up to the end of the chosen month."},

	"plan.vision":       {"비전", "Vision"},
	"plan.overall":      {"계획 전체", "Whole plan"},
	"plan.achievement":  {"달성률", "Achieved"},
	"plan.pace":         {"진도율", "Pace"},
	"plan.counts":       {"지표 %d개: 달성 %d, 정상 %d, 주의 %d, 부진 %d, 미입력 %d", "%d indicators: %d reached, %d on track, %d watch, %d behind, %d missing"},
	"plan.headlines":    {"핵심 목표", "Flagship targets"},
	"plan.tasks":        {"5대 중점과제", "Core tasks"},
	"plan.tasks.n":      {"중점과제", "Core tasks"},
	"plan.milestones":   {"주요 일정", "Milestones"},
	"plan.facts":        {"지역 여건", "About the city"},
	"plan.programs":     {"세부사업", "Programmes"},
	"plan.years":        {"계획 연도", "Plan years"},
	"plan.title.year":   {"%d년 계획", "%d plan"},
	"plan.view":         {"자세히 보기", "Details"},
	"plan.no.measure":   {"측정 지표 없음", "No measured indicator"},
	"plan.no.plans":     {"등록된 계획이 없습니다. 관리자에게 계획 파일 등록을 요청하세요.", "No plan is loaded yet. Ask an administrator to import a plan file."},
	"plan.taskprogress": {"중점과제별 달성률", "Achievement by core task"},

	"ind.target":         {"목표", "Target"},
	"ind.actual":         {"실적", "Actual"},
	"ind.actual.cum":     {"누계 실적", "Actual to date"},
	"ind.month":          {"월 실적", "Month's figure"},
	"ind.expected":       {"계획 누계", "Planned to date"},
	"ind.expected.by":    {"기준월 계획", "Expected by now"},
	"ind.achievement":    {"달성률", "Achieved"},
	"ind.pace":           {"진도율", "Pace"},
	"ind.forecast":       {"연말 전망", "Year-end forecast"},
	"ind.status":         {"상태", "Status"},
	"ind.baseline":       {"%d년 실적 대비", "Against %d"},
	"ind.baseline.no":    {"전년 기준값 없음", "No previous-year baseline"},
	"ind.change":         {"%s%s%s (%d년 %s%s)", "%s%s %s (%d: %s %s)"},
	"ind.note":           {"비고", "Note"},
	"ind.reason":         {"변경 사유", "Why it changed"},
	"ind.kind":           {"유형", "Kind"},
	"ind.kind.flow":      {"누적형 (월별 신규 합계)", "Flow (sum of monthly counts)"},
	"ind.kind.stock":     {"수준형 (최근 값 유지)", "Stock (latest level, carried forward)"},
	"ind.kind.milestone": {"일정형", "Milestone"},
	"ind.unit":           {"단위", "Unit"},
	"ind.pacing":         {"진도 계획", "Pacing"},
	"ind.pacing.linear":  {"균등 (목표 × 월/12)", "Linear (target × month / 12)"},
	"ind.pacing.monthly": {"월별 누적 계획", "Monthly cumulative plan"},
	"ind.weight":         {"가중치", "Weight"},
	"ind.program":        {"세부사업", "Programme"},
	"ind.task":           {"중점과제", "Core task"},
	"ind.dept":           {"담당 부서", "Department"},
	"ind.dept.none":      {"미지정", "Not assigned"},
	"ind.new":            {"신규", "New"},
	"ind.source":         {"근거", "Source"},
	"ind.due":            {"기한", "Due"},
	"ind.done":           {"완료일", "Done on"},
	"ind.state":          {"진행 상황", "Progress"},
	"ind.none":           {"—", "—"},
	"ind.missing.months": {"미입력 월: %s", "Months with no figure: %s"},
	"ind.monthly":        {"월별 실적", "Monthly figures"},
	"ind.list":           {"지표", "Indicators"},
	"ind.name":           {"지표명", "Indicator"},
	"ind.chart":          {"%s 누계 실적과 계획", "%s: actual to date against plan"},
	"ind.table":          {"%s 월별 실적과 계획 (단위: %s)", "%s by month, actual and plan (unit: %s)"},

	"summary.flow": {"%s 누계 실적은 %s%s로 목표 %s%s의 %s이며, 계획 대비 진도율은 %s입니다 (%s).",
		"By the %s the total is %s %s, %s of the %s %s target and %s of the planned pace (%s)."},
	"summary.milestone.done": {"%s: %s에 완료했습니다 (기한 %s).", "%s: done on %s (due %s)."},
	"summary.milestone.open": {"%s: 기한은 %s이며 아직 완료되지 않았습니다 (%s).", "%s: due %s, not done yet (%s)."},
	"summary.tasks":          {"%s 기준 중점과제 %d개의 평균 달성률은 %s이며, 가장 높은 과제는 %s(%s), 가장 낮은 과제는 %s(%s)입니다.", "As of the %s the %d core tasks average %s achieved; the highest is %s (%s) and the lowest %s (%s)."},

	"status.reached":  {"달성", "Reached"},
	"status.on_track": {"정상", "On track"},
	"status.watch":    {"주의", "Watch"},
	"status.behind":   {"부진", "Behind"},
	"status.missing":  {"미입력", "Missing"},
	"status.none":     {"지표 없음", "Nothing measured"},
	"status.legend":   {"상태 기준: 달성 = 목표 이상, 정상 = 진도율 95% 이상, 주의 = 85~95%, 부진 = 85% 미만, 미입력 = 입력할 달의 수치 없음", "Status: reached = at or above target; on track = pace 95%+; watch = 85–95%; behind = under 85%; missing = a due month has no figure"},

	"state.planned":     {"예정", "Planned"},
	"state.in_progress": {"추진 중", "In progress"},
	"state.done":        {"완료", "Done"},
	"state.delayed":     {"지연", "Delayed"},

	"table.month":         {"월", "Month"},
	"table.item":          {"구분", "Item"},
	"table.task":          {"중점과제", "Core task"},
	"table.caption.tasks": {"중점과제별 달성률과 진도율 (%s 기준)", "Achievement and pace by core task (as of %s)"},

	"error.title":        {"요청을 처리할 수 없습니다", "We could not handle this request"},
	"error.404":          {"페이지를 찾을 수 없습니다", "Page not found"},
	"error.404.help":     {"주소를 확인하거나 현황판 첫 화면에서 다시 찾아 주세요.", "Check the address, or start again from the dashboard."},
	"error.400":          {"요청 값이 올바르지 않습니다", "Something in the request is not valid"},
	"error.500":          {"서버에서 문제가 생겼습니다", "Something went wrong on the server"},
	"error.500.help":     {"잠시 후 다시 시도해 주세요. 문제가 계속되면 담당자에게 알려 주세요.", "Please try again shortly. If it keeps happening, tell the administrator."},
	"error.503":          {"데이터베이스에 연결할 수 없습니다", "The database cannot be reached"},
	"error.back":         {"현황판으로 돌아가기", "Back to the dashboard"},
	"error.asof":         {"기준월(asof)은 1부터 12까지의 숫자여야 합니다. 예: ?asof=9", "The as-of month (asof) must be a number from 1 to 12, for example ?asof=9"},
	"error.year":         {"연도는 2000부터 2100까지의 숫자여야 합니다. 예: /plans/2020", "The year must be a number from 2000 to 2100, for example /plans/2020"},
	"error.year.missing": {"%d년 계획이 없습니다. 등록된 연도: %s", "There is no plan for %d. Plans exist for: %s"},
	"error.task":         {"이 계획에 과제 코드 %q가 없습니다.", "This plan has no core task with code %q."},
	"error.indicator":    {"이 계획에 지표 번호 %s가 없습니다.", "This plan has no indicator number %s."},
	"error.query":        {"주소의 조회 조건이 너무 깁니다. 조건을 줄여 다시 요청하세요.", "The query string is too long. Shorten it and try again."},
}
