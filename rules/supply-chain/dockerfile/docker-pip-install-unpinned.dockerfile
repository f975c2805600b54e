FROM python:3.12-slim

# ruleid: docker-pip-install-unpinned
RUN pip install --no-cache-dir gunicorn

RUN python -m pip install --upgrade pip \
# ruleid: docker-pip-install-unpinned
 && pip3 install --no-cache-dir -r requirements.txt "uvicorn[standard]" \
 && rm -rf /root/.cache

# ok: docker-pip-install-unpinned
RUN pip install --no-cache-dir gunicorn==22.0.0 "uvicorn[standard]==0.30.1"
# ok: docker-pip-install-unpinned
RUN pip install --no-cache-dir -r requirements.txt
# ok: docker-pip-install-unpinned
RUN pip install --upgrade pip setuptools wheel
# ok: docker-pip-install-unpinned
RUN pip install --no-cache-dir -c constraints.txt celery redis
# ok: docker-pip-install-unpinned
RUN pip install --target /opt/deps --index-url https://pypi.internal/simple -e . ${EXTRA_PACKAGES}
# ok: docker-pip-install-unpinned
RUN pip install --no-cache-dir /tmp/wheels/app-1.0-py3-none-any.whl "django>=4.2,<5"
