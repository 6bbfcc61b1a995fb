package console_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/briefings"
)

func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(b)
}

func TestConsoleAnswersEachLine(t *testing.T) {
	in := strings.NewReader("/guarantees actor trump\n\noption observers\r\nactor angela merkel\nquit\nactor macron\n")
	var out bytes.Buffer
	if err := console.New(newBot(t), in, &out, false).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"Donald Trump\n", "offensive", "Observer force\n", "satellites", "Not covered: angela merkel"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(got, "Emmanuel Macron") {
		t.Error("answered after quit")
	}
	if strings.Contains(got, "> ") && strings.HasPrefix(got, "briefbot console") {
		t.Error("prompt shown for non-interactive input")
	}
}

func TestConsolePromptWhenInteractive(t *testing.T) {
	var out bytes.Buffer
	if err := console.New(newBot(t), strings.NewReader("help\n"), &out, true).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "briefbot console") || !strings.Contains(out.String(), "> ") {
		t.Fatalf("no prompt in %q", out.String()[:min(80, out.Len())])
	}
}

func TestConsoleSurvivesHugeLines(t *testing.T) {
	huge := strings.Repeat("x", 3*console.MaxLineBytes) + "\nactor trump"
	var out bytes.Buffer
	if err := console.New(newBot(t), strings.NewReader(huge), &out, false).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "only the first 500 were read") || !strings.Contains(out.String(), "Donald Trump") {
		t.Fatalf("unexpected output:\n%s", out.String())
	}
}

func TestConsoleStopsOnCancel(t *testing.T) {
	pr, pw := io.Pipe() // input that never ends
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- console.New(newBot(t), pr, io.Discard, false).Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("console did not stop when its context was cancelled")
	}
}

// "more" prints the full card of the last answer, once.
func TestConsoleMore(t *testing.T) {
	var out bytes.Buffer
	in := strings.NewReader("actor zelensky\nmore\nmore\n")
	if err := console.New(newBot(t), in, &out, false).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Count(got, "type more for the full card") != 1 || !strings.Contains(got, "\nWho\n") || !strings.Contains(got, "no more to show") {
		t.Fatalf("console more:\n%s", got)
	}
}
