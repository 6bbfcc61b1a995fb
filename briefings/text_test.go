package briefings

import (
	"reflect"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// analyzeStems is the reference stems: analyze's tokens, stems only.
func analyzeStems(s string) []string {
	var out []string
	for _, t := range analyze(s) {
		out = append(out, t.stem)
	}
	return out
}

// TestStemsMatchAnalyze holds the lean stems to analyze's rules on every
// sentence of the shipped sources and on the inputs the rules single out.
func TestStemsMatchAnalyze(t *testing.T) {
	inputs := []string{
		"", "US troops", "us troops", "U.S. president", "u.s", "let us talk", "Europe's skies", "the allies'",
		"Defence of Odesa", "NATO’s Article 5.", "...", "'quoted'", "it's", "Ukraine.", "U.S.", "US", "us",
	}
	for _, s := range shipped(t).Sources {
		inputs = append(inputs, sentences(s.Text)...)
	}
	for _, in := range inputs {
		got, want := stems(in), analyzeStems(in)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("stems(%q) = %q, analyze gives %q", in, got, want)
		}
	}
}

// FuzzStems checks the two on any input.
func FuzzStems(f *testing.F) {
	for _, s := range []string{"US troops", "us president", "Europe's skies.", "U.S. and u.s."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := stems(s), analyzeStems(s)
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !slices.Equal(got, want) {
			t.Errorf("stems(%q) = %q, analyze gives %q", s, got, want)
		}
	})
}

// TestEvidenceDecodeStrings holds evidence's reflection-free decoding to
// the general decoder's result, and leaves to it what it does not handle.
func TestEvidenceDecodeStrings(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		fast bool
	}{
		{`{source: a, basis: quote, by: trump, quote: "we will be involved", via: bbc, note: relayed}`, true},
		{"source: a\nquote: |\n  two\n  lines\nbasis: report\n", true},
		{`{source: a, quote: x, sorce: typo}`, true},
		{`{source: a, quote: 5}`, false},
		{`{source: a, quote: [x]}`, false},
		{`{source: a, source: b}`, false},
		{`[a, b]`, false},
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(tc.yaml), &n); err != nil {
			t.Fatal(err)
		}
		node := n.Content[0]
		var fast Evidence
		if got := fast.decodeStrings(node); got != tc.fast {
			t.Errorf("%s: fast path taken = %v, want %v", tc.yaml, got, tc.fast)
			continue
		}
		if !tc.fast {
			continue
		}
		type plain Evidence
		var slow Evidence
		if err := decodeNode(node, (*plain)(&slow), &slow.meta, keysOfEvidence); err != nil {
			t.Fatalf("%s: %v", tc.yaml, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: fast %+v, general %+v", tc.yaml, fast, slow)
		}
	}
}
