// Package synth generates synthetic briefings many times the size of the
// real one, for tests of platform limits and of speed. A synthetic briefing
// is the embedded briefing copied n times under distinct ids and names: it
// passes every check briefings.Load makes, so it exercises the same code
// paths as the real one, only with more of everything.
package synth

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"testing/fstest"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/briefings"
)

// Scaled returns a briefing directory (an fs.FS laid out like
// briefings/data) holding n copies of the embedded briefing's content under
// distinct ids and names: n× sources (each a copy of a real source text
// under a new id, with a distinct title), actors, options, positions,
// timeline entries, overview points; every quote still verbatim in its
// (copied) source, every reference pointing at the copy's ids, aliases made
// unique per copy so no alias is claimed twice. Scaled(1) is the real
// briefing unchanged.
//
// Copy 1 is the real briefing; copy k (k ≥ 2) suffixes every id with
// "-copy-k", every name and title with " (copy k)" and every alias,
// adjective and place with " copy k". Outlets are shared by all copies, as
// is the overview's single bottom line. An evidence note that names an
// actor gets the ids of that actor's copy appended, so that a note which
// reconciles a person's stance with its government's still names both in
// every copy.
func Scaled(n int) (fs.FS, error) {
	return scale(briefings.Embedded(), n)
}

// scale is Scaled for any briefing directory.
func scale(emb fs.FS, n int) (fs.FS, error) {
	if n < 1 {
		return nil, fmt.Errorf("synth: cannot scale a briefing %d times", n)
	}
	if n == 1 {
		return emb, nil
	}
	out := fstest.MapFS{}
	err := fs.WalkDir(emb, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(emb, p)
		if err != nil {
			return err
		}
		out[p] = &fstest.MapFile{Data: data, Mode: 0o444}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("synth: reading the briefing: %w", err)
	}
	docs := map[string]*yaml.Node{}
	for _, file := range []string{briefings.FileSources, briefings.FileOverview, briefings.FileActors,
		briefings.FileOptions, briefings.FilePositions, briefings.FileTimeline} {
		f, ok := out[file]
		if !ok {
			return nil, fmt.Errorf("synth: briefing has no %s", file)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(f.Data, &doc); err != nil {
			return nil, fmt.Errorf("synth: %s: %w", file, err)
		}
		if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
			return nil, fmt.Errorf("synth: %s is not a mapping", file)
		}
		docs[file] = &doc
	}

	actors, err := seq(docs[briefings.FileActors], "actors")
	if err != nil {
		return nil, err
	}
	names := actorNames(actors)

	// Each top-level list to replicate, by file and key.
	lists := []struct{ file, key string }{
		{briefings.FileSources, "sources"},
		{briefings.FileActors, "actors"},
		{briefings.FileOptions, "options"},
		{briefings.FilePositions, "positions"},
		{briefings.FileTimeline, "timeline"},
		{briefings.FileOverview, "state_of_play"},
		{briefings.FileOverview, "open_questions"},
	}
	for _, l := range lists {
		s, err := seq(docs[l.file], l.key)
		if err != nil {
			return nil, err
		}
		orig := s.Content
		grown := make([]*yaml.Node, 0, n*len(orig))
		grown = append(grown, orig...)
		for k := 2; k <= n; k++ {
			c := &copier{k: k, names: names}
			for _, e := range orig {
				e = clone(e)
				c.rewrite(e)
				grown = append(grown, e)
			}
		}
		s.Content = grown
	}

	// The copied sources' texts, byte for byte under their new names.
	sources, _ := seq(docs[briefings.FileSources], "sources")
	for _, s := range sources.Content[:len(sources.Content)/n] {
		file := field(s, "file")
		if file == "" {
			continue
		}
		f, ok := out[file]
		if !ok {
			return nil, fmt.Errorf("synth: source text %s is missing", file)
		}
		for k := 2; k <= n; k++ {
			out[(&copier{k: k}).file(file)] = f
		}
	}

	for file, doc := range docs {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("synth: encoding %s: %w", file, err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("synth: encoding %s: %w", file, err)
		}
		out[file] = &fstest.MapFile{Data: buf.Bytes(), Mode: 0o444}
	}
	return out, nil
}

// Load is briefings.Load(Scaled(n)), with the error wrapped.
func Load(n int) (*briefings.Briefing, error) {
	fsys, err := Scaled(n)
	if err != nil {
		return nil, err
	}
	b, err := briefings.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("synth: briefing scaled %d times: %w", n, err)
	}
	return b, nil
}

