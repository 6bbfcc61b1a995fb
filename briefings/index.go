package briefings

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// EntityKind tells what a name refers to.
type EntityKind int

// The kinds of entity a name can refer to.
const (
	EntityActor EntityKind = iota + 1
	EntityOption
	EntityOutlet
)

type entityRef struct {
	kind EntityKind
	id   string
}

// nameForm says how a name refers to its entity.
type nameForm int

const (
	formName      nameForm = iota // a name or alias: always the entity
	formAdjective                 // "Russian": the entity only when it stands for it
	formPlace                     // "Kyiv": the entity unless the question is about the place
)

// phrase is what a name key leads to.
type phrase struct {
	ref  entityRef
	form nameForm
}

// index holds everything matching needs, built once at load.
type index struct {
	phrases   map[string]phrase // name key → entity
	maxPhrase int               // longest name key, in words
	vocab     []string          // every word of every name key, for typo correction
	byLen     map[int][]string  // vocab by word length in bytes
	vocabSet  map[string]bool
	// nameWords maps a word of a name to the entities whose names contain
	// it, for explicit lookups by part of a name ("actor kaja").
	nameWords map[string][]entityRef

	docs []doc
	df   map[string]int
	avg  float64
	// post lists, for each stem, the passages that have it (in passage
	// order) with how often: search scores only the passages that share
	// a word with the question.
	post map[string][]posting
	// scratch holds per-passage score buffers for search, reused.
	scratch sync.Pool
	// viaDocs lists, for each outlet, the passages with evidence it relayed.
	viaDocs map[string][]int32
	// memo caches the stems of texts while the index is built (the copies
	// of a source share their sentences); dropped once it is.
	memo map[string][]string

	// evidence is every piece of evidence in the briefing, once per quote;
	// stemsOf caches the stems of quotes and of the briefing's own texts.
	evidence []Evidence
	stemsOf  map[string][]string
	// keyOf, displayOf and actorsIn cache, per quote, its dedup key, its
	// display form and the actors it names, so answers compute none.
	// evidenceWith lists, for each stem, the evidence (by index) whose
	// quote has it.
	evidenceWith map[string][]int
	// namesOf is the stems of an option's name and aliases, by id.
	namesOf   map[string][]string
	keyOf     map[string]string
	displayOf map[string]string
	actorsIn  map[string][]entityRef
	// corpus is every word stem of the briefing and its sources, by length,
	// for telling words the sources never use.
	corpusByLen map[int][]string
}

// stemList returns the stems of a text, cached when the text is the
// briefing's own.
func (ix *index) stemList(text string) []string {
	if st, ok := ix.stemsOf[text]; ok {
		return st
	}
	return stems(text)
}

// quoteStems returns the stems of a quote.
func (ix *index) quoteStems(q string) []string { return ix.stemList(q) }

// textStems returns the stems of a text of ours, sentence by sentence
// from the cache where it can.
func (ix *index) textStems(text string) []string {
	if st, ok := ix.stemsOf[text]; ok {
		return st
	}
	var out []string
	for _, sen := range sentencesOf(text) {
		out = append(out, ix.stemList(sen)...)
	}
	return out
}

// matchEvidence counts, for each piece of evidence, how many of the
// stems its quote has.
func (ix *index) matchEvidence(want map[string]bool) map[int]int {
	n := map[int]int{}
	for st := range want {
		for _, i := range ix.evidenceWith[st] {
			n[i]++
		}
	}
	return n
}

// actorsNamed returns the actors a quote names.
func (ix *index) actorsNamed(q string) []entityRef {
	if refs, ok := ix.actorsIn[q]; ok {
		return refs
	}
	found, _ := ix.mentions(analyze(q))
	var refs []entityRef
	for _, m := range found {
		if m.ref.kind == EntityActor && !slices.Contains(refs, m.ref) {
			refs = append(refs, m.ref)
		}
	}
	return refs
}

// known reports whether a stem is a word of the briefing or its sources,
// or a name.
func (ix *index) known(stem string) bool { return ix.df[stem] > 0 || ix.vocabSet[stem] }

