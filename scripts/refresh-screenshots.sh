#!/usr/bin/env bash
# Refresh the guides' pictures (docs/screenshots/*.png) from fixed data: builds, prepares the
# end-to-end set-up, then runs only the two browser tests that take them (fixed user, course and
# assignment names) against a hub of their own, writing into docs/screenshots/ instead of
# test/artifacts/screenshots/. `npm test` never touches docs/screenshots/.
# The admin page's picture comes from scripts/admin-page-screenshot.js (the demo data).
#   usage: npm run screenshots        (then review and commit docs/screenshots/)
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
node scripts/admin-page-screenshot.js docs/screenshots/admin-page.png
npm run setup -w @ngshare-ts/e2e
NGSHARE_E2E_SCREENSHOT_DIR="$PWD/docs/screenshots" \
  npm run jest -w @ngshare-ts/e2e -- browser-student browser-instructor
git status --short docs/screenshots
