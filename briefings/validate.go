package briefings

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// normalizeQuote prepares text for the verbatim check: typographic quotation
// marks become ASCII ones and white space is dropped altogether, so a quote
// matches its source whatever the line breaks and spacing (the seed texts
// have lost the space before some quotation marks). Nothing else is
// forgiven: every other character must match exactly.
func normalizeQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		// ASCII, most of every text, without decoding
		if c := s[i]; c < utf8.RuneSelf {
			if c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\v' && c != '\f' {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch {
		case unicode.IsSpace(r):
			continue
		case strings.ContainsRune("“”„‟″«»", r):
			b.WriteByte('"')
		case strings.ContainsRune("‘’‚‛′", r):
			b.WriteByte('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// validate checks references, evidence and aliases, adding a problem for
// each thing wrong.
func validate(b *Briefing, l *loader) {
	v := &validator{b: b, l: l}
	v.sources()
	v.actors()
	v.options()
	v.positions()
	v.timeline()
	v.overview()
	v.aliases()
	v.stanceConflicts()
}

type validator struct {
	b *Briefing
	l *loader
	// norm remembers normalised quotes: one quote backs many entries.
	norm map[string]string
}

// normalized is normalizeQuote, remembered.
func (v *validator) normalized(q string) string {
	if n, ok := v.norm[q]; ok {
		return n
	}
	if v.norm == nil {
		v.norm = map[string]string{}
	}
	n := normalizeQuote(q)
	v.norm[q] = n
	return n
}

func (v *validator) id(file string, line int, what, id string, seen map[string]bool) bool {
	switch {
	case id == "":
		v.l.add(file, line, "%s has no id", what)
		return false
	case !idPattern.MatchString(id):
		v.l.add(file, line, "%s id %q must be lowercase letters, digits and single hyphens", what, id)
	case seen[id]:
		v.l.add(file, line, "%s id %q is used twice", what, id)
		return false
	}
	seen[id] = true
	return true
}

// fields reports keys of an entry that its type does not know: usually a
// misspelt field name, whose value would otherwise be silently lost.
func (v *validator) fields(file string, m pos, what string) {
	for _, k := range m.unknown {
		v.l.add(file, m.line, "%s: unknown field %q", what, k)
	}
}

func (v *validator) required(file string, line int, what, field, value string) {
	if strings.TrimSpace(value) == "" {
		v.l.add(file, line, "%s has no %s", what, field)
	}
}

func (v *validator) sources() {
	b := v.b
	b.sourceByID = map[string]*Source{}
	seen := map[string]bool{}
	for _, s := range b.Sources {
		if s == nil {
			continue
		}
		what := "source"
		v.fields(FileSources, s.meta, what)
		if v.id(FileSources, s.meta.line, what, s.ID, seen) {
			b.sourceByID[s.ID] = s
			what = "source " + quoteID(s.ID)
		}
		v.required(FileSources, s.meta.line, what, "outlet", s.Outlet)
		v.required(FileSources, s.meta.line, what, "title", s.Title)
		v.required(FileSources, s.meta.line, what, "file", s.File)
		if s.Kind != "article" && s.Kind != "video report" {
			v.l.add(FileSources, s.meta.line, "%s: kind %q must be \"article\" or \"video report\"", what, s.Kind)
		}
		if s.Date != "" {
			if _, err := parseDate(s.Date); err != nil || len(s.Date) != len("2006-01-02") {
				v.l.add(FileSources, s.meta.line, "%s: date %q must be YYYY-MM-DD", what, s.Date)
			}
		} else if s.DateNote == "" {
			v.l.add(FileSources, s.meta.line, "%s has neither date nor date_note", what)
		}
	}
	if len(b.Sources) == 0 {
		v.l.add(FileSources, 0, "no sources")
	}
	b.outletByID = map[string]*Outlet{}
	seen = map[string]bool{}
	for _, o := range b.Outlets {
		if o == nil {
			continue
		}
		v.fields(FileSources, o.meta, "outlet")
		if v.id(FileSources, o.meta.line, "outlet", o.ID, seen) {
			b.outletByID[o.ID] = o
		}
		v.required(FileSources, o.meta.line, "outlet "+quoteID(o.ID), "name", o.Name)
	}
}

func (v *validator) actors() {
	b := v.b
	b.actorByID = map[string]*Actor{}
	seen := map[string]bool{}
	for _, a := range b.Actors {
		if a != nil && v.id(FileActors, a.meta.line, "actor", a.ID, seen) {
			b.actorByID[a.ID] = a
		}
	}
	for _, a := range b.Actors {
		if a == nil {
			continue
		}
		what := "actor " + quoteID(a.ID)
		v.fields(FileActors, a.meta, what)
		v.required(FileActors, a.meta.line, what, "name", a.Name)
		v.required(FileActors, a.meta.line, what, "role", a.Role)
		v.required(FileActors, a.meta.line, what, "summary", a.Summary)
		if a.Kind != "person" && a.Kind != "collective" {
			v.l.add(FileActors, a.meta.line, "%s: kind %q must be \"person\" or \"collective\"", what, a.Kind)
		}
		for _, m := range a.Member {
			if _, ok := b.actorByID[m]; !ok {
				v.l.add(FileActors, a.meta.line, "%s: part_of names unknown actor %q", what, m)
			}
		}
		v.evidence(FileActors, a.meta.line, what, a.Evid)
		v.ownWords(FileActors, a.meta.line, what+" role", a.Role, a.Evid)
		v.ownWords(FileActors, a.meta.line, what+" summary", a.Summary, a.Evid)
	}
	if len(b.Actors) == 0 {
		v.l.add(FileActors, 0, "no actors")
	}
}

func (v *validator) options() {
	b := v.b
	b.optionByID = map[string]*Option{}
	seen := map[string]bool{}
	for _, o := range b.Options {
		if o != nil && v.id(FileOptions, o.meta.line, "option", o.ID, seen) {
			b.optionByID[o.ID] = o
		}
	}
	for _, o := range b.Options {
		if o == nil {
			continue
		}
		what := "option " + quoteID(o.ID)
		v.fields(FileOptions, o.meta, what)
		v.required(FileOptions, o.meta.line, what, "name", o.Name)
		v.required(FileOptions, o.meta.line, what, "summary", o.Summary)
		if o.Kind != KindOption && o.Kind != KindIssue {
			v.l.add(FileOptions, o.meta.line, "%s: kind %q must be %q or %q", what, o.Kind, KindOption, KindIssue)
		}
		for _, r := range o.Related {
			if _, ok := b.optionByID[r]; !ok {
				v.l.add(FileOptions, o.meta.line, "%s: related names unknown option %q", what, r)
			}
		}
		v.evidence(FileOptions, o.meta.line, what, o.Evid)
		v.ownWords(FileOptions, o.meta.line, what+" summary", o.Summary, o.Evid)
		v.points(FileOptions, what+" variant", o.Variants)
		v.points(FileOptions, what+" open question", o.OpenQuestions)
	}
	if len(b.Options) == 0 {
		v.l.add(FileOptions, 0, "no options")
	}
}

func (v *validator) positions() {
	b := v.b
	seen := map[[2]string]int{}
	for _, p := range b.Positions {
		if p == nil {
			continue
		}
		what := "position " + quoteID(p.Actor) + " on " + quoteID(p.Option)
		v.fields(FilePositions, p.meta, what)
		if _, ok := b.actorByID[p.Actor]; !ok {
			v.l.add(FilePositions, p.meta.line, "%s: unknown actor id %q", what, p.Actor)
		}
		if _, ok := b.optionByID[p.Option]; !ok {
			v.l.add(FilePositions, p.meta.line, "%s: unknown option id %q", what, p.Option)
		}
		if !p.Stance.valid() {
			v.l.add(FilePositions, p.meta.line, "%s: stance %q must be one of %s", what, p.Stance, stanceList())
		}
		v.required(FilePositions, p.meta.line, what, "summary", p.Summary)
		key := [2]string{p.Actor, p.Option}
		if first, dup := seen[key]; dup {
			v.l.add(FilePositions, p.meta.line, "%s is given twice (first at line %d)", what, first)
		} else {
			seen[key] = p.meta.line
		}
		v.evidence(FilePositions, p.meta.line, what, p.Evid)
		v.ownWords(FilePositions, p.meta.line, what+" summary", p.Summary, p.Evid)
		p.date = v.since(p.meta.line, what, p.Since, p.Evid)
		v.history(p, what)
	}
}

// since works out the date from which evidence shows a stance: the given
// date, which must be one of its sources' dates, or the earliest of them.
func (v *validator) since(line int, what, given string, ev []Evidence) string {
	earliest, dates := "", map[string]bool{}
	for _, e := range ev {
		if s, ok := v.b.sourceByID[e.Source]; ok && s.Date != "" {
			dates[s.Date] = true
			if earliest == "" || s.Date < earliest {
				earliest = s.Date
			}
		}
	}
	if given == "" {
		return earliest
	}
	if _, err := parseDate(given); err != nil || len(given) != len("2006-01-02") {
		v.l.add(FilePositions, line, "%s: since %q must be YYYY-MM-DD", what, given)
		return earliest
	}
	if !dates[given] {
		v.l.add(FilePositions, line, "%s: since %s is the date of none of its evidence's sources", what, given)
	}
	return given
}

// history checks a position's past stances: each valid, summarised and
// grounded like the position itself, each dated, oldest first, every date
// before the next and before the current stance's, and each a change from
// the stance that followed it.
func (v *validator) history(p *Position, what string) {
	if len(p.History) == 0 {
		return
	}
	if p.date == "" {
		v.l.add(FilePositions, p.meta.line, "%s has a history but no date: cite a dated source or give since", what)
	}
	for i := range p.History {
		h := &p.History[i]
		hw := fmt.Sprintf("%s history entry %d", what, i+1)
		v.fields(FilePositions, h.meta, hw)
		if !h.Stance.valid() {
			v.l.add(FilePositions, h.meta.line, "%s: stance %q must be one of %s", hw, h.Stance, stanceList())
		}
		v.required(FilePositions, h.meta.line, hw, "summary", h.Summary)
		v.evidence(FilePositions, h.meta.line, hw, h.Evid)
		v.ownWords(FilePositions, h.meta.line, hw+" summary", h.Summary, h.Evid)
		h.date = v.since(h.meta.line, hw, h.Since, h.Evid)
		next, nextStance := p.date, p.Stance
		if i+1 < len(p.History) {
			next, nextStance = p.History[i+1].Since, p.History[i+1].Stance
			if next == "" {
				next = v.since(0, "", "", p.History[i+1].Evid)
			}
		}
		switch {
		case h.date == "":
			v.l.add(FilePositions, h.meta.line, "%s has no date: cite a dated source or give since", hw)
		case next != "" && h.date >= next:
			v.l.add(FilePositions, h.meta.line, "%s: dated %s, not before the stance that followed it (%s): history runs oldest first", hw, h.date, next)
		}
		if h.Stance == nextStance {
			v.l.add(FilePositions, h.meta.line, "%s: stance %s is the same as the one that followed it: history records changes only", hw, h.Stance)
		}
	}
}

func (v *validator) timeline() {
	for _, e := range v.b.Timeline {
		if e == nil {
			continue
		}
		what := "timeline entry"
		v.fields(FileTimeline, e.meta, what)
		if _, err := parseDate(e.Date); err != nil {
			v.l.add(FileTimeline, e.meta.line, "%s: %v", what, err)
		}
		v.required(FileTimeline, e.meta.line, what, "text", e.Text)
		for _, a := range e.Actors {
			if _, ok := v.b.actorByID[a]; !ok {
				v.l.add(FileTimeline, e.meta.line, "%s: unknown actor id %q", what, a)
			}
		}
		v.evidence(FileTimeline, e.meta.line, what, e.Evid)
		v.ownWords(FileTimeline, e.meta.line, what+" text", e.Text, e.Evid)
		v.ownWords(FileTimeline, e.meta.line, what+" when", e.When, e.Evid)
	}
}

func (v *validator) overview() {
	o := &v.b.Overview
	if o.BottomLine.Text == "" {
		v.l.add(FileOverview, 0, "overview has no bottom_line")
	} else {
		v.points(FileOverview, "bottom line", []Point{o.BottomLine})
	}
	v.points(FileOverview, "state of play", o.StateOfPlay)
	v.points(FileOverview, "open question", o.OpenQuestions)
}

func (v *validator) points(file, what string, ps []Point) {
	for _, p := range ps {
		v.fields(file, p.meta, what)
		v.required(file, p.meta.line, what, "text", p.Text)
		v.evidence(file, p.meta.line, what, p.Evid)
		v.ownWords(file, p.meta.line, what, p.Text, p.Evid)
	}
}

// evidence checks that an entry cites evidence and that every piece of it
// is a verbatim quote from a known source with a valid attribution.
func (v *validator) evidence(file string, line int, what string, ev []Evidence) {
	if len(ev) == 0 {
		v.l.add(file, line, "%s has no evidence: cite a source and a verbatim quote", what)
		return
	}
	for _, e := range ev {
		v.fields(file, e.meta, what+" evidence")
		src, ok := v.b.sourceByID[e.Source]
		switch {
		case e.Source == "":
			v.l.add(file, e.meta.line, "%s: evidence has no source", what)
		case !ok:
			v.l.add(file, e.meta.line, "%s: unknown source id %q", what, e.Source)
		}
		switch {
		case strings.TrimSpace(e.Quote) == "":
			v.l.add(file, e.meta.line, "%s: evidence has no quote", what)
		case ok && src.Text != "" && !strings.Contains(src.norm, v.normalized(e.Quote)):
			v.l.add(file, e.meta.line, "%s: quote not found verbatim in source %q: %q", what, e.Source, shorten(e.Quote, 80))
		}
		switch e.Basis {
		case BasisQuote, BasisAccount:
			if e.By == "" {
				v.l.add(file, e.meta.line, "%s: evidence of basis %q must say whose words they are (by)", what, e.Basis)
			}
		case BasisReport, BasisAnalysis:
		default:
			v.l.add(file, e.meta.line, "%s: basis %q must be quote, report, account or analysis", what, e.Basis)
		}
		if e.By != "" {
			if _, ok := v.b.actorByID[e.By]; !ok {
				v.l.add(file, e.meta.line, "%s: evidence by unknown actor id %q", what, e.By)
			}
		}
		if e.Via != "" {
			if _, ok := v.b.outletByID[e.Via]; !ok {
				v.l.add(file, e.meta.line, "%s: evidence via unknown outlet id %q", what, e.Via)
			}
		}
	}
}

// quotedSpans returns the passages of s inside quotation marks, straight
// ("…") or typographic (“…”), and whether a mark is left unmatched.
func quotedSpans(s string) (spans []string, unmatched bool) {
	var open rune
	start := 0
	for i, r := range s {
		switch {
		case r == '"' && open == 0, r == '“' && open == 0:
			open, start = r, i+len(string(r))
		case r == '"', r == '”' && open != 0:
			spans = append(spans, s[start:i])
			open = 0
		case r == '“', r == '”':
			unmatched = true // nested opening mark, or a closing mark with none open
		}
	}
	return spans, unmatched || open != 0
}

// ownWords checks text we write (a summary, a role, a timeline entry): any
// words it puts inside quotation marks must appear in one of the entry's own
// evidence quotes, compared as the verbatim check compares them. A phrase in
// quotation marks that no evidence has is words put in someone's mouth.
// Punctuation just inside the closing mark is forgiven ("offensive.").
func (v *validator) ownWords(file string, line int, what, text string, ev []Evidence) {
	spans, unmatched := quotedSpans(text)
	if unmatched {
		v.l.add(file, line, "%s: unmatched quotation mark in %q", what, shorten(text, 80))
	}
	for _, span := range spans {
		n := normalizeQuote(strings.TrimRight(span, ".,;:!?"))
		if n == "" {
			continue
		}
		found := false
		for _, e := range ev {
			if strings.Contains(v.normalized(e.Quote), n) {
				found = true
				break
			}
		}
		if !found {
			v.l.add(file, line, "%s: %q is in quotation marks but in none of its evidence quotes: quote the evidence exactly or say it in our own words", what, span)
		}
	}
}

// stanceSide groups stances into for (1), open (0) and against (-1).
func stanceSide(s Stance) int {
	switch s {
	case Proposes, Supports, Conditional:
		return 1
	case Opposes, RulesOut:
		return -1
	}
	return 0
}

// stanceConflicts checks that a person and a collective actor they speak
// for (part_of) do not take different sides on one option (for, open,
// against) unless the evidence of either position carries a note that
// names the other and so explains the difference.
func (v *validator) stanceConflicts() {
	b := v.b
	held := map[[2]string]*Position{}
	for _, p := range b.Positions {
		if p != nil {
			if _, dup := held[[2]string{p.Actor, p.Option}]; !dup {
				held[[2]string{p.Actor, p.Option}] = p
			}
		}
	}
	for _, p := range b.Positions {
		if p == nil || !p.Stance.valid() {
			continue
		}
		person, ok := b.actorByID[p.Actor]
		if !ok {
			continue
		}
		for _, m := range person.Member {
			group, ok := b.actorByID[m]
			q := held[[2]string{m, p.Option}]
			if !ok || q == nil || !q.Stance.valid() || stanceSide(p.Stance) == stanceSide(q.Stance) {
				continue
			}
			if notesName(p.Evid, group) || notesName(q.Evid, person) {
				continue
			}
			v.l.add(FilePositions, p.meta.line, "position %s on %s (%s) contradicts %s, which it speaks for, on the same option (%s, %s:%d): reconcile the stances or explain the difference in an evidence note that names %s",
				quoteID(p.Actor), quoteID(p.Option), p.Stance, quoteID(m), q.Stance, FilePositions, q.meta.line, group.Name)
		}
	}
}

// notesName reports whether a note on any of the evidence names the actor
// (its id, name or an alias, as whole words).
func notesName(ev []Evidence, a *Actor) bool {
	for _, e := range ev {
		if e.Note == "" {
			continue
		}
		note := " " + nameKey(e.Note) + " "
		for _, n := range a.names() {
			if k := nameKey(n); k != "" && strings.Contains(note, " "+k+" ") {
				return true
			}
		}
	}
	return false
}

// aliases checks that every name and alias leads to exactly one entry.
func (v *validator) aliases() {
	type owner struct {
		what, file string
		line       int
	}
	owners := map[string]owner{}
	claim := func(file string, line int, what, alias string) {
		key := nameKey(alias)
		if key == "" {
			v.l.add(file, line, "%s: alias %q has no words to match on", what, alias)
			return
		}
		if o, ok := owners[key]; ok {
			if o.what != what {
				v.l.add(file, line, "alias %q of %s is already claimed by %s (%s:%d)", alias, what, o.what, o.file, o.line)
			}
			return
		}
		owners[key] = owner{what, file, line}
	}
	for _, a := range v.b.Actors {
		if a == nil {
			continue
		}
		what := "actor " + quoteID(a.ID)
		for _, n := range a.names() {
			claim(FileActors, a.meta.line, what, n)
		}
	}
	for _, o := range v.b.Options {
		if o == nil {
			continue
		}
		what := "option " + quoteID(o.ID)
		for _, n := range append([]string{o.ID, o.Name}, o.Aliases...) {
			claim(FileOptions, o.meta.line, what, n)
		}
	}
	for _, o := range v.b.Outlets {
		if o == nil {
			continue
		}
		what := "outlet " + quoteID(o.ID)
		for _, n := range append([]string{o.ID, o.Name}, o.Aliases...) {
			claim(FileSources, o.meta.line, what, n)
		}
	}
}

func quoteID(id string) string { return `"` + id + `"` }

func stanceList() string {
	var s []string
	for _, st := range Stances() {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

// shorten cuts s to at most n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
