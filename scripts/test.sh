#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test. The one test command (README.md, .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
