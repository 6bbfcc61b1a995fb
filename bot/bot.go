package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// Handler answers the text a user typed after /guarantees.
type Handler interface {
	// Answer answers text with no channel context (lookups).
	Answer(ctx context.Context, text string) briefings.Answer
	// AnswerFor answers text typed by a caller in a channel, which the
	// subscription commands need.
	AnswerFor(ctx context.Context, c Caller, text string) briefings.Answer
}

// Caller is who typed a command, and where.
type Caller struct {
	Platform digest.Platform
	Channel  string
	User     string
	// CanManage is whether the caller may change the channel's digest
	// (Discord: the Manage Channels permission; Slack: anyone).
	CanManage bool
}

// Adapter connects the bot to one chat platform (or the console): it
// receives commands, asks the Handler, and renders the answers its own way.
type Adapter interface {
	// Name identifies the adapter in logs ("console", "slack").
	Name() string
	// Run serves until ctx is done or the platform connection ends.
	Run(ctx context.Context, h Handler) error
}

// Bot routes parsed requests to the briefing. It is safe for concurrent
// use, and its briefing can be replaced while it serves.
type Bot struct {
	briefing atomic.Pointer[briefings.Briefing]
	gen      atomic.Uint64
	now      func() time.Time
	log      *slog.Logger
	digests  *digest.Service
}

// Option configures a Bot.
type Option func(*Bot)

// WithClock sets the clock that dates digests (default time.Now).
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// WithDigests enables the subscription commands.
func WithDigests(s *digest.Service) Option { return func(b *Bot) { b.digests = s } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// New returns a Bot answering from the given briefing.
func New(br *briefings.Briefing, opts ...Option) *Bot {
	b := &Bot{now: time.Now, log: slog.Default()}
	for _, o := range opts {
		o(b)
	}
	b.briefing.Store(br)
	return b
}

// Briefing returns the briefing the bot currently answers from.
func (b *Bot) Briefing() *briefings.Briefing { return b.briefing.Load() }

// SetBriefing replaces the briefing; answers already being composed finish
// with the old one.
func (b *Bot) SetBriefing(br *briefings.Briefing) {
	b.briefing.Store(br)
	b.gen.Add(1)
}

// Generation counts briefing replacements, so adapters can drop answers
// they cached from an older briefing.
func (b *Bot) Generation() uint64 { return b.gen.Load() }

// Answer parses the text and answers it. It never fails: every input gets
// an answer or a clear message.
func (b *Bot) Answer(ctx context.Context, text string) briefings.Answer {
	return b.Do(ctx, Caller{}, Parse(text))
}

// AnswerFor parses the text a caller typed in a channel and answers it.
func (b *Bot) AnswerFor(ctx context.Context, c Caller, text string) briefings.Answer {
	return b.Do(ctx, c, Parse(text))
}

// Do answers a parsed request from a caller.
func (b *Bot) Do(ctx context.Context, c Caller, req Request) briefings.Answer {
	br := b.briefing.Load()
	var a briefings.Answer
	switch req.Command {
	case "overview":
		a = br.OverviewAnswer()
	case "help":
		a = Help()
	case "actors":
		a = br.ActorsAnswer()
	case "actor":
		a = br.ActorAnswer(req.Arg)
	case "options":
		a = br.OptionsAnswer()
	case "option":
		a = br.OptionAnswer(req.Arg)
	case "matrix":
		a = br.MatrixAnswer()
	case "timeline":
		a = br.TimelineAnswer()
	case "sources":
		a = br.SourcesAnswer()
	case "digest":
		a = br.DigestAnswer(b.now())
	case "subscribe", "unsubscribe", "subscriptions":
		a = b.subscription(ctx, c, req)
	case "ask":
		if req.Arg == "" {
			a = br.OverviewAnswer()
		} else {
			a = br.Ask(req.Arg)
		}
	default:
		a = Help()
		a.Notes = append(a.Notes, fmt.Sprintf("Unknown command %q.", req.Command))
	}
	if req.Truncated {
		a.Notes = append(a.Notes, fmt.Sprintf("Your text was longer than %d characters; only the first %d were read.", MaxInputRunes, MaxInputRunes))
	}
	return a
}

// subscription answers the subscription commands.
func (b *Bot) subscription(ctx context.Context, c Caller, req Request) briefings.Answer {
	title := "Digests"
	switch {
	case b.digests == nil:
		return briefings.Answer{Kind: req.Command, Title: title, Intro: "Scheduled digests are not enabled on this bot."}
	case c.Channel == "":
		return briefings.Answer{Kind: req.Command, Title: title, Intro: "Digests are per channel: use this command in the channel that should get them."}
	case req.Command != "subscriptions" && !c.CanManage:
		return briefings.Answer{Kind: req.Command, Title: title, Intro: "Changing this channel's digest needs the Manage Channels permission."}
	}
	switch req.Command {
	case "subscribe":
		return b.digests.Subscribe(ctx, c.Platform, c.Channel, c.User, req.Arg)
	case "unsubscribe":
		return b.digests.Unsubscribe(ctx, c.Platform, c.Channel)
	default:
		return b.digests.Status(ctx, c.Platform, c.Channel)
	}
}

// Help is the usage answer, generated from Commands.
func Help() briefings.Answer {
	a := briefings.Answer{
		Kind:  "help",
		Title: "How to use " + SlashCommand,
		Intro: "Ask about the security guarantees Ukraine could get after a ceasefire: who proposes or rejects each option, and what each leader actually said. Every answer quotes its sources.",
	}
	s := briefings.Section{Heading: "Commands"}
	for _, c := range Commands() {
		usage := SlashCommand + " " + c.Name
		if c.Arg != "" {
			usage += " " + c.Arg
		}
		text := usage + ": " + c.Description
		if c.Example != "" && c.Example != c.Name {
			text += ". Example: " + SlashCommand + " " + c.Example
		}
		s.Items = append(s.Items, briefings.Item{Text: text})
	}
	a.Sections = append(a.Sections, s)
	a.Sections = append(a.Sections, briefings.Section{
		Heading: "Plain questions",
		Items: []briefings.Item{
			{Text: SlashCommand + " what does trump think about troops"},
			{Text: SlashCommand + " does russia accept nato troops"},
			{Text: SlashCommand + " Ben Wallace"},
			{Text: SlashCommand + " boots on the ground"},
		},
	})
	a.Next = []string{"", "actors", "options"}
	return a
}
