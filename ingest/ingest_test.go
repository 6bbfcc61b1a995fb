package ingest

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefings"
)

func TestFetchLimits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<html><body><p>hello</p></body></html>"))
		case "/text":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("plain"))
		case "/big":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(strings.Repeat("x", 2048)))
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF"))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		default:
			http.Error(w, "gone", http.StatusGone)
		}
	}))
	defer srv.Close()
	lim := Limits{Timeout: 200 * time.Millisecond, MaxBytes: 1024}
	for _, tc := range []struct {
		path, err string
		html      bool
	}{
		{"/ok", "", true},
		{"/text", "", false},
		{"/big", "larger than 1024 bytes", false},
		{"/pdf", `"application/pdf" is not HTML or plain text`, false},
		{"/slow", "deadline exceeded", false},
		{"/missing", "410 Gone", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, err := Fetch(context.Background(), srv.Client(), srv.URL+tc.path, lim)
			if tc.err == "" {
				if err != nil || p.HTML != tc.html {
					t.Fatalf("got %v, html %v", err, p.HTML)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
		})
	}
	if _, err := Fetch(context.Background(), nil, "file:///etc/passwd", lim); err == nil {
		t.Fatal("a file: URL was fetched")
	}
}

func TestSpans(t *testing.T) {
	b, _ := briefings.LoadEmbedded()
	for _, tc := range []struct {
		name, text string
		want       []string // text of each quotation, "|" between pieces
		speakers   []string
	}{
		{"line break inside a quotation",
			"\"We will help\nthem,\" said Emmanuel Macron.", []string{"We will help\nthem,"}, []string{"macron"}},
		{"paragraphs reopened with a mark",
			"Macron said: \"First this.\n\n\"Then that.\"", []string{"First this.|Then that."}, []string{"macron"}},
		{"nested single quotes",
			"\"They call it a 'peace plan', but it is not,\" Zelensky said.", []string{"They call it a 'peace plan', but it is not,"}, []string{"zelensky"}},
		{"typographic marks and a term",
			"The so-called “tripwire” force. “It will not work,” Putin said.", []string{"tripwire", "It will not work,"}, []string{"", "putin"}},
		{"an unmatched mark is not a quotation",
			"He said \"this never closes.\n\nNext paragraph.", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found, _ := FindQuotes(b, tc.text)
			if len(found) != len(tc.want) {
				t.Fatalf("found %d quotations, want %d: %+v", len(found), len(tc.want), found)
			}
			for i, f := range found {
				if got := strings.Join(f.Pieces, "|"); got != tc.want[i] {
					t.Errorf("quotation %d: %q, want %q", i, got, tc.want[i])
				}
				for _, p := range f.Pieces {
					if !strings.Contains(tc.text, p) {
						t.Errorf("piece %q is not verbatim in the text", p)
					}
				}
				if f.Speaker != tc.speakers[i] {
					t.Errorf("quotation %d: speaker %q, want %q", i, f.Speaker, tc.speakers[i])
				}
			}
		})
	}
}

