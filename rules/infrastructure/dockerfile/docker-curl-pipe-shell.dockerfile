FROM debian:bookworm-slim

# ruleid: docker-curl-pipe-shell
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -

RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates curl && \
# ruleid: docker-curl-pipe-shell
    wget -qO- https://get.example.io/install.sh | sudo -E sh -s -- --version 1.4.2 && \
    rm -rf /var/lib/apt/lists/*

# ok: docker-curl-pipe-shell
RUN curl -fsSLo /tmp/install.sh https://get.example.io/install.sh \
 && echo "9f0c1e4f3b2d5a6e7c8b9a0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh

# ok: docker-curl-pipe-shell
RUN curl -fsSL https://packages.example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg

# ok: docker-curl-pipe-shell
RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin && sh -c 'echo done'

# ok: docker-curl-pipe-shell
RUN curl -fsSL https://example.com/file.txt | sha256sum
