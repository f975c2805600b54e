# Multi-stage build: the builder stages have no USER, which is fine because only
# the final stage becomes the runtime image.
# ok: docker-runs-as-root
FROM golang:1.22 AS build
RUN go build -o /out/server ./cmd/server

# ok: docker-runs-as-root
FROM node:20-alpine AS web
RUN npm ci && npm run build

FROM debian:bookworm-slim
RUN useradd -r app
USER app
COPY --from=build /out/server /usr/local/bin/server
EXPOSE 8080
# ruleid: docker-runs-as-root
USER root
CMD ["/usr/local/bin/server"]
