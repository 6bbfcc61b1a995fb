// Command gen writes a briefing N times the real one to a directory, for
// checking, serving and measuring briefbot at sizes the real corpus has
// not reached:
//
//	go run ./briefings/synth/gen -n 100 /tmp/briefing-100
//	go run ./cmd/briefbot check --briefing /tmp/briefing-100
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/briefbot/briefbot/briefings/synth"
)

func main() {
	n := flag.Int("n", 10, "how many times the real briefing")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, "usage: gen [-n N] DIR") }
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := synth.WriteDir(flag.Arg(0), *n); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
