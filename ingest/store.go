package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/briefbot/briefbot/briefings"
)

// DraftsDir is where drafts live, inside the briefing directory (the
// briefing loader reads only the files sources.yaml names, so drafts are
// never part of the published briefing).
const DraftsDir = "drafts"

// Drafts stores drafts as JSON files beside a briefing.
type Drafts struct {
	// Dir is the briefing directory.
	Dir string
}

func (s Drafts) path(id string) string { return filepath.Join(s.Dir, DraftsDir, id+".json") }

// ErrNoDraft is returned for an unknown draft id.
var ErrNoDraft = errors.New("no such draft")

// Save writes a draft.
func (s Drafts) Save(d Draft) error {
	if !validID(d.Source.ID) {
		return fmt.Errorf("draft id %q is not a valid id", d.Source.ID)
	}
	if err := os.MkdirAll(filepath.Join(s.Dir, DraftsDir), 0o755); err != nil {
		return fmt.Errorf("saving draft: %w", err)
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("saving draft: %w", err)
	}
	return writeAtomic(s.path(d.Source.ID), append(data, '\n'))
}

// Get reads a draft by id.
func (s Drafts) Get(id string) (Draft, error) {
	if !validID(id) {
		return Draft{}, fmt.Errorf("%q: %w", id, ErrNoDraft)
	}
	data, err := os.ReadFile(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return Draft{}, fmt.Errorf("%q: %w (briefbot drafts lists them)", id, ErrNoDraft)
	}
	if err != nil {
		return Draft{}, fmt.Errorf("reading draft %s: %w", id, err)
	}
	var d Draft
	if err := json.Unmarshal(data, &d); err != nil {
		return Draft{}, fmt.Errorf("reading draft %s: %w", id, err)
	}
	return d, nil
}

// List returns every draft, oldest first.
func (s Drafts) List() ([]Draft, error) {
	ents, err := os.ReadDir(filepath.Join(s.Dir, DraftsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing drafts: %w", err)
	}
	var out []Draft
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || !validID(id) {
			continue
		}
		d, err := s.Get(id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created < out[j].Created })
	return out, nil
}

// Delete removes a draft.
func (s Drafts) Delete(id string) error {
	if _, err := s.Get(id); err != nil {
		return err
	}
	if err := os.Remove(s.path(id)); err != nil {
		return fmt.Errorf("removing draft %s: %w", id, err)
	}
	return nil
}

// Known says whether an article is already a source of the briefing, or
// a pending draft, by URL or by text (compared ignoring white space), and
// names it; "" when it is new.
func (s Drafts) Known(b *briefings.Briefing, art Article) (string, error) {
	key := textKey(art.Text)
	for _, src := range b.Sources {
		if art.URL != "" && src.URL == art.URL {
			return "source " + src.ID + " (" + src.Label() + ": " + src.Title + ")", nil
		}
		if key != "" && textKey(src.Text) == key {
			return "source " + src.ID + " (" + src.Label() + ": " + src.Title + ")", nil
		}
	}
	ds, err := s.List()
	if err != nil {
		return "", err
	}
	for _, d := range ds {
		if art.URL != "" && d.Source.URL == art.URL || key != "" && textKey(d.Text) == key {
			return "draft " + d.Source.ID + " (" + d.Source.Title + "), not yet accepted", nil
		}
	}
	return "", nil
}

func textKey(s string) string { return strings.Join(strings.Fields(s), " ") }

func validID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return !strings.HasPrefix(id, "-") && !strings.Contains(id, "--")
}

// writeAtomic writes a file through a temporary file and a rename, so a
// reader never sees half of it.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
