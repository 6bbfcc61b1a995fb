package ingest

import (
	"os"
	"testing"

	"github.com/briefbot/briefbot/briefings"
)

// BenchmarkBuild drafts the SME seed article (7 KB, 14 quotations).
func BenchmarkBuild(b *testing.B) {
	br, err := briefings.LoadEmbedded()
	if err != nil {
		b.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/tune/sme.txt")
	if err != nil {
		b.Fatal(err)
	}
	art := Article{Text: string(raw), Outlet: "SME", Title: "t", Date: "2025-08-20"}
	b.ReportAllocs()
	for b.Loop() {
		Build(br, art, fixedNow)
	}
}

// BenchmarkFromHTML extracts the main text of a fixture page.
func BenchmarkFromHTML(b *testing.B) {
	raw, err := os.ReadFile("testdata/fresh/brief.html")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromHTML(raw, ""); err != nil {
			b.Fatal(err)
		}
	}
}
