#!/usr/bin/env bash
# Interleaved `weft bench sync` runs of several weft binaries, for changes smaller than the host's run-to-run noise.
#
#   scripts/bench-sync-ab.sh REPORTS ROUNDS BINARY...
#   e.g. scripts/bench-sync-ab.sh 1000000 2 /tmp/weft-before .build/release/weft
#
# Each round runs every binary once, in the order given, so a slow phase of the host hits all of them alike.
# Prints one line per run: round, binary, and the seconds of the pull, the offline apply and the writer alone.
# Run from the repository root (the benchmark takes its certificates from certs/).
set -euo pipefail

if [[ $# -lt 3 ]]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
fi
reports=$1
rounds=$2
shift 2

for round in $(seq "$rounds"); do
    for binary in "$@"; do
        output=$("$binary" bench sync --reports "$reports" --certs certs --json)
        python3 - "$round" "$binary" "$output" <<'PY'
import json, sys
round_, binary, figures = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def seconds(label):
    return next(value for key, value in figures.items() if key.strip().startswith(label))
print(f"{round_} {binary} pull={seconds('pull over'):.2f} offline={seconds('offline apply'):.2f} "
      f"writer={seconds('writer alone'):.2f}")
PY
    done
done
