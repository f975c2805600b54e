# The entrypoint script drops to PUID:PGID with su-exec before exec'ing the server.
# ok: docker-runs-as-root
FROM alpine:3.20
RUN set -eux; apk add --no-cache ca-certificates su-exec tzdata
COPY server /bin/server
COPY entrypoint.sh /bin/entrypoint.sh
EXPOSE 8384
ENTRYPOINT ["/bin/entrypoint.sh", "/bin/server"]
