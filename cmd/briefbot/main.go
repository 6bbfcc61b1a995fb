// Command briefbot keeps a team briefed on the security guarantees Ukraine
// could get after a ceasefire. With no chat credentials it runs in the
// console; see the README for Slack and Discord.
//
// Usage:
//
//	briefbot [--briefing DIR] [serve]              run the bot (console when no chat platform is configured)
//	briefbot [--briefing DIR] ask [--format text|json] TEXT...
//	briefbot [--briefing DIR] check                validate a briefing
//	briefbot export DIR                            write the embedded briefing as editable YAML
//	briefbot --briefing DIR ingest|drafts|review|accept|reject ...   add an article (see the README)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	_ "time/tzdata" // time zones in the binary, whatever the image has

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/plain"
	slackbot "github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	os.Exit(run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, interactive: isTerminal(os.Stdin), hup: hup,
	}))
}

// env is what the program touches of the outside world, so tests can run
// it in-process.
type env struct {
	stdin       io.Reader
	stdout      io.Writer
	stderr      io.Writer
	getenv      func(string) string
	interactive bool
	hup         <-chan os.Signal // SIGHUP: reload the briefing
}

const usage = `Usage:
  briefbot [--briefing DIR] [serve]                  run the bot (the console when no chat platform is configured)
  briefbot [--briefing DIR] ask [--format text|json] [--full] [--page N] TEXT...
                                                     answer one command or question and exit (--full: the full card)
  briefbot [--briefing DIR] check                    validate the briefing; exit 1 on any problem
  briefbot export DIR                                write the embedded briefing to DIR as editable YAML
  briefbot --briefing DIR ingest [--outlet NAME] [--title T] [--date YYYY-MM-DD] [--url URL] [--json] FILE|URL|-
                                                     draft what an article (HTML or text) adds; --feed URL polls a feed once
  briefbot --briefing DIR drafts                     list drafts, one a line: ID and title
  briefbot --briefing DIR review [--only ITEMS] ID   show what accepting a draft would change, and the next digest's news
  briefbot --briefing DIR accept [--only ITEMS] ID   merge a draft into the YAML, refused with every problem if check would fail
  briefbot --briefing DIR reject ID                  discard a draft
  briefbot slack-manifest [--url https://HOST]       print the Slack app manifest (Socket Mode, or HTTP mode at HOST)
  briefbot picture FILE.png                          draw the matrix picture chat answers carry, and print its alt text
  briefbot [--config FILE] config                    print the effective configuration, secrets redacted
  briefbot healthcheck                               exit 0 when /healthz on BRIEFBOT_HTTP_ADDR answers (for containers)

Flags:
  --briefing DIR   use the briefing in DIR instead of the embedded one (env BRIEFBOT_BRIEFING)
  --config FILE    read settings from a YAML file; the environment overrides it (env BRIEFBOT_CONFIG)
`

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	global := flag.NewFlagSet("briefbot", flag.ContinueOnError)
	global.SetOutput(e.stderr)
	global.Usage = func() { fmt.Fprint(e.stderr, usage) }
	briefingDir := global.String("briefing", "", "briefing directory")
	configPath := global.String("config", e.getenv("BRIEFBOT_CONFIG"), "configuration file (YAML)")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, err := config.Load(*configPath, e.getenv, sections(platforms(e))...)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: configuration:\n  %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
		return 2
	}
	if *briefingDir != "" {
		cfg.BriefingDir = *briefingDir
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	cmd, rest := "serve", global.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, rest, e, log)
	case "ask":
		return ask(ctx, cfg, rest, e)
	case "check":
		return check(cfg, rest, e)
	case "export":
		return exportBriefing(cfg, rest, e)
	case "ingest":
		return ingestCmd(ctx, cfg, rest, e)
	case "drafts":
		return draftsCmd(cfg, rest, e)
	case "review":
		return reviewCmd(cfg, rest, e)
	case "accept":
		return acceptCmd(cfg, rest, e)
	case "reject":
		return rejectCmd(cfg, rest, e)
	case "slack-manifest":
		return slackManifest(rest, e)
	case "picture":
		return pictureCmd(cfg, rest, e)
	case "healthcheck":
		return healthcheck(cfg, e)
	case "config":
		return printConfig(cfg, e)
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, usage)
		return 0
	default:
		fmt.Fprintf(e.stderr, "briefbot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

// loadBriefing loads the briefing from cfg.BriefingDir, or the embedded one.
func loadBriefing(cfg config.Config) (*briefings.Briefing, error) {
	setMemoryLimit(cfg.BriefingDir, os.Getenv)
	if cfg.BriefingDir != "" {
		b, err := briefings.LoadDir(cfg.BriefingDir)
		if err != nil {
			return nil, fmt.Errorf("loading briefing from %s: %w", cfg.BriefingDir, err)
		}
		return b, nil
	}
	b, err := briefings.LoadEmbedded()
	if err != nil {
		return nil, fmt.Errorf("loading embedded briefing: %w", err)
	}
	return b, nil
}

// setMemoryLimit gives the Go runtime a soft memory limit sized to the
// briefing, unless GOMEMLIMIT sets one: 64 MiB plus four times the
// briefing's bytes on disk. Parsing YAML makes garbage several times the
// size of what it keeps, and with the default pacing alone the peak
// depended on when collections ran (125 to 159 MiB for a 100x briefing);
// under the limit the collector runs before the heap grows past it, so a
// 100x briefing (9.5 MB) loads in the same time at about 110 MiB. The
// limit is soft: a briefing that needs more still gets it.
func setMemoryLimit(dir string, getenv func(string) string) {
	if getenv("GOMEMLIMIT") != "" {
		return
	}
	var size int64
	if dir != "" {
		filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					size += info.Size()
				}
			}
			return nil
		})
	}
	debug.SetMemoryLimit(64<<20 + 4*size)
}

