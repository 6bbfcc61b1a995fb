#!/usr/bin/env bash
# The load-and-abuse test: builds briefbot, runs it on loopback and attacks
# it (oversized headers from many connections, slow readers, replays,
# forged signatures, weak keys) for about a minute; prints the peak RSS and
# what got through. ABUSE_CONNS (1000) and ABUSE_SECONDS (10) scale the
# header flood.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go test -tags abuse -run '^TestAbuse$' -v -count=1 -timeout 10m ./cmd/briefbot
