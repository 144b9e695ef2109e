#!/usr/bin/env bash
# Sets up a small federation whose nodes reach each other by the names in their URLs, as the compose file runs
# it once before the nodes start: a federation CA; for each node a home (origin key, store), a certificate for
# its host name or address from the certs/ scripts, and a server section; every node peered with every other;
# one analyst token for the first node. Idempotent: a second run sees ROOT/.done and changes nothing.
#
#   deploy/federation-setup.sh ROOT NAME=https://HOST:PORT [NAME=https://HOST:PORT ...]
#
# Environment: WEFT (the weft binary, default: weft on PATH), WEFT_CERTS (the certs/ scripts, default: ../certs
# beside this script, or /usr/local/share/weft/certs in the container), OPS_LISTEN (each node's operations
# listener: health, metrics, analyst API and dashboard; default 0.0.0.0:9464).
set -euo pipefail
root="${1:?usage: federation-setup.sh ROOT NAME=https://HOST:PORT ...}"
shift
(($# >= 2)) || { echo "federation-setup.sh: name at least two nodes" >&2; exit 64; }
here="$(cd "$(dirname "$0")" && pwd)"
weft="${WEFT:-weft}"
certs="${WEFT_CERTS:-}"
if [ -z "$certs" ]; then
  for candidate in "$here/../certs" /usr/local/share/weft/certs; do
    [ -x "$candidate/make-ca.sh" ] && { certs="$candidate"; break; }
  done
fi
[ -n "$certs" ] || { echo "federation-setup.sh: cannot find the certs/ scripts (set WEFT_CERTS)" >&2; exit 66; }
ops_listen="${OPS_LISTEN:-0.0.0.0:9464}"
if [ -e "$root/.done" ]; then
  echo "federation-setup.sh: $root is already set up"
  exit 0
fi
umask 077
mkdir -p "$root"
[ -e "$root/ca/ca.key" ] || "$certs/make-ca.sh" "$root/ca" "Weft federation CA" >/dev/null

names=()
for spec in "$@"; do
  name="${spec%%=*}"
  url="${spec#*=}"
  [[ $url =~ ^https://([^:/]+):([0-9]+)$ ]] || { echo "federation-setup.sh: $spec: want NAME=https://HOST:PORT" >&2; exit 64; }
  host="${BASH_REMATCH[1]}"
  port="${BASH_REMATCH[2]}"
  home="$root/$name"
  if [[ $host =~ ^[0-9.]+$ ]]; then san=(--ip "$host"); else san=(--dns "$host"); fi
  "$weft" init --home "$home" --name "$name" >/dev/null
  "$certs/issue-node.sh" "$root/ca" "$home/tls" node "${san[@]}" >/dev/null
  cp "$root/ca/ca.pem" "$home/tls/ca.pem"
  "$weft" config server --home "$home" --listen "0.0.0.0:$port" --public-url "$url" --ops-listen "$ops_listen" >/dev/null
  names+=("$name")
  echo "node $name: $url"
done
for name in "${names[@]}"; do
  "$weft" identity export --home "$root/$name" >"$root/$name.card"
done
for name in "${names[@]}"; do
  for other in "${names[@]}"; do
    [ "$name" = "$other" ] || "$weft" peer add --home "$root/$name" --card "$root/$other.card" >/dev/null
  done
done
"$weft" analyst add --home "$root/${names[0]}" analyst >"$root/analyst.token"
touch "$root/.done"
echo "analyst token for ${names[0]}'s dashboard and API: $root/analyst.token"
