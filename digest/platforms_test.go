package digest_test

import "github.com/briefbot/briefbot"

// Platform names for the tests; the real ones are declared by each
// platform's package.
const (
	slackP   briefbot.Platform = "slack"
	discordP briefbot.Platform = "discord"
)
