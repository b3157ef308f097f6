#!/usr/bin/env bash
# Benchmark: generate archives, build each several times, and compare with a
# floor measured in the same run: `cp -r` of the finished output folder.
# Everything is written under a tmpfs folder so the disk does not blur it.
#
#   scripts/bench.sh [--sizes "1000 10000 100000"] [--runs 3] [--dir /dev/shm/broadsheet-bench]
#                    [--out-dir DIR] [--keep]
#
# --out-dir puts the built output and its floor copy elsewhere than the
# generated sites: a million articles make about 9 GB of sources and, with
# search, some 40 GB of output, twice with the floor copy, which is more
# than tmpfs holds here, so that case runs as
#
#   scripts/bench.sh --sizes 1000000 --runs 1 --dir /var/tmp/bench --out-dir /var/tmp/bench/out
#
# (not in CI), and the table says which storage the output was on. When
# that storage cannot hold a second copy of the output, the floor is copied
# in parts: each top-level folder of the output on its own, removed before
# the next, and the times added (the table marks it "in parts").
#
# Prints a Markdown table: median wall time, peak RSS (of the median run's
# size: max over runs), pages and bytes written, the cp -r floor and the
# ratio build / floor; then each stage's time and the memory after it, and
# the search index: the time of its stage (the words themselves are gathered
# in the article pass), its files and bytes. Stages are from the last
# measured build, which runs with --timings like the others.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="1000 10000 100000"
runs=3
dir=/dev/shm/broadsheet-bench
out_dir=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --out-dir) out_dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: scripts/bench.sh [--sizes \"1000 10000\"] [--runs N] [--dir DIR] [--out-dir DIR] [--keep]" >&2; exit 2 ;;
  esac
done

cargo build --release --quiet --bin broadsheet --example gen_archive
bin=target/release/broadsheet
gen=target/release/examples/gen_archive
mkdir -p "$dir"
out_dir=${out_dir:-$dir}
mkdir -p "$out_dir"
echo "Output on $(df --output=source,fstype "$out_dir" | tail -1 | awk '{print $1 " (" $2 ")"}'); $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB."
echo

# Runs a command, its stderr into $stderr_file (or nowhere); prints
# "wall_seconds peak_rss_kib" (python's rusage of the child).
stderr_file=/dev/null
measure() {
  python3 - "$stderr_file" "$@" <<'PY'
import resource, subprocess, sys, time
with open(sys.argv[1], "w") as err:
    start = time.monotonic()
    done = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err)
    wall = time.monotonic() - start
if done.returncode != 0:
    sys.exit(f"failed ({done.returncode}): {' '.join(sys.argv[2:])}")
print(f"{wall:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}

# Times `cp -r` of output folder $1 to $2 on the same storage: whole when a
# second copy fits, else one top-level entry at a time (each removed before
# the next), adding the times. Prints "seconds parts".
copy_floor() {
  local from="$1" to="$2" need free total=0 wall
  need=$(du -sk "$from" | cut -f1)
  free=$(df -k --output=avail "$(dirname "$to")" | tail -1)
  if [ "$free" -gt $((need + need / 10)) ]; then
    read -r wall _ < <(stderr_file=/dev/null measure cp -r "$from" "$to")
    rm -rf "$to"
    echo "$wall whole"
    return
  fi
  mkdir -p "$to"
  for entry in "$from"/* "$from"/.[!.]*; do
    [ -e "$entry" ] || continue
    read -r wall _ < <(stderr_file=/dev/null measure cp -r "$entry" "$to/")
    total=$(awk -v a="$total" -v b="$wall" 'BEGIN {print a + b}')
    rm -rf "${to:?}/$(basename "$entry")"
  done
  rm -rf "$to"
  echo "$total parts"
}

median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| articles | build, median of $runs (s) | peak RSS (MiB) | HTML pages | files | MB written | cp -r floor, median (s) | build / floor |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
search_lines=""
stage_lines=""
for n in $sizes; do
  site="$dir/site-$n"
  out="$out_dir/out-$n"
  floor="$out_dir/floor-$n"
  if [ ! -f "$site/.generated-$n" ]; then
    rm -rf "$site"
    "$gen" --articles "$n" --out "$site" >/dev/null
    touch "$site/.generated-$n"
  fi
  walls=""; peak=0
  stderr_file="$dir/timings-$n.txt"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    read -r wall rss < <(measure "$bin" build "$site" --output "$out" --timings)
    walls="$walls $wall"
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  timings=$(cat "$stderr_file")
  stderr_file=/dev/null
  floors=""; floor_note=""
  for _ in $(seq "$runs"); do
    rm -rf "$floor"
    read -r wall how < <(copy_floor "$out" "$floor")
    floors="$floors $wall"
    [ "$how" = parts ] && floor_note=" (in parts)"
  done
  build=$(echo $walls | median)
  copy=$(echo $floors | median)
  pages=$(find "$out" -name '*.html' | wc -l)
  files=$(find "$out" -type f | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  awk -v n="$n" -v b="$build" -v r="$peak" -v p="$pages" -v f="$files" -v by="$bytes" -v c="$copy" -v note="$floor_note" 'BEGIN {
    printf "| %d | %.2f | %.0f | %d | %d | %.0f | %.2f%s | %.2f |\n", n, b, r / 1024, p, f, by / 1e6, c, note, b / c }'
  index_time=$(echo "$timings" | awk '/search index|search files/ {s += $1} END {printf "%.2f", s}')
  # Each stage of that build: its time, and the process's memory after it.
  stage_lines="$stage_lines$(echo "$timings" | awk -v n="$n" '$2 == "s" && $4 == "MiB" {
    name = $5; for (i = 6; i <= NF; i++) name = name " " $i
    printf "| %d | %s | %.2f | %d |\n", n, name, $1, $3 }')
"
  search_files=$(find "$out/search" -type f 2>/dev/null | wc -l)
  search_bytes=$(du -sb "$out/search" 2>/dev/null | cut -f1)
  search_lines="$search_lines$(awk -v n="$n" -v t="$index_time" -v f="$search_files" -v by="${search_bytes:-0}" 'BEGIN {
    printf "| %d | %s | %d | %.1f |", n, t, f, by / 1e6 }')
"
  [ "$keep" -eq 1 ] || rm -rf "$out"
done
echo
echo "| articles | stage (last measured build) | time (s) | memory after (MiB) |"
echo "|---:|---|---:|---:|"
printf "%s" "$stage_lines"
echo
echo "| articles | search index stage (s) | search files | search MB |"
echo "|---:|---:|---:|---:|"
printf "%s" "$search_lines"
[ "$keep" -eq 1 ] || rm -rf "$dir" "$out_dir"