// knownForm reports whether a stem, or a simple inflection of it, is a
// word of the briefing or its sources ("offer" for "offered").
//
// Only the texts count, not names: a word that appears only in an alias
// ("missile" of "missile defence") and names nothing on its own is a word
// the sources do not use.
func (ix *index) knownForm(stem string) bool {
	in := func(s string) bool { return ix.df[s] > 0 }
	if in(stem) {
		return true
	}
	for _, suf := range []string{"ed", "d", "ing", "s", "es", "er", "ers"} {
		if base, ok := strings.CutSuffix(stem, suf); ok && len(base) >= 3 && (in(base) || in(base+"e")) {
			return true
		}
		if in(stem+suf) || strings.HasSuffix(stem, "e") && in(stem[:len(stem)-1]+suf) {
			return true
		}
	}
	return false
}

// nearKnown reports whether a stem is a typo of a word of the sources.
func (ix *index) nearKnown(stem string) bool {
	limit := maxTypos(len(stem))
	if limit == 0 {
		return false
	}
	for l := max(1, len(stem)-limit); l <= len(stem)+limit; l++ {
		for _, w := range ix.corpusByLen[l] {
			if len(w) >= 4 && editDistance(stem, w, limit) <= limit {
				return true
			}
		}
	}
	return false
}

// doc is one searchable passage: a sentence of a source, or an item of the
// briefing (with the evidence it carries).
type doc struct {
	n        int32 // how many terms it has
	text     string
	sourceID string      // set for source sentences
	evid     []Evidence  // set for briefing items
	heading  string      // what the item is ("Position: Trump on NATO membership")
	ref      []entityRef // entities the item is about
}

