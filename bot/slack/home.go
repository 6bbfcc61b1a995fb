package slack

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// HomeActionID identifies the App Home's buttons. Their value is
// "N|query": the query's page N shown in the Home tab, or "" for the home
// itself.
const HomeActionID = "briefbot_home"

// MaxViewBlocks is the most blocks a Home tab view may have.
const MaxViewBlocks = 100

// channelID matches a Slack conversation id, safe to write as <#ID>.
var channelID = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)

// publishHome publishes a user's Home tab (views.publish): the home view,
// or the answer to query at page when query is set.
func (a *Adapter) publishHome(ctx context.Context, user, query string, page int) error {
	var blocks []slack.Block
	if query == "" {
		blocks = a.homeBlocks(ctx, user)
	} else {
		req := a.h.Table().Parse(query)
		req.Page = max(page, req.Page)
		r := a.h.Handle(ctx, caller("", user), req)
		ans := r.Answer
		ans.Choices = nil // the menu answers through response_url, which a view has not
		msg := Render(ans, RenderOptions{PageQuery: a.h.Table().Text(req), PageAction: HomeActionID})
		back := slack.NewActionBlock("briefbot_home_back", slack.NewButtonBlockElement(HomeActionID, "",
			slack.NewTextBlockObject(slack.PlainTextType, "◀ Home", false, false)))
		blocks = append([]slack.Block{back}, msg.Blocks...)
	}
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks[:min(len(blocks), MaxViewBlocks)]}}
	return a.withRetry(ctx, "views.publish", func() error {
		_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
		return err
	})
}

// homeBlocks is the home view: the briefing in brief, the digests of the
// channels the user is in, and buttons into the answers.
func (a *Adapter) homeBlocks(ctx context.Context, user string) []slack.Block {
	channels, err := a.channelsOf(ctx, user)
	if err != nil {
		a.log.Warn("listing the user's channels for the Home tab", "err", err)
	}
	v := a.h.Home(ctx, Name, channels)
	msg := Render(v.Answer, RenderOptions{})
	var els []slack.BlockElement
	for _, c := range a.h.Table().HomeShortcuts() { // the buttons come from the command table
		els = append(els, slack.NewButtonBlockElement(HomeActionID, "1|"+c.Name,
			slack.NewTextBlockObject(slack.PlainTextType, c.HomeLabel, false, false)))
	}
	blocks := append([]slack.Block{}, msg.Blocks[:1]...) // the header
	blocks = append(blocks, slack.NewActionBlock("briefbot_home_nav", els...))
	blocks = append(blocks, msg.Blocks[1:]...)

	text := "*Digests in your channels*\n"
	switch {
	case v.DigestsErr != nil:
		text += "The subscriptions could not all be read; open the Home tab again in a moment."
	case err != nil:
		text += "Your channels could not be listed, so their digests are not shown."
	case len(v.Digests) == 0:
		text += "None of your channels gets a digest. In a channel, type `" + bot.SlashCommand + " subscribe` to start one."
	default:
		var lines []string
		for _, d := range v.Digests {
			if !channelID.MatchString(d.Channel) {
				continue
			}
			lines = append(lines, "• <#"+d.Channel+">: "+escape(d.Status))
		}
		text += cut(strings.Join(lines, "\n"), MaxSectionText-len(text))
	}
	blocks = append(blocks, slack.NewDividerBlock(),
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil))
	return blocks
}

// channelsOf lists the public and private channels a user is in, as far
// as the bot can see (users.conversations, first page of 200).
func (a *Adapter) channelsOf(ctx context.Context, user string) ([]string, error) {
	var chans []slack.Channel
	err := a.withRetry(ctx, "users.conversations", func() error {
		var err error
		chans, _, err = a.api.GetConversationsForUserContext(ctx, &slack.GetConversationsForUserParameters{
			UserID: user, Types: []string{"public_channel", "private_channel"}, Limit: 200, ExcludeArchived: true,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("users.conversations: %w", err)
	}
	out := make([]string, 0, len(chans))
	for _, c := range chans {
		out = append(out, c.ID)
	}
	return out, nil
}

// home answers a press of a Home tab button.
func (a *Adapter) home(ctx context.Context, cb slack.InteractionCallback) error {
	value := actionValue(cb, HomeActionID)
	if value == "" {
		return a.publishHome(ctx, cb.User.ID, "", 0)
	}
	n, query, ok := strings.Cut(value, "|")
	page, err := strconv.Atoi(n)
	if !ok || err != nil {
		return fmt.Errorf("home: malformed button value %q", value)
	}
	return a.publishHome(ctx, cb.User.ID, query, page)
}
