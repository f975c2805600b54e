# No CMD/ENTRYPOINT: a tool/base image that other images build on.
# ok: docker-runs-as-root
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
COPY . /usr/src/
RUN gcc -static -o /usr/bin/probe /usr/src/probe.c
