FROM python:3.12.8-slim
COPY requirements.txt .
# ruleid: gha-install-failure-ignored
RUN pip install --no-cache-dir -r requirements.txt || true
# ok: gha-install-failure-ignored
RUN pip install --no-cache-dir -r requirements.txt
