package digest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefings"
)

// Defaults are the schedule a bare `subscribe` gets.
type Defaults struct {
	Weekdays bool   // false: daily
	Time     string // HH:MM
	Zone     string // IANA time zone
}

// DefaultDefaults is daily at 08:00 UTC.
func DefaultDefaults() Defaults { return Defaults{Time: "08:00", Zone: "UTC"} }

// Service answers the subscription commands of a channel.
type Service struct {
	Store    Store
	Defaults Defaults
	Clock    Clock
	// Changed is called after a subscription changes (to re-sync the
	// runner); it may be nil.
	Changed func(ctx context.Context)
}

// ParseSubscribe turns `subscribe` arguments ("weekdays 07:30
// Europe/Kyiv", in any order, each optional) into a cron spec, or a clear
// error.
func ParseSubscribe(args string, def Defaults) (string, string, error) {
	weekdays, hhmm, zone := def.Weekdays, def.Time, def.Zone
	for _, f := range strings.Fields(args) {
		switch lf := strings.ToLower(f); {
		case lf == "daily" || lf == "everyday" || lf == "every-day":
			weekdays = false
		case lf == "weekdays" || lf == "weekday" || lf == "workdays":
			weekdays = true
		case strings.Contains(f, ":") && len(f) <= 5:
			hhmm = f
		case strings.Contains(f, "/") || strings.EqualFold(f, "UTC"):
			zone = f
		default:
			return "", "", fmt.Errorf("%q is not daily, weekdays, a time (HH:MM) or a time zone (such as Europe/Kyiv)", f)
		}
	}
	h, m, ok := parseHHMM(hhmm)
	if !ok {
		return "", "", fmt.Errorf("%q is not a time of day: use HH:MM, 24-hour, such as 08:00", hhmm)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		return "", "", fmt.Errorf("%q is not an IANA time zone: use a name such as Europe/Kyiv or America/New_York", zone)
	}
	dow, when := "*", "daily"
	if weekdays {
		dow, when = "1-5", "weekdays"
	}
	spec := fmt.Sprintf("CRON_TZ=%s %d %d * * %s", loc.String(), m, h, dow)
	return spec, fmt.Sprintf("%s at %02d:%02d %s", when, h, m, loc.String()), nil
}

func parseHHMM(s string) (int, int, bool) {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(ms) != 2 || len(hs) < 1 || len(hs) > 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	return h, m, err1 == nil && err2 == nil && h >= 0 && h < 24 && m >= 0 && m < 60
}

// Subscribe subscribes a channel and answers with the schedule and the
// next delivery.
func (s *Service) Subscribe(ctx context.Context, p Platform, channel, user, args string) briefings.Answer {
	spec, human, err := ParseSubscribe(args, s.Defaults)
	if err != nil {
		return message("subscribe", "Not subscribed", err.Error()+". Example: /guarantees subscribe weekdays 07:30 Europe/Kyiv")
	}
	sub, err := s.Store.Subscribe(ctx, Subscription{Platform: p, Channel: channel, Schedule: spec, CreatedBy: user, CreatedAt: s.Clock.Now()})
	if err != nil {
		return message("subscribe", "Not subscribed", "The subscription could not be saved; please try again. ("+err.Error()+")")
	}
	if s.Changed != nil {
		s.Changed(ctx)
	}
	a := message("subscribe", "Subscribed to the daily digest", "This channel will get the digest "+human+".")
	if sched, err := ParseSchedule(sub.Schedule, time.UTC); err == nil {
		a.Sections = append(a.Sections, briefings.Section{Fields: []briefings.Field{
			{Label: "Next delivery", Value: formatWhen(sched.Next(s.Clock.Now()), sched.Location())},
			{Label: "Schedule", Value: sub.Schedule},
		}})
	}
	a.Next = []string{"subscriptions", "digest", "unsubscribe"}
	return a
}

// Unsubscribe stops a channel's digests.
func (s *Service) Unsubscribe(ctx context.Context, p Platform, channel string) briefings.Answer {
	ok, err := s.Store.Unsubscribe(ctx, p, channel)
	switch {
	case err != nil:
		return message("unsubscribe", "Not unsubscribed", "The change could not be saved; please try again. ("+err.Error()+")")
	case !ok:
		return message("unsubscribe", "No subscription", "This channel had no digest subscription.")
	}
	if s.Changed != nil {
		s.Changed(ctx)
	}
	return message("unsubscribe", "Unsubscribed", "This channel will get no more digests.")
}

// Status describes a channel's subscription: schedule, next delivery in
// the channel's time zone, and the last deliveries with status and error.
func (s *Service) Status(ctx context.Context, p Platform, channel string) briefings.Answer {
	sub, err := s.Store.Subscription(ctx, p, channel)
	if errors.Is(err, ErrNotFound) {
		a := message("subscriptions", "No subscription", "This channel gets no digest. Subscribe with /guarantees subscribe [daily|weekdays] [HH:MM] [time zone].")
		a.Next = []string{"subscribe"}
		return a
	}
	if err != nil {
		return message("subscriptions", "Subscription unavailable", "The subscription could not be read; please try again. ("+err.Error()+")")
	}
	a := briefings.Answer{Kind: "subscriptions", Title: "Digest subscription"}
	fields := []briefings.Field{{Label: "Schedule", Value: sub.Schedule}}
	if sub.FromConfig {
		fields = append(fields, briefings.Field{Label: "Set by", Value: "the operator's configuration"})
	}
	if sub.Disabled != "" {
		fields = append(fields, briefings.Field{Label: "Status", Value: "stopped: " + sub.Disabled + ". Fix the cause, then subscribe again."})
	} else if sched, err := ParseSchedule(sub.Schedule, time.UTC); err == nil {
		fields = append(fields, briefings.Field{Label: "Status", Value: "active"},
			briefings.Field{Label: "Next delivery", Value: formatWhen(sched.Next(s.Clock.Now()), sched.Location())})
	}
	a.Sections = append(a.Sections, briefings.Section{Fields: fields})
	rows, err := s.Store.Deliveries(ctx, sub.ID, 5)
	if err == nil {
		sec := briefings.Section{Heading: "Last deliveries"}
		loc := time.UTC
		if sched, err := ParseSchedule(sub.Schedule, time.UTC); err == nil {
			loc = sched.Location()
		}
		for _, d := range rows {
			text := formatWhen(d.Slot, loc) + ": " + string(d.Status)
			if d.Error != "" {
				text += " (" + d.Error + ")"
			}
			sec.Items = append(sec.Items, briefings.Item{Text: text})
		}
		if len(rows) == 0 {
			sec.Text = "None yet."
		}
		a.Sections = append(a.Sections, sec)
	}
	a.Next = []string{"digest", "unsubscribe"}
	return a
}

func formatWhen(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "none scheduled"
	}
	return t.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

func message(kind, title, text string) briefings.Answer {
	return briefings.Answer{Kind: kind, Title: title, Intro: text}
}
