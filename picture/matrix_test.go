package picture

import (
	"bytes"
	"image/png"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/briefings/synth"
)

func today(t testing.TB) *briefings.Briefing {
	t.Helper()
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMatrix(t *testing.T) {
	tenfold, err := synth.Load(10)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    *briefings.Briefing
	}{{"today", today(t)}, {"tenfold", tenfold}} {
		t.Run(tc.name, func(t *testing.T) {
			img, alt, err := Matrix(tc.b)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(img))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if cfg.Width != width || cfg.Height < 300 || cfg.Height > 1400 {
				t.Errorf("size %d×%d, want %d wide and a chat-sized height", cfg.Width, cfg.Height, width)
			}
			if n := utf8.RuneCountInString(alt); n > MaxAlt {
				t.Errorf("alt text is %d characters, over %d", n, MaxAlt)
			}
			g := Layout(tc.b)
			if len(g.Actors) == 0 || len(g.Options) == 0 || len(g.Actors) > MaxRows || len(g.Options) > MaxColumns {
				t.Fatalf("grid %d×%d", len(g.Actors), len(g.Options))
			}
			// The alt text names the first option shown and a stance held on it.
			if !strings.Contains(alt, g.Options[0].Name+": ") {
				t.Errorf("alt text does not name %q: %s", g.Options[0].Name, alt)
			}
			if os.Getenv("PICTURE_OUT") != "" {
				os.WriteFile(os.Getenv("PICTURE_OUT")+"-"+tc.name+".png", img, 0o644)
			}
		})
	}
}

// Every recorded position of today's briefing is a cell of its picture,
// and every cell a recorded position.
func TestLayoutShowsEveryPosition(t *testing.T) {
	b := today(t)
	g := Layout(b)
	if g.HiddenRows != 0 || g.HiddenCol != 0 {
		t.Fatalf("today's briefing should fit: %d rows, %d columns hidden", g.HiddenRows, g.HiddenCol)
	}
	cells := 0
	for i, a := range g.Actors {
		for j, o := range g.Options {
			s := g.Cells[i][j]
			p, ok := b.Position(a.ID, o.ID)
			if ok != (s != "") || ok && p.Stance != s {
				t.Errorf("%s on %s: cell %q, briefing has it %v", a.ID, o.ID, s, ok)
			}
			if s != "" {
				cells++
			}
		}
	}
	if cells != len(b.Positions) {
		t.Errorf("%d cells for %d positions", cells, len(b.Positions))
	}
}

// A briefing too large for one picture keeps the rows and columns with the
// most positions and says how many it left out.
func TestLayoutCapsAndCounts(t *testing.T) {
	b, err := synth.Load(10)
	if err != nil {
		t.Fatal(err)
	}
	g := Layout(b)
	if g.HiddenRows == 0 && g.HiddenCol == 0 {
		t.Skip("the generated briefing fits one picture")
	}
	_, alt, _ := Matrix(b)
	if !strings.Contains(alt, "more options") && g.HiddenCol > 0 {
		t.Errorf("alt text does not say options were left out: %s", alt)
	}
	if !strings.Contains(hiddenNote(g), "/guarantees matrix") {
		t.Error("the note does not say where the rest is")
	}
}

func TestCacheDrawsOncePerGeneration(t *testing.T) {
	b := today(t)
	var c Cache
	a1, _, err := c.Get(1, b)
	if err != nil {
		t.Fatal(err)
	}
	a2, _, _ := c.Get(1, b)
	if &a1[0] != &a2[0] {
		t.Error("same generation drew again")
	}
	a3, _, _ := c.Get(2, b)
	if &a1[0] == &a3[0] {
		t.Error("a new generation was served from the cache")
	}
}

func TestTextOnIsLegible(t *testing.T) {
	for s, st := range styles {
		if st.Letter == "" {
			t.Errorf("%s has no letter", s)
		}
	}
	if len(styles) != len(briefings.Stances()) {
		t.Errorf("%d styles for %d stances", len(styles), len(briefings.Stances()))
	}
}

// BenchmarkMatrix draws the picture (the target: at most 200 ms).
func BenchmarkMatrix(b *testing.B) {
	for _, n := range []int{1, 10} {
		br := today(b)
		if n > 1 {
			var err error
			if br, err = synth.Load(n); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(map[int]string{1: "today", 10: "tenfold"}[n], func(b *testing.B) {
			for b.Loop() {
				if _, _, err := Matrix(br); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
