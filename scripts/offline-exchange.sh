#!/usr/bin/env bash
# The main job, for now: two nodes on this machine exchange a signed bundle offline (as an air-gapped member
# would, by file), and the second shows the merged indicator. Replaced by `weft demo` once federation lands.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product weft 2>&1 | grep -E "error|Compiling weft|Build complete" || true
weft="$(swift build -c release --show-bin-path)/weft"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Two nodes: 'platform-a' and 'platform-b', each with its own origin key and store"
"$weft" init --home "$work/a" --name platform-a
"$weft" init --home "$work/b" --name platform-b

step "platform-a publishes a case it took down, with indicators (counts become log2 buckets before signing)"
cat > "$work/takedown.jsonl" <<'JSONL'
{"type":"case","id":"2023-q2-cib-7","status":"confirmed","labels":["disarm:1.6:T0084.001","killchain:6.1.3"],"accounts":7704}
{"type":"report","case":"2023-q2-cib-7","kind":"domain","value":"example-news-mirror.com","first_seen":"2023-04-02","last_seen":"2023-06-30","confidence":95,"posting_accounts":812,"flagged_accounts":790}
{"type":"report","case":"2023-q2-cib-7","kind":"hashtag","value":"truthaboutxyz","first_seen":"2023-04-10","confidence":70,"posting_accounts":4100,"flagged_accounts":2900}
JSONL
"$weft" publish --home "$work/a" "$work/takedown.jsonl"

step "platform-b trusts platform-a's origin key (its card carries no secret)"
"$weft" identity export --home "$work/a" > "$work/a.card"
cat "$work/a.card"; echo
"$weft" origin add --home "$work/b" --card "$work/a.card"

step "platform-a exports its feed to a file; platform-b checks it without changing anything, then applies it"
"$weft" bundle export --home "$work/a" --after 0 > "$work/a-feed.ndjson"
"$weft" bundle verify --home "$work/b" "$work/a-feed.ndjson"
"$weft" bundle apply --home "$work/b" "$work/a-feed.ndjson"

step "A forged copy (one payload character changed) is rejected, audited, and changes nothing"
python3 - "$work/a-feed.ndjson" "$work/forged.ndjson" <<'PY'
import sys
line = open(sys.argv[1]).readline()
i = line.index('"payload":"') + 60
open(sys.argv[2], "w").write(line[:i] + ("B" if line[i] != "B" else "C") + line[i + 1:])
PY
"$weft" bundle apply --home "$work/b" "$work/forged.ndjson" || echo "(exit $? as expected)"

step "platform-b's merged view of the domain"
"$weft" indicator show --home "$work/b" domain example-news-mirror.com

step "platform-b re-verifies every stored bundle and rebuilds its tables from bundles alone"
"$weft" verify --home "$work/b"
"$weft" status --home "$work/b"
