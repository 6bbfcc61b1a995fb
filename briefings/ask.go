package briefings

import (
	"fmt"
	"slices"
	"strings"
)

// genericWords are words of questions that name no topic: a question is
// not "about" them, so the sources not using them is no gap.
var genericWords = setOf("happen", "happened", "happening", "happens", "going", "go", "goes", "get", "gets", "got",
	"make", "makes", "made", "like", "likely", "news", "update", "updates", "today", "tomorrow", "yesterday",
	"week", "weeks", "month", "months", "year", "years", "plan", "plans", "planned", "idea", "ideas", "thing",
	"things", "people", "way", "ways", "kind", "sort", "lot", "lots", "something", "anything", "everything",
	"nothing", "anyone", "someone", "everyone", "one", "ones", "whole", "basically", "exactly", "summary",
	"summarise", "summarize", "overview", "brief", "briefly", "short", "detail", "details", "info",
	"information", "latest", "recent", "recently", "new", "status", "situation", "story", "matter", "matters",
	"question", "questions", "answer", "answers", "mean", "means", "meant", "really", "guys", "hey", "hi",
	"hello", "thanks", "thank", "ok", "okay", "pls", "plz", "bot", "briefbot", "quick", "quickly", "list",
	"name", "names", "named", "number", "count", "exact", "date", "time", "day", "days", "reason", "reasons",
	"compare", "versus", "vs", "difference", "differ", "compared", "between", "both", "either", "neither",
	"word", "words", "quote", "quotes", "quoted", "called", "call", "mention", "mentioned", "position",
	"stand", "standing", "think", "thinking", "view", "sure", "still", "yet", "already", "ever", "soon",
	"long", "far", "much", "many", "few", "other", "others", "another", "same", "else", "own", "side", "sides",
	"country", "countries", "leader", "leaders", "government", "governments", "official", "officials", "first",
	"last", "next", "main", "key", "big", "biggest", "most", "least", "best", "worst", "good", "bad", "part",
	"role", "roles", "deal", "deals", "talk", "talks", "talking", "work", "works", "working", "worked",
	"help", "helps", "happy", "keen", "open", "closed", "case", "point", "points", "true", "false", "right", "wrong",
	"possible", "possibly", "maybe", "perhaps", "option", "options", "proposal", "proposals", "propose",
	"against", "for", "backing", "backed", "oppose", "opposed", "opposing", "refuse", "refused", "offer",
	"offers", "willing", "send", "sending", "sent", "commit", "committed", "agree", "agreed", "accept",
	"accepted", "stance", "stances", "react", "reacted", "reaction", "respond", "responded", "response",
	"comment", "commented", "explain", "explained", "define", "describe", "described", "meaning", "compare")

// reading is a question as the briefing reads it.
type reading struct {
	kind    questionKind
	side    side
	words   []string // lower-cased, stop words kept
	toks    []token
	found   []mention
	rest    []token // words that name nothing
	actors  []entityRef
	options []entityRef
	outlets []entityRef
	notes   []string
	// unknown are the words the briefing and its sources never use, in
	// runs as typed; places are place names covered only as a name for
	// an actor, used here as places.
	unknown []string
	places  []string
}

// actorNouns after an adjective show it stands for the actor: "British
// troops", "the Russian government".
var actorNouns = setOf("government", "governments", "president", "leader", "leaders", "official", "officials",
	"side", "position", "view", "stance", "foreign", "ministry", "minister", "prime", "diplomat", "diplomats",
	"troop", "soldier", "force", "army", "military", "people", "delegation", "envoy", "administration", "state")

// locatives before a place name show the question is about the place.
var locatives = setOf("in", "at", "near", "around", "inside", "outside", "over", "across", "into", "through",
	"toward", "towards", "within", "of", "to", "from", "visit", "visited", "visiting", "went")

