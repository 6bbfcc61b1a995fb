package briefings

import (
	"fmt"
	"strings"
)

// Page sizes of the list answers: what one chat message shows.
const (
	ActorsPerPage   = 10
	OptionsPerPage  = 10
	SourcesPerPage  = 5
	TimelinePerPage = 10
)

// Choice is an item of a list answer a platform can offer in a menu: its
// label and the query that answers it.
type Choice struct {
	Label string `json:"label"`
	Query string `json:"query"`
}

// pageRange returns the slice bounds of page (1-based; clamped) of n items,
// size per page, and the number of pages.
func pageRange(n, size, page int) (lo, hi, p, pages int) {
	pages = max(1, (n+size-1)/size)
	p = min(max(page, 1), pages)
	lo = min((p-1)*size, n)
	hi = min(lo+size, n)
	return lo, hi, p, pages
}

// paged marks an answer as page p of pages.
func (c *composer) paged(p, pages int) {
	if pages > 1 {
		c.a.Page, c.a.Pages = p, pages
	}
}

// listPage composes page p of items in sections by heading (items
// already ordered so that a heading's items are together), each item with
// its line and the choice that opens it.
func listPage[T any](c *composer, items []T, size, page int, heading func(T) string, line func(T) (string, Choice)) []T {
	lo, hi, p, pages := pageRange(len(items), size, page)
	c.paged(p, pages)
	var s *Section
	for _, it := range items[lo:hi] {
		if s == nil || s.Heading != heading(it) {
			if s != nil {
				c.section(*s)
			}
			s = &Section{Heading: heading(it)}
		}
		text, choice := line(it)
		s.Items = append(s.Items, Item{Text: text})
		c.a.Choices = append(c.a.Choices, choice)
	}
	if s != nil {
		c.section(*s)
	}
	return items[lo:hi]
}

// ActorsPage lists the actors, people first, ActorsPerPage at a time; the
// page's actors are offered as choices.
func (b *Briefing) ActorsPage(page int) Answer {
	c := b.compose("actors", "Actors in the briefing")
	ordered := b.actorsListed
	heading := map[string]string{"person": "People", "collective": "Governments and organisations"}
	shown := listPage(c, ordered, ActorsPerPage, page, func(a *Actor) string { return heading[a.Kind] }, func(a *Actor) (string, Choice) {
		return fmt.Sprintf("%s (%s): %s; %s", a.Name, a.ID, a.Role, countPositions(len(b.PositionsOf(a.ID)))),
			Choice{Label: a.Name, Query: "actor " + a.ID}
	})
	if len(shown) > 0 {
		c.next("actor " + shown[0].ID)
	}
	return c.answer()
}

func kindRank(kind string) int {
	if kind == "person" {
		return 0
	}
	return 1
}

// OptionsPage lists the options, then the issues bearing on them,
// OptionsPerPage at a time; the page's options are offered as choices.
func (b *Briefing) OptionsPage(page int) Answer {
	c := b.compose("options", "Options for guaranteeing Ukraine's security")
	ordered := b.optionsListed
	heading := map[string]string{KindOption: "Options", KindIssue: "Issues bearing on them"}
	shown := listPage(c, ordered, OptionsPerPage, page, func(o *Option) string { return heading[o.Kind] }, func(o *Option) (string, Choice) {
		return fmt.Sprintf("%s (%s): %s", o.Name, o.ID, countPositions(len(b.PositionsOn(o.ID)))),
			Choice{Label: o.Name, Query: "option " + o.ID}
	})
	if len(shown) > 0 {
		c.next("option " + shown[0].ID)
	}
	return c.answer()
}

func optRank(kind string) int {
	if kind == KindOption {
		return 0
	}
	return 1
}

// MatrixPage shows who stands where: one option per page (page p is the
// p-th option), or, with focus, the page of the option it names, or the
// stances of the actor it names on every option. The options are offered
// as choices.
func (b *Briefing) MatrixPage(page int, focus string) Answer {
	c := b.compose("matrix", "Who stands where")
	var labels []string
	for _, s := range Stances() {
		labels = append(labels, s.Label())
	}
	if strings.TrimSpace(focus) != "" {
		if ref, note, ok := b.resolve(focus, EntityOption); ok {
			page = b.optionAt[ref.id] + 1
			if note != "" {
				c.note(note)
			}
		} else if ref, note, ok := b.resolve(focus, EntityActor); ok {
			a := b.actorByID[ref.id]
			c.a.Title = "Where " + a.Name + " stands"
			if note != "" {
				c.note(note)
			}
			var fields []Field
			for _, p := range b.PositionsOf(a.ID) {
				fields = append(fields, Field{Label: b.optionByID[p.Option].Name, Value: p.Stance.Label()})
				c.citeEvidence(p.Evid)
			}
			if len(fields) == 0 {
				c.a.Intro = "The sources record no position of " + a.Name + " on any option."
			} else {
				c.a.Intro = "Stances of " + a.Name + " recorded in the briefing (" + strings.Join(labels, ", ") + ")."
				c.section(Section{Heading: a.Name, Fields: fields})
			}
			c.next("actor "+a.ID, "matrix")
			return c.answer()
		} else {
			return b.notFound(focus, EntityOption)
		}
	}
	c.a.Intro = "Stances recorded in the briefing, one option per page (" + strings.Join(labels, ", ") + ")."
	lo, hi, p, pages := pageRange(len(b.Options), 1, page)
	c.paged(p, pages)
	for _, o := range b.Options[lo:hi] {
		fields := b.stanceFields(o.ID)
		if len(fields) == 0 {
			fields = []Field{{Label: "no recorded positions", Value: "—"}}
		}
		for _, ps := range b.PositionsOn(o.ID) {
			c.citeEvidence(ps.Evid)
		}
		c.section(Section{Heading: o.Name, Fields: fields})
		c.next("option " + o.ID)
	}
	for _, o := range b.Options {
		c.a.Choices = append(c.a.Choices, Choice{Label: o.Name, Query: "matrix " + o.ID})
	}
	return c.answer()
}

// TimelinePage lists the dated events, oldest first, TimelinePerPage at a
// time.
func (b *Briefing) TimelinePage(page int) Answer {
	c := b.compose("timeline", "Timeline")
	lo, hi, p, pages := pageRange(len(b.Timeline), TimelinePerPage, page)
	c.paged(p, pages)
	s := Section{}
	for _, e := range b.Timeline[lo:hi] {
		s.Items = append(s.Items, c.item(e.displayDate()+": "+e.Text, e.Evid))
	}
	c.section(s)
	return c.answer()
}

// SourcesPage lists the sources, SourcesPerPage at a time.
func (b *Briefing) SourcesPage(page int) Answer {
	c := b.compose("sources", "Sources")
	lo, hi, p, pages := pageRange(len(b.Sources), SourcesPerPage, page)
	c.paged(p, pages)
	for _, s := range b.Sources[lo:hi] {
		c.cite(s.ID)
		date := s.Date
		if date == "" {
			date = s.DateNote
		}
		fields := []Field{{Label: "Outlet", Value: s.Outlet}, {Label: "Kind", Value: s.Kind}, {Label: "Date", Value: date}}
		if s.Country != "" {
			fields = append(fields, Field{Label: "Country", Value: s.Country})
		}
		if s.URL != "" {
			fields = append(fields, Field{Label: "Link", Value: s.URL})
		}
		fields = append(fields, Field{Label: "Id", Value: s.ID})
		c.section(Section{Heading: s.Title, Fields: fields})
	}
	return c.answer()
}
