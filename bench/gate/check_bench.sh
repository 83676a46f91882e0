#!/usr/bin/env bash
# `schemaguard check` on a repository of many schemas with long histories, against git's own
# time for the same history reads. Issue 6's target: well under a second beyond git's time for
# 200 schemas x 20 versions, every schema changed in the working tree.
#
# Usage: bench/gate/check_bench.sh [--smoke] [--runs N] [SCHEMAGUARD]
#   --smoke      20 schemas x 3 versions (a quick run that the script still works)
#   --runs N     timed repetitions of each side, the fastest is reported (default 3)
#   SCHEMAGUARD  the binary (default build/release/src/schemaguard/cli/schemaguard, else
#                build/debug/...; relative paths are tried against the current directory, then
#                the repository root)
# Environment: KEEP_TMP=1 keeps the generated repository.
# Exit status: 0 measured (and check passed: every change is compatible); 1 check did not exit 0;
#              2 bad usage or the binary is missing.
# "git alone" runs the `git log --follow` that check runs per schema file for its versions;
# check's other git work (one `git cat-file --batch` per file for the texts) counts as its own.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

schemas=200 versions=20 runs=3 binary=
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --smoke) schemas=20 versions=3; shift ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) binary=$1; shift ;;
  esac
done

if [[ -z "$binary" ]]; then
  for candidate in build/release build/debug; do
    if [[ -x "$root/$candidate/src/schemaguard/cli/schemaguard" ]]; then
      binary=$root/$candidate/src/schemaguard/cli/schemaguard; break
    fi
  done
elif [[ "$binary" != /* ]]; then
  if [[ -x "$PWD/$binary" ]]; then binary=$PWD/$binary; else binary=$root/$binary; fi
fi
if [[ -z "$binary" || ! -x "$binary" ]]; then
  echo "schemaguard binary not found (build it, or pass its path)" >&2
  exit 2
fi

tmp=$(mktemp -d)
if [[ "${KEEP_TMP:-0}" == 1 ]]; then echo "keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
repo=$tmp/repo

echo "generating $schemas schemas x $versions versions in $repo ..."
python3 "$here/gen_repo.py" "$repo" "$schemas" "$versions"

now() { echo "$EPOCHREALTIME"; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# git's own time: the `git log --follow` that check runs for each file's versions, and nothing
# else (check's own `git cat-file --batch` per file counts against check, not git).
git_alone() {
  local file
  for file in "$repo"/schemas/*.avsc; do
    git -C "$repo" log --format='commit %H' --name-only --follow --diff-filter=d main \
      -- "schemas/${file##*/}" > /dev/null
  done
}

best_git= best_check= status=0
for ((run = 1; run <= runs; run++)); do
  start=$(now); git_alone; end=$(now)
  t=$(elapsed "$start" "$end")
  if [[ -z "$best_git" ]] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$t" "$best_git"; then best_git=$t; fi

  start=$(now)
  set +e
  "$binary" check --config "$repo/schemaguard.yaml" --against git:main --format json > "$tmp/check.json" 2> "$tmp/check.err"
  status=$?
  set -e
  end=$(now)
  t=$(elapsed "$start" "$end")
  if [[ -z "$best_check" ]] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$t" "$best_check"; then best_check=$t; fi
  if [[ $status -ne 0 ]]; then
    echo "schemaguard check exited $status:" >&2
    head -20 "$tmp/check.err" >&2
    exit 1
  fi
done

summary=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print("%d compatible, %d incompatible, %d new, %d unchanged"
      % (s["compatible"], s["incompatible"], s["new"], s["unchanged"]))' "$tmp/check.json")
difference=$(python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.3f}')" "$best_check" "$best_git")
echo
echo "repository:           $schemas schemas x $versions versions, all $schemas changed (BACKWARD_TRANSITIVE)"
echo "check verdicts:       $summary"
echo "git alone:            ${best_git} s   (best of $runs)"
echo "schemaguard check:    ${best_check} s   (best of $runs)"
echo "check beyond git:     ${difference} s   (target: well under 1 s)"
