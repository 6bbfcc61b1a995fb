// Package ingest takes a new article into a briefing: it extracts the
// main text of an HTML page, finds every quotation and its speaker, the
// options it bears on and a suggested stance, and writes a draft beside
// the briefing for an editor to review, accept or reject. Accepting
// merges the draft into the briefing's YAML only when the result passes
// the same validation as `briefbot check`.
package ingest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefings"
)

// Article is a text to ingest, with what is known about it.
type Article struct {
	Text   string
	Title  string
	Outlet string
	// Date is YYYY-MM-DD, or "" when unknown.
	Date string
	URL  string
}

// Draft is what an article would add to the briefing. Its ID is the new
// source's id.
type Draft struct {
	Source    DraftSource `json:"source"`
	Quotes    []Quote     `json:"quotes"`
	NewActors []NewActor  `json:"new_actors"`
	Positions []Suggested `json:"positions"`
	Events    []Event     `json:"events"`
	// Terms are passages in quotation marks that are terms, not speech:
	// attributed to no one.
	Terms []string `json:"terms"`
	// Text is the source's verbatim text (left out of --json output).
	Text string `json:"text,omitempty"`
	// Created is when the draft was made (RFC 3339).
	Created string `json:"created,omitempty"`
}

// DraftSource is the new source.
type DraftSource struct {
	ID     string `json:"id"`
	Outlet string `json:"outlet"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	URL    string `json:"url"`
}

// Quote is one quotation of the article.
type Quote struct {
	// Text is the quotation; Pieces its verbatim paragraphs when more than one.
	Text    string      `json:"text"`
	Pieces  []string    `json:"pieces,omitempty"`
	Speaker *SpeakerRef `json:"speaker"`
	Basis   string      `json:"basis"`
	Options []string    `json:"options"`
	Via     string      `json:"via,omitempty"`
	Context string      `json:"sentence,omitempty"`
	New     bool        `json:"new_speaker,omitempty"`
}

// SpeakerRef names a quotation's speaker: an existing or new actor's id,
// and the name as the article writes it.
type SpeakerRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Written string `json:"written,omitempty"`
}

// Suggested is a suggested stance of an actor on an option, with the
// quotation and the words that suggest it.
type Suggested struct {
	Actor  string   `json:"actor"`
	Option string   `json:"option"`
	Stance string   `json:"stance"`
	Quote  string   `json:"quote"`
	Words  []string `json:"words"`
	Basis  string   `json:"basis"`
	Via    string   `json:"via,omitempty"`
}

// Event is a dated sentence of the article.
type Event struct {
	Date string `json:"date"`
	Text string `json:"text"`
}

// Build drafts what the article adds to the briefing b: the source (its
// id made from outlet and date), every quotation with its speaker, the
// options each bears on, suggested stances and dated events.
func Build(b *briefings.Briefing, art Article, now time.Time) Draft {
	d := Draft{Text: art.Text, Created: now.UTC().Format(time.RFC3339)}
	d.Source = DraftSource{ID: SourceID(b, art), Outlet: art.Outlet, Title: art.Title, Date: art.Date, URL: art.URL}
	found, names := FindQuotes(b, art.Text)
	opts := newOptionTable(b)
	seen := map[[2]string]int{}
	newIDs := map[string]bool{}
	for _, n := range names.proposed {
		newIDs[n.ID] = true
	}
	used := map[string]bool{}
	for _, f := range found {
		if f.Scare {
			d.Terms = append(d.Terms, f.Text)
			continue
		}
		q := Quote{Text: f.Text, Basis: f.Basis, Via: f.Via, Context: f.Sentence}
		if len(f.Pieces) > 1 {
			q.Pieces = f.Pieces
		}
		if f.Basis == "" {
			q.Basis = BasisQuote
		}
		q.Options = opts.find(f.Text + " " + f.Sentence)
		if f.Speaker != "" {
			q.Speaker = &SpeakerRef{ID: f.Speaker, Name: f.Name, Written: f.Written}
			q.New = newIDs[f.Speaker]
			used[f.Speaker] = true
			for _, o := range q.Options {
				stance, ws := suggestStance(f.Text)
				if ph, ok := opts.negated(f.Text, o); ok {
					// "Peace needs negotiations, not another sanctions
					// package": the option itself is turned down
					stance, ws = string(briefings.Opposes), []string{ph}
				}
				key := [2]string{f.Speaker, o}
				if k, dup := seen[key]; dup {
					if len(d.Positions[k].Words) == 0 && len(ws) > 0 {
						d.Positions[k].Stance, d.Positions[k].Words, d.Positions[k].Quote = stance, ws, f.Text
					}
					continue
				}
				seen[key] = len(d.Positions)
				d.Positions = append(d.Positions, Suggested{Actor: f.Speaker, Option: o, Stance: stance, Quote: f.Text, Words: ws, Basis: q.Basis, Via: f.Via})
			}
		}
		d.Quotes = append(d.Quotes, q)
	}
	for _, n := range names.proposed {
		if used[n.ID] {
			if n.Role == "" {
				n.Role = findRole(art.Text, n.Name)
			}
			d.NewActors = append(d.NewActors, *n)
		}
	}
	d.Events = findEvents(art.Text, art.Date)
	// empty lists, not null, in the JSON
	for i := range d.Quotes {
		if d.Quotes[i].Options == nil {
			d.Quotes[i].Options = []string{}
		}
	}
	for _, l := range []*[]string{&d.Terms} {
		if *l == nil {
			*l = []string{}
		}
	}
	if d.Quotes == nil {
		d.Quotes = []Quote{}
	}
	if d.NewActors == nil {
		d.NewActors = []NewActor{}
	}
	if d.Positions == nil {
		d.Positions = []Suggested{}
	}
	if d.Events == nil {
		d.Events = []Event{}
	}
	return d
}

// SourceID makes a new source's id from the outlet and date (or title),
// unique in the briefing.
func SourceID(b *briefings.Briefing, art Article) string {
	base := slug(art.Outlet)
	if base == "" {
		base = "source"
	}
	if art.Date != "" {
		base += "-" + art.Date
	} else if t := slug(strings.Join(first(strings.Fields(art.Title), 4), " ")); t != "" {
		base += "-" + t
	}
	id := base
	for k := 2; ; k++ {
		if _, ok := b.Source(id); !ok {
			return id
		}
		id = fmt.Sprintf("%s-%d", base, k)
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// optionTable finds the options a passage bears on through their names
// and aliases.
type optionTable struct {
	names []alias
}

func newOptionTable(b *briefings.Briefing) *optionTable {
	t := &optionTable{}
	for _, o := range b.Options {
		for _, n := range append([]string{o.Name, strings.ReplaceAll(o.ID, "-", " ")}, o.Aliases...) {
			t.names = append(t.names, alias{text: n, id: o.ID})
		}
	}
	slices.SortStableFunc(t.names, func(x, y alias) int { return len(y.text) - len(x.text) })
	return t
}

// negators before an option's name turn it down.
var negators = setOf("not", "no", "never", "without", "against", "oppose", "opposes", "reject", "rejects", "instead")

// negated reports a negation within the three words before a mention of
// the option in s ("not another sanctions package", "no foreign troops"),
// and returns the words from the negation to the option's name.
func (t *optionTable) negated(s, id string) (string, bool) {
	for _, n := range t.names {
		if n.id != id {
			continue
		}
		k := indexWord(s, n.text)
		if k < 0 {
			continue
		}
		ws := words(s[:k])
		for j := len(ws) - 1; j >= 0 && j >= len(ws)-3; j-- {
			if w := strings.ToLower(s[ws[j][0]:ws[j][1]]); negators[w] {
				if strings.ContainsAny(s[ws[j][1]:k], ".;:") {
					break // another sentence or clause
				}
				return strings.TrimSpace(s[ws[j][0] : k+len(n.text)]), true
			}
		}
	}
	return "", false
}

func (t *optionTable) find(s string) []string {
	var out []string
	used := make([]bool, len(s))
	for _, n := range t.names {
		k := indexWord(s, n.text)
		if k < 0 || slices.Contains(used[k:k+len(n.text)], true) {
			continue
		}
		for j := k; j < k+len(n.text); j++ {
			used[j] = true
		}
		if !slices.Contains(out, n.id) {
			out = append(out, n.id)
		}
	}
	return out
}

// stanceCues are the words that suggest a stance, most decisive first.
var stanceCues = []struct {
	stance briefings.Stance
	words  []string
}{
	{briefings.RulesOut, []string{"rule out", "rules out", "ruled out", "never", "under no circumstances", "out of the question", "no way", "not an option"}},
	{briefings.Opposes, []string{"against", "oppose", "opposes", "opposed", "reject", "rejects", "rejected", "won't", "will not", "cannot accept", "unacceptable", "not support", "should not", "shouldn't", "mistake", "offensive"}},
	{briefings.Conditional, []string{"only if", "if", "provided", "as long as", "unless", "on condition", "depends"}},
	{briefings.Proposes, []string{"propose", "proposes", "proposed", "proposal", "we suggest", "put forward", "our plan"}},
	{briefings.Supports, []string{"support", "supports", "must help", "will help", "ready to", "willing", "back", "welcome", "should", "need", "needs", "must", "commit", "committed", "help"}},
}

// suggestStance suggests a stance from the words of a quotation, and
// returns the words that suggest it; undecided with no words when none do.
func suggestStance(q string) (string, []string) {
	for _, c := range stanceCues {
		var ws []string
		for _, w := range c.words {
			if containsWord(q, w) {
				ws = append(ws, w)
			}
		}
		if len(ws) > 0 {
			return string(c.stance), ws
		}
	}
	return string(briefings.Undecided), nil
}

var (
	monthNames = "January|February|March|April|May|June|July|August|September|October|November|December"
	dayMonthRE = regexp.MustCompile(`\b(\d{1,2}) (` + monthNames + `)(?: (\d{4}))?\b`)
	monthDayRE = regexp.MustCompile(`\b(` + monthNames + `) (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b`)
	weekdayRE  = regexp.MustCompile(`\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
)

// findEvents returns the sentences that carry a date: a day and month
// ("4 September", "September 4, 2025"), or a weekday ("on Monday") read
// as the last such day before the article's date.
func findEvents(text, date string) []Event {
	pub, hasPub := time.Time{}, false
	if t, err := time.Parse("2006-01-02", date); err == nil {
		pub, hasPub = t, true
	}
	var out []Event
	seen := map[string]bool{}
	for _, para := range strings.Split(text, "\n\n") {
		for _, s := range splitSentences(para) {
			d := ""
			year := pub.Year()
			if m := dayMonthRE.FindStringSubmatch(s); m != nil {
				d = dateOf(m[3], m[2], m[1], year)
			} else if m := monthDayRE.FindStringSubmatch(s); m != nil {
				d = dateOf(m[3], m[1], m[2], year)
			} else if m := weekdayRE.FindStringSubmatch(s); m != nil && hasPub {
				wd := weekdayOf(m[1])
				t := pub // the same day in a news report ("said on Friday", published Friday)
				for t.Weekday() != wd {
					t = t.AddDate(0, 0, -1)
				}
				d = t.Format("2006-01-02")
			}
			if d == "" || seen[s] {
				continue
			}
			seen[s] = true
			out = append(out, Event{Date: d, Text: strings.Join(strings.Fields(s), " ")})
		}
	}
	return out
}

func dateOf(year, month, day string, defYear int) string {
	if year == "" {
		if defYear <= 1 {
			return ""
		}
		year = fmt.Sprint(defYear)
	}
	t, err := time.Parse("2006 January 2", year+" "+month+" "+day)
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02")
}

func weekdayOf(s string) time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if d.String() == s {
			return d
		}
	}
	return time.Sunday
}

