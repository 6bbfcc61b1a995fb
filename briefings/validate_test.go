package briefings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// fixture is a minimal valid briefing whose line numbers the cases below
// rely on.
var fixture = map[string]string{
	"src.txt": "Alice said \"we will help Ukraine on the ground.\" Bob rejects it.\nThe paper reported the talks.\n",
	FileSources: `sources:
  - id: src
    outlet: Test Outlet
    title: A test source
    date: 2025-08-20
    kind: article
    file: src.txt
outlets:
  - id: paper
    name: The Paper
`,
	FileOverview: `bottom_line:
  text: Alice offers help.
  evidence:
    - source: src
      basis: quote
      by: alice
      quote: "we will help Ukraine on the ground."
`,
	FileActors: `actors:
  - id: alice
    name: Alice Smith
    kind: person
    role: Leader
    aliases: [Alice]
    summary: Offers help.
    evidence:
      - source: src
        basis: quote
        by: alice
        quote: "we will help Ukraine on the ground."
  - id: bob
    name: Bob Jones
    kind: person
    role: Critic
    aliases: [Bob]
    summary: Rejects it.
    evidence:
      - source: src
        basis: report
        by: bob
        quote: "Bob rejects it."
`,
	FileOptions: `options:
  - id: troops
    name: Troops
    kind: option
    aliases: [soldiers]
    summary: Soldiers on the ground.
    evidence:
      - source: src
        basis: analysis
        quote: "help Ukraine on the ground"
`,
	FilePositions: `positions:
  - actor: alice
    option: troops
    stance: supports
    summary: Offers help on the ground.
    evidence:
      - source: src
        basis: quote
        by: alice
        quote: "we will help Ukraine on the ground."
`,
	FileTimeline: `timeline:
  - date: 2025-08-18
    text: Alice speaks.
    evidence:
      - source: src
        basis: report
        via: paper
        quote: "The paper reported the talks."
`,
}

