package ingest

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefings"
)

// Basis values a found quotation carries (the briefing's evidence bases).
const (
	// BasisQuote: the speaker's own words, given as direct speech.
	BasisQuote = string(briefings.BasisQuote)
	// BasisReport: words in quotation marks inside the article's own
	// report of what someone said ("he said the request was "offensive"").
	BasisReport = string(briefings.BasisReport)
)

// Found is one quotation in an article, with whom the article attributes
// it to.
type Found struct {
	// Text is the quotation, its paragraphs joined by a space.
	Text string
	// Pieces are the verbatim parts of a quotation that runs over several
	// paragraphs (each reopened with a quotation mark); one piece otherwise.
	Pieces []string
	// Sentence is the sentence (or sentences) the quotation stands in.
	Sentence string
	// Speaker is the actor id (existing or proposed), "" when none found.
	Speaker string
	// Written is how the article names the speaker at the quotation ("he",
	// "the French president", "Emmanuel Macron").
	Written string
	// Name is the speaker's name as the article writes it where it names
	// them in full.
	Name  string
	Basis string
	// Via is the outlet id that relayed the words, if any.
	Via string
	// Scare marks quotation marks around a term, not speech.
	Scare bool
	// Turn marks a transcript's turn ("MELNYCHUK: Progress, honestly."):
	// the speaker's own words without quotation marks.
	Turn bool
	// weak marks a speaker taken from the quotation's neighbours (the
	// quotation before, a presenting sentence), not from its own words.
	weak bool
	// Offset is the byte offset of the opening mark in the text.
	Offset int
}

// span is a passage between quotation marks: pieces are [start, end) byte
// ranges of the text inside the marks; open is the offset of the first
// opening mark and close the offset just after the last closing mark.
type span struct {
	pieces      [][2]int
	open, close int
}

func isOpenMark(r rune) bool  { return r == '"' || r == '“' || r == '„' || r == '«' }
func isCloseMark(r rune) bool { return r == '"' || r == '”' || r == '»' }

// paragraphBreak reports whether text[i:] starts a blank line (a newline,
// optional spaces, a newline) and returns the offset after the break.
func paragraphBreak(text string, i int) (int, bool) {
	if text[i] != '\n' {
		return 0, false
	}
	j := i + 1
	for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
		j++
	}
	if j < len(text) && text[j] == '\n' {
		for j < len(text) && unicode.IsSpace(rune(text[j])) {
			j++
		}
		return j, true
	}
	return 0, false
}

// spans finds the passages in quotation marks. A quotation that reaches
// the end of its paragraph open goes on into the next paragraph when that
// one opens with a quotation mark (the convention for quotes of several
// paragraphs); otherwise the unmatched mark is dropped. Line breaks
// inside a paragraph do not end a quotation.
func spans(text string) []span {
	var out []span
	var cur *span
	pieceStart := 0
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if cur != nil {
			if next, ok := paragraphBreak(text, i); ok {
				nr, nw := utf8.DecodeRuneInString(text[next:])
				if next < len(text) && isOpenMark(nr) {
					cur.pieces = append(cur.pieces, [2]int{pieceStart, trimRightSpace(text, pieceStart, i)})
					pieceStart = next + nw
					i = next + nw
					continue
				}
				cur = nil // unmatched: not a quotation
				i = next
				continue
			}
			if isCloseMark(r) {
				cur.pieces = append(cur.pieces, [2]int{pieceStart, i})
				cur.close = i + w
				out = append(out, *cur)
				cur = nil
			}
			i += w
			continue
		}
		if isOpenMark(r) {
			cur = &span{open: i}
			pieceStart = i + w
		}
		i += w
	}
	return out
}

// singleSpans finds quotations in single marks ('…,' Tusk said), as
// British-style copy writes them, outside the double-marked ones: an
// opening mark after a space or a line start and before a letter, a
// closing mark just after the sentence's punctuation (",'" ".'" "?'"),
// within one paragraph, three words at least. Apostrophes ("Poland's",
// "allies'") never open or close one.
func singleSpans(text string, doubles []span) []span {
	in := func(i int) bool {
		for _, d := range doubles {
			if i >= d.open && i < d.close {
				return true
			}
		}
		return false
	}
	var out []span
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if (r == '\'' || r == '‘') && (i == 0 || strings.ContainsRune(" \n\t(—–", rune(text[i-1]))) && i+w < len(text) && !in(i) {
			nr, _ := utf8.DecodeRuneInString(text[i+w:])
			if unicode.IsLetter(nr) || unicode.IsDigit(nr) {
				if end, ok := singleClose(text, i+w); ok && wordCount(text[i+w:end]) >= 3 {
					_, cw := utf8.DecodeRuneInString(text[end:])
					out = append(out, span{pieces: [][2]int{{i + w, end}}, open: i, close: end + cw})
					i = end + cw
					continue
				}
			}
		}
		i += w
	}
	return out
}

// singleClose finds the closing single mark of a quotation opened before
// from: one just after , . ! or ?, before a space, a line end or
// punctuation, in the same paragraph.
func singleClose(text string, from int) (int, bool) {
	for j := from; j < len(text); {
		r, w := utf8.DecodeRuneInString(text[j:])
		if r == '\n' {
			if _, ok := paragraphBreak(text, j); ok {
				return 0, false
			}
		}
		if (r == '\'' || r == '’') && j > from && strings.ContainsRune(",.!?", rune(text[j-1])) {
			if j+w == len(text) || strings.ContainsRune(" \n\t,.;:)—–", rune(text[j+w])) {
				return j, true
			}
		}
		if r == '"' || r == '“' || r == '”' {
			return 0, false
		}
		j += w
	}
	return 0, false
}

func trimRightSpace(text string, start, end int) int {
	for end > start && unicode.IsSpace(rune(text[end-1])) {
		end--
	}
	return end
}

// speechVerbs are the verbs that introduce reported speech.
var speechVerbs = setOf("said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "warned", "warns",
	"stated", "states", "declared", "insisted", "insists", "argued", "argues", "noted", "notes", "stressed", "stresses",
	"explained", "explains", "asked", "asks", "replied", "posted", "tweeted", "announced", "claimed", "claims",
	"acknowledged", "hinted", "continued", "recalled", "urged", "urges", "conceded", "admitted", "emphasised",
	"emphasized", "remarked", "commented", "vowed", "promised", "cautioned", "predicted", "confirmed", "called",
	"described", "according", "insisting", "calling", "saying", "telling", "writing", "warning", "adding", "reiterated", "suggested",
	"observed", "observes", "quipped", "joked", "responded", "answered", "countered", "retorted", "boasted", "lamented",
	"complained", "pledged", "asserted", "maintained", "contended", "repeated", "describing", "arguing", "stressing",
	"noting", "claiming", "accusing", "urging", "vowing", "promising", "dismissing", "branding", "explaining", "repeating",
	"began", "begins", "opened", "concluded", "talks", "talked", "spoke", "speaks", "declaring", "stating",
	"announcing", "asserting", "conceding", "admitting", "acknowledging", "recalling", "pressed", "interjected", "interrupted", "mused", "sighed")

// termMarkers before a quotation mark make it a term, not speech.
var termMarkers = []string{"so-called", "so called", "dubbed", "known as", "termed", "labelled", "labeled", "the term", "the word", "the phrase"}

var pronouns = setOf("he", "she", "they", "it")

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = setOf("mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "prof", "sen",
	"rep", "gov", "jr", "sr", "vs", "no", "u.s", "u.k", "e.g", "i.e", "u.n", "e.u", "jan", "feb", "aug", "sept", "oct", "nov", "dec")

// sentenceStart returns the offset where the sentence holding text[i]
// starts, not looking back past floor.
// A list item's bullet ("* ", "• ") is not part of its sentence.
func sentenceStart(text string, i, floor int) int {
	for j := i - 1; j > floor; j-- {
		c := text[j]
		if c == '\n' {
			if _, ok := paragraphBreak(text, j); ok || (j > 0 && text[j-1] == '\n') {
				return skipBullet(text, j+1, i)
			}
			// a list item on its own line starts a sentence
			if b := skipBullet(text, j+1, i); b > j+1 {
				return b
			}
		}
		if (c == '.' || c == '!' || c == '?') && j+1 < len(text) && (text[j+1] == ' ' || text[j+1] == '\n') && !isAbbrev(text, j) {
			return j + 1
		}
		// a quotation that ended its sentence: "…that follow.” Sergei
		// Lavrov, the foreign minister, went further"
		if (c == '"' || strings.HasPrefix(text[j:], "”")) && j > 0 && strings.ContainsRune(".!?", rune(text[j-1])) {
			k := j + 1
			if c != '"' {
				k = j + len("”")
			}
			if k < i && k+1 < len(text) && (text[k] == ' ' || text[k] == '\n') && unicode.IsUpper(rune(text[k+1])) {
				return k + 1
			}
		}
	}
	if floor == 0 || text[floor-1] == '\n' {
		return skipBullet(text, floor, i)
	}
	return floor
}

// skipBullet returns the offset after a list bullet at start ("* ",
// "• ", "- "), when it lies before i; start otherwise.
func skipBullet(text string, start, i int) int {
	for _, b := range []string{"* ", "• ", "- "} {
		if strings.HasPrefix(text[start:], b) && start+len(b) <= i {
			return start + len(b)
		}
	}
	// a transcript's speaker label ("SHMYHAL: Mr Putin said …") is not
	// part of the sentence either
	// (only a capital can open a label: the regexp is not run on the rest)
	if start < len(text) && (text[start] >= 'A' && text[start] <= 'Z' || text[start] >= 0x80 || text[start] == ' ' || text[start] == '\t') {
		if loc := turnLabel.FindStringIndex(text[start:min(len(text), start+90)]); loc != nil && loc[0] == 0 && start+loc[1] <= i {
			return start + loc[1]
		}
	}
	return start
}

// sentenceEnd returns the offset just after the sentence that holds text[i].
func sentenceEnd(text string, i int) int {
	for j := i; j < len(text); j++ {
		c := text[j]
		if c == '\n' {
			if _, ok := paragraphBreak(text, j); ok {
				return j
			}
		}
		if (c == '.' || c == '!' || c == '?') && (j+1 == len(text) || text[j+1] == ' ' || text[j+1] == '\n') && !isAbbrev(text, j) {
			return j + 1
		}
	}
	return len(text)
}

