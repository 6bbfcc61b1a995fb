package briefings

import (
	"fmt"
	"slices"
	"strings"
)

// questionKind is what a question asks for, read from its words: it
// decides what the lead of the answer states first.
type questionKind int

const (
	askGeneral   questionKind = iota
	askWho                    // who backs troops; which countries would send soldiers
	askWhoSaid                // who said "on the ground"
	askHowMany                // how many countries …
	askWhen                   // when did Trump meet Putin
	askWhy                    // why does Russia reject troops
	askSaidAbout              // what did Zelensky say about sanctions
	askWhatIs                 // what is a tripwire force
	askCompare                // compare Macron and Trump
)

var (
	sayWords = setOf("say", "says", "said", "saying", "told", "stated", "state", "states", "quoted", "claimed",
		"claim", "claims", "called", "warned", "warn", "warns", "words", "remarks", "argued", "argue", "argues",
		"promised", "promise", "promises", "suggested", "suggest", "suggests", "mentioned")
	// forWords and againstWords are the verbs that ask about one side.
	forWords = setOf("back", "backs", "backed", "backing", "support", "supports", "supported", "supporting",
		"favour", "favours", "favor", "favors", "want", "wants", "propose", "proposes", "proposed", "proposing",
		"endorse", "endorses", "offered", "send", "sends", "sending", "willing", "offer", "offers", "offering", "contribute",
		"commit", "advocate", "advocates", "push", "pushes", "pushing", "for", "pro", "agree", "agrees", "accept", "accepts")
	againstWords = setOf("oppose", "opposes", "opposed", "opposing", "reject", "rejects", "rejected", "rejecting",
		"against", "refuse", "refuses", "refused", "veto", "vetoes", "block", "blocks", "deny", "denies",
		"dismiss", "dismisses", "object", "objects", "excluded", "exclude", "excludes", "out", "anti", "resist", "resists")
	undecidedWords = setOf("undecided", "unsure", "unclear", "hesitant", "neutral", "noncommittal", "fence")
	// causeWords mark a passage that gives a reason.
	causeWords = setOf("because", "since", "so", "goal", "aim", "order", "deter", "reason", "why", "therefore",
		"given", "fear", "fears", "must", "need", "needs", "would", "without")
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// lowerWords is the question's words, lower-cased, stop words kept;
// "when's" and "what's" are read as "when is", "what is".
func lowerWords(q string) []string {
	ws := words(q)
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		w = strings.ToLower(w)
		if base, ok := strings.CutSuffix(w, "'s"); ok && (base == "what" || base == "when" || base == "who" || base == "where" || base == "how" || base == "why") {
			out = append(out, base, "is")
			continue
		}
		out = append(out, w)
	}
	return out
}

// classify reads the kind of question from its words.
func classify(ws []string) questionKind {
	starts := func(seq ...string) bool {
		if len(ws) < len(seq) {
			return false
		}
		for i, s := range seq {
			if ws[i] != s {
				return false
			}
		}
		return true
	}
	has := func(set map[string]bool) (int, bool) {
		for i, w := range ws {
			if set[w] {
				return i, true
			}
		}
		return -1, false
	}
	switch {
	case starts("who") && len(ws) > 1 && (sayWords[ws[1]] || len(ws) > 2 && (ws[1] == "has" || ws[1] == "had" || ws[1] == "was" || ws[1] == "is") && sayWords[ws[2]]),
		starts("whose", "words"), starts("who", "was", "quoted"):
		return askWhoSaid
	case starts("how", "many"), starts("how", "much"), starts("what", "number"), starts("number", "of"), starts("count"):
		return askHowMany
	case starts("when"), starts("what", "date"), starts("by", "when"), starts("how", "soon"), starts("how", "long"),
		starts("what", "time"), starts("which", "day"), starts("what", "day"):
		return askWhen
	case starts("why"), starts("what", "for"), starts("for", "what", "reason"), starts("what", "is", "the", "reason"),
		starts("what", "reason"), starts("how", "come"):
		return askWhy
	case slices.Contains(ws, "compare") || slices.Contains(ws, "versus") || slices.Contains(ws, "vs") ||
		slices.Contains(ws, "differ") || slices.Contains(ws, "difference") || slices.Contains(ws, "compared"):
		return askCompare
	case starts("who"), starts("which"), starts("whom"), starts("what", "countries"), starts("what", "leaders"):
		return askWho
	}
	if i, ok := has(sayWords); ok {
		for _, w := range ws[i+1:] {
			if !stopWords[w] || w == "about" || w == "regarding" {
				return askSaidAbout
			}
		}
	}
	switch {
	case starts("what", "is"), starts("what", "are"), starts("what's"), starts("whats"), starts("explain"),
		starts("define"), starts("describe"), starts("what", "would"), starts("what", "exactly"), starts("meaning", "of"):
		return askWhatIs
	}
	return askGeneral
}