// fixtureFS returns the fixture with each edit (file, old, new) applied.
func fixtureFS(t *testing.T, edits ...[3]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for name, data := range fixture {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	for _, e := range edits {
		f := m[e[0]]
		if f == nil || !strings.Contains(string(f.Data), e[1]) {
			t.Fatalf("edit %q: %q not in %s", e[2], e[1], e[0])
		}
		f.Data = []byte(strings.Replace(string(f.Data), e[1], e[2], 1))
	}
	return m
}

func TestFixtureIsValid(t *testing.T) {
	b, err := Load(fixtureFS(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Actors) != 2 || len(b.Positions) != 1 {
		t.Fatalf("got %d actors, %d positions", len(b.Actors), len(b.Positions))
	}
}

func TestQuoteNormalisation(t *testing.T) {
	// Typographic quotes and any white space are forgiven; nothing else is.
	cases := []struct {
		quote string
		ok    bool
	}{
		{`Alice said “we will   help Ukraine on the ground.”`, true},
		{"Alice said \"we will\n help Ukraine\ton the ground.\"", true},
		{`Alice said "we will help Ukraine on the ground."Bob rejects it.`, true},
		{`Alice said "we will help Ukraine in the air."`, false},
		{`alice said "we will help Ukraine on the ground."`, false},
		{`Alice said 'we will help Ukraine on the ground.'`, false},
	}
	for _, c := range cases {
		t.Run(c.quote, func(t *testing.T) {
			q := strings.ReplaceAll(c.quote, `"`, `\"`)
			q = strings.ReplaceAll(q, "\n", `\n`)
			q = strings.ReplaceAll(q, "\t", `\t`)
			_, err := Load(fixtureFS(t, [3]string{FileTimeline, `"The paper reported the talks."`, `"` + q + `"`}))
			if (err == nil) != c.ok {
				t.Fatalf("ok=%v, err=%v", c.ok, err)
			}
		})
	}
}

func TestValidationCatchesEachProblem(t *testing.T) {
	cases := []struct {
		name string
		edit [3]string
		file string
		line int
		msg  string
	}{
		{"unknown actor id", [3]string{FilePositions, "actor: alice", "actor: carol"},
			FilePositions, 2, `unknown actor id "carol"`},
		{"unknown option id", [3]string{FilePositions, "option: troops", "option: tanks"},
			FilePositions, 2, `unknown option id "tanks"`},
		{"unknown source id", [3]string{FileTimeline, "source: src", "source: nope"},
			FileTimeline, 5, `unknown source id "nope"`},
		{"unknown speaker", [3]string{FileOverview, "by: alice", "by: zed"},
			FileOverview, 4, `evidence by unknown actor id "zed"`},
		{"unknown outlet", [3]string{FileTimeline, "via: paper", "via: radio"},
			FileTimeline, 5, `via unknown outlet id "radio"`},
		{"unknown related option", [3]string{FileOptions, "    evidence:", "    related: [tanks]\n    evidence:"},
			FileOptions, 2, `related names unknown option "tanks"`},
		{"quote not verbatim", [3]string{FilePositions, "help Ukraine on the ground.", "help Ukraine in the air."},
			FilePositions, 7, "quote not found verbatim in source \"src\""},
		{"alias claimed twice", [3]string{FileActors, "aliases: [Bob]", "aliases: [Bob, alice]"},
			FileActors, 13, `alias "alice" of actor "bob" is already claimed by actor "alice" (actors.yaml:2)`},
		{"alias claimed by an option", [3]string{FileOptions, "aliases: [soldiers]", "aliases: [soldiers, Bob Jones]"},
			FileOptions, 2, `alias "Bob Jones" of option "troops" is already claimed by actor "bob"`},
		{"actor without evidence", [3]string{FileActors, "    summary: Rejects it.\n    evidence:\n      - source: src\n        basis: report\n        by: bob\n        quote: \"Bob rejects it.\"\n", "    summary: Rejects it.\n"},
			FileActors, 13, `actor "bob" has no evidence`},
		{"position without evidence", [3]string{FilePositions, "    evidence:\n      - source: src\n        basis: quote\n        by: alice\n        quote: \"we will help Ukraine on the ground.\"\n", ""},
			FilePositions, 2, `has no evidence`},
		{"evidence without quote", [3]string{FileOptions, `        quote: "help Ukraine on the ground"`, ""},
			FileOptions, 8, "evidence has no quote"},
		{"quote without speaker", [3]string{FileOverview, "      by: alice\n", ""},
			FileOverview, 4, `basis "quote" must say whose words they are`},
		{"bad basis", [3]string{FileActors, "basis: report", "basis: rumour"},
			FileActors, 20, `basis "rumour"`},
		{"bad stance", [3]string{FilePositions, "stance: supports", "stance: likes"},
			FilePositions, 2, `stance "likes" must be one of`},
		{"unknown field", [3]string{FileOptions, "summary: Soldiers", "summery: Soldiers"},
			FileOptions, 2, `unknown field "summery"`},
		{"duplicate id", [3]string{FileActors, "  - id: bob", "  - id: alice"},
			FileActors, 13, `actor id "alice" is used twice`},
		{"bad date", [3]string{FileTimeline, "date: 2025-08-18", "date: 18 August"},
			FileTimeline, 2, `date "18 August" is not YYYY-MM-DD`},
		{"missing source text", [3]string{FileSources, "file: src.txt", "file: gone.txt"},
			FileSources, 2, `cannot read its text "gone.txt"`},
		{"yaml syntax", [3]string{FileOptions, "summary: Soldiers on the ground.", "summary: Soldiers: on the ground."},
			FileOptions, 6, "mapping values are not allowed"},
		{"wrong yaml type", [3]string{FileActors, "aliases: [Bob]", "aliases: {Bob: 1}"},
			FileActors, 17, "cannot unmarshal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(fixtureFS(t, c.edit))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want a *ValidationError, got %v", err)
			}
			for _, p := range ve.Problems {
				if p.File == c.file && p.Line == c.line && strings.Contains(p.Msg, c.msg) {
					return
				}
			}
			t.Fatalf("want %s:%d: …%s…; got:\n%v", c.file, c.line, c.msg, err)
		})
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	_, err := Load(fixtureFS(t,
		[3]string{FilePositions, "actor: alice", "actor: carol"},
		[3]string{FileTimeline, "The paper reported", "The radio reported"},
		[3]string{FileActors, "aliases: [Bob]", "aliases: [Bob, Alice]"},
	))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	for _, p := range ve.Problems {
		if !strings.Contains(err.Error(), p.String()) {
			t.Errorf("error text lacks %q", p.String())
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, Embedded()); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir); err != nil {
		t.Fatalf("copy of the embedded briefing: %v", err)
	}
	if _, err := LoadDir(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("want an error for a missing directory")
	}
	if _, err := LoadDir(filepath.Join(dir, FileActors)); err == nil {
		t.Fatal("want an error for a file given as a directory")
	}
}

