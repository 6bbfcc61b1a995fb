package briefings

import (
	"fmt"
	"slices"
)

// Observation is a stance an actor is seen taking on an option in a
// source of a given date: what an ingested article adds to a position.
type Observation struct {
	Actor, Option string
	Stance        Stance
	// Date is the date of the source the evidence is from, YYYY-MM-DD.
	Date     string
	Summary  string
	Evidence []Evidence
}

// ChangeKind says what recording an observation did to a position.
type ChangeKind string

// What RecordStance can do.
const (
	// Added: the briefing had no position of the actor on the option.
	Added ChangeKind = "added"
	// Confirmed: the same stance, shown again; the evidence is added.
	Confirmed ChangeKind = "confirmed"
	// Changed: a newer stance; the old one moves to the history.
	Changed ChangeKind = "changed"
	// Earlier: the observation is older than the current stance and
	// differs from it; it goes into the history in date order.
	Earlier ChangeKind = "earlier"
)

// StanceChange reports what RecordStance did.
type StanceChange struct {
	Kind ChangeKind
	// From is the stance before (empty when Added); To the current one.
	From, To Stance
	Since    string
}

// RecordStance records an observation in a list of positions and returns
// the list with it (the input is not modified; untouched positions are
// shared):
//
//   - no position of the actor on the option: a new one is appended, with
//     Since set to the observation's date;
//   - the same stance as the current one: its evidence is added (quotes
//     it already cites are not repeated) and Since becomes the earlier of
//     the two dates;
//   - a different stance, dated after the current one: the current stance
//     (its stance, date, summary and evidence) moves to the end of History
//     and the observation becomes the position;
//   - a different stance dated before it: the observation goes into
//     History in date order (merged with an entry of the same date and
//     stance).
//
// The result still has to pass Load's validation, which checks the dates
// against the sources and every quote against its source's text; the
// ingest and review code writes it to positions.yaml and loads the
// directory to check it.
func RecordStance(positions []*Position, ob Observation) ([]*Position, StanceChange, error) {
	if !ob.Stance.valid() {
		return nil, StanceChange{}, fmt.Errorf("record stance: stance %q must be one of %s", ob.Stance, stanceList())
	}
	if _, err := parseDate(ob.Date); err != nil || len(ob.Date) != len("2006-01-02") {
		return nil, StanceChange{}, fmt.Errorf("record stance: date %q must be YYYY-MM-DD", ob.Date)
	}
	if ob.Actor == "" || ob.Option == "" || len(ob.Evidence) == 0 {
		return nil, StanceChange{}, fmt.Errorf("record stance: an observation needs an actor, an option and evidence")
	}
	out := slices.Clone(positions)
	i := slices.IndexFunc(out, func(p *Position) bool { return p.Actor == ob.Actor && p.Option == ob.Option })
	if i < 0 {
		out = append(out, &Position{Actor: ob.Actor, Option: ob.Option, Stance: ob.Stance, Since: ob.Date,
			Summary: ob.Summary, Evid: slices.Clone(ob.Evidence)})
		return out, StanceChange{Kind: Added, To: ob.Stance, Since: ob.Date}, nil
	}
	p := *out[i] // a copy: the caller's position stays as it was
	p.Evid, p.History = slices.Clone(p.Evid), slices.Clone(p.History)
	out[i] = &p
	cur := p.Since
	if cur == "" {
		cur = p.date
	}
	switch {
	case ob.Stance == p.Stance:
		p.Evid = addEvidence(p.Evid, ob.Evidence)
		if cur == "" || ob.Date < cur {
			cur = ob.Date
		}
		p.Since = cur
		return out, StanceChange{Kind: Confirmed, From: p.Stance, To: p.Stance, Since: cur}, nil
	case cur == "" || ob.Date > cur:
		p.History = append(p.History, PastStance{Stance: p.Stance, Since: cur, Summary: p.Summary, Evid: p.Evid})
		from := p.Stance
		p.Stance, p.Since, p.Summary, p.Evid = ob.Stance, ob.Date, ob.Summary, slices.Clone(ob.Evidence)
		return out, StanceChange{Kind: Changed, From: from, To: ob.Stance, Since: ob.Date}, nil
	}
	// Older than the current stance: history, oldest first.
	at := len(p.History)
	for k, h := range p.History {
		d := h.Since
		if d == "" {
			d = h.date
		}
		if d == ob.Date && h.Stance == ob.Stance {
			p.History[k].Evid = addEvidence(slices.Clone(h.Evid), ob.Evidence)
			return out, StanceChange{Kind: Earlier, From: p.Stance, To: p.Stance, Since: cur}, nil
		}
		if d > ob.Date {
			at = k
			break
		}
	}
	p.History = slices.Insert(p.History, at, PastStance{Stance: ob.Stance, Since: ob.Date, Summary: ob.Summary, Evid: slices.Clone(ob.Evidence)})
	return out, StanceChange{Kind: Earlier, From: p.Stance, To: p.Stance, Since: cur}, nil
}

// addEvidence appends the evidence whose quotes ev does not already cite
// from the same source.
func addEvidence(ev, more []Evidence) []Evidence {
	for _, e := range more {
		if !slices.ContainsFunc(ev, func(x Evidence) bool { return x.Source == e.Source && quoteKey(x.Quote) == quoteKey(e.Quote) }) {
			ev = append(ev, e)
		}
	}
	return ev
}
