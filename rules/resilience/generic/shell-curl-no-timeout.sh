#!/usr/bin/env bash
set -euo pipefail

# ruleid: shell-curl-no-timeout
until curl -fsS "http://localhost:${PORT}/healthz" >/dev/null; do
  sleep 2
done

# ruleid: shell-curl-no-timeout
while ! wget -q -O /dev/null http://db-proxy:8080/ready; do sleep 1; done

for attempt in $(seq 1 30); do
  # ruleid: shell-curl-no-timeout
  if curl -fsS -X POST "$API/register" -d @payload.json; then
    break
  fi
  sleep 5
done

while true; do
  # ruleid: shell-curl-no-timeout
  status=$(curl -s -o /dev/null -w '%{http_code}' "$URL")
  [ "$status" = 200 ] && break
  sleep 3
done

# ok: shell-curl-no-timeout
until curl -fsS --max-time 5 "http://localhost:${PORT}/healthz" >/dev/null; do sleep 2; done
# ok: shell-curl-no-timeout
until curl -fsS -m 5 "http://localhost:${PORT}/healthz"; do sleep 2; done
# ok: shell-curl-no-timeout
while ! wget -q -T 5 -O /dev/null http://db-proxy:8080/ready; do sleep 1; done
# ok: shell-curl-no-timeout
until timeout 10 curl -fsS http://localhost:8080/; do sleep 1; done
# ok: shell-curl-no-timeout
timeout 60 bash -c 'until curl -fsS http://localhost:8080/; do sleep 1; done'

# a one-off download is not a polling loop
# ok: shell-curl-no-timeout
curl -fsSL https://example.com/tool.tgz -o /tmp/tool.tgz
for f in a b c; do
  # ok: shell-curl-no-timeout
  curl -fsSLO "https://example.com/$f.tgz"
done
# ok: shell-curl-no-timeout
# until curl -fsS http://localhost:8080/; do sleep 1; done
