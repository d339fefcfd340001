#!/usr/bin/env bash
# Installs what Solidum needs to build, run and test on Debian 12, and nothing that is
# already there. Safe to run again: with everything present it only checks, in about a second.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql-15 zlib1g-dev libsodium-dev libcurl4-openssl-dev libspdlog-dev libfmt-dev libcli11-dev
  liblemon-dev        # network simplex for multilateral set-off
  libcmark-dev        # CommonMark, rendered safely (the library, communities of practice)
  libical-dev tzdata  # iCalendar (RFC 5545) and time zones from the system's zoneinfo (events)
  libjemalloc-dev     # the server's allocator (CMakeLists.txt, SOLIDUM_JEMALLOC)
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk
  chromium            # browser tests of the web app (driven by playwright-core)
)
# The web app builds with Node.js 20 or later (Vite); Debian 12's own nodejs is 18, so
# use the machine's Node when it has one and Debian's only when there is none.
if ! command -v node >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "setup: these Debian packages are missing and I am not root: ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The web app's npm packages (exact versions from web/package-lock.json), when missing or
# older than the lock file.
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/web/package-lock.json" ]; then
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" -lt 20 ]; then
    echo "setup: the web app needs Node.js 20 or later (found $(node --version))" >&2
    exit 1
  fi
  stamp="$here/web/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$here/web/package-lock.json" -nt "$stamp" ]; then
    echo "setup: installing the web app's npm packages"
    (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