// exportTo writes the embedded briefing to a directory.
func exportTo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "briefing")
	src := briefings.Embedded()
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, p), 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAcceptEveryFixture: the draft of every fixture article, accepted
// whole, passes the briefing's validation (the check `briefbot check`
// runs), one after the other into the same briefing.
func TestAcceptEveryFixture(t *testing.T) {
	dir := exportTo(t)
	files, _ := filepath.Glob("testdata/*/*.want.json")
	for i, wf := range files {
		base := strings.TrimSuffix(wf, ".want.json")
		art := Article{Outlet: "Fixture " + string(rune('A'+i)), Title: filepath.Base(base), Date: "2025-09-20"}
		if raw, err := os.ReadFile(base + ".html"); err == nil {
			a, err := FromHTML(raw, "")
			if err != nil {
				t.Fatal(err)
			}
			art.Text = a.Text
		} else {
			raw, _ := os.ReadFile(base + ".txt")
			art.Text = string(raw)
		}
		b, err := briefings.LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		d := Build(b, art, fixedNow)
		p, err := PlanAccept(dir, d, nil)
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		if p.Problems != nil {
			t.Fatalf("%s: the merged briefing fails check: %v", base, p.Problems)
		}
		if err := p.Apply(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := briefings.LoadDir(dir); err != nil {
			t.Fatalf("%s: after accept: %v", base, err)
		}
	}
}

// TestAcceptRefuses: a draft whose merge would fail check is refused
// with every problem named, and nothing is written.
func TestAcceptRefuses(t *testing.T) {
	dir := exportTo(t)
	b, _ := briefings.LoadDir(dir)
	raw, _ := os.ReadFile("testdata/heldout/wire.txt")
	d := Build(b, Article{Text: string(raw), Outlet: "Wire", Title: "t", Date: "2025-09-04"}, fixedNow)
	d.Quotes[0].Text = "words the article never printed"
	d.Quotes[0].Pieces = nil
	d.Quotes[1].Speaker.ID = "nobody-known"
	before, _ := os.ReadFile(filepath.Join(dir, briefings.FileActors))
	p, err := PlanAccept(dir, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Problems == nil {
		t.Fatal("an invalid merge passed")
	}
	msg := p.Problems.Error()
	for _, want := range []string{"quote not found verbatim", `speaker "nobody-known" is neither`} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems do not name %q:\n%s", want, msg)
		}
	}
	var ve *briefings.ValidationError
	if err := p.Apply(dir); !errors.As(err, &ve) {
		t.Fatalf("Apply of a refused plan: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, briefings.FileActors))
	if string(before) != string(after) {
		t.Fatal("a refused accept wrote actors.yaml")
	}
	if _, err := PlanAccept(dir, d, []string{"quote:99"}); err == nil || !strings.Contains(err.Error(), "no such item") {
		t.Fatalf("--only with an unknown item: %v", err)
	}
	p, err = PlanAccept(dir, d, []string{"quote:3"})
	if err != nil || p.Problems != nil {
		t.Fatalf("--only one good quote: %v %v", err, p.Problems)
	}
}

// TestStanceNegatedOption: a negation just before an option's name turns
// it down, whatever other cue words the quotation has.
func TestStanceNegatedOption(t *testing.T) {
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{`"Peace needs negotiations, not another sanctions package," Hungarian Foreign Minister Péter Szijjártó said.`, "opposes"},
		{`"Europe needs more sanctions on Russia," Hungarian Foreign Minister Péter Szijjártó said.`, "supports"},
	} {
		d := Build(b, Article{Outlet: "Test", Title: "t", Date: "2026-03-18", Text: tc.text}, fixedNow)
		got := ""
		for _, p := range d.Positions {
			if p.Option == "sanctions" {
				got = p.Stance
			}
		}
		if got != tc.want {
			t.Errorf("%s: stance on sanctions %q, want %q (positions %+v)", tc.text, got, tc.want, d.Positions)
		}
	}
}

// TestAcceptRecordsStanceMove: a suggested stance that differs from the
// briefing's is skipped by a blanket accept, and recorded as a move, the
// old stance kept as history, when the editor names it; the result loads,
// answers say since when, and the next digest names the move.
func TestAcceptRecordsStanceMove(t *testing.T) {
	dir := exportTo(t)
	b, err := briefings.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := b.Position("wallace", "pressure-on-russia")
	text := "Wallace changes his mind\n\n\"More pressure on Russia is a mistake now,\" Ben Wallace said on Friday.\n"
	d := Build(b, Article{Text: text, Outlet: "Test Wire", Title: "Wallace changes his mind", Date: "2026-11-20"}, fixedNow)
	key := ""
	for _, p := range d.Positions {
		if p.Actor == "wallace" && p.Option == "pressure-on-russia" {
			key = "position:wallace/pressure-on-russia"
			if p.Stance == string(old.Stance) {
				t.Fatalf("the draft suggests the stance the briefing has (%s): no move to test", p.Stance)
			}
		}
	}
	if key == "" {
		t.Fatalf("no suggested position for wallace on pressure-on-russia: %+v", d.Positions)
	}
	p, err := PlanAccept(dir, d, nil)
	if err != nil || p.Problems != nil {
		t.Fatalf("blanket accept: %v %v", err, p.Problems)
	}
	if !slices.ContainsFunc(p.Skipped, func(s string) bool { return strings.Contains(s, key) && strings.Contains(s, "--only") }) {
		t.Errorf("a blanket accept should leave the move for the editor: skipped %q", p.Skipped)
	}
	seen := b.ItemKeys()
	p, err = PlanAccept(dir, d, []string{"quote:1", key})
	if err != nil || p.Problems != nil {
		t.Fatalf("accept --only %s: %v %v", key, err, p.Problems)
	}
	if err := p.Apply(dir); err != nil {
		t.Fatal(err)
	}
	nb, err := briefings.LoadDir(dir)
	if err != nil {
		t.Fatalf("the briefing after the move does not load: %v", err)
	}
	pos, _ := nb.Position("wallace", "pressure-on-russia")
	if len(pos.History) != 1 || pos.History[0].Stance != old.Stance || pos.Since != "2026-11-20" {
		t.Fatalf("position after the move: stance %s since %s, history %+v", pos.Stance, pos.Since, pos.History)
	}
	if h := pos.StanceHistory(); !strings.Contains(h, "since 2026-11-20; earlier: "+old.Stance.Label()) {
		t.Errorf("StanceHistory = %q", h)
	}
	news := nb.DigestFor(fixedNow, seen, false)
	found := false
	for _, s := range news.Sections {
		for _, it := range s.Items {
			if strings.HasPrefix(it.Text, "Changed: Ben Wallace on") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the next digest does not name the move: %+v", news.Sections)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, briefings.FilePositions))
	if !strings.Contains(string(raw), "history:") {
		t.Error("positions.yaml has no history entry")
	}
}
