#!/usr/bin/env bash
# Make sure the system packages the tests need are present.
# As root on Debian or Ubuntu, install what is missing with apt-get; elsewhere,
# print the exact command and fail, so the one `make test` works on a fresh machine.
set -euo pipefail

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium_path" ] || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
# actionlint runs ShellCheck on the workflows' `run:` scripts
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  exit 0
fi

echo "Missing system packages: ${missing[*]}" >&2
echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
echo "(or point CHROMIUM_PATH at an existing Chromium)" >&2
exit 1
