package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// The fuzz targets below cover the signature check and every decoder of
// what Slack sends: the slash-command form, interaction payloads, Events
// API bodies and Socket Mode envelopes. Seeds are the shapes Slack sends;
// CI runs each briefly (.ci/run), the README has the longer run.

func FuzzVerify(f *testing.F) {
	f.Add(exampleTS, exampleSig, []byte(exampleBody))
	f.Add(exampleTS, exampleSig[:len(exampleSig)-1]+"4", []byte(exampleBody))
	f.Add("1531420619", exampleSig, []byte(exampleBody))
	f.Add("+1531420618", exampleSig, []byte(exampleBody))
	f.Add("01531420618", "V0="+exampleSig[3:], []byte(exampleBody))
	f.Add("", "", []byte{})
	f.Add("99999999999999999999", "v0=", []byte("\x00"))
	now := time.Unix(1531420618, 0)
	v := NewVerifier(exampleSecret, func() time.Time { return now })
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("X-Slack-Request-Timestamp", ts)
		h.Set("X-Slack-Signature", sig)
		err := v.Verify(h, body)
		if err != nil && strings.Contains(err.Error(), exampleSecret) {
			t.Fatal("error repeats the secret")
		}
		if err == nil {
			// Accepted: it must be the signature of exactly this
			// timestamp and body, with the timestamp within the window.
			if sig != Sign(exampleSecret, h.Get("X-Slack-Request-Timestamp"), body) {
				t.Fatalf("forgery accepted: ts %q sig %q", ts, sig)
			}
			sec, perr := strconv.ParseInt(h.Get("X-Slack-Request-Timestamp"), 10, 64)
			if perr != nil || now.Sub(time.Unix(sec, 0)).Abs() > MaxSkew {
				t.Fatalf("timestamp %q accepted", ts)
			}
		}
		// The genuine signature of any body verifies when the timestamp
		// is within the window.
		if sec, perr := strconv.ParseInt(h.Get("X-Slack-Request-Timestamp"), 10, 64); perr == nil && now.Sub(time.Unix(sec, 0)).Abs() <= MaxSkew {
			h.Set("X-Slack-Signature", Sign(exampleSecret, h.Get("X-Slack-Request-Timestamp"), body))
			if err := v.Verify(h, body); err != nil {
				t.Fatalf("genuine signature refused: %v", err)
			}
		}
	})
}

// fuzzAdapter is an adapter whose Web API and response_url calls all go to
// a local server answering {"ok":true}, with no waits between retries and
// replays allowed (the fuzzer runs an input more than once).
func fuzzAdapter(f *testing.F) *Adapter {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	f.Cleanup(fake.Close)
	addr := fake.Listener.Addr().String()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		// Whatever host a fuzzed response_url names, the call stays on
		// loopback.
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		},
	}}
	a, err := New(Config{BotToken: "xoxb-test", SigningSecret: testSecret, Now: func() time.Time { return testNow },
		APIURL: "http://slack.test/api", HTTPClient: client, AllowReplays: true,
		Sleep: func(context.Context, time.Duration) error { return nil },
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil))}, newBot(f))
	if err != nil {
		f.Fatal(err)
	}
	return a
}

// serveSigned sends body, signed, to path on the adapter's routes and
// returns the status and response body.
func serveSigned(a *Adapter, path, contentType string, body []byte) (int, []byte) {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	ts := strconv.FormatInt(testNow.Unix(), 10)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", Sign(testSecret, ts, body))
	rec := httptest.NewRecorder()
	a.Routes().ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// pings reports a broadcast mention (<!channel>, <!here>, <!everyone>, a
// user group) in any string of a decoded JSON value that Slack parses as
// mrkdwn: a button's or option's value is never rendered and may carry the
// query verbatim, and plain_text (headers, labels) is never parsed.
func pings(v any) string {
	switch x := v.(type) {
	case string:
		for _, p := range []string{"<!channel", "<!here", "<!everyone", "<!subteam"} {
			if strings.Contains(x, p) {
				return x
			}
		}
	case []any:
		for _, e := range x {
			if s := pings(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if x["type"] == "plain_text" { // never parsed for mentions (headers, button labels)
			return ""
		}
		for k, e := range x {
			if k == "value" {
				continue
			}
			if s := pings(e); s != "" {
				return s
			}
		}
	}
	return ""
}

func FuzzCommandForm(f *testing.F) {
	f.Add([]byte(commandBody("actor trump")))
	f.Add([]byte(commandBody("<!channel> what does macron want?")))
	f.Add([]byte(commandBody("subscribe weekdays 07:30 Europe/Kyiv")))
	f.Add([]byte(exampleBody))
	f.Add([]byte("text=%zz&text=actor"))
	f.Add([]byte("text=matrix&&&=&channel_id=%00"))
	f.Add([]byte(""))
	a := fuzzAdapter(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		code, out := serveSigned(a, "/slack/commands", "application/x-www-form-urlencoded", body)
		a.Wait()
		switch code {
		case http.StatusBadRequest:
			if _, err := url.ParseQuery(string(body)); err == nil {
				if _, ferr := formValue(body, "text"); ferr == nil {
					t.Fatalf("400 for a well-formed body %q", body)
				}
			}
			return
		case http.StatusOK, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", code, body)
		}
		if code != http.StatusOK {
			return
		}
		var msg map[string]any
		if err := json.Unmarshal(out, &msg); err != nil {
			t.Fatalf("answer is not JSON: %v", err)
		}
		if p := pings(msg); p != "" {
			t.Fatalf("answer pings: %q", p)
		}
	})
}

func FuzzInteractionPayload(f *testing.F) {
	f.Add([]byte(`{"type":"block_actions","response_url":"https://hooks.slack.com/actions/1/2/3","channel":{"id":"C1"},"user":{"id":"U1"},"actions":[{"action_id":"` + ShareActionID + `","value":"actor macron"}]}`))
	f.Add([]byte(`{"type":"block_actions","response_url":"http://x/","actions":[{"action_id":"` + MoreActionID + `","value":"option troops"}]}`))
	f.Add([]byte(`{"type":"block_actions","response_url":"http://x/","actions":[{"action_id":"` + PageActionID + `","value":"2|matrix"}]}`))
	f.Add([]byte(`{"type":"block_actions","response_url":"http://x/","actions":[{"action_id":"` + PickActionID + `","selected_option":{"value":"actor trump"}}]}`))
	f.Add([]byte(`{"type":"block_actions","actions":[{"action_id":"` + PageActionID + `","value":"x|"}]}`))
	f.Add([]byte(`{"type":"view_submission"}`))
	f.Add([]byte(`{`))
	a := fuzzAdapter(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		body := "payload=" + url.QueryEscape(string(payload))
		code, _ := serveSigned(a, "/slack/interactions", "application/x-www-form-urlencoded", []byte(body))
		a.Wait()
		if code != http.StatusOK && code != http.StatusBadRequest && code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d for %q", code, payload)
		}
		if code == http.StatusBadRequest && json.Valid(payload) {
			var cb slack.InteractionCallback
			if json.Unmarshal(payload, &cb) == nil {
				t.Fatalf("400 for a payload that decodes: %q", payload)
			}
		}
	})
}

