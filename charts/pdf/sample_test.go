package pdf

import (
	"fmt"
	"strings"

	"jobkpi/charts/doc"
)

// The sample documents the tests and the benchmark draw: a plan of n
// indicators, in Korean or English, shaped like the app's report.

var (
	koTasks = []string{"청년 일자리 창출", "신중년 재취업 지원", "여성 경력단절 예방", "사회적경제 기업 육성", "지역 산업 맞춤형 인력 양성",
		"취약계층 공공일자리", "스마트 제조 혁신", "관광 서비스 일자리", "농업 분야 창업 지원", "일자리 기반 조성"}
	koDepts = []string{"일자리경제과", "기업지원과", "여성가족과", "복지정책과", "관광진흥과", "농업정책과", "도시재생과", "평생교육과",
		"문화예술과", "환경정책과", "교통정책과", "건축과"}
	koFields = []string{"직접일자리", "직업능력개발훈련", "고용서비스", "고용장려금", "창업지원", "일자리 인프라 구축"}
	koStatus = []struct{ code, ko, en string }{
		{"reached", "달성", "Reached"}, {"on_track", "정상", "On track"}, {"watch", "주의", "Watch"},
		{"behind", "부진", "Behind"}, {"missing", "미입력", "Missing"},
	}
	enTasks = []string{"Youth jobs", "Second careers", "Women returning to work", "Social enterprises", "Skills for local industry",
		"Public jobs", "Smart manufacturing", "Tourism services", "Farm start-ups", "Job infrastructure"}
	koMonths = []string{"1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월", "11월", "12월"}
	enMonths = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

func ptr(v float64) *float64 { return &v }

func comma(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// indicatorName is a programme name; some are long, one has no spaces.
func indicatorName(ko bool, i int) string {
	if !ko {
		return fmt.Sprintf("Indicator %d: youth job placements through programme %d", i+1, i%7+1)
	}
	switch i % 9 {
	case 3:
		return fmt.Sprintf("지역맞춤형일자리창출지원사업청년창업사관학교운영및후속지원프로그램%d", i+1)
	case 6:
		return fmt.Sprintf("신중년 경력형 일자리 지원 및 사회공헌활동 연계 프로그램 운영 (%d)", i+1)
	}
	return fmt.Sprintf("%s 지표 %d", koTasks[i%len(koTasks)], i+1)
}

// task is the name of task i.
func task(ko bool, i int) string {
	if ko {
		return koTasks[i%len(koTasks)]
	}
	return enTasks[i%len(enTasks)]
}

// dept is the name of department i.
func dept(ko bool, i int) string {
	if ko {
		return koDepts[i%len(koDepts)]
	}
	return fmt.Sprintf("Department %d", i%len(koDepts)+1)
}

// sampleDoc is a report on a plan of n indicators.
func sampleDoc(ko bool, n int) *doc.Document {
	t := func(k, e string) string {
		if ko {
			return k
		}
		return e
	}
	d := &doc.Document{
		Lang:   t("ko", "en"),
		Title:  t("김포시 2020년 일자리대책 실적 보고서", "Gimpo 2020 Employment Plan Results"),
		Draft:  t("초안 — 공표 전 자료입니다", "Draft — not yet published"),
		Footer: t("김포시 일자리경제과 · 2020년 일자리대책 실적", "Gimpo City, Jobs and Economy Division"),
		PageOf: "%d / %d",
		Cover: []doc.Field{
			{Label: t("도시", "City"), Value: t("경기도 김포시", "Gimpo, Gyeonggi-do")},
			{Label: t("계획", "Plan"), Value: t("2020년 일자리대책 연차별 세부계획", "2020 employment plan, yearly detail")},
			{Label: t("기간", "Period"), Value: "2020.1.1. – 2020.12.31."},
			{Label: t("기준일", "As of"), Value: "2020.12.31."},
			{Label: t("출력일", "Printed"), Value: "2021.1.15."},
			{Label: t("작성 부서", "Department"), Value: t("일자리경제과 (전화 031-980-2000)", "Jobs and Economy (031-980-2000)")},
			{Label: t("집계 기준", "Counting"), Value: t("※ 지표별 누적 실적, 목표 대비 달성률(%)", "※ cumulative results by indicator, achievement against target (%)")},
		},
	}
	d.Sections = append(d.Sections, summarySection(ko, t, n), indicatorSection(ko, t, n),
		deptSection(t, ko), fieldSection(t, ko), commentarySection(ko, t, n))
	return d
}

func summarySection(ko bool, t func(k, e string) string, n int) doc.Section {
	s := doc.Section{Heading: t("Ⅰ. 총괄 요약", "I. Summary"), Sheet: "summary"}
	s.Facts = []doc.Field{
		{Label: t("지표 수", "Indicators"), Value: fmt.Sprint(n)},
		{Label: t("일자리 목표", "Job target"), Value: t("12,450명", "12,450 people")},
		{Label: t("일자리 실적", "Jobs to date"), Value: t("11,982명", "11,982 people")},
		{Label: t("달성률", "Achievement"), Value: "96.2%"},
		{Label: t("예산", "Budget"), Value: t("48,210백만원", "48,210 million won")},
		{Label: t("집행액", "Spent"), Value: t("41,005백만원", "41,005 million won")},
		{Label: t("부진 지표", "Behind"), Value: t("18개", "18")},
		{Label: t("미입력 지표", "Missing"), Value: t("3개", "3")},
	}
	months := koMonths
	if !ko {
		months = enMonths
	}
	for c := 0; c < 3; c++ {
		actual, pace := make([]*float64, 12), make([]*float64, 12)
		for m := range 12 {
			pace[m] = ptr(float64((m + 1) * (100 + c*40)))
			if m < 10 && m != 4+c {
				actual[m] = ptr(float64((m+1)*(95+c*42)) + float64(m%3*15))
			}
		}
		s.Charts = append(s.Charts, doc.Chart{
			Title: t(fmt.Sprintf("누적 실적 %d: %s", c+1, koTasks[c]), fmt.Sprintf("Cumulative results %d: %s", c+1, enTasks[c])),
			Kind:  doc.Line, Unit: t("명", "people"), Categories: months,
			Series: []doc.Series{{Name: t("실적", "Actual"), Values: actual}, {Name: t("목표 진도", "Expected"), Values: pace}},
		})
	}
	for c, k := range []int{5, 10} {
		var cats []string
		target, actual := make([]*float64, k), make([]*float64, k)
		for i := range k {
			cats = append(cats, task(ko, i))
			target[i] = ptr(100)
			if i != 3 {
				actual[i] = ptr(float64(60 + (i*37+c*11)%60))
			}
		}
		s.Charts = append(s.Charts, doc.Chart{
			Title: t(fmt.Sprintf("과제별 달성률 %d", c+1), fmt.Sprintf("Achievement by task %d", c+1)),
			Kind:  doc.Bar, Unit: "%", Categories: cats,
			Series: []doc.Series{{Name: t("달성률", "Achievement"), Values: actual}, {Name: t("목표", "Target"), Values: target}},
		})
	}
	return s
}

func indicatorColumns(ko bool, t func(k, e string) string) []doc.Column {
	t2 := func(k, e float64) float64 {
		if ko {
			return k
		}
		return e
	}
	return []doc.Column{
		{Heading: t("번호", "No."), Format: doc.Int, Width: 0.5},
		{Heading: t("지표명", "Indicator"), Width: 3},
		{Heading: t("부서", "Dept"), Width: 1.3},
		{Heading: t("단위", "Unit"), Width: 0.6},
		{Heading: t("목표", "Target"), Format: doc.Int},
		{Heading: t("실적", "Actual"), Format: doc.Int},
		{Heading: t("달성률", "Rate"), Format: doc.Percent, Width: 0.9},
		{Heading: t("예산", "Budget"), Format: doc.Million},
		{Heading: t("상태", "Status"), Width: t2(0.9, 1.2)},
		{Heading: t("비고", "Note"), Width: 1.2},
	}
}

func indicatorSection(ko bool, t func(k, e string) string, n int) doc.Section {
	s := doc.Section{Heading: t("Ⅱ. 지표별 실적", "II. Results by indicator"), Sheet: "indicators", NewPage: true}
	tb := doc.Table{Caption: t("표 1. 지표별 목표 대비 실적", "Table 1. Results against target"),
		Columns: indicatorColumns(ko, t), Note: t("※ 달성률은 목표 대비 누적 실적입니다. 예산 단위: 백만원", "※ Rate is the cumulative result over the target. Budget in million won."),
		Empty: t("지표가 없습니다", "No indicators")}
	for i := range n {
		if i%20 == 0 {
			tb.Rows = append(tb.Rows, doc.Row{Kind: doc.Group, Cells: []doc.Cell{doc.Str(t("과제 ", "Task ") + fmt.Sprint(i/20+1) + ". " + task(ko, i/20))}})
		}
		target, actual := 100+i*7%300, 80+i*11%330
		st := koStatus[i%len(koStatus)]
		note := ""
		if i%13 == 0 {
			note = t("상반기 집중 추진", "front-loaded")
		}
		tb.Rows = append(tb.Rows, doc.Row{Cells: []doc.Cell{
			doc.Num(fmt.Sprint(i+1), float64(i+1)),
			doc.Str(indicatorName(ko, i)),
			doc.Str(dept(ko, i)),
			doc.Str(t("명", "ppl")),
			doc.Num(comma(target), float64(target)),
			doc.Num(comma(actual), float64(actual)),
			doc.Num(fmt.Sprintf("%.1f%%", float64(actual)*100/float64(target)), float64(actual)/float64(target)),
			doc.Num(comma(1000+i*37), float64(1000+i*37)),
			{Text: t(st.ko, st.en), Status: st.code},
			doc.Str(note),
		}})
	}
	s.Tables = []doc.Table{tb}
	return s
}

func deptSection(t func(k, e string) string, ko bool) doc.Section {
	s := doc.Section{Heading: t("Ⅲ. 부서별 실적", "III. Results by department"), Sheet: "departments"}
	tb := doc.Table{Caption: t("표 2. 부서별 지표 현황", "Table 2. Indicators by department"), Columns: []doc.Column{
		{Heading: t("부서", "Department"), Width: 2}, {Heading: t("지표", "Indicators"), Format: doc.Int},
		{Heading: t("달성", "Reached"), Format: doc.Int}, {Heading: t("부진", "Behind"), Format: doc.Int},
		{Heading: t("평균 달성률", "Mean rate"), Format: doc.Percent}}}
	for i := range koDepts {
		dpt := dept(ko, i)
		tb.Rows = append(tb.Rows, doc.Row{Cells: []doc.Cell{doc.Str(dpt), doc.Num(fmt.Sprint(10+i), float64(10+i)),
			doc.Num(fmt.Sprint(6+i%4), float64(6+i%4)), doc.Num(fmt.Sprint(i%3), float64(i%3)),
			doc.Num(fmt.Sprintf("%.1f%%", 80+float64(i)*1.5), 0.8+float64(i)*0.015)}})
	}
	s.Tables = []doc.Table{tb}
	return s
}

func fieldSection(t func(k, e string) string, ko bool) doc.Section {
	s := doc.Section{Heading: t("Ⅳ. 분야별 실적", "IV. Results by field"), Sheet: "fields"}
	tb := doc.Table{Caption: t("표 3. 분야별 일자리 실적", "Table 3. Jobs by field"), Columns: []doc.Column{
		{Heading: t("분야", "Field"), Width: 2}, {Heading: t("세부 사업", "Programme"), Width: 3},
		{Heading: t("목표", "Target"), Format: doc.Int}, {Heading: t("실적", "Actual"), Format: doc.Int},
		{Heading: t("예산", "Budget"), Format: doc.Million}},
		Note: t("※ 소계는 분야 안의 사업을 더한 값입니다.", "※ A subtotal adds the programmes of its field.")}
	for i, f := range koFields {
		if !ko {
			f = fmt.Sprintf("Field %d", i+1)
		}
		tb.Rows = append(tb.Rows, doc.Row{Kind: doc.Group, Cells: []doc.Cell{doc.Str(f)}})
		sum := 0
		for j := range 3 {
			v := 100 + i*30 + j*7
			sum += v
			tb.Rows = append(tb.Rows, doc.Row{Cells: []doc.Cell{doc.Str(""), doc.Str(t(fmt.Sprintf("%s 세부 사업 %d", f, j+1), fmt.Sprintf("Programme %d.%d", i+1, j+1))),
				doc.Num(comma(v+10), float64(v+10)), doc.Num(comma(v), float64(v)), doc.Num(comma(v*12), float64(v*12))}})
		}
		tb.Rows = append(tb.Rows, doc.Row{Kind: doc.Subtotal, Cells: []doc.Cell{doc.Str(t("소계", "Subtotal")), doc.Str(""),
			doc.Num(comma(sum+30), float64(sum+30)), doc.Num(comma(sum), float64(sum)), doc.Num(comma(sum*12), float64(sum*12))}})
	}
	s.Tables = []doc.Table{tb, {Caption: t("표 4. 이월 사업", "Table 4. Carried-over programmes"), Columns: tb.Columns,
		Empty: t("이월 사업이 없습니다.", "No programme was carried over.")}}
	return s
}

func commentarySection(ko bool, t func(k, e string) string, n int) doc.Section {
	s := doc.Section{Heading: t("Ⅴ. 지표별 추진 상황", "V. Commentary"), Sheet: "commentary", NewPage: true}
	for i := range 40 {
		text := strings.Repeat(t("상반기에 참여자 모집을 마치고 하반기에 취업 연계를 집중 추진하였습니다. ", "Participants were recruited in the first half and placed in jobs in the second. "), 1+i%4)
		if i == 5 {
			text += strings.Repeat("가", 200)
		}
		s.Paragraphs = append(s.Paragraphs, doc.Paragraph{Title: indicatorName(ko, i*n/40), Text: text})
	}
	return s
}
