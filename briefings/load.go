package briefings

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed data
var embedded embed.FS

// The files a briefing directory holds, besides the source texts that
// sources.yaml names.
const (
	FileSources   = "sources.yaml"
	FileOverview  = "overview.yaml"
	FileActors    = "actors.yaml"
	FileOptions   = "options.yaml"
	FilePositions = "positions.yaml"
	FileTimeline  = "timeline.yaml"
)

// Embedded returns the briefing shipped inside the binary, as a file system
// laid out like a briefing directory.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil { // only if the embed directive and the path disagree
		panic(fmt.Sprintf("briefings: embedded data: %v", err))
	}
	return sub
}

// LoadEmbedded loads and validates the briefing shipped inside the binary.
func LoadEmbedded() (*Briefing, error) { return Load(Embedded()) }

// LoadDir loads and validates the briefing in a directory on disk.
func LoadDir(dir string) (*Briefing, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("briefing directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("briefing directory: %s is not a directory", dir)
	}
	return Load(os.DirFS(dir))
}

// Problem is one thing wrong with a briefing, located by file and line.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// ValidationError lists every problem found while loading a briefing.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "briefing has %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Load reads a briefing from fsys, validates it and builds its indexes.
// Any problem, in any file, is reported in a *ValidationError that lists
// them all with file and line.
func Load(fsys fs.FS) (*Briefing, error) {
	l := &loader{fsys: fsys}
	b := &Briefing{}

	var srcFile struct {
		Sources []*Source `yaml:"sources"`
		Outlets []*Outlet `yaml:"outlets"`
	}
	var actFile struct {
		Actors []*Actor `yaml:"actors"`
	}
	var optFile struct {
		Options []*Option `yaml:"options"`
	}
	var posFile struct {
		Positions []*Position `yaml:"positions"`
	}
	var tlFile struct {
		Timeline []*Event `yaml:"timeline"`
	}
	// The files are independent, and parsing YAML is most of loading: parse
	// them side by side, each with its own problem list, merged in a fixed
	// order so the report does not depend on scheduling.
	files := []struct {
		name string
		v    any
	}{
		{FileSources, &srcFile}, {FileOverview, &b.Overview}, {FileActors, &actFile},
		{FileOptions, &optFile}, {FilePositions, &posFile}, {FileTimeline, &tlFile},
	}
	each := make([]loader, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		each[i].fsys = fsys
		wg.Go(func() { each[i].decode(f.name, f.v) })
	}
	wg.Wait()
	for _, e := range each {
		l.problems = append(l.problems, e.problems...)
	}
	b.Sources, b.Outlets = srcFile.Sources, srcFile.Outlets
	b.Actors, b.Options = actFile.Actors, optFile.Options
	b.Positions, b.Timeline = posFile.Positions, tlFile.Timeline
	// An empty list item ("-" alone) decodes to nothing: name it, and keep
	// it out of everything that reads the entries.
	b.Sources = dropEmpty(l, FileSources, "source", b.Sources)
	b.Outlets = dropEmpty(l, FileSources, "outlet", b.Outlets)
	b.Actors = dropEmpty(l, FileActors, "actor", b.Actors)
	b.Options = dropEmpty(l, FileOptions, "option", b.Options)
	b.Positions = dropEmpty(l, FilePositions, "position", b.Positions)
	b.Timeline = dropEmpty(l, FileTimeline, "timeline entry", b.Timeline)

	for _, s := range b.Sources {
		if s == nil || s.File == "" {
			continue
		}
		data, err := fs.ReadFile(fsys, s.File)
		if err != nil {
			l.add(FileSources, s.meta.line, "source %q: cannot read its text %q: %v", s.ID, s.File, unwrapPath(err))
			continue
		}
		s.Text = string(data)
		s.norm = normalizeQuote(s.Text)
	}

	// The timeline is kept in date order (an entry left empty sorts first;
	// validation names it).
	sort.SliceStable(b.Timeline, func(i, j int) bool { return eventDate(b.Timeline[i]) < eventDate(b.Timeline[j]) })

	// Indexing and validation only read the decoded entries (validation
	// writes its own lookups, which indexing does not use), so the index is
	// built while the briefing is checked. On a briefing that fails the
	// check the index is dropped, and if indexing stumbled on what the
	// check rejects (an empty entry, an unknown id), that is dropped too;
	// on one that passes, a panic is a bug and goes on.
	var (
		ix       *index
		panicked any
	)
	wg.Go(func() {
		defer func() { panicked = recover() }()
		ix = buildIndex(b)
	})
	validate(b, l)
	wg.Wait()
	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool {
			a, c := l.problems[i], l.problems[j]
			if a.File != c.File {
				return a.File < c.File
			}
			return a.Line < c.Line
		})
		return nil, &ValidationError{Problems: l.problems}
	}
	if panicked != nil {
		panic(panicked)
	}
	b.buildLookups()
	b.index = ix
	lean := *b
	lean.leadOnly = true
	b.lean = &lean
	return b, nil
}

// dropEmpty reports the list's empty items, by their place in the list,
// and returns the list without them.
func dropEmpty[T any](l *loader, file, what string, list []*T) []*T {
	out := list[:0]
	for i, e := range list {
		if e == nil {
			l.add(file, 0, "%s number %d in the list is empty", what, i+1)
			continue
		}
		out = append(out, e)
	}
	return out
}

func eventDate(e *Event) string {
	if e == nil {
		return ""
	}
	return e.Date
}

