package ingest

import (
	"regexp"
	"slices"
	"strings"
)

// roleNouns head a phrase that names a speaker by office alone ("the
// minister said", "the Kremlin spokesman added").
var roleNouns = setOf("president", "minister", "chancellor", "secretary", "general", "mayor", "spokesman", "spokeswoman",
	"spokesperson", "envoy", "senator", "ambassador", "commander", "chief", "premier", "leader", "diplomat", "presenter",
	"correspondent", "governor", "admiral", "director", "head", "analyst", "chairman", "chairwoman", "chair", "congressman",
	"congresswoman", "commissioner", "official", "representative", "adviser", "advisor", "researcher", "fellow", "expert",
	"professor", "colonel", "officer", "negotiator", "king", "queen", "pope", "host", "anchor", "reporter", "editor",
	"brigadier", "judge", "counsel", "lawyer", "major", "captain", "lieutenant", "sergeant", "marshal", "moderator",
	"tánaiste", "taoiseach")

// roleKin are offices a writer uses for one another: a defence secretary
// is also "the minister", a spokeswoman "the spokesperson".
var roleKin = map[string][]string{
	"minister":      {"secretary"},
	"secretary":     {"minister"},
	"spokesman":     {"spokesperson", "spokeswoman"},
	"spokeswoman":   {"spokesperson", "spokesman"},
	"spokesperson":  {"spokesman", "spokeswoman"},
	"chief":         {"head"},
	"head":          {"chief"},
	"chairman":      {"chair"},
	"chairwoman":    {"chair"},
	"premier":       {"prime minister"},
	"fellow":        {"analyst", "researcher"},
	"analyst":       {"fellow", "researcher", "expert"},
	"expert":        {"analyst"},
	"host":          {"presenter"},
	"presenter":     {"host"},
	"anchor":        {"presenter", "host"},
	"general":       {"gen."},
	"congressman":   {"representative"},
	"congresswoman": {"representative"},
}

