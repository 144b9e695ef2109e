#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test. The one test command (README.md, .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Formatting first: it takes a second and fails fast (config: .swift-format).
swift format lint --strict --recursive Sources Tests Package.swift
swift build --build-tests
swift test --skip-build
