#!/usr/bin/env bash
# Three nodes in a line, A – B – C, on this machine: a federation CA and node certificates from certs/, one
# `weft serve` per node on 127.0.0.1 (mutual TLS, notify on), A publishes and C receives A's bundles through B
# within about a second and verifies A's signature itself; then B revokes A live and A's next bundle stops at B.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product weft 2>&1 | grep -E "error|Build complete" || true
weft="$(swift build -c release --show-bin-path)/weft"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "A federation CA, and for each node: a home, a P-256 certificate (serverAuth+clientAuth), a server config"
certs/make-ca.sh "$work/ca" "Demo federation CA" >/dev/null
for name in alpha bravo charlie; do
  "$weft" init --home "$work/$name" --name "$name" >/dev/null
  pin=$(certs/issue-node.sh "$work/ca" "$work/$name/tls" node --ip 127.0.0.1)
  cp "$work/ca/ca.pem" "$work/$name/tls/ca.pem"
  port=$(free_port)
  "$weft" config server --home "$work/$name" --listen "127.0.0.1:$port" --public-url "https://127.0.0.1:$port" \
    --poll-interval 10 >/dev/null
  "$weft" identity export --home "$work/$name" > "$work/$name.card"
  echo "$name  https://127.0.0.1:$port  pin ${pin:0:16}…"
done

step "Peering in a line: alpha – bravo – charlie (charlie also trusts alpha's origin key, as every member does)"
"$weft" peer add --home "$work/alpha" --card "$work/bravo.card"
"$weft" peer add --home "$work/bravo" --card "$work/alpha.card"
"$weft" peer add --home "$work/bravo" --card "$work/charlie.card"
"$weft" peer add --home "$work/charlie" --card "$work/bravo.card"
"$weft" origin add --home "$work/charlie" --card "$work/alpha.card"

step "Each node runs weft serve"
for name in alpha bravo charlie; do
  "$weft" serve --home "$work/$name" --log-level warning > "$work/$name.out" 2> "$work/$name.err" &
  pids+=($!)
done
for name in alpha bravo charlie; do
  until grep -q "sync listening" "$work/$name.out" 2>/dev/null; do sleep 0.1; done
done
grep -h "sync listening" "$work"/*.out

step "alpha publishes a case; notify carries it hop by hop to charlie"
cat > "$work/takedown.jsonl" <<'JSONL'
{"type":"case","id":"2023-q2-cib-7","status":"confirmed","labels":["disarm:1.6:T0084.001","killchain:6.1.3"],"accounts":7704}
{"type":"report","case":"2023-q2-cib-7","kind":"domain","value":"example-news-mirror.com","first_seen":"2023-04-02","last_seen":"2023-06-30","confidence":95,"posting_accounts":812,"flagged_accounts":790}
JSONL
start=$(date +%s.%N)
"$weft" publish --home "$work/alpha" "$work/takedown.jsonl"
until "$weft" indicator show --home "$work/charlie" domain example-news-mirror.com --json | grep -q '"origin_name" : "alpha"'; do
  sleep 0.1
done
printf 'charlie holds it after %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
"$weft" indicator show --home "$work/charlie" domain example-news-mirror.com
"$weft" verify --home "$work/charlie"

step "Sync state as charlie sees it"
"$weft" peers status --home "$work/charlie"

step "bravo revokes alpha while everything runs: alpha's connections and its new bundles are refused"
"$weft" peer revoke --home "$work/bravo" alpha --reason "demo: membership ended"
sed -i 's/example-news-mirror.com/second-mirror.example/; s/2023-q2-cib-7/2023-q2-cib-8/g' "$work/takedown.jsonl"
"$weft" publish --home "$work/alpha" "$work/takedown.jsonl" >/dev/null
sleep 3
"$weft" audit --home "$work/bravo" --outcome refused --limit 5
if "$weft" indicator show --home "$work/charlie" domain second-mirror.example --json | grep -q '"origin_name"'; then
  echo "unexpected: alpha's new bundle reached charlie" >&2; exit 1
fi
echo "alpha's second bundle did not pass bravo."
