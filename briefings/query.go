package briefings

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxQuestionWords bounds the words of a question that are looked at; the
// rest are ignored, so that no input can make matching slow.
const MaxQuestionWords = 64

// OverviewAnswer is the bottom line up front, the state of play and the open
// questions.
func (b *Briefing) OverviewAnswer() Answer {
	c := b.compose("overview", "Security guarantees for Ukraine after a ceasefire")
	o := &b.Overview
	c.claimOn("Bottom line: "+o.BottomLine.Text, o.BottomLine.Text, o.BottomLine.Evid, "")
	sp := Section{Heading: "State of play"}
	for _, p := range o.StateOfPlay {
		sp.Items = append(sp.Items, c.item(p.Text, p.Evid))
	}
	c.section(sp)
	oq := Section{Heading: "Open questions"}
	for _, p := range o.OpenQuestions {
		oq.Items = append(oq.Items, c.item(p.Text, p.Evid))
	}
	c.section(oq)
	c.next("actors", "options", "matrix", "timeline")
	return c.answer()
}

// ActorsAnswer is the first page of ActorsPage.
func (b *Briefing) ActorsAnswer() Answer { return b.ActorsPage(1) }

// OptionsAnswer is the first page of OptionsPage.
func (b *Briefing) OptionsAnswer() Answer { return b.OptionsPage(1) }

func countPositions(n int) string {
	switch n {
	case 0:
		return "no recorded positions"
	case 1:
		return "1 recorded position"
	}
	return fmt.Sprintf("%d recorded positions", n)
}

// ActorAnswer answers `actor NAME`: the actor's role, summary and position
// on each option, with quotes and sources; or a clear "not covered" with
// the closest actors when the name matches none.
func (b *Briefing) ActorAnswer(name string) Answer {
	if strings.TrimSpace(name) == "" {
		return b.ActorsAnswer()
	}
	ref, note, ok := b.resolve(name, EntityActor)
	if !ok {
		return b.notFound(name, EntityActor)
	}
	a := b.actorByID[ref.id]
	c := b.compose("actor", a.Name)
	if note != "" {
		c.note(note)
	}
	b.actorLead(c, a)
	b.actorCard(c, a)
	return c.answer()
}

func (b *Briefing) actorCard(c *composer, a *Actor) {
	if c.lean() {
		c.skipped = true
		if ps := b.PositionsOf(a.ID); len(ps) > 0 {
			c.next("option " + ps[0].Option)
		}
		c.next("actors", "matrix")
		return
	}
	fields := []Field{{Label: "Role", Value: a.Role}}
	var parts []string
	for _, m := range a.Member {
		parts = append(parts, b.actorByID[m].Name)
	}
	if len(parts) > 0 {
		fields = append(fields, Field{Label: "Part of", Value: strings.Join(parts, ", ")})
	}
	var voices []string
	for _, id := range b.voicesOf[a.ID] {
		voices = append(voices, b.actorByID[id].Name)
	}
	if len(voices) > 0 {
		fields = append(fields, Field{Label: "Voices in the briefing", Value: strings.Join(voices, ", ")})
	}
	c.section(Section{Heading: "Who", Fields: fields})
	c.section(Section{Heading: "Summary", Text: a.Summary, Quotes: c.quotes(a.Evid)})
	positions := b.PositionsOf(a.ID)
	for _, p := range positions {
		o := b.optionByID[p.Option]
		c.section(Section{Heading: "On " + o.Name + ": " + p.StanceHistory(), Text: p.Summary, Quotes: c.quotes(p.Evid)})
	}
	if len(positions) == 0 {
		c.section(Section{Heading: "Positions", Text: "Neither source records a position of " + a.Name + " on any option."})
	}
	if len(positions) > 0 {
		c.next("option " + positions[0].Option)
	}
	c.next("actors", "matrix")
}

// OptionAnswer answers `option NAME`: what it is, its variants, who backs
// or rejects it (with quotes), its open questions and related options.
func (b *Briefing) OptionAnswer(name string) Answer {
	if strings.TrimSpace(name) == "" {
		return b.OptionsAnswer()
	}
	ref, note, ok := b.resolve(name, EntityOption)
	if !ok {
		return b.notFound(name, EntityOption)
	}
	o := b.optionByID[ref.id]
	c := b.compose("option", o.Name)
	if note != "" {
		c.note(note)
	}
	b.optionLead(c, o)
	b.optionCard(c, o)
	return c.answer()
}

