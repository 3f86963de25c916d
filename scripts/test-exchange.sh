#!/usr/bin/env bash
# The exchange plugin's own tests (exchange/tests, pytest), in the cached venv that
# test/scripts/setup-exchange.sh builds from the plugin's wheel (plain pip install next to nbgrader,
# pip check clean). tests/test_real_service.py starts this checkout's built service (service/lib, from
# npm run build, which npm test runs first) with a stand-in hub. Argument: optional path of a
# jest-shaped JSON summary for sum-results.js.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/scripts/setup-exchange.sh
cd exchange
NGSHARE_PYTEST_JSON="${1:-}" ../test/.cache/venv-exchange/bin/python -m pytest -q -p no:cacheprovider
