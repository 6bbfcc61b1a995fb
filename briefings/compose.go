package briefings

import (
	"slices"
	"strings"
)

// composer builds an Answer, keeping track of the sources it cites.
type composer struct {
	b      *Briefing
	a      Answer
	cited  map[string]bool
	quoted map[string]bool // quotes already in the answer: each appears once
	// leadOnly composes the lead and brief alone; skipped is set when a
	// section of the full card was left out.
	leadOnly, skipped bool
}

func (b *Briefing) compose(kind, title string) *composer {
	return &composer{b: b, a: Answer{Kind: kind, Title: title}, cited: map[string]bool{}, quoted: map[string]bool{}, leadOnly: b.leadOnly}
}

// quote turns one piece of evidence into an attributed quote, citing its
// source and remembering it, so it is not repeated.
func (c *composer) quote(e Evidence) Quote {
	c.cite(e.Source)
	c.quoted[c.key(e.Quote)] = true
	text, ok := c.b.index.displayOf[e.Quote]
	if !ok {
		text = displayQuote(e.Quote)
	}
	return Quote{Text: text, Attribution: c.b.Attribution(e), Basis: e.Basis, SourceID: e.Source}
}

func (c *composer) cite(id string) {
	if c.cited[id] {
		return
	}
	s, ok := c.b.sourceByID[id]
	if !ok {
		return
	}
	c.cited[id] = true
	c.a.Sources = append(c.a.Sources, SourceRef{ID: s.ID, Outlet: s.Outlet, Title: s.Title, Date: s.Date, Kind: s.Kind, URL: s.URL})
}

// quotes turns evidence into attributed quotes, citing their sources;
// quotes the answer already shows are left out.
func (c *composer) quotes(ev []Evidence) []Quote {
	if c.lean() {
		return nil
	}
	out := make([]Quote, 0, len(ev))
	for _, e := range ev {
		c.cite(e.Source)
		if c.quoted[c.key(e.Quote)] {
			continue
		}
		out = append(out, c.quote(e))
	}
	return out
}

// citeEvidence cites the sources of the evidence.
func (c *composer) citeEvidence(ev []Evidence) {
	for _, e := range ev {
		c.cite(e.Source)
	}
}

// item is a bullet resting on the given evidence.
func (c *composer) item(text string, ev []Evidence) Item {
	it := Item{Text: text}
	for _, e := range ev {
		c.cite(e.Source)
		if !slices.Contains(it.Sources, e.Source) {
			it.Sources = append(it.Sources, e.Source)
		}
	}
	return it
}

// lean reports whether the full card is being left out: a lean briefing
// composes only the lead of an answer that has one.
func (c *composer) lean() bool { return c.leadOnly && len(c.a.Lead) > 0 }

func (c *composer) section(s Section) {
	if c.lean() {
		c.skipped = true
		return
	}
	c.a.Sections = append(c.a.Sections, s)
}

func (c *composer) next(q ...string) {
	for _, s := range q {
		if !slices.Contains(c.a.Next, s) {
			c.a.Next = append(c.a.Next, s)
		}
	}
}

func (c *composer) note(s string) { c.a.Notes = append(c.a.Notes, s) }

func (c *composer) answer() Answer {
	if c.skipped {
		c.a.More = true
	}
	return c.a
}

// displayQuote tidies a verbatim quote for display: white space collapsed,
// and the comma that ends a quotation inside a sentence ("…on the ground,"
// said Macron) dropped.
func displayQuote(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	return strings.TrimRight(q, ", ;")
}

// Attribution says, exactly, whose words a piece of evidence holds and who
// reports them: the speaker, the outlet that relayed them, the source that
// carries them, or the source's own assessment.
func (b *Briefing) Attribution(e Evidence) string {
	src := b.sourceByID[e.Source]
	srcName, label := e.Source, e.Source
	if src != nil {
		srcName, label = src.Outlet, src.Label()
	}
	by := ""
	if a, ok := b.actorByID[e.By]; ok {
		by = a.Name
	}
	via, relay := "", ""
	if o, ok := b.outletByID[e.Via]; ok {
		via, relay = o.Name, o.Relay
		if relay == "" {
			relay = "as quoted by " + o.Name
		}
	}
	var s string
	switch e.Basis {
	case BasisQuote:
		s = by
		if relay != "" {
			s += ", " + relay
		}
		s += ", in " + label
	case BasisAccount:
		s = by + "'s account"
		if relay != "" {
			s += ", " + relay
		}
		s += ", as reported by " + label
	case BasisAnalysis:
		s = srcName + "'s own assessment (" + label + ")"
	default: // BasisReport
		switch {
		case by != "" && via != "":
			s = label + ", reporting " + by + " (" + relay + ")"
		case by != "":
			s = label + ", reporting " + by
		case via != "":
			s = label + ", reporting " + via
		default:
			s = "reported by " + label
		}
	}
	if e.Note != "" {
		s += " (" + e.Note + ")"
	}
	return s
}

func (e *Event) displayDate() string {
	if e.When != "" {
		return e.When
	}
	return e.Date
}

// clip cuts user text echoed in an answer to a readable length.
func clip(s string) string { return shorten(strings.TrimSpace(s), 80) }
