package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings"
)

// Discord's embed and message limits.
const (
	MaxTitle       = 256
	MaxDescription = 4096
	MaxFields      = 25
	MaxFieldName   = 256
	MaxFieldValue  = 1024
	MaxFooter      = 2048
	MaxEmbedsText  = 6000 // across all embeds of a message
	MaxContent     = 2000
	MaxCustomID    = 100
)

// ShareCustomIDPrefix starts the custom_id of the "Share" button; the rest
// is the query to answer again for everyone.
const ShareCustomIDPrefix = "briefbot_share:"

// PageCustomIDPrefix starts the custom_id of Previous and Next: "N:" and
// the query follow. PickCustomID is the menu of a list answer's items.
const (
	PageCustomIDPrefix = "briefbot_page:"
	PickCustomID       = "briefbot_pick"
	maxSelectOptions   = 25
	maxOptionText      = 100
)

// MoreCustomIDPrefix starts the custom_id of the "More" button, which
// replaces a short answer with the full card of the query that follows.
const MoreCustomIDPrefix = "briefbot_more:"

// Render renders an answer as one embed within Discord's limits: the title,
// the intro and notes as the description, each section as a field (quotes
// set off as quotes), the sources as links, and a footer. What does not fit
// is cut, with a pointer to a narrower command.
func Render(a briefings.Answer) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Title: cut(a.Title, MaxTitle), Color: 0x1d3557}
	budget := MaxEmbedsText - len([]rune(e.Title))

	var desc []string
	for _, n := range a.Notes {
		desc = append(desc, "*"+n+"*")
	}
	if a.Intro != "" {
		desc = append(desc, a.Intro)
	}
	for _, c := range a.Lead {
		text := c.Text
		if c.Quote != nil {
			text += "\n> " + quoted(c.Quote.Text) + "\n> — *" + c.Quote.Attribution + "*"
		}
		desc = append(desc, text)
	}
	e.Description = cut(strings.Join(desc, "\n\n"), MaxDescription)
	budget -= len([]rune(e.Description))

	footer := "Every quote is verbatim from the sources listed."
	sources := sourcesField(a.Sources)
	reserve := len([]rune(footer)) + 200 // room for the "more" pointer
	if sources != nil {
		reserve += len([]rune(sources.Name)) + len([]rune(sources.Value))
	}
	maxFields := MaxFields - 2
	shortened := false
	labels := map[string]string{}
	for _, r := range a.Sources {
		labels[r.ID] = r.Outlet + ", " + dateOr(r.Date)
	}
	for _, s := range a.Sections {
		f := sectionField(s, labels)
		n := len([]rune(f.Name)) + len([]rune(f.Value))
		if len(e.Fields) >= maxFields || n > budget-reserve {
			shortened = true
			break
		}
		e.Fields = append(e.Fields, f)
		budget -= n
	}
	if shortened {
		more := "The full answer is longer than Discord allows in one message."
		if len(a.Next) > 0 {
			more += " Narrow it down, for example with `" + bot.SlashCommand + " " + a.Next[0] + "`."
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "More", Value: more})
	}
	if sources != nil {
		e.Fields = append(e.Fields, sources)
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	return e
}

func dateOr(d string) string {
	if d == "" {
		return "undated"
	}
	return d
}

func sectionField(s briefings.Section, labels map[string]string) *discordgo.MessageEmbedField {
	var b strings.Builder
	if s.Text != "" {
		b.WriteString(s.Text + "\n")
	}
	for _, f := range s.Fields {
		b.WriteString("**" + f.Label + ":** " + f.Value + "\n")
	}
	for _, it := range s.Items {
		b.WriteString("• " + it.Text)
		if len(it.Sources) > 0 {
			ls := make([]string, len(it.Sources))
			for i, id := range it.Sources {
				ls[i] = id
				if l, ok := labels[id]; ok {
					ls[i] = l
				}
			}
			b.WriteString(" *[" + strings.Join(ls, "; ") + "]*")
		}
		b.WriteByte('\n')
	}
	for _, q := range s.Quotes {
		b.WriteString("> " + quoted(q.Text) + "\n> — *" + q.Attribution + "*\n")
	}
	name := s.Heading
	if name == "" {
		name = "\u200b" // Discord requires a field name
	}
	value := strings.TrimRight(b.String(), "\n")
	if value == "" {
		value = "\u200b"
	}
	return &discordgo.MessageEmbedField{Name: cut(name, MaxFieldName), Value: cut(value, MaxFieldValue)}
}

func sourcesField(refs []briefings.SourceRef) *discordgo.MessageEmbedField {
	if len(refs) == 0 {
		return nil
	}
	var lines []string
	for _, s := range refs {
		label := s.Outlet + ", " + dateOr(s.Date) + ": " + s.Title
		if s.URL != "" && strings.HasPrefix(s.URL, "https://") && !strings.ContainsAny(s.URL, " )") {
			label = "[" + strings.NewReplacer("[", "(", "]", ")").Replace(label) + "](" + s.URL + ")"
		}
		lines = append(lines, "• "+label)
	}
	return &discordgo.MessageEmbedField{Name: "Sources", Value: cut(strings.Join(lines, "\n"), MaxFieldValue)}
}

func quoted(s string) string {
	if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "“") {
		return s
	}
	return "“" + s + "”"
}

// cut shortens s to at most n characters (runes), marking the cut.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
