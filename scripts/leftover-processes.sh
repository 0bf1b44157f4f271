#!/usr/bin/env bash
# Lists (or with --kill, kills) processes running a binary built in this checkout's build folders.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kill_them=0
[ "${1:-}" = "--kill" ] && kill_them=1
for exe in /proc/[0-9]*/exe; do
  pid=${exe#/proc/}; pid=${pid%/exe}
  [ "$pid" = "$$" ] && continue
  target=$(readlink "$exe" 2>/dev/null) || continue
  case "$target" in
    "$root"/.build*/causeway|"$root"/.build*/causeway\ \(deleted\))
      if [ $kill_them = 1 ]; then kill -KILL "$pid" 2>/dev/null; else echo "$pid $(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null)"; fi ;;
  esac
done
