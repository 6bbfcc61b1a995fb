// Package briefings is the domain of briefbot: the sources a briefing rests
// on, the actors and options it covers, each actor's stance on each option,
// a dated timeline, and the evidence (a verbatim quote from a source) behind
// every claim. It loads and validates a briefing, matches names and plain
// questions against it, and composes platform-neutral answers.
//
// The package does no network I/O, knows nothing of Slack or Discord, and
// has no clock of its own: where time matters it is passed in.
package briefings

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Briefing is a loaded, validated briefing. It is immutable after Load and
// safe for concurrent use.
type Briefing struct {
	Overview  Overview
	Sources   []*Source
	Outlets   []*Outlet
	Actors    []*Actor
	Options   []*Option
	Positions []*Position
	Timeline  []*Event

	sourceByID map[string]*Source
	outletByID map[string]*Outlet
	actorByID  map[string]*Actor
	optionByID map[string]*Option
	index      *index
	// Positions by actor (briefing order), by option (most favourable
	// first) and by pair; the actors who speak for each collective
	// (part_of), in briefing order; the actors and options in list order.
	byActor       map[string][]*Position
	byOption      map[string][]*Position
	byPair        map[[2]string]*Position
	itemKeys      []string // ItemKeys, worked out at load
	voicesOf      map[string][]string
	actorsListed  []*Actor
	optionsListed []*Option
	optionAt      map[string]int
	// actorsWithPositions are the actors a digest may focus on.
	actorsWithPositions []*Actor
	// lean is this briefing composing short answers only; leadOnly marks
	// the lean twin.
	lean     *Briefing
	leadOnly bool
}

// Lean returns the briefing as it composes short answers: the lead and
// the brief only, with More set where the full card would say more, and
// no time spent on the full card. Its short answers equal the full
// answers' Short().
func (b *Briefing) Lean() *Briefing {
	if b.lean == nil {
		return b
	}
	return b.lean
}

// Source is one document of the corpus, stored verbatim.
type Source struct {
	ID      string `yaml:"id"`
	Outlet  string `yaml:"outlet"`
	Country string `yaml:"country,omitempty"`
	Title   string `yaml:"title"`
	// Date is the publication date, YYYY-MM-DD, when the source gives one.
	Date string `yaml:"date,omitempty"`
	// DateNote explains an absent or approximate date.
	DateNote string `yaml:"date_note,omitempty"`
	Kind     string `yaml:"kind"` // "article" or "video report"
	URL      string `yaml:"url,omitempty"`
	File     string `yaml:"file"`

	// Text is the verbatim text of the source.
	Text string `yaml:"-"`
	meta pos
	norm string // Text normalised for quote checks
}

// Label is a short human name for the source, such as "SME, 2025-08-20".
func (s *Source) Label() string {
	if s.Date != "" {
		return s.Outlet + ", " + s.Date
	}
	return s.Outlet + ", undated"
}

// DateLabel is the source's date, or "undated".
func (s *Source) DateLabel() string {
	if s.Date != "" {
		return s.Date
	}
	return "undated"
}

// Outlet is a secondary publisher or channel a source cites (a newspaper,
// a broadcaster, a social network): the "who reports it" of attribution.
type Outlet struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases,omitempty"`
	// Relay is how words relayed by the outlet are attributed ("speaking
	// to Fox News"); the default is "as quoted by NAME".
	Relay string `yaml:"relay,omitempty"`
	meta  pos
}

// Actor is a person, government or organisation the briefing covers.
type Actor struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Kind    string   `yaml:"kind"` // "person" or "collective"
	Role    string   `yaml:"role"`
	Aliases []string `yaml:"aliases,omitempty"`
	// Adjectives name the actor only when they stand for it ("the French
	// back it", "British troops"), not as a mere modifier ("Russian
	// attacks").
	Adjectives []string `yaml:"adjectives,omitempty"`
	// Places are place names used for the actor ("Kyiv" for Ukraine's
	// government): they name it unless the question is about the place
	// ("in Kyiv").
	Places  []string   `yaml:"places,omitempty"`
	Member  []string   `yaml:"part_of,omitempty"` // ids of collective actors this actor belongs to or speaks for
	Summary string     `yaml:"summary"`
	Context bool       `yaml:"context,omitempty"` // named in most questions as background (Ukraine): ranks below other actors
	Evid    []Evidence `yaml:"evidence"`
	meta    pos
}

// names returns every name the actor is found by: id, name, aliases,
// adjectives and places.
func (a *Actor) names() []string {
	out := append([]string{a.ID, a.Name}, a.Aliases...)
	out = append(out, a.Adjectives...)
	return append(out, a.Places...)
}

// OptionKind tells a guarantee option from an issue that bears on options.
const (
	KindOption = "option"
	KindIssue  = "issue"
)

