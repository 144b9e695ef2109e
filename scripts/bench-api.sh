#!/usr/bin/env bash
# Latency of the analyst API on a node's real data: starts `weft serve` on the node's home with an operations
# listener on a free loopback port, adds a throw-away analyst, and times each route over one keep-alive
# connection (Python's http.client), after the server's own warm-up (its analyst merge built at start) and one
# warm-up request per route. Prints p50/p95/p99/max per route.
#
#   scripts/bench-api.sh NODE_HOME [REQUESTS_PER_ROUTE]      e.g. a node of a finished `weft demo --workdir DIR`
set -euo pipefail
home=${1:?usage: bench-api.sh NODE_HOME [REQUESTS_PER_ROUTE]}
requests=${2:-200}
source "$(dirname "$0")/serve-analyst.sh"
PYTHONPATH="$(dirname "$0")" python3 - "$base" "$token" "$requests" "$log" <<'PY'
import json, sys, time, urllib.parse
from analyst_client import AnalystClient, wait_for_warm_up
base, token, requests, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
client = AnalystClient(base, token)

def get(path, parse=True):
    body = client.get_ok(path)[1]
    return json.loads(body) if parse else len(body)

start = time.perf_counter()
operations = get("/api/v1/operations")["operations"]
first = (time.perf_counter() - start) * 1000
# Timed once the server's warm-up has built its merge, so that every route is measured in the same state.
print(f"warm-up: analyst merge ready {wait_for_warm_up(log) + first / 1000:.0f} s after the first request")
print(f"first /api/v1/operations (the saved merge, or computed): {first:.0f} ms, {len(operations)} operations")
evidence = operations[0]["evidence"][0]
pdq = next((e["value"] for o in operations for e in o["evidence"] if e["kind"] == "pdq"), "0" * 64)
routes = {
    "status": "/api/v1/status",
    "operations": "/api/v1/operations?min_platforms=2",
    "operations page": "/api/v1/operations?min_platforms=2&limit=50",
    "operation": "/api/v1/operations/" + operations[0]["id"],
    "indicator": "/api/v1/indicators?" + urllib.parse.urlencode({"kind": evidence["kind"], "value": evidence["value"]}),
    "search pdq": "/api/v1/search/pdq?" + urllib.parse.urlencode({"hash": pdq}),
    "peers": "/api/v1/peers",
}
# The text route's near copies compare every distinct MinHash signature: the heaviest indicator question.
text = next((e for o in operations for e in o["evidence"] if e["kind"] == "text.minhash"), None)
if text:
    routes["indicator (text)"] = "/api/v1/indicators?" + urllib.parse.urlencode(
        {"kind": text["kind"], "value": text["value"]})
print(f"{'ROUTE':<16} {'BYTES':>9} {'FIRST MS':>9} {'P50 MS':>8} {'P95 MS':>8} {'P99 MS':>8} {'MAX MS':>8}  ({requests} requests each)")
for name, path in routes.items():
    start = time.perf_counter()
    size = get(path, parse=False)  # warm-up: the first question waits for the server's own warm-up, if still on
    first = (time.perf_counter() - start) * 1000
    times = []
    # Timed: request to last byte of the response; parsing the JSON is the client's cost, not the API's.
    for _ in range(requests):
        start = time.perf_counter()
        get(path, parse=False)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    pick = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    print(f"{name:<16} {size:>9} {first:>9.0f} {pick(0.5):>8.1f} {pick(0.95):>8.1f} {pick(0.99):>8.1f} {times[-1]:>8.1f}")
PY
