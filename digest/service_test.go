package digest_test

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot/digest"
)

func TestParseSubscribe(t *testing.T) {
	def := digest.DefaultDefaults()
	cases := []struct {
		args, spec, human, err string
	}{
		{"", "CRON_TZ=UTC 0 8 * * *", "daily at 08:00 UTC", ""},
		{"weekdays", "CRON_TZ=UTC 0 8 * * 1-5", "weekdays at 08:00 UTC", ""},
		{"07:30 Europe/Kyiv", "CRON_TZ=Europe/Kyiv 30 7 * * *", "daily at 07:30 Europe/Kyiv", ""},
		{"Europe/Kyiv weekdays 9:05", "CRON_TZ=Europe/Kyiv 5 9 * * 1-5", "weekdays at 09:05 Europe/Kyiv", ""},
		{"DAILY 23:59 America/New_York", "CRON_TZ=America/New_York 59 23 * * *", "daily at 23:59 America/New_York", ""},
		{"25:00", "", "", "not a time of day"},
		{"8am", "", "", "is not daily, weekdays"},
		{"Mars/Olympus", "", "", "not an IANA time zone"},
		{"hourly", "", "", "is not daily, weekdays"},
	}
	for _, c := range cases {
		spec, human, err := digest.ParseSubscribe(c.args, def)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.args, err, c.err)
			}
			continue
		}
		if err != nil || spec != c.spec || human != c.human {
			t.Errorf("%q: %q %q %v", c.args, spec, human, err)
		}
	}
}

func TestServiceCommands(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		e := newEnv(t, ":memory:")
		changed := 0
		svc := &digest.Service{Store: e.store, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}, Changed: func(context.Context) { changed++ }}
		if a := svc.Status(ctx, digest.Slack, "C1"); a.Title != "No subscription" {
			t.Fatalf("status before: %+v", a)
		}
		a := svc.Subscribe(ctx, digest.Slack, "C1", "U1", "weekdays 07:30 Europe/Kyiv")
		if a.Title != "Subscribed to the daily digest" || !strings.Contains(a.Intro, "weekdays at 07:30 Europe/Kyiv") || changed != 1 {
			t.Fatalf("subscribe: %+v", a)
		}
		if a := svc.Subscribe(ctx, digest.Slack, "C1", "U1", "at noon"); a.Title != "Not subscribed" || !strings.Contains(a.Intro, "Example") {
			t.Fatalf("bad args: %+v", a)
		}
		sub, _ := e.store.Subscription(ctx, digest.Slack, "C1")
		slot := time.Now().Truncate(time.Minute)
		e.d.Deliver(ctx, sub, slot)
		a = svc.Status(ctx, digest.Slack, "C1")
		text := ""
		for _, s := range a.Sections {
			for _, f := range s.Fields {
				text += f.Label + "=" + f.Value + ";"
			}
			for _, it := range s.Items {
				text += it.Text + ";"
			}
		}
		if !strings.Contains(text, "Status=active") || !strings.Contains(text, "Next delivery=") || !strings.Contains(text, "EET") || !strings.Contains(text, ": sent") {
			t.Fatalf("status: %s", text)
		}
		e.store.Disable(ctx, sub.ID, "is_archived")
		if a := svc.Status(ctx, digest.Slack, "C1"); !strings.Contains(a.Sections[0].Fields[1].Value, "stopped: is_archived") {
			t.Fatalf("disabled status: %+v", a.Sections[0].Fields)
		}
		if a := svc.Unsubscribe(ctx, digest.Slack, "C1"); a.Title != "Unsubscribed" || changed != 2 {
			t.Fatalf("unsubscribe: %+v", a)
		}
		if a := svc.Unsubscribe(ctx, digest.Slack, "C1"); a.Title != "No subscription" {
			t.Fatalf("unsubscribe twice: %+v", a)
		}
	})
}
