package discord

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"sync"
	"time"
)

// A button's custom_id holds at most 100 characters. A query that fits is
// carried as it is; a longer one is carried as a short id ("#" and 16
// characters of its hash) that the adapter maps back to the query, and the
// message's footer carries the query too, so a button still works after a
// restart forgets the map.
const (
	// queryIDTTL is how long a short id is remembered: Discord keeps
	// ephemeral messages' buttons usable for far less; shared messages
	// fall back to the footer.
	queryIDTTL = 48 * time.Hour
	// maxQueryIDs bounds the map; the oldest entries go first.
	maxQueryIDs = 10000
	// askedPrefix starts the footer line naming the query.
	askedPrefix = "Asked: "
)

// queryIDs maps short ids to the long queries they stand for.
type queryIDs struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]queryEntry
}

type queryEntry struct {
	query string
	at    time.Time
}

func newQueryIDs(now func() time.Time) *queryIDs {
	return &queryIDs{now: now, m: map[string]queryEntry{}}
}

// id returns what a button carries for the query after prefix: the query
// itself when it fits, otherwise a short id remembered for queryIDTTL.
func (q *queryIDs) id(prefix, query string) string {
	if len(prefix)+len(query) <= MaxCustomID && !strings.HasPrefix(query, "#") {
		return query
	}
	id := "#" + shortHash(query)
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.now()
	if len(q.m) >= maxQueryIDs {
		q.evict(now)
	}
	q.m[id] = queryEntry{query, now}
	return id
}

// evict drops expired entries, then the oldest until there is room.
func (q *queryIDs) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for k, e := range q.m {
		if now.Sub(e.at) > queryIDTTL {
			delete(q.m, k)
			continue
		}
		if oldest == "" || e.at.Before(oldestAt) {
			oldest, oldestAt = k, e.at
		}
	}
	if len(q.m) >= maxQueryIDs && oldest != "" {
		delete(q.m, oldest)
	}
}

// query returns the query a button carried: itself, or the one a short id
// stands for (from the map, or else from the message's footer).
func (q *queryIDs) query(carried, footer string) (string, bool) {
	if !strings.HasPrefix(carried, "#") {
		return carried, true
	}
	q.mu.Lock()
	e, ok := q.m[carried]
	q.mu.Unlock()
	if ok && q.now().Sub(e.at) <= queryIDTTL {
		return e.query, true
	}
	if _, asked, ok := strings.Cut(footer, askedPrefix); ok {
		asked = strings.TrimSpace(asked)
		asked = strings.TrimPrefix(strings.TrimPrefix(asked, "/"+commandName), " ")
		if "#"+shortHash(asked) == carried {
			return asked, true
		}
	}
	return "", false
}

func shortHash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return strings.ToLower(base32.StdEncoding.EncodeToString(sum[:])[:16])
}
