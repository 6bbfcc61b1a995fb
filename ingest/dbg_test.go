package ingest

import (
	"os"
	"testing"

	"github.com/briefbot/briefbot/briefings"
)

func TestDbg(t *testing.T) {
	f := os.Getenv("DBG")
	if f == "" {
		t.Skip()
	}
	b, _ := briefings.LoadEmbedded()
	raw, _ := os.ReadFile(f)
	found, _ := FindQuotes(b, string(raw))
	for _, q := range found {
		t.Logf("%-12s %-6s scare=%v %.70q", q.Speaker, q.Basis, q.Scare, q.Text)
	}
}
