package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPictureCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "matrix.png")
	r := runWith(t, "", nil, "picture", out)
	if r.code != 0 || !strings.Contains(r.stdout, "alt text: Matrix of stances") {
		t.Fatalf("%d %s %s", r.code, r.stdout, r.stderr)
	}
	img, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(img)); err != nil {
		t.Fatal(err)
	}
	if r := runWith(t, "", nil, "picture"); r.code != 2 || !strings.Contains(r.stderr, "name the PNG file") {
		t.Fatalf("no file: %d %s", r.code, r.stderr)
	}
	if r := runWith(t, "", nil, "picture", filepath.Join(t.TempDir(), "no", "such", "dir.png")); r.code != 1 {
		t.Fatalf("unwritable: %d %s", r.code, r.stderr)
	}
}
