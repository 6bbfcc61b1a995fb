package ingest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/briefbot/briefbot/briefings"
)

// NewActor is a speaker the briefing does not know yet, proposed with the
// name and role the article gives.
type NewActor struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// nameTable resolves names, aliases and roles to actors, and collects the
// new actors an article introduces.
type nameTable struct {
	known    []alias // longest first
	proposed []*NewActor
	taken    map[string]bool
}

type alias struct {
	text, id, name string
	person         bool
}

func newNameTable(b *briefings.Briefing) *nameTable {
	t := &nameTable{taken: map[string]bool{}}
	for _, a := range b.Actors {
		t.taken[a.ID] = true
		person := a.Kind == "person"
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			t.known = append(t.known, alias{n, a.ID, a.Name, person})
		}
		if person && len(strings.Fields(a.Name)) > 1 {
			t.known = append(t.known, alias{lastWord(a.Name), a.ID, a.Name, person}) // "Peskov said"
		}
		if a.Role != "" && !strings.Contains(a.Role, ";") && person {
			t.known = append(t.known, alias{a.Role, a.ID, a.Name, person})
		}
	}
	t.sort()
	return t
}

func (t *nameTable) sort() {
	slices.SortStableFunc(t.known, func(x, y alias) int { return len(y.text) - len(x.text) })
}

// match finds the known actor a speaker phrase names: the longest name,
// alias or role in it that is not a possessive ("Trump's envoy").
func (t *nameTable) match(p string) (id, name string, person, ok bool) {
	for _, al := range t.known {
		k := indexWord(p, al.text)
		if k < 0 {
			continue
		}
		if al.text == strings.ToUpper(al.text) && p[k:k+len(al.text)] != al.text {
			continue // an acronym matches in capitals only: "told us" is not the US
		}
		rest := p[k+len(al.text):]
		if strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s") {
			continue
		}
		return al.id, al.name, al.person, true
	}
	return "", "", false, false
}

// mention is a name found in a passage.
type mention struct {
	at       int
	id, name string
	text     string
	person   bool
}

// mentions finds the actors a passage names, longest names first and
// without overlaps; a name must start with a capital letter in the text.
func (t *nameTable) mentions(seg string) []mention {
	used := make([]bool, len(seg))
	var out []mention
	for _, al := range t.known {
		from := 0
		for from < len(seg) {
			k := indexWord(seg[from:], al.text)
			if k < 0 {
				break
			}
			k += from
			from = k + len(al.text)
			r, _ := utf8.DecodeRuneInString(seg[k:])
			if !unicode.IsUpper(r) || slices.Contains(used[k:k+len(al.text)], true) {
				continue
			}
			for j := k; j < k+len(al.text); j++ {
				used[j] = true
			}
			out = append(out, mention{at: k, id: al.id, name: al.name, text: seg[k : k+len(al.text)], person: al.person})
		}
	}
	return out
}

// openers are capitalised words that open a sentence but start no name.
var openers = setOf("a", "an", "take", "or", "and", "but", "asked", "like", "unlike", "in", "on", "at", "for", "after", "before",
	"when", "while", "as", "so", "then", "meanwhile", "however", "still", "even", "yet", "also", "now", "speaking",
	"writing", "according", "both", "neither", "either", "last", "this", "that", "these", "those", "its", "his", "her",
	"their", "our", "ask", "consider", "meet", "from", "with", "without", "by", "to", "during", "since", "until",
	"if", "although", "though", "because", "where", "why", "how", "what", "who", "here", "there", "today", "yesterday",
	// a liveblog's time zones: "12.10 BST Dmitry Peskov said"
	"bst", "gmt", "utc", "cet", "cest", "eet", "eest", "msk", "est", "edt", "pst", "pdt")

