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

	"nav.entry":    {"실적 입력", "Enter figures"},
	"nav.review":   {"승인 대기", "To approve"},
	"nav.my":       {"내 할 일", "My updates"},
	"nav.my.count": {"입력할 달 %d개", "%d months to enter"},

	"figure.empty":     {"비어 있음", "Empty"},
	"figure.draft":     {"임시 저장", "Draft"},
	"figure.submitted": {"제출됨", "Submitted"},
	"figure.approved":  {"승인됨", "Approved"},
	"figure.returned":  {"반려됨", "Returned"},

	"entry.title":             {"실적 입력", "Enter figures"},
	"entry.heading":           {"%d년 실적 입력: %s", "%d figures: %s"},
	"entry.caption":           {"%d년 %s 지표별 월 실적 (행: 지표, 열: 월)", "%d monthly figures of %s (rows: indicators, columns: months)"},
	"entry.help":              {"바뀐 칸만 임시 저장됩니다. 방향키와 Enter로 칸을 옮길 수 있습니다. 제출하면 담당관의 승인을 기다립니다. 승인된 값만 공개 화면에 나옵니다.", "Only changed cells are saved, as drafts. Arrow keys and Enter move between cells. Submitted values wait for an official; only approved values are public."},
	"entry.none":              {"이 부서에 입력할 지표가 없습니다. 담당관이 세부사업의 담당 부서를 지정해야 합니다.", "This department has no indicators to enter. An official must assign programmes to it."},
	"entry.note":              {"비고", "Note"},
	"entry.save":              {"임시 저장", "Save drafts"},
	"entry.submit":            {"제출", "Submit"},
	"entry.submit.month":      {"제출할 달", "Month to submit"},
	"entry.saved":             {"%s칸을 임시 저장했습니다.", "%s cells saved as drafts."},
	"entry.submitted":         {"%s개 값을 %s월분으로 제출했습니다. 담당관의 승인을 기다립니다.", "%s values for month %s submitted for approval."},
	"entry.nothing.to.submit": {"%d월에 제출할 임시 저장 값이 없습니다. 먼저 값을 입력하고 저장하세요.", "There are no drafts for month %d to submit. Enter and save values first."},
	"entry.locked":            {"마감", "Locked"},
	"entry.returned":          {"반려 사유", "Returned"},
	"entry.confirm":           {"목표의 두 배가 넘는 값이 맞습니다 (비고에 사유를 적으세요)", "The value over twice the target is right (give the reason in the note)"},
	"entry.overwrite":         {"현재 값을 덮어쓰기", "Overwrite the current value"},
	"entry.overwrite.reason":  {"덮어쓰는 사유", "Why overwrite"},
	"entry.need.reason":       {"덮어쓰려면 사유를 적으세요.", "Give a reason to overwrite."},
	"entry.no.clear":          {"값을 지울 수는 없습니다. 실적이 없으면 0을 입력하세요.", "Values cannot be cleared; enter 0 when there was nothing."},
	"entry.conflict":          {"그 사이 %s님이 %s에 %s(으)로 바꿨습니다. 다시 불러오거나, 덮어쓰기를 선택하고 사유를 적으세요.", "%s changed it at %s to %s. Reload, or choose overwrite and give a reason."},

	"review.title":        {"승인 대기", "Figures to approve"},
	"review.caption":      {"제출된 값 %d건 (오래된 순)", "%d submitted values, oldest first"},
	"review.none":         {"승인을 기다리는 값이 없습니다.", "Nothing waits for approval."},
	"review.by":           {"입력", "By"},
	"review.action":       {"처리", "Decision"},
	"review.approve":      {"승인", "Approve"},
	"review.return":       {"반려", "Return"},
	"review.comment":      {"반려 사유", "Reason to return"},
	"review.conflict":     {"그 사이 값이 바뀌었습니다. 목록을 다시 보고 처리하세요.", "The value changed meanwhile. Look at the list again."},
	"review.done.approve": {"승인했습니다. 공개 화면에 반영됩니다.", "Approved; the public pages show it now."},
	"review.done.return":  {"반려했습니다. 실무자가 입력 화면에서 사유를 봅니다.", "Returned; the staff member sees the reason in the grid."},

	"my.title":   {"내 할 일", "My updates"},
	"my.help":    {"이번 해 계획에서 아직 제출하지 않았거나 승인되지 않은 달입니다. 마감일(다음 달 10일)이 지나도 승인되지 않으면 지연입니다.", "Months of this year's plan not yet submitted or approved. Past the lock day (the 10th of the next month) without approval they are overdue."},
	"my.none":    {"지금 입력할 달이 없습니다.", "Nothing is due now."},
	"my.caption": {"입력할 달 %d개, 그중 지연 %d개", "%d months due, %d of them overdue"},
	"my.lock":    {"마감일", "Locks on"},
	"my.due":     {"입력 기간", "Due"},
	"my.overdue": {"지연", "Overdue"},

	"history.title":   {"변경 이력", "Change history"},
	"history.caption": {"변경 %d건 (최신순)", "%d changes, newest first"},
	"history.csv":     {"CSV로 내려받기", "Download CSV"},
	"history.action":  {"작업", "Action"},
	"history.change":  {"값", "Value"},
	"history.status":  {"상태", "Status"},
	"history.why":     {"사유", "Reason"},
	"history.none":    {"아직 변경이 없습니다.", "No changes yet."},
	"history.save":    {"저장", "Saved"},
	"history.submit":  {"제출", "Submitted"},
	"history.approve": {"승인", "Approved"},
	"history.return":  {"반려", "Returned"},
	"history.unlock":  {"잠금 해제", "Unlocked"},

	"unlock.title":       {"마감된 달 잠금 해제", "Unlock a locked month"},
	"unlock.reason":      {"해제 사유", "Reason"},
	"unlock.submit":      {"잠금 해제", "Unlock"},
	"unlock.help":        {"해제한 달은 7일 동안 다시 입력할 수 있고, 사유는 변경 이력에 남습니다.", "The month stays open for 7 days; the reason goes into the history."},
	"unlock.need.reason": {"잠금 해제 사유를 적어 주세요.", "Give a reason to unlock."},
	"unlock.done":        {"%s월을 7일 동안 열었습니다.", "Month %s is open for 7 days."},
	"error.dept":         {"이 계획에 %q 부서가 없습니다.", "This plan has no department %q."},

	"nav.account": {"내 계정", "My account"},

	"account.title":   {"내 계정", "My account"},
	"token.title":     {"API 토큰", "API tokens"},
	"token.help":      {"스크립트가 내 권한으로 실적을 넣을 때 씁니다: Authorization: Bearer <토큰>. 토큰은 만들 때 한 번만 보입니다.", "For scripts that enter figures as you: Authorization: Bearer <token>. A token is shown once, when made."},
	"token.once":      {"이 토큰은 지금 한 번만 보입니다. 안전한 곳에 복사해 두세요.", "This token is shown only now. Copy it somewhere safe."},
	"token.value":     {"새 토큰", "New token"},
	"token.caption":   {"토큰 %d개", "%d tokens"},
	"token.name":      {"토큰 이름", "Token name"},
	"token.name.hint": {"어디에 쓰는지 알아볼 이름 (예: 월별 입력 스크립트)", "A name that says where it is used"},
	"token.created":   {"만든 때", "Created"},
	"token.create":    {"새 토큰 만들기", "Make a token"},
	"token.delete":    {"삭제", "Revoke"},
	"token.deleted":   {"토큰을 삭제했습니다. 더는 쓸 수 없습니다.", "The token was revoked."},
	"token.none":      {"토큰이 없습니다.", "No tokens."},
	"error.token.id":  {"그런 토큰이 없습니다.", "There is no such token."},

	"comment.title":    {"분석과 조치계획", "Analysis and action plan"},
	"comment.form":     {"분석·조치계획 쓰기", "Write analysis and action plan"},
	"comment.analysis": {"분석", "Analysis"},
	"comment.action":   {"조치계획", "Action plan"},
	"comment.none":     {"아직 분석이나 조치계획이 없습니다.", "No analysis or action plan yet."},

	"nav.reports":  {"보고서", "Reports"},
	"nav.users":    {"사용자 관리", "Users"},
	"nav.audit":    {"접속 기록", "Access log"},
	"nav.settings": {"설정", "Settings"},
	"nav.login":    {"로그인", "Sign in"},
	"nav.logout":   {"로그아웃", "Sign out"},
	"nav.password": {"비밀번호 변경", "Change password"},

	"role.council":  {"의원", "Council member"},
	"role.staff":    {"실무자", "Staff"},
	"role.official": {"담당관", "Official"},
	"role.admin":    {"관리자", "Administrator"},

	"form.login":           {"아이디", "Login"},
	"form.login.hint":      {"영문 소문자, 숫자, 점(.), 밑줄(_), 붙임표(-)로 2~32자", "2–32 lower-case letters, digits, dots, underscores or hyphens"},
	"form.password":        {"비밀번호", "Password"},
	"form.name":            {"이름", "Name"},
	"form.role":            {"역할", "Role"},
	"form.department":      {"부서", "Department"},
	"form.department.hint": {"실무자는 이 부서의 지표만 입력할 수 있습니다.", "Staff may enter figures only for this department's indicators."},
	"form.choose":          {"선택하세요", "Choose"},
	"form.save":            {"저장", "Save"},
	"form.errors":          {"입력 내용에 고칠 곳이 %d군데 있습니다", "There are %d problems to fix"},

	"login.title":         {"로그인", "Sign in"},
	"login.submit":        {"로그인", "Sign in"},
	"login.need.login":    {"아이디를 입력하세요.", "Enter your login."},
	"login.need.password": {"비밀번호를 입력하세요.", "Enter your password."},
	"login.too.long":      {"비밀번호는 %d바이트 이하입니다. 입력한 값을 확인하세요.", "Passwords are at most %d bytes. Check what you typed."},
	"login.bad":           {"아이디 또는 비밀번호가 맞지 않습니다. 다시 입력하세요.", "The login or the password is wrong. Try again."},
	"login.disabled":      {"사용이 중지된 계정입니다. 관리자에게 문의하세요.", "This account is disabled. Ask an administrator."},
	"login.throttled":     {"로그인 실패가 너무 많습니다. %d분 뒤에 다시 시도하세요.", "Too many failed sign-ins. Try again in %d minutes."},
	"login.demo.title":    {"예시 계정", "Demo accounts"},
	"login.demo.badge":    {"시연용", "Demo"},
	"login.demo.warning":  {"시연용 계정입니다. 비밀번호가 이 화면에 공개되어 있으므로 실제 업무에 쓰지 마세요. -demo 없이 실행하면 만들어지지 않습니다.", "These accounts are for demonstration only: their passwords are public on this page. They do not exist without -demo."},
	"login.demo.caption":  {"역할별 예시 계정과 비밀번호", "Demo accounts and passwords by role"},

	"password.title":         {"비밀번호 변경", "Change password"},
	"password.must":          {"관리자가 정한 임시 비밀번호입니다. 계속하려면 새 비밀번호를 정하세요.", "Your password was set by an administrator. Choose a new one to continue."},
	"password.current":       {"현재 비밀번호", "Current password"},
	"password.new":           {"새 비밀번호", "New password"},
	"password.confirm":       {"새 비밀번호 확인", "Confirm the new password"},
	"password.rules":         {"10바이트 이상 256바이트 이하. 널리 알려진 비밀번호와 아이디는 쓸 수 없습니다. 긴 문장형 비밀번호를 권합니다.", "10 to 256 bytes; common passwords and your login are refused. A long phrase works well."},
	"password.submit":        {"비밀번호 변경", "Change password"},
	"password.need.current":  {"현재 비밀번호를 입력하세요.", "Enter your current password."},
	"password.wrong.current": {"현재 비밀번호가 맞지 않습니다.", "The current password is wrong."},
	"password.same":          {"새 비밀번호가 현재 비밀번호와 같습니다. 다른 비밀번호를 고르세요.", "The new password is the same as the current one. Choose another."},
	"password.mismatch":      {"두 비밀번호가 같지 않습니다. 다시 입력하세요.", "The two passwords differ. Type them again."},
	"password.done":          {"비밀번호를 바꿨습니다. 다른 기기의 로그인은 모두 끝났습니다.", "Your password was changed. Every other session has ended."},

	"setup.title":  {"첫 관리자 만들기", "Create the first administrator"},
	"setup.intro":  {"아직 관리자가 없습니다. 이 링크는 한 번만, 1시간 안에만 쓸 수 있습니다.", "There is no administrator yet. This link works once, within an hour."},
	"setup.submit": {"관리자 만들기", "Create administrator"},

	"session.warning": {"곧 자동으로 로그아웃됩니다. 계속하려면 연장하세요. 남은 시간:", "You will be signed out soon. Extend to keep working. Time left:"},
	"session.extend":  {"로그인 연장", "Stay signed in"},
	"session.ended":   {"오래 쓰지 않아 로그아웃되었습니다. 다시 로그인하세요.", "You were signed out after a period of inactivity. Sign in again."},

	"admin.users.title":             {"사용자 관리", "Users"},
	"admin.users.caption":           {"사용자 %d명: 아이디, 이름, 역할, 부서, 상태", "%d users: login, name, role, department, state"},
	"admin.user.title":              {"사용자", "User"},
	"admin.user.new":                {"새 사용자", "New user"},
	"admin.user.create":             {"사용자 만들기", "Create user"},
	"admin.user.created":            {"사용자 %s를 만들었습니다. 첫 로그인 때 비밀번호를 바꾸게 됩니다.", "User %s was created and must change the password at the first sign-in."},
	"admin.temp.password":           {"임시 비밀번호", "Temporary password"},
	"admin.temp.password.hint":      {"사용자는 다음 로그인 때 새 비밀번호를 정해야 합니다.", "The user must choose a new password at the next sign-in."},
	"admin.state":                   {"상태", "State"},
	"admin.enabled":                 {"사용 중", "Active"},
	"admin.disabled":                {"사용 중지", "Disabled"},
	"admin.must.change":             {"비밀번호 변경 필요", "Must change password"},
	"admin.demo":                    {"시연용", "Demo"},
	"admin.role.change":             {"역할과 부서", "Role and department"},
	"admin.role.submit":             {"역할 저장", "Save role"},
	"admin.reset":                   {"비밀번호 초기화", "Reset password"},
	"admin.reset.submit":            {"임시 비밀번호로 초기화", "Set temporary password"},
	"admin.disable":                 {"사용 중지", "Disable"},
	"admin.enable":                  {"다시 사용", "Enable"},
	"admin.disable.help":            {"사용을 멈추면 바로 로그아웃되고 다시 로그인할 수 없습니다. 기록은 남습니다.", "Disabling signs the user out at once and blocks sign-in. Records are kept."},
	"admin.enable.help":             {"다시 로그인할 수 있게 합니다.", "Lets the user sign in again."},
	"admin.self.disable":            {"자기 계정은 사용 중지할 수 없습니다.", "You cannot disable your own account."},
	"admin.done.role":               {"역할과 부서를 저장했습니다.", "Role and department saved."},
	"admin.done.disable":            {"사용을 중지했습니다.", "The account is disabled."},
	"admin.done.enable":             {"다시 사용할 수 있게 했습니다.", "The account is enabled."},
	"admin.done.reset":              {"임시 비밀번호로 바꿨습니다. 사용자의 로그인은 모두 끝났습니다.", "Temporary password set; the user's sessions have ended."},
	"admin.audit.title":             {"접속 기록", "Access log"},
	"admin.audit.recent":            {"최근 접속 기록", "Recent access"},
	"admin.audit.all":               {"이 사용자의 기록 모두 보기", "All entries for this user"},
	"admin.audit.caption":           {"접속 기록 %d건 (최신순)", "%d access-log entries, newest first"},
	"admin.audit.at":                {"시각 (UTC)", "Time (UTC)"},
	"admin.audit.kind":              {"종류", "Event"},
	"admin.audit.actor":             {"처리자", "By"},
	"admin.audit.agent":             {"브라우저", "Browser"},
	"admin.audit.detail":            {"내용", "Detail"},
	"admin.audit.ip":                {"IP 주소", "IP address"},
	"admin.audit.from":              {"시작일", "From"},
	"admin.audit.to":                {"종료일", "To"},
	"admin.audit.date.hint":         {"YYYY-MM-DD 형식", "YYYY-MM-DD"},
	"admin.audit.all.kinds":         {"모든 종류", "All events"},
	"admin.audit.filter":            {"조회", "Filter"},
	"admin.audit.none":              {"조건에 맞는 기록이 없습니다.", "No entries match."},
	"admin.audit.bad.kind":          {"목록에 있는 종류를 고르세요.", "Choose an event from the list."},
	"admin.audit.bad.date":          {"날짜는 YYYY-MM-DD 형식으로 입력하세요. 예: 2026-11-25", "Write dates as YYYY-MM-DD, for example 2026-11-25."},
	"admin.settings.title":          {"설정", "Settings"},
	"admin.settings.retention":      {"접속 기록 보관 기간 (일)", "Keep the access log for (days)"},
	"admin.settings.retention.hint": {"최소 365일(1년). 더 오래된 기록은 저장할 때 지워집니다.", "At least 365 days (a year). Older entries are deleted when you save."},
	"admin.settings.bad.days":       {"보관 기간은 %d 이상의 숫자로 입력하세요.", "Enter a number of days, %d or more."},
	"admin.settings.done":           {"설정을 저장했습니다.", "Settings saved."},

	"event.login":           {"로그인", "Sign-in"},
	"event.login_failed":    {"로그인 실패", "Failed sign-in"},
	"event.login_disabled":  {"중지된 계정 로그인 시도", "Sign-in to a disabled account"},
	"event.login_throttled": {"로그인 제한", "Sign-in throttled"},
	"event.logout":          {"로그아웃", "Sign-out"},
	"event.password_change": {"비밀번호 변경", "Password change"},
	"event.password_reset":  {"비밀번호 초기화", "Password reset"},
	"event.role_change":     {"역할 변경", "Role change"},
	"event.user_create":     {"사용자 생성", "User created"},
	"event.user_disable":    {"사용 중지", "User disabled"},
	"event.user_enable":     {"다시 사용", "User enabled"},
	"event.setup":           {"첫 관리자 생성", "First administrator"},

	"milestone.form":      {"진행 상황 기록", "Record progress"},
	"milestone.note":      {"근거·사유", "Evidence or reason"},
	"milestone.note.hint": {"완료면 근거(공문 번호 등), 지연이면 사유를 적으세요.", "When done, the evidence (such as a document number); when delayed, the reason."},
	"milestone.done.hint": {"완료일, YYYY-MM-DD 형식. 완료일 때만 씁니다.", "Date done, as YYYY-MM-DD; only when done."},

	"program.title":           {"세부사업 담당 부서", "Programme department"},
	"program.edit":            {"부서 지정", "Set department"},
	"program.department.hint": {"이 부서의 실무자가 세부사업의 지표를 입력합니다.", "Staff of this department enter the programme's figures."},
	"program.done":            {"담당 부서를 저장했습니다.", "Department saved."},

	"report.title":   {"%d년 일자리 목표 추진 보고서", "%d job-target progress report"},
	"report.caption": {"%s 지표별 목표, 실적, 달성률, 진도율, 전망, 상태", "%s: target, actual, achieved, pace, forecast and status by indicator"},

	"error.csrf":            {"보안 확인값(CSRF)이 없거나 맞지 않습니다. 페이지를 새로 고친 뒤 다시 시도하세요.", "The security token (CSRF) is missing or wrong. Reload the page and try again."},
	"error.forbidden":       {"이 작업을 할 권한이 없습니다. 필요하면 관리자에게 권한을 요청하세요.", "You may not do this. Ask an administrator if you need access."},
	"error.department":      {"다른 부서의 지표는 수정할 수 없습니다. 담당 부서의 실무자나 담당관에게 요청하세요.", "You may not change another department's indicator. Ask its staff or an official."},
	"error.login":           {"로그인이 필요합니다.", "Sign in first."},
	"error.password.change": {"비밀번호를 먼저 바꾸세요: /account/password", "Change your password first: /account/password"},
	"error.setup":           {"이 설정 링크는 이미 쓰였거나 만료되었습니다. 서버를 다시 시작하면 새 링크가 출력됩니다.", "This setup link was used or has expired. Restart the server to print a new one."},
	"error.user":            {"사용자 번호 %s가 없습니다.", "There is no user number %s."},
	"error.program":         {"이 계획에 세부사업 번호 %s가 없습니다.", "This plan has no programme number %s."},
	"error.action":          {"알 수 없는 작업입니다. 화면의 버튼을 쓰세요.", "Unknown action. Use the buttons on the page."},
	"error.422":             {"입력 값에 고칠 곳이 있습니다. errors 항목을 보세요.", "Some values need fixing; see errors."},
	"error.409":             {"그 사이 %s님이 %s에 값을 바꿨습니다 (version %d). 현재 값을 다시 읽고 고치거나, 사유를 적어 덮어쓰세요.", "%s changed this value at %s in the meantime (version %d). Read it again and edit, or overwrite with a reason."},
	"error.409.new":         {"아직 값이 없는데 version이 0이 아닙니다. 새 값은 version 0으로 보내세요.", "There is no value yet; send version 0 for a new one."},
	"error.423":             {"이 달은 %s에 마감되었습니다. 고치려면 담당관에게 잠금 해제를 요청하세요.", "This month locked on %s. Ask an official to unlock it."},
	"error.token":           {"API 토큰이 없거나 맞지 않습니다. 사용자 화면에서 새 토큰을 만드세요.", "The API token is missing or wrong. Make a new one on your account page."},
	"error.month":           {"월은 1부터 12까지의 숫자여야 합니다.", "The month must be a number from 1 to 12."},
	"error.figure":          {"이 달의 값이 아직 없습니다. 새 값은 version 0으로 보내세요.", "There is no value for this month yet; send a new one with version 0."},
	"error.405":             {"이 주소는 이 방식의 요청을 받지 않습니다. 화면의 링크와 버튼을 쓰세요.", "This address does not take this kind of request. Use the links and buttons on the page."},
	"error.413":             {"요청이 너무 큽니다. 입력 내용을 줄여 다시 보내세요.", "The request is too large. Send less and try again."},
	"error.title":           {"요청을 처리할 수 없습니다", "We could not handle this request"},
	"error.404":             {"페이지를 찾을 수 없습니다", "Page not found"},
	"error.404.help":        {"주소를 확인하거나 현황판 첫 화면에서 다시 찾아 주세요.", "Check the address, or start again from the dashboard."},
	"error.400":             {"요청 값이 올바르지 않습니다", "Something in the request is not valid"},
	"error.500":             {"서버에서 문제가 생겼습니다", "Something went wrong on the server"},
	"error.500.help":        {"잠시 후 다시 시도해 주세요. 문제가 계속되면 담당자에게 알려 주세요.", "Please try again shortly. If it keeps happening, tell the administrator."},
	"error.503":             {"데이터베이스에 연결할 수 없습니다", "The database cannot be reached"},
	"error.back":            {"현황판으로 돌아가기", "Back to the dashboard"},
	"error.asof":            {"기준월(asof)은 1부터 12까지의 숫자여야 합니다. 예: ?asof=9", "The as-of month (asof) must be a number from 1 to 12, for example ?asof=9"},
	"error.year":            {"연도는 2000부터 2100까지의 숫자여야 합니다. 예: /plans/2020", "The year must be a number from 2000 to 2100, for example /plans/2020"},
	"error.year.missing":    {"%d년 계획이 없습니다. 등록된 연도: %s", "There is no plan for %d. Plans exist for: %s"},
	"error.task":            {"이 계획에 과제 코드 %q가 없습니다.", "This plan has no core task with code %q."},
	"error.indicator":       {"이 계획에 지표 번호 %s가 없습니다.", "This plan has no indicator number %s."},
	"error.query":           {"주소의 조회 조건이 너무 깁니다. 조건을 줄여 다시 요청하세요.", "The query string is too long. Shorten it and try again."},
}