func (b *Briefing) optionCard(c *composer, o *Option) {
	if c.lean() {
		c.skipped = true
		for _, id := range o.Related {
			c.next("option " + id)
		}
		c.next("options", "matrix")
		return
	}
	c.section(Section{Heading: "What it is", Text: o.Summary, Quotes: c.quotes(o.Evid)})
	if len(o.Variants) > 0 {
		s := Section{Heading: "Variants"}
		for _, v := range o.Variants {
			s.Items = append(s.Items, c.item(v.Text, v.Evid))
		}
		c.section(s)
	}
	positions := b.PositionsOn(o.ID)
	if len(positions) == 0 {
		c.section(Section{Heading: "Who backs or rejects it", Text: "Neither source attributes a position on this to a named actor."})
	}
	for _, p := range positions {
		a := b.actorByID[p.Actor]
		c.section(Section{Heading: a.Name + ": " + p.StanceHistory(), Text: p.Summary, Quotes: c.quotes(p.Evid)})
	}
	if len(o.OpenQuestions) > 0 {
		s := Section{Heading: "Open questions"}
		for _, q := range o.OpenQuestions {
			s.Items = append(s.Items, c.item(q.Text, q.Evid))
		}
		c.section(s)
	}
	if len(o.Related) > 0 {
		s := Section{Heading: "Related"}
		for _, id := range o.Related {
			r := b.optionByID[id]
			s.Items = append(s.Items, c.item(r.Name+": "+r.Summary, r.Evid))
			c.next("option " + r.ID)
		}
		c.section(s)
	}
	c.next("options", "matrix")
}

// MatrixAnswer is the first page of MatrixPage.
func (b *Briefing) MatrixAnswer() Answer { return b.MatrixPage(1, "") }

// stanceFields groups the actors with a position on the option by stance.
func (b *Briefing) stanceFields(optionID string) []Field {
	var fields []Field
	ps := b.byOption[optionID] // most favourable first
	for i := 0; i < len(ps); {
		s := ps[i].Stance
		var names []string
		for ; i < len(ps) && ps[i].Stance == s; i++ {
			names = append(names, b.actorByID[ps[i].Actor].shortName())
		}
		fields = append(fields, Field{Label: s.Label(), Value: strings.Join(names, ", ")})
	}
	return fields
}

// shortName is a person's surname or a collective's name, for tables.
func (a *Actor) shortName() string {
	if a.Kind == "person" {
		if i := strings.LastIndexByte(a.Name, ' '); i >= 0 {
			return a.Name[i+1:]
		}
	}
	return a.Name
}

// TimelineAnswer is the first page of TimelinePage.
func (b *Briefing) TimelineAnswer() Answer { return b.TimelinePage(1) }

// SourcesAnswer is the first page of SourcesPage.
func (b *Briefing) SourcesAnswer() Answer { return b.SourcesPage(1) }

// DigestAnswer is the preview of the day's digest (`/guarantees digest`):
// the digest without the "what is new" part, which depends on a channel.
func (b *Briefing) DigestAnswer(day time.Time) Answer { return b.digest(day, nil, false) }

// DigestFor composes a channel's digest for the given day. seen lists the
// items its previous digest covered (see ItemKeys); first marks a channel's
// first digest. The digest says what is new since then, or in one line
// that nothing changed.
func (b *Briefing) DigestFor(day time.Time, seen []string, first bool) Answer {
	return b.digest(day, seen, !first)
}

// ItemKeys identifies the briefing's sources, positions and timeline
// entries, so a digest can tell which were added since the last one.
func (b *Briefing) ItemKeys() []string { return slices.Clone(b.itemKeys) }

