#!/usr/bin/env bash
# Makes sure the Debian packages the tests need are present (chromium for the
# browser tests, postgresql for the PostgreSQL suite, python3-venv), and that a
# local PostgreSQL cluster is running with a test role. Installs with apt-get
# when run as root; otherwise says what to install. Prints the PostgreSQL URL
# for the tests on its last line (empty when PostgreSQL is not available).
# Environment:
#   NGSHARE_PG_CLUSTER=skip      install packages only; do not create or start a cluster
#   NGSHARE_PG_STARTED_FILE=F    when this script starts the cluster, it writes
#                                "<version> main" into F, so the caller can stop it again
#                                (scripts/test-all.sh does, at the end of the run)
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)

if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${need[@]}" >&2
  else
    echo "missing Debian packages: ${need[*]} (install them with apt-get as root)" >&2
  fi
fi

pg_url=""
# psql and pg_ctl run as postgres, which may not read the caller's folder ("could not change
# directory"): run them from /.
cd /
if [ "${NGSHARE_PG_CLUSTER:-}" != skip ] && command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main >&2
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
    if [ -n "${NGSHARE_PG_STARTED_FILE:-}" ]; then
      echo "$version main" > "$NGSHARE_PG_STARTED_FILE"
    fi
  fi
  port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
  (cd / && su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='ngshare'\"") | grep -q 1 ||
    (cd / && su postgres -c "psql -p $port -qc \"CREATE ROLE ngshare LOGIN PASSWORD 'ngshare' CREATEDB\"" >&2)
  pg_url="postgresql://ngshare:ngshare@127.0.0.1:$port/postgres"
fi
echo "$pg_url"
