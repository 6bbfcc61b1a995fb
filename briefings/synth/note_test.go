package synth

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/briefings"
)

// conflict is a briefing in which a person and the government it speaks for
// take opposite sides on one option, which validation allows only because
// an evidence note names the person.
var conflict = fstest.MapFS{
	"src.txt": {Data: []byte("Alice said \"we will send troops.\" The government rejects troops.\n")},
	briefings.FileSources: {Data: []byte(`sources:
  - id: src
    outlet: Test Outlet
    title: A test source
    date: 2025-08-20
    kind: article
    file: src.txt
outlets:
  - id: paper
    name: The Paper
`)},
	briefings.FileOverview: {Data: []byte(`bottom_line:
  text: Alice would send troops.
  evidence:
    - {source: src, basis: quote, by: alice, quote: "we will send troops."}
state_of_play:
  - text: The government rejects troops.
    evidence:
      - {source: src, basis: report, by: gov, via: paper, quote: "The government rejects troops."}
`)},
	briefings.FileActors: {Data: []byte(`actors:
  - id: alice
    name: Alice Smith
    kind: person
    role: Minister
    part_of: [gov]
    aliases: [Alice, Minister Smith]
    summary: Would send troops.
    evidence:
      - {source: src, basis: quote, by: alice, quote: "we will send troops."}
  - id: gov
    name: The Government
    kind: collective
    role: Government
    aliases: [Government]
    adjectives: [Governmental]
    places: [Capital City]
    summary: Rejects troops.
    evidence:
      - {source: src, basis: report, by: gov, quote: "The government rejects troops."}
`)},
	briefings.FileOptions: {Data: []byte(`options:
  - id: troops
    name: Troops
    kind: option
    aliases: [soldiers]
    summary: Sending troops.
    related: [talks]
    evidence:
      - {source: src, basis: quote, by: alice, quote: "we will send troops."}
  - id: talks
    name: Talks
    kind: issue
    summary: Talking instead.
    related: [troops]
    evidence:
      - {source: src, basis: report, quote: "The government rejects troops."}
`)},
	briefings.FilePositions: {Data: []byte(`positions:
  - actor: alice
    option: troops
    stance: supports
    summary: Would send troops.
    evidence:
      - {source: src, basis: quote, by: alice, quote: "we will send troops."}
  - actor: gov
    option: troops
    stance: opposes
    summary: Rejects troops.
    evidence:
      - source: src
        basis: report
        by: gov
        note: the government, unlike Minister Smith
        quote: "The government rejects troops."
`)},
	briefings.FileTimeline: {Data: []byte(`timeline:
  - date: 2025-08
    text: The government rejects troops.
    actors: [gov, alice]
    evidence:
      - {source: src, basis: report, by: gov, quote: "The government rejects troops."}
`)},
}

func TestScaleKeepsNotesThatReconcileStances(t *testing.T) {
	if _, err := briefings.Load(conflict); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	fsys, err := scale(conflict, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := briefings.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Positions) != 6 || len(b.Actors) != 6 || len(b.Options) != 6 || len(b.Timeline) != 3 || len(b.Sources) != 3 {
		t.Errorf("scaled fixture: %d positions, %d actors, %d options, %d events, %d sources; want 6, 6, 6, 3, 3",
			len(b.Positions), len(b.Actors), len(b.Options), len(b.Timeline), len(b.Sources))
	}
	p, ok := b.Position("gov-copy-3", "troops-copy-3")
	if !ok {
		t.Fatal("no position of gov-copy-3 on troops-copy-3")
	}
	if note := p.Evid[0].Note; !strings.Contains(note, "alice-copy-3") {
		t.Errorf("copy 3 note %q does not name alice-copy-3", note)
	}
}

func TestNoteNamesTheCopysActors(t *testing.T) {
	c := &copier{k: 7, names: []actorName{
		{"trump", []string{"trump"}},
		{"united-states", []string{"us"}},
		{"united-states", []string{"united", "states"}},
		{"putin", []string{"putin"}},
	}}
	got := c.note("Trump speaking as US president")
	want := "Trump speaking as US president (in this copy: trump-copy-7, united-states-copy-7)"
	if got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	if got := c.note("citing an anonymous source"); got != "citing an anonymous source" {
		t.Errorf("note naming no actor became %q", got)
	}
}
