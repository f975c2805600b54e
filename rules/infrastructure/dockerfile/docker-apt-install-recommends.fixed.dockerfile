FROM debian:bookworm-slim

# ruleid: docker-apt-install-recommends
RUN apt-get update && apt-get install --no-install-recommends -y curl ca-certificates && rm -rf /var/lib/apt/lists/*

RUN apt-get update \
# ruleid: docker-apt-install-recommends
 && apt-get -y install --no-install-recommends \
      build-essential \
      libpq-dev \
 && rm -rf /var/lib/apt/lists/*

# ok: docker-apt-install-recommends
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*

RUN apt-get update \
# ok: docker-apt-install-recommends
 && apt-get install -y \
      --no-install-recommends \
      tini \
 && rm -rf /var/lib/apt/lists/*

# ok: docker-apt-install-recommends
RUN apt-get -o APT::Install-Recommends=false install -y git

# ok: docker-apt-install-recommends
RUN xx-apt-get install -y libseccomp-dev