// side is which stances a question asks about: for, against, undecided,
// or all (0).
type side int

const (
	sideAll side = iota
	sideFor
	sideAgainst
	sideUndecided
)

func (s Stance) side() side {
	switch s {
	case Proposes, Supports, Conditional:
		return sideFor
	case Opposes, RulesOut:
		return sideAgainst
	}
	return sideUndecided
}

// askedSide reads the side a question asks about from its verbs.
func askedSide(ws []string) side {
	for i, w := range ws {
		switch {
		case w == "out" && i > 0 && (ws[i-1] == "rule" || ws[i-1] == "rules" || ws[i-1] == "ruled" || ws[i-1] == "ruling"):
			return sideAgainst
		case againstWords[w] && w != "out":
			return sideAgainst
		case undecidedWords[w]:
			return sideUndecided
		}
	}
	for _, w := range ws {
		if forWords[w] && w != "for" {
			return sideFor
		}
	}
	return sideAll
}

// verb phrases for a stance, as in "Trump rules out NATO membership".
func (s Stance) verb() string {
	switch s {
	case Proposes:
		return "proposes"
	case Supports:
		return "supports"
	case Conditional:
		return "supports, with conditions,"
	case Undecided:
		return "has taken no clear position on"
	case Opposes:
		return "opposes"
	case RulesOut:
		return "rules out"
	}
	return string(s)
}

// claim adds a sentence of ours to the lead, resting on the evidence that
// supports it best (the speaker's own words first), each quote once.
func (c *composer) claim(text string, ev []Evidence, speaker string) {
	c.claimOn(text, text, ev, speaker)
}

// claimOn is claim, choosing the quote by the words of on (the part of the
// claim the quote must support).
func (c *composer) claimOn(text, on string, ev []Evidence, speaker string) {
	cl := Claim{Text: text}
	if e := c.best(ev, on, speaker); e != nil {
		q := c.quote(*e)
		cl.Quote, cl.Date = &q, c.b.dateOf(e.Source)
	}
	c.a.Lead = append(c.a.Lead, cl)
}

// statement adds a claim about the briefing itself (what it does not
// cover), which rests on no quote.
func (c *composer) statement(text string) { c.a.Lead = append(c.a.Lead, Claim{Text: text}) }

// best picks the evidence that supports text best and has not been quoted
// yet: the most words in common, the speaker's own words before reports,
// the shorter quote on a tie.
func (c *composer) best(ev []Evidence, text, speaker string) *Evidence {
	want := map[string]bool{}
	for _, st := range c.b.index.textStems(text) {
		want[st] = true
	}
	var best *Evidence
	bestScore := -1.0
	for i := range ev {
		e := &ev[i]
		if c.quoted[c.key(e.Quote)] {
			continue
		}
		qs := c.b.index.quoteStems(e.Quote)
		common := 0
		for _, s := range qs {
			if want[s] {
				common++
			}
		}
		score := float64(common)
		if speaker != "" && e.By == speaker {
			score += 1.5
			if e.Basis == BasisQuote || e.Basis == BasisAccount {
				score += 0.5
			}
		}
		score -= float64(len(e.Quote)) / 800 // the shorter of two as good
		if score > bestScore {
			best, bestScore = e, score
		}
	}
	return best
}

func (b *Briefing) dateOf(sourceID string) string {
	if s, ok := b.sourceByID[sourceID]; ok {
		return s.DateLabel()
	}
	return "undated"
}

// sentencesOf splits our own text into sentences.
func sentencesOf(text string) []string {
	var out []string
	for text = strings.TrimSpace(text); text != ""; {
		i := sentenceEnd(text)
		out = append(out, strings.TrimSpace(text[:i]))
		text = strings.TrimSpace(text[i:])
	}
	return out
}

