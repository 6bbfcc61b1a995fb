package briefings_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/briefings"
)

// dated is a briefing of two dated sources in which Alice was undecided on
// troops on 20 August and rules them out from 4 September.
func dated(positions string) fstest.MapFS {
	return fstest.MapFS{
		"a.txt": {Data: []byte("Alice said \"we have not decided on troops yet.\" Troops are discussed.\n")},
		"b.txt": {Data: []byte("Alice said \"we will never send troops.\" The troops question is settled for her.\n")},
		briefings.FileSources: {Data: []byte(`sources:
  - {id: a, outlet: Paper, title: First, date: 2025-08-20, kind: article, file: a.txt}
  - {id: b, outlet: Paper, title: Second, date: 2025-09-04, kind: article, file: b.txt}
`)},
		briefings.FileOverview: {Data: []byte(`bottom_line:
  text: Troops are discussed.
  evidence: [{source: a, basis: report, quote: "Troops are discussed."}]
`)},
		briefings.FileActors: {Data: []byte(`actors:
  - id: alice
    name: Alice Smith
    kind: person
    role: Minister
    summary: A minister.
    evidence: [{source: a, basis: quote, by: alice, quote: "we have not decided on troops yet."}]
`)},
		briefings.FileOptions: {Data: []byte(`options:
  - id: troops
    name: Troops
    kind: option
    summary: Sending troops.
    evidence: [{source: a, basis: report, quote: "Troops are discussed."}]
`)},
		briefings.FilePositions: {Data: []byte(positions)},
		briefings.FileTimeline:  {Data: []byte("timeline: []\n")},
	}
}

const withHistory = `positions:
  - actor: alice
    option: troops
    stance: rules-out
    summary: Says she will never send troops.
    evidence: [{source: b, basis: quote, by: alice, quote: "we will never send troops."}]
    history:
      - stance: undecided
        summary: Had not decided.
        evidence: [{source: a, basis: quote, by: alice, quote: "we have not decided on troops yet."}]
`

func TestStanceHistoryInAnswers(t *testing.T) {
	b, err := briefings.Load(dated(withHistory))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := b.Position("alice", "troops")
	if !ok {
		t.Fatal("no position")
	}
	const want = "rules out, since 2025-09-04; earlier: undecided, 2025-08-20"
	if got := p.StanceHistory(); got != want {
		t.Fatalf("StanceHistory = %q, want %q", got, want)
	}
	for name, a := range map[string]briefings.Answer{
		"actor":  b.ActorAnswer("alice"),
		"option": b.OptionAnswer("troops"),
		"pair":   b.Ask("does alice back troops"),
	} {
		if !strings.Contains(dump(a), want) {
			t.Errorf("%s answer does not say since when:\n%s", name, dump(a))
		}
	}
	// The matrix shows the latest stance only.
	m := dump(b.MatrixAnswer())
	if !strings.Contains(m, "rules out") || strings.Contains(m, "undecided: Smith") {
		t.Errorf("matrix should show the latest stance:\n%s", m)
	}
}

func dump(a briefings.Answer) string {
	var s strings.Builder
	s.WriteString(a.Title + "\n")
	for _, c := range a.Lead {
		s.WriteString(c.Text + "\n")
	}
	for _, sec := range append(a.Brief, a.Sections...) {
		s.WriteString(sec.Heading + ": " + sec.Text + "\n")
		for _, f := range sec.Fields {
			s.WriteString(f.Label + ": " + f.Value + "\n")
		}
		for _, it := range sec.Items {
			s.WriteString(it.Text + "\n")
		}
	}
	return s.String()
}

func TestStanceHistoryValidation(t *testing.T) {
	cases := map[string]struct{ positions, want string }{
		"history after the current stance": {strings.Replace(strings.Replace(withHistory,
			"source: b", "source: x", 1), "source: a", "source: b", 1), "unknown source"},
		"misordered": {`positions:
  - actor: alice
    option: troops
    stance: undecided
    summary: Had not decided.
    evidence: [{source: a, basis: quote, by: alice, quote: "we have not decided on troops yet."}]
    history:
      - stance: rules-out
        summary: Says she will never send troops.
        evidence: [{source: b, basis: quote, by: alice, quote: "we will never send troops."}]
`, "not before the stance that followed it"},
		"quote not verbatim":      {strings.Replace(withHistory, "not decided on troops yet", "not decided on tanks yet", 1), "not found verbatim"},
		"since not a source date": {strings.Replace(withHistory, "        summary: Had not decided.", "        since: 2025-08-21\n        summary: Had not decided.", 1), "date of none of its evidence"},
		"no change":               {strings.Replace(withHistory, "stance: undecided", "stance: rules-out", 1), "history records changes only"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := briefings.Load(dated(c.positions))
			var ve *briefings.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Load: %v; want a problem saying %q", err, c.want)
			}
		})
	}
}

func TestRecordStanceThenDigestNamesTheMove(t *testing.T) {
	before := `positions:
  - actor: alice
    option: troops
    stance: undecided
    summary: Had not decided.
    evidence: [{source: a, basis: quote, by: alice, quote: "we have not decided on troops yet."}]
`
	old, err := briefings.Load(dated(before))
	if err != nil {
		t.Fatal(err)
	}
	seen := old.ItemKeys()
	ps, ch, err := briefings.RecordStance(old.Positions, briefings.Observation{Actor: "alice", Option: "troops",
		Stance: briefings.RulesOut, Date: "2025-09-04", Summary: "Says she will never send troops.",
		Evidence: []briefings.Evidence{{Source: "b", Basis: briefings.BasisQuote, By: "alice", Quote: "we will never send troops."}}})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != briefings.Changed || ch.From != briefings.Undecided || ch.To != briefings.RulesOut {
		t.Errorf("change = %+v", ch)
	}
	if p, _ := old.Position("alice", "troops"); p.Stance != briefings.Undecided || len(p.History) != 0 {
		t.Errorf("RecordStance modified its input: %+v", p)
	}
	data, err := yaml.Marshal(struct {
		Positions []*briefings.Position `yaml:"positions"`
	}{ps})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := briefings.Load(dated(string(data)))
	if err != nil {
		t.Fatalf("recorded briefing does not load: %v\n%s", err, data)
	}
	p, _ := nb.Position("alice", "troops")
	if got := p.StanceHistory(); got != "rules out, since 2025-09-04; earlier: undecided, 2025-08-20" {
		t.Errorf("StanceHistory = %q", got)
	}
	news := dump(nb.DigestFor(time.Date(2025, 9, 5, 0, 0, 0, 0, time.UTC), seen, false))
	if !strings.Contains(news, "Changed: Alice Smith on Troops, from undecided to rules out (since 2025-09-04)") {
		t.Errorf("digest does not name the move:\n%s", news)
	}
	// The same stance again confirms it; an older different one is history.
	ps2, ch, err := briefings.RecordStance(ps, briefings.Observation{Actor: "alice", Option: "troops", Stance: briefings.RulesOut,
		Date: "2025-09-04", Evidence: []briefings.Evidence{{Source: "b", Basis: briefings.BasisQuote, By: "alice", Quote: "we will never send troops."}}})
	if err != nil || ch.Kind != briefings.Confirmed || len(ps2[0].Evid) != 1 {
		t.Errorf("confirm: %+v %v, %d evidence", ch, err, len(ps2[0].Evid))
	}
	if _, _, err := briefings.RecordStance(ps, briefings.Observation{Actor: "alice", Option: "troops", Stance: "maybe", Date: "2025-09-04"}); err == nil {
		t.Error("an invalid stance was recorded")
	}
}
