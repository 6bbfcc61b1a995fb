// Package console is the adapter briefbot runs when no chat platform is
// configured: it reads one command per line (with or without the leading
// /guarantees) and prints each answer as plain text.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
	"github.com/briefbot/briefbot/digest"
)

// MaxLineBytes is the longest input line kept; the rest of a longer line is
// read and discarded, so no input can exhaust memory.
const MaxLineBytes = 64 << 10

// caller is the console's user: one channel, "console", which they manage.
func caller() bot.Caller {
	return bot.Caller{Platform: digest.Console, Channel: "console", User: "console", CanManage: true}
}

// Adapter is the console adapter.
type Adapter struct {
	in     io.Reader
	out    io.Writer
	prompt bool
}

// New returns a console adapter reading from in and writing to out. With
// prompt set it shows a prompt before each line (for a terminal).
func New(in io.Reader, out io.Writer, prompt bool) *Adapter {
	return &Adapter{in: in, out: out, prompt: prompt}
}

// Name implements bot.Adapter.
func (*Adapter) Name() string { return "console" }

// Run answers each line until end of input, "quit" or "exit", or until ctx
// is done. Empty lines are skipped.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		defer close(lines)
		r := bufio.NewReaderSize(a.in, 4096)
		for {
			line, err := readLine(r, MaxLineBytes)
			if line != "" || err == nil {
				select {
				case lines <- line:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					errc <- fmt.Errorf("console: reading input: %w", err)
				}
				return
			}
		}
	}()
	if a.prompt {
		fmt.Fprintf(a.out, "briefbot console: type a command (help, actor macron, option troops, ...) or a question; quit to leave.\n")
	}
	for {
		if a.prompt {
			fmt.Fprint(a.out, "> ")
		}
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				select {
				case err := <-errc:
					return err
				default:
					return nil
				}
			}
			text := strings.TrimSpace(line)
			switch strings.ToLower(text) {
			case "":
				continue
			case "quit", "exit":
				return nil
			}
			if _, err := io.WriteString(a.out, plain.Render(h.AnswerFor(ctx, caller(), text), bot.SlashCommand)+"\n"); err != nil {
				return fmt.Errorf("console: writing answer: %w", err)
			}
		}
	}
}

// readLine reads one line, keeping at most max bytes of it and discarding
// the rest, and strips the line ending.
func readLine(r *bufio.Reader, max int) (string, error) {
	var buf []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if len(buf) < max {
			buf = append(buf, chunk[:min(len(chunk), max-len(buf))]...)
		}
		if err != nil {
			return string(buf), err
		}
		if !isPrefix {
			return string(buf), nil
		}
	}
}
