// Package discord is briefbot's Discord adapter, built on
// github.com/bwmarrin/discordgo: the /guarantees application command with
// subcommands and autocomplete, answered as embeds, over a signed HTTP
// interactions endpoint or the gateway.
package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// commandName is the application command's name: bot.SlashCommand without
// its slash (a test keeps the two in step).
const commandName = "guarantees"

// Command returns /guarantees as a Discord application command, built from
// the command schema: each schema command is a subcommand; a NAME argument
// is a required string option with autocomplete, a QUESTION argument a
// required string option.
func Command() *discordgo.ApplicationCommand {
	cmd := &discordgo.ApplicationCommand{
		Name:        commandName,
		Description: "Who backs which security guarantee for Ukraine, and what each leader said",
		Type:        discordgo.ChatApplicationCommand,
	}
	for _, c := range bot.Commands() {
		sub := &discordgo.ApplicationCommandOption{
			Type:        discordgo.ApplicationCommandOptionSubCommand,
			Name:        c.Name,
			Description: shortDescription(c.Description),
		}
		for _, o := range c.Options {
			opt := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: o.Name, Description: o.Description}
			for _, ch := range o.Choices {
				opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: ch, Value: ch})
			}
			sub.Options = append(sub.Options, opt)
		}
		switch c.Arg {
		case "NAME":
			sub.Options = []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "name", Required: true, Autocomplete: true,
				Description: "Name, alias or spelling (typos are fine)", MaxLength: bot.MaxInputRunes,
			}}
		case "QUESTION":
			sub.Options = []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "question", Required: true,
				Description: "A question in plain words", MaxLength: bot.MaxInputRunes,
			}}
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

// text turns an application command's data into the text a user would have
// typed after /guarantees, so one router serves every platform. A command
// without a subcommand is the overview.
func text(opts []*discordgo.ApplicationCommandInteractionDataOption) string {
	if len(opts) == 0 {
		return ""
	}
	sub := opts[0]
	parts := []string{sub.Name}
	if sub.Name == "overview" {
		parts = nil
	}
	for _, o := range sub.Options {
		if s, ok := o.Value.(string); ok {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}
