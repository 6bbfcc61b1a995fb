package digest

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fires lists every firing of spec in [from, to).
func fires(t *testing.T, spec string, from, to time.Time) []time.Time {
	t.Helper()
	s, err := ParseSchedule(spec, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	for at := s.Next(from.Add(-time.Nanosecond)); !at.IsZero() && at.Before(to); at = s.Next(at) {
		out = append(out, at)
		if len(out) > 100000 {
			t.Fatal("runaway schedule")
		}
	}
	return out
}

func TestDaylightSavingNewYork(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	day := func(y int, m time.Month, d int) (time.Time, time.Time) {
		return time.Date(y, m, d, 0, 0, 0, 0, ny), time.Date(y, m, d+1, 0, 0, 0, 0, ny)
	}
	cases := []struct {
		name string
		spec string
		y    int
		m    time.Month
		d    int
		want []string // UTC instants
	}{
		// Fall back, 2026-11-01: 01:00–01:59 happens twice; 01:30 fires once, at the first (EDT).
		{"01:30 on fall-back day", "CRON_TZ=America/New_York 30 1 * * *", 2026, 11, 1, []string{"2026-11-01T05:30:00Z"}},
		{"every 30 min in the repeated hour", "CRON_TZ=America/New_York 0,30 1 * * *", 2026, 11, 1, []string{"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z"}},
		{"02:30 on fall-back day", "CRON_TZ=America/New_York 30 2 * * *", 2026, 11, 1, []string{"2026-11-01T07:30:00Z"}},
		// Spring forward, 2026-03-08: 02:00–02:59 does not exist; 02:30 fires at the transition (03:00 EDT).
		{"02:30 on spring-forward day", "CRON_TZ=America/New_York 30 2 * * *", 2026, 3, 8, []string{"2026-03-08T07:00:00Z"}},
		{"two times in the gap fire once", "CRON_TZ=America/New_York 15,45 2 * * *", 2026, 3, 8, []string{"2026-03-08T07:00:00Z"}},
		{"01:30 on spring-forward day", "CRON_TZ=America/New_York 30 1 * * *", 2026, 3, 8, []string{"2026-03-08T06:30:00Z"}},
		{"03:30 on spring-forward day", "CRON_TZ=America/New_York 30 3 * * *", 2026, 3, 8, []string{"2026-03-08T07:30:00Z"}},
		{"an ordinary day", "CRON_TZ=America/New_York 0 8 * * *", 2026, 11, 22, []string{"2026-11-22T13:00:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from, to := day(c.y, c.m, c.d)
			var got []string
			for _, at := range fires(t, c.spec, from, to) {
				got = append(got, at.UTC().Format(time.RFC3339))
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

// TestRobfigDaylightSavingBug documents why Schedule exists: robfig/cron's
// own Next fires a 01:30 job twice on the fall-back day and skips a 02:30
// job on the spring-forward day. If a new release fixes it, this test says
// so and Schedule can be simplified.
func TestRobfigDaylightSavingBug(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	count := func(spec string, from, to time.Time) int {
		s, _ := parser().Parse(spec)
		n := 0
		for at := s.Next(from); !at.IsZero() && at.Before(to); at = s.Next(at) {
			n++
		}
		return n
	}
	if n := count("CRON_TZ=America/New_York 30 1 * * *", time.Date(2026, 11, 1, 0, 0, 0, 0, ny), time.Date(2026, 11, 2, 0, 0, 0, 0, ny)); n != 2 {
		t.Logf("robfig/cron now fires 01:30 %d time(s) on the fall-back day", n)
	}
	if n := count("CRON_TZ=America/New_York 30 2 * * *", time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 0, 0, 0, 0, ny)); n != 0 {
		t.Logf("robfig/cron now fires 02:30 %d time(s) on the spring-forward day", n)
	}
}

func TestEveryLocalTimeOnceAcrossAYear(t *testing.T) {
	// Every 15 minutes for a year, in three zones with different rules:
	// each local quarter-hour that exists fires once; missing ones fire at
	// the transition; nothing fires twice.
	for _, zone := range []string{"America/New_York", "Europe/Kyiv", "Australia/Lord_Howe"} {
		loc := mustLoad(t, zone)
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
		to := from.AddDate(1, 0, 0)
		got := fires(t, "CRON_TZ="+zone+" */15 * * * *", from, to)
		seen := map[time.Time]bool{}
		for i, at := range got {
			if seen[at] || (i > 0 && !at.After(got[i-1])) {
				t.Fatalf("%s: %v fires twice or out of order", zone, at)
			}
			seen[at] = true
		}
		// Local quarter-hours in the year, counted on a calendar without DST.
		wallQuarterHours := int(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) / (15 * time.Minute))
		gapQuarterHours := map[string]int{"America/New_York": 4, "Europe/Kyiv": 4, "Australia/Lord_Howe": 2}[zone]
		// The gap's times fire at the transition, which is also the first
		// quarter-hour after the gap: they merge into that one firing.
		if want := wallQuarterHours - gapQuarterHours; len(got) != want {
			t.Errorf("%s: %d firings, want %d", zone, len(got), want)
		}
	}
}

func TestParseSchedule(t *testing.T) {
	kyiv := mustLoad(t, "Europe/Kyiv")
	cases := []struct {
		spec string
		ok   bool
		loc  string
	}{
		{"0 8 * * *", true, "Europe/Kyiv"},
		{"30 0 8 * * 1-5", true, "Europe/Kyiv"},
		{"@daily", true, "Europe/Kyiv"},
		{"CRON_TZ=America/New_York 0 8 * * 1-5", true, "America/New_York"},
		{"TZ=Asia/Tokyo @weekly", true, "Asia/Tokyo"},
		{"@every 1h", true, "UTC"},
		{"0 25 * * *", false, ""},
		{"CRON_TZ=Mars/Olympus 0 8 * * *", false, ""},
		{"every day", false, ""},
		{"", false, ""},
	}
	for _, c := range cases {
		s, err := ParseSchedule(c.spec, kyiv)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v", c.spec, err)
			continue
		}
		if c.ok && s.Location().String() != c.loc {
			t.Errorf("%q: location %s, want %s", c.spec, s.Location(), c.loc)
		}
	}
	var _ cron.Schedule = Schedule{}
}
