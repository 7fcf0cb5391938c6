package handlers

import (
	"strings"
	"testing"
)

func TestWithParticles(t *testing.T) {
	tests := []struct{ in, want string }{
		{"174명(으)로", "174명으로"},
		{"12개(으)로", "12개로"},
		{"서울(으)로", "서울로"},            // ㄹ takes 로
		{"16(으)로", "16으로"},           // 십육
		{"12(으)로", "12로"},            // 십이
		{"7(으)로", "7로"},              // 칠: ㄹ
		{"10(으)로", "10으로"},           // 십
		{"2,000(으)로", "2,000으로"},     // 이천
		{"120,000(으)로", "120,000으로"}, // 십이만
		{"12.5(으)로", "12.5로"},        // 오
		{"0(으)로", "0으로"},             // 영
		{"50%(으)로", "50%로"},          // 퍼센트
		{"사용자 kim(을)를", "사용자 kim을"},
		{"사용자 lee(을)를", "사용자 lee를"},
		{"번호 9(이)가", "번호 9가"},
		{"번호 13(이)가", "번호 13이"},
		{"목표(은)는", "목표는"},
		{"실적(은)는", "실적은"},
		{"'일자리'(은)는", "'일자리'는"},
		{"사과(과)와 배", "사과와 배"},
		{"김포시(이)가 174명(으)로", "김포시가 174명으로"},
		{"no marker", "no marker"},
		{"(으)로", "로"},
	}
	for _, tt := range tests {
		if got := withParticles(tt.in); got != tt.want {
			t.Errorf("withParticles(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKoreanMessagesChooseParticles(t *testing.T) {
	if got, want := Korean.T("entry.conflict", "staff", "2020-10-01 10:00", "16"), "그 사이 staff님이 2020-10-01 10:00에 16으로 바꿨습니다."; !strings.HasPrefix(got, want) {
		t.Errorf("entry.conflict = %q, want it to start %q", got, want)
	}
	if got := English.T("entry.conflict", "staff", "2020-10-01 10:00", "16"); !strings.HasPrefix(got, "staff changed it") {
		t.Errorf("English entry.conflict = %q", got)
	}
}