// roleHead returns the office a phrase like "the former defence minister"
// names (its last word), or "" when the phrase is not "the" + an office.
// roleMods are the capitalised words of an office phrase ("the
// Ukrainian president" → "ukrainian"), which the holder's presentation
// must share.
func roleMods(p string) []string {
	var out []string
	for _, w := range strings.Fields(p) {
		if capitalised(w) && !strings.EqualFold(w, "the") {
			// "the EU's top diplomat": the body, without its possessive
			w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

func roleHead(p string) string {
	lp := strings.ToLower(strings.TrimSpace(p))
	rest, ok := strings.CutPrefix(lp, "the ")
	if !ok || hasPersonName(p) {
		return ""
	}
	f := strings.Fields(rest)
	if len(f) == 0 || len(f) > 5 {
		return ""
	}
	if h := f[len(f)-1]; roleNouns[h] {
		if h == "general" && len(f) > 1 && f[len(f)-2] == "secretary" {
			return "secretary general"
		}
		return h
	}
	return ""
}

// personRun matches a run of capitalised words: a candidate name with
// any title words before it.
// (a paragraph break ends it: "… – Moloney\n\nTánaiste says")
var personRun = regexp.MustCompile(`\p{Lu}[\p{L}’'\-\.]*(?:(?:[ \t]+|[ \t]*\n[ \t]*)\p{Lu}[\p{L}’'\-\.]*)+`)

// byRole resolves "the minister" to the person the article last
// presented with that office before off: a title before the name
// ("Mayor Konrad Fijołek", "Poland's foreign minister, Radosław
// Sikorski"), an appositive after it ("Helen McEntee, the Minister for
// Foreign Affairs"), or a known actor's role. The office's other words
// must fit too: "the Ukrainian president" is not the French one. When no
// one was presented with the office, it is the person the text is about
// (the first named in the nearest sentence before): a reader takes "the
// senator" after "Penny Wong said" to be her.
func (a *attributor) byRole(head string, off int, mods ...string) (speaker, bool) {
	heads := append([]string{head}, roleKin[head]...)
	if head == "secretary general" {
		heads = []string{"secretary general", "secretary-general"}
	}
	has := func(ctx string) bool {
		ctx = strings.ToLower(ctx)
		found := false
		for _, h := range heads {
			if containsWord(ctx, h) {
				found = true
			}
		}
		if !found {
			return false
		}
		for _, m := range mods {
			ok := containsWord(ctx, m)
			for _, n := range a.adjOf[m] {
				ok = ok || containsWord(ctx, n)
			}
			for _, n := range nationKin(m) {
				ok = ok || containsWord(ctx, n)
			}
			if !ok {
				return false
			}
		}
		return true
	}
	text := a.text[:min(off, len(a.text))]
	// "a European diplomat said … the diplomat added": the office last
	// named an unnamed person.
	from := a.lastIndefinite(text, heads)
	best, bestAt := speaker{}, -1
	// Known actors named before off, by their recorded role or by the words
	// presenting the mention.
	for _, m := range a.names.mentions(text) {
		if !m.person || a.inSpan[m.at] || m.at < bestAt {
			continue
		}
		if has(a.roleOf(m.id)) || has(a.around(m.at, m.at+len(m.text))) {
			best, bestAt = speaker{id: m.id, name: m.name}, m.at
		}
	}
	for _, loc := range personRun.FindAllStringIndex(text, -1) {
		if a.inSpan[loc[0]] || loc[0] < bestAt {
			continue
		}
		run := text[loc[0]:loc[1]]
		if !hasPersonName(run) || !has(a.around(loc[0], loc[1])+" "+run) {
			continue
		}
		if spk, ok := a.resolvePhraseRole(strings.TrimRight(run, "."), "", loc[0]); ok && spk.id != "" && a.isPerson(spk.id) {
			best, bestAt = spk, loc[0]
		}
	}
	if from >= 0 && bestAt < from {
		a.anon = true // no one presented with the office since
		return speaker{}, false
	}
	return best, bestAt >= 0
}

// nationalities reports whether every modifier of an office is a
// country's adjective or name ("the Romanian president", "Poland's
// defence minister").
func (a *attributor) nationalities(mods []string) bool {
	for _, m := range mods {
		if len(a.adjOf[m]) == 0 && len(nationKin(m)) == 0 {
			return false
		}
	}
	return true
}

// demonyms maps a country's adjective to its names, for offices written
// with either ("the German chancellor", "Germany's chancellor").
var demonyms = map[string][]string{
	"american": {"america", "united states", "us", "u.s."}, "australian": {"australia"}, "austrian": {"austria"},
	"belarusian": {"belarus"}, "belgian": {"belgium"}, "british": {"britain", "united kingdom", "uk", "u.k."},
	"bulgarian": {"bulgaria"}, "canadian": {"canada"}, "chinese": {"china"}, "croatian": {"croatia"},
	"czech": {"czechia", "czech republic"}, "korean": {"korea", "south korea"}, "danish": {"denmark"}, "dutch": {"netherlands", "holland"},
	"estonian": {"estonia"}, "european": {"europe", "eu"}, "finnish": {"finland"}, "french": {"france"},
	"georgian": {"georgia"}, "german": {"germany"}, "greek": {"greece"}, "hungarian": {"hungary"},
	"icelandic": {"iceland"}, "indian": {"india"}, "irish": {"ireland"}, "israeli": {"israel"}, "italian": {"italy"},
	"japanese": {"japan"}, "latvian": {"latvia"}, "lithuanian": {"lithuania"}, "moldovan": {"moldova"},
	"norwegian": {"norway"}, "polish": {"poland"}, "portuguese": {"portugal"}, "romanian": {"romania"},
	"russian": {"russia"}, "slovak": {"slovakia"}, "slovenian": {"slovenia"}, "spanish": {"spain"},
	"swedish": {"sweden"}, "swiss": {"switzerland"}, "turkish": {"turkey", "türkiye"}, "ukrainian": {"ukraine"},
}

// nationKin is the other words for a country a modifier names: its names
// for an adjective ("german" → "germany"), its adjective for a name.
func nationKin(m string) []string {
	if ns, ok := demonyms[m]; ok {
		return ns
	}
	for adj, ns := range demonyms {
		if slices.Contains(ns, m) {
			return append([]string{adj}, ns...)
		}
	}
	return nil
}

// otherNation reports whether an actor's role names a country other
// than the modifiers' ("President of France" is not "the Ukrainian
// president").
func (a *attributor) otherNation(id string, mods []string) bool {
	role := strings.ToLower(a.roleOf(id))
	kin := slices.Clone(mods)
	for _, m := range mods {
		kin = append(kin, nationKin(m)...)
	}
	for adj, names := range demonyms {
		if slices.Contains(kin, adj) {
			continue
		}
		if containsWord(role, adj) || slices.ContainsFunc(names, func(n string) bool { return containsWord(role, n) }) {
			return true
		}
	}
	for adj, names := range a.adjOf {
		if slices.Contains(kin, adj) {
			continue
		}
		if containsWord(role, adj) || slices.ContainsFunc(names, func(n string) bool { return containsWord(role, n) }) {
			return true
		}
	}
	return false
}

// isPerson reports whether an actor id is a person: a known person or
// one the article introduces.
func (a *attributor) isPerson(id string) bool {
	for _, al := range a.names.known {
		if al.id == id {
			return al.person
		}
	}
	return false
}

// roleOf is an existing or proposed actor's role.
func (a *attributor) roleOf(id string) string {
	if r, ok := a.roles[id]; ok {
		return r
	}
	for _, n := range a.names.proposed {
		if n.ID == id {
			return n.Role
		}
	}
	return ""
}

// around is the words presenting a name at text[start:end]: the title
// words just before it ("press secretary Karoline Leavitt"), the phrase
// before a comma just before it ("Poland's foreign minister, Radosław
// Sikorski"), and an appositive after it (", the chief of the defence
// staff,").
func (a *attributor) around(start, end int) string {
	s0 := sentenceStart(a.text, start, 0)
	before := a.text[s0:start]
	lead := ""
	if t := strings.TrimRight(before, " "); strings.HasSuffix(t, ",") {
		t = strings.TrimSuffix(t, ",")
		if k := strings.LastIndexAny(t, ",;:"); k >= 0 {
			t = t[k+1:]
		}
		lead = t
	} else {
		ws := words(before)
		k := len(ws)
		for k > 0 && len(ws)-k < 4 {
			w := strings.ToLower(before[ws[k-1][0]:ws[k-1][1]])
			if speechVerbs[w] || functionWords[w] && w != "the" || strings.ContainsAny(before[ws[k-1][1]:], ",;:.") {
				break
			}
			k--
		}
		if k < len(ws) {
			lead = before[ws[k][0]:]
		}
	}
	after := ""
	if rest := a.text[end:]; strings.HasPrefix(rest, ", ") {
		rest = rest[2:]
		if k := strings.IndexAny(rest, ",.;:\n"); k >= 0 && k < 120 {
			after = rest[:k]
		}
	}
	return lead + " " + after
}

// anonymous reports a speaker phrase that names no one: "one Nato
// official", "a senior diplomat", "two people familiar with the talks".
func anonymous(p string) bool {
	for _, c := range []string{"and ", "but ", "while ", "as ", "though ", "when ", "And ", "But ", "While ", "As ", "Though ", "When "} {
		p = strings.TrimPrefix(strings.TrimSpace(p), c) // "…, and one EU diplomat described"
	}
	f := strings.Fields(strings.ToLower(strings.TrimSpace(p)))
	if len(f) < 2 {
		return false
	}
	// "Kremlin officials", "EU diplomats": a body's people, unnamed
	if last := strings.Trim(f[len(f)-1], ",.;:"); len(f) <= 4 && strings.HasSuffix(last, "s") && anonNouns[last] && !hasPersonName(p) {
		body := true // every word before the noun names the body: "White House aides", not "Asked about soldiers"
		for _, w := range strings.Fields(p)[:len(f)-1] {
			body = body && capitalised(w) && !strings.HasSuffix(strings.ToLower(w), "ed")
		}
		if body {
			return true
		}
	}
	switch f[0] {
	case "a", "an", "one", "another", "some", "several", "two", "three", "four", "many", "most", "other", "senior", "officials", "sources", "people":
	default:
		return false
	}
	// (the determiner is no part of a name: "One EU diplomat")
	if rest := strings.Fields(p)[1:]; hasPersonName(strings.Join(rest, " ")) {
		return false
	}
	for _, w := range f {
		w = strings.Trim(w, ",.;:")
		if w == "he" || w == "she" || w == "the" {
			return false // "a few minutes later he wrote", "a shift the judge described"
		}
		if roleNouns[w] || anonNouns[w] || roleNouns[strings.TrimSuffix(w, "s")] {
			return true
		}
	}
	return false
}

// anonNouns are the people an unnamed source is: "a source", "one
// person familiar with the talks".
var anonNouns = setOf("source", "sources", "person", "people", "aide", "aides", "insider", "insiders", "member", "members",
	"lawmaker", "lawmakers", "soldier", "soldiers", "resident", "residents", "figure", "figures", "officials", "diplomats",
	"observer", "observers", "participant", "participants", "staffer", "staffers", "juror", "jurors", "voter", "voters",
	"attendee", "attendees", "planner", "planners", "backbencher", "backbenchers", "reader", "readers", "listener", "listeners", "villager", "villagers", "fisherman",
	"farmer", "farmers", "worker", "workers", "student", "students", "pensioner", "pensioners", "woman", "man", "women", "men")

// titleNouns before a quotation mark make it a title (of a paper, a
// plan, an operation), not speech.
var titleNouns = setOf("paper", "report", "study", "book", "article", "document", "memo", "memorandum", "plan", "strategy",
	"operation", "exercise", "programme", "program", "initiative", "doctrine", "titled", "entitled", "headlined",
	"codenamed", "code-named", "named", "brief", "briefing", "essay", "column", "podcast", "show", "series", "slogan",
	"banner", "campaign", "declaration", "communiqué", "communique", "treaty", "accord", "framework", "concept", "headline")

// callTerm is "what strategists call", "what some term", "what is known
// as": a name for something, by no one in particular ("what he called"
// is his speech).
var callTerm = regexp.MustCompile(`(?i)\bwhat\s+(?:(?:is|are|was|were|has been|have been|is now|are now)\s+(?:\w+ly\s+)?(?:called|termed|dubbed|known as|described as)|(?:some|many|others|\w+s)\s+(?:\w+\s+)?(?:call|term|dub|describe as|refer to as))\s*$`)

// collectiveCall is a body naming its own creation: "what it is calling
// the", "what they call": a label, not a person's speech.
// groupCall is an unnamed group's label: "a U.S. role that officials
// have privately taken to calling the "backstop"".
var groupCall = regexp.MustCompile(`\b(?:officials|diplomats|analysts|planners|critics|observers|insiders|strategists|aides|commentators|experts|some|many|others)\s+(?:\p{L}+\s+){0,8}(?:calling|call|calls|called|dub|dubbing|dubbed|term|termed|refer to as|describe as)(?:\s+(?:it|the|a|an))?\s*$`)

var collectiveCall = regexp.MustCompile(`\b[Ww]hat\s+(?:it|they|[a-z]+s|the\s+(?:administration|government|white\s+house|kremlin|pentagon|ministry|alliance|coalition|commission|eu|nato|army|military))\s+(?:[a-z]+\s+){0,3}(?:calling|calls|call|called|naming|names|dubbing|dub)(?:\s+(?:the|a|an|its|their))?\s*$`)

// describedAs is a name given by no one in particular: "described by
// officials as", "known as", "billed as".
var describedAs = regexp.MustCompile(`(?i)(?:\b(?:described|billed|branded|labelled|labeled|referred to|characterised|characterized)\s+by\s+(?:some\s+|many\s+)?\w+\s+as|\b(?:is|are|was|were|been|being)\s+(?:often\s+|widely\s+)?(?:described|billed|branded|labelled|labeled|referred to)\s+as)\s*$`)

// termBefore reports words before a quotation mark that make it a term or
// a title rather than anyone's speech: "so-called", "what strategists
// call", "the report", "titled", or an article before a short phrase ("an
// "air shield"").
func termBefore(lb string, words int, endsSentence, capital bool) bool {
	lb = strings.TrimRight(lb, " \n")
	for _, m := range termMarkers {
		if strings.HasSuffix(lb, m) || strings.HasSuffix(lb, m+" a") || strings.HasSuffix(lb, m+" an") || strings.HasSuffix(lb, m+" the") {
			return true
		}
	}
	if callTerm.MatchString(lb) || describedAs.MatchString(lb) || collectiveCall.MatchString(lb) || groupCall.MatchString(lb) {
		return true
	}
	last := lastWord(strings.TrimRight(lb, ",:"))
	last = strings.Trim(last, "()")
	if titleNouns[last] && capital && !strings.HasSuffix(lb, ":") { // a title is capitalised: the plan "still depends" is no title
		return true
	}
	// a one- or two-word phrase after "a US", "the European": a term
	if f := strings.Fields(lb); words <= 2 && !endsSentence && len(f) >= 2 && !verbNear(lb) {
		switch f[len(f)-2] {
		case "a", "an", "the":
			return true
		}
	}
	if words <= 5 && !endsSentence && !verbNear(lb) {
		switch last {
		case "a", "an", "the", "its", "their", "our", "this", "his", "her":
			return true
		}
	}
	return false
}

// lastIndefinite is the offset of the last mention of one of the offices
// in text, when an indefinite article or "one" introduces it ("a senior
// diplomat"), outside quotations; -1 when the last mention is not one.
func (a *attributor) lastIndefinite(text string, heads []string) int {
	lt := strings.ToLower(text)
	last, lastAt := -1, -1
	for _, h := range heads {
		from := 0
		for {
			k := indexWord(lt[from:], h)
			if k < 0 {
				break
			}
			k += from
			from = k + len(h)
			if !a.inSpan[k] && k > lastAt {
				lastAt = k
			}
		}
	}
	if lastAt < 0 {
		return -1
	}
	ws := words(lt[max(0, lastAt-40):lastAt])
	seg := lt[max(0, lastAt-40):lastAt]
	for j := len(ws) - 1; j >= 0 && j >= len(ws)-3; j-- {
		switch seg[ws[j][0]:ws[j][1]] {
		case "a", "an", "one", "another":
			// "Hugh Trevelyan-Marsh, a former British diplomat": an
			// appositive presents a named person, no unnamed one
			pre := strings.TrimRight(text[:max(0, lastAt-40)+ws[j][0]], " ")
			if strings.HasSuffix(pre, ",") && isNameWord(lastWord(strings.TrimSuffix(pre, ","))) {
				return -1
			}
			last = lastAt
		case "the", "his", "her", "their":
			return -1
		}
		if last >= 0 {
			break
		}
	}
	return last
}
