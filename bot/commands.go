package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/digest"
)

// The command names: each is written here and nowhere else.
const (
	cmdOverview      = "overview"
	cmdActors        = "actors"
	cmdActor         = "actor"
	cmdOptions       = "options"
	cmdOption        = "option"
	cmdMatrix        = "matrix"
	cmdTimeline      = "timeline"
	cmdSources       = "sources"
	cmdDigest        = "digest"
	cmdAsk           = "ask"
	cmdSubscribe     = "subscribe"
	cmdUnsubscribe   = "unsubscribe"
	cmdSubscriptions = "subscriptions"
	cmdHelp          = "help"
)

// Parameter names, shared by the text parser and typed options.
const (
	paramName      = "name"
	paramQuestion  = "question"
	paramFrequency = "frequency"
	paramTime      = "time"
	paramZone      = "timezone"
)

// briefingCommand answers from the briefing alone; the answer is cacheable.
func briefingCommand(name, desc, example string, answer func(in Input) briefings.Answer) Command {
	return Command{Name: name, Description: desc, Example: example, Rules: Rules{Cacheable: true},
		Handle: func(_ context.Context, in Input) briefings.Answer { return answer(in) }}
}

// nameParam is the NAME of an actor or an option, with autocomplete.
func nameParam(kind briefings.EntityKind) Param {
	return Param{Name: paramName, Kind: Text, Required: true, Usage: "NAME", Complete: kind,
		Description: "Name, alias or spelling (typos are fine)"}
}

// DefaultCommands returns the commands of /guarantees, in help order.
func DefaultCommands() []Command {
	actor := briefingCommand(cmdActor, "One actor's role, summary and position on each option, with quotes and sources", "actor macron",
		func(in Input) briefings.Answer { return in.Briefing.ActorAnswer(in.Request.Arg(paramName)) })
	actor.Params = []Param{nameParam(briefings.EntityActor)}
	option := briefingCommand(cmdOption, "One option: what it is, variants, who backs or rejects it, open questions", "option troops",
		func(in Input) briefings.Answer { return in.Briefing.OptionAnswer(in.Request.Arg(paramName)) })
	option.Params = []Param{nameParam(briefings.EntityOption)}
	overview := briefingCommand(cmdOverview, "The bottom line, state of play and open questions (also: "+SlashCommand+" with nothing after it)", "",
		func(in Input) briefings.Answer { return in.Briefing.OverviewAnswer() })
	overview.Default = true
	actors := briefingCommand(cmdActors, "Everyone the briefing covers: leaders, governments, organisations", cmdActors,
		func(in Input) briefings.Answer { return in.Briefing.ActorsPage(in.Request.Page) })
	actors.Aliases = []string{"who"}
	actors.Rules.Paged = true
	actors.HomeLabel = "Actors"
	options := briefingCommand(cmdOptions, "The ways to guarantee Ukraine's security, and the issues bearing on them", cmdOptions,
		func(in Input) briefings.Answer { return in.Briefing.OptionsPage(in.Request.Page) })
	options.Rules.Paged = true
	options.HomeLabel = "Options"
	matrix := briefingCommand(cmdMatrix, "Who stands where, one option per page, or on one option or actor", cmdMatrix,
		func(in Input) briefings.Answer {
			return in.Briefing.MatrixPage(in.Request.Page, in.Request.Arg(paramName))
		})
	matrix.Params = []Param{{Name: paramName, Kind: Text, Usage: "NAME", Complete: briefings.EntityOption,
		Description: "An option or an actor (typos are fine)"}}
	matrix.Rules.Paged = true
	matrix.Rules.Picture = true
	matrix.HomeLabel = "Matrix"
	timeline := briefingCommand(cmdTimeline, "The dated events the sources report", cmdTimeline,
		func(in Input) briefings.Answer { return in.Briefing.TimelinePage(in.Request.Page) })
	timeline.Rules.Paged = true
	timeline.HomeLabel = "Timeline"
	sources := briefingCommand(cmdSources, "The articles and reports the briefing rests on", cmdSources,
		func(in Input) briefings.Answer { return in.Briefing.SourcesPage(in.Request.Page) })
	sources.Rules.Paged = true
	sources.HomeLabel = "Sources"
	ask := briefingCommand(cmdAsk, "A question in plain words (the word ask is optional)", "what does trump think about troops",
		func(in Input) briefings.Answer {
			if q := in.Request.Arg(paramQuestion); q != "" {
				return in.Briefing.Ask(q)
			}
			return in.Briefing.OverviewAnswer()
		})
	ask.Params = []Param{{Name: paramQuestion, Kind: Text, Required: true, Usage: "QUESTION", Description: "A question in plain words"}}
	ask.Fallback = true
	help := briefingCommand(cmdHelp, "This help", cmdHelp, func(in Input) briefings.Answer { return in.Bot.Help() })
	help.Aliases = []string{"?", "-h", "--help", "usage"}
	help.IgnoreArgs = true
	return []Command{
		overview,
		actors,
		actor,
		options,
		option,
		matrix,
		timeline,
		sources,
		{Name: cmdDigest, Description: "A preview of today's digest", Example: "digest", HomeLabel: "Digest preview", // dated: not cacheable
			Handle: func(_ context.Context, in Input) briefings.Answer { return in.Briefing.DigestAnswer(in.Bot.now()) }},
		ask,
		{Name: cmdSubscribe, Description: "Send this channel the digest on a schedule (default: daily, 08:00 UTC)",
			Example: "subscribe weekdays 07:30 Europe/Kyiv", Rules: Rules{PerChannel: true, Digests: true, Manage: true},
			Params: []Param{
				{Name: paramFrequency, Kind: Choice, Description: "Every day or on weekdays", Choices: []string{digest.Daily, digest.Weekdays},
					Synonyms: map[string]string{"everyday": digest.Daily, "every-day": digest.Daily, "weekday": digest.Weekdays, "workdays": digest.Weekdays}},
				{Name: paramTime, Kind: TimeOfDay, Usage: "HH:MM", Noun: "a time (HH:MM)", Description: "Time of day, HH:MM, 24-hour"},
				{Name: paramZone, Kind: TimeZone, Usage: "ZONE", Noun: "a time zone (such as Europe/Kyiv)", Description: "IANA time zone, such as Europe/Kyiv"},
			},
			Handle: subscribe},
		{Name: cmdUnsubscribe, Description: "Stop this channel's digest", Example: "unsubscribe",
			Rules: Rules{PerChannel: true, Digests: true, Manage: true}, Handle: unsubscribe},
		{Name: cmdSubscriptions, Description: "This channel's digest: schedule, next delivery, last deliveries", Example: "subscriptions",
			Rules: Rules{PerChannel: true, Digests: true}, Handle: subscriptions},
		help,
	}
}

