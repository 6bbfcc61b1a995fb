package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/ingest"
)

// exportBriefing writes the embedded briefing to a directory as editable
// YAML, refusing to overwrite a briefing already there.
func exportBriefing(cfg config.Config, args []string, e env) int {
	rest, code, ok := subFlags("export", &cfg, args, e, nil)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "briefbot export: give one directory: briefbot export DIR")
		return 2
	}
	dir := rest[0]
	if _, err := os.Stat(filepath.Join(dir, briefings.FileSources)); err == nil {
		fmt.Fprintf(e.stderr, "briefbot export: %s already holds a briefing (%s); export into a new directory\n", dir, briefings.FileSources)
		return 1
	}
	src := briefings.Embedded()
	err := fs.WalkDir(src, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot export: %v\n", err)
		return 1
	}
	if _, err := briefings.LoadDir(dir); err != nil {
		fmt.Fprintf(e.stderr, "briefbot export: the exported briefing does not load: %v\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "exported the briefing to %s; use it with --briefing %s (or BRIEFBOT_BRIEFING=%s)\n", dir, dir, dir)
	return 0
}

// needDir is the briefing directory for commands that write drafts.
func needDir(cfg config.Config, e env, cmd string) (string, bool) {
	if cfg.BriefingDir == "" {
		fmt.Fprintf(e.stderr, "briefbot %s: needs an editable briefing: briefbot export DIR, then --briefing DIR (or BRIEFBOT_BRIEFING)\n", cmd)
		return "", false
	}
	return cfg.BriefingDir, true
}

// ingestCmd reads an article (file, URL or standard input) or polls a
// feed, and writes a draft beside the briefing.
func ingestCmd(ctx context.Context, cfg config.Config, args []string, e env) int {
	var outlet, title, date, link, feed string
	var asJSON bool
	rest, code, ok := subFlags("ingest", &cfg, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&outlet, "outlet", "", "the outlet that published the article")
		fs.StringVar(&title, "title", "", "the article's title")
		fs.StringVar(&date, "date", "", "the article's date, YYYY-MM-DD")
		fs.StringVar(&link, "url", "", "the article's address")
		fs.StringVar(&feed, "feed", "", "poll this RSS or Atom feed once: each new item becomes a draft")
		fs.BoolVar(&asJSON, "json", false, "print the draft as JSON")
	})
	if !ok {
		return code
	}
	dir, ok := needDir(cfg, e, "ingest")
	if !ok {
		return 2
	}
	if date != "" {
		if _, err := time.Parse("2006-01-02", date); err != nil {
			fmt.Fprintf(e.stderr, "briefbot ingest: --date %q: use YYYY-MM-DD\n", date)
			return 2
		}
	}
	b, err := loadBriefing(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot ingest: %v\n", err)
		return 1
	}
	store := ingest.Drafts{Dir: dir}
	client := &http.Client{Timeout: 30 * time.Second}
	if feed != "" {
		if len(rest) > 0 {
			fmt.Fprintln(e.stderr, "briefbot ingest: --feed takes no FILE or URL")
			return 2
		}
		p := &ingest.Poller{Client: client, Drafts: store, State: filepath.Join(dir, ingest.DraftsDir, "feeds.json"), Now: time.Now}
		made, err := p.Poll(ctx, b, feed)
		for _, d := range made {
			fmt.Fprintf(e.stdout, "draft %s: %s (%d quotes)\n", d.Source.ID, d.Source.Title, len(d.Quotes))
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "briefbot ingest: %v\n", err)
			return 1
		}
		if len(made) == 0 {
			fmt.Fprintln(e.stdout, "no new items")
		}
		return 0
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "briefbot ingest: give one FILE, URL or - (standard input)")
		return 2
	}
	art, err := readArticle(ctx, client, rest[0], e.stdin)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot ingest: %v\n", err)
		return 1
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&art.Outlet, outlet)
	set(&art.Title, title)
	set(&art.Date, date)
	set(&art.URL, link)
	if strings.TrimSpace(art.Text) == "" {
		fmt.Fprintln(e.stderr, "briefbot ingest: the article has no text")
		return 1
	}
	var missing []string
	if art.Outlet == "" {
		missing = append(missing, "--outlet")
	}
	if art.Title == "" {
		missing = append(missing, "--title")
	}
	if len(missing) > 0 {
		fmt.Fprintf(e.stderr, "briefbot ingest: the article does not say its %s; give %s\n",
			strings.ReplaceAll(strings.Join(missing, " and "), "--", ""), strings.Join(missing, " and "))
		return 2
	}
	if known, err := store.Known(b, art); err != nil {
		fmt.Fprintf(e.stderr, "briefbot ingest: %v\n", err)
		return 1
	} else if known != "" {
		fmt.Fprintf(e.stdout, "already a source: %s; nothing created\n", known)
		return 0
	}
	d := ingest.Build(b, art, time.Now())
	if err := store.Save(d); err != nil {
		fmt.Fprintf(e.stderr, "briefbot ingest: %v\n", err)
		return 1
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		out := d
		out.Text = ""
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(e.stderr, "briefbot ingest: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(e.stdout, "draft %s: %s\n  %d quotes (%d terms in quotation marks left unattributed), %d new actors, %d suggested positions, %d dated events\n  next: briefbot --briefing %s review %s\n",
		d.Source.ID, d.Source.Title, len(d.Quotes), len(d.Terms), len(d.NewActors), len(d.Positions), len(d.Events), dir, d.Source.ID)
	return 0
}