func buildIndex(b *Briefing) *index {
	ix := &index{
		phrases:   map[string]phrase{},
		vocabSet:  map[string]bool{},
		nameWords: map[string][]entityRef{},
		df:        map[string]int{},
		post:      map[string][]posting{},
		viaDocs:   map[string][]int32{},
		memo:      map[string][]string{},
	}
	addForm := func(ref entityRef, form nameForm, names []string) {
		for _, n := range names {
			st := stems(n)
			if len(st) == 0 {
				continue
			}
			ix.phrases[strings.Join(st, " ")] = phrase{ref, form}
			ix.maxPhrase = max(ix.maxPhrase, len(st))
			for _, w := range st {
				if !ix.vocabSet[w] {
					ix.vocabSet[w] = true
					ix.vocab = append(ix.vocab, w)
				}
				// One entity's names are added together, so a repeat can
				// only be the last entry.
				if refs := ix.nameWords[w]; len(refs) == 0 || refs[len(refs)-1] != ref {
					ix.nameWords[w] = append(refs, ref)
				}
			}
		}
	}
	addNames := func(ref entityRef, names []string) { addForm(ref, formName, names) }
	for _, a := range b.Actors {
		ref := entityRef{EntityActor, a.ID}
		addNames(ref, append([]string{a.ID, a.Name}, a.Aliases...))
		addForm(ref, formAdjective, a.Adjectives)
		addForm(ref, formPlace, a.Places)
	}
	for _, o := range b.Options {
		addNames(entityRef{EntityOption, o.ID}, append([]string{strings.ReplaceAll(o.ID, "-", " "), o.Name}, o.Aliases...))
	}
	for _, o := range b.Outlets {
		addNames(entityRef{EntityOutlet, o.ID}, append([]string{o.ID, o.Name}, o.Aliases...))
	}
	sort.Strings(ix.vocab)
	ix.byLen = map[int][]string{}
	for _, w := range ix.vocab {
		ix.byLen[len(w)] = append(ix.byLen[len(w)], w)
	}

	// Searchable passages: the briefing's own items first, then every
	// sentence of every source.
	var pending []doc
	add := func(heading, text string, ev []Evidence, refs ...entityRef) {
		pending = append(pending, doc{heading: heading, text: text, evid: ev, ref: refs})
	}
	for _, p := range b.Overview.StateOfPlay {
		add("State of play", p.Text, p.Evid)
	}
	for _, p := range b.Overview.OpenQuestions {
		add("Open question", p.Text, p.Evid)
	}
	for _, a := range b.Actors {
		add(a.Name, a.Summary, a.Evid, entityRef{EntityActor, a.ID})
	}
	for _, o := range b.Options {
		ref := entityRef{EntityOption, o.ID}
		add(o.Name, o.Summary, o.Evid, ref)
		for _, v := range o.Variants {
			add(o.Name+": variant", v.Text, v.Evid, ref)
		}
		for _, q := range o.OpenQuestions {
			add(o.Name+": open question", q.Text, q.Evid, ref)
		}
	}
	// Validation builds the briefing's own lookups meanwhile (see Load).
	actorByID := make(map[string]*Actor, len(b.Actors))
	for _, a := range b.Actors {
		actorByID[a.ID] = a
	}
	optionByID := make(map[string]*Option, len(b.Options))
	for _, o := range b.Options {
		optionByID[o.ID] = o
	}
	for _, p := range b.Positions {
		a, o := actorByID[p.Actor], optionByID[p.Option]
		add(a.Name+" on "+o.Name+" ("+p.Stance.Label()+")", p.Summary, p.Evid,
			entityRef{EntityActor, a.ID}, entityRef{EntityOption, o.ID})
	}
	for _, e := range b.Timeline {
		add("Timeline, "+e.displayDate(), e.Text, e.Evid)
	}
	for _, s := range b.Sources {
		for _, sent := range sentences(s.Text) {
			pending = append(pending, doc{text: sent, sourceID: s.ID, heading: s.Label()})
		}
	}
	// Stemming is most of the work below, and each text's stems depend on
	// that text alone: work them out first on every core.
	texts := []string{b.Overview.BottomLine.Text}
	for _, d := range pending {
		texts = append(texts, d.heading+" "+d.withEvidence(), d.text)
		for _, e := range d.evid {
			texts = append(texts, e.Quote)
		}
		if d.sourceID == "" {
			texts = append(texts, sentencesOf(d.text)...)
		}
	}
	for _, e := range b.Timeline {
		texts = append(texts, e.Text)
	}
	ix.prestem(texts)
	for _, d := range pending {
		ix.addDoc(d)
	}
	ix.stemsOf = map[string][]string{}
	cacheStems := func(text string) {
		if _, ok := ix.stemsOf[text]; !ok {
			ix.stemsOf[text] = ix.memoStems(text)
		}
	}
	seenQuote := map[string]bool{}
	for i, d := range ix.docs {
		cacheStems(d.text)
		for _, e := range d.evid {
			if k := quoteKey(e.Quote); !seenQuote[k] {
				seenQuote[k] = true
				ix.evidence = append(ix.evidence, e)
				cacheStems(e.Quote)
			}
			if e.Via != "" {
				if v := ix.viaDocs[e.Via]; len(v) == 0 || v[len(v)-1] != int32(i) {
					ix.viaDocs[e.Via] = append(v, int32(i))
				}
			}
		}
	}
	for _, e := range b.Timeline {
		cacheStems(e.Text)
	}
	// Every sentence of our own texts, for leads that state one.
	cacheStems(b.Overview.BottomLine.Text)
	for _, d := range ix.docs {
		if d.sourceID == "" {
			for _, sen := range sentencesOf(d.text) {
				cacheStems(sen)
			}
		}
	}
	ix.keyOf, ix.displayOf, ix.actorsIn = map[string]string{}, map[string]string{}, map[string][]entityRef{}
	cacheQuote := func(q string) {
		if _, ok := ix.keyOf[q]; ok {
			return
		}
		ix.displayOf[q] = displayQuote(q)
		ix.keyOf[q] = strings.Join(strings.Fields(ix.displayOf[q]), " ")
	}
	for _, d := range ix.docs {
		if d.sourceID != "" {
			cacheQuote(d.text)
		}
		for _, e := range d.evid {
			cacheQuote(e.Quote)
		}
	}
	for _, p := range append(append([]Point{b.Overview.BottomLine}, b.Overview.StateOfPlay...), b.Overview.OpenQuestions...) {
		for _, e := range p.Evid {
			cacheQuote(e.Quote)
		}
	}
	named := make(map[string][]entityRef, len(ix.evidence))
	for _, e := range ix.evidence {
		named[e.Quote] = ix.actorsNamed(e.Quote)
	}
	ix.actorsIn = named
	ix.namesOf = map[string][]string{}
	for _, o := range b.Options {
		ix.namesOf[o.ID] = stems(o.Name + " " + strings.Join(o.Aliases, " "))
	}
	ix.evidenceWith = map[string][]int{}
	for i, e := range ix.evidence {
		seen := map[string]bool{}
		for _, st := range ix.stemsOf[e.Quote] {
			if !seen[st] {
				seen[st] = true
				ix.evidenceWith[st] = append(ix.evidenceWith[st], i)
			}
		}
	}
	ix.corpusByLen = map[int][]string{}
	for w := range ix.df {
		ix.corpusByLen[len(w)] = append(ix.corpusByLen[len(w)], w)
	}
	total := 0
	for _, d := range ix.docs {
		total += int(d.n)
	}
	ix.memo = nil
	ndocs := len(ix.docs)
	ix.scratch.New = func() any {
		return &scratch{score: make([]float64, ndocs), matched: make([]uint16, ndocs)}
	}
	if len(ix.docs) > 0 {
		ix.avg = float64(total) / float64(len(ix.docs))
	}
	return ix
}