// seq returns the sequence under key in a document's top-level mapping: an
// empty one if the key is absent (the briefing's validation, not this
// package, says what is required).
func seq(doc *yaml.Node, key string) (*yaml.Node, error) {
	v := value(doc.Content[0], key)
	switch {
	case v == nil:
		return &yaml.Node{Kind: yaml.SequenceNode}, nil
	case v.Kind != yaml.SequenceNode:
		return nil, fmt.Errorf("synth: %q in the briefing is not a list", key)
	}
	return v, nil
}

// value returns the value under key in a mapping node, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// field returns the scalar under key in a mapping node, or "".
func field(m *yaml.Node, key string) string {
	if v := value(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, e := range n.Content {
			c.Content[i] = clone(e)
		}
	}
	return &c
}

// actorName is one name an actor goes by, as lower-case words, for finding
// the actors an evidence note names.
type actorName struct {
	id    string
	words []string
}

// actorNames lists every id, name, alias, adjective and place of the actors.
func actorNames(actors *yaml.Node) []actorName {
	var out []actorName
	for _, a := range actors.Content {
		id := field(a, "id")
		if id == "" {
			continue
		}
		all := []string{id, field(a, "name")}
		for _, key := range []string{"aliases", "adjectives", "places"} {
			if v := value(a, key); v != nil {
				for _, e := range v.Content {
					all = append(all, e.Value)
				}
			}
		}
		for _, s := range all {
			if w := lowerWords(s); len(w) > 0 {
				out = append(out, actorName{id, w})
			}
		}
	}
	return out
}

// lowerWords splits s into lower-case runs of letters and digits.
func lowerWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// contains reports whether want occurs as consecutive words in have.
func contains(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j, w := range want {
			if have[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// copier rewrites one entry of the real briefing into copy k.
type copier struct {
	k     int
	names []actorName
}

func (c *copier) suffix() string { return strconv.Itoa(c.k) }

func (c *copier) id(s string) string    { return s + "-copy-" + c.suffix() }
func (c *copier) label(s string) string { return s + " (copy " + c.suffix() + ")" }
func (c *copier) alias(s string) string { return s + " copy " + c.suffix() }

func (c *copier) file(s string) string {
	ext := path.Ext(s)
	return strings.TrimSuffix(s, ext) + "-copy-" + c.suffix() + ext
}

// note appends to an evidence note the ids, in this copy, of the actors it
// names, so that the note still names them.
func (c *copier) note(s string) string {
	have := lowerWords(s)
	var ids []string
	seen := map[string]bool{}
	for _, n := range c.names {
		if !seen[n.id] && contains(have, n.words) {
			seen[n.id] = true
			ids = append(ids, c.id(n.id))
		}
	}
	if len(ids) == 0 {
		return s
	}
	return s + " (in this copy: " + strings.Join(ids, ", ") + ")"
}

// rewrite turns a copied entry of the real briefing into copy k in place:
// ids and references to actors, options and sources get the copy's ids,
// names and titles its label, aliases its suffix. Quotes, texts and
// summaries stay as they are, and so do references to outlets, which all
// copies share.
func (c *copier) rewrite(n *yaml.Node) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, e := range n.Content {
			c.rewrite(e)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			v := n.Content[i+1]
			switch n.Content[i].Value {
			case "id", "actor", "by", "option", "source":
				c.scalar(v, c.id)
			case "part_of", "actors", "related":
				c.each(v, c.id)
			case "name", "title":
				c.scalar(v, c.label)
			case "aliases", "adjectives", "places":
				c.each(v, c.alias)
			case "file":
				c.scalar(v, c.file)
			case "note":
				c.scalar(v, c.note)
			default:
				c.rewrite(v)
			}
		}
	}
}

func (c *copier) scalar(n *yaml.Node, f func(string) string) {
	if n.Kind != yaml.ScalarNode {
		return
	}
	n.Value = f(n.Value)
	n.Tag = "!!str"
}

func (c *copier) each(n *yaml.Node, f func(string) string) {
	if n.Kind != yaml.SequenceNode {
		return
	}
	for _, e := range n.Content {
		c.scalar(e, f)
	}
}

// WriteDir writes Scaled(n) to dir (created if absent), so that a scaled
// briefing can be checked and served like any other:
// briefbot check --briefing dir.
func WriteDir(dir string, n int) error {
	fsys, err := Scaled(n)
	if err != nil {
		return err
	}
	if err := os.CopyFS(dir, fsys); err != nil {
		return fmt.Errorf("synth: writing %s: %w", dir, err)
	}
	return nil
}