type loader struct {
	fsys     fs.FS
	problems []Problem
}

func (l *loader) add(file string, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// yamlLine matches the "line N: message" form of yaml.v3's type errors.
var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// decode parses one YAML file strictly (unknown fields are problems) into v.
func (l *loader) decode(file string, v any) {
	data, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		l.add(file, 0, "cannot read: %v", unwrapPath(err))
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err = dec.Decode(v)
	if err == nil || errors.Is(err, io.EOF) {
		return
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, msg := range te.Errors {
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				n, _ := strconv.Atoi(m[1])
				l.add(file, n, "%s", m[2])
			} else {
				l.add(file, 0, "%s", msg)
			}
		}
		return
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		l.add(file, n, "%s", m[2])
		return
	}
	l.add(file, 0, "%s", msg)
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// decodeNode decodes a mapping node into dst (a pointer to a struct type
// without an UnmarshalYAML method), recording the node's line and any keys
// the struct does not declare.
func decodeNode(n *yaml.Node, dst any, p *pos, known map[string]bool) error {
	p.line = n.Line
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; !known[k.Value] {
				p.unknown = append(p.unknown, k.Value)
			}
		}
	}
	return n.Decode(dst)
}

// The keys each entry type declares, worked out once: decodeNode checks
// every entry's keys against them. Read-only after initialisation.
var (
	keysOfSource     = yamlKeys(reflect.TypeFor[Source]())
	keysOfOutlet     = yamlKeys(reflect.TypeFor[Outlet]())
	keysOfActor      = yamlKeys(reflect.TypeFor[Actor]())
	keysOfOption     = yamlKeys(reflect.TypeFor[Option]())
	keysOfPoint      = yamlKeys(reflect.TypeFor[Point]())
	keysOfPosition   = yamlKeys(reflect.TypeFor[Position]())
	keysOfPastStance = yamlKeys(reflect.TypeFor[PastStance]())
	keysOfEvidence   = yamlKeys(reflect.TypeFor[Evidence]())
	keysOfEvent      = yamlKeys(reflect.TypeFor[Event]())
)

func yamlKeys(t reflect.Type) map[string]bool {
	keys := make(map[string]bool, t.NumField())
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}

// UnmarshalYAML records the line of the entry.
func (s *Source) UnmarshalYAML(n *yaml.Node) error {
	type plain Source
	return decodeNode(n, (*plain)(s), &s.meta, keysOfSource)
}

// UnmarshalYAML records the line of the entry.
func (o *Outlet) UnmarshalYAML(n *yaml.Node) error {
	type plain Outlet
	return decodeNode(n, (*plain)(o), &o.meta, keysOfOutlet)
}

// UnmarshalYAML records the line of the entry.
func (a *Actor) UnmarshalYAML(n *yaml.Node) error {
	type plain Actor
	return decodeNode(n, (*plain)(a), &a.meta, keysOfActor)
}

// UnmarshalYAML records the line of the entry.
func (o *Option) UnmarshalYAML(n *yaml.Node) error {
	type plain Option
	return decodeNode(n, (*plain)(o), &o.meta, keysOfOption)
}

// UnmarshalYAML records the line of the entry.
func (p *Point) UnmarshalYAML(n *yaml.Node) error {
	type plain Point
	return decodeNode(n, (*plain)(p), &p.meta, keysOfPoint)
}

// UnmarshalYAML records the line of the entry.
func (p *Position) UnmarshalYAML(n *yaml.Node) error {
	type plain Position
	return decodeNode(n, (*plain)(p), &p.meta, keysOfPosition)
}

// UnmarshalYAML records the line of the entry.
func (h *PastStance) UnmarshalYAML(n *yaml.Node) error {
	type plain PastStance
	return decodeNode(n, (*plain)(h), &h.meta, keysOfPastStance)
}

// UnmarshalYAML records the line of the entry.
func (e *Evidence) UnmarshalYAML(n *yaml.Node) error {
	if e.decodeStrings(n) {
		return nil
	}
	type plain Evidence
	return decodeNode(n, (*plain)(e), &e.meta, keysOfEvidence)
}

// UnmarshalYAML records the line of the entry.
func (e *Event) UnmarshalYAML(n *yaml.Node) error {
	type plain Event
	return decodeNode(n, (*plain)(e), &e.meta, keysOfEvent)
}

// decodeStrings decodes the usual evidence entry, a mapping of distinct
// keys to plain strings, without reflection: evidence is the most numerous
// entry, and loading a large briefing spent a tenth of its time decoding
// it. Anything else is left to the general decoder (false), which reports
// what is wrong with it.
func (e *Evidence) decodeStrings(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	out := Evidence{meta: pos{line: n.Line}}
	var have [6]bool
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
			return false
		}
		var dst *string
		var slot int
		switch k.Value {
		case "source":
			dst, slot = &out.Source, 0
		case "quote":
			dst, slot = &out.Quote, 1
		case "basis":
			dst, slot = (*string)(&out.Basis), 2
		case "by":
			dst, slot = &out.By, 3
		case "via":
			dst, slot = &out.Via, 4
		case "note":
			dst, slot = &out.Note, 5
		default:
			out.meta.unknown = append(out.meta.unknown, k.Value)
			continue
		}
		if have[slot] {
			return false // a repeated key: the general decoder names it
		}
		have[slot] = true
		*dst = v.Value
	}
	*e = out
	return true
}
