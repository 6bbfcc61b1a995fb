package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// Limits bound what Fetch takes from the network.
type Limits struct {
	// Timeout bounds the whole request (default 20 s).
	Timeout time.Duration
	// MaxBytes caps the body (default 5 MiB).
	MaxBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = 20 * time.Second
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = 5 << 20
	}
	return l
}

// Page is a fetched or read document.
type Page struct {
	Body []byte
	// HTML is set for an HTML document, unset for plain text.
	HTML bool
	URL  string
}

// Fetch gets a page over HTTP(S) with a timeout, a size cap and a check
// that it is HTML or plain text.
func Fetch(ctx context.Context, client *http.Client, rawURL string, lim Limits) (Page, error) {
	lim = lim.withDefaults()
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Page{}, fmt.Errorf("%q is not an http(s) URL", rawURL)
	}
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return Page{}, fmt.Errorf("fetching %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", "briefbot-ingest/1 (+https://github.com/briefbot/briefbot)")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9")
	resp, err := client.Do(req)
	if err != nil {
		return Page{}, fmt.Errorf("fetching %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Page{}, fmt.Errorf("fetching %s: %s", rawURL, resp.Status)
	}
	isHTML, err := contentKind(resp.Header.Get("Content-Type"))
	if err != nil {
		return Page{}, fmt.Errorf("fetching %s: %w", rawURL, err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, lim.MaxBytes+1))
	if err != nil {
		return Page{}, fmt.Errorf("fetching %s: %w", rawURL, err)
	}
	if int64(len(body)) > lim.MaxBytes {
		return Page{}, fmt.Errorf("fetching %s: the page is larger than %d bytes", rawURL, lim.MaxBytes)
	}
	return Page{Body: body, HTML: isHTML, URL: resp.Request.URL.String()}, nil
}

func contentKind(ct string) (bool, error) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false, fmt.Errorf("content type %q is not HTML or plain text", ct)
	}
	switch mt {
	case "text/html", "application/xhtml+xml":
		return true, nil
	case "text/plain":
		return false, nil
	}
	return false, fmt.Errorf("content type %q is not HTML or plain text", mt)
}

// LooksLikeHTML reports whether a document read from a file is HTML.
func LooksLikeHTML(b []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(b[:min(len(b), 1024)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}

// FromHTML extracts an article's main text and metadata (title, outlet,
// date, canonical URL) from an HTML page with go-readability, a port of
// Firefox's Readability.
func FromHTML(body []byte, pageURL string) (Article, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return Article{}, fmt.Errorf("parsing HTML: %w", err)
	}
	meta := pageMeta(doc)
	stripClutter(doc)
	var base *url.URL
	if pageURL != "" {
		base, _ = url.Parse(pageURL)
	}
	if base == nil && meta["canonical"] != "" {
		base, _ = url.Parse(meta["canonical"])
	}
	if base == nil {
		base, _ = url.Parse("https://localhost/")
	}
	art, err := readability.FromDocument(doc, base)
	if err != nil {
		return Article{}, fmt.Errorf("extracting the article: %w", err)
	}
	if art.Node == nil {
		return Article{}, errors.New("extracting the article: no main text found")
	}
	var text strings.Builder
	if err := art.RenderText(&text); err != nil {
		return Article{}, fmt.Errorf("extracting the article: %w", err)
	}
	a := Article{Text: tidy(text.String()), Title: strings.TrimSpace(art.Title()), Outlet: strings.TrimSpace(art.SiteName())}
	if og := meta["og:title"]; og != "" {
		a.Title = og
	}
	a.Title = trimSiteName(a.Title, a.Outlet)
	if t, err := art.PublishedTime(); err == nil && !t.IsZero() {
		a.Date = t.Format("2006-01-02")
	} else if d := dateIn(meta["date"]); d != "" {
		a.Date = d
	}
	a.URL = meta["canonical"]
	if a.URL == "" {
		a.URL = meta["og:url"]
	}
	if a.URL == "" {
		a.URL = pageURL
	}
	if a.Outlet == "" && a.URL != "" {
		if u, err := url.Parse(a.URL); err == nil {
			a.Outlet = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	return a, nil
}

var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

func dateIn(s string) string { return isoDate.FindString(s) }

// pageMeta reads the canonical link, Open Graph tags and a publication
// date from a page's head.
func pageMeta(doc *html.Node) map[string]string {
	m := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := func(k string) string {
				for _, a := range n.Attr {
					if strings.EqualFold(a.Key, k) {
						return strings.TrimSpace(a.Val)
					}
				}
				return ""
			}
			switch n.Data {
			case "link":
				if strings.EqualFold(attr("rel"), "canonical") && m["canonical"] == "" {
					m["canonical"] = attr("href")
				}
			case "meta":
				k := strings.ToLower(attr("property") + attr("name"))
				switch k {
				case "og:url", "og:title", "og:site_name":
					m[k] = attr("content")
				case "article:published_time", "date", "pubdate", "dc.date":
					if m["date"] == "" {
						m["date"] = attr("content")
					}
				}
			case "time":
				if m["date"] == "" {
					m["date"] = attr("datetime")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

// tidy trims each line and keeps at most one blank line between paragraphs.
func tidy(s string) string {
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}

// clutterRE matches class and id words of page furniture around an
// article: advertising, sharing, cookie banners, comments, related links.
var clutterRE = regexp.MustCompile(`(?i)(^|[\s_-])(ad|ads|advert|advertisement|sponsor|sponsored|promo|share|social|cookie|cookies|consent|newsletter|comment|comments|related|most-read|outbrain|taboola|support|donate|donation|paywall|subscribe|subscription|contribute|contribution|contributions|appeal|membership|tags|topics)($|[\s_-])`)

// stripClutter removes page furniture before extraction: Readability
// scores whole blocks, so an advertisement inside the article's container
// would otherwise stay in the text.
//
// A class word alone does not drop an element that holds most of the
// page's paragraphs: a newsletter's own issue (class "newsletter-issue")
// is the article.
func stripClutter(n *html.Node) { stripClutterOf(n, paragraphText(n)) }

func stripClutterOf(n *html.Node, total int) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			drop := c.Data == "script" || c.Data == "style" || c.Data == "noscript" || c.Data == "aside" || c.Data == "nav" || c.Data == "footer"
			for _, a := range c.Attr {
				if (a.Key == "class" || a.Key == "id") && clutterRE.MatchString(a.Val) && 2*paragraphText(c) <= total {
					drop = true
				}
			}
			if drop {
				n.RemoveChild(c)
				c = next
				continue
			}
			stripClutterOf(c, total)
		}
		c = next
	}
}

// paragraphText is the length of the text in n's paragraphs.
func paragraphText(n *html.Node) int {
	total := 0
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inP bool) {
		if n.Type == html.TextNode && inP {
			total += len(strings.TrimSpace(n.Data))
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inP || n.Type == html.ElementNode && n.Data == "p")
		}
	}
	walk(n, false)
	return total
}

// trimSiteName drops a " - Outlet" or " | Outlet" suffix from a title.
func trimSiteName(title, outlet string) string {
	if outlet == "" {
		return title
	}
	for _, sep := range []string{" - ", " | ", " – ", " — ", " · "} {
		if t, ok := strings.CutSuffix(title, sep+outlet); ok {
			return strings.TrimSpace(t)
		}
	}
	return title
}