// readArticle reads FILE, URL or - and extracts the article from HTML.
func readArticle(ctx context.Context, client *http.Client, arg string, stdin io.Reader) (ingest.Article, error) {
	var page ingest.Page
	switch {
	case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
		p, err := ingest.Fetch(ctx, client, arg, ingest.Limits{})
		if err != nil {
			return ingest.Article{}, err
		}
		page = p
	case arg == "-":
		data, err := io.ReadAll(io.LimitReader(stdin, 5<<20+1))
		if err != nil {
			return ingest.Article{}, fmt.Errorf("reading standard input: %w", err)
		}
		if len(data) > 5<<20 {
			return ingest.Article{}, errors.New("standard input is larger than 5 MiB")
		}
		page = ingest.Page{Body: data, HTML: ingest.LooksLikeHTML(data)}
	default:
		data, err := os.ReadFile(arg)
		if err != nil {
			return ingest.Article{}, fmt.Errorf("reading the article: %w", err)
		}
		page = ingest.Page{Body: data, HTML: ingest.LooksLikeHTML(data)}
	}
	if page.HTML {
		return ingest.FromHTML(page.Body, page.URL)
	}
	return ingest.Article{Text: string(page.Body), URL: page.URL}, nil
}

func draftsCmd(cfg config.Config, args []string, e env) int {
	if _, code, ok := subFlags("drafts", &cfg, args, e, nil); !ok {
		return code
	}
	dir, ok := needDir(cfg, e, "drafts")
	if !ok {
		return 2
	}
	ds, err := ingest.Drafts{Dir: dir}.List()
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot drafts: %v\n", err)
		return 1
	}
	if len(ds) == 0 {
		fmt.Fprintln(e.stdout, "no drafts")
	}
	for _, d := range ds {
		fmt.Fprintf(e.stdout, "%s\t%s\n", d.Source.ID, d.Source.Title)
	}
	return 0
}

