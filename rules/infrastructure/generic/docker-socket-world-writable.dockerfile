FROM docker:27.3.1-dind
# ruleid: docker-socket-world-writable
RUN touch /var/run/docker.sock && chmod 0666 /var/run/docker.sock
# ok: docker-socket-world-writable
RUN addgroup -S docker && chown root:docker /var/run/docker.sock && chmod 0660 /var/run/docker.sock
