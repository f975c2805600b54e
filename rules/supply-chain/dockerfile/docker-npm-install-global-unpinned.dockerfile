FROM node:20.12-alpine

# ruleid: docker-npm-install-global-unpinned
RUN npm install -g pm2

RUN apk add --no-cache git \
# ruleid: docker-npm-install-global-unpinned
 && npm i --global --loglevel warn @nestjs/cli@latest \
 && npm cache clean --force

# ok: docker-npm-install-global-unpinned
RUN npm install -g pm2@5.3.1 @nestjs/cli@10.3.2
# ok: docker-npm-install-global-unpinned
RUN npm install --omit=dev express
# ok: docker-npm-install-global-unpinned
RUN npm ci --omit=dev
# ok: docker-npm-install-global-unpinned
RUN npm install -g --prefix /opt/tools npm@10.8.1
