package digest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
)

// Defaults are the schedule a bare `subscribe` gets.
type Defaults struct {
	Weekdays bool   // false: daily
	Time     string // HH:MM
	Zone     string // IANA time zone
}

// DefaultDefaults is daily at 08:00 UTC: the one place the defaults are
// written down (config starts from it).
func DefaultDefaults() Defaults { return Defaults{Time: "08:00", Zone: "UTC"} }

// Frequencies a subscription can have.
const (
	Daily    = "daily"
	Weekdays = "weekdays"
)

// Frequency names the defaults' frequency (Daily or Weekdays).
func (d Defaults) Frequency() string {
	if d.Weekdays {
		return Weekdays
	}
	return Daily
}

// ScheduleRequest is what a user asked for: each part optional, the
// defaults fill what is empty.
type ScheduleRequest struct {
	Frequency string // Daily, Weekdays or ""
	Time      string // HH:MM or ""
	Zone      string // IANA time zone or ""
}

// ScheduleError says why a requested schedule is not valid; its message
// is meant for the user.
type ScheduleError struct{ Msg string }

func (e *ScheduleError) Error() string { return e.Msg }

// StoreError is a failure of the store behind a subscription command. Its
// message names the operation only; the cause is for logs, never for
// users.
type StoreError struct {
	Op  string // "saving the subscription", ...
	Err error
}

func (e *StoreError) Error() string { return "digest: " + e.Op + ": " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// Spec turns a schedule request into a cron spec and a human description
// ("weekdays at 07:30 Europe/Kyiv"), or a *ScheduleError.
func (r ScheduleRequest) Spec(def Defaults) (spec, human string, err error) {
	weekdays, hhmm, zone := def.Weekdays, def.Time, def.Zone
	switch strings.ToLower(r.Frequency) {
	case "":
	case Daily:
		weekdays = false
	case Weekdays:
		weekdays = true
	default:
		return "", "", &ScheduleError{fmt.Sprintf("%q is not %s or %s", r.Frequency, Daily, Weekdays)}
	}
	if r.Time != "" {
		hhmm = r.Time
	}
	if r.Zone != "" {
		zone = r.Zone
	}
	h, m, ok := parseHHMM(hhmm)
	if !ok {
		return "", "", &ScheduleError{fmt.Sprintf("%q is not a time of day: use HH:MM, 24-hour, such as 08:00", hhmm)}
	}
	loc, lerr := time.LoadLocation(zone)
	if lerr != nil || zone == "" || zone == "Local" {
		return "", "", &ScheduleError{fmt.Sprintf("%q is not an IANA time zone: use a name such as Europe/Kyiv or America/New_York", zone)}
	}
	dow, when := "*", Daily
	if weekdays {
		dow, when = "1-5", Weekdays
	}
	spec = fmt.Sprintf("CRON_TZ=%s %d %d * * %s", loc.String(), m, h, dow)
	return spec, fmt.Sprintf("%s at %02d:%02d %s", when, h, m, loc.String()), nil
}

// ValidTimeOfDay reports whether s is a 24-hour HH:MM time of day, as the
// defaults and a subscribe request take it.
func ValidTimeOfDay(s string) bool {
	_, _, ok := parseHHMM(s)
	return ok
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

// Service carries out the subscription commands of a channel and answers
// in plain values; the bot words them for users.
type Service struct {
	Store    Store
	Defaults Defaults
	Clock    Clock
	// Changed is called after a subscription changes (to wake the
	// scheduler); it may be nil.
	Changed func(ctx context.Context)
}

// Subscribed is the outcome of a subscribe.
type Subscribed struct {
	Subscription Subscription
	// Human describes the schedule ("weekdays at 07:30 Europe/Kyiv").
	Human string
	// Next is the next delivery, in the schedule's time zone (zero when
	// none is scheduled).
	Next time.Time
}

// Subscribe subscribes a channel. Errors are a *ScheduleError for a bad
// request and a *StoreError when the store fails.
func (s *Service) Subscribe(ctx context.Context, p briefbot.Platform, channel, user string, req ScheduleRequest) (Subscribed, error) {
	spec, human, err := req.Spec(s.Defaults)
	if err != nil {
		return Subscribed{}, err
	}
	now := s.Clock.Now()
	want := Subscription{Platform: p, Channel: channel, Schedule: spec, CreatedBy: user, CreatedAt: now}
	if sched, err := ParseSchedule(spec, time.UTC); err == nil {
		want.Next = sched.Next(now) // one row written: the scheduler reads it when due
	}
	sub, err := s.Store.Subscribe(ctx, want)
	if err != nil {
		return Subscribed{}, &StoreError{"saving the subscription", err}
	}
	if s.Changed != nil {
		s.Changed(ctx)
	}
	out := Subscribed{Subscription: sub, Human: human}
	if sched, err := ParseSchedule(sub.Schedule, time.UTC); err == nil {
		out.Next = sched.Next(s.Clock.Now()).In(sched.Location())
	}
	return out, nil
}

// Unsubscribe stops a channel's digests; false when it had none. Errors
// are a *StoreError.
func (s *Service) Unsubscribe(ctx context.Context, p briefbot.Platform, channel string) (bool, error) {
	ok, err := s.Store.Unsubscribe(ctx, p, channel)
	if err != nil {
		return false, &StoreError{"removing the subscription", err}
	}
	if ok && s.Changed != nil {
		s.Changed(ctx)
	}
	return ok, nil
}

// State is a channel's subscription as its users see it.
type State struct {
	Subscription Subscription
	// Location is the schedule's time zone.
	Location *time.Location
	// Next is the next delivery, zero when stopped or none is scheduled.
	Next time.Time
	// Recent are the latest deliveries, newest first (nil when they could
	// not be read).
	Recent []Delivery
	// RecentErr is set when the deliveries could not be read.
	RecentErr error
}

// Status returns a channel's subscription, its next delivery and its last
// deliveries. Errors are ErrNotFound (no subscription) or a *StoreError.
func (s *Service) Status(ctx context.Context, p briefbot.Platform, channel string) (State, error) {
	sub, err := s.Store.Subscription(ctx, p, channel)
	if errors.Is(err, ErrNotFound) {
		return State{}, ErrNotFound
	}
	if err != nil {
		return State{}, &StoreError{"reading the subscription", err}
	}
	st := State{Subscription: sub, Location: time.UTC}
	if sched, err := ParseSchedule(sub.Schedule, time.UTC); err == nil {
		st.Location = sched.Location()
		if sub.Disabled == "" {
			st.Next = sched.Next(s.Clock.Now())
		}
	}
	st.Recent, err = s.Store.Deliveries(ctx, sub.ID, 5)
	if err != nil {
		st.RecentErr = &StoreError{"reading the deliveries", err}
	}
	return st, nil
}
