# ok: docker-runs-as-root
FROM node:20-alpine
RUN addgroup -S app && adduser -S app -G app
USER root
RUN apk add --no-cache curl
USER 10001:10001
EXPOSE 8080
CMD ["node", "server.js"]
