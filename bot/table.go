package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefings"
)

// SlashCommand is the command users type, on every platform.
const SlashCommand = "/guarantees"

// MaxInputRunes is the most characters of a command's text (or of one
// typed option) that are read; anything longer is cut there and the answer
// says so.
const MaxInputRunes = 500

// ParamKind is what a command's parameter accepts.
type ParamKind int

// Parameter kinds.
const (
	// Text is free text: the rest of what was typed (a name, a question).
	Text ParamKind = iota
	// Choice is one word of Param.Choices (or a synonym of one).
	Choice
	// TimeOfDay is HH:MM, 24-hour.
	TimeOfDay
	// TimeZone is an IANA time zone name such as Europe/Kyiv, or UTC.
	TimeZone
)

// Param is one typed parameter of a command. Platforms with typed options
// (Discord) declare one option per parameter; text is split into them.
type Param struct {
	Name        string
	Description string
	Kind        ParamKind
	Required    bool
	// Usage is the placeholder shown in usage lines ("NAME", "HH:MM");
	// a Choice shows its choices instead.
	Usage string
	// Choices are the values a Choice accepts, and Synonyms other words
	// for them ("everyday" for "daily").
	Choices  []string
	Synonyms map[string]string
	// Noun says what the parameter accepts, for error messages ("a time
	// (HH:MM)"); a Choice lists its choices instead.
	Noun string
	// Complete names the autocomplete source: actors or options (zero:
	// none).
	Complete briefings.EntityKind
}

// accepts reports whether a word typed among a command's arguments is
// this parameter's, and its value.
func (p Param) accepts(word string) (string, bool) {
	switch p.Kind {
	case Choice:
		lw := strings.ToLower(word)
		if slices.Contains(p.Choices, lw) {
			return lw, true
		}
		v, ok := p.Synonyms[lw]
		return v, ok
	case TimeOfDay:
		return word, strings.Contains(word, ":") && len(word) <= 5
	case TimeZone:
		return word, strings.Contains(word, "/") || strings.EqualFold(word, "UTC")
	}
	return "", false
}

func (p Param) usage() string {
	u := p.Usage
	if p.Kind == Choice {
		u = strings.Join(p.Choices, "|")
	}
	if !p.Required {
		u = "[" + u + "]"
	}
	return u
}

// Rules say how a command's answer may be handled.
type Rules struct {
	// Cacheable answers depend only on the request and the briefing.
	Cacheable bool
	// PerChannel answers depend on the channel: only the caller sees them,
	// they are never cached or shared, and they need a channel.
	PerChannel bool
	// Manage commands change the channel: they need Caller.CanManage.
	Manage bool
	// Digests commands need the digest service.
	Digests bool
	// Paged answers come in pages: `--page N` in text, a page option on
	// Discord, Next/Previous buttons.
	Paged bool
	// Picture answers are also drawn (the matrix): platforms that can show
	// an image attach it or offer to post it; the text stays the answer.
	Picture bool
}

// HandlerFunc answers one request.
type HandlerFunc func(ctx context.Context, in Input) briefings.Answer

// Input is what a handler gets: the request, who sent it, and the
// briefing at the time it arrived.
type Input struct {
	Bot      *Bot
	Briefing *briefings.Briefing
	Caller   Caller
	Request  Request
	Command  *Command
}

// Command is one subcommand of /guarantees, declared once with its
// handler: the help text, the Slack usage hint, the Discord registration
// and the console's help are all generated from it.
type Command struct {
	Name        string
	Description string
	// Example is what a user would type ("actor macron"), for help.
	Example string
	// Aliases are other words that run the command ("who", "?").
	Aliases []string
	Params  []Param
	Rules   Rules
	Handle  HandlerFunc
	// Default marks the command empty text runs (the overview).
	Default bool
	// Fallback marks the command that answers text which is not a
	// command word: the whole text is its one parameter (questions).
	Fallback bool
	// IgnoreArgs: words after the command word are ignored (help)
	// rather than making the text a question.
	IgnoreArgs bool
	// HomeLabel, when set, puts a button with this label into home views
	// (Slack's App Home) that opens the command's answer there.
	HomeLabel string
}

// Usage is the command as typed, with its parameters' placeholders.
func (c *Command) Usage() string {
	parts := []string{c.Name}
	for _, p := range c.Params {
		parts = append(parts, p.usage())
	}
	if c.Rules.Paged {
		parts = append(parts, "[--page N]")
	}
	return strings.Join(parts, " ")
}

// PageParam is the name of the page option of paged commands on
// platforms with typed options.
const PageParam = "page"

// ArgsUsage is the parameters' placeholders alone ("NAME", "" for none).
func (c *Command) ArgsUsage() string {
	_, args, _ := strings.Cut(c.Usage(), " ")
	return args
}