// TestOwnWordsInQuotationMarks: words we put inside quotation marks in a
// summary, a role, a variant or a timeline entry must be in one of that
// entry's own evidence quotes.
func TestOwnWordsInQuotationMarks(t *testing.T) {
	cases := []struct {
		name string
		edit [3]string
		file string
		line int
		msg  string // "" means the briefing is valid
	}{
		{"quoted words in the evidence", [3]string{FileOverview, "text: Alice offers help.", `text: Alice offers "help Ukraine on the ground".`}, "", 0, ""},
		{"typographic marks, other spacing", [3]string{FileOverview, "text: Alice offers help.", "text: Alice offers “help  Ukraine\n    on the ground.”"}, "", 0, ""},
		{"an apostrophe is not a quotation mark", [3]string{FileOverview, "text: Alice offers help.", "text: Alice's help isn't 'quoted'."}, "", 0, ""},
		{"words not in the evidence", [3]string{FileOverview, "text: Alice offers help.", `text: Alice offers "boots on the ground".`},
			FileOverview, 2, `bottom line: "boots on the ground" is in quotation marks but in none of its evidence quotes`},
		{"typographic marks, words not in the evidence", [3]string{FilePositions, "summary: Offers help on the ground.", "summary: Offers “help in the air”."},
			FilePositions, 2, `"help in the air" is in quotation marks`},
		{"in the source but not in this entry's evidence", [3]string{FileActors, "summary: Rejects it.", `summary: Rejects "help Ukraine".`},
			FileActors, 13, `actor "bob" summary: "help Ukraine" is in quotation marks`},
		{"actor role", [3]string{FileActors, "role: Critic", `role: The "chief critic"`},
			FileActors, 13, `actor "bob" role: "chief critic"`},
		{"option summary", [3]string{FileOptions, "summary: Soldiers on the ground.", `summary: '"Soldiers" on the ground.'`},
			FileOptions, 2, `option "troops" summary: "Soldiers"`},
		{"timeline text", [3]string{FileTimeline, "text: Alice speaks.", `text: Alice speaks of "the summit".`},
			FileTimeline, 2, `timeline entry text: "the summit"`},
		{"unmatched mark", [3]string{FileOverview, "text: Alice offers help.", `text: Alice offers "help Ukraine.`},
			FileOverview, 2, "unmatched quotation mark"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(fixtureFS(t, c.edit))
			if c.msg == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want a *ValidationError, got %v", err)
			}
			for _, p := range ve.Problems {
				if p.File == c.file && p.Line == c.line && strings.Contains(p.Msg, c.msg) {
					return
				}
			}
			t.Fatalf("want %s:%d: …%s…; got:\n%v", c.file, c.line, c.msg, err)
		})
	}
}