func FuzzEventBody(f *testing.F) {
	f.Add([]byte(eventBody("Ev01", "<@U0BOT> what does macron want?", "1700000000.000100", "")))
	f.Add([]byte(eventBody("Ev02", "<@U0BOT> <!channel> actor putin", "1700000001.000100", "1700000000.000100")))
	f.Add([]byte(`{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`))
	f.Add([]byte(`{"type":"event_callback","event":{"type":"app_mention","bot_id":"B1","text":"hi"}}`))
	f.Add([]byte(`{"type":"app_rate_limited"}`))
	f.Add([]byte(`{"type":"event_callback","event":{"type":"message","channel":"C1"}}`))
	f.Add([]byte(`{`))
	a := fuzzAdapter(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		code, _ := serveSigned(a, "/slack/events", "application/json", body)
		a.Wait()
		if code != http.StatusOK && code != http.StatusBadRequest && code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d for %q", code, body)
		}
	})
}

// FuzzSocketEnvelope decodes a Socket Mode envelope as slack-go's client
// does (socketmode.Request, then the payload by type) and hands the event
// to the adapter's handler, acks included.
func FuzzSocketEnvelope(f *testing.F) {
	f.Add([]byte(`{"envelope_id":"e1","type":"slash_commands","payload":{"command":"/guarantees","text":"actor trump","channel_id":"C1","user_id":"U1"},"accepts_response_payload":true}`))
	f.Add([]byte(`{"envelope_id":"e2","type":"interactive","payload":{"type":"block_actions","response_url":"http://x/","actions":[{"action_id":"` + ShareActionID + `","value":"actor macron"}]}}`))
	f.Add([]byte(`{"envelope_id":"e3","type":"events_api","payload":` + eventBody("Ev03", "<@U0BOT> matrix", "1700000000.000100", "") + `}`))
	f.Add([]byte(`{"type":"hello","num_connections":1}`))
	f.Add([]byte(`{"type":"disconnect","reason":"refresh_requested"}`))
	f.Add([]byte(`{"envelope_id":"e4","type":"slash_commands","payload":"text"}`))
	a := fuzzAdapter(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		evt, err := decodeEnvelope(msg)
		if err != nil {
			return
		}
		client := socketmode.New(a.api)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		a.handleSocketEvent(ctx, client, evt)
		a.Wait()
	})
}

// decodeEnvelope is slack-go's Socket Mode decoding (socketmode's
// unexported parseEvent), from its public types.
func decodeEnvelope(msg []byte) (socketmode.Event, error) {
	req := &socketmode.Request{}
	if err := json.Unmarshal(msg, req); err != nil {
		return socketmode.Event{}, err
	}
	switch req.Type {
	case socketmode.RequestTypeHello:
		return socketmode.Event{Type: socketmode.EventTypeHello, Request: req}, nil
	case socketmode.RequestTypeDisconnect:
		return socketmode.Event{Type: socketmode.EventTypeDisconnect, Request: req}, nil
	case socketmode.RequestTypeEventsAPI:
		ev, err := slackevents.ParseEvent(req.Payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			return socketmode.Event{}, err
		}
		return socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: ev, Request: req}, nil
	case socketmode.RequestTypeSlashCommands:
		var cmd slack.SlashCommand
		if err := json.Unmarshal(req.Payload, &cmd); err != nil {
			return socketmode.Event{}, err
		}
		return socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: cmd, Request: req}, nil
	case socketmode.RequestTypeInteractive:
		var cb slack.InteractionCallback
		if err := json.Unmarshal(req.Payload, &cb); err != nil {
			return socketmode.Event{}, err
		}
		return socketmode.Event{Type: socketmode.EventTypeInteractive, Data: cb, Request: req}, nil
	}
	return socketmode.Event{}, errors.New("unsupported type")
}
