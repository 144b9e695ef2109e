#!/usr/bin/env bash
# Simulates a scenario and ingests every platform into a node of its own, as each platform would: the
# platform side of the whole story, end to end, with the time each step takes.
#
#   scripts/scenario.sh [TIER] [SEED] [WORKDIR]      defaults: ci 1 /tmp/weft-scenario
set -euo pipefail
tier=${1:-ci}
seed=${2:-1}
work=${3:-/tmp/weft-scenario}
here=$(cd "$(dirname "$0")/.." && pwd)
weft=${WEFT:-$here/.build/release/weft}
[[ -x $weft ]] || { echo "build first: swift build -c release --product weft" >&2; exit 1; }
headlines=$here/../shared/testdata/meta-threat-research/Q2_2023_Spamouflage_China_based_CIB.csv
rm -rf "$work" && mkdir -p "$work"
args=(simulate --tier "$tier" --seed "$seed" --out "$work/scenario")
[[ -f $headlines ]] && args+=(--headlines "$headlines")
start=$(date +%s.%N)
"$weft" "${args[@]}" 2>/dev/null | tail -1
"$weft" federation-key generate "$work/federation.key" >/dev/null
total_reports=0
ingest_start=$(date +%s.%N)
for folder in "$work"/scenario/*/; do
    name=$(basename "$folder")
    "$weft" init --home "$work/nodes/$name" --name "$name" >/dev/null
    line=$("$weft" ingest --home "$work/nodes/$name" --federation-key-file "$work/federation.key" "$folder" 2>/dev/null | head -1)
    reports=$(grep -o '[0-9]* reports' <<<"$line" | head -1 | cut -d' ' -f1)
    total_reports=$((total_reports + ${reports:-0}))
    echo "$line"
done
end=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
printf 'ingested %d platforms, %d reports in %s s (whole run %s s)\n' \
    "$(ls -d "$work"/scenario/*/ | wc -l)" "$total_reports" "$(elapsed "$ingest_start" "$end")" "$(elapsed "$start" "$end")"

# An analyst node that holds every platform's feed (as a federation would deliver it), the merge, and the score.
analyst=$work/nodes-analyst
"$weft" init --home "$analyst" --name analyst >/dev/null
merge_start=$(date +%s.%N)
for home in "$work"/nodes/*/; do
    "$weft" identity export --home "$home" >"$work/card.json"
    "$weft" origin add --home "$analyst" --card "$work/card.json" >/dev/null
    "$weft" bundle export --home "$home" >"$work/feed.ndjson" 2>/dev/null
    "$weft" bundle apply --home "$analyst" "$work/feed.ndjson" >/dev/null
done
apply_end=$(date +%s.%N)
"$weft" ops list --home "$analyst" --json >"$work/operations.json"
merge_end=$(date +%s.%N)
"$weft" ops list --home "$analyst" | head -20
printf 'applied every feed to the analyst node in %s s; merged in %s s\n' \
    "$(elapsed "$merge_start" "$apply_end")" "$(elapsed "$apply_end" "$merge_end")"
"$weft" score --truth "$work/scenario/truth.json" --operations "$work/operations.json"
