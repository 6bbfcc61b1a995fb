package ingest

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefings"
)

// FuzzBuild: any text drafts without a panic, and every quotation piece
// is verbatim in the text.
func FuzzBuild(f *testing.F) {
	for _, s := range []string{
		`"We must help," said French President Emmanuel Macron.`,
		"A \"b\n\n\"c\" d, he said. “e” ‘f’ „g“ «h»",
		`Take Mark   Rutte,  NATO's chief. "x," he said`,
		"\"\"\"\n\n\"",
		"According to , \"\" said",
	} {
		f.Add(s)
	}
	b, err := briefings.LoadEmbedded()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d := Build(b, Article{Text: text, Outlet: "O", Title: "T", Date: "2025-09-01"}, fixedNow)
		for _, q := range d.Quotes {
			for _, p := range q.Pieces {
				if !strings.Contains(text, p) {
					t.Fatalf("piece %q not in text", p)
				}
			}
			if len(q.Pieces) == 0 && !strings.Contains(strings.Join(strings.Fields(text), " "), q.Text) {
				t.Fatalf("quote %q not in text", q.Text)
			}
		}
	})
}
