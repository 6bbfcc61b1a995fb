package digest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot/digest"
)

func TestScheduleRequestSpec(t *testing.T) {
	def := digest.DefaultDefaults()
	cases := []struct {
		req              digest.ScheduleRequest
		spec, human, err string
	}{
		{digest.ScheduleRequest{}, "CRON_TZ=UTC 0 8 * * *", "daily at 08:00 UTC", ""},
		{digest.ScheduleRequest{Frequency: "weekdays"}, "CRON_TZ=UTC 0 8 * * 1-5", "weekdays at 08:00 UTC", ""},
		{digest.ScheduleRequest{Time: "07:30", Zone: "Europe/Kyiv"}, "CRON_TZ=Europe/Kyiv 30 7 * * *", "daily at 07:30 Europe/Kyiv", ""},
		{digest.ScheduleRequest{Frequency: "weekdays", Time: "9:05", Zone: "Europe/Kyiv"}, "CRON_TZ=Europe/Kyiv 5 9 * * 1-5", "weekdays at 09:05 Europe/Kyiv", ""},
		{digest.ScheduleRequest{Frequency: "DAILY", Time: "23:59", Zone: "America/New_York"}, "CRON_TZ=America/New_York 59 23 * * *", "daily at 23:59 America/New_York", ""},
		{digest.ScheduleRequest{Time: "25:00"}, "", "", "not a time of day"},
		{digest.ScheduleRequest{Time: "8am"}, "", "", "not a time of day"},
		{digest.ScheduleRequest{Zone: "Mars/Olympus"}, "", "", "not an IANA time zone"},
		{digest.ScheduleRequest{Frequency: "hourly"}, "", "", "is not daily or weekdays"},
	}
	for _, c := range cases {
		spec, human, err := c.req.Spec(def)
		if c.err != "" {
			var se *digest.ScheduleError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%+v: err %v, want a ScheduleError with %q", c.req, err, c.err)
			}
			continue
		}
		if err != nil || spec != c.spec || human != c.human {
			t.Errorf("%+v: %q %q %v", c.req, spec, human, err)
		}
	}
}

func TestServiceCommands(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		e := newEnv(t, ":memory:")
		changed := 0
		svc := &digest.Service{Store: e.store, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}, Changed: func(context.Context) { changed++ }}
		if _, err := svc.Status(ctx, slackP, "C1"); !errors.Is(err, digest.ErrNotFound) {
			t.Fatalf("status before: %v", err)
		}
		got, err := svc.Subscribe(ctx, slackP, "C1", "U1", digest.ScheduleRequest{Frequency: "weekdays", Time: "07:30", Zone: "Europe/Kyiv"})
		if err != nil || got.Human != "weekdays at 07:30 Europe/Kyiv" || got.Next.IsZero() || got.Next.Location().String() != "Europe/Kyiv" || changed != 1 {
			t.Fatalf("subscribe: %+v %v", got, err)
		}
		var se *digest.ScheduleError
		if _, err := svc.Subscribe(ctx, slackP, "C1", "U1", digest.ScheduleRequest{Time: "noon"}); !errors.As(err, &se) || changed != 1 {
			t.Fatalf("bad args: %v", err)
		}
		sub, _ := e.store.Subscription(ctx, slackP, "C1")
		slot := time.Now().Truncate(time.Minute)
		e.d.Deliver(ctx, sub, slot)
		st, err := svc.Status(ctx, slackP, "C1")
		if err != nil || st.Next.IsZero() || st.Location.String() != "Europe/Kyiv" || len(st.Recent) != 1 || st.Recent[0].Status != digest.Sent {
			t.Fatalf("status: %+v %v", st, err)
		}
		e.store.Disable(ctx, sub.ID, "is_archived")
		if st, _ := svc.Status(ctx, slackP, "C1"); st.Subscription.Disabled != "is_archived" || !st.Next.IsZero() {
			t.Fatalf("disabled status: %+v", st)
		}
		if ok, err := svc.Unsubscribe(ctx, slackP, "C1"); !ok || err != nil || changed != 2 {
			t.Fatalf("unsubscribe: %v %v", ok, err)
		}
		if ok, err := svc.Unsubscribe(ctx, slackP, "C1"); ok || err != nil || changed != 2 {
			t.Fatalf("unsubscribe twice: %v %v", ok, err)
		}
	})
}

// A failing store gives a *StoreError that wraps the cause.
func TestServiceStoreErrors(t *testing.T) {
	e := newEnv(t, ":memory:")
	e.store.Close()
	svc := &digest.Service{Store: e.store, Defaults: digest.DefaultDefaults(), Clock: digest.RealClock{}}
	var se *digest.StoreError
	if _, err := svc.Subscribe(context.Background(), slackP, "C1", "U1", digest.ScheduleRequest{}); !errors.As(err, &se) || se.Err == nil {
		t.Fatalf("subscribe on a closed store: %v", err)
	}
	if _, err := svc.Status(context.Background(), slackP, "C1"); !errors.As(err, &se) {
		t.Fatalf("status on a closed store: %v", err)
	}
}
