// Package bot is briefbot's platform-neutral core: the executable command
// table (each command declared once with its parameters, rules and
// handler), the single entry point that answers a request, and the
// Platform contract that Slack, Discord and the console implement in their
// subpackages.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/picture"
)

// Caller is who typed a command, and where.
type Caller struct {
	Platform briefbot.Platform
	Channel  string
	User     string
	// CanManage is whether the caller may change the channel's digest.
	CanManage bool
	// Permission is what the platform calls the right CanManage stands
	// for ("Manage Channels"), for the message that refuses a change.
	Permission string
}

// Reply is an answer with the rules for handling it.
type Reply struct {
	Answer briefings.Answer
	// Command is the name of the command that answered (for metrics);
	// "unknown" for a command the table does not have.
	Command string
	// Cacheable answers depend only on the request and the briefing.
	Cacheable bool
	// Private answers are for the caller alone: never shared, never
	// posted for the channel (they concern the channel's settings).
	Private bool
	// More is set on a short answer whose full card says more: platforms
	// offer it (a More button, `more` in the console).
	More bool
	// Picture is set when the answer also has a picture (Handler.Picture):
	// platforms attach it or offer to post it.
	Picture bool
}

// PicturePath is where serve answers GET with the current matrix picture
// (for Slack image blocks in HTTP mode).
const PicturePath = "/matrix.png"

// Picture is the briefing's matrix drawn as a PNG, with its alt text.
type Picture struct {
	PNG []byte
	// Alt lists the stances in words, within picture.MaxAlt characters.
	Alt string
	// Name is the file name to upload it under.
	Name string
}

// Handler is what platforms need of the core.
type Handler interface {
	// Table is the command table: for parsing text and for generating a
	// platform's command registration.
	Table() *Table
	// Handle answers a request from a caller.
	Handle(ctx context.Context, c Caller, req Request) Reply
	// Briefing is the briefing answers come from (for autocomplete).
	Briefing() *briefings.Briefing
	// Generation changes whenever the briefing is replaced, so cached
	// answers can be dropped.
	Generation() uint64
	// Picture is the current briefing's matrix as a PNG, drawn once per
	// generation.
	Picture() (Picture, error)
	// Home composes a user's home view, with the digests of the channels
	// given.
	Home(ctx context.Context, p briefbot.Platform, channels []string) HomeView
}

// Bot answers requests from the briefing. It is safe for concurrent use,
// and its briefing can be replaced while it serves.
type Bot struct {
	briefing atomic.Pointer[briefings.Briefing]
	gen      atomic.Uint64
	now      func() time.Time
	log      *slog.Logger
	digests  *digest.Service
	table    *Table
	extra    []Command
	pictures picture.Cache
	// prevKeys are the items of the briefing the current one replaced
	// (nil before the first replacement), for the home view.
	prevKeys atomic.Pointer[[]string]
}

var _ Handler = (*Bot)(nil)

// Option configures a Bot.
type Option func(*Bot)

// WithClock sets the clock that dates digests (default time.Now).
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// WithDigests enables the subscription commands.
func WithDigests(s *digest.Service) Option { return func(b *Bot) { b.digests = s } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// WithCommands adds commands to the default table, after the others.
func WithCommands(cmds ...Command) Option {
	return func(b *Bot) { b.extra = append(b.extra, cmds...) }
}

// New returns a Bot answering from the given briefing. It panics if extra
// commands clash with the table (a programming error, as with a duplicate
// http.ServeMux pattern).
func New(br *briefings.Briefing, opts ...Option) *Bot {
	b := &Bot{now: time.Now, log: slog.Default()}
	for _, o := range opts {
		o(b)
	}
	t, err := NewTable(append(DefaultCommands(), b.extra...)...)
	if err != nil {
		panic(err)
	}
	b.table = t
	b.briefing.Store(br)
	return b
}

// Table returns the bot's command table.
func (b *Bot) Table() *Table { return b.table }

// Briefing returns the briefing the bot currently answers from.
func (b *Bot) Briefing() *briefings.Briefing { return b.briefing.Load() }

// SetBriefing replaces the briefing; answers already being composed finish
// with the old one.
func (b *Bot) SetBriefing(br *briefings.Briefing) {
	b.rememberKeys(b.briefing.Swap(br))
	b.gen.Add(1)
}

// Generation counts briefing replacements, so adapters can drop answers
// they cached from an older briefing.
func (b *Bot) Generation() uint64 { return b.gen.Load() }

// Picture implements Handler.
func (b *Bot) Picture() (Picture, error) {
	// Read the generation before the briefing: a replacement in between
	// draws the newer briefing under the older number, which only costs
	// one more drawing later.
	gen := b.gen.Load()
	img, alt, err := b.pictures.Get(gen, b.briefing.Load())
	if err != nil {
		return Picture{}, fmt.Errorf("drawing the matrix: %w", err)
	}
	return Picture{PNG: img, Alt: alt, Name: "briefbot-matrix.png"}, nil
}

// Answer parses text and answers it with no channel context. It never
// fails: every input gets an answer or a clear message.
func (b *Bot) Answer(ctx context.Context, text string) briefings.Answer {
	return b.Handle(ctx, Caller{}, b.table.Parse(text)).Answer
}

// AnswerFor parses the text a caller typed in a channel and answers it.
func (b *Bot) AnswerFor(ctx context.Context, c Caller, text string) briefings.Answer {
	return b.Handle(ctx, c, b.table.Parse(text)).Answer
}

// Handle is the single entry point: it answers a request from a caller
// and says how the answer may be cached and shown.
func (b *Bot) Handle(ctx context.Context, c Caller, req Request) Reply {
	cmd, ok := b.table.Lookup(req.Command)
	if !ok {
		return Reply{Answer: b.unknown(req.Command), Command: "unknown", Cacheable: true}
	}
	r := Reply{Command: cmd.Name, Cacheable: cmd.Rules.Cacheable, Private: cmd.Rules.PerChannel}
	if refusal := b.refuse(cmd, c); refusal != "" {
		r.Answer = briefings.Answer{Kind: cmd.Name, Title: "Digests", Intro: refusal}
	} else {
		br := b.briefing.Load()
		if !req.Full && br != nil {
			br = br.Lean() // the short answer only: no time spent on the full card
		}
		r.Answer = cmd.Handle(ctx, Input{Bot: b, Briefing: br, Caller: c, Request: req, Command: cmd})
	}
	if req.Full {
		r.Answer = r.Answer.Full()
	} else {
		r.Answer = r.Answer.Short()
	}
	r.More = r.Answer.More
	// A picture goes with the command's own answer, not with a refusal or
	// a "not found".
	r.Picture = cmd.Rules.Picture && r.Answer.Kind == cmd.Name
	if req.Truncated {
		r.Answer.Notes = append(r.Answer.Notes, fmt.Sprintf("Your text was longer than %d characters; only the first %d were read.", MaxInputRunes, MaxInputRunes))
	}
	return r
}

// refuse applies a command's rules to the caller: why it cannot run, or "".
func (b *Bot) refuse(cmd *Command, c Caller) string {
	switch {
	case cmd.Rules.Digests && b.digests == nil:
		return "Scheduled digests are not enabled on this bot."
	case cmd.Rules.PerChannel && c.Channel == "":
		return "Digests are per channel: use this command in the channel that should get them."
	case cmd.Rules.Manage && !c.CanManage:
		if c.Permission == "" {
			return "Changing this channel's digest needs permission to manage the channel."
		}
		return "Changing this channel's digest needs the " + c.Permission + " permission."
	}
	return ""
}