// Option is a way to guarantee Ukraine's security, or an issue bearing on
// those ways.
type Option struct {
	ID            string     `yaml:"id"`
	Name          string     `yaml:"name"`
	Kind          string     `yaml:"kind"` // KindOption or KindIssue
	Aliases       []string   `yaml:"aliases,omitempty"`
	Summary       string     `yaml:"summary"`
	Variants      []Point    `yaml:"variants,omitempty"`
	OpenQuestions []Point    `yaml:"open_questions,omitempty"`
	Related       []string   `yaml:"related,omitempty"`
	Evid          []Evidence `yaml:"evidence"`
	meta          pos
}

// Point is a short statement with the evidence it rests on.
type Point struct {
	Text string     `yaml:"text"`
	Evid []Evidence `yaml:"evidence"`
	meta pos
}

// Stance is an actor's position on an option.
type Stance string

// The stances a position may take, from most to least favourable.
const (
	Proposes    Stance = "proposes"
	Supports    Stance = "supports"
	Conditional Stance = "conditional"
	Undecided   Stance = "undecided"
	Opposes     Stance = "opposes"
	RulesOut    Stance = "rules-out"
)

// Stances lists every valid stance in display order.
func Stances() []Stance {
	return []Stance{Proposes, Supports, Conditional, Undecided, Opposes, RulesOut}
}

// Label is the stance in plain words ("rules out").
func (s Stance) Label() string { return strings.ReplaceAll(string(s), "-", " ") }

func (s Stance) valid() bool { return s.rank() < len(Stances()) }

// rank is the stance's place in display order (len(Stances()) if invalid).
func (s Stance) rank() int {
	switch s {
	case Proposes:
		return 0
	case Supports:
		return 1
	case Conditional:
		return 2
	case Undecided:
		return 3
	case Opposes:
		return 4
	case RulesOut:
		return 5
	}
	return 6
}

// Position is one actor's current stance on one option, with the stances
// it held before (History, oldest first).
type Position struct {
	Actor  string `yaml:"actor"`
	Option string `yaml:"option"`
	Stance Stance `yaml:"stance"`
	// Since is the date, YYYY-MM-DD, from which the evidence shows the
	// stance: when absent, the earliest date of its evidence's sources.
	// When given it must be the date of one of them.
	Since   string       `yaml:"since,omitempty"`
	Summary string       `yaml:"summary"`
	Evid    []Evidence   `yaml:"evidence"`
	History []PastStance `yaml:"history,omitempty"`
	meta    pos
	date    string // Since, or worked out from the evidence
	key     string // its item key (see ItemKeys), set at load
}

// PastStance is a stance an actor held on an option before a newer source
// showed it change: it stays in the briefing as history.
type PastStance struct {
	Stance  Stance     `yaml:"stance"`
	Since   string     `yaml:"since,omitempty"`
	Summary string     `yaml:"summary"`
	Evid    []Evidence `yaml:"evidence"`
	meta    pos
	date    string
}

// Date is the date from which the evidence shows the current stance
// (Since, or the earliest date of its sources), or "" when no source of
// its evidence is dated.
func (p *Position) Date() string { return p.date }

// Date is the date from which the evidence showed the past stance.
func (h *PastStance) Date() string { return h.date }

// StanceHistory words the stance with its history, when it has one:
// "rules out, since 2025-09-04; earlier: undecided, 2025-08-20". A stance
// that never changed is its label alone.
func (p *Position) StanceHistory() string {
	if len(p.History) == 0 {
		return p.Stance.Label()
	}
	s := p.Stance.Label() + ", since " + p.date + "; earlier: "
	for i := len(p.History) - 1; i >= 0; i-- {
		h := p.History[i]
		s += h.Stance.Label() + ", " + h.date
		if i > 0 {
			s += "; "
		}
	}
	return s
}

// Basis says how a piece of evidence supports a claim: whose words they are.
type Basis string

// The kinds of evidence.
const (
	// BasisQuote: the words are the speaker's own, quoted by the source.
	BasisQuote Basis = "quote"
	// BasisReport: the source reports, in its own words, what someone said or did.
	BasisReport Basis = "report"
	// BasisAccount: one actor's account of another actor's view
	// (Trump on what Putin is willing to accept).
	BasisAccount Basis = "account"
	// BasisAnalysis: the source's own inference or assessment.
	BasisAnalysis Basis = "analysis"
)

// Evidence is a verbatim quote from a source, with its attribution.
type Evidence struct {
	Source string `yaml:"source"`
	Quote  string `yaml:"quote"`
	Basis  Basis  `yaml:"basis"`
	// By is the actor whose words or account these are (required for
	// quote and account).
	By string `yaml:"by,omitempty"`
	// Via is the outlet that relayed the words to the source, if any.
	Via string `yaml:"via,omitempty"`
	// Note qualifies the attribution ("citing an anonymous source").
	Note string `yaml:"note,omitempty"`
	meta pos
}