// titleWords are words of a title or role, not of a name.
var titleWords = setOf("president", "prime", "minister", "secretary", "chancellor", "spokeswoman", "spokesman",
	"spokesperson", "chief", "foreign", "defence", "defense", "former", "general", "secretary-general", "ambassador",
	"envoy", "senator", "representative", "admiral", "commissioner", "high", "king", "queen", "mr", "mrs", "ms", "dr",
	"deputy", "vice", "head", "director", "professor", "colonel", "analyst", "correspondent", "editor", "commander",
	"leader", "speaker", "mayor", "governor", "sir", "dame", "lord", "the", "of", "adviser", "advisor", "official",
	"gen.", "sen.", "rep.", "dr.", "mr.", "mrs.", "ms.", "ministry", "office", "security", "national", "state",
	"sen", "gen", "rep", "gov", "lt", "col", "sgt", "capt", "maj", "adm", "prof", "dr", "mr", "mrs", "ms", "co-leader",
	"host", "co-host", "anchor", "presenter", "moderator", "chair", "chairman", "chairwoman", "lieutenant", "major",
	"brigadier", "captain", "sergeant", "marshal", "field", "mep", "mp", "meps", "mps", "congressman", "congresswoman",
	"lawmaker", "headmistress", "headmaster", "mayor-elect",
	// military ranks in more than one word: "Air Vice-Marshal Catriona Blake", "Rear Admiral"
	"air", "vice-marshal", "vice-admiral", "rear", "commodore", "wing", "squadron", "corporal", "judge", "justice",
	"brig", "tánaiste", "taoiseach", "retd", "(retd)", "retd.", "councillor", "councilor", "federal",
	"councilman", "councilwoman", "assemblyman", "assemblywoman", "alderman")

// nameParticles join the parts of a name in lower case: "Jan van Aken",
// "Ursula von der Leyen".
var nameParticles = setOf("van", "von", "der", "den", "de", "du", "da", "di", "del", "la", "le", "bin", "al", "ter", "ten",
	"ó", "ní", "nic", "ua", "mac") // Irish: "Colm Ó Riordáin", "Catherine Ní Bhriain"

// nonNames are capitalised words that start sentences or name no one.
var nonNames = setOf("die", "der", "das", "les", "el", "il", "het", "read", "watch", "listen", "related", "see", "more", "no", "every", "each", "any", "all", "officials", "analysts", "experts", "sources", "diplomats", "critics", "observers", "many", "some",
	"others", "people", "it", "this", "that", "these", "those", "one", "we", "i", "you", "they", "he", "she")

// institutionWords name a body or an event, never a person: a run of
// capitalised words holding one ("Verkhovna Rada", "Security Council",
// "Air Force One") is no one's name.
var institutionWords = setOf("rada", "council", "parliament", "assembly", "commission", "ministry", "office", "committee",
	"house", "senate", "bundestag", "congress", "kremlin", "pentagon", "force", "forces", "alliance", "union", "agency",
	"service", "department", "forum", "summit", "conference", "government", "cabinet", "court", "bank", "fund",
	"declaration", "memorandum", "treaty", "accord", "agreement", "compact", "plan", "initiative", "coalition",
	"army", "navy", "guard", "command", "headquarters", "mission", "group", "party", "news", "times", "post",
	"journal", "radio", "television", "tv", "street", "square", "palace", "élysée", "elysee", "downing", "école", "ecole",
	"militaire", "academy", "institute", "institution", "university", "college", "school", "centre", "center",
	// and places
	"sea", "ocean", "gulf", "bay", "strait", "river", "mountains", "coast", "peninsula", "island", "islands", "region",
	"oblast", "valley", "airport", "base", "social",
	// and programmes
	"evening", "morning", "tonight", "programme", "program", "show", "podcast", "hour", "briefing",
	// and outlets and page parts
	"echo", "herald", "gazette", "tribune", "chronicle", "courier", "dispatch", "ledger", "note", "notes", "update")

// nationalRun reports a run of capitalised words that are all compass
// points or nationalities ("South Korean").
func nationalRun(run []string) bool {
	for _, w := range run {
		lw := strings.ToLower(strings.TrimRight(w, ",.;:"))
		switch lw {
		case "south", "north", "east", "west", "korean", "koreans", "american", "european", "western", "eastern":
			continue
		}
		return false
	}
	return true
}

// institutional reports whether a run of capitalised words names a body
// or an event rather than a person.
func institutional(run string) bool {
	for _, w := range strings.Fields(run) {
		if institutionWords[strings.ToLower(strings.Trim(w, ",.;:’'"))] {
			return true
		}
	}
	return false
}