// textParam returns the command's one free-text parameter, if that is
// how its arguments are read.
func (c *Command) textParam() (Param, bool) {
	if len(c.Params) == 1 && c.Params[0].Kind == Text {
		return c.Params[0], true
	}
	return Param{}, false
}

// Table is the executable command table: every command, looked up by name
// or alias, and the parser that turns text into a request.
type Table struct {
	cmds     []*Command
	byWord   map[string]*Command
	deflt    *Command
	fallback *Command
}

// NewTable builds a table; it fails on a duplicate name or alias, a
// command without a name or handler, or a missing default or fallback.
func NewTable(cmds ...Command) (*Table, error) {
	t := &Table{byWord: map[string]*Command{}}
	for _, c := range cmds {
		if err := t.add(c); err != nil {
			return nil, err
		}
	}
	if t.deflt == nil || t.fallback == nil {
		return nil, fmt.Errorf("bot: command table needs a default and a fallback command")
	}
	return t, nil
}

func (t *Table) add(c Command) error {
	if c.Name == "" || c.Description == "" || c.Handle == nil {
		return fmt.Errorf("bot: command %q: name, description and handler are required", c.Name)
	}
	if c.Fallback {
		if _, ok := c.textParam(); !ok {
			return fmt.Errorf("bot: fallback command %q must take one text parameter", c.Name)
		}
	}
	cmd := &c
	for _, w := range append([]string{c.Name}, c.Aliases...) {
		w = strings.ToLower(w)
		if _, dup := t.byWord[w]; dup {
			return fmt.Errorf("bot: command word %q declared twice", w)
		}
		t.byWord[w] = cmd
	}
	switch {
	case c.Default && t.deflt != nil, c.Fallback && t.fallback != nil:
		return fmt.Errorf("bot: command %q: only one default and one fallback command", c.Name)
	case c.Default:
		t.deflt = cmd
	case c.Fallback:
		t.fallback = cmd
	}
	t.cmds = append(t.cmds, cmd)
	return nil
}

// Commands returns the commands in help order.
func (t *Table) Commands() []*Command { return t.cmds }

// HomeShortcuts returns the commands with a button in home views, in
// help order.
func (t *Table) HomeShortcuts() []*Command {
	var out []*Command
	for _, c := range t.cmds {
		if c.HomeLabel != "" {
			out = append(out, c)
		}
	}
	return out
}

// Lookup returns the command with the given name (not alias).
func (t *Table) Lookup(name string) (*Command, bool) {
	c, ok := t.byWord[strings.ToLower(name)]
	if !ok || c.Name != strings.ToLower(name) {
		return nil, false
	}
	return c, true
}

// Request is a parsed /guarantees command: which command, and its typed
// arguments. Text is parsed into one once; platforms with typed options
// build one directly with Table.Request.
type Request struct {
	// Command is the name of a command in the table.
	Command string
	// Args are the arguments by parameter name; missing ones are absent.
	Args map[string]string
	// Truncated is set when input was longer than MaxInputRunes.
	Truncated bool
	// Err says why the arguments could not be read (for the user); the
	// handler answers with it.
	Err string
	// Full asks for the full card rather than the short answer chat
	// posts first (the More button, `more` in the console, ask --full).
	Full bool
	// Page is the page of a paged answer asked for (0 or 1: the first).
	Page int
}

// Arg returns the argument for the named parameter ("" when absent).
func (r Request) Arg(name string) string { return r.Args[name] }

// Key identifies the request for caching: the command and its arguments.
func (r Request) Key() string {
	var b strings.Builder
	b.WriteString(r.Command)
	names := make([]string, 0, len(r.Args))
	for n := range r.Args {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		b.WriteString("\x00" + n + "=" + r.Args[n])
	}
	if r.Truncated {
		b.WriteString("\x00…")
	}
	if r.Full {
		b.WriteString("\x00full")
	}
	if r.Page > 1 {
		b.WriteString("\x00page=" + strconv.Itoa(r.Page))
	}
	return b.String()
}

