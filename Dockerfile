# prodready: the webhook server with its embedded worker (or `prodready worker` for scale-out).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 PORT=8000 PRODREADY_DATA_DIR=/var/lib/prodready PRODREADY_RULES_DIR=/app/rules \
    SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off

# git: the engine reads diffs and blobs; nothing else is needed at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY github_app ./github_app
COPY rules ./rules
RUN pip install --no-cache-dir .

RUN useradd --system --uid 10001 --home /var/lib/prodready --create-home prodready
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=4)"
CMD ["prodready", "serve"]
