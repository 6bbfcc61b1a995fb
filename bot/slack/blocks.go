// Package slack is briefbot's Slack adapter, built on github.com/slack-go/slack:
// /guarantees over Socket Mode or signed HTTP requests, answered in Block Kit,
// a "Share in channel" button, and app mentions answered in their thread.
package slack

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
)

// Slack's Block Kit limits, and the budget we keep to.
const (
	MaxBlocks      = 50
	MaxSectionText = 3000
	MaxHeaderText  = 150
	MaxContextText = 3000
	// MaxMessageText is our budget for all the text in one message's
	// blocks: Slack refuses block payloads near 13,000 characters
	// (msg_blocks_too_long), so we stay well under.
	MaxMessageText = 11000
	// MaxButtonValue is the longest value a button may carry.
	MaxButtonValue = 2000
)

// ShareActionID identifies the "Share in channel" button.
const ShareActionID = "briefbot_share"

// MoreActionID identifies the "More" button, which replaces a short answer
// with the full card.
const MoreActionID = "briefbot_more"

// PictureActionID identifies the "Post picture" button, which uploads the
// matrix picture to the channel.
const PictureActionID = "briefbot_picture"

// MaxAltText is the longest alt text of an image block.
const MaxAltText = 2000

// Navigation of list answers: Previous and Next carry "N|query" and
// replace the message with page N; the menu carries an item's query and
// answers it in a new message.
const (
	PageActionID = "briefbot_page"
	PickActionID = "briefbot_pick"
	// Slack's static select: 100 options, 75 characters of label, 150 of
	// value.
	maxSelectOptions = 100
	maxOptionLabel   = 75
	maxOptionValue   = 150
)

// Message is a rendered answer: blocks plus the plain fallback text Slack
// shows in notifications.
type Message struct {
	Text   string
	Blocks []slack.Block
}

// RenderOptions say how an answer is rendered.
type RenderOptions struct {
	// ShareQuery, when set, adds a "Share in channel" button that answers
	// this query again for everyone.
	ShareQuery string
	// Footer is an extra context line ("Shared by …").
	Footer string
	// MoreQuery, when set, adds a "More" button that replaces the short
	// answer with the full card of this query.
	MoreQuery string
	// PageQuery, on a paged answer, adds Previous and Next buttons that
	// show the neighbouring pages of this query.
	PageQuery string
	// PageAction, when set, is the action id of the Previous and Next
	// buttons instead of PageActionID (the App Home turns pages itself).
	PageAction string
	// Picture adds a "Post picture" button that uploads the matrix
	// picture to the channel.
	Picture bool
	// ImageURL, when set, shows the picture at this public URL in an
	// image block, with ImageAlt as its alt text.
	ImageURL, ImageAlt string
}

// Render renders an answer as Block Kit within Slack's limits: a header,
// sections (quotes set off as quotes), a context line with the sources,
// and the optional share button. An answer too long for one message is
// shortened with a pointer to the fuller command instead of failing. All
// text is escaped, so nothing in it can mention or ping anyone.
func Render(a briefings.Answer, opt RenderOptions) Message {
	r := renderer{budget: MaxMessageText}
	// Escaped like every other text: the title can echo what a user typed.
	title := cut(escape(strings.TrimSpace(a.Title)), MaxHeaderText)
	if title == "" {
		title = "briefbot" // Block Kit refuses an empty header
	}
	r.add(slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, title, false, false)), len(title))

	// Reserve room for what always comes last.
	tail := r.tailBlocks(a, opt)
	tailLen := 0
	for _, t := range tail {
		tailLen += t.n
	}
	r.budget -= tailLen + 200 // and the notice that the answer was cut
	r.maxBlocks = MaxBlocks - len(tail) - 1

	if len(a.Notes) > 0 {
		r.context(strings.Join(escapeAll(a.Notes), " "))
	}
	if a.Intro != "" {
		r.section(escape(a.Intro))
	}
	shortened := false
	for _, c := range a.Lead {
		if !r.section(claimText(c)) {
			shortened = true
			break
		}
	}
	labels := sourceLabels(a.Sources)
	for _, s := range a.Sections {
		if shortened {
			break
		}
		if !r.section(sectionText(s, labels)) {
			shortened = true
			break
		}
	}
	r.budget += tailLen + 200
	r.maxBlocks = MaxBlocks - len(tail)
	if shortened {
		more := "The full answer is longer than a Slack message allows."
		if len(a.Next) > 0 {
			more += " Narrow it down, for example with `" + escape(bot.SlashCommand+" "+a.Next[0]) + "`."
		}
		r.add(slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, more, false, false)), len(more))
	}
	for _, t := range tail {
		r.add(t.b, t.n)
	}
	return Message{Text: fallback(a), Blocks: r.blocks}
}

