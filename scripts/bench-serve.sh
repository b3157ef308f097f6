#!/usr/bin/env bash
# Benchmark of `broadsheet serve`: generates an archive on tmpfs, serves it,
# edits it (a word of a body, a sentence added, tags, date, a new article, a
# deleted one; N of each) and reports the median and worst time from the save
# to the reload event, the first full build, and the server's resident memory
# after the edits. Everything, the served folder included, is on tmpfs.
#
#   scripts/bench-serve.sh [--articles 10000] [--edits 20] [--dir /dev/shm/broadsheet-serve-bench] [--oracle N]
#
# --oracle N also runs the randomized edit-sequence test (tests/rebuild.rs)
# with N edits per sequence: the definition of correct incremental rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."

articles=10000
edits=20
dir=/dev/shm/broadsheet-serve-bench
oracle=0
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles="$2"; shift 2 ;;
    --edits) edits="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --oracle) oracle="$2"; shift 2 ;;
    *) echo "usage: scripts/bench-serve.sh [--articles N] [--edits N] [--dir DIR] [--oracle N]" >&2; exit 2 ;;
  esac
done

cargo build --release --quiet --bin broadsheet --example gen_archive --example serve_bench
mkdir -p "$dir"
site="$dir/site-$articles"
if [ ! -f "$site/.generated" ]; then
  rm -rf "$site"
  target/release/examples/gen_archive --articles "$articles" --out "$site" >/dev/null
  touch "$site/.generated"
fi
# The benchmark edits the site: work on a copy.
work="$dir/work"
rm -rf "$work"
cp -r "$site" "$work"
TMPDIR="$dir" target/release/examples/serve_bench --bin target/release/broadsheet --site "$work" --edits "$edits"
rm -rf "$work"

if [ "$oracle" -gt 0 ]; then
  echo
  echo "Randomized edit sequences, $oracle edits each, against fresh builds:"
  BROADSHEET_REBUILD_EDITS="$oracle" TMPDIR="$dir" cargo test --release --quiet --test rebuild 2>&1 | grep -E "^test |test result"
fi