// subFlags parses a subcommand's flags; --briefing is accepted after the
// subcommand too.
func subFlags(name string, cfg *config.Config, args []string, e env, define func(*flag.FlagSet)) ([]string, int, bool) {
	fs := flag.NewFlagSet("briefbot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	fs.StringVar(&cfg.BriefingDir, "briefing", cfg.BriefingDir, "briefing directory")
	if define != nil {
		define(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0, false
		}
		return nil, 2, false
	}
	return fs.Args(), 0, true
}

func ask(ctx context.Context, cfg config.Config, args []string, e env) int {
	format, full, page := "text", false, 0
	rest, code, ok := subFlags("ask", &cfg, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", format, "output format: text or json")
		fs.BoolVar(&full, "full", false, "print the full card instead of the short answer chat posts first")
		fs.IntVar(&page, "page", 0, "the page of a list answer (matrix, actors, options, sources, timeline)")
	})
	if !ok {
		return code
	}
	if format != "text" && format != "json" {
		fmt.Fprintf(e.stderr, "briefbot ask: --format %q: use text or json\n", format)
		return 2
	}
	b, err := loadBriefing(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return 1
	}
	bt := bot.New(b)
	req := bt.Table().Parse(strings.Join(rest, " "))
	req.Full = full
	if page > 0 {
		req.Page = page
	}
	r := bt.Handle(ctx, bot.Caller{}, req)
	answer := r.Answer
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(answer); err != nil {
			fmt.Fprintf(e.stderr, "briefbot ask: writing answer: %v\n", err)
			return 1
		}
		return 0
	}
	if _, err := io.WriteString(e.stdout, plain.RenderWith(answer, plain.Options{Prefix: bot.SlashCommand,
		More: "briefbot ask --full " + strings.Join(rest, " ") + " prints the full card"})); err != nil {
		fmt.Fprintf(e.stderr, "briefbot ask: writing answer: %v\n", err)
		return 1
	}
	return 0
}

func slackManifest(args []string, e env) int {
	fs := flag.NewFlagSet("briefbot slack-manifest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	base := fs.String("url", "", "public https:// base URL of briefbot for HTTP mode (empty: Socket Mode)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	t, err := bot.NewTable(bot.DefaultCommands()...)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return 1
	}
	m, err := slackbot.Manifest(*base, t)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot: %v\n", err)
		return 2
	}
	e.stdout.Write(m)
	return 0
}

func check(cfg config.Config, args []string, e env) int {
	rest, code, ok := subFlags("check", &cfg, args, e, nil)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "briefbot check: unexpected argument %q (use --briefing DIR)\n", rest[0])
		return 2
	}
	b, err := loadBriefing(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "briefbot check: %v\n", err)
		return 1
	}
	where := "embedded briefing"
	if cfg.BriefingDir != "" {
		where = cfg.BriefingDir
	}
	fmt.Fprintf(e.stdout, "%s: OK: %d sources, %d actors, %d options, %d positions, %d timeline entries; every quote found verbatim in its source\n",
		where, len(b.Sources), len(b.Actors), len(b.Options), len(b.Positions), len(b.Timeline))
	return 0
}

// isTerminal reports whether f is a character device (an interactive
// terminal rather than a pipe or file).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
