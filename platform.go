// Package briefbot holds the few domain types every layer shares. The
// briefing itself lives in package briefings, the command core in bot,
// scheduled digests in digest, and each chat platform in its own package
// under bot/.
package briefbot

// Platform names a chat platform ("slack", "discord", "console"): who
// typed a command, and where a digest goes. Each platform package declares
// its own name; the set of platforms is the set the binary registers.
type Platform string

// String returns the name.
func (p Platform) String() string { return string(p) }
