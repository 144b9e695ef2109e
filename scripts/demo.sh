#!/usr/bin/env bash
# The first command to run from a fresh clone: installs what is missing, builds weft (release), and runs
# `weft demo` with any arguments given (default: tier ci, 20 platforms and nodes). See docs/demo.md.
#
#   scripts/demo.sh [--tier tiny|ci|stress] [--seed S] [--keep-serving] [...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product weft
exec .build/release/weft demo --certs certs "$@"
