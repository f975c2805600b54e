# A node agent that configures host networking: no port is served, root is the point.
# ok: docker-runs-as-root
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 iptables
COPY agent /usr/local/bin/agent
ENTRYPOINT ["/usr/local/bin/agent"]
