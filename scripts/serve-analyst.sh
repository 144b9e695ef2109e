# Sourced by the analyst API benchmarks (bench-api.sh, bench-api-live.sh): starts `weft serve` on "$home" with an
# operations listener on a free loopback port, its warm-up on and logs at info in "$log", adds a throw-away analyst
# ("$token"), and sets "$base" (http://127.0.0.1:PORT) and "$server" (its process id). Everything is undone on exit.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
weft=${WEFT:-$here/.build/release/weft}
out=$(mktemp)
log=$(mktemp)
name="bench-$$"
token=$("$weft" analyst add --home "$home" "$name")
"$weft" serve --home "$home" --listen 127.0.0.1:0 --ops-listen 127.0.0.1:0 --poll-interval 3600 --log-level info \
    --analyst-warm-up on >"$out" 2>"$log" &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    "$weft" analyst remove --home "$home" "$name" >/dev/null 2>&1 || true
    rm -f "$out" "$log"
}
trap cleanup EXIT
for _ in $(seq 600); do grep -q "ops listening" "$out" && break; sleep 0.1; done
base=$(sed -n 's/^ops listening on //p' "$out")
[ -n "$base" ] || { echo "$(basename "$0"): weft serve did not start listening within 60 s" >&2; exit 1; }
