package bot

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefings"
)

func defaultTable(t *testing.T) *Table {
	t.Helper()
	tb, err := NewTable(DefaultCommands()...)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestParse(t *testing.T) {
	long := strings.Repeat("troops ", 200)
	cases := []struct {
		in        string
		cmd       string
		args      map[string]string
		truncated bool
		err       string
	}{
		{"", "overview", nil, false, ""},
		{"   ", "overview", nil, false, ""},
		{"/guarantees", "overview", nil, false, ""},
		{"/GUARANTEES   ", "overview", nil, false, ""},
		{"/guarantees actor trump", "actor", map[string]string{"name": "trump"}, false, ""},
		{"actor   Macron ", "actor", map[string]string{"name": "Macron"}, false, ""},
		{"Actor macron", "actor", map[string]string{"name": "macron"}, false, ""},
		{"actor", "actor", nil, false, ""},
		{"option air defense", "option", map[string]string{"name": "air defense"}, false, ""},
		{"actors", "actors", nil, false, ""},
		{"options", "options", nil, false, ""},
		{"matrix", "matrix", nil, false, ""},
		{"timeline", "timeline", nil, false, ""},
		{"sources", "sources", nil, false, ""},
		{"digest", "digest", nil, false, ""},
		{"help", "help", nil, false, ""},
		{"help me please", "help", nil, false, ""},
		{"?", "help", nil, false, ""},
		{"overview", "overview", nil, false, ""},
		{"who", "actors", nil, false, ""},
		{"who backs troops", "ask", map[string]string{"question": "who backs troops"}, false, ""},
		{"ask what does trump think", "ask", map[string]string{"question": "what does trump think"}, false, ""},
		{"ask", "ask", nil, false, ""},
		{"what does trump think about troops", "ask", map[string]string{"question": "what does trump think about troops"}, false, ""},
		{"sources about nato", "ask", map[string]string{"question": "sources about nato"}, false, ""},
		{"/guaranteesactor trump", "ask", map[string]string{"question": "/guaranteesactor trump"}, false, ""},
		{"actor\ttrump", "actor", map[string]string{"name": "trump"}, false, ""},
		{"actor\x00trump\x1b[31m", "actor", map[string]string{"name": "trump [31m"}, false, ""},
		{"actor \xff\xfe trump", "actor", map[string]string{"name": "\uFFFD trump"}, false, ""},
		{"actor zel\u200bensky", "actor", map[string]string{"name": "zelensky"}, false, ""},
		{"actor \ufefftr\u00adu\u200dmp\u2060", "actor", map[string]string{"name": "trump"}, false, ""},
		{long, "ask", map[string]string{"question": strings.TrimSpace(long[:MaxInputRunes])}, true, ""},
		{"subscribe", "subscribe", nil, false, ""},
		{"subscribe weekdays 07:30 Europe/Kyiv", "subscribe", map[string]string{"frequency": "weekdays", "time": "07:30", "timezone": "Europe/Kyiv"}, false, ""},
		{"subscribe Europe/Kyiv 9:05 WORKDAYS", "subscribe", map[string]string{"frequency": "weekdays", "time": "9:05", "timezone": "Europe/Kyiv"}, false, ""},
		{"subscribe everyday UTC", "subscribe", map[string]string{"frequency": "daily", "timezone": "UTC"}, false, ""},
		{"subscribe at dawn", "subscribe", nil, false, `"at" is not daily, weekdays, a time (HH:MM) or a time zone (such as Europe/Kyiv)`},
		{"unsubscribe", "unsubscribe", nil, false, ""},
		{"subscriptions please", "ask", map[string]string{"question": "subscriptions please"}, false, ""},
	}
	tb := defaultTable(t)
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got := tb.Parse(c.in)
			args := got.Args
			if args == nil {
				args = map[string]string{}
			}
			want := c.args
			if want == nil {
				want = map[string]string{}
			}
			if got.Command != c.cmd || !mapsEqual(args, want) || got.Truncated != c.truncated || got.Err != c.err {
				t.Fatalf("Parse(%q) = %+v, want {%s %v %v %q}", c.in, got, c.cmd, c.args, c.truncated, c.err)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Typed options (Discord) reach the same request as the text form, in any
// combination, with no text round trip.
func TestTypedRequestMatchesText(t *testing.T) {
	tb := defaultTable(t)
	cases := []struct {
		text string
		cmd  string
		args map[string]string
	}{
		{"subscribe", "subscribe", nil},
		{"subscribe Europe/Kyiv", "subscribe", map[string]string{"timezone": "Europe/Kyiv"}},
		{"subscribe 07:30", "subscribe", map[string]string{"time": "07:30"}},
		{"subscribe weekdays", "subscribe", map[string]string{"frequency": "weekdays"}},
		{"subscribe weekdays 07:30 Europe/Kyiv", "subscribe", map[string]string{"frequency": "weekdays", "time": "07:30", "timezone": "Europe/Kyiv"}},
		{"subscribe 07:30 America/New_York", "subscribe", map[string]string{"time": "07:30", "timezone": "America/New_York"}},
		{"subscribe daily 23:59", "subscribe", map[string]string{"frequency": "daily", "time": "23:59"}},
		{"actor macron", "actor", map[string]string{"name": "macron"}},
		{"ask who backs troops", "ask", map[string]string{"question": "who backs troops"}},
		{"matrix", "matrix", nil},
		{"", "", nil},
	}
	for _, c := range cases {
		typed := tb.Request(c.cmd, c.args)
		parsed := tb.Parse(c.text)
		if typed.Key() != parsed.Key() || typed.Err != parsed.Err {
			t.Errorf("%q: typed %+v, parsed %+v", c.text, typed, parsed)
		}
	}
	// A typed choice outside the choices is refused, not guessed.
	if r := tb.Request("subscribe", map[string]string{"frequency": "hourly"}); r.Err == "" {
		t.Errorf("hourly accepted: %+v", r)
	}
	if r := tb.Request("subscribe", map[string]string{"frequency": "Weekdays"}); r.Arg("frequency") != "weekdays" {
		t.Errorf("choice not canonical: %+v", r)
	}
	// Typed text is sanitised as typed text is.
	if r := tb.Request("actor", map[string]string{"name": "tr\x00ump"}); r.Arg("name") != "tr ump" {
		t.Errorf("not sanitised: %+v", r)
	}
}

func TestTableRejectsClashes(t *testing.T) {
	noop := func(context.Context, Input) briefings.Answer { return briefings.Answer{} }
	base := DefaultCommands()
	for name, extra := range map[string]Command{
		"duplicate name":  {Name: "actor", Description: "x", Handle: noop},
		"duplicate alias": {Name: "whom", Aliases: []string{"who"}, Description: "x", Handle: noop},
		"no handler":      {Name: "x", Description: "x"},
		"second default":  {Name: "x", Description: "x", Handle: noop, Default: true},
	} {
		if _, err := NewTable(append(slices.Clone(base), extra)...); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// Every command appears in the generated help.
func TestHelpListsEveryCommand(t *testing.T) {
	b := New(nil)
	var text strings.Builder
	for _, s := range b.Help().Sections {
		for _, it := range s.Items {
			text.WriteString(it.Text + "\n")
		}
	}
	for _, c := range b.Table().Commands() {
		if !strings.Contains(text.String(), SlashCommand+" "+c.Usage()+": ") {
			t.Errorf("help lacks %q", c.Name)
		}
	}
}

// Each command's name is written in exactly one non-test Go file of the
// core and the platforms (the table); everything else is generated from
// it. (Struct tags such as json:"options" are field names, not commands;
// the briefing domain names its answer kinds, and cmd/briefbot its own
// CLI subcommands.)
func TestCommandNamesWrittenOnce(t *testing.T) {
	var files []string
	filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 10 {
		t.Fatalf("found only %d files", len(files))
	}
	for _, c := range DefaultCommands() {
		lit := regexp.MustCompile(`(^|[^:])"` + regexp.QuoteMeta(c.Name) + `"`)
		var in []string
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if lit.Match(data) {
				in = append(in, f)
			}
		}
		if len(in) != 1 || filepath.Base(in[0]) != "commands.go" {
			t.Errorf("%q is written in %v, want only bot/commands.go", c.Name, in)
		}
	}
}

// The follow-ups an answer suggests are commands of the table.
func TestSuggestionsAreCommands(t *testing.T) {
	br, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	b := New(br)
	for _, q := range []string{"", "help", "actors", "actor macron", "options", "option troops", "matrix", "timeline", "sources",
		"digest", "what does trump think about troops", "does russia accept nato troops", "xyzzy"} {
		for _, next := range b.Answer(context.Background(), q).Next {
			word, _, _ := strings.Cut(next, " ")
			if _, ok := b.Table().Lookup(word); !ok && next != "" && b.Table().Parse(next).Command == "ask" && word != "ask" {
				t.Errorf("%q suggests %q, which is no command", q, next)
			}
		}
	}
}
