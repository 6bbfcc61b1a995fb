package briefings

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	cases := map[string]questionKind{
		"who backs troops":                          askWho,
		"which countries would send soldiers":       askWho,
		"who said boots on the ground":              askWhoSaid,
		"who has said that europe must help":        askWhoSaid,
		"how many countries are in the coalition":   askHowMany,
		"when did trump meet putin":                 askWhen,
		"when's the next sanctions package":         askWhen,
		"why does russia reject foreign troops":     askWhy,
		"what did zelensky say about sanctions":     askSaidAbout,
		"what did witkoff say the us role would be": askSaidAbout,
		"what is a tripwire force":                  askWhatIs,
		"what's an observer force":                  askWhatIs,
		"compare macron and trump":                  askCompare,
		"tripwire vs observer force":                askCompare,
		"does trump support nato membership":        askGeneral,
		"what did macron say":                       askGeneral,
	}
	for q, want := range cases {
		if got := classify(lowerWords(q)); got != want {
			t.Errorf("classify(%q) = %d, want %d", q, got, want)
		}
	}
}

// leadText is the lead's claims and quotes, as one string.
func leadText(a Answer) string {
	var b strings.Builder
	for _, c := range a.Lead {
		b.WriteString(c.Text + "\n")
		if c.Quote != nil {
			b.WriteString(c.Quote.Text + " — " + c.Quote.Attribution + "\n")
		}
	}
	return b.String()
}

// The lead answers the question as asked, first.
func TestLeadAnswersTheQuestion(t *testing.T) {
	b := shipped(t)
	cases := []struct {
		q         string
		first     string // the first claim contains this
		lead      []string
		notInLead []string
		notFound  bool
	}{
		// Who said it names the speaker, not the person talked about.
		{q: "who said ukraine must be helped on the ground", first: "Emmanuel Macron said it"},
		// What X said about Y gives X's words, not a comparison.
		{q: "what did zelensky say about sanctions", first: "Volodymyr Zelensky", lead: []string{"sanctions"}, notInLead: []string{"compared"}},
		// X's position on Y states the stance first.
		{q: "does trump support nato membership for ukraine", first: "Donald Trump rules out NATO membership"},
		// A count, from the passage that gives one.
		{q: "how many countries are in the coalition of the willing", lead: []string{"thirty"}},
		// A date.
		{q: "when did trump meet putin", lead: []string{"Alaska"}},
		// An uncovered person next to a covered topic: said first.
		{q: "what does erdogan think about foreign troops", first: "The sources don't mention “erdogan”", notFound: true},
		// A weapon the sources never mention.
		{q: "are patriot missiles part of the air defence help", first: "The sources don't mention “patriot missiles”", notFound: true},
		// A place covered only as a name for a government, asked about as a place.
		{q: "what happened in kyiv", notFound: true},
		// An adjective is not the actor: "Russian attacks" asks about the option.
		{q: "russian attacks on the black sea", first: "Black Sea", notInLead: []string{"Russia rules out"}},
		// A common word is not a typo of a name ("part" is not "port").
		{q: "are the british part of the reassuring force", notInLead: []string{"Black Sea"}},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			a := b.Ask(c.q)
			lt := leadText(a)
			if len(a.Lead) == 0 && a.Intro == "" {
				t.Fatalf("no lead: %+v", a)
			}
			if c.first != "" && (len(a.Lead) == 0 || !strings.Contains(a.Lead[0].Text, c.first)) {
				t.Errorf("first claim lacks %q:\n%s", c.first, lt)
			}
			for _, w := range c.lead {
				if !strings.Contains(strings.ToLower(lt), strings.ToLower(w)) {
					t.Errorf("lead lacks %q:\n%s", w, lt)
				}
			}
			for _, w := range c.notInLead {
				if strings.Contains(lt, w) {
					t.Errorf("lead has %q:\n%s", w, lt)
				}
			}
			if a.NotFound != c.notFound {
				t.Errorf("NotFound = %v, want %v:\n%s%s", a.NotFound, c.notFound, a.Intro, lt)
			}
		})
	}
}

// Each quote appears once per answer, lead and card together, and every
// quoted claim carries its source's date.
func TestQuotesOnceAndDated(t *testing.T) {
	b := shipped(t)
	for _, q := range []string{"actor zelensky", "option troops", "trump", "who backs troops", "what does russia say about nato troops",
		"compare macron and trump", "when did trump meet putin", ""} {
		var a Answer
		switch {
		case q == "":
			a = b.OverviewAnswer()
		case strings.HasPrefix(q, "actor "):
			a = b.ActorAnswer(strings.TrimPrefix(q, "actor "))
		case strings.HasPrefix(q, "option "):
			a = b.OptionAnswer(strings.TrimPrefix(q, "option "))
		default:
			a = b.Ask(q)
		}
		seen := map[string]bool{}
		check := func(qt string) {
			k := quoteKey(qt)
			if seen[k] {
				t.Errorf("%q: quote twice: %q", q, qt)
			}
			seen[k] = true
		}
		for _, c := range a.Lead {
			if c.Quote != nil {
				check(c.Quote.Text)
				if c.Date == "" {
					t.Errorf("%q: claim %q has no date", q, c.Text)
				}
			}
		}
		for _, s := range a.Sections {
			for _, qu := range s.Quotes {
				check(qu.Text)
			}
		}
	}
}

// The lean briefing's short answers are the full answers' Short(), for
// every kind of question.
func TestLeanMatchesShort(t *testing.T) {
	b := shipped(t)
	for _, q := range []string{"", "trump", "actor zelensky", "option troops", "who backs troops", "who said on the ground",
		"how many countries are in the coalition", "when did trump meet putin", "why does russia reject foreign troops",
		"what did zelensky say about sanctions", "does trump support nato membership", "compare macron and trump",
		"what does erdogan think about troops", "war economy", "what did bloomberg report", "xyzzy", "what happened in kyiv"} {
		full, lean := b.Ask(q).Short(), b.Lean().Ask(q).Short()
		if q == "" {
			full, lean = b.OverviewAnswer().Short(), b.Lean().OverviewAnswer().Short()
		}
		if leadText(full) != leadText(lean) || full.Title != lean.Title || full.More != lean.More || len(full.Brief) != len(lean.Brief) ||
			len(full.Sections) != len(lean.Sections) || len(full.Sources) != len(lean.Sources) || strings.Join(full.Next, "|") != strings.Join(lean.Next, "|") {
			t.Errorf("%q: lean differs:\nfull %+v\nlean %+v", q, full, lean)
		}
	}
}
