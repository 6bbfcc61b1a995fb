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
	l.decode(FileSources, &srcFile)
	l.decode(FileOverview, &b.Overview)
	l.decode(FileActors, &actFile)
	l.decode(FileOptions, &optFile)
	l.decode(FilePositions, &posFile)
	l.decode(FileTimeline, &tlFile)
	b.Sources, b.Outlets = srcFile.Sources, srcFile.Outlets
	b.Actors, b.Options = actFile.Actors, optFile.Options
	b.Positions, b.Timeline = posFile.Positions, tlFile.Timeline

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

	validate(b, l)
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
	sort.SliceStable(b.Timeline, func(i, j int) bool { return b.Timeline[i].Date < b.Timeline[j].Date })
	b.buildLookups()
	b.index = buildIndex(b)
	lean := *b
	lean.leadOnly = true
	b.lean = &lean
	return b, nil
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
func decodeNode(n *yaml.Node, dst any, p *pos) error {
	p.line = n.Line
	if n.Kind == yaml.MappingNode {
		known := yamlKeys(reflect.TypeOf(dst).Elem())
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; !known[k.Value] {
				p.unknown = append(p.unknown, k.Value)
			}
		}
	}
	return n.Decode(dst)
}

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
	return decodeNode(n, (*plain)(s), &s.meta)
}

// UnmarshalYAML records the line of the entry.
func (o *Outlet) UnmarshalYAML(n *yaml.Node) error {
	type plain Outlet
	return decodeNode(n, (*plain)(o), &o.meta)
}

// UnmarshalYAML records the line of the entry.
func (a *Actor) UnmarshalYAML(n *yaml.Node) error {
	type plain Actor
	return decodeNode(n, (*plain)(a), &a.meta)
}

// UnmarshalYAML records the line of the entry.
func (o *Option) UnmarshalYAML(n *yaml.Node) error {
	type plain Option
	return decodeNode(n, (*plain)(o), &o.meta)
}

// UnmarshalYAML records the line of the entry.
func (p *Point) UnmarshalYAML(n *yaml.Node) error {
	type plain Point
	return decodeNode(n, (*plain)(p), &p.meta)
}

// UnmarshalYAML records the line of the entry.
func (p *Position) UnmarshalYAML(n *yaml.Node) error {
	type plain Position
	return decodeNode(n, (*plain)(p), &p.meta)
}

// UnmarshalYAML records the line of the entry.
func (h *PastStance) UnmarshalYAML(n *yaml.Node) error {
	type plain PastStance
	return decodeNode(n, (*plain)(h), &h.meta)
}

// UnmarshalYAML records the line of the entry.
func (e *Evidence) UnmarshalYAML(n *yaml.Node) error {
	type plain Evidence
	return decodeNode(n, (*plain)(e), &e.meta)
}

// UnmarshalYAML records the line of the entry.
func (e *Event) UnmarshalYAML(n *yaml.Node) error {
	type plain Event
	return decodeNode(n, (*plain)(e), &e.meta)
}