// Event is a dated entry of the timeline.
type Event struct {
	// Date orders the timeline, YYYY-MM-DD (or YYYY-MM, YYYY).
	Date string `yaml:"date"`
	// When is the date as shown when it is approximate ("week before 18 Aug").
	When   string     `yaml:"when,omitempty"`
	Text   string     `yaml:"text"`
	Actors []string   `yaml:"actors,omitempty"`
	Evid   []Evidence `yaml:"evidence"`
	meta   pos
}

// Overview is the bottom line up front, the state of play and the open
// questions.
type Overview struct {
	BottomLine    Point   `yaml:"bottom_line"`
	StateOfPlay   []Point `yaml:"state_of_play"`
	OpenQuestions []Point `yaml:"open_questions"`
}

// Source returns the source with the given id.
func (b *Briefing) Source(id string) (*Source, bool) { s, ok := b.sourceByID[id]; return s, ok }

// ActorByID returns the actor with the given id.
func (b *Briefing) ActorByID(id string) (*Actor, bool) { a, ok := b.actorByID[id]; return a, ok }

// OptionByID returns the option with the given id.
func (b *Briefing) OptionByID(id string) (*Option, bool) { o, ok := b.optionByID[id]; return o, ok }

// PositionsOf returns the positions of an actor, in briefing order. The
// slice is the briefing's own: do not modify it.
func (b *Briefing) PositionsOf(actorID string) []*Position {
	return slices.Clip(b.byActor[actorID])
}

// PositionsOn returns the positions on an option, most favourable first.
// The slice is the briefing's own: do not modify it.
func (b *Briefing) PositionsOn(optionID string) []*Position {
	return slices.Clip(b.byOption[optionID])
}

// Position returns the actor's position on the option, if the briefing has one.
func (b *Briefing) Position(actorID, optionID string) (*Position, bool) {
	p, ok := b.byPair[[2]string{actorID, optionID}]
	return p, ok
}

// buildLookups indexes a validated briefing's positions by actor, option
// and pair, and the actors and options in the order lists show them, so
// that no answer scans every position.
func (b *Briefing) buildLookups() {
	b.itemKeys = make([]string, 0, len(b.Sources)+len(b.Positions)+len(b.Timeline))
	for _, s := range b.Sources {
		b.itemKeys = append(b.itemKeys, "source:"+s.ID)
	}
	for _, p := range b.Positions {
		p.key = "position:" + p.Actor + "/" + p.Option + "/" + string(p.Stance)
		b.itemKeys = append(b.itemKeys, p.key)
	}
	for _, e := range b.Timeline {
		b.itemKeys = append(b.itemKeys, "event:"+e.Date+":"+e.Text)
	}
	b.byActor = make(map[string][]*Position, len(b.Actors))
	b.byOption = make(map[string][]*Position, len(b.Options))
	b.byPair = make(map[[2]string]*Position, len(b.Positions))
	for _, p := range b.Positions {
		b.byActor[p.Actor] = append(b.byActor[p.Actor], p)
		b.byOption[p.Option] = append(b.byOption[p.Option], p)
		b.byPair[[2]string{p.Actor, p.Option}] = p
	}
	for _, ps := range b.byOption {
		slices.SortStableFunc(ps, func(x, y *Position) int { return x.Stance.rank() - y.Stance.rank() })
	}
	b.voicesOf = map[string][]string{}
	for _, a := range b.Actors {
		for _, m := range a.Member {
			if !slices.Contains(b.voicesOf[m], a.ID) {
				b.voicesOf[m] = append(b.voicesOf[m], a.ID)
			}
		}
	}
	b.actorsListed = slices.Clone(b.Actors)
	slices.SortStableFunc(b.actorsListed, func(x, y *Actor) int { return kindRank(x.Kind) - kindRank(y.Kind) })
	b.optionsListed = slices.Clone(b.Options)
	slices.SortStableFunc(b.optionsListed, func(x, y *Option) int { return optRank(x.Kind) - optRank(y.Kind) })
	b.actorsWithPositions = nil
	for _, a := range b.Actors {
		if len(b.byActor[a.ID]) > 0 {
			b.actorsWithPositions = append(b.actorsWithPositions, a)
		}
	}
	b.optionAt = make(map[string]int, len(b.Options))
	for i, o := range b.Options {
		b.optionAt[o.ID] = i
	}
}

// pos is where an entry stands in its file, and the keys it has that its
// type does not know (reported by validation rather than failing the load,
// so that one typo does not hide the rest of the briefing).
type pos struct {
	line    int
	unknown []string
}

// parseDate parses a timeline date of the form YYYY-MM-DD, YYYY-MM or YYYY.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD, YYYY-MM or YYYY", s)
}
