#!/usr/bin/env bash
# Times publish, apply and verify of N reports between two fresh nodes (release build). Usage: bench-store.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
weft="$(swift build -c release --show-bin-path)/weft"
[ -x "$weft" ] || { echo "build first: swift build -c release" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$weft" init --home "$work/a" --name a >/dev/null
"$weft" init --home "$work/b" --name b >/dev/null
python3 - "$count" > "$work/reports.jsonl" <<'PY'
import json, sys
print(json.dumps({"type": "case", "id": "c1", "accounts": 300}))
for i in range(int(sys.argv[1])):
    print(json.dumps({"type": "report", "case": "c1", "kind": "domain", "value": f"d{i}.example.com",
                      "first_seen": "2023-05-01", "confidence": 70, "posting_accounts": 9, "flagged_accounts": 3}))
PY
"$weft" identity export --home "$work/a" > "$work/a.card"
"$weft" origin add --home "$work/b" --card "$work/a.card" >/dev/null
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
publish=$(seconds "$weft" publish --home "$work/a" "$work/reports.jsonl")
"$weft" bundle export --home "$work/a" > "$work/feed.ndjson" 2>/dev/null
apply=$(seconds "$weft" bundle apply --home "$work/b" "$work/feed.ndjson")
verify=$(seconds "$weft" verify --home "$work/b")
printf '%-8s %10s %14s\n' step seconds reports/s
for step in publish apply verify; do
  value=${!step}
  printf '%-8s %10.2f %14.0f\n' "$step" "$value" "$(echo "$count / $value" | bc -l)"
done
