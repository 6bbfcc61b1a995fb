//go:build !unix

package ingest

import "context"

// lockFile is a no-op where advisory file locks are not available: the
// poller's in-process mutex still serialises polls within one process.
func lockFile(context.Context, string) (func(), error) { return func() {}, nil }