// Help is the usage answer, generated from the bot's command table.
func (b *Bot) Help() briefings.Answer {
	a := briefings.Answer{
		Kind:  cmdHelp,
		Title: "How to use " + SlashCommand,
		Intro: "Ask about the security guarantees Ukraine could get after a ceasefire: who proposes or rejects each option, and what each leader actually said. Every answer quotes its sources.",
	}
	s := briefings.Section{Heading: "Commands"}
	for _, c := range b.table.Commands() {
		text := SlashCommand + " " + c.Usage() + ": " + c.Description
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
	a.Next = []string{"", cmdActors, cmdOptions}
	// The short help: every command on one line, and the examples.
	var usages []string
	for _, c := range b.table.Commands() {
		if !c.Default && !c.Fallback {
			usages = append(usages, c.Usage())
		}
	}
	a.Brief = []briefings.Section{{Heading: "Commands", Text: SlashCommand + " " + strings.Join(usages, " | ")}, a.Sections[1]}
	return a
}

// storeTrouble words a store failure for users; the cause is logged, never
// shown.
func storeTrouble(ctx context.Context, in Input, err error, what string) string {
	in.Bot.log.ErrorContext(ctx, "digest store", "command", in.Command.Name, "platform", in.Caller.Platform,
		"channel", in.Caller.Channel, "err", err)
	return what + " could not be saved; please try again."
}

func message(in Input, title, text string) briefings.Answer {
	return briefings.Answer{Kind: in.Command.Name, Title: title, Intro: text}
}

func subscribe(ctx context.Context, in Input) briefings.Answer {
	if in.Request.Err != "" {
		return message(in, "Not subscribed", in.Request.Err+". Example: "+SlashCommand+" "+in.Command.Example)
	}
	r := in.Request
	got, err := in.Bot.digests.Subscribe(ctx, in.Caller.Platform, in.Caller.Channel, in.Caller.User,
		digest.ScheduleRequest{Frequency: r.Arg(paramFrequency), Time: r.Arg(paramTime), Zone: r.Arg(paramZone)})
	var se *digest.ScheduleError
	switch {
	case errors.As(err, &se):
		return message(in, "Not subscribed", se.Msg+". Example: "+SlashCommand+" "+in.Command.Example)
	case err != nil:
		return message(in, "Not subscribed", storeTrouble(ctx, in, err, "The subscription"))
	}
	a := message(in, "Subscribed to the daily digest", "This channel will get the digest "+got.Human+".")
	a.Sections = append(a.Sections, briefings.Section{Fields: []briefings.Field{
		{Label: "Next delivery", Value: formatWhen(got.Next, got.Next.Location())},
		{Label: "Schedule", Value: got.Subscription.Schedule},
	}})
	a.Next = []string{cmdSubscriptions, cmdDigest, cmdUnsubscribe}
	return a
}

func unsubscribe(ctx context.Context, in Input) briefings.Answer {
	ok, err := in.Bot.digests.Unsubscribe(ctx, in.Caller.Platform, in.Caller.Channel)
	switch {
	case err != nil:
		return message(in, "Not unsubscribed", storeTrouble(ctx, in, err, "The change"))
	case !ok:
		return message(in, "No subscription", "This channel had no digest subscription.")
	}
	return message(in, "Unsubscribed", "This channel will get no more digests.")
}

func subscriptions(ctx context.Context, in Input) briefings.Answer {
	st, err := in.Bot.digests.Status(ctx, in.Caller.Platform, in.Caller.Channel)
	if errors.Is(err, digest.ErrNotFound) {
		sub, _ := in.Bot.table.Lookup(cmdSubscribe)
		a := message(in, "No subscription", "This channel gets no digest. Subscribe with "+SlashCommand+" "+sub.Usage()+".")
		a.Next = []string{cmdSubscribe}
		return a
	}
	if err != nil {
		in.Bot.log.ErrorContext(ctx, "digest store", "command", in.Command.Name, "err", err)
		return message(in, "Subscription unavailable", "The subscription could not be read; please try again.")
	}
	sub := st.Subscription
	a := briefings.Answer{Kind: in.Command.Name, Title: "Digest subscription"}
	fields := []briefings.Field{{Label: "Schedule", Value: sub.Schedule}}
	if sub.FromConfig {
		fields = append(fields, briefings.Field{Label: "Set by", Value: "the operator's configuration"})
	}
	if sub.Disabled != "" {
		fields = append(fields, briefings.Field{Label: "Status", Value: "stopped: " + sub.Disabled + ". Fix the cause, then subscribe again."})
	} else {
		fields = append(fields, briefings.Field{Label: "Status", Value: "active"},
			briefings.Field{Label: "Next delivery", Value: formatWhen(st.Next, st.Location)})
	}
	a.Sections = append(a.Sections, briefings.Section{Fields: fields})
	if st.RecentErr != nil {
		in.Bot.log.WarnContext(ctx, "digest store", "command", in.Command.Name, "err", st.RecentErr)
	} else {
		sec := briefings.Section{Heading: "Last deliveries"}
		for _, d := range st.Recent {
			text := formatWhen(d.Slot, st.Location) + ": " + string(d.Status)
			if d.Error != "" {
				text += " (" + d.Error + ")"
			}
			sec.Items = append(sec.Items, briefings.Item{Text: text})
		}
		if len(st.Recent) == 0 {
			sec.Text = "None yet."
		}
		a.Sections = append(a.Sections, sec)
	}
	a.Next = []string{cmdDigest, cmdUnsubscribe}
	return a
}

func formatWhen(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "none scheduled"
	}
	return t.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

// unknown answers a request for a command the table does not have.
func (b *Bot) unknown(name string) briefings.Answer {
	a := b.Help()
	a.Notes = append(a.Notes, fmt.Sprintf("Unknown command %q.", name))
	return a
}