// scratch is search's per-passage accumulators: dense, so a common word
// costs an addition per passage, and cleared by the list of those touched.
type scratch struct {
	score   []float64
	matched []uint16
	touched []int32
}

func (s *scratch) reset() {
	for _, d := range s.touched {
		s.score[d], s.matched[d] = 0, 0
	}
	s.touched = s.touched[:0]
}

// posting is one passage a stem occurs in, and how often.
type posting struct {
	doc, tf int32
}

// withEvidence is the passage's text followed by its evidence's quotes: a
// briefing item is also found by the words of its evidence.
func (d doc) withEvidence() string {
	if len(d.evid) == 0 {
		return d.text
	}
	var sb strings.Builder
	sb.WriteString(d.text)
	for _, e := range d.evid {
		sb.WriteString(" ")
		sb.WriteString(e.Quote)
	}
	return sb.String()
}

func (ix *index) addDoc(d doc) {
	terms := ix.memoStems(d.heading + " " + d.withEvidence())
	if len(terms) == 0 {
		return
	}
	d.n = int32(len(terms))
	at := int32(len(ix.docs))
	for _, t := range terms {
		ps := ix.post[t]
		if n := len(ps); n > 0 && ps[n-1].doc == at {
			ps[n-1].tf++
			continue
		}
		ix.df[t]++
		ix.post[t] = append(ps, posting{doc: at, tf: 1})
	}
	ix.docs = append(ix.docs, d)
}

// prestem fills the memo with the stems of texts, split over every core.
func (ix *index) prestem(texts []string) {
	uniq := texts[:0]
	for _, t := range texts {
		if _, ok := ix.memo[t]; !ok {
			ix.memo[t] = nil
			uniq = append(uniq, t)
		}
	}
	texts = uniq
	out := make([][]string, len(texts))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(texts)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(texts); i += workers {
				out[i] = stems(texts[i])
			}
		})
	}
	wg.Wait()
	for i, t := range texts {
		ix.memo[t] = out[i]
	}
}

// memoStems is stems, remembered while the index is built.
func (ix *index) memoStems(text string) []string {
	if ix.memo == nil {
		return stems(text)
	}
	if st, ok := ix.memo[text]; ok {
		return st
	}
	st := stems(text)
	ix.memo[text] = st
	return st
}

// sentences splits a source text into its sentences and headings, keeping
// only those with enough words to say something.
func sentences(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimSpace(para)
		for para != "" {
			i := sentenceEnd(para)
			s := strings.TrimSpace(para[:i])
			para = strings.TrimSpace(para[i:])
			if len(strings.Fields(s)) >= 4 {
				out = append(out, s)
			}
		}
	}
	return out
}

