#!/usr/bin/env bash
# The analyst API's questions that read reports, right after bundles arrive while `weft serve` runs: waits for the
# server's warm-up (its incremental merge built at start: `analyst merge ready` in its log), then publishes bundles
# of new reports into the node's own feed beside the running server (some reporting values of the largest
# operation's evidence, so that operation changes) and times the first question after each arrival and repeated
# ones. Prints tables of milliseconds and the server's resident memory.
#
#   scripts/bench-api-live.sh NODE_HOME [REPORTS_PER_BUNDLE] [REQUESTS]     NODE_HOME is modified: use a copy
set -euo pipefail
home=${1:?usage: bench-api-live.sh NODE_HOME [REPORTS_PER_BUNDLE] [REQUESTS]}
reports=${2:-1000}
requests=${3:-50}
source "$(dirname "$0")/serve-analyst.sh"
PYTHONPATH="$(dirname "$0")" python3 - "$base" "$token" "$reports" "$requests" "$weft" "$home" "$server" "$log" <<'PY'
import json, random, subprocess, sys, tempfile, time, urllib.parse
from analyst_client import AnalystClient, wait_for_warm_up
base, token, reports, requests, weft, home, server, log = sys.argv[1:9]
reports, requests = int(reports), int(requests)
client = AnalystClient(base, token)
get = client.get_ok
random.seed(7)

def resident_gb():
    with open(f"/proc/{server}/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    return kb / 2**20

def publish(lines):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
        file.write("\n".join(json.dumps(line) for line in lines) + "\n")
    run = subprocess.run([weft, "publish", file.name, "--home", home], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"weft publish: {run.stderr}")

elapsed, body = get("/api/v1/operations")
operations = json.loads(body)["operations"]
print(f"first /api/v1/operations: {elapsed:.0f} ms, {len(operations)} operations; server {resident_gb():.1f} GB")
top = operations[0]
evidence = top["evidence"]
pdq = next((e["value"] for o in operations for e in o["evidence"] if e["kind"] == "pdq"), None)
text = next((e["value"] for o in operations for e in o["evidence"] if e["kind"] == "text.minhash"), None)

print(f"warm-up: analyst merge ready after {wait_for_warm_up(log) + elapsed / 1000:.0f} s (from the first request); "
      f"server {resident_gb():.1f} GB")

def bundle(case):
    lines = [{"type": "case", "id": case, "status": "suspected", "labels": [], "accounts": 40}]
    shared = [e for e in evidence if e["kind"] in ("pdq", "text.minhash", "url", "domain")][:5]
    for item in shared:
        lines.append({"type": "report", "case": case, "kind": item["kind"], "value": item["value"],
                      "first_seen": "2026-11-30", "confidence": 80, "posting_accounts": 12, "flagged_accounts": 9})
    for index in range(reports - len(shared)):
        kind = ("pdq", "text.minhash", "url")[index % 3]
        if kind == "pdq":
            value = "%064x" % random.getrandbits(256)
        elif kind == "text.minhash":
            value = "".join("%08x" % random.getrandbits(32) for _ in range(128))
        else:
            value = f"https://{case}-{index}.live-bench.example/post"
        lines.append({"type": "report", "case": case, "kind": kind, "value": value, "first_seen": "2026-11-30",
                      "confidence": 60, "posting_accounts": 3, "flagged_accounts": 2})
    return lines

routes = {
    "operation": lambda: "/api/v1/operations/" + top["id"],
    "indicator": lambda: "/api/v1/indicators?" + urllib.parse.urlencode(
        {"kind": top["evidence"][0]["kind"], "value": top["evidence"][0]["value"]}),
    "search pdq": lambda: "/api/v1/search/pdq?" + urllib.parse.urlencode({"hash": pdq}),
    "indicator (text)": lambda: "/api/v1/indicators?" + urllib.parse.urlencode({"kind": "text.minhash", "value": text}),
}

def round_of_questions(label):
    print(f"\n{label}: server {resident_gb():.1f} GB")
    print(f"{'ROUTE':<18} {'FIRST MS':>9} {'P50 MS':>8} {'P95 MS':>8} {'P99 MS':>8} {'MAX MS':>8}  ({requests} requests each)")
    for name, path in routes.items():
        first, _ = get(path())
        times = sorted(get(path())[0] for _ in range(requests))
        pick = lambda p: times[min(len(times) - 1, int(len(times) * p))]
        print(f"{name:<18} {first:>9.0f} {pick(0.5):>8.1f} {pick(0.95):>8.1f} {pick(0.99):>8.1f} {times[-1]:>8.1f}")

for step in ["first arrival", "second arrival", "third arrival"]:
    publish(bundle(f"live-bench-{time.time_ns()}"))
    # The first question after the arrival pays for the update; the operation's id may have changed with it.
    first, status, _ = client.get("/api/v1/operations/" + top["id"])
    listed, body = get("/api/v1/operations")
    top = next((o for o in json.loads(body)["operations"] if o["id"] == top["id"]), json.loads(body)["operations"][0])
    print(f"\n{step}: {reports} reports published; first question (operation detail, HTTP {status}) "
          f"{first:.0f} ms, then /api/v1/operations {listed:.0f} ms")
    round_of_questions(f"after the {step}")
PY
