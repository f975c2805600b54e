FROM alpine:3.19

# ruleid: docker-add-remote-url
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /sbin/tini
# ruleid: docker-add-remote-url
ADD --chown=1000:1000 http://downloads.example.com/agent.tar.gz /opt/

# ok: docker-add-remote-url
ADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /sbin/tini
# ok: docker-add-remote-url
ADD vendor.tar.gz /opt/vendor/
# ok: docker-add-remote-url
COPY https-proxy.conf /etc/nginx/conf.d/

ARG TINI_SHA256=c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee
# ok: docker-add-remote-url
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /sbin/tini
RUN echo "${TINI_SHA256}  /sbin/tini" | sha256sum -c - && chmod +x /sbin/tini