// read finds what a question names and asks.
func (b *Briefing) read(question string, toks []token) reading {
	r := reading{words: lowerWords(question), toks: toks}
	r.kind = classify(r.words)
	r.side = askedSide(r.words)
	found, rest := b.index.mentions(toks)
	r.found, r.rest = found, rest
	for _, m := range found {
		if m.ref.kind == EntityActor {
			switch m.form {
			case formAdjective:
				// "Russian attacks": a modifier, not the actor.
				if next := m.at + m.n; next < len(toks) && !actorNouns[toks[next].stem] {
					r.rest = append(r.rest, toks[m.at:m.at+m.n]...)
					continue
				}
			case formPlace:
				if locatives[toks[m.at].prev] {
					r.places = append(r.places, toks[m.at].orig)
					continue
				}
			}
		}
		list := map[EntityKind]*[]entityRef{EntityActor: &r.actors, EntityOption: &r.options, EntityOutlet: &r.outlets}[m.ref.kind]
		if !slices.Contains(*list, m.ref) {
			*list = append(*list, m.ref)
			if n := b.typoNote(m); n != "" {
				r.notes = append(r.notes, n)
			}
		}
	}
	r.unknown = b.unknownRuns(toks, found)
	return r
}

// unknownRuns returns the runs of words (as typed) that neither the
// briefing nor its sources use, nor are typos of words they use.
func (b *Briefing) unknownRuns(toks []token, found []mention) []string {
	inName := make([]bool, len(toks))
	for _, m := range found {
		for k := m.at; k < m.at+m.n && k < len(toks); k++ {
			inName[k] = true
		}
	}
	var runs []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, strings.Join(cur, " "))
			cur = nil
		}
	}
	for i, t := range toks {
		unknown := !inName[i] && len(t.stem) >= 3 && !genericWords[t.raw] && !genericWords[t.stem] &&
			!b.index.knownForm(t.stem) && !isNumber(t.raw) && !verbLike(t.raw) && !b.index.nearKnown(t.stem)
		if unknown {
			cur = append(cur, t.orig)
			continue
		}
		flush()
	}
	flush()
	return runs
}

