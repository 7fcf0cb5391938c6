package handlers

import (
	"strings"
	"unicode"
)

// Korean particles (조사) change with the final sound of the word before
// them: 174명으로 but 12개로, 사용자 kim을 but 사용자 lee를. A Korean
// message writes the particle with both forms, "(으)로", "(이)가",
// "(을)를", "(은)는" or "(과)와", and Lang.T chooses one by the text that
// precedes it once the arguments are filled in. This file is the one
// place that choice is made.

// particle is one choice: after a final consonant, after a vowel, and
// whether a final ㄹ counts as a vowel (it does for 로).
type particle struct {
	marker, consonant, vowel string
	rieulVowel               bool
}

var particleForms = []particle{
	{"(으)로", "으로", "로", true},
	{"(이)가", "이", "가", false},
	{"(을)를", "을", "를", false},
	{"(은)는", "은", "는", false},
	{"(과)와", "과", "와", false},
}

// withParticles replaces every particle marker in s by the form that fits
// the word before it.
func withParticles(s string) string {
	if !strings.Contains(s, ")") {
		return s
	}
	for _, p := range particleForms {
		for {
			i := strings.Index(s, p.marker)
			if i < 0 {
				break
			}
			s = s[:i] + p.after(s[:i]) + s[i+len(p.marker):]
		}
	}
	return s
}

// after is the particle's form after text.
func (p particle) after(text string) string {
	switch finalSound(text) {
	case soundVowel:
		return p.vowel
	case soundRieul:
		if p.rieulVowel {
			return p.vowel
		}
	}
	return p.consonant
}

type sound int

const (
	soundVowel sound = iota
	soundConsonant
	soundRieul // a final ㄹ
)

// finalSound is how text ends when read aloud in Korean: its last Hangul
// syllable, the Korean reading of its last number (16 is 십육, 2,000 is
// 이천, 12.5 is 십이 점 오) or the name of its last Latin letter. Closing
// brackets, quotes and spaces are skipped; anything else reads as a vowel.
func finalSound(text string) sound {
	runes := []rune(strings.TrimRightFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`)]}'"’”」』>`, r)
	}))
	if len(runes) == 0 {
		return soundVowel
	}
	last := runes[len(runes)-1]
	switch {
	case last >= 0xAC00 && last <= 0xD7A3:
		switch (last - 0xAC00) % 28 {
		case 0:
			return soundVowel
		case 8: // ㄹ
			return soundRieul
		}
		return soundConsonant
	case last >= '0' && last <= '9':
		return numberSound(runes)
	case last == '%':
		return soundVowel // 퍼센트
	}
	switch unicode.ToLower(last) {
	case 'l', 'r': // 엘, 알
		return soundRieul
	case 'm', 'n': // 엠, 엔
		return soundConsonant
	}
	return soundVowel
}

// numberSound reads the number at the end of runes: the last non-zero
// digit decides (일, 이, 삼 …) unless trailing zeros make it end in a
// place: 십, 백, 천 below ten thousand, else 만, 억 or 조 (120,000 is
// 십이만). A decimal fraction reads digit by digit.
func numberSound(runes []rune) sound {
	end := len(runes)
	start := end
	for start > 0 && (runes[start-1] >= '0' && runes[start-1] <= '9' || runes[start-1] == ',') {
		start--
	}
	digits := strings.ReplaceAll(string(runes[start:end]), ",", "")
	if start > 0 && runes[start-1] == '.' {
		return digitSound(digits[len(digits)-1]) // 12.5: 오
	}
	zeros := len(digits) - len(strings.TrimRight(digits, "0"))
	if zeros == len(digits) {
		return soundConsonant // 영
	}
	if zeros == 0 {
		return digitSound(digits[len(digits)-1])
	}
	if zeros < 4 || zeros/4 < 3 {
		return soundConsonant // 십 백 천, or a myriad: 만 억
	}
	return soundVowel // 조
}

// digitSound is how a digit from 1 to 9 ends: 일 이 삼 사 오 육 칠 팔 구.
func digitSound(d byte) sound {
	switch d {
	case '1', '7', '8':
		return soundRieul
	case '3', '6':
		return soundConsonant
	}
	return soundVowel
}
