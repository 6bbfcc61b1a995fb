// Package plain renders an answer as plain text, for the console, for
// `briefbot ask`, and as the notification fallback of chat messages.
package plain

import (
	"fmt"
	"strings"

	"github.com/briefbot/briefbot/briefings"
)

// Options say how an answer is rendered.
type Options struct {
	// Prefix goes before suggested follow-ups ("/guarantees").
	Prefix string
	// More tells a reader of a short answer how to see the full card
	// ("type more for the full card"); empty: a generic line.
	More string
}

// Render returns the answer as plain text. Suggested follow-ups are shown
// as commands prefixed with prefix (for example "/guarantees").
func Render(a briefings.Answer, prefix string) string {
	return RenderWith(a, Options{Prefix: prefix})
}

// RenderWith returns the answer as plain text: the lead first (each claim
// with its quote, attribution and date), then the sections, the sources
// and the follow-ups.
func RenderWith(a briefings.Answer, opt Options) string {
	prefix := opt.Prefix
	label := make(map[string]string, len(a.Sources))
	for _, s := range a.Sources {
		label[s.ID] = s.Outlet + ", " + dateOr(s.Date)
	}
	var b strings.Builder
	b.Grow(2048)
	b.WriteString(a.Title)
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("=", min(len([]rune(a.Title)), 40)))
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
	for _, c := range a.Lead {
		b.WriteString(c.Text)
		b.WriteByte('\n')
		if c.Quote != nil {
			line(&b, "  ", "> "+Quoted(c.Quote.Text))
			line(&b, "  ", "  — "+c.Quote.Attribution)
		}
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
				var ls []string
				for _, id := range it.Sources {
					if l, ok := label[id]; ok {
						ls = append(ls, l)
					} else {
						ls = append(ls, id)
					}
				}
				text += " [" + strings.Join(ls, "; ") + "]"
			}
			line(&b, indent, text)
		}
		for _, q := range s.Quotes {
			line(&b, indent, "> "+Quoted(q.Text))
			line(&b, indent, "  — "+q.Attribution)
		}
	}
	if len(a.Sources) > 0 && !a.More {
		// A short answer lists no sources: each quote's attribution names
		// its outlet and date, and the full card lists them in full.
		b.WriteString("\nSources\n")
		for _, s := range a.Sources {
			text := "[" + s.ID + "] " + s.Outlet + ", " + dateOr(s.Date) + ": " + s.Title + " (" + s.Kind + ")"
			if s.URL != "" {
				text += " " + s.URL
			}
			line(&b, "  ", text)
		}
	}
	if a.Pages > 1 {
		b.WriteString(fmt.Sprintf("\nPage %d of %d: add --page N for another.\n", a.Page, a.Pages))
	}
	if a.More {
		hint := opt.More
		if hint == "" {
			hint = "the full card has the detail"
		}
		b.WriteString("\nMore: " + hint + "\n")
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

// dateOr is a source's date, or "undated".
func dateOr(d string) string {
	if d == "" {
		return "undated"
	}
	return d
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
