FROM node:20.11-slim
# ruleid: config-tls-verification-disabled
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
# ruleid: config-tls-verification-disabled
RUN curl -k -o /usr/local/bin/tool https://tools.internal/tool && chmod +x /usr/local/bin/tool
# ok: config-tls-verification-disabled
RUN curl -fsSL -o /usr/local/bin/tool2 https://tools.example.com/tool2
USER node
