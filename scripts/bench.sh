#!/usr/bin/env bash
# Benchmark: generate archives, build each several times, and compare with a
# floor measured in the same run: `cp -r` of the finished output folder.
# Everything is written under a tmpfs folder so the disk does not blur it.
#
#   scripts/bench.sh [--sizes "1000 10000 100000"] [--runs 3] [--dir /dev/shm/broadsheet-bench] [--keep]
#
# Prints a Markdown table: median wall time, peak RSS (of the median run's
# size: max over runs), pages and bytes written, the cp -r floor and the
# ratio build / floor; then the search index: the time of its stage (from
# one more build with --timings; the words themselves are gathered in the
# article pass), its files and bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="1000 10000 100000"
runs=3
dir=/dev/shm/broadsheet-bench
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: scripts/bench.sh [--sizes \"1000 10000\"] [--runs N] [--dir DIR] [--keep]" >&2; exit 2 ;;
  esac
done

cargo build --release --quiet --bin broadsheet --example gen_archive
bin=target/release/broadsheet
gen=target/release/examples/gen_archive
mkdir -p "$dir"

# Runs a command; prints "wall_seconds peak_rss_kib" (python's rusage of the child).
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
if done.returncode != 0:
    sys.exit(f"failed ({done.returncode}): {' '.join(sys.argv[1:])}")
print(f"{wall:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}

median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| articles | build, median of $runs (s) | peak RSS (MiB) | HTML pages | files | MB written | cp -r floor, median (s) | build / floor |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
search_lines=""
for n in $sizes; do
  site="$dir/site-$n"
  out="$dir/out-$n"
  floor="$dir/floor-$n"
  if [ ! -f "$site/.generated-$n" ]; then
    rm -rf "$site"
    "$gen" --articles "$n" --out "$site" >/dev/null
    touch "$site/.generated-$n"
  fi
  walls=""; peak=0
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    read -r wall rss < <(measure "$bin" build "$site" --output "$out")
    walls="$walls $wall"
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  floors=""
  for _ in $(seq "$runs"); do
    rm -rf "$floor"
    read -r wall _ < <(measure cp -r "$out" "$floor")
    floors="$floors $wall"
  done
  rm -rf "$floor"
  build=$(echo $walls | median)
  copy=$(echo $floors | median)
  pages=$(find "$out" -name '*.html' | wc -l)
  files=$(find "$out" -type f | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  awk -v n="$n" -v b="$build" -v r="$peak" -v p="$pages" -v f="$files" -v by="$bytes" -v c="$copy" 'BEGIN {
    printf "| %d | %.2f | %.0f | %d | %d | %.0f | %.2f | %.2f |\n", n, b, r / 1024, p, f, by / 1e6, c, b / c }'
  index_time=$("$bin" build "$site" --output "$out" --timings 2>&1 | awk '/search index|search files/ {s += $1} END {printf "%.2f", s}')
  search_files=$(find "$out/search" -type f 2>/dev/null | wc -l)
  search_bytes=$(du -sb "$out/search" 2>/dev/null | cut -f1)
  search_lines="$search_lines$(awk -v n="$n" -v t="$index_time" -v f="$search_files" -v by="${search_bytes:-0}" 'BEGIN {
    printf "| %d | %s | %d | %.1f |", n, t, f, by / 1e6 }')
"
  [ "$keep" -eq 1 ] || rm -rf "$out"
done
echo
echo "| articles | search index stage (s) | search files | search MB |"
echo "|---:|---:|---:|---:|"
printf "%s" "$search_lines"
[ "$keep" -eq 1 ] || rm -rf "$dir"
