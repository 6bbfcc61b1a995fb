package briefings

import (
	"fmt"
	"slices"
	"strings"
)

// glanceMax is how many options a glance lists; the rest it counts.
const glanceMax = 12

// glance is the matrix in brief: one line per option with recorded
// positions, naming who holds each stance, for the first glanceMax such
// options.
func (b *Briefing) glance(heading string) Section {
	at := Section{Heading: heading}
	more := 0
	for _, o := range b.Options {
		if len(at.Items) == glanceMax {
			if len(b.byOption[o.ID]) > 0 {
				more++
			}
			continue
		}
		var parts []string
		for _, fl := range b.stanceFields(o.ID) {
			parts = append(parts, fl.Label+": "+fl.Value)
		}
		if len(parts) > 0 {
			at.Items = append(at.Items, Item{Text: o.Name + " | " + strings.Join(parts, "; ")})
		}
	}
	if more > 0 {
		at.Text = fmt.Sprintf("%d more options have positions: see the matrix.", more)
	}
	return at
}

// HomeAnswer is what a user's home view shows of the briefing: the bottom
// line, the matrix in brief, and what changed. prev lists the items
// (ItemKeys) of the briefing this one replaced; nil when no earlier
// version is known, and then "what changed" is what the newest source
// brought.
func (b *Briefing) HomeAnswer(prev []string) Answer {
	c := b.compose("home", "briefbot: security guarantees for Ukraine")
	bl := b.Overview.BottomLine
	c.section(Section{Heading: "Bottom line", Items: []Item{c.item(bl.Text, bl.Evid)}})
	c.section(b.glance("The matrix in brief"))
	if prev != nil {
		s := b.news(c, prev)
		s.Heading = "Changed in the last briefing update"
		if len(s.Items) == 0 {
			s.Text = "The last update changed no source, position or timeline entry."
		}
		c.section(s)
	} else {
		c.section(b.newest(c))
	}
	c.next("matrix", "options", "actors", "timeline", "sources", "digest")
	return c.answer()
}

// newest is what the most recently dated source brought: its positions
// and timeline entries.
func (b *Briefing) newest(c *composer) Section {
	var src *Source
	for _, s := range b.Sources {
		if s.Date != "" && (src == nil || s.Date > src.Date) {
			src = s
		}
	}
	s := Section{Heading: "Newest in the briefing"}
	if src == nil {
		s.Text = "No source is dated."
		return s
	}
	c.cite(src.ID)
	s.Text = "The newest source is " + src.Label() + ": " + strings.TrimRight(src.Title, ".") + "."
	if strings.HasSuffix(src.Title, "?") || strings.HasSuffix(src.Title, "!") {
		s.Text = "The newest source is " + src.Label() + ": " + src.Title
	}
	cites := func(ev []Evidence) bool {
		return slices.ContainsFunc(ev, func(e Evidence) bool { return e.Source == src.ID })
	}
	for _, p := range b.Positions {
		if cites(p.Evid) {
			s.Items = append(s.Items, Item{Text: b.actorByID[p.Actor].Name + " on " + b.optionByID[p.Option].Name + ": " + p.Stance.Label() + "."})
		}
	}
	for _, e := range b.Timeline {
		if cites(e.Evid) {
			s.Items = append(s.Items, Item{Text: "Timeline, " + e.displayDate() + ": " + e.Text})
		}
	}
	if len(s.Items) > MaxNewest {
		more := len(s.Items) - MaxNewest
		s.Items = append(s.Items[:MaxNewest], Item{Text: fmt.Sprintf("+%d more: see matrix and timeline.", more)})
	}
	return s
}

// MaxNewest is how many items the home view lists from the newest source.
const MaxNewest = 8
