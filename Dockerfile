# prodready: the webhook server with its embedded worker (or `prodready worker` for scale-out).
# The base is pinned by digest (python:3.12-slim as published; see README "Container image"), so a
# rebuild starts from the same image until this line is changed on purpose.
FROM python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 PORT=8000 PRODREADY_DATA_DIR=/var/lib/prodready \
    SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off

# git: the engine reads diffs and blobs. tini: PID 1 that forwards SIGTERM to prodready and reaps the
# Semgrep processes each review starts (a bare Python PID 1 leaves zombies behind).
RUN apt-get update \
 && apt-get install -y --no-install-recommends git tini \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, at the versions the tests passed with (constraints.txt), in a layer of their own:
# a code change rebuilds only the layers below.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install --no-cache-dir --constraint constraints.txt --requirement /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY README.md ./
COPY github_app ./github_app
COPY rules ./rules
# The rules go into the package (pyproject.toml), so the installed prodready finds them itself.
RUN pip install --no-cache-dir --no-deps --constraint constraints.txt . && rm -rf build

RUN useradd --system --uid 10001 --home /var/lib/prodready --create-home prodready
# The SQLite queue and anything else kept between restarts; a named volume keeps uid 10001's ownership.
VOLUME ["/var/lib/prodready"]
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=4)"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["prodready", "serve"]
