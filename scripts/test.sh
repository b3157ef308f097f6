#!/usr/bin/env bash
# Runs every test, including the HTML validity, browser and accessibility
# checks of tests/theme.rs, after installing what they need: the npm
# packages of tests/browser/ (vnu-jar, playwright-core, axe-core), and, when
# missing and run as root, Debian's chromium, a Java runtime and `script`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# `script` runs the binary on a pseudo-terminal (tests/commands.rs).
command -v script >/dev/null 2>&1 || need_apt+=(bsdutils)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "scripts/test.sh: please install ${need_apt[*]} (Debian packages), then run again" >&2
    exit 1
  fi
fi
if [ ! -f tests/browser/node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts)
fi

# The tests make tens of thousands of small files; on a disk that is slow.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
cargo test -- --include-ignored "$@"
