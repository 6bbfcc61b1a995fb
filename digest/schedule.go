package digest

import (
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// parser accepts five fields, an optional leading seconds field,
// descriptors (@daily, @weekly, …) and CRON_TZ= / TZ= prefixes.
func parser() cron.Parser {
	return cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// Schedule is a cron schedule that fires exactly once per scheduled local
// time, also across daylight-saving changes, where robfig/cron's own Next
// fires twice (fall-back) or not at all (spring-forward). It implements
// cron.Schedule.
type Schedule struct {
	spec  *cron.SpecSchedule // matched against wall-clock time, in UTC
	loc   *time.Location
	every time.Duration // for @every: not tied to the wall clock
	text  string
}

// ParseSchedule parses a robfig/cron spec; def is the time zone when the
// spec names none.
func ParseSchedule(spec string, def *time.Location) (Schedule, error) {
	s, err := parser().Parse(spec)
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: %w", spec, err)
	}
	switch s := s.(type) {
	case *cron.SpecSchedule:
		loc := s.Location
		if loc == time.Local && !hasTZ(spec) {
			loc = def
		}
		wall := *s
		wall.Location = time.UTC
		return Schedule{spec: &wall, loc: loc, text: spec}, nil
	case cron.ConstantDelaySchedule:
		return Schedule{every: s.Delay, loc: time.UTC, text: spec}, nil
	default:
		return Schedule{}, fmt.Errorf("schedule %q: unsupported kind %T", spec, s)
	}
}

func hasTZ(spec string) bool {
	return len(spec) > 3 && (spec[:3] == "TZ=" || len(spec) > 8 && spec[:8] == "CRON_TZ=")
}

// Location is the time zone the schedule's times are in.
func (s Schedule) Location() *time.Location { return s.loc }

// String returns the spec.
func (s Schedule) String() string { return s.text }

// Next returns the first scheduled instant strictly after t, or the zero
// time if there is none within five years.
//
// A wall-clock time that occurs twice (the fall-back hour) is scheduled at
// its first occurrence only; one that does not occur (the spring-forward
// gap) is scheduled at the transition, so every scheduled local time fires
// exactly once.
func (s Schedule) Next(t time.Time) time.Time {
	if s.spec == nil {
		if s.every <= 0 {
			return time.Time{}
		}
		return t.Truncate(time.Second).Add(s.every)
	}
	w := wallUTC(t.In(s.loc))
	limit := t.AddDate(5, 0, 0)
	for {
		w = s.spec.Next(w)
		if w.IsZero() {
			return time.Time{}
		}
		at := instant(w, s.loc)
		if at.After(t) {
			return at
		}
		if at.After(limit) {
			return time.Time{}
		}
	}
}

// wallUTC is the wall-clock reading of t, as a UTC time: a calendar
// without daylight saving, in which cron fields are matched.
func wallUTC(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// instant maps a wall-clock reading to the instant it first occurs in loc,
// or, when it does not occur (a spring-forward gap), to the transition.
func instant(w time.Time, loc *time.Location) time.Time {
	at := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	if !wallUTC(at.In(loc)).Equal(w) {
		// In a gap: the first instant whose reading is at or past w.
		lo, hi := at.Add(-3*time.Hour), at.Add(3*time.Hour)
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
			if wallUTC(mid.In(loc)).Before(w) {
				lo = mid
			} else {
				hi = mid
			}
		}
		return hi
	}
	// Repeated reading (fall-back): take the earliest occurrence.
	for _, d := range []time.Duration{3 * time.Hour, 2 * time.Hour, time.Hour, 30 * time.Minute} {
		if e := at.Add(-d); wallUTC(e.In(loc)).Equal(w) {
			return e
		}
	}
	return at
}
