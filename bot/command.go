// Package bot is briefbot's platform-neutral core: the /guarantees command
// schema, the parser that turns the text a user typed into a request, and
// the router that answers a request from the briefing. Platform adapters
// live in subpackages (bot/console now; Slack and Discord later) and all
// answer through the same Bot.
package bot

// SlashCommand is the name users type.
const SlashCommand = "/guarantees"

// Command is one subcommand of /guarantees, declared once as data: it
// yields the help text here, and the Slack usage hint and Discord
// registration in their adapters.
type Command struct {
	Name string
	// Arg names the argument ("NAME", "QUESTION"), empty when there is none.
	Arg         string
	Description string
	Example     string
	// Options are the argument's parts, for platforms that declare options
	// (Discord); all optional.
	Options []ArgOption
}

// ArgOption is one optional part of a command's argument.
type ArgOption struct {
	Name        string
	Description string
	Choices     []string // when set, the only values allowed
}

// Commands returns the subcommands of /guarantees in help order.
func Commands() []Command {
	return []Command{
		{Name: "overview", Description: "The bottom line, state of play and open questions (also: /guarantees with nothing after it)", Example: ""},
		{Name: "actors", Description: "Everyone the briefing covers: leaders, governments, organisations", Example: "actors"},
		{Name: "actor", Arg: "NAME", Description: "One actor's role, summary and position on each option, with quotes and sources", Example: "actor macron"},
		{Name: "options", Description: "The ways to guarantee Ukraine's security, and the issues bearing on them", Example: "options"},
		{Name: "option", Arg: "NAME", Description: "One option: what it is, variants, who backs or rejects it, open questions", Example: "option troops"},
		{Name: "matrix", Description: "Who stands where, option by option", Example: "matrix"},
		{Name: "timeline", Description: "The dated events the sources report", Example: "timeline"},
		{Name: "sources", Description: "The articles and reports the briefing rests on", Example: "sources"},
		{Name: "digest", Description: "A preview of today's digest", Example: "digest"},
		{Name: "ask", Arg: "QUESTION", Description: "A question in plain words (the word ask is optional)", Example: "what does trump think about troops"},
		{Name: "subscribe", Arg: "[daily|weekdays] [HH:MM] [ZONE]", Description: "Send this channel the digest on a schedule (default: daily, 08:00 UTC)", Example: "subscribe weekdays 07:30 Europe/Kyiv",
			Options: []ArgOption{
				{Name: "frequency", Description: "Every day or on weekdays", Choices: []string{"daily", "weekdays"}},
				{Name: "time", Description: "Time of day, HH:MM, 24-hour"},
				{Name: "timezone", Description: "IANA time zone, such as Europe/Kyiv"},
			}},
		{Name: "unsubscribe", Description: "Stop this channel's digest", Example: "unsubscribe"},
		{Name: "subscriptions", Description: "This channel's digest: schedule, next delivery, last deliveries", Example: "subscriptions"},
		{Name: "help", Description: "This help", Example: "help"},
	}
}

// command returns the declared command with the given name.
func command(name string) (Command, bool) {
	for _, c := range Commands() {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}