// firstSentences returns the leading sentences of text, at least one, up
// to about limit characters.
func firstSentences(text string, limit int) []string {
	ss := sentencesOf(text)
	n, out := 0, []string{}
	for i, s := range ss {
		if i > 0 && n+len(s) > limit {
			break
		}
		out = append(out, s)
		n += len(s)
	}
	return out
}

// leadFromSummary states an entry's summary, sentence by sentence, each
// with the quote that supports it best (at most n sentences).
func (c *composer) leadFromSummary(text string, ev []Evidence, speaker string, n, limit int) {
	ss := firstSentences(text, limit)
	if len(ss) > n {
		ss = ss[:n]
	}
	for _, s := range ss {
		c.claim(s, ev, speaker)
	}
}

// stanceLine is the brief list of an option's stances: "proposes:
// Starmer; supports: Macron, France".
func (b *Briefing) stanceLine(optionID string) string {
	var parts []string
	for _, f := range b.stanceFields(optionID) {
		parts = append(parts, f.Label+": "+f.Value)
	}
	return strings.Join(parts, "; ")
}

// positionsLine lists an actor's positions: "On NATO membership: rules
// out; …".
func (b *Briefing) positionsLine(actorID string) string {
	var parts []string
	for _, p := range b.PositionsOf(actorID) {
		parts = append(parts, b.optionByID[p.Option].Name+": "+p.Stance.Label())
	}
	return strings.Join(parts, "; ")
}

// namesList joins names as "A, B and C".
func namesList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// sideLabel words a side for a lead.
func sideLabel(s side) string {
	switch s {
	case sideFor:
		return "For"
	case sideAgainst:
		return "Against"
	}
	return "Undecided"
}

// whoOn answers "who backs / rejects X": the actors on the side asked
// about (or for and against), each side with the quote that names most of
// them.
func (b *Briefing) whoOn(c *composer, o *Option, want side) {
	groups := map[side][]*Position{}
	for _, p := range b.PositionsOn(o.ID) {
		groups[p.Stance.side()] = append(groups[p.Stance.side()], p)
	}
	order := []side{sideFor, sideAgainst}
	if want != sideAll {
		order = []side{want}
	}
	shown := 0
	for _, s := range order {
		if ps := groups[s]; len(ps) > 0 {
			b.sideClaim(c, o, ps)
			shown++
		}
	}
	if shown == 0 {
		what := map[side]string{sideFor: "backs", sideAgainst: "opposes or rules out", sideUndecided: "is undecided on"}[want]
		if what == "" {
			what = "takes a position on"
		}
		c.statement(fmt.Sprintf("The sources record no one who %s %s.", what, o.Name))
	}
	if line := b.stanceLine(o.ID); line != "" {
		c.a.Brief = append(c.a.Brief, Section{Text: "All recorded stances on " + o.Name + ": " + line + "."})
	}
}

// sideClaim states the positions of one side on an option in a sentence
// ("Keir Starmer proposes it; France and the United Kingdom support it"),
// resting on the quote that names most of those actors.
func (b *Briefing) sideClaim(c *composer, o *Option, ps []*Position) {
	var parts []string
	for _, st := range Stances() {
		var names []string
		for _, p := range ps {
			if p.Stance == st {
				names = append(names, b.actorByID[p.Actor].Name)
			}
		}
		if len(names) > 0 {
			parts = append(parts, namesList(names)+" "+st.verbOf(len(names)))
		}
	}
	text := o.Name + ": " + strings.Join(parts, "; ") + "."
	var best *Evidence
	bestN := -1.0
	for _, p := range ps {
		for i := range p.Evid {
			e := &p.Evid[i]
			if c.quoted[c.key(e.Quote)] {
				continue
			}
			named := b.index.actorsNamed(e.Quote)
			n := 0.0
			for _, q := range ps {
				if slices.Contains(named, entityRef{EntityActor, q.Actor}) {
					n++
				}
			}
			n -= float64(len(e.Quote)) / 2000
			if n > bestN {
				best, bestN = e, n
			}
		}
	}
	if best == nil {
		c.statement(text)
		return
	}
	c.claimQuote(text, *best)
}