// splitSentences splits a paragraph into sentences, verbatim, not inside
// quotation marks and not after an abbreviation.
func splitSentences(p string) []string {
	p = strings.TrimSpace(p)
	var out []string
	start := 0
	open := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '"' {
			open = !open
		}
		if strings.HasPrefix(p[i:], "“") {
			open = true
		}
		if strings.HasPrefix(p[i:], "”") {
			open = false
		}
		if !open && (c == '.' || c == '!' || c == '?') && (i+1 == len(p) || p[i+1] == ' ' || p[i+1] == '\n') && !isAbbrev(p, i) {
			out = append(out, strings.TrimSpace(p[start:i+1]))
			start = i + 1
		}
	}
	if rest := strings.TrimSpace(p[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// findRole reads a person's role from an apposition next to their name:
// "Lithuania's president, Gitanas Nausėda," or "Dmitry Peskov, the
// Kremlin spokesman,".
func findRole(text, name string) string {
	idx := strings.Index(text, name)
	if idx < 0 {
		return ""
	}
	if rest, ok := strings.CutPrefix(text[idx+len(name):], ", "); ok {
		if k := strings.IndexAny(rest, ",.:;\n"); k > 0 {
			chunk := strings.TrimSpace(rest[:k])
			if isRole(chunk) {
				return strings.TrimPrefix(chunk, "the ")
			}
		}
	}
	if pre, ok := strings.CutSuffix(text[:idx], ", "); ok {
		from := 0
		if k := strings.LastIndexAny(pre, ",.:;\n—"); k >= 0 {
			_, w := utf8.DecodeRuneInString(pre[k:])
			from = k + w
		}
		chunk := strings.TrimSpace(pre[from:])
		if isRole(chunk) {
			return strings.TrimPrefix(strings.TrimPrefix(chunk, "the "), "The ")
		}
	}
	return ""
}

// isRole reports whether a short phrase names a role: it has a title
// word ("the Kremlin spokesman", "Lithuania's president").
func isRole(chunk string) bool {
	ws := strings.Fields(chunk)
	if len(ws) == 0 || len(ws) > 8 {
		return false
	}
	for _, w := range ws {
		if lw := strings.ToLower(strings.Trim(w, ",.")); titleWords[lw] && lw != "the" && lw != "of" {
			return true
		}
	}
	return false
}
