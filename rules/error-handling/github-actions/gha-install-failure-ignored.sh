#!/usr/bin/env bash
set -e
cd backend
python3 -m venv venv && . venv/bin/activate
# ruleid: gha-install-failure-ignored
pip install -r requirements.txt || true
# ruleid: gha-install-failure-ignored
sudo apt-get install -y libpq-dev 2>/dev/null || :
# ruleid: gha-install-failure-ignored
cd web && npm ci --omit=dev || true
nohup venv/bin/python server.py > backend.log 2>&1 &

# ok: gha-install-failure-ignored
pip install -r requirements.txt
# ok: gha-install-failure-ignored
npm ci || npm install
# ok: gha-install-failure-ignored
pip uninstall -y old-package || true
# ok: gha-install-failure-ignored
pip install -r requirements-gpu.txt || true  # optional: only on CUDA hosts
# ok: gha-install-failure-ignored
echo "run pip install -r requirements.txt || true to continue"
# ok: gha-install-failure-ignored
command -v jq || brew install jq
# ok: gha-install-failure-ignored
# [ -f requirements.txt ] && pip install -r requirements.txt || true