// sentenceEnd returns the index just past the first sentence of s: a full
// stop, question or exclamation mark (with any closing quotation mark)
// followed by a space and a capital letter or a quotation mark.
func sentenceEnd(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '?' && c != '!' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '"' || s[j] == ')') {
			j++
		}
		if j >= len(s) {
			return len(s)
		}
		if s[j] == ' ' && j+1 < len(s) {
			n := s[j+1]
			if (n >= 'A' && n <= 'Z') || n == '"' {
				return j
			}
		}
	}
	return len(s)
}

// mention is an entity found in a question.
type mention struct {
	ref   entityRef
	form  nameForm
	typed string // the words as typed
	fixed bool   // matched only after correcting a typo
	at    int    // index of its first token
	n     int    // how many tokens it spans
}

// correct returns the known name word closest to w within the typo budget
// for its length, or "" when none is close or two are equally close.
func (ix *index) correct(w string) string {
	if ix.vocabSet[w] {
		return w
	}
	limit := maxTypos(len(w))
	if limit == 0 {
		return ""
	}
	best, bestD, tie := "", limit+1, false
	for _, v := range ix.near(len(w), limit) {
		if len(v) < 4 {
			continue
		}
		d := editDistance(w, v, min(limit, maxTypos(len(v))))
		switch {
		case d < bestD:
			best, bestD, tie = v, d, false
		case d == bestD && d <= limit && !ix.shareName(v, best):
			// Equally close to words of unrelated names: ambiguous. Two
			// spellings of one name (zelensky, zelenskyy) are not.
			tie = true
		}
	}
	if bestD > limit || tie {
		return ""
	}
	return best
}

// near returns the vocabulary words whose length is within d of n, in
// length order then alphabetical order.
func (ix *index) near(n, d int) []string {
	if d == 0 {
		return ix.byLen[n]
	}
	var out []string
	for l := max(1, n-d); l <= n+d; l++ {
		out = append(out, ix.byLen[l]...)
	}
	return out
}

// shareName reports whether two name words occur in a common entity's names.
func (ix *index) shareName(a, b string) bool {
	for _, r := range ix.nameWords[a] {
		if slices.Contains(ix.nameWords[b], r) {
			return true
		}
	}
	return false
}

// mentions finds the actors, options and outlets a question names, longest
// name first, reading typos as the closest known name. It also returns the
// question's words that named nothing.
func (ix *index) mentions(toks []token) (found []mention, rest []token) {
	return ix.mentionsFixed(toks, ix.fix(toks))
}

// fix returns each token's stem, or the known name word it is a typo of.
func (ix *index) fix(toks []token) []string {
	fixed := make([]string, len(toks))
	for i, t := range toks {
		// A word the sources use is that word, not a typo of a name
		// ("part" is not "port").
		if ix.df[t.stem] > 0 && !ix.vocabSet[t.stem] {
			fixed[i] = t.stem
			continue
		}
		if c := ix.correct(t.stem); c != "" {
			fixed[i] = c
		} else {
			fixed[i] = t.stem
		}
	}
	return fixed
}

func (ix *index) mentionsFixed(toks []token, fixed []string) (found []mention, rest []token) {
	for i := 0; i < len(toks); {
		matched := false
		for n := min(ix.maxPhrase, len(toks)-i); n >= 1; n-- {
			key := strings.Join(fixed[i:i+n], " ")
			ph, ok := ix.phrases[key]
			if !ok {
				continue
			}
			m := mention{ref: ph.ref, form: ph.form, at: i, n: n}
			var typed []string
			for k := i; k < i+n; k++ {
				typed = append(typed, toks[k].raw)
				if fixed[k] != toks[k].stem {
					m.fixed = true
				}
			}
			m.typed = strings.Join(typed, " ")
			found = append(found, m)
			i += n
			matched = true
			break
		}
		if !matched {
			rest = append(rest, toks[i])
			i++
		}
	}
	return found, rest
}

// byWords finds the entities of the given kind whose names contain every
// one of the (typo-corrected) words: "kaja" finds Kaja Kallas.
func (ix *index) byWords(fixed []string, kind EntityKind) []entityRef {
	var cands []entityRef
	for i, w := range fixed {
		if !ix.vocabSet[w] {
			return nil
		}
		var these []entityRef
		for _, r := range ix.nameWords[w] {
			if r.kind == kind {
				these = append(these, r)
			}
		}
		if i == 0 {
			cands = these
			continue
		}
		cands = slices.DeleteFunc(cands, func(r entityRef) bool { return !slices.Contains(these, r) })
	}
	return cands
}

