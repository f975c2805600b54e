# ruleid: docker-from-latest-or-untagged
FROM node:latest AS deps
RUN npm ci

# ok: docker-from-latest-or-untagged
FROM golang:1.22.3-bookworm AS builder
RUN go build -o /out/app .

# ok: docker-from-latest-or-untagged
FROM builder AS tested
RUN go test ./...

ARG BASE_IMAGE=debian:bookworm-slim
# ok: docker-from-latest-or-untagged
FROM ${BASE_IMAGE} AS runtime-base

# ok: docker-from-latest-or-untagged
FROM scratch AS minimal
COPY --from=builder /out/app /app

# ok: docker-from-latest-or-untagged
FROM python@sha256:4f2ad61b1ab6b0ba2e3b2ac8d08e1aa5a9cf0ea9aa0dbf3ef36bd2f1b1c7a4a1 AS pinned

# ruleid: docker-from-latest-or-untagged
FROM ubuntu
COPY --from=builder /out/app /usr/local/bin/app
CMD ["app"]

# ok: docker-from-latest-or-untagged
FROM BASEIMAGE
