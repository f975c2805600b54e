#!/bin/sh
# ruleid: config-tls-verification-disabled
export NODE_TLS_REJECT_UNAUTHORIZED=0
# ruleid: config-tls-verification-disabled
curl -fsSLk https://internal.example.com/install.sh -o /tmp/install.sh
# ruleid: config-tls-verification-disabled
wget -q --no-check-certificate https://mirror.internal/pkg.tgz
# ruleid: config-tls-verification-disabled
pip install --trusted-host pypi.internal -r requirements.txt
# ruleid: config-tls-verification-disabled
npm config set strict-ssl false
# ruleid: config-tls-verification-disabled
git config --global http.sslVerify false
# ruleid: config-tls-verification-disabled
export CURL_CA_BUNDLE=""

# ok: config-tls-verification-disabled
export NODE_TLS_REJECT_UNAUTHORIZED=1
# ok: config-tls-verification-disabled
curl -fsSL https://get.example.com/kit -o kit-k.tgz
# ok: config-tls-verification-disabled
curl -fsSL --cacert /etc/ssl/internal.pem https://internal.example.com/
# ok: config-tls-verification-disabled
export REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
# ok: config-tls-verification-disabled
git config --global http.sslVerify true
