package bot

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	long := strings.Repeat("troops ", 200)
	cases := []struct {
		in        string
		cmd, arg  string
		truncated bool
	}{
		{"", "overview", "", false},
		{"   ", "overview", "", false},
		{"/guarantees", "overview", "", false},
		{"/GUARANTEES   ", "overview", "", false},
		{"/guarantees actor trump", "actor", "trump", false},
		{"actor   Macron ", "actor", "Macron", false},
		{"Actor macron", "actor", "macron", false},
		{"actor", "actor", "", false},
		{"option air defense", "option", "air defense", false},
		{"actors", "actors", "", false},
		{"options", "options", "", false},
		{"matrix", "matrix", "", false},
		{"timeline", "timeline", "", false},
		{"sources", "sources", "", false},
		{"digest", "digest", "", false},
		{"help", "help", "", false},
		{"help me please", "help", "", false},
		{"?", "help", "", false},
		{"overview", "overview", "", false},
		{"who", "actors", "", false},
		{"who backs troops", "ask", "who backs troops", false},
		{"ask what does trump think", "ask", "what does trump think", false},
		{"what does trump think about troops", "ask", "what does trump think about troops", false},
		{"sources about nato", "ask", "sources about nato", false},
		{"/guaranteesactor trump", "ask", "/guaranteesactor trump", false},
		{"actor\ttrump", "actor", "trump", false},
		{"actor\x00trump\x1b[31m", "actor", "trump [31m", false},
		{"actor \xff\xfe trump", "actor", "\uFFFD trump", false},
		{"actor zel\u200bensky", "actor", "zel ensky", false},
		{long, "ask", strings.TrimSpace(long[:MaxInputRunes]), true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got := Parse(c.in)
			if got.Command != c.cmd || got.Arg != c.arg || got.Truncated != c.truncated {
				t.Fatalf("Parse(%q) = %+v, want {%s %q %v}", c.in, got, c.cmd, c.arg, c.truncated)
			}
		})
	}
}

func TestCommandsAreDeclaredOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Commands() {
		if seen[c.Name] || c.Name == "" || c.Description == "" {
			t.Errorf("command %q: duplicate or incomplete", c.Name)
		}
		seen[c.Name] = true
		if got := Parse(c.Name); c.Arg == "" && got.Command != c.Name {
			t.Errorf("Parse(%q) routes to %q", c.Name, got.Command)
		}
	}
	help := Help()
	for _, c := range Commands() {
		found := false
		for _, it := range help.Sections[0].Items {
			found = found || strings.HasPrefix(it.Text, SlashCommand+" "+c.Name)
		}
		if !found {
			t.Errorf("help does not list %q", c.Name)
		}
	}
}

func TestKind(t *testing.T) {
	for text, want := range map[string]string{
		"": "overview", "/guarantees": "overview", "actor trump": "actor", "ACTOR trump": "actor", "/guarantees option troops": "option",
		"actors": "actors", "actors in europe": "ask", "what does trump think": "ask", "help me": "help", "subscribe weekdays": "subscribe",
	} {
		if got := Kind(text); got != want {
			t.Errorf("Kind(%q) = %q, want %q", text, got, want)
		}
		if p := Parse(text).Command; want != "ask" && p != want {
			t.Errorf("Kind and Parse disagree on %q: %q vs %q", text, want, p)
		}
	}
	for _, c := range Commands() {
		arg := ""
		if c.Arg != "" {
			arg = " x"
		}
		if got := Kind(c.Name + arg); got != c.Name {
			t.Errorf("Kind does not know %q (got %q)", c.Name, got)
		}
	}
	if n := testing.AllocsPerRun(100, func() { Kind("/guarantees actor trump") }); n != 0 {
		t.Errorf("Kind allocates %v times", n)
	}
}
