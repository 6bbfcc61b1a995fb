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
	"net/http"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

// MaxLineBytes is the longest input line kept; the rest of a longer line is
// read and discarded, so no input can exhaust memory.
const MaxLineBytes = 64 << 10

// Name is the console's platform name; its one channel has the same name.
const Name briefbot.Platform = "console"

// caller is the console's user: one channel, which they manage.
func caller() bot.Caller {
	return bot.Caller{Platform: Name, Channel: string(Name), User: string(Name), CanManage: true}
}

// Spec registers the console: the fallback platform, run when no chat
// platform is configured, reading in and writing to out (with a prompt on
// a terminal). Its digest sender prints to out.
func Spec(in io.Reader, out io.Writer, prompt bool) bot.Spec {
	return bot.Spec{
		Name:     Name,
		Section:  config.Section{Name: string(Name), DefaultChannel: string(Name)},
		Fallback: true,
		Local:    true,
		New: func(d bot.Deps, _ config.Values) (bot.Platform, error) {
			return New(d.Handler, in, out, prompt), nil
		},
	}
}

// Adapter is the console adapter.
type Adapter struct {
	h      bot.Handler
	in     io.Reader
	out    io.Writer
	prompt bool
	sender *Sender
}

var _ bot.Platform = (*Adapter)(nil)

// New returns a console adapter answering through h, reading from in and
// writing to out. With prompt set it shows a prompt before each line (for
// a terminal).
func New(h bot.Handler, in io.Reader, out io.Writer, prompt bool) *Adapter {
	return &Adapter{h: h, in: in, out: out, prompt: prompt, sender: NewSender(out)}
}

// Name implements bot.Platform.
func (*Adapter) Name() briefbot.Platform { return Name }

// Start implements bot.Platform: the console has nothing to set up.
func (*Adapter) Start(context.Context, *http.ServeMux) error { return nil }

// Stop implements bot.Platform: answers are written before the next line
// is read, so nothing is left to wait for.
func (*Adapter) Stop(context.Context) error { return nil }

// Ready implements bot.Platform: the console is always ready.
func (*Adapter) Ready(context.Context) error { return nil }

// Sender implements bot.Platform: digests are printed.
func (a *Adapter) Sender() digest.Sender { return a.sender }

// Run answers each line until end of input, "quit" or "exit", or until ctx
// is done. Empty lines are skipped.
func (a *Adapter) Run(ctx context.Context) error {
	h := a.h
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
		fmt.Fprintf(a.out, "briefbot console: type a command (help, actor macron, option troops, ...) or a question; more for the full card; quit to leave.\n")
	}
	var last *bot.Request // for "more"
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
			req := h.Table().Parse(text)
			switch strings.ToLower(text) {
			case "":
				continue
			case "quit", "exit":
				return nil
			case "more":
				// The full card of the last answer.
				if last == nil {
					fmt.Fprintln(a.out, "The last answer is complete: there is no more to show.")
					continue
				}
				req = *last
				req.Full = true
			}
			r := h.Handle(ctx, caller(), req)
			last = nil
			if r.More { // only an answer with more to show is asked again
				last = &req
			}
			out := plain.RenderWith(r.Answer, plain.Options{Prefix: bot.SlashCommand, More: "type more for the full card"})
			if _, err := io.WriteString(a.out, out+"\n"); err != nil {
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