func (b *Briefing) digest(day time.Time, seen []string, withNews bool) Answer {
	c := b.compose("digest", "Daily digest: security guarantees for Ukraine, "+day.Format("2 January 2006"))
	bl := b.Overview.BottomLine
	c.section(Section{Heading: "Bottom line", Items: []Item{c.item(bl.Text, bl.Evid)}})
	if withNews {
		c.section(b.news(c, seen))
	}

	// Focus: options first, then actors with positions, one per day.
	y, m, d := day.Date()
	dayNum := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	i := int(dayNum % int64(len(b.Options)+len(b.actorsWithPositions)))
	if i < len(b.Options) {
		o := b.Options[i]
		s := Section{Heading: "Focus: " + o.Name, Text: o.Summary, Fields: b.stanceFields(o.ID)}
		c.citeEvidence(o.Evid)
		c.section(s)
		c.next("option " + o.ID)
	} else {
		a := b.actorsWithPositions[i-len(b.Options)]
		s := Section{Heading: "Focus: " + a.Name, Text: a.Summary}
		for _, p := range b.PositionsOf(a.ID) {
			s.Fields = append(s.Fields, Field{Label: b.optionByID[p.Option].Name, Value: p.Stance.Label()})
		}
		c.citeEvidence(a.Evid)
		c.section(s)
		c.next("actor " + a.ID)
	}

	c.section(b.glance("At a glance"))
	c.next("matrix", "timeline")
	return c.answer()
}

// newMax is how many new items a digest lists; the rest it counts, so a
// digest after a large update stays a message, not the whole briefing.
const newMax = 10

// news lists the sources, positions and timeline entries not in seen:
// moves first (the news that matters most), then new sources, positions
// and timeline entries, at most newMax of them, and counts the rest.
func (b *Briefing) news(c *composer, seen []string) Section {
	old := make(map[string]bool, len(seen))
	for _, k := range seen {
		old[k] = true
	}
	s := Section{Heading: "New since the last digest"}
	// The stance each pair held at the last digest, to name a move.
	was := map[string]Stance{}
	for _, k := range seen {
		if rest, ok := strings.CutPrefix(k, "position:"); ok {
			if i := strings.LastIndexByte(rest, '/'); i > 0 {
				was[rest[:i]] = Stance(rest[i+1:])
			}
		}
	}
	var moves, added []*Position
	for _, p := range b.Positions {
		if old[p.key] {
			continue
		}
		if prev, ok := was[p.Actor+"/"+p.Option]; ok && prev != p.Stance {
			moves = append(moves, p)
		} else {
			added = append(added, p)
		}
	}
	// b.itemKeys lists the sources, then the positions, then the events.
	var sources []*Source
	for i, src := range b.Sources {
		if !old[b.itemKeys[i]] {
			sources = append(sources, src)
		}
	}
	var events []*Event
	for i, e := range b.Timeline {
		if !old[b.itemKeys[len(b.Sources)+len(b.Positions)+i]] {
			events = append(events, e)
		}
	}
	room := newMax
	var hidden []string
	take := func(n int, one, many string) int {
		k := min(n, room)
		room -= k
		switch n - k {
		case 0:
		case 1:
			hidden = append(hidden, "1 "+one)
		default:
			hidden = append(hidden, fmt.Sprintf("%d %s", n-k, many))
		}
		return k
	}
	moves = moves[:take(len(moves), "move", "moves")]
	sources = sources[:take(len(sources), "source", "sources")]
	added = added[:take(len(added), "position", "positions")]
	events = events[:take(len(events), "timeline entry", "timeline entries")]
	for _, p := range moves {
		who := b.actorByID[p.Actor].Name + " on " + b.optionByID[p.Option].Name
		text := "Changed: " + who + ", from " + was[p.Actor+"/"+p.Option].Label() + " to " + p.Stance.Label()
		if p.date != "" {
			text += " (since " + p.date + ")"
		}
		s.Items = append(s.Items, c.item(text+". "+p.Summary, p.Evid))
	}
	for _, src := range sources {
		s.Items = append(s.Items, Item{Text: "New source: " + src.Label() + ": " + src.Title, Sources: []string{src.ID}})
		c.cite(src.ID)
	}
	for _, p := range added {
		who := b.actorByID[p.Actor].Name + " on " + b.optionByID[p.Option].Name
		s.Items = append(s.Items, c.item("Position: "+who+", "+p.StanceHistory()+". "+p.Summary, p.Evid))
	}
	for _, e := range events {
		s.Items = append(s.Items, c.item("Timeline, "+e.displayDate()+": "+e.Text, e.Evid))
	}
	if len(hidden) > 0 {
		s.Text = "Also new, not listed here: " + strings.Join(hidden, ", ") + ". The sources, matrix and timeline have them all."
	}
	if len(s.Items) == 0 {
		s.Text = "Nothing has changed in the briefing since the last digest."
	}
	return s
}

