package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxInputRunes is the most characters of a command's text that are read;
// anything longer is cut there and the answer says so.
const MaxInputRunes = 500

// Request is a parsed /guarantees command.
type Request struct {
	// Command is the name of a declared Command.
	Command string
	// Arg is the text after the command word: a name, or a question.
	Arg string
	// Truncated is set when the input was longer than MaxInputRunes.
	Truncated bool
}

// Parse turns the text a user typed after /guarantees (with or without the
// slash command itself) into a request. It never fails: text that is not
// a command word is a question. Invalid UTF-8 and control characters are
// replaced, and input beyond MaxInputRunes is cut.
func Parse(text string) Request {
	text, truncated := sanitize(text)
	text = strings.TrimSpace(text)
	if rest, ok := cutPrefixFold(text, SlashCommand); ok && (rest == "" || unicode.IsSpace(rune(rest[0]))) {
		text = strings.TrimSpace(rest)
	}
	req := Request{Truncated: truncated}
	word, arg, _ := strings.Cut(text, " ")
	arg = strings.TrimSpace(arg)
	switch w := strings.ToLower(word); w {
	case "":
		req.Command = "overview"
	case "actor", "option", "ask", "subscribe":
		req.Command, req.Arg = w, arg
	case "who":
		// "who" alone is the list of actors; "who backs troops" is a question.
		req.Command, req.Arg = "ask", text
		if arg == "" {
			req.Command, req.Arg = "actors", ""
		}
	case "?", "-h", "--help", "usage":
		req.Command = "help"
	default:
		if c, ok := command(w); ok && c.Arg == "" {
			// A list command followed by words ("actors in europe",
			// "sources about nato") is a question, not the list.
			if arg == "" || c.Name == "help" {
				req.Command = c.Name
				return req
			}
		}
		req.Command, req.Arg = "ask", text
	}
	return req
}

// sanitize makes text safe to work with: invalid UTF-8 becomes U+FFFD,
// control and format characters become spaces, and the text is cut to
// MaxInputRunes.
func sanitize(s string) (string, bool) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	n, truncated := 0, false
	for _, r := range s {
		if n == MaxInputRunes {
			truncated = true
			break
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String(), truncated
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// PerChannel reports whether text is a subscription command, whose answer
// depends on the channel: never cached, never shared.
func PerChannel(text string) bool { return perChannel(Parse(text).Command) }

func perChannel(command string) bool {
	return command == "subscribe" || command == "unsubscribe" || command == "subscriptions"
}

// Cacheable reports whether the answer to text depends only on the text
// and the briefing, so adapters may cache it: not the digest (it depends
// on the date) nor the per-channel commands.
func Cacheable(text string) bool {
	c := Parse(text).Command
	return c != "digest" && !perChannel(c)
}

// Kind names the command text asks for ("actor", "ask", "overview", …),
// for metrics. It reads only the first word and does not allocate: it runs
// on every request, cached or not.
func Kind(text string) string {
	text = strings.TrimSpace(text)
	if rest, ok := cutPrefixFold(text, SlashCommand); ok && (rest == "" || rest[0] == ' ') {
		text = strings.TrimSpace(rest)
	}
	word, arg, _ := strings.Cut(text, " ")
	if word == "" {
		return "overview"
	}
	// The schema's names and whether they take an argument, as an array
	// literal (no allocation); TestKind keeps it in step with Commands.
	for _, c := range [...]struct {
		name string
		arg  bool
	}{{"overview", false}, {"actors", false}, {"actor", true}, {"options", false}, {"option", true}, {"matrix", false},
		{"timeline", false}, {"sources", false}, {"digest", false}, {"ask", true}, {"subscribe", true},
		{"unsubscribe", false}, {"subscriptions", false}, {"help", false}} {
		if strings.EqualFold(word, c.name) && (c.arg || arg == "" || c.name == "help") {
			return c.name
		}
	}
	return "ask"
}
