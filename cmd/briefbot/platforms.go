package main

import (
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	discordbot "github.com/briefbot/briefbot/bot/discord"
	slackbot "github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/config"
)

// platforms are the platforms this binary serves, in start order. Adding
// one is its package and one line here.
func platforms(e env) []bot.Spec {
	return []bot.Spec{
		slackbot.Spec(),
		discordbot.Spec(),
		console.Spec(e.stdin, e.stdout, e.interactive),
	}
}

// sections are the platforms' configuration sections.
func sections(specs []bot.Spec) []config.Section {
	out := make([]config.Section, len(specs))
	for i, s := range specs {
		out[i] = s.Section
	}
	return out
}
