package briefings

import (
	"fmt"
	"slices"
	"strings"
)

// Ask answers a question in plain words. It finds the actors and options
// the question names (by name, alias, possessive or typo) and answers:
//   - an actor and an option: the actor's position on the option;
//   - one actor: the actor's card, led by the passages most relevant to the
//     rest of the question; several actors: their stances side by side;
//   - an option: the option's card;
//   - an outlet: what the sources cite from it;
//   - nothing named: the best passages of the briefing and its sources.
//
// Where nothing matches, the answer says so and suggests the closest names.
func (b *Briefing) Ask(question string) Answer {
	toks := analyze(question)
	if len(toks) > MaxQuestionWords {
		toks = toks[:MaxQuestionWords]
	}
	if len(toks) == 0 {
		return b.notFound(question, 0)
	}
	found, rest := b.index.mentions(toks)
	var actors, options, outlets []entityRef
	var notes []string
	for _, m := range found {
		list := map[EntityKind]*[]entityRef{EntityActor: &actors, EntityOption: &options, EntityOutlet: &outlets}[m.ref.kind]
		if !slices.Contains(*list, m.ref) {
			*list = append(*list, m.ref)
			if n := b.typoNote(m); n != "" {
				notes = append(notes, n)
			}
		}
	}
	// Ukraine is the background of nearly every question: when another
	// actor is named, the question is about that one.
	if len(actors) > 1 {
		if kept := slices.DeleteFunc(slices.Clone(actors), func(r entityRef) bool { return b.actorByID[r.id].Context }); len(kept) > 0 {
			actors = kept
		}
	}
	// Likewise "who would send soldiers to Ukraine" asks about the option,
	// unless the briefing records Ukraine's own position on it.
	if len(options) > 0 && b.onlyContext(actors) && !b.anyPosition(actors, options) {
		actors = nil
	}
	var a Answer
	switch {
	case len(actors) > 0 && len(options) > 0:
		a = b.pairs(actors, options)
	case len(actors) == 1:
		a = b.actorFocus(b.actorByID[actors[0].id], rest)
	case len(actors) > 1:
		a = b.compare(actors)
	case len(options) > 0:
		c := b.compose("option", b.optionByID[options[0].id].Name)
		b.optionCard(c, b.optionByID[options[0].id])
		for _, o := range options[1:] {
			c.next("option " + o.id)
		}
		a = c.answer()
	case len(outlets) > 0:
		a = b.reportedBy(outlets[0])
	default:
		a = b.searchAnswer(question, toks)
	}
	a.Notes = append(notes, a.Notes...)
	return a
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

// pairs answers an actor-and-option question with each recorded position.
// Where the actor has none of its own, the position of the government it
// belongs to (or of its members) is shown and labelled as such.
func (b *Briefing) pairs(actors, options []entityRef) Answer {
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
				missing = append(missing, fmt.Sprintf("Neither source records a position of %s on %s: not covered.", a.Name, o.Name))
				continue
			}
			pa := b.actorByID[p.Actor]
			heading := pa.Name + " on " + o.Name + ": " + p.Stance.Label()
			if label != "" {
				heading += " (" + label + ")"
			}
			if shown == 0 {
				c.a.Title = a.Name + " on " + o.Name
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
		c.a.Intro = strings.Join(missing, " ")
		if fields := b.stanceFields(o.ID); len(fields) > 0 {
			c.section(Section{Heading: "Recorded stances on " + o.Name, Fields: fields})
		}
		var fields []Field
		for _, p := range b.PositionsOf(a.ID) {
			fields = append(fields, Field{Label: b.optionByID[p.Option].Name, Value: p.Stance.Label()})
		}
		if len(fields) > 0 {
			c.section(Section{Heading: a.Name + "'s recorded positions", Fields: fields})
		}
		c.next("actor "+a.ID, "option "+o.ID)
		return c.answer()
	}
	if len(missing) > 0 {
		var items []Item
		for _, m := range missing {
			items = append(items, Item{Text: m})
		}
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
	for _, other := range b.Actors {
		if slices.Contains(other.Member, a.ID) {
			if p, ok := b.Position(other.ID, optionID); ok {
				return p, "speaking for " + a.Name
			}
		}
	}
	return nil, ""
}

// actorFocus is the actor's card, led by the passages about the actor that
// best match the rest of the question ("what did zelensky say about paper").
func (b *Briefing) actorFocus(a *Actor, rest []token) Answer {
	c := b.compose("actor", a.Name)
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
		c.a.Sections = append(c.a.Sections, best...)
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
	for _, o := range b.Options {
		var fields []Field
		for _, r := range actors {
			if p, ok := b.Position(r.id, o.ID); ok {
				fields = append(fields, Field{Label: b.actorByID[r.id].Name, Value: p.Stance.Label() + ": " + p.Summary})
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

// reportedBy lists what the sources cite from an outlet.
func (b *Briefing) reportedBy(r entityRef) Answer {
	o := b.outletByID[r.id]
	c := b.compose("outlet", "What the sources cite from "+o.Name)
	seen := map[string]bool{}
	for i := range b.index.docs {
		d := &b.index.docs[i]
		for _, e := range d.evid {
			if e.Via != o.ID || seen[e.Quote] {
				continue
			}
			seen[e.Quote] = true
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
	for _, h := range hits {
		if h.doc.sourceID != "" {
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