// Parse turns the text a user typed after /guarantees (with or without the
// slash command itself) into a request. It never fails: text that is not
// a command word is a question for the fallback command. Invalid UTF-8
// and control characters are replaced, and input beyond MaxInputRunes is
// cut.
func (t *Table) Parse(text string) Request {
	text, truncated := sanitize(text)
	text = strings.TrimSpace(text)
	if rest, ok := cutPrefixFold(text, SlashCommand); ok && (rest == "" || unicode.IsSpace(rune(rest[0]))) {
		text = strings.TrimSpace(rest)
	}
	if text == "" {
		return Request{Command: t.deflt.Name, Truncated: truncated}
	}
	word, rest, _ := strings.Cut(text, " ")
	rest = strings.TrimSpace(rest)
	c, ok := t.byWord[strings.ToLower(word)]
	switch {
	case !ok:
		return t.question(text, truncated)
	case c.IgnoreArgs:
		return Request{Command: c.Name, Truncated: truncated}
	case len(c.Params) == 0 && rest != "" && !c.Rules.Paged:
		// A list command followed by words ("actors in europe", "who backs
		// troops") is a question, not the list.
		return t.question(text, truncated)
	}
	req := Request{Command: c.Name, Truncated: truncated}
	if c.Rules.Paged {
		rest, req.Page = cutPage(rest)
	}
	if len(c.Params) == 0 && rest != "" {
		return t.question(text, truncated)
	}
	if p, ok := c.textParam(); ok {
		if rest != "" {
			req.Args = map[string]string{p.Name: rest}
		}
		return req
	}
	for _, f := range strings.Fields(rest) {
		matched := false
		for _, p := range c.Params {
			if v, ok := p.accepts(f); ok {
				if req.Args == nil {
					req.Args = map[string]string{}
				}
				req.Args[p.Name], matched = v, true
				break
			}
		}
		if !matched {
			req.Err = fmt.Sprintf("%q is not %s", f, accepted(c.Params))
			break
		}
	}
	return req
}

// Text is the text that asks a request again: the command word and its
// arguments in declared order ("" for the default command); the page and
// the full-card flag are not part of it.
func (t *Table) Text(req Request) string {
	c, ok := t.Lookup(req.Command)
	if !ok || c.Default {
		return ""
	}
	parts := []string{c.Name}
	for _, p := range c.Params {
		if v := req.Arg(p.Name); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// cutPage takes "--page N" (or "--page=N") out of a paged command's
// arguments.
func cutPage(rest string) (string, int) {
	fields := strings.Fields(rest)
	for i, f := range fields {
		v, ok := strings.CutPrefix(f, "--page=")
		if !ok && f == "--page" && i+1 < len(fields) {
			v, ok = fields[i+1], true
			fields = slices.Delete(fields, i+1, i+2)
		}
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			n = 1
		}
		fields = slices.Delete(fields, i, i+1)
		return strings.Join(fields, " "), n
	}
	return rest, 0
}

// question is text for the fallback command.
func (t *Table) question(text string, truncated bool) Request {
	p, _ := t.fallback.textParam()
	return Request{Command: t.fallback.Name, Args: map[string]string{p.Name: text}, Truncated: truncated}
}

// accepted lists what a command's parameters accept: "daily, weekdays, a
// time (HH:MM) or a time zone (such as Europe/Kyiv)".
func accepted(params []Param) string {
	var words []string
	for _, p := range params {
		if p.Kind == Choice {
			words = append(words, p.Choices...)
		} else {
			words = append(words, p.Noun)
		}
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Request builds the request for a command from typed arguments (a
// platform's options), sanitised as typed text is; no text is re-parsed.
// An unknown name gives a request the handler answers with help. A
// Choice argument is checked against its choices; the others go to the
// handler as typed, which validates them as it does parsed text.
func (t *Table) Request(name string, args map[string]string) Request {
	if name == "" {
		return Request{Command: t.deflt.Name}
	}
	req := Request{Command: strings.ToLower(name)}
	c, ok := t.Lookup(name)
	if !ok {
		return req
	}
	if c.Rules.Paged {
		if n, err := strconv.Atoi(args[PageParam]); err == nil && n > 0 {
			req.Page = n
		}
	}
	for _, p := range c.Params {
		v, ok := args[p.Name]
		if !ok {
			continue
		}
		v, cut := sanitize(v)
		v = strings.TrimSpace(v)
		req.Truncated = req.Truncated || cut
		if v == "" {
			continue
		}
		if p.Kind == Choice {
			// A typed option needs no guessing of what it is; only a
			// choice is put in its canonical form.
			got, ok := p.accepts(v)
			if !ok && req.Err == "" {
				req.Err = fmt.Sprintf("%q is not %s", v, accepted([]Param{p}))
			}
			if ok {
				v = got
			}
		}
		if req.Args == nil {
			req.Args = map[string]string{}
		}
		req.Args[p.Name] = v
	}
	return req
}

// sanitize makes text safe to work with: invalid UTF-8 becomes U+FFFD,
// control characters become spaces, invisible format characters pasted
// from the web (zero-width space and joiners, BOM, soft hyphen) are
// removed, so "tr\u200bump" reads as "trump", and the text is cut to
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
		if unicode.Is(unicode.Cf, r) {
			continue
		}
		if unicode.IsControl(r) {
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