// verbLike reports whether a word has the shape of a verb or adverb form
// ("finalised", "carrying", "quickly"): such words are how a question
// asks, rarely what it is about, and the sources not using that form is
// no gap in coverage.
func verbLike(w string) bool {
	for _, suf := range []string{"ed", "ing", "ly", "ise", "ize", "ises", "izes"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Ask answers a question in plain words. It reads what kind of question
// it is (who, who said, how many, when, why, what X said about Y, X's
// position on Y, what Y is, a comparison) and what it names, and leads
// with the claims that answer it, each with its verbatim quote; the card
// of the actor or option follows as detail. A name or topic the sources
// never mention is said to be not covered first, before anything related.
func (b *Briefing) Ask(question string) Answer {
	toks := analyze(question)
	if len(toks) > MaxQuestionWords {
		toks = toks[:MaxQuestionWords]
	}
	if len(toks) == 0 {
		return b.notFound(question, 0)
	}
	r := b.read(question, toks)
	// Ukraine is the background of nearly every question: when another
	// actor is named, the question is about that one.
	if len(r.actors) > 1 {
		if kept := slices.DeleteFunc(slices.Clone(r.actors), func(x entityRef) bool { return b.actorByID[x.id].Context }); len(kept) > 0 {
			r.actors = kept
		}
	}
	// Likewise "who would send soldiers to Ukraine" asks about the option,
	// unless the briefing records Ukraine's own position on it.
	if len(r.options) > 0 && b.onlyContext(r.actors) && !b.anyPosition(r.actors, r.options) {
		r.actors = nil
	}
	a := b.answerReading(question, r)
	if a.Kind == "notfound" && (len(r.unknown) > 0 || len(r.places) > 0) {
		a = b.notCovered(question, r)
		a.Notes = append(r.notes, a.Notes...)
		return a
	}
	b.scopeFirst(&a, r)
	a.Notes = append(r.notes, a.Notes...)
	return a
}

// scopeFirst puts what the question asks that the sources do not cover at
// the head of the answer, so nothing related passes for an answer to it.
func (b *Briefing) scopeFirst(a *Answer, r reading) {
	var first []Claim
	for _, u := range r.unknown {
		first = append(first, Claim{Text: "The sources don't mention " + quoteUser(u) + "; the rest of this answer is about what they do cover."})
	}
	for _, p := range r.places {
		first = append(first, Claim{Text: "The briefing covers " + quoteUser(p) + " only as a name for a government, not as a place: the sources say nothing about the place itself."})
	}
	if len(first) == 0 {
		return
	}
	a.Lead = append(first, a.Lead...)
	a.NotFound = true
}

// notCovered answers a question whose topic the sources never mention:
// it says so, names the closest things they do cover, and only then
// offers passages matching its other words, marked as related.
func (b *Briefing) notCovered(question string, r reading) Answer {
	a := b.notFound(question, 0)
	var what []string
	for _, u := range r.unknown {
		what = append(what, quoteUser(u))
	}
	for _, p := range r.places {
		what = append(what, quoteUser(p)+" (as a place)")
	}
	a.Title = "Not covered: " + clip(strings.Join(append(r.unknown, r.places...), ", "))
	a.Intro = "The sources don't mention " + namesList(what) + ". The briefing covers only what its sources report, and never guesses beyond them."
	var known []token
	for _, t := range r.rest {
		if b.index.known(t.stem) && !genericWords[t.raw] {
			known = append(known, t)
		}
	}
	if len(known) > 0 {
		c := b.compose("", "")
		if b.searchLead(c, known, nil, 1) {
			for i := range c.a.Lead {
				c.a.Lead[i].Text = "Related, but not about " + namesList(what) + ": " + c.a.Lead[i].Text
			}
			a.Brief = append(a.Brief, Section{Heading: "Related passages"})
			a.Sections = append(a.Sections, Section{Heading: "Related, but not an answer", Quotes: quotesOf(c.a.Lead), Text: c.a.Lead[0].Text})
			a.Sources = append(a.Sources, c.a.Sources...)
			a.Brief = a.Brief[:0]
		}
	}
	return a
}

// leadBy reports whether the lead already quotes the actor.
func leadBy(c *composer, b *Briefing, by string) bool {
	if by == "" {
		return false
	}
	name := b.actorByID[by].Name
	for _, cl := range c.a.Lead {
		if cl.Quote != nil && strings.Contains(cl.Quote.Attribution, name) {
			return true
		}
	}
	return false
}

func quotesOf(cl []Claim) []Quote {
	var out []Quote
	for _, c := range cl {
		if c.Quote != nil {
			out = append(out, *c.Quote)
		}
	}
	return out
}

// answerReading answers a question by the kind of question it is and
// what it names.
func (b *Briefing) answerReading(question string, r reading) Answer {
	actors, options := r.actors, r.options
	var rest []token
	for _, t := range r.rest {
		if !genericWords[t.raw] {
			rest = append(rest, t)
		}
	}
	switch {
	case r.kind == askWhoSaid:
		c := b.compose("whosaid", "Who said it")
		if !b.whoSaid(c, r.toks) {
			return b.notFound(question, 0)
		}
		return c.answer()
	case r.kind == askCompare && len(actors) > 1 && len(options) > 0:
		// "trump vs macron on troops": each one's position on it.
		return b.pairs(actors, options, r)
	case r.kind == askCompare && len(actors) > 1:
		return b.compare(actors)
	case r.kind == askCompare && len(options) > 1:
		c := b.compose("compare", b.optionByID[options[0].id].Name+" and "+b.optionByID[options[1].id].Name+" compared")
		for _, x := range options[:2] {
			o := b.optionByID[x.id]
			for _, sen := range firstSentences(o.Summary, 0) {
				c.claim(o.Name+": "+sen, o.Evid, "")
			}
		}
		for _, x := range options[:2] {
			b.optionCard(c, b.optionByID[x.id])
		}
		return c.answer()
	case r.kind == askSaidAbout && len(actors) >= 1:
		return b.saidAboutAnswer(r, rest)
	case r.kind == askHowMany:
		c := b.compose("count", "How many: "+clip(question))
		found := false
		if len(options) > 0 {
			// A number the sources give about the option comes first.
			if e := b.numberEvidence(b.optionByID[options[0].id]); e != nil {
				c.claimQuote("The number the sources give:", *e)
				found = true
			}
		}
		if len(options) > 0 && r.side != sideAll {
			o := b.optionByID[options[0].id]
			var names []string
			var ev []Evidence
			for _, p := range b.PositionsOn(o.ID) {
				if p.Stance.side() == r.side {
					names = append(names, b.actorByID[p.Actor].Name)
					ev = append(ev, p.Evid...)
				}
			}
			c.claim(fmt.Sprintf("The briefing records %d %s %s %s: %s.", len(names), plural(len(names), "actor", "actors"),
				strings.ToLower(sideLabel(r.side)), o.Name, namesList(names)), ev, "")
			found = true
		}
		if !found && b.searchLead(c, r.toks, hasNumber, 1) {
			found = true
		}
		if !found {
			return b.notFound(question, 0)
		}
		b.detail(c, actors, options)
		return c.answer()
	case r.kind == askWhen:
		c := b.compose("when", "When: "+clip(question))
		refs := append(slices.Clone(actors), options...)
		if !b.timelineLead(c, r.toks, refs) && !b.searchLead(c, r.toks, hasTime, 1) {
			return b.notFound(question, 0)
		}
		c.next("timeline")
		b.detail(c, actors, options)
		return c.answer()
	case r.kind == askWhy:
		c := b.compose("why", "Why: "+clip(question))
		about := ""
		if len(actors) > 0 {
			about = actors[0].id
		}
		if !b.searchAbout(c, r.toks, about, hasCause, 1) {
			switch {
			case len(actors) > 0 && len(options) > 0:
				b.positionLead(c, b.actorByID[actors[0].id], b.optionByID[options[0].id])
			case len(options) > 0:
				o := b.optionByID[options[0].id]
				c.leadFromSummary(o.Summary, o.Evid, "", 2, 420)
			case len(actors) > 0:
				b.actorLead(c, b.actorByID[actors[0].id])
			}
		}
		if len(c.a.Lead) == 0 {
			return b.notFound(question, 0)
		}
		b.detail(c, actors, options)
		return c.answer()
	case r.kind == askWho && len(actors) == 0 && (len(rest) > 0 || len(r.places) > 0) && b.searchWho(b.compose("", ""), r.toks, nil):
		// "who went to Moscow to meet Putin": whoever the passage is about.
		c := b.compose("who", "Who: "+clip(question))
		b.searchWho(c, r.toks, nil)
		return c.answer()
	case r.kind == askWho && len(actors) == 0 && len(options) > 0:
		o := b.optionByID[options[0].id]
		c := b.compose("who", "Who stands where on "+o.Name)
		b.whoOn(c, o, r.side)
		b.optionCard(c, o)
		return c.answer()
	case r.kind == askWho && len(actors) > 0:
		// "who leads the coalition", "who is the most sceptical of Putin":
		// the answer is the person the best passage is about.
		c := b.compose("who", "Who: "+clip(question))
		if len(rest) == 0 && len(options) == 0 {
			return b.actorFocus(b.actorByID[actors[0].id], nil) // "who is witkoff"
		}
		if !b.searchWho(c, r.toks, actors) {
			if len(options) > 0 {
				o := b.optionByID[options[0].id]
				b.whoOn(c, o, r.side)
				b.optionCard(c, o)
				return c.answer()
			}
			return b.actorFocus(b.actorByID[actors[0].id], rest)
		}
		return c.answer()
	case len(actors) > 0 && len(options) > 0:
		return b.pairs(actors, options, r)
	case len(actors) == 1:
		return b.actorFocus(b.actorByID[actors[0].id], rest)
	case len(actors) > 1 && !b.joined(r):
		// "where does Macron stand on Putin": the first actor on the
		// other, from what the briefing says of the first.
		a := b.actorByID[actors[0].id]
		c := b.compose("actor", a.Name+" on "+b.actorByID[actors[1].id].Name)
		if !b.searchAbout(c, r.toks, a.ID, nil, 1) {
			return b.saidAboutAnswer(r, rest)
		}
		c.a.Brief = append(c.a.Brief, b.actorBrief(a)...)
		b.actorCard(c, a)
		return c.answer()
	case len(actors) > 1:
		return b.compare(actors)
	case len(options) > 0:
		o := b.optionByID[options[0].id]
		c := b.compose("option", o.Name)
		b.optionLead(c, o)
		if r.kind == askWhatIs && len(o.OpenQuestions) > 0 {
			// "what exactly is it": what is not known yet, too.
			c.a.Brief = append(c.a.Brief, Section{Text: "Open question: " + o.OpenQuestions[0].Text})
		}
		b.optionCard(c, o)
		for _, x := range options[1:] {
			c.next("option " + x.id)
		}
		return c.answer()
	case len(r.outlets) > 0:
		return b.reportedBy(r.outlets[0])
	}
	return b.searchAnswer(question, r.toks)
}

// joined reports whether the question joins the actors it names ("Trump
// and Putin", "Trump, Putin"), asking about them side by side.
func (b *Briefing) joined(r reading) bool {
	var actorMentions []mention
	for _, m := range r.found {
		if m.ref.kind == EntityActor {
			actorMentions = append(actorMentions, m)
		}
	}
	for i := 1; i < len(actorMentions); i++ {
		if actorMentions[i].at == actorMentions[i-1].at+actorMentions[i-1].n {
			m := actorMentions[i]
			prev := r.toks[m.at].prev
			// "Trump and Putin", or two names with nothing between
			// ("trump, putin").
			if prev == "and" || prev == "or" || prev == "&" || prev == "vs" || prev == "versus" || prev == "with" ||
				prev == r.toks[m.at-1].raw || strings.HasSuffix(prev, r.toks[m.at-1].raw) {
				return true
			}
		}
	}
	return false
}

// saidAboutAnswer answers what an actor said about something: an option,
// another actor, or the question's other words.
func (b *Briefing) saidAboutAnswer(r reading, rest []token) Answer {
	a := b.actorByID[r.actors[0].id]
	var opts []*Option
	for _, o := range r.options {
		opts = append(opts, b.optionByID[o.id])
	}
	topic := slices.Clone(rest)
	for _, m := range r.found {
		if m.ref.kind == EntityActor && m.ref.id != a.ID || m.ref.kind == EntityOutlet {
			topic = append(topic, r.toks[m.at:m.at+m.n]...)
		}
	}
	c := b.compose("said", a.Name+" on "+topicName(opts, topic))
	if !b.saidAbout(c, a, topic, opts) {
		c.statement("The sources quote no words of " + a.Name + " on " + topicName(opts, topic) + ".")
		c.a.NotFound = true
		if len(opts) > 0 && b.positionLead(c, a, opts[0]) {
			c.a.Lead[len(c.a.Lead)-1].Text = "What the briefing records instead: " + c.a.Lead[len(c.a.Lead)-1].Text
		}
	}
	b.actorCard(c, a)
	return c.answer()
}

func topicName(opts []*Option, rest []token) string {
	if len(opts) > 0 {
		return opts[0].Name
	}
	var ws []string
	for _, t := range rest {
		ws = append(ws, t.orig)
	}
	return quoteUser(strings.Join(ws, " "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// timeWords mark a passage that says when.
var timeWords = setOf("january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday", "week", "weeks", "days", "month", "months", "year", "years", "ago", "weekend", "yesterday", "today",
	"2022", "2023", "2024", "2025")

func hasTime(text string) bool {
	for _, w := range lowerWords(text) {
		if timeWords[w] {
			return true
		}
	}
	return false
}

// detail adds the card of what a question names, after its lead.
func (b *Briefing) detail(c *composer, actors, options []entityRef) {
	switch {
	case len(options) > 0:
		b.optionCard(c, b.optionByID[options[0].id])
	case len(actors) > 0:
		b.actorCard(c, b.actorByID[actors[0].id])
	}
}

func (b *Briefing) onlyContext(actors []entityRef) bool {
	for _, r := range actors {
		if !b.actorByID[r.id].Context {
			return false
		}
	}
	return len(actors) > 0
}

func (b *Briefing) anyPosition(actors, options []entityRef) bool {
	for _, a := range actors {
		for _, o := range options {
			if _, ok := b.Position(a.id, o.id); ok {
				return true
			}
		}
	}
	return false
}

// pairs answers an actor-and-option question with each recorded position,
// stated first. Where the actor has none of its own, the position of the
// government it belongs to (or of its members) is shown and labelled as
// such.
func (b *Briefing) pairs(actors, options []entityRef, r reading) Answer {
	c := b.compose("pair", "")
	var missing []string
	shown := 0
	for _, ar := range actors {
		a := b.actorByID[ar.id]
		for _, or := range options {
			o := b.optionByID[or.id]
			p, ok := b.Position(a.ID, o.ID)
			label := ""
			if !ok {
				p, label = b.relatedPosition(a, o.ID)
			}
			if p == nil {
				missing = append(missing, fmt.Sprintf("The sources record no position of %s on %s: not covered.", a.Name, o.Name))
				continue
			}
			pa := b.actorByID[p.Actor]
			if shown == 0 {
				c.a.Title = a.Name + " on " + o.Name + ": " + p.StanceHistory()
			}
			if shown < 3 {
				b.positionLead(c, a, o)
			}
			heading := pa.Name + " on " + o.Name + ": " + p.StanceHistory()
			if label != "" {
				heading += " (" + label + ")"
			}
			c.section(Section{Heading: heading, Text: p.Summary, Quotes: c.quotes(p.Evid)})
			shown++
			c.next("actor "+a.ID, "option "+o.ID)
		}
	}
	if shown > 1 {
		c.a.Title = "Positions asked about"
	}
	if shown == 0 {
		a, o := b.actorByID[actors[0].id], b.optionByID[options[0].id]
		c.a.Title = a.Name + " on " + o.Name + ": not covered"
		c.a.NotFound = true
		for _, m := range missing {
			c.statement(m)
		}
		if line := b.stanceLine(o.ID); line != "" {
			c.a.Brief = append(c.a.Brief, Section{Heading: "Recorded stances on " + o.Name, Text: line})
			c.section(Section{Heading: "Recorded stances on " + o.Name, Fields: b.stanceFields(o.ID)})
		}
		if line := b.positionsLine(a.ID); line != "" {
			c.a.Brief = append(c.a.Brief, Section{Heading: a.Name + "'s recorded positions", Text: line})
			var fields []Field
			for _, p := range b.PositionsOf(a.ID) {
				fields = append(fields, Field{Label: b.optionByID[p.Option].Name, Value: p.Stance.Label()})
			}
			c.section(Section{Heading: a.Name + "'s recorded positions", Fields: fields})
		}
		c.next("actor "+a.ID, "option "+o.ID)
		return c.answer()
	}
	if r.kind == askWhen {
		b.timelineLead(c, r.toks, append(slices.Clone(actors), options...))
	}
	if len(missing) > 0 {
		var items []Item
		for _, m := range missing {
			items = append(items, Item{Text: m})
		}
		c.a.Brief = append(c.a.Brief, Section{Heading: "Not recorded", Items: items})
		c.section(Section{Heading: "Not recorded", Items: items})
	}
	return c.answer()
}

// relatedPosition finds a position on the option held by the government
// an actor belongs to, or by a person who speaks for a collective actor.
func (b *Briefing) relatedPosition(a *Actor, optionID string) (*Position, string) {
	for _, m := range a.Member {
		if p, ok := b.Position(m, optionID); ok {
			return p, "no position of " + a.Name + "'s own is recorded; this is " + b.actorByID[m].Name + "'s"
		}
	}
	for _, other := range b.voicesOf[a.ID] {
		if p, ok := b.Position(other, optionID); ok {
			return p, "speaking for " + a.Name
		}
	}
	return nil, ""
}

// actorFocus is the actor's card, led by the passages about the actor that
// best match the rest of the question ("what did zelensky say about paper").
func (b *Briefing) actorFocus(a *Actor, rest []token) Answer {
	c := b.compose("actor", a.Name)
	focused := false
	if len(rest) > 0 {
		for _, h := range b.index.search(rest, 12) {
			if h.doc.sourceID != "" || !h.doc.about(EntityActor, a.ID) {
				continue
			}
			c.claim(h.doc.heading+": "+h.doc.text, h.doc.evid, a.ID)
			focused = true
			break
		}
	}
	if !focused {
		b.actorLead(c, a)
	} else {
		c.a.Brief = append(c.a.Brief, b.actorBrief(a)...)
	}
	if len(rest) > 0 {
		var best []Section
		for _, h := range b.index.search(rest, 12) {
			if h.doc.sourceID != "" || !h.doc.about(EntityActor, a.ID) {
				continue
			}
			best = append(best, Section{Heading: "Most relevant: " + h.doc.heading, Text: h.doc.text, Quotes: c.quotes(h.doc.evid)})
			if len(best) == 2 {
				break
			}
		}
		for _, sec := range best {
			c.section(sec)
		}
	}
	b.actorCard(c, a)
	return c.answer()
}

func (d *doc) about(kind EntityKind, id string) bool {
	if slices.Contains(d.ref, entityRef{kind, id}) {
		return true
	}
	for _, e := range d.evid {
		if kind == EntityActor && e.By == id {
			return true
		}
	}
	return false
}

// compare sets several actors' stances side by side, option by option.
func (b *Briefing) compare(actors []entityRef) Answer {
	var names []string
	for _, r := range actors {
		names = append(names, b.actorByID[r.id].Name)
	}
	c := b.compose("compare", strings.Join(names, " and ")+" compared")
	b.compareLead(c, actors)
	for _, o := range b.optionsHeldBy(actors) {
		var fields []Field
		for _, r := range actors {
			if p, ok := b.Position(r.id, o.ID); ok {
				fields = append(fields, Field{Label: b.actorByID[r.id].Name, Value: p.StanceHistory() + ": " + p.Summary})
				c.citeEvidence(p.Evid)
			}
		}
		if len(fields) > 0 {
			c.section(Section{Heading: o.Name, Fields: fields})
		}
	}
	if len(c.a.Sections) == 0 {
		c.a.Intro = "Neither source records a position of any of them on the options the briefing covers."
		for _, r := range actors {
			c.citeEvidence(b.actorByID[r.id].Evid)
		}
	}
	for _, r := range actors {
		c.next("actor " + r.id)
	}
	return c.answer()
}

// optionsHeldBy returns, in briefing order, the options any of the
// actors takes a position on.
func (b *Briefing) optionsHeldBy(actors []entityRef) []*Option {
	var at []int
	for _, r := range actors {
		for _, p := range b.byActor[r.id] {
			if i := b.optionAt[p.Option]; !slices.Contains(at, i) {
				at = append(at, i)
			}
		}
	}
	slices.Sort(at)
	out := make([]*Option, len(at))
	for k, i := range at {
		out[k] = b.Options[i]
	}
	return out
}

// reportedBy lists what the sources cite from an outlet.
func (b *Briefing) reportedBy(r entityRef) Answer {
	o := b.outletByID[r.id]
	c := b.compose("outlet", "What the sources cite from "+o.Name)
	seen := map[string]bool{}
	for _, i := range b.index.viaDocs[o.ID] {
		d := &b.index.docs[i]
		for _, e := range d.evid {
			if e.Via != o.ID || seen[e.Quote] {
				continue
			}
			seen[e.Quote] = true
			if len(c.a.Lead) < 2 && !slices.ContainsFunc(c.a.Lead, func(cl Claim) bool { return cl.Quote != nil && cl.Quote.Attribution == c.b.Attribution(e) }) && !leadBy(c, b, e.By) {
				c.claimQuote(d.heading+": "+d.text, e)
				c.section(Section{Heading: d.heading, Text: d.text})
				continue
			}
			c.section(Section{Heading: d.heading, Text: d.text, Quotes: c.quotes([]Evidence{e})})
		}
	}
	if len(c.a.Sections) == 0 {
		c.a.Intro = o.Name + " is named in the sources, but the briefing cites nothing from it."
	}
	return c.answer()
}

// searchAnswer answers a question that names no actor or option with the
// passages of the briefing and its sources that match it best.
func (b *Briefing) searchAnswer(question string, toks []token) Answer {
	hits := b.index.search(toks, 4)
	if len(hits) == 0 {
		return b.notFound(question, 0)
	}
	c := b.compose("search", "What the briefing says about "+quoteUser(question))
	b.searchLead(c, toks, nil, 1)
	if len(hits) > 1 {
		var heads []Item
		for _, h := range hits[1:] {
			heads = append(heads, Item{Text: h.doc.heading})
		}
		c.a.Brief = append(c.a.Brief, Section{Heading: "Also matching", Items: heads})
	}
	for _, h := range hits {
		if h.doc.sourceID != "" {
			if c.quoted[c.key(h.doc.text)] {
				continue
			}
			q := Quote{Text: h.doc.text, Attribution: h.doc.heading + ", source text", Basis: BasisReport, SourceID: h.doc.sourceID}
			c.cite(h.doc.sourceID)
			c.section(Section{Heading: "From the source", Quotes: []Quote{q}})
			continue
		}
		c.section(Section{Heading: h.doc.heading, Text: h.doc.text, Quotes: c.quotes(h.doc.evid)})
		for _, r := range h.doc.ref {
			c.next(b.refQuery(r))
		}
	}
	c.next("actors", "options")
	return c.answer()
}

func quoteUser(s string) string { return "“" + clip(s) + "”" }
