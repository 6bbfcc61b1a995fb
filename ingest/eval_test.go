package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefings"
)

type want struct {
	Quotes []struct {
		Has     string `json:"has"`
		Speaker string `json:"speaker"`
	} `json:"quotes"`
	Terms  []string          `json:"terms"`
	Absent []string          `json:"absent"`
	Meta   map[string]string `json:"meta"`
}

// score runs ingest over every fixture in dir and counts, against what a
// careful reader attributes: quotations found with the right speaker
// (recall), attributions that are right (precision), and terms in
// quotation marks attributed to anyone.
//
// A gated set's extraction faults (meta, furniture kept) fail the test; a
// pending set's are logged.
func score(t *testing.T, dir string, gate bool) (right, wanted, attributed, correct, scareAttributed int) {
	t.Helper()
	fault := t.Errorf
	if !gate {
		fault = t.Logf
	}
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.want.json"))
	if len(files) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	for _, wf := range files {
		base := strings.TrimSuffix(wf, ".want.json")
		var w want
		data, err := os.ReadFile(wf)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &w); err != nil {
			t.Fatalf("%s: %v", wf, err)
		}
		art := Article{Outlet: "Test", Title: filepath.Base(base), Date: "2025-09-10"}
		if raw, err := os.ReadFile(base + ".html"); err == nil {
			a, err := FromHTML(raw, "")
			if err != nil {
				t.Fatalf("%s: %v", base, err)
			}
			for k, v := range w.Meta {
				got := map[string]string{"title": a.Title, "outlet": a.Outlet, "date": a.Date, "url": a.URL}[k]
				if got != v {
					fault("%s: %s = %q, want %q", base, k, got, v)
				}
			}
			for _, s := range w.Absent {
				if strings.Contains(a.Text, s) {
					fault("%s: extracted text keeps %q (page furniture, not the article)", base, s)
				}
			}
			art.Text = a.Text
		} else {
			raw, err := os.ReadFile(base + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			art.Text = string(raw)
		}
		d := Build(b, art, fixedNow)
		attributedHere := 0
		for _, q := range d.Quotes {
			if q.Speaker != nil {
				attributedHere++
			}
		}
		attributed += attributedHere
		for _, wq := range w.Quotes {
			wanted++
			ok := false
			for _, q := range d.Quotes {
				if strings.Contains(q.Text, wq.Has) && q.Speaker != nil && q.Speaker.ID == wq.Speaker {
					ok = true
				}
			}
			if ok {
				right++
			} else {
				t.Logf("%s: missed %q by %s", filepath.Base(base), wq.Has, wq.Speaker)
			}
		}
		for _, term := range w.Terms {
			for _, q := range d.Quotes {
				if q.Speaker != nil && strings.Contains(q.Text, term) && len(q.Text) < len(term)+4 {
					scareAttributed++
					t.Logf("%s: term %q attributed to %s", filepath.Base(base), term, q.Speaker.ID)
				}
			}
		}
		for _, q := range d.Quotes {
			if q.Speaker == nil {
				continue
			}
			found := false
			for _, wq := range w.Quotes {
				if strings.Contains(q.Text, wq.Has) && q.Speaker.ID == wq.Speaker {
					found = true
				}
			}
			if found {
				correct++
			} else {
				t.Logf("%s: wrong or unexpected attribution: %q to %s", filepath.Base(base), q.Text, q.Speaker.ID)
			}
		}
	}
	return
}

// TestHeldOutAttribution is the done-when measure: on articles the rules
// were not tuned on, at least nine in ten quotations found with the right
// speaker, at least nine in ten attributions right, and no term in
// quotation marks attributed to anyone.
func TestHeldOutAttribution(t *testing.T) {
	// pending holds sealed sets scored on first sight whose misses have not
	// been worked through yet: they are measured and logged, not gated, so
	// that main stays green while the issue stays open.
	pending := map[string]bool{}
	for _, set := range []string{"tune", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18", "fresh19", "fresh20", "fresh21", "fresh22", "fresh23"} {
		t.Run(set, func(t *testing.T) {
			right, wanted, attributed, correct, scare := score(t, filepath.Join("testdata", set), !pending[set])
			recall := float64(right) / float64(wanted)
			precision := 1.0
			if attributed > 0 {
				precision = float64(correct) / float64(attributed)
			}
			t.Logf("%s: recall %d/%d = %.2f, precision %d/%d = %.2f, terms attributed %d", set, right, wanted, recall, correct, attributed, precision, scare)
			if pending[set] {
				return
			}
			if recall < 0.9 || precision < 0.9 || scare > 0 {
				t.Errorf("%s: recall %.2f, precision %.2f (both must be ≥ 0.90), terms attributed %d (must be 0)", set, recall, precision, scare)
			}
		})
	}
}

var fixedNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
