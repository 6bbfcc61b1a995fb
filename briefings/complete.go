package briefings

import (
	"sort"
	"strings"
)

// Completion is a suggested name for autocomplete: what to show and the
// value to send back (an id).
type Completion struct {
	Name  string
	Value string
}

// Complete suggests up to n actors (kind EntityActor) or options
// (EntityOption) for what a user has typed so far, ranked by the matching
// the queries use: a name or alias that starts with the text, then one with
// a word that does, then one that contains it, then the closest name by
// typo. With nothing typed it lists them in briefing order.
func (b *Briefing) Complete(kind EntityKind, typed string, n int) []Completion {
	type entry struct {
		id, name string
		names    []string
	}
	var entries []entry
	switch kind {
	case EntityActor:
		for _, a := range b.Actors {
			entries = append(entries, entry{a.ID, a.Name, append([]string{a.Name}, a.names()...)})
		}
	case EntityOption:
		for _, o := range b.Options {
			entries = append(entries, entry{o.ID, o.Name, append([]string{o.Name, o.ID}, o.Aliases...)})
		}
	default:
		return nil
	}
	q := strings.ToLower(strings.TrimSpace(typed))
	// The closest name by typo, worked out once for every entry.
	typo, _, typoOK := b.resolve(typed, kind)
	score := func(e entry) int {
		if q == "" {
			return 1
		}
		best := 0
		for _, name := range e.names {
			l := strings.ToLower(name)
			switch {
			case strings.HasPrefix(l, q):
				best = max(best, 4)
			case strings.Contains(" "+l, " "+q):
				best = max(best, 3)
			case strings.Contains(l, q):
				best = max(best, 2)
			}
		}
		if best == 0 {
			if typoOK && typo.id == e.id {
				best = 1
			}
		}
		return best
	}
	type scored struct {
		e     entry
		s, at int
	}
	var out []scored
	for i, e := range entries {
		if s := score(e); s > 0 {
			out = append(out, scored{e, s, i})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].s > out[j].s })
	var res []Completion
	for i := 0; i < len(out) && len(res) < n; i++ {
		res = append(res, Completion{Name: shorten(out[i].e.name, 100), Value: out[i].e.id})
	}
	return res
}
