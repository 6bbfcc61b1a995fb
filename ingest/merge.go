package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/briefings"
)

// Plan is what accepting a draft would change: the new file contents
// and, in words, each change.
type Plan struct {
	// Files are the briefing files to write, by path relative to the
	// briefing directory.
	Files map[string][]byte
	// Changes say in words what is added, one a line.
	Changes []string
	// Skipped are items of the draft left out, and why.
	Skipped []string
	// Merged is the briefing as it would be, when it passes validation.
	Merged *briefings.Briefing
	// Problems are what validation found wrong with the merged briefing.
	Problems *briefings.ValidationError
}

// Items lists the keys of a draft's items, for --only: source, actor:ID,
// quote:N, position:ACTOR/OPTION, event:N (N counts from 1).
func Items(d Draft) []string {
	keys := []string{"source"}
	for _, a := range d.NewActors {
		keys = append(keys, "actor:"+a.ID)
	}
	for i := range d.Quotes {
		keys = append(keys, fmt.Sprintf("quote:%d", i+1))
	}
	for _, p := range d.Positions {
		keys = append(keys, "position:"+p.Actor+"/"+p.Option)
	}
	for i := range d.Events {
		keys = append(keys, fmt.Sprintf("event:%d", i+1))
	}
	return keys
}

// PlanAccept works out what accepting the draft (or only the listed
// items; the source always) would write into the briefing directory, and
// validates the merged briefing exactly as `briefbot check` does.
func PlanAccept(dir string, d Draft, only []string) (*Plan, error) {
	if len(only) > 0 {
		all := Items(d)
		for _, k := range only {
			if !slices.Contains(all, k) {
				return nil, fmt.Errorf("--only %q: the draft has no such item (it has %s)", k, strings.Join(all, ", "))
			}
		}
	}
	want := func(k string) bool { return len(only) == 0 || k == "source" || slices.Contains(only, k) }
	old, err := briefings.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("the briefing in %s does not pass check before the merge: %w", dir, err)
	}
	if _, ok := old.Source(d.Source.ID); ok {
		return nil, fmt.Errorf("source %q is already in the briefing", d.Source.ID)
	}
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	p := &Plan{Files: map[string][]byte{}}
	var extra []briefings.Problem // draft problems found before validation
	// change applies one YAML edit (appendItems or replaceItem) to a file
	// of the plan, read from the directory the first time.
	change := func(f func([]byte, []string, any) ([]byte, error), name string, path []string, items any) error {
		data, ok := p.Files[name]
		if !ok {
			var err error
			if data, err = read(name); err != nil {
				return fmt.Errorf("reading %s: %w", name, err)
			}
		}
		out, err := f(data, path, items)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		p.Files[name] = out
		return nil
	}
	edit := func(name string, path []string, items any) error { return change(appendItems, name, path, items) }
	replace := func(name string, path []string, items any) error { return change(replaceItem, name, path, items) }

	src := briefings.Source{ID: d.Source.ID, Outlet: d.Source.Outlet, Title: d.Source.Title, Date: d.Source.Date,
		Kind: "article", URL: d.Source.URL, File: "sources/" + d.Source.ID + ".txt"}
	if src.Date == "" {
		src.DateNote = "undated: the article gives no date"
	}
	if err := edit(briefings.FileSources, []string{"sources"}, []briefings.Source{src}); err != nil {
		return nil, err
	}
	p.Files[src.File] = []byte(d.Text)
	p.Changes = append(p.Changes, fmt.Sprintf("sources.yaml: new source %s (%s, %s): %s", src.ID, src.Outlet, dateOr(src.Date), src.Title))

	evidenceOf := func(q Quote) []briefings.Evidence {
		pieces := q.Pieces
		if len(pieces) == 0 {
			pieces = []string{q.Text}
		}
		var ev []briefings.Evidence
		for _, pc := range pieces {
			e := briefings.Evidence{Source: src.ID, Quote: pc, Basis: briefings.Basis(q.Basis), Via: q.Via}
			if q.Speaker != nil {
				e.By = q.Speaker.ID
			}
			ev = append(ev, e)
		}
		return ev
	}
	newActor := map[string]*briefings.Actor{}
	for _, a := range d.NewActors {
		if !want("actor:" + a.ID) {
			p.Skipped = append(p.Skipped, "actor:"+a.ID+" (not in --only)")
			continue
		}
		// A role is our wording, and check holds quotation marks to the
		// evidence: a term the article quoted inside a role ("offer an
		// "Article 5-like" commitment") loses its marks.
		role := strings.TrimSpace(quoteMarks.Replace(a.Role))
		summary := fmt.Sprintf("%s, %s, is quoted by %s (%s).", a.Name, role, src.Outlet, dateOr(src.Date))
		if role == "" {
			role = "Quoted by " + src.Outlet + "; the article gives no role"
			summary = fmt.Sprintf("%s is quoted by %s (%s).", a.Name, src.Outlet, dateOr(src.Date))
		}
		newActor[a.ID] = &briefings.Actor{ID: a.ID, Name: a.Name, Kind: "person", Role: role, Summary: summary}
	}
	for i, q := range d.Quotes {
		key := fmt.Sprintf("quote:%d", i+1)
		if q.Speaker == nil {
			p.Skipped = append(p.Skipped, key+" (no speaker found: attribute it by hand)")
			continue
		}
		if !want(key) {
			continue
		}
		if na, ok := newActor[q.Speaker.ID]; ok {
			na.Evid = append(na.Evid, evidenceOf(q)...)
			continue
		}
		if _, ok := old.ActorByID(q.Speaker.ID); !ok {
			extra = append(extra, briefings.Problem{File: "draft " + d.Source.ID, Msg: fmt.Sprintf("%s: speaker %q is neither an actor of the briefing nor a new actor accepted with the draft", key, q.Speaker.ID)})
			continue
		}
		if err := edit(briefings.FileActors, []string{"actors", "id=" + q.Speaker.ID, "evidence"}, evidenceOf(q)); err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, fmt.Sprintf("actors.yaml: %s gains evidence (%s): %q", q.Speaker.ID, q.Basis, shorten(q.Text, 70)))
	}
	for _, a := range d.NewActors {
		na, ok := newActor[a.ID]
		if !ok {
			continue
		}
		if len(na.Evid) == 0 {
			p.Skipped = append(p.Skipped, "actor:"+a.ID+" (none of their quotes is accepted)")
			continue
		}
		if err := edit(briefings.FileActors, []string{"actors"}, []briefings.Actor{*na}); err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, fmt.Sprintf("actors.yaml: new actor %s (%s, %s)", na.ID, na.Name, na.Role))
	}
	quoteOf := map[string]Quote{}
	for _, q := range d.Quotes {
		quoteOf[q.Text] = q
	}
	for _, s := range d.Positions {
		key := "position:" + s.Actor + "/" + s.Option
		if !want(key) {
			continue
		}
		q, ok := quoteOf[s.Quote]
		if !ok {
			p.Skipped = append(p.Skipped, key+" (its quote is not in the draft)")
			continue
		}
		ev := evidenceOf(q)
		if cur, ok := old.Position(s.Actor, s.Option); ok {
			if string(cur.Stance) != s.Stance {
				// A move is recorded only when the editor names it: stance
				// cues are single words.
				if !slices.Contains(only, key) || src.Date == "" {
					p.Skipped = append(p.Skipped, fmt.Sprintf("%s (suggests %s; the briefing has %s: accept it with --only %s to record the move, the old stance kept as history)", key, s.Stance, cur.Stance, key))
					continue
				}
				ps, ch, err := briefings.RecordStance(old.Positions, briefings.Observation{Actor: s.Actor, Option: s.Option,
					Stance: briefings.Stance(s.Stance), Date: src.Date, Evidence: ev,
					Summary: fmt.Sprintf("%s %s %s, in %s (%s).", nameOf(old, s.Actor), stancePhrase(s.Stance), strings.ToLower(optionName(old, s.Option)), src.Outlet, dateOr(src.Date))})
				if err != nil {
					p.Skipped = append(p.Skipped, key+" ("+err.Error()+")")
					continue
				}
				i := slices.IndexFunc(ps, func(x *briefings.Position) bool { return x.Actor == s.Actor && x.Option == s.Option })
				if err := replace(briefings.FilePositions, []string{"positions", "actor=" + s.Actor + ",option=" + s.Option}, []*briefings.Position{ps[i]}); err != nil {
					return nil, err
				}
				p.Changes = append(p.Changes, fmt.Sprintf("positions.yaml: %s on %s: %s (%s to %s since %s; the old stance kept as history)", s.Actor, s.Option, ch.Kind, ch.From, ch.To, ch.Since))
				continue
			}
			if err := edit(briefings.FilePositions, []string{"positions", "actor=" + s.Actor + ",option=" + s.Option, "evidence"}, ev); err != nil {
				return nil, err
			}
			p.Changes = append(p.Changes, fmt.Sprintf("positions.yaml: %s on %s (%s) gains evidence: %q", s.Actor, s.Option, s.Stance, shorten(s.Quote, 70)))
			continue
		}
		if why := conflicts(old, s); why != "" {
			p.Skipped = append(p.Skipped, key+" ("+why+")")
			continue
		}
		if s.Stance == string(briefings.Undecided) && len(s.Words) == 0 {
			p.Skipped = append(p.Skipped, key+" (no words suggest a stance: add it by hand if it is one)")
			continue
		}
		actorName := s.Actor
		if a, ok := old.ActorByID(s.Actor); ok {
			actorName = a.Name
		} else if na, ok := newActor[s.Actor]; ok {
			actorName = na.Name
		}
		optName := s.Option
		if o, ok := old.OptionByID(s.Option); ok {
			optName = o.Name
		}
		pos := briefings.Position{Actor: s.Actor, Option: s.Option, Stance: briefings.Stance(s.Stance),
			Summary: fmt.Sprintf("%s %s %s, in %s (%s).", actorName, stancePhrase(s.Stance), strings.ToLower(optName), src.Outlet, dateOr(src.Date)),
			Evid:    ev}
		if err := edit(briefings.FilePositions, []string{"positions"}, []briefings.Position{pos}); err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, fmt.Sprintf("positions.yaml: new position %s on %s: %s (words: %s)", s.Actor, s.Option, s.Stance, strings.Join(s.Words, ", ")))
	}
	for i, e := range d.Events {
		key := fmt.Sprintf("event:%d", i+1)
		if !want(key) {
			continue
		}
		ev := briefings.Event{Date: e.Date, Text: e.Text, Evid: []briefings.Evidence{{Source: src.ID, Quote: e.Text, Basis: briefings.BasisReport}}}
		if err := edit(briefings.FileTimeline, []string{"timeline"}, []briefings.Event{ev}); err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, fmt.Sprintf("timeline.yaml: %s: %s", e.Date, shorten(e.Text, 80)))
	}

	merged, err := loadOverlay(dir, p.Files)
	var ve *briefings.ValidationError
	switch {
	case errors.As(err, &ve):
		p.Problems = &briefings.ValidationError{Problems: append(extra, ve.Problems...)}
	case err == nil && len(extra) > 0:
		p.Problems = &briefings.ValidationError{Problems: extra}
	case err != nil:
		return nil, err
	default:
		p.Merged = merged
	}
	return p, nil
}

