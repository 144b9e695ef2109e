#!/usr/bin/env bash
# Measures `weft match` on a platform that published nothing: its posts are matched against what the rest of the
# federation reported, and the accounts behind matched posts are compared with the operation accounts the ground
# truth puts on that platform. Needs the work folder of a finished `weft demo --workdir DIR`.
#
#   scripts/match-eval.sh DEMO_WORKDIR [PLATFORM]      (default: the first platform the truth says flags nothing)
set -euo pipefail
work=${1:?usage: match-eval.sh DEMO_WORKDIR [PLATFORM]}
here=$(cd "$(dirname "$0")/.." && pwd)
weft=${WEFT:-$here/.build/release/weft}
platform=${2:-$(python3 -c "import json,sys; print(next(p['name'] for p in json.load(open(sys.argv[1]))['platforms'] if p['flags_nothing']))" "$work/scenario/truth.json")}
node=$(ls -d "$work"/nodes/*/ | head -1)
records=$(mktemp)
queue=$(mktemp)
trap 'rm -f "$records" "$queue"' EXIT
python3 - "$work/scenario/$platform/posts.jsonl" >"$records" <<'PY'
import json, sys
for number, line in enumerate(open(sys.argv[1])):
    post = json.loads(line)
    print(json.dumps({"id": f"post-{number}:{post['account']}", "text": post["text"],
                      "links": post.get("links", []), "media": post.get("media", [])}))
PY
start=$(date +%s.%N)
"$weft" match --home "$node" --federation-key-file "$work/federation.key" --media-dir "$work/scenario/$platform/media" \
    "$records" >"$queue"
end=$(date +%s.%N)
python3 - "$work/scenario/truth.json" "$platform" "$queue" "$records" "$start" "$end" <<'PY'
import json, sys
truth, platform, queue, records, start, end = sys.argv[1:]
entry = next(p for p in json.load(open(truth))["platforms"] if p["name"] == platform)
operation_accounts = {a for accounts in entry["operation_accounts"].values() for a in accounts}
posts = sum(1 for _ in open(records))
lines = [json.loads(l) for l in open(queue)]
print(f"{platform}: {posts} posts matched in {float(end) - float(start):.1f} s; {len(lines)} in the review queue; "
      f"{len(operation_accounts)} operation accounts on the platform (truth)")
print("MIN PRIORITY  ACCOUNTS  RECALL  PRECISION")
for threshold in (0, 0.5, 1.0, 1.5):
    accounts = {l["id"].split(":")[1] for l in lines if l["priority"] >= threshold}
    found = len(accounts & operation_accounts)
    recall = found / len(operation_accounts) if operation_accounts else 0
    precision = found / len(accounts) if accounts else 0
    print(f"{threshold:>12}  {len(accounts):>8}  {recall:.3f}   {precision:.3f}")
PY
