package briefings

import "testing"

func TestEmbeddedBriefingIsValid(t *testing.T) {
	b, err := LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Actors) == 0 || len(b.Options) == 0 || len(b.Positions) == 0 || len(b.Timeline) == 0 {
		t.Fatalf("briefing is missing content: %d actors, %d options, %d positions, %d events",
			len(b.Actors), len(b.Options), len(b.Positions), len(b.Timeline))
	}
}
