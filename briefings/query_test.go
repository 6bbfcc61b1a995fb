package briefings

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func shipped(t testing.TB) *Briefing {
	t.Helper()
	b, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestShippedBriefingCoversTheIssue(t *testing.T) {
	b := shipped(t)
	for _, id := range []string{"zelensky", "trump", "putin", "macron", "starmer", "witkoff", "zakharova", "kallas", "wallace", "gardner",
		"ukraine", "russia", "united-states", "united-kingdom", "france", "eu", "coalition-of-the-willing", "nato"} {
		if _, ok := b.ActorByID(id); !ok {
			t.Errorf("actor %q missing", id)
		}
	}
	for _, id := range []string{"foreign-troops", "skies", "black-sea", "sanctions", "us-air-defence", "article-5", "nato-membership",
		"peacekeeping-force", "tripwire-force", "observer-force", "donbas", "zelensky-putin-meeting"} {
		if _, ok := b.OptionByID(id); !ok {
			t.Errorf("option %q missing", id)
		}
	}
	for _, s := range b.Sources {
		if s.Text == "" || s.Outlet == "" || s.Title == "" || s.Kind == "" {
			t.Errorf("source %q lacks metadata or text", s.ID)
		}
	}
}

// TestEveryNameResolves checks that each actor and option is found by its
// id, its name and every alias, in any case, and as a possessive.
func TestEveryNameResolves(t *testing.T) {
	b := shipped(t)
	check := func(kind EntityKind, id string, names []string) {
		for _, n := range names {
			for _, form := range []string{n, strings.ToUpper(n), strings.ToLower(n)} {
				if form == "us" {
					continue // the pronoun; "US" and "us troops" are the country
				}
				ref, _, ok := b.resolve(form, kind)
				if !ok || ref.id != id {
					t.Errorf("%q: got %v %v, want %s", form, ref, ok, id)
				}
			}
		}
	}
	for _, a := range b.Actors {
		check(EntityActor, a.ID, append([]string{a.ID, a.Name, a.Name + "'s"}, a.Aliases...))
	}
	for _, o := range b.Options {
		check(EntityOption, o.ID, append([]string{o.ID, o.Name}, o.Aliases...))
	}
}

func TestMentions(t *testing.T) {
	b := shipped(t)
	cases := []struct {
		q    string
		want []string // ids in order
	}{
		{"what does Trump think about troops", []string{"trump", "foreign-troops"}},
		{"Zelenskyy's view of NATO membership", []string{"zelensky", "nato-membership"}},
		{"trmup", []string{"trump"}},
		{"macorn", []string{"macron"}},
		{"the Kremlin on boots on the ground", []string{"russia", "foreign-troops"}},
		{"Kiev or Kyiv", []string{"ukraine"}},
		{"Trump's envoy", []string{"witkoff"}},
		{"article 5-like guarantees", []string{"article-5"}},
		{"article 5 and guarantees", []string{"article-5", "security-guarantees"}},
		{"US air defense", []string{"us-air-defence"}},
		{"what do us officials say about air defense", []string{"united-states", "us-air-defence"}},
		{"tell us about Kallas", []string{"kallas"}},
		{"tell us about sanctions", []string{"sanctions"}},
		{"putting troops in", []string{"foreign-troops"}},
		{"trust", nil},
		{"angela merkel", nil},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			found, _ := b.index.mentions(analyze(c.q))
			var got []string
			for _, m := range found {
				if !slices.Contains(got, m.ref.id) {
					got = append(got, m.ref.id)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"trump", "trump", 2, 0},
		{"trmup", "trump", 2, 1},   // transposition
		{"macorn", "macron", 2, 1}, // transposition
		{"zelenski", "zelensky", 2, 1},
		{"zelensky", "zelenskyy", 2, 1},
		{"putting", "putin", 1, 2}, // beyond the limit: limit+1
		{"kyiv", "kiev", 2, 2},
		{"", "abc", 5, 3},
		{"žižek", "zizek", 3, 2}, // runes, not bytes
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

// TestAnswersCiteTheirSources checks, across every kind of answer, that
// each quote names a source the answer lists, and that there is something
// to say.
func TestAnswersCiteTheirSources(t *testing.T) {
	b := shipped(t)
	answers := []Answer{b.OverviewAnswer(), b.ActorsAnswer(), b.OptionsAnswer(), b.MatrixAnswer(), b.TimelineAnswer(), b.SourcesAnswer(),
		b.DigestAnswer(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)), b.Ask("war economy"), b.Ask("trump and putin"), b.Ask("what did bloomberg report")}
	for _, a := range b.Actors {
		answers = append(answers, b.ActorAnswer(a.ID))
	}
	for _, o := range b.Options {
		answers = append(answers, b.OptionAnswer(o.ID))
	}
	for _, a := range answers {
		if a.Title == "" || len(a.Sections) == 0 && a.Intro == "" {
			t.Errorf("%s answer %q is empty", a.Kind, a.Title)
		}
		listed := map[string]bool{}
		for _, s := range a.Sources {
			listed[s.ID] = true
		}
		for _, s := range a.Sections {
			for _, q := range s.Quotes {
				if !listed[q.SourceID] || q.Attribution == "" || q.Text == "" {
					t.Errorf("%s %q: quote %q lacks a listed source or attribution", a.Kind, a.Title, q.Text)
				}
			}
			for _, it := range s.Items {
				for _, id := range it.Sources {
					if !listed[id] {
						t.Errorf("%s %q: item cites unlisted source %q", a.Kind, a.Title, id)
					}
				}
			}
		}
	}
}

func TestAttributionKeepsSpeakerReporterAndInferenceApart(t *testing.T) {
	b := shipped(t)
	cases := []struct {
		e    Evidence
		want string
	}{
		{Evidence{Source: "sme-2025-08-20", Basis: BasisQuote, By: "macron"}, "Emmanuel Macron, in SME, 2025-08-20"},
		{Evidence{Source: "sme-2025-08-20", Basis: BasisQuote, By: "trump", Via: "guardian"}, "Donald Trump, as quoted by The Guardian, in SME, 2025-08-20"},
		{Evidence{Source: "sme-2025-08-20", Basis: BasisAccount, By: "trump"}, "Donald Trump's account, as reported by SME, 2025-08-20"},
		{Evidence{Source: "sme-2025-08-20", Basis: BasisReport, Via: "bloomberg", Note: "citing an anonymous source"}, "SME, 2025-08-20, reporting Bloomberg (citing an anonymous source)"},
		{Evidence{Source: "sme-2025-08-20", Basis: BasisAnalysis}, "SME's own assessment (SME, 2025-08-20)"},
		{Evidence{Source: "videoelephant-white-house", Basis: BasisReport}, "reported by VideoElephant (Glomex), undated"},
	}
	for _, c := range cases {
		if got := b.Attribution(c.e); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestDigestRotatesDaily(t *testing.T) {
	b := shipped(t)
	day := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	focus := func(t time.Time) string { return b.DigestAnswer(t).Sections[1].Heading }
	if focus(day) != focus(day.Add(10*time.Hour)) {
		t.Fatal("focus changes within a day")
	}
	seen := map[string]bool{}
	for i := range 14 {
		seen[focus(day.AddDate(0, 0, i))] = true
	}
	if len(seen) < 14 {
		t.Fatalf("focus repeats within 14 days: %d distinct", len(seen))
	}
}

func TestNotFoundNeverInvents(t *testing.T) {
	b := shipped(t)
	for _, q := range []string{"angela merkel", "olaf scholz", "xi jinping"} {
		a := b.ActorAnswer(q)
		if !a.NotFound || a.Kind != "notfound" {
			t.Errorf("actor %q: want not found, got %q", q, a.Title)
		}
	}
	for _, q := range []string{"cyber warfare", "nuclear umbrella"} {
		if a := b.OptionAnswer(q); !a.NotFound {
			t.Errorf("option %q: want not found, got %q", q, a.Title)
		}
	}
}

func TestComplete(t *testing.T) {
	b := shipped(t)
	cases := []struct {
		kind  EntityKind
		typed string
		first string
	}{
		{EntityActor, "mac", "macron"},
		{EntityActor, "Zelenskyy", "zelensky"},
		{EntityActor, "kremlin", "russia"},
		{EntityActor, "trmup", "trump"},
		{EntityActor, "wall", "wallace"},
		{EntityOption, "troo", "foreign-troops"},
		{EntityOption, "air def", "us-air-defence"},
		{EntityOption, "tripw", "tripwire-force"},
		{EntityOption, "boots", "foreign-troops"},
	}
	for _, c := range cases {
		got := b.Complete(c.kind, c.typed, 25)
		if len(got) == 0 || got[0].Value != c.first {
			t.Errorf("Complete(%q) = %v, want %s first", c.typed, got, c.first)
		}
	}
	if all := b.Complete(EntityActor, "", 25); len(all) != min(25, len(b.Actors)) {
		t.Errorf("empty: %d choices", len(all))
	}
	if got := b.Complete(EntityActor, "angela merkel", 25); len(got) != 0 {
		t.Errorf("merkel: %v", got)
	}
}

func TestDigestSaysWhatIsNew(t *testing.T) {
	b := shipped(t)
	day := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	heading := func(a Answer, h string) *Section {
		for i := range a.Sections {
			if a.Sections[i].Heading == h {
				return &a.Sections[i]
			}
		}
		return nil
	}
	// A first digest has no "new since" part; nor does the preview.
	if heading(b.DigestFor(day, nil, true), "New since the last digest") != nil || heading(b.DigestAnswer(day), "New since the last digest") != nil {
		t.Fatal("first digest or preview lists news")
	}
	// Nothing changed: one line.
	s := heading(b.DigestFor(day, b.ItemKeys(), false), "New since the last digest")
	if s == nil || len(s.Items) != 0 || s.Text != "Nothing has changed in the briefing since the last digest." {
		t.Fatalf("unchanged: %+v", s)
	}
	// An editor added a source, changed a stance and added an event.
	var seen []string
	for _, k := range b.ItemKeys() {
		if k != "source:videoelephant-white-house" && k != "position:trump/us-air-defence/proposes" && !strings.HasPrefix(k, "event:2025-09:") {
			seen = append(seen, k)
		}
	}
	s = heading(b.DigestFor(day, seen, false), "New since the last digest")
	if s == nil || len(s.Items) != 3 {
		t.Fatalf("news: %+v", s)
	}
	for i, want := range []string{"New source: VideoElephant", "Position: Donald Trump on US help with air defence, proposes", "Timeline, by September 2025"} {
		if !strings.HasPrefix(s.Items[i].Text, want) {
			t.Errorf("item %d: %q, want prefix %q", i, s.Items[i].Text, want)
		}
	}
}
