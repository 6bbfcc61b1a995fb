package main

import (
	"fmt"
	"os"

	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/picture"
)

// pictureCmd writes the matrix picture to a file (the one Discord attaches
// and Slack uploads) and prints its alt text.
func pictureCmd(cfg config.Config, args []string, e env) int {
	rest, code, ok := subFlags("picture", &cfg, args, e, nil)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "briefbot picture: name the PNG file to write, e.g. briefbot picture matrix.png")
		return 2
	}
	b, err := loadBriefing(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot picture: %v\n", err)
		return 1
	}
	img, alt, err := picture.Matrix(b)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot picture: %v\n", err)
		return 1
	}
	if err := os.WriteFile(rest[0], img, 0o644); err != nil {
		fmt.Fprintf(e.stderr, "briefbot picture: %v\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d bytes)\nalt text: %s\n", rest[0], len(img), alt)
	return 0
}
