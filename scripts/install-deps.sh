#!/usr/bin/env bash
# Installs the system packages Weft builds and tests against (Debian 12), only if something is missing.
set -euo pipefail
# chromium: the dashboard's browser tests (headless).
packages=(libsqlite3-dev openssl curl pkg-config libpng-dev libjpeg62-turbo-dev publicsuffix chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Python test tools: openapi-spec-validator checks docs/openapi.json.
if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
  echo "installing: openapi-spec-validator (pip)" >&2
  python3 -m pip install --quiet --break-system-packages openapi-spec-validator 2>/dev/null \
    || python3 -m pip install --quiet openapi-spec-validator
fi
command -v swift >/dev/null || { echo "weft: the Swift 6 toolchain is required (swift not on PATH)" >&2; exit 1; }