// verbOf is the stance as a verb phrase about "it" for n actors.
func (s Stance) verbOf(n int) string {
	one := n == 1
	switch s {
	case Proposes:
		return pick(one, "proposes it", "propose it")
	case Supports:
		return pick(one, "supports it", "support it")
	case Conditional:
		return pick(one, "supports it with conditions", "support it with conditions")
	case Undecided:
		return pick(one, "is undecided", "are undecided")
	case Opposes:
		return pick(one, "opposes it", "oppose it")
	case RulesOut:
		return pick(one, "rules it out", "rule it out")
	}
	return string(s)
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// positionLead states one actor's position on one option, or says the
// sources record none.
func (b *Briefing) positionLead(c *composer, a *Actor, o *Option) bool {
	p, ok := b.Position(a.ID, o.ID)
	label := ""
	if !ok {
		p, label = b.relatedPosition(a, o.ID)
	}
	if p == nil {
		return false
	}
	pa := b.actorByID[p.Actor]
	text := pa.Name + " " + p.Stance.verb() + " " + o.Name
	if len(p.History) > 0 {
		text += " (" + strings.TrimPrefix(p.StanceHistory(), p.Stance.Label()+", ") + ")"
	}
	if label != "" {
		text += " (" + label + ")"
	}
	c.claimOn(text+". "+p.Summary, p.Summary, p.Evid, p.Actor)
	// Those who speak for a collective: "Russia" is also its spokeswoman.
	for _, v := range b.voices(a)[1:] {
		if vp, ok := b.Position(v, o.ID); ok && len(c.a.Lead) < 3 {
			va := b.actorByID[v]
			c.claimOn(va.Name+", for "+a.Name+", "+vp.Stance.verb()+" "+o.Name+". "+vp.Summary, vp.Summary, vp.Evid, v)
		}
	}
	return true
}

// voices are the actors whose words count as an actor's: itself, and
// those who speak for it.
func (b *Briefing) voices(a *Actor) []string {
	return append([]string{a.ID}, b.voicesOf[a.ID]...)
}

// saidAbout leads with an actor's own words on a topic: the evidence
// spoken by the actor (or those who speak for it) that best matches the
// topic's words. It reports whether any was found.
func (b *Briefing) saidAbout(c *composer, a *Actor, topic []token, options []*Option) bool {
	speakers := b.voices(a)
	want := map[string]bool{}
	for _, t := range topic {
		want[t.stem] = true
	}
	for _, o := range options {
		for _, s := range b.index.namesOf[o.ID] {
			want[s] = true
		}
	}
	type scored struct {
		e     Evidence
		score int
	}
	var hits []scored
	// Their words on an option they take a position on come first, their
	// own words before reports of them.
	rank := map[Basis]int{BasisQuote: 3, BasisAccount: 2, BasisReport: 1}
	for _, o := range options {
		for _, v := range speakers {
			if p, ok := b.Position(v, o.ID); ok {
				for _, e := range p.Evid {
					if e.By == v && !c.quoted[c.key(e.Quote)] {
						hits = append(hits, scored{e, 100 + rank[e.Basis]})
					}
				}
			}
		}
	}
	for i, n := range b.index.matchEvidence(want) {
		e := b.index.evidence[i]
		if slices.Contains(speakers, e.By) && !c.quoted[c.key(e.Quote)] {
			hits = append(hits, scored{e, n})
		}
	}
	// Map order is random: ties go to briefing order.
	slices.SortStableFunc(hits, func(x, y scored) int { return strings.Compare(x.e.Quote, y.e.Quote) })
	slices.SortStableFunc(hits, func(x, y scored) int { return y.score - x.score })
	shown := 0
	for _, h := range hits {
		if shown == 2 {
			break
		}
		if c.quoted[c.key(h.e.Quote)] {
			continue
		}
		speaker := b.actorByID[h.e.By].Name
		verb := "said"
		switch h.e.Basis {
		case BasisReport:
			verb = "is reported as saying"
		case BasisAccount:
			verb = "gave this account"
		}
		c.claimQuote(speaker+" "+verb+":", h.e)
		shown++
	}
	return shown > 0
}

// claimQuote adds a claim resting on exactly this evidence.
func (c *composer) claimQuote(text string, e Evidence) {
	if c.quoted[c.key(e.Quote)] {
		return
	}
	q := c.quote(e)
	c.a.Lead = append(c.a.Lead, Claim{Text: text, Quote: &q, Date: c.b.dateOf(e.Source)})
}

// whoSaid finds the quote a question's words come from and names whose
// words they are: the speaker, an outlet relaying them, or the article's
// own assessment.
func (b *Briefing) whoSaid(c *composer, toks []token) bool {
	want := map[string]bool{}
	for _, t := range toks {
		if !sayWords[t.raw] {
			want[t.stem] = true
		}
	}
	if len(want) == 0 {
		return false
	}
	var best *Evidence
	bestScore, bestI := 0.0, -1
	for i, n := range b.index.matchEvidence(want) {
		e := &b.index.evidence[i]
		// Most of the words asked about, in the shortest quote.
		score := float64(n) - float64(len(b.index.quoteStems(e.Quote)))/200
		if n*2 >= len(want) && (score > bestScore || score == bestScore && i < bestI) {
			best, bestScore, bestI = e, score, i
		}
	}
	if best == nil {
		return false
	}
	who := ""
	switch a, ok := b.actorByID[best.By]; {
	case best.Basis == BasisAnalysis:
		who = "No one is quoted saying it: it is " + b.sourceByID[best.Source].Outlet + "'s own assessment."
	case ok && best.Basis == BasisQuote:
		who = a.Name + " said it."
	case ok && best.Basis == BasisAccount:
		who = "It is " + a.Name + "'s account, as the source reports it."
	case ok:
		who = b.sourceByID[best.Source].Outlet + " reports it of " + a.Name + "; the words are the article's."
	default:
		who = b.sourceByID[best.Source].Outlet + " says it, in its own report."
	}
	c.claimQuote(who, *best)
	return true
}

// timelineLead states the dated events that match the question best.
func (b *Briefing) timelineLead(c *composer, toks []token, refs []entityRef) bool {
	want := map[string]bool{}
	for _, t := range toks {
		want[t.stem] = true
	}
	type scored struct {
		e     *Event
		score int
	}
	var hits []scored
	for _, e := range b.Timeline {
		n := 0
		for _, s := range b.index.stemList(e.Text) {
			if want[s] {
				n++
			}
		}
		for _, r := range refs {
			if r.kind == EntityActor && slices.Contains(e.Actors, r.id) {
				n += 2
			}
		}
		if n >= 2 {
			hits = append(hits, scored{e, n})
		}
	}
	slices.SortStableFunc(hits, func(x, y scored) int { return y.score - x.score })
	for i, h := range hits {
		if i == 2 || i == 1 && h.score < hits[0].score {
			break
		}
		c.claim(h.e.displayDate()+": "+h.e.Text, h.e.Evid, "")
	}
	return len(hits) > 0
}

// searchLead states the passages that match best, preferring those that
// carry what the question asks for (a number, a reason); it reports
// whether any matched.
func (b *Briefing) searchLead(c *composer, toks []token, prefer func(text string) bool, n int) bool {
	hits := b.index.search(toks, 12)
	if prefer != nil {
		slices.SortStableFunc(hits, func(x, y hit) int {
			px, py := prefer(x.doc.text+" "+evidenceText(x.doc.evid)), prefer(y.doc.text+" "+evidenceText(y.doc.evid))
			switch {
			case px && !py:
				return -1
			case py && !px:
				return 1
			}
			return 0
		})
	}
	shown := 0
	for _, h := range hits {
		if shown == n {
			break
		}
		if h.doc.sourceID != "" {
			q := Quote{Text: h.doc.text, Attribution: h.doc.heading + ", source text", Basis: BasisReport, SourceID: h.doc.sourceID}
			if c.quoted[c.key(q.Text)] {
				continue
			}
			c.quoted[c.key(q.Text)] = true
			c.cite(h.doc.sourceID)
			c.a.Lead = append(c.a.Lead, Claim{Text: "The source says:", Quote: &q, Date: b.dateOf(h.doc.sourceID)})
		} else {
			point := b.pointOf(h.doc.text, toks)
			text := point
			if subj := b.subject(h.doc); subj != "" && !strings.Contains(text, subj) {
				text = subj + ": " + text
			}
			c.claimOn(text, point, h.doc.evid, "")
		}
		shown++
	}
	return shown > 0
}

// subject names the actor a passage is about, if any.
func (b *Briefing) subject(d *doc) string {
	for _, r := range d.ref {
		if r.kind == EntityActor {
			return b.actorByID[r.id].Name
		}
	}
	return ""
}

func evidenceText(ev []Evidence) string {
	var s strings.Builder
	for _, e := range ev {
		s.WriteString(e.Quote)
		s.WriteByte(' ')
	}
	return s.String()
}

// numberWords mark a passage that gives a count.
var numberWords = setOf("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
	"twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "dozen", "dozens", "several", "both")

func hasNumber(text string) bool {
	for _, w := range lowerWords(text) {
		if numberWords[w] || w != "" && w[0] >= '0' && w[0] <= '9' && !strings.Contains(w, "-") && len(w) < 4 {
			return true
		}
	}
	return false
}

func hasCause(text string) bool {
	for _, w := range lowerWords(text) {
		if causeWords[w] {
			return true
		}
	}
	return false
}

func quoteKey(q string) string { return strings.Join(strings.Fields(displayQuote(q)), " ") }

// key is a quote's dedup key, from the cache for the briefing's quotes.
func (c *composer) key(q string) string {
	if k, ok := c.b.index.keyOf[q]; ok {
		return k
	}
	return quoteKey(q)
}

// actorLead states who an actor is and what it holds: its summary's
// leading sentences, each with its best quote; the brief lists its role
// and positions.
func (b *Briefing) actorLead(c *composer, a *Actor) {
	c.leadFromSummary(a.Summary, a.Evid, a.ID, 2, 300)
	c.a.Brief = append(c.a.Brief, b.actorBrief(a)...)
}

// actorBrief is the one-line detail of an actor: role and positions.
func (b *Briefing) actorBrief(a *Actor) []Section {
	text := "Role: " + a.Role + "."
	if line := b.positionsLine(a.ID); line != "" {
		text += " Positions: " + line + "."
	}
	return []Section{{Text: text}}
}

// optionLead states what an option is and who stands where on it.
func (b *Briefing) optionLead(c *composer, o *Option) {
	if ps := b.PositionsOn(o.ID); len(ps) > 0 {
		c.leadFromSummary(o.Summary, o.Evid, "", 1, 0)
		// Who stands where, the favourable side first (positions come
		// most favourable first).
		first := ps[0].Stance.side()
		var side []*Position
		for _, p := range ps {
			if p.Stance.side() == first {
				side = append(side, p)
			}
		}
		// One actor already named in the first claim needs no claim of
		// its own: the brief says where it stands.
		if len(side) == 1 && strings.Contains(c.a.Lead[len(c.a.Lead)-1].Text, b.actorByID[side[0].Actor].shortName()) {
			first = sideAll
		} else {
			b.sideClaim(c, o, side)
		}
		var others []string
		for _, f := range b.stanceFields(o.ID) {
			if Stance(strings.ReplaceAll(f.Label, " ", "-")).side() != first {
				others = append(others, f.Label+": "+f.Value)
			}
		}
		if len(others) > 0 {
			c.a.Brief = append(c.a.Brief, Section{Text: "Also: " + strings.Join(others, "; ") + "."})
		}
	} else {
		c.leadFromSummary(o.Summary, o.Evid, "", 2, 420)
	}
	if len(b.PositionsOn(o.ID)) == 0 {
		c.a.Brief = append(c.a.Brief, Section{Text: "The sources attribute no position on this to a named actor."})
	}
	if len(o.Related) > 0 {
		r := b.optionByID[o.Related[0]]
		text := "Related: " + r.Name
		if ss := sentencesOf(r.Summary); len(ss) > 0 {
			text += ": " + shorten(ss[0], 140)
		}
		c.a.Brief = append(c.a.Brief, Section{Text: text})
	}
}

// compareLead states where the actors compared stand on the options they
// both take a position on, differences first.
func (b *Briefing) compareLead(c *composer, actors []entityRef) {
	type shared struct {
		o      *Option
		ps     []*Position
		differ bool
	}
	var all []shared
	for _, o := range b.optionsHeldBy(actors) {
		var ps []*Position
		for _, r := range actors {
			if p, ok := b.Position(r.id, o.ID); ok {
				ps = append(ps, p)
			}
		}
		if len(ps) < 2 {
			continue
		}
		differ := false
		for _, p := range ps[1:] {
			differ = differ || p.Stance.side() != ps[0].Stance.side()
		}
		all = append(all, shared{o, ps, differ})
	}
	slices.SortStableFunc(all, func(x, y shared) int {
		switch {
		case x.differ && !y.differ:
			return -1
		case y.differ && !x.differ:
			return 1
		}
		return 0
	})
	for i, s := range all {
		if i == 2 {
			break
		}
		var parts []string
		for _, p := range s.ps {
			parts = append(parts, b.actorByID[p.Actor].Name+" "+p.Stance.verb()+" it")
		}
		verdict := "They agree"
		if s.differ {
			verdict = "They differ"
		}
		c.claim(verdict+" on "+s.o.Name+": "+namesList(parts)+".", s.ps[0].Evid, s.ps[0].Actor)
	}
	if len(all) == 0 {
		var names []string
		for _, r := range actors {
			names = append(names, b.actorByID[r.id].Name)
		}
		c.statement("The sources record no option on which " + namesList(names) + " both take a position.")
	}
	for _, r := range actors {
		if line := b.positionsLine(r.id); line != "" {
			c.a.Brief = append(c.a.Brief, Section{Text: b.actorByID[r.id].Name + ": " + line + "."})
		}
	}
}

// searchAbout leads with the passages about an actor (any, when about is
// empty) that match the question best, preferring those prefer marks.
func (b *Briefing) searchAbout(c *composer, toks []token, about string, prefer func(string) bool, n int) bool {
	if about == "" {
		return b.searchLead(c, toks, prefer, n)
	}
	hits := b.index.search(toks, 16)
	shown := 0
	for pass := 0; pass < 2 && shown < n; pass++ {
		for _, h := range hits {
			if shown == n {
				break
			}
			if h.doc.sourceID != "" || !h.doc.about(EntityActor, about) {
				continue
			}
			text := h.doc.text + " " + evidenceText(h.doc.evid)
			if pass == 0 && prefer != nil && !prefer(text) || pass == 1 && prefer != nil && prefer(text) {
				continue
			}
			point := b.pointOf(h.doc.text, toks)
			if e := c.best(h.doc.evid, point+" "+tokensText(toks), about); e != nil {
				c.claimQuote(h.doc.heading+": "+point, *e)
				shown++
			}
		}
	}
	return shown > 0
}

// searchWho answers a who-question with the person the best passage is
// about, other than the actors the question names as its object.
func (b *Briefing) searchWho(c *composer, toks []token, named []entityRef) bool {
	hits := b.index.search(toks, 16)
	type cand struct {
		d     *doc
		a     *Actor
		score float64
	}
	var best *cand
	for _, h := range hits {
		for _, r := range h.d().ref {
			if r.kind != EntityActor || slices.Contains(named, r) {
				continue
			}
			a := b.actorByID[r.id]
			score := h.score
			if a.Kind == "person" {
				score *= 1.3
			}
			if best == nil || score > best.score {
				best = &cand{h.doc, a, score}
			}
		}
	}
	if best == nil {
		return false
	}
	point := b.pointOf(best.d.text, toks)
	text := point
	if !strings.Contains(text, best.a.Name) {
		text = best.a.Name + ": " + text
	}
	c.claimOn(text, point, best.d.evid, best.a.ID)
	return true
}

func (h hit) d() *doc { return h.doc }

func tokensText(toks []token) string {
	var ws []string
	for _, t := range toks {
		ws = append(ws, t.raw)
	}
	return strings.Join(ws, " ")
}

// pointOf returns the sentence of a passage that shares most words with
// the question (the first on a tie): a lead states the point, not the
// whole passage.
func (b *Briefing) pointOf(text string, toks []token) string {
	ss := sentencesOf(text)
	if len(ss) <= 1 {
		return text
	}
	want := map[string]bool{}
	for _, t := range toks {
		want[t.stem] = true
	}
	best, bestN := ss[0], -1
	for _, sen := range ss {
		n := 0
		for _, st := range stems(sen) {
			if want[st] {
				n++
			}
		}
		if n > bestN {
			best, bestN = sen, n
		}
	}
	return best
}

// numberEvidence is the first piece of evidence on an option (its
// positions', then its own) that gives a number.
func (b *Briefing) numberEvidence(o *Option) *Evidence {
	for _, p := range b.PositionsOn(o.ID) {
		for i := range p.Evid {
			if hasNumber(p.Evid[i].Quote) {
				return &p.Evid[i]
			}
		}
	}
	for i := range o.Evid {
		if hasNumber(o.Evid[i].Quote) {
			return &o.Evid[i]
		}
	}
	return nil
}