// resolve finds the entity of the given kind a name refers to: by exact
// name or alias, by a name found inside the text, or by the words of a
// name ("kaja"), reading typos as the closest name. The note says how a
// typo was read.
func (b *Briefing) resolve(name string, kind EntityKind) (entityRef, string, bool) {
	toks := analyze(name)
	if len(toks) > MaxQuestionWords {
		toks = toks[:MaxQuestionWords]
	}
	if len(toks) == 0 {
		return entityRef{}, "", false
	}
	ix := b.index
	fixed := ix.fix(toks)
	found, _ := ix.mentionsFixed(toks, fixed)
	for _, m := range found {
		if m.ref.kind == kind {
			return m.ref, b.typoNote(m), true
		}
	}
	if refs := ix.byWords(fixed, kind); len(refs) == 1 {
		return refs[0], "", true
	}
	return entityRef{}, "", false
}

func (b *Briefing) typoNote(m mention) string {
	if !m.fixed {
		return ""
	}
	return fmt.Sprintf("Read %q as %s.", m.typed, b.refName(m.ref))
}

func (b *Briefing) refName(r entityRef) string {
	switch r.kind {
	case EntityActor:
		return b.actorByID[r.id].Name
	case EntityOption:
		return b.optionByID[r.id].Name
	case EntityOutlet:
		return b.outletByID[r.id].Name
	}
	return r.id
}

func (b *Briefing) refQuery(r entityRef) string {
	switch r.kind {
	case EntityActor:
		return "actor " + r.id
	case EntityOption:
		return "option " + r.id
	}
	return b.outletByID[r.id].Name
}

// notFound says clearly that the briefing does not cover what was asked,
// and offers the closest names it does cover.
func (b *Briefing) notFound(asked string, kind EntityKind) Answer {
	what := map[EntityKind]string{EntityActor: "actor", EntityOption: "option"}[kind]
	c := b.compose("notfound", "Not covered: "+clip(asked))
	c.a.NotFound = true
	toks := analyze(asked)
	if len(toks) > MaxQuestionWords {
		toks = toks[:MaxQuestionWords]
	}
	if what != "" {
		c.a.Intro = fmt.Sprintf("The briefing has no %s matching %q. It covers only what its sources report, and never guesses beyond them.", what, clip(asked))
		// The name may belong to the other kind: "actor troops".
		other := map[EntityKind]EntityKind{EntityActor: EntityOption, EntityOption: EntityActor}[kind]
		if ref, _, ok := b.resolve(asked, other); ok {
			c.section(Section{Heading: "Did you mean", Items: []Item{{Text: b.refName(ref) + ": try " + b.refQuery(ref)}}})
			c.next(b.refQuery(ref))
			return c.answer()
		}
	} else {
		c.a.Intro = fmt.Sprintf("The briefing does not cover %q: nothing in it or in its sources matches. It never guesses beyond its sources.", clip(asked))
	}
	kinds := []EntityKind{EntityActor, EntityOption}
	if kind != 0 {
		kinds = []EntityKind{kind}
	}
	if refs := b.index.suggest(toks, 3, kinds...); len(refs) > 0 {
		s := Section{Heading: "Closest matches"}
		for _, r := range refs {
			s.Items = append(s.Items, Item{Text: b.refName(r) + ": try " + b.refQuery(r)})
			c.next(b.refQuery(r))
		}
		c.section(s)
	}
	switch kind {
	case EntityActor:
		c.next("actors")
	case EntityOption:
		c.next("options")
	default:
		c.next("actors", "options", "help")
	}
	return c.answer()
}