// TestPersonAndCollectiveAgree: a person and the collective actor they speak
// for (part_of) may not take different sides on one option (for: proposes,
// supports, conditional; open: undecided; against: opposes, rules-out)
// unless an evidence note names the other and explains the difference.
func TestPersonAndCollectiveAgree(t *testing.T) {
	team := [3]string{FileActors, "    aliases: [Alice]\n", "    aliases: [Alice]\n    part_of: [team]\n"}
	teamActor := [3]string{FileActors, "  - id: bob\n", `  - id: team
    name: The Team
    kind: collective
    role: Alice's side
    summary: Her side.
    evidence:
      - source: src
        basis: report
        quote: "The paper reported the talks."
  - id: bob
`}
	teamPosition := func(stance, note string) [3]string {
		if note != "" {
			note = "\n        note: " + note
		}
		return [3]string{FilePositions, "        quote: \"we will help Ukraine on the ground.\"\n", `        quote: "we will help Ukraine on the ground."
  - actor: team
    option: troops
    stance: ` + stance + `
    summary: The team's view.
    evidence:
      - source: src
        basis: report` + note + `
        quote: "Bob rejects it."
`}
	}
	cases := []struct {
		name  string
		edits [][3]string
		bad   bool
	}{
		{"same side", [][3]string{team, teamActor, teamPosition("proposes", "")}, false},
		{"supports and conditional", [][3]string{team, teamActor, teamPosition("conditional", "")}, false},
		{"supports and rules out", [][3]string{team, teamActor, teamPosition("rules-out", "")}, true},
		{"supports and opposes", [][3]string{team, teamActor, teamPosition("opposes", "")}, true},
		{"supports and undecided", [][3]string{team, teamActor, teamPosition("undecided", "")}, true},
		{"a note naming the person", [][3]string{team, teamActor, teamPosition("rules-out", "unlike Alice, who speaks only for herself here")}, false},
		{"a note naming someone else", [][3]string{team, teamActor, teamPosition("rules-out", "citing an anonymous source")}, true},
		{"not linked by part_of", [][3]string{teamActor, teamPosition("rules-out", "")}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(fixtureFS(t, c.edits...))
			if !c.bad {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 {
				t.Fatalf("want one problem, got %v", err)
			}
			p := ve.Problems[0]
			if p.File != FilePositions || p.Line != 2 || !strings.Contains(p.Msg, `position "alice" on "troops" (supports) contradicts "team"`) || !strings.Contains(p.Msg, "positions.yaml:11") {
				t.Fatalf("got %v", p)
			}
		})
	}
}

// TestEmptyEntries: an item left empty in any list is named, never a crash
// (indexing runs beside validation and must not see it).
func TestEmptyEntries(t *testing.T) {
	for _, e := range []struct {
		edit [3]string
		msg  string
	}{
		{[3]string{FilePositions, "positions:\n", "positions:\n  -\n"}, "position number 1 in the list is empty"},
		{[3]string{FileTimeline, "timeline:\n", "timeline:\n  - ~\n"}, "timeline entry number 1 in the list is empty"},
		{[3]string{FileActors, "actors:\n", "actors:\n  -\n"}, "actor number 1 in the list is empty"},
		{[3]string{FileOptions, "options:\n", "options:\n  -\n"}, "option number 1 in the list is empty"},
		{[3]string{FileSources, "sources:\n", "sources:\n  -\n"}, "source number 1 in the list is empty"},
		{[3]string{FileSources, "outlets:\n", "outlets:\n  -\n"}, "outlet number 1 in the list is empty"},
	} {
		_, err := Load(fixtureFS(t, e.edit))
		if err == nil || !strings.Contains(err.Error(), e.msg) {
			t.Errorf("%s: want %q, got %v", e.edit[0], e.msg, err)
		}
	}
}
