package briefings

import (
	"golang.org/x/text/unicode/norm"
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopWords are the words of a question that carry no name or topic. They
// are dropped from questions and aliases alike, so "coalition of the
// willing" and "coalition willing" are the same key.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a an the of on in into to for about at as by from with without and or nor but
		what whats what's which who whom whose why when where how is are was were be been being am
		do does did doing done has have had having will would could should can may might must shall
		i me my we our you your he him his she her it its they them their this that these those there here
		think thinks thought say says said saying tell told position positions stance stances view views
		opinion opinions feel feels want wants wanted stand stands take takes on about regarding re
		please show give explain describe know knows any some all more much most now currently current latest
		support supports supported back backs oppose opposes opposed reject rejects rejected propose proposes
		really actually just also even so very than then there's not no yes if
		us`) {
		m[w] = true
	}
	return m
}()

// spelling folds British and American spellings and common variants.
var spelling = map[string]string{
	"defence": "defense",
	"offence": "offense",
	"odesa":   "odessa",
}

// token is one word of analysed text.
type token struct {
	raw  string // as typed, lower-cased
	stem string // folded, used for matching
	orig string // as typed
	prev string // the word typed before it, lower-cased (stop words included)
}

// usNouns are words that, after a lower-case "us", show it is the country:
// "us president", "us troops".
var usNouns = map[string]bool{
	"president": true, "government": true, "officials": true, "official": true, "troops": true, "troop": true,
	"army": true, "military": true, "envoy": true, "administration": true, "air": true, "aid": true,
	"help": true, "role": true, "support": true, "guarantee": true, "guarantees": true, "soldiers": true,
}

// analyze splits text into lower-case word tokens, drops possessives and
// stop words, and stems plurals. "US" and "U.S." become "usa" so that the
// country survives the stop word "us"; a lower-case "us" does too when a
// word such as "president" or "troops" follows it.
func analyze(s string) []token {
	var out []token
	ws := words(s)
	for i, w := range ws {
		lw := strings.ToLower(w)
		prev := ""
		if i > 0 {
			prev = strings.ToLower(ws[i-1])
		}
		if w == "US" || lw == "u.s" || lw == "u.s." ||
			lw == "us" && i+1 < len(ws) && usNouns[strings.ToLower(ws[i+1])] {
			out = append(out, token{raw: "us", stem: "usa", orig: w, prev: prev})
			continue
		}
		lw = strings.TrimSuffix(strings.TrimSuffix(lw, "'s"), "'")
		lw = strings.Trim(lw, ".'")
		if lw == "" || stopWords[lw] {
			continue
		}
		out = append(out, token{raw: lw, stem: stem(lw), orig: strings.Trim(w, ".'"), prev: prev})
	}
	return out
}

// words splits s at anything that is not a letter, digit, apostrophe or
// inner full stop (U.S.).
func words(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || (r == '.' && start >= 0)
		if inWord {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	for i, w := range out {
		if strings.ContainsRune(w, '’') {
			out[i] = strings.ReplaceAll(w, "’", "'")
		}
		// A trailing full stop ends a sentence, except in "U.S.".
		if strings.HasSuffix(out[i], ".") && out[i] != "U.S." {
			out[i] = strings.TrimRight(out[i], ".")
		}
	}
	return out
}

// stem folds plurals and spelling variants: "troops" → "troop",
// "skies" → "sky", "defence" → "defense".
func stem(w string) string {
	w = foldMarks(w)
	if v, ok := spelling[w]; ok {
		return v
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// stems returns the stems of the analysed text.
//
// It is analyze without the tokens: loading stems every passage of every
// source, and building tokens there would be most of what loading
// allocates. TestStemsMatchAnalyze holds the two to the same rules.
func stems(s string) []string {
	ws := words(s)
	out := make([]string, 0, len(ws))
	for i, w := range ws {
		lw := strings.ToLower(w)
		if w == "US" || lw == "u.s" || lw == "u.s." ||
			lw == "us" && i+1 < len(ws) && usNouns[strings.ToLower(ws[i+1])] {
			out = append(out, "usa")
			continue
		}
		lw = strings.TrimSuffix(strings.TrimSuffix(lw, "'s"), "'")
		lw = strings.Trim(lw, ".'")
		if lw == "" || stopWords[lw] {
			continue
		}
		out = append(out, stem(lw))
	}
	return out
}

// nameKey is the matching key of a name or alias: its stems joined by spaces.
func nameKey(s string) string { return strings.Join(stems(s), " ") }

// maxTypos is how many edits a word of n letters may be away from a known
// name and still be read as that name.
func maxTypos(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and transpositions of adjacent
// letters), giving up early with limit+1 once the distance exceeds limit.
func editDistance(a, b string, limit int) int {
	if a == b {
		return 0
	}
	if d := len(a) - len(b); (d > limit || -d > limit) && isASCII(a) && isASCII(b) {
		return limit + 1
	}
	if isASCII(a) && isASCII(b) {
		return osa([]byte(a), []byte(b), limit)
	}
	return osa([]rune(a), []rune(b), limit)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func osa[E byte | rune](a, b []E, limit int) int {
	la, lb := len(a), len(b)
	if d := la - lb; d > limit || -d > limit {
		return limit + 1
	}
	// Three rolling rows: two back (for transpositions), previous, current.
	var buf [3][24]int
	var prev2, prev, cur []int
	if lb < len(buf[0]) {
		prev2, prev, cur = buf[0][:lb+1], buf[1][:lb+1], buf[2][:lb+1]
	} else {
		prev2, prev, cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[lb], limit+1)
}

// foldMarks drops the diacritics of a word ("szijjártó" → "szijjarto"),
// so a name typed without them still matches; ASCII words are returned
// as they are, without work.
func foldMarks(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