// draftArg parses a command that takes one draft ID.
func draftArg(name string, cfg *config.Config, args []string, e env, define func(*flag.FlagSet)) (string, ingest.Draft, int, bool) {
	rest, code, ok := subFlags(name, cfg, args, e, define)
	if !ok {
		return "", ingest.Draft{}, code, false
	}
	dir, ok := needDir(*cfg, e, name)
	if !ok {
		return "", ingest.Draft{}, 2, false
	}
	if len(rest) != 1 {
		fmt.Fprintf(e.stderr, "briefbot %s: give one draft ID (briefbot drafts lists them)\n", name)
		return "", ingest.Draft{}, 2, false
	}
	d, err := ingest.Drafts{Dir: dir}.Get(rest[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot %s: %v\n", name, err)
		return "", ingest.Draft{}, 1, false
	}
	return dir, d, 0, true
}

func splitOnly(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func reviewCmd(cfg config.Config, args []string, e env) int {
	var only string
	dir, d, code, ok := draftArg("review", &cfg, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&only, "only", "", "review only these items (comma-separated: "+itemHelp+")")
	})
	if !ok {
		return code
	}
	old, err := loadBriefing(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot review: %v\n", err)
		return 1
	}
	plan, err := ingest.PlanAccept(dir, d, splitOnly(only))
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot review: %v\n", err)
		return 1
	}
	w := e.stdout
	fmt.Fprintf(w, "Draft %s: %s (%s, %s)\n", d.Source.ID, d.Source.Title, d.Source.Outlet, or(d.Source.Date, "undated"))
	if d.Source.URL != "" {
		fmt.Fprintf(w, "  %s\n", d.Source.URL)
	}
	fmt.Fprintln(w, "\nQuotes:")
	for i, q := range d.Quotes {
		who := "NO SPEAKER FOUND"
		if q.Speaker != nil {
			who = q.Speaker.ID
			if q.New {
				who += " (new)"
			}
			if q.Speaker.Written != "" && q.Speaker.Written != q.Speaker.Name {
				who += ` as "` + q.Speaker.Written + `"`
			}
		}
		fmt.Fprintf(w, "  quote:%d  %s, %s%s: %q\n", i+1, who, q.Basis, viaText(q.Via), q.Text)
		if len(q.Options) > 0 {
			fmt.Fprintf(w, "           options: %s\n", strings.Join(q.Options, ", "))
		}
	}
	if len(d.Terms) > 0 {
		fmt.Fprintf(w, "\nTerms in quotation marks, attributed to no one: %s\n", strings.Join(quoteAll(d.Terms), ", "))
	}
	if len(d.NewActors) > 0 {
		fmt.Fprintln(w, "\nNew actors:")
		for _, a := range d.NewActors {
			fmt.Fprintf(w, "  actor:%s  %s, %s\n", a.ID, a.Name, or(a.Role, "no role given"))
		}
	}
	if len(d.Positions) > 0 {
		fmt.Fprintln(w, "\nSuggested positions:")
		for _, p := range d.Positions {
			fmt.Fprintf(w, "  position:%s/%s  %s (words: %s)\n", p.Actor, p.Option, p.Stance, or(strings.Join(p.Words, ", "), "none"))
		}
	}
	if len(d.Events) > 0 {
		fmt.Fprintln(w, "\nDated events:")
		for i, ev := range d.Events {
			fmt.Fprintf(w, "  event:%d  %s: %s\n", i+1, ev.Date, ev.Text)
		}
	}
	fmt.Fprintln(w, "\nAccepting would change the briefing:")
	for _, c := range plan.Changes {
		fmt.Fprintf(w, "  + %s\n", c)
	}
	for _, s := range plan.Skipped {
		fmt.Fprintf(w, "  - left out: %s\n", s)
	}
	if plan.Problems != nil {
		fmt.Fprintf(w, "\nAccepting would fail check; fix the draft or accept --only some items:\n  %s\n", strings.ReplaceAll(plan.Problems.Error(), "\n", "\n  "))
		return 1
	}
	fmt.Fprintln(w, "\nThe next digest would say, under \"New since the last digest\":")
	for _, l := range plan.NewInDigest(old, time.Now()) {
		fmt.Fprintf(w, "  • %s\n", l)
	}
	fmt.Fprintf(w, "\nbriefbot --briefing %s accept %s  (or --only ITEM,ITEM)\n", dir, d.Source.ID)
	return 0
}

const itemHelp = "source, actor:ID, quote:N, position:ACTOR/OPTION, event:N"

func acceptCmd(cfg config.Config, args []string, e env) int {
	var only string
	dir, d, code, ok := draftArg("accept", &cfg, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&only, "only", "", "accept only these items (comma-separated: "+itemHelp+"); the source always")
	})
	if !ok {
		return code
	}
	plan, err := ingest.PlanAccept(dir, d, splitOnly(only))
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot accept: %v\n", err)
		return 1
	}
	if plan.Problems != nil {
		fmt.Fprintf(e.stderr, "briefbot accept: refused: the merged briefing would not pass check (nothing written):\n  %s\n",
			strings.ReplaceAll(plan.Problems.Error(), "\n", "\n  "))
		return 1
	}
	if err := plan.Apply(dir); err != nil {
		fmt.Fprintf(e.stderr, "briefbot accept: %v\n", err)
		return 1
	}
	if err := (ingest.Drafts{Dir: dir}).Delete(d.Source.ID); err != nil {
		fmt.Fprintf(e.stderr, "briefbot accept: merged, but the draft stays: %v\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "accepted %s into %s: %d changes; a running serve reloads it by itself\n", d.Source.ID, dir, len(plan.Changes))
	for _, c := range plan.Changes {
		fmt.Fprintf(e.stdout, "  + %s\n", c)
	}
	return 0
}

func rejectCmd(cfg config.Config, args []string, e env) int {
	dir, d, code, ok := draftArg("reject", &cfg, args, e, nil)
	if !ok {
		return code
	}
	if err := (ingest.Drafts{Dir: dir}).Delete(d.Source.ID); err != nil {
		fmt.Fprintf(e.stderr, "briefbot reject: %v\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "rejected draft %s; the briefing is unchanged\n", d.Source.ID)
	return 0
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func viaText(v string) string {
	if v == "" {
		return ""
	}
	return " via " + v
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}
