package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// TestSetMemoryLimit: the soft limit is 64 MiB plus four times the
// briefing's bytes, and GOMEMLIMIT, when set, wins.
func TestSetMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sources"), 0o755)
	os.WriteFile(filepath.Join(dir, "actors.yaml"), make([]byte, 1000), 0o644)
	os.WriteFile(filepath.Join(dir, "sources", "a.txt"), make([]byte, 24), 0o644)
	for _, tc := range []struct {
		name, dir, env string
		want           int64
	}{
		{"embedded", "", "", 64 << 20},
		{"a directory", dir, "", 64<<20 + 4*1024},
		{"GOMEMLIMIT wins", dir, "300MiB", 12345},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(12345)
			setMemoryLimit(tc.dir, func(k string) string {
				if k == "GOMEMLIMIT" {
					return tc.env
				}
				return ""
			})
			if got := debug.SetMemoryLimit(-1); got != tc.want {
				t.Fatalf("limit %d, want %d", got, tc.want)
			}
		})
	}
}
