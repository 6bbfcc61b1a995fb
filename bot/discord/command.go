// Package discord is briefbot's Discord adapter, built on
// github.com/bwmarrin/discordgo: the /guarantees application command with
// subcommands and autocomplete, answered as embeds, over a signed HTTP
// interactions endpoint or the gateway.
package discord

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// commandName is the application command's name: bot.SlashCommand without
// its slash.
var commandName = strings.TrimPrefix(bot.SlashCommand, "/")

// Command returns /guarantees as a Discord application command, generated
// from the command table: each command is a subcommand and each of its
// parameters an option (free text with a length cap, autocomplete where
// the parameter names a source, choices where it has them).
func Command(t *bot.Table) *discordgo.ApplicationCommand {
	cmd := &discordgo.ApplicationCommand{
		Name:        commandName,
		Description: "Who backs which security guarantee for Ukraine, and what each leader said",
		Type:        discordgo.ChatApplicationCommand,
	}
	for _, c := range t.Commands() {
		sub := &discordgo.ApplicationCommandOption{
			Type:        discordgo.ApplicationCommandOptionSubCommand,
			Name:        c.Name,
			Description: shortDescription(c.Description),
		}
		for _, p := range c.Params {
			opt := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: p.Name,
				Description: p.Description, Required: p.Required}
			switch p.Kind {
			case bot.Text:
				opt.MaxLength = bot.MaxInputRunes
				opt.Autocomplete = p.Complete != 0
			case bot.Choice:
				for _, ch := range p.Choices {
					opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: ch, Value: ch})
				}
			}
			sub.Options = append(sub.Options, opt)
		}
		if c.Rules.Paged {
			one := 1.0
			sub.Options = append(sub.Options, &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger,
				Name: bot.PageParam, Description: "Which page of the list (the answer has Next and Previous buttons too)", MinValue: &one})
		}
		cmd.Options = append(cmd.Options, sub)
	}
	return cmd
}

// shortDescription fits a description into Discord's 100 characters.
func shortDescription(s string) string {
	if i := strings.Index(s, " (also:"); i > 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}

// toRequest builds the request straight from an application command's
// typed options: the subcommand is the command, each option its
// parameter; no text is assembled or parsed. No subcommand is the default
// command (Discord allows no bare /guarantees once it has subcommands).
func toRequest(t *bot.Table, opts []*discordgo.ApplicationCommandInteractionDataOption) bot.Request {
	if len(opts) == 0 {
		return t.Request("", nil)
	}
	sub := opts[0]
	args := make(map[string]string, len(sub.Options))
	for _, o := range sub.Options {
		switch v := o.Value.(type) {
		case string:
			args[o.Name] = v
		case float64: // JSON numbers: the page
			args[o.Name] = strconv.Itoa(int(v))
		}
	}
	return t.Request(sub.Name, args)
}