// Apply writes a plan that passed validation: the source text first, the
// YAML files last, each atomically.
func (p *Plan) Apply(dir string) error {
	if p.Problems != nil {
		return p.Problems
	}
	names := make([]string, 0, len(p.Files))
	for n := range p.Files {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		ay, by := strings.HasSuffix(a, ".yaml"), strings.HasSuffix(b, ".yaml")
		if ay != by {
			if ay {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	for _, n := range names {
		full := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", n, err)
		}
		if err := writeAtomic(full, p.Files[n]); err != nil {
			return err
		}
	}
	return nil
}

// NewInDigest is what the next digest of a channel that saw the current
// briefing would list under "New since the last digest".
func (p *Plan) NewInDigest(old *briefings.Briefing, now time.Time) []string {
	if p.Merged == nil {
		return nil
	}
	a := p.Merged.DigestFor(now, old.ItemKeys(), false)
	var out []string
	for _, s := range a.Sections {
		if strings.HasPrefix(s.Heading, "New since") {
			for _, it := range s.Items {
				out = append(out, it.Text)
			}
			if s.Text != "" {
				out = append(out, s.Text)
			}
		}
	}
	return out
}

// loadOverlay loads the briefing in dir with some files replaced, in
// memory, through the same Load that `briefbot check` uses.
func loadOverlay(dir string, files map[string][]byte) (*briefings.Briefing, error) {
	m := fstest.MapFS{}
	root := os.DirFS(dir)
	err := fs.WalkDir(root, ".", func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() {
			if path == DraftsDir {
				return fs.SkipDir
			}
			return nil
		}
		data, err := fs.ReadFile(root, path)
		if err != nil {
			return err
		}
		m[path] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the briefing in %s: %w", dir, err)
	}
	for n, data := range files {
		m[n] = &fstest.MapFile{Data: data}
	}
	return briefings.Load(m)
}

// side groups stances as check does: for, open, against.
func side(s string) int {
	switch briefings.Stance(s) {
	case briefings.Proposes, briefings.Supports, briefings.Conditional:
		return 1
	case briefings.Opposes, briefings.RulesOut:
		return -1
	}
	return 0
}

// conflicts says why a suggested position would contradict the position
// of a collective the actor speaks for (which check refuses unexplained),
// or "" when it does not.
func conflicts(b *briefings.Briefing, s Suggested) string {
	a, ok := b.ActorByID(s.Actor)
	if !ok {
		return ""
	}
	for _, m := range a.Member {
		if q, ok := b.Position(m, s.Option); ok && side(string(q.Stance)) != side(s.Stance) {
			return fmt.Sprintf("suggests %s, but %s, which %s speaks for, %s: reconcile by hand, with a note", s.Stance, m, s.Actor, q.Stance)
		}
	}
	return ""
}

func stancePhrase(s string) string {
	switch briefings.Stance(s) {
	case briefings.Proposes:
		return "proposes"
	case briefings.Supports:
		return "supports"
	case briefings.Conditional:
		return "supports, with conditions,"
	case briefings.Opposes:
		return "opposes"
	case briefings.RulesOut:
		return "rules out"
	}
	return "is undecided on"
}

func dateOr(d string) string {
	if d == "" {
		return "undated"
	}
	return d
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// appendItems appends items (a slice, encoded as YAML) to the sequence
// that path names in a YAML document, by inserting lines of text after
// its last item, so every comment, blank line and folded paragraph of the
// file stays as the editor wrote it. A path is top-level key, then
// "field=value[,field=value]" to pick an entry of a sequence, then a key.
func appendItems(data []byte, path []string, items any) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("empty document")
	}
	n := doc.Content[0]
	for _, step := range path {
		switch {
		case strings.Contains(step, "="):
			if n.Kind != yaml.SequenceNode {
				return nil, fmt.Errorf("%s: not a list", step)
			}
			var found *yaml.Node
			for _, it := range n.Content {
				if matches(it, step) {
					found = it
					break
				}
			}
			if found == nil {
				return nil, fmt.Errorf("no entry with %s", step)
			}
			n = found
		default:
			v := mapValue(n, step)
			if v == nil {
				return nil, fmt.Errorf("no %q", step)
			}
			n = v
		}
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, fmt.Errorf("%s is not a non-empty list", strings.Join(path, "/"))
	}
	last := n.Content[len(n.Content)-1]
	end := maxLine(last)
	next := lineAfter(&doc, end)
	lines := strings.SplitAfter(string(data), "\n")
	at := len(lines) // insert before this line index (0-based)
	if next > 0 {
		at = next - 1
	}
	for at > end && at-1 >= 0 && at-1 < len(lines) && isBlankOrComment(lines[at-1]) {
		at--
	}
	if at > len(lines) {
		at = len(lines)
	}
	block, err := encodeAt(items, last.Column)
	if err != nil {
		return nil, err
	}
	var ins strings.Builder
	if strings.HasPrefix(path[0], "sources") || len(path) == 1 {
		ins.WriteString("\n") // a blank line between top-level entries, as the files have
	}
	ins.WriteString(block)
	var out strings.Builder
	for _, l := range lines[:at] {
		out.WriteString(l)
	}
	if at > 0 && !strings.HasSuffix(lines[at-1], "\n") {
		out.WriteString("\n")
	}
	out.WriteString(ins.String())
	for _, l := range lines[at:] {
		out.WriteString(l)
	}
	return []byte(out.String()), nil
}

func isBlankOrComment(l string) bool {
	t := strings.TrimSpace(l)
	return t == "" || strings.HasPrefix(t, "#")
}

func matches(it *yaml.Node, step string) bool {
	for _, cond := range strings.Split(step, ",") {
		k, v, _ := strings.Cut(cond, "=")
		mv := mapValue(it, k)
		if mv == nil || mv.Value != v {
			return false
		}
	}
	return true
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func maxLine(n *yaml.Node) int {
	m := n.Line
	walkNodes(n, func(x *yaml.Node) { m = max(m, x.Line) })
	return m
}

func walkNodes(n *yaml.Node, f func(*yaml.Node)) {
	f(n)
	for _, c := range n.Content {
		walkNodes(c, f)
	}
}

// nameOf is an actor's name, or its id.
func nameOf(b *briefings.Briefing, id string) string {
	if a, ok := b.ActorByID(id); ok {
		return a.Name
	}
	return id
}

// optionName is an option's name, or its id.
func optionName(b *briefings.Briefing, id string) string {
	if o, ok := b.OptionByID(id); ok {
		return o.Name
	}
	return id
}

// replaceItem replaces the list entry at path (its last step selects it:
// "actor=a,option=b") with items, a one-entry list, written at the
// entry's indentation; the lines around it, comments included, stay.
func replaceItem(data []byte, path []string, items any) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || len(path) < 2 {
		return nil, errors.New("empty document or path")
	}
	n := doc.Content[0]
	for _, step := range path[:len(path)-1] {
		if n = mapValue(n, step); n == nil {
			return nil, fmt.Errorf("no %q", step)
		}
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s is not a list", strings.Join(path[:len(path)-1], "/"))
	}
	var item *yaml.Node
	for _, it := range n.Content {
		if matches(it, path[len(path)-1]) {
			item = it
		}
	}
	if item == nil {
		return nil, fmt.Errorf("no entry with %s", path[len(path)-1])
	}
	end := maxLine(item)
	next := lineAfter(&doc, end)
	lines := strings.SplitAfter(string(data), "\n")
	from, to := item.Line-1, len(lines)
	if next > 0 {
		to = next - 1
	}
	for to > end && to-1 >= 0 && isBlankOrComment(lines[to-1]) {
		to-- // blank lines and comments before the next entry stay
	}
	block, err := encodeAt(items, item.Column)
	if err != nil {
		return nil, err
	}
	var out strings.Builder
	for _, l := range lines[:from] {
		out.WriteString(l)
	}
	out.WriteString(block)
	for _, l := range lines[to:] {
		out.WriteString(l)
	}
	return []byte(out.String()), nil
}

// lineAfter is the first line after end that starts a node of doc, or 0.
func lineAfter(doc *yaml.Node, end int) int {
	next := 0
	walkNodes(doc, func(x *yaml.Node) {
		if x.Line > end && (next == 0 || x.Line < next) {
			next = x.Line
		}
	})
	return next
}

// encodeAt writes items (a list) as YAML lines indented for a list whose
// entries' keys start at column col (the dash two columns before).
func encodeAt(items any, col int) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(items); err != nil {
		return "", err
	}
	enc.Close()
	indent := strings.Repeat(" ", max(col-3, 0))
	var out strings.Builder
	for _, l := range strings.SplitAfter(buf.String(), "\n") {
		if l == "" {
			continue
		}
		if strings.TrimSpace(l) != "" {
			out.WriteString(indent)
		}
		out.WriteString(l)
	}
	return out.String(), nil
}

// quoteMarks removes the quotation marks check would hold to evidence.
var quoteMarks = strings.NewReplacer("\"", "", "\u201c", "", "\u201d", "", "\u201e", "", "\u00ab", "", "\u00bb", "")
