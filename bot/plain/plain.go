// Package plain renders an answer as plain text, for the console, for
// `briefbot ask`, and as the notification fallback of chat messages.
package plain

import (
	"strings"

	"github.com/briefbot/briefbot/briefings"
)

// Render returns the answer as plain text. Suggested follow-ups are shown
// as commands prefixed with prefix (for example "/guarantees").
func Render(a briefings.Answer, prefix string) string {
	var b strings.Builder
	b.Grow(2048)
	b.WriteString(a.Title)
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("=", min(len([]rune(a.Title)), 72)))
	b.WriteByte('\n')
	for _, n := range a.Notes {
		b.WriteString("Note: ")
		b.WriteString(n)
		b.WriteByte('\n')
	}
	if a.Intro != "" {
		b.WriteString(a.Intro)
		b.WriteByte('\n')
	}
	for _, s := range a.Sections {
		b.WriteByte('\n')
		indent := ""
		if s.Heading != "" {
			b.WriteString(s.Heading)
			b.WriteByte('\n')
			indent = "  "
		}
		if s.Text != "" {
			line(&b, indent, s.Text)
		}
		for _, f := range s.Fields {
			line(&b, indent, f.Label+": "+f.Value)
		}
		for _, it := range s.Items {
			text := "- " + it.Text
			if len(it.Sources) > 0 {
				text += " [" + strings.Join(it.Sources, ", ") + "]"
			}
			line(&b, indent, text)
		}
		for _, q := range s.Quotes {
			line(&b, indent, "> "+Quoted(q.Text))
			line(&b, indent, "  — "+q.Attribution)
		}
	}
	if len(a.Sources) > 0 {
		b.WriteString("\nSources\n")
		for _, s := range a.Sources {
			text := "[" + s.ID + "] " + s.Outlet
			if s.Date != "" {
				text += ", " + s.Date
			}
			text += ": " + s.Title + " (" + s.Kind + ")"
			if s.URL != "" {
				text += " " + s.URL
			}
			line(&b, "  ", text)
		}
	}
	if len(a.Next) > 0 {
		b.WriteString("\nTry: ")
		for i, n := range a.Next {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(strings.TrimSpace(prefix + " " + n))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func line(b *strings.Builder, indent, text string) {
	b.WriteString(indent)
	b.WriteString(text)
	b.WriteByte('\n')
}

// Quoted puts quotation marks around a quote unless it already starts with
// one.
func Quoted(s string) string {
	if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "“") {
		return s
	}
	return "“" + s + "”"
}
