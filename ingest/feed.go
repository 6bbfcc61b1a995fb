package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/briefbot/briefbot/briefings"
)

// Poller polls RSS and Atom feeds with conditional GET (ETag,
// Last-Modified) and turns each new item into a draft; nothing is
// published by itself.
type Poller struct {
	Client *http.Client
	Drafts Drafts
	// State is the JSON file that keeps each feed's validators and the
	// items already seen.
	State  string
	Limits Limits
	Now    func() time.Time
	mu     sync.Mutex
}

type feedState struct {
	ETag         string   `json:"etag,omitempty"`
	LastModified string   `json:"last_modified,omitempty"`
	Seen         []string `json:"seen,omitempty"`
}

func (p *Poller) load() (map[string]*feedState, error) {
	m := map[string]*feedState{}
	data, err := os.ReadFile(p.State)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("feed state: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("feed state %s: %w", p.State, err)
	}
	return m, nil
}

func (p *Poller) save(m map[string]*feedState) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.State), 0o755); err != nil {
		return fmt.Errorf("feed state: %w", err)
	}
	return writeAtomic(p.State, data)
}

// Poll fetches the feed once (conditionally) and drafts every item not
// seen before and not already a source or a draft.
func (p *Poller) Poll(ctx context.Context, b *briefings.Briefing, feedURL string) ([]Draft, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// serve's poller and "briefbot ingest --feed" may poll at once: the
	// state file is read, updated and written under a lock between them
	if err := os.MkdirAll(filepath.Dir(p.State), 0o755); err != nil {
		return nil, fmt.Errorf("feed state: %w", err)
	}
	unlock, err := lockFile(ctx, p.State+".lock")
	if err != nil {
		return nil, err
	}
	defer unlock()
	lim := p.Limits.withDefaults()
	states, err := p.load()
	if err != nil {
		return nil, err
	}
	st := states[feedURL]
	if st == nil {
		st = &feedState{}
		states[feedURL] = st
	}
	client := p.Client
	if client == nil {
		client = http.DefaultClient
	}
	rctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, feedURL, nil)
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", feedURL, err)
	}
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	req.Header.Set("User-Agent", "briefbot-ingest/1")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", feedURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("feed %s: %s", feedURL, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", feedURL, err)
	}
	if int64(len(body)) > lim.MaxBytes {
		return nil, fmt.Errorf("feed %s: larger than %d bytes", feedURL, lim.MaxBytes)
	}
	feed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", feedURL, err)
	}
	st.ETag, st.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	seen := map[string]bool{}
	for _, s := range st.Seen {
		seen[s] = true
	}
	var made []Draft
	var errs []error
	for _, it := range feed.Items {
		key := it.GUID
		if key == "" {
			key = it.Link
		}
		if key == "" || seen[key] {
			continue
		}
		art, err := p.article(ctx, feed, it, lim)
		if err != nil {
			errs = append(errs, fmt.Errorf("item %q: %w", it.Title, err))
			continue // retried on the next poll
		}
		seen[key] = true
		st.Seen = append(st.Seen, key)
		if known, err := p.Drafts.Known(b, art); err != nil {
			errs = append(errs, err)
			continue
		} else if known != "" {
			continue
		}
		d := Build(b, art, p.now())
		for _, m := range made { // two items on one day of one outlet
			if m.Source.ID == d.Source.ID {
				d.Source.ID += "-" + slug(strings.Join(first(strings.Fields(d.Source.Title), 3), " "))
			}
		}
		if err := p.Drafts.Save(d); err != nil {
			errs = append(errs, err)
			continue
		}
		made = append(made, d)
	}
	if err := p.save(states); err != nil {
		errs = append(errs, err)
	}
	return made, errors.Join(errs...)
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// article is a feed item's article: its page fetched and extracted, or
// the item's own content when it carries the full text.
func (p *Poller) article(ctx context.Context, feed *gofeed.Feed, it *gofeed.Item, lim Limits) (Article, error) {
	var art Article
	if it.Link != "" {
		page, err := Fetch(ctx, p.Client, it.Link, lim)
		if err != nil {
			return Article{}, err
		}
		if page.HTML {
			art, err = FromHTML(page.Body, page.URL)
			if err != nil {
				return Article{}, err
			}
		} else {
			art = Article{Text: string(page.Body)}
		}
		art.URL = it.Link
	} else if it.Content != "" {
		a, err := FromHTML([]byte("<html><body><article>"+it.Content+"</article></body></html>"), "")
		if err != nil {
			return Article{}, err
		}
		art = a
	} else {
		return Article{}, errors.New("no link and no content")
	}
	if it.Title != "" {
		art.Title = it.Title
	}
	if feed.Title != "" && art.Outlet == "" {
		art.Outlet = feed.Title
	}
	if it.PublishedParsed != nil {
		art.Date = it.PublishedParsed.UTC().Format("2006-01-02")
	}
	if art.Outlet == "" {
		art.Outlet = "feed"
	}
	return art, nil
}
