#!/usr/bin/env bash
# The benchmark's load generator, wrk: as root on Debian or Ubuntu, install it
# with apt-get; elsewhere print the exact command and fail.
set -euo pipefail

command -v wrk >/dev/null 2>&1 && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wrk
  exit 0
fi

echo "The benchmark needs wrk. Install it with:  sudo apt-get install -y wrk" >&2
exit 1