func isAbbrev(text string, dot int) bool {
	k := dot
	for k > 0 && (unicode.IsLetter(rune(text[k-1])) || text[k-1] == '.') {
		k--
	}
	w := strings.ToLower(text[k:dot])
	if abbreviations[w] {
		return true
	}
	return len(w) == 1 && unicode.IsUpper(rune(text[k])) // an initial: "John F. Kennedy"
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’\-]*(?:\.[\p{L}\p{N}]+)*`)

// words splits s into words, keeping their offsets.
func words(s string) [][]int { return wordRE.FindAllStringIndex(s, -1) }

func wordCount(s string) int { return len(words(s)) }

// attributor finds the speakers of an article's quotations.
type attributor struct {
	text   string
	names  *nameTable
	spans  []span
	inSpan []bool // per byte: inside a quotation
	outlet []outletName
	// last is the speaker of the latest attributed quotation, lastAt the
	// offset of its opening mark.
	last   speaker
	lastAt int
	// roles are the known actors' roles, by id.
	roles map[string]string
	// adjOf maps a known actor's adjective ("ukrainian") to its names.
	adjOf map[string][]string
	// anon is set while attributing a quotation whose speaker phrase
	// names no one ("one senior official told me"): no later rule may
	// give it a speaker.
	anon bool
	// patterns are the name searches compiled for this article.
	patterns map[string]*regexp.Regexp
}

type outletName struct {
	id, name string
}

// FindQuotes finds every quotation in text and whom the text attributes
// it to, resolving speakers against the briefing's actors (names,
// aliases, roles), pronouns against the person last named as a
// sentence's subject, and proposing new actors for names it does not
// know (returned in the table).
func FindQuotes(b *briefings.Briefing, text string) ([]Found, *nameTable) {
	doubles := spans(text)
	all := append(slices.Clone(doubles), singleSpans(text, doubles)...)
	slices.SortFunc(all, func(x, y span) int { return x.open - y.open })
	a := &attributor{text: text, names: newNameTable(b), spans: all, roles: map[string]string{}}
	a.adjOf = map[string][]string{}
	for _, act := range b.Actors {
		a.roles[act.ID] = act.Role
		for _, adj := range act.Adjectives {
			a.adjOf[strings.ToLower(adj)] = append(a.adjOf[strings.ToLower(adj)], strings.ToLower(act.Name))
			for _, al := range act.Aliases {
				a.adjOf[strings.ToLower(adj)] = append(a.adjOf[strings.ToLower(adj)], strings.ToLower(al))
			}
		}
	}
	a.inSpan = make([]bool, len(text))
	for _, s := range a.spans {
		for k := s.open; k < s.close; k++ {
			a.inSpan[k] = true
		}
	}
	for _, o := range b.Outlets {
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			a.outlet = append(a.outlet, outletName{o.ID, n})
		}
	}
	slices.SortFunc(a.outlet, func(x, y outletName) int { return len(y.name) - len(x.name) })
	var out []Found
	for i, s := range a.spans {
		f := a.attribute(i, s, out)
		if f.Speaker != "" {
			a.last, a.lastAt = speaker{id: f.Speaker, written: f.Written, name: f.Name}, s.open
		}
		out = append(out, f)
	}
	repeats(out)
	turns := a.turns()
	a.inTurns(out, turns)
	out = append(out, turns...)
	out = append(out, a.nested(doubles, out)...)
	slices.SortStableFunc(out, func(x, y Found) int { return x.Offset - y.Offset })
	return out, a.names
}

// nested finds the quotations in single marks inside a double-marked
// one, a speaker quoting someone else ("“I remember President Macron
// telling a room full of generals, ‘If we are not ready to respond, we
// should not go at all.’ Everyone nodded.”"), and attributes each from
// the words around it inside the outer quotation only; one no words
// there attribute stays unattributed, never the outer speaker's.
func (a *attributor) nested(doubles []span, found []Found) []Found {
	text := a.text
	var out []Found
	outer := map[int]string{} // the speaker of each quotation, by its opening mark
	for _, f := range found {
		outer[f.Offset] = f.Speaker
	}
	for _, d := range doubles {
		for _, pc := range d.pieces {
			ps, pe := pc[0], pc[1]
			for i := ps; i < pe; {
				r, w := utf8.DecodeRuneInString(text[i:])
				if (r == '\'' || r == '‘') && (i == ps || strings.ContainsRune(" \n\t(—–", rune(text[i-1]))) && i+w < pe {
					nr, _ := utf8.DecodeRuneInString(text[i+w:])
					if end, ok := nestedClose(text, i+w, pe); ok && (unicode.IsLetter(nr) || unicode.IsDigit(nr)) && wordCount(text[i+w:end]) >= 3 {
						_, cw := utf8.DecodeRuneInString(text[end:])
						f := a.attributeNested(span{pieces: [][2]int{{i + w, end}}, open: i, close: end + cw}, ps, pe)
						if f.Speaker != "" && f.Speaker == outer[d.open] && pronouns[strings.ToLower(f.Written)] {
							// "He recounted a conversation with Sergei
							// Ryabkov: "He said to me, '…'"": the
							// pronoun is the other person the outer
							// quotation's sentence names
							if o, ok := a.otherNamed(d.open, f.Speaker); ok {
								f.Speaker, f.Name = o.id, o.name
							}
						}
						if f.Speaker != "" && (f.Speaker == outer[d.open] || !a.isPerson(f.Speaker)) {
							// a speaker quoting someone else ("The
							// president said to me, '…'") is not the
							// speaker; a country says nothing ("say to
							// Moscow, '…'")
							f.Speaker, f.Written, f.Name, f.Via, f.Basis = "", "", "", "", ""
						}
						out = append(out, f)
						i = end + cw
						continue
					}
				}
				i += w
			}
		}
	}
	return out
}

// nestedClose finds the closing single mark of a quotation inside
// another, before ceil: after the sentence's punctuation (",'" ".'"), or
// before it ("'…first line of defence', nobody").
func nestedClose(text string, from, ceil int) (int, bool) {
	if end, ok := singleClose(text, from); ok && end < ceil {
		return end, true
	}
	for j := from + 1; j < ceil; {
		r, w := utf8.DecodeRuneInString(text[j:])
		if r == '\n' {
			if _, ok := paragraphBreak(text, j); ok {
				return 0, false
			}
		}
		if r == '’' || r == '\'' {
			prev, _ := utf8.DecodeLastRuneInString(text[:j])
			if unicode.IsLetter(prev) && j+w < ceil && strings.ContainsRune(",;:", rune(text[j+w])) {
				return j, true
			}
		}
		j += w
	}
	return 0, false
}

// otherNamed is the last person other than id named in the sentence
// before off, outside quotation marks.
func (a *attributor) otherNamed(off int, id string) (speaker, bool) {
	st := sentenceStart(a.text, off, 0)
	seg := a.text[st:off]
	locs := personRun.FindAllStringIndex(seg, -1)
	for _, loc := range slices.Backward(locs) {
		run := seg[loc[0]:loc[1]]
		if a.inSpan[st+loc[0]] || !hasPersonName(run) || institutional(run) {
			continue
		}
		if spk, ok := a.resolvePhrase(run, st+loc[0]); ok && spk.id != id && a.isPerson(spk.id) {
			return spk, true
		}
	}
	return speaker{}, false
}

// attributeNested attributes a quotation inside another, reading only
// the outer quotation's words between floor and ceil.
func (a *attributor) attributeNested(s span, floor, ceil int) Found {
	text := a.text
	f := Found{Offset: s.open, Pieces: []string{text[s.pieces[0][0]:s.pieces[0][1]]}}
	f.Text = strings.Join(strings.Fields(f.Pieces[0]), " ")
	sStart := sentenceStart(text, s.open, floor)
	afterEnd := min(sentenceEnd(text, s.close), ceil)
	f.Sentence = strings.Join(strings.Fields(text[sStart:max(afterEnd, s.close)]), " ")
	a.anon = false
	defer func() { a.anon = false }()
	if spk, via, ok := a.after(text[s.close:afterEnd], s.close, !endsSentence(f.Text)); ok && !a.anon {
		f.Speaker, f.Written, f.Name, f.Via, f.Basis = spk.id, spk.written, spk.name, via, BasisQuote
		return f
	}
	if a.anon {
		return f
	}
	if spk, via, direct, ok := a.before(text[sStart:s.open], sStart); ok && !a.anon {
		f.Speaker, f.Written, f.Name, f.Via, f.Basis = spk.id, spk.written, spk.name, via, BasisReport
		if direct {
			f.Basis = BasisQuote
		}
	}
	return f
}

// repeats gives a quotation that repeats words attributed elsewhere in
// the article (a pull quote, a headline's quotation), and has no
// attribution of its own, to their speaker.
func repeats(found []Found) {
	for i := range found {
		f := &found[i]
		if f.Scare || f.Speaker != "" && !f.weak || wordCount(f.Text) < 4 {
			continue
		}
		text := strings.TrimRight(f.Text, ".,!?")
		for j, g := range found {
			if j != i && g.Speaker != "" && !g.weak && !g.Scare && strings.Contains(g.Text, text) {
				f.Speaker, f.Written, f.Name, f.Basis, f.Via = g.Speaker, g.Written, g.Name, BasisQuote, g.Via
				break
			}
		}
	}
}

// inTurns corrects quotations inside a transcript's turns: a speaker
// quotes others ("when I met Secretary Rubio he said to me, "…""), so a
// quotation given to the turn's own speaker is not theirs; one that
// repeats words said earlier in the text (a presenter reading back a
// guest's phrase, a clip's line) is the earlier speaker's.
func (a *attributor) inTurns(found, turns []Found) {
	for i := range found {
		f := &found[i]
		if f.Scare {
			continue
		}
		for _, t := range turns {
			if f.Offset < t.Offset || f.Offset >= t.Offset+len(t.Pieces[0]) {
				continue
			}
			if f.Speaker == t.Speaker {
				f.Speaker, f.Written, f.Name, f.Via, f.Basis = "", "", "", "", ""
			}
			if f.Speaker == "" && wordCount(f.Text) >= 3 {
				if e, ok := echoed(strings.TrimRight(f.Text, ".,!?"), f.Offset, found, turns); ok && e.Speaker != t.Speaker {
					f.Speaker, f.Written, f.Name, f.Basis = e.Speaker, e.Written, e.Name, BasisReport
				}
			}
		}
	}
}

// echoed finds the quotation or turn before off whose words hold text.
func echoed(text string, off int, lists ...[]Found) (Found, bool) {
	best, ok := Found{}, false
	for _, l := range lists {
		for _, g := range l {
			if g.Offset < off && g.Speaker != "" && !g.Scare && strings.Contains(g.Text, text) && (!ok || g.Offset > best.Offset) {
				best, ok = g, true
			}
		}
	}
	return best, ok
}

// turnLabel is a transcript's speaker label at a line's start: one to
// three words in capitals and a colon ("MELNYCHUK:", "NICK ROBINSON:").
// A role may come first with the name in brackets: "PRESENTER (CLAIRE
// OKAFOR):".
var turnLabel = regexp.MustCompile(`(?m)^[ \t]*((?:Mc|Mac)?\p{Lu}[\p{Lu}\p{M}’'\-\.]*(?: (?:Mc|Mac)?\p{Lu}[\p{Lu}\p{M}’'\-\.]*){0,3})(?: \(([\p{L}\p{M}’'\-\., ]{2,40})\)|, (\p{Lu}[\p{Lu}\p{M} ]{1,30}))?:[ \t]+`)

// articleWords open a publication's name, never a person's.
var articleWords = setOf("the", "die", "der", "das", "la", "le", "les", "el", "il", "de", "het")

// clipLabel is a broadcast transcript's clip of someone: "[CLIP — MARK
// RUTTE, NATO SECRETARY GENERAL]:" (the name, then the role).
var clipLabel = regexp.MustCompile(`(?m)^[ \t]*\[(?:CLIP|AUDIO|VIDEO|SOUNDBITE|SOT)\s*[—–:-]\s*((?:Mc|Mac)?\p{Lu}[\p{Lu}\p{M}’'\-\.]*(?: (?:Mc|Mac)?\p{Lu}[\p{Lu}\p{M}’'\-\.]*){0,3})(?:,\s*([^\]\n]{2,60}))?\]:?[ \t]+`)

// turns finds a transcript's turns: a speaker label in capitals that
// names a person the article presents (or the briefing knows), and the
// words after it up to the paragraph's end or the next label. Labels
// that name no person ("Q:", "KYIV:", "UPDATE:") start no turn.
func (a *attributor) turns() []Found {
	text := a.text
	var out []Found
	locs := turnLabel.FindAllStringSubmatchIndex(text, -1)
	// a broadcast's clip: "[CLIP — MARK RUTTE, NATO SECRETARY GENERAL]:"
	for _, m := range clipLabel.FindAllStringSubmatchIndex(text, -1) {
		locs = append(locs, []int{m[0], m[1], m[2], m[3], m[4], m[5], -1, -1})
	}
	slices.SortFunc(locs, func(x, y []int) int { return x[0] - y[0] })
	byLabel := map[string]speaker{} // a turn's speaker by the label's last word
	for i, loc := range locs {
		label := text[loc[2]:loc[3]]
		if utf8.RuneCountInString(label) < 2 {
			continue // "Q:", "A:", "Q (Reuters):"
		}
		role, aliasOf := "", ""
		if loc[6] >= 0 {
			role = strings.ToLower(text[loc[6]:loc[7]]) // "RENATA VASQUEZ-HALE, HOST:"
		}
		if loc[4] >= 0 {
			// "PRESENTER (CLAIRE OKAFOR)", or the name first: "IRYNA
			// KOVAL (MODERATOR)", "MARTA HOLUB (Ukrainska Pravda)"
			paren := text[loc[4]:loc[5]]
			pname := paren
			if paren == strings.ToUpper(paren) {
				pname = labelName(paren)
			}
			if hasPersonName(pname) && !hasPersonName(labelName(label)) {
				// "THE CHAIR (Peter Lindqvist):": later "THE CHAIR:" is him too
				aliasOf = lastWord(labelName(label))
				role, label = strings.ToLower(label), strings.ToUpper(paren)
			} else {
				role = strings.ToLower(paren)
			}
		}
		if utf8.RuneCountInString(label) < 2 {
			continue // "Q:", "A:"
		}
		start := loc[1]
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		for j := start; j < end; j++ {
			if text[j] == '\n' {
				if _, ok := paragraphBreak(text, j); ok {
					end = j
					break
				}
			}
		}
		words := strings.Fields(text[start:end])
		if len(words) < 2 {
			continue
		}
		// a label names someone the article has named before it
		// ("Taras Melnychuk … MELNYCHUK:"), not a headline's words
		name := labelName(label)
		spk, ok := byLabel[lastWord(name)]
		if f := strings.Fields(name); !ok && len(f) > 1 && articleWords[strings.ToLower(f[0])] {
			continue // "DIE WOCHENPOST:", "THE TIMES:": a publication asking, no person
		}
		switch {
		case ok:
			// "OKAFOR:" after "PRESENTER (CLAIRE OKAFOR):"
		case role != "" && hasPersonName(name):
			// a label that presents its speaker
			spk, ok = a.resolvePhraseRole(name, role, loc[2])
		case strings.ContainsAny(label, "’'") || indexWord(text[:loc[0]], lastWord(name)) < 0 && !a.knownPerson(name) &&
			!(hasPersonName(name) && strings.Contains(text, name)): // "PRIYA VANTERPOOL: … I'm Priya Vanterpool"
			continue
		default:
			spk, ok = a.resolvePhrase(name, loc[2])
		}
		a.anon = false
		if !ok || spk.id == "" || !a.isPerson(spk.id) {
			continue
		}
		byLabel[lastWord(name)] = spk
		if aliasOf != "" {
			byLabel[aliasOf] = spk
		}
		end = trimRightSpace(text, start, end)
		out = append(out, Found{
			Text: strings.Join(words, " "), Pieces: []string{text[start:end]},
			Sentence: strings.Join(strings.Fields(text[loc[0]:end]), " "),
			Speaker:  spk.id, Written: label, Name: spk.name, Basis: BasisQuote, Turn: true, Offset: start,
		})
	}
	return out
}

// labelName writes a label in capitals as a name: "NICK ROBINSON" →
// "Nick Robinson".
func labelName(s string) string {
	ws := strings.Fields(strings.ToLower(s))
	for i, w := range ws {
		r, n := utf8.DecodeRuneInString(w)
		ws[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(ws, " ")
}

// attribute finds a quotation's speaker (see attributeSpan). A word or
// two in quotation marks that only a country or a body would "say"
// ("what Ukrainians mean when they say "guarantee"", "it is "Article
// 5-like"") is a term being mentioned.
func (a *attributor) attribute(i int, s span, prev []Found) Found {
	f := a.attributeSpan(i, s, prev)
	if f.Speaker != "" && wordCount(f.Text) <= 2 && !endsSentence(f.Text) && !a.isPerson(f.Speaker) {
		f.Speaker, f.Written, f.Name, f.Via, f.Basis, f.Scare = "", "", "", "", "", true
	}
	// A quotation is a person's own words (the briefing's rule for a
	// quote): a country or a body named as its speaker ("The question
	// Russia asks is not "…"") is left to the editor.
	if f.Speaker != "" && !a.isPerson(f.Speaker) {
		f.Speaker, f.Written, f.Name, f.Via, f.Basis = "", "", "", "", ""
	}
	return f
}

func (a *attributor) attributeSpan(i int, s span, prev []Found) Found {
	text := a.text
	f := Found{Offset: s.open}
	for _, p := range s.pieces {
		f.Pieces = append(f.Pieces, text[p[0]:p[1]])
	}
	f.Text = strings.Join(strings.Fields(strings.Join(f.Pieces, " ")), " ")
	a.anon = false
	floor := 0
	// (a term in quotation marks is part of the sentence: "Stubb said the
	// so-called "coalition of the willing" had grown from "…"")
	if j := lastSpoken(prev); j >= 0 {
		floor = a.spans[j].close
	}
	sStart := sentenceStart(text, s.open, 0)
	before := text[max(sStart, floor):s.open]
	ceil := len(text)
	if i+1 < len(a.spans) {
		ceil = a.spans[i+1].open
	}
	afterEnd := min(sentenceEnd(text, s.close), ceil)
	// (the punctuation before the closing mark, which may be several bytes)
	if pe := s.pieces[len(s.pieces)-1][1]; pe > 0 && strings.ContainsRune(".!?", rune(text[pe-1])) && s.close < len(text) && (text[s.close] == ' ' || text[s.close] == '\n') {
		// "…on the ground." The quotation ended the sentence (or the line:
		// a list's next item is no attribution of this one).
		if next := strings.TrimLeft(text[s.close:min(s.close+40, len(text))], " \n"); next != "" && !startsLower(next) && !bareAttribution(strings.TrimLeft(text[s.close:sentenceEnd(text, s.close+1)], " \n")) && !startsDash(next) && !strings.HasPrefix(next, "- ") {
			afterEnd = s.close
		}
	}
	after := text[s.close:afterEnd]
	f.Sentence = strings.Join(strings.Fields(text[sStart:max(afterEnd, s.close)]), " ")
	n := wordCount(f.Text)
	fragment := n <= 4 && !endsSentence(f.Text) || startsLower(f.Text) && n <= 6

	// A term in quotation marks: "so-called "X"".
	lb := strings.ToLower(strings.TrimRight(before, " "))
	if termBefore(lb, n, endsSentence(f.Text), capitalised(f.Text)) && !(titleNouns[lastWord(lb)] && verbNear(strings.TrimSuffix(lb, lastWord(lb)))) ||
		titleAfterPossessive(before, f.Text) {
		f.Scare = true
		return f
	}
	// "the "backstop" that European leaders have spent months …": a
	// word named by the article, then qualified
	if n == 1 && strings.HasSuffix(lb, " the") && !endsSentence(f.Text) {
		if rest := strings.TrimLeft(text[s.close:min(len(text), s.close+12)], " "); strings.HasPrefix(rest, "that ") || strings.HasPrefix(rest, "which ") || strings.HasPrefix(rest, "—") || strings.HasPrefix(rest, "– ") {
			f.Scare = true
			return f
		}
	}
	if (n <= 3 || n <= 6 && titleCase(f.Text)) && !endsSentence(f.Text) && attributive(text[s.close:]) {
		// A modifier in quotation marks ("a "very productive" call") is a
		// term, unless a person's reported words hold it: "Trump wrote
		// that he had had a "very productive" call".
		if spk, _, _, ok := a.before(before, max(sStart, floor)); !ok || !startsLower(f.Text) || titleCase(f.Text) || !a.isPerson(spk.id) || !reportClause.MatchString(lb) {
			a.anon = false
			f.Scare = true
			return f
		}
		a.anon = false
	}

	// After the closing mark: ", said X", ", X said", ", according to X".
	spk, via, ok := a.after(after, s.close, !endsSentence(f.Text))
	if a.anon {
		return f
	}
	if ok {
		f.Speaker, f.Written, f.Name = spk.id, spk.written, spk.name
		f.Via = via
		f.Basis = BasisQuote
		if fragment && strings.TrimSpace(before) != "" && !endsIntro(before) {
			f.Basis = BasisReport
		}
		return f
	}
	// Before the opening mark: "X said:", "According to X,", "X said that … "term"".
	spk, via, direct, ok := a.before(before, max(sStart, floor))
	if a.anon {
		return f
	}
	if ok {
		if fragment && !direct && n <= 2 && !strings.Contains(lb, " that") && !verbNear(lb) {
			f.Scare = true
			return f
		}
		f.Speaker, f.Written, f.Name = spk.id, spk.written, spk.name
		f.Via = via
		f.Basis = BasisQuote
		if !direct {
			f.Basis = BasisReport
		}
		return f
	}
	// A further quotation in the sentence of an attributed one, with no
	// other speaker named between them: "…called it "X" and accused
	// London of "Y"", "…said Europe would be "X" and added: "Y"".
	if len(prev) > 0 && prev[len(prev)-1].Speaker != "" {
		p := prev[len(prev)-1]
		gap := text[a.spans[i-1].close:s.open]
		// (a quotation that ended its sentence, "…small thing."\nItaly: …,
		// is followed by a new one)
		ended := strings.ContainsAny(strings.TrimRight(p.Text, " ")[max(0, len(strings.TrimRight(p.Text, " "))-1):], ".!?") && !startsLower(strings.TrimLeft(gap, " \n"))
		if sameSentence(gap) && !ended && !a.namesOther(gap, p.Speaker) {
			f.Speaker, f.Written, f.Name, f.Via = p.Speaker, p.Written, p.Name, p.Via
			f.Basis = BasisReport
			if endsIntro(gap) && strings.HasSuffix(strings.TrimRight(gap, " \n"), ":") {
				f.Basis = BasisQuote
			}
			return f
		}
	}
	if fragment {
		f.Scare = true
		return f
	}
	// A clause ending in a colon introduces the quotation: "Wallace was
	// blunt:", "Zelensky put it simply on Thursday:", "He then went on:".
	intro := strings.TrimRight(before, " \n")
	if intro == "" {
		intro = strings.TrimRight(text[:s.open], " \n")
		intro = intro[sentenceStart(text, len(intro)-1, 0):]
	}
	if strings.HasSuffix(intro, ":") {
		at := s.open - len(intro)
		if at < 0 {
			at = 0
		}
		if spk, ok := a.introSubject(intro, at); ok {
			f.Speaker, f.Written, f.Name, f.Basis = spk.id, spk.written, spk.name, BasisQuote
			return f
		}
	}
	// A sentence that presents the speaker just before, in the same
	// paragraph: "Wallace argued that the cheapest option was deterrence.
	// "The most expensive thing…""
	if strings.TrimSpace(before) == "" && !hasSpeechVerb(after) {
		if spk, ok := a.presenter(s.open, floor); ok {
			f.Speaker, f.Written, f.Name, f.Basis = spk.id, spk.written, spk.name, BasisQuote
			f.weak = true
			return f
		}
	}
	// A quotation that follows a quotation of the same speaker, with no
	// attribution of its own, in the same or the next paragraph.
	if j := lastSpoken(prev); j >= 0 && strings.TrimSpace(before) == "" {
		// (terms in quotation marks between them do not interrupt)
		p := prev[j]
		gap := text[a.spans[j].close:s.open]
		if p.Speaker != "" && strings.Count(gap, "\n\n") <= 1 && len(gap) < 400 && !hasSpeechVerb(after) && !a.namesOther(gap, p.Speaker) {
			f.Speaker, f.Written, f.Name, f.Basis, f.Via = p.Speaker, p.Written, p.Name, BasisQuote, p.Via
			f.weak = true
			return f
		}
	}
	return f
}

func hasSpeechVerb(s string) bool {
	for _, w := range words(s) {
		if speechVerbs[strings.ToLower(s[w[0]:w[1]])] {
			return true
		}
	}
	return false
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// bareAttribution reports whether a sentence that follows a quotation
// ending in a full stop is only its attribution ("…ground." Trump said on
// Tuesday.), not a new sentence of its own ("…conversation." He said any
// arrangement would …).
func bareAttribution(s string) bool {
	if !startsAttribution(strings.TrimLeft(s, " ")) {
		return false
	}
	ws := words(s)
	for k, w := range ws {
		lw := strings.ToLower(s[w[0]:w[1]])
		if !speechVerbs[lw] {
			continue
		}
		if lw == "according" {
			return false // "…" According to two people in the room, she …: a new sentence
		}
		next := k + 1
		if lw == "told" || lw == "tells" || lw == "asked" || lw == "asks" {
			// the listener: "told reporters", "told the BBC"
			for next < len(ws) && next < k+3 && !adjunctStarts[s[ws[next][0]:ws[next][1]]] {
				if strings.EqualFold(s[ws[next][0]:ws[next][1]], "that") {
					return false // "told Europa Today that Kyiv was …"
				}
				next++
			}
		}
		if next >= len(ws) {
			return true
		}
		nw := s[ws[next][0]:ws[next][1]]
		// "said Trump", "said on Tuesday", "wrote in a statement"; not
		// "said any arrangement would …" nor "said that …"
		return capitalised(nw) && next == k+1 || adjunctStarts[nw]
	}
	return false
}

// adjunctStarts open the phrases that may follow an attribution's verb
// without a reported clause: a time, a place, a manner, a medium.
var adjunctStarts = setOf("on", "in", "at", "as", "after", "before", "during", "while", "when", "with", "without", "from",
	"to", "via", "through", "later", "earlier", "yesterday", "today", "tonight", "recently", "last", "this", "afterwards",
	"again", "then", "simply", "flatly", "bluntly", "firmly", "quietly", "angrily", "shortly", "briefly", "late", "early")

// startsDash reports whether s opens with a dash ("--", "—", "–").
func startsDash(s string) bool {
	return strings.HasPrefix(s, "--") || strings.HasPrefix(s, "—") || strings.HasPrefix(s, "–")
}

// startsAttribution reports whether s opens with a speaker and a speech
// verb ("Trump said", "the US president said"), within a few words.
func startsAttribution(s string) bool {
	ws := words(s)
	for k := 0; k < len(ws) && k < 7; k++ {
		w := strings.ToLower(s[ws[k][0]:ws[k][1]])
		if speechVerbs[w] {
			return true
		}
		if strings.ContainsAny(s[:ws[k][0]], ".!?") {
			return false
		}
	}
	return false
}

func endsSentence(q string) bool {
	q = strings.TrimSpace(q)
	return strings.HasSuffix(q, ".") || strings.HasSuffix(q, "!") || strings.HasSuffix(q, "?") || strings.HasSuffix(q, ",")
}

// endsIntro reports whether the words before a quotation introduce it as
// direct speech ("X said:", "X told the BBC,").
func endsIntro(before string) bool {
	t := strings.TrimRight(before, " \n")
	return t == "" || strings.HasSuffix(t, ":") || strings.HasSuffix(t, ",")
}

// verbNear reports a speech verb among the last six words of s.
func verbNear(s string) bool {
	ws := words(s)
	for k := len(ws) - 1; k >= 0 && k >= len(ws)-6; k-- {
		if w := strings.ToLower(s[ws[k][0]:ws[k][1]]); speechVerbs[w] && w != "according" {
			return true
		}
	}
	return false
}

// speaker is a resolved speaker.
type speaker struct {
	id, written, name string
}

// delimiters end a speaker phrase.
var phraseEnd = regexp.MustCompile(`(?i)[,.;:!?()]|\s(who|which|in|on|at|after|before|during|as|to|alongside|while|when|from|of the|over|last|this|on|with|and then|adding|according|told|said|says|wrote|added)\s`)

// after reads an attribution after a closing mark.
func (a *attributor) after(after string, off int, runOn bool) (speaker, string, bool) {
	t := strings.TrimLeft(after, " ,.;:!?—–-\n")
	if t == "" {
		return speaker{}, "", false
	}
	// Words running straight on from the closing mark ("…" for Ukraine as
	// the Kremlin warns) continue the sentence: no attribution starts
	// there, unless with a speech verb or a pronoun ("…" he said).
	// An attribution may still close the sentence after a comma ("…"
	// that could lead to a ceasefire, Zelensky said).
	runsOn := false
	if lead := strings.TrimLeft(after, " "); runOn && lead == t && startsLower(t) {
		fw := strings.ToLower(t[:strings.IndexFunc(t+" ", unicode.IsSpace)])
		runsOn = !speechVerbs[fw] && !pronouns[fw]
	}
	// A signature after a dash, as digests and pull quotes write it:
	// "“…” -- Kaja Kallas, to reporters", "“…” — Ruben Brekelmans,
	// Dutch defence minister, to NOS".
	// The signature may stand on the next line, after a single hyphen
	// (a pull quote, a quote of the day: "…"\n - Ben Wallace, …).
	lead := strings.TrimLeft(after, " \t")
	if rest, ok := strings.CutPrefix(lead, "\n"); ok {
		lead = strings.TrimLeft(rest, " \t")
		if !startsDash(lead) && !(strings.HasPrefix(lead, "- ") && !runOn) {
			lead = "\n" // not a signature
		}
	} else if strings.HasPrefix(lead, "- ") && !runOn {
		lead = "-" + lead
	}
	if startsDash(lead) || strings.HasPrefix(lead, "- ") {
		line := strings.TrimLeft(lead, "-—– ")
		if k := strings.IndexByte(line, '\n'); k >= 0 {
			line = line[:k]
		}
		at := off + strings.Index(after, line)
		if name := cutPhrase(line); capitalised(name) && (hasPersonName(name) || a.knownPerson(name)) {
			role := ""
			if rest, ok := strings.CutPrefix(line[len(name):], ", "); ok {
				if r := cutPhrase(rest); r != "" && !functionWords[strings.ToLower(strings.Fields(r)[0])] {
					role = r
				}
			}
			if spk, ok := a.resolvePhraseRole(name, role, at); ok {
				return spk, a.via(line), true
			}
		}
		return speaker{}, "", false
	}
	// A headline's "“…”: Ben Wallace on what Ukraine needs".
	if lead := strings.TrimLeft(after, " "); strings.HasPrefix(lead, ":") {
		if name, _ := leadingName(t); hasPersonName(name) {
			if spk, ok := a.resolvePhrase(name, off+len(after)-len(t)); ok {
				return spk, a.via(t), true
			}
		}
	}
	shift := off + len(after) - len(t)
	ws := words(t)
	if len(ws) == 0 {
		return speaker{}, "", false
	}
	first := strings.ToLower(t[ws[0][0]:ws[0][1]])
	if first == "and" || first == "but" || first == "while" || first == "whereas" {
		// "…”, and Vladimir Putin said in March that …": a new clause
		// with its own speaker, not this quotation's attribution
		return speaker{}, "", false
	}
	via := a.via(t)
	if first == "according" && len(ws) > 1 && strings.ToLower(t[ws[1][0]:ws[1][1]]) == "to" {
		rest := t[ws[1][1]:]
		if spk, ok := a.resolvePhrase(cutPhrase(rest), shift+ws[1][1]); ok {
			return spk, via, true
		}
		return speaker{}, "", false
	}
	// ("…," said Trump; not "…", adding that …, a participle whose
	// subject is the sentence's)
	if speechVerbs[first] && first != "according" && !runsOn && !strings.HasSuffix(first, "ing") {
		rest := t[ws[0][1]:]
		if spk, ok := a.resolvePhrase(cutPhrase(rest), shift+ws[0][1]); ok {
			return spk, via, true
		}
	}
	// "X said", "the US president said", "he told the channel"; or
	// further on in the sentence: "…", Ukrainian President Volodymyr Zelenskyy said.
	for k := 1; k < len(ws); k++ {
		w := strings.ToLower(t[ws[k][0]:ws[k][1]])
		// "without saying", "adding that": a participle's subject is the
		// sentence's, not the words before it
		if !speechVerbs[w] || w == "according" || strings.HasSuffix(w, "ing") || capitalised(t[ws[k][0]:]) {
			continue
		}
		subj := t[:ws[k][0]]
		if strings.ContainsAny(initialsDots.Replace(abbrevDot.ReplaceAllString(subj, "Mr")), ".!?;") { // "Mr. Putin said" goes on
			break
		}
		subj = trimAdverbs(subj)
		if runsOn {
			c := strings.LastIndex(subj, ", ")
			if c < 0 {
				break
			}
			subj = subj[c+2:]
			// "…, but not troops from NATO states": a clause of the
			// sentence, not an attribution's subject
			if startsLower(subj) && !strings.HasPrefix(subj, "the ") && !pronouns[strings.ToLower(strings.Fields(subj + " x")[0])] {
				break
			}
		}
		if k <= 9 || hasPersonName(strings.Split(subj, ",")[0]) {
			if spk, ok := a.resolveSubject(subj, shift); ok {
				return spk, via, true
			}
		}
		c := lastClause(subj)
		if spk, ok := a.resolvePhrase(trimAdverbs(c), shift+len(subj)-len(c)); ok {
			return spk, via, true
		}
		break
	}
	return speaker{}, "", false
}

// before reads an attribution in the sentence before an opening mark;
// direct is set when it introduces the quotation as direct speech.
func (a *attributor) before(before string, off int) (speaker, string, bool, bool) {
	t := strings.TrimRight(before, " \n")
	ws := words(t)
	if len(ws) == 0 {
		return speaker{}, "", false, false
	}
	via := a.via(t)
	// "Peskov dismissed the meeting as "…"": a characterisation in the
	// subject's words (not "she mocked the "…"", whose object is a term)
	if m := characterisedAs.FindStringSubmatchIndex(t); m != nil {
		subj := trimAdverbs(t[:m[2]])
		if c := strings.LastIndexAny(subj, ";:"); c >= 0 {
			subj = subj[c+1:]
		}
		if spk, ok := a.resolveSubject(subj, off+m[2]-len(subj)); ok && spk.id != "" && a.isPerson(spk.id) {
			return spk, via, false, true
		}
	}
	// "In Vermeersch’s view, "…"", "in Kallas's words,": the person named
	if m := possessiveView.FindStringSubmatchIndex(t); m != nil {
		if spk, ok := a.resolvePhrase(t[m[2]:m[3]], off+m[2]); ok && spk.id != "" && a.isPerson(spk.id) {
			return spk, via, false, true
		}
	}
	// "…, her words, "…"", "in his words": the person the pronoun means
	lt := asciiLower(t) // (byte offsets in lt are offsets in t)
	for _, pw := range []string{"her words,", "his words,", "her words:", "his words:", "in her words", "in his words"} {
		if strings.HasSuffix(lt, pw) {
			p := "he"
			if strings.Contains(pw, "her") {
				p = "she"
			}
			if spk, ok := a.resolvePhrase(p, off+len(t)-len(pw)); ok && spk.id != "" && a.isPerson(spk.id) {
				return spk, via, false, true
			}
		}
	}
	// "According to X, "…""
	if strings.HasPrefix(lt, "according to ") {
		if spk, ok := a.resolvePhrase(cutPhrase(t[len("according to "):]), off+len("according to ")); ok {
			return spk, via, endsIntro(t), true
		}
		// "According to two people in the room, she told them that …":
		// the unnamed are the article's sources, the speaker is named after
		if c := strings.Index(t, ", "); a.anon && c > 0 && hasSpeechVerb(t[c:]) {
			a.anon = false
		}
	}
	if k := strings.LastIndex(lt, "according to "); k > 0 {
		rest := t[k+len("according to "):]
		name := cutPhrase(rest)
		role := ""
		if after := strings.TrimPrefix(rest[len(name):], ","); len(after) < len(rest[len(name):]) {
			role = strings.TrimRight(cutPhrase(after), ":")
		}
		if spk, ok := a.resolvePhraseRole(name, role, off+k+len("according to ")); ok {
			return spk, via, endsIntro(t), true
		}
	}
	// "Friedrich Merz has been candid that Berlin will contribute "…"":
	// a person's stated view, without a speech verb
	if m := candidThat.FindStringSubmatchIndex(t); m != nil && !hasSpeechVerb(t[m[1]:]) {
		subj := trimAdverbs(t[:m[0]])
		if c := strings.LastIndexAny(subj, ";:"); c >= 0 {
			subj = subj[c+1:]
		}
		if spk, ok := a.resolveSubject(subj, off+len(t[:m[0]])-len(subj)); ok && spk.id != "" && a.isPerson(spk.id) {
			return spk, via, false, true
		}
	}
	tries := 0
	for k := len(ws) - 1; k >= 0; k-- {
		w := strings.ToLower(t[ws[k][0]:ws[k][1]])
		if !speechVerbs[w] || w == "according" || k > 0 && capitalised(t[ws[k][0]:]) {
			continue // not a verb: "the United States"
		}
		if (w == "states" || w == "says") && k > 0 {
			// "troops from NATO member states": a noun after a noun
			if pw := t[ws[k-1][0]:ws[k-1][1]]; capitalised(pw) && !a.knownPerson(pw) || pw == "member" || pw == "nation" {
				continue
			}
		}
		subj := t[:ws[k][0]]
		// the subject starts after the last clause break
		if c := strings.LastIndexAny(subj, ";"); c >= 0 {
			subj = subj[c+1:]
		}
		subj = trimAdverbs(subj)
		start := off + (len(t[:ws[k][0]]) - len(subj))
		if strings.HasSuffix(w, "ing") {
			// "President Macron telling a room full of generals,": the
			// name just before the participle is its subject
			if tail := trailingName(subj); tail != "" && !strings.HasSuffix(strings.TrimRight(subj, " "), ",") {
				if spk, ok := a.resolvePhrase(tail, start+len(strings.TrimRight(subj, " "))-len(tail)); ok && spk.id != "" && a.isPerson(spk.id) {
					tail := strings.TrimSpace(t[ws[k][1]:])
					return spk, via, endsIntro(t) && len(words(tail)) <= 6, true
				}
			}
			// "…, warning that…", "adding that…": the subject is the
			// sentence's own.
			if spk, ok := a.sentenceSubject(off, off+ws[k][0]); ok {
				tail := strings.TrimSpace(t[ws[k][1]:])
				return spk, via, endsIntro(t) && len(words(tail)) <= 6, true
			}
			continue
		}
		if anonymous(lastClause(subj)) && !hasPersonName(subj) {
			return speaker{}, "", false, false // "a senior official told us:"
		}
		if k > 0 && passiveAux[strings.ToLower(t[ws[k-1][0]:ws[k-1][1]])] {
			continue // "had been asked to": no one speaks there
		}
		spk, ok := a.resolveSubject(subj, start)
		if !ok {
			// "what Mr. Macron described as": the name just before the verb
			if tail := trailingName(subj); tail != "" {
				spk, ok = a.resolvePhrase(tail, start+len(subj)-len(tail))
			}
		}
		if !ok && lastClause(subj) == "" || !ok && (strings.HasSuffix(strings.TrimSpace(subj), " but") || strings.HasSuffix(strings.TrimSpace(subj), " and")) {
			// "Zelensky welcomed the signals but said": the verbs share
			// the sentence's subject
			spk, ok = a.sentenceSubject(off, off+ws[k][0])
			if !ok {
				// "On her Telegram channel she mocked … and wrote that": the
				// pronoun subject of the first verb
				for _, w := range slices.Backward(words(subj)) {
					if pw := subj[w[0]:w[1]]; (pw == "he" || pw == "she") && !a.inSpan[start+w[0]] {
						spk, ok = a.resolvePhrase(pw, start+w[0])
						break
					}
				}
			}
		}
		if !ok {
			// "a shift the judge described as "…"": an office just
			// before the verb
			if m := trailingOffice.FindString(subj); m != "" && (w == "described" || w == "called" || w == "termed" || w == "dubbed" || w == "branded") {
				spk, ok = a.resolvePhrase(strings.TrimSpace(m), start+len(subj)-len(m))
			}
		}
		if !ok {
			// "what he called "…"": a pronoun just before the verb
			if lw := lastWord(subj); pronouns[strings.ToLower(lw)] {
				spk, ok = a.resolvePhrase(lw, start+len(subj)-len(lw))
			}
		}
		if !ok && w != "told" && w != "tells" && w != "asked" && w != "asks" {
			// "said X:" — the speaker after the verb, and nothing else
			// after it (not "saying Britain was ready to"); after "told"
			// comes the listener
			rest := t[ws[k][1]:]
			if ph := cutPhrase(rest); ph != "" && wordCount(strings.TrimPrefix(strings.TrimSpace(rest), ph)) <= 3 {
				if s2, ok2 := a.resolvePhrase(ph, off+ws[k][1]); ok2 {
					spk, ok = s2, true
				}
			}
		}
		if ok {
			tail := strings.TrimSpace(t[ws[k][1]:])
			direct := endsIntro(t) && (tail == "" || len(words(tail)) <= 6)
			return spk, via, direct, true
		}
		if tries++; tries == 2 {
			break
		}
	}
	return speaker{}, "", false, false
}

// trailingOffice is "the judge", "the retired diplomat" ending a phrase.
var trailingOffice = regexp.MustCompile(`\b[Tt]he(?:\s+[a-z\-]+){0,2}\s+(?:` + strings.Join(slices.Sorted(maps.Keys(roleNouns)), "|") + `)\s*$`)

// characterisedAs is "dismissed the meeting as", "hailed the deal as".
var characterisedAs = regexp.MustCompile(`\b(dismissed|dismisses|denounced|denounces|derided|derides|hailed|hails|branded|brands|ridiculed|praised|praises|condemned|condemns)\b(?:\s+[\p{L}’'\-]+){0,6}\s+as$`)

// possessiveView is "in X's view," / "in X's words," closing an intro.
var possessiveView = regexp.MustCompile(`(?:^|\s)[Ii]n\s+((?:\p{Lu}[\p{L}\-]*\s+){0,3}\p{Lu}[\p{L}\-]*)[’']s\s+(?:view|words|telling|account|opinion|phrase)[,:]?$`)

// reportClause is a speech verb that opens a reported clause: "wrote
// that", "said Monday that", "insisted American troops would".
var reportClause = regexp.MustCompile(`\b(?:said|says|wrote|writes|told|insisted|insists|argued|argues|warned|warns|added|claimed|claims|declared|stated|stressed|maintained|repeated|reiterated)\b`)

// candidThat is a person's view stated through an adjective: "has been
// candid that", "was adamant that", "is clear that".
var candidThat = regexp.MustCompile(`\s(?:has been|had been|have been|was|is|were|are|remained|remains)\s+(?:\w+\s+)?(?:candid|clear|adamant|blunt|firm|explicit|frank|emphatic|insistent|categorical|unequivocal|open|upfront|adamant)\s+(?:about|in saying\s+)?that\b`)

// passiveAux before a participle make it passive ("was asked"): its
// subject did not speak.
var passiveAux = setOf("been", "be", "being", "was", "were", "is", "are", "get", "got")

// resolveSubject resolves the subject before a speech verb: the whole
// phrase, or its last clause, or its first words (an appositive follows:
// "Alexander Stubb, the Finnish president, said").
func (a *attributor) resolveSubject(subj string, off int) (speaker, bool) {
	subj = strings.TrimRight(subj, " ,")
	parts := strings.Split(subj, ",")
	// "Senator Roger Wicker, the Republican chairman of the Senate Armed
	// Services Committee, wrote": the person, with the appositive as role.
	if len(parts) >= 2 {
		role := strings.TrimSpace(parts[len(parts)-1])
		// "Speaking at a factory that makes parts for Storm Shadow
		// missiles, a defiant Sir Keir said": the clause after the comma
		// names the speaker itself
		if knightRE.MatchString(role) {
			if spk, ok := a.resolvePhrase(role, off+strings.LastIndex(subj, role)); ok {
				return spk, true
			}
		}
		if lr := strings.ToLower(role); pronouns[lr] {
			// "Speaking to Al Jazeera last month, he said": the pronoun
			// is the subject
		} else if strings.HasPrefix(lr, "the ") || strings.HasPrefix(lr, "a ") || strings.HasPrefix(lr, "an ") || strings.Contains(lr, "’s ") || strings.Contains(lr, "'s ") || startsLower(role) {
			for h := len(parts) - 2; h >= 0 && h >= len(parts)-3; h-- {
				head := strings.TrimSpace(lastClause(parts[h]))
				if !hasPersonName(head) && !a.knownPerson(head) {
					continue
				}
				if spk, ok := a.resolvePhraseRole(head, role, off+strings.Index(subj, head)); ok {
					return spk, true
				}
			}
		}
	}
	if spk, ok := a.resolvePhrase(lastClause(subj), off+len(subj)-len(lastClause(subj))); ok {
		return spk, true
	}
	if len(parts) >= 2 {
		head := parts[len(parts)-2]
		if len(parts) >= 3 {
			head = parts[len(parts)-3]
		}
		role := strings.TrimSpace(parts[len(parts)-1])
		hc := strings.TrimSpace(lastClause(head))
		if hc == "" || startsLower(hc) && !strings.HasPrefix(hc, "the ") && !hasPersonName(hc) || strings.Contains(role, " but ") {
			return speaker{}, false // "for Ukraine, but left…": no apposition
		}
		idx := strings.LastIndex(subj, head)
		if spk, ok := a.resolvePhraseRole(lastClause(head), role, off+idx); ok {
			return spk, true
		}
	}
	return speaker{}, false
}

// lastClause is the words after the last clause connective ("and",
// "but", "that", a comma).
func lastClause(s string) string {
	s = strings.TrimRight(s, " ")
	for _, sep := range []string{", ", " but ", " and ", " that ", " while ", " because ", " however "} {
		if k := strings.LastIndex(s, sep); k >= 0 {
			s = s[k+len(sep):]
		}
	}
	return strings.TrimSpace(s)
}

var adverbs = setOf("also", "even", "then", "later", "further", "again", "once", "has", "have", "had", "was", "is", "would",
	"previously", "recently", "repeatedly", "earlier", "reportedly", "publicly", "bluntly", "simply", "himself", "herself")

func trimAdverbs(s string) string {
	for {
		t := strings.TrimRight(s, " ")
		k := strings.LastIndex(t, " ")
		w := strings.ToLower(t[k+1:])
		if k < 0 || !adverbs[w] {
			return t
		}
		s = t[:k]
	}
}

// initialsDots blanks the full stops of country initials ("U.S.
// President Donald Trump"), keeping lengths.
var initialsDots = strings.NewReplacer("U.S.", "U-S-", "U.K.", "U-K-", "U.N.", "U-N-", "E.U.", "E-U-")

// abbrevDot is the full stop of a title's abbreviation ("Sen.", "Gen."),
// which ends no phrase.
var abbrevDot = regexp.MustCompile(`\b(?:Sen|Gen|Rep|Gov|Lt|Col|Sgt|Capt|Maj|Adm|Prof|Dr|Mr|Mrs|Ms|St|Jr|Sr)\.`)

func cutPhrase(s string) string {
	s = strings.TrimLeft(s, " ")
	// Match on a copy whose abbreviation dots are blanked (same length).
	probe := abbrevDot.ReplaceAllStringFunc(s, func(m string) string { return m[:len(m)-1] + "\x01" })
	if loc := phraseEnd.FindStringIndex(" " + probe + " "); loc != nil {
		end := loc[0] - 1
		if end < 0 {
			end = 0
		}
		if end > len(s) {
			end = len(s)
		}
		s = s[:end]
	}
	return strings.TrimSpace(s)
}

// via finds the outlet an attribution names ("told the BBC", "on X").
func (a *attributor) via(s string) string {
	for _, o := range a.outlet {
		if containsWord(s, o.name) {
			if len(o.name) <= 2 { // "X", the social network: only "on X"
				if !strings.Contains(s, " on "+o.name) {
					continue
				}
			}
			return o.id
		}
	}
	return ""
}

// resolvePhrase resolves a speaker phrase: a pronoun, a known actor's
// name, alias or role, or a new name.
func (a *attributor) resolvePhrase(p string, off int) (speaker, bool) {
	return a.resolvePhraseRole(p, "", off)
}

func (a *attributor) resolvePhraseRole(p, role string, off int) (speaker, bool) {
	p = strings.TrimSpace(p)
	if p == "" || wordCount(p) > 9 {
		return speaker{}, false
	}
	lp := strings.ToLower(p)
	if anonymous(p) {
		a.anon = true
		return speaker{}, false
	}
	written := p
	// a headline's office without its article: "…," says Czech general
	if f := strings.Fields(p); len(f) >= 2 && roleHead(p) == "" && demonyms[strings.ToLower(f[0])] != nil && roleHead("the "+p) != "" {
		p = "the " + p
	}
	if m := possessiveOffice.FindStringSubmatch(p); m != nil && len(nationKin(strings.ToLower(m[1]))) > 0 && roleHead("the "+m[1]+" "+m[2]) != "" {
		p = "the " + m[1] + " " + m[2] // "Poland’s defence minister": the Poland defence minister
	}
	if h := roleHead(p); h != "" {
		mods := roleMods(p)
		spk, ok := a.byRole(h, off, mods...)
		if !ok && len(mods) == 0 && !a.anon {
			// no one presented with the office: the person the text is
			// about (see byRole)
			spk, ok = a.focus(off)
		}
		national := len(mods) > 0 && a.nationalities(mods)
		if !ok && national && !a.anon {
			// "President Nicușor Dan said … Dan added … the Romanian
			// president said": the office fits the person the text is
			// about, whose presentation named no other country.
			if f, fok := a.focus(off); fok {
				if s2, ok2 := a.byRole(h, off); ok2 && s2.id == f.id && !a.otherNation(s2.id, mods) {
					spk, ok = s2, true
				}
			}
		}
		if !ok && !a.anon && len(mods) > 0 {
			// "the Kremlin spokesman" in a liveblog, whose entries run
			// newest first: the one person the article presents with
			// the qualified office, further down
			if s2, ok2 := a.byRole(h, len(a.text), mods...); ok2 && a.isPerson(s2.id) {
				spk, ok = s2, true
			}
			a.anon = false
		}
		if !ok {
			// "the EU's foreign policy chief": a known actor's alias
			// with the body's possessive ("EU foreign policy chief")
			flat := strings.NewReplacer("'s ", " ", "’s ", " ").Replace(p)
			if id, name, person, ok2 := a.names.match(flat); ok2 && person && flat != p {
				spk, ok = speaker{id: id, name: name}, true
			}
		}
		if ok {
			spk.written = written
			return spk, true
		}
		if national {
			return speaker{}, false // an office is a person, not the country it names
		}
	}
	// "a defiant Sir Keir": Sir or Dame and a first name, as British copy
	// writes a knight: the known person of that first name
	if m := knightRE.FindStringSubmatch(p); m != nil {
		for _, al := range a.names.known {
			if al.person && al.text == al.name && strings.HasPrefix(al.name, m[1]+" ") {
				return speaker{id: al.id, written: written, name: al.name}, true
			}
		}
	}
	if pronouns[lp] {
		if lp == "it" || lp == "they" {
			return speaker{}, false
		}
		spk, at, ok := a.focusAt(off)
		// A quotation attributed since the last named person: "he" is
		// most likely its speaker ("…," he said, after "…," said X).
		if a.last.id != "" && a.lastAt < off && (!ok || a.lastAt > at) {
			spk, ok = a.last, true
		}
		spk.written = p
		return spk, ok
	}
	// "Senator Lindsey Graham of South Carolina": the name before "of".
	if k := strings.Index(p, " of "); k > 0 && hasPersonName(p[:k]) {
		if role == "" {
			role = p[k+1:]
		}
		p = p[:k]
	}
	if id, name, person, ok := a.names.match(p); ok {
		// "Italian Prime Minister Giorgia Meloni" names Meloni, not the
		// prime minister met before: a role matched beside another name
		if !person && hasPersonName(p) || person && hasPersonName(p) && !containsWord(p, lastWord(name)) {
			if id2, name2, ok2 := a.names.propose(p, role); ok2 {
				return speaker{id: id2, written: p, name: name2}, true
			}
		}
		return speaker{id: id, written: p, name: name}, true
	}
	if a.isOutlet(p) {
		return speaker{}, false
	}
	if id, name, ok := a.names.propose(p, role); ok {
		return speaker{id: id, written: p, name: name}, true
	}
	// A surname alone ("Lavrov said", "de Vries said"): the full name
	// given earlier.
	// A title before it ("Secretary Hegseth") is no part of the name; the
	// full name may also follow in the paragraph ("…," he said,
	// referring to U.S. Defense Secretary Pete Hegseth).
	f := strings.Fields(p)
	for len(f) > 1 && titleWords[strings.ToLower(strings.TrimRight(f[0], "."))] {
		f = f[1:]
	}
	if len(f) >= 1 && isNameWord(f[len(f)-1]) && (len(f) == 1 || nameParticles[strings.ToLower(f[0])]) && off <= len(a.text) {
		full := a.fullNameBefore(f[len(f)-1], off)
		if full == "" {
			full = a.fullNameAfter(f[len(f)-1], off)
		}
		if full == "" && len(f) == 1 {
			full = a.surnameFirst(f[0], off) // "Yoon Seo-yeon … Yoon said"
		}
		if full != "" {
			if id, name, ok := a.names.propose(full, role); ok {
				return speaker{id: id, written: p, name: name}, true
			}
		}
	}
	return speaker{}, false
}

// knightRE is "Sir Keir", "Dame Ann" ending a speaker phrase.
var knightRE = regexp.MustCompile(`\b(?:Sir|Dame)\s+(\p{Lu}[\p{L}\-]+)$`)

// cutPossessive strips a possessive from a name: "Van Lanschot’s" →
// "Van Lanschot".
func cutPossessive(s string) (string, bool) {
	for _, suf := range []string{"’s", "'s"} {
		if b, ok := strings.CutSuffix(s, suf); ok {
			return b, true
		}
	}
	return s, false
}

// possessiveOffice is an office written with a country's possessive:
// "Poland’s defence minister".
var possessiveOffice = regexp.MustCompile(`^(\p{Lu}[\p{L}\-]+)[’']s\s+(.+)$`)

// particlesRE matches the name particles between a first name and a
// surname ("Ursula von der Leyen").
const particlesRE = `(?:(?:van|von|de|der|den|du|da|di|del|la|le|ter|ten)\s+)*`

// pattern compiles a name-search pattern once per article (the same
// surname is looked up for many quotations); nil if it does not compile.
func (a *attributor) pattern(expr string) *regexp.Regexp {
	if re, ok := a.patterns[expr]; ok {
		return re
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		re = nil
	}
	if a.patterns == nil {
		a.patterns = map[string]*regexp.Regexp{}
	}
	a.patterns[expr] = re
	return re
}

// fullNameBefore finds, before off, the last mention of a surname with
// the capitalised words before it ("Russian Foreign Minister Sergei
// Lavrov"), outside quotation marks.
func (a *attributor) fullNameBefore(surname string, off int) string {
	re := a.pattern(`(?:\p{Lu}[\p{L}’'\-]*\s+)+` + particlesRE + regexp.QuoteMeta(surname) + `\b`)
	if re == nil {
		return ""
	}
	ms := re.FindAllStringIndex(a.text[:off], -1)
	for i := len(ms) - 1; i >= 0; i-- {
		if a.inSpan[ms[i][0]] {
			continue
		}
		full := strings.Join(strings.Fields(a.text[ms[i][0]:ms[i][1]]), " ")
		if hasPersonName(full) {
			return full
		}
	}
	return ""
}

// surnameFirst finds, before off, a name written family name first
// ("Yoon Seo-yeon", "Kim Hae-won") that a lone surname refers to.
func (a *attributor) surnameFirst(surname string, off int) string {
	re := a.pattern(`\b` + regexp.QuoteMeta(surname) + `\s+\p{Lu}[\p{L}]*(?:-[\p{L}]+)?\b`)
	if re == nil {
		return ""
	}
	for _, m := range slices.Backward(re.FindAllStringIndex(a.text[:off], -1)) {
		full := a.text[m[0]:m[1]]
		if !a.inSpan[m[0]] && hasPersonName(full) && !institutional(full) {
			return full
		}
	}
	return ""
}

// fullNameAfter is fullNameBefore looking forward, to the end of the
// paragraph at off.
func (a *attributor) fullNameAfter(surname string, off int) string {
	re := a.pattern(`(?:\p{Lu}[\p{L}’'\-\.]*\s+)+` + particlesRE + regexp.QuoteMeta(surname) + `\b`)
	if re == nil {
		return ""
	}
	end := len(a.text)
	if k := strings.Index(a.text[off:], "\n\n"); k >= 0 {
		end = off + k
	}
	for _, m := range re.FindAllStringIndex(a.text[off:end], -1) {
		if a.inSpan[off+m[0]] {
			continue
		}
		if full := strings.Join(strings.Fields(a.text[off+m[0]:off+m[1]]), " "); hasPersonName(full) {
			return full
		}
	}
	return ""
}

func (a *attributor) isOutlet(p string) bool {
	for _, o := range a.outlet {
		if strings.EqualFold(strings.TrimPrefix(p, "the "), o.name) || containsWord(p, o.name) && len(o.name) > 2 {
			return true
		}
	}
	return false
}

// focus is the person a pronoun at off most likely means: the first
// person named (outside quotation marks) in the nearest sentence before
// it whose first person reference is a name rather than a pronoun.
func (a *attributor) focus(off int) (speaker, bool) {
	spk, _, ok := a.focusAt(off)
	return spk, ok
}

// focusAt is focus with the offset of the mention.
func (a *attributor) focusAt(off int) (speaker, int, bool) {
	end := off
	for range 10 {
		start := sentenceStart(a.text, end, 0)
		seg := a.text[start:end]
		first, firstAt := speaker{}, -1
		for _, m := range a.names.mentions(seg) {
			if a.inSpan[start+m.at] {
				continue
			}
			// an office someone else holds, followed by the holder's
			// name: "British Defense Secretary John Healey" is Healey
			if m.text != m.name && m.text != lastWord(m.name) {
				if nx := strings.Fields(seg[m.at+len(m.text):]); len(nx) > 0 && isNameWord(nx[0]) && !strings.HasSuffix(nx[0], ",") {
					continue
				}
			}
			if m.person && (firstAt < 0 || m.at < firstAt) {
				first, firstAt = speaker{id: m.id, written: m.text, name: m.name}, m.at
			}
		}
		// "Van Lanschot’s answer was that …": the possessor
		if lead, at := leadingName(seg); firstAt < 0 && lead != "" && !a.inSpan[start+at] {
			if base, ok := cutPossessive(lead); ok {
				if spk, ok := a.resolvePhrase(base, start+at); ok && spk.id != "" && a.isPerson(spk.id) {
					first, firstAt = spk, at
				}
			}
		}
		if lead, at := leadingName(seg); lead != "" && isNameWord(lead) && !a.inSpan[start+at] && firstAt < 0 {
			// "Meloni said Italy would …": a surname alone, named in full before
			if full := a.fullNameBefore(lead, start+at); full != "" {
				if _, _, _, known := a.names.match(lead); !known {
					if id, name, ok := a.names.propose(full, ""); ok && a.isPerson(id) {
						first, firstAt = speaker{id: id, written: lead, name: name}, at
					}
				}
			}
		}
		if lead, at := leadingName(seg); lead != "" && hasPersonName(lead) && !a.inSpan[start+at] && !a.isOutlet(lead) {
			if _, _, person, known := a.names.match(lead); known && person {
				// a known name: mentions has it
			} else if id, name, ok := a.names.propose(lead, ""); ok && a.isPerson(id) {
				if firstAt < 0 || firstAt > len(lead) {
					first, firstAt = speaker{id: id, written: lead, name: name}, 0
				}
			}
		}
		// An unnamed person opens the sentence ("One soldier, who gave
		// only his first name, was blunter."): a pronoun after it is theirs.
		if lead, at := leadingPhrase(seg); firstAt < 0 && anonymous(lead) && !a.inSpan[min(start+at, len(a.inSpan)-1)] {
			a.anon = true
			return speaker{}, 0, false
		}
		// An unnamed person introduced within the sentence ("At a
		// training area, a brigade commander who goes by the call sign
		// "Lys" watches"): a pronoun after it is theirs.
		if firstAt < 0 {
			if loc := indefinitePerson.FindStringIndex(seg); loc != nil && !a.inSpan[start+loc[0]] && (pronounAt(seg, a.inSpan[start:end]) < 0 || loc[0] < pronounAt(seg, a.inSpan[start:end])) {
				a.anon = true
				return speaker{}, 0, false
			}
		}
		// A name set off by commas: "the school's headmistress, Olena
		// Kravets, looked at".
		if firstAt < 0 {
			for _, loc := range appositiveName.FindAllStringSubmatchIndex(seg, -1) {
				nm := seg[loc[2]:loc[3]]
				if !hasPersonName(nm) || a.inSpan[start+loc[2]] {
					continue
				}
				if spk, ok := a.resolvePhrase(nm, start+loc[2]); ok && spk.id != "" && a.isPerson(spk.id) {
					first, firstAt = spk, loc[2]
					break
				}
			}
		}
		// A person presented with a title inside the sentence: "In
		// Berlin, Chancellor Friedrich Merz has said".
		if firstAt < 0 {
			for _, loc := range personRun.FindAllStringIndex(seg, -1) {
				run := seg[loc[0]:loc[1]]
				f := strings.Fields(run)
				titled := titleWords[strings.ToLower(f[0])]
				if pw := lastWord(strings.TrimRight(seg[:loc[0]], " ")); titleWords[strings.ToLower(pw)] || roleNouns[strings.ToLower(pw)] {
					titled = true // "Defence minister Denys Shmyhal is blunt"
				}
				if a.inSpan[start+loc[0]] || !hasPersonName(run) || institutional(run) || a.isOutlet(run) {
					continue
				}
				// any name the sentence gives, titled or not ("Such
				// language does not alarm Gheorghe Stan, 67"), but not a
				// listener or a medium ("told Die Welt", "to Al Jazeera")
				before := strings.TrimRight(seg[:loc[0]], " ")
				pw := strings.ToLower(lastWord(before))
				if !titled && listenerWords[pw] && !strings.HasSuffix(strings.ToLower(before), "according to") {
					continue
				}
				if nx := strings.Fields(seg[loc[1]:]); len(nx) > 0 && hardware[strings.Trim(nx[0], ",.;:")] {
					continue // "parts for Storm Shadow missiles": a weapon's name
				}
				if spk, ok := a.resolvePhrase(run, start+loc[0]); ok && spk.id != "" && a.isPerson(spk.id) {
					first, firstAt = spk, loc[0]
					break
				}
			}
		}
		// A sentence that opens with an office: "The secretary general
		// smiled."
		if t := strings.TrimLeft(seg, " \n\t\"“"); strings.HasPrefix(t, "The ") && firstAt < 0 {
			ws := words(t)
			for n := min(len(ws), 5); n >= 2; n-- {
				if h := roleHead(t[:ws[n-1][1]]); h != "" {
					if spk, ok := a.byRole(h, start, roleMods(t[:ws[n-1][1]])...); ok {
						first, firstAt = spk, len(seg)-len(t)
					}
					break
				}
			}
		}
		pron := pronounAt(seg, a.inSpan[start:end])
		if pron >= 0 && firstAt > pron {
			// "His witness, Hugh Trevelyan-Marsh, …": a possessive opening
			// the sentence, the name in apposition after it
			if pw := seg[pron:min(len(seg), pron+4)]; (strings.HasPrefix(pw, "His ") || strings.HasPrefix(pw, "Her ")) && strings.TrimSpace(seg[:pron]) == "" {
				pron = -1
			}
		}
		if firstAt >= 0 && (pron < 0 || firstAt < pron) {
			return first, start + firstAt, true
		}
		if start == 0 {
			break
		}
		end = start - 1
		for end > 0 && unicode.IsSpace(rune(a.text[end])) {
			end--
		}
	}
	return speaker{}, 0, false
}

// hardware after a capitalised run makes it a weapon's name.
var hardware = setOf("missile", "missiles", "system", "systems", "jets", "jet", "tanks", "tank", "drones", "drone", "rockets",
	"rocket", "batteries", "battery", "aircraft", "fighters", "launchers", "launcher", "interceptors", "helicopters", "frigates")

// listenerWords before a name make it a listener or a medium, not a
// sentence's subject.
var listenerWords = setOf("told", "tells", "to", "in", "on", "with", "for", "from", "of", "at", "via", "interview", "telling")

// indefinitePerson is "a brigade commander", "an official", "one
// senior diplomat": someone the article does not name.
var indefinitePerson = regexp.MustCompile(`\b(?:[Aa]n?|[Oo]ne)\s+(?:[a-z\-]+\s+){0,3}(?:commander|officer|soldier|official|planner|diplomat|source|aide|insider|lawmaker|resident|staffer|spokesman|spokeswoman|spokesperson|adviser|advisor|analyst|negotiator|pilot|instructor|colonel|general)\b`)

var pronounRE = regexp.MustCompile(`\b(he|she|He|She|his|her|His|Her)\b`)

func pronounAt(seg string, in []bool) int {
	for _, m := range pronounRE.FindAllStringIndex(seg, -1) {
		if !in[m[0]] {
			return m[0]
		}
	}
	return -1
}

// containsWord reports whether s contains w as whole words (case-insensitive).
func containsWord(s, w string) bool { return indexWord(s, w) >= 0 }

func indexWord(s, w string) int {
	ls, lw := asciiLower(s), asciiLower(w)
	from := 0
	for {
		k := strings.Index(ls[from:], lw)
		if k < 0 || lw == "" {
			return -1
		}
		k += from
		beforeOK := k == 0 || !isWordByte(ls[k-1])
		afterOK := k+len(lw) == len(ls) || !isWordByte(ls[k+len(lw)])
		if beforeOK && afterOK {
			return k
		}
		from = k + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

// leadingName is the run of capitalised words a sentence opens with
// ("Polish Foreign Minister Radosław Sikorski was more cautious").
func leadingName(seg string) (string, int) {
	trimmed := strings.TrimLeft(seg, " \n\t\r\"“")
	at := len(seg) - len(trimmed)
	toks := strings.Fields(trimmed)
	n := 0
	for n < len(toks) {
		r, _ := utf8.DecodeRuneInString(toks[n])
		if !unicode.IsUpper(r) && !(n > 0 && nameParticles[toks[n]] && n+1 < len(toks) && capitalised(toks[n+1])) {
			break
		}
		n++
		if strings.HasSuffix(toks[n-1], ",") {
			break
		}
	}
	return strings.TrimRight(strings.Join(toks[:n], " "), ","), at
}

// hasPersonName reports two or more capitalised words in a row that are
// not title words: a person's name.
func hasPersonName(p string) bool {
	run := 0
	for _, w := range strings.Fields(p) {
		switch {
		case isNameWord(w):
			run++
			if run >= 2 {
				return true
			}
		case run > 0 && nameParticles[w]:
			// "Ursula von der Leyen": the run goes on
		default:
			run = 0
		}
	}
	return false
}

// asciiLower lowers ASCII letters only, so byte offsets in the result are
// offsets in s (strings.ToLower may change the length of invalid UTF-8).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// sameSentence reports whether the text between two quotations stays in
// one sentence: no full stop ending a sentence and no paragraph break.
func sameSentence(gap string) bool {
	if strings.Contains(gap, "\n\n") || len(gap) > 300 {
		return false
	}
	g := strings.TrimSpace(gap)
	for i := 0; i < len(g); i++ {
		if (g[i] == '.' || g[i] == '!' || g[i] == '?') && (i+1 == len(g) || g[i+1] == ' ') && (i == 0 || !isAbbrev(g, i)) {
			return false
		}
	}
	return true
}

// namesOther reports a person other than id named in s (outside any
// quotation): then a quotation after s may be theirs.
func (a *attributor) namesOther(s, id string) bool {
	// The gap names the same speaker again ("…," Karoline Leavitt told
	// reporters. "…"): no one else.
	for _, m := range a.names.mentions(s) {
		if m.id == id {
			return false
		}
	}
	for _, m := range a.names.mentions(s) {
		if m.person && m.id != id {
			return true
		}
	}
	if loc := personRun.FindStringIndex(s); loc != nil && hasPersonName(s[loc[0]:loc[1]]) && !institutional(s[loc[0]:loc[1]]) {
		mid, _, person, ok := a.names.match(s[loc[0]:loc[1]])
		if !ok || person && mid != id {
			return true // "the United States" is no one else speaking
		}
	}
	return false
}

// knownPerson reports a phrase that is a known person's name or alias.
func (a *attributor) knownPerson(p string) bool {
	_, _, person, ok := a.names.match(p)
	return ok && person
}

// sentenceSubject is the person a sentence opens with, or the speaker of
// a quotation earlier in it: the subject of a participle ("…, warning
// that", "adding that") between start (the sentence, or what is left of
// it after the last quotation) and end.
func (a *attributor) sentenceSubject(start, end int) (speaker, bool) {
	s0 := sentenceStart(a.text, end, 0)
	if a.last.id != "" && a.lastAt >= s0 && a.lastAt < end {
		return a.last, true
	}
	return a.introSubject(a.text[s0:end], s0)
}

// introSubject is the subject of a clause that introduces a quotation
// ("Zelensky put it simply on Thursday:", "He was blunt with lawmakers:",
// "Asked about the plans, he was blunter:"): a pronoun goes to the person
// last quoted or named, a name to its actor, an office to its holder.
func (a *attributor) introSubject(intro string, at int) (speaker, bool) {
	clause := intro
	if k := strings.LastIndex(clause, ", "); k >= 0 && !hasPersonName(clause[k:]) {
		// "Asked about the plans, he was blunter:" — the main clause,
		// when it opens with its subject
		main := clause[k+2:]
		if w := words(main); len(w) > 0 {
			fw := strings.ToLower(main[w[0][0]:w[0][1]])
			role := false
			for n := 2; fw == "the" && n <= min(len(w), 5); n++ {
				role = role || roleHead(main[:w[n-1][1]]) != ""
			}
			// (a clause with a verb: not an appositive office, "He
			// recounted a talk with Sergei Ryabkov, Russia’s deputy
			// foreign minister:")
			if (fw == "he" || fw == "she" || capitalised(main) || role) && hasClauseVerb(main) {
				clause = main
				at += k + 2
			}
		}
	}
	ws := words(clause)
	if len(ws) == 0 {
		return speaker{}, false
	}
	if lead, _ := leadingPhrase(clause); anonymous(lead) {
		a.anon = true // "One EU diplomat, on the annex:"
		return speaker{}, false
	}
	if fw := strings.ToLower(clause[ws[0][0]:ws[0][1]]); fw == "he" || fw == "she" {
		return a.resolvePhrase(clause[ws[0][0]:ws[0][1]], at+ws[0][0])
	}
	// "Committee chair Meg Hillier:": the name that ends a verbless intro
	if ph := strings.TrimSuffix(strings.TrimSpace(clause), ":"); ph != clause && !hasSpeechVerb(ph) {
		if tail := trailingName(ph); tail != "" && hasPersonName(tail) && !institutional(tail) {
			if spk, ok := a.resolvePhrase(tail, at+strings.LastIndex(clause, tail)); ok && spk.id != "" && a.isPerson(spk.id) {
				return spk, true
			}
		}
	}
	// "Merz, on ARD:": a surname alone, presented in full earlier
	if name, k := leadingName(clause); name != "" && (hasPersonName(name) || a.knownPerson(name) || isNameWord(name) && a.fullNameBefore(name, at+k) != "") {
		if spk, ok := a.resolvePhrase(name, at+k); ok && spk.id != "" {
			return spk, true
		}
	}
	if m := a.names.mentions(clause); len(m) > 0 {
		first := m[0]
		for _, x := range m {
			if x.at < first.at {
				first = x
			}
		}
		if first.person && !a.inSpan[at+first.at] {
			return speaker{id: first.id, written: first.text, name: first.name}, true
		}
	}
	if lc := strings.ToLower(clause); strings.HasPrefix(lc, "the ") {
		ph := clause
		if k := strings.IndexByte(clause, ':'); k >= 0 {
			ph = clause[:k]
		}
		for n := len(words(ph)); n >= 2; n-- {
			w := words(ph)
			cand := ph[:w[n-1][1]]
			if h := roleHead(cand); h != "" {
				mods := roleMods(cand)
				if spk, ok := a.byRole(h, at, mods...); ok || a.anon {
					return spk, ok
				}
				if len(mods) > 0 {
					return a.resolvePhrase(cand, at) // its other readings: an alias, a holder further on
				}
				return a.focus(at)
			}
		}
	}
	return speaker{}, false
}

// capitalised reports whether s starts with a capital letter.
func capitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// titleAfterPossessive is a title in quotation marks after a possessive:
// NCN's "State of Play", the paper's "Brussels Briefing".
func titleAfterPossessive(before, q string) bool {
	lw := lastWord(strings.TrimRight(before, " "))
	if !strings.HasSuffix(lw, "'s") && !strings.HasSuffix(lw, "’s") || wordCount(q) > 6 || endsSentence(q) {
		return false
	}
	for _, w := range strings.Fields(q) {
		if !capitalised(w) && !smallWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

var smallWords = setOf("of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "with")

// functionWords may follow a quoted phrase that is someone's words ("…
// "strictly defensive" and would not fight"); a noun straight after the
// closing mark ("Article 5-like" guarantees) makes the phrase a modifier,
// a term.
var functionWords = setOf("and", "or", "but", "as", "that", "which", "who", "whom", "whose", "for", "to", "in", "on", "at",
	"with", "of", "from", "by", "if", "when", "because", "after", "before", "while", "than", "then", "so", "into", "over",
	"he", "she", "they", "it", "we", "i", "you", "said", "says", "is", "are", "was", "were", "would", "will", "could",
	"should", "can", "may", "might", "must", "has", "have", "had", "not", "nor", "yet", "unless", "until", "since",
	"where", "instead", "rather", "about", "against", "without", "within", "despite", "under", "between", "through",
	"during", "toward", "towards", "upon", "unlike", "like", "even", "only", "also", "too", "either", "neither",
	"a", "an", "the", "its", "his", "her", "their", "our", "this", "these", "those", "any", "some", "no", "more", "all")

func attributive(rest string) bool {
	if rest == "" || rest[0] != ' ' {
		return false // punctuation or the end: not a modifier
	}
	t := strings.TrimLeft(rest, " ")
	w := words(t)
	if len(w) == 0 || !startsLower(t) {
		return false
	}
	fw := strings.ToLower(t[w[0][0]:w[0][1]])
	return !functionWords[fw] && !speechVerbs[fw] && !strings.HasSuffix(fw, "ly")
}

// lastSpoken is the index of the last quotation in found that is not a
// term, or -1.
func lastSpoken(found []Found) int {
	for j := len(found) - 1; j >= 0; j-- {
		if !found[j].Scare {
			return j
		}
	}
	return -1
}

// trailingName is the run of capitalised words (titles and
// abbreviations included) that ends s: "… what Mr. Macron" → "Mr.
// Macron"; "" when s does not end in a name.
func trailingName(s string) string {
	f := strings.Fields(strings.TrimRight(s, " "))
	k := len(f)
	for k > 0 && len(f)-k < 4 && (capitalised(f[k-1]) || k < len(f) && nameParticles[f[k-1]]) && !strings.HasSuffix(f[k-1], ",") {
		k--
	}
	name := strings.Join(f[k:], " ")
	if k == len(f) || !hasPersonName(name) && !isNameWord(f[len(f)-1]) {
		return ""
	}
	return name
}

// titleCase reports a phrase whose words are all capitalised but for
// small words: the name of a plan or an instrument ("Security Action for
// Europe").
func titleCase(q string) bool {
	f := strings.Fields(q)
	if len(f) < 2 {
		return false
	}
	for _, w := range f {
		if !capitalised(w) && !smallWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// presenter is the speaker a sentence just before open presents, in the
// same paragraph and after floor: its subject, when the sentence has a
// speech verb ("Wallace argued that…", "Ben Wallace … put it to me
// bluntly").
func (a *attributor) presenter(open, floor int) (speaker, bool) {
	end := open
	crossed := false
	for end > floor && (a.text[end-1] == ' ' || a.text[end-1] == '\n') {
		if a.text[end-1] == '\n' && end-2 >= 0 && a.text[end-2] == '\n' {
			crossed = true // the paragraph before
		}
		end--
	}
	if end <= floor {
		return speaker{}, false
	}
	if a.text[end-1] != '.' {
		return speaker{}, false
	}
	st := sentenceStart(a.text, end-1, floor)
	if st == floor && floor > 0 {
		return speaker{}, false // the sentence holds the quotation before: the run of quotations rule decides
	}
	sent := a.text[st:end]
	if strings.Contains(sent, "\n\n") {
		return speaker{}, false
	}
	if crossed || !hasSpeechVerb(sent) && !strings.Contains(sent, "put it") {
		// A quotation opening its paragraph after one about a person the
		// article has already quoted ("Asked whether…, Sikorski did not
		// rule it out." / ""Air policing…"") is theirs; anyone else needs a
		// speech verb in the same paragraph.
		if !crossed {
			return speaker{}, false
		}
		name, _ := leadingName(lastClause(strings.TrimSpace(sent)))
		// (or a sentence about them answering: "She took a long time to
		// answer." / "“I am grateful, of course…")
		if lead := strings.ToLower(strings.Fields(strings.TrimSpace(sent) + " x")[0]); !(lead == "she" || lead == "he") || !hasAnswerWord(sent) {
			// (or one who was just reported speaking: "Ingrid Solvang, a
			// senior fellow, told HBC that …" / "“This is not…")
			lead, _ := leadingName(strings.TrimSpace(sent))
			if (name == "" || !a.knownPerson(name)) && !(hasSpeechVerb(sent) && hasPersonName(lead) && !institutional(lead)) {
				return speaker{}, false
			}
		}
	}
	for _, k := range a.spans {
		if k.open >= st && k.open < end {
			return speaker{}, false // it has a quotation of its own
		}
	}
	return a.introSubject(strings.TrimSpace(sent), st+len(sent)-len(strings.TrimLeft(sent, " \n")))
}

// clauseVerbs are the verbs an intro's main clause commonly has.
var clauseVerbs = setOf("was", "is", "were", "are", "had", "has", "have", "put", "went", "did", "got", "became", "seemed",
	"sounded", "looked", "grew", "struck", "took", "gave", "made", "kept", "offered", "chose", "sees", "saw")

// hasClauseVerb reports a verb in s: a speech verb, one of clauseVerbs,
// or a word in -ed.
func hasClauseVerb(s string) bool {
	if hasSpeechVerb(s) {
		return true
	}
	for _, w := range words(s) {
		lw := s[w[0]:w[1]]
		if clauseVerbs[lw] || len(lw) > 4 && strings.HasSuffix(lw, "ed") {
			return true
		}
	}
	return false
}

// answerWords say that someone is about to speak.
var answerWords = setOf("answer", "answered", "answers", "reply", "replied", "replies", "respond", "responded", "responds", "explain", "explained")

func hasAnswerWord(s string) bool {
	for _, w := range words(s) {
		if answerWords[strings.ToLower(s[w[0]:w[1]])] {
			return true
		}
	}
	return false
}

// appositiveName is a capitalised name between commas.
var appositiveName = regexp.MustCompile(`, ((?:\p{Lu}[\p{L}’'\-\.]*\s+)+\p{Lu}[\p{L}’'\-]+),`)

// leadingPhrase is a sentence's words up to its first comma or verb-like
// break, at most six words: "One soldier" of "One soldier, who gave…".
func leadingPhrase(seg string) (string, int) {
	t := strings.TrimLeft(seg, " \n\t\r\"“")
	at := len(seg) - len(t)
	if k := strings.IndexAny(t, ",;:"); k >= 0 {
		t = t[:k]
	}
	if ws := words(t); len(ws) > 6 {
		t = t[:ws[5][1]]
	}
	return t, at
}
