#!/usr/bin/env bash
# The whole test run: lint, build, service suites (SQLite and PostgreSQL),
# extension unit tests, then the end-to-end suites against a real JupyterHub,
# JupyterLab, Chromium, nbgrader and ngshare_exchange. Every stage runs even
# if an earlier one failed; the last line sums up all jest results.
set -uo pipefail
cd "$(dirname "$0")/.."
results=test/artifacts/results
rm -rf "$results" && mkdir -p "$results"
rm -rf coverage # jest writes coverage/service and coverage/extension
failed_stages=()

stage() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed_stages+=("$name")
  fi
}

# A PostgreSQL cluster this run starts is stopped again at the end (nothing left running).
pg_started=$(mktemp)
stop_pg() {
  if [ -s "$pg_started" ]; then
    read -r pg_version pg_name < "$pg_started"
    (cd / && pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$pg_name" stop) || true
  fi
  rm -f "$pg_started"
}
trap stop_pg EXIT
pg_url=$(NGSHARE_PG_STARTED_FILE="$pg_started" bash scripts/ensure-system-deps.sh | tail -n 1)
export NGSHARE_TEST_PG_URL="${NGSHARE_TEST_PG_URL:-$pg_url}"
[ -n "$NGSHARE_TEST_PG_URL" ] || echo "PostgreSQL not available: the service suites run on SQLite only"

stage "lint" npm run lint:check
stage "build" npm run build
stage "helm chart" bash scripts/check-helm.sh
stage "docs site" bash scripts/build-docs.sh
stage "container image" bash scripts/container/check.sh --no-npm-build
# jest's own coverage: summaries in the log, reports in coverage/ (service: under 90% of lines fails)
stage "service tests" npm test -w @ngshare-ts/service -- --coverage --json --outputFile="$PWD/$results/service.json"
stage "extension tests" npm test -w @ngshare-ts/labextension -- --coverage --json --outputFile="$PWD/$results/extension.json"
stage "end-to-end tests" npm test -w @ngshare-ts/e2e -- --json --outputFile="$PWD/$results/e2e.json"

node scripts/sum-results.js "$results" "${failed_stages[@]}"