// propose reads a new person's name (and role) from a speaker phrase:
// the last run of capitalised words that are not a title, at least two
// words long ("Finnish President Alexander Stubb"); a lone surname names
// a new actor proposed earlier.
func (t *nameTable) propose(p, role string) (id, name string, ok bool) {
	toks := strings.Fields(p)
	end := len(toks)
	for end > 0 && !isNameWord(toks[end-1]) {
		end--
	}
	start := end
	for start > 0 {
		if isNameWord(toks[start-1]) {
			start--
			continue
		}
		// particles, one or two, between name words: "Ursula von der Leyen"
		k := start - 1
		for k > 0 && nameParticles[toks[k]] && start-k <= 2 {
			k--
		}
		if k < start-1 && isNameWord(toks[k]) && nameParticles[toks[k+1]] {
			start = k
			continue
		}
		break
	}
	for end > start && openers[strings.ToLower(strings.TrimRight(toks[end-1], ",.;:"))] {
		end-- // "… Taras Kovalchuk-Melnyk. In a post": the next sentence's opener
	}
	run := toks[start:end]
	for len(run) > 0 && start == 0 && openers[strings.ToLower(strings.TrimRight(run[0], ","))] {
		run = run[1:] // "Take Mark Rutte", "In Kyiv": a sentence's first word, not a name
		start++
	}
	if len(run) == 0 {
		return "", "", false
	}
	full := strings.Join(run, " ")
	if nationalRun(run) {
		return "", "", false // "South Korean", "North Korean": no one's name
	}
	if id, name, _, ok := t.match(full); ok {
		return id, name, true // an actor the briefing has, by another phrase
	}
	for _, n := range t.proposed {
		if n.Name == full || lastWord(n.Name) == full {
			return n.ID, n.Name, true
		}
	}
	// the same name with or without its diacritics ("Ionuț Moșteanu",
	// "Ionut Mosteanu"): the actor the briefing has
	for _, al := range t.known {
		if al.person && al.text == al.name && slug(al.name) == slug(full) {
			return al.id, al.name, true
		}
	}
	if len(run) < 2 || len(run) > 4 || nonNames[strings.ToLower(run[0])] || institutional(full) ||
		len(run) == 2 && nameParticles[strings.ToLower(run[0])] { // "Ó Riordáin": a surname, not a full name
		return "", "", false
	}
	if role == "" {
		role = strings.Join(toks[:start], " ")
	}
	role = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(role, "the "), "The "))
	id = slug(full)
	for k := 2; t.taken[id]; k++ {
		id = slug(full) + "-" + string(rune('0'+k))
	}
	t.taken[id] = true
	n := &NewActor{ID: id, Name: full, Role: role}
	t.proposed = append(t.proposed, n)
	t.known = append(t.known, alias{full, id, full, true}, alias{lastWord(full), id, full, true})
	// A role of one word ("President") would claim every president.
	if role != "" && wordCount(role) >= 2 && wordCount(role) <= 5 {
		t.known = append(t.known, alias{role, id, full, true})
	}
	t.sort()
	return id, full, true
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

func isNameWord(w string) bool {
	w = strings.TrimRight(w, ",.;:")
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	if strings.ContainsAny(w, "0123456789") {
		return false // "F-16s", "G7"
	}
	switch strings.ToLower(strings.ReplaceAll(w, "’", "'")) {
	case "i", "i'm", "i've", "i'd", "i'll":
		return false // "I'm Ingrid Solbakken": the speaker, no part of the name
	}
	if strings.Contains(w, "-") {
		// "Lt.-Gen.", "Vice-Adm.": a title in parts
		title := true
		for _, part := range strings.Split(w, "-") {
			title = title && titleWords[strings.ToLower(strings.TrimRight(part, "."))]
		}
		if title {
			return false
		}
	}
	return !titleWords[strings.ToLower(w)] && !strings.HasSuffix(w, "'s") && !strings.HasSuffix(w, "’s")
}

// slug turns a name into an id: lowercase ASCII letters and digits
// joined by single hyphens.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(fold(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// fold drops diacritics (decomposing letters and dropping the marks) so
// ids stay ASCII; letters that do not decompose are spelt out.
func fold(s string) string {
	s = strings.NewReplacer("ł", "l", "Ł", "l", "ø", "o", "Ø", "o", "đ", "d", "Đ", "d", "ß", "ss", "æ", "ae", "œ", "oe").Replace(s)
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
