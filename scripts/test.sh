#!/usr/bin/env bash
# Sets up the machine and runs the whole test suite: unit, integration over loopback, and
# end-to-end tests that drive the built `causeway` binary with the real kubectl and helm.
# Extra arguments go to one `swift test` run instead (e.g. --filter KubectlEndToEndTests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests

# A hung test fails the run here, with its output, instead of running into CI's limit.
run_tests() { timeout --kill-after=30 1200 swift test --skip-build "$@"; }

status=0
if [ $# -eq 0 ]; then
  scripts/lint-dockerfile.sh || status=$?
fi
if [ $# -gt 0 ]; then
  run_tests "$@" || status=$?
else
  # The end-to-end tests wait on child processes; in a run of their own they never hold up the
  # threads the in-process tests' timers need.
  run_tests --skip EndToEndTests || status=$?
  run_tests --filter EndToEndTests || status=$?
fi

# Every process a test starts must be gone when it ends: a `causeway` left running keeps ports
# and addresses, and outlives the run. Those a crashed test left end themselves once their parent
# is gone (CAUSEWAY_PARENT_PID), after draining; any still there 30 s later is named, killed, and
# fails the run.
for _ in $(seq 60); do
  leftovers=$(scripts/leftover-processes.sh)
  [ -z "$leftovers" ] && break
  sleep 0.5
done
if [ -n "$leftovers" ]; then
  echo "test: processes of this build still running after the tests:" >&2
  echo "$leftovers" >&2
  scripts/leftover-processes.sh --kill
  status=1
fi
exit $status
