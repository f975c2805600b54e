#!/usr/bin/env bash
set -euo pipefail
git rebase origin/main
# ruleid: gha-git-push-force
git push -f
# ruleid: gha-git-push-force
git push origin "+HEAD:refs/heads/${TARGET_BRANCH}"
# ruleid: gha-git-push-force
git push origin \
  --force main
# ok: gha-git-push-force
git push --force-with-lease=main:"$EXPECTED" origin main
# ok: gha-git-push-force
git push --force-if-includes --force-with-lease origin main
# ok: gha-git-push-force
git push --tags --force
# ok: gha-git-push-force
git push origin main --follow-tags
git checkout -b "release-${VERSION}"
# ok: gha-git-push-force
git push -f origin "release-${VERSION}"
# ok: gha-git-push-force
git push origin "release-${VERSION}" --force
git tag -fa "$major" -m "Move $major to $next"
# ok: gha-git-push-force
git push origin "$major" --force
# ok: gha-git-push-force
# git fetch && git push -f origin main