type sized struct {
	b slack.Block
	n int
}

type renderer struct {
	blocks    []slack.Block
	budget    int
	maxBlocks int
}

func (r *renderer) add(b slack.Block, n int) { r.blocks = append(r.blocks, b); r.budget -= n }

// section adds mrkdwn text as one or more section blocks, splitting at
// line ends to respect the per-section limit. It reports false when the
// text does not fit the message.
func (r *renderer) section(text string) bool {
	for text != "" {
		chunk := text
		if len(chunk) > MaxSectionText {
			chunk = splitAt(text, MaxSectionText)
		}
		if len(r.blocks) >= r.maxBlocks || len(chunk) > r.budget {
			return false
		}
		r.add(slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, chunk, false, false), nil, nil), len(chunk))
		text = strings.TrimLeft(text[len(chunk):], "\n")
	}
	return true
}

func (r *renderer) context(text string) {
	text = cut(text, MaxContextText)
	if len(r.blocks) < r.maxBlocks && len(text) <= r.budget {
		r.add(slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, false)), len(text))
	}
}

// tailBlocks are the sources line and the share button.
func (r *renderer) tailBlocks(a briefings.Answer, opt RenderOptions) []sized {
	var out []sized
	if opt.ImageURL != "" && safeURL(opt.ImageURL) && len(opt.ImageURL) <= 3000 {
		alt := cut(opt.ImageAlt, MaxAltText)
		if alt == "" {
			alt = "The matrix of stances"
		}
		out = append(out, sized{slack.NewImageBlock(opt.ImageURL, alt, "", nil), len(alt)})
	}
	if len(a.Sources) > 0 {
		// Whole sources only: a cut never falls inside a <url|text> link;
		// what does not fit is counted.
		text := "*Sources:* "
		for i, s := range a.Sources {
			date := s.Date
			if date == "" {
				date = "undated"
			}
			label := escape(s.Outlet + ", " + date + ": " + cut(s.Title, 300))
			if s.URL != "" && safeURL(s.URL) && len(s.URL) < 1000 {
				label = "<" + s.URL + "|" + strings.ReplaceAll(label, "|", "¦") + ">"
			}
			if i > 0 {
				label = " · " + label
			}
			room := len(label)
			if i < len(a.Sources)-1 {
				room += len(" · +99999 more") // what a later cut would add
			}
			if len(text)+room > MaxContextText {
				text += fmt.Sprintf(" · +%d more", len(a.Sources)-i)
				break
			}
			text += label
		}
		out = append(out, sized{slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, false)), len(text)})
	}
	if opt.Footer != "" {
		text := cut(escape(opt.Footer), MaxContextText)
		out = append(out, sized{slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, false)), len(text)})
	}
	var buttons []slack.BlockElement
	pageAction := PageActionID
	if opt.PageAction != "" {
		pageAction = opt.PageAction
	}
	if a.Pages > 1 && len(opt.PageQuery) < MaxButtonValue-8 {
		if a.Page > 1 {
			buttons = append(buttons, slack.NewButtonBlockElement(pageAction, fmt.Sprintf("%d|%s", a.Page-1, opt.PageQuery),
				slack.NewTextBlockObject(slack.PlainTextType, "◀ Previous", false, false)))
		}
		if a.Page < a.Pages {
			buttons = append(buttons, slack.NewButtonBlockElement(pageAction, fmt.Sprintf("%d|%s", a.Page+1, opt.PageQuery),
				slack.NewTextBlockObject(slack.PlainTextType, "Next ▶", false, false)))
		}
	}
	if len(a.Choices) > 0 {
		var options []*slack.OptionBlockObject
		for _, c := range a.Choices {
			if len(options) == maxSelectOptions || len(c.Query) > maxOptionValue {
				continue
			}
			options = append(options, slack.NewOptionBlockObject(c.Query,
				slack.NewTextBlockObject(slack.PlainTextType, cut(c.Label, maxOptionLabel), false, false), nil))
		}
		if len(options) > 0 {
			sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic,
				slack.NewTextBlockObject(slack.PlainTextType, "Open one…", false, false), PickActionID, options...)
			buttons = append(buttons, sel)
		}
	}
	if opt.Picture {
		buttons = append(buttons, slack.NewButtonBlockElement(PictureActionID, "picture",
			slack.NewTextBlockObject(slack.PlainTextType, "Post picture", false, false)))
	}
	if opt.MoreQuery != "" && len(opt.MoreQuery) <= MaxButtonValue {
		buttons = append(buttons, slack.NewButtonBlockElement(MoreActionID, opt.MoreQuery,
			slack.NewTextBlockObject(slack.PlainTextType, "More", false, false)))
	}
	if opt.ShareQuery != "" && len(opt.ShareQuery) <= MaxButtonValue {
		buttons = append(buttons, slack.NewButtonBlockElement(ShareActionID, opt.ShareQuery,
			slack.NewTextBlockObject(slack.PlainTextType, "Share in channel", false, false)))
	}
	if len(buttons) > 0 {
		out = append(out, sized{slack.NewActionBlock("briefbot_actions", buttons...), len("Share in channel More")})
	}
	return out
}

