FROM python:3.12-slim

# ruleid: docker-secret-in-env-arg
ENV STRIPE_API_KEY=sk_live_51HxQ2cKZ8mYtR0vN4pLw
# ruleid: docker-secret-in-env-arg
ENV APP_ENV=production DB_PASSWORD="Sup3r-S3cret!"
# ruleid: docker-secret-in-env-arg
ARG NPM_TOKEN=npm_a8F3kQ9xZr2LmT7vB1nC4dE6gH0jK5pW8sY2
# ruleid: docker-secret-in-env-arg
ENV JWT_SECRET 8b1f2c9d0e7a4b3c

# ok: docker-secret-in-env-arg
ARG NPM_TOKEN
# ok: docker-secret-in-env-arg
ENV GITHUB_TOKEN=${GITHUB_TOKEN}
# ok: docker-secret-in-env-arg
ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password
# ok: docker-secret-in-env-arg
ENV ADMIN_PASSWORD=changeme
# ok: docker-secret-in-env-arg
ARG API_KEY=""
# ok: docker-secret-in-env-arg
ENV TOKEN_TTL_SECONDS=3600 SECRET_BACKEND=vault
# ok: docker-secret-in-env-arg
ENV DISABLE_PASSWORD=true

RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
