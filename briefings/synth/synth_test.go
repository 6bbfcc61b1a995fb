package synth

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefings"
)

// counts are the sizes of a briefing's lists.
type counts struct {
	Sources, Outlets, Actors, Options, Positions, Timeline, StateOfPlay, OpenQuestions int
}

func countsOf(b *briefings.Briefing) counts {
	return counts{len(b.Sources), len(b.Outlets), len(b.Actors), len(b.Options), len(b.Positions),
		len(b.Timeline), len(b.Overview.StateOfPlay), len(b.Overview.OpenQuestions)}
}

func TestLoadOneIsTheRealBriefing(t *testing.T) {
	emb, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := countsOf(b), countsOf(emb); got != want {
		t.Errorf("Load(1) counts = %+v, want %+v", got, want)
	}
}

func TestLoadScales(t *testing.T) {
	emb, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	one := countsOf(emb)
	for _, n := range []int{2, 10, 100} {
		if testing.Short() && n > 10 {
			continue
		}
		b, err := Load(n)
		if err != nil {
			var ve *briefings.ValidationError
			if errors.As(err, &ve) && len(ve.Problems) > 20 {
				ve.Problems = ve.Problems[:20]
			}
			t.Fatalf("Load(%d): %v", n, err)
		}
		want := counts{n * one.Sources, one.Outlets, n * one.Actors, n * one.Options, n * one.Positions,
			n * one.Timeline, n * one.StateOfPlay, n * one.OpenQuestions}
		if got := countsOf(b); got != want {
			t.Errorf("Load(%d) counts = %+v, want %+v", n, got, want)
		}
		if n == 10 {
			t.Logf("Load(10): %+v", countsOf(b))
		}
	}
}

func TestCopiesAreDistinctAndTextsVerbatim(t *testing.T) {
	emb, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(3)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range emb.Sources {
		for _, id := range []string{s.ID, s.ID + "-copy-2", s.ID + "-copy-3"} {
			c, ok := b.Source(id)
			if !ok {
				t.Fatalf("source %q is missing", id)
			}
			if c.Text != s.Text {
				t.Errorf("source %q: text differs from %q", id, s.ID)
			}
		}
		c, _ := b.Source(s.ID + "-copy-2")
		if c.Title == s.Title {
			t.Errorf("source %q has the real title %q", c.ID, c.Title)
		}
	}
	for _, a := range emb.Actors {
		c, ok := b.ActorByID(a.ID + "-copy-3")
		if !ok {
			t.Fatalf("actor %q has no copy 3", a.ID)
		}
		if c.Name != a.Name+" (copy 3)" || len(c.Aliases) != len(a.Aliases) {
			t.Errorf("actor %q copy 3: name %q, %d aliases; want %q, %d", a.ID, c.Name, len(c.Aliases), a.Name+" (copy 3)", len(a.Aliases))
		}
		for i, m := range c.Member {
			if m != a.Member[i]+"-copy-3" {
				t.Errorf("actor %q: part_of %q, want the copy's %q", c.ID, m, a.Member[i]+"-copy-3")
			}
		}
	}
	for _, p := range b.PositionsOf("trump-copy-2") {
		if _, ok := b.OptionByID(p.Option); !ok || !strings.HasSuffix(p.Option, "-copy-2") {
			t.Errorf("position of trump-copy-2 is on %q, not on an option of copy 2", p.Option)
		}
		for _, e := range p.Evid {
			if !strings.HasSuffix(e.Source, "-copy-2") {
				t.Errorf("position of trump-copy-2 cites %q, not a source of copy 2", e.Source)
			}
		}
	}
}

func TestScaledOneIsEmbedded(t *testing.T) {
	fsys, err := Scaled(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{briefings.FileActors, briefings.FilePositions} {
		got, err := fs.ReadFile(fsys, f)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := fs.ReadFile(briefings.Embedded(), f)
		if string(got) != string(want) {
			t.Errorf("Scaled(1) %s differs from the embedded one", f)
		}
	}
}

func TestScaledRejectsNonPositive(t *testing.T) {
	for _, n := range []int{0, -1} {
		if _, err := Scaled(n); err == nil {
			t.Errorf("Scaled(%d) returned no error", n)
		}
	}
}

func benchmarkLoad(b *testing.B, n int) {
	fsys, err := Scaled(n)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := briefings.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad10 and BenchmarkLoad100 time briefings.Load (parsing,
// validation and indexing) of a briefing 10 and 100 times the real one;
// generating it is not timed.
func BenchmarkLoad10(b *testing.B)  { benchmarkLoad(b, 10) }
func BenchmarkLoad100(b *testing.B) { benchmarkLoad(b, 100) }

// BenchmarkLoad1 is the real briefing, for comparison.
func BenchmarkLoad1(b *testing.B) { benchmarkLoad(b, 1) }