// suggest returns up to n entities of the given kinds whose names are
// closest to the words typed, closest first.
func (ix *index) suggest(toks []token, n int, kinds ...EntityKind) []entityRef {
	type scored struct {
		ref   entityRef
		score float64
	}
	// A suggestion needs a score of at least minScore: a prefix of a name
	// word (or a name word that is its prefix), or at most
	// (1-minScore)·length edits away from one.
	const minScore = 0.65
	best := map[entityRef]float64{}
	consider := func(w string, score float64) {
		for _, r := range ix.nameWords[w] {
			if slices.Contains(kinds, r.kind) && score > best[r] {
				best[r] = score
			}
		}
	}
	for _, t := range toks {
		n := len(t.stem)
		if n < 4 {
			continue
		}
		for _, w := range ix.vocab {
			if len(w) >= 4 && (strings.HasPrefix(w, t.stem) || strings.HasPrefix(t.stem, w)) {
				consider(w, 0.75)
			}
		}
		for _, w := range ix.near(n, int(float64(n)*(1-minScore)/minScore)) {
			m := max(len(w), n)
			lim := int(float64(m) * (1 - minScore))
			if len(w) < 4 || lim == 0 {
				continue
			}
			if d := editDistance(t.stem, w, lim); d <= lim {
				consider(w, 1-float64(d)/float64(m))
			}
		}
	}
	var out []scored
	for r, s := range best {
		if s >= minScore {
			out = append(out, scored{r, s})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].ref.id < out[j].ref.id
	})
	refs := make([]entityRef, 0, n)
	for i := 0; i < len(out) && i < n; i++ {
		refs = append(refs, out[i].ref)
	}
	return refs
}

// hit is a search result.
type hit struct {
	doc   *doc
	score float64
}

// search ranks passages by BM25 over the question's words and keeps those
// that contain at least half of the distinct words searched for.
func (ix *index) search(toks []token, n int) []hit {
	var terms []string
	for _, t := range toks {
		if !slices.Contains(terms, t.stem) {
			terms = append(terms, t.stem)
		}
	}
	if len(terms) == 0 || len(ix.docs) == 0 {
		return nil
	}
	const k1, b = 1.2, 0.75
	N := float64(len(ix.docs))
	need := (len(terms) + 1) / 2
	// Scores accumulate term by term, in the order of the terms, for
	// every passage that has one: the same sums a scan of every passage
	// would make.
	sc := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(sc)
	defer sc.reset()
	for _, t := range terms {
		ps := ix.post[t]
		if len(ps) == 0 {
			continue
		}
		df := float64(ix.df[t])
		idf := math.Log(1 + (N-df+0.5)/(df+0.5))
		for _, p := range ps {
			f := float64(p.tf)
			if sc.matched[p.doc] == 0 {
				sc.touched = append(sc.touched, p.doc)
			}
			sc.score[p.doc] += idf * f * (k1 + 1) / (f + k1*(1-b+b*float64(ix.docs[p.doc].n)/ix.avg))
			sc.matched[p.doc]++
		}
	}
	// The n best, best first; on a tie the earlier passage.
	var hits []hit
	var at []int32
	better := func(s float64, d int32, i int) bool {
		return s > hits[i].score || s == hits[i].score && d < at[i]
	}
	for _, d := range sc.touched {
		s := sc.score[d]
		if int(sc.matched[d]) < need || s <= 0 {
			continue
		}
		// Prefer the briefing's own items, which carry attribution.
		if ix.docs[d].sourceID == "" {
			s *= 1.25
		}
		if len(hits) == n && !better(s, d, n-1) {
			continue
		}
		i := len(hits)
		if i < n {
			hits, at = append(hits, hit{}), append(at, 0)
		} else {
			i--
		}
		for ; i > 0 && better(s, d, i-1); i-- {
			hits[i], at[i] = hits[i-1], at[i-1]
		}
		hits[i], at[i] = hit{&ix.docs[d], s}, d
	}
	return hits
}
