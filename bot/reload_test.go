package bot_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefings/synth"
)

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestReloadKeepsOneCopy: once the bot has swapped in a reloaded briefing
// (here 100 times the real one), the old copy is gone: the heap holds one
// briefing, not two, even after answers, a picture and a home view were
// composed from the old one.
func TestReloadKeepsOneCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a 100x briefing three times")
	}
	base := liveHeap()
	first, err := synth.Load(100)
	if err != nil {
		t.Fatal(err)
	}
	bt := bot.New(first)
	first = nil
	for _, q := range []string{"matrix", "digest", "what does trump think about troops", "actor macron"} {
		_ = bt.Answer(context.Background(), q)
	}
	if _, err := bt.Picture(); err != nil {
		t.Fatal(err)
	}
	one := liveHeap() - base

	second, err := synth.Load(100)
	if err != nil {
		t.Fatal(err)
	}
	bt.SetBriefing(second)
	second = nil
	for _, q := range []string{"matrix", "digest"} {
		_ = bt.Answer(context.Background(), q)
	}
	after := liveHeap() - base
	t.Logf("one briefing with the bot: %.1f MiB; after a reload: %.1f MiB", float64(one)/(1<<20), float64(after)/(1<<20))
	if after > one+one/4 {
		t.Errorf("after a reload the heap holds %.1f MiB, against %.1f MiB for one briefing: the old copy is kept", float64(after)/(1<<20), float64(one)/(1<<20))
	}
	runtime.KeepAlive(bt)
}