// claimText renders one claim of the lead: our sentence, then its quote
// and attribution (which carries the source's date).
func claimText(c briefings.Claim) string {
	text := escape(c.Text)
	if c.Quote != nil {
		text += "\n> " + escape(quoted(c.Quote.Text)) + "\n> — _" + escape(c.Quote.Attribution) + "_"
	}
	return text
}

// sourceLabels names each cited source with its date ("SME,
// 2025-08-20"), so every item shows how fresh it is.
func sourceLabels(refs []briefings.SourceRef) map[string]string {
	m := make(map[string]string, len(refs))
	for _, r := range refs {
		d := r.Date
		if d == "" {
			d = "undated"
		}
		m[r.ID] = r.Outlet + ", " + d
	}
	return m
}

// sectionText renders one section of an answer as mrkdwn.
func sectionText(s briefings.Section, labels map[string]string) string {
	var b strings.Builder
	if s.Heading != "" {
		b.WriteString("*" + escape(s.Heading) + "*\n")
	}
	if s.Text != "" {
		b.WriteString(escape(s.Text) + "\n")
	}
	for _, f := range s.Fields {
		b.WriteString("*" + escape(f.Label) + ":* " + escape(f.Value) + "\n")
	}
	for _, it := range s.Items {
		b.WriteString("• " + escape(it.Text))
		if len(it.Sources) > 0 {
			ls := make([]string, len(it.Sources))
			for i, id := range it.Sources {
				ls[i] = id
				if l, ok := labels[id]; ok {
					ls[i] = l
				}
			}
			b.WriteString(" _[" + escape(strings.Join(ls, "; ")) + "]_")
		}
		b.WriteByte('\n')
	}
	for _, q := range s.Quotes {
		b.WriteString("> " + escape(quoted(q.Text)) + "\n> — _" + escape(q.Attribution) + "_\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// fallback is the notification text: the title, escaped.
func fallback(a briefings.Answer) string { return cut(escape(a.Title), MaxHeaderText) }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes text safe for mrkdwn: Slack's control sequences (<!channel>,
// <@U…>, links) all start with "<", so escaping &, < and > means nothing a
// user or an editor typed can ping anyone.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return escaper.Replace(s)
}

func escapeAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = escape(s)
	}
	return out
}

func quoted(s string) string {
	if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "“") {
		return s
	}
	return "“" + s + "”"
}

// safeURL accepts only plain http(s) links without characters that would
// break Slack's <url|label> syntax.
func safeURL(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, "<>| \n")
}

// cut shortens s to at most n bytes on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - len("…")
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// splitAt returns the longest prefix of s of at most n bytes that ends at a
// line break (or, failing that, a rune boundary).
func splitAt(s string, n int) string {
	if i := strings.LastIndexByte(s[:n], '\n'); i > 0 {
		return s[:i]
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
